/** GET /fhir/R4/metadata: the CapabilityStatement (public, like every FHIR server's). */
import { fhirPublicRoute } from '../../shared/http/fhir-stack.js';
import { capabilityStatement } from '../../shared/domain/fhir/capability.js';
import { getFhirMetadataRoute } from '../routes/get-fhir-metadata.js';

// The date of this statement's content, not of the request: it changes when the facade does.
const STATEMENT_DATE = '2026-12-04';

export const handler = fhirPublicRoute(getFhirMetadataRoute, async () => ({
  statusCode: 200,
  body: capabilityStatement(STATEMENT_DATE),
}));
