/**
 * The OpenAPI 3.1 description of the Hub, generated from the one route table and its zod
 * schemas. Pure: no AWS imports, no I/O; the docs handlers serve its result.
 *
 * Schemas are converted with zod 4's own `z.toJSONSchema` (JSON Schema 2020-12, the dialect of
 * OpenAPI 3.1): request parts with `io: 'input'` (what a client sends: defaults and coercions
 * make fields optional), response bodies with `io: 'output'`. Anything zod cannot express
 * (refinements, transforms) becomes `{}` rather than throwing. Schemas are inlined; only the
 * shared Problem schema and any `$defs` zod extracts (recursive schemas, `.meta({ id })`) live
 * under `components.schemas`.
 */
import * as z from 'zod';
import type { RouteDef } from '../http/route.js';
import { PROBLEM_CONTENT_TYPE, PROBLEM_KINDS, problemType, type ProblemKind } from '../http/problem.js';
import { SCOPES, fullScope, type Scope } from '../identity/roles.js';
import { FEEDBACK_EVENT_TYPES, FEEDBACK_MESSAGES, WEBHOOK_HEADERS } from '../../events/schemas/feedback-message.js';

export type JsonSchema = { [keyword: string]: unknown };

export interface OpenApiHeader {
  description?: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
  style?: string;
  explode?: boolean;
}

export interface OpenApiMediaType {
  schema?: JsonSchema;
  example?: unknown;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, OpenApiHeader>;
  content?: Record<string, OpenApiMediaType>;
}

export interface OpenApiWebhookOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  parameters: OpenApiParameter[];
  requestBody: { required: true; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponse>;
}

export type SecurityRequirement = Record<string, string[]>;

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  tags: string[];
  /** `[]` on public routes; otherwise one requirement per accepted scope (any one suffices). */
  security: SecurityRequirement[];
  'x-roles'?: string[];
  'x-caller'?: 'any' | 'person' | 'system';
  'x-throttle': { rateLimit: number; burstLimit: number };
  parameters: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponse>;
}

export type OpenApiPathItem = Partial<Record<'get' | 'post' | 'put' | 'patch' | 'delete', OpenApiOperation>>;

export interface OAuthFlow {
  authorizationUrl?: string;
  tokenUrl: string;
  scopes: Record<string, string>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string; description?: string }[];
  tags: { name: string }[];
  paths: Record<string, OpenApiPathItem>;
  /** The messages the Hub POSTs to a referrer's subscription URL, one per feedback type (events/schemas). */
  webhooks: Record<string, { post: OpenApiWebhookOperation }>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: {
      oauth2: {
        type: 'oauth2';
        description: string;
        flows: { clientCredentials: OAuthFlow; authorizationCode: OAuthFlow };
      };
      apiKey: { type: 'apiKey'; in: 'header'; name: string; description: string };
    };
  };
}

export interface OpenApiOptions {
  /** Base URL of the API (with any stage prefix); defaults to `/`. */
  serverUrl?: string;
  version: string;
  /** Defaults to `/oauth2/token`. */
  tokenUrl?: string;
  /** Defaults to `/oauth2/authorize`. */
  authorizationUrl?: string;
}

export const PROBLEM_SCHEMA_NAME = 'Problem';
const PROBLEM_REF = `#/components/schemas/${PROBLEM_SCHEMA_NAME}`;

const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  'referrals.write': 'Create referrals, add information, request withdrawal',
  'referrals.read': 'Read referrals visible to the caller',
  'referrals.manage': "AMHP service actions, including the service's AMHP register",
  'capacity.write': 'Report bed availability and answer bed requests',
  'capacity.read': 'Read bed availability and bed requests',
  'places.read': 'Read places of safety',
  'feedback.manage': 'Manage feedback subscriptions and deliveries',
  'extracts.read': 'Read aggregate extracts',
  'extracts.records': 'Read record-level extracts (granted per client under a data-sharing agreement)',
  'audit.read': 'Read access audit records',
};

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No content',
};

