/**
 * Duty sessions, whereabouts (check-ins) and alerts in the `safety` table (DOMAIN §9): a table
 * with no stream and no Kinesis destination, so where an AMHP is never reaches a consumer, the
 * analytics feed or an extract.
 *
 * - `SERVICE#<serviceId>` / `SESSION#<id>`, `CHECKIN#<id>`, `ALERT#<id>`: one Query of the
 *   service's partition is the lead's "who is where" panel and alert list (ids are ULIDs: time order);
 * - `SERVICE#<serviceId>` / `SETTINGS`: the service's grace and its alert channel subscription;
 * - `AMHP#<amhpId>` / `CURRENT#SESSION`, `CURRENT#CHECKIN`: at most one open of each per AMHP
 *   (created with attribute_not_exists, deleted when it closes);
 * - `MARKER#<referralId>` / `<seq>#<n>`: a referral event's alert raised once (names the alert);
 * - the sparse `sweep` index (`SWEEP`, `<when>#<kind>#…`): what the safety sweep must look at
 *   next (a check-in's overdue time, a session's 12-hour mark, a safety alert's next repeat).
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { PK, SAFETY_INDEXES, SK, TTL_ATTRIBUTE } from './tables.js';
import { ddb, tableName } from './client.js';
import type { WriteItem } from './transact.js';
import { HttpProblem } from '../http/problem.js';
import {
  DEFAULT_GRACE_MINUTES,
  overdueAt,
  overHoursAt,
  SAFETY_RETENTION_MS,
  type Alert,
  type CheckIn,
  type DutySession,
} from '../domain/safety.js';

export const SWEEP_PARTITION = 'SWEEP';
const SWEEP_PK = SAFETY_INDEXES.sweep.partitionKey.name;
const SWEEP_SK = SAFETY_INDEXES.sweep.sortKey.name;

export const safetyKeys = {
  session: (serviceId: string, id: string) => ({ [PK]: `SERVICE#${serviceId}`, [SK]: `SESSION#${id}` }),
  checkIn: (serviceId: string, id: string) => ({ [PK]: `SERVICE#${serviceId}`, [SK]: `CHECKIN#${id}` }),
  alert: (serviceId: string, id: string) => ({ [PK]: `SERVICE#${serviceId}`, [SK]: `ALERT#${id}` }),
  settings: (serviceId: string) => ({ [PK]: `SERVICE#${serviceId}`, [SK]: 'SETTINGS' }),
  current: (amhpId: string, what: 'SESSION' | 'CHECKIN') => ({ [PK]: `AMHP#${amhpId}`, [SK]: `CURRENT#${what}` }),
  marker: (referralId: string, seq: number, n: number) => ({
    [PK]: `MARKER#${referralId}`,
    [SK]: `${String(seq).padStart(8, '0')}#${n}`,
  }),
};

const sweepKeys = (at: string, kind: 'SESSION' | 'CHECKIN' | 'ALERT', serviceId: string, id: string) => ({
  [SWEEP_PK]: SWEEP_PARTITION,
  [SWEEP_SK]: `${at}#${kind}#${serviceId}#${id}`,
});

const strip = <T>(item: Record<string, unknown>): T => {
  const { [PK]: _p, [SK]: _s, [SWEEP_PK]: _wp, [SWEEP_SK]: _ws, [TTL_ATTRIBUTE]: _t, ...rest } = item;
  return rest as T;
};
const expiry = (now: Date) => Math.ceil((now.getTime() + SAFETY_RETENTION_MS) / 1000);
const T = () => tableName('safety');
const notExists = { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } };

async function get<V>(key: Record<string, string>): Promise<V | undefined> {
  const out = await ddb().send(new GetCommand({ TableName: T(), Key: key, ConsistentRead: true }));
  return out.Item ? strip<V>(out.Item) : undefined;
}

// Settings: the service's grace and alert channel.
export interface SafetySettings {
  serviceId: string;
  graceMinutes: number;
  /** The alert channel: a webhook subscription (in `hub`, like feedback's) of the service. */
  alertSubscriptionId?: string;
  updatedAt: string;
}

