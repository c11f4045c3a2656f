/**
 * The reconciliation after the traffic: the tables read once, then each registered phase
 * (soak.ts: PHASES) adds its checks. A phase is `{ name, run(ctx, rec) }`: it may read the
 * tables and the API, send more traffic, and records what it found with `rec.check`.
 */
import { progress, refs, type Ref } from './common.js';
import type { SoakContext } from './context.js';
import type { TrafficResult } from './traffic.js';

export interface Check {
  name: string;
  expected: string;
  actual: string;
  ok: boolean;
  detail?: string;
}

export interface Reconciliation {
  readonly checks: Check[];
  check(name: string, expected: number | string, actual: number | string, detail?: string): void;
  /** Every item of the hub table after the traffic settled. */
  readonly hub: Record<string, any>[];
  /** The hub table's items by referral id. */
  readonly partitions: Map<string, Record<string, any>[]>;
  /** Every referral's STATE item. */
  readonly states: Record<string, any>[];
  /** The referrals the clients got a 2xx create for. */
  readonly ours: Ref[];
  readonly traffic: TrafficResult;
  readonly totals: { posts: number; system: number; events: number };
  readonly eventProblems: string[];
  /** One line per phase that summarises (printed as `name: line`, in phase order). */
  readonly summary: Map<string, string>;
}

export interface SoakPhase {
  readonly name: string;
  run(ctx: SoakContext, rec: Reconciliation): Promise<void>;
}

export async function reconcile(
  ctx: SoakContext,
  traffic: TrafficResult,
  phases: readonly SoakPhase[],
): Promise<Reconciliation> {
  const { PK, SK } = ctx.mods;
  progress(`reconciling ${refs.size} referrals`);
  const checks: { name: string; expected: string; actual: string; ok: boolean; detail?: string }[] = [];
  const check = (name: string, expected: number | string, actual: number | string, detail?: string) =>
    checks.push({
      name,
      expected: String(expected),
      actual: String(actual),
      ok: String(expected) === String(actual),
      ...(detail ? { detail } : {}),
    });

  const hub = await ctx.scan(ctx.tables.hub);
  const partitions = new Map<string, Record<string, any>[]>();
  for (const item of hub) {
    const pk = String(item[PK]);
    if (pk.startsWith('REFERRAL#'))
      partitions.set(pk.slice('REFERRAL#'.length), [...(partitions.get(pk.slice('REFERRAL#'.length)) ?? []), item]);
  }
  const states = [...partitions.values()]
    .map((items) => items.find((i) => i[SK] === 'STATE'))
    .filter((s): s is Record<string, any> => Boolean(s));
  const ours = [...refs.values()];
  const rec: Reconciliation = {
    checks,
    check,
    hub,
    partitions,
    states,
    ours,
    traffic,
    totals: { posts: 0, system: 0, events: 0 },
    eventProblems: [],
    summary: new Map(),
  };
  for (const phase of phases) await phase.run(ctx, rec);
  return rec;
}
