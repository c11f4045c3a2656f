/**
 * How the soak's clients write to a referral: an event post (sometimes sent twice with one
 * Idempotency-Key, the replay checked), two colleagues racing the same decision (exactly one may
 * win), a read after a refusal, and claiming a referral so no two workers act on it at once. What
 * each answer says is kept on the client's `Ref` for the reconciliation.
 */
import { randomUUID } from 'node:crypto';
import { call, counters, noteUnexpected, pick, refs, versionOf, type Answer, type Ref } from './common.js';
import type { SoakModules } from './context.js';

export type ReferralWrites = ReturnType<typeof referralWrites>;

export function referralWrites(RECORDED_EVENT_TYPE: SoakModules['RECORDED_EVENT_TYPE']) {
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

  return { postEvent, race, withClaim };
}
