// The incident room's parts as HTML, from the incident the API gives (GET /api/v1/incidents/{id}:
// the incident record of docs/plans.md plus pending_approvals, may_close, status_updates and
// report_links). Pure functions of their input and the page's language; incidents.js puts them
// on the page and wires the buttons and forms.
import { t, pick, esc, ago, duration, timeHtml } from './i18n.js';
import { clock } from './page.js';

const STATE_BADGE = { active: 'b-down', stable: 'b-degraded', closed: 'b-unknown' };
const CHECK_BADGE = { green: 'b-up', red: 'b-down', pending: 'b-unknown' };
// Timeline kinds: a mark beside the words (never the only clue: the kind is written too).
const MARK = {
  event: '⚡', opened: '●', state: '◆', action: '▶', outcome: '✓', 'approval-asked': '?', approved: '✔',
  denied: '✖', escalated: '↑', 'no-answer': '⌛', role: '⇄', note: '✎', check: '☑', override: '⚑', closed: '■',
};

export const stateBadge = (state) =>
  `<span class="badge ${STATE_BADGE[state] ?? 'b-unknown'}" data-testid="incident-state">${esc(t(`incState.${state}`, {}, state))}</span>`;

const when = (iso) => (iso ? timeHtml(iso, clock(iso)) : '–');
const person = (who) => (who === 'faro' ? t('byFaro') : who);

// --- the head: title, state and its times --------------------------------------------------

export function headHtml(inc, now = Date.now()) {
  const lasted = Date.parse(inc.closed_at ?? '');
  const times = [
    `${esc(t('openedAt'))} ${when(inc.opened_at)} <span class="muted">(${esc(ago(inc.opened_at, now))})</span>`,
    inc.stable_at ? `${esc(t('stableAt'))} ${when(inc.stable_at)}` : '',
    inc.closed_at ? `${esc(t('closedAt'))} ${when(inc.closed_at)}` : '',
    inc.closed_at ? `${esc(t('lasted'))} ${esc(duration(lasted - Date.parse(inc.opened_at)))}` : '',
  ].filter(Boolean).join(' · ');
  const steps = ['active', 'stable', 'closed'].map((s) => {
    const reached = s === 'active' || (s === 'stable' && (inc.stable_at || inc.closed_at)) || (s === 'closed' && inc.closed_at);
    return `<li class="${reached ? 'done' : ''}${inc.state === s ? ' now' : ''}">${esc(t(`incState.${s}`))}</li>`;
  }).join('');
  return `<h2 class="room-title">#${esc(inc.id)} ${esc(pick(inc.title))} ${stateBadge(inc.state)}
${inc.drill ? `<span class="badge b-local">${esc(t('drill'))}</span>` : ''}</h2>
<ol class="lifecycle" aria-label="${esc(t('lifecycle'))}">${steps}</ol>
<p class="meta">${esc(t(`incKind.${inc.kind}`, {}, inc.kind))} · ${esc(t('subject'))}: <strong>${esc(inc.subject)}</strong> · ${esc(inc.business ?? '')} · ${esc(t('playbook'))}: <code>${esc(inc.playbook)}</code></p>
<p class="meta">${times}</p>`;
}

export function figuresHtml(inc) {
  const f = inc.figures ?? {};
  const item = (key, value) => `<div><dt>${esc(t(key))}</dt><dd>${esc(value ?? '–')}</dd></div>`;
  return `<dl class="magnitude">${[
    item('fig.contacts', f.contacts_told), item('fig.rerouted', f.messages_rerouted), item('fig.paused', f.campaigns_paused),
    item('fig.spend', f.currency ? `${f.spend_protected} ${f.currency}` : f.spend_protected),
    item('fig.approvals', `${f.approvals_granted ?? 0}/${f.approvals_asked ?? 0}`),
    item('fig.first', f.first_message_after_s == null ? null : duration(f.first_message_after_s * 1000)),
    item('fig.unanswered', f.unanswered_left),
  ].join('')}</dl>`;
}

// --- approvals: pending ones from the API, answered ones from the timeline -------------------

// Every approval asked, newest first: {action, state (pending, approved, denied, expired,
// cancelled), question, role, deadline, escalations, may_answer, by, reason, at, blocks}.
export function approvalsOf(inc) {
  const pending = new Map((inc.pending_approvals ?? []).map((p) => [String(p.action), p]));
  const out = [];
  const timeline = inc.timeline ?? [];
  for (const e of timeline) {
    if (e.kind !== 'approval-asked') continue;
    const id = String(e.details?.action);
    const params = e.details?.params ?? {};
    const a = {
      action: id, state: 'pending', question: e.details?.message, role: params.role, deadline: params.deadline,
      asked_at: e.at, blocks: params.blocks, if_no_answer: params.if_no_answer, escalations: [], may_answer: [],
    };
    const p = pending.get(id);
    if (p) Object.assign(a, { question: p.question ?? a.question, escalations: p.escalations ?? [], may_answer: p.may_answer ?? [], deadline: p.deadline });
    else {
      const answer = timeline.find((x) => (x.kind === 'approved' || x.kind === 'denied') && String(x.details?.approval) === id && !x.details?.late);
      const expired = timeline.find((x) => x.kind === 'no-answer' && String(x.details?.approval) === id);
      const closed = timeline.find((x) => x.kind === 'closed' && (x.details?.cancelled_approvals ?? []).map(String).includes(id));
      if (answer) Object.assign(a, { state: answer.kind, by: answer.who, reason: answer.details?.reason, at: answer.at });
      else if (expired) Object.assign(a, { state: 'expired', at: expired.at });
      else if (closed) Object.assign(a, { state: 'cancelled', at: closed.at });
      else a.state = 'expired';
      a.escalations = timeline.filter((x) => x.kind === 'escalated' && String(x.details?.params?.approval) === id).map((x) => x.details?.action);
    }
    out.push(a);
  }
  return out.reverse();
}

