/** The log scan's audit queries and analyst extracts (with their 400, 401 and 403). */
import { expect } from 'vitest';
import type { TrafficClient } from './client.js';
import { M, NHS_DIGITS } from './markers.js';

export async function driveAuditAndExtracts(c: TrafficClient, id: string) {
  const { t, send } = c;
  expect((await send(`/v1/audit?referralId=${id}`, t.auditor)).status).toBe(200);
  expect(
    (
      await send(
        `/v1/audit?organisationId=police-a&from=${encodeURIComponent(new Date(Date.now() - 600_000).toISOString())}`,
        t.auditor,
      )
    ).status,
  ).toBe(200);
  expect((await send(`/v1/audit?referralId=${M.givenName}-${NHS_DIGITS}`, t.auditor)).status).toBe(200);
  expect((await send(`/v1/audit`, t.auditor)).status).toBe(400);
  const month = new Date().toISOString().slice(0, 7);
  expect(
    (await send('/v1/extracts/demand?period=month&from=2026-01-01&to=2026-01-31&by=agencyType,outcome', t.dashboard))
      .status,
  ).toBe(200);
  expect((await send('/v1/extracts/timings?period=month&from=2026-01-01&to=2026-01-31', t.dashboard)).status).toBe(200);
  expect(
    (
      await send('/v1/extracts/data-quality?period=month&from=2026-01-01&to=2026-01-31', t.dashboard, {
        headers: { Accept: 'text/csv' },
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await send('/v1/extracts/capacity?period=month&from=2026-01-01&to=2026-01-31', t.dashboard, {
        headers: { Accept: 'text/csv' },
      })
    ).status,
  ).toBe(200);
  expect((await send(`/v1/extracts/records?month=${month}`, t.pipeline)).status).toBe(200);
  expect((await send(`/v1/extracts/records?month=${month}`, t.dashboard)).status).toBe(401);
  expect(
    (await send(`/v1/extracts/demand?period=month&from=2026-01-01&to=2026-01-31&lssa=E06000057`, t.dashboard)).status,
  ).toBe(403);
}
