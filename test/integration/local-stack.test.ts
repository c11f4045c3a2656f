/**
 * `npm start` as a user runs it: ready within 30 s, answers through the real path, stops on
 * SIGTERM with no process left behind, and keeps its data across a restart. `npm run demo`
 * serves the console's demonstration picture.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb.js';
import { loadRegistry } from '../../infra/local/seed.js';
import { healthyWithin, spawnCollecting } from '../support/child-process.js';
import { controlCount } from '../../shared/deidentify/disclosure.js';
import { previousLondonMonth } from '../e2e/seed.js';

const dataDir = mkdtempSync(join(tmpdir(), 'hub-local-'));
const running: ChildProcess[] = [];

afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(port: number) {
  const spawned = spawnCollecting(running, 'npm', ['start'], {
    env: { ...process.env, PORT: String(port), LOCAL_DATA_DIR: dataDir },
  });
  const readyMs = await healthyWithin(spawned, port, 30_000);
  return { child: spawned.child, readyMs, output: spawned.output };
}

const stopWithSigterm = async (child: ChildProcess) => {
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  return exited;
};

/** Processes still holding this test's data directory (the Java of DynamoDB Local) or its port. */
const leftovers = () => spawnSync('pgrep', ['-f', dataDir], { encoding: 'utf8' }).stdout.trim();

const leadToken = (base: string) => personToken(base, 'dana.lead');

async function personToken(base: string, username: string): Promise<string> {
  const registry = loadRegistry();
  const lead = registry.people.find((p) => p.username === username)!;
  const res = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: registry.peopleClientId,
      username: lead.username,
      password: lead.password,
    }).toString(),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('npm start', () => {
  it('is ready within 30 s, stops cleanly on SIGTERM and keeps data across a restart', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const first = await start(port);
    expect(first.readyMs).toBeLessThan(30_000);
    expect(first.output()).toContain('AMHP Referral Hub running locally');

    const token = await leadToken(base);
    const put = await fetch(`${base}/v1/amhps/amhp-persisted`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        displayName: 'Kept Across Restarts',
        active: true,
        authorisedLssas: ['E06000055'],
        dutyReviewer: false,
      }),
    });
    expect(put.status).toBe(201);

    expect(await stopWithSigterm(first.child)).toBe(0);
    // DynamoDB Local's Java process is stopped too, not orphaned.
    await new Promise((r) => setTimeout(r, 500));
    expect(leftovers()).toBe('');

    const second = await start(port);
    const read = await fetch(`${base}/v1/amhps/amhp-persisted`, {
      headers: { Authorization: `Bearer ${await leadToken(base)}` },
    });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ displayName: 'Kept Across Restarts', version: 1 });
    expect(await stopWithSigterm(second.child)).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(leftovers()).toBe('');
  }, 120_000);
});

describe('npm run demo', () => {
  it('serves the console with the demonstration picture: a live s.136 referral, a stale unit, last month in ' +
    'the extracts', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { child, output } = spawnCollecting(running, 'npm', ['run', 'demo'], {
      env: { ...process.env, PORT: String(port) },
    });
    const began = Date.now();
    while (!output().includes('demo running')) {
      if (child.exitCode !== null) throw new Error(`npm run demo exited early:\n${output()}`);
      if (Date.now() - began > 90_000) throw new Error(`not ready within 90 s:\n${output()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect((await fetch(`${base}/console/`)).status).toBe(200);
    const auth = { headers: { Authorization: `Bearer ${await leadToken(base)}` } };
    const board = (await (await fetch(`${base}/v1/referrals?view=board&limit=100`, auth)).json()) as {
      items: { legalStatus: string; clocks: unknown[] }[];
    };
    expect(board.items).toHaveLength(1);
    expect(board.items[0]).toMatchObject({ legalStatus: 's136' });
    const beds = (await (await fetch(`${base}/v1/bed-availability`, auth)).json()) as {
      items: { unitId: string; stale: boolean }[];
    };
    expect(beds.items.find((u) => u.unitId === 'p-ash-picu')?.stale).toBe(true);
    expect(beds.items.find((u) => u.unitId === 'p-oak-ward')?.stale).toBe(false);
    // The analytics consumer rolls last month's referrals up from the stream: 25 seeded.
    const { from, to } = previousLondonMonth();
    const analyst = { headers: { Authorization: `Bearer ${await personToken(base, 'ann.analyst')}` } };
    let total = 0;
    for (let tries = 0; tries < 80 && total !== controlCount(25); tries++) {
      const extract = (await (
        await fetch(`${base}/v1/extracts/demand?period=month&from=${from}&to=${to}`, analyst)
      ).json()) as { rows: { count: number | '*' }[] };
      total = extract.rows.reduce((n, r) => n + (typeof r.count === 'number' ? r.count : 0), 0);
      if (total !== controlCount(25)) await new Promise((r) => setTimeout(r, 250));
    }
    expect(total).toBe(controlCount(25));
    expect(await stopWithSigterm(child)).toBe(0);
  }, 150_000);
});
