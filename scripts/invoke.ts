/**
 * `npm run invoke -- <route-or-consumer-or-schedule id> <event.json>`: runs one handler, as the
 * local stack runs it (the module the route table, consumer list or schedule list names, under
 * the data access functions/access.ts declares for it), with an event from a file, e.g. one of
 * events/samples/, against a running local stack's DynamoDB Local:
 *
 *   DYNAMODB_ENDPOINT=http://127.0.0.1:8000 npm run invoke -- operational
 * events/samples/dynamodb-stream/referral-event-insert.json
 *
 * Prints what the handler returns. Keys come from the local stack's key files (.local/) when
 * they exist, as `npm start` keeps them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { ROUTES } from '../functions/routes.js';
import { CONSUMERS } from '../functions/consumers.js';
import { SCHEDULES } from '../functions/schedules.js';
import { accessScopeOf } from '../functions/access.js';
import { runWithAccess } from '../shared/data/access-guard.js';
import { localLambdaContext } from '../infra/local/lambda-context.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export interface InvokeTarget {
  readonly kind: 'route' | 'consumer' | 'schedule';
  readonly id: string;
  /** Module path from the project root. */
  readonly handler: string;
  readonly resolvesCaller: boolean;
}

/** The handler an id names: a route, a stream consumer or a schedule. */
export function targetOf(id: string): InvokeTarget {
  const route = ROUTES.find((r) => r.id === id);
  if (route) return { kind: 'route', id, handler: route.handler, resolvesCaller: route.auth !== 'public' };
  const consumer = CONSUMERS.find((c) => c.id === id);
  if (consumer) return { kind: 'consumer', id, handler: consumer.handler, resolvesCaller: false };
  const schedule = SCHEDULES.find((s) => s.id === id);
  if (schedule) return { kind: 'schedule', id, handler: schedule.handler, resolvesCaller: false };
  const known = [...ROUTES.map((r) => r.id), ...CONSUMERS.map((c) => c.id), ...SCHEDULES.map((s) => s.id)];
  throw new Error(`No route, consumer or schedule is called ${id}. Known: ${known.join(', ')}`);
}

const contextOf = (target: InvokeTarget): Context =>
  localLambdaContext(target.id, { requestId: `invoke-${Date.now()}`, timeoutMs: 30_000, logStreamName: 'invoke' });

/** Loads the target's handler and calls it with the event, under its declared data access. */
export async function invoke(id: string, event: unknown): Promise<unknown> {
  const target = targetOf(id);
  const mod = (await import(pathToFileURL(join(ROOT, target.handler)).href)) as {
    handler?: (event: unknown, context: Context) => Promise<unknown>;
  };
  if (typeof mod.handler !== 'function') throw new Error(`${target.handler} exports no handler`);
  const run = mod.handler;
  return runWithAccess(accessScopeOf(target.kind, target.id, { resolvesCaller: target.resolvesCaller }), () =>
    run(event, contextOf(target)),
  );
}

/** The local stack's configuration, for what the environment does not already say. */
async function configureLocalEnvironment(): Promise<void> {
  if (!process.env.DYNAMODB_ENDPOINT) {
    throw new Error("Set DYNAMODB_ENDPOINT to the running local stack's DynamoDB Local (npm start prints it).");
  }
  process.env.AWS_REGION ??= 'eu-west-2';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { TABLE_ENV, TABLE_IDS } = await import('../shared/data/tables.js');
  const { tableNames } = await import('../infra/local/tables.js');
  const names = tableNames();
  for (const tableId of TABLE_IDS) process.env[TABLE_ENV[tableId]] ??= names[tableId];
  const keyDir = resolve(process.env.LOCAL_DATA_DIR ?? '.local/dynamodb', '..');
  for (const [env, file] of [
    ['PERSON_MATCH_KEY', 'person-match.key'],
    ['PSEUDONYMISATION_KEY', 'pseudonymisation.key'],
    ['CURSOR_KEY', 'cursor.key'],
  ] as const) {
    const path = join(keyDir, file);
    if (!process.env[env] && existsSync(path)) process.env[env] = readFileSync(path, 'utf8').trim();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [id, file] = process.argv.slice(2);
  if (!id || !file) {
    console.error('usage: npm run invoke -- <route-or-consumer-or-schedule id> <event.json>');
    process.exit(2);
  }
  try {
    targetOf(id);
    await configureLocalEnvironment();
    const result = await invoke(id, JSON.parse(readFileSync(resolve(file), 'utf8')));
    console.log(JSON.stringify(result ?? null, null, 2));
  } catch (error) {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exitCode = 1;
  }
}
