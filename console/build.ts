/// <reference types="node" />
/**
 * Builds the operator console (`console/`): one ES module bundled by esbuild from
 * `console/src/main.ts`, the stylesheet and the page. The same files are served by the local
 * stack at `/console/` and deployed to S3 behind CloudFront by `infra/constructs/console.ts`;
 * only `config.json` (how to sign in) differs, and it is written by whoever serves the files.
 */
import { readFileSync } from 'node:fs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, buildSync, type BuildOptions } from 'esbuild';

export const CONSOLE_DIR = fileURLToPath(new URL('.', import.meta.url));

export interface ConsoleAsset {
  readonly body: Buffer;
  readonly contentType: string;
}

/** Sign-in settings the page reads from `config.json` beside it. */
export type ConsoleConfig =
  | {
      /** Local stack only: a username and password form posting the password grant to `tokenUrl`. */
      readonly mode: 'local';
      readonly tokenUrl: string;
      readonly clientId: string;
    }
  | {
      /** Cognito hosted UI, authorization code with PKCE. */
      readonly mode: 'cognito';
      readonly authorizeUrl: string;
      readonly tokenUrl: string;
      readonly logoutUrl: string;
      readonly clientId: string;
      /** Where Cognito sends the code back: the console's own URL. */
      readonly redirectUri: string;
      readonly scopes: readonly string[];
      /**
       * The people client's API key, sent as `x-api-key` on every API call: API Gateway requires
       * one on authorized methods to apply the people client's usage plan. Not a secret (it
       * only picks the rate limits); the Cognito token is what authenticates.
       */
      readonly apiKey?: string;
    };

const esbuildOptions = (): BuildOptions => ({
  entryPoints: [join(CONSOLE_DIR, 'src/main.ts')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'silent',
});

const staticFiles = (): Record<string, ConsoleAsset> => ({
  'index.html': { body: readFileSync(join(CONSOLE_DIR, 'index.html')), contentType: 'text/html; charset=utf-8' },
  'app.css': { body: readFileSync(join(CONSOLE_DIR, 'styles.css')), contentType: 'text/css; charset=utf-8' },
});

/** The console's files by name (`index.html`, `app.js`, `app.css`), built in memory. */
export async function buildConsole(): Promise<ReadonlyMap<string, ConsoleAsset>> {
  const out = await build({ ...esbuildOptions(), write: false, outfile: 'app.js' });
  const js = out.outputFiles[0];
  if (!js) throw new Error('esbuild produced no console bundle');
  return new Map(
    Object.entries({
      ...staticFiles(),
      'app.js': { body: Buffer.from(js.contents), contentType: 'text/javascript; charset=utf-8' },
    }),
  );
}

/** The same files written to `outDir` (CDK asset bundling is synchronous). `config.json` is not among them. */
export function buildConsoleSync(outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  buildSync({ ...esbuildOptions(), outfile: join(outDir, 'app.js') });
  for (const [name, asset] of Object.entries(staticFiles())) writeFileSync(join(outDir, name), asset.body);
}
