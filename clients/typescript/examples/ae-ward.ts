/** A&E liaison: s.5(2) furnished on a ward. Example body: shared/schemas/referral-examples.ts ('ae-s5-2-ward'). */
import { REFERRAL_CREATE_EXAMPLES } from '../../../shared/schemas/referral-examples.js';
import type { HubClientOptions } from '../client.js';
import { optionsFromEnv, referAndReadBack, runIfMain } from './example.js';

export const CLIENT_ID = 'ae-liaison-system';

export const run = (options: HubClientOptions) =>
  referAndReadBack(options, REFERRAL_CREATE_EXAMPLES['ae-s5-2-ward'].value);

await runIfMain(import.meta.url, () =>
  run(optionsFromEnv({ clientId: CLIENT_ID, clientSecret: 'local-secret-ae-liaison-0001' })),
);
