import { describe, expect, it } from 'vitest';
import { safeParse } from 'zod/v4/core';
import * as z from 'zod';
import { ROUTES, type RouteDef } from '../../functions/routes.js';
import {
  buildOpenApiDocument,
  LOCAL_SERVER_URL,
  type OpenApiDocument,
  type OpenApiOperation,
} from '../../shared/openapi/document.js';
import { renderDocsPage } from '../../shared/openapi/page.js';
import { SCOPES, fullScope } from '../../shared/identity/roles.js';
import { PROBLEM_CONTENT_TYPE } from '../../shared/http/problem.js';
import { FEEDBACK_EVENT_TYPES, FEEDBACK_MESSAGES } from '../../events/schemas/feedback-message.js';
import { loadSample } from '../support/samples.js';

const routes = ROUTES as readonly RouteDef[];
const doc = buildOpenApiDocument(routes, { version: '1.2.3', serverUrl: 'https://api.example/prod' });

const operationOf = (d: OpenApiDocument, route: RouteDef): OpenApiOperation => {
  const op = d.paths[route.path]?.[route.method.toLowerCase() as 'get'];
  if (!op) throw new Error(`${route.method} ${route.path} missing from the document`);
  return op;
};

/** Every `$ref` in the document resolves to a component. */
const refsOf = (value: unknown, out: string[] = []): string[] => {
  if (Array.isArray(value)) {
    for (const v of value) refsOf(v, out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsOf(v, out);
    }
  }
  return out;
};

/** A `#/components/...` reference resolved in a document. */
const resolveRef = (d: unknown, ref: string): any =>
  ref
    .slice(2)
    .split('/')
    .reduce<any>((node, key) => node?.[key], d);
const deref = (d: unknown, schema: any): any =>
  schema && typeof schema.$ref === 'string' ? deref(d, resolveRef(d, schema.$ref)) : schema;

const keysOf = (value: unknown, out = new Set<string>()): Set<string> => {
  if (Array.isArray(value)) {
    for (const v of value) keysOf(v, out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      keysOf(v, out);
    }
  }
  return out;
};

const fakeRoute = (overrides: Partial<RouteDef>): RouteDef => ({
  id: 'fake',
  method: 'GET',
  path: '/fake',
  handler: 'functions/fake.ts',
  auth: 'public',
  throttle: { rateLimit: 1, burstLimit: 1 },
  summary: 'Fake',
  tags: ['fake'],
  response: { status: 200 },
  ...overrides,
});

