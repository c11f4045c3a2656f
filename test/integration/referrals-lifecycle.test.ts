import { describe, expect, it } from 'vitest';
import { createReferral, j1Body, postEvent, wholeBoard } from '../support/referrals.js';
import { sweep } from '../../functions/clocks/sweep.js';
import { clock } from '../../shared/time.js';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, tableName } from '../../shared/data/client.js';
import { referralKeys } from '../../shared/data/referral-repository.js';
import { HUB_INDEXES } from '../../shared/data/tables.js';

import { api, get, inHours, tokens, useReferralsApi } from './referrals.fixture.js';

useReferralsApi();

describe('lifecycle rules', () => {
  it('illegal transitions are 409; a stale If-Match is 412; a missing one 428', async () => {
    const { id, etag } = await createReferral(api, tokens.policeA);
    expect((await postEvent(api, tokens.lead, id, { type: 'accept', reason: 'x' }, etag)).status).toBe(409);
    const missing = await api.fetch(`/v1/referrals/${id}/events`, {
      method: 'POST',
      token: tokens.lead,
      json: { type: 'start-review' },
    });
    expect(missing.status).toBe(428);
    const ok = await postEvent(api, tokens.lead, id, { type: 'start-review' }, etag);
    expect(ok.status).toBe(200);
    expect((await postEvent(api, tokens.lead, id, { type: 'accept', reason: 'x' }, etag)).status).toBe(412);
  });

  it('decisions need a person; triage needs the lead or a duty reviewer; allocation needs the register', async () => {
    const { id, etag } = await createReferral(api, tokens.policeA);
    const bySystem = await postEvent(api, tokens.leadSystem, id, { type: 'start-review' }, etag);
    expect(bySystem.status).toBe(403);
    // not a duty reviewer
    expect((await postEvent(api, tokens.sam, id, { type: 'start-review' }, etag)).status).toBe(403);
    let step = await postEvent(api, tokens.alex, id, { type: 'start-review' }, etag); // duty reviewer
    expect(step.status).toBe(200);
    step = await postEvent(api, tokens.alex, id, { type: 'accept', reason: 'Needs assessment' }, step.etag!);
    expect(step.status).toBe(200);
    const unknown = await postEvent(
      api,
      tokens.lead,
      id,
      { type: 'allocate', amhpId: 'amhp-nobody', expectedAttendanceAt: inHours(1) },
      step.etag!,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].pointer).toBe('/amhpId');
    // Alex reviewed it: separation of duties.
    expect(
      (
        await postEvent(
          api,
          tokens.lead,
          id,
          { type: 'allocate', amhpId: 'amhp-alex', expectedAttendanceAt: inHours(1) },
          step.etag!,
        )
      ).status,
    ).toBe(409);
    // Only the lead allocates.
    expect(
      (
        await postEvent(
          api,
          tokens.sam,
          id,
          { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: inHours(1) },
          step.etag!,
        )
      ).status,
    ).toBe(403);
  });

  it('an AMHP not authorised for the LSSA cannot be allocated', async () => {
    const { id, etag } = await createReferral(api, tokens.policeA, j1Body({ responsibleLssa: 'E06000056' }));
    let step = await postEvent(api, tokens.lead, id, { type: 'start-review' }, etag);
    step = await postEvent(api, tokens.lead, id, { type: 'accept', reason: 'ok' }, step.etag!);
    const res = await postEvent(
      api,
      tokens.lead,
      id,
      { type: 'allocate', amhpId: 'amhp-alex', expectedAttendanceAt: inHours(1) },
      step.etag!,
    );
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/not authorised/);
  });

  it('the outcome is the allocated AMHP’s and immutable: amended only by the same AMHP, with a reason', async () => {
    const { id, etag } = await createReferral(api, tokens.ae);
    let step = await postEvent(api, tokens.lead, id, { type: 'start-review' }, etag);
    step = await postEvent(api, tokens.lead, id, { type: 'accept', reason: 'ok' }, step.etag!);
    step = await postEvent(
      api,
      tokens.lead,
      id,
      { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: inHours(1) },
      step.etag!,
    );
    const outcome = {
      type: 'record-outcome',
      outcome: 'home-treatment-crisis-team',
      nextSteps: 'Crisis team visit tomorrow',
      reasonsInWriting: 'Agreed to home treatment.',
    };
    expect((await postEvent(api, tokens.lead, id, outcome, step.etag!)).status).toBe(403);
    step = await postEvent(api, tokens.sam, id, outcome, step.etag!);
    expect(step.status).toBe(200);
    expect((await postEvent(api, tokens.sam, id, outcome, step.etag!)).status).toBe(409);
    const amend = {
      type: 'amend-outcome',
      outcome: 'informal-admission',
      reason: 'Agreed to informal admission after all',
      nextSteps: 'Informal admission today',
      reasonsInWriting: 'Consented to admission.',
    };
    expect((await postEvent(api, tokens.alex, id, amend, step.etag!)).status).toBe(403);
    step = await postEvent(api, tokens.sam, id, amend, step.etag!);
    expect(step.status).toBe(200);
    expect(step.body.outcome).toMatchObject({ outcome: 'informal-admission', amendments: 1 });
    const history = (await (await api.fetch(`/v1/referrals/${id}/events`, { token: tokens.lead })).json()) as any;
    expect(
      history.items.filter((e: any) => e.type.startsWith('outcome-')).map((e: any) => [e.type, e.data.outcome]),
    ).toEqual([
      ['outcome-recorded', 'home-treatment-crisis-team'],
      ['outcome-amended', 'informal-admission'],
    ]);
  });

  it('J6: the referrer withdraws before acceptance; after it, it can only ask', async () => {
    const before = await createReferral(api, tokens.cmht);
    const withdrawn = await postEvent(
      api,
      tokens.cmht,
      before.id,
      { type: 'withdraw', reason: 'Agreed to informal admission' },
      before.etag,
    );
    expect(withdrawn.body.status).toBe('withdrawn');
    const board = (await (await api.fetch('/v1/referrals?view=board&limit=100', { token: tokens.lead })).json()) as any;
    expect(board.items.map((r: any) => r.id)).not.toContain(before.id);

    const after = await createReferral(api, tokens.cmht);
    let step = await postEvent(api, tokens.lead, after.id, { type: 'start-review' }, after.etag);
    step = await postEvent(api, tokens.lead, after.id, { type: 'accept', reason: 'ok' }, step.etag!);
    expect((await postEvent(api, tokens.cmht, after.id, { type: 'withdraw', reason: 'x' })).status).toBe(409);
    expect(
      (
        await postEvent(api, tokens.cmht, after.id, {
          type: 'request-withdrawal',
          reason: 'Agreed to informal admission',
        })
      ).status,
    ).toBe(200);
    const closed = await postEvent(api, tokens.lead, after.id, { type: 'close', reason: 'withdrawn-by-referrer' });
    expect(closed.body.status).toBe('closed');
    // Another organisation cannot act on it at all.
    expect(
      (await postEvent(api, tokens.policeB, after.id, { type: 'information-added', note: 'x' }, '"1"')).status,
    ).toBe(404);
  });
});

