/** tenancy tests, detail: see ./tenancy.fixture.ts for what they run against. */
import { beforeAll, describe, expect, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb, tableName } from '../../shared/data/client.js';
import { referralKeys } from '../../shared/data/referral-repository.js';
import { PEOPLE } from '../support/api.js';
import { createReferral, j1Body, postEvent } from '../support/referrals.js';
import type { Principal } from '../support/security-principals.js';
import { api, principals, by, fx, HOME_LSSA, getAs } from './tenancy.fixture.js';

/**
 * Inside the AMHP service (DOMAIN §1, amhp row): every caller of the service that may see a
 * referral at all, at three referrals — allocated to Sam (past triage), awaiting triage, and
 * allocated to Sam with Kim co-allocated — on every route that returns referral detail. Only the
 * lead, the allocated or co-allocated AMHP and the duty reviewer (while awaiting triage) get the
 * full referral; every other AMHP the minimal view with no identifiable field.
 */
describe('detail inside the AMHP service', () => {
  const awaiting = { id: '', reference: '' };
  const coAllocated = { id: '', reference: '' };
  const SECRETS = ['Marsh', '1992-03-08', 'parapet', 'knife', 'Needs assessment', 'Ruth', 'RC9-ED'];
  const MINIMAL_KEYS = [
    'id',
    'reference',
    'detail',
    'status',
    'version',
    'receivedAt',
    'updatedAt',
    'responsibleLssa',
    'basis',
    'urgency',
    'legalStatus',
    'clocks',
    'allocatedAmhpId',
    'lastEvent',
  ];

  beforeAll(async () => {
    const policeA = by('client:police-a-triage').token;
    const lead = by(`person:${PEOPLE.lead}`).token;
    const fresh = await createReferral(api, policeA, j1Body({ responsibleLssa: HOME_LSSA }));
    Object.assign(awaiting, { id: fresh.id, reference: fresh.reference });
    const other = await createReferral(api, policeA, j1Body({ responsibleLssa: HOME_LSSA }));
    let step = await postEvent(api, lead, other.id, { type: 'start-review' }, other.etag);
    step = await postEvent(api, lead, other.id, { type: 'accept', reason: 'Needs assessment' }, step.etag!);
    step = await postEvent(
      api,
      lead,
      other.id,
      { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: new Date(Date.now() + 3_600_000).toISOString() },
      step.etag!,
    );
    expect(step.status).toBe(200);
    // Co-allocation as the lifecycle records it (the event itself is the lifecycle's to add).
    await ddb().send(
      new UpdateCommand({
        TableName: tableName('hub'),
        Key: referralKeys.state(other.id),
        UpdateExpression: 'SET coAllocations = :c',
        ExpressionAttributeValues: {
          ':c': [{ amhpId: 'amhp-kim', at: new Date().toISOString(), byActorId: by(`person:${PEOPLE.lead}`).subject }],
        },
      }),
    );
    Object.assign(coAllocated, { id: other.id, reference: other.reference });
  });

  const service = () =>
    principals.filter((p) => p.organisationId === 'amhp-service' && (p.role === 'amhp-lead' || p.role === 'amhp'));
  const full = (username: string) => (p: Principal) => p.role === 'amhp-lead' || p.key === `person:${username}`;
  const cases = () => [
    { name: 'allocated to Sam, past triage', ref: fx.referral, full: (p: Principal) => full(PEOPLE.amhp)(p) },
    { name: 'awaiting triage', ref: awaiting, full: (p: Principal) => full(PEOPLE.reviewer)(p) },
    {
      name: 'allocated to Sam, Kim co-allocated',
      ref: coAllocated,
      full: (p: Principal) => full(PEOPLE.amhp)(p) || p.key === `person:${PEOPLE.unallocated}`,
    },
  ];

  it('covers the lead (person and system), the allocated AMHP, the duty reviewer and an AMHP who is neither', () => {
    expect(
      service()
        .map((p) => p.key)
        .sort(),
    ).toEqual(
      [
        'client:amhp-case-system',
        `person:${PEOPLE.unallocated}`,
        `person:${PEOPLE.reviewer}`,
        `person:${PEOPLE.lead}`,
        `person:${PEOPLE.amhp}`,
      ].sort(),
    );
  });

  it('GET /v1/referrals/{id} and ?reference=: the full referral or the minimal view, never more', async () => {
    const wrong: string[] = [];
    for (const c of cases()) {
      for (const p of service()) {
        for (const path of [`/v1/referrals/${c.ref.id}`, `/v1/referrals?reference=${c.ref.reference}`]) {
          const res = await getAs(p.key, path);
          const body = path.includes('reference=') ? res.body.items[0] : res.body;
          const text = JSON.stringify(body);
          const got =
            res.status !== 200
              ? `status ${res.status}`
              : body.person?.familyName === 'Marsh'
                ? 'full'
                : body.detail === 'minimal'
                  ? 'minimal'
                  : 'other';
          const want = c.full(p) ? 'full' : 'minimal';
          if (got !== want) wrong.push(`${c.name} ${p.key} ${path}: ${got}, expected ${want}`);
          if (want === 'minimal') {
            const extra = Object.keys(body ?? {}).filter((k) => !MINIMAL_KEYS.includes(k));
            const leaked = SECRETS.filter((s) => text.includes(s));
            if (extra.length || leaked.length)
              wrong.push(`${c.name} ${p.key} ${path}: extra keys ${extra}, leaked ${leaked.length}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('GET /v1/referrals/{id}/events: the full history or board-level entries without free text', async () => {
    const wrong: string[] = [];
    for (const c of cases()) {
      for (const p of service()) {
        const res = await getAs(p.key, `/v1/referrals/${c.ref.id}/events`);
        expect(res.status).toBe(200);
        const text = JSON.stringify(res.body);
        if (c.full(p)) {
          if (c.ref !== awaiting && !text.includes('Needs assessment'))
            wrong.push(`${c.name} ${p.key}: the full history lacks the triage reason`);
        } else {
          const leaked = SECRETS.filter((s) => text.includes(s));
          const dataKeys = res.body.items.flatMap((e: any) => Object.keys(e.data));
          if (
            leaked.length ||
            dataKeys.some((k: string) => !['power', 'threshold', 'expiresAt', 'hours'].includes(k)) ||
            res.body.items.some((e: any) => 'actorId' in e)
          ) {
            wrong.push(`${c.name} ${p.key}: minimal history shows more (${leaked.length} secrets, keys ${dataKeys})`);
          }
          expect(res.body.items.length, `${c.name} ${p.key}`).toBeGreaterThan(0);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the duty-reviewer flag is read from the register on each request: marked and active, not otherwise', async () => {
    const lead = by(`person:${PEOPLE.lead}`).token;
    const kim = `person:${PEOPLE.unallocated}`;
    const entry = { displayName: 'Kim Adeyemi', authorisedLssas: [HOME_LSSA, 'E06000056'] };
    const setKim = async (active: boolean, dutyReviewer: boolean) => {
      const current = await getAs(`person:${PEOPLE.lead}`, '/v1/amhps/amhp-kim');
      const res = await api.fetch('/v1/amhps/amhp-kim', {
        method: 'PUT',
        token: lead,
        json: { ...entry, active, dutyReviewer },
        headers: { 'If-Match': current.etag! },
      });
      expect(res.status).toBe(200);
    };
    const kimSees = async () => (await getAs(kim, `/v1/referrals/${awaiting.id}`)).body.detail ?? 'full';
    try {
      expect(await kimSees()).toBe('minimal');
      await setKim(true, true);
      expect(await kimSees()).toBe('full');
      // Not past triage: a duty reviewer sees the allocated referral at board level.
      expect((await getAs(kim, `/v1/referrals/${fx.referral.id}`)).body.detail).toBe('minimal');
      await setKim(false, true);
      expect(await kimSees()).toBe('minimal');
    } finally {
      await setKim(true, false);
    }
  });

  it('the board stays board-level for every AMHP of the service', async () => {
    for (const p of service().filter((x) => x.role === 'amhp')) {
      const res = await getAs(p.key, '/v1/referrals?view=board&limit=100');
      expect(res.status).toBe(200);
      expect(SECRETS.filter((s) => JSON.stringify(res.body).includes(s))).toEqual([]);
    }
  });
});
