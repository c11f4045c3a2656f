/**
 * Issue #22 "Done when", through HTTP on DynamoDB Local: applications with their evidence, the
 * nearest relative (DOMAIN §3.1, §3.2), the s.13(4) letter and the data-quality extract (§7).
 * The Hub refuses only the law's own bar (an s.3 after an undisplaced objection: 409, nothing
 * written); everything else is recorded and flagged on the referral and its board row until the
 * facts change.
 *
 * This file keeps its own tables (set before any module reads its configuration) so that the
 * data-quality counts are exactly this file's referrals.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TABLE_ENV, TABLE_IDS } from '../../shared/data/tables.js';
import { tableNames } from '../../infra/local/tables.js';
import { createSeededTables } from '../support/own-tables.js';
import { createStreamPoller } from '../../infra/local/stream-poller.js';
import { handler as analyticsHandler } from '../../functions/stream/analytics.js';
import { sweepReferral } from '../../functions/clocks/sweep.js';
import { queryAudit } from '../../shared/data/audit-repository.js';
import { controlCount } from '../../shared/deidentify/disclosure.js';
import { FLAG_CODES } from '../../shared/domain/vocabulary.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { tokensFor } from '../support/tokens.js';
import { createReferral, j1Body, postEvent, readReferral, referralHistory, boardRowOf } from '../support/referrals.js';

const names = tableNames(`applications-${randomUUID().slice(0, 8)}-`);
for (const id of TABLE_IDS) process.env[TABLE_ENV[id]] = names[id];

type Json = Record<string, any>;
let api: TestApi;
const tokens = {} as Record<'policeA' | 'lead' | 'sam' | 'alex' | 'southLead' | 'analyst', string>;
/** Every referral this file creates: the data-quality truth is computed from them. */
const created: string[] = [];

beforeAll(async () => {
  await createSeededTables(names);
  api = await startTestApi();
  Object.assign(tokens, await tokensFor(api, ['policeA', 'lead', 'sam', 'alex', 'southLead', 'analyst']));
});
afterAll(async () => api?.close());

// ---------------------------------------------------------------------------------------------
// Helpers.

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const ago = (minutes: number) => iso(Date.now() - minutes * MIN);
/** London's calendar date, as statutory forms date examinations and signatures. */
const londonDay = (ms = Date.now()) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(ms));

const recommendation = (practitioner: string) => ({
  practitioner,
  approval: 's12-approved',
  examinedOn: londonDay(),
  signedOn: londonDay(),
});
/** Complete evidence for an application made now: two recommendations, the AMHP saw the person today. */
const fullEvidence = {
  hospital: 'Oak Ward, Northshire Mental Health Centre',
  recommendations: [recommendation('Dr A Khan'), recommendation('Dr B Osei')],
  amhpSeenOn: londonDay(),
};

async function create(body: Json = j1Body()) {
  const referral = await createReferral(api, tokens.policeA, body);
  created.push(referral.id);
  return referral;
}

async function read(id: string, token = tokens.lead): Promise<Json> {
  return readReferral(api, token, id);
}

async function history(id: string): Promise<Json[]> {
  return referralHistory(api, tokens.lead, id);
}

/** The referral's row on the service's board (paged until found). */
async function boardRow(id: string): Promise<Json | undefined> {
  return boardRowOf(api, tokens.lead, id);
}

const openFlags = (view: Json): string[] =>
  (view.flags ?? [])
    .filter((f: Json) => !f.resolvedAt)
    .map((f: Json) => f.code)
    .sort();
const clockOf = (view: Json, power: string): Json | undefined => view.clocks.find((c: Json) => c.power === power);

async function ok(token: string, id: string, event: Json) {
  const res = await postEvent(api, token, id, event);
  expect(res.status, `${event.type}: ${JSON.stringify(res.body)}`).toBe(200);
  return res;
}

/** Accepted by the lead and allocated to `amhpId`. */
async function allocated(body: Json = j1Body(), amhpId = 'amhp-sam') {
  const referral = await create(body);
  await ok(tokens.lead, referral.id, { type: 'start-review' });
  await ok(tokens.lead, referral.id, { type: 'accept', reason: 'Assessment needed.' });
  await ok(tokens.lead, referral.id, { type: 'allocate', amhpId, expectedAttendanceAt: iso(Date.now() + HOUR) });
  return referral.id;
}

async function breachesAfterSweep(id: string, at: Date): Promise<Json[]> {
  await sweepReferral(id, at);
  return (await history(id)).filter((e) => e.type === 'clock-breached');
}

// ---------------------------------------------------------------------------------------------

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

