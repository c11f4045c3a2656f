/** Builders for referral tests: J1-shaped bodies with times relative to now, and event posting. */
import { randomUUID } from 'node:crypto';
import { REFERRAL_CREATE_EXAMPLE } from '../../shared/schemas/referral.js';
import type { TestApi } from './api.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** A J1 body: detained 35 minutes ago, at A&E 5 minutes ago; another person each call unless given. */
export function j1Body(
  overrides: {
    minutesAgo?: number;
    person?: Record<string, unknown>;
    legalStatus?: Record<string, unknown>;
    urgency?: string;
    responsibleLssa?: string;
  } = {},
) {
  const now = Date.now();
  const arrivedAgo = (overrides.minutesAgo ?? 5) * 60_000;
  const body = structuredClone(REFERRAL_CREATE_EXAMPLE) as Record<string, any>;
  // A name of letters only (person matching keeps letters), 16^12 of them: two bodies must not
  // be taken for the same person by name and date of birth (hex digits mapped to letters; the
  // old 'x'-for-digit names collided often enough to make duplicate tests flaky).
  const letters = randomUUID()
    .replace(/-/g, '')
    .slice(0, 12)
    .replace(/[0-9a-f]/g, (c) => String.fromCharCode(97 + parseInt(c, 16)));
  body.person = { ...body.person, givenName: `Test${letters}`, nhsNumber: undefined, ...(overrides.person ?? {}) };
  if (body.person.nhsNumber === undefined) delete body.person.nhsNumber;
  body.legalStatus = {
    ...body.legalStatus,
    detainedAt: iso(now - arrivedAgo - 30 * 60_000),
    arrivedAtPlaceOfSafetyAt: iso(now - arrivedAgo),
    ...(overrides.legalStatus ?? {}),
  };
  if (overrides.urgency) body.urgency = overrides.urgency;
  if (overrides.responsibleLssa) body.responsibleLssa = overrides.responsibleLssa;
  return body;
}

export interface Created {
  id: string;
  reference: string;
  etag: string;
  body: Record<string, any>;
}

export async function createReferral(api: TestApi, token: string, body: unknown = j1Body()): Promise<Created> {
  const res = await api.fetch('/v1/referrals', {
    method: 'POST',
    token,
    json: body,
    headers: { 'Idempotency-Key': randomUUID() },
  });
  const json = (await res.json()) as Record<string, any>;
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(json)}`);
  return { id: json.id, reference: json.reference, etag: res.headers.get('etag')!, body: json };
}

/** Posts an event with the current ETag (read first unless given); returns status, body, etag. */
export async function postEvent(
  api: TestApi,
  token: string,
  id: string,
  event: Record<string, unknown>,
  etag?: string,
) {
  let ifMatch = etag;
  if (!ifMatch) {
    const read = await api.fetch(`/v1/referrals/${id}`, { token });
    ifMatch = read.headers.get('etag') ?? '"0"';
  }
  const res = await api.fetch(`/v1/referrals/${id}/events`, {
    method: 'POST',
    token,
    json: event,
    headers: { 'If-Match': ifMatch },
  });
  return { status: res.status, body: (await res.json()) as Record<string, any>, etag: res.headers.get('etag') };
}

/** Every row of the service's board, page by page (other tests share the board). */
export async function wholeBoard(api: TestApi, token: string): Promise<Record<string, any>[]> {
  const rows: Record<string, any>[] = [];
  let cursor: string | null = null;
  do {
    const res = await api.fetch(
      `/v1/referrals?view=board&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token },
    );
    const page = (await res.json()) as { items: Record<string, any>[]; nextCursor: string | null };
    rows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

/** The referral as `token` reads it (200 expected). */
export async function readReferral(api: TestApi, token: string, id: string): Promise<Record<string, any>> {
  const res = await api.fetch(`/v1/referrals/${id}`, { token });
  if (res.status !== 200) throw new Error(`read failed: ${res.status}`);
  return (await res.json()) as Record<string, any>;
}

/** The referral's history as `token` reads it. */
export async function referralHistory(api: TestApi, token: string, id: string): Promise<Record<string, any>[]> {
  const res = await api.fetch(`/v1/referrals/${id}/events`, { token });
  if (res.status !== 200) throw new Error(`history failed: ${res.status}`);
  return ((await res.json()) as { items: Record<string, any>[] }).items;
}

/** The referral's row on the service's board, or undefined when it is off the board. */
export async function boardRowOf(api: TestApi, token: string, id: string): Promise<Record<string, any> | undefined> {
  return (await wholeBoard(api, token)).find((r) => r.id === id);
}

/** The lead starts review of a new referral, accepts it and allocates it to amhp-sam, attending in an hour. */
export async function allocateToSam(api: TestApi, lead: string, created: Created, reason = 'ok') {
  let step = await postEvent(api, lead, created.id, { type: 'start-review' }, created.etag);
  step = await postEvent(api, lead, created.id, { type: 'accept', reason }, step.etag!);
  return postEvent(
    api,
    lead,
    created.id,
    { type: 'allocate', amhpId: 'amhp-sam', expectedAttendanceAt: new Date(Date.now() + 3_600_000).toISOString() },
    step.etag!,
  );
}

/**
 * Takes a new referral to a bed request: allocated to amhp-sam (allocateToSam), that AMHP requests
 * an adult acute bed for a man. Returns the bed request's answer (status, body, etag) to check.
 */
export async function requestAdultAcuteBed(api: TestApi, lead: string, amhp: string, created: Created) {
  const step = await allocateToSam(api, lead, created);
  return postEvent(api, amhp, created.id, { type: 'bed-requested', bedType: 'adult-acute', sex: 'male' }, step.etag!);
}
