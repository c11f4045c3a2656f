/**
 * The shape of a route (#18: route types live in shared/http; the route table itself, the ONE
 * list of routes, is functions/routes.ts). CDK, the local adapter, the OpenAPI document and the
 * middleware read routes through these types.
 */
import type * as z from 'zod';
import type { Role, Scope } from '../identity/roles.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Throttle {
  /** Steady-state requests per second for one client on this method. */
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface RouteAuth {
  /** The token needs at least one of these scopes (API Gateway's rule for authorization scopes). */
  readonly scopes: readonly Scope[];
  /** Roles that may use the route at all; the handler still checks the resource (403/404). */
  readonly roles: readonly Role[];
  /** `person` when only a signed-in person may call (decisions that need an `actorId`). */
  readonly caller?: 'any' | 'person' | 'system';
}

export interface RouteDef {
  /** Stable id: the Lambda function's logical name, the OpenAPI operationId, the audit `route`. */
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway resource path with `{param}` segments. */
  readonly path: string;
  /** Module path from the project root; it exports `handler`. */
  readonly handler: string;
  /** `public` routes have no authorizer (health, the API description). */
  readonly auth: RouteAuth | 'public';
  readonly throttle: Throttle;
  readonly summary: string;
  /** What the operation does, for the OpenAPI document and /docs; the summary when absent. */
  readonly description?: string;
  readonly tags: readonly string[];
  /**
   * A retired route: every response carries `Deprecation` (and `Sunset` when set) headers and
   * the OpenAPI operation is `deprecated` (docs/versioning.md).
   */
  readonly retired?: RouteRetirement;
  readonly request?: {
    readonly params?: z.core.$ZodType;
    readonly query?: z.core.$ZodType;
    readonly body?: z.core.$ZodType;
    /** Idempotency-Key header: required on creates, accepted on every other write. */
    readonly idempotencyKey?: 'required' | 'optional';
    /**
     * `on-conflict`: no read before the write; a reused key shows up as the idempotency
     * record's failed condition, and is answered from it then. Only for routes whose outcome
     * does not depend on state a replay would find changed (creates without If-Match).
     */
    readonly idempotencyLookup?: 'before' | 'on-conflict';
    /** If-Match header required (428 when missing). */
    readonly ifMatch?: boolean;
  };
  readonly response: {
    readonly status: number;
    readonly body?: z.core.$ZodType;
    readonly contentType?: string;
    /** Other media types the route answers with when `Accept` asks for them (e.g. `text/csv`). */
    readonly alternatives?: readonly string[];
    /** Headers on the success response beyond the ones every route has (documented and contract-tested). */
    readonly headers?: readonly ('ETag' | 'Location')[];
    /** A create-or-replace PUT: 201 with Location when it creates, `status` when it replaces. */
    readonly created?: boolean;
  };
  /** Secrets the handler reads at start-up (CDK grants exactly these). */
  readonly secrets?: readonly SecretId[];
  /**
   * `analytics`: the handler reads de-identified data only; it gets `analytics` and the
   * registry partitions of `hub` (to resolve its caller), never referrals.
   */
  readonly data?: 'analytics';
}

export interface RouteRetirement {
  /** When it was deprecated (RFC 3339): sent as `Deprecation: @<epoch seconds>`. */
  readonly deprecatedAt: string;
  /** When it stops answering (RFC 3339): sent as `Sunset` (an HTTP date). */
  readonly sunsetAt?: string;
  /** Where to read about the replacement: sent as `Link: <…>; rel="deprecation"`. */
  readonly link?: string;
}

/** Keys held outside the data (Secrets Manager in AWS; generated key files locally). */
/** `cursorKey`: list routes sign and check their page cursors with it (shared/http/cursor.ts). */
export type SecretId = 'personMatchKey' | 'pseudonymisationKey' | 'cursorKey';
