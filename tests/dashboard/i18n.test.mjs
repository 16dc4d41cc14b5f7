// Both languages stay complete: every text the pages ask for exists in English and Spanish,
// with the same placeholders. Runs in node alone (no browser, no server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { DICTS, t, duration } from '../../web/src/i18n.js';

const SRC = new URL('../../web/src/', import.meta.url);
const sources = readdirSync(SRC).map((name) => [name, readFileSync(new URL(name, SRC), 'utf8')]);
const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('English and Spanish have the same keys and placeholders, none empty', () => {
  assert.deepEqual(Object.keys(DICTS.es).sort(), Object.keys(DICTS.en).sort());
  for (const [key, en] of Object.entries(DICTS.en)) {
    assert.ok(en.trim() && DICTS.es[key].trim(), `empty text for ${key}`);
    assert.deepEqual(placeholders(DICTS.es[key]), placeholders(en), `placeholders of ${key}`);
  }
});

// A key written twice in one language silently keeps the last text: the first is lost.
test('no key is written twice in a language', () => {
  const source = readFileSync(new URL('i18n.js', SRC), 'utf8');
  for (const name of ['EN', 'ES']) {
    const body = source.slice(source.indexOf(`const ${name} = {`), source.indexOf('\n};', source.indexOf(`const ${name} = {`)));
    const tokens = body.replace(/^\s*\/\/.*$/gm, '').match(/'(?:[^'\\]|\\.)*'|[\w.-]+|[:,{]/g);
    const keys = [];
    for (let i = 1; i + 1 < tokens.length; i += 1) {
      if ((tokens[i - 1] === '{' || tokens[i - 1] === ',') && tokens[i + 1] === ':') keys.push(tokens[i].replace(/^'|'$/g, ''));
    }
    assert.ok(keys.length > 300, `${name}: found only ${keys.length} keys: the scan is broken`);
    const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
    assert.deepEqual(twice, [], `${name} has keys written twice`);
  }
});

test('every key the pages use literally exists', () => {
  const used = new Set();
  for (const [name, text] of sources) {
    if (name === 'i18n.js') continue; // its comments show the syntax with a placeholder key
    for (const m of text.matchAll(/\bt\('([\w.-]+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/data-i18n="([\w.-]+)"/g)) used.add(m[1]);
  }
  assert.ok(used.size > 40, `found only ${used.size} keys: the scan is broken`);
  for (const key of used) assert.ok(key in DICTS.en, `missing text: ${key}`);
});

test('every value of the API contract has words in both languages', () => {
  const values = {
    health: ['up', 'degraded', 'partial', 'down', 'local', 'unknown'],
    scope: ['global', 'regional', 'unconfirmed'],
    feed: ['ok', 'minor', 'major', 'null'],
    alert: ['open', 'acknowledged', 'resolved'],
    failover: ['active', 'undone'],
    link: ['up', 'down'],
    // The listening API and its crisis cards (docs/listening.md, "Crisis cards").
    ruleKind: ['brand', 'topic'],
    sentiment: ['negative', 'neutral', 'positive', 'unknown'],
    crisisState: ['suspected', 'over'],
    crisisKind: ['volume-spike', 'negative-wave', 'both'],
    pattern: ['one-author', 'one-post', 'many-authors'],
    kind: ['crisis-suspected', 'crisis-updated', 'crisis-over'],
    // Incidents and the crisis log (docs/plans.md, docs/api.md "Incidents" and "The crisis log").
    incState: ['active', 'stable', 'closed'],
    incKind: ['outage', 'crisis'],
    approval: ['pending', 'approved', 'denied', 'expired', 'cancelled'],
    ifNoAnswer: ['stop', 'continue', 'skip'],
    checkState: ['green', 'red', 'pending'],
    check: ['scheduled-posts', 'outbox-drained', 'unanswered', 'campaigns-resumed', 'ad-figures', 'watching', 'stable',
      'restoration-check'],
    tl: ['event', 'opened', 'state', 'action', 'outcome', 'approval-asked', 'approved', 'denied', 'escalated', 'no-answer',
      'role', 'note', 'check', 'override', 'closed'],
    change: ['take', 'join', 'hand-over'],
    drills: ['all', 'none', 'only'],
    reportIn: ['es', 'en'],
    where: ['title', 'timeline', 'lessons', 'override', 'business', 'subject'],
  };
  for (const [prefix, list] of Object.entries(values)) {
    for (const v of list) {
      assert.ok(DICTS.en[`${prefix}.${v}`] && DICTS.es[`${prefix}.${v}`], `${prefix}.${v}`);
    }
  }
});

test('t fills placeholders and falls back for unknown keys', () => {
  assert.equal(t('failedOf', { f: 2, n: 6 }), '2/6 fail');
  assert.equal(t('kind.platform-exploded', {}, 'platform-exploded'), 'platform-exploded');
  assert.equal(t('no-such-key'), 'no-such-key');
});

test('durations are short and exact', () => {
  assert.equal(duration(0), '0 s');
  assert.equal(duration(59_400), '59 s');
  assert.equal(duration(60_000), '1 min');
  assert.equal(duration(47 * 60_000), '47 min');
  assert.equal(duration(3 * 3600_000), '3 h');
  assert.equal(duration(3 * 3600_000 + 5 * 60_000), '3 h 5 min');
  assert.equal(duration(50 * 3600_000), '2 d 2 h');
  assert.equal(duration(-5000), '0 s');
});
