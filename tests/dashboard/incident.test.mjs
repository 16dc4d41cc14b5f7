// The incident room and the crisis log in a real browser (Debian's chromium, driven by
// playwright-core from web/node_modules), against a running `faro serve` with a contingency plan.
//
//   FARO_URL=http://127.0.0.1:8080 FARO_TOKEN_ADMIN=... FARO_TOKEN_VIEWER=... \
//   FARO_ARTIFACTS=build/dashboard-artifacts node --test tests/dashboard/incident.test.mjs
//
// The server must be in the state tests/dashboard/run leaves it: an active incident about
// WhatsApp waiting for the approval of Ana (the plan's approver; the admin token is named
// "admin", so it answers "as" Ana), the next step a holding statement. The test answers that
// approval, adds a note and a status update, runs the restoration check and closes the incident
// over what is not green; then finds it in the crisis log by a word of the note, without its
// accent, and opens its report. Screenshots: incident-list.png, incident-room.png,
// incident-room-es.png, incident-approved.png, incident-closed.png, crisis-log.png, crisis-log-report.png in
// FARO_ARTIFACTS. FARO_CHROMIUM overrides /usr/bin/chromium.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { env, needEnv, openBrowser, signIn, polls, nextPoll, shot } from './browser.mjs';

const NOTE = 'La atención por Telegram funcionó: respondimos en minutos';
const UPDATE = 'Telegram anda bien; ya contestamos a todos los que escribieron';

let browser;
let page;
let incidentId;
let askId;

