/**
 * Safety (DOMAIN §9). For an AMHP, on a phone: go on shift, check in at a referral you are
 * allocated to, check out safe, go off shift: one tap each (the planned end and expected finish
 * are sensible defaults a tap accepts). For the lead: "who is where" (each check-in with where
 * it is, so help can be sent) and the alerts, polled without reload; a new alert is announced
 * to screen readers, and a safety alert is acknowledged here (it repeats until then).
 */
import { ApiError, SessionEnded, api, describeError } from './api.js';
import type { View, ViewContext } from './context.js';
import { announce, h, replaceChildren } from './dom.js';
import { londonDateTime } from './format.js';

const REFRESH_MS = 15_000;
const HOUR = 3_600_000;

interface Session {
  sessionId: string;
  amhpId: string;
  startedAt: string;
  plannedEndAt: string;
  onCallManager: string;
  overHoursAlertId?: string;
}
interface CheckIn {
  checkInId: string;
  amhpId: string;
  referralId: string;
  reference: string;
  expectedFinishAt: string;
  overdueAt: string;
  overdueAlertId?: string;
  location?: { type: string; address?: { lines: string[]; postcode?: string }; siteId?: string; description?: string };
}
interface Whereabouts {
  sessions: Session[];
  checkIns: CheckIn[];
}
interface Alert {
  alertId: string;
  kind: string;
  raisedAt: string;
  reference?: string;
  amhpId?: string;
  power?: string;
  flag?: string;
  sent: number;
  acknowledgedAt?: string;
}
interface BoardRow {
  id: string;
  reference: string;
  allocatedAmhpId?: string;
}

const ALERT_TEXT: Record<string, string> = {
  'safety-check-overdue': 'has not checked out',
  'over-hours': 'has been on shift over 12 hours',
  'clock-warning': 'statutory clock: 2 hours left',
  'clock-breached': 'statutory clock breached',
  'unlawful-place': 'held where the law forbids',
  escalated: 'bed search escalated',
};
const isSafety = (a: Alert) => a.kind === 'safety-check-overdue' || a.kind === 'over-hours';
const whereText = (c: CheckIn) =>
  c.location
    ? [...(c.location.address?.lines ?? []), c.location.address?.postcode, c.location.siteId, c.location.description]
        .filter(Boolean)
        .join(', ')
    : '';

