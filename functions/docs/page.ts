import { ROUTES } from '../routes.js';
import { publicRoute } from '../../shared/http/stack.js';
import { buildOpenApiDocument } from '../../shared/openapi/document.js';
import { renderDocsPage } from '../../shared/openapi/page.js';
import { renderDataDictionary } from '../../shared/deidentify/dictionary-page.js';
import { ENV } from '../../shared/env.js';
import { getDocsRoute } from '../routes/get-docs.js';

const reference = renderDocsPage(
  buildOpenApiDocument(ROUTES, {
    version: process.env[ENV.apiVersion] ?? '1.0.0',
    serverUrl: process.env[ENV.apiBasePath] ?? '',
  }),
);
// The extracts' data dictionary is one more section of the reference, generated from its own definition.
const page = reference.includes('</main>')
  ? reference.replace('</main>', `${renderDataDictionary()}\n</main>`)
  : reference;

export const handler = publicRoute(getDocsRoute, async () => ({
  statusCode: 200,
  headers: { 'Cache-Control': 'public, max-age=300' },
  body: page,
  contentType: 'text/html; charset=utf-8',
}));
