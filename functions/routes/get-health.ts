import type { RouteDef } from '../../shared/http/route.js';
import { HealthView } from '../../shared/schemas/health.js';

export const getHealthRoute = {
  id: 'getHealth',
  method: 'GET',
  path: '/health',
  handler: 'functions/health/get.ts',
  auth: 'public',
  throttle: { rateLimit: 5, burstLimit: 10 },
  summary: 'Liveness and readiness: DynamoDB reachable, stream lag, last schedule run',
  description:
    'Public. 200 when DynamoDB answers; the body reports stream lag and the last scheduled run for monitors.',
  tags: ['operations'],
  response: { status: 200, body: HealthView },
} as const satisfies RouteDef;
