/** POST /v1/referrals: a referrer refers; the Hub answers with the reference and the clocks. */
import { apiRoute } from '../../shared/http/stack.js';
import { etagOf } from '../../shared/http/middleware/if-match.js';
import { referrerView } from '../../shared/domain/referral.js';
import { createCommitInput, decideCreate, earlyDuplicateLookup } from '../../shared/referrals/create-referral.js';
import { createReferralRoute } from '../routes/create-referral.js';

export const handler = apiRoute(createReferralRoute, {
  // The duplicate lookup overlaps caller resolution (one round trip fewer before the write, #21).
  prefetch: earlyDuplicateLookup,
  run: async ({ caller, body, now, commit, prefetched }) => {
    const decision = await decideCreate(caller, body, now, prefetched ? { earlyLookup: prefetched } : {});
    const { record, ownDuplicates } = decision;
    return commit(
      createCommitInput(decision, {
        statusCode: 201,
        headers: { Location: `/v1/referrals/${record.id}`, ETag: etagOf(record.version) },
        body: { ...referrerView(record, now), ...(ownDuplicates.length ? { possibleDuplicateOf: ownDuplicates } : {}) },
      }),
    );
  },
});
