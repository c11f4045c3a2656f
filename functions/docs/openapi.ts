import { publicRoute } from '../../shared/http/stack.js';
import { servedOpenApiJson, servedValues } from '../../shared/openapi/served.js';
import prebuilt from '../../shared/openapi/generated/openapi.json' with { type: 'json' };
import { getOpenApiRoute } from '../routes/get-open-api.js';

// Generated from the route table ahead of time (npm run openapi): building it here cost ~180 ms of
// init and bundled every route's schemas (#21). This deployment's version and URL go in once per container.
const document = servedOpenApiJson(prebuilt, servedValues());

export const handler = publicRoute(getOpenApiRoute, async () => ({
  statusCode: 200,
  headers: { 'Cache-Control': 'public, max-age=300' },
  body: document,
  contentType: 'application/json',
}));
