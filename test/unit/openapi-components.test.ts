/** The OpenAPI document's named types, discriminator, headers, CSV and examples (#17 item 1). */
import { describe, expect, it } from 'vitest';
import { ROUTES, type RouteDef } from '../../functions/routes.js';
import { DIMENSIONS } from '../../shared/deidentify/facts.js';
import { IDEMPOTENCY_KEY_PATTERN } from '../../shared/http/headers.js';
import { buildOpenApiDocument } from '../../shared/openapi/document.js';
import { REFERRAL_EVENT_INPUT_TYPES } from '../../shared/schemas/referral-events.js';
import { ReferralCreate, REFERRAL_CREATE_EXAMPLES } from '../../shared/schemas/referral.js';

const routes = ROUTES as readonly RouteDef[];
const doc = buildOpenApiDocument(routes, { version: '1' });
const op = (route: RouteDef) => doc.paths[route.path]![route.method.toLowerCase() as 'get']!;

describe('OpenAPI components', () => {
  it('every request body and JSON response body is a named component', () => {
    for (const route of routes) {
      const o = op(route);
      const body = o.requestBody?.content['application/json']?.schema;
      if (route.request?.body) expect(body?.$ref, route.id).toMatch(/^#\/components\/schemas\/[A-Z][A-Za-z0-9]+$/);
      const success = o.responses[String(route.response.status)]?.content?.['application/json']?.schema;
      if (route.response.body) expect(success?.$ref, route.id).toMatch(/^#\/components\/schemas\/[A-Z][A-Za-z0-9]+$/);
    }
    for (const [name, webhook] of Object.entries(doc.webhooks)) {
      expect(webhook.post.requestBody.content['application/json']!.schema!.$ref, name).toMatch(
        /^#\/components\/schemas\/Referral[A-Za-z]+Message$/,
      );
    }
  });

  it('the event union has a discriminator on `type` mapping every event type to a named schema', () => {
    const union = doc.components.schemas.ReferralEventInput as {
      oneOf: { $ref: string }[];
      discriminator: { propertyName: string; mapping: Record<string, string> };
    };
    expect(union.discriminator.propertyName).toBe('type');
    expect(Object.keys(union.discriminator.mapping).sort()).toEqual([...REFERRAL_EVENT_INPUT_TYPES].sort());
    for (const ref of Object.values(union.discriminator.mapping)) {
      expect(union.oneOf).toContainEqual({ $ref: ref });
      expect(doc.components.schemas[ref.split('/').pop()!]).toBeDefined();
    }
  });

  it('documents Idempotency-Key with the pattern the middleware enforces, and operation descriptions', () => {
    for (const route of routes) {
      const key = op(route).parameters.find((p) => p.name === 'Idempotency-Key');
      if (route.request?.idempotencyKey)
        expect(key?.schema).toMatchObject({ pattern: IDEMPOTENCY_KEY_PATTERN, minLength: 8, maxLength: 128 });
      expect(op(route).description.length, route.id).toBeGreaterThan(0);
      if (route.auth !== 'public')
        expect(op(route).responses[String(route.response.status)]?.headers, route.id).toHaveProperty(
          'RateLimit-Policy',
        );
    }
  });

  it('extracts answer text/csv too, and `by` lists the dimensions the schema allows', () => {
    const extracts = routes.filter((r) => r.path.startsWith('/v1/extracts/'));
    expect(extracts.length).toBeGreaterThan(0);
    for (const route of extracts)
      expect(Object.keys(op(route).responses['200']!.content!), route.id).toEqual(['application/json', 'text/csv']);
    const by = op(routes.find((r) => r.id === 'getDemandExtract')!).parameters.find((p) => p.name === 'by')!;
    const pattern = new RegExp(String(by.schema.pattern));
    for (const d of DIMENSIONS) expect(pattern.test(d), d).toBe(true);
    expect(pattern.test(DIMENSIONS.slice(0, 3).join(','))).toBe(true);
    expect(pattern.test(DIMENSIONS.slice(0, 4).join(','))).toBe(false);
    expect(pattern.test('nhsNumber')).toBe(false);
  });

  it('POST /v1/referrals has a named example per agency type, each valid', () => {
    const examples = op(routes.find((r) => r.id === 'createReferral')!).requestBody!.content['application/json']!
      .examples!;
    const agencies = new Set(Object.values(REFERRAL_CREATE_EXAMPLES).map((e) => e.agencyType));
    expect([...agencies].sort()).toEqual(['ambulance', 'cmht', 'emergency-department', 'police']);
    for (const [name, example] of Object.entries(examples))
      expect(ReferralCreate.safeParse(example.value).success, name).toBe(true);
    expect(Object.keys(examples)).toEqual(
      expect.arrayContaining(['police-s136-roadside', 'ambulance', 'ae-s5-2-ward', 'cmht-planned']),
    );
  });
});
