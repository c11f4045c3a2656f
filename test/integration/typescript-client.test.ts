/**
 * The TypeScript client's agency examples run against the local stack (HTTP → adapter → real
 * handlers → DynamoDB Local): each refers with its own agency's client credentials and reads
 * the referral back through the generated types. One is run as a script, as a developer would.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../infra/local/seed.js';
import * as aeWard from '../../clients/typescript/examples/ae-ward.js';
import * as ambulance from '../../clients/typescript/examples/ambulance.js';
import * as cmhtPlanned from '../../clients/typescript/examples/cmht-planned.js';
import * as policeRoadside from '../../clients/typescript/examples/police-roadside.js';
import { ROOT, startTestApi, type TestApi } from '../support/api.js';

const run = promisify(execFile);
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => api.close());

const secretOf = (clientId: string): string => {
  const client = loadRegistry().clients.find((c) => c.clientId === clientId);
  if (!client) throw new Error(`no client ${clientId}`);
  return client.clientSecret;
};

describe('clients/typescript examples against the local stack', () => {
  it.each([
    ['police, s.136 at the roadside', policeRoadside],
    ['ambulance', ambulance],
    ['A&E, s.5(2) on a ward', aeWard],
    ['CMHT, planned', cmhtPlanned],
  ])('%s: refers, reads back and sees the history', async (_name, example) => {
    const result = await example.run({
      baseUrl: api.url,
      clientId: example.CLIENT_ID,
      clientSecret: secretOf(example.CLIENT_ID),
    });
    expect(result.id).toMatch(/^[0-9A-Z]{26}$/);
    expect(result.status).toBe('received');
    expect(result.etag).toBe('"1"');
    expect(result.history).toContain('received');
  });

  it('runs as a script with HUB_URL and the client credentials from the environment', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'clients/typescript/examples/police-roadside.ts')],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          HUB_URL: api.url,
          CLIENT_ID: 'police-a-triage',
          CLIENT_SECRET: secretOf('police-a-triage'),
        },
      },
    );
    expect(JSON.parse(stdout)).toMatchObject({ status: 'received', etag: '"1"' });
  }, 60_000);
});
