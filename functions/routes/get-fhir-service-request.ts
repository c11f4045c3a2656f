import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { FhirIdParams } from '../../shared/schemas/fhir.js';

export const getFhirServiceRequestRoute = {
  id: 'getFhirServiceRequest',
  method: 'GET',
  path: '/fhir/R4/ServiceRequest/{id}',
  handler: 'functions/fhir/get-service-request.ts',
  auth: { scopes: ['referrals.read'], roles: ['referrer'] },
  throttle: READ_THROTTLE,
  summary: 'A referral as a FHIR ServiceRequest (identifiers, priority, status; the person withheld)',
  tags: ['fhir'],
  request: { params: FhirIdParams },
  response: { status: 200, contentType: 'application/fhir+json' },
} as const satisfies RouteDef;
