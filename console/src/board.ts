/**
 * Board: the AMHP service's open referrals, nearest clock first, with a countdown per clock, and
 * a panel per referral with its timeline and the decisions the signed-in person may make. Every
 * decision is sent with If-Match; a 412 means someone else changed the referral first.
 */
import type * as z from 'zod';
import type { BoardRow as BoardRowSchema } from '../../shared/schemas/referral-api.js';
import { clockAlerts } from './alerts.js';
import { SessionEnded, api, describeError } from './api.js';
import type { View, ViewContext } from './context.js';
import { h, replaceChildren } from './dom.js';
import { eventForms, type Amhp } from './events.js';
import { ago, clockDisplay, duration, londonDateTime, nearestClock, powerName, type BoardClock } from './format.js';
import { showLetter } from './print.js';
import {
  clockElement,
  flagList,
  flagsOf,
  referralSections,
  type BedRequest,
  type Json,
  type ReferralEvent,
} from './referral.js';

/** The API's own shapes (types only: nothing of zod reaches the bundle). */
type BoardRow = z.infer<typeof BoardRowSchema> & {
  /** What the referral waits for, when the API says (e.g. an s.12 doctor since 40 minutes). */
  waitingFor?: { cause: string; since: string }[];
  /** Row-level facts other flags come from, when the API sends them. */
  under18?: boolean;
  interpreterNeeded?: boolean;
  safetyConcern?: boolean;
};
interface Referral {
  id: string;
  reference: string;
  status: string;
  urgency?: string;
  responsibleLssa: string;
  detail?: 'minimal';
  clocks: (BoardClock & { extendedUntil?: string })[];
  allocatedAmhpId?: string;
  allocation?: { amhpId: string };
  outcome?: { outcome: string; byAmhpId?: string };
}

/** A short poll: warnings and breaches reach the board within this, without a reload. */
const REFRESH_MS = 15_000;
const BOARD_PAGES = 5;

const label = (value: string) => value.replace(/-/g, ' ');
const allocatedOf = (r: { allocatedAmhpId?: string; allocation?: { amhpId?: string } }) =>
  r.allocatedAmhpId ?? r.allocation?.amhpId;
/** Handed over to this team: the receiving lead reads these first. */
const handedOver = (r: BoardRow) => r.lastEvent.type === 'handed-over';

function tickClocks(root: Element): void {
  const now = Date.now();
  for (const el of root.querySelectorAll<HTMLElement>('span.clock[data-expires-at]')) {
    const shown = clockDisplay(
      {
        power: el.dataset.power!,
        expiresAt: el.dataset.expiresAt!,
        state: el.dataset.serverState as BoardClock['state'],
      },
      now,
    );
    if (el.textContent !== shown.text) el.textContent = shown.text;
    if (el.dataset.state !== shown.state) el.dataset.state = shown.state;
  }
  for (const el of root.querySelectorAll<HTMLElement>('[data-open-since]'))
    el.textContent = duration((now - Date.parse(el.dataset.openSince!)) / 60_000);
}

