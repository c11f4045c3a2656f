/**
 * Review, triage, withdrawal and closing (DOMAIN §3): the service's decisions about the
 * referral itself. They take the Hub's time (`recordedAt`): a backdated triage would distort
 * the received→accepted figures (§7).
 */
import { closeProblem } from '../lifecycle.js';
import { refuse } from '../transition-support.js';
import { accepted, byAmhp, type Decider } from './step.js';

/** The duty reviewer is recorded: they may not later be allocated to assess it (§3.1). */
export const startReview: Decider<'start-review'> = ({ next, sender, recordedAt, by }) =>
  accepted({ ...next, review: { at: recordedAt, ...by, ...byAmhp(sender) } });

export const accept: Decider<'accept'> = ({ next, e, recordedAt, by }) =>
  accepted({ ...next, triage: { decision: 'accepted', at: recordedAt, reason: e.reason, ...by } });

export const notAccept: Decider<'not-accept'> = ({ next, e, recordedAt, by }) =>
  accepted({
    ...next,
    triage: {
      decision: 'not-accepted',
      at: recordedAt,
      reason: e.reason,
      disposition: e.disposition,
      nextSteps: e.nextSteps,
      ...by,
    },
  });

/** The referrer asks; the service closes it as withdrawn (`close` checks the request stands). */
export const requestWithdrawal: Decider<'request-withdrawal'> = ({ next }) =>
  accepted({ ...next, withdrawalRequested: true });

/** Which reasons may close a referral depends on where it stands (lifecycle.ts keeps the rule). */
export const close: Decider<'close'> = ({ r, next, e, recordedAt }) => {
  const problem = closeProblem(r.status, e.reason, Boolean(r.withdrawalRequested));
  if (problem) return refuse('conflict', 'close.reason-not-allowed', problem);
  return accepted({ ...next, closure: { reason: e.reason, at: recordedAt } });
};
