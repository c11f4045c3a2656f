/**
 * The bed manager's queue: open bed requests for the LSSAs its units serve, oldest first, with
 * only the minimum a bed manager needs (DOMAIN §5: age band, sex, bed type, legal status, LSSA;
 * never a name or a narrative, which the API does not send), and the answer form built from
 * the API's own description of POST /v1/bed-requests/{id}/responses.
 */
import { api } from './api.js';
import type { View, ViewContext } from './context.js';
import { h, replaceChildren } from './dom.js';
import { listFrame, loadEvery } from './list-view.js';
import { wireForm } from './events.js';
import { ago, londonDateTime, powerName } from './format.js';
import type { BedRequest } from './referral.js';
import { build, openApi, requestSchema, words } from './schema-form.js';

interface Unit {
  unitId: string;
  providerId: string;
  name: string;
}

export function bedRequestsView(ctx: ViewContext): View {
  const { me, main } = ctx;
  let units: Unit[] = [];
  const {
    problem,
    tbody,
    panelSlot: formSlot,
  } = listFrame(main, {
    title: 'Bed requests',
    lede:
      'Open requests for a bed in the areas your units serve, oldest first. ' +
      'Answer each: offered, identified, or none.',
    caption: 'Open bed requests',
    columns: ['Referral', 'Requested', 'Age band', 'Sex', 'Bed type', 'Legal status', 'LSSA', 'Answers'],
    refresh: () => loader.reload(),
  });

  async function answer(req: BedRequest): Promise<void> {
    const doc = await openApi();
    const own = units.filter((u) => u.providerId === me.organisationId);
    const built = build(doc, requestSchema(doc, '/v1/bed-requests/{id}/responses', 'post'), '', 'answer', true, {
      labels: { '/unitId': 'Unit', '/note': 'Note (operational only)' },
      choices: { '/unitId': own.map((u) => [u.unitId, u.name] as const) },
    });
    const alertSlot = h('div', { class: 'problem-slot' });
    const titleId = `answer-${req.id}`;
    const form = h(
      'form',
      { class: 'action', 'aria-labelledby': titleId, novalidate: true },
      built.el,
      h('button', { type: 'submit' }, 'Send answer'),
    );
    wireForm(form, built, {}, undefined, {
      path: `/v1/bed-requests/${req.id}/responses`,
      done: `Answer sent for ${req.referralReference}`,
      alertSlot,
      onDone: () => {
        replaceChildren(formSlot, h('p', { class: 'ok', role: 'status' }, `Answer sent for ${req.referralReference}.`));
        loader.reload();
      },
      onSessionEnded: ctx.onSessionEnded,
    });
    replaceChildren(
      formSlot,
      h(
        'section',
        { class: 'panel', 'aria-labelledby': titleId },
        h('h2', { id: titleId, tabindex: '-1' }, `Answer ${req.referralReference}`),
        alertSlot,
        form,
      ),
    );
    formSlot.querySelector<HTMLElement>('h2')?.focus();
  }

  const loader = loadEvery(ctx, problem, async (gone) => {
    const [{ body }, unitPage] = await Promise.all([
      api<{ items: BedRequest[] }>('/v1/bed-requests'),
      units.length ? Promise.resolve(units) : api<{ items: Unit[] }>('/v1/bed-availability').then((r) => r.body.items),
    ]);
    if (gone()) return;
    units = unitPage;
    const now = Date.now();
    const open = body.items
      .filter((r) => r.status === 'open')
      .sort((a, b) => Date.parse(a.requestedAt) - Date.parse(b.requestedAt));
    replaceChildren(problem);
    if (!open.length) return replaceChildren(tbody, h('tr', {}, h('td', { colspan: 8 }, 'No open bed requests.')));
    replaceChildren(
      tbody,
      ...open.map((r) =>
        h(
          'tr',
          { 'data-bed-request': r.id },
          h(
            'th',
            { scope: 'row' },
            h('button', { type: 'button', class: 'link', onclick: () => void answer(r) }, r.referralReference),
          ),
          h('td', {}, `${londonDateTime(r.requestedAt)} (${ago(r.requestedAt, now)})`),
          h('td', {}, r.ageBand),
          h('td', {}, r.sex),
          h('td', {}, words(r.bedType)),
          h('td', {}, powerName(r.legalStatus)),
          h('td', {}, r.lssa),
          h(
            'td',
            {},
            r.responses.length
              ? r.responses.map((a) => `${words(a.response)}${a.unitId ? ` (${a.unitId})` : ''}`).join('; ')
              : 'None yet',
          ),
        ),
      ),
    );
  });

  return loader.view;
}
