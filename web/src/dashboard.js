// The team's dashboard: asks once for an API token (kept in sessionStorage, sent as a bearer
// token), then reads the watch's API every 5 s and draws the board, alerts, failovers,
// unanswered conversations and history. Contract: docs/dashboard.md and the API reference.
// Each section is redrawn only when its data changed, so a click is never lost to a redraw.
import { t, pick, esc, ago, since, timeHtml } from './i18n.js';
import { PhaseChart } from './chart.js';
import { makeDraw } from './api.js';
import { runPage, keepLang } from './page.js';

const POLL_MS = 5000;
const SERIES_MS = 60000;
const WINDOW_MS = 6 * 3600 * 1000;
// The board shows one page of platforms (problems first); ?per_page= in the address changes it.
const PER_PAGE = Math.min(Math.max(Number(new URLSearchParams(location.search).get('per_page')) || 100, 1), 1000);
const board = { health: '', offset: 0 };  // the filter and page the team chose
const watchPath = () => `/api/v1/watch?limit=${PER_PAGE}&offset=${board.offset}${board.health ? `&health=${board.health}` : ''}`;
const SECTIONS = {
  watch: watchPath,
  open: '/api/v1/alerts?state=open',
  acknowledged: '/api/v1/alerts?state=acknowledged',
  failovers: '/api/v1/failovers',
  inbox: '/api/v1/inbox?filter=unanswered',
  events: '/api/v1/events?limit=50',
  incidents: '/api/v1/incidents?state=active&limit=1',
};

const $ = (id) => document.getElementById(id);
let answers = {};              // section -> {body} or {error}
const ackMessages = new Map(); // alert id -> what went wrong acknowledging it
const drawn = new Map();       // element -> the html it shows now
const charts = new Map();      // platform id -> {chart, fetchedAt}

const draw = makeDraw(drawn);

const unavailable = (error) => `<p class="muted">${esc(t('notAvailable', { e: `${error.status || ''} ${error.message}`.trim() }))}</p>`;
const healthWord = (h) => t(`health.${h}`, {}, h);

// --- other pages -----------------------------------------------------------------------------

// The link to the listening page shows only when this server listens (404: no listen: section).
function probeListening(api) {
  api('/api/v1/listening?minutes=1').then(() => { $('to-listening').hidden = false; },
    (error) => { if (error.status === 404) $('to-listening').hidden = true; });
}

// The incidents and the crisis log show only when this server runs contingency plans (404: no
// plans: section); the link counts the active incidents (the platform still down, the crisis on).
function showIncidents(answer) {
  if (!answer) return;
  if (answer.error?.status === 404) { $('to-incidents').hidden = true; $('to-crisis-log').hidden = true; return; }
  if (!answer.body) return;
  $('to-incidents').hidden = false;
  $('to-crisis-log').hidden = false;
  const open = answer.body.total ?? 0;
  $('incidents-open').hidden = !open;
  $('incidents-open').textContent = t('nActive', { n: open });
}

// --- reading -------------------------------------------------------------------------------

// Reads every section at once. A refused token (any section) or a server that could not be
// reached (every section) is the reading's error; otherwise each section keeps its own answer.
async function readAll(api) {
  const entries = await Promise.all(Object.entries(SECTIONS).map(([name, path]) =>
    api(typeof path === 'function' ? path() : path).then((body) => [name, { body }], (error) => [name, { error }])));
  const got = Object.fromEntries(entries);
  const results = Object.values(got);
  const refused = results.find((r) => r.error?.status === 401);
  if (refused) throw refused.error;
  if (results.every((r) => r.error?.status === 0)) throw results[0].error;
  // Open and acknowledged alerts are read apart, so resolved ones (a long list) never travel.
  const { open, acknowledged, ...rest } = got;
  const failed = open.error ?? acknowledged.error;
  answers = { ...rest, alerts: failed ? { error: failed } : { body: { alerts: [...open.body?.alerts ?? [], ...acknowledged.body?.alerts ?? []] } } };
}

