/**
 * The ONE definition of the Hub's tables and indexes. The CDK data construct and the local
 * stack both build from it, and repositories take key and index names from here, so a key
 * name is never written twice.
 *
 * All GSIs are sparse: an item appears in an index only when it carries that index's key
 * attributes. CloudFormation adds one GSI per table update, so every index the design needs
 * is defined from the start.
 */

export type KeyType = 'S' | 'N';

export interface KeyDef {
  readonly name: string;
  readonly type: KeyType;
}

export type Projection =
  | { readonly type: 'ALL' }
  | { readonly type: 'KEYS_ONLY' }
  | { readonly type: 'INCLUDE'; readonly attributes: readonly string[] };

export interface IndexDef {
  readonly indexName: string;
  readonly partitionKey: KeyDef;
  readonly sortKey?: KeyDef;
  readonly projection: Projection;
}

export interface TableDef {
  /** Logical id, also the local table name (prefixed in tests). */
  readonly id: 'hub' | 'analytics' | 'audit' | 'safety';
  readonly partitionKey: KeyDef;
  readonly sortKey: KeyDef;
  readonly ttlAttribute?: string;
  readonly stream?: 'NEW_AND_OLD_IMAGES' | 'NEW_IMAGE';
  /** AWS only: the table's Kinesis Data Streams destination (the analytics feed). */
  readonly kinesisDestination?: boolean;
  readonly indexes: readonly IndexDef[];
}

const S = (name: string): KeyDef => ({ name, type: 'S' });

/** Base keys every table uses. */
export const PK = 'PK';
export const SK = 'SK';
/** Epoch seconds; DynamoDB's TTL deletes lazily, so conditions also check expiry times. */
export const TTL_ATTRIBUTE = 'ttl';

/** The sparse GSIs of the `hub` table, by purpose. */
export const HUB_INDEXES = {
  /**
   * Open referrals of one AMHP service: `SERVICE#<id>#OPEN`, sorted
   * `<nextExpiry|9999…>#<urgencyRank>#<ulid id>` (ULIDs sort by age).
   */
  board: {
    indexName: 'board',
    partitionKey: S('boardPk'),
    sortKey: S('boardSk'),
    projection: {
      type: 'INCLUDE',
      // Kept small (a 100-row page should read ≤ 32 KB): urgency lives in the sort key, the
      // received time in the ULID id, and clocks as power + effective expiry only.
      attributes: [
        'reference',
        'status',
        'legalStatusCode',
        'responsibleLssa',
        'boardClocks',
        'allocatedAmhpId',
        'openFlags',
        'lastEvent',
        'version',
        'waitingFor',
      ],
    },
  },
  /** A referring organisation's change feed: `ORG#<org>`, sorted by change sequence. */
  feed: { indexName: 'feed', partitionKey: S('feedPk'), sortKey: S('feedSk'), projection: { type: 'KEYS_ONLY' } },
  /** The short human reference (`R-7K3M-9Q2P`) read out on the phone. */
  reference: { indexName: 'reference', partitionKey: S('referenceKey'), projection: { type: 'KEYS_ONLY' } },
  /** Keyed hash of NHS number, or name + date of birth: possible duplicates without a table scan. */
  person: {
    indexName: 'person',
    partitionKey: S('personKey'),
    sortKey: S('personSk'),
    projection: { type: 'KEYS_ONLY' },
  },
  /** Bed units and places of safety by area: `LSSA#<code>#<kind>`. */
  capacity: { indexName: 'capacity', partitionKey: S('areaPk'), sortKey: S('areaSk'), projection: { type: 'ALL' } },
  /** Webhook deliveries due for an attempt: `DUE#<shard>`, sorted by next attempt time. */
  due: { indexName: 'due', partitionKey: S('duePk'), sortKey: S('dueSk'), projection: { type: 'KEYS_ONLY' } },
  /** Open statutory clocks by their next deadline (warning or expiry), for the minute sweep. */
  clocks: { indexName: 'clocks', partitionKey: S('clockPk'), sortKey: S('clockSk'), projection: { type: 'KEYS_ONLY' } },
} as const satisfies Record<string, IndexDef>;

