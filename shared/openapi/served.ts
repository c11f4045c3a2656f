/**
 * What the documentation handlers serve (#21). The OpenAPI document and the /docs page are
 * generated ahead of time from the route table (`npm run openapi`, scripts/generate-openapi.ts)
 * with tokens where the two values a deployment sets go (API_VERSION, API_BASE_PATH); a handler
 * fills them in once per container. So its bundle holds neither the route table's schemas nor
 * zod's JSON Schema conversion, and what it serves is byte for byte what building the document
 * at init made (test/unit/openapi-prebuilt.test.ts checks four value pairs, and the handlers).
 */
import { brotliDecompressSync } from 'node:zlib';
import { ENV } from '../env.js';
import { escapeHtml, openApiHrefOf } from './page.js';
import { serversOf } from './servers.js';

/**
 * Placeholders: only characters that neither JSON nor HTML escaping changes, and text the
 * document cannot hold otherwise (the generator counts each one). `serverUrl` is what the
 * generator builds with; it leaves no `serverUrl` token in either artefact.
 */
export const TOKENS = {
  version: '@@HUB_API_VERSION@@',
  serverUrl: '@@HUB_SERVER_URL@@',
  servers: '@@HUB_SERVERS@@',
  openApiHref: '@@HUB_OPENAPI_HREF@@',
} as const;

export interface ServedValues {
  readonly version: string;
  readonly serverUrl: string;
}

/** The values as the handlers read them: the version defaults to 1.0.0, the URL to the local stack's. */
export const servedValues = (env: NodeJS.ProcessEnv = process.env): ServedValues => ({
  version: env[ENV.apiVersion] ?? '1.0.0',
  serverUrl: env[ENV.apiBasePath] ?? '',
});

/**
 * A generated artefact: the text, Brotli-compressed and base64-encoded. As plain text the two
 * would add 420 and 310 KiB to their bundles (past the 620 KiB goal); compressed they add 27 and
 * 25 KiB, and decompressing costs about a millisecond at init.
 */
export interface Prebuilt {
  readonly $comment: string;
  readonly brotli: string;
}

export const textOf = (prebuilt: Prebuilt): string =>
  brotliDecompressSync(Buffer.from(prebuilt.brotli, 'base64')).toString('utf8');

/**
 * Every token in one pass (a function replacer: no `$&` patterns), so a value that happens to
 * hold a token's text is served as it is.
 */
function fill(text: string, values: Readonly<Record<string, string>>): string {
  const pattern = new RegExp(Object.keys(values).join('|'), 'g');
  return text.replace(pattern, (token) => values[token] ?? token);
}

/** The JSON document: each value JSON-encoded as JSON.stringify encoded it in the built document. */
export const servedOpenApiJson = (prebuilt: Prebuilt, values: ServedValues): string =>
  fill(textOf(prebuilt), {
    [`"${TOKENS.version}"`]: JSON.stringify(values.version),
    [`"${TOKENS.servers}"`]: JSON.stringify(serversOf(values.serverUrl)),
  });

/** The HTML page: each value escaped as renderDocsPage escapes it. */
export const servedDocsPage = (prebuilt: Prebuilt, values: ServedValues): string =>
  fill(textOf(prebuilt), {
    [TOKENS.version]: escapeHtml(values.version),
    [TOKENS.openApiHref]: escapeHtml(openApiHrefOf(serversOf(values.serverUrl))),
  });
