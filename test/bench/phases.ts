/**
 * Shared by the bench scripts (pure helpers, no I/O of their own): load phases of a fixed number
 * of operations on a fixed number of workers, capped in time; nearest-rank percentiles; the
 * plain-text tables they print; and the replay of DynamoDB calls captured from the handlers'
 * document client (by the low-level command name the client's middleware sees).
 */
import { performance } from 'node:perf_hooks';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';

/** A positive integer from the environment, else the fallback. */
export const envInt = (name: string, fallback: number): number => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};

// ---------------------------------------------------------------------------------------------
// Load generation: a fixed number of operations, a fixed number of workers, a time cap.

export interface PhaseResult {
  readonly label: string;
  readonly concurrency: number;
  /** Operations planned. */
  readonly planned: number;
  /** Operations started (fewer than planned when the time cap stopped the phase). */
  readonly attempted: number;
  readonly ok: number;
  readonly errors: number;
  readonly firstError?: string;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly perSecond: number;
  readonly seconds: number;
  readonly capped: boolean;
}

export interface PhaseOptions {
  /** Stops handing out operations after this many ms (those in flight finish). */
  readonly capMs: number;
  /** One line per phase when it ends. */
  readonly progress: (line: string) => void;
}

/** Nearest-rank percentile of sorted values. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
    : Number.NaN;

/** Runs `op(0) … op(count - 1)` on `concurrency` workers, each index once, until done or capped. */
export async function runPhase(
  label: string,
  count: number,
  concurrency: number,
  op: (i: number) => Promise<void>,
  options: PhaseOptions,
): Promise<PhaseResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  let capped = false;
  const deadline = Date.now() + options.capMs;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      if (next >= count) return;
      if (Date.now() > deadline) {
        capped = true;
        return;
      }
      const i = next++;
      const t0 = performance.now();
      try {
        await op(i);
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedS = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const result: PhaseResult = {
    label,
    concurrency,
    planned: count,
    attempted: next,
    ok: latencies.length,
    errors,
    ...(firstError ? { firstError } : {}),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
    perSecond: latencies.length / elapsedS,
    seconds: elapsedS,
    capped,
  };
  options.progress(
    `${label} c=${concurrency}: ${result.ok}/${count} ok in ${elapsedS.toFixed(1)} s, ` +
      `p50 ${result.p50.toFixed(1)} ` +
      `ms${errors ? `, ${errors} errors (${firstError})` : ''}${capped ? ' [time cap reached]' : ''}`,
  );
  return result;
}

/** `runPhase` with the bench's progress and time cap bound (the cap can be raised per phase, e.g. set-up). */
export type PhaseRunner = (
  label: string,
  count: number,
  concurrency: number,
  op: (i: number) => Promise<void>,
  capMs?: number,
) => Promise<PhaseResult>;

export const phaseRunner =
  (progress: (line: string) => void, phaseCapMs: number): PhaseRunner =>
  (label, count, concurrency, op, capMs = phaseCapMs) =>
    runPhase(label, count, concurrency, op, { capMs, progress });

/** Every latency table has a row at concurrency 1 and one at this concurrency. */
export const HIGH_CONCURRENCY = 16;

/** A route's phases beside their bare phases: one pair per concurrency; the census taken at c=1. */
export interface BesideBare {
  readonly rows: [PhaseResult, PhaseResult][];
  readonly census: Counted | undefined;
}

/**
 * At concurrency 1 then HIGH_CONCURRENCY: the route (its DynamoDB calls counted at c=1), then the
 * bare calls at the same concurrency, so both run on an equally warm process and table.
 */
export async function routeBesideBare(
  census: Census,
  route: (concurrency: number) => Promise<PhaseResult>,
  bare: (concurrency: number) => Promise<PhaseResult>,
): Promise<BesideBare> {
  const rows: [PhaseResult, PhaseResult][] = [];
  let atOne: Counted | undefined;
  for (const concurrency of [1, HIGH_CONCURRENCY]) {
    const counted = await census.during(() => route(concurrency));
    if (concurrency === 1) atOne = counted;
    rows.push([counted.result, await bare(concurrency)]);
  }
  return { rows, census: atOne };
}

// ---------------------------------------------------------------------------------------------
// What a phase's requests spent in DynamoDB, per call name.

export type CallCounts = Map<string, { count: number; ms: number }>;

/**
 * Counts and times the handlers' DynamoDB calls while a phase runs. The middleware takes
 * `running` when a call starts, so a call is counted in the census it began in.
 */
export class Census {
  private current: CallCounts | undefined;

  get running(): CallCounts | undefined {
    return this.current;
  }

