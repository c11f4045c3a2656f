/**
 * Pages for a referring agency without a system integration (a police hub, a CMHT): a referral
 * form built from the API's own create-referral schema (so it asks exactly what the API takes,
 * and the API's problems land on the fields), started from the agency's common case, and "my
 * referrals", the referrer's minimised view (DOMAIN §1) followed from the change feed.
 */
import { SessionEnded, api, describeError } from './api.js';
import type { View, ViewContext } from './context.js';
import { field, h, options, replaceChildren } from './dom.js';
import { listFrame, loadEvery } from './list-view.js';
import { eventForms, wireForm } from './events.js';
import { londonDateTime } from './format.js';
import { facts, referralSections, type Json, type ReferralEvent } from './referral.js';
import { build, openApi, requestSchema, words } from './schema-form.js';

/** Each agency's common case: where the form starts (every field can still be changed). */
const CASES: Record<string, { label: string; values: Record<string, string> }> = {
  'police-s136': {
    label: 'Police: person detained under s.136',
    values: {
      '/legalStatus/status': 's136',
      '/legalStatus/detainedAtLocationType': 'public-place',
      '/location/type': 'place-of-safety',
      '/urgency': 'immediate',
    },
  },
  ambulance: {
    label: 'Ambulance: person in crisis in the community',
    values: { '/legalStatus/status': 'none-known', '/location/type': 'public-place', '/urgency': 'immediate' },
  },
  'a-and-e': {
    label: 'A&E: patient in the emergency department',
    values: { '/legalStatus/status': 'informal', '/location/type': 'emergency-department', '/urgency': 'today' },
  },
  'cmht-planned': {
    label: 'CMHT: planned assessment at home',
    values: { '/legalStatus/status': 'none-known', '/location/type': 'home', '/urgency': 'planned' },
  },
};

export function referView(ctx: ViewContext): View {
  const { main } = ctx;
  const heading = h('h1', { tabindex: '-1' }, 'Make a referral');
  const kind = h('select', { name: 'case' }, ...options(Object.entries(CASES).map(([k, c]) => [k, c.label] as const)));
  const alertSlot = h('div', { class: 'problem-slot' });
  const formSlot = h('div');
  replaceChildren(
    main,
    heading,
    h(
      'p',
      { class: 'lede' },
      'Refer a person for consideration of a Mental Health Act assessment. Start from your usual case; the ' +
        'AMHP service sees the referral at once.',
    ),
    field('Kind of referral', kind, 'Fills in the usual answers; change any of them.'),
    alertSlot,
    formSlot,
  );
  heading.focus();

  async function draw(): Promise<void> {
    try {
      const doc = await openApi();
      const built = build(doc, requestSchema(doc, '/v1/referrals', 'post'), '', 'referral', true, {
        values: CASES[kind.value]?.values ?? {},
        labels: { '/responsibleLssa': 'Local authority (LSSA code)' },
      });
      const form = h(
        'form',
        { class: 'referral', 'aria-label': 'Referral', novalidate: true },
        built.el,
        h('button', { type: 'submit' }, 'Send referral'),
      );
      wireForm(form, built, {}, undefined, {
        path: '/v1/referrals',
        done: 'Referral sent',
        alertSlot,
        onDone: () => {
          replaceChildren(
            alertSlot,
            h(
              'p',
              { class: 'ok', role: 'status' },
              'Referral sent. Follow it under ',
              h('a', { href: '#/mine' }, 'My referrals'),
              '.',
            ),
          );
          void draw();
        },
        onSessionEnded: ctx.onSessionEnded,
      });
      replaceChildren(formSlot, form);
    } catch (error) {
      if (error instanceof SessionEnded) return ctx.onSessionEnded();
      replaceChildren(alertSlot, h('div', { class: 'alert', role: 'alert' }, describeError(error)));
    }
  }
  kind.addEventListener('change', () => void draw());
  void draw();
  return { dispose() {} };
}

interface Mine extends Json {
  id: string;
  reference: string;
  referrerReference?: string;
  status: string;
  triage?: { decision: string; disposition?: string; nextSteps?: string };
  allocation?: { amhpId: string; expectedAttendanceAt: string };
  outcome?: { outcome: string; nextSteps: string };
  lastEvent?: { type: string; at: string };
}

const FEED_PAGES = 10;