export async function getSafetySettings(serviceId: string): Promise<SafetySettings> {
  return (
    (await get<SafetySettings>(safetyKeys.settings(serviceId))) ?? {
      serviceId,
      graceMinutes: DEFAULT_GRACE_MINUTES,
      updatedAt: '',
    }
  );
}

export const settingsPut = (s: SafetySettings): WriteItem => ({
  item: { Put: { TableName: T(), Item: { ...safetyKeys.settings(s.serviceId), ...s } } },
});

// Duty sessions.
export const getSession = (serviceId: string, id: string) => get<DutySession>(safetyKeys.session(serviceId, id));
export const currentOf = (amhpId: string, what: 'SESSION' | 'CHECKIN') =>
  get<{ id: string; serviceId: string }>(safetyKeys.current(amhpId, what));

const alreadyOpen = (what: string) => () =>
  new HttpProblem('conflict', `You already have an open ${what}: end it first.`);

export const sessionStartItems = (s: DutySession): WriteItem[] => [
  {
    item: {
      Put: {
        TableName: T(),
        Item: { ...safetyKeys.current(s.amhpId, 'SESSION'), id: s.sessionId, serviceId: s.serviceId },
        ...notExists,
      },
    },
    onConditionFailed: alreadyOpen('duty session'),
  },
  {
    item: {
      Put: {
        TableName: T(),
        Item: {
          ...safetyKeys.session(s.serviceId, s.sessionId),
          ...s,
          ...sweepKeys(overHoursAt(s), 'SESSION', s.serviceId, s.sessionId),
        },
        ...notExists,
      },
    },
  },
];

const changed = (what: string) => () => new HttpProblem('conflict', `This ${what} changed meanwhile: read it again.`);

export const sessionEndItems = (s: DutySession, now: Date): WriteItem[] => [
  {
    item: {
      Delete: {
        TableName: T(),
        Key: safetyKeys.current(s.amhpId, 'SESSION'),
        ConditionExpression: 'id = :id',
        ExpressionAttributeValues: { ':id': s.sessionId },
      },
    },
    onConditionFailed: changed('duty session'),
  },
  {
    item: {
      Update: {
        TableName: T(),
        Key: safetyKeys.session(s.serviceId, s.sessionId),
        UpdateExpression: 'SET #st = :off, endedAt = :at, #ttl = :ttl REMOVE #wp, #ws',
        ConditionExpression: '#st = :on',
        ExpressionAttributeNames: { '#st': 'status', '#ttl': TTL_ATTRIBUTE, '#wp': SWEEP_PK, '#ws': SWEEP_SK },
        ExpressionAttributeValues: {
          ':off': 'off-shift',
          ':on': 'on-shift',
          ':at': now.toISOString(),
          ':ttl': expiry(now),
        },
      },
    },
    onConditionFailed: changed('duty session'),
  },
];

/** Marks the session's over-hours alert raised, once (the exactly-once guard of that alert). */
export const sessionOverHoursItem = (s: DutySession, alertId: string, onFailed: () => Error): WriteItem => ({
  item: {
    Update: {
      TableName: T(),
      Key: safetyKeys.session(s.serviceId, s.sessionId),
      UpdateExpression: 'SET overHoursAlertId = :a REMOVE #wp, #ws',
      ConditionExpression: '#st = :on AND attribute_not_exists(overHoursAlertId)',
      ExpressionAttributeNames: { '#st': 'status', '#wp': SWEEP_PK, '#ws': SWEEP_SK },
      ExpressionAttributeValues: { ':a': alertId, ':on': 'on-shift' },
    },
  },
  onConditionFailed: onFailed,
});

// Check-ins (whereabouts).
export const getCheckIn = (serviceId: string, id: string) => get<CheckIn>(safetyKeys.checkIn(serviceId, id));

export const checkInItems = (c: CheckIn): WriteItem[] => [
  {
    item: {
      Put: {
        TableName: T(),
        Item: { ...safetyKeys.current(c.amhpId, 'CHECKIN'), id: c.checkInId, serviceId: c.serviceId },
        ...notExists,
      },
    },
    onConditionFailed: alreadyOpen('check-in'),
  },
  {
    item: {
      Put: {
        TableName: T(),
        Item: {
          ...safetyKeys.checkIn(c.serviceId, c.checkInId),
          ...c,
          ...sweepKeys(overdueAt(c), 'CHECKIN', c.serviceId, c.checkInId),
        },
        ...notExists,
      },
    },
  },
];

