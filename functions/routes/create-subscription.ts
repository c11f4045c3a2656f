import type { RouteDef } from '../../shared/http/route.js';
import { DEFAULT_THROTTLE } from '../../shared/http/rate-limits.js';
import { SubscriptionCreate, SubscriptionView } from '../../shared/schemas/feedback.js';

export const createSubscriptionRoute = {
  id: 'createSubscription',
  method: 'POST',
  path: '/v1/subscriptions',
  handler: 'functions/feedback/create-subscription.ts',
  auth: { scopes: ['feedback.manage'], roles: ['referrer'] },
  throttle: DEFAULT_THROTTLE,
  summary: 'Register a webhook for feedback on your referrals (Standard Webhooks; the secret is shown once)',
  description:
    'A referrer registers an https URL for feedback webhooks on its referrals. The signing secret is ' +
    'returned once, here; messages are signed as Standard Webhooks.',
  tags: ['feedback'],
  request: { body: SubscriptionCreate, idempotencyKey: 'required' },
  response: { status: 201, body: SubscriptionView, headers: ['Location'] },
} as const satisfies RouteDef;
