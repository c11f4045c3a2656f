/**
 * The reconciliation phases the soak registers (soak.ts: PHASES), each a set of checks over
 * what the traffic left in the tables and what the API answers.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { call, counters, versionOf } from './common.js';
import { queryAll } from '../../shared/data/pages.js';
import type { Sub } from './context.js';
import type { SoakPhase } from './reconcile.js';
import { rollupCount } from '../support/rollups.js';
import { readable } from '../support/readable-item.js';

/** 1. Every 2xx create exactly once: by id, by idempotency key, by the referrer's reference; none extra. */
export const createsOnce: SoakPhase = {
  name: 'createsOnce',
  run: async (ctx, rec) => {
    const { check, hub, partitions, states, ours } = rec;
    const { doc, tables } = ctx;
    const { PK, SK } = ctx.mods;
    const missing = ours.filter((r) => !partitions.get(r.id)?.some((i) => i[SK] === 'STATE'));
    check(
      '2xx creates stored (by id)',
      ours.length,
      ours.length - missing.length,
      missing
        .slice(0, 3)
        .map((r) => r.id)
        .join(' '),
    );
    check('referrals in the table', ours.length, states.length, 'none besides the 2xx creates');
    const byReference = new Map<string, number>();
    for (const s of states)
      byReference.set(s.referrer?.referrerReference, (byReference.get(s.referrer?.referrerReference) ?? 0) + 1);
    check(
      '2xx creates stored exactly once (by referrer reference)',
      ours.length,
      ours.filter((r) => byReference.get(r.referrerReference) === 1).length,
    );
    let keyOk = 0;
    const keyBad: string[] = [];
    for (let i = 0; i < ours.length; i += 25) {
      await Promise.all(
        ours.slice(i, i + 25).map(async (r) => {
          // Keyed per caller (shared/data/idempotency-repository.ts): one machine client per organisation here.
          const out = await doc.send(
            new QueryCommand({
              TableName: tables.hub,
              KeyConditionExpression: '#p = :p',
              ExpressionAttributeNames: { '#p': PK },
              ExpressionAttributeValues: { ':p': `IDEMPOTENCY#${r.org}#${r.key}` },
              ConsistentRead: true,
            }),
          );
          const item = out.Items?.length === 1 ? readable(out.Items[0]!) : undefined;
          const named = item ? (JSON.parse(item.response?.body ?? '{}') as { id?: string }).id : undefined;
          if (named === r.id) keyOk++;
          else keyBad.push(r.id);
        }),
      );
    }
    check('idempotency key names its referral', ours.length, keyOk, keyBad.slice(0, 3).join(' '));
    check(
      'create replays named the same referral',
      counters.createReplaysChecked,
      counters.createReplaysChecked - counters.createReplayMismatches,
    );
    const idemOrphans = hub
      .filter(
        (i) =>
          String(i[PK]).startsWith('IDEMPOTENCY#') &&
          String(i.response?.headers?.Location ?? '').startsWith('/v1/referrals/'),
      )
      .filter((i) => {
        const body = JSON.parse(i.response?.body || '{}') as { id?: string };
        return !body.id || !partitions.has(body.id);
      });
    check('idempotency records naming a missing referral', 0, idemOrphans.length);
  },
};

