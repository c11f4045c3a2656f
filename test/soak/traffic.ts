/**
 * The traffic: every partner's worker for the run's minutes (referrers create, read, add
 * information and withdraw; the AMHP service triages, allocates, assesses and closes, sometimes
 * racing; the bed manager posts availability), then the settling: lost creates retried with
 * their keys, the minute jobs once more, the webhook retry schedule walked forward, the stream
 * drained.
 */
import { ladderSoak } from './ladder.js';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  call,
  counters,
  jitter,
  MINUTES,
  noteUnexpected,
  pendingCreates,
  pick,
  progress,
  refs,
  sleep,
  stats,
  versionOf,
  type Answer,
  type Ref,
} from './common.js';
import type { SoakContext } from './context.js';

export interface TrafficResult {
  /** The bed-finding ladder's part of the traffic (test/soak/ladder.ts), reconciled by `ladderChecks`. */
  readonly ladder: ReturnType<typeof ladderSoak<Ref>>;
  readonly trafficSeconds: number;
  readonly trafficRequests: number;
  readonly pollerStatus: ReturnType<SoakContext['stack']['poller']['status']>;
}

export async function runTraffic(ctx: SoakContext): Promise<TrafficResult> {
  const { stack, tokens, referrers, deliverDue } = ctx;
  const { RECORDED_EVENT_TYPE, j1Body } = ctx.mods;
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
  const postEvent = async (
    ref: Ref,
    token: string,
    event: Record<string, unknown>,
    options: { idempotent?: boolean } = {},
  ): Promise<number> => {
    const headers: Record<string, string> = { 'If-Match': `"${ref.version}"` };
    if (options.idempotent) headers['Idempotency-Key'] = randomUUID();
    const a = await call('POST /v1/referrals/{id}/events', 'POST', `/v1/referrals/${ref.id}/events`, token, {
      json: event,
      headers,
    });
    if (a.status === 200) {
      if (a.headers.get('idempotent-replayed') === 'true')
        noteUnexpected('a first event post was answered as a replay');
      ref.posts.push({
        type: RECORDED_EVENT_TYPE[event.type as keyof typeof RECORDED_EVENT_TYPE],
        version: versionOf(a)!,
      });
      recordAnswer(ref, a);
      if (options.idempotent) {
        const again = await call('POST /v1/referrals/{id}/events', 'POST', `/v1/referrals/${ref.id}/events`, token, {
          json: event,
          headers,
        });
        counters.eventReplaysChecked++;
        if (
          again.status !== 200 ||
          again.headers.get('idempotent-replayed') !== 'true' ||
          again.headers.get('etag') !== a.headers.get('etag')
        )
          counters.eventReplayMismatches++;
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
      tokensRacing.map((t) =>
        call('POST /v1/referrals/{id}/events', 'POST', `/v1/referrals/${ref.id}/events`, t, { json: event, headers }),
      ),
    );
    counters.races++;
    const winners = answers.filter((a) => a.status === 200);
    const losers = answers.filter((a) => a.status !== 200);
    if (winners.length === 1 && losers.every((a) => a.status === 412)) counters.racesWithOneWinner++;
    else counters.raceAnomalies.push(answers.map((a) => a.status).join('/'));
    for (const w of winners) {
      ref.posts.push({
        type: RECORDED_EVENT_TYPE[event.type as keyof typeof RECORDED_EVENT_TYPE],
        version: versionOf(w)!,
      });
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

  const createBody = (_org: string, lssas: readonly string[], reference: string, clockHeavy: boolean) => {
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
        const a = await call('POST /v1/referrals', 'POST', '/v1/referrals', token, {
          json: body,
          headers: { 'Idempotency-Key': key },
        });
        if (a.status === 201) {
          const ref: Ref = {
            id: a.body.id,
            key,
            org: r.org,
            referrerReference: reference,
            token,
            status: a.body.status,
            version: versionOf(a) ?? 1,
            busy: false,
            posts: [],
            seen: [versionOf(a) ?? -1],
            clockHeavy,
          };
          if (refs.has(ref.id)) noteUnexpected(`a create named an existing referral ${ref.id}`);
          refs.set(ref.id, ref);
          if (Math.random() < 0.1) {
            const again = await call('POST /v1/referrals', 'POST', '/v1/referrals', token, {
              json: body,
              headers: { 'Idempotency-Key': key },
            });
            counters.createReplaysChecked++;
            if (
              again.status !== 201 ||
              again.body?.id !== ref.id ||
              again.headers.get('idempotent-replayed') !== 'true'
            )
              counters.createReplayMismatches++;
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
          (ref) =>
            postEvent(
              ref,
              token,
              { type: 'information-added', note: 'Update from the scene: calmer now, still with officers.' },
              { idempotent: Math.random() < 0.2 },
            ).then(() => undefined),
        );
      } else {
        await withClaim(
          (x) => x.org === r.org && x.status === 'received',
          (ref) =>
            postEvent(ref, token, { type: 'withdraw', reason: 'Agreed to an informal admission at the scene.' }).then(
              () => undefined,
            ),
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
            if (Math.random() < 0.1)
              await postEvent(ref, tokens.reviewer, {
                type: 'not-accept',
                reason: 'No assessment needed: advice given.',
                disposition: 'advice',
                nextSteps: 'GP review within a week.',
              });
            else
              await postEvent(
                ref,
                tokens.reviewer,
                { type: 'accept', reason: 'Assessment needed today.' },
                { idempotent: Math.random() < 0.1 },
              );
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
          (ref) =>
            postEvent(ref, tokens.lead, { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: inHour() }).then(
              () => undefined,
            ),
        );
      } else {
        worked = await withClaim(
          (x) => x.status === 'outcome-recorded',
          (ref) =>
            postEvent(
              ref,
              tokens.lead,
              { type: 'close', reason: 'completed' },
              { idempotent: Math.random() < 0.1 },
            ).then(() => undefined),
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
                : {
                    type: 'record-outcome',
                    outcome: 'home-treatment-crisis-team',
                    nextSteps: 'Crisis team visit tomorrow.',
                    reasonsInWriting: 'Agreed to home treatment.',
                  };
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
      const a = await call(
        'PUT /v1/bed-units/{id}/availability',
        'PUT',
        `/v1/bed-units/${unit}/availability`,
        tokens.beds,
        { json: { asOf: new Date().toISOString(), beds } },
      );
      if (a.status !== 200 && a.status !== 409) noteUnexpected(`availability answered ${a.status}`);
    }
  };

  const bedReader = async () => {
    while (running()) {
      await sleep(jitter(500, 1500));
      const a = await call(
        'GET /v1/bed-availability',
        'GET',
        '/v1/bed-availability?bedType=adult-acute',
        Math.random() < 0.5 ? tokens.amhp : tokens.leadSystem,
      );
      if (a.status !== 200) noteUnexpected(`bed availability answered ${a.status}`);
    }
  };

  const trafficStarted = performance.now();
  const ladder = ladderSoak({ running, withClaim, postEvent, amhpToken: ctx.tokens.amhp, sleep });
  const ticker = setInterval(() => {
    const total = [...stats.values()].reduce((n, s) => n + s.count, 0);
    progress(
      `${Math.round((deadline - Date.now()) / 1000)} s left: ${total} requests, ${refs.size} referrals, ` +
        `poller lag ${stack.poller.status().lagMs ?? '?'} ms`,
    );
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
      const a = await call('POST /v1/referrals (retry)', 'POST', '/v1/referrals', p.token, {
        json: p.body,
        headers: { 'Idempotency-Key': p.key },
      });
      if (a.status === 201) {
        refs.set(a.body.id, {
          id: a.body.id,
          key: p.key,
          org: p.org,
          referrerReference: p.reference,
          token: p.token,
          status: a.body.status,
          version: 1,
          busy: false,
          posts: [],
          seen: [],
          clockHeavy: false,
        });
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
  return { ladder, trafficSeconds, trafficRequests, pollerStatus };
}
