// The incidents of the contingency plans: the list (/dashboard/incidents, open ones first) and
// each incident's room (/dashboard/incidents/{id}): approvals to answer, the restoration
// checklist and closing, status updates, the timeline with notes, roles and the report.
// Reads the API every 5 s with the dashboard's token. Contract: docs/dashboard.md ("The
// incident room") and docs/api.md ("Incidents"). Forms are never redrawn, so what someone is
// typing survives every reading; approval cards are kept by their request's id.
import { t, pick, esc, ago, since, timeHtml } from './i18n.js';
import { makeDraw } from './api.js';
import { runPage, keepLang, clock } from './page.js';
import {
  headHtml, figuresHtml, approvalsOf, approvalInfoHtml, checklistHtml, blockingHtml, rolesOf, rolesHtml, updatesHtml,
  timelineHtml, lessonsHtml, reportsHtml, stateBadge,
} from './incident_room.js';

const $ = (id) => document.getElementById(id);
const ROOM_ID = (location.pathname.match(/^\/dashboard\/incidents\/(\d+)\/?$/) ?? [])[1] ?? '';
const ANSWERED_SHOWN = 10;  // answered approvals kept on screen below the pending ones

const drawn = new Map();
const draw = makeDraw(drawn);
let list = null;       // GET /api/v1/incidents
let incident = null;   // GET /api/v1/incidents/{id}
let problem = null;    // what the last reading said, when it failed
let people = false;    // the timeline shows only what people did
const approvalErrors = new Map();  // request id → what went wrong answering it

const ORDER = { active: 0, stable: 1, closed: 2 };
const roomPath = (suffix = '') => `/api/v1/incidents/${ROOM_ID}${suffix}`;
const unavailable = (e) => `<p class="muted">${esc(e.status === 404 && !ROOM_ID ? t('noPlans') : t('notAvailable', { e: `${e.status || ''} ${e.message}`.trim() }))}</p>`;

async function read(api) {
  try {
    if (ROOM_ID) incident = await api(roomPath());
    else list = await api('/api/v1/incidents?limit=200');
    problem = null;
  } catch (error) {
    problem = error;
    throw error;
  }
}

function render() {
  $('list-view').hidden = Boolean(ROOM_ID);
  $('room').hidden = !ROOM_ID;
  if (ROOM_ID) renderRoom(); else renderList();
}

// --- the list ---------------------------------------------------------------------------------

function renderList() {
  const holder = $('incidents');
  if (problem && problem.status !== 0) { draw(holder, unavailable(problem)); return; }
  if (!list) return;
  const all = [...(list.incidents ?? [])].sort((a, b) =>
    (ORDER[a.state] ?? 3) - (ORDER[b.state] ?? 3) || String(b.opened_at).localeCompare(String(a.opened_at)));
  if (!all.length) { draw(holder, `<p class="muted">${esc(t('noIncidents'))}</p>`); return; }
  const open = all.filter((i) => i.state !== 'closed');
  const closed = all.filter((i) => i.state === 'closed');
  const table = (rows) => `<table class="incidents"><thead><tr><th>#</th><th>${esc(t('incident'))}</th><th>${esc(t('stateWord'))}</th>
<th>${esc(t('openedAt'))}</th><th>${esc(t('approvalsPending'))}</th><th>${esc(t('checklist'))}</th></tr></thead>
<tbody>${rows.map(rowHtml).join('')}</tbody></table>`;
  draw(holder, `<h3>${esc(t('openNow', { n: open.length }))}</h3>${open.length ? table(open) : `<p class="muted">${esc(t('noneOpen'))}</p>`}
<h3>${esc(t('closedList', { n: closed.length }))}</h3>${closed.length ? table(closed) : `<p class="muted">–</p>`}
${list.total > all.length ? `<p class="meta">${esc(t('moreIncidents', { n: list.total - all.length }))}</p>` : ''}`);
  keepLang(holder);
}