function render() {
  renderWatch(answers.watch);
  draw($('alerts'), alertsHtml(answers.alerts));
  draw($('failovers'), failoversHtml(answers.failovers));
  draw($('inbox'), inboxHtml(answers.inbox));
  draw($('history'), historyHtml(answers.events));
  showIncidents(answers.incidents);
}

// --- board ---------------------------------------------------------------------------------

function renderWatch(answer) {
  if (!answer) return;
  if (answer.error) { draw($('link'), unavailable(answer.error)); return; }
  const w = answer.body ?? {};
  draw($('link'), linkHtml(w.link, w.vantages ?? []));
  draw($('board-tools'), toolsHtml(w));
  const holder = $('platforms');
  const platforms = w.platforms ?? [];
  if (!platforms.length) {
    for (const c of charts.values()) c.chart.destroy();
    charts.clear();
    draw(holder, `<p class="muted">${esc(t('noPlatforms'))}</p>`);
    return;
  }
  if (holder.querySelector('p.muted')) { holder.textContent = ''; drawn.delete(holder); }
  const keep = new Set();
  for (const p of platforms) {
    keep.add(String(p.id));
    let card = holder.querySelector(`article[data-id="${CSS.escape(String(p.id))}"]`);
    if (!card) {
      card = document.createElement('article');
      card.dataset.id = p.id;
      card.dataset.testid = `platform-${p.id}`;
      card.innerHTML = '<div class="card-body"></div><figure class="chart"></figure>';
      charts.set(String(p.id), { chart: new PhaseChart(card.querySelector('figure')), fetchedAt: 0 });
    }
    holder.appendChild(card); // keeps the server's order
    card.dataset.health = p.health;
    card.className = `card h-${p.health}`;
    draw(card.querySelector('.card-body'), platformHtml(p));
  }
  for (const card of [...holder.querySelectorAll('article')]) {
    if (keep.has(card.dataset.id)) continue;
    charts.get(card.dataset.id)?.chart.destroy();
    charts.delete(card.dataset.id);
    card.remove();
  }
}

// Filter buttons with the count of each health, and a pager when one page does not hold them.
const HEALTHS = ['down', 'partial', 'local', 'degraded', 'unknown', 'up'];
function toolsHtml(w) {
  const counts = w.counts ?? {};
  const total = w.total ?? 0;
  if (!total) return '';
  const button = (health, label, n) => `<button type="button" data-filter="${health}" data-testid="filter-${health || 'all'}"` +
    ` aria-pressed="${board.health === health}">${esc(label)} <span class="count">${n}</span></button>`;
  let html = `<div class="filters" role="group" aria-label="${esc(t('filter'))}">${button('', t('all'), total)}` +
    HEALTHS.filter((h) => counts[h]).map((h) => button(h, healthWord(h), counts[h])).join('') + '</div>';
  const matching = w.matching ?? 0;
  if (matching > PER_PAGE || board.offset > 0) {
    const first = matching ? board.offset + 1 : 0;
    const last = Math.min(board.offset + PER_PAGE, matching);
    html += `<div class="pager"><button type="button" data-page="-1" data-testid="page-prev"${board.offset > 0 ? '' : ' disabled'}>${esc(t('previous'))}</button>` +
      ` <span data-testid="page-range">${esc(t('showing', { a: first, b: last, n: matching }))}</span> ` +
      `<button type="button" data-page="1" data-testid="page-next"${last < matching ? '' : ' disabled'}>${esc(t('next'))}</button></div>`;
  }
  return html;
}

