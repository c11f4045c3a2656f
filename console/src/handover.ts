/**
 * Shift hand-over (JOURNEYS J1 step 6): the outgoing duty lead's list of open referrals with
 * what is pending on each and its nearest clock, a note per referral, and one action that hands
 * the selected referrals to the receiving team (a `handed-over` event each, with If-Match from
 * the referral's ETag). The receiving lead's board shows them first. The list prints.
 */
import { ApiError, SessionEnded, api, describeError } from './api.js';
import type { View, ViewContext } from './context.js';
import { announce, field, h, options, replaceChildren } from './dom.js';
import { allowedEvents, eventSchemas, type Amhp } from './events.js';
import { duration, londonDateTime, nearestClock, powerName, type BoardClock } from './format.js';
import { clockElement, flagList, flagsOf, type Json } from './referral.js';
import { resolve, words } from './schema-form.js';

interface Row {
  id: string;
  reference: string;
  status: string;
  urgency: string;
  legalStatus: string;
  responsibleLssa: string;
  clocks: BoardClock[];
  allocatedAmhpId?: string;
  flags: string[];
  lastEvent: { type: string; at: string };
  waitingFor?: { cause: string; since: string }[];
}

/** What the next step on a referral is, by its status (DOMAIN §3). */
const NEXT: Record<string, string> = {
  received: 'Triage: start the review',
  'under-review': 'Triage decision',
  accepted: 'Allocate an AMHP',
  allocated: 'Assessment to start',
  'assessment-in-progress': 'Outcome to record',
  'outcome-recorded': 'Letters and close',
};

