/**
 * The API and the callers the referrals integration tests share. Each test file calls useReferralsApi() for its
 * own server; the bindings below are live, so tests read them after beforeAll has run.
 */
import { afterAll, beforeAll } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { tokensFor } from '../support/tokens.js';

export let api: TestApi;
export const tokens = {} as Record<
  'policeA' | 'policeB' | 'ae' | 'cmht' | 'lead' | 'sam' | 'alex' | 'south' | 'leadSystem' | 'beds',
  string
>;

/** Starts the API on the shared DynamoDB Local and signs every caller in, for the calling test file. */
export function useReferralsApi(): void {
  beforeAll(async () => {
    api = await startTestApi();
    Object.assign(
      tokens,
      await tokensFor(api, ['policeA', 'policeB', 'ae', 'cmht', 'lead', 'sam', 'alex', 'south', 'leadSystem', 'beds']),
    );
  });
  afterAll(async () => api.close());
}

export const get = (id: string, token: string) => api.fetch(`/v1/referrals/${id}`, { token });
export const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
