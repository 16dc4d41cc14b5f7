// The listening page in a real browser (Debian's chromium, driven by playwright-core from
// web/node_modules), against a running `faro serve` that listens (a listen: section).
//
//   FARO_URL=http://127.0.0.1:8080 FARO_TOKEN_ADMIN=... FARO_TOKEN_VIEWER=... \
//   FARO_ARTIFACTS=build/dashboard-artifacts node --test tests/dashboard/listening.test.mjs
//
// The server must be in the state tests/dashboard/run leaves it: the brand rule
// "nutricion-ana" with an open crisis that started with a reply from @juanp to the brand's
// account @nutriana, and the outage-chatter topic "whatsapp-caido" without mentions.
// Screenshots: listening.png (English, 6 h), listening-es.png (Spanish, 1 h),
// listening-mobile.png in FARO_ARTIFACTS. FARO_CHROMIUM overrides /usr/bin/chromium.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { env, needEnv, openBrowser, signIn, polls, nextPoll, shot } from './browser.mjs';

let browser;
let page;
let listening; // the API's answer, to compare the page with

// Every chart of the page drawn: a canvas, or the note that the window has no mentions.
async function chartsDrawn(p) {
  await p.waitForFunction(() => {
    const figures = [...document.querySelectorAll('#rules figure.chart')];
    return figures.length > 0 && figures.every((f) => f.querySelector('canvas') || f.dataset.empty === 'true');
  }, null, { timeout: 15000 });
}

