/**
 * The outcome of the assessment and what follows it (DOMAIN §3.1, §3.2): the outcome and its
 * amendment, an application made later on paper (the no-bed pathway), the written reasons
 * s.13(4) owes the nearest relative and the letter to the GP.
 */
import { objectionBars, owesReasons } from '../applications.js';
import { applicationFactsOfOutcome } from '../referral.js';
import { applicationOfOutcome, detailsOf, invalid, objectionRefusal, refuse } from '../transition-support.js';
import { accepted, byAmhp, type Decider } from './step.js';

/** s.13(4): a nearest relative's request that ends without an application is answered in writing. */
const reasonsRequired = () =>
  invalid(
    'reasons.required',
    '/reasonsForNearestRelative',
    "required: no application follows the nearest relative's request (s.13(4))",
  );

/** The outcome counts from when it was decided; an outcome that makes an application ends a clock. */
export const recordOutcome: Decider<'record-outcome'> = ({ r, next, e, sender, at, seq }) => {
  if (owesReasons(r.basis, e.outcome, undefined) && e.reasonsForNearestRelative === undefined) return reasonsRequired();
  const made = applicationOfOutcome(r, e.outcome, e.application, at, seq, sender.amhpId);
  if ('refused' in made) return made.refused;
  const outcome = {
    outcome: e.outcome,
    nextSteps: e.nextSteps,
    ...(e.reasonsInWriting ? { reasonsInWriting: e.reasonsInWriting } : {}),
    ...(e.reasonsForNearestRelative ? { reasonsForNearestRelative: e.reasonsForNearestRelative } : {}),
    at,
    ...byAmhp(sender),
    amendments: 0,
  };
  return accepted(
    { ...next, outcome, ...(made.application ? { application: made.application } : {}) },
    { evidenceChanged: true, facts: [...r.clockFacts, ...applicationFactsOfOutcome(e.outcome, at, seq)] },
  );
};

/**
 * An amendment keeps when and by whom the outcome was decided, and counts itself. The amended
 * outcome's application replaces the first one's (an application made later on the no-bed
 * pathway stands): an amendment to detained-s2 ends the s.136 clock as the outcome would have,
 * and no false breach follows.
 */
export const amendOutcome: Decider<'amend-outcome'> = ({ r, next, e, seq }) => {
  const first = r.outcome!;
  const onPaper = r.application?.origin === 'application-made' ? r.application : undefined;
  if (owesReasons(r.basis, e.outcome, onPaper) && e.reasonsForNearestRelative === undefined) return reasonsRequired();
  const details = e.application ?? (r.application?.origin === 'outcome' ? r.application : undefined);
  const made = applicationOfOutcome(r, e.outcome, details, first.at, seq, first.byAmhpId);
  if ('refused' in made) return made.refused;
  // The reasons are those of the amendment: a reason given first and not again is gone.
  const { reasonsInWriting: _w, reasonsForNearestRelative: _n, ...kept } = first;
  const outcome = {
    ...kept,
    outcome: e.outcome,
    nextSteps: e.nextSteps,
    amendments: first.amendments + 1,
    ...(e.reasonsInWriting ? { reasonsInWriting: e.reasonsInWriting } : {}),
    ...(e.reasonsForNearestRelative ? { reasonsForNearestRelative: e.reasonsForNearestRelative } : {}),
  };
  const { application: _a, ...withoutApplication } = next;
  const application = made.application ?? onPaper;
  return accepted(application ? { ...next, outcome, application } : { ...withoutApplication, outcome }, {
    evidenceChanged: true,
    facts: [
      ...r.clockFacts.filter((f) => f.origin !== 'outcome'),
      ...applicationFactsOfOutcome(e.outcome, first.at, seq),
    ],
  });
};

/** On the no-bed pathway, by the AMHP then allocated; barred after an objection (s.11(4)). */
export const applicationMade: Decider<'application-made'> = ({ r, next, e, sender, at, seq }) => {
  if (objectionBars(e.section, r.nearestRelativeStatus)) return objectionRefusal();
  return accepted(
    {
      ...next,
      application: { section: e.section, at, seq, origin: 'application-made', ...byAmhp(sender), ...detailsOf(e) },
    },
    { evidenceChanged: true },
  );
};

export const reasonsSent: Decider<'reasons-sent'> = ({ r, next, e, at }) => {
  if (!owesReasons(r.basis, r.outcome?.outcome, r.application))
    return refuse(
      'conflict',
      'reasons.not-owed',
      "No written reasons are owed: this is not a nearest relative's request that ended without an application.",
    );
  return accepted({ ...next, reasonsSent: { at, method: e.method } });
};

export const gpLetterSent: Decider<'gp-letter-sent'> = ({ next, e, at }) =>
  accepted({ ...next, gpLetterSent: { at, method: e.method } });
