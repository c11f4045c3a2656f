/**
 * Corrections and acknowledgements by the service (DOMAIN §3.1): a fact entered wrongly is
 * corrected, never edited in place (a time: the clocks are recomputed; the application's
 * evidence: its flags are checked again), and a flag that records something past is
 * acknowledged by the lead.
 */
import { ORDER_TOLERANCE_MS } from '../clocks.js';
import { corrected, firstChainBreak, type CorrectableField } from '../fact-chain.js';
import { detailsOf, invalid, refuse } from '../transition-support.js';
import { accepted, iso, type Decider, type EventOf, type Step, type StepInput, type Rejection } from './step.js';

type Correction = StepInput<EventOf<'fact-corrected'>>;

/** The application's evidence as corrected: the whole of it is replaced, its origin and time kept. */
function correctApplication({ r, next, e }: Correction): Step | Rejection {
  if (!r.application || r.application.seq !== e.eventSeq)
    return invalid('correction.no-such-fact', '/eventSeq', 'no application recorded by that event');
  const { hospital: _h, guardian: _g, recommendations: _r, amhpSeenOn: _a, ...kept } = r.application;
  return accepted({ ...next, application: { ...kept, ...detailsOf(e.application) } }, { evidenceChanged: true });
}

/** A time corrected may not be in the future nor break a chain of times that held before. */
function correctTime({ r, next, e, now }: Correction, field: CorrectableField): Step | Rejection {
  const value = iso(e.value!);
  if (Date.parse(value) > now.getTime() + ORDER_TOLERANCE_MS)
    return invalid('time.in-future', '/value', 'a time in the future');
  const fixed = corrected(r.clockFacts, e.eventSeq, field, value);
  if (!fixed) return invalid('correction.no-such-fact', '/field', 'no time of that name recorded by that event');
  if (firstChainBreak(fixed) !== undefined && firstChainBreak(r.clockFacts) === undefined)
    return invalid(
      'time.runs-backwards',
      '/value',
      'the corrected time would precede, by more than 5 minutes, the fact it follows',
    );
  return accepted(next, { facts: fixed });
}

export const factCorrected: Decider<'fact-corrected'> = (input) => {
  const { field } = input.e;
  return field === 'application' ? correctApplication(input) : correctTime(input, field);
};

/** Only a raised flag can be acknowledged; it stays on the record, resolved. */
export const flagAcknowledged: Decider<'flag-acknowledged'> = ({ r, next, e, recordedAt }) => {
  const flag = r.flags?.find((f) => f.code === e.flag && !f.resolvedAt);
  if (!flag) return refuse('conflict', 'flag.not-raised', 'That flag is not raised on this referral.');
  const flags = r.flags!.map((f) =>
    f === flag ? { ...f, resolvedAt: recordedAt, resolution: 'acknowledged' as const } : f,
  );
  return accepted({ ...next, flags });
};
