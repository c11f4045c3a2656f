/**
 * The whole Hub on this machine, no AWS account: DynamoDB Local (tables from the one
 * definition, the seed registry), the token issuer, the HTTP adapter routing to the real
 * handlers, the stream poller feeding the registered consumers, and the minute timer.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { ROUTES } from '../../functions/routes.js';
import { SCHEDULES, type ConsumerDef } from '../../functions/schedules.js';
import { localConsumers } from '../../functions/functions.js';
import { TABLE_ENV, TABLE_IDS } from '../../shared/data/tables.js';
import { localDynamoClient, LOCAL_REGION, startDynamoDbLocal, type LocalDynamo } from './dynamodb.js';
import { ensureTables, tableNames } from './tables.js';
import { loadRegistry, seedRegistry } from './seed.js';
import { createLocalIdentity, type LocalIdentity } from './identity.js';
import { createHttpAdapter } from './http-adapter.js';
import { createConsoleSite, localConsoleConfig } from './console-site.js';
import { createStreamPoller, type PollerConsumer, type StreamPoller } from './stream-poller.js';
import { createScheduler, loadSchedules, type Scheduler } from './scheduler.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface LocalStackOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
  /** DynamoDB Local's data directory; `null` keeps data in memory. */
  readonly dataDir: string | null;
  /** Use a DynamoDB Local that is already running instead of starting one. */
  readonly dynamoEndpoint?: string;
  readonly pollIntervalMs?: number;
  readonly scheduleIntervalMs?: number;
  /** Per-client throttling from the route table (default on, as in AWS). */
  readonly throttle?: boolean;
  /** One line per noteworthy event; never item contents. */
  readonly log?: (line: string) => void;
  /** Serve the operator console at `/console/` (built with esbuild at start). @default true */
  readonly console?: boolean;
}

export interface LocalStack {
  readonly url: string;
  readonly dynamoEndpoint: string;
  readonly identity: LocalIdentity;
  readonly poller: StreamPoller;
  readonly scheduler: Scheduler;
  stop(): Promise<void>;
}

async function loadConsumers(defs: readonly ConsumerDef[]): Promise<PollerConsumer[]> {
  return Promise.all(
    defs.map(async (def) => {
      const mod = (await import(pathToFileURL(resolve(ROOT, def.handler)).href)) as {
        handler: PollerConsumer['handler'];
      };
      return {
        id: def.id,
        shape: def.source,
        handler: mod.handler,
        pkPrefixes: def.pkPrefixes,
        batchSize: def.batchSize,
        maxAttempts: def.maxAttempts,
      } as PollerConsumer;
    }),
  );
}

/** A random key kept beside the local data (so matches survive a restart), or per process in memory. */
function localKey(dataDir: string | null, name: string): string {
  if (!dataDir) return randomBytes(32).toString('base64');
  const file = join(dirname(resolve(dataDir)), name);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : typeof error);

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.env.AWS_REGION ??= LOCAL_REGION;

  const dynamo: LocalDynamo | undefined = options.dynamoEndpoint
    ? undefined
    : await startDynamoDbLocal(options.dataDir ? { dataDir: options.dataDir } : {});
  const endpoint = options.dynamoEndpoint ?? dynamo!.endpoint;
  const stops: (() => Promise<void>)[] = [async () => dynamo?.stop()];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e) => log(`stop: ${errorName(e)}`));
  };
  try {
    // Handlers read their configuration from the environment, exactly as in Lambda.
    const names = tableNames();
    process.env.DYNAMODB_ENDPOINT = endpoint;
    for (const id of TABLE_IDS) process.env[TABLE_ENV[id]] = names[id];

    process.env.PERSON_MATCH_KEY ??= localKey(options.dataDir, 'person-match.key');
    process.env.PSEUDONYMISATION_KEY ??= localKey(options.dataDir, 'pseudonymisation.key');
    process.env.CURSOR_KEY ??= localKey(options.dataDir, 'cursor.key');
    // The scale path's layout (facts/received_day=…/…) beside the data, as S3 has it in AWS.
    if (options.dataDir && !process.env.EXPORT_BUCKET)
      process.env.EXPORT_DIR ??= join(dirname(resolve(options.dataDir)), 'exports');

    const client = localDynamoClient(endpoint);
    await ensureTables(client, names);
    await seedRegistry(client, names);
    client.destroy();

    const registry = loadRegistry();
    const identity = await createLocalIdentity({ registry, issuer: 'http://localhost/local-user-pool' });
    const consoleSite =
      options.console === false ? undefined : await createConsoleSite(localConsoleConfig(registry.peopleClientId));
    const adapter = createHttpAdapter({
      ...(consoleSite ? { console: consoleSite } : {}),
      routes: ROUTES,
      identity,
      root: ROOT,
      throttle: options.throttle ?? true,
      onError: (e, route) => log(`handler ${route?.id ?? '?'} failed: ${errorName(e)}`),
    });
    const url = await adapter.listen(options.port, options.host ?? '127.0.0.1');
    stops.push(() => adapter.close());

    // Imported here, after the environment is set: it reads the table name from it.
    const { recordPollerStatus } = await import('../../shared/data/system-repository.js');
    const poller = createStreamPoller({
      endpoint,
      tableName: names.hub,
      parkTableName: names.hub,
      consumers: await loadConsumers(localConsumers()),
      pollIntervalMs: options.pollIntervalMs ?? 250,
      writeStatus: recordPollerStatus,
      onError: (e, ctx) =>
        log(`stream poller (${ctx.kind}${ctx.consumerId ? ` ${ctx.consumerId}` : ''}): ${errorName(e)}`),
    });
    poller.start();
    stops.push(() => poller.stop());

    const scheduler = createScheduler({
      schedules: await loadSchedules(SCHEDULES, ROOT),
      intervalMs: options.scheduleIntervalMs ?? 60_000,
      onError: (e, id) => log(`schedule ${id} failed: ${errorName(e)}`),
    });
    scheduler.start();
    stops.push(() => scheduler.stop());

    return { url, dynamoEndpoint: endpoint, identity, poller, scheduler, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
