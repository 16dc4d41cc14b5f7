// The incident room's parts from an incident as the API gives it: approvals and how each was
// settled, the timeline newest first with people's entries apart and everything escaped, the
// checklist with what blocks closing, and status updates. Runs in node alone (no browser, no
// server), in English (the pages' default language).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  approvalsOf, approvalInfoHtml, timelineHtml, checklistHtml, updatesHtml, rolesOf, rolesHtml, reportsHtml,
} from '../../web/src/incident_room.js';

const at = (minute) => new Date(Date.UTC(2021, 9, 4, 15, minute)).toISOString();
let seq = 0;
const entry = (minute, kind, who, en, details = {}) => ({ seq: ++seq, at: at(minute), kind, who, text: { en, es: en }, details });
const asked = (minute, action, question) => entry(minute, 'approval-asked', 'faro', `Approval asked: ${question}`, {
  action, action_kind: 'ask-approval', message: { en: question, es: question },
  params: { role: 'approver', deadline: at(minute + 15), blocks: 'playbook', if_no_answer: 'stop' },
});

function incident() {
  seq = 0;
  return {
    id: 7, state: 'stable', title: { en: 'WhatsApp is down', es: 'WhatsApp no funciona' },
    timeline: [
      entry(0, 'opened', 'faro', 'Incident #7 opened.'),
      asked(1, 4, 'Publish the notice?'),
      entry(2, 'approved', 'Ana', 'Ana approved.', { approval: 4, reason: 'dale' }),
      asked(3, 9, 'Move the campaign?'),
      entry(18, 'no-answer', 'faro', 'Nobody answered.', { approval: 9 }),
      entry(19, 'approved', 'Leo', 'Leo approved too late.', { approval: 9, late: true }),
      asked(20, 12, 'Pause TikTok too?'),
      entry(21, 'outcome', 'faro', 'Failed: pause ads.', { action: 5, action_kind: 'pause-ads', ok: false }),
      entry(22, 'note', 'Leo', 'worked: <script>alert(1)</script> the notice', {}),
      asked(23, 14, 'Post on X?'),
      entry(24, 'action', 'Ana', 'Status update from Ana → Leo: all calm', {
        action: 15, action_kind: 'status-update', to: ['Leo'], message: { en: 'Status update from Ana: all calm.', es: 'x' },
      }),
    ],
    pending_approvals: [{ action: 14, question: { en: 'Post on X?', es: '¿Publicamos en X?' }, may_answer: ['Ana', 'Leo'],
      escalations: [16], deadline: at(38) }],
    roles: [
      { role: 'approver', title: { en: 'Owner', es: 'Dueña' }, person: 'Ana', from: at(0), until: at(10) },
      { role: 'approver', title: { en: 'Owner', es: 'Dueña' }, person: 'Marta', from: at(10), until: null },
      { role: 'community-manager', title: { en: 'Community manager', es: 'Community manager' }, person: 'Leo', from: at(0), until: null },
    ],
    checklist: [
      { item: 'outbox-drained', state: 'green', text: { en: 'The outbox is empty.', es: 'La cola está vacía.' } },
      { item: 'unanswered', state: 'red', text: { en: 'Diego waits.', es: 'Diego espera.' } },
      { item: 'watching', state: 'pending', text: { en: '', es: '' } },
    ],
    overrides: [],
    may_close: { may_close: false, blocking: ['unanswered', 'watching'] },
    status_updates: { to: ['Leo'], every_s: 1200, running: true, next: at(44) },
  };
}

test('each approval asked has a state: pending, answered, nobody answered, or moot once closed', () => {
  const inc = incident();
  const states = Object.fromEntries(approvalsOf(inc).map((a) => [a.action, a.state]));
  assert.deepEqual(states, { 4: 'approved', 9: 'expired', 12: 'expired', 14: 'pending' });
  assert.deepEqual(approvalsOf(inc).map((a) => a.action), ['14', '12', '9', '4'], 'newest first');
  const approved = approvalsOf(inc).find((a) => a.action === '4');
  assert.equal(approved.by, 'Ana', 'a late answer never counts as the answer');
  assert.equal(approved.reason, 'dale');
  const pending = approvalsOf(inc).find((a) => a.action === '14');
  assert.deepEqual(pending.may_answer, ['Ana', 'Leo']);
  assert.match(approvalInfoHtml(pending, Date.parse(at(30))), /may answer: Ana, Leo/);
  assert.match(approvalInfoHtml(pending, Date.parse(at(30))), /escalation level 1/);
  assert.match(approvalInfoHtml(pending, Date.parse(at(30))), /in 8 min/);
  assert.match(approvalInfoHtml(pending, Date.parse(at(40))), /overdue/);
  // Closing cancels what was still asked.
  inc.timeline.push(entry(40, 'closed', 'Ana', 'Incident #7 closed.', { cancelled_approvals: [12, 14] }));
  inc.pending_approvals = [];
  const after = Object.fromEntries(approvalsOf(inc).map((a) => [a.action, a.state]));
  assert.equal(after[14], 'cancelled');
  assert.equal(after[12], 'cancelled');
  assert.match(approvalInfoHtml(approvalsOf(inc).find((a) => a.action === '4')), /approved<\/strong> by Ana/);
});

