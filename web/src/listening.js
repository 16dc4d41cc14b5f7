// The listening page: per brand and topic of the rules file, mentions per minute and their
// sentiment, the totals with the negative share, and the crisis cards (open first) with who
// started them. Reads GET /api/v1/listening every 5 s with the dashboard's token (the same
// sessionStorage key), in the page's language (Accept-Language: the cards' text). Contract:
// docs/dashboard.md ("The listening page") and docs/api.md ("Listening").
// Each part is redrawn only when its data changed, so reading a card is never interrupted.
import { currentLang, t, esc, ago, timeHtml, localTime } from './i18n.js';
import { MinuteChart, minuteColumns, newestMinute, tally, negativeShare } from './listen_chart.js';
import { makeDraw } from './api.js';
import { runPage, keepLang } from './page.js';

const POLL_MS = 5000;
const WINDOWS = [60, 360, 1440];
const POSTS = 3; // posts listed per table on a card (the API gives up to 5)

const $ = (id) => document.getElementById(id);
let minutes = WINDOWS.includes(Number(new URLSearchParams(location.search).get('minutes')))
  ? Number(new URLSearchParams(location.search).get('minutes')) : 360;
let answer = null;             // {body} or {error}
const drawn = new Map();       // element -> the html it shows now
const rulesDrawn = new Map();  // rule id -> {card, volume, sentiment, key}
const opened = new Set();      // crisis numbers of cards over that the reader unfolded

const draw = makeDraw(drawn);

// --- numbers ---------------------------------------------------------------------------------

const num = (n, digits = 0) => (typeof n === 'number' && Number.isFinite(n)
  ? n.toLocaleString(currentLang(), { maximumFractionDigits: digits }) : '–');
const pct = (share) => (typeof share === 'number' && Number.isFinite(share)
  ? share.toLocaleString(currentLang(), { style: 'percent', maximumFractionDigits: 0 }) : '–');
