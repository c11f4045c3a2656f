/**
 * The registry identities the integration tests act as, by the short names they use, and one
 * call that signs each of them in: a test names who it needs instead of repeating the issuing.
 */
import { PEOPLE, type TestApi } from './api.js';

const CALLERS = {
  policeA: { client: 'police-a-triage' },
  policeB: { client: 'police-b-hub' },
  ambulance: { client: 'ambulance-cad' },
  ae: { client: 'ae-liaison-system' },
  cmht: { client: 'cmht-system' },
  leadSystem: { client: 'amhp-case-system' },
  beds: { client: 'provider-p-beds' },
  analyst: { client: 'analytics-dashboard' },
  caseSystem: { client: 'amhp-case-system' },
  providerP: { client: 'provider-p-beds' },
  providerQ: { client: 'provider-q-beds' },
  auditor: { person: PEOPLE.auditor },
  lead: { person: PEOPLE.lead },
  sam: { person: PEOPLE.amhp },
  alex: { person: PEOPLE.reviewer },
  south: { person: PEOPLE.southLead },
  southLead: { person: PEOPLE.southLead },
} as const satisfies Record<string, { client: string } | { person: string }>;

export type CallerName = keyof typeof CALLERS;

/** A token for each named caller, issued one after another (as the tests did by hand). */
export async function tokensFor<K extends CallerName>(api: TestApi, names: readonly K[]): Promise<Record<K, string>> {
  const out = {} as Record<K, string>;
  for (const name of names) {
    const caller: { client: string } | { person: string } = CALLERS[name];
    out[name] = 'client' in caller ? await api.clientToken(caller.client) : await api.personToken(caller.person);
  }
  return out;
}
