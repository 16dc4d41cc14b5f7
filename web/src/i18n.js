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
  // Incidents, the incident room and the crisis log.
  incidents: 'Incidents', nActive: '{n} active', crisisLog: 'Crisis log', allIncidents: 'All incidents', incident: 'Incident', stateWord: 'State',
  noPlans: 'This server runs no contingency plans (faro.yaml has no plans: section).',
  noIncidents: 'No incidents yet: Faro opens one when a trigger of a contingency plan fires.',
  openNow: 'Open now ({n})', closedList: 'Closed ({n})', noneOpen: 'No incident is open.', moreIncidents: '{n} older incidents are not listed.',
  approvalsPending: 'Approvals', nPending: '{n} waiting', checkCounts: '{g} green, {r} red, {p} pending',
  noSuchIncident: 'There is no incident #{id}.', drill: 'drill', lifecycle: 'Life cycle',
  'incState.active': 'active', 'incState.stable': 'stable', 'incState.closed': 'closed',
  'incKind.outage': 'platform outage', 'incKind.crisis': 'reputation crisis',
  subject: 'About', playbook: 'Playbook', openedAt: 'Opened', stableAt: 'stable', closedAt: 'closed', lasted: 'lasted', since: 'since',
  figures: 'Figures', 'fig.contacts': 'Contacts told', 'fig.rerouted': 'Messages re-routed', 'fig.paused': 'Campaigns paused',
  'fig.spend': 'Spend protected', 'fig.approvals': 'Approvals granted', 'fig.first': 'First message to customers',
  'fig.unanswered': 'Left unanswered',
  approvals: 'Approvals', noApprovals: 'No approval has been asked.',
  'approval.pending': 'waiting', 'approval.approved': 'approved', 'approval.denied': 'denied',
  'approval.expired': 'nobody answered', 'approval.cancelled': 'cancelled (incident closed)',
  blocksPlaybook: 'The playbook waits for this answer', blocksStep: 'Only this step waits', askedAt: 'asked',
  deadline: 'deadline', overdue: 'overdue', inDur: 'in {d}', escalationLevel: 'escalation level {n}',
  'ifNoAnswer.stop': 'no answer: the playbook stops', 'ifNoAnswer.continue': 'no answer: the playbook goes on',
  'ifNoAnswer.skip': 'no answer: the step is skipped', mayAnswer: 'may answer: {who}', byWho: 'by {who}',
  answerAs: 'Answering as', asMe: 'me (my token\'s name)', approve: 'Approve', deny: 'Deny',
  denyReason: 'Why not? (required: it goes on the timeline)', denyConfirm: 'Deny it', cancel: 'Cancel',
  token403: 'Your token cannot do that: it needs a manager or admin token.',
  notYours: 'You may not answer this request: {e}', conflict: 'Not possible now: {e}', failed: 'That did not work ({what}): {e}',
  checklist: 'Restoration checklist', checkNow: 'Run the check now', checked: 'Checked now.',
  noChecklist: 'No check yet: it runs when the platform is back (or the crisis is over), or now with the button.',
  'checkState.green': 'green', 'checkState.red': 'red', 'checkState.pending': 'pending',
  'check.scheduled-posts': 'Scheduled posts', 'check.outbox-drained': 'Outbox drained', 'check.unanswered': 'Nobody left unanswered',
  'check.campaigns-resumed': 'Campaigns resumed', 'check.ad-figures': 'Ad figures', 'check.watching': 'Heightened watching',
  'check.stable': 'Still active (the platform is not back)', 'check.restoration-check': 'No restoration check yet',
  overriddenBy: 'closed over it by {who}: “{why}”', mayClose: 'Everything is green: it can close.', blockedBy: 'Closing needs a reason while these are not green:',
  closeIncident: 'Close the incident', closeBlocked: 'Not everything is green:', closeReason: 'Why close it anyway? (required)',
  closeAnyway: 'Close over these items', closedNow: 'The incident is closed.',
  statusUpdates: 'Status updates', noUpdates: 'No status update sent yet.', automatic: 'Faro (automatic)',
  nextUpdate: 'Next automatic update at {t} (in {d}) to {to}.', updatesNotStarted: 'Automatic updates every {every} to {to}, once the playbook gets there.',
  updatesNoCadence: 'This playbook sends no automatic updates; an update posted here goes to {to}.',
  updatesOver: 'The incident is closed: no more updates.',
  updateLabel: 'Post a status update now (it goes to the same people, and the next automatic one comes a full interval later)',
  updatePost: 'Send the update', updateSent: 'Update sent.',
  timeline: 'Timeline (newest first)', noEntries: 'Nothing on the timeline.', olderEntries: '{n} older entries are in the report.',
  showAll: 'Everything', showPeople: 'What people did', byFaro: 'Faro',
  'tl.event': 'event', 'tl.opened': 'opened', 'tl.state': 'state', 'tl.action': 'action', 'tl.outcome': 'outcome',
  'tl.approval-asked': 'approval asked', 'tl.approved': 'approved', 'tl.denied': 'denied', 'tl.escalated': 'escalated',
  'tl.no-answer': 'no answer', 'tl.role': 'role', 'tl.note': 'note', 'tl.check': 'check', 'tl.override': 'override', 'tl.closed': 'closed',
  noteBox: 'Add a note', noteAdd: 'Add the note', noteAdded: 'Note added.',
  noteHelp: 'Start with “worked:” or “change:” to make it a lesson for the crisis manual.',
  roles: 'Roles', noRoles: 'No roles.', nobodyHolds: 'nobody holds it', heldBefore: 'before',
  roleLabel: 'Role', personLabel: 'Person', changeLabel: 'Change',
  'change.take': 'takes it (alone)', 'change.join': 'joins (holds it too)', 'change.hand-over': 'hands it over',
  roleSave: 'Save the role', roleSaved: 'Role changed.',
  lessons: 'Lessons', worked: 'What worked', toChange: 'What to change',
  report: 'Report', reportHtml: 'printable page', reportMd: 'Markdown', 'reportIn.es': 'In Spanish', 'reportIn.en': 'In English',
  logHelp: 'Every closed incident, kept with its report. The crisis manual, by kind of case, comes from “faro manual” on the server.',
  searchLabel: 'Words to find (accents and case do not matter)', searchGo: 'Search', kindLabel: 'Kind', anyKind: 'any',
  drillsLabel: 'Real or drill', 'drills.all': 'both', 'drills.none': 'real incidents only', 'drills.only': 'drills only',
  sinceLabel: 'Opened from', untilLabel: 'to', listed: 'Incidents in the crisis log: {n}.', found: 'Incidents with “{q}”: {n}.',
  logEmpty: 'The crisis log is empty: incidents go there when they close.', nothingFound: 'Nothing found.',
  unwritten: '{n} closed incidents could not be written to the crisis log yet (they are safe in the database):',
  logProblems: 'Folders of the log that could not be read:', outageLasted: 'out for {d}', openRoom: 'incident room',
  'where.title': 'title', 'where.timeline': 'timeline', 'where.lessons': 'lessons', 'where.override': 'override reason',
  'where.business': 'business', 'where.subject': 'subject',
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
  incidents: 'Incidentes', nActive: '{n} activos', crisisLog: 'Registro de crisis', allIncidents: 'Todos los incidentes', incident: 'Incidente', stateWord: 'Estado',
  noPlans: 'Este servidor no ejecuta planes de contingencia (faro.yaml no tiene la sección plans:).',
  noIncidents: 'Todavía no hay incidentes: Faro abre uno cuando se dispara un plan de contingencia.',
  openNow: 'Abiertos ahora ({n})', closedList: 'Cerrados ({n})', noneOpen: 'No hay ningún incidente abierto.', moreIncidents: 'No se muestran {n} incidentes más antiguos.',
  approvalsPending: 'Aprobaciones', nPending: '{n} pendientes', checkCounts: '{g} en verde, {r} en rojo, {p} pendientes',
  noSuchIncident: 'No existe el incidente #{id}.', drill: 'simulacro', lifecycle: 'Ciclo de vida',
  'incState.active': 'activo', 'incState.stable': 'estable', 'incState.closed': 'cerrado',
  'incKind.outage': 'caída de plataforma', 'incKind.crisis': 'crisis de reputación',
  subject: 'Sobre', playbook: 'Protocolo', openedAt: 'Abierto', stableAt: 'estable', closedAt: 'cerrado', lasted: 'duró', since: 'desde',
  figures: 'Cifras', 'fig.contacts': 'Contactos avisados', 'fig.rerouted': 'Mensajes desviados', 'fig.paused': 'Campañas pausadas',
  'fig.spend': 'Gasto protegido', 'fig.approvals': 'Aprobaciones dadas', 'fig.first': 'Primer mensaje a clientes',
  'fig.unanswered': 'Sin respuesta',
  approvals: 'Aprobaciones', noApprovals: 'No se pidió ninguna aprobación.',
  'approval.pending': 'esperando', 'approval.approved': 'aprobada', 'approval.denied': 'rechazada',
  'approval.expired': 'nadie respondió', 'approval.cancelled': 'cancelada (incidente cerrado)',
  blocksPlaybook: 'El protocolo espera esta respuesta', blocksStep: 'Solo espera este paso', askedAt: 'pedida',
  deadline: 'plazo', overdue: 'vencido', inDur: 'en {d}', escalationLevel: 'nivel de escalamiento {n}',
  'ifNoAnswer.stop': 'sin respuesta: el protocolo se detiene', 'ifNoAnswer.continue': 'sin respuesta: el protocolo sigue',
  'ifNoAnswer.skip': 'sin respuesta: se omite el paso', mayAnswer: 'pueden responder: {who}', byWho: 'por {who}',
  answerAs: 'Respondo como', asMe: 'yo (el nombre de mi token)', approve: 'Aprobar', deny: 'Rechazar',
  denyReason: '¿Por qué no? (obligatorio: queda en la línea de tiempo)', denyConfirm: 'Rechazar', cancel: 'Cancelar',
  token403: 'Tu token no puede hacer eso: hace falta un token de manager o admin.',
  notYours: 'No puedes responder este pedido: {e}', conflict: 'No es posible ahora: {e}', failed: 'No funcionó ({what}): {e}',
  checklist: 'Verificación tras la recuperación', checkNow: 'Comprobar ahora', checked: 'Comprobado recién.',
  noChecklist: 'Todavía no hay verificación: se hace cuando la plataforma vuelve (o termina la crisis), o ahora con el botón.',
  'checkState.green': 'verde', 'checkState.red': 'rojo', 'checkState.pending': 'pendiente',
  'check.scheduled-posts': 'Publicaciones programadas', 'check.outbox-drained': 'Cola de envíos vacía', 'check.unanswered': 'Nadie sin respuesta',
  'check.campaigns-resumed': 'Campañas reanudadas', 'check.ad-figures': 'Cifras de anuncios', 'check.watching': 'Vigilancia reforzada',
  'check.stable': 'Sigue activo (la plataforma no volvió)', 'check.restoration-check': 'Todavía sin verificación',
  overriddenBy: '{who} cerró pese a esto: «{why}»', mayClose: 'Todo en verde: se puede cerrar.', blockedBy: 'Para cerrar hace falta un motivo mientras esto no esté en verde:',
  closeIncident: 'Cerrar el incidente', closeBlocked: 'No está todo en verde:', closeReason: '¿Por qué cerrarlo igual? (obligatorio)',
  closeAnyway: 'Cerrar pese a esto', closedNow: 'El incidente está cerrado.',
  statusUpdates: 'Informes de situación', noUpdates: 'Todavía no se envió ningún informe.', automatic: 'Faro (automático)',
  nextUpdate: 'Próximo informe automático a las {t} (en {d}) para {to}.', updatesNotStarted: 'Informes automáticos cada {every} para {to}, cuando el protocolo llegue a ese paso.',
  updatesNoCadence: 'Este protocolo no envía informes automáticos; un informe enviado aquí llega a {to}.',
  updatesOver: 'El incidente está cerrado: no hay más informes.',
  updateLabel: 'Enviar un informe de situación ahora (llega a las mismas personas, y el próximo automático sale un intervalo completo después)',
  updatePost: 'Enviar el informe', updateSent: 'Informe enviado.',
  timeline: 'Línea de tiempo (lo más nuevo primero)', noEntries: 'No hay nada en la línea de tiempo.', olderEntries: 'Las {n} entradas más antiguas están en el informe.',
  showAll: 'Todo', showPeople: 'Lo que hizo la gente', byFaro: 'Faro',
  'tl.event': 'evento', 'tl.opened': 'apertura', 'tl.state': 'estado', 'tl.action': 'acción', 'tl.outcome': 'resultado',
  'tl.approval-asked': 'aprobación pedida', 'tl.approved': 'aprobada', 'tl.denied': 'rechazada', 'tl.escalated': 'escalamiento',
  'tl.no-answer': 'sin respuesta', 'tl.role': 'rol', 'tl.note': 'nota', 'tl.check': 'verificación', 'tl.override': 'excepción', 'tl.closed': 'cierre',
  noteBox: 'Agregar una nota', noteAdd: 'Agregar la nota', noteAdded: 'Nota agregada.',
  noteHelp: 'Empieza con «funcionó:» o «cambiar:» para que sea una lección del manual de crisis.',
  roles: 'Roles', noRoles: 'No hay roles.', nobodyHolds: 'nadie lo tiene', heldBefore: 'antes',
  roleLabel: 'Rol', personLabel: 'Persona', changeLabel: 'Cambio',
  'change.take': 'lo toma (nadie más lo tiene)', 'change.join': 'se suma (lo comparte)', 'change.hand-over': 'lo deja',
  roleSave: 'Guardar el rol', roleSaved: 'Rol cambiado.',
  lessons: 'Lecciones', worked: 'Qué funcionó', toChange: 'Qué cambiar',
  report: 'Informe', reportHtml: 'página para imprimir', reportMd: 'Markdown', 'reportIn.es': 'En español', 'reportIn.en': 'En inglés',
  logHelp: 'Cada incidente cerrado, guardado con su informe. El manual de crisis, por tipo de caso, sale de «faro manual» en el servidor.',
  searchLabel: 'Palabras a buscar (no importan acentos ni mayúsculas)', searchGo: 'Buscar', kindLabel: 'Tipo', anyKind: 'cualquiera',
  drillsLabel: 'Real o simulacro', 'drills.all': 'ambos', 'drills.none': 'solo incidentes reales', 'drills.only': 'solo simulacros',
  sinceLabel: 'Abiertos desde', untilLabel: 'hasta', listed: 'Incidentes en el registro de crisis: {n}.', found: 'Incidentes con «{q}»: {n}.',
  logEmpty: 'El registro de crisis está vacío: los incidentes llegan aquí al cerrarse.', nothingFound: 'No se encontró nada.',
  unwritten: 'Todavía no se pudieron escribir {n} incidentes cerrados en el registro de crisis (están a salvo en la base de datos):',
  logProblems: 'Carpetas del registro que no se pudieron leer:', outageLasted: 'caído {d}', openRoom: 'sala del incidente',
  'where.title': 'título', 'where.timeline': 'línea de tiempo', 'where.lessons': 'lecciones', 'where.override': 'motivo de excepción',
  'where.business': 'negocio', 'where.subject': 'tema',
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
