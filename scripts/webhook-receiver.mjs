#!/usr/bin/env node
/**
 * A tiny feedback-webhook receiver for the README walkthrough, using only Node: listens on
 * 127.0.0.1 (the local stack's URL guard accepts loopback there, and only there), verifies each
 * message's Standard Webhooks signature with the subscription's secret, answers 204 (or 401 when
 * forged, altered or stale), and prints one line per verified message:
 *
 *   verified <webhook-id> <type> <reference> <status>
 *
 * Usage: node scripts/webhook-receiver.mjs --port 4400 --secret whsec_… [--count 1] [--timeout 60]
 * Exits 0 after `--count` verified messages (0: run until stopped), 1 when `--timeout` seconds
 * pass first. The secret may also come from HUB_WEBHOOK_SECRET.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4400' },
    secret: { type: 'string', default: process.env.HUB_WEBHOOK_SECRET ?? '' },
    count: { type: 'string', default: '0' },
    timeout: { type: 'string', default: '0' },
  },
});
const secret = values.secret;
if (!secret.startsWith('whsec_')) {
  console.error('webhook-receiver: give the subscription secret (whsec_…) with --secret or HUB_WEBHOOK_SECRET');
  process.exit(2);
}
const wanted = Number(values.count);
const TOLERANCE_SECONDS = 300;

/** Standard Webhooks: HMAC-SHA256 over `<id>.<timestamp>.<raw body>`, keyed by the base64 after `whsec_`. */
function verify(rawBody, headers) {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const sigs = headers['webhook-signature'];
  if (!id || !ts || !sigs || Math.abs(Date.now() / 1000 - Number(ts)) > TOLERANCE_SECONDS) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${rawBody}`).digest();
  return String(sigs)
    .split(' ')
    .some((s) => {
      const given = Buffer.from(s.startsWith('v1,') ? s.slice(3) : '', 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

let verified = 0;
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8');
    // GET answers "listening" (for `curl --retry-connrefused` to wait on); only POSTs are messages.
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('listening\n');
      return;
    }
    if (req.method !== 'POST' || !verify(raw, req.headers)) {
      console.log(`refused ${req.method} ${req.url}: signature not valid`);
      res.writeHead(401).end();
      return;
    }
    // Answer first (the Hub waits at most 5 s), then do the work.
    res.writeHead(204).end();
    const message = JSON.parse(raw);
    console.log(
      [
        'verified',
        req.headers['webhook-id'],
        message.type,
        message.data?.reference ?? '-',
        message.data?.status ?? '-',
      ].join(' '),
    );
    verified += 1;
    if (wanted > 0 && verified >= wanted) server.close(() => process.exit(0));
  });
});

server.listen(Number(values.port), '127.0.0.1', () => {
  console.log(`webhook-receiver listening on http://127.0.0.1:${server.address().port}/`);
});
if (Number(values.timeout) > 0) {
  setTimeout(() => {
    console.error(`webhook-receiver: ${verified} of ${wanted} message(s) within ${values.timeout} s`);
    process.exit(1);
  }, Number(values.timeout) * 1000).unref();
}
