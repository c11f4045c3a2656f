/**
 * Printable documents. The s.13(4) reasons letter is rendered by the API (GET
 * /v1/referrals/{id}/letters/{kind}, HTML it escaped itself); it is parsed inert (DOMParser runs
 * no script) and only its text structure is kept, so no markup of it can act in the console,
 * then shown in the page with a Print button. Print CSS (styles.css) hides the console around it.
 */
import { ApiError, SessionEnded, apiText, describeError } from './api.js';
import { h, replaceChildren } from './dom.js';

/** Elements of the letter kept as they are; everything else keeps its text only. */
const KEEP = new Set([
  'H1',
  'H2',
  'H3',
  'P',
  'UL',
  'OL',
  'LI',
  'DL',
  'DT',
  'DD',
  'TABLE',
  'THEAD',
  'TBODY',
  'TR',
  'TH',
  'TD',
  'STRONG',
  'EM',
  'BR',
  'ADDRESS',
  'SECTION',
]);

function inert(node: Node): Node[] {
  if (node.nodeType === Node.TEXT_NODE) return [document.createTextNode(node.textContent ?? '')];
  if (!(node instanceof Element) || /^(SCRIPT|STYLE|TEMPLATE|IFRAME|OBJECT|HEAD|TITLE)$/.test(node.tagName)) return [];
  const children = [...node.childNodes].flatMap(inert);
  if (!KEEP.has(node.tagName)) return children;
  const el = document.createElement(node.tagName.toLowerCase());
  // h1 in a letter would be a second page heading: letters' headings sit under the view's.
  if (/^H[1-3]$/.test(node.tagName)) return [h('h3', {}, ...children)];
  if (node.tagName === 'TH' && node.getAttribute('scope')) el.setAttribute('scope', node.getAttribute('scope')!);
  el.append(...children);
  return [el];
}

export async function showLetter(referralId: string, slot: Element, kind = 's13-4-reasons'): Promise<void> {
  const holder = h('section', { class: 'letter print-only-target', 'aria-labelledby': 'letter-title' });
  try {
    const html = await apiText(`/v1/referrals/${referralId}/letters/${kind}`);
    const doc = new DOMParser().parseFromString(html, 'text/html');
    replaceChildren(
      holder,
      h(
        'div',
        { class: 'panel-head no-print' },
        h(
          'h2',
          { id: 'letter-title', tabindex: '-1' },
          kind === 'gp' ? 'Letter to the GP' : 'Reasons letter (s.13(4))',
        ),
        h('button', { type: 'button', onclick: () => window.print() }, 'Print letter'),
        h('button', { type: 'button', class: 'secondary', onclick: () => holder.remove() }, 'Close letter'),
      ),
      h('div', { class: 'letter-body' }, ...[...doc.body.childNodes].flatMap(inert)),
    );
  } catch (error) {
    if (error instanceof SessionEnded) throw error;
    const text =
      error instanceof ApiError && error.status === 404
        ? 'No letter of this kind is due for this referral yet.'
        : describeError(error);
    replaceChildren(
      holder,
      h('h2', { id: 'letter-title' }, 'Reasons letter (s.13(4))'),
      h('div', { class: 'alert', role: 'alert' }, text),
    );
  }
  slot.querySelector('section.letter')?.remove();
  slot.prepend(holder);
  holder.querySelector<HTMLElement>('h2')?.focus();
}
