/**
 * POST /v1/whereabouts/events: what an AMHP records about themself (DOMAIN §9), one tap each.
 * - `on-shift`: a duty session with the planned end and the on-call manager (one open at a time);
 * - `checked-in`: at a referral they are allocated (or co-allocated) to, on shift, with the
 *   expected finish; the safety sweep raises `safety-check-overdue` after it plus the grace;
 * - `checked-out`: safe (closes the open check-in); `off-shift`: closes the open session.
 * Whereabouts, not referral events: stored in `safety` only, so nothing of them reaches the
 * referral's stream, the referrer or the analytics feed; the audit names the session or
 * check-in, never the referral (the trail must not say where the AMHP went).
 */
import { ulid } from 'ulid';
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem } from '../../shared/http/problem.js';
import type { HttpResult } from '../../shared/http/types.js';
import type { Caller } from '../../shared/identity/caller.js';
import { getAmhp } from '../../shared/data/amhp-repository.js';
import { getReferral } from '../../shared/data/referral-repository.js';
import {
  checkInItems,
  checkOutItems,
  currentOf,
  getCheckIn,
  getSafetySettings,
  getSession,
  sessionEndItems,
  sessionStartItems,
} from '../../shared/data/safety-repository.js';
import { isAllocatedTo } from '../../shared/domain/referral-access.js';
import { overdueAt, type CheckIn, type DutySession } from '../../shared/domain/safety.js';
import type { WhereaboutsEventInput } from '../../shared/schemas/safety.js';
import type { CommitInput } from '../../shared/http/commit.js';
import { postWhereaboutsEventRoute } from '../routes/post-whereabouts-event.js';

type Commit = (input: CommitInput) => Promise<HttpResult>;
const future = (iso: string, now: Date, pointer: string, what: string) => {
  const at = new Date(iso);
  if (at.getTime() <= now.getTime())
    throw new HttpProblem('validation', `The ${what} must be in the future.`, {
      errors: [{ pointer, message: 'not in the future' }],
    });
  return at.toISOString();
};
const nothingOpen = (what: string) => new HttpProblem('conflict', `You have no open ${what}.`);

async function onShift(
  caller: Caller,
  e: Extract<WhereaboutsEventInput, { type: 'on-shift' }>,
  now: Date,
  commit: Commit,
) {
  const entry = caller.amhpId ? await getAmhp(caller.amhpId) : undefined;
  if (!entry?.active || entry.serviceId !== caller.organisationId) {
    throw new HttpProblem('forbidden', 'Only an active AMHP on this service’s register can go on shift.');
  }
  const session: DutySession = {
    sessionId: ulid(now.getTime()),
    serviceId: caller.organisationId,
    amhpId: entry.amhpId,
    status: 'on-shift',
    startedAt: now.toISOString(),
    plannedEndAt: future(e.plannedEndAt, now, '/plannedEndAt', 'planned end'),
    onCallManager: e.onCallManager,
  };
  return commit({
    items: sessionStartItems(session),
    result: { statusCode: 200, body: { type: 'on-shift', session } },
    audit: [{ resourceType: 'duty-session', resourceId: session.sessionId, action: 'create' }],
  });
}

async function offShift(caller: Caller, now: Date, commit: Commit) {
  const current = await currentOf(caller.amhpId!, 'SESSION');
  const session = current ? await getSession(current.serviceId, current.id) : undefined;
  if (session?.status !== 'on-shift') throw nothingOpen('duty session');
  return commit({
    items: sessionEndItems(session, now),
    result: {
      statusCode: 200,
      body: { type: 'off-shift', session: { ...session, status: 'off-shift', endedAt: now.toISOString() } },
    },
    audit: [{ resourceType: 'duty-session', resourceId: session.sessionId, action: 'update' }],
  });
}

async function checkedIn(
  caller: Caller,
  e: Extract<WhereaboutsEventInput, { type: 'checked-in' }>,
  now: Date,
  commit: Commit,
) {
  const found = await getReferral(e.referralId);
  // Not this service's, or not allocated to this AMHP: the same answer (no probing of referral ids).
  if (!found || found.record.serviceId !== caller.organisationId || !isAllocatedTo(found.record, caller.amhpId)) {
    throw new HttpProblem('validation', 'You can only check in at a referral you are allocated to.', {
      errors: [{ pointer: '/referralId', message: 'not allocated to you' }],
    });
  }
  if (!(await currentOf(caller.amhpId!, 'SESSION')))
    throw new HttpProblem('conflict', 'Go on shift before checking in.');
  const expectedFinishAt = future(e.expectedFinishAt, now, '/expectedFinishAt', 'expected finish');
  const checkIn: CheckIn = {
    checkInId: ulid(now.getTime()),
    serviceId: caller.organisationId,
    amhpId: caller.amhpId!,
    referralId: found.record.id,
    reference: found.record.reference,
    status: 'checked-in',
    checkedInAt: now.toISOString(),
    expectedFinishAt,
    graceMinutes: (await getSafetySettings(caller.organisationId)).graceMinutes,
  };
  return commit({
    items: checkInItems(checkIn),
    result: { statusCode: 200, body: { type: 'checked-in', checkIn: { ...checkIn, overdueAt: overdueAt(checkIn) } } },
    audit: [{ resourceType: 'check-in', resourceId: checkIn.checkInId, action: 'create' }],
  });
}

async function checkedOut(
  caller: Caller,
  e: Extract<WhereaboutsEventInput, { type: 'checked-out' }>,
  now: Date,
  commit: Commit,
) {
  const current = await currentOf(caller.amhpId!, 'CHECKIN');
  const checkIn = current ? await getCheckIn(current.serviceId, current.id) : undefined;
  if (checkIn?.status !== 'checked-in') throw nothingOpen('check-in');
  const next = { ...checkIn, status: 'checked-out' as const, checkedOutAt: now.toISOString(), safe: e.safe };
  return commit({
    items: checkOutItems(checkIn, e.safe, now),
    result: { statusCode: 200, body: { type: 'checked-out', checkIn: { ...next, overdueAt: overdueAt(next) } } },
    audit: [{ resourceType: 'check-in', resourceId: checkIn.checkInId, action: 'update' }],
  });
}

export const handler = apiRoute(postWhereaboutsEventRoute, {
  authorize: ({ caller }) => {
    if (!caller.amhpId) throw new HttpProblem('forbidden', 'Only an AMHP on the register records whereabouts.');
  },
  run: async ({ caller, body, now, commit }) => {
    switch (body.type) {
      case 'on-shift':
        return onShift(caller, body, now, commit);
      case 'off-shift':
        return offShift(caller, now, commit);
      case 'checked-in':
        return checkedIn(caller, body, now, commit);
      case 'checked-out':
        return checkedOut(caller, body, now, commit);
    }
  },
});