const PROBLEM_DETAILS: Record<ProblemKind, string> = {
  validation: 'The request does not match the schema; `errors` lists each field with a JSON Pointer.',
  unauthorized: 'The access token is missing, invalid or expired, or lacks the scope this operation needs.',
  forbidden: "The caller's role may not do this here.",
  'not-found': 'No such resource, or it is not visible to this caller.',
  'method-not-allowed': 'The resource does not support this method.',
  conflict: 'The request conflicts with the current state of the resource (illegal transition or conflicting state).',
  'precondition-failed': 'The If-Match version is stale: read the resource again and retry with its current ETag.',
  'payload-too-large': 'The request body is too large.',
  'unsupported-media-type': 'The request body must be application/json.',
  'idempotency-key-reused': 'This Idempotency-Key was already used with a different request body.',
  'precondition-required': 'This operation requires an If-Match header.',
  'too-many-requests': 'Rate limit exceeded for this client; retry after the Retry-After delay.',
  internal: 'An unexpected error; quote the correlationId when reporting it.',
  unavailable: 'The service is temporarily unavailable; retry later.',
};

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const problemSchema = (): JsonSchema => ({
  type: 'object',
  description: 'RFC 9457 problem details. Details never echo submitted values.',
  properties: {
    type: { type: 'string', format: 'uri', description: 'A URI identifying the kind of problem.' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 100, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string', format: 'uri-reference' },
    correlationId: { type: 'string', description: 'Quote it when reporting a problem.' },
    errors: {
      type: 'array',
      description: 'Validation problems, one per field.',
      items: {
        type: 'object',
        properties: {
          pointer: { type: 'string', description: 'RFC 6901 JSON Pointer into the request, e.g. `/person/nhsNumber`.' },
          message: { type: 'string' },
        },
        required: ['pointer', 'message'],
      },
    },
  },
  required: ['type', 'title', 'status', 'detail'],
});

// ---------------------------------------------------------------------------------------------
// zod -> JSON Schema

type Io = 'input' | 'output';

/** Collects `$defs` that zod extracted, hoisted into `components.schemas` under unique names. */
class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};
  private counter = 0;

  convert(schema: z.ZodType, io: Io, hint: string): JsonSchema {
    const raw = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
      cycles: 'ref',
      reused: 'inline',
      override: (ctx) => {
        // zod closes every (non-strict) object's output with `additionalProperties: false`
        // because it strips unknown keys. For a response that would forbid additive changes,
        // so response schemas leave unknown properties open: clients must ignore them.
        if (io !== 'output') return;
        const def = (ctx.zodSchema as { _zod: { def: { type: string; catchall?: unknown } } })._zod.def;
        if (def.type === 'object' && def.catchall === undefined && ctx.jsonSchema.additionalProperties === false) {
          delete ctx.jsonSchema.additionalProperties;
        }
      },
    }) as JsonSchema;
    const { $schema: _dialect, $defs, $id: _id, ...root } = raw;
    const defs = ($defs ?? {}) as Record<string, JsonSchema>;

    // `#/$defs/x` and a root self-reference `#` would point at the OpenAPI document's root once
    // inlined: move them into components.schemas and rewrite the references.
    const renames = new Map<string, string>();
    for (const [name, def] of Object.entries(defs)) {
      renames.set(`#/$defs/${name}`, this.claim(name.startsWith('__') ? `${hint}_${name.replace(/^_+/, '')}` : name, def, io));
    }
    const selfReferencing = containsRef(root, '#');
    let rootName: string | undefined;
    if (selfReferencing) {
      rootName = this.uniqueName(`${hint}`);
      renames.set('#', `#/components/schemas/${rootName}`);
    }
    for (const [name, def] of Object.entries(defs)) {
      const target = renames.get(`#/$defs/${name}`)!.slice('#/components/schemas/'.length);
      this.components[target] = rewriteRefs(def, renames) as JsonSchema;
    }
    const rewritten = rewriteRefs(root, renames) as JsonSchema;
    if (rootName) {
      this.components[rootName] = rewritten;
      return { $ref: `#/components/schemas/${rootName}` };
    }
    return rewritten;
  }

  /** Raw (pre-rewrite) text of each claimed def: the same extracted schema reuses its name. */
  private readonly claimed = new Map<string, string>();

  private claim(name: string, def: JsonSchema, io: Io): string {
    const raw = JSON.stringify(def);
    const clean = sanitiseComponentName(name);
    for (const candidate of [clean, `${clean}.${io}`]) {
      if (this.claimed.get(candidate) === raw) return `#/components/schemas/${candidate}`;
    }
    const target = this.claimed.has(clean) || clean === PROBLEM_SCHEMA_NAME ? this.uniqueName(`${clean}.${io}`) : clean;
    this.claimed.set(target, raw);
    this.components[target] = def; // replaced by the rewritten def
    return `#/components/schemas/${target}`;
  }

  private uniqueName(base: string): string {
    const clean = sanitiseComponentName(base);
    if (!(clean in this.components) && clean !== PROBLEM_SCHEMA_NAME) return clean;
    for (;;) {
      const candidate = `${clean}_${++this.counter}`;
      if (!(candidate in this.components)) return candidate;
    }
  }
}

