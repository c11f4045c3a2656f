/**
 * The start-up every bench repeated, once: the quiet environment set before any logger or SDK
 * client loads, DynamoDB Local in memory with the local HTTP stack in this process (stream poller
 * and timer idle, per-client throttling off: the handlers are measured, not the limiter), a
 * clean stop on exit or on a signal, and the exit code (0 whatever the figures; 1 only when the
 * bench itself breaks).
 */
import type { LocalDynamo } from '../../infra/local/dynamodb.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { cleanUpOnSignals } from '../support/signals.js';

/** Call before importing anything that builds a logger or an SDK client. */
export function quietBenchEnvironment(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
}
quietBenchEnvironment();

export type Progress = (line: string) => void;

/** A progress line on stderr (figures go to stdout). */
export const progressTo =
  (tag: string): Progress =>
  (line) =>
    process.stderr.write(`[${tag}] ${line}\n`);

export interface BenchStack {
  readonly stack: LocalStack;
  readonly url: string;
  /** The handlers' own document client and table names (imported after the stack set the environment). */
  readonly data: typeof import('../../shared/data/client.js');
}

/**
 * Runs `body` against a fresh DynamoDB Local (in memory) and local stack; stops both afterwards,
 * and on SIGINT/SIGTERM (exit 130). `extraCleanup` runs first (servers, pollers the bench added).
 */
export async function withBenchStack<T>(
  progress: Progress,
  body: (bench: BenchStack, onCleanup: (fn: () => Promise<void> | void) => void) => Promise<T>,
): Promise<T> {
  const { startDynamoDbLocal } = await import('../../infra/local/dynamodb.js');
  const { startLocalStack } = await import('../../infra/local/stack.js');
  let dynamo: LocalDynamo | undefined;
  let stack: LocalStack | undefined;
  const extra: (() => Promise<void> | void)[] = [];
  const cleanup = async () => {
    for (const fn of extra.splice(0).reverse())
      await Promise.resolve(fn()).catch((e) => progress(`cleanup: ${(e as Error).name}`));
    await stack?.stop().catch((e) => progress(`stack stop: ${(e as Error).name}`));
    stack = undefined;
    await dynamo?.stop().catch((e) => progress(`DynamoDB Local stop: ${(e as Error).name}`));
    dynamo = undefined;
  };
  const stopListening = cleanUpOnSignals(progress, cleanup);
  try {
    progress('starting DynamoDB Local (in memory) and the local stack');
    // A shared machine can take a while to start the JVM: more patience than the tests' default.
    dynamo = await startDynamoDbLocal({ timeoutMs: 120_000 });
    stack = await startLocalStack({
      port: 0,
      dataDir: null,
      dynamoEndpoint: dynamo.endpoint,
      // Stream consumers and the minute timer run on their own Lambdas in AWS; here they would
      // share DynamoDB Local's CPU with what is measured, so they stay (nearly) idle.
      pollIntervalMs: 600_000,
      scheduleIntervalMs: 3_600_000,
      throttle: false,
      log: (line) => progress(`stack: ${line}`),
    });
    // The timer's first tick runs every schedule at once as the stack starts; on a loaded machine
    // those runs can still be writing when the first call is recorded, and a recorded sweep's
    // transaction was once replayed as the create's. Nothing here measures a schedule: stop it.
    await stack.scheduler.stop();
    const data = await import('../../shared/data/client.js');
    return await body({ stack, url: stack.url, data }, (fn) => extra.push(fn));
  } finally {
    stopListening();
    await cleanup();
  }
}

/** The raw answer to a request to the local stack with a bearer token (and a JSON body). */
export const fetchWithToken = (
  url: string,
  method: string,
  path: string,
  token: string,
  json?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> =>
  fetch(`${url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  });

/** A request to the local stack with a bearer token (and a JSON body): status and text. */
export const httpSender =
  (url: string) =>
  async (
    method: string,
    path: string,
    token: string,
    json?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; text: string }> => {
    const res = await fetchWithToken(url, method, path, token, json, headers);
    return { status: res.status, text: await res.text() };
  };

/** The bench's entry point: exit 0 when it ran (whatever the figures), 1 when it broke. */
export function runBench(tag: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `[${tag}] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
