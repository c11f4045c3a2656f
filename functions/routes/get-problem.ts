import type { RouteDef } from '../../shared/http/route.js';
import { ProblemSlugParams } from '../../shared/schemas/problems.js';

export const getProblemRoute = {
  id: 'getProblem',
  method: 'GET',
  path: '/problems/{slug}',
  handler: 'functions/docs/problem.ts',
  auth: 'public',
  throttle: { rateLimit: 5, burstLimit: 10 },
  summary: 'What a problem type means and what to do (every problem `type` URI resolves here)',
  tags: ['documentation'],
  request: { params: ProblemSlugParams },
  response: { status: 200, contentType: 'text/html' },
} as const satisfies RouteDef;
