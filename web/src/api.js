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

// Both pages have the same sign-in form (#token-form) beside their content (#board): forget the
// token and show the form with `message`, or show the content once a token is given.
const byId = (id) => document.getElementById(id);
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