function linkHtml(link, vantages) {
  let html = '';
  if (link?.state === 'down') {
    html += `<div class="banner" data-testid="link-down" role="alert"><strong>${esc(t('linkDown'))}</strong> ` +
      `${esc(link.detail ?? '')} ${timeHtml(link.since, since(link.since))}</div>`;
  } else if (link) {
    html += `<p class="link-ok">${esc(t('ourLink'))}: <span class="badge b-${esc(link.state)}">${esc(t(`link.${link.state}`, {}, healthWord(link.state)))}</span> ` +
      `${esc(link.detail ?? '')}</p>`;
  }
  if (vantages.length) {
    html += `<p class="vantages"><span>${esc(t('vantages'))}:</span> ` + vantages.map((v) =>
      `<span class="vantage${v.silent ? ' silent' : ''}" data-testid="vantage-${esc(v.name)}">${esc(v.name)} ` +
      (v.silent ? `<span class="badge b-down">${esc(t('silent'))}</span> ` : '') +
      (v.last_seen ? timeHtml(v.last_seen, t('lastSeen', { t: ago(v.last_seen) })) : esc(t('never'))) + '</span>').join(' ') + '</p>';
  }
  return html;
}

function platformHtml(p) {
  const word = pick(p.words) || [healthWord(p.health), p.scope ? t(`scope.${p.scope}`, {}, p.scope) : ''].join(' ').trim();
  const badges = [
    p.flapping ? `<span class="badge b-degraded">${esc(t('flapping'))}</span>` : '',
    p.maintenance ? `<span class="badge b-unknown">${esc(t('maintenance'))}</span>` : '',
    p.covers_us && p.health !== 'up' ? `<span class="badge b-down">${esc(t('affectsUs'))}</span>` : '',
  ].join('');
  const readings = p.readings ?? [];
  const s = p.signals ?? {};
  return `<h3>${esc(p.name || p.id)} <span class="badge b-${esc(p.health)}" data-testid="health-${esc(p.id)}">${esc(word)}</span></h3>
<p class="meta">${p.cause ? `${esc(t('cause'))}: <code>${esc(p.cause)}</code> · ` : ''}${timeHtml(p.since, since(p.since))} ${badges}</p>
${pick(p.summary) ? `<p>${esc(pick(p.summary))}</p>` : ''}
${p.channels?.length ? `<p class="meta">${esc(t('ourChannels', { c: p.channels.join(', ') }))}</p>` : ''}
<details${p.health !== 'up' ? ' open' : ''}><summary>${esc(t('evidence'))} (${readings.length})</summary>
${readings.length ? `<table><thead><tr><th>${esc(t('vantage'))}</th><th>${esc(t('health'))}</th><th>${esc(t('cause'))}</th><th>${esc(t('endpoints'))}</th><th>${esc(t('detail'))}</th></tr></thead><tbody>
${readings.map((r) => `<tr><td>${esc(r.vantage)}</td><td><span class="badge b-${esc(r.health)}">${esc(healthWord(r.health))}</span></td>
<td><code>${esc(r.cause || '')}</code></td><td>${r.endpoints != null ? esc(t('failedOf', { f: r.failed ?? 0, n: r.endpoints })) : ''}</td>
<td>${esc(r.detail || '')} ${timeHtml(r.at, ago(r.at))}</td></tr>`).join('')}</tbody></table>` : `<p class="muted">${esc(t('noReadings'))}</p>`}
</details>
<p class="signals"><span>${esc(t('feed'))}: ${esc(t(`feed.${s.feed ?? 'null'}`, {}, s.feed))}</span>
<span>${esc(t('crowd', { n: s.crowd_reports ?? 0, b: s.crowd_baseline ?? 0 }))}${s.crowd_surge ? ` <span class="badge b-down">${esc(t('surge'))}</span>` : ''}</span>
<span>${esc(t('outbox', { s: s.outbox_sends ?? 0, f: s.outbox_faults ?? 0 }))}${s.outbox_failing ? ` <span class="badge b-down">${esc(t('failing'))}</span>` : ''}</span></p>`;
}

// Reads each platform's last 6 hours once a minute (and at once for a new card).
async function refreshCharts() {
  const now = Date.now();
  const due = [...charts.entries()].filter(([, c]) => now - c.fetchedAt >= SERIES_MS);
  await Promise.all(due.map(async ([id, c]) => {
    c.fetchedAt = now;
    const q = new URLSearchParams({ from: new Date(now - WINDOW_MS).toISOString(), to: new Date(now).toISOString(), resolution: 'auto' });
    try {
      const body = await page.api(`/api/v1/watch/platforms/${encodeURIComponent(id)}/series?${q}`);
      c.chart.show(body?.points ?? []);
    } catch (error) {
      c.chart.show([], t('notAvailable', { e: `${error.status || ''} ${error.message}`.trim() }));
    }
  }));
}