const signed = (n) => (typeof n === 'number' && n > 0.05 ? `+${num(n, 1)}` : num(n, 1));
const handle = (author, id) => (author ? `@${author.replace(/^@/, '')}` : id ? `(${id})` : '?');
const safeUrl = (u) => (/^https?:\/\//i.test(u ?? '') ? u : '');

// --- reading -----------------------------------------------------------------------------------

// One reading of the window shown, in the page's language. An answer to a window or a language
// the reader has left meanwhile is dropped (false: not counted, read again); a refused token
// still signs out. An unreachable server keeps the last answer on the page.
async function read(api) {
  const asked = { minutes, lang: currentLang() };
  const stale = () => minutes !== asked.minutes || currentLang() !== asked.lang;
  let body;
  try {
    body = await api(`/api/v1/listening?minutes=${minutes}`);
  } catch (error) {
    if (error.status !== 401 && stale()) return false;
    if (error.status !== 0 && error.status !== 401) answer = { error };
    throw error;
  }
  if (stale()) return false;
  answer = { body };
  return true;
}

function render() {
  for (const b of $('window').querySelectorAll('button')) b.setAttribute('aria-pressed', String(Number(b.dataset.minutes) === minutes));
  if (!answer) return;
  if (answer.error) {
    const text = answer.error.status === 404 ? t('notListening') : t('notAvailable', { e: `${answer.error.status || ''} ${answer.error.message}`.trim() });
    draw($('crises'), `<p class="muted" data-testid="listening-unavailable">${esc(text)}</p>`);
    draw($('overview'), '');
    return;
  }
  const body = answer.body ?? {};
  const crises = body.crises ?? [];
  // The newest minute read tells whether the collectors are still sending.
  const newest = newestMinute(body.rules);
  draw($('overview'), esc(t('overview', { n: num(body.mentions ?? 0) })) +
    (newest === null ? '' : ` · ${esc(t('newestMinute'))} ${timeHtml(new Date(newest * 1000).toISOString(), ago(new Date(newest * 1000).toISOString()))}`));
  draw($('crises'), crisesHtml(crises));
  renderRules(body.rules ?? [], crises);
}

// --- brands and topics -------------------------------------------------------------------------

// The minutes of each crisis of `rule`, to shade on its charts: from its start to its end (or
// to the end of the window while it is open).
function spansOf(ruleId, crises, end) {
  return crises.filter((c) => c.rule === ruleId).map((c) => {
    const from = Date.parse(c.started) / 1000;
    const to = c.ended ? Date.parse(c.ended) / 1000 : end + 60;
    return [from, to];
  }).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
}

function renderRules(rules, crises) {
  const holder = $('rules');
  if (!rules.length) {
    for (const r of rulesDrawn.values()) { r.volume.destroy(); r.sentiment.destroy(); }
    rulesDrawn.clear();
    draw(holder, `<p class="muted">${esc(t('noRules'))}</p>`);
    return;
  }
  if (holder.querySelector(':scope > p.muted')) { holder.textContent = ''; drawn.delete(holder); }
  const newest = newestMinute(rules);
  const openRules = new Set(crises.filter((c) => c.state === 'suspected').map((c) => c.rule));
  // Rules with an open crisis first, then in the rules file's order.
  const ordered = [...rules].sort((a, b) => Number(openRules.has(b.id)) - Number(openRules.has(a.id)));
  const keep = new Set();
  for (const r of ordered) {
    keep.add(r.id);
    let shown = rulesDrawn.get(r.id);
    if (!shown) {
      const card = document.createElement('article');
      card.dataset.id = r.id;
      card.dataset.testid = `rule-${r.id}`;
      card.innerHTML = '<div class="card-body"></div><figure class="chart" data-chart="volume"></figure><figure class="chart" data-chart="sentiment"></figure>';
      shown = { card, key: '' };
      shown.volume = new MinuteChart(card.querySelector('[data-chart="volume"]'), 'volume');
      shown.sentiment = new MinuteChart(card.querySelector('[data-chart="sentiment"]'), 'sentiment');
      rulesDrawn.set(r.id, shown);
    }
    const { card } = shown;
    holder.appendChild(card);
    const crisis = openRules.has(r.id);
    card.className = `card ${crisis ? 'h-down' : 'h-up'}`;
    card.dataset.crisis = String(crisis);
    const inWindow = tally(r.minutes);
    draw(card.querySelector('.card-body'), ruleHtml(r, inWindow, crisis));
    const spans = spansOf(r.id, crises, newest ?? 0);
    const key = JSON.stringify([minutes, newest, r.minutes, spans]);
    if (key !== shown.key) {
      shown.key = key;
      const cols = minuteColumns(r.minutes, newest, minutes);
      const empty = inWindow.mentions === 0;
      shown.volume.show(cols, spans, empty);
      shown.sentiment.show(cols, spans, empty);
    }
  }
  for (const [id, shown] of [...rulesDrawn]) {
    if (keep.has(id)) continue;
    shown.volume.destroy();
    shown.sentiment.destroy();
    shown.card.remove();
    rulesDrawn.delete(id);
  }
}

function ruleKind(r) {
  if (r.kind === 'topic' && r.platform) return t('chatterOf', { p: r.platform });
  if (r.kind === 'topic' && r.brand) return t('topicOf', { b: r.brand });
  return t(`ruleKind.${r.kind}`, {}, r.kind);
}

function ruleHtml(r, w, crisis) {
  const totals = r.totals ?? {};
  const share = negativeShare(w);
  const shareAll = negativeShare(totals);
  return `<h3>${esc(r.name || r.id)} <span class="badge ${crisis ? 'b-down' : 'b-up'}" data-testid="rule-state-${esc(r.id)}">${esc(t(crisis ? 'crisisNow' : 'calm'))}</span></h3>
<p class="meta"><code>${esc(r.id)}</code> · ${esc(ruleKind(r))}</p>
<p class="figures" data-testid="rule-window-${esc(r.id)}"><span><strong>${num(w.mentions)}</strong> ${esc(t('mentionsInWindow'))}</span>
<span><strong class="${share !== null && share >= 0.5 ? 'neg' : ''}">${pct(share)}</strong> ${esc(t('negativeShare'))}</span>
<span>${esc(t('sentimentSplit', { n: num(w.negative), u: num(w.neutral), p: num(w.positive), k: num(w.unknown) }))}</span></p>
<p class="meta" data-testid="rule-totals-${esc(r.id)}">${esc(t('sinceStart', { n: num(totals.mentions ?? 0), p: pct(shareAll), r: num(totals.reach ?? 0) }))}</p>`;
}

// --- crisis cards ------------------------------------------------------------------------------

function crisesHtml(crises) {
  if (!crises.length) return `<p class="muted" data-testid="no-crises">${esc(t('noCrises'))}</p>`;
  // The server sends open ones first; kept so here even if that changes.
  const ordered = [...crises].sort((a, b) => Number(b.state === 'suspected') - Number(a.state === 'suspected'));
  return `<div class="crises">${ordered.map(crisisHtml).join('')}</div>`;
}

function crisisHtml(c) {
  const open = c.state === 'suspected';
  const m = c.magnitude ?? {};
  const o = c.origin ?? {};
  const lines = String(c.text ?? '').split('\n').filter((l) => l.trim());
  const headline = lines.shift() ?? '';
  const when = open
    ? `${esc(t('startedAt'))} ${timeHtml(c.started, ago(c.started))} · ${esc(t('suspectedAt'))} ${timeHtml(c.suspected, ago(c.suspected))}`
    : `${timeHtml(c.started, localTime(c.started))} – ${timeHtml(c.ended, localTime(c.ended))} (${esc(t('endedAt'))} ${timeHtml(c.ended, ago(c.ended))})`;
  // The server's plain words first (origin, words, figures in sentences), then the same facts
  // as figures and the posts, with links.
  const details = `${lines.length ? `<div class="plain" data-testid="crisis-text-${esc(c.crisis)}">${lines.map((l) => `<p>${esc(l)}</p>`).join('')}</div>` : ''}
${figuresHtml(m, open)}${originHtml(o)}`;
  return `<article class="crisis ${open ? 'open' : 'over'}" data-testid="crisis-${esc(c.crisis)}" data-state="${esc(c.state)}" data-rule="${esc(c.rule)}"${open ? ' role="alert"' : ''}>
<p><span class="badge ${open ? 'b-down' : 'b-unknown'}">${esc(t(`crisisState.${c.state}`, {}, c.state))}</span>
<strong>${esc(c.name || c.rule)}</strong> · ${esc(t(`crisisKind.${c.kind}`, {}, c.kind))}</p>
<p class="headline" data-testid="crisis-headline-${esc(c.crisis)}">${esc(headline)}</p>
<p class="meta">${when}</p>
${open ? details : `<details data-crisis="${esc(c.crisis)}"${opened.has(String(c.crisis)) ? ' open' : ''}><summary>${esc(t('crisisDetails'))}</summary>${details}</details>`}
</article>`;
}

function figuresHtml(m, open) {
  const figure = (label, value, extra = '') => `<div><dt>${esc(label)}</dt><dd>${value}${extra ? ` <span class="muted">${esc(extra)}</span>` : ''}</dd></div>`;
  return `<dl class="magnitude">
${open ? figure(t('perMinute'), num(m.per_minute, 1), t('usual', { v: num(m.usual_per_minute, 1) })) : ''}
${figure(t('peak'), num(m.peak_per_minute, 1))}
${open ? figure(t('negativeNow'), `<strong class="neg">${pct(m.negative_share)}</strong>`, t('usual', { v: pct(m.usual_negative_share) })) : ''}
${figure(t('negativeOverall'), pct(m.overall_negative_share), open ? '' : t('usual', { v: pct(m.usual_negative_share) }))}
${figure(t('mentionsSince'), num(m.mentions))}
${figure(t('authors'), num(m.unique_authors))}
${figure(t('reach'), num(m.reach))}
${figure(t('shares'), num(m.shares))}
${open ? figure(t('velocity'), signed(m.velocity)) : ''}
</dl>`;
}

function postLink(p, text) {
  const url = safeUrl(p.url);
  return url ? `<a href="${esc(url)}" target="_blank" rel="noopener noreferrer">${text}</a>` : text;
}

function postsHtml(posts, testid) {
  if (!posts?.length) return '';
  return `<table class="posts" data-testid="${esc(testid)}"><thead><tr><th>${esc(t('when'))}</th><th>${esc(t('author'))}</th>
<th>${esc(t('followers'))}</th><th>${esc(t('shares'))}</th><th>${esc(t('sentimentWord'))}</th><th>${esc(t('post'))}</th></tr></thead><tbody>
${posts.map((p) => `<tr><td>${postLink(p, timeHtml(p.at, new Date(Date.parse(p.at)).toLocaleTimeString(currentLang(), { hour: '2-digit', minute: '2-digit' })))}</td>
<td>${esc(handle(p.author, p.author_id))}</td><td>${num(p.followers)}</td><td>${num(p.shares)}</td>
<td><span class="badge s-${esc(p.sentiment)}">${esc(t(`sentiment.${p.sentiment}`, {}, p.sentiment))}</span></td>
<td>${p.reply_to_author ? `<span class="muted">${esc(t('replyTo', { a: handle(p.reply_to_author) }))}</span> ` : ''}${esc(p.text)}</td></tr>`).join('')}
</tbody></table>`;
}

function originHtml(o) {
  const first = o.earliest?.[0];
  const facts = [];
  if (first) {
    facts.push(`${esc(t('firstBy'))} <strong data-testid="origin-first">${postLink(first, esc(handle(first.author, first.author_id)))}</strong> ${timeHtml(first.at, localTime(first.at))}` +
      (o.earliest_complete === false ? ` <span class="muted">(${esc(t('earliestIncomplete'))})</span>` : ''));
  }
  if (o.started_as_reply_to_brand) {
    facts.push(`<span class="badge b-down">${esc(t('replyToBrand', { h: handle(o.brand_handle) }))}</span> ` +
      esc(o.brand_answered ? t('brandAnswered') : t('unanswered')));
  }
  facts.push(`${esc(t('originPattern'))}: <strong data-testid="origin-pattern">${esc(t(`pattern.${o.pattern}`, {}, o.pattern))}</strong>`);
  if (o.top_author?.author) {
    facts.push(esc(t('topAuthor', { a: handle(o.top_author.author), n: num(o.top_author.mentions), p: pct(o.top_author.share) })));
  }
  if (o.top_post) {
    facts.push(esc(t('topPost', { a: handle(o.top_post.author, '?'), n: num(o.top_post.replies), p: pct(o.top_post.share) })));
  }
  const terms = o.terms ?? [];
  return `<div class="origin"><h4>${esc(t('origin'))}</h4>
<ul class="facts">${facts.map((f) => `<li>${f}</li>`).join('')}</ul>
${terms.length ? `<p class="terms"><span class="muted">${esc(t('terms'))}:</span> ${terms.map((x) => `<span class="badge">${esc(x.term)}</span>`).join(' ')}</p>` : ''}
${o.earliest?.length ? `<h4>${esc(t('earliest'))}</h4>${postsHtml(o.earliest.slice(0, POSTS), 'origin-earliest')}` : ''}
${o.most_amplified?.length ? `<h4>${esc(t('amplified'))}</h4>${postsHtml(o.most_amplified.slice(0, POSTS), 'origin-amplified')}` : ''}
</div>`;
}

// --- start -------------------------------------------------------------------------------------

function setUrl(param, value) {
  const url = new URL(location.href);
  url.searchParams.set(param, value);
  history.replaceState(null, '', url);
}

function relabel() {
  keepLang();
  drawn.clear();
  for (const shown of rulesDrawn.values()) {
    shown.volume.destroy();
    shown.sentiment.destroy();
    shown.volume = new MinuteChart(shown.volume.holder, 'volume');
    shown.sentiment = new MinuteChart(shown.sentiment.holder, 'sentiment');
    shown.key = '';
  }
  render();
}

$('window').addEventListener('click', (e) => {
  const button = e.target.closest('button[data-minutes]');
  if (!button) return;
  minutes = Number(button.dataset.minutes);
  setUrl('minutes', minutes);
  render();
  page.poll();
});
$('crises').addEventListener('toggle', (e) => {
  const d = e.target;
  if (!d.dataset?.crisis) return;
  if (d.open) opened.add(d.dataset.crisis); else opened.delete(d.dataset.crisis);
}, true);
// A change of language reads the page again: the cards' text comes in the new language.
const page = runPage({ every: POLL_MS, read, render, relabel });
keepLang();