function rowHtml(i) {
  const stateSince = i.state === 'closed' ? i.closed_at : i.state === 'stable' ? i.stable_at : i.opened_at;
  const c = i.checklist ?? {};
  const pending = i.approvals_pending ?? 0;
  return `<tr data-testid="incident-${esc(i.id)}" data-state="${esc(i.state)}">
<td>#${esc(i.id)}</td>
<td><a href="/dashboard/incidents/${esc(i.id)}" data-nav data-testid="open-${esc(i.id)}"><strong>${esc(pick(i.title))}</strong></a>
${i.drill ? `<span class="badge b-local">${esc(t('drill'))}</span>` : ''}
<br><span class="meta">${esc(t(`incKind.${i.kind}`, {}, i.kind))} · ${esc(i.subject)}</span></td>
<td>${stateBadge(i.state)} <span class="meta">${timeHtml(stateSince, since(stateSince))}</span></td>
<td>${timeHtml(i.opened_at, clock(i.opened_at))} <span class="meta">${esc(ago(i.opened_at))}</span></td>
<td>${pending ? `<span class="badge b-degraded" data-testid="pending-${esc(i.id)}">${esc(t('nPending', { n: pending }))}</span>` : '–'}</td>
<td class="meta">${c.green || c.red || c.pending ? esc(t('checkCounts', { g: c.green ?? 0, r: c.red ?? 0, p: c.pending ?? 0 })) : '–'}</td></tr>`;
}

// --- the room -----------------------------------------------------------------------------------

function renderRoom() {
  $('room-error').textContent = problem && problem.status !== 0
    ? (problem.status === 404 ? t('noSuchIncident', { id: ROOM_ID }) : t('notAvailable', { e: `${problem.status} ${problem.message}` }))
    : '';
  if (!incident) return;
  const inc = incident;
  const closed = inc.state === 'closed';
  document.title = `#${inc.id} ${pick(inc.title)} · Faro`;
  $('room').dataset.state = inc.state;
  draw($('room-head'), headHtml(inc));
  renderApprovals(inc);
  draw($('checklist'), checklistHtml(inc));
  $('check-now').disabled = closed;
  $('close').hidden = closed;
  if (closed) $('close-form').hidden = true;
  draw($('updates'), updatesHtml(inc));
  $('update-form').hidden = closed;
  draw($('timeline'), timelineHtml(inc, { people }));
  draw($('roles'), rolesHtml(inc));
  fillRoleForm(inc);
  $('role-form').hidden = closed;
  draw($('figures'), figuresHtml(inc));
  draw($('lessons'), lessonsHtml(inc));
  draw($('reports'), reportsHtml(inc.report_links));
}

// Approval cards: one per request, kept while it is on screen so the choice of who answers and
// a half-written reason survive every reading.
function renderApprovals(inc) {
  const holder = $('approvals');
  const all = approvalsOf(inc);
  const shown = [...all.filter((a) => a.state === 'pending'), ...all.filter((a) => a.state !== 'pending').slice(0, ANSWERED_SHOWN)];
  if (!shown.length) {
    draw(holder, `<p class="muted" data-testid="no-approvals">${esc(t('noApprovals'))}</p>`);
    return;
  }
  if (holder.querySelector(':scope > p.muted')) { holder.textContent = ''; drawn.delete(holder); }
  const keep = new Set(shown.map((a) => a.action));
  for (const card of [...holder.querySelectorAll(':scope > .approval')]) if (!keep.has(card.dataset.action)) card.remove();
  for (const a of shown) {
    let card = holder.querySelector(`:scope > .approval[data-action="${CSS.escape(a.action)}"]`);
    if (!card) card = newApprovalCard(a.action);
    holder.appendChild(card); // pending first, then newest first
    card.dataset.state = a.state;
    card.className = `approval s-${a.state}`;
    draw(card.querySelector('.info'), approvalInfoHtml(a));
    const answer = card.querySelector('.answer');
    if (a.state !== 'pending') {
      answer.hidden = true;
      card.querySelector('.deny-form').hidden = true;
    } else {
      answer.hidden = false;
      fillAnswerAs(card.querySelector('select.as'), a.may_answer ?? []);
    }
    const message = approvalErrors.get(a.action);
    card.querySelector('.error').textContent = message ?? '';
  }
}

