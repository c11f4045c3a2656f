import { performance } from 'node:perf_hooks';

// ---------------------------------------------------------------------------------------------
// Arguments.

export function parseMinutes(argv: readonly string[]): number {
  let minutes = 2;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') {
      process.stdout.write('usage: npm run soak -- [--minutes N]   (default 2, at most 60; fractions allowed)\n');
      process.exit(0);
    }
    const value = a.startsWith('--minutes=') ? a.slice('--minutes='.length) : a === '--minutes' ? argv[++i] : undefined;
    if (value === undefined) {
      process.stderr.write(`[soak] unknown argument ${a}\n`);
      process.exit(2);
    }
    minutes = Number(value);
    if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 60) {
      process.stderr.write('[soak] --minutes must be a number above 0 and at most 60\n');
      process.exit(2);
    }
  }
  return minutes;
}

export const MINUTES = parseMinutes(process.argv.slice(2));
export const progress = (line: string) => process.stderr.write(`[soak] ${line}\n`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const jitter = (min: number, max: number) => min + Math.random() * (max - min);
export const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(Math.random() * xs.length)];

// ---------------------------------------------------------------------------------------------
// HTTP with statistics per route; a 429 waits its Retry-After and goes again (same request).

export interface RouteStats {
  count: number;
  statuses: Map<number, number>;
  latencies: number[];
  throttled: number;
}
export const stats = new Map<string, RouteStats>();
let baseUrl = '';
/** Where `call` sends requests: the local stack's URL, once it is up. */
export const setBaseUrl = (url: string) => {
  baseUrl = url;
};

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export async function call(
  label: string,
  method: string,
  path: string,
  token: string,
  options: { json?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const s: RouteStats = stats.get(label) ?? { count: 0, statuses: new Map(), latencies: [], throttled: 0 };
  stats.set(label, s);
  for (let attempt = 0; ; attempt++) {
    const t0 = performance.now();
    let status = 0;
    let headers = new Headers();
    let body: any;
    try {
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(options.json !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(options.headers ?? {}),
        },
        ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
        signal: AbortSignal.timeout(30_000),
      });
      status = res.status;
      headers = res.headers;
      const text = await res.text();
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
    } catch (error) {
      body = { error: (error as Error).name };
    }
    if (status === 429 && attempt < 8) {
      s.throttled++;
      await sleep(Math.min(3, Number(headers.get('retry-after')) || 1) * 1000 * jitter(0.5, 1));
      continue;
    }
    s.count++;
    s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
    s.latencies.push(performance.now() - t0);
    return { status, headers, body };
  }
}

export const versionOf = (a: Answer): number | undefined => {
  const m = /^"(\d+)"$/.exec(a.headers.get('etag') ?? '');
  return m ? Number(m[1]) : undefined;
};

// ---------------------------------------------------------------------------------------------
// What the clients know and did.

export interface Ref {
  id: string;
  key: string;
  org: string;
  referrerReference: string;
  token: string;
  status: string;
  version: number;
  busy: boolean;
  /** Event posts that got a 2xx (not replays): the recorded type and the version they made. */
  posts: { type: string; version: number }[];
  /** Every version an answer named (ETag), for the sequence check. */
  seen: number[];
  clockHeavy: boolean;
}

export const refs = new Map<string, Ref>();
export const pendingCreates: { key: string; body: unknown; org: string; token: string; reference: string }[] = [];
export const counters = {
  createReplaysChecked: 0,
  createReplayMismatches: 0,
  eventReplaysChecked: 0,
  eventReplayMismatches: 0,
  races: 0,
  racesWithOneWinner: 0,
  raceAnomalies: [] as string[],
  unexpected: [] as string[],
};
export const noteUnexpected = (what: string) => {
  if (counters.unexpected.length < 20) counters.unexpected.push(what);
  else if (counters.unexpected.length === 20) counters.unexpected.push('…');
};