describe('a retried change', () => {
  it('replays the whole first answer (a full referral, stored compressed) for the same Idempotency-Key', async () => {
    const { id, etag } = await createReferral(api, tokens.policeA);
    const send = () =>
      api.fetch(`/v1/referrals/${id}/events`, {
        method: 'POST',
        token: tokens.lead,
        json: { type: 'start-review' },
        headers: { 'If-Match': etag, 'Idempotency-Key': `replay-${id}` },
      });
    const first = await send();
    const firstText = await first.text();
    expect(first.status).toBe(200);
    expect(firstText.length).toBeGreaterThan(1024);
    const again = await send();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(firstText);
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    // The record keeps that body compressed (2 WCU per started KB in the transaction).
    const stored = await ddb().send(
      new QueryCommand({
        TableName: tableName('hub'),
        KeyConditionExpression: 'PK = :p',
        ExpressionAttributeValues: { ':p': `IDEMPOTENCY#amhp-service#replay-${id}` },
        ConsistentRead: true,
      }),
    );
    expect(stored.Items).toHaveLength(1);
    expect(stored.Items![0]!.response.body).toBeUndefined();
    expect(stored.Items![0]!.response.bodyZ.length).toBeLessThan(firstText.length / 2);
  });
});

describe('reads, board and feed', () => {
  it('finds a referral by its reference, as read on the phone', async () => {
    const { id, reference } = await createReferral(api, tokens.policeA);
    const spoken = reference.toLowerCase().replace(/-/g, ' ');
    const found = (await (
      await api.fetch(`/v1/referrals?reference=${encodeURIComponent(spoken)}`, { token: tokens.lead })
    ).json()) as any;
    expect(found.items.map((r: any) => r.id)).toEqual([id]);
    const other = (await (
      await api.fetch(`/v1/referrals?reference=${reference}`, { token: tokens.policeB })
    ).json()) as any;
    expect(other.items).toEqual([]);
  });

  // References are random and not reserved: a shared one must show every referral, never one at random.
  it('shows every referral a shared reference names', async () => {
    const first = await createReferral(api, tokens.policeA);
    const second = await createReferral(api, tokens.policeA);
    // A collision, made the only way one can happen: the second referral filed under the first's reference.
    await ddb().send(
      new UpdateCommand({
        TableName: tableName('hub'),
        Key: referralKeys.state(second.id),
        UpdateExpression: 'SET #r = :r, #k = :k',
        ExpressionAttributeNames: { '#r': 'reference', '#k': HUB_INDEXES.reference.partitionKey.name },
        ExpressionAttributeValues: { ':r': first.reference, ':k': `REF#${first.reference}` },
      }),
    );
    const lookUp = async (token: string) =>
      ((await (await api.fetch(`/v1/referrals?reference=${first.reference}`, { token })).json()) as any).items.map(
        (r: any) => r.id,
      );
    expect(await lookUp(tokens.lead)).toEqual([first.id, second.id].sort());
    expect(await lookUp(tokens.policeA)).toEqual([first.id, second.id].sort());
    expect(await lookUp(tokens.policeB)).toEqual([]);
  });

  it('orders the board by nearest clock expiry, then urgency, then age', async () => {
    const soon = await createReferral(api, tokens.policeA, j1Body({ minutesAgo: 600 }));
    const later = await createReferral(api, tokens.policeA, j1Body({ minutesAgo: 1 }));
    const noClockPlanned = await createReferral(api, tokens.cmht, {
      ...j1Body(),
      legalStatus: { status: 'informal' },
      urgency: 'planned',
    });
    const noClockImmediate = await createReferral(api, tokens.cmht, {
      ...j1Body(),
      legalStatus: { status: 'informal' },
      urgency: 'immediate',
    });
    // Other tests share the service's board: read it whole, page by page, as the console does.
    const board = { items: await wholeBoard(api, tokens.lead) };
    const order = board.items
      .map((r: any) => r.id)
      .filter((x: string) => [soon.id, later.id, noClockPlanned.id, noClockImmediate.id].includes(x));
    expect(order).toEqual([soon.id, later.id, noClockImmediate.id, noClockPlanned.id]);
    const row = board.items.find((r: any) => r.id === soon.id)!;
    expect(row).toMatchObject({ status: 'received', urgency: 'immediate', legalStatus: 's136' });
    expect(row.timeOpenMinutes).toBeGreaterThanOrEqual(0);
    expect((await api.fetch('/v1/referrals?view=board', { token: tokens.policeA })).status).toBe(403);
  });

  it('J2: the A&E liaison team follows its referrals on the change feed, ascending, with a cursor', async () => {
    const { id, etag } = await createReferral(api, tokens.ae, { ...j1Body(), legalStatus: { status: 'informal' } });
    let step = await postEvent(api, tokens.lead, id, { type: 'start-review' }, etag);
    step = await postEvent(api, tokens.lead, id, { type: 'accept', reason: 'ok' }, step.etag!);
    const real = clock.now;
    // The feed serves only changes older than its safety lag: look from a little later.
    clock.now = () => new Date(Date.now() + 10_000);
    try {
      const seen: any[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 50; i++) {
        const page: any = await (
          await api.fetch(`/v1/referrals?view=feed&limit=5${cursor ? `&after=${cursor}` : ''}`, { token: tokens.ae })
        ).json();
        seen.push(...page.items);
        if (!page.items.length) break;
        cursor = page.nextCursor;
      }
      const mine = seen.filter((r) => r.id === id);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ status: 'accepted', triage: { decision: 'accepted' } });
      expect(seen.every((r) => r.referrerReference)).toBe(true);
      const stamps = seen.map((r) => r.updatedAt);
      expect([...stamps].sort()).toEqual(stamps);
    } finally {
      clock.now = real;
    }
  });
});

