import type { RouteDef } from '../../shared/http/route.js';
import { READ_THROTTLE } from '../../shared/http/rate-limits.js';
import { FhirIdParams } from '../../shared/schemas/fhir.js';

export const getFhirTaskRoute = {
  id: 'getFhirTask',
  method: 'GET',
  path: '/fhir/R4/Task/{id}',
  handler: 'functions/fhir/get-task.ts',
  auth: { scopes: ['referrals.read'], roles: ['referrer'] },
  throttle: READ_THROTTLE,
  summary: "A referral's status as a FHIR Task (the referrer's minimised view)",
  tags: ['fhir'],
  request: { params: FhirIdParams },
  response: { status: 200, contentType: 'application/fhir+json' },
} as const satisfies RouteDef;
