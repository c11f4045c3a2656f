/**
 * The served OpenAPI document, read without a schema library: `$ref`s resolved, a union's
 * members found by their discriminator or `const`. Pure (no DOM): unit-tested, and the form
 * builder (schema-form.ts) stands on it.
 */
export type Schema = { [keyword: string]: unknown };
export interface OpenApiDoc {
  readonly paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  readonly components?: { schemas?: Record<string, Schema> };
}

let served: Promise<OpenApiDoc> | undefined;
/** The API description, fetched once per page (it is public and cached for five minutes). */
export function openApi(): Promise<OpenApiDoc> {
  served ??= fetch('/openapi.json', { headers: { Accept: 'application/json' } }).then((r) => {
    if (!r.ok) throw new Error(`openapi.json: ${r.status}`);
    return r.json() as Promise<OpenApiDoc>;
  });
  served.catch(() => (served = undefined));
  return served;
}

/** A `$ref` (`#/components/schemas/X`, any local pointer) resolved, repeatedly. */
export function resolve(doc: OpenApiDoc, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let i = 0; i < 32 && typeof s.$ref === 'string'; i++) {
    const { $ref, ...rest } = s;
    let target: unknown = doc;
    for (const part of ($ref as string).replace(/^#\//, '').split('/')) {
      target = (target as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    s = { ...(target as Schema), ...rest };
  }
  return s;
}

/** The JSON request body schema of an operation. */
export const requestSchema = (doc: OpenApiDoc, path: string, method: string): Schema =>
  resolve(doc, doc.paths[path]?.[method]?.requestBody?.content?.['application/json']?.schema);

export const props = (s: Schema) => (s.properties ?? {}) as Record<string, Schema>;
export const members = (s: Schema) => ((s.oneOf ?? s.anyOf) as Schema[] | undefined) ?? [];

/** A union's members by the value of `key` (the discriminator's `mapping`, else each member's `const`). */
export function variants(doc: OpenApiDoc, schema: Schema, key?: string): Map<string, Schema> {
  const s = resolve(doc, schema);
  const disc = s.discriminator as { propertyName?: string; mapping?: Record<string, string> } | undefined;
  const name = key ?? disc?.propertyName ?? 'type';
  const out = new Map<string, Schema>();
  if (disc?.mapping) {
    for (const [value, $ref] of Object.entries(disc.mapping)) out.set(value, resolve(doc, { $ref }));
    return out;
  }
  for (const m of members(s)) {
    const member = resolve(doc, m);
    const p = resolve(doc, props(member)[name]);
    const value = p.const ?? (Array.isArray(p.enum) && p.enum.length === 1 ? p.enum[0] : undefined);
    if (typeof value === 'string' || typeof value === 'boolean') out.set(String(value), member);
  }
  return out;
}

/** "reasonsInWriting" → "Reasons in writing"; overridable per pointer. */
export const words = (name: string): string => {
  const spaced = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/-/g, ' ')
    .toLowerCase()
    // Initialisms read as people write them (NHS number, GP, RCRP ground).
    .replace(/\b(nhs|gp|ods|rcrp|lssa|amhp|cto|picu|camhs|mha)\b/g, (w) => w.toUpperCase());
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
};
