import middy from '@middy/core';
import { describe, expect, it, vi } from 'vitest';
import { authorize, forbidden, type Authorizer } from '../../../shared/http/middleware/authorize.js';
import type { RouteDef } from '../../../functions/routes.js';
import type { Caller } from '../../../shared/identity/caller.js';
import { context, event, given, ok, person, route, stateFor, system } from './harness.js';
import { SCOPES } from '../../../shared/identity/roles.js';

const run = async (r: RouteDef, caller: Caller | undefined, rule?: Authorizer) => {
  const state = stateFor(r, { caller, resource: { id: 'r1' }, params: { id: 'r1' }, body: { b: 1 } });
  const handler = vi.fn(ok);
  await middy().use(given(state)).use(authorize(rule)).handler(handler)(event(), context());
  return { handler, state };
};

const forRoles = (
  roles: RouteDef['auth'] extends infer A ? (A extends { roles: infer R } ? R : never) : never,
  who?: 'person' | 'system',
) => route({ auth: { scopes: SCOPES, roles, ...(who ? { caller: who } : {}) } });

describe('authorize middleware', () => {
  it('lets a caller whose role the route names through to the handler', async () => {
    const { handler } = await run(forRoles(['referrer']), system);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('refuses a role the route does not name with 403', async () => {
    await expect(run(forRoles(['amhp', 'amhp-lead']), system)).rejects.toMatchObject({
      status: 403,
      detail: 'The referrer role may not do this.',
    });
  });

  it('refuses a system client a decision only a person may make, and a person a system operation', async () => {
    await expect(run(forRoles(['referrer'], 'person'), system)).rejects.toMatchObject({ status: 403 });
    await expect(run(forRoles(['amhp'], 'system'), person)).rejects.toMatchObject({ status: 403 });
    await expect(run(forRoles(['amhp'], 'person'), person)).resolves.toBeDefined();
  });

  it("then applies the handler's rule to this resource, params and body", async () => {
    const rule = vi.fn<Authorizer>(() => undefined);
    await run(forRoles(['referrer']), system, rule);
    expect(rule).toHaveBeenCalledWith(
      expect.objectContaining({ caller: system, resource: { id: 'r1' }, params: { id: 'r1' }, body: { b: 1 } }),
    );
    const refusing: Authorizer = async () => {
      throw forbidden('Not yours.');
    };
    await expect(run(forRoles(['referrer']), system, refusing)).rejects.toMatchObject({
      status: 403,
      detail: 'Not yours.',
    });
  });

  it('does not run the rule when the role is already refused', async () => {
    const rule = vi.fn<Authorizer>(() => undefined);
    await expect(run(forRoles(['auditor']), system, rule)).rejects.toMatchObject({ status: 403 });
    expect(rule).not.toHaveBeenCalled();
  });

  it('lets a public route through without a caller', async () => {
    const { handler } = await run(route({ auth: 'public' }), undefined);
    expect(handler).toHaveBeenCalledTimes(1);
  });
});
