/**
 * Alert channel receivers and the safety sweep driven by the clock seam (DOMAIN §9), for the
 * safety and alert tests: a receiver on 127.0.0.1, Standard Webhooks verification independent
 * of the Hub's code, and the scheduled handler run at a given time inside its declared access.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScheduledEvent } from 'aws-lambda';
import { accessScopeOf } from '../../functions/access.js';
import { handler as safetySweepHandler, type SafetySweepResult } from '../../functions/safety/sweep.js';
import { runWithAccess } from '../../shared/data/access-guard.js';
import { clock } from '../../shared/time.js';
import { onRequestBody } from './request-body.js';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  message: { type: string; data: Record<string, any> };
}

/** `status`: the answer to every request, or a function deciding each (the receiver down, then up). */
export async function startAlertReceiver(status: number | (() => number) = 200) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    onRequestBody(req, (body) => {
      received.push({ headers: req.headers, body, message: JSON.parse(body) });
      res.writeHead(typeof status === 'function' ? status() : status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hub-alerts`,
    received,
    about: (alertId: string) => received.filter((r) => r.message.data.alertId === alertId),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Standard Webhooks verification, independent of the Hub's code. */
export function verifies(headers: IncomingHttpHeaders, rawBody: string, secret: string): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${rawBody}`)
    .digest('base64');
  return String(headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

/** The scheduled handler at `at`, inside its declared access (as the local scheduler runs it). */
export async function sweepAt(at: Date): Promise<SafetySweepResult> {
  const real = clock.now;
  clock.now = () => at;
  try {
    return await runWithAccess(accessScopeOf('schedule', 'safetySweep'), () =>
      safetySweepHandler({} as ScheduledEvent),
    );
  } finally {
    clock.now = real;
  }
}