describe('listening page', { timeout: 120000 }, () => {
  before(async () => {
    await needEnv(['FARO_URL', 'FARO_TOKEN_VIEWER', 'FARO_ARTIFACTS']);
    const res = await fetch(`${env.url}/api/v1/listening?minutes=360`, { headers: { Authorization: `Bearer ${env.viewer}` } });
    assert.equal(res.status, 200, 'the server should listen (a listen: section)');
    listening = await res.json();
    assert.ok(listening.crises.some((c) => c.rule === 'nutricion-ana' && c.state === 'suspected'),
      'the server should have an open crisis for nutricion-ana');
    browser = await openBrowser();
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
  });

  test('the dashboard links to the listening page, which shares its token', async () => {
    await page.goto(`${env.url}/dashboard?lang=en`);
    await signIn(page, env.viewer);
    const link = page.getByTestId('to-listening');
    await link.waitFor({ state: 'visible' });
    assert.equal(await link.textContent(), 'Listening');
    await link.click();
    await page.waitForURL(/\/dashboard\/listening\?lang=en/);
    // No second sign-in: the token is the dashboard's, kept in this tab.
    await nextPoll(page, 0);
    assert.ok(await page.getByTestId('token-form').isHidden());
    assert.equal(await page.getByTestId('to-dashboard').getAttribute('href'), '/dashboard?lang=en');
  });

  test('every rule has its charts and totals', async () => {
    await chartsDrawn(page);
    for (const rule of listening.rules) {
      const card = page.getByTestId(`rule-${rule.id}`);
      await card.waitFor();
      assert.match(await card.locator('h3').textContent(), new RegExp(rule.name.replace(/[()/]/g, '.')));
      assert.equal(await card.locator('figure.chart').count(), 2, `${rule.id}: volume and sentiment`);
      const totals = await page.getByTestId(`rule-totals-${rule.id}`).textContent();
      assert.match(totals, new RegExp(`${rule.totals.mentions.toLocaleString('en')} mentions`), `${rule.id}: ${totals}`);
    }
    // The brand had mentions: both its charts are drawn, with the crisis shaded (its key shown).
    const brand = page.getByTestId('rule-nutricion-ana');
    assert.equal(await brand.locator('figure.chart canvas').count(), 2);
    assert.equal(await brand.getAttribute('data-crisis'), 'true');
    assert.ok(await brand.locator('figure.chart .fail-key').first().isVisible());
    assert.match(await page.getByTestId('rule-state-nutricion-ana').textContent(), /possible crisis/);
    // The sentiment chart's legend names the four classes.
    const legend = await brand.locator('figure[data-chart="sentiment"] .u-legend').textContent();
    for (const word of ['negative', 'neutral', 'positive', 'no sentiment']) assert.ok(legend.includes(word), legend);
    // A rule without mentions says so instead of an empty chart.
    const quiet = page.getByTestId('rule-whatsapp-caido');
    assert.equal(await quiet.getAttribute('data-crisis'), 'false');
    assert.match(await quiet.textContent(), /No mentions in this window/);
    // Rules with an open crisis come first.
    const order = await page.locator('#rules article').evaluateAll((cards) => cards.map((c) => c.dataset.crisis));
    assert.deepEqual(order, [...order].sort().reverse(), `crisis rules first: ${order}`);
  });

  test('the crisis card is marked open and says who started it', async () => {
    const open = listening.crises.find((c) => c.rule === 'nutricion-ana' && c.state === 'suspected');
    const card = page.getByTestId(`crisis-${open.crisis}`);
    await card.waitFor();
    assert.equal(await card.getAttribute('data-state'), 'suspected');
    assert.equal(await card.getAttribute('role'), 'alert');
    assert.match(await card.locator('.badge').first().textContent(), /Possible crisis/);
    // The first crisis card on the page is an open one.
    assert.equal(await page.locator('#crises article').first().getAttribute('data-state'), 'suspected');
    // Plain words in English (the page's language), the headline the server wrote.
    assert.match(await page.getByTestId(`crisis-headline-${open.crisis}`).textContent(), /^Possible crisis at “Nutrición Ana”/);
    assert.match(await page.getByTestId(`crisis-text-${open.crisis}`).textContent(), /It started at .* with a reply from @juanp to your account/);
    // The origin: the first post is @juanp's, with its link; the replies went to the brand.
    const first = card.getByTestId('origin-first');
    assert.equal(await first.textContent(), '@juanp');
    assert.equal(await first.locator('a').getAttribute('href'), 'https://x.com/juanp/status/9001');
    assert.match(await card.textContent(), /a reply to your account @nutriana/);
    const earliest = card.getByTestId('origin-earliest');
    assert.match(await earliest.locator('tbody tr').first().textContent(), /@juanp/);
    // The most amplified post is the widely shared one, with its link.
    const amplified = card.getByTestId('origin-amplified');
    assert.match(await amplified.locator('tbody tr').first().textContent(), /@influencer.*98,000.*320/s);
    assert.match(await amplified.locator('tbody tr a').first().getAttribute('href'), /^https:\/\/x\.com\/influencer\/status\//);
    // Figures: the magnitude the API gave, formatted.
    const figures = await card.locator('dl.magnitude').textContent();
    assert.ok(figures.includes(open.magnitude.unique_authors.toLocaleString('en')), figures);
    assert.match(figures, /Negative now\s*\d+%/);
    await shot(page, 'listening.png');
  });

  test('the window can be changed to one hour and 24 hours', async () => {
    const volumePoints = () => page.evaluate(() => {
      const figure = document.querySelector('[data-testid="rule-nutricion-ana"] figure[data-chart="volume"]');
      return figure.querySelector('canvas') ? figure.dataset.points : null;
    });
    await page.getByTestId('window-60').click();
    await page.waitForURL(/minutes=60/);
    await page.waitForFunction(() => document.querySelector('[data-testid="window-60"]').getAttribute('aria-pressed') === 'true');
    await page.waitForFunction(() => document.querySelector('[data-testid="rule-nutricion-ana"] figure[data-chart="volume"]').dataset.points === '60');
    await page.getByTestId('window-1440').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="rule-nutricion-ana"] figure[data-chart="volume"]').dataset.points === '1440');
    assert.equal(await volumePoints(), '1440');
    await page.getByTestId('window-60').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="rule-nutricion-ana"] figure[data-chart="volume"]').dataset.points === '60');
  });

  test('the page switches to Spanish, and the cards come in Spanish from the server', async () => {
    const open = listening.crises.find((c) => c.rule === 'nutricion-ana' && c.state === 'suspected');
    await page.getByTestId('lang-toggle').click();
    await page.waitForURL(/lang=es/);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
    await page.waitForFunction((n) => /^Posible crisis en «Nutrición Ana»/.test(
      document.querySelector(`[data-testid="crisis-headline-${n}"]`)?.textContent ?? ''), open.crisis, { timeout: 15000 });
    assert.match(await page.getByTestId(`crisis-text-${open.crisis}`).textContent(), /Empezó a las .* con una respuesta de @juanp/);
    assert.match(await page.locator('#h-crises').textContent(), /Posibles crisis/);
    assert.match(await page.getByTestId('rule-state-nutricion-ana').textContent(), /posible crisis/);
    assert.match(await page.getByTestId(`crisis-${open.crisis}`).textContent(), /Quién lo empezó/);
    assert.equal(await page.getByTestId('to-dashboard').textContent(), 'Panel');
    assert.equal(await page.getByTestId('to-dashboard').getAttribute('href'), '/dashboard?lang=es');
    await chartsDrawn(page);
    const legend = await page.locator('[data-testid="rule-nutricion-ana"] figure[data-chart="sentiment"] .u-legend').textContent();
    assert.ok(legend.includes('negativa') && legend.includes('sin sentimiento'), legend);
    await shot(page, 'listening-es.png');
  });

  test('on a phone the page fits the screen', async () => {
    const phone = await browser.newPage({ width: 390, height: 844 });
    await phone.goto(`${env.url}/dashboard/listening?lang=en`);
    await signIn(phone, env.viewer);
    await chartsDrawn(phone);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    await shot(phone, 'listening-mobile.png');
    await phone.close();
  });

  test('a wrong token is refused plainly', async () => {
    const other = await browser.newPage();
    await other.goto(`${env.url}/dashboard/listening?lang=en`);
    await signIn(other, 'not-a-token');
    const error = other.locator('#token-error');
    await error.waitFor({ state: 'visible' });
    assert.match(await error.textContent(), /not accepted/);
    await other.close();
  });

  test('no script errors or blocked content', async () => {
    await nextPoll(page, await polls(page));
    assert.deepEqual(browser.pageErrors, []);
  });
});
