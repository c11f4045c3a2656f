/**
 * Names the schemas of the API in zod's global registry (the `.meta({ id })` of zod 4), so the
 * OpenAPI document has a named component for every request body, response body, event and
 * webhook message, and a generated client a named type for each. Done here, in one place,
 * rather than by editing each schema: a schema's export name is its component name, and a new
 * export in these modules is named without anyone remembering to. Names already set with
 * `.meta({ id })` in a schema module win.
 *
 * The members of the referral event union are named `<Type>Event` (`AllocateEvent`, …) so the
 * union's discriminator maps each `type` to a named schema.
 */
import * as z from 'zod';
import * as amhps from '../schemas/amhps.js';
import * as audit from '../schemas/audit.js';
import * as capacity from '../schemas/capacity.js';
import * as extracts from '../schemas/extracts.js';
import * as feedback from '../schemas/feedback.js';
import * as health from '../schemas/health.js';
import * as me from '../schemas/me.js';
import * as referralApi from '../schemas/referral-api.js';
import * as referral from '../schemas/referral.js';
import * as referralEvents from '../schemas/referral-events.js';
import * as feedbackMessages from '../../events/schemas/feedback-message.js';
import * as referralEvent from '../../events/schemas/referral-event.js';

type Def = { type: string; options?: z.core.$ZodType[]; discriminator?: string };
const defOf = (schema: z.core.$ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Only structured schemas get names; strings and numbers read better inline. */
const NAMED_KINDS = new Set(['object', 'union', 'intersection', 'enum', 'array', 'record']);

const pascal = (value: string): string =>
  value
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');

const used = new Set<string>();

const name = (schema: z.core.$ZodType, id: string): void => {
  const meta = (z.globalRegistry.get(schema) ?? {}) as Record<string, unknown>;
  if (typeof meta.id === 'string') {
    used.add(meta.id);
    return;
  }
  if (used.has(id)) return;
  used.add(id);
  z.globalRegistry.add(schema, { ...meta, id });
};

// Core's class: classic and zod/mini schemas alike (instanceof checks zod's traits).
const isZod = (value: unknown): value is z.core.$ZodType => value instanceof z.core.$ZodType;

/** Route parameters and queries are documented as parameters, not components. */
const isParameterSchema = (exportName: string): boolean => /(Params|Query)$/.test(exportName);

let done = false;

/** Idempotent: registers the names once per process. */
export function registerComponentNames(): void {
  if (done) return;
  done = true;
  // Event union members first: their names follow the wire `type`, not the export name.
  for (const option of defOf(referralEvents.ReferralEventInput).options ?? []) {
    const values = (option as unknown as { _zod: { propValues?: Record<string, Set<unknown>> } })._zod.propValues?.type;
    const [type] = values ? [...values] : [];
    if (typeof type === 'string') name(option, `${pascal(type)}Event`);
  }
  for (const [type, schema] of Object.entries(feedbackMessages.FEEDBACK_MESSAGES))
    name(schema as z.core.$ZodType, `Referral${pascal(type)}Message`);
  const modules: Record<string, unknown>[] = [
    referral,
    referralEvents,
    referralApi,
    amhps,
    audit,
    capacity,
    extracts,
    feedback,
    health,
    me,
    feedbackMessages,
    referralEvent,
  ];
  for (const module of modules) {
    for (const [exportName, value] of Object.entries(module)) {
      if (!isZod(value) || isParameterSchema(exportName)) continue;
      if (!NAMED_KINDS.has(defOf(value).type)) continue;
      name(value, exportName);
    }
  }
}
