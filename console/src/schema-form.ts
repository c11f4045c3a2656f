/**
 * Forms built from the served OpenAPI document (GET /openapi.json), so the console holds no
 * hand-copied field list: the API's own request schemas say which fields exist, which are
 * required, which are choices. `$ref`s into `components` are followed, unions (`oneOf`/`anyOf`)
 * are told apart by a discriminator property or a `const`, enums become selects, `date-time`
 * a London `datetime-local`, nested objects fieldsets, arrays of simple values one per line.
 *
 * The form does not validate beyond marking required fields: the API is the one validator and
 * its problems (RFC 9457, `errors[].pointer`) are shown on the field they point at.
 */
import { field, h, replaceChildren, uid } from './dom.js';
import { fromLocalInput } from './format.js';
import { members, props, resolve, variants, words, type OpenApiDoc, type Schema } from './openapi.js';

export { openApi, requestSchema, resolve, variants, words, type OpenApiDoc, type Schema } from './openapi.js';

export interface FormOptions {
  /** Labels by pointer (`/amhpId`) or property name. */
  readonly labels?: Record<string, string>;
  /** Choices for a free-text field, by pointer: e.g. AMHPs from the register for `/amhpId`. */
  readonly choices?: Record<string, readonly (readonly [string, string])[]>;
  /** Fields left off, by pointer (e.g. the discriminator, which the form sets itself). */
  readonly omit?: readonly string[];
  /** Starting values, by pointer. */
  readonly values?: Record<string, string>;
}

/** A built piece of form: its element and how to read its value (undefined: leave it out). */
export interface Built {
  readonly el: HTMLElement;
  value(): unknown;
}

const isSimple = (s: Schema) =>
  ['string', 'integer', 'number', 'boolean'].includes(String(s.type)) || Array.isArray(s.enum);

/** Builds the control(s) for `schema` at `pointer`. */
export function build(
  doc: OpenApiDoc,
  raw: Schema,
  pointer: string,
  name: string,
  required: boolean,
  opts: FormOptions,
): Built {
  const s = resolve(doc, raw);
  const title = opts.labels?.[pointer] ?? opts.labels?.[name] ?? (typeof s.title === 'string' ? s.title : words(name));
  if (members(s).length) return union(doc, s, pointer, title, required, opts);
  if (s.type === 'object' || s.properties) return object(doc, s, pointer, title, opts);
  if (s.type === 'array') return list(doc, s, pointer, title, required, opts);
  return scalar(s, pointer, title, required, opts);
}

function object(doc: OpenApiDoc, s: Schema, pointer: string, title: string, opts: FormOptions): Built {
  const req = new Set((s.required as string[] | undefined) ?? []);
  const parts: [string, Built][] = [];
  for (const [key, sub] of Object.entries(props(s))) {
    const p = `${pointer}/${key}`;
    if (opts.omit?.includes(p)) continue;
    const sr = resolve(doc, sub);
    // A constant is no choice: it is sent as it is (a `const: false` flag of a union member).
    if (sr.const !== undefined) {
      parts.push([key, { el: h('span', { hidden: true }), value: () => sr.const }]);
      continue;
    }
    parts.push([key, build(doc, sr, p, key, req.has(key), opts)]);
  }
  const children = parts.map(([, b]) => b.el);
  const el = pointer
    ? h('fieldset', { class: 'nested', 'data-pointer': pointer }, h('legend', {}, title), ...children)
    : h('div', { 'data-pointer': '' }, ...children);
  return {
    el,
    value() {
      const out: Record<string, unknown> = {};
      for (const [key, b] of parts) {
        const v = b.value();
        if (v !== undefined) out[key] = v;
      }
      // A nested object nobody filled in is left out (the API says so if it was required).
      const filled = Object.keys(out).some((k) => resolve(doc, props(s)[k]).const === undefined);
      return filled || !pointer ? out : undefined;
    },
  };
}

