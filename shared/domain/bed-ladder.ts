/**
 * The bed-finding ladder (DOMAIN §9): a bed request starts a timed ladder the service configures
 * (default: the provider's bed manager within 1 h → the provider's on-call manager within 2 h →
 * the ICB's s.140 contact within 4 h of the request). A step whose target passes while no bed is
 * found raises `escalated: no-bed` to the next level, once. Pure: the minute sweep
 * (functions/beds/ladder-sweep.ts) finds what is due and records each step exactly once.
 *
 * Targets are measured from the bed request, so the ladder reads as the service's standard
 * ("a bed within 4 hours, or the ICB knows") and a late sweep cannot stretch it.
 */

export interface LadderStepConfig {
  /** Who is asked at this step, e.g. `provider-bed-manager`. */
  readonly level: string;
  /** Minutes after the bed request by which this level should have found a bed. */
  readonly targetMinutes: number;
}

export const DEFAULT_BED_LADDER: readonly LadderStepConfig[] = Object.freeze([
  { level: 'provider-bed-manager', targetMinutes: 60 },
  { level: 'provider-on-call-manager', targetMinutes: 120 },
  { level: 'icb-s140-contact', targetMinutes: 240 },
]);

/** Who hears of it when the last step's target passes: the duty lead. */
export const LADDER_TOP = 'amhp-lead';

export interface LadderStep {
  /** 1-based. */
  readonly step: number;
  readonly level: string;
  readonly targetAt: string;
}

export interface BedLadder {
  readonly bedRequestId: string;
  readonly requestedAt: string;
  readonly bedType: string;
  readonly steps: readonly LadderStep[];
  /** Steps whose target passed and were escalated (each once). */
  readonly escalated: readonly number[];
  /** A bed was found (in or out of area), or the referral closed: the ladder stops. */
  readonly endedAt?: string;
}

/** A configuration the ladder can run: 1–6 steps, targets positive, increasing, within 7 days. */
export function ladderConfigProblem(config: readonly LadderStepConfig[]): string | undefined {
  if (config.length < 1 || config.length > 6) return 'a ladder has 1 to 6 steps';
  let previous = 0;
  for (const [i, s] of config.entries()) {
    if (!/^[a-z0-9-]{1,60}$/.test(s.level)) return `step ${i + 1}: level must be a short lower-case code`;
    if (!Number.isSafeInteger(s.targetMinutes) || s.targetMinutes <= previous || s.targetMinutes > 7 * 24 * 60)
      return `step ${i + 1}: targetMinutes must be a whole number above the previous step's and at most 7 days`;
    previous = s.targetMinutes;
  }
  return undefined;
}

/** The service's ladder, or the default when it has none or an unusable one. */
export const ladderOf = (config: readonly LadderStepConfig[] | undefined): readonly LadderStepConfig[] =>
  config && !ladderConfigProblem(config) ? config : DEFAULT_BED_LADDER;

export function startLadder(
  config: readonly LadderStepConfig[],
  bedRequestId: string,
  requestedAt: string,
  bedType: string,
): BedLadder {
  const from = Date.parse(requestedAt);
  return {
    bedRequestId,
    requestedAt: new Date(from).toISOString(),
    bedType,
    steps: ladderOf(config).map((s, i) => ({
      step: i + 1,
      level: s.level,
      targetAt: new Date(from + s.targetMinutes * 60_000).toISOString(),
    })),
    escalated: [],
  };
}

/** Steps whose target has passed at `now` and that were not yet escalated, in order. */
export function dueSteps(ladder: BedLadder, now: Date): LadderStep[] {
  if (ladder.endedAt !== undefined) return [];
  return ladder.steps.filter((s) => Date.parse(s.targetAt) <= now.getTime() && !ladder.escalated.includes(s.step));
}

/** The earliest target not yet escalated over running ladders: the sweep's index key. */
export function nextLadderDeadline(ladders: readonly BedLadder[] | undefined): string | undefined {
  let next: string | undefined;
  for (const l of ladders ?? []) {
    if (l.endedAt !== undefined) continue;
    for (const s of l.steps)
      if (!l.escalated.includes(s.step) && (next === undefined || s.targetAt < next)) next = s.targetAt;
  }
  return next;
}

/** Ends the ladders of a found bed (`bedRequestId` given: that request's; else every running one). */
export function endLadders(
  ladders: readonly BedLadder[] | undefined,
  at: string,
  bedRequestId?: string,
): BedLadder[] | undefined {
  if (!ladders?.length) return undefined;
  return ladders.map((l) =>
    l.endedAt === undefined && (bedRequestId === undefined || l.bedRequestId === bedRequestId)
      ? { ...l, endedAt: at }
      : l,
  );
}

/** The data of the `escalated` system event a missed step raises (the alerts forward it). */
export function escalationData(ladder: BedLadder, step: LadderStep) {
  const next = ladder.steps.find((s) => s.step === step.step + 1);
  return {
    reason: 'no-bed' as const,
    escalationType: 'no-bed' as const,
    ladderStep: step.step,
    level: step.level,
    targetAt: step.targetAt,
    escalatedTo: next?.level ?? LADDER_TOP,
    ...(next ? { nextTargetAt: next.targetAt } : {}),
    bedRequestId: ladder.bedRequestId,
    bedType: ladder.bedType,
  };
}

/** The marker key that makes each step's escalation exactly-once. */
export const ladderMarkerKey = (bedRequestId: string, step: number): string => `${bedRequestId}#${step}`;
