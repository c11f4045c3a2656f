/**
 * `npm start`: the whole Hub locally. Data lives under .local/ and survives restarts; Ctrl-C or
 * SIGTERM stops everything, Java included.
 */
import { exitOnStartFailure, stopWhenOrphaned } from './process-life.js';
import { SEED_REGISTRY_PATH } from './seed.js';
import { ROUTES } from '../../functions/routes.js';
import { SCHEDULES } from '../../functions/schedules.js';
import { localConsumers } from '../../functions/functions.js';
import { startLocalStack } from './stack.js';
import { relative, resolve } from 'node:path';

const started = Date.now();
const port = Number(process.env.PORT ?? 3000);
const dataDir = resolve(process.env.LOCAL_DATA_DIR ?? '.local/dynamodb');
const say = (line: string) => process.stdout.write(`${line}\n`);

try {
  const stack = await startLocalStack({ port, dataDir, log: (l) => say(`[local] ${l}`) });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say(`AMHP Referral Hub running locally (ready in ${seconds} s)`);
  say(
    `  API            ${stack.url}   (${ROUTES.length} routes; docs ${stack.url}/docs, ` +
      `OpenAPI ${stack.url}/openapi.json)`,
  );
  say(`  Console        ${stack.url}/console/   (sign in as a seeded person, e.g. dana.lead; see README)`);
  say(`  Health         ${stack.url}/health`);
  say(`  Tokens         POST ${stack.url}/oauth2/token   (JWKS ${stack.url}/.well-known/jwks.json)`);
  say(`  DynamoDB Local ${stack.dynamoEndpoint}   data in ${relative(process.cwd(), dataDir) || dataDir}`);
  say(
    `  Stream poller  ${localConsumers().length} consumer(s): ${
      localConsumers()
        .map((c) => c.id)
        .join(', ') || 'none registered yet'
    }`,
  );
  say(`  Schedules      every minute: ${SCHEDULES.map((s) => s.id).join(', ')}`);
  say(`  Seed registry  ${relative(process.cwd(), SEED_REGISTRY_PATH)}`);
  say('Ctrl-C stops everything.');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping…`);
    stack
      .stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
  stopWhenOrphaned(() => shutdown('parent exited'));
} catch (error) {
  exitOnStartFailure('Could not start the local stack', error);
}
