/**
 * The console's weight and its OpenAPI-driven forms' pure parts (issue #16): the bundle stays
 * ≤ 100 KB minified (the README states the figure), `$ref`s and unions of the served document
 * resolve whether inline (today) or in named components with a discriminator, and every event
 * the lifecycle table lets a person send has a member in the served union.
 */
import { describe, expect, it } from 'vitest';
import { buildConsole } from '../../console/build.js';
import { resolve, variants, words, type OpenApiDoc } from '../../console/src/openapi.js';
import { TRANSITIONS } from '../../shared/domain/lifecycle.js';
import { buildOpenApiDocument } from '../../shared/openapi/document.js';
import { ROUTES } from '../../functions/routes.js';

const LIMIT = 100 * 1024;

describe('console bundle', () => {
  it('app.js is at most 100 KB minified', async () => {
    const files = await buildConsole();
    const size = files.get('app.js')!.body.length;
    console.info(
      `console app.js: ${(size / 1024).toFixed(1)} KB minified, ` +
        `app.css ${(files.get('app.css')!.body.length / 1024).toFixed(1)} KB`,
    );
    expect(size).toBeGreaterThan(10_000);
    expect(size).toBeLessThanOrEqual(LIMIT);
  }, 60_000);
});

describe('schema-form', () => {
  const served = buildOpenApiDocument(ROUTES, { version: '1', serverUrl: '' }) as unknown as OpenApiDoc;
  const events = served.paths['/v1/referrals/{id}/events']!.post!.requestBody!.content!['application/json']!.schema!;

  it('finds a member of the served event union for every event type of the lifecycle table', () => {
    const byType = variants(served, events, 'type');
    expect([...byType.keys()].sort()).toEqual(Object.keys(TRANSITIONS).sort());
    expect(byType.get('not-accept')?.required).toEqual(expect.arrayContaining(['reason', 'disposition', 'nextSteps']));
  });

  it('resolves $refs into components and a discriminator mapping (the named-components form of the document)', () => {
    const accept = {
      type: 'object',
      properties: { type: { type: 'string', const: 'accept' }, reason: { type: 'string' } },
      required: ['type', 'reason'],
    };
    const close = {
      type: 'object',
      properties: { type: { type: 'string', const: 'close' }, reason: { $ref: '#/components/schemas/CloseReason' } },
    };
    const doc: OpenApiDoc = {
      paths: {},
      components: {
        schemas: {
          Accept: accept,
          Close: close,
          CloseReason: { type: 'string', enum: ['completed', 'duplicate'] },
          Event: {
            oneOf: [{ $ref: '#/components/schemas/Accept' }, { $ref: '#/components/schemas/Close' }],
            discriminator: {
              propertyName: 'type',
              mapping: { accept: '#/components/schemas/Accept', close: '#/components/schemas/Close' },
            },
          },
          Alias: { $ref: '#/components/schemas/Event' },
        },
      },
    };
    const byType = variants(doc, { $ref: '#/components/schemas/Alias' });
    expect([...byType.keys()]).toEqual(['accept', 'close']);
    expect(resolve(doc, (byType.get('close')!.properties as Record<string, { $ref: string }>).reason)).toEqual({
      type: 'string',
      enum: ['completed', 'duplicate'],
    });
    // Without a mapping: each member's const tells them apart.
    const { discriminator: _d, ...plain } = doc.components!.schemas!.Event!;
    expect([...variants(doc, plain).keys()]).toEqual(['accept', 'close']);
  });

  it('names fields in words', () => {
    expect(words('reasonsInWriting')).toBe('Reasons in writing');
    expect(words('not-accept')).toBe('Not accept');
    expect(words('nhsNumber')).toBe('NHS number');
    expect(words('gp')).toBe('GP');
  });
});
