/**
 * Creating a referral: decide (rules that need the registry and the clock, the AMHP service,
 * possible duplicates, the received record and event) and what to commit. One path for every
 * way a referral arrives: POST /v1/referrals and the FHIR facade's $process-message call these
 * same functions, so the two cannot drift apart (the handlers never import each other).
 */
import { ulid } from 'ulid';
import { HttpProblem } from '../http/problem.js';
import type { CommitInput } from '../http/commit.js';
import type { HttpResult } from '../http/types.js';
import { getSettings } from '../data/registry-repository.js';
import {
  createItems,
  getReferrals,
  idsByPersonKeys,
  subjectOf,
  type StoredEvent,
} from '../data/referral-repository.js';
import { referralRuleProblems } from '../domain/referral-rules.js';
import { newReference } from '../domain/reference.js';
import { personMatchKeys, type PersonIdentifiers } from '../domain/person-match.js';
import type { ReferralRecord } from '../domain/referral.js';
import { isOpen } from '../domain/lifecycle.js';
import { receive } from '../domain/referral-transition.js';
import type { Caller } from '../domain/caller.js';
import type { ReferralCreate } from '../schemas/referral.js';
import { personMatchKey } from '../config.js';
import { MAX_BODY_BYTES } from '../http/json-body.js';

export interface CreateDecision {
  readonly record: ReferralRecord;
  readonly event: StoredEvent;
  readonly keys: string[];
  /** Possible duplicates among the caller's own referrals (the only ones it may learn of). */
  readonly ownDuplicates: string[];
}

export interface CreateOrigin {
  /** The conversation's X-Correlation-ID, kept when feedback must carry it (FHIR). */
  readonly correlationId?: string;
  /** The duplicate lookup started from the raw request (`earlyDuplicateLookup`), if any. */
  readonly earlyLookup?: Promise<EarlyLookup | undefined>;
}

/** Referral ids filed under a person's match keys: the possible-duplicate lookup's first step. */
export interface EarlyLookup {
  readonly keys: readonly string[];
  readonly ids: readonly string[];
}

const lookup = async (person: PersonIdentifiers): Promise<EarlyLookup> => {
  const keys = personMatchKeys(person, await personMatchKey());
  return { keys, ids: keys.length ? await idsByPersonKeys(keys) : [] };
};

/**
 * The person's identifiers in a raw JSON body, for the early lookup only (checked later against the validated body).
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

/**
 * The duplicate lookup from the raw request, for a route's `prefetch`: it overlaps caller
 * resolution, so on a cold container it adds no round trip before the write. Its ids stay
 * inside `decideCreate`, used only after every check and only when the validated body gives
 * the same keys.
 */
export const earlyDuplicateLookup = async (event: { body: string | null; isBase64Encoded?: boolean }) => {
  const person = rawPerson(event);
  return person ? lookup(person) : undefined;
};

const sameKeys = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((k, i) => k === b[i]);

export async function decideCreate(
  caller: Caller,
  body: ReferralCreate,
  now: Date,
  origin: CreateOrigin = {},
): Promise<CreateDecision> {
  const settings = await getSettings();
  const problems = referralRuleProblems(body, { now, servedLssas: settings.lssas.map((l) => l.code) });
  if (problems.length)
    throw new HttpProblem('validation', 'The referral cannot be accepted as sent.', { errors: problems });
  const serviceId = settings.lssaServices[body.responsibleLssa];
  if (!serviceId)
    throw new HttpProblem('validation', 'No AMHP service acts for this LSSA.', {
      errors: [{ pointer: '/responsibleLssa', message: 'not served' }],
    });

  const person = body.person;
  const keys = person.identityUnknown ? [] : personMatchKeys(person, await personMatchKey());
  // Only this service's open referrals: a link to another service's referral would reveal to
  // this service that the person is known elsewhere (and its id), which is not its to know (§1).
  const early = await origin.earlyLookup?.catch(() => undefined);
  const ids = !keys.length ? [] : early && sameKeys(early.keys, keys) ? early.ids : await idsByPersonKeys(keys);
  const found = ids.length ? await getReferrals(ids) : [];
  const duplicates = found.filter((r) => isOpen(r.status) && r.serviceId === serviceId);

  const received = receive({
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
  const record: ReferralRecord = origin.correlationId ? { ...received, correlationId: origin.correlationId } : received;
  const flags = record.flags ?? [];
  const event: StoredEvent = {
    seq: 1,
    type: 'received',
    at: record.receivedAt,
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
  return { record, event, keys, ownDuplicates };
}

/** The create's one transaction: the record, its first event, its person keys; audited. */
export const createCommitInput = (d: CreateDecision, result: HttpResult): CommitInput => ({
  items: createItems(d.record, d.event, d.keys),
  result,
  audit: [{ resourceType: 'referral', resourceId: d.record.id, action: 'create' }],
});