// --- alerts --------------------------------------------------------------------------------

function alertsHtml(answer) {
  if (!answer) return '';
  if (answer.error) return unavailable(answer.error);
  const order = { open: 0, acknowledged: 1 };
  const active = (answer.body?.alerts ?? []).filter((a) => a.state !== 'resolved')
    .sort((a, b) => (order[a.state] ?? 2) - (order[b.state] ?? 2) || String(b.created_at).localeCompare(String(a.created_at)));
  if (!active.length) return `<p class="muted">${esc(t('noAlerts'))}</p>`;
  return `<ul class="list">${active.map(alertHtml).join('')}</ul>`;
}

function alertHtml(a) {
  const id = esc(a.id);
  const message = ackMessages.get(String(a.id));
  const notified = a.notified ?? [];
  return `<li class="alert s-${esc(a.state)}" data-testid="alert-${id}" data-state="${esc(a.state)}">
<p><span class="badge b-${a.state === 'open' ? 'down' : 'unknown'}">${esc(t(`alert.${a.state}`, {}, a.state))}</span>
<strong>${esc(pick(a.summary) || `${a.subject} ${a.kind}`)}</strong></p>
<p class="meta">${esc(a.subject)} · ${esc(t(`kind.${a.kind}`, {}, a.kind))} · ${esc(t('level', { n: a.level ?? 0 }))} · ${timeHtml(a.created_at, ago(a.created_at))}
${a.acknowledged_at ? ` · ${esc(t('ackedBy', { who: a.acknowledged_by || '?', t: ago(a.acknowledged_at) }))}` : ''}</p>
<p class="meta">${esc(t('notified'))}: ${notified.length ? notified.map((n) => esc(t('notifiedItem',
    { p: n.person, r: n.role, c: n.channel, l: n.level ?? 0, t: ago(n.at) }))).join('; ') : esc(t('nobodyNotified'))}</p>
${a.state === 'open' ? `<button type="button" data-ack="${id}" data-testid="ack-${id}">${esc(t('ack'))}</button>` : ''}
${message ? `<p class="error" role="alert" data-testid="ack-error-${id}">${esc(message)}</p>` : ''}</li>`;
}

async function acknowledge(id, button) {
  button.disabled = true;
  try {
    const body = await page.api(`/api/v1/alerts/${encodeURIComponent(id)}/ack`, { method: 'POST', body: '{}' });
    ackMessages.delete(id);
    const list = answers.alerts?.body?.alerts;
    const i = list ? list.findIndex((a) => String(a.id) === id) : -1;
    if (body?.alert && i >= 0) list[i] = body.alert; // shows the new state before the next poll
  } catch (error) {
    if (error.status === 401) { page.askToken(t('tokenRejected', { e: error.message })); return; }
    ackMessages.set(id, error.status === 403 ? t('ack403') : t('ackFailed', { e: error.message }));
  }
  draw($('alerts'), alertsHtml(answers.alerts));
  page.poll();
}

// --- failovers, inbox, history ---------------------------------------------------------------

