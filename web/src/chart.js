// Phase-timing charts for the platform cards: one uPlot chart per platform, dns / connect /
// tls / first byte in milliseconds over the last 6 hours, with the buckets that had failed
// checks shaded red. uPlot is loaded as a classic script (window.uPlot) before the modules run.
import { t, esc } from './i18n.js';

const HEIGHT = 150;
const PHASES = [
  ['dns_ms', 'dns', '#1d4ed8'],
  ['connect_ms', 'connect', '#15803d'],
  ['tls_ms', 'tls', '#7e22ce'],
  ['first_byte_ms', 'firstByte', '#c2410c'],
];

// uPlot's columns from the API's points: [x seconds, dns, connect, tls, first byte], and the
// x values of the points with failed checks.
export function columns(points) {
  const cols = [[], ...PHASES.map(() => [])];
  const failed = [];
  for (const p of points ?? []) {
    const at = Date.parse(p.at);
    if (Number.isNaN(at)) continue;
    const x = at / 1000;
    cols[0].push(x);
    PHASES.forEach(([field], i) => cols[i + 1].push(typeof p[field] === 'number' ? p[field] : null));
    if (p.failed > 0) failed.push(x);
  }
  return { cols, failed };
}

// Shades a band around each failed bucket, under the lines.
function shadeFailures(u, failed) {
  if (!failed.length) return;
  const xs = u.data[0];
  const step = xs.length > 1 ? (xs[xs.length - 1] - xs[0]) / (xs.length - 1) : 60;
  const { ctx, bbox } = u;
  ctx.save();
  ctx.fillStyle = 'rgba(220, 38, 38, 0.22)';
  for (const x of failed) {
    const left = u.valToPos(x - step / 2, 'x', true);
    const right = u.valToPos(x + step / 2, 'x', true);
    ctx.fillRect(Math.max(left, bbox.left), bbox.top, Math.max(2, right - left), bbox.height);
  }
  ctx.restore();
}

// One chart in `holder` (a <figure>): created on first data, updated afterwards, rebuilt when
// the language changes (series labels are in the chosen language).
export class PhaseChart {
  constructor(holder) {
    this.holder = holder;
    this.plot = null;
    this.failed = [];
    holder.innerHTML = `<figcaption>${esc(t('chart'))} <span class="fail-key">${esc(t('failures'))}</span></figcaption>` +
      '<div class="plot"></div><p class="muted"></p>';
    this.area = holder.querySelector('.plot');
    this.note = holder.querySelector('p');
    this.resize = new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: HEIGHT }));
    this.resize.observe(this.area);
  }

  width() { return Math.max(200, this.area.clientWidth); }

  // Shows `points` from the series endpoint, or `message` when there is nothing to draw.
  show(points, message = '') {
    const { cols, failed } = columns(points);
    this.failed = failed;
    const empty = cols[0].length === 0;
    this.note.textContent = empty ? (message || t('noData')) : '';
    this.area.hidden = empty;
    if (empty || !window.uPlot) return;
    if (this.plot) { this.plot.setData(cols); return; }
    this.plot = new window.uPlot({
      width: this.width(),
      height: HEIGHT,
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      axes: [{}, { size: 44, values: (u, ticks) => ticks.map((v) => `${v}`) }],
      series: [{}, ...PHASES.map(([, label, stroke]) => ({ label: t(label), stroke, width: 1.5, spanGaps: false }))],
      hooks: { drawClear: [(u) => shadeFailures(u, this.failed)] },
    }, cols, this.area);
  }

  destroy() {
    this.resize.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }
}
