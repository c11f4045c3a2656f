import { ROUTES } from '../routes.js';
import { publicRoute } from '../../shared/http/stack.js';
import { buildOpenApiDocument } from '../../shared/openapi/document.js';

// Built once per container: the route table does not change while it runs.
const document = JSON.stringify(buildOpenApiDocument(ROUTES, { version: process.env.API_VERSION ?? '1.0.0', serverUrl: process.env.API_BASE_PATH ?? '' }));

export const handler = publicRoute('getOpenApi', async () => ({
  statusCode: 200,
  headers: { 'Cache-Control': 'public, max-age=300' },
  body: document,
  contentType: 'application/json',
}));
