/**
 * CMHT: a planned assessment of someone the team knows. Example body: shared/schemas/referral-examples.ts
 * ('cmht-planned').
 */
import { REFERRAL_CREATE_EXAMPLES } from '../../../shared/schemas/referral-examples.js';
import type { HubClientOptions } from '../client.js';
import { optionsFromEnv, referAndReadBack, runIfMain } from './example.js';

export const CLIENT_ID = 'cmht-system';

export const run = (options: HubClientOptions) =>
  referAndReadBack(options, REFERRAL_CREATE_EXAMPLES['cmht-planned'].value);

await runIfMain(import.meta.url, () =>
  run(optionsFromEnv({ clientId: CLIENT_ID, clientSecret: 'local-secret-cmht-system-001' })),
);
