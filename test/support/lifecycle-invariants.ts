/**
 * The invariants of the lifecycle model (DOMAIN §3.1) that must hold after every step, whatever the order.
 * Split out of lifecycle-model.ts, which re-exports them.
 */
import { PLACE_OF_SAFETY_POWERS } from '../../shared/domain/clock-rules.js';
import type { ClockFact } from '../../shared/domain/clocks.js';
import {
  firstChainBreak,
  type Decision,
  type DecideInput,
  type RegisterEntry,
} from '../../shared/domain/referral-transition.js';
import { referrerView, type ReferralRecord } from '../../shared/domain/referral.js';
import { isUnder18At } from '../../shared/domain/referral-rules.js';
import { evidenceFlags } from '../../shared/domain/applications.js';
import type { ReferralEventInput } from '../../shared/schemas/referral-events.js';

/** The AMHP an event names for allocation. */
export const namedAmhp = (e: ReferralEventInput): string | undefined =>
  e.type === 'allocate' || e.type === 'co-allocate' ? e.amhpId : e.type === 'handed-over' ? e.toAmhpId : undefined;

// ---------------------------------------------------------------------------------------------
// Invariants.

/** Whether the person is held under each holding power, from the facts alone (an independent model). */
export function heldPowers(facts: readonly ClockFact[]): Set<string> {
  const held = new Set<string>();
  const ordered = facts.map((f, i) => ({ f, i, t: Date.parse(f.at) })).sort((a, b) => a.t - b.t || a.i - b.i);
  for (const { f } of ordered) {
    if (f.type === 'detained') held.add(f.power);
    else if (f.type === 's5-2-furnished') held.add('s5-2');
    else if (f.type === 'detention-ended') {
      if (f.power) held.delete(f.power);
      else held.clear();
    } else if (f.type === 'application-made') for (const p of PLACE_OF_SAFETY_POWERS) held.delete(p);
    else if (f.type === 'admitted' || f.type === 'referral-closed') held.clear();
  }
  return held;
}

const REFERRER_VIEW_KEYS = new Set([
  'id',
  'reference',
  'referrerReference',
  'status',
  'version',
  'receivedAt',
  'updatedAt',
  'responsibleLssa',
  'basis',
  'urgency',
  'clocks',
  'triage',
  'allocation',
  'outcome',
  'closure',
  'lastEvent',
]);

/**
 * What must hold after a step. `register` is the register as the Hub sees it (the fixture one
 * in the pure model, DynamoDB's through HTTP). Returns the violations (empty when lawful).
 */
export function violations(
  prev: ReferralRecord,
  d: Decision,
  input: Pick<DecideInput, 'event' | 'sender' | 'now'>,
  register: (amhpId: string) => RegisterEntry | undefined,
): string[] {
  if (!d.ok) return [];
  const next = d.next;
  const out: string[] = [];
  const lawfulAllocation = (amhpId: string, what: string) => {
    const entry = register(amhpId);
    if (!entry || entry.serviceId !== next.serviceId) out.push(`${what} ${amhpId} is not on the service's register`);
    else {
      if (!entry.active) out.push(`${what} ${amhpId} is inactive`);
      if (!entry.authorisedLssas.includes(next.responsibleLssa))
        out.push(`${what} ${amhpId} is not authorised for the LSSA`);
    }
    if (next.review?.byAmhpId === amhpId) out.push(`${what} ${amhpId} reviewed the referral`);
  };
  if (next.allocation) lawfulAllocation(next.allocation.amhpId, 'allocated');
  for (const c of next.coAllocations ?? []) lawfulAllocation(c.amhpId, 'co-allocated');

  const type = input.event.type;
  if (
    (type === 'record-outcome' || type === 'application-made') &&
    (!input.sender.amhpId || input.sender.amhpId !== prev.allocation?.amhpId)
  )
    out.push(`${type} by someone other than the allocated AMHP`);
  if (type === 'amend-outcome' && input.sender.amhpId !== prev.outcome?.byAmhpId)
    out.push('outcome amended by someone other than its author');

  // §3.2: an s.3 or guardianship application is never made while an objection stands.
  const app = next.application;
  if (
    app &&
    app !== prev.application &&
    JSON.stringify(app) !== JSON.stringify(prev.application) &&
    (app.section === 's3' || app.section === 's7') &&
    app.seq === next.changeSeq &&
    prev.nearestRelativeStatus?.consulted?.objects
  )
    out.push(`an ${app.section} application made after an undisplaced objection`);
  // §3.1: every application without complete evidence carries its flag (or the lead acknowledged it).
  if (app)
    for (const code of evidenceFlags(app))
      if (!next.flags?.some((f) => f.code === code && (!f.resolvedAt || f.resolution === 'acknowledged')))
        out.push(`application evidence without its flag ${code}`);
  // §4: s.2's clock follows a pending displacement.
  const pending = next.nearestRelativeStatus?.displacementPendingAt;
  if (pending)
    for (const c of next.clocks)
      if (
        c.power === 's2' &&
        !c.endedAt &&
        Date.parse(c.startsAt) <= Date.parse(pending) &&
        Date.parse(pending) < Date.parse(c.extendedUntil ?? c.expiresAt) &&
        !c.suspendedAt
      )
        out.push('an s.2 clock running out while a displacement application is pending');

  const held = heldPowers(next.clockFacts);
  for (const power of [...PLACE_OF_SAFETY_POWERS, 's5-2']) {
    const open = next.clocks.filter((c) => c.power === power && c.endedAt === undefined).length;
    if (held.has(power) && open !== 1) out.push(`held under ${power} with ${open} open clocks`);
    if (!held.has(power) && open !== 0) out.push(`${open} open ${power} clocks while not held under it`);
  }

  const atPolice = next.placeOfSafety?.type === 'police-station' && PLACE_OF_SAFETY_POWERS.some((p) => held.has(p));
  const at = 'occurredAt' in input.event && input.event.occurredAt ? input.event.occurredAt : input.now.toISOString();
  if (
    atPolice &&
    isUnder18At(next.person, at) &&
    !next.flags?.some((f) => f.code === 'unlawful-place-of-safety' && !f.resolvedAt)
  )
    out.push('a child at a police station without its flag');

  if (firstChainBreak(next.clockFacts) !== undefined && firstChainBreak(prev.clockFacts) === undefined)
    out.push('time ran backwards along a chain');
  if (next.version !== prev.version + 1) out.push(`version ${prev.version} → ${next.version}`);
  if (!(next.changeSeq > prev.changeSeq)) out.push(`changeSeq ${prev.changeSeq} → ${next.changeSeq}`);

  const view = referrerView(next, input.now);
  for (const k of Object.keys(view)) if (!REFERRER_VIEW_KEYS.has(k)) out.push(`referrer view carries ${k}`);
  const text = JSON.stringify(view);
  const p = next.person as { givenName?: string; familyName?: string; dateOfBirth?: string };
  for (const secret of [p.givenName, p.familyName, p.dateOfBirth, next.reasonForReferral])
    if (secret && text.includes(secret)) out.push('referrer view carries identifiable data');
  return out;
}
