/** The log scan's capacity traffic: a unit and a site of its own, in an LSSA nobody filters on. */
import { expect } from 'vitest';
import { uniqueId } from '../api.js';
import type { TrafficClient } from './client.js';
import { M } from './markers.js';

export async function driveCapacity(c: TrafficClient) {
  const { api, t, send } = c;
  const unitId = uniqueId('logscan-unit');
  const unit = {
    name: M.unitName,
    site: 'Test site',
    icb: 'QHG',
    lssas: ['E06000056'],
    s140Designated: true,
    acceptsUnder18: false,
    contactRoute: `Ward 24h: ${M.unitContact}`,
  };
  expect((await send(`/v1/bed-units/${unitId}`, t.bedsP, { method: 'PUT', json: unit })).status).toBe(201);
  expect((await send(`/v1/bed-units/${unitId}`, t.bedsP, { method: 'PUT', json: unit })).status).toBe(428);
  expect(
    (
      await send(`/v1/bed-units/${unitId}/availability`, t.bedsP, {
        method: 'PUT',
        json: {
          asOf: new Date().toISOString(),
          beds: [{ bedType: 'adult-acute', sex: 'male', available: 2, total: 18 }],
        },
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await send(`/v1/bed-units/${unitId}/availability`, t.bedsP, {
        method: 'PUT',
        json: {
          asOf: new Date(Date.now() - 3_600_000).toISOString(),
          beds: [{ bedType: 'adult-acute', sex: 'male', available: 1, total: 18 }],
        },
      })
    ).status,
  ).toBe(409);
  expect(
    (
      await send(`/v1/bed-units/${unitId}`, await api.clientToken('provider-q-beds'), {
        method: 'PUT',
        json: { ...unit, name: `Taken ${M.unitName}` },
        headers: { 'If-Match': '"1"' },
      })
    ).status,
  ).toBe(403);
  expect((await send('/v1/bed-availability?lssa=E06000056', t.lead)).status).toBe(200);
  expect(
    (await send(`/v1/bed-units/${unitId}/history?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z`, t.sam)).status,
  ).toBe(200);
  const siteId = uniqueId('logscan-site');
  expect(
    (
      await send(`/v1/places-of-safety/${siteId}`, t.bedsP, {
        method: 'PUT',
        json: { name: M.unitName, lssas: ['E06000056'], acceptsUnder18: true, contactRoute: `Suite ${M.unitContact}` },
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await send(`/v1/places-of-safety/${siteId}/status`, t.bedsP, {
        method: 'PUT',
        json: { asOf: new Date().toISOString(), status: 'open', capacity: 2, emptySpaces: 1, acceptsUnder18: true },
      })
    ).status,
  ).toBe(200);
  expect((await send('/v1/places-of-safety?lssa=E06000056', t.policeA)).status).toBe(200);
}
