/**
 * Flags (DOMAIN §2, §3.1): what happened in the world that the law forbids or that needs the
 * lead's eye, recorded on the referral and its board row. The Hub never refuses these facts:
 * refusing would hide a child in a cell from the AMHP service. Pure: time is a parameter.
 *
 * Two kinds (see FLAGS_RESOLVED_BY_FACTS in vocabulary.ts):
 * - place flags stand while their fact holds (a child, or an adult without an inspector's
 *   authorisation, at a police station while held under s.135/s.136) and clear by themselves
 *   when the person moves, is released or an application is made;
 * - event flags record something past and stay until the lead acknowledges them.
 */
import { PLACE_OF_SAFETY_POWERS } from './clock-rules.js';
import type { Clock } from './clocks.js';
import { isUnder18At } from './referral-rules.js';
import { FLAGS_RESOLVED_BY_FACTS, type FlagCode } from './vocabulary.js';
import type { LegalStatus, Person } from '../schemas/referral.js';

export interface Flag {
  code: FlagCode;
  raisedAt: string;
  /** The change that raised it. */
  seq: number;
  resolvedAt?: string;
  resolution?: 'facts-changed' | 'acknowledged';
}

/** Where the person is held now, as far as the place-of-safety rules need to know. */
export interface PlaceOfSafetyNow {
  type: string;
  since: string;
  siteId?: string;
  /** An inspector authorised a police station for this adult (2017 Regulations, reg. 2). */
  inspectorAuthorised: boolean;
}

/** A custody suite is a police station for s.136A and the 2017 Regulations. */
const POLICE_PLACES = new Set(['police-station', 'custody']);
const isPlaceOfSafetyStatus = (s: LegalStatus): s is Extract<LegalStatus, { status: 's136' | 's135-1' | 's135-2' }> =>
  (PLACE_OF_SAFETY_POWERS as readonly string[]).includes(s.status);

/**
 * The place a legal status says the person is held at. A police station or custody as the
 * person's location while detained under s.135/s.136 is a police station as a place of safety,
 * whatever else the body claims (the declared type wins only when it says police station).
 */
export function placeOfLegalStatus(
  status: LegalStatus,
  locationType: string | undefined,
): PlaceOfSafetyNow | undefined {
  if (!isPlaceOfSafetyStatus(status)) return undefined;
  const since = status.arrivedAtPlaceOfSafetyAt ?? status.keptWhereFoundAt ?? status.detainedAt;
  const authorised = status.inspectorAuthorisation !== undefined;
  const site = status.placeOfSafetySiteId ? { siteId: status.placeOfSafetySiteId } : {};
  if (status.placeOfSafetyType === 'police-station' || (locationType !== undefined && POLICE_PLACES.has(locationType)))
    return { type: 'police-station', since, inspectorAuthorised: authorised, ...site };
  if (status.placeOfSafetyType === undefined) return undefined;
  return { type: status.placeOfSafetyType, since, inspectorAuthorised: authorised, ...site };
}

/** Whether a s.135/s.136 clock is still open: the person is held under the holding power. */
const heldUnderPlaceOfSafetyPower = (clocks: readonly Clock[]): boolean =>
  clocks.some((c) => (PLACE_OF_SAFETY_POWERS as readonly string[]).includes(c.power) && c.endedAt === undefined);

/** The place flags that hold now. */
export function placeFlagsHolding(
  person: Person,
  place: PlaceOfSafetyNow | undefined,
  clocks: readonly Clock[],
  at: string,
): FlagCode[] {
  if (!place || !POLICE_PLACES.has(place.type) || !heldUnderPlaceOfSafetyPower(clocks)) return [];
  if (isUnder18At(person, at)) return ['unlawful-place-of-safety'];
  return place.inspectorAuthorised ? [] : ['police-station-without-authorisation'];
}

/** s.136(1A): the s.136 power used in a dwelling. */
export const dwellingFlags = (status: LegalStatus): FlagCode[] =>
  status.status === 's136' && status.detainedAtLocationType === 'home' ? ['s136-in-dwelling'] : [];

export const openFlags = (flags: readonly Flag[] | undefined): FlagCode[] =>
  (flags ?? []).filter((f) => !f.resolvedAt).map((f) => f.code);

/**
 * Flags within `scope` raised or cleared to match `holding` (what the facts say now). Returns the
 * new list and the codes newly raised.
 */
export function reconcileFlags(
  flags: readonly Flag[] | undefined,
  scope: readonly FlagCode[],
  holding: readonly FlagCode[],
  at: string,
  seq: number,
): { flags: Flag[]; raised: FlagCode[] } {
  const next = (flags ?? []).map((f) => ({ ...f }));
  const raised: FlagCode[] = [];
  for (const code of scope) {
    const current = next.find((f) => f.code === code && !f.resolvedAt);
    if (holding.includes(code) && !current) {
      next.push({ code, raisedAt: at, seq });
      raised.push(code);
    } else if (!holding.includes(code) && current) {
      current.resolvedAt = at;
      current.resolution = 'facts-changed';
    }
  }
  return { flags: next, raised };
}

/**
 * The flags after a change: the flags that stand while a fact holds raised or cleared to match
 * `holding`; event flags in `raised` added unless already open. Returns the new list and the
 * codes newly raised.
 */
export function updateFlags(
  flags: readonly Flag[] | undefined,
  holding: readonly FlagCode[],
  raised: readonly FlagCode[],
  at: string,
  seq: number,
): { flags: Flag[]; raised: FlagCode[] } {
  const reconciled = reconcileFlags(flags, FLAGS_RESOLVED_BY_FACTS, holding, at, seq);
  const next = reconciled.flags;
  const newly = [...reconciled.raised];
  for (const code of raised) {
    if (next.some((f) => f.code === code && !f.resolvedAt)) continue;
    next.push({ code, raisedAt: at, seq });
    newly.push(code);
  }
  return { flags: next, raised: newly };
}
