/** faults tests, throttling: see ./faults.fixture.ts for what they run against. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ProvisionedThroughputExceededException, ThrottlingException } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { SK } from '../../shared/data/tables.js';
import { ddb } from '../../shared/data/client.js';
import { idempotencyKeyOf } from '../../shared/data/idempotency-repository.js';
import { createReferral, j1Body, postEvent } from '../support/referrals.js';
import {
  names,
  doc,
  api,
  tokens,
  scan,
  referralPartition,
  statesByReference,
  bodyWithReference,
  post,
  FAULT,
  injectThrottling,
  maxAttempts,
} from './faults.fixture.js';

// ---------------------------------------------------------------------------------------------

describe('b. throttling from DynamoDB', () => {
  it.each([
    ['ProvisionedThroughputExceededException', ProvisionedThroughputExceededException],
    ['ThrottlingException', ThrottlingException],
  ] as const)(
    '%s on fewer attempts than maxAttempts: the SDK retries and the create succeeds once',
    async (_name, kind) => {
      const reference = `FAULT-B-${randomUUID().slice(0, 8)}`;
      const max = await maxAttempts();
      const seen = injectThrottling(/^TransactWrite/, max - 1, kind);
      const res = await post(tokens.police, bodyWithReference(reference), randomUUID());
      expect(res.status).toBe(201);
      expect(seen).toEqual({ calls: max, failed: max - 1 });
      expect(await statesByReference(new Set([reference]))).toHaveLength(1);
    },
  );

  it(
    'persistent throttling: 503 problem+json with ' + 'Retry-After, nothing stored; the retry then creates once',
    async () => {
      const reference = `FAULT-B-${randomUUID().slice(0, 8)}`;
      const key = randomUUID();
      const body = bodyWithReference(reference);
      const auditBefore = (await scan(names.audit)).length;
      const seen = injectThrottling(/^TransactWrite/, Number.POSITIVE_INFINITY);
      const res = await post(tokens.police, body, key);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      const problem = (await res.json()) as Record<string, unknown>;
      expect(problem).toMatchObject({ status: 503 });
      expect(JSON.stringify(problem)).not.toContain(reference);
      expect(seen.calls).toBe(await maxAttempts()); // the SDK tried as often as it may, then gave up
      ddb().middlewareStack.remove(FAULT);

      expect(await statesByReference(new Set([reference]))).toEqual([]);
      const idem = await doc.send(
        new GetCommand({
          TableName: names.hub,
          Key: idempotencyKeyOf({ organisationId: 'police-a', clientId: 'police-a-triage' }, key),
          ConsistentRead: true,
        }),
      );
      expect(idem.Item).toBeUndefined();
      expect((await scan(names.audit)).length).toBe(auditBefore);

      const retry = await post(tokens.police, body, key);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
      expect(await statesByReference(new Set([reference]))).toHaveLength(1);
    },
  );

  it('persistent throttling of a transition: 503, the referral unchanged; the retry then applies once', async () => {
    const created = await createReferral(api, tokens.police);
    injectThrottling(/^TransactWrite/, Number.POSITIVE_INFINITY, ThrottlingException);
    const failed = await postEvent(api, tokens.lead, created.id, { type: 'start-review' }, created.etag);
    expect(failed.status).toBe(503);
    ddb().middlewareStack.remove(FAULT);
    const items = await referralPartition(created.id);
    expect(items.find((i) => i[SK] === 'STATE')).toMatchObject({ version: 1, changeSeq: 1, status: 'received' });
    expect(items.filter((i) => String(i[SK]).startsWith('EVENT#'))).toHaveLength(1);
    const ok = await postEvent(api, tokens.lead, created.id, { type: 'start-review' }, created.etag);
    expect(ok.status).toBe(200);
    expect(ok.etag).toBe('"2"');
  });

  it('throttled reads as well (every call): 503, never 500', async () => {
    injectThrottling(/./, Number.POSITIVE_INFINITY);
    const res = await post(tokens.police, j1Body(), randomUUID());
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBeTruthy();
  });
});

describe('d. a create retried after the client gave up', () => {
  it('aborted at 0–80 ms, then retried with the same key: exactly one referral per key', async () => {
    const cases = [0, 1, 2, 5, 10, 20, 40, 80].map((abortAfterMs) => ({
      abortAfterMs,
      key: randomUUID(),
      reference: `FAULT-D-${abortAfterMs}-${randomUUID().slice(0, 6)}`,
    }));
    const outcomes: { abortAfterMs: number; first: string; retry: number; replayed: boolean; id: string }[] = [];
    for (const c of cases) {
      const body = bodyWithReference(c.reference);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), c.abortAfterMs);
      let first: string;
      try {
        const res = await post(tokens.ambulance, body, c.key, controller.signal);
        first = `answered ${res.status}`;
        await res.arrayBuffer().catch(() => undefined);
      } catch (error) {
        first = (error as Error).name;
      } finally {
        clearTimeout(timer);
      }
      const retry = await post(tokens.ambulance, body, c.key);
      const view = (await retry.json()) as { id: string };
      outcomes.push({
        abortAfterMs: c.abortAfterMs,
        first,
        retry: retry.status,
        replayed: retry.headers.get('idempotent-replayed') === 'true',
        id: view.id,
      });
    }
    // The server finishes an abandoned request on its own: let any still in flight settle.
    await new Promise((r) => setTimeout(r, 500));
    expect(outcomes.map((o) => o.retry)).toEqual(cases.map(() => 201));
    expect(outcomes.filter((o) => o.first === 'AbortError').length).toBeGreaterThan(0);
    const states = await statesByReference(new Set(cases.map((c) => c.reference)));
    expect(states).toHaveLength(cases.length);
    for (const [i, c] of cases.entries()) {
      const mine = states.filter((s) => s.referrer.referrerReference === c.reference);
      expect(
        mine.map((s) => s.id),
        `abort after ${c.abortAfterMs} ms`,
      ).toEqual([outcomes[i]!.id]);
    }
  });
});

describe('e. racing one transition', () => {
  it('50 clients start-review with If-Match "1": exactly one 200, the rest 412', async () => {
    const created = await createReferral(api, tokens.police);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        api.fetch(`/v1/referrals/${created.id}/events`, {
          method: 'POST',
          token: tokens.lead,
          json: { type: 'start-review' },
          headers: { 'If-Match': '"1"' },
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    const counts = Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length]));
    expect(counts).toEqual({ 200: 1, 412: 49 });
    const items = await referralPartition(created.id);
    expect(items.find((i) => i[SK] === 'STATE')).toMatchObject({ version: 2, changeSeq: 2, status: 'under-review' });
    expect(items.filter((i) => String(i[SK]).startsWith('EVENT#')).map((i) => i[SK])).toEqual([
      'EVENT#00000001',
      'EVENT#00000002',
    ]);
  }, 60_000);
});
