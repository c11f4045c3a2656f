/**
 * OperationOutcome: how the FHIR facade says no. Each issue's `expression` names the FHIR
 * element at fault; diagnostics never echo a submitted value (DOMAIN §8).
 */
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

export type IssueCode = OperationOutcomeIssue['code'];

export interface FhirIssue {
  readonly code: IssueCode;
  readonly message: string;
  readonly expression?: string;
  readonly severity?: 'error' | 'fatal' | 'warning';
}

export const operationOutcome = (issues: readonly FhirIssue[], correlationId?: string): OperationOutcome => ({
  resourceType: 'OperationOutcome',
  ...(correlationId ? { id: correlationId } : {}),
  issue: issues.map((i) => ({
    severity: i.severity ?? 'error',
    code: i.code,
    details: { text: i.message },
    ...(i.expression ? { expression: [i.expression] } : {}),
  })),
});

/** The OperationOutcome issue code for an HTTP status the Hub answers with. */
export function issueCodeOfStatus(status: number): IssueCode {
  if (status === 401) return 'login';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409 || status === 412 || status === 428) return 'conflict';
  if (status === 413) return 'too-long';
  if (status === 415) return 'not-supported';
  if (status === 422) return 'duplicate';
  if (status === 429) return 'throttled';
  if (status >= 500) return status === 503 ? 'transient' : 'exception';
  return 'invalid';
}

/**
 * A zod/JSON-Pointer path of the request as sent to a FHIR route (the Bundle, the query, a
 * header) as FHIRPath: `/entry/2/resource/birthDate` → `Bundle.entry[2].resource.birthDate`.
 */
export function expressionOfPointer(pointer: string, root = 'Bundle'): string {
  if (pointer.startsWith('/headers/'))
    return pointer.slice('/headers/'.length) === 'Idempotency-Key' ? 'X-Request-ID' : pointer.slice('/headers/'.length);
  if (pointer.startsWith('/query/')) return pointer.slice('/query/'.length);
  if (pointer.startsWith('/params/')) return pointer.slice('/params/'.length);
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : `${acc}.${p}`), root);
}

/**
 * A validator's issue text without the values it may quote: medplum names the property in
 * quotes for unknown elements (a key, kept) but may quote a value elsewhere (replaced).
 */
export function safeIssueText(text: string | undefined): string {
  if (!text) return 'invalid';
  if (/^Invalid additional property "[A-Za-z0-9_]+"$/.test(text)) return text;
  return text.replace(/"[^"]*"/g, '(value)');
}
