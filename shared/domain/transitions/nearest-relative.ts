/**
 * The nearest relative (DOMAIN §3.2): who they are (s.26), that they were informed (s.11(3)) or
 * consulted (s.11(4)) or that it was not practicable, and displacement (s.29). The status is
 * recorded as the world reports it; what it bars (an objection) is checked where an application
 * is made (outcome.ts).
 */
import type { NearestRelativeStatus } from '../applications.js';
import { accepted, type Decider } from './step.js';

type Person = NonNullable<NearestRelativeStatus['person']>;

/** The person as recorded: the optional details only when given. */
const personOf = (p: { name: string; relationship?: string | undefined; contact?: string | undefined }): Person => ({
  name: p.name,
  ...(p.relationship ? { relationship: p.relationship } : {}),
  ...(p.contact ? { contact: p.contact } : {}),
});

/** A new identity replaces the person recorded; what was done with the one before stays. */
export const nearestRelativeIdentified: Decider<'nearest-relative-identified'> = ({ r, next, e }) => {
  const { person: _p, ...rest } = r.nearestRelativeStatus ?? {};
  const person =
    e.identity === 'person' && e.name
      ? personOf({ name: e.name, relationship: e.relationship, contact: e.contact })
      : undefined;
  return accepted({
    ...next,
    nearestRelativeStatus: { ...rest, identity: e.identity, ...(person ? { person } : {}) },
  });
};

export const nearestRelativeInformed: Decider<'nearest-relative-informed'> = ({ r, next, at }) =>
  accepted({ ...next, nearestRelativeStatus: { ...r.nearestRelativeStatus, informedAt: at } });

export const nearestRelativeConsulted: Decider<'nearest-relative-consulted'> = ({ r, next, e, at }) =>
  accepted({ ...next, nearestRelativeStatus: { ...r.nearestRelativeStatus, consulted: { at, objects: e.objects } } });

export const nearestRelativeNotPracticable: Decider<'nearest-relative-not-practicable'> = ({ r, next, e, at }) =>
  accepted({
    ...next,
    nearestRelativeStatus: { ...r.nearestRelativeStatus, notPracticable: { at, reason: e.reason } },
  });

/**
 * s.29: the acting nearest relative is now the nearest relative; the displaced one's
 * consultation (and objection) no longer stands. A pending application dated after this order
 * is still pending (the clocks replay by time).
 */
export const nearestRelativeDisplaced: Decider<'nearest-relative-displaced'> = ({ r, next, e, at }) => {
  const pendingAfter =
    r.nearestRelativeStatus?.displacementPendingAt && r.nearestRelativeStatus.displacementPendingAt > at;
  const { consulted: _c, displacementPendingAt: pending, ...rest } = r.nearestRelativeStatus ?? {};
  if (pendingAfter) Object.assign(rest, { displacementPendingAt: pending });
  return accepted({
    ...next,
    nearestRelativeStatus: { ...rest, identity: 'person', displacedAt: at, person: personOf(e.acting) },
  });
};

/**
 * An application dated before an order already recorded was disposed of by it (found by the
 * model-based test: the status must follow the times, as the s.2 clock does).
 */
export const displacementApplied: Decider<'displacement-applied'> = ({ r, next, at }) => {
  if (r.nearestRelativeStatus?.displacedAt && r.nearestRelativeStatus.displacedAt >= at) return accepted(next);
  return accepted({ ...next, nearestRelativeStatus: { ...r.nearestRelativeStatus, displacementPendingAt: at } });
};
