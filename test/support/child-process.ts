/**
 * The local stack run as a user runs it (`npm start`, `npm run demo`, a README block in bash),
 * for the tests that check those commands: output collected, /health awaited.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from './api.js';

export interface Spawned {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output: () => string;
}

/** Starts `command` in the repository, recorded in `running` so that afterAll can kill it. */
export function spawnCollecting(
  running: ChildProcess[],
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; detached?: boolean },
): Spawned {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.detached ? { detached: true } : {}),
  });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  return { child, output: () => output };
}

/** Waits for `npm start` to answer /health ok; how long it took, in ms. */
export async function healthyWithin({ child, output }: Spawned, port: number, timeoutMs: number): Promise<number> {
  const began = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok && ((await res.json()) as { status: string }).status === 'ok') return Date.now() - began;
    } catch {
      // not listening yet
    }
    if (Date.now() - began > timeoutMs) throw new Error(`/health not ok within ${timeoutMs / 1000} s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
