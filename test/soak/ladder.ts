/**
 * The bed-finding ladder in the soak (DOMAIN §9; issue #20), as a module soak.ts hooks in:
 * - traffic: the allocated AMHP asks for beds on referrals being assessed, some asked for hours
 *   ago (entered late), so the minute ladder sweep, which the local stack's scheduler runs with
 *   every other schedule, escalates missed steps while people keep writing to the same referrals;
 * - reconciliation: every step whose target passed before the traffic stopped, on a ladder still
 *   running, is escalated (nothing lost), each exactly once with one marker (nothing doubled), and
 *   the referral's ladder state says the same.
 */

/** The part of a soak referral this module reads. */
interface LadderRef {
  readonly id: string;
  readonly status: string;
}

export interface LadderSoakContext<R extends LadderRef> {
  readonly running: () => boolean;
  readonly withClaim: (filter: (r: R) => boolean, fn: (r: R) => Promise<void>) => Promise<boolean>;
  readonly postEvent: (ref: R, token: string, event: Record<string, unknown>) => Promise<number>;
  readonly amhpToken: string;
  readonly sleep: (ms: number) => Promise<unknown>;
}

type Item = Record<string, any>;
type Check = (name: string, expected: number | string, actual: number | string, detail?: string) => void;

/** How long ago the other beds are asked for: none, one or two default steps already missed. */
const MINUTES_AGO = [0, 61, 125] as const;
/** The held request's age: every step of its ladder is owed when the sweep runs. */
const HELD_MINUTES_AGO = 300;

export function ladderSoak<R extends LadderRef>(ctx: LadderSoakContext<R>) {
  const asked = new Set<string>();
  let stoppedAt = Date.now();
  const eligible = (r: R) => (r.status === 'allocated' || r.status === 'assessment-in-progress') && !asked.has(r.id);
  const requestBed = (ref: R, minutesAgo: number) => {
    asked.add(ref.id);
    return ctx.postEvent(ref, ctx.amhpToken, {
      type: 'bed-requested',
      occurredAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
      bedType: 'adult-acute',
      sex: Math.random() < 0.5 ? 'male' : 'female',
    });
  };

  /**
   * One referral asked a bed for five hours ago and then held (claimed) until the traffic stops:
   * left to the other workers, a short soak often recorded its outcome or closed it first, ending
   * its ladder before the sweep owed a step, and the run then checked no escalation at all.
   */
  const holdOne = async () => {
    let held = false;
    while (ctx.running() && !held) {
      await ctx.withClaim(eligible, async (ref) => {
        // Refused (a 412 after a race with another writer): let it go and try another referral.
        if ((await requestBed(ref, HELD_MINUTES_AGO)) !== 200) return;
        held = true;
        while (ctx.running()) await ctx.sleep(250);
      });
      if (!held) await ctx.sleep(500);
    }
  };

  /** The traffic worker: a bed request on a referral being assessed, once per referral. */
  const worker = async () => {
    const others = async () => {
      while (ctx.running()) {
        const worked = await ctx.withClaim(eligible, (ref) =>
          requestBed(ref, MINUTES_AGO[asked.size % MINUTES_AGO.length]!).then(() => undefined),
        );
        await ctx.sleep(worked ? 400 + Math.random() * 800 : 500);
      }
    };
    await Promise.all([holdOne(), others()]);
    stoppedAt = Date.now();
  };

  /** The ladder's system events, for soak.ts's check of the events each referral holds. */
  const isLadderEvent = (e: Item): boolean =>
    e.system === true && e.type === 'escalated' && e.data?.reason === 'no-bed';

  /** Reconciliation over every referral partition of the table (id → its items). */
  const reconcile = (partitions: ReadonlyMap<string, readonly Item[]>, check: Check) => {
    let ladders = 0;
    let owed = 0;
    let escalatedOnce = 0;
    let escalatedTotal = 0;
    let markersTotal = 0;
    const problems: string[] = [];
    for (const [id, items] of partitions) {
      const state = items.find((i) => i.SK === 'STATE');
      if (!state?.bedLadders?.length) continue;
      const events = items.filter((i) => String(i.SK).startsWith('EVENT#') && isLadderEvent(i));
      const markers = items.filter((i) => String(i.SK).startsWith('LADDERSTEP#'));
      escalatedTotal += events.length;
      markersTotal += markers.length;
      const open = !['closed', 'withdrawn', 'not-accepted'].includes(state.status);
      for (const ladder of state.bedLadders as Item[]) {
        ladders++;
        for (const step of ladder.steps as Item[]) {
          const times = events.filter(
            (e) => e.data.bedRequestId === ladder.bedRequestId && e.data.ladderStep === step.step,
          ).length;
          const due =
            Date.parse(step.targetAt) <= stoppedAt &&
            open &&
            (ladder.endedAt === undefined || Date.parse(ladder.endedAt) > Date.parse(step.targetAt));
          if (due) owed++;
          if (times > 1 || (due && times === 0)) problems.push(`${id}: step ${step.step} escalated ${times} times`);
          if (times === 1 && due) escalatedOnce++;
          if ((times === 1) !== (ladder.escalated as number[]).includes(step.step))
            problems.push(`${id}: step ${step.step} state and events disagree`);
        }
      }
    }
    check('bed ladders started (one per bed request)', asked.size > 0 ? 'some' : 'none', ladders > 0 ? 'some' : 'none');
    check(
      'ladder steps owed (a request five hours old among them)',
      ladders > 0 ? 'some' : 'none',
      owed > 0 ? 'some' : 'none',
    );
    check('ladder steps past target escalated exactly once', owed, escalatedOnce, problems.slice(0, 3).join('; '));
    check('ladder escalations = their exactly-once markers', escalatedTotal, markersTotal);
    check('ladder problems', 0, problems.length, problems.slice(0, 3).join('; '));
    return { ladders, owed, escalated: escalatedTotal };
  };

  return { worker, isLadderEvent, reconcile };
}
