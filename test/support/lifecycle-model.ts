/**
 * The lifecycle model (DOMAIN §3.1: "a test that drives random event sequences must not find a
 * way round any of them"): random sequences of events from every kind of sender, and the
 * invariants that must hold after every step whatever the order. Used through the pure
 * transition (test/unit/referral-model.test.ts), through HTTP on DynamoDB Local
 * (test/integration/referral-model.test.ts) and by the soak.
 */
import fc from 'fast-check';
import type { ReferralRecord } from '../../shared/domain/referral.js';
import { ACKNOWLEDGEABLE_FLAGS, APPLICATION_SECTIONS, type BED_TYPES } from '../../shared/domain/vocabulary.js';
import {
  CORRECTABLE_FIELDS,
  REFERRAL_EVENT_INPUT_TYPES,
  ReferralEventInput,
} from '../../shared/schemas/referral-events.js';
import { PLACE_OF_SAFETY_TYPES } from '../../shared/schemas/referral.js';
import { AMHP_IDS, INTAKE_KINDS, SENDERS, type IntakeKind, type SenderName } from './lifecycle-fixtures.js';

/** Every event a person or partner may send: the schema's own list, so a new event is generated too. */
export const TEMPLATES = REFERRAL_EVENT_INPUT_TYPES;

const OUTCOMES = [
  'detained-s2',
  'detained-s3',
  'guardianship-s7',
  'recommendations-made-no-bed',
  'no-further-action',
  'informal-admission',
] as const;
const STATUSES = ['s136-home', 's136-street', 's2', 's5-2', 'informal'] as const;

/** Every random choice a step may need; each template uses the ones it needs. */
export interface StepParams {
  /** `next`: whatever moves the referral on from where it stands, by who may send it (depth). */
  template: (typeof TEMPLATES)[number] | 'next';
  who: SenderName;
  /** Minutes the clock moves on before the step (0 through HTTP: real time). */
  advance: number;
  /** occurredAt relative to now, minutes; null: none given. */
  offset: number | null;
  amhp: string;
  outcome: (typeof OUTCOMES)[number];
  place: (typeof PLACE_OF_SAFETY_TYPES)[number];
  authorised: boolean;
  toTeam: boolean;
  power: string;
  field: (typeof CORRECTABLE_FIELDS)[number];
  seq: number;
  flag: (typeof ACKNOWLEDGEABLE_FLAGS)[number];
  bedType: (typeof BED_TYPES)[number];
  withReason: boolean;
  section: (typeof APPLICATION_SECTIONS)[number];
  status: (typeof STATUSES)[number];
  closeReason: 'completed' | 'withdrawn-by-referrer' | 'other';
  hours: number;
  /** Medical recommendations given with an application (0–2), examined this many days ago. */
  recommendations: number[];
  objects: boolean;
}

/** Process-heavy templates come up more often, so sequences reach deep states. */
const templateArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant<StepParams['template']>('next') },
  {
    weight: 2,
    arbitrary: fc.constantFrom<StepParams['template']>(
      'handed-over',
      'co-allocate',
      'application-made',
      'arrived-at-place-of-safety',
      'fact-corrected',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom<StepParams['template']>(
      'nearest-relative-consulted',
      'nearest-relative-informed',
      'displacement-applied',
      'nearest-relative-displaced',
      'reasons-sent',
    ),
  },
  { weight: 5, arbitrary: fc.constantFrom(...TEMPLATES) },
);

export const stepArb = (senders: readonly SenderName[], advance = true): fc.Arbitrary<StepParams> =>
  fc.record({
    template: templateArb,
    who: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom<SenderName>('lead', 'sam') },
      { weight: 4, arbitrary: fc.constantFrom(...senders) },
    ),
    advance: advance ? fc.integer({ min: 0, max: 240 }) : fc.constant(0),
    offset: fc.option(fc.integer({ min: -300, max: 2 }), { nil: null }),
    amhp: fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom('amhp-sam', 'amhp-alex') },
      { weight: 3, arbitrary: fc.constantFrom(...AMHP_IDS) },
    ),
    outcome: fc.constantFrom(...OUTCOMES),
    place: fc.constantFrom(...PLACE_OF_SAFETY_TYPES),
    authorised: fc.boolean(),
    toTeam: fc.boolean(),
    power: fc.constantFrom('s136', 's135-1', 's5-2', 's5-4'),
    field: fc.constantFrom(...CORRECTABLE_FIELDS),
    seq: fc.integer({ min: 1, max: 12 }),
    flag: fc.constantFrom(...ACKNOWLEDGEABLE_FLAGS),
    bedType: fc.constantFrom('camhs', 'adult-acute', 'picu'),
    withReason: fc.boolean(),
    section: fc.constantFrom(...APPLICATION_SECTIONS),
    status: fc.constantFrom(...STATUSES),
    closeReason: fc.constantFrom('completed', 'withdrawn-by-referrer', 'other'),
    hours: fc.integer({ min: 1, max: 12 }),
    recommendations: fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 2 }),
    objects: fc.boolean(),
  });

