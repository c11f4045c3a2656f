/** One route of the route table as an OpenAPI operation (split from document.ts). */
import type { RouteDef } from '../http/route.js';
import { PROBLEM_CONTENT_TYPE, PROBLEM_KINDS, problemType, type ProblemKind } from '../http/problem.js';
import { PROBLEM_CATALOGUE } from '../http/problem-catalogue.js';
import {
  IDEMPOTENCY_HEADER,
  IDEMPOTENCY_KEY_PATTERN,
  RATE_LIMIT_POLICY_HEADER,
  REPLAYED_HEADER,
} from '../http/headers.js';
import { fullScope } from '../identity/roles.js';
import { exampleOf, namedExamplesOf, PROBLEM_SCHEMA_NAME, type SchemaCollector } from './schema-collector.js';
import type {
  JsonSchema,
  OpenApiHeader,
  OpenApiMediaType,
  OpenApiOperation,
  OpenApiParameter,
  OpenApiResponse,
} from './types.js';

const PROBLEM_REF = `#/components/schemas/${PROBLEM_SCHEMA_NAME}`;
const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content' };
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Reusable response headers (components.headers), each as the server sends it. */
export const RESPONSE_HEADERS: Record<string, OpenApiHeader> = {
  ETag: {
    description: 'The version of the resource: send it as If-Match on the next change.',
    required: true,
    schema: { type: 'string', pattern: '^"[0-9]+"$' },
  },
  Location: {
    description: 'The path of the resource this request created.',
    required: true,
    schema: { type: 'string', format: 'uri-reference' },
  },
  [REPLAYED_HEADER]: {
    description: '`true` when this is the stored response to an earlier request with the same Idempotency-Key.',
    required: false,
    schema: { type: 'string', enum: ['true'] },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying.',
    required: true,
    schema: { type: 'integer', minimum: 0 },
  },
  [RATE_LIMIT_POLICY_HEADER]: {
    description:
      'The caller\'s limits for this operation (draft-ietf-httpapi-ratelimit-headers): `"burst";q=<n>;w=1` ' +
      'requests in one second ' +
      'and `"sustained";q=<n>;w=60` in a minute, from its usage plan. No remaining figure is sent: the Hub cannot ' +
      'see it.',
    required: true,
    schema: { type: 'string', example: '"burst";q=40;w=1, "sustained";q=1200;w=60' },
  },
  Deprecation: {
    description: 'On a retired operation: when it was deprecated (RFC 9745, `@<epoch seconds>`).',
    required: false,
    schema: { type: 'string' },
  },
  Sunset: {
    description: 'On a retired operation: when it stops answering (RFC 8594, an HTTP date).',
    required: false,
    schema: { type: 'string' },
  },
};

const pathTemplateNames = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

const objectProperties = (
  json: JsonSchema,
): { properties: Record<string, JsonSchema>; required: Set<string> } | undefined => {
  if (json.type !== 'object' || !json.properties || typeof json.properties !== 'object') return undefined;
  return {
    properties: json.properties as Record<string, JsonSchema>,
    required: new Set(Array.isArray(json.required) ? (json.required as string[]) : []),
  };
};

const parameterFrom = (
  name: string,
  location: 'path' | 'query',
  schema: JsonSchema,
  required: boolean,
): OpenApiParameter => {
  const parameter: OpenApiParameter = { name, in: location, required, schema };
  if (typeof schema.description === 'string') parameter.description = schema.description;
  return parameter;
};

export const problemResponse = (kind: ProblemKind): OpenApiResponse => {
  const { status, title } = PROBLEM_KINDS[kind];
  const entry = PROBLEM_CATALOGUE[kind];
  const response: OpenApiResponse = {
    description: `${title}: ${entry.meaning} ${entry.action} (type ${problemType(kind)})`,
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: { $ref: PROBLEM_REF },
        example: { type: problemType(kind), title, status, detail: entry.meaning },
      },
    },
  };
  if (kind === 'too-many-requests' || kind === 'unavailable')
    response.headers = { 'Retry-After': headerRef('Retry-After') };
  return response;
};