function failoversHtml(answer) {
  if (!answer) return '';
  if (answer.error) return unavailable(answer.error);
  const list = answer.body?.failovers ?? [];
  if (!list.length) return `<p class="muted">${esc(t('noFailovers'))}</p>`;
  return `<ul class="list">${list.map((f) => {
    const p = f.broadcast?.progress;
    const pct = (n) => (p?.total ? ((100 * (n ?? 0)) / p.total).toFixed(1) : 0);
    const text = p ? t('progress', { s: p.sent ?? 0, q: p.pending ?? 0, f: p.failed ?? 0, n: p.total ?? 0 }) : '';
    return `<li data-testid="failover-${esc(f.channel)}"><p><strong>${esc(f.channel)}</strong>
<span class="badge b-${f.state === 'active' ? 'degraded' : 'unknown'}">${esc(t(`failover.${f.state}`, {}, f.state))}</span>
<span class="meta">${esc(t('failoverLine', { c: f.channel, p: f.platform, t: '' }))}${timeHtml(f.started_at, ago(f.started_at))}</span></p>
${p ? `<div class="bar" role="img" aria-label="${esc(text)}"><span class="sent" data-w="${pct(p.sent)}"></span><span class="failed" data-w="${pct(p.failed)}"></span><span class="pending" data-w="${pct(p.pending)}"></span></div>
<p class="meta">${esc(text)}${p.skipped_no_consent || p.skipped_no_address ? ` · ${esc(t('skipped', { a: p.skipped_no_consent ?? 0, b: p.skipped_no_address ?? 0 }))}` : ''}</p>`
    : `<p class="meta">${esc(f.broadcast ? f.broadcast.template ?? '' : t('noBroadcast'))}</p>`}</li>`;
  }).join('')}</ul>`;
}

function inboxHtml(answer) {
  if (!answer) return '';
  if (answer.error) return unavailable(answer.error);
  const list = answer.body?.conversations ?? [];
  if (!list.length) return `<p class="muted">${esc(t('noInbox'))}</p>`;
  return `<ul class="list">${list.map((c) => {
    const at = c.last_inbound_at ?? c.waiting_since;
    return `<li data-testid="conversation-${esc(c.contact_id)}"><strong>${esc(c.name || `#${c.contact_id}`)}</strong>
<span class="meta">${esc(t('inboxLine', { t: ago(at), c: c.last_inbound_channel ?? c.channel ?? '' }))}</span></li>`;
  }).join('')}</ul>`;
}

function historyHtml(answer) {
  if (!answer) return '';
  if (answer.error) return unavailable(answer.error);
  const list = answer.body?.events ?? [];
  if (!list.length) return `<p class="muted">${esc(t('noEvents'))}</p>`;
  return `<table class="history"><tbody>${list.map((e) => {
    const change = [e.previous, e.state].filter(Boolean).map(healthWord).join(' → ');
    return `<tr data-testid="event-${esc(e.id)}"${e.suppressed_by ? ' class="suppressed"' : ''}>
<td>${timeHtml(e.at, ago(e.at))}</td><td>${esc(e.subject)}</td><td>${esc(t(`kind.${e.kind}`, {}, e.kind))}</td>
<td>${esc(change)} ${e.scope ? esc(t(`scope.${e.scope}`, {}, e.scope)) : ''}</td><td>${e.cause ? `<code>${esc(e.cause)}</code>` : ''}</td>
<td>${e.suppressed_by ? esc(t('suppressed', { b: e.suppressed_by })) : ''}</td></tr>`;
  }).join('')}</tbody></table>`;
}

// --- start ---------------------------------------------------------------------------------

function relabel() {
  keepLang();
  drawn.clear();
  for (const [id, c] of charts) { c.chart.destroy(); charts.set(id, { chart: new PhaseChart(c.chart.holder), fetchedAt: 0 }); }
  render();
  refreshCharts();
}

$('board-tools').addEventListener('click', (e) => {
  const filter = e.target.closest('button[data-filter]');
  const pager = e.target.closest('button[data-page]');
  if (filter) { board.health = filter.dataset.filter; board.offset = 0; }
  else if (pager && !pager.disabled) board.offset = Math.max(0, board.offset + Number(pager.dataset.page) * PER_PAGE);
  else return;
  page.poll();
});
$('alerts').addEventListener('click', (e) => {
  const button = e.target.closest('button[data-ack]');
  if (button) acknowledge(button.dataset.ack, button);
});
// After its reading the board draws at once; the charts follow (read once a minute).
const page = runPage({
  every: POLL_MS,
  read: readAll,
  render: () => { render(); return refreshCharts(); },
  relabel,
  started: probeListening,
  signedOut: () => ackMessages.clear(),
});
keepLang();