describe('s.13(4): the written reasons letter', () => {
  const APPROVED = 'Your son agreed to accept support at home & the crisis team will visit <daily>.';
  const INTERNAL = 'INTERNAL-ONLY: risk formulation discussed with the team manager.';
  const NR = { known: true, name: 'Ruth Letterton', relationship: 'mother', contact: '12 Oak Lane, Northshire' };

  function s134Body(): Json {
    const body = j1Body();
    body.basis = 's13-4';
    body.location = { type: 'home', address: { lines: ['1 Example Road'] } };
    body.legalStatus = { status: 'informal' };
    body.urgency = 'today';
    body.nearestRelative = NR;
    body.gp = { practiceName: 'Riverside Surgery' };
    return body;
  }
  const letter = (id: string, kind: string, token: string) =>
    api.fetch(`/v1/referrals/${id}/letters/${kind}`, { token });

  it(
    'closed without an application: the letter shows the approved reasons (never the internal ones), flagged ' +
      'until reasons-sent',
    async () => {
      const id = await allocated(s134Body());
      const before = await letter(id, 's13-4-reasons', tokens.sam);
      expect(before.status).toBe(409);
      expect(((await before.json()) as Json).code).toBe('letter.reasons-not-owed');

      await ok(tokens.sam, id, {
        type: 'record-outcome',
        outcome: 'no-further-action',
        nextSteps: 'Community team to review on Monday.',
        reasonsInWriting: INTERNAL,
        reasonsForNearestRelative: APPROVED,
      });
      expect((await boardRow(id))!.flags).toEqual(['reasons-in-writing-pending']);
      // Letters often go after the referral is closed: the flag stays on the referral until then.
      await ok(tokens.lead, id, { type: 'close', reason: 'completed' });
      expect(openFlags(await read(id))).toEqual(['reasons-in-writing-pending']);

      const res = await letter(id, 's13-4-reasons', tokens.sam);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).not.toContain('script');
      const html = await res.text();
      expect(html).toContain(
        'Your son agreed to accept support at home &amp; the crisis team will visit &lt;daily&gt;.',
      );
      expect(html).toContain(NR.name);
      expect(html).toContain(NR.contact);
      expect(html).toContain('Northshire AMHP Service');
      expect(html).not.toContain('INTERNAL-ONLY');
      expect(html).not.toContain('<daily>');

      // Audited as a read of the referral by the AMHP who read it.
      const audit = await queryAudit({ index: 'byResource', partition: `referral#${id}`, limit: 100 });
      expect(audit.records.filter((r) => r.route === 'getReferralLetter' && r.result === 200)).toEqual([
        expect.objectContaining({ action: 'read', resourceId: id }),
      ]);

      await ok(tokens.sam, id, { type: 'reasons-sent', method: 'post' });
      const view = await read(id);
      expect(openFlags(view)).toEqual([]);
      expect(view.reasonsSent).toMatchObject({ method: 'post' });
    },
  );

  it(
    'only the callers with the full referral read letters: 403 at board level or for the referrer, 404 ' +
      'elsewhere; the GP letter after an outcome',
    async () => {
      const id = await allocated(s134Body());
      const gpBefore = await letter(id, 'gp', tokens.sam);
      expect(gpBefore.status).toBe(409);
      expect(((await gpBefore.json()) as Json).code).toBe('letter.no-outcome');
      await ok(tokens.sam, id, {
        type: 'record-outcome',
        outcome: 'no-further-action',
        nextSteps: 'Community team to review on Monday.',
        reasonsInWriting: INTERNAL,
        reasonsForNearestRelative: APPROVED,
      });

      for (const token of [tokens.lead, tokens.sam])
        expect((await letter(id, 's13-4-reasons', token)).status).toBe(200);
      for (const token of [tokens.alex, tokens.policeA]) {
        const res = await letter(id, 's13-4-reasons', token);
        expect(res.status).toBe(403);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
      expect((await letter(id, 's13-4-reasons', tokens.southLead)).status).toBe(404);
      expect((await letter(id, 'no-such-kind', tokens.lead)).status).toBe(404);

      const gp = await letter(id, 'gp', tokens.sam);
      expect(gp.status).toBe(200);
      const html = await gp.text();
      expect(html).toContain('Riverside Surgery');
      expect(html).toContain('Community team to review on Monday.');
      expect(html).not.toContain('INTERNAL-ONLY');
      expect(html).not.toContain('Your son agreed');
    },
  );
});

describe('s.29(4): a pending displacement application extends s.2', () => {
  function onS2(daysAgo: number): Json {
    const body = j1Body();
    body.location = { type: 'inpatient-ward', siteId: 'RC9-WARD-7' };
    body.legalStatus = { status: 's2', admittedAt: iso(Date.now() - daysAgo * DAY) };
    body.urgency = 'planned';
    return body;
  }

  it(
    'displacement-applied suspends the s.2 clock: no breach at the old expiry after the sweep (a control is ' +
      'breached)',
    async () => {
      const referral = await create(onS2(20));
      const control = await create(onS2(20));
      const expiresAt = clockOf(await read(referral.id), 's2')!.expiresAt as string;
      await ok(tokens.lead, referral.id, { type: 'displacement-applied' });
      expect(clockOf(await read(referral.id), 's2')).toMatchObject({
        suspendedAt: expect.any(String),
        state: 'running',
      });

      const afterExpiry = new Date(Date.parse(expiresAt) + DAY);
      expect(await breachesAfterSweep(referral.id, afterExpiry)).toEqual([]);
      expect((await breachesAfterSweep(control.id, afterExpiry)).map((e) => e.data.power)).toEqual(['s2']);
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
