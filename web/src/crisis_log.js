// The crisis log page (/dashboard/crisis-log): every closed incident Faro kept, newest first,
// searchable by any word of its timeline, notes, lessons and override reasons (accents and
// case do not matter), with filters by kind, real or drill, and dates; each links to its
// printable report. Reads GET /api/v1/crisis-log (docs/api.md, "The crisis log") every 30 s
// and when the search changes; the search is kept in the address, so a bookmark repeats it.
import { t, pick, esc, duration, timeHtml } from './i18n.js';
import { makeDraw } from './api.js';
import { runPage, keepLang, clock } from './page.js';

const $ = (id) => document.getElementById(id);
const FIELDS = ['q', 'kind', 'drills', 'since', 'until'];
const drawn = new Map();
const draw = makeDraw(drawn);
let answer = null;
let problem = null;
let asked = '';  // the query of `answer`

// The search as the form has it, as a query string (empty fields left out).
function query() {
  const q = new URLSearchParams();
  for (const name of FIELDS) {
    const value = $(name).value.trim();
    if (value) q.set(name, value);
  }
  return q;
}

async function read(api) {
  const q = query();
  try {
    const body = await api(`/api/v1/crisis-log?${q}`);
    if (String(q) !== String(query())) return; // the search changed meanwhile: asked again
    answer = body;
    asked = String(q);
    problem = null;
  } catch (error) {
    problem = error;
    throw error;
  }
}

function render() {
  if (problem && problem.status !== 0) {
    draw($('results'), `<p class="muted">${esc(problem.status === 404 ? t('noPlans') : t('notAvailable', { e: `${problem.status || ''} ${problem.message}`.trim() }))}</p>`);
    $('summary').textContent = '';
    return;
  }
  if (!answer) return;
  const list = answer.incidents ?? [];
  $('summary').textContent = new URLSearchParams(asked).get('q')
    ? t('found', { n: answer.total ?? list.length, q: new URLSearchParams(asked).get('q') })
    : t('listed', { n: answer.total ?? list.length });
  draw($('warnings'), warningsHtml(answer));
  draw($('results'), list.length ? `<ul class="list log">${list.map(entryHtml).join('')}</ul>`
    : `<p class="muted" data-testid="log-empty">${esc(t(asked ? 'nothingFound' : 'logEmpty'))}</p>`);
}

function warningsHtml(a) {
  let html = '';
  if (a.unwritten?.length) {
    html += `<p class="error" data-testid="log-unwritten">${esc(t('unwritten', { n: a.unwritten.length }))} ${a.unwritten.map((u) =>
      `#${esc(u.id)}${u.error ? ` (${esc(u.error)})` : ''}`).join('; ')}</p>`;
  }
  if (a.problems?.length) {
    html += `<p class="error">${esc(t('logProblems'))} ${a.problems.map((p) => `<code>${esc(p.path)}</code>: ${esc(p.message)}`).join('; ')}</p>`;
  }
  return html;
}

function entryHtml(e) {
  const end = Date.parse(e.stable_at ?? e.closed_at ?? '');
  const length = Number.isNaN(end) ? '' : duration(end - Date.parse(e.opened_at));
  const report = e.reports?.[document.documentElement.lang === 'es' ? 'es' : 'en'] ?? {};
  const hit = e.hit;
  return `<li data-testid="log-entry" data-id="${esc(e.id)}" data-folder="${esc(e.folder)}">
<p class="meta">${timeHtml(e.opened_at, clock(e.opened_at))} · ${esc(e.business ?? '')} · ${esc(e.subject)}
 · ${esc(t(`incKind.${e.kind}`, {}, e.kind))}${length ? ` · ${esc(t('outageLasted', { d: length }))}` : ''}
 ${e.drill ? `<span class="badge b-local">${esc(t('drill'))}</span>` : ''}</p>
<h3><a href="${esc(report.html)}" target="_blank" rel="noopener" data-testid="log-report">#${esc(e.id)} ${esc(pick(e.title))}</a></h3>
${hit ? `<p class="snippet" data-testid="log-snippet"><span class="muted">${esc(t(`where.${hit.where.split(' ')[0]}`, {}, hit.where))}${hit.where.includes('#') ? ` ${esc(hit.where.split(' ')[1])}` : ''}:</span>
${esc(hit.before)}<mark>${esc(hit.match)}</mark>${esc(hit.after)}</p>` : ''}
<p class="meta">${['es', 'en'].map((lang) => `${esc(t(`reportIn.${lang}`))}: <a href="${esc(e.reports?.[lang]?.html)}" target="_blank" rel="noopener">${esc(t('reportHtml'))}</a>
 · <a href="${esc(e.reports?.[lang]?.md)}" target="_blank" rel="noopener">${esc(t('reportMd'))}</a>`).join(' · ')}
 · <a href="/dashboard/incidents/${esc(e.id)}" data-nav>${esc(t('openRoom'))}</a></p></li>`;
}

// --- start ----------------------------------------------------------------------------------------

function fromAddress() {
  const q = new URLSearchParams(location.search);
  for (const name of FIELDS) if (q.has(name)) $(name).value = q.get(name);
}

function search() {
  const url = new URL(location.href);
  for (const name of FIELDS) url.searchParams.delete(name);
  for (const [k, v] of query()) url.searchParams.set(k, v);
  history.replaceState(null, '', url);
  page.poll();
}

function relabel() {
  drawn.clear();
  keepLang();
  render();
}

fromAddress();
$('search').addEventListener('submit', (e) => { e.preventDefault(); search(); });
for (const name of ['kind', 'drills', 'since', 'until']) $(name).addEventListener('change', search);
const page = runPage({ every: 30000, read, render, relabel });
keepLang();
