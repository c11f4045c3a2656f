/**
 * `npm run rebuild-analytics [-- --fresh]`: re-derives the analytics data (facts, roll-ups,
 * capacity counters, and the fact export when EXPORT_BUCKET or EXPORT_DIR is set) from the `hub`
 * table. The change stream keeps 24 hours (Kinesis) at most, so this is how analytics recovers
 * from anything older: a lost or recreated `analytics` table, a consumer fault past the record
 * age, a new roll-up.
 *
 * Every item goes through the consumer's own code path (`handleChange` of
 * functions/stream/analytics.ts) as a synthetic MODIFY change, so the rebuild cannot drift from
 * the stream. An operator command: it Scans `hub` (never done on a request path), processes
 * everything once, sequentially, prints counts and exits.
 *
 * Why re-running is safe:
 * - Referral facts and their roll-up counters are written in ONE transaction conditional on the
 *   stored fact's changeSeq. A STATE item whose changeSeq is already stored changes nothing; a
 *   newer one moves the fact and nets the counters from the old fact to the new. So a rebuild
 *   over a populated table only fills what the stream missed, and counters never count twice.
 * - Capacity counters are guarded by a marker per (unit, asOf) that the consumer keeps 8 days.
 *   Without --fresh, only snapshots received in the last 7 days are replayed (their markers, if
 *   counted, still exist); older ones are skipped and counted as such. With --fresh (the
 *   analytics table must be empty: the command refuses otherwise) every snapshot of every unit
 *   is replayed in order, rebuilding the capacity counters as the stream built them.
 *
 * Limits: a fresh rebuild takes each fact's legal status from the referral's current record,
 * where the stream kept the status first seen (a `legal-status-changed` event replaces it on the
 * record). Facts exist only for referrals whose STATE item still exists.
 */
