/** GET /problems/{slug}: the page a problem `type` URI resolves to (public, built from the catalogue). */
import { publicRoute } from '../../shared/http/stack.js';
import type { ProblemKind } from '../../shared/http/problem.js';
import { renderProblemPage } from '../../shared/openapi/problem-page.js';
import { getProblemRoute } from '../routes/get-problem.js';

export const handler = publicRoute(getProblemRoute, async ({ params }) => ({
  statusCode: 200,
  headers: { 'Cache-Control': 'public, max-age=3600' },
  body: renderProblemPage((params as { slug: ProblemKind }).slug),
  contentType: 'text/html; charset=utf-8',
}));
