/**
 * The logistics part of a referral's de-identified fact (DOMAIN §7, §9) and the roll-up counters
 * it adds: request → answer durations per cause ("delays by cause", a bed's wait among them),
 * the s.136 detention's duration (arrival → end), and out-of-area placements. Whole minutes
 * only, into the fixed histogram buckets: no time of day, no language, no unit, no ICB. Pure.
 */
import { delaysOf, WAIT_CAUSES, type LogisticsRequest, type WaitCause } from '../domain/logistics.js';
import { bucketOf } from './histogram.js';

export interface LogisticsFact {
  /** Request → arrival (or bed found), one entry per answered request. */
  delays: { cause: WaitCause; minutes: number }[];
  /** s.136: arrival at the place of safety (the clock's start) → the end of the detention. */
  s136Minutes?: number;
  /** Beds found out of area (DOMAIN §9). */
  outOfArea: number;
}

/** What of a stored referral this reads. */
export interface LogisticsLike {
  readonly logistics?: readonly LogisticsRequest[] | undefined;
  readonly clocks?:
    | readonly { readonly power: string; readonly startsAt: string; readonly endedAt?: string | undefined }[]
    | undefined;
}

export function logisticsFactOf(r: LogisticsLike): LogisticsFact {
  const delays = delaysOf(r.logistics).filter((d) => (WAIT_CAUSES as readonly string[]).includes(d.cause));
  const s136 = (r.clocks ?? []).find((c) => c.power === 's136' && c.endedAt !== undefined);
  const ms = s136 ? Date.parse(s136.endedAt!) - Date.parse(s136.startsAt) : NaN;
  return {
    delays,
    ...(Number.isFinite(ms) && ms >= 0 ? { s136Minutes: Math.floor(ms / 60_000) } : {}),
    outOfArea: (r.logistics ?? []).filter((w) => w.answer === 'out-of-area').length,
  };
}

/** Counter names of the roll-up day item (beside facts.ts's `counterName`). */
export const logisticsCounter = {
  delay: (cause: string, bucket: number): string => `d|${cause}|${bucket}`,
  s136Duration: (bucket: number): string => `x|s136|${bucket}`,
  outOfArea: (): string => 'o|out-of-area',
};

/** One counter name per contribution (a name may repeat: it then counts twice). */
export function logisticsContributions(f: LogisticsFact | undefined): string[] {
  if (!f) return [];
  return [
    ...f.delays.map((d) => logisticsCounter.delay(d.cause, bucketOf(d.minutes))),
    ...(f.s136Minutes !== undefined ? [logisticsCounter.s136Duration(bucketOf(f.s136Minutes))] : []),
    ...Array.from({ length: f.outOfArea }, () => logisticsCounter.outOfArea()),
  ];
}
