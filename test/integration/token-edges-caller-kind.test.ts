/**
 * Token edges, the caller kind: a system client where a person must decide (every person-only
 * route of the route table, every decision on a referral), and system events nobody may post.
 * Each refusal is a 403 (or a 400), never a 5xx. Setup and helpers are shared with
 * token-edges.test.ts (token-edges.fixture.ts).
 */
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes.js';
import { newAlertId, raiseAlert } from '../../shared/safety/alerts.js';
import { DECISION_EVENT_TYPES } from '../../shared/schemas/referral-events.js';
import { PEOPLE, uniqueId } from '../support/api.js';
import { createReferral, j1Body, postEvent } from '../support/referrals.js';
import { api, call, seen, t } from './token-edges.fixture.js';

describe('caller kind: person-only and system-only routes of the route table', () => {
  let alertId = '';
  const personOnly = ROUTES.filter((r) => r.auth !== 'public' && 'caller' in r.auth && r.auth.caller === 'person').map(
    (r) => r.id,
  );
  const systemOnly = ROUTES.filter(
    (r) => r.auth !== 'public' && 'caller' in r.auth && (r.auth as { caller?: string }).caller === 'system',
  ).map((r) => r.id);

  /**
   * For each person-only route: the call, by a system client of a role the route allows, and by a person of the same
   * organisation.
   */
  const PERSON_ONLY: Record<
    string,
    {
      path: () => string;
      method: string;
      json: unknown;
      system: string;
      person: string;
      /** What the call needs to exist first; what undoes it after (the table is shared by every test file). */
      before?: () => Promise<void>;
      after?: (token: string) => Promise<void>;
      /** Why the system client is refused, when not for being a system (no machine client has the route's role). */
      systemRefusal?: RegExp;
    }
  > = {
    // DOMAIN §9: whereabouts are a person's own. Kim (no referral of the tests) goes on shift and off again.
    postWhereaboutsEvent: {
      path: () => '/v1/whereabouts/events',
      method: 'POST',
      json: {
        type: 'on-shift',
        plannedEndAt: new Date(Date.now() + 8 * 3_600_000).toISOString(),
        onCallManager: 'Caller kind test',
      },
      system: 'amhp-case-system',
      person: PEOPLE.unallocated,
      // No machine client carries the `amhp` role, so the service's system client is refused by role first.
      systemRefusal: /amhp-lead role may not/,
      after: async (token) => {
        const off = await call('off-shift', '/v1/whereabouts/events', token, {
          method: 'POST',
          json: { type: 'off-shift' },
        });
        expect(off.status).toBe(200);
      },
    },
    getWhereabouts: {
      path: () => '/v1/whereabouts',
      method: 'GET',
      json: undefined,
      system: 'amhp-case-system',
      person: PEOPLE.lead,
    },
    putAlertChannel: {
      path: () => '/v1/alert-channel',
      method: 'PUT',
      json: { url: 'http://127.0.0.1:9/caller-kind-alerts', graceMinutes: 30 },
      system: 'amhp-case-system',
      person: PEOPLE.lead,
    },
    acknowledgeAlert: {
      path: () => `/v1/alerts/${alertId}/acknowledge`,
      method: 'POST',
      json: undefined,
      system: 'amhp-case-system',
      person: PEOPLE.lead,
      // An alert of the service, raised as the sweep and the stream consumer raise them.
      before: async () => {
        const now = new Date();
        const raised = await raiseAlert(
          {
            alertId: newAlertId(now),
            serviceId: 'amhp-service',
            kind: 'clock-warning',
            referralId: 'none',
            reference: 'CALLER-KIND',
          },
          [],
          now,
        );
        alertId = raised.alert.alertId;
      },
    },
    putAmhp: {
      path: () => `/v1/amhps/${uniqueId('amhp')}`,
      method: 'PUT',
      json: { displayName: 'Caller Kind Test', active: true, authorisedLssas: ['E06000055'], dutyReviewer: false },
      system: 'amhp-case-system',
      person: PEOPLE.lead,
    },
  };
  /** For each system-only route, the same with the roles swapped. There are none today. */
  const SYSTEM_ONLY: Record<string, never> = {};

  it('every person-only route has a case here, and so would every system-only route', () => {
    expect(Object.keys(PERSON_ONLY).sort()).toEqual([...personOnly].sort());
    // No route of the table is `caller: 'system'` today, so the reverse case has nothing to call.
    expect(Object.keys(SYSTEM_ONLY).sort()).toEqual([...systemOnly].sort());
  });

  it.each(Object.entries(PERSON_ONLY))(
    '%s: a system client → 403; a person of the same organisation → 2xx',
    async (id, c) => {
      await c.before?.();
      const system = await call(`${id} by system`, c.path(), await api.clientToken(c.system), {
        method: c.method,
        json: c.json,
      });
      expect(system.status).toBe(403);
      expect(system.body.detail).toMatch(c.systemRefusal ?? /signed-in person/);
      const person = await call(`${id} by person`, c.path(), await api.personToken(c.person), {
        method: c.method,
        json: c.json,
      });
      expect(person.status).toBeGreaterThanOrEqual(200);
      expect(person.status).toBeLessThan(300);
      await c.after?.(await api.personToken(c.person));
    },
  );

  it(
    'every decision on a referral (triage, allocation, outcome, amendment) needs a person: the lead’s system ' +
      'client → 403 in the state where the person’s succeeds',
    async () => {
      const inHour = () => new Date(Date.now() + 3_600_000).toISOString();
      /** In lifecycle order on one referral; `not-accept` on a second one. */
      const referrals = {
        a: await createReferral(api, t.policeA),
        b: await createReferral(api, t.policeA),
        c: await createReferral(api, t.policeA, j1Body({ legalStatus: { detainedAtLocationType: 'home' } })),
      };
      const etags = { a: referrals.a.etag, b: referrals.b.etag, c: referrals.c.etag };
      const plan: {
        type: (typeof DECISION_EVENT_TYPES)[number];
        event: Record<string, unknown>;
        person: string;
        referral: 'a' | 'b' | 'c';
        before?: { event: Record<string, unknown>; person: string };
      }[] = [
        { type: 'start-review', event: { type: 'start-review' }, person: t.lead, referral: 'a' },
        {
          type: 'accept',
          event: { type: 'accept', reason: 'Detained under s.136; assessment needed.' },
          person: t.lead,
          referral: 'a',
        },
        {
          type: 'allocate',
          event: { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: inHour() },
          person: t.lead,
          referral: 'a',
        },
        {
          type: 'co-allocate',
          event: { type: 'co-allocate', amhpId: 'amhp-alex', reason: 'Attending for safety.' },
          person: t.lead,
          referral: 'a',
        },
        {
          type: 'fact-corrected',
          event: {
            type: 'fact-corrected',
            eventSeq: 1,
            field: 'detainedAt',
            value: referrals.a.body.clocks[0].startsAt,
            reason: 'Custody record checked.',
          },
          person: t.sam,
          referral: 'a',
        },
        {
          type: 'handed-over',
          event: { type: 'handed-over', toAmhpId: 'amhp-alex', reason: 'Sam called to another assessment.' },
          person: t.sam,
          referral: 'a',
        },
        {
          type: 'record-outcome',
          event: {
            type: 'record-outcome',
            outcome: 'recommendations-made-no-bed',
            nextSteps: 'Bed search continues.',
            reasonsInWriting: 'No bed available tonight.',
          },
          person: t.alex,
          referral: 'a',
        },
        {
          type: 'application-made',
          event: { type: 'application-made', section: 's2', hospital: 'Oak Ward' },
          person: t.alex,
          referral: 'a',
        },
        {
          type: 'amend-outcome',
          event: {
            type: 'amend-outcome',
            outcome: 'detained-s2',
            reason: 'Bed found; application made.',
            nextSteps: 'Conveyance to Oak Ward.',
          },
          person: t.alex,
          referral: 'a',
        },
        {
          type: 'not-accept',
          event: {
            type: 'not-accept',
            reason: 'No assessment needed.',
            disposition: 'advice',
            nextSteps: 'GP follow-up.',
          },
          person: t.lead,
          referral: 'b',
          before: { event: { type: 'start-review' }, person: t.lead },
        },
        {
          type: 'flag-acknowledged',
          event: { type: 'flag-acknowledged', flag: 's136-in-dwelling', reason: 'Reviewed with the force.' },
          person: t.lead,
          referral: 'c',
        },
      ];
      expect(plan.map((p) => p.type).sort()).toEqual([...DECISION_EVENT_TYPES].sort());
      for (const step of plan) {
        const id = referrals[step.referral].id;
        if (step.before) {
          const pre = await postEvent(api, step.before.person, id, step.before.event, etags[step.referral]);
          expect(pre.status).toBe(200);
          etags[step.referral] = pre.etag!;
        }
        const bySystem = await postEvent(api, t.leadSystem, id, step.event, etags[step.referral]);
        seen.push({ name: `${step.type} by system`, status: bySystem.status });
        expect(bySystem.status, step.type).toBe(403);
        expect(bySystem.body.detail, step.type).toMatch(/signed-in person/);
        const byPerson = await postEvent(api, step.person, id, step.event, etags[step.referral]);
        seen.push({ name: `${step.type} by person`, status: byPerson.status });
        expect(byPerson.status, `${step.type}: ${JSON.stringify(byPerson.body)}`).toBe(200);
        etags[step.referral] = byPerson.etag!;
      }
    },
  );

  it('system events (clock warnings, breaches) cannot be posted by anyone: 400, not recorded', async () => {
    const { id, etag } = await createReferral(api, t.policeA);
    for (const token of [t.leadSystem, t.lead]) {
      for (const type of ['clock-warning', 'clock-breached', 'feedback-sent']) {
        const res = await postEvent(api, token, id, { type, power: 's136', threshold: 'breach' }, etag);
        seen.push({ name: `post ${type}`, status: res.status });
        expect(res.status, type).toBe(400);
      }
    }
    const history = await call('history', `/v1/referrals/${id}/events`, t.lead);
    expect(history.body.items.map((e: any) => e.type)).toEqual(['received']);
  });
});

describe('never a 5xx', () => {
  it('every answer in this file was below 500', () => {
    expect(seen.length).toBeGreaterThan(30);
    expect(seen.filter((s) => s.status >= 500)).toEqual([]);
  });
});
