/**
 * What each handler may touch in the data: the ONE declaration the functions' IAM policies are
 * built from (infra/access-policy.ts). Keyed by the ids of the route table, the schedule list
 * and the consumer list, so a new route, schedule or consumer does not compile until it says
 * what it reads and writes; nothing grants table or key access any other way.
 *
 * How to read an entry (found by reading the handler and the repositories it calls):
 * - `read` / `write`: DynamoDB item actions on the table itself. A transaction
 *   (TransactWriteItems) is authorised item by item, so a handler that commits Puts and Updates
 *   in one transaction declares `PutItem` and `UpdateItem`.
 * - `indexes`: the global secondary indexes it queries (Query on those index ARNs only).
 * - `partitions`: when set, only items whose partition key matches one of these patterns
 *   (`dynamodb:LeadingKeys`), for handlers that live in one corner of a table.
 * - `webhookSecrets`: `seal` (kms:Encrypt) where a subscription is created, `open`
 *   (kms:Decrypt) where a webhook is signed; both only under the secrets' encryption context.
 *
 * Every authenticated route also reads the registry to resolve its caller (CALLER_REGISTRY);
 * that is added by the policy builder, not repeated here. The audit table is append-only:
 * `PutItem` is the only write any entry may declare on it.
 */
import type { AUDIT_INDEXES, HUB_INDEXES, SAFETY_INDEXES } from '../shared/data/tables.js';
import type { AccessScope, Permission } from '../shared/data/access-guard.js';
import { REGISTRY_PARTITION_PATTERNS } from '../shared/data/registry-repository.js';
import type { ConsumerId } from './consumers.js';
import type { RouteId } from './routes.js';
import type { ScheduleId } from './schedules.js';

// The scan action is deliberately absent: no request path may scan a table (ARCHITECTURE "Data model notes"), and
// leaving it out of the vocabulary turns an accidental table scan into an AccessDenied in the first
// deploy rather than a cost surprise later.
export const READ_ACTIONS = ['GetItem', 'BatchGetItem', 'Query', 'ConditionCheckItem'] as const;
export const WRITE_ACTIONS = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'] as const;
export type ReadAction = (typeof READ_ACTIONS)[number];
export type WriteAction = (typeof WRITE_ACTIONS)[number];

export type HubIndex = (typeof HUB_INDEXES)[keyof typeof HUB_INDEXES]['indexName'];
export type AuditIndex = (typeof AUDIT_INDEXES)[keyof typeof AUDIT_INDEXES]['indexName'];
export type SafetyIndex = (typeof SAFETY_INDEXES)[keyof typeof SAFETY_INDEXES]['indexName'];

export interface TableUse<Index extends string = never> {
  readonly read?: readonly ReadAction[];
  readonly write?: readonly WriteAction[];
  readonly indexes?: readonly Index[];
  /** `dynamodb:LeadingKeys` patterns (StringLike: `*` matches any run of characters). */
  readonly partitions?: readonly string[];
}

export interface DataAccess {
  readonly hub?: TableUse<HubIndex>;
  readonly analytics?: TableUse;
  readonly audit?: TableUse<AuditIndex>;
  /** Duty sessions, whereabouts and alerts (DOMAIN §9): only the safety routes, sweep and alert forwarding. */
  readonly safety?: TableUse<SafetyIndex>;
  readonly webhookSecrets?: 'seal' | 'open';
}

/** Caller resolution (shared/identity/caller.ts): item reads of the registry partitions only. */
export const CALLER_REGISTRY: TableUse = { read: ['GetItem', 'BatchGetItem'], partitions: REGISTRY_PARTITION_PATTERNS };

/** A read that discloses identifiable data appends its audit record (shared/http/middleware/audit-reads.ts). */
const APPEND_AUDIT: TableUse<AuditIndex> = { write: ['PutItem'] };

/**
 * A write route's one transaction (shared/http/commit.ts): its items, the idempotency record
 * and the audit record. The idempotency record is a Put in `hub` (read back with GetItem on a
 * replay or a race), so every write route declares `PutItem` and `GetItem` on `hub` even when
 * its own items are Updates.
 */