const KIND_BY_STATUS: Record<number, ProblemKind> = Object.fromEntries(
  (Object.entries(PROBLEM_KINDS) as [ProblemKind, { status: number }][]).map(([kind, { status }]) => [status, kind]),
);

const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');

function requestParameters(route: RouteDef, schemas: SchemaCollector): OpenApiParameter[] {
  const request = route.request;
  const templateNames = pathTemplateNames(route.path);
  const parameters: OpenApiParameter[] = [];
  const pathParams = new Map<string, OpenApiParameter>();
  if (request?.params) {
    const object = objectProperties(schemas.convert(request.params, 'input', `${route.id}Params`));
    if (!object) throw new Error(`Route ${route.id}: request.params must be a zod object`);
    for (const [name, schema] of Object.entries(object.properties)) {
      if (!templateNames.includes(name))
        throw new Error(`Route ${route.id}: path parameter ${name} is not in ${route.path}`);
      pathParams.set(name, parameterFrom(name, 'path', schema, true));
    }
  }
  for (const name of templateNames)
    parameters.push(pathParams.get(name) ?? { name, in: 'path', required: true, schema: { type: 'string' } });
  if (request?.query) {
    const json = schemas.convert(request.query, 'input', `${route.id}Query`);
    const object = objectProperties(json);
    if (object) {
      for (const [name, schema] of Object.entries(object.properties))
        parameters.push(parameterFrom(name, 'query', schema, object.required.has(name)));
    } else {
      // Not a plain object (a union, say): describe the whole query as one form-exploded object.
      parameters.push({ name: 'query', in: 'query', required: false, style: 'form', explode: true, schema: json });
    }
  }
  if (request?.idempotencyKey) {
    parameters.push({
      name: IDEMPOTENCY_HEADER,
      in: 'header',
      required: request.idempotencyKey === 'required',
      description:
        'A unique key per intended change (a UUID is ideal): 8 to 128 letters, digits or `._:-`. A replay with the ' +
        'same key and ' +
        'body returns the first response (`Idempotent-Replayed: true`); the same key with a different body is ' +
        'refused (422). ' +
        'Keys are kept per caller for 24 hours.',
      schema: { type: 'string', minLength: 8, maxLength: 128, pattern: IDEMPOTENCY_KEY_PATTERN },
    });
  }
  return parameters;
}

