/**
 * Token edges through the real path, with tokens signed by the issuer's own key (so only the
 * claims are wrong, never the signature). Each is a 401 or a 403, never a 2xx and never a 5xx.
 *
 * Split by concern into token-edges.test.ts (the signing, 401s for claims, 403s for scopes) and
 * token-edges-caller-kind.test.ts (person-only and system-only routes). This module holds their
 * shared setup and helpers; its hooks run in every file that imports it.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { loadRegistry } from '../../infra/local/seed.js';
import { PEOPLE } from '../support/api.js';
import { tokensFor } from '../support/tokens.js';
import { startKeyedTestApi, type KeyedTestApi } from '../support/security-api.js';

export let api: KeyedTestApi;
export const registry = loadRegistry();
export const dana = registry.people.find((p) => p.username === PEOPLE.lead)!;
export const t = {} as Record<'lead' | 'sam' | 'alex' | 'leadSystem' | 'policeA', string>;
/** Every status this file saw: none may be a 5xx. */
export const seen: { name: string; status: number }[] = [];

beforeAll(async () => {
  api = await startKeyedTestApi();
  Object.assign(t, await tokensFor(api, ['lead', 'sam', 'alex', 'leadSystem', 'policeA']));
});
afterAll(async () => api?.close());
// Every file that shares this setup answers for its own statuses too, whichever file holds the
// "never a 5xx" test (token-edges-caller-kind.test.ts).
afterAll(() => {
  expect(seen.filter((s) => s.status >= 500)).toEqual([]);
});

export const nowSeconds = () => Math.floor(Date.now() / 1000);
export const call = async (
  name: string,
  path: string,
  token: string,
  init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
) => {
  const res = await api.fetch(path, { token, ...init });
  const text = await res.text();
  seen.push({ name, status: res.status });
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    body: text ? (JSON.parse(text) as Record<string, any>) : {},
  };
};
/** GET /v1/amhps/amhp-sam: 200 for the lead of its service with a good token. */
export const readRegister = (name: string, token: string) => call(name, '/v1/amhps/amhp-sam', token);
