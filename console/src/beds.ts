/**
 * Beds: each unit's reported availability by bed type, stale reports greyed with their age,
 * s.140 units marked, places of safety with their empty spaces. A bed manager updates their
 * own organisation's units from the form.
 */
import { BED_SEXES, BED_TYPES } from '../../shared/domain/vocabulary.js';
import { SessionEnded, api, describeError } from './api.js';
import type { View, ViewContext } from './context.js';
import { announce, field, h, options, replaceChildren } from './dom.js';
import { ago, fromLocalInput, toLocalInput } from './format.js';

interface BedRow {
  bedType: string;
  sex: string;
  available: number;
  total: number;
  expectedDischargesToday?: number;
}
interface Unit {
  unitId: string;
  providerId: string;
  name: string;
  site: string;
  s140Designated: boolean;
  asOf: string | null;
  stale: boolean;
  beds: BedRow[];
  availableOfType: number;
}
interface Site {
  siteId: string;
  name: string;
  status: 'open' | 'closed' | null;
  capacity: number | null;
  emptySpaces: number | null;
  asOf: string | null;
  stale: boolean;
  acceptsUnder18: boolean;
}

const label = (value: string) => value.replace(/-/g, ' ');

function updatedCell(asOf: string | null, stale: boolean, now: number): HTMLElement {
  if (!asOf) return h('td', { class: 'age' }, h('span', { class: 'tag tag-stale' }, 'No figures yet'));
  if (stale)
    return h('td', { class: 'age' }, h('span', { class: 'tag tag-stale' }, 'Stale'), ` updated ${ago(asOf, now)}`);
  return h('td', { class: 'age' }, ago(asOf, now));
}

