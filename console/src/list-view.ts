/**
 * The frame of a list view with a side panel (the bed manager's queue, a referrer's own
 * referrals): heading, lede, a Refresh button, a problem slot, and a table whose rows the view
 * fills, beside the panel slot where a selected row opens. One frame, so the views keep the same
 * landmarks, caption and focus order that the accessibility tests rely on.
 */
import { SessionEnded, describeError } from './api.js';
import type { View, ViewContext } from './context.js';
import { h, replaceChildren } from './dom.js';

export interface ListFrame {
  readonly heading: HTMLElement;
  readonly problem: HTMLElement;
  readonly tbody: HTMLElement;
  readonly panelSlot: HTMLElement;
}

export function listFrame(
  main: HTMLElement,
  options: { title: string; lede: string; caption: string; columns: readonly string[]; refresh: () => void },
): ListFrame {
  const heading = h('h1', { tabindex: '-1' }, options.title);
  const problem = h('div', { class: 'problem-slot' });
  const tbody = h('tbody');
  const panelSlot = h('div', { class: 'panel-slot' });
  replaceChildren(
    main,
    heading,
    h('p', { class: 'lede' }, options.lede),
    h(
      'div',
      { class: 'toolbar' },
      h('button', { type: 'button', class: 'secondary', onclick: options.refresh }, 'Refresh'),
    ),
    problem,
    h(
      'div',
      { class: 'board-layout' },
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          {},
          h('caption', {}, options.caption),
          h('thead', {}, h('tr', {}, ...options.columns.map((c) => h('th', { scope: 'col' }, c)))),
          tbody,
        ),
      ),
      panelSlot,
    ),
  );
  heading.focus();
  return { heading, problem, tbody, panelSlot };
}

/**
 * Loads the rows now and every 30 s until the view is disposed. A failed load shows its problem in
 * the frame (an ended session goes back to sign-in); `gone()` tells a load that lands after the
 * view was left to leave the page alone.
 */
export function loadEvery(
  ctx: ViewContext,
  problem: HTMLElement,
  load: (gone: () => boolean) => Promise<void>,
): { reload: () => void; view: View } {
  let disposed = false;
  const gone = () => disposed;
  const reload = async () => {
    try {
      await load(gone);
    } catch (error) {
      if (error instanceof SessionEnded) return ctx.onSessionEnded();
      if (!disposed) replaceChildren(problem, h('div', { class: 'alert', role: 'alert' }, describeError(error)));
    }
  };
  void reload();
  const refresher = setInterval(() => void reload(), 30_000);
  return {
    reload: () => void reload(),
    view: {
      dispose() {
        disposed = true;
        clearInterval(refresher);
      },
    },
  };
}