export function myReferralsView(ctx: ViewContext): View {
  const { me, main } = ctx;
  const { problem, tbody, panelSlot } = listFrame(main, {
    title: 'My referrals',
    lede:
      `Referrals made by ${me.organisationName}: where each stands, the triage decision, when an AMHP ` +
      `expects to attend, and the outcome.`,
    caption: 'My referrals',
    columns: [
      'Reference',
      'Your reference',
      'Status',
      'Triage decision',
      'Expected attendance',
      'Outcome',
      'Last change',
    ],
    refresh: () => loader.reload(),
  });

  async function open(id: string): Promise<void> {
    try {
      const [{ body: r, etag }, { body: events }] = await Promise.all([
        api<Mine>(`/v1/referrals/${id}`),
        api<{ items: ReferralEvent[] }>(`/v1/referrals/${id}/events`),
      ]);
      const alertSlot = h('div', { class: 'problem-slot' });
      const forms = etag
        ? await eventForms({
            me,
            referral: r,
            etag,
            amhps: new Map(),
            alertSlot,
            onDone: () => {
              loader.reload();
              void open(id);
            },
            onConflict: () => void open(id),
            onSessionEnded: ctx.onSessionEnded,
          })
        : [];
      const titleId = `mine-${id}`;
      replaceChildren(
        panelSlot,
        h(
          'section',
          { class: 'panel', role: 'region', 'aria-labelledby': titleId },
          h(
            'div',
            { class: 'panel-head' },
            h('h2', { id: titleId, tabindex: '-1' }, `Referral ${r.reference}`),
            h('button', { type: 'button', class: 'secondary', onclick: () => replaceChildren(panelSlot) }, 'Close'),
          ),
          facts(r, ['status', 'referrerReference', 'receivedAt', 'urgency', 'responsibleLssa']),
          ...referralSections({ referral: r, events: events.items, bedRequests: [], amhpName: () => 'An AMHP' }),
          alertSlot,
          forms.length ? h('div', {}, h('h3', {}, 'Tell the AMHP service'), ...forms) : null,
        ),
      );
      panelSlot.querySelector<HTMLElement>('h2')?.focus();
    } catch (error) {
      if (error instanceof SessionEnded) return ctx.onSessionEnded();
      replaceChildren(panelSlot, h('div', { class: 'alert', role: 'alert' }, describeError(error)));
    }
  }

  const loader = loadEvery(ctx, problem, async (gone) => {
    // The change feed from its start: each referral once, as it is now, most recently changed first.
    const byId = new Map<string, Mine>();
    let after: string | null = null;
    for (let page = 0; page < FEED_PAGES; page++) {
      const { body }: { body: { items: Mine[]; nextCursor: string | null } } = await api(
        `/v1/referrals?view=feed&limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`,
      );
      for (const r of body.items) byId.set(r.id, r);
      if (!body.nextCursor || !body.items.length || body.nextCursor === after) break;
      after = body.nextCursor;
    }
    if (gone()) return;
    const rows = [...byId.values()].sort(
      (a, b) => Date.parse(b.lastEvent?.at ?? '') - Date.parse(a.lastEvent?.at ?? ''),
    );
    replaceChildren(problem);
    if (!rows.length) return replaceChildren(tbody, h('tr', {}, h('td', { colspan: 7 }, 'No referrals yet.')));
    replaceChildren(
      tbody,
      ...rows.map((r) =>
        h(
          'tr',
          { 'data-referral-id': r.id },
          h(
            'th',
            { scope: 'row' },
            h('button', { type: 'button', class: 'link', onclick: () => void open(r.id) }, r.reference),
          ),
          h('td', {}, r.referrerReference ?? '—'),
          h('td', { 'data-column': 'status' }, words(r.status)),
          h(
            'td',
            {},
            r.triage
              ? `${words(r.triage.decision)}${r.triage.disposition ? ` (${words(r.triage.disposition)})` : ''}`
              : '—',
          ),
          h('td', {}, r.allocation ? londonDateTime(r.allocation.expectedAttendanceAt) : '—'),
          h('td', {}, r.outcome ? `${words(r.outcome.outcome)}: ${r.outcome.nextSteps}` : '—'),
          h('td', {}, r.lastEvent ? `${words(r.lastEvent.type)}, ${londonDateTime(r.lastEvent.at)}` : '—'),
        ),
      ),
    );
  });

  return loader.view;
}