const sanitiseComponentName = (name: string): string => name.replace(/[^A-Za-z0-9._-]/g, '_') || 'Schema';

const containsRef = (value: unknown, ref: string): boolean => {
  if (Array.isArray(value)) return value.some((item) => containsRef(item, ref));
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && item === ref) return true;
      if (containsRef(item, ref)) return true;
    }
  }
  return false;
};

const rewriteRefs = (value: unknown, renames: ReadonlyMap<string, string>): unknown => {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, renames));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = key === '$ref' && typeof item === 'string' ? (renames.get(item) ?? item) : rewriteRefs(item, renames);
    }
    return out;
  }
  return value;
};

/** The example a schema carries in zod's global registry (`.meta({ example })` or `examples`). */
export const exampleOf = (schema: z.ZodType): unknown => {
  const meta = z.globalRegistry.get(schema) as { example?: unknown; examples?: unknown } | undefined;
  if (meta?.example !== undefined) return meta.example;
  if (Array.isArray(meta?.examples) && meta.examples.length > 0) return meta.examples[0];
  if (meta?.examples && typeof meta.examples === 'object') {
    const first = Object.values(meta.examples as Record<string, unknown>)[0];
    if (first && typeof first === 'object' && 'value' in first) return (first as { value: unknown }).value;
  }
  return undefined;
};

// ---------------------------------------------------------------------------------------------
// Operations

const pathTemplateNames = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

const objectProperties = (json: JsonSchema): { properties: Record<string, JsonSchema>; required: Set<string> } | undefined => {
  if (json.type !== 'object' || !json.properties || typeof json.properties !== 'object') return undefined;
  return {
    properties: json.properties as Record<string, JsonSchema>,
    required: new Set(Array.isArray(json.required) ? (json.required as string[]) : []),
  };
};

const parameterFrom = (name: string, location: 'path' | 'query', schema: JsonSchema, required: boolean): OpenApiParameter => {
  const parameter: OpenApiParameter = { name, in: location, required, schema };
  if (typeof schema.description === 'string') parameter.description = schema.description;
  return parameter;
};

const problemResponse = (kind: ProblemKind, status: number): OpenApiResponse => {
  const response: OpenApiResponse = {
    description: `${PROBLEM_KINDS[kind].title}: ${PROBLEM_DETAILS[kind]} (type ${problemType(kind)})`,
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: { $ref: PROBLEM_REF },
        example: { type: problemType(kind), title: PROBLEM_KINDS[kind].title, status, detail: PROBLEM_DETAILS[kind] },
      },
    },
  };
  if (kind === 'too-many-requests') {
    response.headers = {
      'Retry-After': { description: 'Seconds to wait before retrying.', required: true, schema: { type: 'integer', minimum: 0 } },
    };
  }
  return response;
};

