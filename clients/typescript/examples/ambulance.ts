/**
 * Ambulance CAD: a crew at a home address, informal. Example body: shared/schemas/referral-examples.ts ('ambulance').
 */
import { REFERRAL_CREATE_EXAMPLES } from '../../../shared/schemas/referral-examples.js';
import type { HubClientOptions } from '../client.js';
import { optionsFromEnv, referAndReadBack, runIfMain } from './example.js';

export const CLIENT_ID = 'ambulance-cad';

export const run = (options: HubClientOptions) =>
  referAndReadBack(options, REFERRAL_CREATE_EXAMPLES['ambulance'].value);

await runIfMain(import.meta.url, () =>
  run(optionsFromEnv({ clientId: CLIENT_ID, clientSecret: 'local-secret-ambulance-cad-01' })),
);