// The words of one approval (the buttons and the reason box are kept apart, so typing survives).
export function approvalInfoHtml(a, now = Date.now()) {
  const left = Date.parse(a.deadline ?? '') - now;
  const deadline = a.deadline
    ? `${esc(t('deadline'))} ${when(a.deadline)}${a.state === 'pending' ? ` <span class="${left < 0 ? 'neg' : 'muted'}">(${esc(left < 0 ? t('overdue') : t('inDur', { d: duration(left) }))})</span>` : ''}`
    : '';
  const level = (a.escalations ?? []).length;
  let result = '';
  if (a.state === 'approved' || a.state === 'denied')
    result = `<p class="answered"><strong>${esc(t(`approval.${a.state}`))}</strong> ${esc(t('byWho', { who: a.by }))} ${when(a.at)}${a.reason ? ` — “${esc(a.reason)}”` : ''}</p>`;
  else if (a.state !== 'pending') result = `<p class="answered"><strong>${esc(t(`approval.${a.state}`))}</strong> ${when(a.at)}</p>`;
  return `<p class="question"><span class="badge ${a.state === 'pending' ? 'b-degraded' : a.state === 'approved' ? 'b-up' : a.state === 'denied' ? 'b-down' : 'b-unknown'}">${esc(t(`approval.${a.state}`))}</span>
<strong>${esc(pick(a.question))}</strong></p>
<p class="meta">${esc(t(a.blocks === 'step' ? 'blocksStep' : 'blocksPlaybook'))} · ${esc(t('askedAt'))} ${when(a.asked_at)} · ${deadline}</p>
<p class="meta">${esc(t('escalationLevel', { n: level }))}${a.if_no_answer ? ` · ${esc(t(`ifNoAnswer.${a.if_no_answer}`, {}, a.if_no_answer))}` : ''}${a.state === 'pending' ? ` · ${esc(t('mayAnswer', { who: (a.may_answer ?? []).join(', ') || '–' }))}` : ''}</p>
${result}`;
}

// --- the restoration checklist ---------------------------------------------------------------

export function checklistHtml(inc) {
  const items = inc.checklist ?? [];
  const overrides = inc.overrides ?? [];
  let html = items.length
    ? `<ul class="checklist">${items.map((c) => {
      const over = overrides.find((o) => o.item === c.item);
      return `<li data-testid="check-${esc(c.item)}" data-state="${esc(c.state)}" class="c-${esc(c.state)}">
<span class="badge ${CHECK_BADGE[c.state] ?? 'b-unknown'}">${esc(t(`checkState.${c.state}`, {}, c.state))}</span>
<strong>${esc(t(`check.${c.item}`, {}, c.item))}</strong>
${pick(c.text) ? `<p>${esc(pick(c.text))}</p>` : ''}
${over ? `<p class="meta override">⚑ ${esc(t('overriddenBy', { who: over.by, why: over.reason }))}</p>` : ''}</li>`;
    }).join('')}</ul>`
    : `<p class="muted" data-testid="no-checklist">${esc(t('noChecklist'))}</p>`;
  const loose = overrides.filter((o) => !items.some((c) => c.item === o.item));
  if (loose.length) {
    html += `<ul class="overrides">${loose.map((o) => `<li>⚑ <strong>${esc(t(`check.${o.item}`, {}, o.item))}</strong>: ${esc(t('overriddenBy', { who: o.by, why: o.reason }))}</li>`).join('')}</ul>`;
  }
  const mc = inc.may_close;
  if (mc && inc.state !== 'closed') {
    html += mc.may_close
      ? `<p class="meta" data-testid="may-close">${esc(t('mayClose'))}</p>`
      : `<p class="meta" data-testid="may-close">${esc(t('blockedBy'))} ${blockingHtml(mc.blocking)}</p>`;
  }
  return html;
}

export const blockingHtml = (blocking) => (blocking ?? []).map((b) =>
  `<span class="badge b-down" data-testid="blocking-${esc(b)}">${esc(t(`check.${b}`, {}, b))}</span>`).join(' ');

// --- roles -----------------------------------------------------------------------------------

