/**
 * The referral's clocks at a moment and the views each kind of reader gets: the board's sort key and
 * clock columns, the service view and the referrer view. Pure: no AWS, no ambient time. Split out of
 * referral.ts, which re-exports it.
 */
import {
  CLOCK_RULES,
  computeClocks,
  effectiveExpiry,
  nearestExpiry,
  thresholdsOf,
  type Clock,
  type ClockFact,
  type ClockState,
} from './clocks.js';
import { isOpen, URGENCY_RANK } from './lifecycle.js';
import type { ReferralRecord } from './referral.js';

/** A clock's state at `now`, from its own fields (board rows carry clocks, not facts). */
export function clockStateAt(clock: Clock, now: Date): ClockState {
  if (clock.state === 'ended' || clock.endedAt) return 'ended';
  if (clock.suspendedAt) return 'running';
  const expiry = Date.parse(effectiveExpiry(clock));
  const t = now.getTime();
  if (t >= expiry) return 'breached';
  const rule = CLOCK_RULES.powers[clock.power];
  const first =
    rule.unit === 'hours'
      ? Math.max(...CLOCK_RULES.warnings.hours) * 3_600_000
      : Math.max(...CLOCK_RULES.warnings.days) * 86_400_000;
  return t >= expiry - first ? 'warning' : 'running';
}

export const clocksAt = (clocks: readonly Clock[], now: Date): Clock[] =>
  clocks.map((c) => ({ ...c, state: clockStateAt(c, now) }));

/** Recomputes clocks from facts at `now`. */
export const recomputeClocks = (facts: readonly ClockFact[], now: Date): Clock[] => computeClocks(facts, now);

const NO_EXPIRY = '9999-12-31T23:59:59.999Z';

/** Sort key of the board index: nearest expiry, then urgency, then age. */
export const boardSortKey = (r: Pick<ReferralRecord, 'clocks' | 'urgency' | 'id'>): string =>
  `${nearestExpiry(r.clocks) ?? NO_EXPIRY}#${URGENCY_RANK[r.urgency] ?? 9}#${r.id}`;

export const urgencyOfRank = (rank: string): string =>
  Object.entries(URGENCY_RANK).find(([, n]) => String(n) === rank)?.[0] ?? 'unknown';

/** What a board row needs of a clock: its power and effective expiry (state follows from them). */
export interface BoardClock {
  p: string;
  e: string;
}
export const boardClocksOf = (clocks: readonly Clock[]): BoardClock[] =>
  clocks.filter((c) => !c.endedAt && !c.suspendedAt).map((c) => ({ p: c.power, e: effectiveExpiry(c) }));

export const boardClockView = (c: BoardClock, now: Date) => ({
  power: c.p,
  expiresAt: c.e,
  state: clockStateAt(
    { power: c.p as Clock['power'], startsAt: c.e, expiresAt: c.e, state: 'running', rulesVersion: '' },
    now,
  ),
});

/**
 * When the sweep must next look at this referral: its earliest threshold not yet announced.
 * Past ones count (a sweep that was down catches up); announced ones do not, so a referral
 * leaves the due range of the index as soon as it is up to date.
 */
export function nextClockDeadline(
  r: Pick<ReferralRecord, 'clocks' | 'status' | 'recordedThresholds'>,
): string | undefined {
  if (!isOpen(r.status)) return undefined;
  const announced = new Set(r.recordedThresholds);
  let next: string | undefined;
  for (const clock of r.clocks) {
    for (const t of thresholdsOf(clock)) {
      if (announced.has(t.key)) continue;
      // An ended clock still owes the breach it suffered before it ended (the sweep may have been down).
      if (clock.endedAt && !(t.threshold === 'breach' && Date.parse(t.at) < Date.parse(clock.endedAt))) continue;
      const at = new Date(t.at).toISOString();
      if (!next || at < next) next = at;
    }
  }
  return next;
}

/** What the AMHP service sees: everything but the Hub's own bookkeeping. */
export function serviceView(r: ReferralRecord, now: Date) {
  const {
    clockFacts: _f,
    recordedThresholds: _t,
    milestones: _m,
    escalations: _e,
    breaches: _b,
    factTimes: _ft,
    correlationId: _c,
    ...rest
  } = r;
  return { ...rest, clocks: clocksAt(r.clocks, now) };
}

/** What every view of a referral carries: where it stands, none of it identifiable. */
export const viewBasics = (r: ReferralRecord) => ({
  status: r.status,
  version: r.version,
  receivedAt: r.receivedAt,
  updatedAt: r.updatedAt,
  responsibleLssa: r.responsibleLssa,
  basis: r.basis,
  urgency: r.urgency,
});

/**
 * What the referring organisation sees (DOMAIN §1): status, clocks, the triage decision, an
 * AMHP-allocated indication and expected attendance, the outcome disposition and next steps.
 * No AMHP notes, no reasons, no other agency's narrative.
 */
export function referrerView(r: ReferralRecord, now: Date) {
  return {
    id: r.id,
    reference: r.reference,
    referrerReference: r.referrer.referrerReference,
    ...viewBasics(r),
    clocks: clocksAt(r.clocks, now),
    ...(r.triage
      ? {
          triage: {
            decision: r.triage.decision,
            at: r.triage.at,
            ...(r.triage.disposition ? { disposition: r.triage.disposition } : {}),
            ...(r.triage.nextSteps ? { nextSteps: r.triage.nextSteps } : {}),
          },
        }
      : {}),
    ...(r.allocation
      ? {
          allocation: {
            amhpAllocated: true,
            expectedAttendanceAt: r.allocation.expectedAttendanceAt,
            at: r.allocation.at,
          },
        }
      : {}),
    ...(r.outcome
      ? {
          outcome: {
            outcome: r.outcome.outcome,
            nextSteps: r.outcome.nextSteps,
            at: r.outcome.at,
            amended: r.outcome.amendments > 0,
          },
        }
      : {}),
    ...(r.closure ? { closure: { reason: r.closure.reason, at: r.closure.at } } : {}),
    lastEvent: r.lastEvent,
  };
}