export function bedsView(ctx: ViewContext): View {
  const { me, main } = ctx;
  let disposed = false;
  let units: Unit[] = [];
  const problem = h('div', { class: 'problem-slot' });
  const unitBody = h('tbody');
  const siteBody = h('tbody');
  const formSlot = h('div');
  const heading = h('h1', { tabindex: '-1' }, 'Beds');
  replaceChildren(
    main,
    heading,
    h(
      'p',
      { class: 'lede' },
      'Figures as each provider last reported them. A report more than 4 hours old is stale: ring the unit ' +
        'before relying on it.',
    ),
    problem,
    formSlot,
    h(
      'table',
      { class: 'beds' },
      h('caption', {}, 'Bed availability by unit'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Unit', 's.140', 'Beds by type', 'Available', 'Updated'].map((c) =>
            h('th', { scope: 'col', class: c === 'Available' ? 'num' : undefined }, c),
          ),
        ),
      ),
      unitBody,
    ),
    h(
      'table',
      { class: 'sites' },
      h('caption', {}, 'Places of safety'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Place of safety', 'Status', 'Empty spaces', 'Capacity', 'Under 18s', 'Updated'].map((c) =>
            h('th', { scope: 'col', class: c === 'Empty spaces' || c === 'Capacity' ? 'num' : undefined }, c),
          ),
        ),
      ),
      siteBody,
    ),
  );
  heading.focus();

  const fail = (error: unknown, slot: Element) => {
    if (error instanceof SessionEnded) return ctx.onSessionEnded();
    replaceChildren(slot, h('div', { class: 'alert', role: 'alert' }, describeError(error)));
  };

  function render(sites: Site[]): void {
    const now = Date.now();
    replaceChildren(
      unitBody,
      ...units.map((u) =>
        h(
          'tr',
          { 'data-unit-id': u.unitId, class: u.stale || !u.asOf ? 'stale' : undefined },
          h('th', { scope: 'row' }, h('span', { class: 'name' }, u.name), h('span', { class: 'sub' }, u.site)),
          h(
            'td',
            {},
            u.s140Designated
              ? h('span', { class: 'tag tag-s140', title: "Named in the ICB's s.140 notice" }, 's.140')
              : '—',
          ),
          h(
            'td',
            {},
            u.beds.length
              ? h(
                  'ul',
                  { class: 'plain' },
                  ...u.beds.map((b) =>
                    h(
                      'li',
                      {},
                      `${label(b.bedType)}, ${b.sex}: ${b.available} ` +
                        `of ${b.total}${
                          b.expectedDischargesToday
                            ? ` (${b.expectedDischargesToday} discharge` +
                              `${b.expectedDischargesToday === 1 ? '' : 's'} expected today)`
                            : ''
                        }`,
                    ),
                  ),
                )
              : '—',
          ),
          h('td', { class: 'num' }, u.asOf ? String(u.beds.reduce((s, b) => s + b.available, 0)) : '—'),
          updatedCell(u.asOf, u.stale, now),
        ),
      ),
    );
    replaceChildren(
      siteBody,
      ...sites.map((s) =>
        h(
          'tr',
          { 'data-site-id': s.siteId, class: s.stale || !s.asOf ? 'stale' : undefined },
          h('th', { scope: 'row' }, s.name),
          h('td', {}, s.status ?? 'unknown'),
          h('td', { class: 'num' }, s.emptySpaces === null ? '—' : String(s.emptySpaces)),
          h('td', { class: 'num' }, s.capacity === null ? '—' : String(s.capacity)),
          h('td', {}, s.acceptsUnder18 ? 'yes' : 'no'),
          updatedCell(s.asOf, s.stale, now),
        ),
      ),
    );
  }

  function renderForm(): void {
    const own = units.filter((u) => u.providerId === me.organisationId);
    if (me.role !== 'bed-manager' || !own.length) {
      replaceChildren(formSlot);
      return;
    }
    const unit = h(
      'select',
      { name: 'unitId', required: true },
      ...options(own.map((u) => [u.unitId, u.name] as const)),
    );
    const bedType = h(
      'select',
      { name: 'bedType', required: true },
      ...options(BED_TYPES.map((t) => [t, label(t)] as const)),
    );
    const sex = h('select', { name: 'sex', required: true }, ...options(BED_SEXES.map((s) => [s, s] as const)));
    const available = h('input', {
      type: 'number',
      name: 'available',
      min: 0,
      max: 10000,
      required: true,
      inputmode: 'numeric',
    });
    const total = h('input', {
      type: 'number',
      name: 'total',
      min: 0,
      max: 10000,
      required: true,
      inputmode: 'numeric',
    });
    const discharges = h('input', {
      type: 'number',
      name: 'expectedDischargesToday',
      min: 0,
      max: 10000,
      inputmode: 'numeric',
    });
    const others = h('p', { class: 'hint', id: 'other-rows' });
    const asOf = h('input', { type: 'datetime-local', name: 'asOf', required: true, value: toLocalInput(Date.now()) });
    // Left as shown, "as of" means now to the second: the field only holds minutes, and a report
    // stamped at the start of this minute would lose to one sent seconds ago (409, older report).
    let asOfTouched = false;
    asOf.addEventListener('input', () => {
      asOfTouched = true;
    });
    const message = h('p', { role: 'status', class: 'ok' });
    const alertSlot = h('div', { class: 'problem-slot' });
    // The unit's current row for the chosen type and sex, as a starting point.
    const prefill = () => {
      const row = units
        .find((u) => u.unitId === unit.value)
        ?.beds.find((b) => b.bedType === bedType.value && b.sex === sex.value);
      available.value = row ? String(row.available) : '';
      total.value = row ? String(row.total) : '';
      discharges.value = row?.expectedDischargesToday === undefined ? '' : String(row.expectedDischargesToday);
      // A report is the unit's whole picture (one snapshot): say which other rows it confirms.
      const rest = (units.find((u) => u.unitId === unit.value)?.beds ?? []).filter(
        (b) => b.bedType !== bedType.value || b.sex !== sex.value,
      );
      others.textContent = rest.length
        ? `Sending this also confirms, as of the same time, the unit's other rows as they ` +
          `stand: ${rest.map((b) => `${label(b.bedType)}, ${b.sex}: ${b.available} of ${b.total}`).join('; ')}.`
        : '';
    };
    const first = own[0]?.beds[0];
    if (first) {
      bedType.value = first.bedType;
      sex.value = first.sex;
    }
    for (const control of [unit, bedType, sex]) control.addEventListener('change', prefill);
    prefill();
    const form = h(
      'form',
      {
        class: 'update',
        'aria-label': 'Update availability',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          replaceChildren(alertSlot);
          replaceChildren(message);
          const row: BedRow = {
            bedType: bedType.value,
            sex: sex.value,
            available: Number(available.value),
            total: Number(total.value),
            ...(discharges.value.trim() ? { expectedDischargesToday: Number(discharges.value) } : {}),
          };
          if (row.available > row.total) {
            replaceChildren(
              alertSlot,
              h('div', { class: 'alert', role: 'alert' }, 'Available: cannot be more than the total.'),
            );
            available.focus();
            return;
          }
          try {
            // A report replaces the unit's whole picture: the other rows as they stand now (read
            // again, so a colleague's report a minute ago is not reverted), copied whole.
            await load(false);
            const target = units.find((u) => u.unitId === unit.value);
            if (!target) return;
            const beds = [
              ...target.beds.filter((b) => b.bedType !== row.bedType || b.sex !== row.sex).map((b) => ({ ...b })),
              row,
            ];
            await api(`/v1/bed-units/${encodeURIComponent(target.unitId)}/availability`, {
              method: 'PUT',
              json: { asOf: asOfTouched ? fromLocalInput(asOf.value) : new Date().toISOString(), beds },
              headers: { 'Idempotency-Key': crypto.randomUUID() },
            });
            const text = `Availability updated for ${target.name}.`;
            replaceChildren(message, text);
            announce(text);
            await load(false);
          } catch (error) {
            fail(error, alertSlot);
          }
        },
      },
      h('h2', {}, 'Update availability'),
      h(
        'div',
        { class: 'fields' },
        field('Unit', unit),
        field('Bed type', bedType),
        field('Sex', sex),
        field('Available', available),
        field('Total', total),
        field('Expected discharges today', discharges, 'Optional.'),
        field('As of', asOf, 'London time; left as it is, the moment you send.'),
      ),
      others,
      h('button', { type: 'submit' }, 'Update availability'),
      alertSlot,
      message,
    );
    replaceChildren(formSlot, form);
  }

  async function load(withForm = true): Promise<void> {
    try {
      const [unitPage, sitePage] = await Promise.all([
        api<{ items: Unit[] }>('/v1/bed-availability'),
        api<{ items: Site[] }>('/v1/places-of-safety'),
      ]);
      if (disposed) return;
      units = unitPage.body.items;
      replaceChildren(problem);
      render(sitePage.body.items);
      if (withForm) renderForm();
    } catch (error) {
      if (!disposed) fail(error, problem);
    }
  }

  void load();
  const refresher = setInterval(() => void load(false), 60_000);
  return {
    dispose() {
      disposed = true;
      clearInterval(refresher);
    },
  };
}
