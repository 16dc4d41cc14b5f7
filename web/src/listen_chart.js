// Charts of the listening page: per brand or topic, mentions per minute (volume) and the same
// minutes split by sentiment (stacked: negative at the bottom, then neutral, positive, unknown),
// with the minutes of its crises shaded red. uPlot is loaded as a classic script (window.uPlot).
//
// The API lists only the minutes that had mentions; a minute missing inside the window had
// none, so the columns below fill it with a zero (the line drops to the floor, as it should).
import { t, esc } from './i18n.js';

const HEIGHT = 140;
const MINUTE = 60;
// Bottom to top of the stack: name, line, fill (opaque: each layer is painted over the next).
export const SENTIMENTS = [
  ['negative', '#b91c1c', '#f87171'],
  ['neutral', '#4b5563', '#d1d5db'],
  ['positive', '#15803d', '#86efac'],
  ['unknown', '#6b7280', '#f3f4f6'],
];

// The newest minute (unix seconds) of any rule: the window ends there, the same for every rule,
// so charts side by side share their time axis. null when no rule has a minute.
export function newestMinute(rules) {
  let newest = null;
  for (const r of rules ?? []) {
    for (const m of r.minutes ?? []) {
      const at = Date.parse(m.at);
      if (!Number.isNaN(at) && (newest === null || at / 1000 > newest)) newest = at / 1000;
    }
  }
  return newest;
}

// uPlot's columns for one rule over the `window` minutes that end at `newest` (unix seconds):
// x, mentions, then negative, neutral, positive, unknown per minute, every minute present.
export function minuteColumns(minutes, newest, window) {
  const cols = [[], [], ...SENTIMENTS.map(() => [])];
  if (newest === null || newest === undefined) return cols;
  const first = newest - (window - 1) * MINUTE;
  const byMinute = new Map();
  for (const m of minutes ?? []) {
    const at = Date.parse(m.at);
    if (!Number.isNaN(at)) byMinute.set(Math.floor(at / 1000 / MINUTE) * MINUTE, m);
  }
  for (let x = first; x <= newest; x += MINUTE) {
    const m = byMinute.get(x);
    cols[0].push(x);
    cols[1].push(m?.mentions ?? 0);
    SENTIMENTS.forEach(([name], i) => cols[i + 2].push(m?.[name] ?? 0));
  }
  return cols;
}

// Mentions, each sentiment and the negative share (of the mentions with a sentiment, as in the
// crisis cards: unknown is left out; null when none had one) of some minutes or totals.
export function tally(minutes) {
  const sum = { mentions: 0, negative: 0, neutral: 0, positive: 0, unknown: 0, reach: 0 };
  for (const m of minutes ?? []) for (const k of Object.keys(sum)) sum[k] += m[k] ?? 0;
  return sum;
}
export function negativeShare(s) {
  const rated = (s?.negative ?? 0) + (s?.neutral ?? 0) + (s?.positive ?? 0);
  return rated > 0 ? s.negative / rated : null;
}

// Stacked columns for the sentiment chart: each series is the sum of itself and those below,
// drawn largest first so each fill shows its own band.
function stacked(cols) {
  const out = [cols[0]];
  let running = cols[0].map(() => 0);
  const layers = [];
  for (let i = 0; i < SENTIMENTS.length; i += 1) {
    running = running.map((v, j) => v + cols[i + 2][j]);
    layers.push(running);
  }
  return out.concat(layers.reverse()); // unknown (the whole stack) first, negative last
}

// Shades the crisis spans ([from, to] in unix seconds) under the lines.
function shade(u, spans) {
  if (!spans.length) return;
  const { ctx, bbox } = u;
  ctx.save();
  ctx.fillStyle = 'rgba(220, 38, 38, 0.16)';
  for (const [from, to] of spans) {
    const left = Math.max(u.valToPos(from, 'x', true), bbox.left);
    const right = Math.min(u.valToPos(to, 'x', true), bbox.left + bbox.width);
    if (right > left - 2) ctx.fillRect(left, bbox.top, Math.max(2, right - left), bbox.height);
  }
  ctx.restore();
}

// One chart in `holder` (a <figure>): kind 'volume' or 'sentiment'. Rebuilt when the language
// changes (labels), updated with setData otherwise.
export class MinuteChart {
  constructor(holder, kind) {
    this.holder = holder;
    this.kind = kind;
    this.plot = null;
    this.spans = [];
    this.raw = null;
    const caption = kind === 'volume' ? t('volumeChart') : t('sentimentChart');
    holder.innerHTML = `<figcaption>${esc(caption)} <span class="fail-key">${esc(t('crisisSpan'))}</span></figcaption>` +
      '<div class="plot"></div><p class="muted"></p>';
    this.area = holder.querySelector('.plot');
    this.note = holder.querySelector('p');
    this.resize = new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: HEIGHT }));
    this.resize.observe(this.area);
  }

  width() { return Math.max(200, this.area.clientWidth); }

  // `cols` from minuteColumns, `spans` the crisis spans to shade; `empty` says there were no
  // mentions in the window (the chart is hidden and a note says so).
  show(cols, spans, empty) {
    this.spans = spans;
    this.holder.querySelector('.fail-key').hidden = !spans.length;
    this.note.textContent = empty ? t('noMentions') : '';
    this.area.hidden = empty;
    this.holder.dataset.empty = String(empty);
    this.holder.dataset.points = String(empty ? 0 : cols[0].length); // minutes drawn (tests read it)
    if (empty || !window.uPlot) return;
    this.raw = cols;
    const data = this.kind === 'volume' ? [cols[0], cols[1]] : stacked(cols);
    if (this.plot) { this.plot.setData(data); return; }
    const series = this.kind === 'volume'
      ? [{ label: t('mentionsWord'), stroke: '#1d4ed8', fill: 'rgba(29, 78, 216, 0.12)', width: 1.5 }]
      : [...SENTIMENTS].reverse().map(([name, stroke, fill]) => {
        const raw = 2 + SENTIMENTS.findIndex(([n]) => n === name);
        // The legend and tooltip show each band's own count, not the running sum.
        return { label: t(`sentiment.${name}`), stroke, fill, width: 1,
          value: (u, v, s, i) => (i == null || !this.raw ? '' : this.raw[raw][i]) };
      });
    this.plot = new window.uPlot({
      width: this.width(),
      height: HEIGHT,
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      axes: [{}, { size: 44, values: (u, ticks) => ticks.map((v) => `${v}`) }],
      series: [{}, ...series],
      hooks: { drawClear: [(u) => shade(u, this.spans)] },
    }, data, this.area);
  }

  destroy() {
    this.resize.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }
}
