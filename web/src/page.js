// What the incident room and the crisis-log page share: the sign-in form (the dashboard's token,
// same sessionStorage key), reading Faro on a timer (one reading at a time; a reading asked
// for meanwhile runs right after), "Updated …" with data-polls in the header, the business's
// name and the language button. The page gives `read(api)` (one reading; rejects with an
// ApiError) and `render(error)`; `relabel()` runs after the language changes.
import { chooseLang, currentLang, toggleLang, t, translateStatic } from './i18n.js';
import { TOKEN_KEY, callApi, showTokenForm, showPage } from './api.js';

const $ = (id) => document.getElementById(id);

export function runPage({ every, read, render, relabel }) {
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
    try { await read(api); } catch (e) { error = e; }
    if (token !== asked) return; // the token changed meanwhile: this reading is stale
    if (error?.status === 401) { askToken(t('tokenRejected', { e: error.message })); return; }
    const offline = error?.status === 0;
    $('problem').hidden = !offline;
    $('problem').textContent = offline ? t('unreachable', { e: error.message }) : '';
    if (!error) lastOk = new Date();
    polls += 1;
    render(error);
    stamp();
  }

  function stamp() {
    const updated = $('updated');
    updated.textContent = lastOk ? t('updated', { t: lastOk.toLocaleTimeString(currentLang()) }) : '';
    updated.dataset.polls = String(polls);
  }

  function start() {
    showPage();
    poll();
  }

  chooseLang();
  translateStatic();
  $('lang').addEventListener('click', () => { toggleLang(); translateStatic(); relabel(); stamp(); poll(); });
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
    if (chooseLang(s.business.lang) !== before) { translateStatic(); relabel(); }
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
