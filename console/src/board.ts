/**
 * Board: the AMHP service's open referrals, nearest clock first, with a countdown per clock, and
 * a panel per referral with its timeline and the decisions the signed-in person may make. Every
 * decision is sent with If-Match; a 412 means someone else changed the referral first.
 */
import type * as z from 'zod';
import { OUTCOMES, outcomeMakesApplication, type Outcome } from '../../shared/domain/vocabulary.js';
import type { AmhpRegisterEntryView } from '../../shared/schemas/amhps.js';
import type { BoardRow as BoardRowSchema, ReferralEventView } from '../../shared/schemas/referral-api.js';
import { ApiError, SessionEnded, api, describeError } from './api.js';
import type { View, ViewContext } from './context.js';
import { announce, field, h, options, replaceChildren } from './dom.js';
import { ago, clockDisplay, duration, expiryOf, londonDateTime, nearestClock, powerName, toLocalInput, fromLocalInput, type BoardClock } from './format.js';

/** The API's own shapes (types only: nothing of zod reaches the bundle). */
type BoardRow = z.infer<typeof BoardRowSchema>;
type ReferralEvent = z.infer<typeof ReferralEventView>;
type Amhp = z.infer<typeof AmhpRegisterEntryView>;
interface Referral {
  id: string;
  reference: string;
  status: string;
  urgency?: string;
  responsibleLssa: string;
  legalStatus?: { status?: string };
  clocks: (BoardClock & { extendedUntil?: string })[];
  allocatedAmhpId?: string;
  allocation?: { amhpId?: string };
}

const REFRESH_MS = 20_000;
const BOARD_PAGES = 5;
const CONFLICT = 'Someone else changed this — reload';
const TRIAGE_STATUSES = ['received', 'under-review'];
const OUTCOME_STATUSES = ['allocated', 'assessment-in-progress'];

const label = (value: string) => value.replace(/-/g, ' ');
const allocatedOf = (r: { allocatedAmhpId?: string; allocation?: { amhpId?: string } }) => r.allocatedAmhpId ?? r.allocation?.amhpId;

/** A clock's live text; the data attributes let the one-second timer redraw it. */
function clockElement(clock: BoardClock | undefined, now: number): HTMLElement {
  if (!clock) return h('span', { class: 'clock', 'data-state': 'none' }, 'No statutory clock');
  const shown = clockDisplay(clock, now);
  return h('span', { class: 'clock', 'data-state': shown.state, 'data-power': clock.power, 'data-expires-at': expiryOf(clock), 'data-server-state': clock.state }, shown.text);
}

function tickClocks(root: Element): void {
  const now = Date.now();
  for (const el of root.querySelectorAll<HTMLElement>('span.clock[data-expires-at]')) {
    const shown = clockDisplay({ power: el.dataset.power!, expiresAt: el.dataset.expiresAt!, state: el.dataset.serverState as BoardClock['state'] }, now);
    if (el.textContent !== shown.text) el.textContent = shown.text;
    if (el.dataset.state !== shown.state) el.dataset.state = shown.state;
  }
  for (const el of root.querySelectorAll<HTMLElement>('[data-open-since]')) el.textContent = duration((now - Date.parse(el.dataset.openSince!)) / 60_000);
}

