import { publicRoute } from '../../shared/http/stack.js';
import { servedDocsPage, servedValues } from '../../shared/openapi/served.js';
import prebuilt from '../../shared/openapi/generated/docs-page.json' with { type: 'json' };
import { getDocsRoute } from '../routes/get-docs.js';

// The reference and the extracts' data dictionary, rendered ahead of time (npm run openapi) so init
// loads text instead of building the whole document (#21); this deployment's version and URL go in once.
const page = servedDocsPage(prebuilt, servedValues());

export const handler = publicRoute(getDocsRoute, async () => ({
  statusCode: 200,
  headers: { 'Cache-Control': 'public, max-age=300' },
  body: page,
  contentType: 'text/html; charset=utf-8',
}));
