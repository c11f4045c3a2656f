import middy from '@middy/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// The registry read is stubbed at the module boundary; the middleware and the claim rules run.
const registry = vi.hoisted(() => ({
  getCallerRecords: vi.fn(),
  getOrganisation: vi.fn(),
  forgetSettings: vi.fn(),
  REGISTRY_CACHE_MS: 60_000,
}));
vi.mock('../../../shared/data/registry-repository.js', () => registry);

const { callerFromClaims } = await import('../../../shared/http/middleware/caller.js');
const { forgetCallers } = await import('../../../shared/identity/caller.js');
const { context, event, given, ok, route, stateFor } = await import('./harness.js');

const run = async (claims: Record<string, string> | undefined) => {
  const state = stateFor(route());
  const appended = vi.spyOn(state.log, 'appendPersistentKeys');
  await middy().use(given(state)).use(callerFromClaims()).handler(ok)(
    event({ requestContext: { authorizer: claims ? { claims } : undefined } } as never),
    context(),
  );
  return { state, appended };
};

const access = { token_use: 'access', client_id: 'police-a-triage', sub: 'police-a-triage' };

beforeEach(() => {
  forgetCallers();
  registry.getCallerRecords.mockReset();
  registry.getOrganisation.mockReset();
});

describe('caller middleware', () => {
  it('resolves the verified claims to a registered caller and adds its ids to every log line', async () => {
    registry.getCallerRecords.mockResolvedValue({
      client: { clientId: 'police-a-triage', organisationId: 'police-a', role: 'referrer', extraScopes: [] },
      person: undefined,
      settings: {
        peopleClientIds: ['console'],
        organisations: { 'police-a': { agencyType: 'police', lssas: ['L1'] } },
      },
    });
    const { state, appended } = await run(access);
    expect(state.caller).toEqual({
      organisationId: 'police-a',
      agencyType: 'police',
      role: 'referrer',
      lssas: ['L1'],
      clientId: 'police-a-triage',
    });
    expect(registry.getCallerRecords).toHaveBeenCalledTimes(1);
    expect(registry.getCallerRecords.mock.calls[0]!.slice(0, 2)).toEqual(['police-a-triage', 'police-a-triage']);
    // The organisation's facts came with the settings: no second read.
    expect(registry.getOrganisation).not.toHaveBeenCalled();
    expect(appended).toHaveBeenCalledWith({ organisationId: 'police-a', clientId: 'police-a-triage' });
  });

  it('resolves a person of the people client, and reads an organisation the settings do not list', async () => {
    registry.getCallerRecords.mockResolvedValue({
      client: undefined,
      person: { sub: 'p-1', organisationId: 'amhp-service', role: 'amhp', displayName: 'Sam', amhpId: 'A1' },
      settings: { peopleClientIds: ['console'], organisations: {} },
    });
    registry.getOrganisation.mockResolvedValue({
      organisationId: 'amhp-service',
      agencyType: 'amhp-service',
      lssas: ['L2'],
    });
    const { state } = await run({ ...access, client_id: 'console', sub: 'p-1' });
    expect(state.caller).toEqual({
      organisationId: 'amhp-service',
      agencyType: 'amhp-service',
      role: 'amhp',
      lssas: ['L2'],
      clientId: 'console',
      actorId: 'p-1',
      amhpId: 'A1',
    });
    expect(registry.getOrganisation).toHaveBeenCalledWith('amhp-service');
  });

  it('answers no claims with 401 and a Bearer challenge', async () => {
    await expect(run(undefined)).rejects.toMatchObject({ status: 401, headers: { 'WWW-Authenticate': 'Bearer' } });
    expect(registry.getCallerRecords).not.toHaveBeenCalled();
  });

  it('answers an ID token with 401', async () => {
    await expect(run({ ...access, token_use: 'id' })).rejects.toMatchObject({
      status: 401,
      detail: 'An access token is required.',
    });
  });

  it('answers a client the registry does not know with 401, not 403', async () => {
    registry.getCallerRecords.mockResolvedValue({
      client: undefined,
      person: undefined,
      settings: { peopleClientIds: [] },
    });
    await expect(run({ ...access, client_id: 'stranger', sub: 'stranger' })).rejects.toMatchObject({ status: 401 });
  });
});
