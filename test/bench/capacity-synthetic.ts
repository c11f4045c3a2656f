/**
 * The capacity-and-analytics bench's data: synthetic referral records (the fields a fact is built
 * from, shaped as the stored state is), a bounded timer for set-up and extract calls, and (b),
 * records/s through de-identification on one core.
 */
import { performance } from 'node:perf_hooks';
import { ulid } from 'ulid';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { PK, SK } from '../../shared/data/tables.js';
import { demandFactOf, rollupDelta, type ReferralLike } from '../../shared/deidentify/facts.js';
import type { Progress } from './harness.js';

/** Set-up and the extract's calls: a fixed number of operations, no time cap. */
export async function timed(
  count: number,
  concurrency: number,
  op: (i: number) => Promise<void>,
): Promise<{ sorted: number[]; errors: number; firstError?: string; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const s = performance.now();
        try {
          await op(i);
          latencies.push(performance.now() - s);
        } catch (error) {
          errors++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  return {
    sorted: latencies.sort((a, b) => a - b),
    errors,
    ...(firstError ? { firstError } : {}),
    seconds: (performance.now() - t0) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------
// Synthetic referral records (the fields a fact is built from, shaped as the stored state is).

const OUTCOMES = [
  'detained-s2',
  'detained-s3',
  'informal-admission',
  'home-treatment-crisis-team',
  'community-support',
  'no-further-action',
];
const AGENCIES = ['police', 'ambulance', 'emergency-department', 'cmht'];
const ETHNICITIES = ['A', 'B', 'C', 'D', 'H', 'J', 'M', 'N', 'R', 'S', 'Z', '99'];
const SEXES = ['male', 'female', 'male', 'female', 'not-known'];
const LEGAL = ['s136', 's136', 's135-1', 'informal', 's2', 'none-known'];
const GIVEN = ['Daniel', 'Aisha', 'Tomasz', 'Grace', 'Kwame', 'Siobhan', 'Ravi', 'Megan'];
const FAMILY = ['Marsh', 'Okafor', 'Nowak', 'Bennett', 'Mensah', 'Doyle', 'Sharma', 'Hughes'];

export function syntheticReferral(i: number, receivedMs: number, lssa: string): ReferralLike & Record<string, unknown> {
  const at = (minutes: number) => new Date(receivedMs + minutes * 60_000).toISOString();
  const stage = i % 5; // 0 received … 4 closed with an outcome
  const milestones: Record<string, string> = {};
  if (stage >= 1) milestones.accepted = at(20 + (i % 40));
  if (stage >= 2) milestones.allocated = at(60 + (i % 90));
  if (stage >= 3) milestones.assessmentStarted = at(150 + (i % 200));
  if (stage >= 3) milestones.outcomeRecorded = at(300 + (i % 400));
  if (stage >= 4 && i % 3 === 0) {
    milestones.bedRequested = at(320 + (i % 60));
    milestones.bedIdentified = at(500 + (i % 900));
  }
  const outcome = stage >= 3 ? { outcome: OUTCOMES[i % OUTCOMES.length]! } : undefined;
  const identityUnknown = i % 50 === 0;
  const record = {
    id: ulid(receivedMs),
    reference: `R-${String(i).padStart(4, '0')}-BNCH`,
    receivedAt: new Date(receivedMs).toISOString(),
    status:
      stage === 0
        ? 'received'
        : stage === 1
          ? 'accepted'
          : stage === 2
            ? 'allocated'
            : stage === 3
              ? 'outcome-recorded'
              : 'closed',
    urgency: ['immediate', 'today', 'planned'][i % 3]!,
    changeSeq: 1 + stage * 2,
    version: 1 + stage * 2,
    responsibleLssa: lssa,
    serviceId: 'amhp-service',
    person: identityUnknown
      ? { identityUnknown: true, estimatedAgeBand: '25-34', sex: SEXES[i % SEXES.length]!, ethnicity: 'Z' }
      : {
          givenName: GIVEN[i % GIVEN.length]!,
          familyName: `${FAMILY[(i * 7) % FAMILY.length]!}${i}`,
          dateOfBirth: new Date(Date.UTC(1950, 0, 1) + ((i * 7919) % 20_000) * 86_400_000).toISOString().slice(0, 10),
          nhsNumber: String(4_000_000_000 + i * 13),
          sex: SEXES[i % SEXES.length]!,
          ethnicity: ETHNICITIES[i % ETHNICITIES.length]!,
        },
    referrer: {
      agencyType: AGENCIES[i % AGENCIES.length]!,
      organisationId: 'bench-org',
      referrerReference: `BENCH-${i}`,
    },
    legalStatus: { status: LEGAL[i % LEGAL.length]! },
    ...(outcome ? { outcome } : {}),
    milestones,
    escalations: i % 17 === 0 ? ['no-bed'] : [],
    breaches: i % 41 === 0 ? ['s136'] : [],
    narrative: 'Free text a fact must never carry.',
  };
  return record;
}

/** A synthetic referral's state as the change record the analytics consumer reads (Keys, NewImage). */
export const stateChange = (eventName: 'INSERT' | 'MODIFY', r: { id: string } & Record<string, unknown>) => ({
  eventName,
  dynamodb: {
    Keys: marshall({ [PK]: `REFERRAL#${r.id}`, [SK]: 'STATE' }),
    NewImage: marshall(r, { removeUndefinedValues: true }),
  },
});

/** (b) Records/s through de-identification on one core: new facts, changes, and behind Kinesis decoding. */
export function measureDeidentification(DEID: number, yearStart: number, LSSAS: readonly string[], progress: Progress) {
  progress(`(b) de-identification over ${DEID} synthetic records`);
  const key = Buffer.alloc(32, 9);
  const records = Array.from({ length: DEID }, (_, i) =>
    syntheticReferral(i, yearStart + (i * 86_400_000 * 365) / DEID + (i % 1440) * 60_000, LSSAS[i % 2]!),
  );
  const kinesisData = records.map((r) => Buffer.from(JSON.stringify(stateChange('MODIFY', r))).toString('base64'));
  const deid = (r: ReferralLike) => {
    const fact = demandFactOf(r, { pseudonymisation: key });
    return rollupDelta(undefined, fact);
  };
  let sink = 0;
  for (let i = 0; i < Math.min(5_000, DEID); i++) sink += Object.keys(deid(records[i]!)).length; // warm-up
  let t = performance.now();
  for (const r of records) sink += Object.keys(deid(r)).length;
  const pureSeconds = (performance.now() - t) / 1000;
  // A change of an existing fact (the common case on the stream): previous → next.
  const previous = records
    .slice(0, DEID)
    .map((r) => demandFactOf({ ...r, changeSeq: Number(r.changeSeq) - 1 } as ReferralLike, { pseudonymisation: key }));
  t = performance.now();
  for (let i = 0; i < records.length; i++) {
    const fact = demandFactOf(records[i]!, { pseudonymisation: key }, undefined, previous[i]);
    sink += Object.keys(rollupDelta(previous[i], fact)).length;
  }
  const changeSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  for (const data of kinesisData) {
    const change = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as {
      dynamodb: { NewImage: Parameters<typeof unmarshall>[0] };
    };
    sink += Object.keys(deid(unmarshall(change.dynamodb.NewImage) as ReferralLike)).length;
  }
  const decodedSeconds = (performance.now() - t) / 1000;
  if (sink < 0) progress('unreachable');
  const deidRate = DEID / pureSeconds;
  progress(
    `(b) ${deidRate.toFixed(0)} records/s pure, ${(DEID / changeSeconds).toFixed(0)}/s as ` +
      `changes, ${(DEID / decodedSeconds).toFixed(0)}/s with Kinesis decoding`,
  );
  return { pureSeconds, changeSeconds, decodedSeconds };
}
