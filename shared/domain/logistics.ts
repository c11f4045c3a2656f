/**
 * Assessment logistics (DOMAIN §9): requests and what answers them, paired with their times.
 * A request opens a wait (a s.12 doctor, a second doctor, police, conveyance, an interpreter, a
 * bed); its arrival — or the police's reply, or a bed found — closes the longest-waiting open
 * request of that cause. Open waits show on the board ("waiting for: s.12 doctor 1 h 40 m");
 * closed ones are the "delays by cause" of the extracts (§7). Pure.
 *
 * Time runs forwards (§3.1): an answer may not precede, by more than the tolerance, the request
 * it answers. An answer with no open request is recorded (the Hub records what happened) and
 * pairs with nothing.
 */
import { ORDER_TOLERANCE_MS } from './clock-facts.js';
import type { ReferralEventInput } from '../schemas/referral-events.js';

export const WAIT_CAUSES = ['s12-doctor', 'second-doctor', 'police', 'conveyance', 'interpreter', 'bed'] as const;
export type WaitCause = (typeof WAIT_CAUSES)[number];

/** How a wait ended: someone arrived, police declined, a bed was found (in or out of area). */
export const WAIT_ANSWERS = ['arrived', 'declined', 'identified', 'out-of-area'] as const;
export type WaitAnswer = (typeof WAIT_ANSWERS)[number];

export interface LogisticsRequest {
  readonly cause: WaitCause;
  /** When the request was made (its `occurredAt`, else when recorded). */
  readonly requestedAt: string;
  /** The change that recorded the request. */
  readonly seq: number;
  readonly answeredAt?: string;
  readonly answer?: WaitAnswer;
}

/** A board row's open wait (the console renders `cause` and the time since). */
export interface WaitingFor {
  readonly cause: WaitCause;
  readonly since: string;
}

type EventType = ReferralEventInput['type'];
const REQUEST_CAUSE: Partial<Record<EventType, WaitCause>> = {
  'police-requested': 'police',
  'conveyance-requested': 'conveyance',
  'interpreter-requested': 'interpreter',
  'bed-requested': 'bed',
};
const ANSWERS: Partial<Record<EventType, { causes: readonly WaitCause[]; answer: WaitAnswer }>> = {
  'police-arrived': { causes: ['police'], answer: 'arrived' },
  'police-declined': { causes: ['police'], answer: 'declined' },
  'conveyance-arrived': { causes: ['conveyance'], answer: 'arrived' },
  'interpreter-arrived': { causes: ['interpreter'], answer: 'arrived' },
};

/** The wait an event opens, if it is a request. */
export function requestCauseOf(e: ReferralEventInput): WaitCause | undefined {
  if (e.type === 's12-doctor-requested') return e.doctor === 'second' ? 'second-doctor' : 's12-doctor';
  return REQUEST_CAUSE[e.type];
}

/** The waits an event may answer (in preference order) and how, if it is an answer. */
export function answerOf(e: ReferralEventInput): { causes: readonly WaitCause[]; answer: WaitAnswer } | undefined {
  if (e.type === 's12-doctor-arrived') {
    const causes: WaitCause[] =
      e.doctor === 'second'
        ? ['second-doctor']
        : e.doctor === 'first'
          ? ['s12-doctor']
          : ['s12-doctor', 'second-doctor'];
    return { causes, answer: 'arrived' };
  }
  if (e.type === 'bed-identified') return { causes: ['bed'], answer: e.outOfArea ? 'out-of-area' : 'identified' };
  return ANSWERS[e.type];
}

const isOpenWait = (r: LogisticsRequest): boolean => r.answeredAt === undefined;

/** The index of the longest-waiting open request among `causes` (earliest request first). */
function oldestOpen(list: readonly LogisticsRequest[], causes: readonly WaitCause[]): number | undefined {
  let found: number | undefined;
  list.forEach((r, i) => {
    if (!isOpenWait(r) || !causes.includes(r.cause)) return;
    if (found === undefined || Date.parse(r.requestedAt) < Date.parse(list[found]!.requestedAt)) found = i;
  });
  return found;
}

export type LogisticsResult =
  | { readonly ok: true; readonly list: LogisticsRequest[]; readonly paired?: LogisticsRequest }
  | { readonly ok: false; readonly pointer: string; readonly message: string };

/**
 * The waits after an event at `at` recorded by change `seq`. An answer earlier than the request
 * it would answer (beyond the tolerance) is refused, except a bed found before it was formally
 * asked for: that is a fact, and pairs with nothing.
 */
export function applyLogistics(
  list: readonly LogisticsRequest[],
  e: ReferralEventInput,
  at: string,
  seq: number,
): LogisticsResult {
  const cause = requestCauseOf(e);
  if (cause) return { ok: true, list: [...list, { cause, requestedAt: at, seq }] };
  const answer = answerOf(e);
  if (!answer) return { ok: true, list: [...list] };
  return answerWait(list, answer.causes, answer.answer, at, e.type !== 'bed-identified');
}

/** Closes the longest-waiting open request of `causes` (a bed manager's answer comes here too). */
export function answerWait(
  list: readonly LogisticsRequest[],
  causes: readonly WaitCause[],
  answer: WaitAnswer,
  at: string,
  refuseEarlier = true,
): LogisticsResult {
  const i = oldestOpen(list, causes);
  if (i === undefined) return { ok: true, list: [...list] };
  const request = list[i]!;
  if (Date.parse(at) < Date.parse(request.requestedAt) - ORDER_TOLERANCE_MS) {
    if (refuseEarlier)
      return { ok: false, pointer: '/occurredAt', message: 'precedes, by more than 5 minutes, the request it answers' };
    return { ok: true, list: [...list] };
  }
  const paired: LogisticsRequest = { ...request, answeredAt: at, answer };
  return { ok: true, list: list.map((r, j) => (j === i ? paired : r)), paired };
}

/** Open waits, longest first: what the board shows. */
export const waitingFor = (list: readonly LogisticsRequest[] | undefined): WaitingFor[] =>
  (list ?? [])
    .filter(isOpenWait)
    .sort((a, b) => Date.parse(a.requestedAt) - Date.parse(b.requestedAt))
    .map((r) => ({ cause: r.cause, since: new Date(r.requestedAt).toISOString() }));

/**
 * Request → answer durations in whole minutes, per cause: arrivals and beds found (in or out of
 * area). A police refusal is a reply, not an arrival: it is not a delay of attendance.
 */
export function delaysOf(list: readonly LogisticsRequest[] | undefined): { cause: WaitCause; minutes: number }[] {
  const out: { cause: WaitCause; minutes: number }[] = [];
  for (const r of list ?? []) {
    if (r.answeredAt === undefined || r.answer === 'declined') continue;
    const ms = Date.parse(r.answeredAt) - Date.parse(r.requestedAt);
    // Within the tolerance an answer may be recorded a little before its request: no wait.
    if (Number.isFinite(ms)) out.push({ cause: r.cause, minutes: Math.max(0, Math.floor(ms / 60_000)) });
  }
  return out;
}