function union(
  doc: OpenApiDoc,
  s: Schema,
  pointer: string,
  title: string,
  required: boolean,
  opts: FormOptions,
): Built {
  // The property whose constant tells the members apart: the discriminator, else the first shared const.
  const disc = (s.discriminator as { propertyName?: string } | undefined)?.propertyName;
  const key =
    disc ??
    Object.keys(props(resolve(doc, members(s)[0] ?? {}))).find((k) =>
      members(s).every((m) => resolve(doc, props(resolve(doc, m))[k]).const !== undefined),
    );
  const byValue = key ? variants(doc, s, key) : new Map(members(s).map((m, i) => [String(i + 1), resolve(doc, m)]));
  const labelOf = (v: string) =>
    !key
      ? `Option ${v}`
      : (opts.labels?.[`${pointer}/${key}=${v}`] ??
        (v === 'true' ? `${words(key)}: yes` : v === 'false' ? `${words(key)}: no` : words(v)));
  const select = h(
    'select',
    { name: pointer, 'data-pointer': key ? `${pointer}/${key}` : pointer, required },
    required ? null : h('option', { value: '' }, '—'),
    ...[...byValue.keys()].map((v) =>
      h('option', { value: v, selected: v === opts.values?.[`${pointer}/${key}`] }, labelOf(v)),
    ),
  );
  const slot = h('div');
  let current: Built | undefined;
  const draw = () => {
    const member = byValue.get(select.value);
    current = member
      ? object(doc, member, pointer, title, {
          ...opts,
          omit: [...(opts.omit ?? []), ...(key ? [`${pointer}/${key}`] : [])],
        })
      : undefined;
    replaceChildren(slot, current ? current.el : null);
    if (current) current.el.querySelector('legend')?.remove();
  };
  select.addEventListener('change', draw);
  draw();
  const el = h(
    'fieldset',
    { class: 'nested', 'data-pointer': pointer },
    h('legend', {}, title),
    field(key ? words(key) : 'Kind', select),
    slot,
  );
  return {
    el,
    value() {
      if (!current) return undefined;
      const v = current.value() as Record<string, unknown> | undefined;
      const chosen = byValue.get(select.value);
      const k = key ? resolve(doc, props(chosen ?? {})[key]).const : undefined;
      return key ? { [key]: k, ...(v ?? {}) } : v;
    },
  };
}

function list(doc: OpenApiDoc, s: Schema, pointer: string, title: string, required: boolean, opts: FormOptions): Built {
  const items = resolve(doc, s.items as Schema | undefined);
  if (!isSimple(items)) {
    // Lists of records (e.g. medical recommendations) are entered one record at a time.
    const rows: Built[] = [];
    const slot = h('div');
    const add = () => {
      const b = object(doc, items, `${pointer}/${rows.length}`, `${words(title)} ${rows.length + 1}`, opts);
      rows.push(b);
      slot.append(b.el);
    };
    const max = typeof s.maxItems === 'number' ? s.maxItems : 20;
    const button = h(
      'button',
      { type: 'button', class: 'secondary', onclick: () => rows.length < max && add() },
      `Add ${title.toLowerCase()}`,
    );
    return {
      el: h('fieldset', { class: 'nested', 'data-pointer': pointer }, h('legend', {}, title), slot, button),
      value: () => (rows.length ? rows.map((r) => r.value()) : undefined),
    };
  }
  const area = h('textarea', { name: pointer, 'data-pointer': pointer, rows: 3, required });
  const numeric = items.type === 'integer' || items.type === 'number';
  return {
    el: field(title, area, 'One per line.'),
    value() {
      const lines = area.value
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      return lines.length ? lines.map((l) => (numeric ? Number(l) : l)) : undefined;
    },
  };
}

