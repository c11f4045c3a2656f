/**
 * A referral as received (DOMAIN §2): its clocks from the legal status, where the person is held
 * and the flags the intake raises (recorded, never refused). Pure.
 */
import { clockFactsOfReferral, recomputeClocks, type ReferralRecord } from './referral.js';
import {
  dwellingFlags,
  placeFlagsHolding,
  placeOfLegalStatus,
  updateFlags,
  type PlaceOfSafetyNow,
} from './referral-flags.js';
import type { ReferralCreate } from '../schemas/referral.js';

/** At intake (DOMAIN §2): where the person is held and the flags the referral raises. */
export function intakeFlags(
  body: Pick<ReferralRecord, 'person' | 'legalStatus' | 'location'>,
  clocks: ReferralRecord['clocks'],
  at: string,
): { placeOfSafety?: PlaceOfSafetyNow; flags: ReturnType<typeof updateFlags>['flags'] } {
  const place = placeOfLegalStatus(body.legalStatus, body.location.type);
  const holding = placeFlagsHolding(body.person, place, clocks, at);
  const { flags } = updateFlags([], holding, dwellingFlags(body.legalStatus), at, 1);
  return { ...(place ? { placeOfSafety: place } : {}), flags };
}

export interface Intake {
  readonly body: ReferralCreate;
  readonly id: string;
  readonly reference: string;
  readonly serviceId: string;
  readonly referrer: { organisationId: string; agencyType: string; clientId: string; actorId?: string };
  readonly possibleDuplicateOf?: readonly string[];
  readonly now: Date;
}

/** A referral as received (DOMAIN §2): its clocks from the legal status, its flags. */
export function receive({
  body,
  id,
  reference,
  serviceId,
  referrer,
  possibleDuplicateOf,
  now,
}: Intake): ReferralRecord {
  const at = now.toISOString();
  const { referrer: contact, ...rest } = body;
  const clockFacts = clockFactsOfReferral(body);
  const clocks = recomputeClocks(clockFacts, now);
  const { placeOfSafety, flags } = intakeFlags(body, clocks, at);
  return {
    ...rest,
    id,
    reference,
    status: 'received',
    version: 1,
    changeSeq: 1,
    receivedAt: at,
    updatedAt: at,
    serviceId,
    referrer: { ...contact, ...referrer },
    clockFacts,
    clocks,
    ...(placeOfSafety ? { placeOfSafety } : {}),
    ...(flags.length ? { flags } : {}),
    recordedThresholds: [],
    lastEvent: { type: 'received', at },
    milestones: {},
    escalations: [],
    breaches: [],
    ...(possibleDuplicateOf?.length ? { possibleDuplicateOf: [...possibleDuplicateOf] } : {}),
  };
}