/** 2. Events: gapless, the posts that succeeded plus system events; versions consistent. */
export const eventsGapless: SoakPhase = {
  name: 'eventsGapless',
  run: async (ctx, rec) => {
    const { check, partitions, ours, eventProblems } = rec;
    const { SK } = ctx.mods;
    let gapless = 0;
    let versionsOk = 0;
    let eventsMatch = 0;
    for (const r of ours) {
      const items = partitions.get(r.id) ?? [];
      const state = items.find((i) => i[SK] === 'STATE');
      const events = items.filter((i) => String(i[SK]).startsWith('EVENT#')).sort((a, b) => a.seq - b.seq);
      rec.totals.events += events.length;
      const seqs = events.map((e) => Number(String(e[SK]).slice(6)));
      if (state && seqs.every((s, i) => s === i + 1 && events[i]!.seq === s) && seqs.length === state.changeSeq)
        gapless++;
      else eventProblems.push(`${r.id}: events ${seqs.join(',')} for changeSeq ${state?.changeSeq}`);
      const postVersions = r.posts.map((p) => p.version).sort((a, b) => a - b);
      const expectedVersions = Array.from({ length: r.posts.length }, (_, i) => i + 2);
      if (
        state &&
        state.version === 1 + r.posts.length &&
        JSON.stringify(postVersions) === JSON.stringify(expectedVersions) &&
        r.seen.every((v) => v >= 1 && v <= state.version)
      )
        versionsOk++;
      else eventProblems.push(`${r.id}: version ${state?.version}, 2xx posts made ${postVersions.join(',') || 'none'}`);
      const system = events.filter((e) => e.system === true);
      const person = events.filter((e) => e.system !== true);
      rec.totals.system += system.length;
      rec.totals.posts += r.posts.length;
      const postedTypes = ['received', ...[...r.posts].sort((a, b) => a.version - b.version).map((p) => p.type)];
      const systemTypesOk = system.every(
        (e) => e.type === 'clock-warning' || e.type === 'clock-breached' || rec.traffic.ladder.isLadderEvent(e),
      );
      if (
        JSON.stringify(person.map((e) => e.type)) === JSON.stringify(postedTypes) &&
        systemTypesOk &&
        events.length === 1 + r.posts.length + system.length
      )
        eventsMatch++;
      else
        eventProblems.push(`${r.id}: stored ${person.map((e) => e.type).join(',')} vs posted ${postedTypes.join(',')}`);
    }
    check('referrals with events 1..changeSeq, no gap', ours.length, gapless);
    check('referrals whose version = 1 + 2xx posts, ETags 2..version once each', ours.length, versionsOk);
    check('events = creates + 2xx posts + system events (types and order)', ours.length, eventsMatch);
    check(
      'event replays answered the first response, no new event',
      counters.eventReplaysChecked,
      counters.eventReplaysChecked - counters.eventReplayMismatches,
    );
    check(
      'If-Match races with exactly one winner',
      counters.races,
      counters.racesWithOneWinner,
      counters.raceAnomalies.slice(0, 5).join(' '),
    );
  },
};

/** 3. The API answers the same (reads spread over two readers: per-client throttling). */
export const apiAgrees: SoakPhase = {
  name: 'apiAgrees',
  run: async (ctx, rec) => {
    const { check, partitions, ours } = rec;
    const { tokens } = ctx;
    const { SK } = ctx.mods;
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
          const events = await call(
            'GET /v1/referrals/{id}/events (reconcile)',
            'GET',
            `/v1/referrals/${r.id}/events`,
            token,
          );
          const seqs = (events.body?.items ?? []).map((e: { seq: number }) => e.seq);
          if (
            read.status === 200 &&
            versionOf(read) === state?.version &&
            events.status === 200 &&
            seqs.length === state?.changeSeq &&
            seqs.every((s: number, k: number) => s === k + 1)
          )
            apiOk++;
          else
            apiProblems.push(
              `${r.id}: GET ${read.status} ETag ${read.headers.get('etag')}, events ${events.status} ${seqs.length}`,
            );
        }
      }),
    );
    check('API: GET and GET /events agree with the table', ours.length, apiOk, apiProblems.slice(0, 3).join('; '));
  },
};

