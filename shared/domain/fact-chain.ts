/**
 * Time runs forwards (DOMAIN §3.1): the order the facts of a referral must keep, and how a
 * fact entered wrongly is corrected. Pure; used by the transition (referral-transition.ts).
 */
import { ORDER_TOLERANCE_MS, type ClockFact } from './clocks.js';
import type { ReferralEventInput } from '../schemas/referral-events.js';

// ---------------------------------------------------------------------------------------------
// Time runs forwards (DOMAIN §3.1).

/**
 * The index of the first clock fact (in recorded order) that precedes, by more than the
 * tolerance, the fact it follows: an arrival its detention, a transfer the arrival (or the
 * detention), an application the detention, an admission its application, an s.5(2) report its s.5(4) record, the end
 * of a
 * detention its start. `undefined` when the chain runs forwards.
 */
export function firstChainBreak(facts: readonly ClockFact[]): number | undefined {
  let detention: number | undefined;
  let arrival: number | undefined;
  let application: number | undefined;
  let s54: number | undefined;
  const early = (t: number, ref: number | undefined) => ref !== undefined && t < ref - ORDER_TOLERANCE_MS;
  for (const [i, f] of facts.entries()) {
    const t = Date.parse(f.at);
    switch (f.type) {
      case 'detained':
        detention = t;
        arrival = undefined;
        break;
      case 'arrived-at-place-of-safety':
        if (early(t, detention)) return i;
        arrival ??= t;
        break;
      case 'transferred-between-places-of-safety':
        if (early(t, arrival ?? detention)) return i;
        break;
      case 'detention-ended':
        if ((f.power === undefined || f.power.startsWith('s13')) && early(t, detention)) return i;
        break;
      case 'application-made':
        // An application follows the detention it ends: one dated before it would end nothing
        // and leave the holding power's clock running to a false breach.
        if (early(t, detention)) return i;
        application = t;
        break;
      case 'admitted':
        if (early(t, application)) return i;
        break;
      case 's5-4-recorded':
        s54 = t;
        break;
      case 's5-2-furnished':
        if (early(t, s54)) return i;
        break;
      default:
        break;
    }
  }
  return undefined;
}

/** Requests whose arrival may not precede them (DOMAIN §3.1, §9). */
export const ARRIVAL_OF_REQUEST: Partial<Record<ReferralEventInput['type'], string>> = {
  's12-doctor-arrived': 's12-doctor-requested',
  'conveyance-arrived': 'conveyance-requested',
  'police-arrived': 'police-requested',
  'police-declined': 'police-requested',
  'interpreter-arrived': 'interpreter-requested',
};

/** Where a legal status's times sit in a `legal-status-changed` body, for a 400's pointer. */
export const LEGAL_STATUS_TIME_OF: Partial<Record<ClockFact['type'], string>> = {
  detained: '/to/detainedAt',
  'arrived-at-place-of-safety': '/to/arrivedAtPlaceOfSafetyAt',
  admitted: '/to/admittedAt',
  's5-2-furnished': '/to/furnishedAt',
};

// ---------------------------------------------------------------------------------------------
// Corrections (DOMAIN §3.1): a fact entered wrongly is corrected by a further event.

export type CorrectableField = Exclude<Extract<ReferralEventInput, { type: 'fact-corrected' }>['field'], 'application'>;

/** Which facts a corrected field changes, and which of their properties. */
const CORRECTION_TARGETS: Record<
  CorrectableField,
  readonly [ClockFact['type'], 'at' | 'decisionToKeepAt' | 'enteredPremisesAt' | 'medicalExaminationAt'][]
> = {
  occurredAt: [],
  detainedAt: [['detained', 'at']],
  arrivedAtPlaceOfSafetyAt: [['arrived-at-place-of-safety', 'at']],
  keptWhereFoundAt: [['detained', 'decisionToKeepAt']],
  enteredPremisesAt: [['detained', 'enteredPremisesAt']],
  recordedAt: [['s5-4-recorded', 'at']],
  furnishedAt: [
    ['s5-2-furnished', 'at'],
    ['practitioner-arrived', 'at'],
  ],
  precedingS54RecordedAt: [['s5-4-recorded', 'at']],
  applicationAt: [['application-made', 'at']],
  medicalExaminationAt: [['application-made', 'medicalExaminationAt']],
  admittedAt: [['admitted', 'at']],
};

export function corrected(
  facts: readonly ClockFact[],
  seq: number,
  field: CorrectableField,
  value: string,
): ClockFact[] | undefined {
  let changed = false;
  const out = facts.map((f) => {
    if (f.seq !== seq) return f;
    const targets = field === 'occurredAt' && seq > 1 ? [[f.type, 'at'] as const] : CORRECTION_TARGETS[field];
    const hit = targets.find(([type, prop]) => type === f.type && (prop === 'at' || prop in f));
    if (!hit) return f;
    changed = true;
    return { ...f, [hit[1]]: value } as ClockFact;
  });
  return changed ? out : undefined;
}
