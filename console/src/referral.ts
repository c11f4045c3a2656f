/**
 * A referral as the API returned it to the caller: the API already minimises per role (DOMAIN
 * §1), so this module draws what is there and invents nothing. Known parts get their own
 * heading, in the order a duty lead reads them; anything else the API sends is still shown,
 * under "Other details", rather than silently dropped.
 */
import { h } from './dom.js';
import { clockDisplay, expiryOf, londonDateTime, type BoardClock } from './format.js';
import { words } from './schema-form.js';

export type Json = Record<string, unknown>;
export interface ReferralEvent {
  seq: number;
  type: string;
  at: string;
  occurredAt?: string;
  data: Json;
}
export interface BedRequest {
  id: string;
  referralReference: string;
  ageBand: string;
  sex: string;
  bedType: string;
  legalStatus: string;
  lssa: string;
  requestedAt: string;
  status: 'open' | 'closed';
  responses: { response: string; unitId?: string; note?: string; organisationId: string; at: string }[];
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
/** Bookkeeping that means nothing to a person reading the referral. */
const HIDDEN = /^(version|changeSeq|clientId|actorId|byActorId|seq|detail|id)$/;

const SECTIONS: readonly (readonly [string, readonly string[]])[] = [
  ['Person', ['person']],
  ['Reason for referral', ['reasonForReferral', 'alternativesTried', 'urgency', 'basis']],
  ['Risk', ['risk']],
  ['Legal status', ['legalStatus']],
  ['Location', ['location', 'placeOfSafety']],
  ['Nearest relative', ['nearestRelative', 'nearestRelativeStatus']],
  ['Referrer', ['referrer', 'referrerReference']],
  ['Other contacts', ['gp', 'careCoordinator', 'doctorWithPreviousKnowledge']],
  [
    'Decisions',
    [
      'triage',
      'review',
      'allocation',
      'allocatedAmhpId',
      'coAllocations',
      'outcome',
      'application',
      'reasonsSent',
      'gpLetterSent',
      'withdrawalRequested',
      'closure',
    ],
  ],
];
const LABELS: Record<string, string> = {
  rcrpGround: 'Right Care Right Person ground',
  nhsNumber: 'NHS number',
  siteId: 'Site',
  placeOfSafetySiteId: 'Place of safety site',
  organisationId: 'Organisation',
};
const ELSEWHERE = new Set([
  'reference',
  'status',
  'responsibleLssa',
  'receivedAt',
  'updatedAt',
  'clocks',
  'flags',
  'possibleDuplicateOf',
  'lastEvent',
  'serviceId',
]);

/** One value as text or a nested list, dates in London time. */
export function valueNode(v: unknown, name = ''): Node | string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'number') return String(v);
  // Codes of the API's vocabularies (`risk-assessed-safety-need`, `yes`) read as words; text as written.
  if (typeof v === 'string')
    return ISO.test(v)
      ? londonDateTime(v)
      : /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(v) && !/Id$/.test(name)
        ? words(v)
        : v;
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== 'object' || x === null)) return v.map((x) => String(x)).join(', ');
    return h('ul', { class: 'plain' }, ...v.map((x) => h('li', {}, valueNode(x, name))));
  }
  return facts(v as Json);
}

/** A definition list of an object's fields. */
export function facts(o: Json, keys: readonly string[] = Object.keys(o)): HTMLDListElement {
  const dl = h('dl', { class: 'facts' });
  for (const k of keys) {
    if (HIDDEN.test(k) || o[k] === undefined) continue;
    dl.append(h('dt', {}, LABELS[k] ?? words(k)), h('dd', { 'data-field': k }, valueNode(o[k], k)));
  }
  return dl;
}

/** Whole years between a date of birth and now. */
const ageOf = (dob: string, now: number) => {
  const b = new Date(`${dob}T00:00:00Z`);
  const n = new Date(now);
  return (
    n.getUTCFullYear() -
    b.getUTCFullYear() -
    (n.getUTCMonth() * 100 + n.getUTCDate() < b.getUTCMonth() * 100 + b.getUTCDate() ? 1 : 0)
  );
};

/**
 * The flags to show, in words: under 18, interpreter needed and safety concern from the
 * referral's own facts, then every open flag the API raised.
 */
export function flagsOf(
  r: Json,
  events: readonly ReferralEvent[] = [],
  now = Date.now(),
): { code: string; text: string }[] {
  const out: { code: string; text: string }[] = [];
  const p = (r.person ?? {}) as Json;
  const under18 =
    r.under18 === true ||
    p.appearsUnder18 === true ||
    p.estimatedAgeBand === '0-17' ||
    (typeof p.dateOfBirth === 'string' && ageOf(p.dateOfBirth, now) < 18);
  if (under18) out.push({ code: 'under-18', text: 'Under 18' });
  if (p.interpreterNeeded === true || r.interpreterNeeded === true)
    out.push({
      code: 'interpreter-needed',
      text: `Interpreter needed${typeof p.interpreterLanguage === 'string' ? ` (${p.interpreterLanguage})` : ''}`,
    });
  const risk = (r.risk ?? {}) as Json;
  const escalatedSafety = events.some((e) => e.type === 'escalated' && e.data.type === 'safety-concern');
  if (r.safetyConcern === true || escalatedSafety || risk.weapons === 'yes' || risk.violence === 'yes')
    out.push({ code: 'safety-concern', text: 'Safety concern' });
  const raised = (r.flags ?? []) as (string | { code: string; resolvedAt?: string })[];
  for (const f of raised) {
    const code = typeof f === 'string' ? f : f.resolvedAt ? undefined : f.code;
    if (code) out.push({ code, text: words(code) });
  }
  return out;
}

