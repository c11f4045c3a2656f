/**
 * What every agency example does with the typed client: refer a person (one Idempotency-Key,
 * retried safely), read the referral back (named types all the way), and show its history.
 * Run one against the local stack (`npm start` in another terminal):
 *
 *   HUB_URL=http://localhost:3000 CLIENT_ID=police-a-triage CLIENT_SECRET=local-secret-police-a-triage \
 *     node --import tsx clients/typescript/examples/police-roadside.ts
 */
import { createHubClient, type HubClientOptions, type Schemas } from '../client.js';

export interface ExampleResult {
  readonly id: string;
  readonly reference: string;
  readonly status: string;
  readonly etag: string;
  readonly history: readonly string[];
}

export async function referAndReadBack(
  options: HubClientOptions,
  body: Schemas['ReferralCreate'],
): Promise<ExampleResult> {
  const hub = createHubClient(options);
  const created = await hub.POST('/v1/referrals', {
    body,
    params: { header: { 'Idempotency-Key': crypto.randomUUID() } },
  });
  if (!created.data) throw new Error(`referral refused: ${created.response.status} ${JSON.stringify(created.error)}`);
  const referral: Schemas['ReferralView'] = created.data;
  const read = await hub.GET('/v1/referrals/{id}', { params: { path: { id: referral.id } } });
  if (!read.data) throw new Error(`read back failed: ${read.response.status}`);
  const events = await hub.GET('/v1/referrals/{id}/events', { params: { path: { id: referral.id } } });
  return {
    id: read.data.id,
    reference: read.data.reference,
    status: read.data.status,
    etag: read.response.headers.get('ETag') ?? '',
    history: (events.data?.items ?? []).map((e) => e.type),
  };
}

/** Options from the environment, for running an example as a script. */
export const optionsFromEnv = (defaults: { clientId: string; clientSecret: string }): HubClientOptions => ({
  baseUrl: process.env.HUB_URL ?? 'http://localhost:3000',
  clientId: process.env.CLIENT_ID ?? defaults.clientId,
  clientSecret: process.env.CLIENT_SECRET ?? defaults.clientSecret,
  ...(process.env.TOKEN_URL ? { tokenUrl: process.env.TOKEN_URL } : {}),
  ...(process.env.API_KEY ? { apiKey: process.env.API_KEY } : {}),
});

/** Runs `main` when the file is executed directly (not when a test imports it). */
export async function runIfMain(url: string, main: () => Promise<unknown>): Promise<void> {
  const { fileURLToPath } = await import('node:url');
  if (process.argv[1] && fileURLToPath(url) === process.argv[1]) console.log(JSON.stringify(await main(), null, 2));
}
