/**
 * Every event the signed-in person may send to a referral in its current state, each as a form
 * built from the served OpenAPI document. Which events: the lifecycle's ONE table
 * (shared/domain/lifecycle.ts: the states an event may be sent in and who may send it), the
 * same the API enforces, so the console offers nothing the API would refuse for role or state.
 *
 * Sending: `If-Match` with the ETag the referral was drawn from (a 412 means someone else
 * changed it first); an `Idempotency-Key` per submission, kept when the same submission is
 * retried after a lost answer (the API then records it once); decisions ask for confirmation.
 */
import {
  TRANSITIONS,
  WHO_MAY_SEND,
  sendersOf,
  type LifecycleFacts,
  type ReferralStatus,
} from '../../shared/domain/lifecycle.js';
import type { ReferralEventInputType } from '../../shared/schemas/referral-events.js';
import { ApiError, SessionEnded, api, describeError } from './api.js';
import type { Me } from './context.js';
import { announce, h, replaceChildren } from './dom.js';
import {
  build,
  clearProblems,
  openApi,
  showProblems,
  variants,
  words,
  type Built,
  type FormOptions,
  type OpenApiDoc,
  type Schema,
} from './schema-form.js';

export const CONFLICT = 'Someone else changed this — reload';

/** What a person reads for each event (the API's type names otherwise). */
export const EVENT_LABELS: Partial<Record<ReferralEventInputType, string>> = {
  'start-review': 'Start review',
  accept: 'Accept for assessment',
  'not-accept': 'Not accept',
  allocate: 'Allocate an AMHP',
  'record-outcome': 'Record the outcome',
  close: 'Close the referral',
  'handed-over': 'Hand over',
  escalated: 'Escalate',
};
/** Decisions: the person confirms what they are about to record. */
export const DECISIONS: readonly string[] = [
  'accept',
  'not-accept',
  'allocate',
  'record-outcome',
  'amend-outcome',
  'close',
];

export interface Amhp {
  amhpId: string;
  displayName: string;
  active: boolean;
  authorisedLssas: string[];
  dutyReviewer: boolean;
}

export interface EventTarget {
  readonly id: string;
  readonly reference: string;
  readonly status: string;
  readonly responsibleLssa?: string;
  readonly allocation?: { amhpId: string };
  readonly allocatedAmhpId?: string;
  readonly outcome?: { outcome: string; byAmhpId?: string };
  readonly application?: unknown;
  readonly referrer?: unknown;
}

/** The events this person may send to this referral now, in the lifecycle table's order. */
export function allowedEvents(me: Me, r: EventTarget, amhps: ReadonlyMap<string, Amhp>): ReferralEventInputType[] {
  const allocatedAmhpId = r.allocation?.amhpId ?? r.allocatedAmhpId;
  const mine = sendersOf({
    role: me.role,
    isReferrer: me.role === 'referrer',
    isService: me.role === 'amhp-lead' || me.role === 'amhp',
    isPerson: me.kind === 'person',
    isDutyReviewer:
      me.amhpId !== undefined && amhps.get(me.amhpId)?.dutyReviewer === true && amhps.get(me.amhpId)?.active === true,
    ...(me.amhpId ? { callerAmhpId: me.amhpId } : {}),
    ...(allocatedAmhpId ? { allocatedAmhpId } : {}),
    ...(r.outcome?.byAmhpId ? { outcomeByAmhpId: r.outcome.byAmhpId } : {}),
  });
  const facts: LifecycleFacts = {
    status: r.status as ReferralStatus,
    ...(allocatedAmhpId ? { allocation: { amhpId: allocatedAmhpId } } : {}),
    ...(r.outcome ? { outcome: r.outcome } : {}),
    ...(r.application !== undefined ? { application: r.application } : {}),
  };
  return (Object.keys(TRANSITIONS) as ReferralEventInputType[]).filter((type) => {
    const rule = TRANSITIONS[type];
    const stateOk = rule.from.includes(facts.status) || rule.alsoWhen?.(facts) === true;
    return stateOk && WHO_MAY_SEND[type].some((s) => mine.has(s));
  });
}

export interface SendOptions {
  readonly path: string;
  readonly etag?: string;
  readonly done: string;
  /** Where a problem with no field goes. */
  readonly alertSlot: Element;
  readonly onDone: () => void;
  readonly onConflict?: () => void;
  readonly onSessionEnded: () => void;
}

/**
 * A form's submit handling, shared by every form built from the API description: the body is
 * read from the built controls, the server's problems go onto the fields.
 */