const COMMIT = { audit: APPEND_AUDIT } as const;

export const ROUTE_ACCESS: { readonly [I in RouteId]: DataAccess } = {
  // Only the SYSTEM partition (heartbeat and poller status), with one Query: nothing else of `hub`.
  getHealth: { hub: { read: ['Query'], partitions: ['SYSTEM'] } },
  // Built from the route table at start-up: no data at all.
  getOpenApi: {},
  getDocs: {},
  // The problem catalogue, built in: no data.
  getProblem: {},
  // The organisation and person records: registry partitions, which CALLER_REGISTRY covers.
  getMe: {},

  // Settings (registry), duplicates by person key, the state, event and person-marker Puts.
  createReferral: { hub: { read: ['GetItem', 'BatchGetItem'], write: ['PutItem'], indexes: ['person'] }, ...COMMIT },
  // By reference, the board, the referrer's feed; each referral disclosed is audited.
  listReferrals: {
    hub: { read: ['GetItem', 'BatchGetItem'], indexes: ['reference', 'board', 'feed'] },
    audit: APPEND_AUDIT,
  },
  getReferral: { hub: { read: ['GetItem'] }, audit: APPEND_AUDIT },
  // The referral, the service's organisation (its name) and the outcome's AMHP (their name); audited as a read.
  getReferralLetter: { hub: { read: ['GetItem'] }, audit: APPEND_AUDIT },
  // The referral and the AMHP named by an allocation; new state and event (and a bed request) as Puts.
  postReferralEvent: { hub: { read: ['GetItem'], write: ['PutItem'] }, ...COMMIT },
  listReferralEvents: { hub: { read: ['GetItem', 'Query'] }, audit: APPEND_AUDIT },

  putBedUnit: { hub: { read: ['GetItem'], write: ['PutItem'] }, ...COMMIT },
  // The figures move forward with a conditional Update; the snapshot itself is a Put.
  putBedAvailability: { hub: { read: ['GetItem'], write: ['PutItem', 'UpdateItem'] }, ...COMMIT },
  getBedUnitHistory: { hub: { read: ['GetItem', 'Query'] } },
  listBedAvailability: { hub: { indexes: ['capacity'] } },
  putPlaceOfSafety: { hub: { read: ['GetItem'], write: ['PutItem'] }, ...COMMIT },
  putPlaceOfSafetyStatus: { hub: { read: ['GetItem'], write: ['PutItem', 'UpdateItem'] }, ...COMMIT },
  listPlacesOfSafety: { hub: { indexes: ['capacity'] } },
  listBedRequests: { hub: { indexes: ['capacity'] } },
  // The request and its referral; the answered request and the referral's change as Puts.
  respondBedRequest: { hub: { read: ['GetItem'], write: ['PutItem'] }, ...COMMIT },

  // Analysts' routes read de-identified data and the registry (their caller), never referrals.
  // They write no audit record today (functions/extracts/); one that starts to adds `audit: APPEND_AUDIT`.
  getDemandExtract: { analytics: { read: ['Query'] } },
  getTimingsExtract: { analytics: { read: ['Query'] } },
  getCapacityExtract: { analytics: { read: ['Query'] } },
  getRecordsExtract: { analytics: { read: ['Query'] } },
  getDataQualityExtract: { analytics: { read: ['Query'] } },

  listAmhps: { hub: { indexes: ['capacity'] } },
  getAmhp: { hub: { read: ['GetItem'] }, audit: APPEND_AUDIT },
  putAmhp: { hub: { read: ['GetItem'], write: ['PutItem'] }, ...COMMIT },

  // The three ways an auditor asks, and the auditor's own query audited.
  // The referrals the trail names, read to keep an auditor to its own organisation's (DOMAIN §1).
  listAudit: {
    hub: { read: ['BatchGetItem'] },
    // By resource is the table's own key (a Query on the table); by organisation and by day, its two GSIs.
    audit: { read: ['Query'], write: ['PutItem'], indexes: ['byOrganisation', 'byDay'] },
  },

  createSubscription: { hub: { read: ['GetItem'], write: ['PutItem'] }, ...COMMIT, webhookSecrets: 'seal' },
  getSubscription: { hub: { read: ['GetItem'] }, audit: APPEND_AUDIT },
  // A tombstone: status and secret removed with a conditional Update (PutItem: the idempotency record).
  deleteSubscription: { hub: { read: ['GetItem'], write: ['PutItem', 'UpdateItem'] }, ...COMMIT },
  listSubscriptionDeliveries: { hub: { read: ['GetItem', 'Query'] }, audit: APPEND_AUDIT },
  // Through the service's delivery pointers to the deliveries.
  listDeliveries: { hub: { read: ['Query', 'BatchGetItem'] }, audit: APPEND_AUDIT },
  // Pending again (Update of the delivery and its pointer); the sweep makes the attempt, so no secret is opened here.
  replayDelivery: { hub: { read: ['GetItem'], write: ['PutItem', 'UpdateItem'] }, ...COMMIT },

  // The FHIR R4 facade (#19): the same data as the JSON routes it mirrors.
  // Built from the route table and constants: no data at all.
  getFhirMetadata: {},
  // createReferral's path exactly (shared/referrals/create-referral.ts).
  fhirProcessMessage: {
    hub: { read: ['GetItem', 'BatchGetItem'], write: ['PutItem'], indexes: ['person'] },
    ...COMMIT,
  },
  getFhirTask: { hub: { read: ['GetItem'] }, audit: APPEND_AUDIT },
  getFhirServiceRequest: { hub: { read: ['GetItem'] }, audit: APPEND_AUDIT },
  // The referrer's change feed (listReferrals' feed branch).
  searchFhirTasks: { hub: { read: ['GetItem', 'BatchGetItem'], indexes: ['feed'] }, audit: APPEND_AUDIT },

  // DOMAIN §9. Whereabouts live in `safety` only; nothing of them is written to `hub` (no idempotency record there).
  // The AMHP's current session and check-in pointers, settings; a session or check-in Put (pointer too), or its
  // conditional close (Update, pointer Delete). In `hub`: the AMHP's register entry and the referral checked in at.
  postWhereaboutsEvent: {
    safety: { read: ['GetItem'], write: ['PutItem', 'UpdateItem', 'DeleteItem'] },
    hub: { read: ['GetItem'] },
    audit: APPEND_AUDIT,
  },
  // The service's partition in `safety`; the referrals checked in at (their address, for the lead) in `hub`.
  getWhereabouts: { safety: { read: ['GetItem', 'Query'] }, hub: { read: ['BatchGetItem'] }, audit: APPEND_AUDIT },
  listAlerts: { safety: { read: ['Query'] }, audit: APPEND_AUDIT },
  acknowledgeAlert: { safety: { read: ['GetItem'], write: ['UpdateItem'] }, audit: APPEND_AUDIT },
  // The channel's subscription (sealed secret) in `hub` as feedback's; the old one tombstoned; the settings in
  // `safety`.
  putAlertChannel: {
    hub: { read: ['GetItem'], write: ['PutItem', 'UpdateItem'] },
    safety: { read: ['GetItem'], write: ['PutItem'] },
    audit: APPEND_AUDIT,
    webhookSecrets: 'seal',
  },
  listAlertDeliveries: { safety: { read: ['Query', 'BatchGetItem'] }, audit: APPEND_AUDIT },
  replayAlertDelivery: {
    safety: { read: ['GetItem'], write: ['UpdateItem'] },
    hub: { read: ['GetItem'] },
    audit: APPEND_AUDIT,
  },
  // The register is one list in the area index (DOMAIN §9): registry data, nothing identifiable.
  getS140Register: { hub: { indexes: ['capacity'] } },
};