export function boardView(ctx: ViewContext): View {
  const { me, main } = ctx;
  let disposed = false;
  let amhps = new Map<string, Amhp>();
  let openId: string | undefined;
  const amhpName = (id?: string) => (id ? (amhps.get(id)?.displayName ?? id) : '—');

  const updated = h('p', { class: 'meta' });
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'board' },
    h('caption', {}, 'Open referrals'),
    h('thead', {}, h('tr', {}, ...['Reference', 'Status', 'Urgency', 'Legal status', 'Nearest clock', 'Time open', 'AMHP', 'Last event'].map((c) => h('th', { scope: 'col' }, c)))),
    tbody,
  );
  const problem = h('div', { class: 'problem-slot' });
  const panelSlot = h('div', { class: 'panel-slot' });
  const heading = h('h1', { tabindex: '-1' }, 'Board');
  replaceChildren(
    main,
    heading,
    h('p', { class: 'lede' }, `Open referrals of ${me.organisationName}, nearest clock first. Clocks count down live; a breached clock says so in words.`),
    h('div', { class: 'toolbar' }, updated, h('button', { type: 'button', class: 'secondary', onclick: () => void load() }, 'Refresh')),
    problem,
    h('div', { class: 'board-layout' }, h('div', { class: 'table-wrap' }, table), panelSlot),
  );
  heading.focus();

  const fail = (error: unknown, slot: Element) => {
    if (error instanceof SessionEnded) return ctx.onSessionEnded();
    replaceChildren(slot, h('div', { class: 'alert', role: 'alert' }, describeError(error)));
  };

  function renderRows(rows: BoardRow[], more: boolean): void {
    const now = Date.now();
    // The table is redrawn on every refresh: keep a keyboard user's place in it.
    const focusedId = (document.activeElement?.closest('tr[data-referral-id]') as HTMLElement | null)?.dataset.referralId;
    replaceChildren(updated, `Updated ${londonDateTime(new Date(now).toISOString())} · ${rows.length}${more ? '+' : ''} open${more ? ' (the first shown; the rest have later or no clocks)' : ''}`);
    if (!rows.length) {
      replaceChildren(tbody, h('tr', {}, h('td', { colspan: 8 }, 'No open referrals.')));
      return;
    }
    replaceChildren(
      tbody,
      ...rows.map((r) =>
        h(
          'tr',
          { 'data-referral-id': r.id, class: r.id === openId ? 'selected' : undefined },
          h('td', {}, h('button', { type: 'button', class: 'link', 'aria-expanded': String(r.id === openId), onclick: () => void openPanel(r.id) }, r.reference)),
          // Flags the API raised stand on the row until resolved (DOMAIN §2, §3.1), written out.
          h('td', { 'data-column': 'status' }, label(r.status), ...(r.flags ?? []).map((f) => h('span', { class: 'flag', 'data-flag': f }, `Flag: ${label(f)}`))),
          h('td', {}, r.urgency),
          h('td', {}, powerName(r.legalStatus)),
          h('td', {}, clockElement(nearestClock(r.clocks), now)),
          h('td', { 'data-open-since': r.receivedAt }, duration((now - Date.parse(r.receivedAt)) / 60_000)),
          h('td', { 'data-column': 'amhp' }, amhpName(r.allocatedAmhpId)),
          h('td', {}, `${label(r.lastEvent.type)}, ${ago(r.lastEvent.at, now)}`),
        ),
      ),
    );
    if (focusedId) tbody.querySelector<HTMLButtonElement>(`tr[data-referral-id="${CSS.escape(focusedId)}"] button`)?.focus();
  }

  /** The register names AMHPs on the board; without it the board still shows (with ids). */
  async function loadRegister(): Promise<void> {
    if (amhps.size) return;
    try {
      amhps = new Map((await api<{ items: Amhp[] }>('/v1/amhps')).body.items.map((a) => [a.amhpId, a]));
    } catch (error) {
      if (error instanceof SessionEnded) throw error;
    }
  }

  async function load(): Promise<void> {
    try {
      await loadRegister();
      const rows: BoardRow[] = [];
      let cursor: string | null = null;
      // Every open referral up to a bound a person can still read; the board says when there are more.
      for (let page = 0; page < BOARD_PAGES; page++) {
        const { body }: { body: { items: BoardRow[]; nextCursor: string | null } } = await api(`/v1/referrals?view=board&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        rows.push(...body.items);
        cursor = body.nextCursor;
        if (!cursor) break;
      }
      if (disposed) return;
      replaceChildren(problem);
      renderRows(rows, cursor !== null);
    } catch (error) {
      if (!disposed) fail(error, problem);
    }
  }

  /** Sends one event with the ETag the panel was drawn from. */
  async function send(referral: Referral, etag: string, event: Record<string, unknown>, done: string, alertSlot: Element): Promise<string | undefined> {
    try {
      // One key per decision sent: a retry after a lost answer cannot record it twice.
      const out = await api<Referral>(`/v1/referrals/${referral.id}/events`, { method: 'POST', json: event, headers: { 'If-Match': etag, 'Idempotency-Key': crypto.randomUUID() } });
      announce(done);
      return out.etag ?? undefined;
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        replaceChildren(
          alertSlot,
          h('div', { class: 'alert', role: 'alert' }, h('p', {}, `${CONFLICT}.`), h('button', { type: 'button', onclick: () => void openPanel(referral.id) }, 'Reload')),
        );
      } else fail(error, alertSlot);
      return undefined;
    }
  }

  function actions(referral: Referral, etag: string, alertSlot: Element): HTMLElement[] {
    const forms: HTMLElement[] = [];
    /** One decision at a time: the panel's controls wait until the answer is in. */
    const after = async (result: Promise<string | undefined>) => {
      const controls = [...panelSlot.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('button, input, select, textarea')];
      for (const c of controls) c.disabled = true;
      const done = await result;
      if (done !== undefined) {
        await Promise.all([load(), openPanel(referral.id)]);
        return;
      }
      for (const c of controls) c.disabled = false;
      // Part of a two-step decision may have been recorded: show the referral as it now is.
      if (referral.status === 'received') void load();
    };
    const required = (control: HTMLTextAreaElement, name: string): string | undefined => {
      const text = control.value.trim();
      if (text) return text;
      replaceChildren(alertSlot, h('div', { class: 'alert', role: 'alert' }, `${name}: write something here.`));
      control.focus();
      return undefined;
    };
    const isTriager = me.role === 'amhp-lead' || me.role === 'amhp';
    if (TRIAGE_STATUSES.includes(referral.status) && isTriager) {
      if (referral.status === 'received') {
        forms.push(
          h('div', { class: 'action' }, h('button', { type: 'button', class: 'secondary', onclick: () => void after(send(referral, etag, { type: 'start-review' }, 'Review started', alertSlot)) }, 'Start review'), h('p', { class: 'hint' }, 'Shows everyone that you are triaging it.')),
        );
      }
      const reason = h('textarea', { name: 'reason', rows: 2, required: true, maxlength: 2000 });
      forms.push(
        h(
          'form',
          {
            class: 'action',
            'aria-label': 'Accept',
            onsubmit: (e: Event) => {
              e.preventDefault();
              const why = required(reason, 'Reason');
              if (!why) return;
              void after(
                (async () => {
                  let current = etag;
                  // Accepting is a review: a referral not yet under review is reviewed and accepted in one go.
                  if (referral.status === 'received') {
                    const reviewed = await send(referral, current, { type: 'start-review' }, 'Review started', alertSlot);
                    if (reviewed === undefined) return undefined;
                    current = reviewed;
                  }
                  const accepted = await send(referral, current, { type: 'accept', reason: why }, `Referral ${referral.reference} accepted`, alertSlot);
                  // Reviewed but not accepted: the panel must show 'under review' and its new version.
                  if (accepted === undefined && current !== etag) {
                    await openPanel(referral.id);
                    replaceChildren(alertSlot, h('div', { class: 'alert', role: 'alert' }, 'The review was started but the acceptance was not recorded: try Accept again.'));
                  }
                  return accepted;
                })(),
              );
            },
          },
          h('h3', {}, 'Accept for assessment'),
          field('Reason', reason),
          h('button', { type: 'submit' }, 'Accept'),
        ),
      );
    }
    if ((referral.status === 'accepted' || referral.status === 'allocated') && me.role === 'amhp-lead') {
      const eligible = [...amhps.values()].filter((a) => a.active && a.authorisedLssas.includes(referral.responsibleLssa));
      if (!eligible.length) {
        forms.push(h('p', { class: 'alert' }, `No active AMHP on the register is authorised for ${referral.responsibleLssa}: update the register before allocating.`));
      } else {
      const amhp = h('select', { name: 'amhpId', required: true }, ...options(eligible.map((a) => [a.amhpId, a.displayName] as const), allocatedOf(referral)));
      const attendance = h('input', { type: 'datetime-local', name: 'expectedAttendanceAt', required: true, value: toLocalInput(Date.now() + 60 * 60_000) });
      forms.push(
        h(
          'form',
          {
            class: 'action',
            'aria-label': 'Allocate',
            onsubmit: (e: Event) => {
              e.preventDefault();
              const name = amhps.get(amhp.value)?.displayName ?? amhp.value;
              void after(send(referral, etag, { type: 'allocate', amhpId: amhp.value, expectedAttendanceAt: fromLocalInput(attendance.value) }, `Allocated to ${name}`, alertSlot));
            },
          },
          h('h3', {}, referral.status === 'allocated' ? 'Reallocate' : 'Allocate an AMHP'),
          field('AMHP', amhp, 'Active AMHPs authorised for this LSSA.'),
          field('Expected attendance', attendance, 'London time.'),
          h('button', { type: 'submit' }, 'Allocate'),
        ),
      );
      }
    }
    if (OUTCOME_STATUSES.includes(referral.status) && me.amhpId && me.amhpId === allocatedOf(referral)) {
      const outcome = h('select', { name: 'outcome', required: true }, h('option', { value: '' }, 'Choose an outcome'), ...options(OUTCOMES.map((o) => [o, label(o)] as const)));
      const nextSteps = h('textarea', { name: 'nextSteps', rows: 2, required: true, maxlength: 2000 });
      const reasons = h('textarea', { name: 'reasonsInWriting', rows: 3, maxlength: 8000 });
      forms.push(
        h(
          'form',
          {
            class: 'action',
            'aria-label': 'Record outcome',
            onsubmit: (e: Event) => {
              e.preventDefault();
              const chosen = outcome.value as Outcome;
              const steps = required(nextSteps, 'Next steps');
              if (!steps) return;
              const written = reasons.value.trim();
              if (!outcomeMakesApplication(chosen) && !written) {
                replaceChildren(alertSlot, h('div', { class: 'alert', role: 'alert' }, 'Reasons in writing: required when the outcome makes no application.'));
                reasons.focus();
                return;
              }
              void after(
                send(referral, etag, { type: 'record-outcome', outcome: chosen, nextSteps: steps, ...(written ? { reasonsInWriting: written } : {}) }, `Outcome recorded for ${referral.reference}`, alertSlot),
              );
            },
          },
          h('h3', {}, 'Record the outcome'),
          field('Outcome', outcome),
          field('Next steps', nextSteps, 'Sent to the referrer.'),
          field('Reasons in writing', reasons, 'Required when no application is made (s.13(4)).'),
          h('button', { type: 'submit' }, 'Record outcome'),
        ),
      );
    }
    return forms;
  }

  function eventText(e: ReferralEvent): string {
    const when = londonDateTime(e.occurredAt ?? e.at);
    const extra =
      e.type === 'allocate' || e.type === 'allocated'
        ? ` to ${amhpName(String(e.data.amhpId ?? ''))}`
        : e.type.includes('outcome') && typeof e.data.outcome === 'string'
          ? `: ${label(e.data.outcome)}`
          : '';
    return `${when} — ${label(e.type)}${extra}`;
  }

  async function openPanel(id: string): Promise<void> {
    openId = id;
    for (const row of tbody.querySelectorAll('tr')) {
      const selected = row.getAttribute('data-referral-id') === id;
      row.classList.toggle('selected', selected);
      row.querySelector('button')?.setAttribute('aria-expanded', String(selected));
    }
    try {
      const [{ body: referral, etag }, { body: events }] = await Promise.all([
        api<Referral>(`/v1/referrals/${id}`),
        api<{ items: ReferralEvent[] }>(`/v1/referrals/${id}/events`),
      ]);
      if (disposed || openId !== id) return;
      const headingId = `panel-${id}`;
      const alertSlot = h('div', { class: 'problem-slot' });
      const now = Date.now();
      const legal = referral.legalStatus?.status;
      const panel = h(
        'section',
        { class: 'panel', role: 'region', 'aria-labelledby': headingId },
        h('div', { class: 'panel-head' }, h('h2', { id: headingId, tabindex: '-1' }, `Referral ${referral.reference}`), h('button', { type: 'button', class: 'secondary', onclick: () => closePanel() }, 'Close')),
        h(
          'dl',
          { class: 'facts' },
          h('dt', {}, 'Status'),
          h('dd', {}, label(referral.status)),
          referral.urgency ? [h('dt', {}, 'Urgency'), h('dd', {}, referral.urgency)] : null,
          legal ? [h('dt', {}, 'Legal status'), h('dd', {}, powerName(legal))] : null,
          h('dt', {}, 'AMHP'),
          h('dd', {}, amhpName(allocatedOf(referral))),
          h('dt', {}, 'Clocks'),
          h('dd', {}, referral.clocks.length ? h('ul', { class: 'plain' }, ...referral.clocks.map((c) => h('li', {}, clockElement(c, now), c.state === 'ended' ? null : ` (expires ${londonDateTime(c.extendedUntil ?? c.expiresAt)})`))) : 'None running'),
        ),
        h('h3', { id: `${headingId}-timeline` }, 'Timeline'),
        h('ol', { class: 'timeline', 'aria-label': 'Timeline' }, ...events.items.map((e) => h('li', {}, eventText(e)))),
        alertSlot,
        ...(etag ? actions(referral, etag, alertSlot) : []),
      );
      replaceChildren(panelSlot, panel);
      panel.querySelector<HTMLElement>('h2')?.focus();
    } catch (error) {
      if (!disposed) fail(error, panelSlot);
    }
  }

  function closePanel(): void {
    const id = openId;
    openId = undefined;
    replaceChildren(panelSlot);
    const button = id ? tbody.querySelector<HTMLButtonElement>(`tr[data-referral-id="${CSS.escape(id)}"] button`) : null;
    button?.setAttribute('aria-expanded', 'false');
    button?.closest('tr')?.classList.remove('selected');
    button?.focus();
  }

  void load();
  const ticker = setInterval(() => tickClocks(main), 1000);
  const refresher = setInterval(() => void load(), REFRESH_MS);
  return {
    dispose() {
      disposed = true;
      clearInterval(ticker);
      clearInterval(refresher);
    },
  };
}
