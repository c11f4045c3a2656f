import middy from '@middy/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// The audit table write is stubbed at the module boundary; the records are built for real.
const append = vi.hoisted(() => vi.fn());
vi.mock('../../../shared/data/audit-repository.js', async (actual) => ({
  ...(await actual<object>()),
  appendAudit: append,
}));

const { auditReads } = await import('../../../shared/http/middleware/audit-reads.js');
const { context, event, given, ok, person, route, stateFor } = await import('./harness.js');
type Targets = NonNullable<ReturnType<typeof stateFor>['readAudit']>;

const run = async (readAudit?: Targets) => {
  const state = stateFor(route({ id: 'getReferral', method: 'GET' }), {
    caller: person,
    ...(readAudit ? { readAudit } : {}),
  });
  const response = await middy().use(given(state)).use(auditReads()).handler(ok)(event(), context());
  return { state, response };
};

beforeEach(() => {
  append.mockReset();
});

describe('audit-reads middleware', () => {
  it('writes nothing for a response that disclosed nothing', async () => {
    await run();
    expect(append).not.toHaveBeenCalled();
  });

  it(
    'appends one record per disclosed resource, with ' + 'who, which route, the result and the correlation id',
    async () => {
      append.mockResolvedValue(undefined);
      const { response } = await run([
        { resourceType: 'referral', resourceId: 'R1', action: 'read' },
        { resourceType: 'referral', resourceId: 'R2', action: 'read' },
      ]);
      expect(response.statusCode).toBe(200);
      const records = append.mock.calls[0]![0];
      expect(records).toHaveLength(2);
      expect(records[0]).toMatchObject({
        resourceType: 'referral',
        resourceId: 'R1',
        action: 'read',
        organisationId: 'amhp-service',
        clientId: 'console',
        actorId: 'sub-1',
        route: 'getReferral',
        method: 'GET',
        result: 200,
        correlationId: 'corr-test-0001',
      });
      expect(records[1].resourceId).toBe('R2');
    },
  );

  it('fails closed with 503 and Retry-After when the audit cannot be written', async () => {
    append.mockImplementation(() => {
      throw Object.assign(new Error('down'), { name: 'ResourceNotFoundException' });
    });
    const error = await run([{ resourceType: 'referral', resourceId: 'R1', action: 'read' }]).catch((e) => e);
    expect(error).toMatchObject({ status: 503, kind: 'unavailable', headers: { 'Retry-After': '5' } });
    expect(append).toHaveBeenCalledTimes(1);
  });
});