export const SCHEDULE_ACCESS: { readonly [I in ScheduleId]: DataAccess } = {
  // One conditional Put of the heartbeat item.
  heartbeat: { hub: { write: ['PutItem'], partitions: ['SYSTEM'] } },
  // Open clocks by deadline, the referral, then its change and threshold markers in one transaction.
  clockSweep: { hub: { read: ['GetItem'], write: ['PutItem'], indexes: ['clocks'] } },
  // Due ladder entries (area index), the referral, then its change, ladder entry and step markers as Puts.
  bedLadderSweep: { hub: { read: ['GetItem'], write: ['PutItem'], indexes: ['capacity'] } },
  // Due deliveries, their subscriptions; lease, attempt and pointer Updates; signs with the opened secret.
  feedbackDelivery: {
    hub: { read: ['GetItem', 'BatchGetItem'], write: ['UpdateItem'], indexes: ['due'] },
    webhookSecrets: 'open',
  },
  // Due check-ins, sessions and repeats; each alert with its guard and delivery in one transaction; then the
  // alert channel's due deliveries (lease, attempt, pointer). `hub` only for the channel's subscription (signing).
  safetySweep: {
    safety: { read: ['GetItem', 'BatchGetItem'], write: ['PutItem', 'UpdateItem'], indexes: ['sweep', 'due'] },
    hub: { read: ['GetItem'], partitions: ['ORG#*'] },
    webhookSecrets: 'open',
  },
};

