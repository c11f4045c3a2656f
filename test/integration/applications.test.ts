/**
 * Issue #22 "Done when", through HTTP on DynamoDB Local: applications with their evidence, the
 * nearest relative's objection and consultation (DOMAIN §3.1, §3.2), and the data-quality
 * extract (§7). The Hub refuses only the law's own bar (an s.3 after an undisplaced objection:
 * 409, nothing written); everything else is recorded and flagged on the referral and its board
 * row until the facts change.
 *
 * This file keeps its own tables (applications.fixture.ts) so that the data-quality counts are
 * exactly this file's referrals. The s.13(4) letter and s.29(4) are in
 * applications-nearest-relative.test.ts.
 */
import { describe, expect, inject, it } from 'vitest';
import { createStreamPoller } from '../../infra/local/stream-poller.js';
import { handler as analyticsHandler } from '../../functions/stream/analytics.js';
import { controlCount } from '../../shared/deidentify/disclosure.js';
import { FLAG_CODES } from '../../shared/domain/vocabulary.js';
import { postEvent } from '../support/referrals.js';
import {
  ago,
  allocated,
  api,
  boardRow,
  breachesAfterSweep,
  clockOf,
  create,
  created,
  fullEvidence,
  HOUR,
  history,
  type Json,
  londonDay,
  names,
  ok,
  openFlags,
  read,
  recommendation,
  tokens,
} from './applications.fixture.js';

describe('the s.3 objection bar (s.11(4))', () => {
  const s3 = {
    type: 'record-outcome',
    outcome: 'detained-s3',
    nextSteps: 'Admission to Oak Ward.',
    application: fullEvidence,
  };

  it(
    'an s.3 after an objection is 409 nearest-relative.objection with nothing written; after displacement it ' +
      'is accepted',
    async () => {
      const id = await allocated();
      await ok(tokens.sam, id, { type: 'nearest-relative-consulted', objects: true, how: 'telephone' });
      const before = await read(id);
      const eventsBefore = (await history(id)).length;

      const refused = await postEvent(api, tokens.sam, id, s3);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ status: 409, code: 'nearest-relative.objection' });
      const after = await read(id);
      expect({
        version: after.version,
        status: after.status,
        outcome: after.outcome,
        application: after.application,
        clocks: after.clocks,
      }).toEqual({
        version: before.version,
        status: before.status,
        outcome: before.outcome,
        application: before.application,
        clocks: before.clocks,
      });
      expect((await history(id)).length).toBe(eventsBefore);

      await ok(tokens.sam, id, {
        type: 'nearest-relative-displaced',
        acting: { name: 'Acting NR Test', relationship: 'sister' },
      });
      const made = await ok(tokens.sam, id, s3);
      expect(made.body).toMatchObject({
        status: 'outcome-recorded',
        application: { section: 's3', origin: 'outcome' },
      });
      // The displaced relative's consultation no longer stands: the acting one is still to be consulted.
      expect(openFlags(await read(id))).toEqual(['nearest-relative-not-consulted']);
      await ok(tokens.sam, id, { type: 'nearest-relative-consulted', objects: false });
      expect(openFlags(await read(id))).toEqual([]);
    },
  );
});

describe('evidence flagged until corrected; the nearest relative until informed', () => {
  it(
    's.2 with one recommendation is accepted and flagged ' + '(referral and board row), then cleared by fact-corrected',
    async () => {
      const id = await allocated();
      const outcome = await ok(tokens.sam, id, {
        type: 'record-outcome',
        outcome: 'detained-s2',
        nextSteps: 'Admission to Oak Ward.',
        application: { ...fullEvidence, recommendations: [recommendation('Dr A Khan')] },
      });
      expect(outcome.body.application).toMatchObject({
        section: 's2',
        recommendations: [{ practitioner: 'Dr A Khan' }],
      });
      let view = await read(id);
      expect(openFlags(view)).toEqual(['evidence-too-few-recommendations', 'nearest-relative-not-informed']);
      expect((await boardRow(id))!.flags).toEqual(
        expect.arrayContaining(['evidence-too-few-recommendations', 'nearest-relative-not-informed']),
      );

      await ok(tokens.sam, id, {
        type: 'fact-corrected',
        eventSeq: view.application.seq,
        field: 'application',
        application: fullEvidence,
        reason: 'The second recommendation was on file.',
      });
      view = await read(id);
      expect(openFlags(view)).toEqual(['nearest-relative-not-informed']);
      expect(view.flags.find((f: Json) => f.code === 'evidence-too-few-recommendations')).toMatchObject({
        resolution: 'facts-changed',
        resolvedAt: expect.any(String),
      });
      expect(view.application.recommendations).toHaveLength(2);
      expect((await boardRow(id))!.flags).not.toContain('evidence-too-few-recommendations');

      await ok(tokens.sam, id, { type: 'nearest-relative-informed', how: 'telephone' });
      expect(openFlags(await read(id))).toEqual([]);
      expect((await boardRow(id))!.flags ?? []).toEqual([]);
    },
  );

  it('a correction naming an event that recorded no application is 400 /eventSeq', async () => {
    const id = await allocated();
    await ok(tokens.sam, id, {
      type: 'record-outcome',
      outcome: 'detained-s2',
      nextSteps: 'Admission.',
      application: fullEvidence,
    });
    const res = await postEvent(api, tokens.sam, id, {
      type: 'fact-corrected',
      eventSeq: 1,
      field: 'application',
      application: fullEvidence,
      reason: 'Wrong event.',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: Json) => e.pointer)).toContain('/eventSeq');
  });
});

