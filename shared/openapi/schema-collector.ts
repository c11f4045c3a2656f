/**
 * zod → JSON Schema for the OpenAPI document, with zod 4's own `z.toJSONSchema` (JSON Schema
 * 2020-12, the dialect of OpenAPI 3.1). Request parts use `io: 'input'` (what a client sends:
 * defaults and coercions make fields optional), response bodies `io: 'output'`. Anything zod
 * cannot express (refinements, transforms) becomes `{}` rather than throwing.
 *
 * Schemas that carry an `id` in zod's global registry (`.meta({ id })`, see components.ts) are
 * extracted by zod into `$defs`; they are hoisted into `components.schemas` under that name so a
 * generated client has a named type for each. A discriminated union gets an OpenAPI
 * `discriminator` (property and mapping) from the zod union's own discriminator.
 */
import * as z from 'zod';
import type { JsonSchema } from './types.js';

export type Io = 'input' | 'output';

export const PROBLEM_SCHEMA_NAME = 'Problem';

type ZodInternals = {
  _zod: { def: Record<string, unknown> & { type: string }; propValues?: Record<string, Set<unknown>> };
};

/** The registry id of a schema, following zod's clone chain (`.refine` makes a clone that keeps the id). */
export const idOf = (schema: z.core.$ZodType): string | undefined => {
  const meta = z.globalRegistry.get(schema) as { id?: string } | undefined;
  return meta?.id;
};

/** `mapping` values (component refs) of a zod discriminated union's options, or undefined. */
const discriminatorOf = (
  schema: z.core.$ZodType,
): { propertyName: string; mapping: Record<string, string> } | undefined => {
  const def = (schema as unknown as ZodInternals)._zod.def;
  if (def.type !== 'union' || typeof def.discriminator !== 'string') return undefined;
  const property = def.discriminator;
  const mapping: Record<string, string> = {};
  for (const option of def.options as z.core.$ZodType[]) {
    const id = idOf(option);
    const values = (option as unknown as ZodInternals)._zod.propValues?.[property];
    if (!id || !values || values.size !== 1) return undefined;
    const [value] = [...values];
    if (typeof value !== 'string') return undefined;
    mapping[value] = `#/$defs/${id}`;
  }
  return { propertyName: property, mapping };
};