import { pathToFileURL } from 'node:url';
import { DynamoDBClient, QueryCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { handleChange } from '../functions/stream/analytics.js';
import { PK, SK, TABLE_ENV } from '../shared/data/tables.js';
import { pagesOf, startingAt } from '../shared/data/pages.js';
import { config, ConfigError, SECRET_ENV, secretKey } from '../shared/config.js';
import { getFact } from '../shared/data/analytics-repository.js';
import { demandFactOf, type ReferralLike } from '../shared/deidentify/facts.js';
import { unpackState } from '../shared/data/referral-item-codec.js';

type Image = Record<string, AttributeValue>;
type Change = Parameters<typeof handleChange>[0];

/** The consumer keeps a capacity marker 8 days after counting; a day's margin. */
export const CAPACITY_REPLAY_WINDOW_MS = 7 * 86_400_000;

export interface RebuildOptions {
  /** Replay every bed-unit snapshot; refused unless the analytics table is empty. */
  readonly fresh?: boolean;
  /** For the capacity replay window. @default new Date() */
  readonly now?: Date;
  /** Progress and failure lines. @default console.log */
  readonly log?: (line: string) => void;
}

export interface RebuildCounts {
  referrals: { scanned: number; created: number; advanced: number; unchanged: number; failed: number };
  bedUnits: { scanned: number; snapshotsReplayed: number; snapshotsOutsideWindow: number; failed: number };
}

export class AnalyticsNotEmpty extends Error {
  override name = 'AnalyticsNotEmpty';
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : typeof error);

export async function rebuildAnalytics(options: RebuildOptions = {}): Promise<RebuildCounts> {
  const log = options.log ?? ((line: string) => console.log(line));
  const now = options.now ?? new Date();
  const { dynamoEndpoint, region, tables } = config();
  const client = new DynamoDBClient({
    region,
    ...(dynamoEndpoint
      ? { endpoint: dynamoEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  const counts: RebuildCounts = {
    referrals: { scanned: 0, created: 0, advanced: 0, unchanged: 0, failed: 0 },
    bedUnits: { scanned: 0, snapshotsReplayed: 0, snapshotsOutsideWindow: 0, failed: 0 },
  };
  try {
    if (options.fresh) {
      const probe = await client.send(
        new ScanCommand({
          TableName: tables.analytics,
          Limit: 1,
          ProjectionExpression: '#pk',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
      if (probe.Items?.length) {
        throw new AnalyticsNotEmpty(
          `--fresh needs an empty analytics table; ${tables.analytics} has items. Run without --fresh to ` +
            `fill gaps safely.`,
        );
      }
    }
    // The consumer's key: facts built with any other would duplicate every fact under new keys.
    const key = await secretKey('pseudonymisationKey');

    const change = (Keys: Image, NewImage: Image, OldImage?: Image): Change => ({
      eventName: 'MODIFY',
      dynamodb: { Keys, NewImage, ...(OldImage ? { OldImage } : {}) },
    });

    const onReferral = async (item: Image) => {
      counts.referrals.scanned++;
      try {
        const draft = demandFactOf(unpackState(unmarshall(item)) as unknown as ReferralLike, { pseudonymisation: key });
        const before = await getFact(draft.dims.lssa, draft.receivedDay, draft.factKey);
        await handleChange(change({ [PK]: item[PK]!, [SK]: item[SK]! }, item));
        if (!before) counts.referrals.created++;
        else if (before.changeSeq < draft.changeSeq) counts.referrals.advanced++;
        else counts.referrals.unchanged++;
      } catch (error) {
        counts.referrals.failed++;
        log(`failed ${item[PK]?.S ?? '?'}: ${errorName(error)}`);
      }
    };

    const onBedUnit = async (state: Image) => {
      counts.bedUnits.scanned++;
      const keys = { [PK]: state[PK]!, [SK]: state[SK]! };
      const windowStart = new Date(now.getTime() - CAPACITY_REPLAY_WINDOW_MS).toISOString();
      const replay = (receivedAt: string | undefined) =>
        options.fresh === true || (receivedAt !== undefined && receivedAt >= windowStart);
      // The STATE item as it was after each snapshot: the snapshot's figures over the unit.
      const asImage = (snapshot: Image): Image => {
        const { [PK]: _p, [SK]: _s, receivedAt: _r, ...figures } = snapshot;
        return { ...state, ...figures };
      };
      try {
        let previous: Image | undefined;
        const seen = new Set<string>();
        // Snapshots sort by asOf (SNAPSHOT#<asOf>#<ulid>), the order the stream saw them in.
        const snapshotPages = pagesOf((startKey) =>
          client.send(
            new QueryCommand({
              TableName: tables.hub,
              KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :snapshot)',
              ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
              ExpressionAttributeValues: { ':pk': state[PK]!, ':snapshot': { S: 'SNAPSHOT#' } },
              ConsistentRead: true,
              ...startingAt(startKey),
            }),
          ),
        );
        for await (const page of snapshotPages) {
          for (const snapshot of page.Items ?? []) {
            const image = asImage(snapshot);
            if (snapshot.asOf?.S) seen.add(snapshot.asOf.S);
            if (replay(snapshot.receivedAt?.S)) {
              await handleChange(change(keys, image, previous));
              counts.bedUnits.snapshotsReplayed++;
            } else {
              counts.bedUnits.snapshotsOutsideWindow++;
            }
            previous = image;
          }
        }
        // Figures written without a snapshot (e.g. loaded directly): the STATE itself, last.
        const asOf = state.asOf?.S;
        if (asOf && !seen.has(asOf)) {
          if (replay(state.updatedAt?.S)) {
            await handleChange(change(keys, state, previous));
            counts.bedUnits.snapshotsReplayed++;
          } else {
            counts.bedUnits.snapshotsOutsideWindow++;
          }
        }
      } catch (error) {
        counts.bedUnits.failed++;
        log(`failed ${state[PK]?.S ?? '?'}: ${errorName(error)}`);
      }
    };

    let pages = 0;
    const statePages = pagesOf((startKey) =>
      client.send(
        new ScanCommand({
          TableName: tables.hub,
          FilterExpression: '(begins_with(#pk, :referral) OR begins_with(#pk, :unit)) AND #sk = :state',
          ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
          ExpressionAttributeValues: {
            ':referral': { S: 'REFERRAL#' },
            ':unit': { S: 'BEDUNIT#' },
            ':state': { S: 'STATE' },
          },
          ConsistentRead: true,
          ...startingAt(startKey),
        }),
      ),
    );
    for await (const page of statePages) {
      for (const item of page.Items ?? []) {
        if (item[PK]?.S?.startsWith('REFERRAL#')) await onReferral(item);
        else await onBedUnit(item);
      }
      if (++pages % 10 === 0)
        log(`... ${counts.referrals.scanned} referrals, ${counts.bedUnits.scanned} bed units so far`);
    }
    return counts;
  } finally {
    client.destroy();
  }
}

const USAGE = `Usage: npm run rebuild-analytics [-- --fresh]

Re-derives analytics facts, roll-ups and capacity counters from the hub table through the
analytics consumer's own code. Safe to re-run (changeSeq and snapshot guards).

  --fresh   replay every bed-unit snapshot, not only the last 7 days'; refused unless the
            analytics table is empty

Environment:
  HUB_TABLE, ANALYTICS_TABLE   physical table names (required)
  DYNAMODB_ENDPOINT            DynamoDB Local's endpoint; unset in AWS (default credentials,
                               AWS_REGION, default eu-west-2)
  PSEUDONYMISATION_KEY         the consumer's key, base64 (locally: .local/pseudonymisation.key)
  or PSEUDONYMISATION_KEY_SECRET_ARN   the secret in AWS (the stack's PseudonymisationKey)
  EXPORT_BUCKET or EXPORT_DIR  optional: also export new fact versions, as the consumer does`;

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = argv.filter((arg) => arg !== '--fresh');
  const missing = [TABLE_ENV.hub, TABLE_ENV.analytics].filter((name) => !process.env[name]);
  const keyName = SECRET_ENV.pseudonymisationKey;
  if (!process.env[keyName] && !process.env[`${keyName}_SECRET_ARN`])
    missing.push(`${keyName} or ${keyName}_SECRET_ARN`);
  if (unknown.length || missing.length) {
    if (unknown.length) console.error(`Unknown argument: ${unknown.join(' ')}`);
    if (missing.length) console.error(`Missing environment: ${missing.join(', ')}`);
    console.error(`\n${USAGE}`);
    return 2;
  }
  // The configuration requires every table name; the rebuild never touches the audit table.
  process.env[TABLE_ENV.audit] ??= 'not-used-by-rebuild-analytics';

  const fresh = argv.includes('--fresh');
  console.log(
    `Rebuilding ${process.env[TABLE_ENV.analytics]} from ${process.env[TABLE_ENV.hub]}${fresh ? ' (fresh)' : ''}`,
  );
  try {
    const counts = await rebuildAnalytics({ fresh });
    const r = counts.referrals;
    const b = counts.bedUnits;
    console.log(
      `Referrals: ${r.scanned} scanned, ${r.created} facts created, ${r.advanced} advanced, ${r.unchanged} ` +
        `unchanged, ${r.failed} failed`,
    );
    console.log(
      `Bed units: ${b.scanned} scanned, ${b.snapshotsReplayed} snapshots ` +
        `replayed, ${b.snapshotsOutsideWindow} outside the replay window, ${b.failed} failed`,
    );
    return r.failed + b.failed > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof AnalyticsNotEmpty || error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