export const flagList = (flags: readonly { code: string; text: string }[]): HTMLElement | null =>
  flags.length
    ? h(
        'ul',
        { class: 'flags', 'aria-label': 'Flags' },
        ...flags.map((f) => h('li', { class: 'flag', 'data-flag': f.code }, `Flag: ${f.text}`)),
      )
    : null;

/** A clock's live text (the board's one-second timer redraws it from the data attributes). */
export function clockElement(clock: BoardClock | undefined, now: number): HTMLElement {
  if (!clock) return h('span', { class: 'clock', 'data-state': 'none' }, 'No statutory clock');
  const shown = clockDisplay(clock, now);
  return h(
    'span',
    {
      class: 'clock',
      'data-state': shown.state,
      'data-power': clock.power,
      'data-expires-at': expiryOf(clock),
      'data-server-state': clock.state,
    },
    shown.text,
  );
}

export function eventText(e: ReferralEvent, amhpName: (id?: string) => string): string {
  const when = londonDateTime(e.occurredAt ?? e.at);
  const d = e.data;
  const extra =
    e.type === 'allocate' || e.type === 'allocated'
      ? ` to ${amhpName(String(d.amhpId ?? ''))}`
      : typeof d.outcome === 'string'
        ? `: ${words(d.outcome)}`
        : typeof d.toTeam === 'string'
          ? ` to ${words(d.toTeam)}`
          : typeof d.response === 'string'
            ? `: ${words(d.response)}`
            : '';
  return `${when} — ${e.type.replace(/-/g, ' ')}${extra}`;
}

export interface ReferralParts {
  readonly referral: Json;
  readonly events: readonly ReferralEvent[];
  readonly bedRequests: readonly BedRequest[];
  readonly amhpName: (id?: string) => string;
  /** Opens another referral (a possible duplicate). */
  readonly open?: (id: string) => void;
}

/** The referral's sections, each under an h3. */
export function referralSections({ referral: r, events, bedRequests, amhpName, open }: ReferralParts): HTMLElement[] {
  const now = Date.now();
  const out: HTMLElement[] = [];
  const clocks = (r.clocks ?? []) as (BoardClock & { extendedUntil?: string })[];
  const used = new Set<string>();
  const section = (title: string, ...body: (Node | null)[]) => {
    const id = `sec-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    out.push(h('section', { class: 'ref-section', 'aria-labelledby': id }, h('h3', { id }, title), ...body));
  };
  for (const [title, keys] of SECTIONS) {
    const present = keys.filter((k) => r[k] !== undefined);
    for (const k of present) used.add(k);
    const clockList =
      title === 'Legal status' && clocks.length
        ? h(
            'ul',
            { class: 'plain', 'aria-label': 'Clocks' },
            ...clocks.map((c) =>
              h(
                'li',
                {},
                clockElement(c, now),
                c.state === 'ended' ? null : ` (expires ${londonDateTime(expiryOf(c))})`,
              ),
            ),
          )
        : null;
    if (!present.length && !clockList) continue;
    const single = present.length === 1 && typeof r[present[0]!] === 'object' && !Array.isArray(r[present[0]!]);
    const body = single ? facts(r[present[0]!] as Json) : present.length ? facts(r, present) : null;
    if (title === 'Decisions' && typeof r.allocatedAmhpId === 'string')
      body?.querySelector('[data-field="allocatedAmhpId"]')?.replaceChildren(amhpName(r.allocatedAmhpId));
    section(title, body, clockList);
  }
  const dups = (r.possibleDuplicateOf ?? []) as string[];
  if (dups.length) {
    section(
      'Possible duplicates',
      h(
        'ul',
        { class: 'plain' },
        ...dups.map((id) =>
          h(
            'li',
            {},
            open ? h('button', { type: 'button', class: 'link', onclick: () => open(id) }, `Open referral ${id}`) : id,
          ),
        ),
      ),
    );
  }
  if (bedRequests.length) {
    section(
      'Bed requests',
      h(
        'ul',
        { class: 'plain' },
        ...bedRequests.map((b) =>
          h(
            'li',
            { 'data-bed-request': b.id },
            `${words(b.bedType)}, ${b.sex}, requested ${londonDateTime(b.requestedAt)} (${b.status})`,
            b.responses.length
              ? h(
                  'ul',
                  {},
                  ...b.responses.map((a) =>
                    h(
                      'li',
                      {},
                      `${words(a.response)}${a.unitId ? ` — ${a.unitId}` : ''}` +
                        `${a.note ? ` — ${a.note}` : ''}, ${londonDateTime(a.at)}`,
                    ),
                  ),
                )
              : h('p', { class: 'hint' }, 'No answer yet.'),
          ),
        ),
      ),
    );
  }
  const rest = Object.keys(r).filter((k) => !used.has(k) && !ELSEWHERE.has(k) && !HIDDEN.test(k));
  if (rest.length) section('Other details', facts(r, rest));
  section(
    'Timeline',
    h('ol', { class: 'timeline', 'aria-label': 'Timeline' }, ...events.map((e) => h('li', {}, eventText(e, amhpName)))),
  );
  return out;
}
