/**
 * DOMAIN §8: "Logs carry ids and codes, never identifiable values; errors never echo submitted
 * values." Realistic traffic with seeded identities through the in-process API, every value a
 * distinctive marker (names, NHS numbers, dates of birth, phones, addresses, e-mails, free text),
 * through intake, triage, allocation, assessment, outcome, closing, withdrawal, bed requests,
 * capacity, subscriptions, audit queries and extracts, and through the errors (400, 401, 403,
 * 404, 409, 412, 413, 415, 422, 428, 500) with the markers in the refused requests. Everything
 * the process writes meanwhile is captured (stdout, stderr, console) and scanned: no marker may
 * appear. The logger logs at INFO here (the run's default is WARN), so every request line counts.
 *
 * The markers and the traffic, area by area, are in test/support/log-traffic/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../shared/logger.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { boom } from '../support/fixtures.js';
import {
  driveTraffic,
  hits,
  logScanTokens,
  M,
  MARKERS,
  NHS_DIGITS,
  NHS_SPACED,
  trafficClient,
  type TrafficClient,
} from '../support/log-traffic/index.js';
import { captureOutput } from '../support/security-capture.js';
import { multilineBoom } from '../support/security-fixtures.js';

process.env.FEEDBACK_SECRET_KEY ??= Buffer.alloc(32, 11).toString('base64');

let api: TestApi;
let traffic: TrafficClient;
let levelBefore: Parameters<typeof logger.setLogLevel>[0];

beforeAll(async () => {
  api = await startTestApi({ fixtures: [boom, multilineBoom] });
  traffic = trafficClient(api, await logScanTokens(api));
  // vitest.config sets POWERTOOLS_LOG_LEVEL=WARN for the run; this file needs every INFO line.
  levelBefore = logger.getLevelName() as typeof levelBefore;
  logger.setLogLevel('INFO');
});
afterAll(async () => {
  logger.setLogLevel(levelBefore);
  await api?.close();
});

describe('no identifiable data in logs', () => {
  it('has markers worth scanning for', () => {
    expect(MARKERS.filter((m) => m.length < 6)).toEqual([]);
    expect(MARKERS).toContain('943 476 5919');
  });

  it('every marker stays out of everything the process writes, across realistic traffic and its errors', async () => {
    const capture = captureOutput();
    /** The referral Alex checks in at: no log line of the safety routes or sweep may name it. */
    let whereaboutsReferralId = '';
    try {
      ({ whereaboutsReferralId } = await driveTraffic(traffic));
    } finally {
      capture.stop();
    }
    const lines = capture.lines();

    // The capture captured: the Hub's request lines, at INFO, for this traffic.
    const parsed = lines.flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
    const requestLines = parsed.filter((p) => p.message === 'request' || p.message === 'request failed');
    expect(requestLines.length).toBeGreaterThan(60);
    expect(requestLines.every((p) => typeof p.correlationId === 'string')).toBe(true);
    expect(parsed.some((p) => p.level === 'INFO')).toBe(true);
    const logged = new Set(requestLines.map((p) => p.correlationId));
    // Every request that reached a handler is in the log under its correlation id (the gateway's 401s never reach one).
    const reached = traffic.sent.filter((s) => s.status !== 401).map((s) => s.correlationId);
    expect(reached.filter((c) => !logged.has(c))).toEqual([]);
    expect(new Set(requestLines.map((p) => p.status))).toEqual(
      new Set([200, 201, 204, 400, 403, 404, 409, 412, 413, 415, 422, 428, 500]),
    );

    // And not one marker anywhere in it.
    expect(hits(lines)).toEqual([]);

    // Whereabouts (DOMAIN §9): the safety routes' and the sweep's lines say neither where nor which referral.
    const safetyLines = lines.filter((l) =>
      /"route":"(postWhereaboutsEvent|getWhereabouts|listAlerts|acknowledgeAlert)"|safety sweep/.test(l),
    );
    expect(safetyLines.length).toBeGreaterThan(8);
    expect(safetyLines.some((l) => l.includes('safety sweep'))).toBe(true);
    expect(safetyLines.filter((l) => l.includes(whereaboutsReferralId))).toEqual([]);
  });

  it('control: the capture and the scan do find a marker the logger writes', () => {
    const capture = captureOutput();
    try {
      logger
        .createChild({ persistentKeys: { correlationId: 'logscan-control' } })
        .info('probe', { value: `${M.givenName} ${NHS_SPACED}` });
      console.warn('probe', M.postcode);
    } finally {
      capture.stop();
    }
    expect(hits(capture.lines()).map((h) => h.markers)).toEqual([[M.givenName, NHS_SPACED], [M.postcode]]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['an assertion-style diff of the body', { givenName: M.givenName, nhsNumber: NHS_DIGITS, address: M.street }],
    // Free text whose lines happen to begin like stack frames ("at ...").
    [
      'free text with lines starting "at "',
      { quote: [`Last seen`, `at 12 ${M.street}, ${M.postcode}`, `at 9pm with ${M.relative} ${M.familyName}`] },
    ],
  ])(
    'an unknown error whose message quotes the request over several lines (%s): no line of it is logged',
    async (_name, json) => {
      const capture = captureOutput();
      let status: number;
      try {
        status = (await traffic.send('/test/multiline-boom', traffic.t.lead, { method: 'POST', json })).status;
      } finally {
        capture.stop();
      }
      expect(status).toBe(500);
      const lines = capture.lines();
      expect(lines.some((l) => l.includes('"unhandled error"'))).toBe(true);
      expect(hits(lines)).toEqual([]);
    },
  );
});
