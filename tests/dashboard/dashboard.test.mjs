// The dashboard and the status page in a real browser (Debian's chromium, driven by
// playwright-core from web/node_modules), against a running `faro serve`.
//
//   FARO_URL=http://127.0.0.1:8080 FARO_TOKEN_ADMIN=... FARO_TOKEN_VIEWER=... \
//   FARO_ARTIFACTS=/tmp/shots node --test tests/dashboard/
//
// The server must be in this state: platform "whatsapp" down with an open alert, and the
// customer channel "telegram" working. The test acknowledges that alert (with the admin token),
// and posts one crowd report for whatsapp. Screenshots: board.png, alert-acked.png, status.png
// in FARO_ARTIFACTS. FARO_CHROMIUM overrides /usr/bin/chromium.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { env, needEnv, openBrowser, signIn, polls, nextPoll, shot } from './browser.mjs';

let browser;
let alertId;

async function apiGet(apiPath, token) {
  const res = await fetch(`${env.url}${apiPath}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, `GET ${apiPath} answered ${res.status}`);
  return res.json();
}

async function alertState(id) {
  const { alerts } = await apiGet('/api/v1/alerts?state=all', env.viewer);
  return alerts.find((a) => String(a.id) === String(id))?.state;
}

describe('dashboard and status page', { timeout: 120000 }, () => {
  let board;

  before(async () => {
    await needEnv(['FARO_URL', 'FARO_TOKEN_ADMIN', 'FARO_TOKEN_VIEWER', 'FARO_ARTIFACTS']);
    const { alerts } = await apiGet('/api/v1/alerts?state=open', env.viewer);
    alertId = alerts.find((a) => a.subject === 'whatsapp')?.id;
    assert.ok(alertId !== undefined, 'the server should have an open alert for whatsapp');
    browser = await openBrowser();
    board = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
  });

  test('the board shows whatsapp down', async () => {
    await board.goto(`${env.url}/dashboard?lang=en`);
    await signIn(board, env.viewer);
    await board.waitForSelector('[data-testid="platform-whatsapp"][data-health="down"]');
    // Charts are drawn once their series arrives: a canvas, or a note saying why there is none.
    await board.waitForFunction(() => [...document.querySelectorAll('figure.chart')].every(
      (f) => f.querySelector('canvas') || f.querySelector('p')?.textContent));
    await shot(board, 'board.png');
  });

  test('the board filters by health and pages through the platforms', async () => {
    await board.getByTestId('filter-down').click();
    await board.waitForFunction(() => document.querySelectorAll('#platforms article').length === 1);
    assert.equal(await board.locator('#platforms article').getAttribute('data-id'), 'whatsapp');
    assert.equal(await board.getByTestId('filter-down').getAttribute('aria-pressed'), 'true');
    await board.getByTestId('filter-all').click();
    await board.waitForFunction(() => document.querySelectorAll('#platforms article').length === 2);
    // One platform per page: problems first, then the pager moves on.
    const paged = await browser.newPage();
    await paged.goto(`${env.url}/dashboard?lang=en&per_page=1`);
    await signIn(paged, env.viewer);
    await paged.waitForSelector('[data-testid="page-range"]');
    assert.equal(await paged.getByTestId('page-range').textContent(), '1–1 of 2');
    assert.equal(await paged.locator('#platforms article').getAttribute('data-id'), 'whatsapp');
    assert.ok(await paged.getByTestId('page-prev').isDisabled());
    await paged.getByTestId('page-next').click();
    await paged.waitForSelector('#platforms article[data-id="telegram"]');
    assert.equal(await paged.getByTestId('page-range').textContent(), '2–2 of 2');
    assert.ok(await paged.getByTestId('page-next').isDisabled());
    await paged.close();
  });

  test('the board API answers 304 to a client that already has it', async () => {
    const ask = (headers = {}) => fetch(`${env.url}/api/v1/watch?limit=10`, { headers: { Authorization: `Bearer ${env.viewer}`, ...headers } });
    const first = await ask();
    assert.equal(first.status, 200);
    const tag = first.headers.get('etag');
    // fetch, like a browser, accepts gzip: the board comes compressed, under its own tag.
    assert.match(tag ?? '', /^"[0-9a-f]{16}-gzip"$/);
    assert.equal(first.headers.get('content-encoding'), 'gzip');
    const board = await first.json();
    assert.ok(board.platforms.length > 0);
    const plain = await ask({ 'Accept-Encoding': 'identity' });
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.match(plain.headers.get('etag') ?? '', /^"[0-9a-f]{16}"$/);
    assert.deepEqual((await plain.json()).platforms.map((p) => p.id), board.platforms.map((p) => p.id));
    // Asked again at once, the board is the same rendering: 304 with no body. (It changes with
    // every round, each second here, so a few tries allow for a round landing in between.)
    let notModified = 0;
    for (let i = 0; i < 5 && !notModified; i += 1) {
      const tagNow = (await ask()).headers.get('etag');
      const again = await ask({ 'If-None-Match': tagNow });
      if (again.status === 304) { notModified += 1; assert.equal(await again.text(), ''); }
      else assert.notEqual(again.headers.get('etag'), tagNow, 'a 200 must carry a new tag');
    }
    assert.equal(notModified, 1, 'an unchanged board answers 304');
    assert.equal((await ask({ 'If-None-Match': '"0000000000000000"' })).status, 200);
    assert.equal((await fetch(`${env.url}/api/v1/watch`)).status, 401, 'no token, no board');
  });

  test('a viewer token cannot acknowledge: 403 said plainly, the alert stays open', async () => {
    const row = board.getByTestId(`alert-${alertId}`);
    assert.equal(await row.getAttribute('data-state'), 'open');
    await board.getByTestId(`ack-${alertId}`).click();
    const error = board.getByTestId(`ack-error-${alertId}`);
    await error.waitFor();
    assert.match(await error.textContent(), /your token cannot do that/i);
    await nextPoll(board, await polls(board));
    assert.equal(await row.getAttribute('data-state'), 'open');
    assert.equal(await alertState(alertId), 'open');
  });

  test('an admin token acknowledges the alert', async () => {
    await board.getByTestId('token-change').click();
    await signIn(board, env.admin);
    await board.getByTestId(`ack-${alertId}`).click();
    await board.waitForSelector(`[data-testid="alert-${alertId}"][data-state="acknowledged"]`);
    assert.equal(await board.getByTestId(`ack-${alertId}`).count(), 0, 'no button on an acknowledged alert');
    assert.equal(await alertState(alertId), 'acknowledged');
    await shot(board, 'alert-acked.png');
  });

  test('the status page shows telegram working and whatsapp not working', async () => {
    const status = await browser.newPage({ width: 390, height: 844 });
    await status.goto(`${env.url}/status?lang=en`);
    await status.waitForSelector('[data-testid="channel-telegram"][data-working="true"]');
    await status.waitForSelector('[data-testid="channel-whatsapp"][data-working="false"]');
    assert.equal(await status.evaluate(() => document.documentElement.lang), 'en');
    await status.close();
  });

  test('a crowd report posts and is thanked', async () => {
    const status = await browser.newPage({ width: 390, height: 844 });
    await status.goto(`${env.url}/status?lang=en`);
    await status.waitForSelector('[data-testid="channel-whatsapp"]');
    await status.getByTestId('crowd-platform').selectOption('whatsapp');
    await status.getByTestId('crowd-send').click();
    const answer = status.locator('[data-testid="crowd-answer"][data-result]');
    await answer.waitFor();
    // A second run against the same server is told "duplicate", which is thanked too.
    assert.match(await answer.getAttribute('data-result'), /^(accepted|duplicate)$/);
    assert.match(await answer.textContent(), /thank you/i);
    await shot(status, 'status.png');
    await status.close();
  });

  test('no script errors or blocked content on either page', () => {
    assert.deepEqual(browser.pageErrors, []);
  });
});
