/**
 * Captures everything this process writes while it runs: process.stdout / process.stderr writes
 * (where the Powertools logger's own Console writes) and the global console (where anything else
 * would). Nothing captured is passed through.
 */
import { format } from 'node:util';
import { vi } from 'vitest';

export interface Capture {
  /** Every captured line, in order (writes split on newlines, empty lines dropped). */
  lines(): string[];
  stop(): void;
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

export function captureOutput(): Capture {
  const chunks: string[] = [];
  const text = (chunk: unknown, encoding?: unknown) =>
    typeof chunk === 'string'
      ? chunk
      : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((s) => s.write);
  for (const stream of streams) {
    stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
      chunks.push(text(chunk, encoding));
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    }) as typeof stream.write;
  }
  const spies = CONSOLE_METHODS.map((m) =>
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void chunks.push(`${format(...args)}\n`)),
  );
  let stopped = false;
  return {
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.trim() !== ''),
    stop: () => {
      if (stopped) return;
      stopped = true;
      for (const [i, s] of streams.entries()) s.write = originals[i]!;
      for (const spy of spies) spy.mockRestore();
    },
  };
}
