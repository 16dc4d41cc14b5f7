// The public status page: which of the business's channels work now and how to reach it on
// each, the business's notice, and a form to say "I can't reach you on …" (a crowd report).
// Needs no token; reads /status.json every 30 s.
import { chooseLang, toggleLang, t, pick, esc, ago, timeHtml, translateStatic } from './i18n.js';
import { contactHref } from './contact.js';

const POLL_MS = 30000;
const $ = (id) => document.getElementById(id);
let status = null;

function channelHtml(c) {
  const href = contactHref(c.id, c.address);
  const address = c.address ? (href
    ? `<a href="${esc(href)}"${href.startsWith('https:') ? ' rel="noopener noreferrer"' : ''}>${esc(c.address)}</a>`
    : `<span>${esc(c.address)}</span>`) : '';
  return `<li class="${c.working ? 'ok' : 'ko'}" data-testid="channel-${esc(c.id)}" data-working="${c.working ? 'true' : 'false'}">
<span class="mark" aria-hidden="true">${c.working ? '✓' : '✕'}</span>
<span class="name">${esc(c.label || c.id)}</span>
<span class="state">${esc(t(c.working ? 'working' : 'notWorking'))}</span>
<span class="address">${address}</span></li>`;
}

function render() {
  if (!status) return;
  const name = status.business?.name ?? '';
  $('title').textContent = t('statusTitle', { b: name });
  document.title = t('statusTitle', { b: name });
  const notice = pick(status.notice);
  $('notice').hidden = !notice;
  $('notice').textContent = notice;
  const channels = status.channels ?? [];
  $('channels').innerHTML = channels.length ? channels.map(channelHtml).join('') : `<li>${esc(t('noChannels'))}</li>`;
  $('updated').innerHTML = status.updated_at ? timeHtml(status.updated_at, t('updated', { t: ago(status.updated_at) })) : '';
  // The form offers the channels that run on a watched platform (a channel whose "platform" is
  // empty, like email, cannot be reported); the ones not working first, as the likely ones.
  const select = $('platform');
  const chosen = select.value;
  const options = channels.filter((c) => !('platform' in c) || c.platform)
    .map((c) => ({ value: c.platform || c.id, label: c.label || c.id, working: c.working }))
    .filter((o, i, all) => all.findIndex((x) => x.value === o.value) === i)
    .sort((a, b) => Number(a.working) - Number(b.working));
  select.innerHTML = options.map((o) => `<option value="${esc(o.value)}">${esc(o.label)}</option>`).join('');
  if (options.some((o) => o.value === chosen)) select.value = chosen;
  $('report-section').hidden = options.length === 0;
}

async function load() {
  try {
    const res = await fetch('/status.json', { cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    status = await res.json();
    $('problem').hidden = true;
    chooseLang(status.business?.lang);
    translateStatic();
    render();
  } catch (error) {
    $('problem').hidden = false;
    $('problem').textContent = t('loadFailed', { e: error.message });
  }
  setTimeout(load, POLL_MS);
}

// Sends the crowd report and says how it went (data-result: accepted, duplicate, limited, error).
async function report(event) {
  event.preventDefault();
  const answer = $('answer');
  const button = event.submitter ?? $('report').querySelector('button');
  const body = { platform: $('platform').value };
  const note = $('note').value.trim();
  if (note) body.note = note;
  button.disabled = true;
  let result = 'error';
  let text;
  try {
    const res = await fetch('/api/v1/crowd-reports', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    const reply = await res.json().catch(() => null);
    if (res.ok && reply?.accepted) { result = 'accepted'; text = t('thanks'); }
    else if (res.ok && reply?.reason === 'duplicate') { result = 'duplicate'; text = t('duplicate'); }
    else if (res.status === 429) { result = 'limited'; text = t('tooMany'); }
    else text = t('reportFailed', { e: reply?.error || reply?.reason || `HTTP ${res.status}` });
  } catch {
    text = t('reportFailed', { e: t('networkError') });
  }
  button.disabled = false;
  answer.dataset.result = result;
  answer.className = result === 'accepted' || result === 'duplicate' ? 'thanks' : 'error';
  answer.textContent = text;
  if (result === 'accepted') $('note').value = '';
}

chooseLang();
translateStatic();
$('lang').addEventListener('click', () => { toggleLang(); translateStatic(); render(); $('answer').textContent = ''; });
$('report').addEventListener('submit', report);
load();
