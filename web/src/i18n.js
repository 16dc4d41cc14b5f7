// Every word the dashboard and the status page show, in English and Spanish, and the few
// helpers both pages share (language choice, escaping, relative times).
//
// Language: ?lang= in the address first, then the browser's language, then the business's
// language (from /status.json), then English. The toggle rewrites ?lang= so a reload keeps it.

const EN = {
  faro: 'Faro', dashboard: 'Dashboard', otherLang: 'Español',
  tokenTitle: 'API token', tokenHelp: 'Paste an API token of faro serve. It is kept in this browser tab only.',
  tokenSave: 'Open the dashboard', tokenChange: 'Change token', tokenRejected: 'That token was not accepted ({e}).',
  updated: 'Updated {t}', unreachable: 'Cannot reach Faro ({e}); trying again every 5 s.',
  notAvailable: 'Not available on this server ({e}).',
  ourLink: 'Our connection', linkDown: 'Our connection is down: what we see now may be our own problem, not the platforms\'.',
  vantages: 'Vantage points', silent: 'silent', lastSeen: 'last seen {t}', never: 'never seen',
  platforms: 'Platforms', noPlatforms: 'No platforms are watched.',
  filter: 'Show platforms by health', all: 'All', previous: 'Previous', next: 'Next', showing: '{a}–{b} of {n}',
  'health.up': 'working', 'health.degraded': 'slow or unstable', 'health.partial': 'partly failing',
  'health.down': 'down', 'health.local': 'it is our connection', 'health.unknown': 'unknown',
  'scope.global': 'for everyone', 'scope.regional': 'in some regions', 'scope.unconfirmed': 'unconfirmed',
  'link.up': 'working', 'link.down': 'down',
  forDur: 'for {d}', ago: '{d} ago', cause: 'Cause', flapping: 'flapping', maintenance: 'maintenance',
  affectsUs: 'affects us', ourChannels: 'Our channels on it: {c}',
  evidence: 'Evidence', vantage: 'Vantage', endpoints: 'Endpoints', health: 'Health', failedOf: '{f}/{n} fail', detail: 'Detail', noReadings: 'No readings yet.',
  signals: 'Signals', feed: 'Official status', 'feed.ok': 'no problems', 'feed.minor': 'minor issue', 'feed.major': 'major outage', 'feed.null': 'no feed',
  crowd: 'Customer reports: {n} (usually {b})', surge: 'surge', outbox: 'Our sends: {s}, faults: {f}', failing: 'failing',
  chart: 'Phase timings, last 6 h (ms)', dns: 'DNS', connect: 'connect', tls: 'TLS', firstByte: 'first byte',
  failures: 'failures', noData: 'No measurements yet.',
  alerts: 'Alerts', noAlerts: 'No active alerts.', 'alert.open': 'open', 'alert.acknowledged': 'acknowledged', 'alert.resolved': 'resolved',
  level: 'escalation level {n}', ack: 'Acknowledge', ackedBy: 'acknowledged by {who} {t}',
  notified: 'Notified', notifiedItem: '{p} ({r}) by {c}, level {l}, {t}', nobodyNotified: 'Nobody notified yet.',
  ack403: 'Your token cannot do that: acknowledging needs a manager or admin token.',
  ackFailed: 'Could not acknowledge: {e}',
  failovers: 'Failover and broadcasts', noFailovers: 'No failover active.',
  failoverLine: 'Channel {c} ({p}) moved {t}', 'failover.active': 'active', 'failover.undone': 'undone',
  progress: '{s} sent, {q} pending, {f} failed of {n}', skipped: 'skipped: {a} without consent, {b} without address',
  noBroadcast: 'No broadcast.',
  inbox: 'Unanswered conversations', noInbox: 'Nobody is waiting for an answer.', inboxLine: 'last message {t} by {c}',
  history: 'History (last 50 events)', noEvents: 'No events yet.', suppressed: 'suppressed by {b}',
  'kind.platform-down': 'platform down', 'kind.platform-restored': 'platform restored',
  'kind.platform-degraded': 'platform slow', 'kind.platform-partial': 'platform partly failing',
  'kind.crisis-suspected': 'possible crisis', 'kind.crisis-updated': 'crisis updated', 'kind.crisis-over': 'crisis over',
  // Listening page.
  listening: 'Listening', window: 'Window:', 'window.60': 'last hour', 'window.360': 'last 6 h', 'window.1440': 'last 24 h',
  notListening: 'This server does not listen to social media (faro.yaml has no listen: section).',
  overview: '{n} mentions received since the server started', newestMinute: 'newest minute read:',
  crises: 'Suspected crises', noCrises: 'No crisis suspected: nothing is brewing.',
  rules: 'Brands and topics', noRules: 'The rules file has no brands or topics.',
  'ruleKind.brand': 'brand', 'ruleKind.topic': 'topic', topicOf: 'topic of {b}', chatterOf: 'outage chatter about {p}',
  crisisNow: 'possible crisis', calm: 'calm',
  mentionsInWindow: 'mentions in this window', negativeShare: 'negative (of those with a sentiment)',
  sentimentSplit: '{n} negative, {u} neutral, {p} positive, {k} without sentiment',
  sinceStart: 'Since the server started: {n} mentions, {p} negative, reach {r} followers',
  volumeChart: 'Mentions per minute', sentimentChart: 'Sentiment per minute (stacked)', mentionsWord: 'mentions',
  crisisSpan: 'crisis', noMentions: 'No mentions in this window.',
  'sentiment.negative': 'negative', 'sentiment.neutral': 'neutral', 'sentiment.positive': 'positive', 'sentiment.unknown': 'no sentiment',
  'crisisState.suspected': 'Possible crisis', 'crisisState.over': 'Over',
  'crisisKind.volume-spike': 'mention spike', 'crisisKind.negative-wave': 'negative wave', 'crisisKind.both': 'mention spike and negative wave',
  startedAt: 'started', suspectedAt: 'suspected', endedAt: 'calm again', crisisDetails: 'Figures and origin',
  perMinute: 'Mentions/min now', usual: 'usual: {v}', peak: 'Busiest minute', negativeNow: 'Negative now',
  negativeOverall: 'Negative since it started', mentionsSince: 'Mentions since it started', authors: 'Authors',
  reach: 'Reach (followers)', shares: 'Shares', velocity: 'Change in 10 min (per min)',
  origin: 'Who started it', firstBy: 'First post by', earliestIncomplete: 'or earlier: the very first are no longer in memory',
  replyToBrand: 'a reply to your account {h}', brandAnswered: 'and your account answered.', unanswered: 'that nobody answered.',
  originPattern: 'Pattern', 'pattern.one-author': 'one person, with many posts or replies',
  'pattern.one-post': 'one post, amplified by replies', 'pattern.many-authors': 'many people talking',
  topAuthor: 'Most active: {a}, {n} mentions ({p})', topPost: 'Most replied post: by {a}, {n} replies ({p})',
  terms: 'Words that set it apart', earliest: 'The first posts', amplified: 'The most amplified posts',
  when: 'When', author: 'Author', followers: 'Followers', sentimentWord: 'Sentiment', post: 'Post', replyTo: 'to {a}:',
  // Status page.
  statusTitle: 'How to reach {b}', statusHeading: 'Our channels right now', working: 'Working',
  notWorking: 'Not working right now', noChannels: 'No channels listed.',
  reportHeading: 'Can\'t reach us?', reportLabel: 'I can\'t reach you on', noteLabel: 'Anything to add? (optional)',
  send: 'Send', thanks: 'Thank you! Your report helps us find the problem.',
  duplicate: 'Thank you, we already have your report.', tooMany: 'Too many reports from your connection; please try again in a minute.',
  reportFailed: 'Could not send your report: {e}', loadFailed: 'Could not load the status ({e}); trying again.',
  networkError: 'network error',
};

