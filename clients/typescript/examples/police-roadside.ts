/**
 * Police control room: s.136 at the roadside, the person not identified. Example body:
 * shared/schemas/referral-examples.ts ('police-s136-roadside').
 */
import { REFERRAL_CREATE_EXAMPLES } from '../../../shared/schemas/referral-examples.js';
import type { HubClientOptions } from '../client.js';
import { optionsFromEnv, referAndReadBack, runIfMain } from './example.js';

export const CLIENT_ID = 'police-a-triage';

export const run = (options: HubClientOptions) =>
  referAndReadBack(options, REFERRAL_CREATE_EXAMPLES['police-s136-roadside'].value);

await runIfMain(import.meta.url, () =>
  run(optionsFromEnv({ clientId: CLIENT_ID, clientSecret: 'local-secret-police-a-triage' })),
);
