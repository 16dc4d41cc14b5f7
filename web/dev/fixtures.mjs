// DEVELOPMENT AID ONLY (not used by any test): the JSON the watch's API answers, shaped as in
// the API contract, for a morning like 4 October 2021: WhatsApp, Instagram and Facebook down
// for everyone (DNS SERVFAIL), Telegram working, an open alert for WhatsApp, WhatsApp's
// customers moved to Telegram with a broadcast in progress. Times are relative to `now`.

const iso = (ms) => new Date(ms).toISOString();

export function makeWorld(now = Date.now(), { linkDown = false } = {}) {
  const outageStart = now - 47 * 60 * 1000;
  const down = (id, name, channels) => ({
    id, name, health: 'down', scope: 'global', cause: 'dns-servfail', covers_us: true,
    since: iso(outageStart + 90 * 1000), flapping: false, maintenance: false,
    words: { en: 'down for everyone', es: 'caído para todos' },
    summary: {
      en: `${name} fails from every vantage point: its DNS answers SERVFAIL; our reference sites answer.`,
      es: `${name} falla desde todos los puntos: su DNS responde SERVFAIL; nuestros sitios de referencia responden.`,
    },
    readings: [
      { vantage: 'here', health: 'down', cause: 'dns-servfail', failed: 6, endpoints: 6, at: iso(now - 12000), detail: 'SERVFAIL for a.whatsapp.net, web.whatsapp.com, …' },
      { vantage: 'madrid', health: 'down', cause: 'dns-servfail', failed: 6, endpoints: 6, at: iso(now - 25000), detail: 'SERVFAIL' },
    ],
    signals: { feed: 'major', crowd_reports: 14, crowd_baseline: 0.4, crowd_surge: true, outbox_sends: 3, outbox_faults: 3, outbox_failing: true },
    channels,
  });
  return {
    link: linkDown
      ? { state: 'down', since: iso(now - 95000), detail: '0/4 reference sites answer' }
      : { state: 'up', since: iso(now - 86400000), detail: '4/4 reference sites answer' },
    platforms: [
      down('whatsapp', 'WhatsApp', ['whatsapp']),
      down('instagram', 'Instagram', []),
      { ...down('facebook', 'Facebook', []), flapping: true },
      {
        id: 'telegram', name: 'Telegram', health: 'up', scope: '', cause: '', covers_us: true,
        since: iso(now - 3 * 86400000), flapping: false, maintenance: false,
        words: { en: 'working', es: 'funciona' }, summary: null,
        readings: [{ vantage: 'here', health: 'up', cause: '', failed: 0, endpoints: 4, at: iso(now - 9000), detail: 'all layers pass' }],
        signals: { feed: 'ok', crowd_reports: 0, crowd_baseline: 0.2, crowd_surge: false, outbox_sends: 212, outbox_faults: 0, outbox_failing: false },
        channels: ['telegram'],
      },
      {
        id: 'x', name: 'X', health: 'degraded', scope: 'regional', cause: 'slow', covers_us: false,
        since: iso(now - 8 * 60000), flapping: false, maintenance: true,
        words: { en: 'slow or unstable', es: 'lento o inestable' }, summary: { en: 'Slow answers from one vantage.', es: 'Respuestas lentas desde un punto.' },
        readings: [{ vantage: 'here', health: 'degraded', cause: 'slow', failed: 0, endpoints: 3, at: iso(now - 15000), detail: 'first byte 2.4 s' }],
        signals: { feed: null, crowd_reports: 1, crowd_baseline: 0.9, crowd_surge: false, outbox_sends: 0, outbox_faults: 0, outbox_failing: false },
        channels: [],
      },
    ],
    vantages: [
      { name: 'here', last_seen: iso(now - 4000), silent: false },
      { name: 'madrid', last_seen: iso(now - 21000), silent: false },
      { name: 'sao-paulo', last_seen: null, silent: true },
    ],
    alerts: [
      {
        id: 3, event_id: 12, subject: 'whatsapp', kind: 'platform-down', state: 'open', level: 1,
        created_at: iso(outageStart + 95000), acknowledged_at: null, acknowledged_by: '', resolved_at: null, escalated_at: iso(outageStart + 10 * 60000),
        summary: { en: 'WhatsApp is down for everyone (DNS SERVFAIL)', es: 'WhatsApp está caído para todos (DNS SERVFAIL)' },
        notified: [
          { person: 'Ana', role: 'owner', channel: 'telegram', message_id: 'm-101', level: 0, at: iso(outageStart + 96000) },
          { person: 'Leo', role: 'community-manager', channel: 'email', message_id: 'm-102', level: 1, at: iso(outageStart + 10 * 60000) },
        ],
      },
      {
        id: 4, event_id: 13, subject: 'instagram', kind: 'platform-down', state: 'acknowledged', level: 0,
        created_at: iso(outageStart + 100000), acknowledged_at: iso(outageStart + 5 * 60000), acknowledged_by: 'Ana', resolved_at: null, escalated_at: null,
        summary: { en: 'Instagram is down for everyone (DNS SERVFAIL)', es: 'Instagram está caído para todos (DNS SERVFAIL)' },
        notified: [{ person: 'Ana', role: 'owner', channel: 'telegram', message_id: 'm-103', level: 0, at: iso(outageStart + 101000) }],
      },
      {
        id: 1, event_id: 5, subject: 'x', kind: 'platform-degraded', state: 'resolved', level: 0,
        created_at: iso(now - 86400000), acknowledged_at: null, acknowledged_by: '', resolved_at: iso(now - 86000000), escalated_at: null,
        summary: { en: 'X was slow', es: 'X estuvo lento' }, notified: [],
      },
    ],
    failovers: [{
      channel: 'whatsapp', platform: 'whatsapp', state: 'active', started_at: iso(outageStart + 100000), undone_at: null, event_id: 12,
      broadcast: { id: 'b-7', template: 'reachable-elsewhere', progress: { sent: 118, pending: 37, failed: 4, skipped_no_consent: 9, skipped_no_address: 2, total: 170 } },
    }, {
      channel: 'instagram-dm', platform: 'instagram', state: 'active', started_at: iso(outageStart + 110000), undone_at: null, event_id: 13, broadcast: null,
    }],
    conversations: [
      { contact_id: 1, name: 'Eva', status: 'waiting', unanswered: true, last_inbound_at: iso(now - 6 * 60000), last_inbound_channel: 'telegram' },
      { contact_id: 7, name: 'Jorge <b>bold?</b>', status: 'waiting', unanswered: true, last_inbound_at: iso(now - 31 * 60000), last_inbound_channel: 'email' },
    ],
    events: [
      { id: 14, at: iso(now - 8 * 60000), kind: 'platform-degraded', subject: 'x', state: 'degraded', previous: 'up', scope: 'regional', cause: 'slow', covers_us: false, suppressed_by: 'maintenance window', evidence: {} },
      { id: 13, at: iso(outageStart + 100000), kind: 'platform-down', subject: 'instagram', state: 'down', previous: 'up', scope: 'global', cause: 'dns-servfail', covers_us: true, suppressed_by: '', evidence: {} },
      { id: 12, at: iso(outageStart + 90000), kind: 'platform-down', subject: 'whatsapp', state: 'down', previous: 'up', scope: 'global', cause: 'dns-servfail', covers_us: true, suppressed_by: '', evidence: {} },
      { id: 11, at: iso(outageStart + 80000), kind: 'platform-down', subject: 'facebook', state: 'down', previous: 'up', scope: 'global', cause: 'dns-servfail', covers_us: true, suppressed_by: '', evidence: {} },
      { id: 5, at: iso(now - 86400000), kind: 'platform-degraded', subject: 'x', state: 'degraded', previous: 'up', scope: 'global', cause: 'slow', covers_us: true, suppressed_by: '', evidence: {} },
    ],
    status: {
      business: { name: 'Nutrición Ana', lang: 'es' }, updated_at: iso(now - 3000),
      channels: [
        { id: 'telegram', platform: 'telegram', label: 'Telegram', working: true, address: 't.me/nutricion_ana' },
        { id: 'email', platform: '', label: 'Email', working: true, address: 'hola@nutricion-ana.example' },
        { id: 'sms', platform: '', label: 'SMS', working: true, address: '+54 9 11 5555-0100' },
        { id: 'whatsapp', platform: 'whatsapp', label: 'WhatsApp', working: false, address: '+54 9 11 5555-0100' },
        { id: 'instagram', platform: 'instagram', label: 'Instagram', working: false, address: '@nutricion_ana' },
      ],
      notice: { en: 'WhatsApp and Instagram are down for everyone; write to us on Telegram or by email.', es: 'WhatsApp e Instagram están caídos para todos; escríbenos por Telegram o por email.' },
    },
  };
}