async function apiGet(apiPath, token = env.viewer) {
  const res = await fetch(`${env.url}${apiPath}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, `GET ${apiPath} answered ${res.status}`);
  return res.json();
}
const incidentNow = () => apiGet(`/api/v1/incidents/${incidentId}`);

describe('incident room and crisis log', { timeout: 180000 }, () => {
  before(async () => {
    await needEnv(['FARO_URL', 'FARO_TOKEN_ADMIN', 'FARO_TOKEN_VIEWER', 'FARO_ARTIFACTS']);
    const { incidents } = await apiGet('/api/v1/incidents?state=active');
    const waiting = incidents.find((i) => i.subject === 'whatsapp' && i.approvals_pending === 1);
    assert.ok(waiting, 'the server should have an active WhatsApp incident waiting for an approval');
    incidentId = waiting.id;
    const incident = await incidentNow();
    askId = incident.pending_approvals[0].action;
    assert.deepEqual(incident.pending_approvals[0].may_answer, ['Ana']);
    browser = await openBrowser();
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
  });

  test('the board links to the incidents, which list the open one first', async () => {
    await page.goto(`${env.url}/dashboard?lang=en`);
    await signIn(page, env.viewer);
    const link = page.getByTestId('to-incidents');
    await link.waitFor({ state: 'visible' });
    assert.match(await page.getByTestId('incidents-open').textContent(), /1 active/);
    await link.click();
    await page.waitForURL(/\/dashboard\/incidents\?lang=en$/);
    const row = page.getByTestId(`incident-${incidentId}`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'active');
    assert.match(await row.textContent(), /WhatsApp is down/);
    assert.match(await page.getByTestId(`pending-${incidentId}`).textContent(), /1 waiting/);
    await shot(page, 'incident-list.png');
    await page.getByTestId(`open-${incidentId}`).click();
    await page.waitForURL(new RegExp(`/dashboard/incidents/${incidentId}\\?lang=en$`));
  });

  test('the room shows the state, roles, the waiting approval and the timeline', async () => {
    const approval = page.getByTestId(`approval-${askId}`);
    await approval.waitFor();
    assert.equal(await approval.getAttribute('data-state'), 'pending');
    assert.match(await approval.textContent(), /Shall we publish the notice on Telegram\?/);
    assert.match(await approval.textContent(), /may answer: Ana/);
    assert.match(await page.getByTestId('room-head').textContent(), /WhatsApp is down/);
    assert.equal(await page.getByTestId('incident-state').first().textContent(), 'active');
    assert.match(await page.getByTestId('role-approver').textContent(), /Ana/);
    assert.match(await page.getByTestId('role-community-manager').textContent(), /Leo/);
    await page.locator('[data-testid="timeline-entry"][data-kind="opened"]').waitFor();
    await page.locator('[data-testid="timeline-entry"][data-kind="approval-asked"]').waitFor();
    // Newest first: the approval was asked after the incident opened.
    const kinds = await page.locator('[data-testid="timeline-entry"]').evaluateAll((els) => els.map((e) => e.dataset.kind));
    assert.ok(kinds.indexOf('approval-asked') < kinds.indexOf('opened'), kinds.join(' '));
    assert.equal(await page.locator('[data-testid="timeline-entry"][data-kind="action"][data-action="holding-statement"]').count(), 0);
    assert.match(await page.getByTestId('next-update').textContent(), /once the playbook gets there/);
    await shot(page, 'incident-room.png');
  });

  test('the room speaks Spanish too, and keeps the choice in the address', async () => {
    await page.getByTestId('lang-toggle').click();
    await page.waitForFunction((id) => document.querySelector(`[data-testid="approve-${id}"]`)?.textContent === 'Aprobar', askId);
    assert.equal(await page.getByTestId(`deny-${askId}`).textContent(), 'Rechazar');
    assert.equal(await page.getByTestId('check-now').textContent(), 'Comprobar ahora');
    assert.match(await page.getByTestId(`approval-${askId}`).textContent(), /¿Publicamos el aviso en Telegram\?/);
    assert.match(await page.getByTestId('room-head').textContent(), /WhatsApp no funciona/);
    assert.match(page.url(), /lang=es/);
    await shot(page, 'incident-room-es.png');
    await page.getByTestId('lang-toggle').click();
    await page.waitForFunction((id) => document.querySelector(`[data-testid="approve-${id}"]`)?.textContent === 'Approve', askId);
  });

  test('a viewer token cannot approve: 403 said plainly, the approval stays pending', async () => {
    await page.getByTestId(`approve-${askId}`).click();
    const error = page.getByTestId(`approval-error-${askId}`);
    await page.waitForFunction((id) => document.querySelector(`[data-testid="approval-error-${id}"]`).textContent.length > 0, askId);
    assert.match(await error.textContent(), /your token cannot do that/i);
    await nextPoll(page, await polls(page));
    assert.equal(await page.getByTestId(`approval-${askId}`).getAttribute('data-state'), 'pending');
    assert.equal((await incidentNow()).pending_approvals.length, 1);
  });

  test('an admin answering as himself is refused; answering as Ana approves, and the playbook goes on', async () => {
    await page.getByTestId('token-change').click();
    await signIn(page, env.admin);
    await page.getByTestId(`approve-${askId}`).waitFor();
    await page.getByTestId(`approve-${askId}`).click();
    await page.waitForFunction((id) => /may not answer/.test(document.querySelector(`[data-testid="approval-error-${id}"]`).textContent), askId);
    assert.equal((await incidentNow()).pending_approvals.length, 1, 'admin is not the approver');
    await page.getByTestId(`answer-as-${askId}`).selectOption('Ana');
    await page.getByTestId(`approve-${askId}`).click();
    await page.waitForSelector(`[data-testid="approval-${askId}"][data-state="approved"]`);
    assert.equal(await page.getByTestId(`approve-${askId}`).isVisible(), false, 'no buttons on an answered approval');
    assert.match(await page.getByTestId(`approval-${askId}`).textContent(), /approved\s+by Ana/);
    // The timeline gains the approval, by whom, and the next step: the holding statement.
    await page.waitForSelector('[data-testid="timeline-entry"][data-kind="approved"][data-who="Ana"]');
    await page.waitForSelector('[data-testid="timeline-entry"][data-kind="action"][data-action="holding-statement"]');
    const incident = await incidentNow();
    assert.equal(incident.pending_approvals.length, 0);
    const approved = incident.timeline.find((e) => e.kind === 'approved');
    assert.equal(approved.who, 'Ana');
    assert.match(approved.details.reason, /via admin/);
    assert.ok(incident.timeline.some((e) => e.details?.action_kind === 'holding-statement'));
    await page.waitForFunction(() => /Next automatic update at/.test(document.querySelector('[data-testid="next-update"]').textContent));
    await shot(page, 'incident-approved.png');
  });

  test('what someone is typing survives the readings; a note shows on the timeline', async () => {
    await page.getByTestId('note-text').fill(NOTE.slice(0, 20));
    await nextPoll(page, await polls(page));
    await nextPoll(page, await polls(page));
    assert.equal(await page.getByTestId('note-text').inputValue(), NOTE.slice(0, 20));
    await page.getByTestId('note-text').fill(NOTE);
    await page.getByTestId('note-add').click();
    const note = page.locator('[data-testid="timeline-entry"][data-kind="note"][data-who="admin"]');
    await note.waitFor();
    assert.match(await note.textContent(), /respondimos en minutos/);
    assert.equal(await page.getByTestId('note-text').inputValue(), '', 'the box is emptied once the note is in');
    assert.match(await note.getAttribute('class'), /by-person/, 'notes by people stand apart');
  });

  test('a status update posted shows, with who sent it and to whom', async () => {
    await page.getByTestId('update-text').fill(UPDATE);
    await page.getByTestId('update-post').click();
    const update = page.locator('[data-testid="status-update"][data-who="admin"]');
    await update.waitFor();
    assert.match(await update.textContent(), /ya contestamos a todos/);
    assert.match(await update.textContent(), /→ Ana/);
    const incident = await incidentNow();
    const entry = incident.timeline.find((e) => e.details?.action_kind === 'status-update' && e.who === 'admin');
    assert.ok(entry, 'the update is on the timeline by admin');
    assert.deepEqual(entry.details.to, ['Ana']);
  });

  test('the restoration check runs on demand and its checklist renders', async () => {
    assert.equal(await page.getByTestId('no-checklist').count(), 1);
    await page.getByTestId('check-now').click();
    for (const item of ['scheduled-posts', 'outbox-drained', 'unanswered', 'campaigns-resumed', 'ad-figures', 'watching']) {
      const row = page.getByTestId(`check-${item}`);
      await row.waitFor();
      assert.match(await row.getAttribute('data-state'), /^(green|red|pending)$/, item);
    }
    const checklist = (await incidentNow()).checklist;
    assert.equal(checklist.length, 6);
    for (const c of checklist) assert.equal(await page.getByTestId(`check-${c.item}`).getAttribute('data-state'), c.state);
  });

  test('closing while not green is refused with what blocks it, and closes over it with a reason', async () => {
    await page.getByTestId('close').click();
    const form = page.getByTestId('close-form');
    await form.waitFor({ state: 'visible' });
    // Still active (WhatsApp is down): "stable" blocks it, and every item not green.
    await page.getByTestId('close-blocking').getByTestId('blocking-stable').waitFor();
    const blocking = await page.getByTestId('close-blocking').locator('[data-testid^="blocking-"]')
      .evaluateAll((els) => els.map((e) => e.dataset.testid.replace('blocking-', '')));
    const expected = ['stable', ...(await incidentNow()).checklist.filter((c) => c.state !== 'green').map((c) => c.item)];
    assert.deepEqual(blocking.sort(), expected.sort());
    assert.equal((await incidentNow()).state, 'active', 'a 409 closes nothing');
    await page.getByTestId('close-reason').fill('Prueba del panel: WhatsApp sigue caído, lo seguimos a mano');
    await page.getByTestId('close-override').click();
    await page.waitForSelector('#room[data-state="closed"]');
    const incident = await incidentNow();
    assert.equal(incident.state, 'closed');
    assert.ok(incident.overrides.some((o) => o.item === 'stable' && o.by === 'admin'));
    assert.equal(await page.getByTestId('close').isVisible(), false);
    await shot(page, 'incident-closed.png');
  });

  test('the crisis log finds the closed incident by a word of its note, without its accent, and opens its report', async () => {
    await page.goto(`${env.url}/dashboard/crisis-log?lang=en`);
    const searched = (q) => page.waitForFunction((words) => document.querySelector('[data-testid="log-summary"]')
      .textContent.includes(`“${words}”`), q);
    await page.getByTestId('log-q').fill('ATENCION');
    await page.getByTestId('log-go').click();
    await searched('ATENCION');
    const entry = page.locator(`[data-testid="log-entry"][data-id="${incidentId}"]`);
    await entry.waitFor();
    assert.match(await page.getByTestId('log-summary').textContent(), /Incidents with “ATENCION”: 1\./);
    assert.equal(await entry.locator('mark').first().textContent(), 'atención');
    assert.match(await entry.textContent(), /WhatsApp is down/);
    assert.match(new URL(page.url()).search, /q=ATENCION/, 'the search is kept in the address');
    // A word it does not have finds nothing; the filters narrow.
    await page.getByTestId('log-q').fill('granizo');
    await page.getByTestId('log-go').click();
    await searched('granizo');
    await page.getByTestId('log-empty').waitFor();
    await page.getByTestId('log-q').fill('atencion telegram');
    await page.getByTestId('log-go').click();
    await searched('atencion telegram');
    await entry.waitFor();
    await page.getByTestId('log-drills').selectOption('only');
    await page.getByTestId('log-empty').waitFor();
    await page.getByTestId('log-drills').selectOption('none');
    await entry.waitFor();
    await shot(page, 'crisis-log.png');
    // The report opens in a tab of its own, without the token: by its signed link.
    const [report] = await Promise.all([browser.context.waitForEvent('page'), entry.getByTestId('log-report').click()]);
    await report.waitForLoadState();
    assert.match(await report.title(), /WhatsApp is down/);
    assert.match(await report.textContent('body'), /respondimos en minutos/);
    await shot(report, 'crisis-log-report.png', false);
    await report.close();
  });

  test('no script errors or blocked content', () => {
    assert.deepEqual(browser.pageErrors, []);
  });
});