/**
 * The audit table's own keys answer the first way an auditor asks, by resource:
 * `PK=<resourceType>#<resourceId>`, `SK=<at>#<auditId>` (a referral's trail is one partition, in
 * time order). Its sparse GSIs answer the other two: by organisation and by time. The table was
 * keyed `AUDIT#<auditId>` with a third GSI by resource; keying it by resource drops one index
 * entry (1 WCU) from every audited write, and the key attributes are still `PK`/`SK`, so the
 * change is an index removal, not a table replacement.
 */
export const AUDIT_INDEXES = {
  byOrganisation: {
    indexName: 'byOrganisation',
    partitionKey: S('organisationKey'),
    sortKey: S('atKey'),
    projection: { type: 'ALL' },
  },
  byDay: { indexName: 'byDay', partitionKey: S('dayKey'), sortKey: S('atKey'), projection: { type: 'ALL' } },
} as const satisfies Record<string, IndexDef>;

/**
 * The sparse GSIs of the `safety` table (DOMAIN §9): alert deliveries due for an attempt (the
 * same attribute names as `hub`'s `due`, so the delivery code serves both), and what the safety
 * sweep must look at next (an open check-in's overdue time, a session's 12-hour mark, an
 * unacknowledged safety alert's next repeat), sorted by that time.
 */
export const SAFETY_INDEXES = {
  due: { indexName: 'due', partitionKey: S('duePk'), sortKey: S('dueSk'), projection: { type: 'KEYS_ONLY' } },
  sweep: { indexName: 'sweep', partitionKey: S('sweepPk'), sortKey: S('sweepSk'), projection: { type: 'KEYS_ONLY' } },
} as const satisfies Record<string, IndexDef>;

export const TABLES = {
  /** Operational, identifiable data: referrals, events, registry, capacity, subscriptions, deliveries. */
  hub: {
    id: 'hub',
    partitionKey: S(PK),
    sortKey: S(SK),
    ttlAttribute: TTL_ATTRIBUTE,
    stream: 'NEW_AND_OLD_IMAGES',
    kinesisDestination: true,
    indexes: Object.values(HUB_INDEXES),
  },
  /** De-identified facts and roll-ups only; analysts' functions never see `hub`. */
  analytics: {
    id: 'analytics',
    partitionKey: S(PK),
    sortKey: S(SK),
    ttlAttribute: TTL_ATTRIBUTE,
    indexes: [],
  },
  /** Append-only access audit; its stream feeds the write-once S3 copy in AWS. */
  audit: {
    id: 'audit',
    partitionKey: S(PK),
    sortKey: S(SK),
    stream: 'NEW_IMAGE',
    indexes: Object.values(AUDIT_INDEXES),
  },
  /**
   * Duty sessions, whereabouts and alerts (DOMAIN §9). Deliberately NO stream and NO Kinesis
   * destination: where a lone-working AMHP is must never reach the analytics feed or any
   * consumer; only the lead's and the AMHP's own routes and the safety sweep read it.
   */
  safety: {
    id: 'safety',
    partitionKey: S(PK),
    sortKey: S(SK),
    ttlAttribute: TTL_ATTRIBUTE,
    indexes: Object.values(SAFETY_INDEXES),
  },
} as const satisfies Record<string, TableDef>;

export type TableId = keyof typeof TABLES;
export const TABLE_IDS = Object.keys(TABLES) as TableId[];

/** Environment variable that carries each table's physical name into a handler. */
export const TABLE_ENV: Record<TableId, string> = {
  hub: 'HUB_TABLE',
  analytics: 'ANALYTICS_TABLE',
  audit: 'AUDIT_TABLE',
  safety: 'SAFETY_TABLE',
};