test('the timeline is newest first, people stand apart, failures are marked and nothing is markup', () => {
  const html = timelineHtml(incident());
  const kinds = [...html.matchAll(/data-kind="([\w-]+)"/g)].map((m) => m[1]);
  assert.equal(kinds[0], 'action');
  assert.equal(kinds.at(-1), 'opened');
  assert.equal(kinds.length, 11);
  assert.ok(!html.includes('<script>'), 'a note is text, never markup');
  assert.match(html, /&#60;script&#62;alert\(1\)/);
  assert.match(html, /class="tl k-note by-person" data-testid="timeline-entry" data-kind="note"/);
  assert.match(html, /class="tl k-outcome failed"/);
  assert.match(html, /data-action="status-update" data-who="Ana"/);
  const people = timelineHtml(incident(), { people: true });
  assert.deepEqual([...people.matchAll(/data-who="([^"]+)"/g)].map((m) => m[1]), ['Ana', 'Leo', 'Leo', 'Ana']);
  const short = timelineHtml(incident(), { limit: 3 });
  assert.equal([...short.matchAll(/data-testid="timeline-entry"/g)].length, 3);
  assert.match(short, /8 older entries are in the report/);
});

test('the checklist shows each item with its state, overrides and what blocks closing', () => {
  const inc = incident();
  let html = checklistHtml(inc);
  assert.match(html, /data-testid="check-unanswered" data-state="red"/);
  assert.match(html, /data-testid="check-outbox-drained" data-state="green"/);
  assert.match(html, /Diego waits\./);
  assert.match(html, /data-testid="blocking-unanswered"/);
  assert.match(html, /data-testid="blocking-watching"/);
  inc.overrides = [{ item: 'unanswered', by: 'Ana', reason: 'Diego has a turn by phone' }, { item: 'stable', by: 'Ana', reason: 'x' }];
  html = checklistHtml(inc);
  assert.match(html, /closed over it by Ana: “Diego has a turn by phone”/);
  assert.match(html, /Still active \(the platform is not back\)/, 'an override of no checklist item is listed too');
  assert.match(checklistHtml({ ...inc, checklist: [], overrides: [] }), /data-testid="no-checklist"/);
});

test('status updates: what was sent, newest first, and when the next is due', () => {
  const inc = incident();
  const html = updatesHtml(inc, Date.parse(at(30)));
  assert.match(html, /Next automatic update at .* \(in 14 min\) to Leo\./);
  assert.match(html, /data-testid="status-update" data-who="Ana"/);
  assert.match(html, /Status update from Ana: all calm\./, 'the message people got');
  assert.match(updatesHtml({ ...inc, status_updates: { to: ['Leo', 'Ana'] } }), /sends no automatic updates; an update posted here goes to Leo, Ana/);
  assert.match(updatesHtml({ ...inc, state: 'closed' }), /no more updates/);
});

test('roles: who holds each now, and who held it before', () => {
  const inc = incident();
  assert.deepEqual(rolesOf(inc).map((r) => [r.role, r.now.map((h) => h.person), r.before.map((h) => h.person)]),
    [['approver', ['Marta'], ['Ana']], ['community-manager', ['Leo'], []]]);
  const html = rolesHtml(inc);
  assert.match(html, /data-testid="holder-approver-Marta"/);
  assert.match(html, /before: Ana/);
});

test('report links are the signed ones the API gave, escaped', () => {
  const html = reportsHtml({ es: { html: '/r.html?lang=es&sig=a"b', md: '/r.md' }, en: { html: '/e.html', md: '/e.md' } });
  assert.match(html, /href="\/r.html\?lang=es&#38;sig=a&#34;b"/);
  assert.match(html, /data-testid="report-html-en"/);
  assert.equal(reportsHtml(undefined), '');
});
