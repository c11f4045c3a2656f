/**
 * `npm start` as a user runs it: ready within 30 s, answers through the real path, stops on
 * SIGTERM with no process left behind, and keeps its data across a restart.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb.js';
import { loadRegistry } from '../../infra/local/seed.js';
import { ROOT } from '../support/api.js';

const dataDir = mkdtempSync(join(tmpdir(), 'hub-local-'));
const running: ChildProcess[] = [];

afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(port: number) {
  const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, PORT: String(port), LOCAL_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const began = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok && ((await res.json()) as { status: string }).status === 'ok') break;
    } catch {
      // not listening yet
    }
    if (Date.now() - began > 30_000) throw new Error(`/health not ok within 30 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, readyMs: Date.now() - began, output: () => output };
}

const stopWithSigterm = async (child: ChildProcess) => {
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  return exited;
};

/** Processes still holding this test's data directory (the Java of DynamoDB Local) or its port. */
const leftovers = () => spawnSync('pgrep', ['-f', dataDir], { encoding: 'utf8' }).stdout.trim();

const leadToken = async (base: string) => {
  const registry = loadRegistry();
  const lead = registry.people.find((p) => p.username === 'dana.lead')!;
  const res = await fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: registry.peopleClientId, username: lead.username, password: lead.password }).toString(),
  });
  return ((await res.json()) as { access_token: string }).access_token;
};

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
      body: JSON.stringify({ displayName: 'Kept Across Restarts', active: true, authorisedLssas: ['E06000055'], dutyReviewer: false }),
    });
    expect(put.status).toBe(201);

    expect(await stopWithSigterm(first.child)).toBe(0);
    // DynamoDB Local's Java process is stopped too, not orphaned.
    await new Promise((r) => setTimeout(r, 500));
    expect(leftovers()).toBe('');

    const second = await start(port);
    const read = await fetch(`${base}/v1/amhps/amhp-persisted`, { headers: { Authorization: `Bearer ${await leadToken(base)}` } });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ displayName: 'Kept Across Restarts', version: 1 });
    expect(await stopWithSigterm(second.child)).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(leftovers()).toBe('');
  }, 120_000);
});