const ES = {
  faro: 'Faro', dashboard: 'Panel', otherLang: 'English',
  tokenTitle: 'Token de la API', tokenHelp: 'Pega un token de la API de faro serve. Se guarda solo en esta pestaña del navegador.',
  tokenSave: 'Abrir el panel', tokenChange: 'Cambiar token', tokenRejected: 'Ese token no fue aceptado ({e}).',
  updated: 'Actualizado {t}', unreachable: 'No se puede contactar a Faro ({e}); se reintenta cada 5 s.',
  notAvailable: 'No disponible en este servidor ({e}).',
  ourLink: 'Nuestra conexión', linkDown: 'Nuestra conexión está caída: lo que vemos ahora puede ser un problema nuestro, no de las plataformas.',
  vantages: 'Puntos de observación', silent: 'sin noticias', lastSeen: 'visto {t}', never: 'nunca visto',
  platforms: 'Plataformas', noPlatforms: 'No se vigila ninguna plataforma.',
  filter: 'Mostrar plataformas por estado', all: 'Todas', previous: 'Anterior', next: 'Siguiente', showing: '{a}–{b} de {n}',
  'health.up': 'funciona', 'health.degraded': 'lento o inestable', 'health.partial': 'falla en parte',
  'health.down': 'caído', 'health.local': 'es nuestra conexión', 'health.unknown': 'no se sabe',
  'scope.global': 'para todos', 'scope.regional': 'en algunas regiones', 'scope.unconfirmed': 'sin confirmar',
  'link.up': 'funciona', 'link.down': 'caída',
  forDur: 'desde hace {d}', ago: 'hace {d}', cause: 'Causa', flapping: 'intermitente', maintenance: 'mantenimiento',
  affectsUs: 'nos afecta', ourChannels: 'Nuestros canales en ella: {c}',
  evidence: 'Evidencia', vantage: 'Punto', endpoints: 'Endpoints', health: 'Estado', failedOf: 'fallan {f} de {n}', detail: 'Detalle', noReadings: 'Aún no hay lecturas.',
  signals: 'Señales', feed: 'Estado oficial', 'feed.ok': 'sin problemas', 'feed.minor': 'problema menor', 'feed.major': 'caída grave', 'feed.null': 'sin fuente',
  crowd: 'Reportes de clientes: {n} (lo habitual: {b})', surge: 'aumento brusco', outbox: 'Nuestros envíos: {s}, fallos: {f}', failing: 'fallando',
  chart: 'Tiempos por fase, últimas 6 h (ms)', dns: 'DNS', connect: 'conexión', tls: 'TLS', firstByte: 'primer byte',
  failures: 'fallos', noData: 'Aún no hay mediciones.',
  alerts: 'Alertas', noAlerts: 'No hay alertas activas.', 'alert.open': 'abierta', 'alert.acknowledged': 'recibida', 'alert.resolved': 'resuelta',
  level: 'nivel de escalamiento {n}', ack: 'Confirmar recepción', ackedBy: 'recibida por {who} {t}',
  notified: 'Avisados', notifiedItem: '{p} ({r}) por {c}, nivel {l}, {t}', nobodyNotified: 'Todavía no se avisó a nadie.',
  ack403: 'Tu token no puede hacer eso: confirmar recepción requiere un token de manager o admin.',
  ackFailed: 'No se pudo confirmar: {e}',
  failovers: 'Conmutación y difusiones', noFailovers: 'No hay conmutación activa.',
  failoverLine: 'Canal {c} ({p}) desviado {t}', 'failover.active': 'activa', 'failover.undone': 'deshecha',
  progress: '{s} enviados, {q} pendientes, {f} fallidos de {n}', skipped: 'omitidos: {a} sin consentimiento, {b} sin dirección',
  noBroadcast: 'Sin difusión.',
  inbox: 'Conversaciones sin responder', noInbox: 'Nadie espera respuesta.', inboxLine: 'último mensaje {t} por {c}',
  history: 'Historial (últimos 50 eventos)', noEvents: 'Aún no hay eventos.', suppressed: 'suprimido por {b}',
  'kind.platform-down': 'plataforma caída', 'kind.platform-restored': 'plataforma restablecida',
  'kind.platform-degraded': 'plataforma lenta', 'kind.platform-partial': 'plataforma con fallas parciales',
  'kind.crisis-suspected': 'posible crisis', 'kind.crisis-updated': 'crisis actualizada', 'kind.crisis-over': 'crisis terminada',
  listening: 'Escucha social', window: 'Ventana:', 'window.60': 'última hora', 'window.360': 'últimas 6 h', 'window.1440': 'últimas 24 h',
  notListening: 'Este servidor no escucha redes sociales (faro.yaml no tiene la sección listen:).',
  overview: '{n} menciones recibidas desde que arrancó el servidor', newestMinute: 'último minuto leído:',
  crises: 'Posibles crisis', noCrises: 'No se sospecha ninguna crisis: no se está gestando nada.',
  rules: 'Marcas y temas', noRules: 'El archivo de reglas no tiene marcas ni temas.',
  'ruleKind.brand': 'marca', 'ruleKind.topic': 'tema', topicOf: 'tema de {b}', chatterOf: 'comentarios de caída de {p}',
  crisisNow: 'posible crisis', calm: 'en calma',
  mentionsInWindow: 'menciones en esta ventana', negativeShare: 'negativas (de las que tienen sentimiento)',
  sentimentSplit: '{n} negativas, {u} neutras, {p} positivas, {k} sin sentimiento',
  sinceStart: 'Desde que arrancó el servidor: {n} menciones, {p} negativas, alcance {r} seguidores',
  volumeChart: 'Menciones por minuto', sentimentChart: 'Sentimiento por minuto (apilado)', mentionsWord: 'menciones',
  crisisSpan: 'crisis', noMentions: 'No hay menciones en esta ventana.',
  'sentiment.negative': 'negativa', 'sentiment.neutral': 'neutra', 'sentiment.positive': 'positiva', 'sentiment.unknown': 'sin sentimiento',
  'crisisState.suspected': 'Posible crisis', 'crisisState.over': 'Terminada',
  'crisisKind.volume-spike': 'pico de menciones', 'crisisKind.negative-wave': 'ola negativa', 'crisisKind.both': 'pico de menciones y ola negativa',
  startedAt: 'empezó', suspectedAt: 'detectada', endedAt: 'en calma', crisisDetails: 'Cifras y origen',
  perMinute: 'Menciones/min ahora', usual: 'lo normal: {v}', peak: 'Minuto más intenso', negativeNow: 'Negativas ahora',
  negativeOverall: 'Negativas desde el inicio', mentionsSince: 'Menciones desde el inicio', authors: 'Autores',
  reach: 'Alcance (seguidores)', shares: 'Compartidas', velocity: 'Cambio en 10 min (por min)',
  origin: 'Quién lo empezó', firstBy: 'Primera publicación de', earliestIncomplete: 'o antes: las primeras ya no están en memoria',
  replyToBrand: 'una respuesta a tu cuenta {h}', brandAnswered: 'y tu cuenta contestó.', unanswered: 'que nadie contestó.',
  originPattern: 'Patrón', 'pattern.one-author': 'una sola persona, con muchas publicaciones o respuestas',
  'pattern.one-post': 'una publicación, amplificada con respuestas', 'pattern.many-authors': 'mucha gente hablando',
  topAuthor: 'Quien más publica: {a}, {n} menciones ({p})', topPost: 'Publicación más respondida: de {a}, {n} respuestas ({p})',
  terms: 'Palabras que la distinguen', earliest: 'Las primeras publicaciones', amplified: 'Las publicaciones más difundidas',
  when: 'Cuándo', author: 'Autor', followers: 'Seguidores', sentimentWord: 'Sentimiento', post: 'Publicación', replyTo: 'a {a}:',
  statusTitle: 'Cómo contactar a {b}', statusHeading: 'Nuestros canales ahora', working: 'Funciona',
  notWorking: 'No funciona ahora', noChannels: 'No hay canales publicados.',
  reportHeading: '¿No puedes contactarnos?', reportLabel: 'No puedo contactarlos por', noteLabel: '¿Algo más? (opcional)',
  send: 'Enviar', thanks: '¡Gracias! Tu reporte nos ayuda a encontrar el problema.',
  duplicate: 'Gracias, ya tenemos tu reporte.', tooMany: 'Demasiados reportes desde tu conexión; intenta de nuevo en un minuto.',
  reportFailed: 'No se pudo enviar tu reporte: {e}', loadFailed: 'No se pudo cargar el estado ({e}); se reintenta.',
  networkError: 'error de red',
};

