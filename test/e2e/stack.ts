/**
 * The stack the console's e2e tests run against: the in-process local API serving the console at
 * `/console/` (local password sign-in), on tables of this file's own in the run's DynamoDB Local
 * (so other test files' referrals and bed figures never reach the board, the beds or the heat
 * map), and the stream poller feeding the analytics consumer exactly as `npm start` does, since
 * the Demand view reads the extracts that consumer builds from the change stream.
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { launchBrowser, type E2eBrowser } from './browser.js';
import { TABLE_ENV, TABLE_IDS } from '../../shared/data/tables.js';
import { localDynamoClient } from '../../infra/local/dynamodb.js';
import { ensureTables, tableNames, type TableNames } from '../../infra/local/tables.js';
import { loadRegistry, seedRegistry } from '../../infra/local/seed.js';
import type { StreamPoller } from '../../infra/local/stream-poller.js';
import { analyticsPoller } from '../support/analytics-poller.js';
import { startTestApi, type TestApi } from '../support/api.js';

export interface E2eStack {
  readonly api: TestApi;
  readonly names: TableNames;
  /** `${api.url}/console/` */
  readonly consoleUrl: string;
  /** Starts the analytics consumer on the hub table's stream (from its oldest record). */
  startAnalytics(): StreamPoller;
  close(): Promise<void>;
}

/** Points every handler at fresh tables. Call before anything reads its configuration. */
export function useOwnTables(prefix = 'e2e'): TableNames {
  const names = tableNames(`${prefix}-${randomUUID().slice(0, 8)}-`);
  for (const id of TABLE_IDS) process.env[TABLE_ENV[id]] = names[id];
  return names;
}

export async function startE2eStack(endpoint: string, names: TableNames): Promise<E2eStack> {
  const client = localDynamoClient(endpoint);
  try {
    await ensureTables(client, names);
    await seedRegistry(client, names);
  } finally {
    client.destroy();
  }
  const api = await startTestApi({ console: true });
  let poller: StreamPoller | undefined;
  return {
    api,
    names,
    consoleUrl: `${api.url}/console/`,
    startAnalytics() {
      poller ??= analyticsPoller(endpoint, names.hub);
      poller.start();
      return poller;
    },
    async close() {
      await poller?.stop();
      await api.close();
    },
  };
}

/** A seeded person's sign-in (the passwords are local-only seed data). */
export function credentials(username: string): {
  username: string;
  password: string;
  displayName: string;
  role: string;
} {
  const person = loadRegistry().people.find((p) => p.username === username);
  if (!person?.password) throw new Error(`no seeded person ${username} with a password`);
  return { username, password: person.password, displayName: person.displayName, role: person.role };
}

/**
 * A file's stack on its own tables and a browser, started together (Chromium launches while the
 * stack starts); a browser that launched is closed even when the stack fails to start.
 */
export async function startStackAndBrowser(names: TableNames): Promise<{ stack: E2eStack; browser: E2eBrowser }> {
  const launching = launchBrowser();
  let stack: E2eStack;
  try {
    stack = await startE2eStack(inject('dynamoEndpoint'), names);
  } catch (error) {
    await (await launching.catch(() => undefined))?.close();
    throw error;
  }
  return { stack, browser: await launching };
}

export async function closeStackAndBrowser(stack: E2eStack | undefined, browser: E2eBrowser | undefined) {
  await browser?.close();
  await stack?.close();
}
