#!/usr/bin/env node
// DEVELOPMENT AID ONLY — not part of Faro and not used by the real tests. It serves the
// dashboard, the listening page and the status page from web/src and answers the watch's and
// the listening API with fixture data (fixtures.mjs), so the pages and tests/dashboard/ can be
// tried before a real `faro serve` runs. Loopback only.
//
//   node web/dev/fixture-server.mjs [--port 8765|0] [--link-down]
//
// Prints "listening on PORT" and nothing after. Tokens (Authorization: Bearer ...):
//   dev-admin-token (admin), dev-manager-token (manager), dev-viewer-token (viewer).
// Like the real server: no or unknown token -> 401, a role too low -> 403, {"error": "..."}.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { makeWorld, makeSeries, makeListening } from './fixtures.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SRC = path.join(here, '..', 'src');
const UPLOT = path.join(here, '..', 'node_modules', 'uplot', 'dist');
const TOKENS = { 'dev-admin-token': 'admin', 'dev-manager-token': 'manager', 'dev-viewer-token': 'viewer' };
const RANK = { viewer: 0, manager: 1, admin: 2 };
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : 8765;
const world = makeWorld(Date.now(), { linkDown: args.includes('--link-down') });
const crowd = { byClient: new Map(), seen: new Set() };

// The pages get the same Content-Security-Policy as from faro serve, so a page that needs
// inline styles or scripts breaks here too.
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'";

function send(res, code, body, type = 'application/json') {
  const data = type === 'application/json' ? JSON.stringify(body) : body;
  const headers = { 'Content-Type': type, 'Cache-Control': 'no-store' };
  if (type.startsWith('text/html')) headers['Content-Security-Policy'] = CSP;
  res.writeHead(code, headers);
  res.end(data);
}

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  try { return text ? JSON.parse(text) : {}; } catch { return null; }
}

// The caller's role, or an answer already sent (401/403) and null.
function authorise(req, res, needed) {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Bearer ')) { send(res, 401, { error: 'missing Authorization: Bearer token' }); return null; }
  const role = TOKENS[header.slice(7).trim()];
  if (!role) { send(res, 401, { error: 'unknown API token' }); return null; }
  if (RANK[role] < RANK[needed]) { send(res, 403, { error: `this needs a ${needed} token; yours is ${role}` }); return null; }
  return role;
}

async function serveFile(res, dir, name) {
  if (!/^[\w.-]+$/.test(name)) return send(res, 404, { error: 'no such asset' });
  try {
    send(res, 200, await readFile(path.join(dir, name)), TYPES[path.extname(name)] ?? 'application/octet-stream');
  } catch {
    send(res, 404, { error: `no asset ${name}` });
  }
}

async function crowdReport(req, res) {
  const client = req.socket.remoteAddress;
  const recent = (crowd.byClient.get(client) ?? []).filter((at) => Date.now() - at < 60000);
  if (recent.length >= 5) return send(res, 429, { error: 'at most 5 reports a minute; try again later' });
  crowd.byClient.set(client, [...recent, Date.now()]);
  const body = await readJson(req);
  if (!body || typeof body.platform !== 'string') return send(res, 400, { error: 'body: expected {"platform": "...", "note": "..."}' });
  if (!world.platforms.some((x) => x.id === body.platform)) return send(res, 400, { error: `platform: "${body.platform}" is not watched here` });
  const key = `${client} ${body.platform}`;
  if (crowd.seen.has(key)) return send(res, 202, { accepted: false, reason: 'duplicate' });
  crowd.seen.add(key);
  return send(res, 202, { accepted: true });
}

async function acknowledge(req, res, id) {
  if (!authorise(req, res, 'manager')) return;
  const alert = world.alerts.find((a) => String(a.id) === id);
  if (!alert) return send(res, 404, { error: `no alert ${id}` });
  if (alert.state !== 'open') return send(res, 422, { error: `already acknowledged by ${alert.acknowledged_by} at ${alert.acknowledged_at}` });
  const body = (await readJson(req)) ?? {};
  Object.assign(alert, { state: 'acknowledged', acknowledged_at: new Date().toISOString(), acknowledged_by: body.by || 'dashboard' });
  return send(res, 200, { alert });
}

async function route(req, res) {
  const url = new URL(req.url, 'http://localhost');
  const p = url.pathname;
  const q = url.searchParams;
  if (req.method === 'GET' && p === '/') { res.writeHead(302, { Location: '/dashboard' }); return res.end(); }
  if (req.method === 'GET' && p === '/dashboard') return serveFile(res, SRC, 'dashboard.html');
  if (req.method === 'GET' && p === '/status') return serveFile(res, SRC, 'status.html');
  if (req.method === 'GET' && p === '/dashboard/listening') return serveFile(res, SRC, 'listening.html');
  if (req.method === 'GET' && p.startsWith('/assets/')) {
    const name = p.slice('/assets/'.length);
    return serveFile(res, name.startsWith('uPlot.') ? UPLOT : SRC, name);
  }
  if (req.method === 'GET' && p === '/status.json') return send(res, 200, world.status);
  if (req.method === 'POST' && p === '/api/v1/crowd-reports') return crowdReport(req, res);
  const ack = /^\/api\/v1\/alerts\/([^/]+)\/ack$/.exec(p);
  if (req.method === 'POST' && ack) return acknowledge(req, res, decodeURIComponent(ack[1]));
  if (req.method !== 'GET' || !p.startsWith('/api/v1/')) return send(res, 404, { error: `no route ${req.method} ${p}` });
  if (!authorise(req, res, 'viewer')) return;
  if (p === '/api/v1/watch') {
    const { link, platforms, vantages } = world;
    return send(res, 200, { generated_at: new Date().toISOString(), link, platforms, vantages });
  }
  const series = /^\/api\/v1\/watch\/platforms\/([^/]+)\/series$/.exec(p);
  if (series) {
    const id = decodeURIComponent(series[1]);
    if (!world.platforms.some((x) => x.id === id)) return send(res, 404, { error: `no platform ${id}` });
    const to = Date.parse(q.get('to') ?? '') || Date.now();
    const from = Date.parse(q.get('from') ?? '') || to - 6 * 3600000;
    return send(res, 200, makeSeries(world, id, from, to));
  }
  if (p === '/api/v1/alerts') {
    const state = q.get('state') ?? 'open';
    return send(res, 200, { alerts: world.alerts.filter((a) => state === 'all' || a.state === state) });
  }
  if (p === '/api/v1/listening') {
    const minutes = Number(q.get('minutes') ?? 360);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) return send(res, 400, { error: 'minutes: expected a whole number from 1 to 1440' });
    const lang = (req.headers['accept-language'] ?? '').toLowerCase().startsWith('es') ? 'es' : 'en';
    return send(res, 200, makeListening(Date.now(), minutes, lang));
  }
  if (p === '/api/v1/events') return send(res, 200, { events: world.events.slice(0, Number(q.get('limit') ?? 50)) });
  if (p === '/api/v1/failovers') return send(res, 200, { failovers: world.failovers });
  if (p === '/api/v1/inbox') return send(res, 200, { filter: q.get('filter') ?? 'all', conversations: world.conversations });
  return send(res, 404, { error: `no route GET ${p}` });
}

const server = http.createServer((req, res) => {
  route(req, res).catch((e) => send(res, 500, { error: String(e) }));
});
server.listen(port, '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
