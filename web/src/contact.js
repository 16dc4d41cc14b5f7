// How a customer opens a channel's address from the status page (no DOM here: testable in node).

// A link for an address, only with schemes a customer's phone opens safely (https, mailto,
// tel, sms); "" when the address is not clearly one of them (then it is shown as text).
export function contactHref(channelId, address) {
  const a = String(address ?? '').trim();
  const id = String(channelId ?? '');
  if (!a || /…|\.\.\./.test(a)) return '';
  if (/^https:\/\/[^\s"<>]+$/i.test(a)) return a;
  if (/^(t\.me|wa\.me|m\.me|(www\.)?instagram\.com|(www\.)?facebook\.com)\/[^\s"<>]+$/i.test(a)) return `https://${a}`;
  if (/^[^\s@"<>]+@[^\s@"<>]+\.[a-z]{2,}$/i.test(a)) return `mailto:${a}`;
  const digits = a.replace(/[\s().-]/g, '');
  if (/^\+?\d{6,15}$/.test(digits)) {
    if (/whatsapp/i.test(id)) return `https://wa.me/${digits.replace('+', '')}`;
    if (/sms/i.test(id)) return `sms:${digits}`;
    return `tel:${digits}`;
  }
  const handle = /^@(\w{3,})$/.exec(a);
  if (handle && /telegram/i.test(id)) return `https://t.me/${handle[1]}`;
  if (handle && /instagram/i.test(id)) return `https://www.instagram.com/${handle[1]}/`;
  return '';
}
