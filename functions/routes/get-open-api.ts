import type { RouteDef } from '../../shared/http/route.js';

export const getOpenApiRoute = {
  id: 'getOpenApi',
  method: 'GET',
  path: '/openapi.json',
  handler: 'functions/docs/openapi.ts',
  auth: 'public',
  throttle: { rateLimit: 5, burstLimit: 10 },
  summary: 'This API described as OpenAPI 3.1',
  description:
    'This document: generated from the route table and its zod schemas, so it always matches the deployed handlers.',
  tags: ['documentation'],
  response: { status: 200, contentType: 'application/json' },
} as const satisfies RouteDef;
