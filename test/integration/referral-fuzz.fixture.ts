/** The fuzzing run: the stack, counters and the send-and-check of one case. */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { scanAll } from '../support/scan-all.js';
import { afterAll, beforeAll } from 'vitest';
import { ddb } from '../../shared/data/client.js';
import { PROBLEM_CONTENT_TYPE } from '../../shared/http/problem.js';
import { startTestApi, type TestApi } from '../support/api.js';
import {
  CLIENT_ID,
  KEY_PREFIX,
  MARKER,
  type FuzzCase,
  expectedPointers,
  uniqueSorted,
} from './referral-fuzz.bodies.js';
import {
  deleteRequired,
  wrongType,
  unknownKey,
  badEnum,
  invalidNhs,
  badTimestamp,
  badString,
  s136Home,
  outOfOrder,
  unknownLssa,
  randomJson,
  notAnObject,
} from './referral-fuzz.generators.js';

export const stats = { sent: 0, filteredOut: 0, fiveXx: 0, byKind: new Map<string, number>() };

export const caseArb: fc.Arbitrary<FuzzCase> = fc
  .oneof(
    { weight: 3, arbitrary: deleteRequired },
    { weight: 3, arbitrary: wrongType },
    { weight: 3, arbitrary: unknownKey },
    { weight: 2, arbitrary: badEnum },
    { weight: 1, arbitrary: invalidNhs },
    { weight: 2, arbitrary: badTimestamp },
    { weight: 2, arbitrary: badString },
    { weight: 1, arbitrary: s136Home },
    { weight: 1, arbitrary: outOfOrder },
    { weight: 1, arbitrary: unknownLssa },
    { weight: 1, arbitrary: randomJson },
    { weight: 1, arbitrary: notAnObject },
  )
  .filter((c) => {
    // Only bodies that really are invalid are sent.
    if (expectedPointers(c.text).length > 0) return true;
    stats.filteredOut += 1;
    return false;
  });

// ---------------------------------------------------------------------------------------------
// The test.

export let api: TestApi;
export let token: string;
export let startedAt: string;
export const sentKeys = new Set<string>();

beforeAll(async () => {
  api = await startTestApi();
  token = await api.clientToken(CLIENT_ID);
  startedAt = new Date(Date.now() - 1000).toISOString();
});
afterAll(async () => api?.close());

export const clip = (s: string, n = 1500) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

/** Sends one case; returns a description of what was wrong with the answer, if anything. */
export async function send(c: FuzzCase): Promise<string | undefined> {
  const key = `${KEY_PREFIX}${randomUUID()}`;
  sentKeys.add(key);
  const expected = expectedPointers(c.text);
  const res = await api.fetch('/v1/referrals', {
    method: 'POST',
    token,
    body: c.text,
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
  });
  const text = await res.text();
  stats.sent += 1;
  stats.byKind.set(c.kind, (stats.byKind.get(c.kind) ?? 0) + 1);
  if (res.status >= 500) stats.fiveXx += 1;

  const problems: string[] = [];
  if (expected.length === 0) problems.push('the local oracle now says this body is VALID (generator bug)');
  if (res.status !== 400) problems.push(`status ${res.status}, expected 400`);
  if (!(res.headers.get('content-type') ?? '').includes(PROBLEM_CONTENT_TYPE))
    problems.push(`content-type ${res.headers.get('content-type')}`);
  let body: { status?: unknown; errors?: unknown } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    problems.push('response body is not JSON');
  }
  if (body) {
    if (body.status !== 400) problems.push(`problem status ${String(body.status)}`);
    const errors = body.errors;
    if (!Array.isArray(errors) || errors.length === 0) problems.push('no errors[]');
    else {
      const malformed = errors.filter(
        (e) =>
          !(
            e &&
            typeof e.pointer === 'string' &&
            (e.pointer === '' || e.pointer.startsWith('/')) &&
            typeof e.message === 'string' &&
            e.message.length > 0
          ),
      );
      if (malformed.length) problems.push(`malformed field errors: ${JSON.stringify(malformed)}`);
      const got = uniqueSorted(errors.map((e: { pointer?: unknown }) => String(e?.pointer)));
      if (JSON.stringify(got) !== JSON.stringify(expected))
        problems.push(`pointers ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
    }
  }
  const headerText = [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
  for (const secret of [MARKER, ...c.secrets])
    if (secret && (text.includes(secret) || headerText.includes(secret)))
      problems.push(`response echoes a submitted value (${JSON.stringify(secret)})`);

  if (!problems.length) return undefined;
  return `[${c.kind}] ${problems.join('; ')}\n  request: ${clip(c.text)}\n  response ${res.status}: ${clip(text)}`;
}

export const scanTable = (table: string): Promise<Record<string, unknown>[]> => scanAll(ddb(), { TableName: table });
