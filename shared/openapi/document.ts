/**
 * The OpenAPI 3.1 description of the Hub, generated from the one route table and its zod
 * schemas (named in zod's registry by components.ts, converted by schema-collector.ts, one
 * operation per route by operations.ts). Pure: no AWS imports, no I/O; the docs handlers serve
 * its result, `npm test` lints it with Redocly, and the TypeScript client is generated from it.
 */
import type * as z from 'zod';
import type { RouteDef } from '../http/route.js';
import { SCOPES, fullScope, type Scope } from '../identity/roles.js';
import { FEEDBACK_EVENT_TYPES, FEEDBACK_MESSAGES, WEBHOOK_HEADERS } from '../../events/schemas/feedback-message.js';
import { registerComponentNames } from './components.js';
import { buildOperation, RESPONSE_HEADERS } from './operations.js';
import { descriptionOf, openObjects, PROBLEM_SCHEMA_NAME, SchemaCollector } from './schema-collector.js';
import { API_DESCRIPTION, TAG_DESCRIPTIONS } from './description.js';
import { serversOf } from './servers.js';
import type {
  JsonSchema,
  OpenApiDocument,
  OpenApiOptions,
  OpenApiParameter,
  OpenApiPathItem,
  OpenApiWebhookOperation,
} from './types.js';

export type * from './types.js';
export { exampleOf, PROBLEM_SCHEMA_NAME } from './schema-collector.js';

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

export { LOCAL_SERVER_URL } from './servers.js';

const problemSchema = (): JsonSchema => ({
  type: 'object',
  description:
    'RFC 9457 problem details. Details never echo submitted values. `type` resolves to a page saying what to do.',
  properties: {
    type: {
      type: 'string',
      format: 'uri-reference',
      description: 'The problem type: its page is at `/problems/<slug>` on the Hub.',
    },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 100, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string', format: 'uri-reference' },
    correlationId: { type: 'string', description: 'Quote it when reporting a problem.' },
    code: {
      type: 'string',
      description: 'The stable code of the domain rule that refused the request (listed on the problem page).',
    },
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

const REF_PREFIX = '#/components/schemas/';

/**
 * Walks the JSON values from `roots`, calling `onRef` with the component name of every `$ref`;
 * what it returns (a component's schema, or undefined to stop there) is walked in turn.
 */
function followRefs(roots: unknown[], onRef: (name: string) => unknown): void {
  const queue: unknown[] = [...roots];
  while (queue.length) {
    const value = queue.pop();
    if (Array.isArray(value)) queue.push(...value);
    else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key === '$ref' && typeof item === 'string' && item.startsWith(REF_PREFIX)) {
          const next = onRef(item.slice(REF_PREFIX.length));
          if (next !== undefined) queue.push(next);
        } else queue.push(item);
      }
    }
  }
}

/** Receivers must ignore fields a later version adds: the message's components are left open. */
function openComponents(schemas: SchemaCollector, root: JsonSchema): JsonSchema {
  const seen = new Set<string>();
  followRefs([root], (name) => {
    if (seen.has(name) || !schemas.components[name]) return undefined;
    seen.add(name);
    schemas.components[name] = openObjects(schemas.components[name]) as JsonSchema;
    return schemas.components[name];
  });
  return openObjects(root) as JsonSchema;
}

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
          `${descriptionOf(schema) ?? ''} Sent to each active subscription of the referring organisation that lists ` +
          (`\`${type}\`, signed as Standard Webhooks (https://www.standardwebhooks.com/). Answer 2xx within ` +
            `5 s; anything `) +
          'else is retried with backoff for 24 h, then parked for the AMHP service to replay. Deduplicate on ' +
          '`webhook-id`; ' +
          "order one referral's messages by `data.sequence`.",
        tags: ['webhooks'],
        // The receiver authenticates the Hub by the signature headers, not by a token.
        security: [],
        parameters: headers,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: openComponents(
                schemas,
                schemas.convert(schema as z.core.$ZodType, 'output', `Webhook_${type}`, { component: true }),
              ),
            },
          },
        },
        responses: {
          '200': {
            description:
              'Received. Any 2xx will do; any other answer, a redirect or no answer within 5 s counts as a failed ' +
              'attempt.',
          },
        },
      };
      return [`referral.${type}`, { post: operation }];
    }),
  );
}

/** Components no operation or webhook reaches are dropped (a linter rightly flags them). */
function reachable(
  document: Omit<OpenApiDocument, 'components'>,
  components: Record<string, JsonSchema>,
): Record<string, JsonSchema> {
  const seen = new Set<string>([PROBLEM_SCHEMA_NAME]);
  followRefs([document.paths, document.webhooks, components[PROBLEM_SCHEMA_NAME]], (name) => {
    if (seen.has(name)) return undefined;
    seen.add(name);
    return components[name];
  });
  return Object.fromEntries(Object.entries(components).filter(([name]) => seen.has(name)));
}

export function buildOpenApiDocument(routes: readonly RouteDef[], options: OpenApiOptions): OpenApiDocument {
  registerComponentNames();
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
    const item = paths[route.path] ?? {};
    paths[route.path] = item;
    if (item[method]) throw new Error(`Duplicate route ${route.method} ${route.path}`);
    item[method] = buildOperation(route, schemas);
    for (const tag of route.tags) if (!tags.includes(tag)) tags.push(tag);
  }
  const webhooks = buildWebhooks(schemas);
  tags.push('webhooks');
  const servers = serversOf(options.serverUrl);

  const body = {
    openapi: '3.1.0' as const,
    info: {
      title: 'AMHP Referral Hub API',
      version: options.version,
      description: API_DESCRIPTION,
      contact: { name: 'The AMHP service running this Hub' },
      license: {
        name: 'Proprietary: partner agencies under a data-sharing agreement',
        identifier: 'LicenseRef-Proprietary',
      },
    },
    servers,
    tags: tags.map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? name })),
    paths,
    webhooks,
  };
  return {
    ...body,
    components: {
      schemas: reachable(body, { [PROBLEM_SCHEMA_NAME]: problemSchema(), ...schemas.components }),
      headers: Object.fromEntries(
        Object.entries(RESPONSE_HEADERS).filter(([name]) =>
          JSON.stringify(body).includes(`"#/components/headers/${name}"`),
        ),
      ),
      securitySchemes: {
        oauth2: {
          type: 'oauth2',
          description:
            "Access tokens from the Hub's authorization server (Amazon Cognito in AWS; the local stack issues its " +
            'own). ' +
            'Partner systems use the client-credentials grant: `POST <tokenUrl>` with HTTP Basic ' +
            '`client_id:client_secret` and ' +
            '`grant_type=client_credentials` (form-encoded), optionally `scope=hub/referrals.write …`; ' +
            'the answer is ' +
            '`{ access_token, token_type: "Bearer", expires_in }` (one hour). People sign in with the ' +
            'authorization-code grant ' +
            'and PKCE (the console). Scopes carry the resource server prefix (e.g. `hub/referrals.read`). A ' +
            'missing scope is ' +
            'answered with 401, like a bad token.',
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
            "Sent with the bearer token on every authorised call in AWS: it selects the partner's own usage plan, " +
            'so one ' +
            "partner (or a stolen token) cannot use up another's capacity. Each partner system has its own key and " +
            'plan; ' +
            "the console's people share one. The limits are in RateLimit-Policy on every authorised answer and, per " +
            "operation, in `x-throttle` (per second and burst, before the plan's scale). The local stack does not " +
            'ask for the key.',
        },
      },
    },
  };
}
