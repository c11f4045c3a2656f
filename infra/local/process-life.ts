/** How the local stack's entry points (npm start, npm run demo) live and die as processes. */
import { JavaMissingError } from './dynamodb.js';

/**
 * If whatever started us dies without passing a signal on, we are re-parented: stop rather than
 * leave Node and Java running with nobody to stop them.
 */
export function stopWhenOrphaned(stop: () => void): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 1000).unref();
}

/** Exits 1 with why the stack could not start (`failed`: the sentence's start). */
export function exitOnStartFailure(failed: string, error: unknown): never {
  if (error instanceof JavaMissingError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`${failed}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
