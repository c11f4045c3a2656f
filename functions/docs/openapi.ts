import { ROUTES } from '../routes.js';
import { publicRoute } from '../../shared/http/stack.js';
import { buildOpenApiDocument } from '../../shared/openapi/document.js';
import { ENV } from '../../shared/env.js';
import { getOpenApiRoute } from '../routes/get-open-api.js';

// Built once per container: the route table does not change while it runs.
const document = JSON.stringify(
  buildOpenApiDocument(ROUTES, {
    version: process.env[ENV.apiVersion] ?? '1.0.0',
    serverUrl: process.env[ENV.apiBasePath] ?? '',
  }),
);

export const handler = publicRoute(getOpenApiRoute, async () => ({
  statusCode: 200,
  headers: { 'Cache-Control': 'public, max-age=300' },
  body: document,
  contentType: 'application/json',
}));