// Exported for the test that keeps both languages complete.
export const DICTS = { en: EN, es: ES };
const SUPPORTED = (l) => (l && DICTS[l.slice(0, 2).toLowerCase()] ? l.slice(0, 2).toLowerCase() : '');

let lang = 'en';

// Chooses the language (see the file comment) and sets <html lang>.
export function chooseLang(businessLang) {
  const fromUrl = SUPPORTED(new URLSearchParams(location.search).get('lang'));
  lang = fromUrl || SUPPORTED(navigator.language) || SUPPORTED(businessLang) || 'en';
  document.documentElement.lang = lang;
  return lang;
}

export const currentLang = () => lang;

// Switches to the other language and records it in the address (?lang=).
export function toggleLang() {
  lang = lang === 'es' ? 'en' : 'es';
  const url = new URL(location.href);
  url.searchParams.set('lang', lang);
  history.replaceState(null, '', url);
  document.documentElement.lang = lang;
  return lang;
}

// The text for `key` with {name} placeholders filled from `vars`; an unknown key falls back to
// `fallback` (or the key itself) so a new server value still shows something readable.
export function t(key, vars = {}, fallback) {
  const text = DICTS[lang][key] ?? EN[key] ?? fallback ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => (vars[k] ?? ''));
}

// One of the server's bilingual texts ({"en": ..., "es": ...}).
export const pick = (texts) => (texts ? texts[lang] || texts.en || texts.es || '' : '');