export function buildOperation(route: RouteDef, schemas: SchemaCollector): OpenApiOperation {
  const request = route.request;
  const isPublic = route.auth === 'public';
  const isWrite = WRITE_METHODS.has(route.method);
  const templateNames = pathTemplateNames(route.path);
  const parameters = requestParameters(route, schemas);
  // PUT creates or replaces: If-Match is optional there unless the route requires it.
  const optionalIfMatch = !request?.ifMatch && route.method === 'PUT';
  if (request?.ifMatch || optionalIfMatch) {
    parameters.push({
      name: 'If-Match',
      in: 'header',
      required: !optionalIfMatch,
      description: optionalIfMatch
        ? 'To replace an existing resource: the ETag of the version being replaced (428 when it exists and this is ' +
          'missing, 412 when stale).'
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

  let requestBody: OpenApiOperation['requestBody'];
  if (request?.body) {
    const media: OpenApiMediaType = {
      schema: schemas.convert(request.body, 'input', `${pascal(route.id)}Request`, { component: true }),
    };
    const named = namedExamplesOf(request.body);
    const example = exampleOf(request.body);
    if (named) media.examples = named;
    else if (example !== undefined) media.example = example;
    requestBody = { required: true, content: { 'application/json': media } };
  }

  // Success: the route's status (and 201 for a create-or-replace that creates), then problems.
  const headers: OpenApiResponse['headers'] = {};
  for (const name of route.response.headers ?? []) if (name !== 'Location') headers[name] = headerRef(name);
  if (request?.idempotencyKey) headers[REPLAYED_HEADER] = headerRef(REPLAYED_HEADER);
  if (!isPublic) headers[RATE_LIMIT_POLICY_HEADER] = headerRef(RATE_LIMIT_POLICY_HEADER);
  if (route.retired) {
    headers.Deprecation = headerRef('Deprecation');
    if (route.retired.sunsetAt) headers.Sunset = headerRef('Sunset');
  }
  const content: Record<string, OpenApiMediaType> = {};
  if (route.response.body) {
    const media: OpenApiMediaType = {
      schema: schemas.convert(route.response.body, 'output', `${pascal(route.id)}Response`, { component: true }),
    };
    const example = exampleOf(route.response.body);
    if (example !== undefined) media.example = example;
    content[route.response.contentType ?? 'application/json'] = media;
  } else if (route.response.contentType) {
    const type = route.response.contentType;
    content[type] = { schema: isJson(type) ? { type: 'object' } : { type: 'string' } };
  }
  for (const type of route.response.alternatives ?? []) {
    content[type] = { schema: { type: 'string', description: `The same rows as ${type}, with a header row.` } };
  }
  const success = (status: number, extra: NonNullable<OpenApiResponse['headers']> = {}): OpenApiResponse => ({
    description: STATUS_TEXT[status] ?? 'Success',
    ...(Object.keys(headers).length + Object.keys(extra).length > 0 ? { headers: { ...headers, ...extra } } : {}),
    ...(Object.keys(content).length > 0 ? { content } : {}),
  });
  const responses: Record<string, OpenApiResponse> = {};
  const locationOnSuccess = route.response.headers?.includes('Location') ?? false;
  responses[String(route.response.status)] = success(
    route.response.status,
    locationOnSuccess ? { Location: headerRef('Location') } : {},
  );
  if (route.response.created) responses['201'] = success(201, { Location: headerRef('Location') });

  const statuses = new Set<number>([429, 500, 503]);
  if (request?.params || request?.query || request?.body || request?.idempotencyKey || templateNames.length > 0)
    statuses.add(400);
  if (!isPublic) {
    statuses.add(401);
    statuses.add(403);
  }
  if (templateNames.length > 0) statuses.add(404);
  statuses.add(406);
  if (isWrite && !isPublic) statuses.add(409);
  if (request?.ifMatch || optionalIfMatch) statuses.add(412);
  if (request?.ifMatch || optionalIfMatch) statuses.add(428);
  if (request?.body) {
    statuses.add(413);
    statuses.add(415);
  }
  if (request?.idempotencyKey) statuses.add(422);
  for (const status of [...statuses].sort((a, b) => a - b))
    responses[String(status)] = problemResponse(KIND_BY_STATUS[status]!);

  return {
    operationId: route.id,
    summary: route.summary,
    description: route.description ?? route.summary,
    tags: [...route.tags],
    // Both at once: the token authenticates, the API key selects the caller's usage plan (its limits).
    security: isPublic ? [] : route.auth.scopes.map((scope) => ({ oauth2: [fullScope(scope)], apiKey: [] })),
    ...(route.retired
      ? { deprecated: true, ...(route.retired.sunsetAt ? { 'x-sunset': route.retired.sunsetAt } : {}) }
      : {}),
    ...(isPublic ? {} : { 'x-roles': [...route.auth.roles] }),
    ...(!isPublic && route.auth.caller ? { 'x-caller': route.auth.caller } : {}),
    'x-throttle': { rateLimit: route.throttle.rateLimit, burstLimit: route.throttle.burstLimit },
    parameters,
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

export const pascal = (value: string): string => value.charAt(0).toUpperCase() + value.slice(1);