describe('buildOpenApiDocument', () => {
  it('is OpenAPI 3.1 with info, servers and the oauth2 scheme listing every scope', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('AMHP Referral Hub API');
    expect(doc.info.version).toBe('1.2.3');
    expect(doc.info.description).toMatch(/problem\+json/);
    expect(doc.info.description).toMatch(/Idempotency-Key/);
    expect(doc.info.description).toMatch(/If-Match/);
    expect(doc.servers).toEqual([{ url: 'https://api.example/prod', description: 'This deployment' }]);
    const { flows } = doc.components.securitySchemes.oauth2;
    expect(flows.clientCredentials.tokenUrl).toBe('/oauth2/token');
    expect(flows.authorizationCode.authorizationUrl).toBe('/oauth2/authorize');
    expect(flows.authorizationCode.tokenUrl).toBe('/oauth2/token');
    for (const flow of [flows.clientCredentials, flows.authorizationCode]) {
      expect(Object.keys(flow.scopes).sort()).toEqual(SCOPES.map(fullScope).sort());
      for (const description of Object.values(flow.scopes)) expect(description.length).toBeGreaterThan(0);
    }
    const custom = buildOpenApiDocument(routes, { version: '1', tokenUrl: 'https://auth.example/oauth2/token' });
    expect(custom.components.securitySchemes.oauth2.flows.clientCredentials.tokenUrl).toBe(
      'https://auth.example/oauth2/token',
    );
    expect(custom.servers).toEqual([{ url: LOCAL_SERVER_URL, description: 'The local stack (npm start)' }]);
  });

  it('has every route under its path and method with its operationId, and nothing else', () => {
    for (const route of routes) expect(operationOf(doc, route).operationId).toBe(route.id);
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(ids.sort()).toEqual(routes.map((r) => r.id).sort());
  });

  it('documents the scopes, roles and public routes', () => {
    for (const route of routes) {
      const op = operationOf(doc, route);
      if (route.auth === 'public') {
        expect(op.security).toEqual([]);
        expect(op['x-roles']).toBeUndefined();
        expect(op.responses['401']).toBeUndefined();
        continue;
      }
      // API Gateway accepts any one of the route's scopes: one requirement per scope.
      const scopes = op.security.flatMap((requirement) => requirement.oauth2 ?? []);
      expect(scopes).toEqual(route.auth.scopes.map(fullScope));
      // The token and the API key together: the key selects the partner's usage plan (per-client limits, #15).
      for (const requirement of op.security) expect(Object.keys(requirement)).toEqual(['oauth2', 'apiKey']);
      expect(op['x-roles']).toEqual([...route.auth.roles]);
      for (const status of ['401', '403', '429']) expect(op.responses[status], `${route.id} ${status}`).toBeDefined();
    }
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' });
  });

  it('gives every request body a JSON schema and an example', () => {
    const withBody = routes.filter((r) => r.request?.body);
    expect(withBody.length).toBeGreaterThan(0);
    for (const route of withBody) {
      const op = operationOf(doc, route);
      const media = op.requestBody?.content['application/json'];
      expect(media?.schema, route.id).toBeDefined();
      const examples = media?.examples ? Object.values(media.examples).map((e) => e.value) : [media?.example];
      expect(examples[0], `${route.id} needs .meta({ example }) on its body schema`).toBeDefined();
      // Every example must satisfy the route's own body schema.
      for (const example of examples) expect(safeParse(route.request!.body!, example).success, route.id).toBe(true);
      for (const status of ['400', '413', '415']) expect(op.responses[status], `${route.id} ${status}`).toBeDefined();
    }
  });

  it('documents path parameters as required, one per template segment', () => {
    for (const route of routes) {
      const op = operationOf(doc, route);
      const names = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const pathParams = op.parameters.filter((p) => p.in === 'path');
      expect(
        pathParams.map((p) => p.name),
        route.id,
      ).toEqual(names);
      for (const p of pathParams) expect(p.required).toBe(true);
      if (names.length > 0) expect(op.responses['404'], route.id).toBeDefined();
    }
    const getAmhp = operationOf(doc, routes.find((r) => r.id === 'getAmhp')!);
    expect(getAmhp.parameters.find((p) => p.name === 'amhpId')?.schema).toMatchObject({
      type: 'string',
      pattern: expect.any(String),
    });
  });

  it('documents query parameters with input semantics (defaults and coercion are optional)', () => {
    const op = operationOf(doc, routes.find((r) => r.id === 'listAudit')!);
    const query = op.parameters.filter((p) => p.in === 'query');
    expect(query.map((p) => p.name)).toEqual(['referralId', 'organisationId', 'from', 'to', 'limit', 'cursor']);
    for (const p of query) expect(p.required, p.name).toBe(false);
    expect(query.find((p) => p.name === 'limit')?.schema).toMatchObject({ type: 'integer', default: 50, maximum: 100 });
    expect(op.responses['400']).toBeDefined();
  });

  it('documents headers: correlation id everywhere, Idempotency-Key, If-Match, ETag and Idempotent-Replayed', () => {
    for (const route of routes) {
      const op = operationOf(doc, route);
      const header = (name: string) => op.parameters.find((p) => p.in === 'header' && p.name === name);
      expect(header('X-Correlation-ID')?.required, route.id).toBe(false);
      const key = route.request?.idempotencyKey;
      if (key) {
        expect(header('Idempotency-Key')?.required, route.id).toBe(key === 'required');
        expect(op.responses['422'], route.id).toBeDefined();
        expect(op.responses[String(route.response.status)]?.headers?.['Idempotent-Replayed'], route.id).toBeDefined();
      } else {
        expect(header('Idempotency-Key'), route.id).toBeUndefined();
      }
      if (route.request?.ifMatch) {
        expect(header('If-Match')?.required, route.id).toBe(true);
        expect(op.responses['412'] && op.responses['428'], route.id).toBeDefined();
      } else if (route.method === 'PUT') {
        // Create or replace: If-Match only when replacing.
        expect(header('If-Match')?.required, route.id).toBe(false);
        // …and 428 when the resource exists and If-Match is missing.
        expect(op.responses['412'] && op.responses['428'], route.id).toBeDefined();
      } else {
        expect(header('If-Match'), route.id).toBeUndefined();
      }
      // Exactly the headers the route declares it sends (the contract test checks them on real answers).
      expect(Boolean(op.responses[String(route.response.status)]?.headers?.ETag), route.id).toBe(
        route.response.headers?.includes('ETag') ?? false,
      );
      if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method))
        expect(op.responses['409'], route.id).toBeDefined();
    }
  });

  it('documents success bodies and content types', () => {
    for (const route of routes) {
      const success = operationOf(doc, route).responses[String(route.response.status)];
      expect(success, route.id).toBeDefined();
      if (route.response.body) expect(success?.content?.['application/json']?.schema, route.id).toBeDefined();
      if (route.response.contentType)
        expect(Object.keys(success?.content ?? {}), route.id).toEqual([route.response.contentType]);
    }
    expect(Object.keys(doc.paths['/docs']!.get!.responses['200']!.content!)).toEqual(['text/html']);
    expect(Object.keys(doc.paths['/openapi.json']!.get!.responses['200']!.content!)).toEqual(['application/json']);
  });

  it('has problem responses in application/problem+json referencing the shared Problem schema', () => {
    expect(doc.components.schemas.Problem).toMatchObject({
      type: 'object',
      required: ['type', 'title', 'status', 'detail'],
      properties: { correlationId: expect.any(Object), errors: expect.any(Object) },
    });
    for (const route of routes) {
      const op = operationOf(doc, route);
      for (const status of ['500', '503']) expect(op.responses[status], route.id).toBeDefined();
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue;
        expect(Object.keys(response.content ?? {}), `${route.id} ${status}`).toEqual([PROBLEM_CONTENT_TYPE]);
        expect(response.content![PROBLEM_CONTENT_TYPE]!.schema).toEqual({ $ref: '#/components/schemas/Problem' });
      }
      expect(op.responses['429']?.headers?.['Retry-After']).toBeDefined();
    }
  });

  it('is plain JSON: round-trips, no $schema in paths, every $ref resolves', () => {
    const text = JSON.stringify(doc);
    expect(JSON.parse(text)).toEqual(doc);
    expect(keysOf(doc.paths).has('$schema')).toBe(false);
    expect(keysOf(doc.components.schemas).has('$schema')).toBe(false);
    expect(text).not.toContain('#/$defs/');
    for (const ref of refsOf(doc)) {
      expect(ref).toMatch(/^#\/components\/(schemas|headers)\/[A-Za-z0-9._-]+$/);
      expect(resolveRef(doc, ref), ref).toBeDefined();
    }
    // Response schemas stay open to additive fields; request bodies declared strict stay closed.
    const view = deref(
      doc,
      doc.paths['/v1/amhps/{amhpId}']!.get!.responses['200']!.content!['application/json']!.schema!,
    );
    expect(view.additionalProperties).toBeUndefined();
    const input = deref(doc, doc.paths['/v1/amhps/{amhpId}']!.put!.requestBody!.content['application/json']!.schema!);
    expect(input.additionalProperties).toBe(false);
  });

  it('does not throw on refinements, transforms, coercion, defaults, recursion or ids', () => {
    type Node = { name: string; children: Node[] };
    const NodeSchema: z.ZodType<Node> = z.lazy(() => z.object({ name: z.string(), children: z.array(NodeSchema) }));
    const Shared = z.object({ code: z.string() }).meta({ id: 'OpenApiTestShared' });
    const route = fakeRoute({
      id: 'tricky',
      method: 'POST',
      path: '/tricky/{n}',
      auth: { scopes: ['referrals.write'], roles: ['referrer'] },
      request: {
        params: z.object({ n: z.coerce.number().int() }),
        query: z
          .object({ when: z.string().transform((s) => new Date(s)), page: z.coerce.number().default(1) })
          .refine(() => true),
        body: z
          .object({ tree: NodeSchema, a: Shared, b: Shared.optional(), at: z.date().optional() })
          .refine(() => true)
          .meta({ examples: [{ tree: { name: 'x', children: [] }, a: { code: 'c' } }] }),
        idempotencyKey: 'required',
      },
      response: {
        status: 201,
        body: z.object({ tree: NodeSchema, a: Shared, size: z.string().transform((s) => s.length) }),
      },
    });
    const tricky = buildOpenApiDocument([route], { version: '0' });
    const op = tricky.paths['/tricky/{n}']!.post!;
    expect(op.requestBody?.content['application/json']?.example).toEqual({
      tree: { name: 'x', children: [] },
      a: { code: 'c' },
    });
    expect(op.parameters.find((p) => p.name === 'page')?.required).toBe(false);
    expect(op.parameters.find((p) => p.name === 'n')?.schema).toMatchObject({ type: 'integer' });
    expect(op.responses['201']?.headers?.['Idempotent-Replayed']).toBeDefined();
    expect(tricky.components.schemas.OpenApiTestShared).toBeDefined();
    expect(keysOf(tricky.paths).has('$schema')).toBe(false);
    for (const ref of refsOf(tricky)) expect(resolveRef(tricky, ref), ref).toBeDefined();
    expect(() => renderDocsPage(tricky)).not.toThrow();
  });

  it('has a webhook per feedback type: POST, Standard Webhooks headers, the message schema as the body', () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual(FEEDBACK_EVENT_TYPES.map((t) => `referral.${t}`).sort());
    for (const type of FEEDBACK_EVENT_TYPES) {
      const op = doc.webhooks[`referral.${type}`]!.post;
      expect(op.tags).toEqual(['webhooks']);
      expect(op.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
        ['webhook-id', 'header', true],
        ['webhook-timestamp', 'header', true],
        ['webhook-signature', 'header', true],
      ]);
      const schema = deref(doc, op.requestBody.content['application/json']!.schema);
      expect(schema.properties.type.const).toBe(`referral.${type}`);
      expect(schema.required).toEqual(['type', 'timestamp', 'data']);
      // Exactly the fields the type's message schema allows, and the sample's fields among them.
      const shape = FEEDBACK_MESSAGES[type].shape.data.shape;
      expect(Object.keys(schema.properties.data.properties).sort()).toEqual(Object.keys(shape).sort());
      expect(schema.properties.data.properties.event.const).toBe(type);
      const sample = loadSample<{ data: Record<string, unknown> }>(`webhooks/referral.${type}.json`);
      for (const field of Object.keys(sample.data))
        expect(schema.properties.data.properties, `${type}.${field}`).toHaveProperty(field);
      for (const field of schema.properties.data.required)
        expect(sample.data, `${type}.${field}`).toHaveProperty(field);
      // Open to additions, as response bodies are: receivers ignore fields they do not know.
      expect(JSON.stringify(schema)).not.toContain('"additionalProperties":false');
      expect(JSON.stringify(deref(doc, schema.properties.data))).not.toContain('"additionalProperties":false');
    }
    expect(
      deref(doc, doc.webhooks['referral.not-accepted']!.post.requestBody.content['application/json']!.schema),
    ).toHaveProperty('properties.data.properties.disposition');
    expect(
      deref(doc, doc.webhooks['referral.accepted']!.post.requestBody.content['application/json']!.schema),
    ).not.toHaveProperty('properties.data.properties.disposition');
    for (const ref of refsOf(doc.webhooks)) expect(resolveRef(doc, ref), ref).toBeDefined();
  });

  it('refuses an inconsistent route table', () => {
    const a = fakeRoute({ id: 'a' });
    expect(() => buildOpenApiDocument([a, { ...a, path: '/other' }], { version: '0' })).toThrow(/Duplicate route id/);
    expect(() => buildOpenApiDocument([a, { ...a, id: 'b' }], { version: '0' })).toThrow(/Duplicate route GET/);
    expect(() =>
      buildOpenApiDocument([fakeRoute({ request: { params: z.object({ missing: z.string() }) } })], { version: '0' }),
    ).toThrow(/not in/);
  });
});

