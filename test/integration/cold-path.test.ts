/**
 * #21 cold path: on a container that remembers nothing of the registry, a create makes at most
 * two sequential DynamoDB round trips before its write, and the duplicate lookup overlaps caller
 * resolution. Every command the document client sends is recorded with its start and end, and
 * the longest chain of commands that waited for one another before the transaction is counted.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { createReferral, j1Body } from '../support/referrals.js';
import { ddb } from '../../shared/data/client.js';
import { forgetCallers } from '../../shared/identity/caller.js';

interface Sent {
  readonly command: string;
  readonly input: Record<string, any>;
  readonly start: number;
  end: number;
}

let api: TestApi;
let token: string;
let recording: Sent[] | undefined;
const RECORDER = 'coldPathRecorder';

beforeAll(async () => {
  api = await startTestApi();
  token = await api.clientToken('police-a-triage');
  ddb().middlewareStack.add(
    (next, context) => async (args) => {
      if (!recording) return next(args);
      const sent: Sent = {
        command: String(context.commandName),
        input: args.input as Record<string, any>,
        start: performance.now(),
        end: Number.POSITIVE_INFINITY,
      };
      recording.push(sent);
      try {
        return await next(args);
      } finally {
        sent.end = performance.now();
      }
    },
    { step: 'initialize', name: RECORDER },
  );
});
afterAll(async () => {
  ddb().middlewareStack.remove(RECORDER);
  await api.close();
});

/** The longest chain of commands each started after the previous one ended: sequential round trips. */
function sequentialRoundTrips(calls: readonly Sent[]): number {
  const depth = new Map<Sent, number>();
  for (const c of [...calls].sort((a, b) => a.start - b.start)) {
    const before = calls.filter((p) => p !== c && p.end <= c.start).map((p) => depth.get(p) ?? 0);
    depth.set(c, 1 + Math.max(0, ...before));
  }
  return Math.max(0, ...depth.values());
}

/** A create on a cold container: everything sent for it, and the commands before its transaction. */
async function coldCreate(body: unknown) {
  forgetCallers();
  recording = [];
  const res = await api.fetch('/v1/referrals', {
    method: 'POST',
    token,
    json: body,
    headers: { 'Idempotency-Key': randomUUID() },
  });
  const calls = recording;
  recording = undefined;
  const write = calls.find((c) => c.command === 'TransactWriteItemsCommand');
  expect(write).toBeDefined();
  const beforeWrite = calls.filter((c) => c !== write && c.start < write!.start);
  return { res, calls, beforeWrite };
}

/** The partition key as the command carries it (plain, or marshalled `{ S }`). */
const pkOf = (key: Record<string, any>) => (typeof key.PK === 'string' ? key.PK : key.PK?.S);

describe('cold create (#21)', () => {
  it(
    'resolves the caller, the organisation and the ' + 'settings in one BatchGet, beside the duplicate lookup',
    async () => {
      const { res, beforeWrite } = await coldCreate(j1Body());
      expect(res.status).toBe(201);
      const registryReads = beforeWrite.filter(
        (c) =>
          c.command === 'BatchGetItemCommand' &&
          Object.values(c.input.RequestItems).some((r: any) => r.Keys.some((k: any) => pkOf(k) === 'CONFIG')),
      );
      expect(registryReads).toHaveLength(1);
      // Nothing read apart: no organisation GetItem, no second settings read.
      expect(beforeWrite.filter((c) => c.command === 'GetItemCommand')).toEqual([]);
      expect(beforeWrite.filter((c) => c.command === 'QueryCommand').every((c) => c.input.IndexName === 'person')).toBe(
        true,
      );
      expect(sequentialRoundTrips(beforeWrite)).toBe(1);
    },
  );

  it('makes at most two sequential round trips before the write when the person was referred before', async () => {
    const body = j1Body();
    const first = await createReferral(api, token, body);
    const again = j1Body({ person: body.person });
    const { res, beforeWrite } = await coldCreate(again);
    expect(res.status).toBe(201);
    // Behaviour unchanged: the referrer still learns of its own possible duplicate.
    expect(((await res.json()) as { possibleDuplicateOf?: string[] }).possibleDuplicateOf).toContain(first.id);
    // Caller BatchGet ‖ person Queries, then the BatchGet of the referrals found.
    expect(sequentialRoundTrips(beforeWrite)).toBe(2);
    expect(beforeWrite.map((c) => c.command).sort()).toEqual(
      [
        'BatchGetItemCommand',
        'BatchGetItemCommand',
        ...beforeWrite.filter((c) => c.command === 'QueryCommand').map(() => 'QueryCommand'),
      ].sort(),
    );
  });

  it('a warm container reads nothing of the registry', async () => {
    await createReferral(api, token);
    recording = [];
    await createReferral(api, token);
    const calls = recording;
    recording = undefined;
    expect(calls.filter((c) => c.command === 'BatchGetItemCommand' || c.command === 'GetItemCommand')).toEqual([]);
  });
});