  static add(counts: CallCounts, name: string, ms: number): void {
    const entry = counts.get(name) ?? { count: 0, ms: 0 };
    entry.count++;
    entry.ms += ms;
    counts.set(name, entry);
  }

  async during(fn: () => Promise<PhaseResult>): Promise<Counted> {
    const counts: CallCounts = new Map();
    this.current = counts;
    try {
      return { result: await fn(), counts };
    } finally {
      this.current = undefined;
    }
  }
}

export interface Counted {
  readonly result: PhaseResult;
  readonly counts: CallCounts;
}

export function censusText(c: Counted): string {
  const n = c.result.ok + c.result.errors;
  const parts = [...c.counts].map(([name, v]) => `${name} ${(v.count / n).toFixed(2)}x ${(v.ms / n).toFixed(1)} ms`);
  const total = [...c.counts.values()].reduce((a, v) => a + v.ms, 0) / n;
  return `${parts.join(', ')}; DynamoDB ${total.toFixed(1)} ms of mean ${c.result.mean.toFixed(1)} ms per request`;
}

// ---------------------------------------------------------------------------------------------
// Output.

export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  rightAlign: (col: number) => boolean,
): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (rightAlign(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
export const ratioText = (route: number, bare: number): string =>
  Number.isFinite(route / bare) ? `${(route / bare).toFixed(2)}x` : 'n/a';
export const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');

/** The latency table: a route's phase beside its bare DynamoDB phase at the same concurrency. */
export const PERF_HEADERS = [
  'route',
  'concurrency',
  'requests',
  'p50 ms',
  'p99 ms',
  'req/s',
  'bare p50',
  'bare p99',
  'ratio',
] as const;

export const perfRow = (route: string, r: PhaseResult, bare: PhaseResult): string[] => [
  route,
  String(r.concurrency),
  `${r.ok}${r.ok < r.planned ? `/${r.planned}` : ''}`,
  ms(r.p50),
  ms(r.p99),
  r.perSecond.toFixed(1),
  ms(bare.p50),
  ms(bare.p99),
  ratioText(r.p50, bare.p50),
];

export const perfTable = (rows: readonly (readonly string[])[]): string => table(PERF_HEADERS, rows, (c) => c > 0);

/** One note per phase that had errors or stopped at the time cap. */
export const phaseNotes = (phases: readonly PhaseResult[], capMs: number): string[] =>
  phases
    .filter((p) => p.errors || p.capped)
    .map(
      (p) =>
        `  note: ${p.label} c=${p.concurrency}: ${p.errors} errors${p.firstError ? ` (first: ${p.firstError})` : ''}` +
        (p.capped ? `; stopped at the ${capMs / 1000} s phase cap after ${p.attempted} of ${p.planned} requests` : ''),
    );

// ---------------------------------------------------------------------------------------------
// Captured DynamoDB calls, replayed.

/** Deep copy, replacing every occurrence of each `from` string inside string values. */
export function replaceStrings<T>(value: T, replacements: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') {
    let s: string = value;
    for (const [from, to] of replacements) if (s.includes(from)) s = s.split(from).join(to);
    return s as T;
  }
  if (Array.isArray(value)) return value.map((v) => replaceStrings(v, replacements)) as T;
  if (value instanceof Set) return new Set([...value].map((v) => replaceStrings(v, replacements))) as T;
  if (
    value &&
    typeof value === 'object' &&
    !(value instanceof Uint8Array) &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceStrings(v, replacements)])) as T;
  }
  return value;
}

/** One call as the handlers' document client's middleware saw it: low-level name, document-form input. */
export interface CapturedCall {
  /** Without the `Command` suffix: `GetItem`, `Query`, `TransactWriteItems` … */
  readonly name: string;
  readonly input: Record<string, unknown>;
}

/** Sends a captured (possibly edited) call again on the given document client. */
export async function sendCall(client: DynamoDBDocumentClient, call: CapturedCall): Promise<Record<string, unknown>> {
  const input = call.input as never;
  switch (call.name) {
    case 'GetItem':
      return client.send(new GetCommand(input));
    case 'PutItem':
      return client.send(new PutCommand(input));
    case 'UpdateItem':
      return client.send(new UpdateCommand(input));
    case 'DeleteItem':
      return client.send(new DeleteCommand(input));
    case 'Query':
      return client.send(new QueryCommand(input));
    case 'Scan':
      return client.send(new ScanCommand(input));
    case 'BatchGetItem':
      return client.send(new BatchGetCommand(input));
    case 'BatchWriteItem':
      return client.send(new BatchWriteCommand(input));
    case 'TransactGetItems':
      return client.send(new TransactGetCommand(input));
    case 'TransactWriteItems':
      return client.send(new TransactWriteCommand(input));
    default:
      throw new Error(`No document command to replay ${call.name}`);
  }
}