/** 4. Feedback deliveries: each expected one exists, delivered (204 receiver) or parked (503). */
export const feedbackDelivered: SoakPhase = {
  name: 'feedbackDelivered',
  run: async (ctx, rec) => {
    const { check, partitions, ours } = rec;
    const { doc, tables, subs, received, feedbackSkipped } = ctx;
    const { PK, SK } = ctx.mods;
    if (feedbackSkipped) rec.summary.set('feedback', `check skipped: ${feedbackSkipped}`);
    else {
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
        const items = await queryAll(doc, {
          TableName: tables.hub,
          KeyConditionExpression: '#p = :p AND begins_with(#s, :s)',
          ExpressionAttributeNames: { '#p': PK, '#s': SK },
          ExpressionAttributeValues: { ':p': `SUBSCRIPTION#${sub.id}`, ':s': 'DELIVERY#' },
          ConsistentRead: true,
        });
        for (const d of items) actual.set(`${sub.id}|${d.referralId}|${d.seq}`, d);
      }
      const missingDeliveries = [...expected.keys()].filter((k) => !actual.has(k));
      const extra = [...actual.keys()].filter((k) => !expected.has(k));
      const settled = [...actual.values()].filter((d) => d.status === 'delivered' || d.status === 'parked');
      const asExpected = [...actual.entries()].filter(([k, d]) => expected.get(k)?.expect === d.status);
      const deliveredNotReceived = [...actual.values()].filter(
        (d) => d.status === 'delivered' && !received.has(String(d.messageId)) && !received.has(String(d.deliveryId)),
      );
      check(
        'feedback deliveries expected (event × subscription)',
        expected.size,
        actual.size - extra.length,
        missingDeliveries.slice(0, 3).join(' '),
      );
      check('feedback deliveries not expected', 0, extra.length, extra.slice(0, 3).join(' '));
      check('feedback deliveries delivered or parked', actual.size, settled.length);
      check('feedback: 204 receiver delivered, 503 receiver parked', actual.size, asExpected.length);
      check('feedback: delivered ones reached the receiver', 0, deliveredNotReceived.length);
      const by = (s: string) => [...actual.values()].filter((d) => d.status === s).length;
      rec.summary.set(
        'feedback',
        `${actual.size} deliveries: ${by('delivered')} delivered, ${by('parked')} parked, ${by('pending')} ` +
          `pending, ${by('cancelled')} cancelled`,
      );
    }
  },
};

/** 5. Analytics: facts equal referrals. */
export const analyticsFacts: SoakPhase = {
  name: 'analyticsFacts',
  run: async (ctx, rec) => {
    const { check, states } = rec;
    const { scan, tables } = ctx;
    const { CONSUMERS, PK, factKeyOf } = ctx.mods;
    rec.summary.set('analytics', 'skipped (the analytics consumer is not registered)');
    if (CONSUMERS.some((c) => c.id === 'analytics')) {
      const analytics = await scan(tables.analytics);
      const facts = analytics.filter((i) => String(i[PK]).startsWith('FACTS#'));
      const key = Buffer.from(process.env.PSEUDONYMISATION_KEY!, 'base64');
      const byKey = new Map(facts.map((f) => [f.factKey, f]));
      const current = states.filter((s) => byKey.get(factKeyOf(s.id, key))?.changeSeq === s.changeSeq).length;
      const rolled = rollupCount(analytics);
      check('analytics facts = referrals', states.length, facts.length);
      check("facts at their referral's latest change", states.length, current);
      check('roll-ups count each referral once', states.length, rolled);
      rec.summary.set('analytics', `${facts.length} facts, roll-ups count ${rolled}`);
    }
  },
};

/** 6. Nothing parked by a stream consumer, nothing unexpected answered during the traffic. */
export const nothingParked: SoakPhase = {
  name: 'nothingParked',
  run: async (_ctx, rec) => {
    const { check } = rec;
    const { pollerStatus } = rec.traffic;
    const parkedTotal = Object.values(pollerStatus.parked).reduce((a, b) => a + b, 0);
    check('stream records parked by a consumer', 0, parkedTotal, JSON.stringify(pollerStatus.parked));
    check(
      'unexpected answers during traffic',
      0,
      counters.unexpected.length,
      counters.unexpected.slice(0, 5).join('; '),
    );
  },
};

/** The bed-finding ladder (test/soak/ladder.ts): every owed step escalated exactly once, with its marker. */
export const ladderChecks: SoakPhase = {
  name: 'ladder',
  run: async (_ctx, rec) => {
    rec.traffic.ladder.reconcile(rec.partitions, rec.check);
  },
};
