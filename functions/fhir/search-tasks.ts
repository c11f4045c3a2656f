/**
 * GET /fhir/R4/Task?_lastUpdated=gt…: the referrer's own referrals changed since a time, as a
 * searchset Bundle of Tasks, oldest change first; the change feed of GET /v1/referrals
 * (view=feed) with its safety lag, so a page never skips a late commit.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { fhirRoute } from '../../shared/http/fhir-stack.js';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { feedPage, getReferrals } from '../../shared/data/referral-repository.js';
import { accessOf } from '../../shared/domain/referral-access.js';
import { referrerView } from '../../shared/domain/referral.js';
import { taskOf } from '../../shared/domain/fhir/task.js';
import { searchFhirTasksRoute } from '../routes/search-fhir-tasks.js';

/** As the JSON feed (functions/referrals/list.ts): index updates are asynchronous. */
const FEED_SAFETY_LAG_MS = 5_000;

/** `gt<t>`: after every change at t; `ge<t>`: from the first change at t (feed sort keys are `<updatedAt>#<id>`). */
const startKeyOf = (lastUpdated: string): string => {
  const at = new Date(Date.parse(lastUpdated.slice(2))).toISOString();
  // feedPage excludes `<key>~` and below: for ge, start just before any key at `at`.
  return lastUpdated.startsWith('gt') ? at : `${new Date(Date.parse(at) - 1).toISOString()}`;
};

export const handler = fhirRoute(searchFhirTasksRoute, {
  run: async ({ caller, query, now }) => {
    if (caller.role !== 'referrer') throw new HttpProblem('forbidden', 'Task search is for referring organisations.');
    const scope = `searchFhirTasks/${caller.organisationId}`;
    let after: string | undefined;
    if (query._cursor) {
      const s = (await decodeCursor<{ s?: unknown }>(query._cursor, scope, '/query/_cursor')).s;
      if (typeof s !== 'string')
        throw new HttpProblem('validation', 'The cursor is not one this server issued.', {
          errors: [{ pointer: '/query/_cursor', message: 'invalid cursor' }],
        });
      after = s;
    } else if (query._lastUpdated) after = startKeyOf(query._lastUpdated);
    const before = new Date(now.getTime() - FEED_SAFETY_LAG_MS).toISOString();
    const keys = await feedPage(caller.organisationId, after, before, query._count);
    const records = await getReferrals(keys.map((k) => k.id));
    const tasks = records.filter((r) => accessOf(caller, r) === 'referrer').map((r) => taskOf(referrerView(r, now)));
    const last = keys.at(-1)?.sortKey;
    const next =
      last && keys.length === query._count
        ? `/fhir/R4/Task?_count=${query._count}&_cursor=${await encodeCursor({ s: last }, scope)}`
        : undefined;
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      timestamp: now.toISOString(),
      link: [{ relation: 'self', url: '/fhir/R4/Task' }, ...(next ? [{ relation: 'next', url: next }] : [])],
      entry: tasks.map((t) => ({ fullUrl: `/fhir/R4/Task/${t.id}`, resource: t, search: { mode: 'match' as const } })),
    };
    return {
      statusCode: 200,
      body: bundle,
      audit: tasks.map((t) => ({ resourceType: 'referral' as const, resourceId: t.id!, action: 'read' as const })),
    };
  },
});
