/**
 * The ONE list of the Hub's functions: every route, schedule and stream consumer, each saying
 * how it is triggered and which CDK construct builds it. CDK, the local stack, the tests and
 * the bench iterate this list (or the typed list it is made of) with no special cases; a new
 * function is a new entry in functions/routes.ts, functions/schedules.ts or
 * functions/consumers.ts (and its data access in functions/access.ts).
 */
import { CONSUMERS } from './consumers.js';
import { ROUTES, type RouteDef } from './routes.js';
import { SCHEDULES, type ConsumerDef, type ScheduleDef } from './schedules.js';

export type FunctionEntry =
  | {
      readonly trigger: 'http';
      readonly id: string;
      readonly handler: string;
      readonly builtBy: 'api';
      readonly def: RouteDef;
    }
  | {
      readonly trigger: 'schedule';
      readonly id: string;
      readonly handler: string;
      readonly builtBy: ScheduleDef['builtBy'];
      readonly def: ScheduleDef;
    }
  | {
      readonly trigger: 'stream';
      readonly id: string;
      readonly handler: string;
      readonly builtBy: ConsumerDef['builtBy'];
      readonly def: ConsumerDef;
    };

export type Builder = FunctionEntry['builtBy'];

export const FUNCTIONS: readonly FunctionEntry[] = [
  ...(ROUTES as readonly RouteDef[]).map((def) => ({
    trigger: 'http' as const,
    id: def.id,
    handler: def.handler,
    builtBy: 'api' as const,
    def,
  })),
  ...(SCHEDULES as readonly ScheduleDef[]).map((def) => ({
    trigger: 'schedule' as const,
    id: def.id,
    handler: def.handler,
    builtBy: def.builtBy,
    def,
  })),
  ...(CONSUMERS as readonly ConsumerDef[]).map((def) => ({
    trigger: 'stream' as const,
    id: def.id,
    handler: def.handler,
    builtBy: def.builtBy,
    def,
  })),
];

/** The schedules one construct builds. */
export const schedulesBuiltBy = (
  builder: ScheduleDef['builtBy'],
  schedules: readonly ScheduleDef[] = SCHEDULES,
): readonly ScheduleDef[] => schedules.filter((s) => s.builtBy === builder);

/** The stream consumers one construct builds. */
export const consumersBuiltBy = (
  builder: ConsumerDef['builtBy'],
  consumers: readonly ConsumerDef[] = CONSUMERS,
): readonly ConsumerDef[] => consumers.filter((c) => c.builtBy === builder);

/** The one function of a builder that builds exactly one of a kind (the feedback consumer, its sweep, the archiver). */
export function onlyOne<T extends { readonly id: string }>(defs: readonly T[], what: string): T {
  if (defs.length !== 1) throw new Error(`Expected exactly one ${what} in the function list, found ${defs.length}`);
  return defs[0]!;
}

/** The stream consumers the local stack runs (its poller reads the hub table's stream). */
export const localConsumers = (consumers: readonly ConsumerDef[] = CONSUMERS): readonly ConsumerDef[] =>
  consumers.filter((c) => c.runsLocally !== false);
