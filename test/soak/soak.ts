/**
 * `npm run soak -- --minutes N` (default 2): the whole local Hub under mixed traffic from its
 * partner organisations for N minutes, then a reconciliation from the API and the tables.
 * Exit 0 when everything reconciles, 1 otherwise. Bounded (stops by itself; a watchdog ends a
 * run that overstays by more than four minutes) and loopback only.
 *
 * Traffic, through HTTP with each partner's own token (per-client throttling on, as in AWS:
 * a 429 is honoured by waiting its Retry-After):
 * - referrers (police A and B, ambulance, A&E liaison, CMHT): creates with a unique
 *   Idempotency-Key (one in ten sent twice, as a client retrying would: the replay must name the
 *   same referral), reads of their referrals and change feed, information added, withdrawals;
 *   about one create in twelve is a person who arrived at the place of safety nearly 24 hours
 *   ago, so the minute sweep appends clock warnings and breaches (system events);
 * - the AMHP service: the duty reviewer and the lead triage (start-review → accept or not),
 *   sometimes both at once with the same If-Match (exactly one may win), the lead allocates
 *   and closes, the allocated AMHP starts the assessment and records the outcome; some event
 *   posts carry an Idempotency-Key and are sent twice (the replay must not add an event); the
 *   board is read;
 * - the bed manager of provider P posts availability snapshots; AMHPs read bed availability;
 * - feedback: when functions/feedback is present, police A subscribes a receiver that answers
 *   204 and the ambulance service one that always answers 503 (its deliveries must end parked).
 *
 * Reconciliation (after the traffic stops, the minute jobs run once more and the stream poller
 * drains): every 2xx create exists exactly once (by idempotency key and by id, none extra);
 * every referral's events run 1..n with no gap and its state's changeSeq is n; its version is
 * 1 + the event posts that got a 2xx, whose ETags are exactly 2..version once each; its events
 * are those posts (in version order) plus system events; the API answers the same; every
 * feedback delivery expected exists and is delivered or parked; the analytics facts equal the
 * referrals (one each, at the referral's changeSeq) and the roll-ups count each once; nothing
 * was parked by a stream consumer.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalStack } from '../../infra/local/stack.js';
import { table } from '../bench/phases.js';
import { ladderSoak } from './ladder.js';

// Before anything that builds a logger or an SDK client is loaded (those imports are dynamic below).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
// Webhook secrets are sealed with this (locally); without it a key file would be written under .local/.
process.env.FEEDBACK_SECRET_KEY ??= Buffer.from(randomUUID() + randomUUID()).toString('base64');

// ---------------------------------------------------------------------------------------------
// Arguments.

function parseMinutes(argv: readonly string[]): number {
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

const MINUTES = parseMinutes(process.argv.slice(2));
const progress = (line: string) => process.stderr.write(`[soak] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jitter = (min: number, max: number) => min + Math.random() * (max - min);
const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(Math.random() * xs.length)];

// ---------------------------------------------------------------------------------------------
// HTTP with statistics per route; a 429 waits its Retry-After and goes again (same request).

interface RouteStats {
  count: number;
  statuses: Map<number, number>;
  latencies: number[];
  throttled: number;
}
const stats = new Map<string, RouteStats>();
let baseUrl = '';

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function call(label: string, method: string, path: string, token: string, options: { json?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
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
        headers: { Authorization: `Bearer ${token}`, ...(options.json !== undefined ? { 'Content-Type': 'application/json' } : {}), ...(options.headers ?? {}) },
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

const versionOf = (a: Answer): number | undefined => {
  const m = /^"(\d+)"$/.exec(a.headers.get('etag') ?? '');
  return m ? Number(m[1]) : undefined;
};

// ---------------------------------------------------------------------------------------------
// What the clients know and did.

interface Ref {
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

const refs = new Map<string, Ref>();
const pendingCreates: { key: string; body: unknown; org: string; token: string; reference: string }[] = [];
const counters = {
  createReplaysChecked: 0,
  createReplayMismatches: 0,
  eventReplaysChecked: 0,
  eventReplayMismatches: 0,
  races: 0,
  racesWithOneWinner: 0,
  raceAnomalies: [] as string[],
  unexpected: [] as string[],
};
const noteUnexpected = (what: string) => {
  if (counters.unexpected.length < 20) counters.unexpected.push(what);
  else if (counters.unexpected.length === 20) counters.unexpected.push('…');
};

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const started = performance.now();
  const { startLocalStack } = await import('../../infra/local/stack.js');
  const { localDynamoClient } = await import('../../infra/local/dynamodb.js');
  const { ROUTES } = await import('../../functions/routes.js');
  const { CONSUMERS } = await import('../../functions/consumers.js');
  const { TABLE_ENV, PK, SK } = await import('../../shared/data/tables.js');
  const { RECORDED_EVENT_TYPE } = await import('../../shared/schemas/referral-events.js');
  const { factKeyOf } = await import('../../shared/deidentify/pseudonymise.js');
  const { j1Body } = await import('../support/referrals.js');

  let stack: LocalStack | undefined;
  const servers: Server[] = [];
  const cleanup = async () => {
    for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
    await stack?.stop().catch((e) => progress(`stack stop: ${(e as Error).name}`));
    stack = undefined;
  };
  const onSignal = () => {
    progress('interrupted; stopping');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const watchdog = setTimeout(() => {
    progress('watchdog: the run overstayed its bound; stopping');
    void cleanup().finally(() => process.exit(1));
  }, MINUTES * 60_000 + 240_000);

  try {
    progress(`starting the local stack in memory; traffic for ${MINUTES} minute(s)`);
    const stackLog: string[] = [];
    stack = await startLocalStack({ port: 0, dataDir: null, scheduleIntervalMs: 60_000, log: (line) => stackLog.push(line) });
    baseUrl = stack.url;
    const tables = { hub: process.env[TABLE_ENV.hub]!, analytics: process.env[TABLE_ENV.analytics]! };
    const rawClient = localDynamoClient(stack.dynamoEndpoint);
    const doc = DynamoDBDocumentClient.from(rawClient);
    const scan = async (table: string): Promise<Record<string, any>[]> => {
      const out: Record<string, any>[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(new ScanCommand({ TableName: table, ConsistentRead: true, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
        out.push(...((page.Items ?? []) as Record<string, any>[]));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return out;
    };

    const id = stack.identity;
    const referrers = [
      { client: 'police-a-triage', org: 'police-a', lssas: ['E06000055', 'E06000056'] },
      { client: 'police-b-hub', org: 'police-b', lssas: ['E06000056'] },
      { client: 'ambulance-cad', org: 'ambulance', lssas: ['E06000055', 'E06000056'] },
      { client: 'ae-liaison-system', org: 'ae-liaison', lssas: ['E06000055'] },
      { client: 'cmht-system', org: 'cmht', lssas: ['E06000055'] },
    ];
    const tokens = {
      referrers: new Map(await Promise.all(referrers.map(async (r) => [r.client, await id.issueClientToken(r.client)] as const))),
      lead: await id.issuePersonToken('dana.lead'),
      reviewer: await id.issuePersonToken('alex.amhp'),
      amhp: await id.issuePersonToken('sam.amhp'),
      leadSystem: await id.issueClientToken('amhp-case-system'),
      beds: await id.issueClientToken('provider-p-beds'),
    };

    // --- Feedback, when the feature is there and usable.
    interface Sub {
      id: string;
      org: string;
      createdAt: string;
      events: string[];
      expect: 'delivered' | 'parked';
    }
    const subs: Sub[] = [];
    const received = new Map<string, number>();
    let feedbackSkipped: string | undefined;
    let deliverDue: ((now: Date) => Promise<unknown>) | undefined;
    const feedbackFile = join(process.cwd(), 'functions/feedback/deliver.ts');
    if (!existsSync(join(process.cwd(), 'functions/feedback/create-subscription.ts')) || !existsSync(feedbackFile)) feedbackSkipped = 'functions/feedback is absent';
    else if (!(ROUTES as readonly { id: string }[]).some((r) => r.id === 'createSubscription')) feedbackSkipped = 'no createSubscription route';
    else if (!CONSUMERS.some((c) => c.id === 'operational')) feedbackSkipped = 'the operational consumer is not registered';
    else {
      try {
        const mod = (await import(pathToFileURL(feedbackFile).href)) as { deliverDue?: (now: Date) => Promise<unknown> };
        if (typeof mod.deliverDue !== 'function') throw new Error('deliver.ts exports no deliverDue');
        deliverDue = mod.deliverDue;
        const receiver = async (status: number) => {
          const server = createServer((req, res) => {
            req.resume();
            req.on('end', () => {
              const hookId = String(req.headers['webhook-id'] ?? '');
              if (status < 300) received.set(hookId, (received.get(hookId) ?? 0) + 1);
              res.writeHead(status).end();
            });
          });
          servers.push(server);
          await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
          return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub-webhooks`;
        };
        const { FEEDBACK_EVENT_TYPES } = (await import(pathToFileURL(join(process.cwd(), 'shared/domain/feedback.ts')).href)) as { FEEDBACK_EVENT_TYPES: readonly string[] };
        for (const [client, org, status, expectation] of [
          ['police-a-triage', 'police-a', 204, 'delivered'],
          ['ambulance-cad', 'ambulance', 503, 'parked'],
        ] as const) {
          const url = await receiver(status);
          const res = await call('POST /v1/subscriptions', 'POST', '/v1/subscriptions', tokens.referrers.get(client)!, {
            json: { url, events: [...FEEDBACK_EVENT_TYPES] },
            headers: { 'Idempotency-Key': randomUUID() },
          });
          if (res.status !== 201) throw new Error(`POST /v1/subscriptions answered ${res.status}${res.body?.detail ? `: ${res.body.detail}` : ''}`);
          subs.push({ id: res.body.id, org, createdAt: res.body.createdAt, events: res.body.events, expect: expectation });
        }
      } catch (error) {
        feedbackSkipped = `feedback unusable: ${(error as Error).message}`;
        subs.length = 0;
        deliverDue = undefined;
      }
    }
    progress(feedbackSkipped ? `feedback check skipped (${feedbackSkipped})` : `feedback: ${subs.length} subscriptions (a 204 receiver, a 503 receiver)`);

    // ------------------------------------------------------------------------------------------
    // Traffic.
    const deadline = Date.now() + MINUTES * 60_000;
    const running = () => Date.now() < deadline;
    let createSeq = 0;

    const recordAnswer = (ref: Ref, a: Answer) => {
      const v = versionOf(a);
      if (v !== undefined) ref.seen.push(v);
      if (a.status >= 200 && a.status < 300) {
        if (v !== undefined) ref.version = Math.max(ref.version, v);
        if (typeof a.body?.status === 'string' && v !== undefined && v >= ref.version) ref.status = a.body.status;
      }
    };

    const refresh = async (ref: Ref, token: string) => {
      const a = await call('GET /v1/referrals/{id}', 'GET', `/v1/referrals/${ref.id}`, token);
      if (a.status === 200) {
        const v = versionOf(a);
        if (v !== undefined) {
          ref.seen.push(v);
          ref.version = v;
          ref.status = a.body.status;
        }
      } else noteUnexpected(`GET referral answered ${a.status}`);
    };

    /** One event post; optionally sent twice with one Idempotency-Key. Returns the status. */
    const postEvent = async (ref: Ref, token: string, event: Record<string, unknown>, options: { idempotent?: boolean } = {}): Promise<number> => {
      const headers: Record<string, string> = { 'If-Match': `"${ref.version}"` };
      if (options.idempotent) headers['Idempotency-Key'] = randomUUID();
      const a = await call('POST /v1/referrals/{id}/events', 'POST', `/v1/referrals/${ref.id}/events`, token, { json: event, headers });
      if (a.status === 200) {
        if (a.headers.get('idempotent-replayed') === 'true') noteUnexpected('a first event post was answered as a replay');
        ref.posts.push({ type: RECORDED_EVENT_TYPE[event.type as keyof typeof RECORDED_EVENT_TYPE], version: versionOf(a)! });
        recordAnswer(ref, a);
        if (options.idempotent) {
          const again = await call('POST /v1/referrals/{id}/events', 'POST', `/v1/referrals/${ref.id}/events`, token, { json: event, headers });
          counters.eventReplaysChecked++;
          if (again.status !== 200 || again.headers.get('idempotent-replayed') !== 'true' || again.headers.get('etag') !== a.headers.get('etag')) counters.eventReplayMismatches++;
        }
      } else if (a.status === 412 || a.status === 409) {
        await refresh(ref, token);
      } else {
        noteUnexpected(`event ${String(event.type)} answered ${a.status}${a.body?.detail ? ` (${a.body.detail})` : ''}`);
        await refresh(ref, token);
      }
      return a.status;
    };

    /** Two colleagues send the same decision with the same If-Match at once: exactly one may win. */
    const race = async (ref: Ref, tokensRacing: [string, string], event: Record<string, unknown>) => {
      const headers = { 'If-Match': `"${ref.version}"` };
      const answers = await Promise.all(
        tokensRacing.map((t) => call('POST /v1/referrals/{id}/events', 'POST', `/v1/referrals/${ref.id}/events`, t, { json: event, headers })),
      );
      counters.races++;
      const winners = answers.filter((a) => a.status === 200);
      const losers = answers.filter((a) => a.status !== 200);
      if (winners.length === 1 && losers.every((a) => a.status === 412)) counters.racesWithOneWinner++;
      else counters.raceAnomalies.push(answers.map((a) => a.status).join('/'));
      for (const w of winners) {
        ref.posts.push({ type: RECORDED_EVENT_TYPE[event.type as keyof typeof RECORDED_EVENT_TYPE], version: versionOf(w)! });
        recordAnswer(ref, w);
      }
      if (!winners.length) await refresh(ref, tokensRacing[0]);
    };

    const claim = (filter: (r: Ref) => boolean): Ref | undefined => {
      const candidates = [...refs.values()].filter((r) => !r.busy && filter(r));
      const r = pick(candidates);
      if (r) r.busy = true;
      return r;
    };
    const withClaim = async (filter: (r: Ref) => boolean, fn: (r: Ref) => Promise<void>): Promise<boolean> => {
      const r = claim(filter);
      if (!r) return false;
      try {
        await fn(r);
      } finally {
        r.busy = false;
      }
      return true;
    };

    const createBody = (org: string, lssas: readonly string[], reference: string, clockHeavy: boolean) => {
      const body = j1Body(clockHeavy ? { minutesAgo: 24 * 60 - 1 - Math.random() } : {});
      body.referrer = { ...body.referrer, referrerReference: reference };
      body.responsibleLssa = pick(lssas)!;
      return body;
    };

    const referrerWorker = async (r: (typeof referrers)[number]) => {
      const token = tokens.referrers.get(r.client)!;
      while (running()) {
        await sleep(jitter(250, 900));
        if (!running()) break;
        const dice = Math.random();
        if (dice < 0.6) {
          const key = randomUUID();
          const clockHeavy = Math.random() < 1 / 12;
          const reference = `SOAK-${r.org}-${++createSeq}`;
          const body = createBody(r.org, r.lssas, reference, clockHeavy);
          const a = await call('POST /v1/referrals', 'POST', '/v1/referrals', token, { json: body, headers: { 'Idempotency-Key': key } });
          if (a.status === 201) {
            const ref: Ref = { id: a.body.id, key, org: r.org, referrerReference: reference, token, status: a.body.status, version: versionOf(a) ?? 1, busy: false, posts: [], seen: [versionOf(a) ?? -1], clockHeavy };
            if (refs.has(ref.id)) noteUnexpected(`a create named an existing referral ${ref.id}`);
            refs.set(ref.id, ref);
            if (Math.random() < 0.1) {
              const again = await call('POST /v1/referrals', 'POST', '/v1/referrals', token, { json: body, headers: { 'Idempotency-Key': key } });
              counters.createReplaysChecked++;
              if (again.status !== 201 || again.body?.id !== ref.id || again.headers.get('idempotent-replayed') !== 'true') counters.createReplayMismatches++;
            }
          } else if (a.status >= 500 || a.status === 0) {
            pendingCreates.push({ key, body, org: r.org, token, reference });
          } else noteUnexpected(`create answered ${a.status}${a.body?.detail ? ` (${a.body.detail})` : ''}`);
        } else if (dice < 0.75) {
          const mine = [...refs.values()].filter((x) => x.org === r.org);
          const ref = pick(mine);
          if (ref) {
            const a = await call('GET /v1/referrals/{id}', 'GET', `/v1/referrals/${ref.id}`, token);
            if (a.status !== 200) noteUnexpected(`referrer GET answered ${a.status}`);
            else if (versionOf(a) !== a.body.version) noteUnexpected('ETag and version differ');
            else ref.seen.push(versionOf(a)!);
          }
        } else if (dice < 0.85) {
          const a = await call('GET /v1/referrals?view=feed', 'GET', '/v1/referrals?view=feed&limit=50', token);
          if (a.status !== 200) noteUnexpected(`feed answered ${a.status}`);
        } else if (dice < 0.95) {
          await withClaim(
            (x) => x.org === r.org && !['not-accepted', 'closed', 'withdrawn'].includes(x.status),
            (ref) => postEvent(ref, token, { type: 'information-added', note: 'Update from the scene: calmer now, still with officers.' }, { idempotent: Math.random() < 0.2 }).then(() => undefined),
          );
        } else {
          await withClaim(
            (x) => x.org === r.org && x.status === 'received',
            (ref) => postEvent(ref, token, { type: 'withdraw', reason: 'Agreed to an informal admission at the scene.' }).then(() => undefined),
          );
        }
      }
    };

    const inHour = () => new Date(Date.now() + 3_600_000).toISOString();

    const reviewerWorker = async () => {
      while (running()) {
        const worked = await withClaim(
          (x) => x.status === 'received' || x.status === 'under-review',
          async (ref) => {
            if (ref.status === 'received') {
              if (Math.random() < 0.15) await race(ref, [tokens.reviewer, tokens.lead], { type: 'start-review' });
              else await postEvent(ref, tokens.reviewer, { type: 'start-review' });
            }
            if (ref.status === 'under-review') {
              if (Math.random() < 0.1) await postEvent(ref, tokens.reviewer, { type: 'not-accept', reason: 'No assessment needed: advice given.', disposition: 'advice', nextSteps: 'GP review within a week.' });
              else await postEvent(ref, tokens.reviewer, { type: 'accept', reason: 'Assessment needed today.' }, { idempotent: Math.random() < 0.1 });
            }
          },
        );
        await sleep(worked ? jitter(50, 200) : 300);
      }
    };

    const leadWorker = async () => {
      while (running()) {
        const dice = Math.random();
        let worked = false;
        if (dice < 0.15) {
          const a = await call('GET /v1/referrals?view=board', 'GET', '/v1/referrals?view=board&limit=100', tokens.lead);
          if (a.status !== 200) noteUnexpected(`board answered ${a.status}`);
          worked = true;
        } else if (dice < 0.6) {
          worked = await withClaim(
            (x) => x.status === 'accepted',
            (ref) => postEvent(ref, tokens.lead, { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: inHour() }).then(() => undefined),
          );
        } else {
          worked = await withClaim(
            (x) => x.status === 'outcome-recorded',
            (ref) => postEvent(ref, tokens.lead, { type: 'close', reason: 'completed' }, { idempotent: Math.random() < 0.1 }).then(() => undefined),
          );
        }
        await sleep(worked ? jitter(50, 250) : 300);
      }
    };

    const amhpWorker = async () => {
      while (running()) {
        const worked = await withClaim(
          (x) => x.status === 'allocated' || x.status === 'assessment-in-progress',
          async (ref) => {
            if (ref.status === 'allocated') await postEvent(ref, tokens.amhp, { type: 'start-assessment' });
            if (ref.status === 'assessment-in-progress') {
              const event =
                Math.random() < 0.5
                  ? { type: 'record-outcome', outcome: 'detained-s2', nextSteps: 'Conveyance to an adult acute bed.' }
                  : { type: 'record-outcome', outcome: 'home-treatment-crisis-team', nextSteps: 'Crisis team visit tomorrow.', reasonsInWriting: 'Agreed to home treatment.' };
              await postEvent(ref, tokens.amhp, event);
            }
          },
        );
        await sleep(worked ? jitter(50, 250) : 300);
      }
    };

    const bedWorker = async () => {
      const units = ['p-oak-ward', 'p-elm-ward', 'p-ash-picu'];
      const rows: Record<string, unknown[]> = {
        'p-oak-ward': [{ bedType: 'adult-acute', sex: 'male', total: 18 }],
        'p-elm-ward': [{ bedType: 'adult-acute', sex: 'female', total: 18 }],
        'p-ash-picu': [{ bedType: 'picu', sex: 'mixed', total: 10 }],
      };
      while (running()) {
        await sleep(jitter(300, 900));
        const unit = pick(units)!;
        const beds = rows[unit]!.map((row: any) => ({ ...row, available: Math.floor(Math.random() * (row.total + 1)) }));
        const a = await call('PUT /v1/bed-units/{id}/availability', 'PUT', `/v1/bed-units/${unit}/availability`, tokens.beds, { json: { asOf: new Date().toISOString(), beds } });
        if (a.status !== 200 && a.status !== 409) noteUnexpected(`availability answered ${a.status}`);
      }
    };

    const bedReader = async () => {
      while (running()) {
        await sleep(jitter(500, 1500));
        const a = await call('GET /v1/bed-availability', 'GET', '/v1/bed-availability?bedType=adult-acute', Math.random() < 0.5 ? tokens.amhp : tokens.leadSystem);
        if (a.status !== 200) noteUnexpected(`bed availability answered ${a.status}`);
      }
    };

    const ladder = ladderSoak({ running, withClaim, postEvent, amhpToken: tokens.amhp, sleep });
    const trafficStarted = performance.now();
    const ticker = setInterval(() => {
      const total = [...stats.values()].reduce((n, s) => n + s.count, 0);
      progress(`${Math.round((deadline - Date.now()) / 1000)} s left: ${total} requests, ${refs.size} referrals, poller lag ${stack?.poller.status().lagMs ?? '?'} ms`);
    }, 15_000);
    await Promise.all([
      ...referrers.map(referrerWorker),
      reviewerWorker(),
      leadWorker(),
      amhpWorker(),
      bedWorker(),
      bedReader(),
      ladder.worker(),
    ]);
    clearInterval(ticker);
    const trafficSeconds = (performance.now() - trafficStarted) / 1000;
    const trafficRequests = [...stats.values()].reduce((n, s) => n + s.count, 0);
    progress(`traffic stopped: ${trafficRequests} requests; settling`);

    // Creates whose answer was a server error or lost: the client retries with its key.
    for (const p of pendingCreates.splice(0)) {
      for (let attempt = 0; attempt < 5; attempt++) {
        const a = await call('POST /v1/referrals (retry)', 'POST', '/v1/referrals', p.token, { json: p.body, headers: { 'Idempotency-Key': p.key } });
        if (a.status === 201) {
          refs.set(a.body.id, { id: a.body.id, key: p.key, org: p.org, referrerReference: p.reference, token: p.token, status: a.body.status, version: 1, busy: false, posts: [], seen: [], clockHeavy: false });
          break;
        }
        await sleep(1000);
      }
    }

    // The minute jobs once more (the sweep announces what fell due), then the stream drained.
    await stack.scheduler.runOnce();
    await stack.scheduler.stop();
    await stack.poller.drain();
    if (deliverDue) {
      // Walk the retry schedule forward (as the feedback tests do): failing receivers end parked.
      for (let h = 2; h <= 26; h += 2) await deliverDue(new Date(Date.now() + h * 3_600_000));
    }
    await stack.poller.drain();
    const pollerStatus = stack.poller.status();

    // ------------------------------------------------------------------------------------------
    // Reconciliation.
    progress(`reconciling ${refs.size} referrals`);
    const checks: { name: string; expected: string; actual: string; ok: boolean; detail?: string }[] = [];
    const check = (name: string, expected: number | string, actual: number | string, detail?: string) =>
      checks.push({ name, expected: String(expected), actual: String(actual), ok: String(expected) === String(actual), ...(detail ? { detail } : {}) });

    const hub = await scan(tables.hub);
    const partitions = new Map<string, Record<string, any>[]>();
    for (const item of hub) {
      const pk = String(item[PK]);
      if (pk.startsWith('REFERRAL#')) partitions.set(pk.slice('REFERRAL#'.length), [...(partitions.get(pk.slice('REFERRAL#'.length)) ?? []), item]);
    }
    const states = [...partitions.values()].map((items) => items.find((i) => i[SK] === 'STATE')).filter((s): s is Record<string, any> => Boolean(s));
    const ours = [...refs.values()];

    // 1. Every 2xx create exactly once: by id, by idempotency key, by the referrer's reference; none extra.
    const missing = ours.filter((r) => !partitions.get(r.id)?.some((i) => i[SK] === 'STATE'));
    check('2xx creates stored (by id)', ours.length, ours.length - missing.length, missing.slice(0, 3).map((r) => r.id).join(' '));
    check('referrals in the table', ours.length, states.length, 'none besides the 2xx creates');
    const byReference = new Map<string, number>();
    for (const s of states) byReference.set(s.referrer?.referrerReference, (byReference.get(s.referrer?.referrerReference) ?? 0) + 1);
    check('2xx creates stored exactly once (by referrer reference)', ours.length, ours.filter((r) => byReference.get(r.referrerReference) === 1).length);
    let keyOk = 0;
    const keyBad: string[] = [];
    for (let i = 0; i < ours.length; i += 25) {
      await Promise.all(
        ours.slice(i, i + 25).map(async (r) => {
          // Keyed per caller (shared/data/idempotency-repository.ts): one machine client per organisation here.
          const out = await doc.send(new QueryCommand({ TableName: tables.hub, KeyConditionExpression: '#p = :p', ExpressionAttributeNames: { '#p': PK }, ExpressionAttributeValues: { ':p': `IDEMPOTENCY#${r.org}#${r.key}` }, ConsistentRead: true }));
          const item = out.Items?.length === 1 ? out.Items[0] : undefined;
          const named = item ? (JSON.parse(item.response?.body ?? '{}') as { id?: string }).id : undefined;
          if (named === r.id) keyOk++;
          else keyBad.push(r.id);
        }),
      );
    }
    check('idempotency key names its referral', ours.length, keyOk, keyBad.slice(0, 3).join(' '));
    check('create replays named the same referral', counters.createReplaysChecked, counters.createReplaysChecked - counters.createReplayMismatches);
    const idemOrphans = hub
      .filter((i) => String(i[PK]).startsWith('IDEMPOTENCY#') && String(i.response?.headers?.Location ?? '').startsWith('/v1/referrals/'))
      .filter((i) => {
        const body = JSON.parse(i.response?.body || '{}') as { id?: string };
        return !body.id || !partitions.has(body.id);
      });
    check('idempotency records naming a missing referral', 0, idemOrphans.length);

    // 2. Events: gapless, the posts that succeeded plus system events; versions consistent.
    let gapless = 0;
    let versionsOk = 0;
    let eventsMatch = 0;
    let postsTotal = 0;
    let systemTotal = 0;
    let eventsTotal = 0;
    const eventProblems: string[] = [];
    for (const r of ours) {
      const items = partitions.get(r.id) ?? [];
      const state = items.find((i) => i[SK] === 'STATE');
      const events = items.filter((i) => String(i[SK]).startsWith('EVENT#')).sort((a, b) => a.seq - b.seq);
      eventsTotal += events.length;
      const seqs = events.map((e) => Number(String(e[SK]).slice(6)));
      if (state && seqs.every((s, i) => s === i + 1 && events[i]!.seq === s) && seqs.length === state.changeSeq) gapless++;
      else eventProblems.push(`${r.id}: events ${seqs.join(',')} for changeSeq ${state?.changeSeq}`);
      const postVersions = r.posts.map((p) => p.version).sort((a, b) => a - b);
      const expectedVersions = Array.from({ length: r.posts.length }, (_, i) => i + 2);
      if (state && state.version === 1 + r.posts.length && JSON.stringify(postVersions) === JSON.stringify(expectedVersions) && r.seen.every((v) => v >= 1 && v <= state.version)) versionsOk++;
      else eventProblems.push(`${r.id}: version ${state?.version}, 2xx posts made ${postVersions.join(',') || 'none'}`);
      const system = events.filter((e) => e.system === true);
      const person = events.filter((e) => e.system !== true);
      systemTotal += system.length;
      postsTotal += r.posts.length;
      const postedTypes = ['received', ...[...r.posts].sort((a, b) => a.version - b.version).map((p) => p.type)];
      const systemTypesOk = system.every((e) => e.type === 'clock-warning' || e.type === 'clock-breached' || ladder.isLadderEvent(e));
      if (JSON.stringify(person.map((e) => e.type)) === JSON.stringify(postedTypes) && systemTypesOk && events.length === 1 + r.posts.length + system.length) eventsMatch++;
      else eventProblems.push(`${r.id}: stored ${person.map((e) => e.type).join(',')} vs posted ${postedTypes.join(',')}`);
    }
    check('referrals with events 1..changeSeq, no gap', ours.length, gapless);
    check('referrals whose version = 1 + 2xx posts, ETags 2..version once each', ours.length, versionsOk);
    check('events = creates + 2xx posts + system events (types and order)', ours.length, eventsMatch);
    check('event replays answered the first response, no new event', counters.eventReplaysChecked, counters.eventReplaysChecked - counters.eventReplayMismatches);
    ladder.reconcile(partitions, check);
    check('If-Match races with exactly one winner', counters.races, counters.racesWithOneWinner, counters.raceAnomalies.slice(0, 5).join(' '));

    // 3. The API answers the same (reads spread over two readers: per-client throttling).
    let apiOk = 0;
    const apiProblems: string[] = [];
    const readers = [tokens.leadSystem, tokens.lead];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = next++; i < ours.length; i = next++) {
          const r = ours[i]!;
          const token = readers[(i + w) % readers.length]!;
          const state = partitions.get(r.id)?.find((x) => x[SK] === 'STATE');
          const read = await call('GET /v1/referrals/{id} (reconcile)', 'GET', `/v1/referrals/${r.id}`, token);
          const events = await call('GET /v1/referrals/{id}/events (reconcile)', 'GET', `/v1/referrals/${r.id}/events`, token);
          const seqs = (events.body?.items ?? []).map((e: { seq: number }) => e.seq);
          if (read.status === 200 && versionOf(read) === state?.version && events.status === 200 && seqs.length === state?.changeSeq && seqs.every((s: number, k: number) => s === k + 1)) apiOk++;
          else apiProblems.push(`${r.id}: GET ${read.status} ETag ${read.headers.get('etag')}, events ${events.status} ${seqs.length}`);
        }
      }),
    );
    check('API: GET and GET /events agree with the table', ours.length, apiOk, apiProblems.slice(0, 3).join('; '));

    // 4. Feedback deliveries.
    let deliveryLine = 'skipped';
    if (!feedbackSkipped) {
      const expected = new Map<string, Sub>();
      for (const sub of subs) {
        for (const r of ours.filter((x) => x.org === sub.org)) {
          for (const e of (partitions.get(r.id) ?? []).filter((i) => String(i[SK]).startsWith('EVENT#'))) {
            if (sub.events.includes(e.type) && e.at >= sub.createdAt) expected.set(`${sub.id}|${r.id}|${e.seq}`, sub);
          }
        }
      }
      const actual = new Map<string, Record<string, any>>();
      for (const sub of subs) {
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await doc.send(
            new QueryCommand({
              TableName: tables.hub,
              KeyConditionExpression: '#p = :p AND begins_with(#s, :s)',
              ExpressionAttributeNames: { '#p': PK, '#s': SK },
              ExpressionAttributeValues: { ':p': `SUBSCRIPTION#${sub.id}`, ':s': 'DELIVERY#' },
              ConsistentRead: true,
              ...(startKey ? { ExclusiveStartKey: startKey } : {}),
            }),
          );
          for (const d of page.Items ?? []) actual.set(`${sub.id}|${d.referralId}|${d.seq}`, d);
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }
      const missingDeliveries = [...expected.keys()].filter((k) => !actual.has(k));
      const extra = [...actual.keys()].filter((k) => !expected.has(k));
      const settled = [...actual.values()].filter((d) => d.status === 'delivered' || d.status === 'parked');
      const asExpected = [...actual.entries()].filter(([k, d]) => expected.get(k)?.expect === d.status);
      const deliveredNotReceived = [...actual.values()].filter((d) => d.status === 'delivered' && !received.has(String(d.messageId)) && !received.has(String(d.deliveryId)));
      check('feedback deliveries expected (event × subscription)', expected.size, actual.size - extra.length, missingDeliveries.slice(0, 3).join(' '));
      check('feedback deliveries not expected', 0, extra.length, extra.slice(0, 3).join(' '));
      check('feedback deliveries delivered or parked', actual.size, settled.length);
      check('feedback: 204 receiver delivered, 503 receiver parked', actual.size, asExpected.length);
      check('feedback: delivered ones reached the receiver', 0, deliveredNotReceived.length);
      const by = (s: string) => [...actual.values()].filter((d) => d.status === s).length;
      deliveryLine = `${actual.size} deliveries: ${by('delivered')} delivered, ${by('parked')} parked, ${by('pending')} pending, ${by('cancelled')} cancelled`;
    }

    // 5. Analytics: facts equal referrals.
    let factsLine = 'skipped (the analytics consumer is not registered)';
    if (CONSUMERS.some((c) => c.id === 'analytics')) {
      const analytics = await scan(tables.analytics);
      const facts = analytics.filter((i) => String(i[PK]).startsWith('FACTS#'));
      const key = Buffer.from(process.env.PSEUDONYMISATION_KEY!, 'base64');
      const byKey = new Map(facts.map((f) => [f.factKey, f]));
      const current = states.filter((s) => byKey.get(factKeyOf(s.id, key))?.changeSeq === s.changeSeq).length;
      const rolled = analytics
        .filter((i) => String(i[PK]).startsWith('ROLLUP#'))
        .reduce((sum, item) => sum + Object.entries(item).reduce((n, [name, v]) => n + (name.startsWith('n|') ? Number(v) : 0), 0), 0);
      check('analytics facts = referrals', states.length, facts.length);
      check('facts at their referral\'s latest change', states.length, current);
      check('roll-ups count each referral once', states.length, rolled);
      factsLine = `${facts.length} facts, roll-ups count ${rolled}`;
    }
    const parkedTotal = Object.values(pollerStatus.parked).reduce((a, b) => a + b, 0);
    check('stream records parked by a consumer', 0, parkedTotal, JSON.stringify(pollerStatus.parked));
    check('unexpected answers during traffic', 0, counters.unexpected.length, counters.unexpected.slice(0, 5).join('; '));

    // ------------------------------------------------------------------------------------------
    // Report.
    const out: string[] = [];
    out.push('', `AMHP Referral Hub soak: ${new Date().toISOString()}, ${MINUTES} minute(s) of traffic, local stack in memory (loopback), per-client throttling on`);
    out.push(`${trafficRequests} requests in ${trafficSeconds.toFixed(0)} s of traffic (${(trafficRequests / trafficSeconds).toFixed(1)}/s), then reconciliation reads; ${ours.length} referrals; ${postsTotal} event posts with a 2xx; ${systemTotal} system events; ${eventsTotal} events stored`, '');
    const pct = (xs: number[], p: number) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : Number.NaN;
    };
    const rows = [...stats.entries()].map(([label, s]) => [
      label,
      String(s.count),
      [...s.statuses.entries()].sort(([a], [b]) => a - b).map(([st, n]) => `${st}:${n}`).join(' '),
      String(s.throttled),
      pct(s.latencies, 50).toFixed(1),
      pct(s.latencies, 99).toFixed(1),
    ]);
    out.push(table(['route', 'requests', 'statuses', '429 waited', 'p50 ms', 'p99 ms'], rows, (c) => c === 1 || c >= 3));
    out.push('', 'Reconciliation', '');
    out.push(table(['check', 'expected', 'actual', 'result'], checks.map((c) => [c.name, c.expected, c.actual, c.ok ? 'ok' : `FAIL${c.detail ? ` (${c.detail})` : ''}`]), (c) => c === 1 || c === 2));
    out.push('', `feedback: ${feedbackSkipped ? `check skipped: ${feedbackSkipped}` : deliveryLine}`);
    out.push(`analytics: ${factsLine}`);
    out.push(`stream poller: delivered ${Object.entries(pollerStatus.consumers).map(([c, s]) => `${c} ${s.delivered}`).join(', ')}; lag ${pollerStatus.lagMs} ms; last error ${pollerStatus.lastError ?? 'none'}`);
    if (stackLog.length) out.push(`stack log (${stackLog.length} lines), first: ${stackLog.slice(0, 3).join(' | ')}`);
    if (eventProblems.length) out.push(`event problems (first 5): ${eventProblems.slice(0, 5).join('; ')}`);
    const failed = checks.filter((c) => !c.ok);
    out.push('', failed.length ? `RESULT: ${failed.length} check(s) FAILED` : 'RESULT: everything reconciles', `Run time ${((performance.now() - started) / 1000).toFixed(0)} s.`, '');
    process.stdout.write(out.join('\n') + '\n');
    rawClient.destroy();
    return failed.length ? 1 : 0;
  } finally {
    clearTimeout(watchdog);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await cleanup();
  }
}


/**
 * The lifecycle model through HTTP with 500 random sequences (50 in `npm test`): the same test
 * file, run here with more sequences, after the traffic phase (DOMAIN §3.1).
 */
function lifecycleModel(): number {
  process.stdout.write('\nLifecycle model through HTTP: 500 random event sequences\n');
  const run = spawnSync('npx', ['vitest', 'run', 'test/integration/referral-model.test.ts'], {
    stdio: 'inherit',
    env: { ...process.env, LIFECYCLE_MODEL_RUNS: '500' },
  });
  return run.status ?? 1;
}

main().then(
  (code) => process.exit(code || lifecycleModel()),
  (error) => {
    process.stderr.write(`[soak] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
