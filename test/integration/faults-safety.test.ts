/**
 * The safety sweep under faults (DOMAIN §9): what it promises when DynamoDB or the receiver fail.
 *
 * a. Persistent throttling of its transactions: the run reports the failure, raises nothing
 *    half-way (no alert without its message, no mark without its alert); the next run raises
 *    each alert exactly once.
 * b. One item's failure does not hold back the others' alerts in the same run.
 * c. Sweeps racing (five at the same minute): one alert and one message per overdue check-in.
 * d. The receiver down: the message is retried with backoff (the webhook machinery), delivered
 *    when it comes back; the 10-minute repeats carry on meanwhile as messages of their own.
 *
 * Own tables (set before any module reads its configuration) and a service of its own with its
 * alert channel, written as the routes write them; every time is 30 days ahead, driven through
 * the clock seam, so nothing here is anyone else's to sweep.
 */
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { TABLE_ENV, TABLE_IDS } from '../../shared/data/tables.js';
import { localDynamoClient } from '../../infra/local/dynamodb.js';
import { ensureTables, tableNames } from '../../infra/local/tables.js';
import { seedRegistry } from '../../infra/local/seed.js';
import { ddb } from '../../shared/data/client.js';
import { transact } from '../../shared/data/transact.js';
import { checkInItems, getCheckIn, recentAlerts, settingsPut } from '../../shared/data/safety-repository.js';
import { listServiceDeliveries } from '../../shared/data/delivery-repository.js';
import { secretContextOf, subscriptionPut } from '../../shared/data/subscription-repository.js';
import { formatSecret } from '../../shared/domain/feedback.js';
import { ALERT_KINDS, type CheckIn } from '../../shared/domain/safety.js';
import { sealSecret } from '../../shared/secrets/webhook-secrets.js';
import { startAlertReceiver, sweepAt, verifies } from '../support/alerts.js';

process.env.FEEDBACK_SECRET_KEY = Buffer.alloc(32, 11).toString('base64');
const names = tableNames(`faults-safety-${randomUUID().slice(0, 8)}-`);
for (const id of TABLE_IDS) process.env[TABLE_ENV[id]] = names[id];

const SERVICE = 'svc-faults-safety';
const DAY = 86_400_000;
const BASE = Date.now() + 30 * DAY;
const at = (minutes: number) => new Date(BASE + minutes * 60_000);
let receiver: Awaited<ReturnType<typeof startAlertReceiver>>;
let answer = 200;
let secret = '';

/** A check-in of its own AMHP, overdue from BASE + 30 minutes (expected finish BASE, grace 30). */
async function checkedIn(): Promise<CheckIn> {
  const c: CheckIn = {
    checkInId: ulid(),
    serviceId: SERVICE,
    amhpId: `amhp-${randomUUID().slice(0, 8)}`,
    referralId: ulid(),
    reference: 'R-FAUL-TSAF',
    status: 'checked-in',
    checkedInAt: new Date(BASE - 60 * 60_000).toISOString(),
    expectedFinishAt: new Date(BASE).toISOString(),
    graceMinutes: 30,
  };
  await transact(checkInItems(c));
  return c;
}

const alertsOf = async (c: CheckIn) => (await recentAlerts(SERVICE, 100)).filter((a) => a.referralId === c.referralId);

const FAULT = 'safetyFault';
function failTransactions(failures: number) {
  const seen = { failed: 0 };
  ddb().middlewareStack.add(
    (next, context) => async (args) => {
      if (/^TransactWrite/.test(context.commandName ?? '') && seen.failed < failures) {
        seen.failed++;
        throw new ProvisionedThroughputExceededException({
          message: 'Injected by the fault test',
          $metadata: { httpStatusCode: 400 },
        });
      }
      return next(args);
    },
    { step: 'deserialize', name: FAULT, priority: 'high' },
  );
  return seen;
}
afterEach(() => {
  ddb().middlewareStack.remove(FAULT);
});

beforeAll(async () => {
  const client = localDynamoClient(inject('dynamoEndpoint'));
  await ensureTables(client, names);
  await seedRegistry(client, names);
  client.destroy();
  receiver = await startAlertReceiver(() => answer);
  // The service's alert channel, as PUT /v1/alert-channel writes it.
  const id = ulid();
  secret = formatSecret(Buffer.alloc(24, 7));
  const base = { id, organisationId: SERVICE };
  await transact([
    subscriptionPut({
      ...base,
      url: receiver.url,
      events: [...ALERT_KINDS],
      status: 'active',
      createdAt: new Date().toISOString(),
      createdByClientId: 'faults',
      secret: await sealSecret(secret, secretContextOf(base)),
    }),
    settingsPut({ serviceId: SERVICE, graceMinutes: 30, alertSubscriptionId: id, updatedAt: new Date().toISOString() }),
  ]);
});