export const checkOutItems = (c: CheckIn, safe: boolean, now: Date): WriteItem[] => [
  {
    item: {
      Delete: {
        TableName: T(),
        Key: safetyKeys.current(c.amhpId, 'CHECKIN'),
        ConditionExpression: 'id = :id',
        ExpressionAttributeValues: { ':id': c.checkInId },
      },
    },
    onConditionFailed: changed('check-in'),
  },
  {
    item: {
      Update: {
        TableName: T(),
        Key: safetyKeys.checkIn(c.serviceId, c.checkInId),
        UpdateExpression: 'SET #st = :out, checkedOutAt = :at, safe = :safe, #ttl = :ttl REMOVE #wp, #ws',
        ConditionExpression: '#st = :in',
        ExpressionAttributeNames: { '#st': 'status', '#ttl': TTL_ATTRIBUTE, '#wp': SWEEP_PK, '#ws': SWEEP_SK },
        ExpressionAttributeValues: {
          ':out': 'checked-out',
          ':in': 'checked-in',
          ':at': now.toISOString(),
          ':safe': safe,
          ':ttl': expiry(now),
        },
      },
    },
    onConditionFailed: changed('check-in'),
  },
];

/** Marks the check-in's overdue alert raised, once; only while the AMHP is still checked in. */
export const checkInOverdueItem = (c: CheckIn, alertId: string, onFailed: () => Error): WriteItem => ({
  item: {
    Update: {
      TableName: T(),
      Key: safetyKeys.checkIn(c.serviceId, c.checkInId),
      UpdateExpression: 'SET overdueAlertId = :a REMOVE #wp, #ws',
      ConditionExpression: '#st = :in AND attribute_not_exists(overdueAlertId)',
      ExpressionAttributeNames: { '#st': 'status', '#wp': SWEEP_PK, '#ws': SWEEP_SK },
      ExpressionAttributeValues: { ':a': alertId, ':in': 'checked-in' },
    },
  },
  onConditionFailed: onFailed,
});

// Alerts.
export const getAlert = (serviceId: string, id: string) => get<Alert>(safetyKeys.alert(serviceId, id));

export class AlertRaced extends Error {
  override name = 'AlertRaced';
}

/** A new alert; a safety alert sits in the sweep index at its next repeat. */
export const alertPut = (a: Alert): WriteItem => ({
  item: {
    Put: {
      TableName: T(),
      Item: {
        ...safetyKeys.alert(a.serviceId, a.alertId),
        ...a,
        ...(a.nextRepeatAt ? sweepKeys(a.nextRepeatAt, 'ALERT', a.serviceId, a.alertId) : {}),
      },
      ...notExists,
    },
  },
  onConditionFailed: () => new AlertRaced(),
});

/** The marker that a referral event's nth alert was raised (naming it): a redelivered record raises nothing new. */
export const markerPut = (
  referralId: string,
  seq: number,
  n: number,
  alertId: string,
  serviceId: string,
): WriteItem => ({
  item: {
    Put: { TableName: T(), Item: { ...safetyKeys.marker(referralId, seq, n), alertId, serviceId }, ...notExists },
  },
  onConditionFailed: () => new AlertRaced(),
});
export const getMarker = (referralId: string, seq: number, n: number) =>
  get<{ alertId: string; serviceId: string }>(safetyKeys.marker(referralId, seq, n));

/** The next repeat of an unacknowledged safety alert, only if nobody sent it or acknowledged meanwhile. */
export const alertRepeatItem = (a: Alert, nextRepeatAt: string): WriteItem => ({
  item: {
    Update: {
      TableName: T(),
      Key: safetyKeys.alert(a.serviceId, a.alertId),
      UpdateExpression: 'SET sent = :next, nextRepeatAt = :at, #ws = :ws',
      ConditionExpression: 'sent = :sent AND attribute_not_exists(acknowledgedAt)',
      ExpressionAttributeNames: { '#ws': SWEEP_SK },
      ExpressionAttributeValues: {
        ':next': a.sent + 1,
        ':sent': a.sent,
        ':at': nextRepeatAt,
        ':ws': sweepKeys(nextRepeatAt, 'ALERT', a.serviceId, a.alertId)[SWEEP_SK],
      },
    },
  },
  onConditionFailed: () => new AlertRaced(),
});

