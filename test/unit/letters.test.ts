/**
 * The letter renderer (shared/domain/letters.ts): every interpolated value escaped, the s.13(4)
 * letter only when reasons are owed and only with the approved text, the GP letter only after
 * an outcome and never with the internal reasons.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeHtml, letterDate, renderGpLetter, renderReasonsLetter } from '../../shared/domain/letters.js';
import type { ReferralRecord } from '../../shared/domain/referral.js';
import { received } from '../support/lifecycle-fixtures.js';

const NOW = new Date('2026-12-04T19:30:00Z');
const HOSTILE = `<script>alert("x")</script><img src=x onerror='alert(1)'> & "quoted" </p><a href="javascript:x">`;
const ctx = { serviceName: 'Northshire AMHP Service', amhpName: 'Sam Patel', now: NOW };

/** An s.13(4) request closed without an application: reasons owed. */
function owed(overrides: Partial<ReferralRecord> = {}): ReferralRecord {
  const r = received('s13-4-request', NOW);
  return {
    ...r,
    status: 'outcome-recorded',
    nearestRelative: {
      known: true,
      name: 'Ruth Marsh',
      relationship: 'mother',
      contact: '12 Oak Lane, Northshire NS1 2AB',
    },
    outcome: {
      outcome: 'no-further-action',
      nextSteps: 'Community team to review on Monday.',
      reasonsInWriting: 'INTERNAL: risk discussed with the team.',
      reasonsForNearestRelative: 'Your son agreed to accept support at home.\n\nThe crisis team will visit daily.',
      at: '2026-12-03T15:00:00Z',
      amendments: 0,
    },
    ...overrides,
  };
}