export const sequenceArb = (senders: readonly SenderName[], maxSteps: number, advance = true) =>
  fc.record({
    kind: fc.constantFrom<IntakeKind>(...INTAKE_KINDS),
    lssa: fc.constantFrom('E06000055', 'E06000056'),
    steps: fc.array(stepArb(senders, advance), { minLength: 1, maxLength: maxSteps }),
  });

/**
 * A `next` step made concrete for the referral as it stands: the event that moves it on and the
 * sender who may send it (the lead for triage and allocation, the allocated AMHP after).
 */
export function concrete(p: StepParams, r: ReferralRecord): StepParams {
  if (p.template !== 'next') return p;
  const allocated = (Object.keys(SENDERS) as SenderName[]).find(
    (n) => SENDERS[n].amhpId !== undefined && SENDERS[n].amhpId === r.allocation?.amhpId,
  );
  const by = (template: StepParams['template'], who: SenderName | undefined): StepParams => ({
    ...p,
    template,
    who: who ?? p.who,
  });
  switch (r.status) {
    case 'received':
      return by('start-review', 'lead');
    case 'under-review':
      return by('accept', 'lead');
    case 'accepted':
      return by('allocate', 'lead');
    case 'allocated':
      return by(p.toTeam ? 'record-outcome' : 'start-assessment', allocated);
    case 'assessment-in-progress':
      return by('record-outcome', allocated);
    case 'outcome-recorded':
      if (r.outcome?.outcome === 'recommendations-made-no-bed')
        return by(p.toTeam ? 'handed-over' : 'application-made', p.toTeam ? 'lead' : allocated);
      return by(p.objects ? 'nearest-relative-consulted' : 'close', p.objects ? allocated : 'lead');
    default:
      return by('amend-outcome', allocated);
  }
}

