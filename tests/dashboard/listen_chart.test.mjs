// The listening page's chart data: minutes the API leaves out (no mentions) become zeros, the
// window ends at the newest minute of any rule, and the negative share leaves out mentions
// without a sentiment. Runs in node alone (no browser, no server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minuteColumns, newestMinute, tally, negativeShare } from '../../web/src/listen_chart.js';

const at = (minute) => new Date(Date.UTC(2026, 10, 22, 14, minute)).toISOString();
const secs = (minute) => Date.UTC(2026, 10, 22, 14, minute) / 1000;
const m = (minute, neg, neu, pos, unk) => ({ at: at(minute), mentions: neg + neu + pos + unk, negative: neg, neutral: neu, positive: pos, unknown: unk, reach: 10 });

test('the window ends at the newest minute of any rule', () => {
  const rules = [{ minutes: [m(1, 1, 0, 0, 0), m(7, 0, 1, 0, 0)] }, { minutes: [m(9, 0, 0, 1, 0)] }, { minutes: [] }];
  assert.equal(newestMinute(rules), secs(9));
  assert.equal(newestMinute([{ minutes: [] }]), null);
  assert.equal(newestMinute([]), null);
});

test('minutes without mentions are zeros, and every minute of the window is there', () => {
  const cols = minuteColumns([m(5, 2, 1, 0, 1), m(8, 0, 0, 3, 0)], secs(9), 6);
  assert.deepEqual(cols[0], [4, 5, 6, 7, 8, 9].map(secs));
  assert.deepEqual(cols[1], [0, 4, 0, 0, 3, 0], 'mentions');
  assert.deepEqual(cols[2], [0, 2, 0, 0, 0, 0], 'negative');
  assert.deepEqual(cols[3], [0, 1, 0, 0, 0, 0], 'neutral');
  assert.deepEqual(cols[4], [0, 0, 0, 0, 3, 0], 'positive');
  assert.deepEqual(cols[5], [0, 1, 0, 0, 0, 0], 'unknown');
});

test('minutes before the window are left out; no newest minute, no columns', () => {
  const cols = minuteColumns([m(1, 5, 0, 0, 0), m(9, 1, 0, 0, 0)], secs(9), 3);
  assert.deepEqual(cols[0], [7, 8, 9].map(secs));
  assert.deepEqual(cols[1], [0, 0, 1]);
  assert.deepEqual(minuteColumns([m(1, 1, 0, 0, 0)], null, 60)[0], []);
});

test('totals and the negative share of the mentions with a sentiment', () => {
  const sum = tally([m(1, 3, 1, 0, 6), m(2, 1, 0, 1, 0)]);
  assert.deepEqual(sum, { mentions: 12, negative: 4, neutral: 1, positive: 1, unknown: 6, reach: 20 });
  assert.equal(negativeShare(sum), 4 / 6);
  assert.equal(negativeShare({ negative: 0, neutral: 0, positive: 0, unknown: 9 }), null, 'nothing to judge by');
  assert.equal(negativeShare(undefined), null);
});
