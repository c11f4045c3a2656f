import middy from '@middy/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// The registry read is stubbed at the module boundary; the middleware and the claim rules run.
const registry = vi.hoisted(() => ({ getIdentity: vi.fn(), getOrganisation: vi.fn() }));
vi.mock('../../../shared/data/registry-repository.js', () => registry);

const { callerFromClaims } = await import('../../../shared/http/middleware/caller.js');
const { forgetCallers } = await import('../../../shared/identity/caller.js');
const { context, event, given, ok, route, stateFor } = await import('./harness.js');

const run = async (claims: Record<string, string> | undefined) => {
  const state = stateFor(route());
  const appended = vi.spyOn(state.log, 'appendPersistentKeys');
  await middy()
    .use(given(state))
    .use(callerFromClaims())
    .handler(ok)(event({ requestContext: { authorizer: claims ? { claims } : undefined } } as never), context());
  return { state, appended };
};

const access = { token_use: 'access', client_id: 'police-a-triage', sub: 'police-a-triage' };

beforeEach(() => {
  forgetCallers();
  registry.getIdentity.mockReset();
  registry.getOrganisation.mockReset();
});

describe('caller middleware', () => {
  it('resolves the verified claims to a registered caller and adds its ids to every log line', async () => {
    registry.getIdentity.mockResolvedValue({ record: { clientId: 'police-a-triage', organisationId: 'police-a', role: 'referrer', extraScopes: [] }, settings: { peopleClientIds: ['console'] } });
    registry.getOrganisation.mockResolvedValue({ organisationId: 'police-a', agencyType: 'police', lssas: ['L1'] });
    const { state, appended } = await run(access);
    expect(state.caller).toEqual({ organisationId: 'police-a', agencyType: 'police', role: 'referrer', lssas: ['L1'], clientId: 'police-a-triage' });
    expect(registry.getIdentity).toHaveBeenCalledWith('client', 'police-a-triage');
    expect(appended).toHaveBeenCalledWith({ organisationId: 'police-a', clientId: 'police-a-triage' });
  });

  it('answers no claims with 401 and a Bearer challenge', async () => {
    await expect(run(undefined)).rejects.toMatchObject({ status: 401, headers: { 'WWW-Authenticate': 'Bearer' } });
    expect(registry.getIdentity).not.toHaveBeenCalled();
  });

  it('answers an ID token with 401', async () => {
    await expect(run({ ...access, token_use: 'id' })).rejects.toMatchObject({ status: 401, detail: 'An access token is required.' });
  });

  it('answers a client the registry does not know with 401, not 403', async () => {
    registry.getIdentity.mockResolvedValue({ record: undefined, settings: { peopleClientIds: [] } });
    await expect(run({ ...access, client_id: 'stranger', sub: 'stranger' })).rejects.toMatchObject({ status: 401 });
  });
});
