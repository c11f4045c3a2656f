/**
 * The person's legal status and where they are held (DOMAIN §4): what the world reports is
 * recorded and flagged (§3.1); only an extension of a holding power, which the Hub's clocks
 * depend on, is refused when it does not meet s.136B.
 */
import { checkExtension } from '../clocks.js';
import { dwellingFlags, placeOfLegalStatus } from '../referral-flags.js';
import { refuse } from '../transition-support.js';
import { accepted, type Decider, type EventOf, type Step, type StepInput } from './step.js';

/** A new legal status may place the person (e.g. in hospital); a dwelling is flagged (s.136(1A)). */
export const legalStatusChanged: Decider<'legal-status-changed'> = ({ next, e }) => {
  const place = placeOfLegalStatus(e.to, undefined);
  return accepted(
    { ...next, legalStatus: e.to, ...(place ? { placeOfSafety: place } : {}) },
    {
      raised: dwellingFlags(e.to),
    },
  );
};

/** Arrival and transfer both say where the person is held now, and since when. */
type Reached = 'arrived-at-place-of-safety' | 'transferred-between-places-of-safety';
export const placeOfSafetyReached = ({ next, e, at }: StepInput<EventOf<Reached>>): Step =>
  accepted({
    ...next,
    placeOfSafety: {
      type: e.placeOfSafetyType,
      since: at,
      inspectorAuthorised: e.inspectorAuthorisation !== undefined,
      ...(e.siteId ? { siteId: e.siteId } : {}),
    },
  });

/** The extension is checked against the clock it extends; the clocks then run from the new fact. */
export const clockExtended: Decider<'clock-extended'> = ({ r, next, e, at, now }) => {
  const verdict = checkExtension(
    r.clockFacts,
    {
      power: e.power,
      at,
      hours: e.hours,
      ground: e.ground,
      byRole: e.authorisedBy.role,
      ...(r.placeOfSafety ? { placeOfSafetyType: r.placeOfSafety.type } : {}),
      ...(e.superintendentApproved !== undefined ? { superintendentApproved: e.superintendentApproved } : {}),
    },
    now,
  );
  if (!verdict.ok)
    return refuse(
      'conflict',
      `clock.extension-${verdict.reason}`,
      `The clock cannot be extended: ${verdict.reason.replace(/-/g, ' ')}.`,
    );
  return accepted(next);
};
