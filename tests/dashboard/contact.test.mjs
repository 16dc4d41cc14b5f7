// The status page's links: a customer taps an address and the right app opens; anything
// unclear (or an unsafe scheme) stays plain text. Runs in node alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contactHref } from '../../web/src/contact.js';

test('addresses become the link a phone opens', () => {
  assert.equal(contactHref('telegram', 't.me/nutricion_ana'), 'https://t.me/nutricion_ana');
  assert.equal(contactHref('telegram', '@nutricion_ana'), 'https://t.me/nutricion_ana');
  assert.equal(contactHref('instagram', '@nutricion_ana'), 'https://www.instagram.com/nutricion_ana/');
  assert.equal(contactHref('email', 'hola@example.com'), 'mailto:hola@example.com');
  assert.equal(contactHref('whatsapp', '+54 9 11 5555-0100'), 'https://wa.me/5491155550100');
  assert.equal(contactHref('sms', '+54 9 11 5555-0100'), 'sms:+5491155550100');
  assert.equal(contactHref('phone', '(011) 4555-0100'), 'tel:01145550100');
  assert.equal(contactHref('web', 'https://example.com/contact'), 'https://example.com/contact');
});

test('unclear or unsafe addresses stay text', () => {
  assert.equal(contactHref('whatsapp', '+54 9 11 …'), '');
  assert.equal(contactHref('web', 'javascript:alert(1)'), '');
  assert.equal(contactHref('web', 'http://example.com'), '');
  assert.equal(contactHref('email', 'not an address'), '');
  assert.equal(contactHref('x', '@brand'), '');
  assert.equal(contactHref('telegram', ''), '');
  assert.equal(contactHref('telegram', undefined), '');
});
