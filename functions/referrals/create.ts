/** POST /v1/referrals: a referrer refers; the Hub answers with the reference and the clocks. */
import { ulid } from 'ulid';
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { etagOf } from '../../shared/http/middleware/if-match.js';
import { getSettings } from '../../shared/data/registry-repository.js';
import { createItems, getReferrals, idsByPersonKeys, subjectOf, type StoredEvent } from '../../shared/data/referral-repository.js';
import { referralRuleProblems } from '../../shared/domain/referral-rules.js';
import { newReference } from '../../shared/domain/reference.js';
import { personMatchKeys, type PersonIdentifiers } from '../../shared/domain/person-match.js';
import { referrerView } from '../../shared/domain/referral.js';
import { isOpen } from '../../shared/domain/lifecycle.js';
import { receive } from '../../shared/domain/referral-transition.js';
import { personMatchKey } from '../../shared/config.js';
import { MAX_BODY_BYTES } from '../../shared/http/json-body.js';
import { ROUTE } from '../routes.js';

/** Referral ids filed under the person's match keys (the possible-duplicate lookup's first step). */
const lookup = async (person: PersonIdentifiers) => {
  const keys = personMatchKeys(person, await personMatchKey());
  return { keys, ids: keys.length ? await idsByPersonKeys(keys) : [] };
};

/**
 * The person's identifiers in the raw body, for the early lookup only: the handler checks the
 * keys against the validated body.
 */
function rawPerson(event: { body: string | null; isBase64Encoded?: boolean }): PersonIdentifiers | undefined {
  if (!event.body || event.body.length > MAX_BODY_BYTES * 2) return undefined;
  try {
    const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    const person = (JSON.parse(text) as { person?: Record<string, unknown> } | null)?.person;
    if (!person || typeof person !== 'object' || person.identityUnknown === true) return undefined;
    const stringAt = (k: string) => (typeof person[k] === 'string' ? (person[k] as string) : undefined);
    return {
      nhsNumber: stringAt('nhsNumber'),
      givenName: stringAt('givenName'),
      familyName: stringAt('familyName'),
      dateOfBirth: stringAt('dateOfBirth'),
    };
  } catch {
    return undefined;
  }
}

const sameKeys = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((k, i) => k === b[i]);

export const handler = apiRoute(ROUTE.createReferral, {
  // The duplicate lookup overlaps caller resolution, so it adds no round trip before the write.
  // Its ids stay inside the handler, which uses them only after every check and only when the
  // validated body gives the same keys.
  prefetch: async (event) => {
    const person = rawPerson(event);
    return person ? lookup(person) : undefined;
  },
  run: async ({ caller, body, now, commit, prefetched }) => {
    const settings = await getSettings();
    const problems = referralRuleProblems(body, { now, servedLssas: settings.lssas.map((l) => l.code) });
    if (problems.length) throw new HttpProblem('validation', 'The referral cannot be accepted as sent.', { errors: problems });
    const serviceId = settings.lssaServices[body.responsibleLssa];
    if (!serviceId) throw new HttpProblem('validation', 'No AMHP service acts for this LSSA.', { errors: [{ pointer: '/responsibleLssa', message: 'not served' }] });

    const person = body.person;
    const keys = person.identityUnknown ? [] : personMatchKeys(person, await personMatchKey());
    const early = await prefetched?.catch(() => undefined);
    const ids = !keys.length ? [] : early && sameKeys(early.keys, keys) ? early.ids : await idsByPersonKeys(keys);
    // Only this service's open referrals: a link to another service's referral would reveal to
    // this service that the person is known elsewhere (and its id), which is not its to know (§1).
    const found = ids.length ? await getReferrals(ids) : [];
    const duplicates = found.filter((r) => isOpen(r.status) && r.serviceId === serviceId);

    const record = receive({
      body,
      id: ulid(now.getTime()),
      reference: newReference(),
      serviceId,
      referrer: {
        organisationId: caller.organisationId,
        agencyType: caller.agencyType,
        clientId: caller.clientId,
        ...(caller.actorId ? { actorId: caller.actorId } : {}),
      },
      possibleDuplicateOf: duplicates.map((d) => d.id),
      now,
    });
    const at = record.receivedAt;
    const flags = record.flags ?? [];
    const event: StoredEvent = {
      seq: 1,
      type: 'received',
      at,
      organisationId: caller.organisationId,
      clientId: caller.clientId,
      role: caller.role,
      ...(caller.actorId ? { actorId: caller.actorId } : {}),
      system: false,
      data: flags.length ? { flagsRaised: flags.map((f) => f.code) } : {},
      subject: subjectOf(record),
    };
    // The referrer learns of a possible duplicate only among its own referrals: that another
    // agency referred the same person is not its to know (§1).
    const ownDuplicates = duplicates.filter((d) => d.referrer.organisationId === caller.organisationId).map((d) => d.id);
    return commit({
      items: createItems(record, event, keys),
      result: {
        statusCode: 201,
        headers: { Location: `/v1/referrals/${record.id}`, ETag: etagOf(record.version) },
        body: { ...referrerView(record, now), ...(ownDuplicates.length ? { possibleDuplicateOf: ownDuplicates } : {}) },
      },
      audit: [{ resourceType: 'referral', resourceId: record.id, action: 'create' }],
    });
  },
});
