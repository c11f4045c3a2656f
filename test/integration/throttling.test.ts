/** Per-client throttling from the route table: 429 problem+json with Retry-After, per client. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes.js';
import { TokenBucket } from '../../infra/local/http-adapter.js';
import { PEOPLE, startTestApi, type TestApi } from '../support/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ throttle: true });
});
afterAll(async () => api.close());

describe('throttling', () => {
  it('a token bucket allows the burst, then the rate', () => {
    const bucket = new TokenBucket(2, 3, 0);
    expect([0, 0, 0, 0].map(() => bucket.take(0).ok)).toEqual([true, true, true, false]);
    expect(bucket.take(499).ok).toBe(false);
    expect(bucket.take(500).ok).toBe(true);
  });

  it('a client over its route limit gets 429 problem+json with Retry-After; another client is unaffected', async () => {
    const route = ROUTES.find((r) => r.id === 'listPlacesOfSafety')!;
    const police = await api.clientToken('police-a-triage');
    const answers = await Promise.all(
      Array.from({ length: route.throttle.burstLimit + 10 }, () =>
        api.fetch('/v1/places-of-safety', { token: police }),
      ),
    );
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(route.throttle.burstLimit);
    expect(limited[0]!.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await limited[0]!.json()) as { status: number }).status).toBe(429);
    const other = await api.fetch('/v1/places-of-safety', { token: await api.personToken(PEOPLE.lead) });
    expect(other.status).toBe(200);
  });
});