afterAll(async () => {
  await receiver?.close();
});

describe('the safety sweep under faults', () => {
  it('a. persistent throttling: the run reports it and raises nothing half-way; the next raises once', async () => {
    const c = await checkedIn();
    failTransactions(Number.POSITIVE_INFINITY);
    const failed = await sweepAt(at(31));
    ddb().middlewareStack.remove(FAULT);
    expect(failed.failed).toBeGreaterThanOrEqual(1);
    expect(await alertsOf(c)).toEqual([]);
    expect((await getCheckIn(SERVICE, c.checkInId))?.overdueAlertId).toBeUndefined();
    expect(receiver.received.filter((r) => r.message.data.referralId === c.referralId)).toEqual([]);

    await sweepAt(at(32));
    await sweepAt(at(33));
    const alerts = await alertsOf(c);
    expect(alerts).toHaveLength(1);
    expect((await getCheckIn(SERVICE, c.checkInId))?.overdueAlertId).toBe(alerts[0]!.alertId);
    const got = receiver.about(alerts[0]!.alertId);
    expect(got).toHaveLength(1);
    expect(verifies(got[0]!.headers, got[0]!.body, secret)).toBe(true);
  });

  it('b. one item failing does not hold back the others in the same run', async () => {
    const [one, two] = [await checkedIn(), await checkedIn()];
    // Every attempt of the first transaction fails (the SDK's retries included); the rest go through.
    const maxAttempts = await (async () => {
      const v = ddb().config.maxAttempts as number | (() => Promise<number>);
      return typeof v === 'function' ? v() : v;
    })();
    failTransactions(maxAttempts);
    const run = await sweepAt(at(40));
    ddb().middlewareStack.remove(FAULT);
    expect(run.failed).toBe(1);
    const raised = [(await alertsOf(one)).length, (await alertsOf(two)).length].sort();
    expect(raised).toEqual([0, 1]);
    await sweepAt(at(41));
    expect([(await alertsOf(one)).length, (await alertsOf(two)).length]).toEqual([1, 1]);
  });

  it('c. five sweeps racing at the same minute: one alert and one message per check-in', async () => {
    const checkIns = await Promise.all(Array.from({ length: 4 }, () => checkedIn()));
    await Promise.all(Array.from({ length: 5 }, () => sweepAt(at(45))));
    for (const c of checkIns) {
      const alerts = await alertsOf(c);
      expect(alerts).toHaveLength(1);
      expect(receiver.about(alerts[0]!.alertId)).toHaveLength(1);
    }
  });

  it('d. the receiver down: retried with backoff, delivered when it is back; repeats carry on meanwhile', async () => {
    const c = await checkedIn();
    answer = 503;
    await sweepAt(at(50));
    const [alert] = await alertsOf(c);
    expect(alert).toBeDefined();
    // Two more minutes, then the first repeat's minute: attempts fail, the repeat is a new message.
    await sweepAt(at(52));
    await sweepAt(at(61));
    const pending = (await listServiceDeliveries(SERVICE, {}, 100, undefined, 'alerts')).items.filter(
      (d) => d.referralId === alert!.alertId,
    );
    expect(pending.map((d) => d.seq).sort()).toEqual([1, 2]);
    expect(pending.every((d) => d.status === 'pending' && d.attempts >= 1)).toBe(true);
    answer = 200;
    // Past every backoff step so far (at most 2 h): both are delivered, each once.
    await sweepAt(at(61 + 150));
    const delivered = (
      await listServiceDeliveries(SERVICE, { status: 'delivered' }, 100, undefined, 'alerts')
    ).items.filter((d) => d.referralId === alert!.alertId);
    expect(delivered.map((d) => d.seq).sort()).toEqual(expect.arrayContaining([1, 2]));
    const ok = receiver.about(alert!.alertId);
    expect(ok.filter((r) => r.message.data.repeat === 1).length).toBeGreaterThanOrEqual(2);
    expect(ok.every((r) => verifies(r.headers, r.body, secret))).toBe(true);
  });
});