// Text made safe inside HTML elements and quoted attributes.
export const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// "45 s", "12 min", "3 h 5 min", "2 d 4 h": short enough for cards, the same in both languages.
export function duration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return h % 24 ? `${Math.floor(h / 24)} d ${h % 24} h` : `${Math.floor(h / 24)} d`;
}

// "3 min ago" / "hace 3 min"; "" for a missing time.
export function ago(iso, now = Date.now()) {
  const at = Date.parse(iso ?? '');
  return Number.isNaN(at) ? '' : t('ago', { d: duration(now - at) });
}

// "for 2 h" / "desde hace 2 h"; "" for a missing time.
export function since(iso, now = Date.now()) {
  const at = Date.parse(iso ?? '');
  return Number.isNaN(at) ? '' : t('forDur', { d: duration(now - at) });
}

// The local date and time, for tooltips next to relative times.
export function localTime(iso) {
  const at = Date.parse(iso ?? '');
  return Number.isNaN(at) ? '' : new Date(at).toLocaleString(lang === 'es' ? 'es' : 'en');
}

// A relative time in a <time> element with the exact time as its tooltip.
export const timeHtml = (iso, text) => `<time datetime="${esc(iso)}" title="${esc(localTime(iso))}">${esc(text)}</time>`;

// Fills every element with data-i18n="key" with its text.
export function translateStatic(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}