export function boardView(ctx: ViewContext): View {
  const { me, main } = ctx;
  let disposed = false;
  let amhps = new Map<string, Amhp>();
  let openId: string | undefined;
  const amhpName = (id?: string) => (id ? (amhps.get(id)?.displayName ?? id) : '—');

  const updated = h('p', { class: 'meta' });
  const alerts = clockAlerts();
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'board' },
    h('caption', {}, 'Open referrals'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Reference', 'Status', 'Urgency', 'Legal status', 'Nearest clock', 'Time open', 'AMHP', 'Last event'].map(
          (c) => h('th', { scope: 'col' }, c),
        ),
      ),
    ),
    tbody,
  );
  const problem = h('div', { class: 'problem-slot' });
  const panelSlot = h('div', { class: 'panel-slot' });
  const heading = h('h1', { tabindex: '-1' }, 'Board');
  replaceChildren(
    main,
    heading,
    h(
      'p',
      { class: 'lede' },
      `Open referrals of ${me.organisationName}, nearest clock first. Clocks count down live; a breached ` +
        `clock says so in words.`,
    ),
    h(
      'div',
      { class: 'toolbar' },
      updated,
      h('button', { type: 'button', class: 'secondary', onclick: () => void load() }, 'Refresh'),
    ),
    alerts.el,
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
    const focusedId = (document.activeElement?.closest('tr[data-referral-id]') as HTMLElement | null)?.dataset
      .referralId;
    rows = [...rows.filter(handedOver), ...rows.filter((r) => !handedOver(r))];
    replaceChildren(
      updated,
      `Updated ${londonDateTime(new Date(now).toISOString())} · ${rows.length}${more ? '+' : ''} ` +
        `open${more ? ' (the first shown; the rest have later or no clocks)' : ''}`,
    );
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
          h(
            'td',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'link',
                'aria-expanded': String(r.id === openId),
                onclick: () => void openPanel(r.id),
              },
              r.reference,
            ),
          ),
          // Flags the API raised stand on the row until resolved (DOMAIN §2, §3.1), written out.
          h(
            'td',
            { 'data-column': 'status' },
            label(r.status),
            handedOver(r) ? h('span', { class: 'tag', 'data-handed-over': '' }, 'Handed over') : null,
            flagList(flagsOf(r as unknown as Json)),
            r.waitingFor?.length
              ? h(
                  'p',
                  { class: 'waiting' },
                  `Waiting for: ` +
                    r.waitingFor
                      .map((w) => `${label(w.cause)} ${duration((now - Date.parse(w.since)) / 60_000)}`)
                      .join('; '),
                )
              : null,
          ),
          h('td', {}, r.urgency),
          h('td', {}, powerName(r.legalStatus)),
          h('td', {}, clockElement(nearestClock(r.clocks), now)),
          h('td', { 'data-open-since': r.receivedAt }, duration((now - Date.parse(r.receivedAt)) / 60_000)),
          h('td', { 'data-column': 'amhp' }, amhpName(r.allocatedAmhpId)),
          h('td', {}, `${label(r.lastEvent.type)}, ${ago(r.lastEvent.at, now)}`),
        ),
      ),
    );
    if (focusedId)
      tbody.querySelector<HTMLButtonElement>(`tr[data-referral-id="${CSS.escape(focusedId)}"] button`)?.focus();
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
        const { body }: { body: { items: BoardRow[]; nextCursor: string | null } } = await api(
          `/v1/referrals?view=board&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        rows.push(...body.items);
        cursor = body.nextCursor;
        if (!cursor) break;
      }
      if (disposed) return;
      replaceChildren(problem);
      alerts.update(rows);
      renderRows(rows, cursor !== null);
    } catch (error) {
      if (!disposed) fail(error, problem);
    }
  }

  async function openPanel(id: string): Promise<void> {
    openId = id;
    for (const row of tbody.querySelectorAll('tr')) {
      const selected = row.getAttribute('data-referral-id') === id;
      row.classList.toggle('selected', selected);
      row.querySelector('button')?.setAttribute('aria-expanded', String(selected));
    }
    try {
      const [{ body: referral, etag }, { body: events }, beds] = await Promise.all([
        api<Referral>(`/v1/referrals/${id}`),
        api<{ items: ReferralEvent[] }>(`/v1/referrals/${id}/events`),
        // Bed requests of this referral and their answers (the list is of the caller's LSSAs).
        api<{ items: BedRequest[] }>('/v1/bed-requests').then(
          (r) => r.body.items,
          () => [] as BedRequest[],
        ),
      ]);
      if (disposed || openId !== id) return;
      const headingId = `panel-${id}`;
      const alertSlot = h('div', { class: 'problem-slot' });
      const full = referral as unknown as Json;
      const reload = () => void Promise.all([load(), openPanel(id)]);
      const forms = etag
        ? await eventForms({
            me,
            referral,
            etag,
            amhps,
            alertSlot,
            onDone: reload,
            onConflict: () => void openPanel(id),
            onSessionEnded: ctx.onSessionEnded,
          })
        : [];
      if (disposed || openId !== id) return;
      const panel = h(
        'section',
        { class: 'panel', role: 'region', 'aria-labelledby': headingId },
        h(
          'div',
          { class: 'panel-head' },
          h('h2', { id: headingId, tabindex: '-1' }, `Referral ${referral.reference}`),
          h('button', { type: 'button', class: 'secondary no-print', onclick: () => window.print() }, 'Print summary'),
          referral.detail !== 'minimal' && (me.role === 'amhp-lead' || me.role === 'amhp')
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'secondary no-print',
                  onclick: () => void showLetter(referral.id, panelSlot).catch(ctx.onSessionEnded),
                },
                'Reasons letter',
              )
            : null,
          h('button', { type: 'button', class: 'secondary no-print', onclick: () => closePanel() }, 'Close'),
        ),
        flagList(flagsOf(full, events.items)),
        h(
          'dl',
          { class: 'facts' },
          h('dt', {}, 'Status'),
          h('dd', {}, label(referral.status)),
          referral.urgency ? [h('dt', {}, 'Urgency'), h('dd', {}, referral.urgency)] : null,
          h('dt', {}, 'LSSA'),
          h('dd', {}, referral.responsibleLssa),
          h('dt', {}, 'AMHP'),
          h('dd', {}, amhpName(allocatedOf(referral))),
        ),
        ...referralSections({
          referral: full,
          events: events.items,
          bedRequests: beds.filter((b) => b.referralReference === referral.reference),
          amhpName,
          open: (other) => void openPanel(other),
        }),
        alertSlot,
        forms.length ? h('div', { class: 'no-print' }, h('h3', {}, 'Record'), ...forms) : null,
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
    const button = id
      ? tbody.querySelector<HTMLButtonElement>(`tr[data-referral-id="${CSS.escape(id)}"] button`)
      : null;
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