export function rolesOf(inc) {
  const roles = new Map();
  for (const h of inc.roles ?? []) {
    if (!roles.has(h.role)) roles.set(h.role, { role: h.role, title: h.title, now: [], before: [] });
    roles.get(h.role)[h.until ? 'before' : 'now'].push(h);
  }
  return [...roles.values()];
}

export function rolesHtml(inc) {
  const roles = rolesOf(inc);
  if (!roles.length) return `<p class="muted">${esc(t('noRoles'))}</p>`;
  return `<ul class="roles">${roles.map((r) => `<li data-testid="role-${esc(r.role)}">
<strong>${esc(pick(r.title) || r.role)}</strong> <code>${esc(r.role)}</code>
<p>${r.now.length ? r.now.map((h) => `<span class="holder" data-testid="holder-${esc(r.role)}-${esc(h.person)}">${esc(h.person)}</span> <span class="muted">${esc(t('since'))} ${when(h.from)}</span>`).join('; ') : `<span class="neg">${esc(t('nobodyHolds'))}</span>`}</p>
${r.before.length ? `<p class="meta">${esc(t('heldBefore'))}: ${r.before.map((h) => `${esc(h.person)} (${when(h.from)}–${when(h.until)})`).join('; ')}</p>` : ''}</li>`).join('')}</ul>`;
}

// --- status updates --------------------------------------------------------------------------

export function updatesHtml(inc, now = Date.now()) {
  const sent = (inc.timeline ?? []).filter((e) => e.kind === 'action' && e.details?.action_kind === 'status-update').reverse();
  const plan = inc.status_updates ?? {};
  const to = (plan.to ?? []).join(', ') || '–';
  let cadence;
  if (inc.state === 'closed') cadence = t('updatesOver');
  else if (plan.next) cadence = t('nextUpdate', { t: clock(plan.next), d: duration(Math.max(0, Date.parse(plan.next) - now)), to });
  else if (plan.every_s) cadence = t('updatesNotStarted', { every: duration(plan.every_s * 1000), to });
  else cadence = t('updatesNoCadence', { to });
  const list = sent.length
    ? `<ul class="list updates">${sent.map((e) => `<li data-testid="status-update" data-who="${esc(e.who)}">
<p class="meta">${when(e.at)} · ${esc(e.who === 'faro' ? t('automatic') : e.who)} → ${esc((e.details?.to ?? []).join(', ') || '–')}</p>
<p>${esc(pick(e.details?.message) || pick(e.text))}</p></li>`).join('')}</ul>`
    : `<p class="muted">${esc(t('noUpdates'))}</p>`;
  return `<p class="meta" data-testid="next-update">${esc(cadence)}</p>${list}`;
}

// --- the timeline, newest first ----------------------------------------------------------------

export function timelineHtml(inc, { people = false, limit = 300 } = {}) {
  let entries = [...(inc.timeline ?? [])].reverse();
  if (people) entries = entries.filter((e) => e.who !== 'faro');
  const more = entries.length - limit;
  entries = entries.slice(0, limit);
  if (!entries.length) return `<li class="muted">${esc(t('noEntries'))}</li>`;
  return entries.map((e) => {
    const failed = e.kind === 'outcome' && e.details?.ok === false;
    const mine = e.who !== 'faro'; // what people did or wrote stands apart from Faro's own entries
    return `<li class="tl k-${esc(e.kind)}${mine ? ' by-person' : ''}${failed ? ' failed' : ''}" data-testid="timeline-entry" data-kind="${esc(e.kind)}"${e.details?.action_kind ? ` data-action="${esc(e.details.action_kind)}"` : ''} data-who="${esc(e.who)}" data-seq="${esc(e.seq)}">
<span class="mark" aria-hidden="true">${failed ? '✗' : (MARK[e.kind] ?? '·')}</span>
<div><p class="meta">${when(e.at)} · <span class="kind">${esc(t(`tl.${e.kind}`, {}, e.kind))}</span> · <strong class="who">${esc(person(e.who))}</strong></p>
<p class="words">${esc(pick(e.text))}</p></div></li>`;
  }).join('') + (more > 0 ? `<li class="muted">${esc(t('olderEntries', { n: more }))}</li>` : '');
}

export function lessonsHtml(inc) {
  const l = inc.lessons ?? {};
  const list = (items) => (items?.length ? `<ul>${items.map((x) => `<li>${esc(pick(x))}</li>`).join('')}</ul>` : `<p class="muted">–</p>`);
  return `<h3>${esc(t('worked'))}</h3>${list(l.worked)}<h3>${esc(t('toChange'))}</h3>${list(l.change)}`;
}

// The report in both languages and formats, by the signed links of the API.
export function reportsHtml(links) {
  if (!links) return '';
  return `<ul class="reports">${['es', 'en'].map((lang) => `<li>${esc(t(`reportIn.${lang}`))}:
<a href="${esc(links[lang]?.html)}" target="_blank" rel="noopener" data-testid="report-html-${lang}">${esc(t('reportHtml'))}</a> ·
<a href="${esc(links[lang]?.md)}" target="_blank" rel="noopener" data-testid="report-md-${lang}">${esc(t('reportMd'))}</a></li>`).join('')}</ul>`;
}