export function handoverView(ctx: ViewContext): View {
  const { me, main } = ctx;
  let disposed = false;
  const problem = h('div', { class: 'problem-slot' });
  const tbody = h('tbody');
  const team = h('select', { name: 'toTeam', required: true });
  const heading = h('h1', { tabindex: '-1' }, 'Hand-over');
  const button = h('button', { type: 'submit' }, 'Hand over selected');
  const form = h(
    'form',
    { 'aria-label': 'Hand over', novalidate: true },
    h(
      'table',
      { class: 'handover' },
      h('caption', {}, `Open referrals at ${londonDateTime(new Date().toISOString())}`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Hand over', 'Reference', 'Status', 'Pending', 'Nearest clock', 'AMHP', 'Note for the next shift'].map(
            (c) => h('th', { scope: 'col' }, c),
          ),
        ),
      ),
      tbody,
    ),
    h('div', { class: 'no-print' }, field('Receiving team', team), button),
  );
  replaceChildren(
    main,
    heading,
    h(
      'p',
      { class: 'lede' },
      'Your open referrals with what is pending. Tick those the next shift takes, write a note for each, ' +
        'and hand them over in one go.',
    ),
    h(
      'div',
      { class: 'toolbar no-print' },
      h('button', { type: 'button', class: 'secondary', onclick: () => window.print() }, 'Print hand-over list'),
    ),
    problem,
    form,
  );
  heading.focus();
  let amhps = new Map<string, Amhp>();

  async function load(): Promise<void> {
    try {
      const [{ body }, register, { doc, byType }] = await Promise.all([
        api<{ items: Row[] }>('/v1/referrals?view=board&limit=100'),
        api<{ items: Amhp[] }>('/v1/amhps').then(
          (r) => r.body.items,
          () => [] as Amhp[],
        ),
        eventSchemas(),
      ]);
      if (disposed) return;
      amhps = new Map(register.map((a) => [a.amhpId, a]));
      // The receiving teams are the API's own choices for `handed-over`'s `toTeam`.
      const teams = (resolve(doc, ((byType.get('handed-over')?.properties ?? {}) as Record<string, Json>).toTeam)
        .enum ?? []) as string[];
      replaceChildren(
        team,
        ...options(
          teams.map((t) => [t, words(t)] as const),
          teams.find((t) => t !== 'day-service'),
        ),
      );
      const now = Date.now();
      if (!body.items.length) return replaceChildren(tbody, h('tr', {}, h('td', { colspan: 7 }, 'No open referrals.')));
      replaceChildren(
        tbody,
        ...body.items.map((r) => {
          const can = allowedEvents(me, r, amhps).includes('handed-over');
          const pending = [
            NEXT[r.status] ?? words(r.status),
            ...(r.waitingFor ?? []).map(
              (w) => `waiting for ${words(w.cause)} ${duration((now - Date.parse(w.since)) / 60_000)}`,
            ),
          ];
          return h(
            'tr',
            { 'data-referral-id': r.id },
            h(
              'td',
              {},
              can
                ? h('input', {
                    type: 'checkbox',
                    name: 'select',
                    value: r.id,
                    'aria-label': `Hand over ${r.reference}`,
                  })
                : h('span', { class: 'hint' }, 'Not yet: triage first'),
            ),
            h(
              'th',
              { scope: 'row' },
              r.reference,
              h('span', { class: 'sub' }, `${r.urgency} · ${powerName(r.legalStatus)}`),
            ),
            h('td', {}, words(r.status), flagList(flagsOf(r as unknown as Json))),
            h('td', {}, pending.join('; ')),
            h('td', {}, clockElement(nearestClock(r.clocks), now)),
            h('td', {}, r.allocatedAmhpId ? (amhps.get(r.allocatedAmhpId)?.displayName ?? r.allocatedAmhpId) : '—'),
            h(
              'td',
              {},
              h('textarea', {
                name: `note-${r.id}`,
                rows: 2,
                maxlength: 2000,
                'aria-label': `Note for ${r.reference}`,
                disabled: !can,
              }),
            ),
          );
        }),
      );
    } catch (error) {
      if (error instanceof SessionEnded) return ctx.onSessionEnded();
      if (!disposed) replaceChildren(problem, h('div', { class: 'alert', role: 'alert' }, describeError(error)));
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void handOver();
  });

  async function handOver(): Promise<void> {
    const chosen = [...tbody.querySelectorAll<HTMLInputElement>('input[name="select"]:checked')];
    if (!chosen.length)
      return replaceChildren(
        problem,
        h('div', { class: 'alert', role: 'alert' }, 'Tick at least one referral to hand over.'),
      );
    button.disabled = true;
    const failed: string[] = [];
    let done = 0;
    for (const box of chosen) {
      const row = box.closest('tr')!;
      const reference = row.querySelector('th')?.firstChild?.textContent ?? box.value;
      const note =
        row.querySelector('textarea')?.value.trim() || `Shift hand-over to ${words(team.value).toLowerCase()}.`;
      try {
        // The ETag of the referral as it is now: a change since the list was drawn is a 412, not lost.
        const { etag } = await api(`/v1/referrals/${box.value}`);
        await api(`/v1/referrals/${box.value}/events`, {
          method: 'POST',
          json: { type: 'handed-over', toTeam: team.value, reason: note },
          headers: { 'Idempotency-Key': crypto.randomUUID(), ...(etag ? { 'If-Match': etag } : {}) },
        });
        done++;
      } catch (error) {
        if (error instanceof SessionEnded) return ctx.onSessionEnded();
        failed.push(
          `${reference}: ` +
            (error instanceof ApiError && error.status === 412
              ? 'someone else changed it — check it and try again'
              : describeError(error)),
        );
      }
    }
    button.disabled = false;
    announce(`${done} referral${done === 1 ? '' : 's'} handed over to ${words(team.value).toLowerCase()}`);
    replaceChildren(
      problem,
      failed.length
        ? h(
            'div',
            { class: 'alert', role: 'alert' },
            h('p', {}, 'Not handed over:'),
            h('ul', {}, ...failed.map((f) => h('li', {}, f))),
          )
        : null,
      done
        ? h('p', { class: 'ok', role: 'status' }, `Handed over ${done} to ${words(team.value).toLowerCase()}.`)
        : null,
    );
    await load();
  }

  void load();
  return {
    dispose() {
      disposed = true;
    },
  };
}
