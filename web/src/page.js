// What the dashboard's pages (board, listening, incidents, crisis log) share: the sign-in form
// (one token, one sessionStorage key), reading Faro on a timer (one reading at a time; a reading
// asked for meanwhile runs right after), "Updated …" with data-polls in the header, the
// business's name and the language button. The page gives `read(api)` (one reading; rejects
// with an ApiError, or resolves to false when the page's question changed while it was asked:
// that reading is neither counted nor drawn, and another follows), `render(error)` (may return
// a promise, which the reading waits for after "Updated …" is written) and `relabel()`, run
// after the language changes (the page is then read again, in the new language). Optional:
// `started(api)` after each sign-in, `signedOut()` when the token is forgotten.
import { chooseLang, currentLang, toggleLang, t, translateStatic } from './i18n.js';
import { TOKEN_KEY, addTokenForm, callApi, showTokenForm, showPage } from './api.js';

const $ = (id) => document.getElementById(id);

export function runPage({ every, read, render, relabel, started = () => {}, signedOut = () => {} }) {
  let token = sessionStorage.getItem(TOKEN_KEY) || '';
  let polls = 0;
  let lastOk = null;
  let timer = null;
  let inflight = null;
  let again = false;

  const api = (path, init = {}) => callApi(path, token, init, { 'Accept-Language': currentLang() });

  function askToken(message = '') {
    clearTimeout(timer);
    token = '';
    signedOut();
    showTokenForm(message);
  }

  function poll() {
    if (inflight) { again = true; return; }
    clearTimeout(timer);
    inflight = once().finally(() => {
      inflight = null;
      if (again) { again = false; poll(); } else if (token) timer = setTimeout(poll, every);
    });
  }

  async function once() {
    const asked = token;
    let error = null;
    let got;
    try { got = await read(api); } catch (e) { error = e; }
    if (token !== asked) return; // the token changed meanwhile: this reading is stale
    if (error?.status === 401) { askToken(t('tokenRejected', { e: error.message })); return; }
    if (got === false) { again = true; return; } // the page asked something else meanwhile
    const offline = error?.status === 0;
    $('problem').hidden = !offline;
    $('problem').textContent = offline ? t('unreachable', { e: error.message }) : '';
    if (!error) lastOk = new Date();
    polls += 1;
    const drawing = render(error);
    stamp();
    await drawing;
  }

  function stamp() {
    const updated = $('updated');
    updated.textContent = lastOk ? t('updated', { t: lastOk.toLocaleTimeString(currentLang()) }) : '';
    updated.dataset.polls = String(polls);
  }

  function start() {
    showPage();
    poll();
    started(api);
  }

  // After the language changes, from the button or from the business's language: the page in
  // the new words, read again when signed in (the server words some answers in the reader's
  // language).
  function relang() {
    translateStatic();
    relabel();
    stamp();
    if (token) poll();
  }

  addTokenForm();
  chooseLang();
  translateStatic();
  $('lang').addEventListener('click', () => { toggleLang(); relang(); });
  $('token-change').addEventListener('click', () => askToken());
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    token = $('token-input').value.trim();
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    start();
  });
  // The business's name and language come from the public status data, when it is published.
  fetch('/status.json').then((r) => (r.ok ? r.json() : null)).then((s) => {
    if (!s?.business) return;
    $('business').textContent = `· ${s.business.name ?? ''}`;
    document.title = `Faro · ${s.business.name ?? ''}`;
    const before = currentLang();
    if (chooseLang(s.business.lang) !== before) relang();
  }).catch(() => {});
  if (token) start(); else askToken();
  return { api, poll, askToken };
}

// Links between the pages keep the language the reader chose.
export function keepLang(root = document) {
  for (const a of root.querySelectorAll('a[data-nav]')) {
    const url = new URL(a.getAttribute('href'), location.href);
    url.searchParams.set('lang', currentLang());
    a.href = `${url.pathname}${url.search}`;
  }
}

// "14:05" today, "4 Oct 14:05" another day, in the reader's time zone.
export function clock(iso) {
  const at = Date.parse(iso ?? '');
  if (Number.isNaN(at)) return '';
  const d = new Date(at);
  const today = new Date().toDateString() === d.toDateString();
  const opts = today ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  return d.toLocaleString(currentLang(), opts);
}
