/** POST /v1/referrals: a referrer refers; the Hub answers with the reference and the clocks. */
import { apiRoute } from '../../shared/http/stack.js';
import { etagOf } from '../../shared/http/middleware/if-match.js';
import { referrerView } from '../../shared/domain/referral.js';
import { createCommitInput, decideCreate } from '../../shared/referrals/create-referral.js';
import { ROUTE } from '../routes.js';

export const handler = apiRoute(ROUTE.createReferral, {
  run: async ({ caller, body, now, commit }) => {
    const decision = await decideCreate(caller, body, now);
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
