/**
 * The soak's workers, one per partner role, each looping until the traffic's deadline: referrers
 * create (sometimes replaying the create), read, add information and withdraw; the AMHP service
 * reviews, triages, allocates, assesses and closes, sometimes racing; the bed manager posts
 * availability and the service reads it.
 */
import { randomUUID } from 'node:crypto';
import {
  call,
  counters,
  jitter,
  noteUnexpected,
  pendingCreates,
  pick,
  refs,
  sleep,
  versionOf,
  type Ref,
} from './common.js';
import type { SoakContext } from './context.js';
import type { ReferralWrites } from './writes.js';

export function trafficWorkers(ctx: SoakContext, running: () => boolean, writes: ReferralWrites) {
  const { tokens, referrers } = ctx;
  const { j1Body } = ctx.mods;
  const { postEvent, race, withClaim } = writes;
  let createSeq = 0;

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

  return { referrerWorker, reviewerWorker, leadWorker, amhpWorker, bedWorker, bedReader };
}