export function wireForm(
  form: HTMLFormElement,
  built: Built,
  fixed: Record<string, unknown>,
  confirmWith: string | undefined,
  o: SendOptions,
): void {
  let last: { body: string; key: string } | undefined;
  const confirmSlot = h('div', { class: 'confirm-slot' });
  form.append(confirmSlot);
  const send = async (body: string) => {
    // The same submission retried keeps its key; anything changed is a new submission.
    const key = last && last.body === body ? last.key : crypto.randomUUID();
    last = { body, key };
    const controls = [
      ...form.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
        'button, input, select, textarea',
      ),
    ];
    for (const c of controls) c.disabled = true;
    try {
      await api(o.path, {
        method: 'POST',
        json: JSON.parse(body) as unknown,
        headers: { 'Idempotency-Key': key, ...(o.etag ? { 'If-Match': o.etag } : {}) },
      });
      last = undefined;
      announce(o.done);
      o.onDone();
      return;
    } catch (error) {
      if (error instanceof SessionEnded) return o.onSessionEnded();
      if (error instanceof ApiError) last = undefined;
      if (error instanceof ApiError && error.status === 412) {
        replaceChildren(
          o.alertSlot,
          h(
            'div',
            { class: 'alert', role: 'alert' },
            h('p', {}, `${CONFLICT}.`),
            o.onConflict ? h('button', { type: 'button', onclick: () => o.onConflict?.() }, 'Reload') : null,
          ),
        );
      } else if (error instanceof ApiError && error.problem.errors?.length) {
        const slot = h(
          'div',
          { class: 'alert', role: 'alert' },
          `${error.problem.detail ?? error.problem.title} See the fields marked below.`,
        );
        replaceChildren(o.alertSlot, slot);
        const first = showProblems(form, error.problem.errors, (rest) =>
          slot.append(h('ul', {}, ...rest.map((m) => h('li', {}, m)))),
        );
        first?.focus();
      } else {
        replaceChildren(o.alertSlot, h('div', { class: 'alert', role: 'alert' }, describeError(error)));
      }
    } finally {
      for (const c of controls) c.disabled = false;
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearProblems(form);
    replaceChildren(o.alertSlot);
    const body = JSON.stringify({ ...fixed, ...((built.value() as Record<string, unknown> | undefined) ?? {}) });
    if (!confirmWith) return void send(body);
    // The confirmation says what will be recorded, in the words of the form.
    const summary = h('dl', { class: 'facts' });
    for (const c of form.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
      'input[data-pointer], select[data-pointer], textarea[data-pointer]',
    )) {
      if (!c.value) continue;
      const text = c instanceof HTMLSelectElement ? (c.selectedOptions[0]?.textContent ?? c.value) : c.value;
      summary.append(
        h('dt', {}, form.querySelector(`label[for="${CSS.escape(c.id)}"]`)?.textContent ?? c.name),
        h('dd', {}, text),
      );
    }
    const heading = h('p', { class: 'confirm-title', tabindex: '-1' }, `Confirm: ${confirmWith}?`);
    replaceChildren(
      confirmSlot,
      h(
        'div',
        { class: 'confirm', role: 'group', 'aria-label': `Confirm ${confirmWith}` },
        heading,
        summary,
        h(
          'button',
          {
            type: 'button',
            onclick: () => {
              replaceChildren(confirmSlot);
              void send(body);
            },
          },
          `Confirm ${confirmWith.toLowerCase()}`,
        ),
        h('button', { type: 'button', class: 'secondary', onclick: () => replaceChildren(confirmSlot) }, 'Change'),
      ),
    );
    heading.focus();
  });
}

export interface EventFormsContext {
  readonly me: Me;
  readonly referral: EventTarget;
  readonly etag: string;
  readonly amhps: ReadonlyMap<string, Amhp>;
  readonly alertSlot: Element;
  readonly onDone: () => void;
  readonly onConflict: () => void;
  readonly onSessionEnded: () => void;
}

/** The event union of POST /v1/referrals/{id}/events, by type. */
export async function eventSchemas(): Promise<{ doc: OpenApiDoc; byType: Map<string, Schema> }> {
  const doc = await openApi();
  const op = doc.paths['/v1/referrals/{id}/events']?.post;
  const schema = op?.requestBody?.content?.['application/json']?.schema ?? {};
  return { doc, byType: variants(doc, schema, 'type') };
}

/** One form per event the person may send; status-moving events open, the rest folded. */
export async function eventForms(ctx: EventFormsContext, only?: readonly string[]): Promise<HTMLElement[]> {
  const { doc, byType } = await eventSchemas();
  const r = ctx.referral;
  const eligible = [...ctx.amhps.values()].filter(
    (a) => a.active && (!r.responsibleLssa || a.authorisedLssas.includes(r.responsibleLssa)),
  );
  const amhpChoices = eligible.map((a) => [a.amhpId, a.displayName] as const);
  const opts: FormOptions = {
    omit: ['/type'],
    labels: {
      '/amhpId': 'AMHP',
      '/toAmhpId': 'To AMHP',
      '/toTeam': 'To team',
      '/occurredAt': 'When it happened',
      '/type': 'Kind',
    },
    choices: { '/amhpId': amhpChoices, '/toAmhpId': amhpChoices },
  };
  const out: HTMLElement[] = [];
  for (const type of allowedEvents(ctx.me, r, ctx.amhps)) {
    if (only && !only.includes(type)) continue;
    const schema = byType.get(type);
    if (!schema) continue;
    const name = EVENT_LABELS[type] ?? words(type);
    const built = build(doc, schema, '', type, true, opts);
    const form = h(
      'form',
      { class: 'action', 'aria-label': name, novalidate: true, 'data-event': type },
      built.el,
      h('button', { type: 'submit' }, name),
    );
    wireForm(form, built, { type }, DECISIONS.includes(type) ? name : undefined, {
      path: `/v1/referrals/${r.id}/events`,
      etag: ctx.etag,
      done: `${name}: recorded for ${r.reference}`,
      alertSlot: ctx.alertSlot,
      onDone: ctx.onDone,
      onConflict: ctx.onConflict,
      onSessionEnded: ctx.onSessionEnded,
    });
    const moves = TRANSITIONS[type].to !== undefined && TRANSITIONS[type].to !== r.status;
    out.push(h('details', { class: 'event', open: moves || undefined }, h('summary', {}, name), form));
  }
  return out;
}