/** `alert-acknowledged`: who and when, once; it leaves the sweep, so no repeat follows. */
export const alertAcknowledgeItem = (
  a: Alert,
  by: { actorId?: string | undefined; amhpId?: string | undefined },
  now: Date,
): WriteItem => ({
  item: {
    Update: {
      TableName: T(),
      Key: safetyKeys.alert(a.serviceId, a.alertId),
      UpdateExpression: [
        'SET acknowledgedAt = :at, #ttl = :ttl',
        ...(by.actorId ? [', acknowledgedByActorId = :actor'] : []),
        ...(by.amhpId ? [', acknowledgedByAmhpId = :amhp'] : []),
        ' REMOVE nextRepeatAt, #wp, #ws',
      ].join(''),
      ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(acknowledgedAt)',
      ExpressionAttributeNames: { '#pk': PK, '#ttl': TTL_ATTRIBUTE, '#wp': SWEEP_PK, '#ws': SWEEP_SK },
      ExpressionAttributeValues: {
        ':at': now.toISOString(),
        ':ttl': expiry(now),
        ...(by.actorId ? { ':actor': by.actorId } : {}),
        ...(by.amhpId ? { ':amhp': by.amhpId } : {}),
      },
    },
  },
  onConditionFailed: () => new HttpProblem('conflict', 'This alert was acknowledged already.'),
});

// Reads: the service's panel and alerts, and the sweep's due work.
async function queryAll(pk: string, prefix: string, forward = true, max = 500): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await ddb().send(
      new QueryCommand({
        TableName: T(),
        KeyConditionExpression: '#p = :p AND begins_with(#s, :s)',
        ExpressionAttributeNames: { '#p': PK, '#s': SK },
        ExpressionAttributeValues: { ':p': pk, ':s': prefix },
        ScanIndexForward: forward,
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    out.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey && out.length < max);
  return out;
}

/** The service's open sessions and check-ins (closed ones stay until they expire; filtered here). */
export async function openWhereabouts(serviceId: string): Promise<{ sessions: DutySession[]; checkIns: CheckIn[] }> {
  const [sessions, checkIns] = await Promise.all([
    queryAll(`SERVICE#${serviceId}`, 'SESSION#'),
    queryAll(`SERVICE#${serviceId}`, 'CHECKIN#'),
  ]);
  return {
    sessions: sessions.map((i) => strip<DutySession>(i)).filter((s) => s.status === 'on-shift'),
    checkIns: checkIns.map((i) => strip<CheckIn>(i)).filter((c) => c.status === 'checked-in'),
  };
}

/** The service's alerts, newest first (ULID ids), at most `limit`. */
export async function recentAlerts(serviceId: string, limit: number): Promise<Alert[]> {
  return (await queryAll(`SERVICE#${serviceId}`, 'ALERT#', false, limit)).slice(0, limit).map((i) => strip<Alert>(i));
}

export interface SweepEntry {
  kind: 'SESSION' | 'CHECKIN' | 'ALERT';
  serviceId: string;
  id: string;
}

/** What is due by `now` (the sweep index is eventually consistent: callers read each item again). */
export async function dueSweepEntries(now: Date, limit = 500): Promise<SweepEntry[]> {
  const out = await ddb().send(
    new QueryCommand({
      TableName: T(),
      IndexName: SAFETY_INDEXES.sweep.indexName,
      KeyConditionExpression: '#k = :k AND #s <= :to',
      ExpressionAttributeNames: { '#k': SWEEP_PK, '#s': SWEEP_SK },
      ExpressionAttributeValues: { ':k': SWEEP_PARTITION, ':to': `${now.toISOString()}#~` },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).flatMap((item) => {
    const m = /^[^#]+#(SESSION|CHECKIN|ALERT)#([^#]+)#([^#]+)$/.exec(String(item[SWEEP_SK]));
    return m ? [{ kind: m[1] as SweepEntry['kind'], serviceId: m[2]!, id: m[3]! }] : [];
  });
}