/** No markup but the renderer's own: the hostile text appears only escaped. */
function expectNoInjection(html: string) {
  expect(html).not.toContain('<script');
  expect(html).not.toContain('<img');
  expect(html).not.toContain('<a href');
  expect(html).not.toMatch(/onerror\s*=\s*'/);
  expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  expect(html).toContain('onerror=&#39;alert(1)&#39;');
}

describe('escapeHtml', () => {
  it('escapes the five characters that can end text or an attribute', () => {
    expect(escapeHtml(HOSTILE)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;alert(1)&#39;&gt; &amp; ' +
        '&quot;quoted&quot; &lt;/p&gt;&lt;a href=&quot;javascript:x&quot;&gt;',
    );
    // Already-escaped text is escaped again (shown as typed), not trusted.
    expect(escapeHtml('&amp; &lt;')).toBe('&amp;amp; &amp;lt;');
    expect(escapeHtml('Ruth Marsh, 12 Oak Lane')).toBe('Ruth Marsh, 12 Oak Lane');
  });

  it('never leaves a raw <, >, " or \' and round-trips through unescaping', () => {
    const unescapeHtml = (s: string) =>
      s.replace(
        /&lt;|&gt;|&quot;|&#39;|&amp;/g,
        (e) => ({ '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' })[e]!,
      );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const out = escapeHtml(s);
        expect(out).not.toMatch(/[<>"']/);
        expect(out.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
        expect(unescapeHtml(out)).toBe(s);
      }),
    );
  });
});

describe('the s.13(4) reasons letter', () => {
  it('carries the approved reasons, the nearest relative, the service and the date; never the internal reasons', () => {
    const result = renderReasonsLetter(owed(), ctx);
    expect(result.ok).toBe(true);
    const html = (result as { html: string }).html;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('@media print');
    expect(html).toContain('<p>Your son agreed to accept support at home.</p>');
    expect(html).toContain('<p>The crisis team will visit daily.</p>');
    expect(html).toContain('Ruth Marsh<br>12 Oak Lane, Northshire NS1 2AB');
    expect(html).toContain('Northshire AMHP Service');
    expect(html).toContain('4 December 2026');
    expect(html).toContain('3 December 2026');
    expect(html).toContain('section 13(4)');
    expect(html).not.toContain('INTERNAL');
    expect(html).not.toMatch(/<script|<link|src=/);
  });

  it('goes to the acting nearest relative after displacement (s.29), to none when there is none', () => {
    const acting = owed({
      nearestRelativeStatus: {
        identity: 'person',
        displacedAt: '2026-12-02T10:00:00Z',
        person: { name: 'Jo Marsh', contact: '3 Elm Road' },
      },
    });
    const html = (renderReasonsLetter(acting, ctx) as { html: string }).html;
    expect(html).toContain('Jo Marsh<br>3 Elm Road');
    expect(html).not.toContain('Ruth Marsh');
    const none = (renderReasonsLetter(owed({ nearestRelativeStatus: { identity: 'none' } }), ctx) as { html: string })
      .html;
    expect(none).not.toContain('Ruth Marsh');
  });

  it('escapes every interpolated value', () => {
    const r = owed({ reference: HOSTILE, nearestRelative: { known: true, name: HOSTILE, contact: HOSTILE } });
    r.outcome!.reasonsForNearestRelative = HOSTILE;
    r.person = { ...r.person, givenName: HOSTILE } as ReferralRecord['person'];
    const result = renderReasonsLetter(r, { ...ctx, serviceName: HOSTILE, amhpName: HOSTILE });
    expectNoInjection((result as { html: string }).html);
  });

  it(
    'is refused when no reasons are owed: another basis, ' + 'an application, an outcome that owes none, no outcome',
    () => {
      const notOwed = [
        owed({ basis: 'consideration' }),
        owed({ application: { section: 's2', at: '2026-12-03T15:00:00Z', seq: 5, origin: 'application-made' } }),
        owed({ outcome: { ...owed().outcome!, outcome: 'recommendations-made-no-bed' } }),
        owed({ outcome: { ...owed().outcome!, outcome: 'detained-s2' } }),
        owed({ outcome: undefined }),
      ];
      for (const r of notOwed)
        expect(renderReasonsLetter(r, ctx)).toMatchObject({ ok: false, code: 'letter.reasons-not-owed' });
    },
  );
});

describe('the GP letter', () => {
  it('carries the outcome in words and the plan, never the reasons', () => {
    const r = owed({ gp: { practiceName: 'Riverside Surgery', odsCode: 'E81001' } });
    const html = (renderGpLetter(r, ctx) as { html: string }).html;
    expect(html).toContain('Riverside Surgery');
    expect(html).toContain('No application was made and no further action under the Mental Health Act is needed.');
    expect(html).toContain('<p>Community team to review on Monday.</p>');
    expect(html).toContain('1992-03-08'); // the person's date of birth, for the GP to match their record
    expect(html).not.toContain('INTERNAL');
    expect(html).not.toContain('Your son agreed');
  });

  it('names the hospital of an application, escapes every value, and is refused without an outcome', () => {
    const r = owed({
      basis: 'consideration',
      application: { section: 's2', at: '2026-12-03T15:00:00Z', seq: 5, origin: 'outcome', hospital: HOSTILE },
      gp: { practiceName: HOSTILE },
    });
    r.outcome = { ...r.outcome!, outcome: 'detained-s2', nextSteps: HOSTILE };
    const html = (renderGpLetter(r, { ...ctx, serviceName: HOSTILE }) as { html: string }).html;
    expect(html).toContain('section 2 of the Mental Health Act 1983');
    expectNoInjection(html);
    expect(renderGpLetter(owed({ outcome: undefined }), ctx)).toMatchObject({ ok: false, code: 'letter.no-outcome' });
  });
});

describe('letterDate', () => {
  it('is the London calendar date: 23:30 UTC in summer is the next day in London', () => {
    expect(letterDate(new Date('2026-07-01T23:30:00Z'))).toBe('2 July 2026');
    expect(letterDate(new Date('2026-12-31T23:30:00Z'))).toBe('31 December 2026');
  });
});