const KIND_BY_STATUS: Record<number, ProblemKind> = Object.fromEntries(
  (Object.entries(PROBLEM_KINDS) as [ProblemKind, { status: number }][]).map(([kind, { status }]) => [status, kind]),
);

const buildOperation = (route: RouteDef, schemas: SchemaCollector): OpenApiOperation => {
  const request = route.request;
  const isPublic = route.auth === 'public';
  const isWrite = WRITE_METHODS.has(route.method);
  const templateNames = pathTemplateNames(route.path);

  // Parameters: path, query, headers.
  const parameters: OpenApiParameter[] = [];
  const pathParams = new Map<string, OpenApiParameter>();
  if (request?.params) {
    const json = schemas.convert(request.params, 'input', `${route.id}Params`);
    const object = objectProperties(json);
    if (!object) throw new Error(`Route ${route.id}: request.params must be a zod object`);
    for (const [name, schema] of Object.entries(object.properties)) {
      if (!templateNames.includes(name)) throw new Error(`Route ${route.id}: path parameter ${name} is not in ${route.path}`);
      pathParams.set(name, parameterFrom(name, 'path', schema, true));
    }
  }
  for (const name of templateNames) parameters.push(pathParams.get(name) ?? { name, in: 'path', required: true, schema: { type: 'string' } });

  if (request?.query) {
    const json = schemas.convert(request.query, 'input', `${route.id}Query`);
    const object = objectProperties(json);
    if (object) {
      for (const [name, schema] of Object.entries(object.properties)) {
        parameters.push(parameterFrom(name, 'query', schema, object.required.has(name)));
      }
    } else {
      // Not a plain object (a union, say): describe the whole query as one form-exploded object.
      parameters.push({ name: 'query', in: 'query', required: false, style: 'form', explode: true, schema: json });
    }
  }

  if (request?.idempotencyKey) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: request.idempotencyKey === 'required',
      description:
        'A unique key per intended change. A replay with the same key and body returns the first response ' +
        '(`Idempotent-Replayed: true`); the same key with a different body is refused (422). Keys expire after 24 hours.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  // PUT creates or replaces: If-Match is optional there unless the route requires it.
  const optionalIfMatch = !request?.ifMatch && route.method === 'PUT';
  if (request?.ifMatch || optionalIfMatch) {
    parameters.push({
      name: 'If-Match',
      in: 'header',
      required: !optionalIfMatch,
      description: optionalIfMatch
        ? 'To replace an existing resource: the ETag of the version being replaced (412 when stale).'
        : 'The ETag of the version being changed: 428 when missing, 412 when stale.',
      schema: { type: 'string' },
    });
  }
  parameters.push({
    name: 'X-Correlation-ID',
    in: 'header',
    required: false,
    description: 'Correlates this request in logs and audit; generated when absent and returned in problem details.',
    schema: { type: 'string', maxLength: 128 },
  });

  // Request body.
  let requestBody: OpenApiOperation['requestBody'];
  if (request?.body) {
    const media: OpenApiMediaType = { schema: schemas.convert(request.body, 'input', `${route.id}Body`) };
    const example = exampleOf(request.body);
    if (example !== undefined) media.example = example;
    requestBody = { required: true, content: { 'application/json': media } };
  }

  // Responses: success first, then the problems this route can produce, ascending.
  const responses: Record<string, OpenApiResponse> = {};
  const success: OpenApiResponse = { description: STATUS_TEXT[route.response.status] ?? 'Success' };
  if (route.response.body) {
    const media: OpenApiMediaType = { schema: schemas.convert(route.response.body, 'output', `${route.id}Response`) };
    const example = exampleOf(route.response.body);
    if (example !== undefined) media.example = example;
    success.content = { [route.response.contentType ?? 'application/json']: media };
  } else if (route.response.contentType) {
    const type = route.response.contentType;
    success.content = { [type]: { schema: type === 'application/json' || type.endsWith('+json') ? { type: 'object' } : { type: 'string' } } };
  }
  const headers: Record<string, OpenApiHeader> = {};
  if (isWrite && (request?.ifMatch || route.method === 'PUT')) {
    headers.ETag = { description: 'The new version of the resource: send it as If-Match on the next change.', schema: { type: 'string' } };
  }
  if (request?.idempotencyKey) {
    headers['Idempotent-Replayed'] = {
      description: '`true` when this is the stored response to an earlier request with the same Idempotency-Key.',
      required: false,
      schema: { type: 'string', enum: ['true'] },
    };
  }
  if (Object.keys(headers).length > 0) success.headers = headers;
  responses[String(route.response.status)] = success;

  const statuses = new Set<number>([500, 503]);
  // Every method is throttled (route.throttle), public ones included.
  statuses.add(429);
  if (request?.params || request?.query || request?.body || templateNames.length > 0) statuses.add(400);
  if (!isPublic) {
    statuses.add(401);
    statuses.add(403);
  }
  if (templateNames.length > 0) statuses.add(404);
  if (isWrite) statuses.add(409);
  if (request?.ifMatch || optionalIfMatch) statuses.add(412);
  if (request?.ifMatch) statuses.add(428);
  if (request?.body) {
    statuses.add(413);
    statuses.add(415);
  }
  if (request?.idempotencyKey) statuses.add(422);
  for (const status of [...statuses].sort((a, b) => a - b)) {
    responses[String(status)] = problemResponse(KIND_BY_STATUS[status]!, status);
  }

  const operation: OpenApiOperation = {
    operationId: route.id,
    summary: route.summary,
    tags: [...route.tags],
    // Both at once: the token authenticates, the API key selects the caller's usage plan (its limits).
    security: isPublic ? [] : route.auth.scopes.map((scope) => ({ oauth2: [fullScope(scope)], apiKey: [] })),
    ...(isPublic ? {} : { 'x-roles': [...route.auth.roles] }),
    ...(!isPublic && route.auth.caller ? { 'x-caller': route.auth.caller } : {}),
    'x-throttle': { rateLimit: route.throttle.rateLimit, burstLimit: route.throttle.burstLimit },
    parameters,
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
  return operation;
};

// ---------------------------------------------------------------------------------------------

/** Drops `additionalProperties: false`: receivers must ignore fields a later version adds. */
const openObjects = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(openObjects);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k, v]) => !(k === 'additionalProperties' && v === false))
      .map(([k, v]) => [k, openObjects(v)]),
  );
};