function newApprovalCard(id) {
  const card = document.createElement('div');
  card.dataset.action = id;
  card.dataset.testid = `approval-${id}`;
  card.innerHTML = `<div class="info"></div>
<div class="answer">
  <label>${esc(t('answerAs'))} <select class="as" data-testid="answer-as-${esc(id)}"></select></label>
  <button type="button" class="approve" data-testid="approve-${esc(id)}">${esc(t('approve'))}</button>
  <button type="button" class="deny" data-testid="deny-${esc(id)}">${esc(t('deny'))}</button>
</div>
<form class="deny-form box" hidden>
  <label for="deny-reason-${esc(id)}">${esc(t('denyReason'))}</label>
  <textarea id="deny-reason-${esc(id)}" data-testid="deny-reason-${esc(id)}" rows="2" maxlength="2000" required></textarea>
  <button type="submit" data-testid="deny-confirm-${esc(id)}">${esc(t('denyConfirm'))}</button>
  <button type="button" class="cancel">${esc(t('cancel'))}</button>
</form>
<p class="error" role="alert" data-testid="approval-error-${esc(id)}"></p>`;
  card.querySelector('.approve').addEventListener('click', (e) => decide(id, 'approve', '', e.currentTarget));
  card.querySelector('.deny').addEventListener('click', () => {
    const form = card.querySelector('.deny-form');
    form.hidden = false;
    form.querySelector('textarea').focus();
  });
  card.querySelector('.cancel').addEventListener('click', () => { card.querySelector('.deny-form').hidden = true; });
  card.querySelector('.deny-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const reason = card.querySelector('textarea').value.trim();
    if (reason) decide(id, 'deny', reason, e.submitter);
  });
  return card;
}

// "Answer as": the token's own name, or one of the people who may answer.
function fillAnswerAs(select, names) {
  const key = names.join('\n');
  if (select.dataset.names === key && select.options.length) return;
  const chosen = select.value;
  select.dataset.names = key;
  select.innerHTML = `<option value="">${esc(t('asMe'))}</option>${names.map((n) => `<option value="${esc(n)}">${esc(n)}</option>`).join('')}`;
  if (names.includes(chosen)) select.value = chosen;
}

// --- what people do in the room -----------------------------------------------------------------

// Words for a refused change: a token that may not change anything, or the server's reason.
function refusal(error, what) {
  if (error.status === 403 && /needs the \w+ role/.test(error.message)) return t('token403');
  if (error.status === 409) return t('conflict', { e: error.message });
  return t('failed', { what, e: `${error.status || ''} ${error.message}`.trim() });
}

// Shows the incident a change answered with at once (the next reading brings the rest).
function took(body) {
  if (body && typeof body === 'object' && body.id !== undefined) {
    incident = { ...incident, ...body, status_updates: incident?.status_updates, report_links: incident?.report_links };
    renderRoom();
  }
  page.poll();
}

async function post(suffix, body, button) {
  if (button) button.disabled = true;
  try {
    return await page.api(roomPath(suffix), { method: 'POST', body: JSON.stringify(body) });
  } finally {
    if (button) button.disabled = false;
  }
}

async function decide(id, decision, reason, button) {
  const card = $('approvals').querySelector(`.approval[data-action="${CSS.escape(id)}"]`);
  const as = card?.querySelector('select.as')?.value ?? '';
  const body = { decision };
  if (reason) body.reason = reason;
  if (as) body.as = as;
  try {
    const answer = await post(`/approvals/${encodeURIComponent(id)}`, body, button);
    approvalErrors.delete(id);
    if (card) { card.querySelector('.deny-form').hidden = true; card.querySelector('textarea').value = ''; }
    took(answer);
  } catch (error) {
    if (error.status === 401) { page.askToken(t('tokenRejected', { e: error.message })); return; }
    const mayNot = error.status === 403 && !/needs the \w+ role/.test(error.message);
    approvalErrors.set(id, mayNot ? t('notYours', { e: error.message }) : refusal(error, t('approve')));
    renderRoom();
  }
}

async function submitText(form, suffix, textarea, message, done) {
  const text = textarea.value.trim();
  if (!text) return;
  message.textContent = '';
  try {
    const answer = await post(suffix, { text }, form.querySelector('button[type="submit"]'));
    textarea.value = '';
    message.textContent = done;
    took(answer);
  } catch (error) {
    if (error.status === 401) { page.askToken(t('tokenRejected', { e: error.message })); return; }
    message.textContent = refusal(error, done);
  }
}

