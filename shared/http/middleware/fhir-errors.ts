/**
 * The FHIR routes' error mapper: every error leaves as an OperationOutcome
 * (application/fhir+json), never problem+json, with each field problem's place as a FHIRPath
 * `expression`. The same statuses, transient handling and logging as errors.ts.
 */
import { HttpProblem } from '../problem.js';
import { stateIfStarted, type HubMiddleware } from '../request-state.js';
import { expressionOfPointer, issueCodeOfStatus, operationOutcome, type FhirIssue } from '../../domain/fhir/outcome.js';
import { mapErrors } from './errors.js';

export const FHIR_CONTENT_TYPE = 'application/fhir+json';

/** Thrown by FHIR handlers: issues already named by FHIR element. */
export class FhirOutcomeError extends Error {
  override name = 'FhirOutcomeError';
  constructor(
    readonly status: number,
    readonly issues: readonly FhirIssue[],
  ) {
    super('FHIR request refused');
  }
}

export const fhirResponse = (status: number, body: object, headers: Record<string, string> = {}) => ({
  statusCode: status,
  headers: { 'Content-Type': FHIR_CONTENT_TYPE, ...headers },
  body: JSON.stringify(body),
});

export const mapFhirErrors = (): HubMiddleware => {
  // Unknown and transient errors: classified and logged exactly as on the JSON routes, then re-shaped.
  const problems = mapErrors();
  return {
    onError: async (request) => {
      const correlationId = stateIfStarted(request)?.correlationId;
      const error = request.error;
      if (error instanceof FhirOutcomeError) {
        request.response = fhirResponse(error.status, operationOutcome(error.issues, correlationId));
        return;
      }
      if (error instanceof HttpProblem) {
        const code = issueCodeOfStatus(error.status);
        const issues: FhirIssue[] = error.errors?.length
          ? error.errors.map((e) => ({ code, message: e.message, expression: expressionOfPointer(e.pointer) }))
          : [{ code, message: error.detail }];
        if (error.errors?.length) issues.unshift({ code, message: error.detail, severity: 'error' });
        request.response = fhirResponse(error.status, operationOutcome(issues, correlationId), error.headers);
        return;
      }
      await problems.onError!(request);
      const r = request.response;
      if (!r) return;
      const detail = (JSON.parse(r.body || '{}') as { detail?: string }).detail ?? 'error';
      const { 'Content-Type': _ct, ...headers } = (r.headers ?? {}) as Record<string, string>;
      request.response = fhirResponse(
        r.statusCode,
        operationOutcome([{ code: issueCodeOfStatus(r.statusCode), message: detail }], correlationId),
        headers,
      );
    },
  };
};
