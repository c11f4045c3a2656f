/** tenancy tests, matrix: see ./tenancy.fixture.ts for what they run against. */
import { describe, expect, it } from 'vitest';
import { problemShape } from '../support/security-principals.js';
import { principals, NON_PUBLIC, type Cell, cells, send } from './tenancy.fixture.js';
import { FIXTURES } from './tenancy-routes.fixture.js';

describe('tenancy over the route table', () => {
  it('has a fixture for every non-public route, and none for anything else', () => {
    expect(Object.keys(FIXTURES).sort()).toEqual(NON_PUBLIC.map((r) => r.id).sort());
  });

  it('covers every role, and two organisations (or services) of the roles that have them', () => {
    const roles = new Set(principals.map((p) => p.role));
    expect([...roles].sort()).toEqual(['amhp', 'amhp-lead', 'analyst', 'auditor', 'bed-manager', 'referrer']);
    for (const role of ['referrer', 'amhp-lead', 'bed-manager']) {
      expect(
        new Set(principals.filter((p) => p.role === role).map((p) => p.organisationId)).size,
        role,
      ).toBeGreaterThanOrEqual(2);
    }
  });

  it.each(NON_PUBLIC.map((r) => [r.id, r] as const))(
    '%s: 401 without the scope, 404 when not visible, 403 when not allowed, hidden in lists',
    async (id, route) => {
      const fixture = FIXTURES[id];
      await fixture.control?.();
      const rows = await Promise.all(
        principals.map(async (p): Promise<Cell | undefined> => {
          const hasScope = route.auth.scopes.some((s) => p.scopes.has(s));
          const expected = hasScope ? fixture.expect(p) : 401;
          if (expected === 'entitled') return undefined;
          const res = await send(p, fixture.call(p));
          const cell: Cell = {
            route: id,
            principal: p.key,
            expected,
            status: res.status,
            contentType: res.contentType,
          };
          if (res.status >= 400) cell.problem = problemShape(res.body);
          if (expected === 'hidden' && res.status === 200) cell.revealed = fixture.reveals!(res.body);
          if (expected === 404 && fixture.missing) {
            const missing = await send(p, fixture.missing(p));
            cell.missingStatus = missing.status;
            cell.missingProblem = problemShape(missing.body);
          }
          return cell;
        }),
      );
      const mine = rows.filter((c): c is Cell => c !== undefined);
      cells.push(...mine);
      await fixture.control?.();

      const wrong = mine.filter((c) =>
        c.expected === 'hidden' ? c.status !== 200 || c.revealed !== false : c.status !== c.expected,
      );
      expect(
        wrong.map(
          (c) =>
            `${c.principal}: expected ${c.expected}, ` +
            `got ${c.status}${c.revealed ? ' (revealed the resource)' : ''} ${c.problem?.detail ?? ''}`,
        ),
      ).toEqual([]);
      for (const c of mine.filter((x) => x.status >= 400)) {
        expect(c.contentType, `${c.principal}`).toContain('application/problem+json');
        expect(c.problem?.status, `${c.principal}`).toBe(c.status);
        if (fixture.refusal && c.expected !== 401)
          expect(fixture.refusal(c.problem), `${c.principal}: ${JSON.stringify(c.problem)}`).toBe(true);
      }
      for (const c of mine.filter((x) => x.missingStatus !== undefined)) {
        // Another organisation's resource and one that exists nowhere are indistinguishable.
        expect(c.missingStatus, `${c.principal} at an id that exists nowhere`).toBe(404);
        expect(c.problem, `${c.principal}: the same problem as for an id that exists nowhere`).toEqual(
          c.missingProblem,
        );
      }
    },
  );

  it('the whole matrix: no 2xx at another organisation’s resource, no 5xx, one 404 for every hidden thing', () => {
    expect(cells.length).toBeGreaterThan(200);
    expect(cells.filter((c) => c.status >= 500).map((c) => `${c.route} ${c.principal} ${c.status}`)).toEqual([]);
    expect(
      cells
        .filter((c) => c.status < 300 && c.expected !== 'hidden')
        .map((c) => `${c.route} ${c.principal} ${c.status}`),
    ).toEqual([]);
    expect(cells.filter((c) => c.revealed).map((c) => `${c.route} ${c.principal}`)).toEqual([]);
    const notFound = cells
      .filter((c) => c.status === 404)
      .flatMap((c) => [c.problem, ...(c.missingProblem ? [c.missingProblem] : [])]);
    expect(notFound.length).toBeGreaterThan(20);
    expect(new Set(notFound.map((p) => JSON.stringify(p))).size).toBe(1);
    // Each kind of answer the matrix is about actually occurs.
    const statuses = new Set(cells.map((c) => c.status));
    for (const s of [200, 400, 401, 403, 404]) expect(statuses, String(s)).toContain(s);
  });
});