async function checkNow(button) {
  $('check-message').textContent = '';
  try {
    took(await post('/restoration-check', {}, button));
    $('check-message').textContent = t('checked');
  } catch (error) {
    if (error.status === 401) { page.askToken(t('tokenRejected', { e: error.message })); return; }
    $('check-message').textContent = refusal(error, t('checkNow'));
  }
}

async function close(reason, button) {
  $('check-message').textContent = '';
  try {
    took(await post('/close', reason ? { reason } : {}, button));
    $('close-form').hidden = true;
    $('close-reason').value = '';
    $('check-message').textContent = t('closedNow');
  } catch (error) {
    if (error.status === 401) { page.askToken(t('tokenRejected', { e: error.message })); return; }
    if (error.status === 409 && Array.isArray(error.body?.blocking)) {
      // Not all green: say what blocks it, and offer to close over it with a reason.
      $('close-blocking').innerHTML = `${esc(t('closeBlocked'))} ${blockingHtml(error.body.blocking)}`;
      $('close-form').hidden = false;
      $('close-reason').focus();
      return;
    }
    $('check-message').textContent = refusal(error, t('closeIncident'));
  }
}

function fillRoleForm(inc) {
  const roles = rolesOf(inc);
  const select = $('role-role');
  const key = roles.map((r) => `${r.role}|${pick(r.title)}`).join('\n');
  if (select.dataset.roles !== key) {
    const chosen = select.value;
    select.dataset.roles = key;
    select.innerHTML = roles.map((r) => `<option value="${esc(r.role)}">${esc(pick(r.title) || r.role)}</option>`).join('');
    if (roles.some((r) => r.role === chosen)) select.value = chosen;
  }
  const names = [...new Set((inc.roles ?? []).map((h) => h.person))].sort();
  draw($('people'), names.map((n) => `<option value="${esc(n)}"></option>`).join(''));
}

async function changeRole(e) {
  e.preventDefault();
  const body = { role: $('role-role').value, person: $('role-person').value.trim(), change: $('role-change').value };
  if (!body.role || !body.person) return;
  $('role-message').textContent = '';
  try {
    took(await post('/roles', body, e.submitter));
    $('role-person').value = '';
    $('role-message').textContent = t('roleSaved');
  } catch (error) {
    if (error.status === 401) { page.askToken(t('tokenRejected', { e: error.message })); return; }
    $('role-message').textContent = refusal(error, t('roleSave'));
  }
}

// --- start --------------------------------------------------------------------------------------

function relabel() {
  drawn.clear();
  // Cards are made in one language: make them again in the other.
  for (const card of [...$('approvals').querySelectorAll('.approval')]) card.remove();
  $('role-role').dataset.roles = '';
  keepLang();
  render();
}

$('note-form').addEventListener('submit', (e) => {
  e.preventDefault();
  submitText($('note-form'), '/notes', $('note-text'), $('note-message'), t('noteAdded'));
});
$('update-form').addEventListener('submit', (e) => {
  e.preventDefault();
  submitText($('update-form'), '/status-updates', $('update-text'), $('update-message'), t('updateSent'));
});
$('check-now').addEventListener('click', (e) => checkNow(e.currentTarget));
$('close').addEventListener('click', (e) => close('', e.currentTarget));
$('close-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const reason = $('close-reason').value.trim();
  if (reason) close(reason, e.submitter);
});
$('close-cancel').addEventListener('click', () => { $('close-form').hidden = true; });
$('role-form').addEventListener('submit', changeRole);
$('timeline-filter').addEventListener('click', (e) => {
  const button = e.target.closest('button[data-people]');
  if (!button) return;
  people = button.dataset.people === '1';
  for (const b of $('timeline-filter').querySelectorAll('button')) b.setAttribute('aria-pressed', String(b === button));
  if (incident) draw($('timeline'), timelineHtml(incident, { people }));
});

const page = runPage({ every: 5000, read, render, relabel });
keepLang();