function scalar(s: Schema, pointer: string, title: string, required: boolean, opts: FormOptions): Built {
  const start = opts.values?.[pointer];
  const choices =
    opts.choices?.[pointer] ??
    (Array.isArray(s.enum) ? (s.enum as unknown[]).map((v) => [String(v), words(String(v))] as const) : undefined);
  if (choices || s.type === 'boolean') {
    const list = choices ?? [
      ['true', 'Yes'],
      ['false', 'No'],
    ];
    const select = h(
      'select',
      { name: pointer, 'data-pointer': pointer, required },
      h('option', { value: '' }, 'Choose…'),
      ...list.map(([v, l]) => h('option', { value: v, selected: v === start }, l)),
    );
    const kind = s.type;
    return {
      el: field(title, select),
      value: () =>
        select.value === ''
          ? undefined
          : kind === 'boolean'
            ? select.value === 'true'
            : kind === 'integer' || kind === 'number'
              ? Number(select.value)
              : select.value,
    };
  }
  const long = typeof s.maxLength === 'number' && s.maxLength > 200;
  const format = s.format;
  const attrs = {
    name: pointer,
    'data-pointer': pointer,
    required,
    maxlength: typeof s.maxLength === 'number' ? s.maxLength : undefined,
    value: start,
  };
  if (long) {
    const area = h('textarea', { ...attrs, rows: 3 });
    if (start) area.value = start;
    return { el: field(title, area), value: () => area.value.trim() || undefined };
  }
  const type =
    format === 'date-time'
      ? 'datetime-local'
      : format === 'date'
        ? 'date'
        : format === 'email'
          ? 'email'
          : s.type === 'integer' || s.type === 'number'
            ? 'number'
            : 'text';
  const input = h('input', { ...attrs, type, inputmode: s.type === 'integer' ? 'numeric' : undefined });
  const hint = format === 'date-time' ? 'London time.' : undefined;
  return {
    el: field(title, input, hint),
    value() {
      const v = input.value.trim();
      if (!v) return undefined;
      if (type === 'number') return Number(v);
      if (type === 'datetime-local') {
        try {
          return fromLocalInput(v);
        } catch {
          return v; // the API refuses it, on this field
        }
      }
      return v;
    },
  };
}

/**
 * Shows each field problem on the control its JSON Pointer names (or the nearest enclosing
 * one), linked by aria-describedby and marked aria-invalid; the rest go to `rest`. Returns the
 * first control marked, for focus.
 */
export function showProblems(
  form: HTMLElement,
  errors: readonly { pointer?: string; message: string }[],
  rest: (messages: string[]) => void,
): HTMLElement | undefined {
  clearProblems(form);
  const unplaced: string[] = [];
  let first: HTMLElement | undefined;
  for (const e of errors) {
    let target: HTMLElement | null = null;
    for (let p = e.pointer ?? ''; p && !target; p = p.replace(/\/[^/]*$/, '')) {
      target = form.querySelector<HTMLElement>(`[data-pointer="${CSS.escape(p)}"]`);
    }
    if (!target) {
      unplaced.push(e.pointer ? `${e.pointer}: ${e.message}` : e.message);
      continue;
    }
    const id = uid('err');
    const msg = h('p', { class: 'field-error', id, 'data-error-for': e.pointer ?? '' }, `Error: ${e.message}`);
    const holder = target.matches('input, select, textarea') ? (target.closest('.field') ?? target) : target;
    if (holder.tagName === 'FIELDSET') holder.querySelector('legend')?.after(msg);
    else holder.append(msg);
    if (target.matches('input, select, textarea')) {
      target.setAttribute('aria-invalid', 'true');
      target.setAttribute('aria-describedby', [target.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
    }
    first ??= target.matches('input, select, textarea')
      ? target
      : (target.querySelector<HTMLElement>('input, select, textarea') ?? undefined);
  }
  if (unplaced.length) rest(unplaced);
  return first;
}

export function clearProblems(form: HTMLElement): void {
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const el of form.querySelectorAll<HTMLElement>('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    const ids = (el.getAttribute('aria-describedby') ?? '').split(' ').filter((i) => i && !i.startsWith('err-'));
    if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
    else el.removeAttribute('aria-describedby');
  }
}
