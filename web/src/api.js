// What the dashboard's pages share: the API token (kept in this tab's sessionStorage under one
// key, so the dashboard and the listening page sign in once), calls that carry it, and drawing
// a part of a page only when its HTML changed.
import { t } from './i18n.js';

export const TOKEN_KEY = 'faro.apiToken';

export class ApiError extends Error {
  constructor(status, message, body = null) { super(message); this.status = status; this.body = body; }
}

// Calls the API with the token; resolves to the JSON body or rejects with an ApiError carrying
// the HTTP status (0 when the server could not be reached), the server's "error" text and its
// whole JSON answer (a refused close names what blocks it).
export async function callApi(path, token, init = {}, extraHeaders = {}) {
  const headers = { Authorization: `Bearer ${token}`, ...extraHeaders };
  if (init.body) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { ...init, headers, cache: 'no-store' });
  } catch {
    throw new ApiError(0, t('networkError'));
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, body?.error || `HTTP ${res.status}`, body);
  return body;
}

// draw(el, html) sets innerHTML only when it changed (keeps focus, hover and pending clicks
// otherwise); `drawn` remembers what each element shows. Bars get their width from data-w.
export function makeDraw(drawn) {
  return (el, html) => {
    if (drawn.get(el) === html) return false;
    drawn.set(el, html);
    el.innerHTML = html;
    for (const s of el.querySelectorAll('[data-w]')) s.style.width = `${s.dataset.w}%`;
    return true;
  };
}

// Every signed-in page has the same sign-in form (#token-form) before its content (#board).
// The pages do not write it out: addTokenForm puts it in, hidden, before the page's words are
// translated.
const byId = (id) => document.getElementById(id);
export function addTokenForm() {
  if (byId('token-form')) return;
  const form = document.createElement('form');
  form.id = 'token-form';
  form.className = 'token';
  form.dataset.testid = 'token-form';
  form.hidden = true;
  form.innerHTML = `
  <h2 data-i18n="tokenTitle">API token</h2>
  <p data-i18n="tokenHelp"></p>
  <p id="token-error" class="error" role="alert"></p>
  <label for="token-input" data-i18n="tokenTitle">API token</label>
  <input id="token-input" data-testid="token-input" type="password" autocomplete="off" required>
  <button type="submit" data-testid="token-save" data-i18n="tokenSave">Open the dashboard</button>`;
  byId('board').before(form);
}

// Forget the token and show the sign-in form with `message`, or show the content once a token
// is given.
export function showTokenForm(message = '') {
  sessionStorage.removeItem(TOKEN_KEY);
  byId('board').hidden = true;
  byId('token-change').hidden = true;
  byId('token-form').hidden = false;
  byId('token-error').textContent = message;
  byId('token-input').value = '';
  byId('token-input').focus();
}
export function showPage() {
  byId('token-form').hidden = true;
  byId('board').hidden = false;
  byId('token-change').hidden = false;
}