/** One webhook per feedback type, from the message schemas in events/schemas/feedback-message.ts. */
function buildWebhooks(schemas: SchemaCollector): OpenApiDocument['webhooks'] {
  const headers: OpenApiParameter[] = Object.entries(WEBHOOK_HEADERS).map(([name, description]) => ({
    name,
    in: 'header',
    required: true,
    description,
    schema: { type: 'string' },
  }));
  return Object.fromEntries(
    FEEDBACK_EVENT_TYPES.map((type) => {
      const schema = FEEDBACK_MESSAGES[type];
      const operation: OpenApiWebhookOperation = {
        operationId: `webhook.referral.${type}`,
        summary: `referral.${type}`,
        description:
          `${schema.description ?? ''} Sent to each active subscription of the referring organisation that lists ` +
          `\`${type}\`, signed as Standard Webhooks (https://www.standardwebhooks.com/). Answer 2xx within 5 s; anything ` +
          'else is retried with backoff for 24 h, then parked for the AMHP service to replay. Deduplicate on `webhook-id`; ' +
          'order one referral\'s messages by `data.sequence`.',
        tags: ['webhooks'],
        parameters: headers,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: openObjects(schemas.convert(schema, 'output', `Webhook_${type}`)) as JsonSchema } },
        },
        responses: {
          '2XX': { description: 'Received. Any other answer, a redirect or no answer within 5 s counts as a failed attempt.' },
        },
      };
      return [`referral.${type}`, { post: operation }];
    }),
  );
}