/** The event a step sends at `now`; `undefined` when the combination is not a valid body. */
export function eventOf(p: StepParams, now: Date): ReferralEventInput | undefined {
  const at = (m: number) => new Date(now.getTime() + m * 60_000).toISOString();
  const occurred = p.offset === null ? {} : { occurredAt: at(p.offset) };
  const reasonsInWriting = {
    reasonsInWriting: 'Least restrictive option; written reasons given.',
    reasonsForNearestRelative: 'We met your son today and decided not to apply because he agreed to home treatment.',
  };
  const day = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const evidence = {
    recommendations: p.recommendations.map((d, i) => ({
      practitioner: `Dr ${i}`,
      approval: i ? 'registered-medical-practitioner' : 's12-approved',
      examinedOn: day(d),
      signedOn: day(Math.max(0, d - 1)),
    })),
    ...(p.withReason ? { amhpSeenOn: day(p.recommendations[0] ?? 0) } : {}),
  };
  const makesApplication = (o: string) => o.startsWith('detained') || o === 'guardianship-s7';
  const raw = ((): Record<string, unknown> => {
    switch (p.template) {
      case 'next':
        throw new Error('make the step concrete first');
      case 'start-review':
      case 'start-assessment':
      case 's12-doctor-requested':
      case 's12-doctor-arrived':
      case 'medical-examination-completed':
      case 'conveyance-arrived':
      case 'police-arrived':
      case 'interpreter-arrived':
        return { type: p.template, ...(p.template === 'start-review' ? {} : occurred) };
      case 'police-requested':
        return { type: p.template, ground: 'risk-assessed-safety-need', ...occurred };
      case 'police-declined':
        return { type: p.template, reason: 'no-resources', ...occurred };
      case 'interpreter-requested':
        return { type: p.template, language: 'Polish', ...occurred };
      case 'accept':
        return { type: 'accept', reason: 'Assessment needed.' };
      case 'not-accept':
        return { type: 'not-accept', reason: 'No assessment needed.', disposition: 'advice', nextSteps: 'GP review.' };
      case 'allocate':
        return { type: 'allocate', amhpId: p.amhp, expectedAttendanceAt: at(60) };
      case 'co-allocate':
        return { type: 'co-allocate', amhpId: p.amhp };
      case 'handed-over':
        return {
          type: 'handed-over',
          reason: 'Shift change.',
          ...(p.toTeam ? { toTeam: 'out-of-hours' } : { toAmhpId: p.amhp }),
        };
      case 'record-outcome':
        return {
          type: 'record-outcome',
          outcome: p.outcome,
          nextSteps: 'Plan agreed.',
          ...occurred,
          ...(makesApplication(p.outcome) ? { application: { hospital: 'Oak Ward', ...evidence } } : reasonsInWriting),
        };
      case 'amend-outcome':
        return {
          type: 'amend-outcome',
          outcome: p.outcome,
          reason: 'Corrected.',
          nextSteps: 'Plan agreed.',
          ...(makesApplication(p.outcome) ? (p.toTeam ? { application: evidence } : {}) : reasonsInWriting),
        };
      case 'application-made':
        return {
          type: 'application-made',
          section: p.section,
          ...occurred,
          ...evidence,
          ...(p.section === 's7' ? { guardian: 'The council' } : { hospital: 'Oak Ward' }),
        };
      case 'nearest-relative-identified':
        return {
          type: p.template,
          identity: p.toTeam ? 'person' : p.objects ? 'none' : 'unknown',
          ...(p.toTeam ? { name: 'Ruth Marsh' } : {}),
          ...occurred,
        };
      case 'nearest-relative-informed':
        return { type: p.template, how: 'telephone', ...occurred };
      case 'nearest-relative-consulted':
        return { type: p.template, objects: p.objects, ...occurred };
      case 'nearest-relative-not-practicable':
        return { type: p.template, reason: 'unreasonable-delay', ...occurred };
      case 'nearest-relative-displaced':
        return { type: p.template, acting: { name: 'Acting Relative' }, ...occurred };
      case 'displacement-applied':
        return { type: p.template, ...occurred };
      case 'reasons-sent':
      case 'gp-letter-sent':
        return { type: p.template, method: 'post', ...occurred };
      case 'close':
        return { type: 'close', reason: p.closeReason, ...(p.closeReason === 'other' ? { note: 'Moved away.' } : {}) };
      case 'withdraw':
      case 'request-withdrawal':
        return { type: p.template, reason: 'Person agreed to go informally.' };
      case 'information-added':
        return { type: 'information-added', note: 'Mother called.' };
      case 'escalated':
        return {
          type: 'escalated',
          escalationType: 'no-bed',
          bedType: 'adult-acute',
          whereWaiting: 'emergency-department',
          ...occurred,
        };
      case 'bed-requested':
        return {
          type: 'bed-requested',
          bedType: p.bedType,
          sex: 'male',
          ...occurred,
          ...(p.withReason ? { reasonForBedType: 'No CAMHS bed in region.' } : {}),
        };
      case 'bed-identified':
        return { type: 'bed-identified', outOfArea: p.toTeam, ...occurred };
      case 'conveyance-requested':
        return { type: 'conveyance-requested', mode: 'ambulance', ...occurred };
      case 'legal-status-changed': {
        const t = at(p.offset ?? 0);
        const to =
          p.status === 's136-home'
            ? { status: 's136', detainedAt: t, detainedAtLocationType: 'home' }
            : p.status === 's136-street'
              ? {
                  status: 's136',
                  detainedAt: t,
                  detainedAtLocationType: 'public-place',
                  ...(p.authorised
                    ? { arrivedAtPlaceOfSafetyAt: at((p.offset ?? 0) + 1), placeOfSafetyType: p.place }
                    : {}),
                }
              : p.status === 's2'
                ? { status: 's2', admittedAt: t }
                : p.status === 's5-2'
                  ? { status: 's5-2', furnishedAt: t }
                  : { status: 'informal' };
        return { type: 'legal-status-changed', to };
      }
      case 'arrived-at-place-of-safety':
      case 'transferred-between-places-of-safety':
        return {
          type: p.template,
          placeOfSafetyType: p.place,
          ...occurred,
          ...(p.authorised
            ? {
                inspectorAuthorisation: {
                  authorisedAt: at(p.offset ?? 0),
                  ground: 'imminent-risk-of-serious-injury-or-death',
                },
              }
            : {}),
        };
      case 'clock-extended':
        return {
          type: 'clock-extended',
          power: p.power === 's135-1' ? 's135-1' : 's136',
          hours: p.hours,
          ground: 'condition-makes-assessment-impracticable',
          authorisedBy: { name: 'Dr Shah', role: 'registered-medical-practitioner' },
          amhpConsulted: 'yes',
          ...occurred,
        };
      case 'detention-ended':
        return { type: 'detention-ended', power: p.power, ...occurred };
      case 'fact-corrected':
        return p.objects && p.toTeam
          ? {
              type: 'fact-corrected',
              eventSeq: p.seq,
              field: 'application',
              application: { hospital: 'Oak Ward', ...evidence },
              reason: 'Forms checked.',
            }
          : {
              type: 'fact-corrected',
              eventSeq: p.seq,
              field: p.field,
              value: at(p.offset ?? -10),
              reason: 'Entered wrongly.',
            };
      case 'flag-acknowledged':
        return { type: 'flag-acknowledged', flag: p.flag, reason: 'Reviewed.' };
    }
  })();
  const parsed = ReferralEventInput.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

export { heldPowers, namedAmhp, violations } from './lifecycle-invariants.js';

export const ALL_SENDERS = Object.keys(SENDERS) as SenderName[];
