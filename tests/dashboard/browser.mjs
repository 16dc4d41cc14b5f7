// What the browser tests of tests/dashboard share: the server and tokens from the environment
// (FARO_URL, FARO_TOKEN_ADMIN, FARO_TOKEN_VIEWER, FARO_ARTIFACTS; FARO_CHROMIUM overrides
// /usr/bin/chromium), Debian's chromium driven by playwright-core from web/node_modules in a
// throw-away profile, pages that record their script errors and Content Security Policy
// refusals, signing in, waiting for the next reading and screenshots. Not a test file itself
// (tests/dashboard/run runs the *.test.mjs files).
import { createRequire } from 'node:module';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const env = {
  url: (process.env.FARO_URL ?? '').replace(/\/+$/, ''),
  admin: process.env.FARO_TOKEN_ADMIN ?? '',
  viewer: process.env.FARO_TOKEN_VIEWER ?? '',
  artifacts: process.env.FARO_ARTIFACTS ?? '',
  chromium: process.env.FARO_CHROMIUM || '/usr/bin/chromium',
};
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

// Fails with the names of the variables of `names` that are not set; then makes the folder for
// screenshots.
export async function needEnv(names) {
  const missing = names.filter((k) => !process.env[k]);
  if (missing.length) throw new Error(`set ${missing.join(', ')} (a running faro serve and where to put screenshots)`);
  await mkdir(env.artifacts, { recursive: true });
}

// Starts chromium (1280×900) with a new profile. `newPage(viewport)` opens a tab that adds each
// uncaught script error and each Content Security Policy refusal to `pageErrors`; `close()`
// ends chromium and removes the profile.
export async function openBrowser() {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'faro-chromium-'));
  const pageErrors = [];
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: env.chromium, headless: true, args: ARGS, viewport: { width: 1280, height: 900 },
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  async function newPage(viewport) {
    const p = await context.newPage();
    if (viewport) await p.setViewportSize(viewport);
    p.on('pageerror', (e) => pageErrors.push(`${p.url()}: ${e.message}`));
    p.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) pageErrors.push(`${p.url()}: ${m.text()}`);
    });
    return p;
  }
  async function close() {
    try {
      await context.close();
    } finally {
      await rm(profile, { recursive: true, force: true });
    }
  }
  return { context, newPage, pageErrors, close };
}

// Enters `token` in the pages' token form (shown on first visit and after "Change token").
export async function signIn(p, token) {
  await p.getByTestId('token-input').fill(token);
  await p.getByTestId('token-save').click();
}

// How many readings the page has finished (data-polls of "Updated …"), and waiting until it has
// finished at least one more than `after`.
export const polls = (p) => p.getByTestId('updated').getAttribute('data-polls').then(Number);
export async function nextPoll(p, after) {
  await p.waitForFunction((n) => Number(document.querySelector('[data-testid="updated"]').dataset.polls) > n,
    after, { timeout: 15000 });
}

// A screenshot of the whole page (or only what the window shows) as `name` in FARO_ARTIFACTS.
export const shot = (p, name, fullPage = true) => p.screenshot({ path: path.join(env.artifacts, name), fullPage });