export function buildOpenApiDocument(routes: readonly RouteDef[], options: OpenApiOptions): OpenApiDocument {
  const tokenUrl = options.tokenUrl ?? '/oauth2/token';
  const authorizationUrl = options.authorizationUrl ?? '/oauth2/authorize';
  const scopes = Object.fromEntries(SCOPES.map((scope) => [fullScope(scope), SCOPE_DESCRIPTIONS[scope]]));
  const schemas = new SchemaCollector();
  const paths: Record<string, OpenApiPathItem> = {};
  const tags: string[] = [];
  const operationIds = new Set<string>();

  for (const route of routes) {
    if (operationIds.has(route.id)) throw new Error(`Duplicate route id ${route.id}`);
    operationIds.add(route.id);
    const method = route.method.toLowerCase() as keyof OpenApiPathItem;
    const item = (paths[route.path] ??= {});
    if (item[method]) throw new Error(`Duplicate route ${route.method} ${route.path}`);
    item[method] = buildOperation(route, schemas);
    for (const tag of route.tags) if (!tags.includes(tag)) tags.push(tag);
  }
  const webhooks = buildWebhooks(schemas);
  tags.push('webhooks');

  return {
    openapi: '3.1.0',
    info: {
      title: 'AMHP Referral Hub API',
      version: options.version,
      description: [
        'Referral intake and data-sharing API for the partner agencies around an AMHP service.',
        '',
        '- **Authentication**: OAuth 2.0 access tokens. Partner systems use the client-credentials grant; ' +
          'people use the authorization-code grant (with PKCE). Each operation lists the scopes it accepts (any one suffices) ' +
          'and, as `x-roles`, the roles that may use it.',
        '- **Errors** are `application/problem+json` (RFC 9457): `type`, `title`, `status`, `detail`, a `correlationId`, ' +
          'and for validation failures `errors: [{ pointer, message }]` with JSON Pointers. Submitted values are never echoed.',
        '- **Idempotency-Key**: required on creates and accepted on every other write. A replay with the same key and body ' +
          'returns the first response with `Idempotent-Replayed: true`; the same key with a different body is refused (422). Keys expire after 24 hours.',
        '- **If-Match**: changes to versioned resources carry the ETag they were based on: 428 when missing, 412 when stale.',
        '- **Timestamps** are RFC 3339: input must carry an offset; output is UTC (`Z`).',
        '- **Lists** return `{ items, nextCursor }`; `limit` is at most 100 and the cursor is opaque.',
        '- **Rate limits**: 429 with `Retry-After`.',
      ].join('\n'),
    },
    servers: [{ url: options.serverUrl ?? '/' }],
    tags: tags.map((name) => ({ name })),
    paths,
    webhooks,
    components: {
      schemas: { [PROBLEM_SCHEMA_NAME]: problemSchema(), ...schemas.components },
      securitySchemes: {
        oauth2: {
          type: 'oauth2',
          description:
            'Access tokens from the Hub\'s authorization server. Scopes are prefixed with the resource server identifier ' +
            '(e.g. `hub/referrals.read`). A missing scope is answered with 401, like a bad token.',
          flows: {
            clientCredentials: { tokenUrl, scopes },
            authorizationCode: { authorizationUrl, tokenUrl, scopes },
          },
        },
        apiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'x-api-key',
          description:
            'Sent with the bearer token on every authorised call in AWS: it selects the partner\'s own usage plan, so one ' +
            'partner (or a stolen token) cannot use up another\'s capacity. Each partner system has its own key and plan; ' +
            "the console's people share one. The per-client limit of each operation is its `x-throttle` (requests per " +
            'second and burst); beyond it the answer is 429 with Retry-After. The AMHP service changes a partner\'s limits ' +
            'on request (README, "Deploy to AWS"). The local stack does not ask for the key.',
        },
      },
    },
  };
}
