/**
 * The documentation handlers serve a prebuilt document (#21): the committed artefacts are what
 * `npm run openapi` makes of the current route table; filled with a deployment's values they are
 * byte for byte what building the document at init made (the defaults, other values, and values
 * JSON and HTML must escape); the handlers serve exactly that; and their bundles hold neither the
 * route table, nor the document builder, nor zod's JSON Schema conversion.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ROUTES } from '../../functions/routes.js';
import { committedText, DOCS_PAGE_FILE, generateDocsTexts, OPENAPI_FILE } from '../../scripts/generate-openapi.js';
import { renderDataDictionary } from '../../shared/deidentify/dictionary-page.js';
import { ENV } from '../../shared/env.js';
import { buildOpenApiDocument } from '../../shared/openapi/document.js';
import { renderDocsPage } from '../../shared/openapi/page.js';
import { servedDocsPage, servedOpenApiJson, servedValues, type Prebuilt } from '../../shared/openapi/served.js';
import { ROOT } from '../support/api.js';
import { context, event } from './middleware/harness.js';

/** What the two handlers built at init before #21: their code then, verbatim. */
function builtAtInit(env: NodeJS.ProcessEnv): { document: string; page: string } {
  const document = JSON.stringify(
    buildOpenApiDocument(ROUTES, {
      version: env[ENV.apiVersion] ?? '1.0.0',
      serverUrl: env[ENV.apiBasePath] ?? '',
    }),
  );
  const reference = renderDocsPage(
    buildOpenApiDocument(ROUTES, {
      version: env[ENV.apiVersion] ?? '1.0.0',
      serverUrl: env[ENV.apiBasePath] ?? '',
    }),
  );
  const page = reference.includes('</main>')
    ? reference.replace('</main>', `${renderDataDictionary()}\n</main>`)
    : reference;
  return { document, page };
}

const ENVS: { name: string; env: NodeJS.ProcessEnv }[] = [
  { name: 'the defaults (1.0.0, the local stack)', env: {} },
  {
    name: '2.3.4 at https://x.example/v1',
    env: { [ENV.apiVersion]: '2.3.4', [ENV.apiBasePath]: 'https://x.example/v1' },
  },
  {
    // Quotes, markup, a backslash, replacement patterns, token text and a trailing slash.
    name: 'values JSON and HTML must escape',
    env: {
      [ENV.apiVersion]: `2.0.0-"rc"<&>'$&\\ @@HUB_SERVERS@@ @@HUB_OPENAPI_HREF@@`,
      [ENV.apiBasePath]: `https://x.example/a"b<c>&d'$1/@@HUB_API_VERSION@@//`,
    },
  },
  { name: 'both set empty', env: { [ENV.apiVersion]: '', [ENV.apiBasePath]: '' } },
];

/** What building the document needs and serving it must not bundle. */
const UNWANTED = [
  /functions\/routes\.ts$/,
  /shared\/openapi\/(document|schema-collector|components|operations)\.ts$/,
  /shared\/schemas\//,
  /node_modules\/zod\//,
];

const readPrebuilt = (file: string): Prebuilt => JSON.parse(readFileSync(file, 'utf8')) as Prebuilt;

describe('the prebuilt documentation', () => {
  it('is what `npm run openapi` makes of the current route table', () => {
    const generated = generateDocsTexts();
    expect(generated.openapi.includes('"version":"@@HUB_API_VERSION@@"')).toBe(true);
    expect(generated.docsPage.includes('href="@@HUB_OPENAPI_HREF@@"')).toBe(true);
    // Compared as text: another Node's Brotli may compress the same text differently.
    expect(
      committedText(OPENAPI_FILE) === generated.openapi,
      'shared/openapi/generated/openapi.json is stale: run `npm run openapi`',
    ).toBe(true);
    expect(
      committedText(DOCS_PAGE_FILE) === generated.docsPage,
      'shared/openapi/generated/docs-page.json is stale: run `npm run openapi`',
    ).toBe(true);
  }, 60_000);

  it.each(ENVS)('filled with $name, is byte for byte the document and page built at init', ({ env }) => {
    const values = servedValues(env);
    const built = builtAtInit(env);
    const document = servedOpenApiJson(readPrebuilt(OPENAPI_FILE), values);
    const page = servedDocsPage(readPrebuilt(DOCS_PAGE_FILE), values);
    // Compared as strings first: a diff of two 400 KB texts is unreadable, the first difference is not.
    const firstDifference = (a: string, b: string) => {
      if (a === b) return 'none';
      let at = 0;
      while (a[at] === b[at]) at++;
      return `at ${at}: ${a.slice(Math.max(0, at - 80), at + 80)}`;
    };
    expect(firstDifference(document, built.document)).toBe('none');
    expect(firstDifference(page, built.page)).toBe('none');
    expect(JSON.parse(document).info.version).toBe(values.version);
  });

  it('differs with the values (the tokens are filled, not dropped)', () => {
    const [a, b] = [ENVS[0]!, ENVS[1]!].map(({ env }) =>
      servedOpenApiJson(readPrebuilt(OPENAPI_FILE), servedValues(env)),
    );
    expect(a).not.toBe(b);
    expect(JSON.parse(b!).servers).toEqual([{ url: 'https://x.example/v1', description: 'This deployment' }]);
  });
});

describe('the documentation handlers', () => {
  const saved = { version: process.env[ENV.apiVersion], basePath: process.env[ENV.apiBasePath] };
  const setEnv = (name: string, value: string | undefined) => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  afterEach(() => {
    setEnv(ENV.apiVersion, saved.version);
    setEnv(ENV.apiBasePath, saved.basePath);
  });

  it.each(ENVS.slice(0, 3))(
    'serve, with $name, what they built at init',
    async ({ env }) => {
      setEnv(ENV.apiVersion, env[ENV.apiVersion]);
      setEnv(ENV.apiBasePath, env[ENV.apiBasePath]);
      // A fresh container: the modules read the environment when they load.
      vi.resetModules();
      const openapi = await import('../../functions/docs/openapi.js');
      const docs = await import('../../functions/docs/page.js');
      const get = (path: string) => event({ httpMethod: 'GET', path, resource: path });
      const built = builtAtInit(env);
      const json = await openapi.handler(get('/openapi.json'), context());
      expect(json.statusCode).toBe(200);
      expect(json.body === built.document, 'GET /openapi.json differs from the document built at init').toBe(true);
      const html = await docs.handler(get('/docs'), context());
      expect(html.statusCode).toBe(200);
      expect(html.body === built.page, 'GET /docs differs from the page built at init').toBe(true);
    },
    30_000,
  );

  it('bundle neither the route table, the document builder, the schemas nor zod', async () => {
    for (const entry of ['functions/docs/openapi.ts', 'functions/docs/page.ts']) {
      // As CDK bundles them (infra/constructs/hub-function.ts): ESM, packages' module builds first.
      const result = await build({
        entryPoints: [join(ROOT, entry)],
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'node',
        mainFields: ['module', 'main'],
        metafile: true,
        logLevel: 'silent',
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(
        inputs.some((i) => i.endsWith('shared/openapi/generated/openapi.json') || i.endsWith('docs-page.json')),
      ).toBe(true);
      const unwanted = inputs.filter((i) => UNWANTED.some((u) => u.test(i)));
      expect(unwanted, entry).toEqual([]);
    }
  }, 60_000);
});
