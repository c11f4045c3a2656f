/**
 * The page a problem `type` URI resolves to (`GET /problems/{slug}`): what the problem means,
 * what to do, whether a retry can succeed, and the domain `code`s it can carry. Self-contained
 * HTML like /docs (no script, no external resources); everything from the catalogue is escaped.
 */
import { PROBLEM_KINDS, type ProblemKind } from '../http/problem.js';
import { PROBLEM_CATALOGUE, PROBLEM_SLUGS, codesOf } from '../http/problem-catalogue.js';
import { escapeHtml } from './page.js';

const RETRY_TEXT = {
  yes: 'Yes: the same request can succeed later (writes with the same Idempotency-Key).',
  no: 'No: the same request will get the same answer.',
  'after-change': 'Only after you change the request (or read the resource again).',
} as const;

/** Inline `code` spans from backticks, after escaping. */
const inline = (text: string): string => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

export function renderProblemPage(kind: ProblemKind): string {
  const { status, title } = PROBLEM_KINDS[kind];
  const entry = PROBLEM_CATALOGUE[kind];
  const codes = codesOf(kind);
  const others = PROBLEM_SLUGS.filter((k) => k !== kind)
    .map(
      (k) =>
        `<li><a href="${escapeHtml(k)}">${escapeHtml(PROBLEM_KINDS[k].title)}</a> (${PROBLEM_KINDS[k].status})</li>`,
    )
    .join('');
  const codeRows = codes
    .map((c) => `<tr><td><code>${escapeHtml(c.code)}</code></td><td>${inline(c.meaning)}</td></tr>`)
    .join('');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)} (${status}): AMHP Referral Hub problem</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}',
    'code{background:#f3f3f3;padding:0 .2em}table{border-collapse:collapse}td,th{border:1px solid ' +
      '#ccc;padding:.3em .5em;text-align:left}</style>',
    '</head><body><main id="main">',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>HTTP status <strong>${status}</strong>, problem type <code>/problems/${escapeHtml(kind)}</code>, `,
    'answered as <code>application/problem+json</code> (RFC 9457).</p>',
    `<h2>What it means</h2><p>${inline(entry.meaning)}</p>`,
    `<h2>What to do</h2><p>${inline(entry.action)}</p>`,
    `<h2>Can I retry?</h2><p>${escapeHtml(RETRY_TEXT[entry.retry])}</p>`,
    codes.length
      ? `<h2>Codes</h2><p>The <code>code</code> member says which rule refused the request. Codes are stable ` +
        `within /v1.</p><table><thead><tr><th>code</th><th>meaning</th></tr></thead><tbody>${codeRows}</tbody></table>`
      : '',
    '<h2>Every problem in the body</h2><p><code>type</code>, <code>title</code>, <code>status</code>, ' +
      '<code>detail</code>, ',
    '<code>correlationId</code> (quote it when reporting), and for validation <code>errors: [{ pointer, message ' +
      '}]</code>. ',
    'Details never echo submitted values.</p>',
    `<h2>Other problem types</h2><ul>${others}</ul>`,
    '</main></body></html>',
  ].join('\n');
}