describe('the no-bed pathway', () => {
  it(
    'handed over; the receiving AMHP’s application-made ' + 'ends the s.136 clock with no breach after the sweep',
    async () => {
      const id = await allocated();
      await ok(tokens.sam, id, {
        type: 'record-outcome',
        outcome: 'recommendations-made-no-bed',
        nextSteps: 'Bed search under way.',
        reasonsInWriting: 'No bed available tonight.',
      });
      await ok(tokens.sam, id, {
        type: 'handed-over',
        toAmhpId: 'amhp-alex',
        reason: 'End of shift; bed search continues.',
      });
      const madeAt = ago(1);
      const made = await ok(tokens.alex, id, {
        type: 'application-made',
        section: 's2',
        occurredAt: madeAt,
        ...fullEvidence,
      });
      expect(made.body.application).toMatchObject({ section: 's2', origin: 'application-made', byAmhpId: 'amhp-alex' });
      expect(clockOf(await read(id), 's136')).toMatchObject({
        state: 'ended',
        endedBy: 'application-made',
        endedAt: madeAt,
      });

      const later = new Date(Date.now() + 30 * HOUR);
      expect(await breachesAfterSweep(id, later)).toEqual([]);
      // Control: the same sweep breaches a detention with no application.
      const control = await create();
      expect((await breachesAfterSweep(control.id, later)).map((e) => e.data.power)).toEqual(['s136']);
    },
  );
});

describe('the data-quality extract (DOMAIN §7)', () => {
  it('counts referrals by flag code under disclosure control, from the change stream', async () => {
    // Eight more s.2 applications with one recommendation: with the one above, more than the
    // seven that disclosure control suppresses, so this code is published as a number.
    for (let i = 0; i < 8; i++) {
      const id = await allocated();
      await ok(tokens.sam, id, {
        type: 'record-outcome',
        outcome: 'detained-s2',
        nextSteps: 'Admission.',
        application: { ...fullEvidence, recommendations: [recommendation('Dr A Khan')] },
      });
    }

    // The truth: flag codes each referral ever raised (resolved ones too), read from the API.
    const truth = new Map<string, number>(FLAG_CODES.map((c) => [c, 0]));
    const secrets = new Set<string>();
    for (const id of created) {
      const view = await read(id);
      for (const code of new Set<string>((view.flags ?? []).map((f: Json) => f.code)))
        truth.set(code, truth.get(code)! + 1);
      secrets.add(view.person.givenName);
      secrets.add(view.reference);
    }
    expect(truth.get('evidence-too-few-recommendations')).toBeGreaterThanOrEqual(9);

    const poller = createStreamPoller({
      endpoint: inject('dynamoEndpoint'),
      tableName: names.hub,
      parkTableName: names.hub,
      consumers: [
        {
          id: 'analytics',
          shape: 'kinesis',
          handler: analyticsHandler,
          pkPrefixes: ['REFERRAL#'],
          batchSize: 100,
          maxAttempts: 3,
        },
      ],
      pollIntervalMs: 50,
    });
    poller.start();
    try {
      await poller.drain();
    } finally {
      await poller.stop();
    }

    const today = londonDay();
    const res = await api.fetch(`/v1/extracts/data-quality?period=day&from=${today}&to=${today}&lssa=E06000055`, {
      token: tokens.analyst,
    });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const body = JSON.parse(text) as Json;
    expect(body.rule.id).toBe('nhs-small-numbers');
    expect(body.rows.map((r: Json) => r.flag)).toEqual([...FLAG_CODES]);
    // A suppressed figure is empty beside its `…Suppressed` flag (the data dictionary at /docs).
    const figure = (row: Json, column: string) => (row[`${column}Suppressed`] ? '*' : row[column]);
    for (const row of body.rows) {
      expect(row.period).toBe(today);
      expect(figure(row, 'referrals'), row.flag).toBe(controlCount(truth.get(row.flag)!));
      expect(figure(row, 'received')).toBe(controlCount(created.length));
    }
    const cells = body.rows.map((r: Json) => figure(r, 'referrals'));
    // Each kind of controlled cell occurs: a rounded count, a suppressed one, a true zero.
    expect(cells).toContain(controlCount(truth.get('evidence-too-few-recommendations')!));
    expect(cells).toContain('*');
    expect(cells).toContain(0);

    const csv = await api.fetch(`/v1/extracts/data-quality?period=day&from=${today}&to=${today}`, {
      token: tokens.analyst,
      headers: { Accept: 'text/csv' },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('disclosure-control')).toMatch(/^nhs-small-numbers: /);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe(
      'period,flag,referrals,referralsSuppressed,received,receivedSuppressed,' +
        'percentOfReceived,percentOfReceivedSuppressed',
    );
    expect(lines).toHaveLength(FLAG_CODES.length + 1);
    // Codes and figures only: nothing of any referral.
    expect([...secrets].filter((s) => text.includes(s) || lines.join('\n').includes(s))).toEqual([]);

    // Partial periods and callers other than analysts are refused.
    expect(
      (await api.fetch(`/v1/extracts/data-quality?period=month&from=${today}&to=${today}`, { token: tokens.analyst }))
        .status,
    ).toBe(400);
    expect(
      (await api.fetch(`/v1/extracts/data-quality?period=day&from=${today}&to=${today}`, { token: tokens.lead }))
        .status,
    ).toBe(401);
  });
});