/** Collects `$defs` that zod extracted, hoisted into `components.schemas` under unique names. */
export class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};
  private counter = 0;
  /** Raw (pre-rewrite) text of each claimed def: the same extracted schema reuses its name. */
  private readonly claimed = new Map<string, string>();

  /**
   * `component`: the root itself becomes a named component (its registry id, else `hint`) and a
   * `$ref` to it is returned: request and response bodies. Parameters stay inline.
   */
  convert(schema: z.core.$ZodType, io: Io, hint: string, options: { component?: boolean } = {}): JsonSchema {
    const raw = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
      cycles: 'ref',
      reused: 'inline',
      override: (ctx) => {
        const zodSchema = ctx.zodSchema as unknown as z.core.$ZodType;
        const discriminator = discriminatorOf(zodSchema);
        if (discriminator && Array.isArray(ctx.jsonSchema.oneOf)) ctx.jsonSchema.discriminator = discriminator;
        // Examples live on the media type (named, one per agency type); a schema-level `example`
        // is deprecated in 3.1 and a map of named examples is not JSON Schema's `examples` array.
        delete ctx.jsonSchema.example;
        if (ctx.jsonSchema.examples !== undefined && !Array.isArray(ctx.jsonSchema.examples))
          delete ctx.jsonSchema.examples;
        // zod closes every (non-strict) object's output with `additionalProperties: false`
        // because it strips unknown keys. For a response that would forbid additive changes,
        // so response schemas leave unknown properties open: clients must ignore them.
        if (io !== 'output') return;
        const def = (zodSchema as unknown as ZodInternals)._zod.def;
        if (def.type === 'object' && def.catchall === undefined && ctx.jsonSchema.additionalProperties === false) {
          delete ctx.jsonSchema.additionalProperties;
        }
      },
    }) as JsonSchema;
    const { $schema: _dialect, $defs, $id: _id, id: _metaId, ...root } = raw;
    const defs = ($defs ?? {}) as Record<string, JsonSchema>;

    // `#/$defs/x` and a root self-reference `#` would point at the OpenAPI document's root once
    // inlined: move them into components.schemas and rewrite the references.
    const renames = new Map<string, string>();
    for (const [name, def] of Object.entries(defs)) {
      const wanted = name.startsWith('__') ? `${hint}_${name.replace(/^_+/, '')}` : name;
      renames.set(`#/$defs/${name}`, this.claim(wanted, def, io));
    }
    // A root with a registry id comes back as a bare `$ref` to its own `$defs` entry: already a component.
    const rootRef =
      typeof root.$ref === 'string' && Object.keys(root).length === 1 ? renames.get(root.$ref) : undefined;
    const selfReferencing = containsRef(root, '#') || Object.values(defs).some((def) => containsRef(def, '#'));
    let rootName: string | undefined;
    if (!rootRef && (options.component === true || selfReferencing)) {
      rootName = this.claimName(idOf(schema) ?? hint, root, io);
      renames.set('#', `#/components/schemas/${rootName}`);
    }
    for (const [name, def] of Object.entries(defs)) {
      const target = renames.get(`#/$defs/${name}`)!.slice('#/components/schemas/'.length);
      this.components[target] = rewriteRefs(def, renames) as JsonSchema;
    }
    if (rootRef) return { $ref: rootRef };
    const rewritten = rewriteRefs(root, renames) as JsonSchema;
    if (!rootName) return rewritten;
    this.components[rootName] = rewritten;
    return { $ref: `#/components/schemas/${rootName}` };
  }

  private claim(name: string, def: JsonSchema, io: Io): string {
    return `#/components/schemas/${this.claimName(name, def, io)}`;
  }

  /** A component name for this def: its own name, or `<name>Output`/`<name>Input` when io changes it. */
  private claimName(name: string, def: JsonSchema, io: Io): string {
    const raw = JSON.stringify(def);
    const clean = sanitiseComponentName(name);
    const suffixed = `${clean}${io === 'input' ? 'Input' : 'Output'}`;
    for (const candidate of [clean, suffixed]) {
      if (this.claimed.get(candidate) === raw) return candidate;
    }
    let target = clean;
    if (this.claimed.has(clean) || clean === PROBLEM_SCHEMA_NAME)
      target = this.claimed.has(suffixed) ? this.uniqueName(suffixed) : suffixed;
    this.claimed.set(target, raw);
    this.components[target] = def; // replaced by the rewritten def
    return target;
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

/** Rewrites `$ref`s and the refs of a discriminator's `mapping`. */
const rewriteRefs = (value: unknown, renames: ReadonlyMap<string, string>): unknown => {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, renames));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // zod marks a clone (`.superRefine` of an object) with a `$ref` to its parent beside the
    // clone's own full schema: the reference adds nothing and would leave the parent a component.
    const cloneOfObject = '$ref' in value && 'properties' in value;
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && cloneOfObject) continue;
      if (key === '$ref' && typeof item === 'string') out[key] = renames.get(item) ?? item;
      else if (key === 'discriminator' && item && typeof item === 'object' && 'mapping' in item) {
        const d = item as { propertyName: string; mapping: Record<string, string> };
        out[key] = {
          propertyName: d.propertyName,
          mapping: Object.fromEntries(Object.entries(d.mapping).map(([v, ref]) => [v, renames.get(ref) ?? ref])),
        };
      } else out[key] = rewriteRefs(item, renames);
    }
    return out;
  }
  return value;
};

/** Drops `additionalProperties: false`: receivers must ignore fields a later version adds. */
export const openObjects = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(openObjects);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k, v]) => !(k === 'additionalProperties' && v === false))
      .map(([k, v]) => [k, openObjects(v)]),
  );
};

/** A schema's description in zod's global registry (classic's `.description`; zod/mini has no getter). */
export const descriptionOf = (schema: z.core.$ZodType): string | undefined =>
  (z.globalRegistry.get(schema) as { description?: string } | undefined)?.description;

/** The example a schema carries in zod's global registry (`.meta({ example })` or `examples`). */
export const exampleOf = (schema: z.core.$ZodType): unknown => {
  const meta = z.globalRegistry.get(schema) as { example?: unknown; examples?: unknown } | undefined;
  if (meta?.example !== undefined) return meta.example;
  if (Array.isArray(meta?.examples) && meta.examples.length > 0) return meta.examples[0];
  if (meta?.examples && typeof meta.examples === 'object') {
    const first = Object.values(meta.examples as Record<string, unknown>)[0];
    if (first && typeof first === 'object' && 'value' in first) return (first as { value: unknown }).value;
  }
  return undefined;
};

/** Named examples (`.meta({ examples: { name: { summary, value } } })`), or undefined. */
export const namedExamplesOf = (
  schema: z.core.$ZodType,
): Record<string, { summary?: string; value: unknown }> | undefined => {
  const meta = z.globalRegistry.get(schema) as { examples?: unknown } | undefined;
  const examples = meta?.examples;
  if (!examples || typeof examples !== 'object' || Array.isArray(examples)) return undefined;
  return Object.fromEntries(
    Object.entries(examples as Record<string, { summary?: string; value: unknown }>).map(([name, e]) => [
      name,
      { ...(e.summary ? { summary: e.summary } : {}), value: e.value },
    ]),
  );
};