export function safetyView(ctx: ViewContext): View {
  const { me, main } = ctx;
  const lead = me.role === 'amhp-lead';
  let disposed = false;
  const seen = new Set<string>();
  let firstLoad = true;
  const status = h('div', { 'aria-live': 'assertive' });
  const body = h('div', {});
  const heading = h('h1', { tabindex: '-1' }, lead ? 'Who is where' : 'My duty');
  replaceChildren(main, h('div', { class: lead ? '' : 'safety-phone' }, heading, status, body));
  heading.focus();

  const fail = (error: unknown) => {
    if (error instanceof SessionEnded) return ctx.onSessionEnded();
    replaceChildren(status, h('div', { class: 'alert', role: 'alert' }, describeError(error)));
  };
  const act = async (button: HTMLButtonElement, run: () => Promise<unknown>, done: string) => {
    button.disabled = true;
    try {
      await run();
      replaceChildren(status, h('p', { class: 'ok' }, done));
      announce(done);
      await load();
    } catch (error) {
      if (!disposed) fail(error);
    } finally {
      button.disabled = false;
    }
  };
  const record = (json: Record<string, unknown>) => api('/v1/whereabouts/events', { method: 'POST', json });
  const big = (label: string, onclick: (e: Event) => void, secondary = false) =>
    h(
      'button',
      { type: 'button', class: secondary ? 'secondary safety-tap' : 'safety-tap', onclick },
      label,
    ) as HTMLButtonElement;

  async function amhpPanel(w: Whereabouts): Promise<Node[]> {
    const session = w.sessions[0];
    const checkIn = w.checkIns[0];
    if (!session) {
      const manager = h('input', {
        type: 'text',
        id: 'on-call-manager',
        autocomplete: 'off',
        value: localStorage.getItem('hub.onCallManager') ?? '',
      });
      const end = Date.now() + 8 * HOUR;
      const go = big(`Go on shift (until ${londonDateTime(new Date(end).toISOString())})`, () => {
        localStorage.setItem('hub.onCallManager', manager.value.trim());
        void act(
          go,
          () =>
            record({
              type: 'on-shift',
              plannedEndAt: new Date(end).toISOString(),
              onCallManager: manager.value.trim() || 'Duty manager',
            }),
          'You are on shift.',
        );
      });
      return [h('div', { class: 'field' }, h('label', { for: 'on-call-manager' }, 'On-call manager'), manager), go];
    }
    const off = big(
      'Go off shift',
      () => void act(off, () => record({ type: 'off-shift' }), 'You are off shift.'),
      true,
    );
    const since = h(
      'p',
      { class: 'hint' },
      `On shift since ${londonDateTime(session.startedAt)} · on call: ${session.onCallManager}`,
    );
    if (checkIn) {
      const out = big(
        `Check out: I am safe (${checkIn.reference})`,
        () => void act(out, () => record({ type: 'checked-out', safe: true }), 'Checked out. Thank you.'),
      );
      return [
        since,
        h('p', {}, `Checked in at ${checkIn.reference}, back by ${londonDateTime(checkIn.expectedFinishAt)}.`),
        out,
      ];
    }
    const rows: BoardRow[] = (await api<{ items: BoardRow[] }>('/v1/referrals?view=board&limit=100')).body.items.filter(
      (r) => r.allocatedAmhpId === me.amhpId,
    );
    const finish = Date.now() + 2 * HOUR;
    const taps = rows.map((r) => {
      const b = big(
        `Check in at ${r.reference} (back by ${londonDateTime(new Date(finish).toISOString())})`,
        () =>
          void act(
            b,
            () => record({ type: 'checked-in', referralId: r.id, expectedFinishAt: new Date(finish).toISOString() }),
            `Checked in at ${r.reference}.`,
          ),
      );
      return h('li', {}, b);
    });
    return [
      since,
      rows.length ? h('ul', { class: 'safety-list' }, ...taps) : h('p', {}, 'No referral is allocated to you.'),
      off,
    ];
  }

  function alertsTable(alerts: Alert[]): Node {
    const open = alerts.filter((a) => !a.acknowledgedAt);
    const row = (a: Alert) => {
      const ack = a.acknowledgedAt
        ? h('span', { class: 'hint' }, `Acknowledged ${londonDateTime(a.acknowledgedAt)}`)
        : (h(
            'button',
            {
              type: 'button',
              onclick: () =>
                void act(
                  ack as HTMLButtonElement,
                  () => api(`/v1/alerts/${a.alertId}/acknowledge`, { method: 'POST' }),
                  'Alert acknowledged.',
                ),
            },
            'Acknowledge',
          ) as HTMLButtonElement);
      return h(
        'tr',
        {},
        h('td', {}, londonDateTime(a.raisedAt)),
        h('td', {}, [a.amhpId, a.reference].filter(Boolean).join(' · ')),
        h('td', {}, ALERT_TEXT[a.kind] ?? a.kind, isSafety(a) ? h('span', { class: 'sub' }, `sent ${a.sent}×`) : null),
        h('td', {}, ack),
      );
    };
    return h(
      'section',
      { 'aria-labelledby': 'alerts-h' },
      h('h2', { id: 'alerts-h' }, `Alerts (${open.length} open)`),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          {},
          h(
            'thead',
            {},
            h('tr', {}, h('th', {}, 'Raised'), h('th', {}, 'Who / referral'), h('th', {}, 'Alert'), h('th', {}, '')),
          ),
          h('tbody', {}, ...alerts.slice(0, 30).map(row)),
        ),
      ),
    );
  }

  function whoIsWhere(w: Whereabouts): Node {
    const now = Date.now();
    const checkInOf = new Map(w.checkIns.map((c) => [c.amhpId, c]));
    const rows = w.sessions.map((s) => {
      const c = checkInOf.get(s.amhpId);
      const overdue = c && Date.parse(c.overdueAt) <= now;
      return h(
        'tr',
        {},
        h('th', { scope: 'row' }, s.amhpId, s.overHoursAlertId ? h('span', { class: 'sub' }, 'over 12 hours') : null),
        h('td', {}, c ? h('span', {}, c.reference, h('span', { class: 'sub' }, whereText(c))) : 'Not checked in'),
        h(
          'td',
          {},
          c
            ? h(
                'span',
                { class: overdue ? 'clock' : '', 'data-state': overdue ? 'warning' : undefined },
                londonDateTime(c.expectedFinishAt),
              )
            : '',
        ),
        h('td', {}, `${londonDateTime(s.plannedEndAt)} · ${s.onCallManager}`),
      );
    });
    return h(
      'section',
      { 'aria-labelledby': 'where-h' },
      h('h2', { id: 'where-h' }, `On shift (${w.sessions.length})`),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'AMHP'),
              h('th', {}, 'Where'),
              h('th', {}, 'Back by'),
              h('th', {}, 'Shift ends · on call'),
            ),
          ),
          h('tbody', {}, ...rows),
        ),
      ),
    );
  }

  async function load(): Promise<void> {
    try {
      const w = (await api<Whereabouts>('/v1/whereabouts')).body;
      if (!lead) {
        const nodes = await amhpPanel(w);
        if (!disposed) replaceChildren(body, ...nodes);
        return;
      }
      const alerts = (await api<{ items: Alert[] }>('/v1/alerts?limit=50')).body.items;
      if (disposed) return;
      const fresh = alerts.filter((a) => !a.acknowledgedAt && !seen.has(a.alertId));
      for (const a of alerts) seen.add(a.alertId);
      if (!firstLoad && fresh.length) {
        const text = fresh.map((a) => `${a.amhpId ?? a.reference ?? ''} ${ALERT_TEXT[a.kind] ?? a.kind}`).join('; ');
        replaceChildren(status, h('div', { class: 'alert', role: 'alert' }, `New alert: ${text}`));
      }
      firstLoad = false;
      replaceChildren(body, whoIsWhere(w), alertsTable(alerts));
    } catch (error) {
      if (!disposed && !(error instanceof ApiError && error.status === 404)) fail(error);
    }
  }

  void load();
  const refresher = setInterval(() => void load(), REFRESH_MS);
  return {
    dispose() {
      disposed = true;
      clearInterval(refresher);
    },
  };
}
