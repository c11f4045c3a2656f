/**
 * The README walkthrough cannot rot (issue #17): every ```sh block of its "Walkthrough" section
 * runs, in order, in one bash shell (as a reader pastes them into one terminal) against `npm start`
 * on a free port, with only the variables the README itself says may be overridden set (HUB,
 * RECEIVER_PORT, OUT). Each block must exit 0 and print what the README promises: 201 created,
 * 200 read, the triage, a webhook received with a verified signature, a CSV extract with its
 * header and 168 rows. The blocks may use Node, curl, shell builtins and the project's scripts
 * only, and every variable they read is defined by an earlier line.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb.js';
import { ROOT } from '../support/api.js';
import { healthyWithin, spawnCollecting } from '../support/child-process.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The lines of one `##`/`###` section: from its heading to the next heading of the same or a higher level. */
function section(markdown: string, heading: RegExp): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) throw new Error(`README has no heading ${heading}`);
  const level = /^#+/.exec(lines[start]!)![0].length;
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && /^#+/.exec(l)![0].length <= level);
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

const shBlocks = (markdown: string): string[] => [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);

const WALKTHROUGH = section(README, /^### Walkthrough/);
const BLOCKS = shBlocks(WALKTHROUGH);

/** What a block may run: shell builtins and keywords, Node, curl and the project's functions. */
const ALLOWED_COMMANDS = new Set([
  'node',
  'curl',
  'echo',
  'wait',
  'json',
  'uuid',
  'export',
  'local',
  'set',
  'if',
  'then',
  'fi',
  'for',
  'do',
  'done',
]);

const dataDir = mkdtempSync(join(tmpdir(), 'hub-readme-'));
const running: ChildProcess[] = [];

afterAll(() => {
  for (const child of running) {
    // Each child leads its own process group (detached): stop the group, the receiver included.
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function startHub(port: number): Promise<void> {
  const spawned = spawnCollecting(running, 'npm', ['start'], {
    env: { ...process.env, PORT: String(port), LOCAL_DATA_DIR: join(dataDir, 'dynamodb') },
    detached: true,
  });
  await healthyWithin(spawned, port, 120_000);
}

/** Runs the blocks in one bash, marking where each starts and ends; stops at the first failing command. */
function runBlocks(
  blocks: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const script = [
    'set -eo pipefail',
    ...blocks.flatMap((b, i) => [`echo '::block ${i} start'`, b, `echo '::block ${i} end'`]),
  ].join('\n');
  return new Promise((resolve) => {
    const { child, output } = spawnCollecting(running, 'bash', ['-c', script], {
      env: { ...process.env, ...env },
      detached: true,
    });
    child.on('close', (code) => resolve({ code, output: output() }));
  });
}

const blockOutput = (output: string, i: number): string =>
  output.split(`::block ${i} start\n`)[1]?.split(`::block ${i} end`)[0] ?? '';

describe('README', () => {
  it('keeps the quick start to two commands', () => {
    const quick = shBlocks(section(README, /^## Quick start/).split(/^### /m)[0]!);
    expect(
      quick.map((b) =>
        b
          .split('\n')
          .filter(Boolean)
          .map((l) => l.replace(/\s+#.*$/, '').trim()),
      ),
    ).toEqual([['npm ci && npm start', 'npm ci && npm test']]);
  });

  it("walkthrough blocks use only Node, curl and the project's scripts, and define every variable they use", () => {
    expect(BLOCKS.length).toBeGreaterThanOrEqual(8);
    const defined = new Set<string>();
    const commandsSeen = new Set<string>();
    for (const block of BLOCKS) {
      // Continuation lines and heredoc bodies are not commands; each remaining line starts with one.
      const body = block.replace(/<<EOF\n[\s\S]*?\nEOF\n/g, '<<EOF\n').replace(/\\\n/g, ' ');
      for (const line of body
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'))) {
        const assignment = /^([A-Z_][A-Z0-9_]*)=/.exec(line);
        const fn = /^([a-z_]+)\(\)\s*\{/.exec(line);
        for (const [, name] of line.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)) {
          // `NAME=${NAME:-default}` defines NAME from itself: the override the test uses.
          if (!(assignment && assignment[1] === name))
            expect(defined.has(name!), `${name} used before it is defined in: ${line}`).toBe(true);
        }
        if (assignment) defined.add(assignment[1]!);
        if (fn) {
          defined.add(fn[1]!);
          continue;
        }
        const command = assignment ? /\$\((\S+)/.exec(line)?.[1] : line.split(/\s+/)[0];
        if (command) commandsSeen.add(command);
      }
      for (const [, inner] of block.matchAll(/\$\(([a-z]+)/g)) commandsSeen.add(inner!);
      for (const [, piped] of block.matchAll(/\|\s*([a-z]+)/g)) commandsSeen.add(piped!);
    }
    expect([...commandsSeen].filter((c) => !ALLOWED_COMMANDS.has(c))).toEqual([]);
    expect(WALKTHROUGH).not.toMatch(/\b(uuidgen|jq)\b/);
  });

  it('the walkthrough runs as written against npm start: referral, read, triage, signed webhook, CSV', async () => {
    const port = await freePort();
    await startHub(port);
    const { code, output } = await runBlocks(BLOCKS, {
      HUB: `http://127.0.0.1:${port}`,
      RECEIVER_PORT: String(await freePort()),
      OUT: join(dataDir, 'walkthrough'),
    });
    for (const i of BLOCKS.keys())
      expect(output, `block ${i} did not finish:\n${output}`).toContain(`::block ${i} end`);
    expect(code, output).toBe(0);
    const all = BLOCKS.map((_, i) => blockOutput(output, i)).join('\n');
    expect(all).toMatch(/police token: \S+/);
    expect(all).toContain('POST /v1/referrals: HTTP 201');
    expect(all).toMatch(/referral \w+, reference R-[0-9A-Z]{4}-[0-9A-Z]{4}, status received/);
    expect(all).toContain('GET /v1/referrals/{id}: HTTP 200');
    expect(all).toContain('POST /v1/subscriptions: HTTP 201');
    expect(all).toMatch(/start-review: status under-review, ETag "\d+"/);
    expect(all).toMatch(/accept: status accepted, ETag "\d+"/);
    // The receiver printed it only after checking the HMAC signature with the subscription's secret.
    expect(all).toMatch(/verified msg_\S+ referral\.accepted R-[0-9A-Z]{4}-[0-9A-Z]{4} accepted/);
    expect(all).not.toContain('refused POST');
    expect(all).toContain('GET /v1/extracts/demand (CSV): HTTP 200');
    expect(all).toMatch(/^period,hourOfDay,dayOfWeek,count,countSuppressed$/m);
    expect(all).toContain('… 168 rows');
    expect(all).toMatch(/DELETE \/v1\/subscriptions\/\{id\}: HTTP 20[04]/);
  }, 300_000);
});
