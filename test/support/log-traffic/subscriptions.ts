/** The log scan's feedback subscriptions (to withdrawals only, and gone at once) and deliveries. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TrafficClient } from './client.js';
import { M, NHS_DIGITS } from './markers.js';

export async function driveSubscriptions(c: TrafficClient, id: string) {
  const { t, send } = c;
  const sub = await send('/v1/subscriptions', t.policeB, {
    method: 'POST',
    json: { url: `http://127.0.0.1:9/${M.webhookPath}`, events: ['withdrawn'] },
    headers: { 'Idempotency-Key': randomUUID() },
  });
  expect(sub.status).toBe(201);
  expect((await send(`/v1/subscriptions/${sub.body.id}`, t.policeB)).status).toBe(200);
  expect((await send(`/v1/subscriptions/${sub.body.id}/deliveries`, t.policeB)).status).toBe(200);
  expect((await send(`/v1/subscriptions/${sub.body.id}`, t.policeB, { method: 'DELETE' })).status).toBe(204);
  expect(
    (
      await send('/v1/subscriptions', t.policeB, {
        method: 'POST',
        json: { url: `http://10.0.0.5/${M.webhookPath}/${NHS_DIGITS}`, events: ['accepted'] },
        headers: { 'Idempotency-Key': randomUUID() },
      })
    ).status,
  ).toBe(400);
  expect((await send(`/v1/deliveries?referralId=${id}`, t.lead)).status).toBe(200);
}
