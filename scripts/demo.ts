/**
 * `npm run demo`: the whole Hub locally, as `npm start` runs it, but in memory and filled with a
 * demonstration picture for the operator console: last month's referrals at known hours and
 * days, taken through to outcomes (so Demand has a heat map, outcomes by ethnicity group and
 * times to assessment), one s.136 referral received now (so the Board has a clock running), and
 * bed figures, one of them stale (so Beds greys it). It is the console's e2e seed
 * (test/e2e/seed.ts), sent through the API with the handlers' clock moved for the history:
 * every person in it is invented. Nothing is written to .local/; Ctrl-C stops everything.
 */
import { exitOnStartFailure, stopWhenOrphaned } from '../infra/local/process-life.js';
import { startLocalStack } from '../infra/local/stack.js';
import { apiFetch, type TestApi } from '../test/support/api.js';
import { seedBeds, seedHistory, seedLiveReferral } from '../test/e2e/seed.js';

const say = (line: string) => process.stdout.write(`${line}\n`);
const port = Number(process.env.PORT ?? 3000);

try {
  const started = Date.now();
  const stack = await startLocalStack({ port, dataDir: null, throttle: false, log: (l) => say(`[local] ${l}`) });
  const api: TestApi = {
    url: stack.url,
    identity: stack.identity,
    shiftClock: () => {
      throw new Error('not used by the seed');
    },
    clientToken: (clientId, scopes) => stack.identity.issueClientToken(clientId, scopes),
    personToken: (username) => stack.identity.issuePersonToken(username),
    fetch: apiFetch(stack.url),
    close: () => stack.stop(),
  };
  say('Seeding the demonstration data through the API…');
  const history = await seedHistory(api);
  const live = await seedLiveReferral(api);
  await seedBeds(api);
  say(`AMHP Referral Hub demo running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s; data in memory only)`);
  say(`  Console   ${stack.url}/console/`);
  say('  Sign in   dana.lead / local-password-1 (duty lead: Board, Beds)   sam.amhp / local-password-2 (AMHP)');
  say(
    '            bea.beds / local-password-4 (bed manager: Beds)         ann.analyst / local-password-5 ' +
      '(analyst: Demand)',
  );
  say(
    `  Seeded    ${history.referralIds.length} referrals in ${history.month} (closed, with outcomes), 1 ` +
      `live s.136 referral ${live.reference}, bed figures (Ash PICU stale)`,
  );
  say('Ctrl-C stops everything.');
  const stop = () => {
    void stack.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // As npm start: if whatever started us dies without passing a signal on, stop, Java included.
  stopWhenOrphaned(stop);
} catch (error) {
  exitOnStartFailure('The demo could not start', error);
}