// Phase timings for the last 6 hours, one point a minute; a platform that is down has failed
// checks (and no phases past DNS) since the outage started.
export function makeSeries(world, id, from, to) {
  const platform = world.platforms.find((p) => p.id === id);
  const outage = platform && platform.health === 'down' ? Date.parse(platform.since) : Infinity;
  const points = [];
  const start = Math.ceil(from / 60000) * 60000;
  for (let at = start; at <= to; at += 60000) {
    const wave = Math.sin(at / 900000);
    const failing = at >= outage;
    const slow = platform?.health === 'degraded' && at > to - 15 * 60000;
    points.push({
      at: new Date(at).toISOString(), checks: 2, failed: failing ? 2 : 0, slow: slow ? 2 : 0,
      dns_ms: failing ? null : 2 + wave, connect_ms: failing ? null : 14 + 3 * wave,
      tls_ms: failing ? null : 28 + 4 * wave, first_byte_ms: failing ? null : (slow ? 900 : 60) + 10 * wave,
      total_ms: failing ? null : 110, total_max_ms: failing ? null : 140,
    });
  }
  return { platform: id, resolution: 'minute', points };
}

// The listening API's answer (GET /api/v1/listening): the brand "Nutrición Ana" with two days
// of ordinary minutes and, 20 minutes ago, a wave of complaints that started with @juanp's reply
// to the brand's account; the outage-chatter topic "whatsapp-caido" without mentions. `lang`
// is the caller's (Accept-Language): the crisis card's `text` comes in it.
export function makeListening(now, minutes, lang) {
  const minute = (ms) => Math.floor(ms / 60000) * 60000;
  const newest = minute(now) - 6 * 60000;
  const burst = newest - 14 * 60000;
  const rows = [];
  for (let at = newest - (minutes - 1) * 60000; at <= newest; at += 60000) {
    const k = (at - burst) / 60000;
    const n = k >= 0 ? Math.min(2 + 4 * k, 30) : (at / 60000) % 3; // 0, 1, 2 before the burst
    if (!n) continue;
    const negative = k >= 0 ? n : at % 7 === 0 ? 1 : 0;
    rows.push({ at: iso(at), mentions: n, negative, neutral: 0, positive: n - negative > 0 ? 1 : 0,
      unknown: Math.max(0, n - negative - 1), reach: 150 * n });
  }
  const post = (id, at, author, text, extra = {}) => ({ id, at: iso(at), author, author_id: `u-${author}`, followers: 230, shares: 0,
    likes: 0, sentiment: 'negative', text, url: `https://x.com/${author}/status/${id}`, reply_to: '9001', reply_to_author: 'juanp', ...extra });
  const es = lang === 'es';
  const card = {
    crisis: 1, rule: 'nutricion-ana', name: 'Nutrición Ana', subject: 'brand:nutricion-ana', kind: 'both', state: 'suspected',
    started: iso(burst), suspected: iso(burst + 2 * 60000), updated: iso(newest + 60000), ended: null,
    scores: { volume: 0.61, negative: 0.58 },
    magnitude: { per_minute: 28.7, usual_per_minute: 0.9, peak_per_minute: 30, mentions: 313, unique_authors: 182, reach: 181916,
      shares: 650, velocity: 28.3, negative_share: 1, usual_negative_share: 0.14, overall_negative_share: 1 },
    origin: {
      pattern: 'one-post', top_author: { author: 'vecino213', mentions: 6, share: 0.019 },
      top_post: { id: '9001', author: 'juanp', replies: 311, share: 0.99 },
      started_as_reply_to_brand: true, brand_handle: 'nutriana', brand_answered: false, conversation_share: 0.99, replies_to_brand_share: 0.01,
      earliest: [
        post('9001', burst + 5000, 'juanp', '@nutriana me cobraron dos veces la consulta y nadie me responde. Quiero mi reembolso',
          { reply_to: 'ana-100', reply_to_author: 'nutriana', shares: 2 }),
        post('3922', burst + 20000, 'juanp', '@nutriana sigo esperando mi reembolso, es una estafa'),
      ],
      earliest_complete: true,
      most_amplified: [post('3975', burst + 4 * 60000, 'influencer', 'Ojo con Nutrición Ana: cobran doble y no devuelven. #NuncaMás',
        { followers: 98000, shares: 320, reply_to: '', reply_to_author: '' })],
      terms: [{ term: '#nuncamas', mentions: 290, usual: 0, z: 9.1 }, { term: 'estafa', mentions: 200, usual: 0.2, z: 8.2 }],
    },
    summary: {
      en: 'Possible crisis at “Nutrición Ana” (mention spike and negative wave): 29 mentions/min (usual: 0.9), 100% negative (usual: 14%).',
      es: 'Posible crisis en «Nutrición Ana» (pico de menciones y ola negativa): 29 menciones/min (lo normal: 0,9), 100 % negativas (lo normal: 14 %).',
    },
  };
  card.text = `${card.summary[es ? 'es' : 'en']}\n${es
    ? 'Empezó a las 14:02 UTC con una respuesta de @juanp a vuestra cuenta que nadie contestó; el 99 % de las menciones responden a una misma publicación de @juanp.'
    : 'It started at 14:02 UTC with a reply from @juanp to your account that nobody answered; 99% of the mentions reply to one post by @juanp.'}\n`;
  return {
    generated_at: iso(now), mentions: 3264,
    rules: [
      { id: 'nutricion-ana', name: 'Nutrición Ana', kind: 'brand', brand: 'nutricion-ana', platform: '',
        totals: { mentions: 3264, negative: 576, neutral: 0, positive: 1462, unknown: 1226, reach: 629285 }, minutes: rows },
      { id: 'whatsapp-caido', name: 'WhatsApp caído / WhatsApp down', kind: 'topic', brand: '', platform: 'whatsapp',
        totals: { mentions: 0, negative: 0, neutral: 0, positive: 0, unknown: 0, reach: 0 }, minutes: [] },
    ],
    crises: [card],
  };
}
