/**
 * Issue #22 "Done when", through HTTP on DynamoDB Local, for the nearest relative (DOMAIN §3.2):
 * the s.13(4) letter of written reasons, and a pending displacement application extending s.2
 * (s.29(4)). Setup and helpers are shared with applications.test.ts (applications.fixture.ts),
 * as are the file's own tables.
 */
import { describe, expect, it } from 'vitest';
import { queryAudit } from '../../shared/data/audit-repository.js';
import { j1Body } from '../support/referrals.js';
import {
  allocated,
  api,
  boardRow,
  breachesAfterSweep,
  clockOf,
  create,
  DAY,
  iso,
  type Json,
  ok,
  openFlags,
  read,
  tokens,
} from './applications.fixture.js';

describe('s.13(4): the written reasons letter', () => {
  const APPROVED = 'Your son agreed to accept support at home & the crisis team will visit <daily>.';
  const INTERNAL = 'INTERNAL-ONLY: risk formulation discussed with the team manager.';
  const NR = { known: true, name: 'Ruth Letterton', relationship: 'mother', contact: '12 Oak Lane, Northshire' };

  function s134Body(): Json {
    const body = j1Body();
    body.basis = 's13-4';
    body.location = { type: 'home', address: { lines: ['1 Example Road'] } };
    body.legalStatus = { status: 'informal' };
    body.urgency = 'today';
    body.nearestRelative = NR;
    body.gp = { practiceName: 'Riverside Surgery' };
    return body;
  }
  const letter = (id: string, kind: string, token: string) =>
    api.fetch(`/v1/referrals/${id}/letters/${kind}`, { token });
  /** Sam records the outcome without an application: internal reasons, and the ones the nearest relative gets. */
  const recordNoApplication = (id: string) =>
    ok(tokens.sam, id, {
      type: 'record-outcome',
      outcome: 'no-further-action',
      nextSteps: 'Community team to review on Monday.',
      reasonsInWriting: INTERNAL,
      reasonsForNearestRelative: APPROVED,
    });

  it(
    'closed without an application: the letter shows the approved reasons (never the internal ones), flagged ' +
      'until reasons-sent',
    async () => {
      const id = await allocated(s134Body());
      const before = await letter(id, 's13-4-reasons', tokens.sam);
      expect(before.status).toBe(409);
      expect(((await before.json()) as Json).code).toBe('letter.reasons-not-owed');

      await recordNoApplication(id);
      expect((await boardRow(id))!.flags).toEqual(['reasons-in-writing-pending']);
      // Letters often go after the referral is closed: the flag stays on the referral until then.
      await ok(tokens.lead, id, { type: 'close', reason: 'completed' });
      expect(openFlags(await read(id))).toEqual(['reasons-in-writing-pending']);

      const res = await letter(id, 's13-4-reasons', tokens.sam);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).not.toContain('script');
      const html = await res.text();
      expect(html).toContain(
        'Your son agreed to accept support at home &amp; the crisis team will visit &lt;daily&gt;.',
      );
      expect(html).toContain(NR.name);
      expect(html).toContain(NR.contact);
      expect(html).toContain('Northshire AMHP Service');
      expect(html).not.toContain('INTERNAL-ONLY');
      expect(html).not.toContain('<daily>');

      // Audited as a read of the referral by the AMHP who read it.
      const audit = await queryAudit({ index: 'resource', partition: `referral#${id}`, limit: 100 });
      expect(audit.records.filter((r) => r.route === 'getReferralLetter' && r.result === 200)).toEqual([
        expect.objectContaining({ action: 'read', resourceId: id }),
      ]);

      await ok(tokens.sam, id, { type: 'reasons-sent', method: 'post' });
      const view = await read(id);
      expect(openFlags(view)).toEqual([]);
      expect(view.reasonsSent).toMatchObject({ method: 'post' });
    },
  );

  it(
    'only the callers with the full referral read letters: 403 at board level or for the referrer, 404 ' +
      'elsewhere; the GP letter after an outcome',
    async () => {
      const id = await allocated(s134Body());
      const gpBefore = await letter(id, 'gp', tokens.sam);
      expect(gpBefore.status).toBe(409);
      expect(((await gpBefore.json()) as Json).code).toBe('letter.no-outcome');
      await recordNoApplication(id);

      for (const token of [tokens.lead, tokens.sam])
        expect((await letter(id, 's13-4-reasons', token)).status).toBe(200);
      for (const token of [tokens.alex, tokens.policeA]) {
        const res = await letter(id, 's13-4-reasons', token);
        expect(res.status).toBe(403);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
      expect((await letter(id, 's13-4-reasons', tokens.southLead)).status).toBe(404);
      expect((await letter(id, 'no-such-kind', tokens.lead)).status).toBe(404);

      const gp = await letter(id, 'gp', tokens.sam);
      expect(gp.status).toBe(200);
      const html = await gp.text();
      expect(html).toContain('Riverside Surgery');
      expect(html).toContain('Community team to review on Monday.');
      expect(html).not.toContain('INTERNAL-ONLY');
      expect(html).not.toContain('Your son agreed');
    },
  );
});

describe('s.29(4): a pending displacement application extends s.2', () => {
  function onS2(daysAgo: number): Json {
    const body = j1Body();
    body.location = { type: 'inpatient-ward', siteId: 'RC9-WARD-7' };
    body.legalStatus = { status: 's2', admittedAt: iso(Date.now() - daysAgo * DAY) };
    body.urgency = 'planned';
    return body;
  }

  it(
    'displacement-applied suspends the s.2 clock: no breach at the old expiry after the sweep (a control is ' +
      'breached)',
    async () => {
      const referral = await create(onS2(20));
      const control = await create(onS2(20));
      const expiresAt = clockOf(await read(referral.id), 's2')!.expiresAt as string;
      await ok(tokens.lead, referral.id, { type: 'displacement-applied' });
      expect(clockOf(await read(referral.id), 's2')).toMatchObject({
        suspendedAt: expect.any(String),
        state: 'running',
      });

      const afterExpiry = new Date(Date.parse(expiresAt) + DAY);
      expect(await breachesAfterSweep(referral.id, afterExpiry)).toEqual([]);
      expect((await breachesAfterSweep(control.id, afterExpiry)).map((e) => e.data.power)).toEqual(['s2']);
    },
  );
});
