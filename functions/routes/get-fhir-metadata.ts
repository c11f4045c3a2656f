import type { RouteDef } from '../../shared/http/route.js';

export const getFhirMetadataRoute = {
  id: 'getFhirMetadata',
  method: 'GET',
  path: '/fhir/R4/metadata',
  handler: 'functions/fhir/metadata.ts',
  auth: 'public',
  throttle: { rateLimit: 5, burstLimit: 10 },
  summary: 'FHIR R4 CapabilityStatement: exactly what the FHIR facade supports',
  tags: ['fhir'],
  response: { status: 200, contentType: 'application/fhir+json' },
} as const satisfies RouteDef;
