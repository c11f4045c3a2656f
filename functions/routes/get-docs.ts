import type { RouteDef } from '../../shared/http/route.js';

export const getDocsRoute = {
  id: 'getDocs',
  method: 'GET',
  path: '/docs',
  handler: 'functions/docs/page.ts',
  auth: 'public',
  throttle: { rateLimit: 5, burstLimit: 10 },
  summary: 'Human-readable API reference',
  description: 'A self-contained HTML reference rendered from this document (no scripts).',
  tags: ['documentation'],
  response: { status: 200, contentType: 'text/html' },
} as const satisfies RouteDef;