export const CONSUMER_ACCESS: { readonly [I in ConsumerId]: DataAccess } = {
  // Subscriptions of the referrer, new deliveries and their first attempt (signed), failure counts and parked records.
  operational: {
    hub: { read: ['GetItem', 'Query'], write: ['PutItem', 'UpdateItem'] },
    // Alerts of referral events (DOMAIN §9): the service's settings, the event's markers, the alert and its delivery;
    // its first attempt.
    safety: { read: ['GetItem'], write: ['PutItem', 'UpdateItem'] },
    webhookSecrets: 'open',
  },
  // De-identified facts and roll-ups only: `hub` reaches it as the change stream, never as a table.
  // of the table it reads only organisation records: the service's calendar is registry data (DOMAIN §7).
  analytics: {
    analytics: { read: ['GetItem'], write: ['PutItem', 'UpdateItem'] },
    hub: { read: ['GetItem'], partitions: ['ORG#*'] },
  },
  // Stream records only: no table (its one grant, S3 PutObject on the archive prefix, is in infra/constructs/audit.ts).
  auditArchive: {},
};

/**
 * Everything a declaration allows, call by call (the local stack enforces these with
 * shared/data/access-guard.ts; infra/access-policy.ts turns the same declaration into IAM).
 */
export function permissionsOf(access: DataAccess, resolvesCaller: boolean): Permission[] {
  const uses: { table: string; use: TableUse<string> }[] = (['hub', 'analytics', 'audit', 'safety'] as const).flatMap(
    (table) => (access[table] ? [{ table, use: access[table] as TableUse<string> }] : []),
  );
  if (resolvesCaller) uses.push({ table: 'hub', use: CALLER_REGISTRY });
  return uses.flatMap(({ table, use }) => {
    const limit = use.partitions ? { partitions: use.partitions } : {};
    return [
      ...[...(use.read ?? []), ...(use.write ?? [])].map((action) => ({ table, target: 'table', action, ...limit })),
      ...(use.indexes ?? []).map((index) => ({ table, target: `index/${index}`, action: 'Query', ...limit })),
    ];
  });
}

/**
 * The scope a handler runs in locally: its declaration, or none for a handler the lists do not know (test fixtures).
 */
export function accessScopeOf(
  kind: 'route' | 'schedule' | 'consumer',
  id: string,
  options: { resolvesCaller?: boolean } = {},
): AccessScope | undefined {
  const lists: Record<typeof kind, Record<string, DataAccess>> = {
    route: ROUTE_ACCESS,
    schedule: SCHEDULE_ACCESS,
    consumer: CONSUMER_ACCESS,
  };
  const access = Object.hasOwn(lists[kind], id) ? lists[kind][id] : undefined;
  return access
    ? { name: `${kind} ${id}`, permissions: permissionsOf(access, options.resolvesCaller ?? false) }
    : undefined;
}
