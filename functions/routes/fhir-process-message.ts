import type { RouteDef } from '../../shared/http/route.js';
import { DEFAULT_THROTTLE } from '../../shared/http/rate-limits.js';
import { FhirMessageBundle } from '../../shared/schemas/fhir.js';

export const fhirProcessMessageRoute = {
  id: 'fhirProcessMessage',
  method: 'POST',
  path: '/fhir/R4/$process-message',
  handler: 'functions/fhir/process-message.ts',
  auth: { scopes: ['referrals.write'], roles: ['referrer'] },
  throttle: DEFAULT_THROTTLE,
  summary: 'Refer with a BaRS-shaped FHIR message (X-Request-ID is the retry key); answers a response message Bundle',
  tags: ['fhir'],
  request: { body: FhirMessageBundle, idempotencyKey: 'required', idempotencyLookup: 'on-conflict' },
  response: { status: 200, contentType: 'application/fhir+json' },
  secrets: ['personMatchKey'],
} as const satisfies RouteDef;
