/**
 * Letters the Hub renders as printable HTML pages (DOMAIN §3.2, issue #22): the s.13(4) written
 * reasons to the nearest relative, and the letter to the GP with the outcome and plan. Pure: the
 * handler passes the referral, the service's name and the time; nothing is read here.
 *
 * Every value that comes from a referral is free text someone typed (names, contact, reasons),
 * so every one goes through `escapeHtml` — the page is served from the Hub's own origin and must
 * never carry markup it did not write. No script, no external resource: the response's CSP
 * allows inline styles only.
 */
import type { ReferralRecord } from './referral.js';
import { owesReasons, currentNearestRelative } from './applications.js';
import { londonDate } from './london-time.js';
import type { Outcome } from './vocabulary.js';

export const LETTER_KINDS = ['s13-4-reasons', 'gp'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or a quoted attribute value: the five characters that can end either escaped. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Words for the outcome codes, as a letter says them (a Record, so a new outcome must be worded). */
const OUTCOME_WORDS: Record<Outcome, string> = {
  'detained-s2': 'An application was made for admission for assessment (section 2 of the Mental Health Act 1983).',
  'detained-s3': 'An application was made for admission for treatment (section 3 of the Mental Health Act 1983).',
  'detained-s4':
    'An emergency application was made for admission for assessment (section 4 of the Mental Health Act 1983).',
  'guardianship-s7': 'An application was made for guardianship (section 7 of the Mental Health Act 1983).',
  'informal-admission': 'Admitted to hospital informally.',
  'home-treatment-crisis-team': 'Support from the crisis resolution and home treatment team.',
  'crisis-house-or-safe-space': 'Support in a crisis house or safe space.',
  'community-support': 'Support in the community.',
  'referred-to-other-service': 'Referred to another service.',
  'mca-dols-route': 'To be considered under the Mental Capacity Act.',
  'no-further-action': 'No application was made and no further action under the Mental Health Act is needed.',
  'recommendations-made-no-bed': 'Medical recommendations were made; a bed is being sought.',
  'application-not-made-other': 'No application was made.',
  'nearest-relative-objection': 'No application was made because the nearest relative objected.',
  'unable-to-assess': 'The assessment could not be completed.',
  's135-warrant-sought': 'A warrant under section 135 of the Mental Health Act 1983 was sought.',
  's136-discharged-no-further-action': 'Discharged from section 136 with no further action.',
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "4 December 2026": the London calendar date of an instant, as letters are dated. */
export function letterDate(instant: Date): string {
  const [y, m, d] = londonDate(instant).split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** Free text as escaped paragraphs: the writer's line breaks kept, nothing else interpreted. */
const paragraphs = (text: string): string =>
  text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${p.split(/\r?\n/).map(escapeHtml).join('<br>')}</p>`)
    .join('\n');

/** The page around a letter: A4, print margins, the on-screen hint hidden on paper. */
function page(title: string, body: string): string {
  return (
    `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
  @page { size: A4; margin: 20mm; }
  body { font: 11pt/1.5 Arial, Helvetica, sans-serif; color: #000; max-width: 170mm; margin: 2em auto; }
  .from, .date { text-align: right; }
  .to { margin: 2em 0; }
  h1 { font-size: 13pt; margin: 1.5em 0 1em; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25em 1em; }
  dt { font-weight: bold; }
  .screen-only { background: #eef; border: 1px solid #99c; padding: 0.5em 1em; }
  @media print { .screen-only { display: none; } body { margin: 0; max-width: none; } a { color: inherit; ` +
    `text-decoration: none; } }
</style>
</head>
<body>
<p class="screen-only">Use your browser's Print command to print this letter or save it as a PDF.</p>
${body}
</body>
</html>
`
  );
}

const personName = (r: ReferralRecord): string =>
  r.person.identityUnknown
    ? 'the person referred'
    : [r.person.givenName, r.person.familyName].filter(Boolean).join(' ');

export interface LetterContext {
  /** The AMHP service's name (the registry's organisation name). */
  readonly serviceName: string;
  /** The AMHP who recorded the outcome, as the register names them, when known. */
  readonly amhpName?: string;
  readonly now: Date;
}

export type LetterResult = { ok: true; html: string } | { ok: false; code: string; detail: string };

const signature = (ctx: LetterContext): string =>
  '<p>Yours sincerely,</p>\n<p>' +
  (ctx.amhpName ? `${escapeHtml(ctx.amhpName)}<br>Approved Mental Health Professional<br>` : '') +
  `${escapeHtml(ctx.serviceName)}</p>`;

/**
 * s.13(4): the reasons, in writing, the AMHP approved for the nearest relative
 * (`reasonsForNearestRelative`) — never the internal `reasonsInWriting`. Only when reasons are
 * owed: a nearest relative's request that ended without an application.
 */
export function renderReasonsLetter(r: ReferralRecord, ctx: LetterContext): LetterResult {
  const reasons = r.outcome?.reasonsForNearestRelative;
  if (!owesReasons(r.basis, r.outcome?.outcome, r.application) || reasons === undefined)
    return {
      ok: false,
      code: 'letter.reasons-not-owed',
      detail:
        "No written reasons are owed: this is not a nearest relative's request that ended without an application.",
    };
  // The acting nearest relative after displacement, or the one identified after intake (§3.2).
  const nr = currentNearestRelative(r.nearestRelative, r.nearestRelativeStatus);
  const to = nr?.name ? [nr.name, ...(nr.contact ? [nr.contact] : [])] : ['The nearest relative'];
  const body =
    `<p class="from">${escapeHtml(ctx.serviceName)}</p>
<p class="date">${escapeHtml(letterDate(ctx.now))}</p>
<address class="to">${to.map(escapeHtml).join('<br>')}</address>
<p>Our reference: ${escapeHtml(r.reference)}</p>
<p>Dear ${escapeHtml(nr?.name ?? 'nearest relative')},</p>
<h1>Your request for a Mental Health Act assessment of ${escapeHtml(personName(r))}</h1>
<p>You asked us, as nearest relative, to consider making an application under the Mental Health Act 1983 ` +
    `(section 13(4)). An approved mental health professional considered ${escapeHtml(personName(r))}'s case ` +
    `on ${escapeHtml(letterDate(new Date(r.outcome!.at)))} and decided not to make an application. The law ` +
    `requires us to tell you the reasons in writing. They are:</p>
${paragraphs(reasons)}
<p>You may still make an application yourself, and you may contact us about this decision using the reference above.</p>
${signature(ctx)}`;
  return { ok: true, html: page(`Reasons for not making an application — ${r.reference}`, body) };
}

/** To the GP: the outcome and the plan (nextSteps); for an application, where to. Never the internal reasons. */
export function renderGpLetter(r: ReferralRecord, ctx: LetterContext): LetterResult {
  const outcome = r.outcome;
  if (!outcome) return { ok: false, code: 'letter.no-outcome', detail: 'No outcome is recorded on this referral yet.' };
  const p = r.person;
  const rows: [string, string][] = [
    ['Name', personName(r)],
    ...(!p.identityUnknown && p.dateOfBirth ? [['Date of birth', p.dateOfBirth] as [string, string]] : []),
    ...(!p.identityUnknown && p.nhsNumber ? [['NHS number', p.nhsNumber] as [string, string]] : []),
    ['Assessment outcome', OUTCOME_WORDS[outcome.outcome as Outcome] ?? outcome.outcome],
    ['Date', letterDate(new Date(outcome.at))],
    ...(r.application?.hospital ? [['Hospital', r.application.hospital] as [string, string]] : []),
    ...(r.application?.guardian ? [['Guardian', r.application.guardian] as [string, string]] : []),
  ];
  const body = `<p class="from">${escapeHtml(ctx.serviceName)}</p>
<p class="date">${escapeHtml(letterDate(ctx.now))}</p>
<address class="to">${escapeHtml(r.gp?.practiceName ?? 'The GP practice')}</address>
<p>Our reference: ${escapeHtml(r.reference)}</p>
<p>Dear Doctor,</p>
<h1>Mental Health Act assessment of your patient</h1>
<dl>
${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n')}
</dl>
<h2>Plan and next steps</h2>
${paragraphs(outcome.nextSteps)}
${signature(ctx)}`;
  return { ok: true, html: page(`Assessment outcome — ${r.reference}`, body) };
}

export const renderLetter = (kind: LetterKind, r: ReferralRecord, ctx: LetterContext): LetterResult =>
  kind === 's13-4-reasons' ? renderReasonsLetter(r, ctx) : renderGpLetter(r, ctx);
