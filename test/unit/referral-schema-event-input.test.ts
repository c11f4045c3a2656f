/**
 * referral-schema tests, ReferralEventInput (split out of referral-schema-events.test.ts): see
 * ./referral-schema.fixture.ts for what they run against.
 */
import { describe, expect, it } from 'vitest';
import {
  DECISION_EVENT_TYPES,
  EVENT_TYPES_WITH_OCCURRED_AT,
  OUTCOMES,
  REFERRAL_EVENT_INPUT_TYPES,
  RECORDED_EVENT_TYPE,
  ReferralEventInput,
  outcomeMakesApplication,
} from '../../shared/schemas/referral-events.js';
import { eventRuleProblems } from '../../shared/domain/referral-rules.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { parseOrThrow } from '../../shared/http/validation.js';
import { NOW, inMinutes, type Json } from './referral-schema.fixture.js';

describe('ReferralEventInput', () => {
  const eventPointers = (body: unknown): string[] => {
    try {
      const event = parseOrThrow(ReferralEventInput, 'body', body);
      return eventRuleProblems(event, { now: NOW })
        .map((p) => p.pointer)
        .sort();
    } catch (e) {
      if (e instanceof HttpProblem) return (e.errors ?? []).map((p) => p.pointer).sort();
      throw e;
    }
  };

  const valid: Json[] = [
    { type: 'start-review' },
    { type: 'accept', reason: 'Detained under s.136 at A&E; assessment needed tonight.' },
    {
      type: 'not-accept',
      reason: 'No evidence of mental disorder requiring assessment.',
      disposition: 'signposted',
      nextSteps: 'GP review on Monday; crisis line number given.',
    },
    {
      type: 'not-accept',
      reason: 'Person is in another LSSA.',
      disposition: 'redirected',
      nextSteps: 'Passed to the neighbouring AMHP service.',
    },
    { type: 'allocate', amhpId: 'amhp-0042', expectedAttendanceAt: inMinutes(90) },
    { type: 'start-assessment' },
    { type: 'start-assessment', occurredAt: '2026-11-14T23:30:00Z' },
    {
      type: 'record-outcome',
      outcome: 'detained-s2',
      nextSteps: 'Conveyance by ambulance to an out-of-area adult acute bed.',
    },
    {
      type: 'record-outcome',
      outcome: 'home-treatment-crisis-team',
      nextSteps: 'Crisis team visit tomorrow 10:00.',
      reasonsInWriting: 'Least restrictive option available; agrees to home treatment.',
    },
    {
      type: 'record-outcome',
      outcome: 'recommendations-made-no-bed',
      nextSteps: 'Bed search continues.',
      reasonsInWriting: 'No bed available; application cannot be made.',
      occurredAt: '2026-11-14T23:00:00+00:00',
    },
    { type: 'amend-outcome', outcome: 'detained-s3', reason: 'Recorded the wrong section.', nextSteps: 'Unchanged.' },
    { type: 'close', reason: 'completed' },
    { type: 'close', reason: 'other', note: 'Person moved abroad.' },
    { type: 'withdraw', reason: 'Person agreed to informal admission.' },
    { type: 'request-withdrawal', reason: 'Person agreed to informal admission.' },
    { type: 'information-added', note: 'Mother reports he has not slept for three nights.' },
    { type: 'handed-over', toTeam: 'day-service', reason: 'End of out-of-hours shift.' },
    { type: 'handed-over', toAmhpId: 'amhp-0007', reason: 'Over hours.' },
    { type: 'escalated', escalationType: 'no-bed', bedType: 'adult-acute', whereWaiting: 'emergency-department' },
    { type: 'escalated', escalationType: 'no-s12-doctor', note: 'Rota exhausted.' },
    { type: 's12-doctor-requested', occurredAt: '2026-11-14T02:30:00Z' },
    { type: 's12-doctor-arrived', occurredAt: '2026-11-14T04:10:00Z' },
    { type: 'medical-examination-completed', recommendationMade: true },
    { type: 'bed-requested', bedType: 'adult-acute', sex: 'male' },
    { type: 'bed-identified', unitId: 'unit-elm', outOfArea: true },
    { type: 'bed-identified', outOfArea: false },
    { type: 'conveyance-requested', mode: 'ambulance' },
    { type: 'conveyance-arrived' },
    { type: 'police-requested', ground: 'risk-assessed-safety-need' },
    { type: 'police-arrived' },
    { type: 'police-declined', reason: 'no-resources' },
    { type: 'interpreter-requested', language: 'Polish' },
    { type: 'interpreter-arrived' },
    { type: 'legal-status-changed', to: { status: 's2', admittedAt: '2026-11-14T12:00:00Z' } },
    { type: 'arrived-at-place-of-safety', placeOfSafetyType: 'health-based-place-of-safety', siteId: 'RC9-HBPOS' },
    { type: 'transferred-between-places-of-safety', placeOfSafetyType: 'emergency-department', siteId: 'RC9-ED' },
    {
      type: 'clock-extended',
      power: 's136',
      hours: 12,
      ground: 'condition-makes-assessment-impracticable',
      authorisedBy: { name: 'Dr Priya Shah', role: 'registered-medical-practitioner' },
      amhpConsulted: 'yes',
    },
    {
      type: 'clock-extended',
      power: 's136',
      hours: 6,
      ground: 'condition-makes-assessment-impracticable',
      superintendentApproved: true,
      authorisedBy: { name: 'Dr Priya Shah', role: 'registered-medical-practitioner' },
      amhpConsulted: 'yes',
    },
    { type: 'detention-ended', power: 's136' },
    { type: 'co-allocate', amhpId: 'amhp-0007', reason: 'Attending for safety.' },
    {
      type: 'application-made',
      section: 's2',
      hospital: 'Oak Ward, Northshire Mental Health Centre',
      occurredAt: '2026-11-14T23:30:00Z',
    },
    { type: 'application-made', section: 's7', guardian: 'Northshire Council' },
    {
      type: 'fact-corrected',
      eventSeq: 1,
      field: 'detainedAt',
      value: '2026-11-14T22:55:00Z',
      reason: 'Custody record shows 22:55.',
    },
    { type: 'flag-acknowledged', flag: 's136-in-dwelling', reason: 'Reviewed with the force; lessons logged.' },
    {
      type: 'fact-corrected',
      eventSeq: 9,
      field: 'application',
      application: {
        hospital: 'Oak Ward',
        recommendations: [
          { practitioner: 'Dr A', approval: 's12-approved', examinedOn: '2026-11-14', signedOn: '2026-11-14' },
        ],
      },
      reason: 'Forms checked.',
    },
    {
      type: 'record-outcome',
      outcome: 'detained-s3',
      nextSteps: 'Oak Ward.',
      application: {
        hospital: 'Oak Ward',
        amhpSeenOn: '2026-11-14',
        recommendations: [
          { practitioner: 'Dr A', approval: 's12-approved', examinedOn: '2026-11-13', signedOn: '2026-11-13' },
          {
            practitioner: 'Dr B',
            approval: 'registered-medical-practitioner',
            examinedOn: '2026-11-14',
            signedOn: '2026-11-14',
          },
        ],
      },
    },
    { type: 'nearest-relative-identified', identity: 'person', name: 'Ruth Marsh', relationship: 'mother' },
    { type: 'nearest-relative-identified', identity: 'none' },
    { type: 'nearest-relative-informed', how: 'telephone', occurredAt: '2026-11-14T23:30:00Z' },
    { type: 'nearest-relative-consulted', objects: true, how: 'in-person' },
    { type: 'nearest-relative-not-practicable', reason: 'unreasonable-delay', note: 'Abroad, unreachable tonight.' },
    { type: 'nearest-relative-displaced', acting: { name: 'Jo Marsh', relationship: 'sister' } },
    { type: 'displacement-applied' },
    { type: 'reasons-sent', method: 'post' },
    { type: 'gp-letter-sent', method: 'secure-email' },
  ];

  it('has a valid case for every type, and the exported lists match the union', () => {
    const unionTypes = ReferralEventInput.def.options.map((o) => o.shape.type.def.values[0]);
    expect([...REFERRAL_EVENT_INPUT_TYPES].sort()).toEqual([...unionTypes].sort());
    expect(new Set(valid.map((v) => v.type))).toEqual(new Set(REFERRAL_EVENT_INPUT_TYPES));
    expect(Object.keys(RECORDED_EVENT_TYPE).sort()).toEqual([...REFERRAL_EVENT_INPUT_TYPES].sort());
    expect(DECISION_EVENT_TYPES.every((t) => (REFERRAL_EVENT_INPUT_TYPES as readonly string[]).includes(t))).toBe(true);
    for (const t of REFERRAL_EVENT_INPUT_TYPES) expect(t).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    // Hub-made decisions take the Hub's time.
    for (const t of [
      'start-review',
      'accept',
      'not-accept',
      'allocate',
      'amend-outcome',
      'close',
      'withdraw',
      'request-withdrawal',
    ])
      expect(EVENT_TYPES_WITH_OCCURRED_AT).not.toContain(t);
  });

  it.each(valid.map((v) => [v.type, v]))('accepts %s', (_type, body) => {
    expect(eventPointers(body)).toEqual([]);
  });

  it('outcomes with no application are exactly those other than ss.2, 3, 4 and 7', () => {
    expect(OUTCOMES.filter(outcomeMakesApplication)).toEqual([
      'detained-s2',
      'detained-s3',
      'detained-s4',
      'guardianship-s7',
    ]);
    for (const outcome of OUTCOMES) {
      const pointers = eventPointers({ type: 'record-outcome', outcome, nextSteps: 'Plan.' });
      expect(pointers, outcome).toEqual(outcomeMakesApplication(outcome) ? [] : ['/reasonsInWriting']);
    }
  });

  const invalid: [string, Json, string[]][] = [
    ['an unknown type', { type: 'accepted', reason: 'x' }, ['/type']],
    ['no type', { reason: 'x' }, ['/type']],
    ['a system event', { type: 'clock-breached' }, ['/type']],
    ['accept without a reason', { type: 'accept' }, ['/reason']],
    ['a backdated triage', { type: 'accept', reason: 'ok', occurredAt: '2026-11-14T23:00:00Z' }, ['/occurredAt']],
    [
      'not-accept with an unknown disposition',
      { type: 'not-accept', reason: 'x', disposition: 'refused', nextSteps: 'y' },
      ['/disposition'],
    ],
    ['not-accept without next steps', { type: 'not-accept', reason: 'x', disposition: 'advice' }, ['/nextSteps']],
    ['allocate without an AMHP', { type: 'allocate', expectedAttendanceAt: inMinutes(60) }, ['/amhpId']],
    [
      'allocate with a local time',
      { type: 'allocate', amhpId: 'amhp-1', expectedAttendanceAt: '2026-11-15T00:30:00' },
      ['/expectedAttendanceAt'],
    ],
    [
      'an outcome outside the vocabulary',
      { type: 'record-outcome', outcome: 'detained', nextSteps: 'x' },
      ['/outcome'],
    ],
    [
      'no application and no written reasons',
      { type: 'record-outcome', outcome: 'no-further-action', nextSteps: 'x' },
      ['/reasonsInWriting'],
    ],
    ['an amendment without a reason', { type: 'amend-outcome', outcome: 'detained-s2', nextSteps: 'x' }, ['/reason']],
    [
      'an amendment to no application without reasons',
      { type: 'amend-outcome', outcome: 'informal-admission', reason: 'x', nextSteps: 'y' },
      ['/reasonsInWriting'],
    ],
    ['close for an unknown reason', { type: 'close', reason: 'bored' }, ['/reason']],
    ['close "other" without a note', { type: 'close', reason: 'other' }, ['/note']],
    ['withdraw without a reason', { type: 'withdraw' }, ['/reason']],
    ['information without a note', { type: 'information-added', note: '' }, ['/note']],
    ['a handover to nobody', { type: 'handed-over', reason: 'x' }, ['/toTeam']],
    ['a handover to an unknown team', { type: 'handed-over', toTeam: 'night', reason: 'x' }, ['/toTeam']],
    [
      'no-bed without bed type or where waiting',
      { type: 'escalated', escalationType: 'no-bed' },
      ['/bedType', '/whereWaiting'],
    ],
    ['an unknown escalation', { type: 'escalated', escalationType: 'weather' }, ['/escalationType']],
    ['a bed request for a mixed ward', { type: 'bed-requested', bedType: 'picu', sex: 'mixed' }, ['/sex']],
    ['an unknown bed type', { type: 'bed-requested', bedType: 'forensic', sex: 'female' }, ['/bedType']],
    ['bed identified without outOfArea', { type: 'bed-identified', unitId: 'unit-1' }, ['/outOfArea']],
    [
      'a legal status change without times',
      { type: 'legal-status-changed', to: { status: 's5-4' } },
      ['/to/recordedAt'],
    ],
    [
      'arrival at an unknown kind of place',
      { type: 'arrived-at-place-of-safety', placeOfSafetyType: 'car' },
      ['/placeOfSafetyType'],
    ],
    [
      'an extension over 12 hours',
      {
        type: 'clock-extended',
        power: 's136',
        hours: 13,
        ground: 'condition-makes-assessment-impracticable',
        authorisedBy: { name: 'Dr Priya Shah', role: 'registered-medical-practitioner' },
        amhpConsulted: 'yes',
      },
      ['/hours'],
    ],
    [
      'an extension of 0 hours',
      {
        type: 'clock-extended',
        power: 's136',
        hours: 0,
        ground: 'condition-makes-assessment-impracticable',
        authorisedBy: { name: 'Dr Priya Shah', role: 'registered-medical-practitioner' },
        amhpConsulted: 'yes',
      },
      ['/hours'],
    ],
    [
      'an extension of 1.5 hours',
      {
        type: 'clock-extended',
        power: 's136',
        hours: 1.5,
        ground: 'condition-makes-assessment-impracticable',
        authorisedBy: { name: 'Dr Priya Shah', role: 'registered-medical-practitioner' },
        amhpConsulted: 'yes',
      },
      ['/hours'],
    ],
    [
      'an extension on another ground',
      {
        type: 'clock-extended',
        power: 's136',
        hours: 12,
        ground: 'no-bed',
        authorisedBy: { name: 'Dr Priya Shah', role: 'registered-medical-practitioner' },
        amhpConsulted: 'yes',
      },
      ['/ground'],
    ],
    [
      'an extension of a power without one',
      {
        type: 'clock-extended',
        power: 's5-2',
        hours: 12,
        ground: 'condition-makes-assessment-impracticable',
        authorisedBy: { name: 'Dr Priya Shah', role: 'registered-medical-practitioner' },
        amhpConsulted: 'yes',
      },
      ['/power'],
    ],
    ['an event in the future', { type: 's12-doctor-arrived', occurredAt: inMinutes(6) }, ['/occurredAt']],
    [
      'a legal status change with a future admission',
      { type: 'legal-status-changed', to: { status: 's2', admittedAt: inMinutes(60) } },
      ['/to/admittedAt'],
    ],
    ['an unknown key', { type: 'conveyance-arrived', crew: 'A1' }, ['/crew']],
  ];

  it.each(invalid)('refuses %s', (_name, body, expected) => {
    expect(eventPointers(body)).toEqual([...expected].sort());
  });
});
