/**
 * RFC 9457 problem details. Every error the Hub returns, from a handler, the gateway or the
 * local adapter, has this shape. Details never echo submitted values.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
/**
 * Where problem pages are served (`GET /problems/{slug}`, public). A type is an absolute URI:
 * the base is the Hub's own address as the request reached it (scheme, host and stage), so the
 * URI resolves to the page on the deployment that answered; without a request (documents,
 * tests) it is the path alone. Clients compare the final path segment (the slug) or `code`.
 */
export const PROBLEM_PATH = '/problems/';

export const PROBLEM_KINDS = {
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  'precondition-failed': { status: 412, title: 'Precondition failed' },
  'payload-too-large': { status: 413, title: 'Payload too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  validation: { status: 400, title: 'Invalid request' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency-Key reused with a different request' },
  'precondition-required': { status: 428, title: 'Precondition required' },
  'not-acceptable': { status: 406, title: 'Not acceptable' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const;
export type ProblemKind = keyof typeof PROBLEM_KINDS;

/** The type URI of a kind; `base` is the Hub's base URL (no trailing slash), or none for a relative reference. */
export const problemType = (kind: ProblemKind, base = ''): string => `${base}${PROBLEM_PATH}${kind}`;

export interface FieldProblem {
  /** JSON Pointer (RFC 6901) into the request, e.g. `/person/nhsNumber`; query and path
   * parameters use `#/query/<name>` style pointers prefixed by their location. */
  readonly pointer: string;
  readonly message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  correlationId?: string;
  /** A stable code for the domain rule that refused the request (e.g. `allocation.inactive`). */
  code?: string;
  errors?: FieldProblem[];
}

/** Throw from anywhere in a handler; the error middleware renders it. */
export class HttpProblem extends Error {
  readonly kind: ProblemKind;
  readonly status: number;
  readonly detail: string;
  readonly errors: FieldProblem[] | undefined;
  readonly headers: Record<string, string>;
  readonly code: string | undefined;

  constructor(
    kind: ProblemKind,
    detail: string,
    options: { errors?: FieldProblem[]; headers?: Record<string, string>; code?: string } = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
    this.kind = kind;
    this.status = PROBLEM_KINDS[kind].status;
    this.detail = detail;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.code = options.code;
  }

  toBody(correlationId?: string, base?: string): ProblemBody {
    return problemBody(this.kind, this.detail, { errors: this.errors, correlationId, code: this.code, base });
  }
}

export const problemBody = (
  kind: ProblemKind,
  detail: string,
  options: {
    errors?: FieldProblem[] | undefined;
    correlationId?: string | undefined;
    code?: string | undefined;
    base?: string | undefined;
  } = {},
): ProblemBody => ({
  type: problemType(kind, options.base),
  title: PROBLEM_KINDS[kind].title,
  status: PROBLEM_KINDS[kind].status,
  detail,
  ...(options.correlationId ? { correlationId: options.correlationId } : {}),
  ...(options.code ? { code: options.code } : {}),
  ...(options.errors ? { errors: options.errors } : {}),
});

/** RFC 6901 escaping of one path segment. */
export { pointerOf } from '../domain/pointer.js';