describe('renderDocsPage', () => {
  const page = renderDocsPage(doc);

  it('is a self-contained, accessible HTML page', () => {
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('<html lang="en">');
    expect(page).toMatch(/<main id="main">/);
    expect(page).toMatch(/<nav /);
    expect(page).toMatch(/<h1>/);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<link /i);
    expect(page).not.toMatch(/\ssrc=/i);
    // The only links: in-page anchors and the OpenAPI document.
    for (const [, href] of page.matchAll(/href="([^"]*)"/g))
      expect(href).toMatch(/^(#.+|https:\/\/api\.example\/prod\/openapi\.json)$/);
    expect(page).toContain('href="https://api.example/prod/openapi.json"');
    expect(renderDocsPage(buildOpenApiDocument(routes, { version: '1' }))).toContain(
      `href="${LOCAL_SERVER_URL}/openapi.json"`,
    );
    expect(page).toContain('<details>');
  });

  it('lists every operation with its scopes, roles and request example', () => {
    for (const route of routes) {
      expect(page, route.id).toContain(`id="op-${route.id}"`);
      expect(page, route.id).toContain(`<code>${route.id}</code>`);
      if (route.auth !== 'public') {
        for (const scope of route.auth.scopes) expect(page).toContain(fullScope(scope));
        for (const role of route.auth.roles) expect(page).toContain(`<code>${role}</code>`);
      }
    }
    for (const tag of new Set(routes.flatMap((r) => r.tags)))
      expect(page).toMatch(new RegExp(`<h2 id="[^"]+">${tag}</h2>`));
    expect(page).toContain('Sam Patel');
  });

  it('escapes everything that comes from the document', () => {
    const evil = fakeRoute({
      id: 'evil"><img src=x onerror=alert(1)>',
      summary: '<script>alert(1)</script>',
      tags: ['<b>tag</b>'],
      path: '/evil/{id}',
      request: {
        params: z.object({ id: z.string().describe('<i>id</i>') }),
        body: z.object({ x: z.string() }).meta({ example: { x: '</pre><script>alert(2)</script>' } }),
      },
    });
    const html = renderDocsPage(buildOpenApiDocument([evil], { version: '<v>' }));
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>tag</b>');
    expect(html).not.toContain('<i>id</i>');
    expect(html).not.toContain('<v>');
  });
});