describe('statutory clocks', () => {
  it('J3: s.5(4) at 12:00 then s.5(2) at 15:00 runs 72 h from 12:00', async () => {
    const noon = new Date(Date.now() - 6 * 3_600_000);
    const body = {
      ...j1Body(),
      legalStatus: {
        status: 's5-2',
        furnishedAt: new Date(noon.getTime() + 3 * 3_600_000).toISOString(),
        precedingS54RecordedAt: noon.toISOString(),
      },
      location: { type: 'inpatient-ward', siteId: 'WARD-7' },
    };
    const { body: view } = await createReferral(api, tokens.cmht, body);
    const s52 = view.clocks.find((c: any) => c.power === 's5-2');
    expect(s52.startsAt).toBe(noon.toISOString());
    expect(Date.parse(s52.expiresAt) - noon.getTime()).toBe(72 * 3_600_000);
  });

  it('counts hours in elapsed time and days in London days across both clock changes', async () => {
    const autumn = await createReferral(
      api,
      tokens.policeA,
      j1Body({ legalStatus: { detainedAt: '2026-10-24T22:30:00Z', arrivedAtPlaceOfSafetyAt: '2026-10-24T23:00:00Z' } }),
    );
    const s136 = autumn.body.clocks.find((c: any) => c.power === 's136');
    expect(s136.expiresAt).toBe('2026-10-25T23:00:00.000Z'); // 24 real hours across the October change
    const spring = await createReferral(api, tokens.cmht, {
      ...j1Body(),
      legalStatus: { status: 's2', admittedAt: '2026-03-20T10:00:00Z' },
    });
    // 28 days beginning with 20 March end at the end of 16 April, in BST: 23:00 UTC.
    expect(spring.body.clocks.find((c: any) => c.power === 's2').expiresAt).toBe('2026-04-16T23:00:00.000Z');
    const fall = await createReferral(api, tokens.cmht, {
      ...j1Body(),
      legalStatus: { status: 's2', admittedAt: '2026-10-10T10:00:00Z' },
    });
    // 28 days beginning with 10 October end at the end of 6 November, in GMT.
    expect(fall.body.clocks.find((c: any) => c.power === 's2').expiresAt).toBe('2026-11-07T00:00:00.000Z');
  });

  it(
    'the sweep appends each warning and the breach exactly once, even when two sweeps race, without changing ' +
      'version',
    async () => {
      const recordedAt = new Date(Date.now() - 7 * 3_600_000).toISOString();
      const { id } = await createReferral(api, tokens.cmht, {
        ...j1Body(),
        legalStatus: { status: 's5-4', recordedAt },
        location: { type: 'inpatient-ward', siteId: 'WARD-7' },
      });
      const now = new Date();
      await Promise.all([sweep(now), sweep(now)]);
      await sweep(new Date(now.getTime() + 60_000));
      const history = (await (await api.fetch(`/v1/referrals/${id}/events`, { token: tokens.lead })).json()) as any;
      const system = history.items.filter((e: any) => e.system);
      expect(system.map((e: any) => `${e.type}:${e.data.threshold}`).sort()).toEqual([
        'clock-breached:breach',
        'clock-warning:warning-2h',
        'clock-warning:warning-6h',
      ]);
      expect(history.items.map((e: any) => e.seq)).toEqual([1, 2, 3, 4]);
      const view = (await (await get(id, tokens.lead)).json()) as any;
      expect(view.version).toBe(1);
      expect(view.clocks.find((c: any) => c.power === 's5-4').state).toBe('breached');
      // A person's update with the version they read still succeeds after the system events.
      expect((await postEvent(api, tokens.lead, id, { type: 'start-review' }, '"1"')).status).toBe(200);
      // The referrer hears of the breach in its history.
      const theirs = (await (await api.fetch(`/v1/referrals/${id}/events`, { token: tokens.cmht })).json()) as any;
      expect(theirs.items.map((e: any) => e.type)).toContain('clock-breached');
    },
  );
});
