/**
 * Live alerts on the board: each time the board is polled, a clock that has newly reached its
 * T−2 h warning or its breach is written into a live region (screen readers announce it, the
 * page does not have to be reloaded) and, if the person turned them on, shown as a browser
 * notification. The notification says only the reference and the clock: nothing identifiable
 * leaves the page for the operating system's notification centre.
 */
import { h } from './dom.js';
import { clockDisplay, londonDateTime, powerName, type BoardClock, type ClockState } from './format.js';

interface Row {
  readonly id: string;
  readonly reference: string;
  readonly clocks: readonly BoardClock[];
}

const RANK: Record<ClockState, number> = { running: 0, ended: 0, warning: 1, breached: 2 };
const MAX_SHOWN = 20;

export interface ClockAlerts {
  readonly el: HTMLElement;
  update(rows: readonly Row[]): void;
}

export function clockAlerts(): ClockAlerts {
  /** The last state seen per referral and power; undefined before the first poll. */
  let seen: Map<string, ClockState> | undefined;
  // The live region holds a list (a list element cannot itself be the log: its items would lose their list).
  const list = h('ul', { class: 'alerts-log' });
  const log = h('div', { role: 'log', 'aria-live': 'assertive', 'aria-label': 'Clock alerts' }, list);
  const canNotify = typeof Notification !== 'undefined';
  const toggle = h(
    'button',
    { type: 'button', class: 'secondary', hidden: !canNotify || Notification.permission !== 'default' },
    'Notify me in this browser',
  );
  toggle.addEventListener('click', () => {
    void Notification.requestPermission().then(() => {
      toggle.hidden = Notification.permission !== 'default';
    });
  });
  const el = h(
    'section',
    { class: 'alerts', 'aria-labelledby': 'alerts-title' },
    h('h2', { id: 'alerts-title', class: 'small' }, 'Alerts'),
    toggle,
    log,
  );
  el.hidden = true;

  function update(rows: readonly Row[]): void {
    const now = Date.now();
    const next = new Map<string, ClockState>();
    const fresh: string[] = [];
    for (const r of rows) {
      for (const c of r.clocks) {
        const state = clockDisplay(c, now).state;
        const key = `${r.id}|${c.power}`;
        next.set(key, state);
        const before = seen?.get(key);
        // Only a step up is news: the first poll sets the scene, a clock stays as it was announced.
        if (seen && RANK[state] > RANK[before ?? 'running']) {
          fresh.push(
            state === 'breached'
              ? `Breached: ${powerName(c.power)} clock of ${r.reference}`
              : `Warning: ${powerName(c.power)} clock of ${r.reference} has under 2 hours left`,
          );
        }
      }
    }
    seen = next;
    if (!fresh.length) return;
    el.hidden = false;
    const at = londonDateTime(new Date(now).toISOString());
    list.prepend(
      ...fresh.map((t) => h('li', { class: t.startsWith('Breached') ? 'breached' : 'warning' }, `${at} — ${t}`)),
    );
    while (list.children.length > MAX_SHOWN) list.lastElementChild?.remove();
    if (canNotify && Notification.permission === 'granted')
      for (const t of fresh) new Notification('AMHP Referral Hub', { body: t, tag: t });
  }

  return { el, update };
}
