/**
 * GET /v1/audit for auditors: by referral, by organisation, or by time range (at most 31 days,
 * one day's partition at a time). Only the auditor's own organisation's trail is returned
 * (shared/domain/audit-scope.ts); a page may be short when other organisations' records were
 * passed over, and `nextCursor` says whether there is more. The auditor's own query is audited.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem } from '../../shared/http/problem.js';
import {
  auditKeysOf,
  auditResourcePartition,
  queryAudit,
  type AuditQueryInput,
} from '../../shared/data/audit-repository.js';
import { getOrganisation } from '../../shared/data/registry-repository.js';
import { getReferrals } from '../../shared/data/referral-repository.js';
import { auditScopeOf, inAuditScope, referralsToCheck } from '../../shared/domain/audit-scope.js';
import { assertCursorIn, decodeCursor, encodeCursor } from '../../shared/http/cursor.js';
import type { AuditRecord } from '../../shared/schemas/audit.js';
import { listAuditRoute } from '../routes/list-audit.js';

const MAX_RANGE_DAYS = 31;
const DAY_MS = 86_400_000;
/** Queries per request: a trail mostly of other organisations must not make one request unbounded. */
const MAX_QUERIES = 20;

const utc = (iso: string) => new Date(Date.parse(iso)).toISOString();

export const handler = apiRoute(listAuditRoute, {
  run: async ({ caller, query }) => {
    const from = query.from ? utc(query.from) : undefined;
    const to = query.to ? utc(query.to) : undefined;

    let base: Omit<AuditQueryInput, 'limit' | 'startKey'>;
    let descriptor: string;
    let days: string[] = [];
    if (query.referralId) {
      base = {
        index: 'resource',
        partition: auditResourcePartition('referral', query.referralId),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      };
      descriptor = `referral:${query.referralId}`;
    } else if (query.organisationId) {
      base = {
        index: 'byOrganisation',
        partition: `ORG#${query.organisationId}`,
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      };
      descriptor = `organisation:${query.organisationId}`;
    } else {
      const start = Date.parse(from!.slice(0, 10));
      const end = Date.parse(to!.slice(0, 10));
      if ((end - start) / DAY_MS + 1 > MAX_RANGE_DAYS) {
        throw new HttpProblem('validation', `A time range covers at most ${MAX_RANGE_DAYS} days.`, {
          errors: [{ pointer: '/query/to', message: 'range too long' }],
        });
      }
      for (let t = start; t <= end; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
      base = { index: 'byDay', partition: `DAY#${days[0]}`, from: from!, to: to! };
      descriptor = `range:${from}/${to}`;
    }
    const cursorScope = `listAudit/${caller.organisationId}/${caller.clientId}/${caller.actorId ?? ''}/${descriptor}`;
    const cursor = query.cursor
      ? await decodeCursor<{ day?: string; key?: Record<string, unknown> }>(query.cursor, cursorScope)
      : undefined;
    if (cursor?.day) days = days.filter((d) => d >= cursor.day!);

    const organisation = await getOrganisation(caller.organisationId);
    const scope = auditScopeOf(organisation ?? { organisationId: caller.organisationId });
    const items: AuditRecord[] = [];
    let startKey = cursor?.key;
    let nextCursor: string | null = null;
    for (let i = 0, queries = 0; ; queries++) {
      const partition = days.length ? `DAY#${days[i]}` : base.partition;
      if (queries >= MAX_QUERIES) {
        nextCursor = await encodeCursor(
          { ...(days.length ? { day: days[i] } : {}), ...(startKey ? { key: startKey } : {}) },
          cursorScope,
        );
        break;
      }
      assertCursorIn(startKey, auditKeysOf(base.index).partition, partition);
      const page = await queryAudit({
        ...base,
        partition,
        limit: query.limit - items.length,
        ...(startKey ? { startKey } : {}),
      });
      const referrals = new Map((await getReferrals(referralsToCheck(page.records, scope))).map((r) => [r.id, r]));
      items.push(...page.records.filter((r) => inAuditScope(r, scope, referrals)));
      startKey = page.lastKey;
      if (items.length >= query.limit) {
        if (startKey)
          nextCursor = await encodeCursor({ ...(days.length ? { day: days[i] } : {}), key: startKey }, cursorScope);
        else if (days.length && i + 1 < days.length) nextCursor = await encodeCursor({ day: days[i + 1] }, cursorScope);
        break;
      }
      if (startKey) continue;
      if (days.length && ++i < days.length) continue;
      break;
    }
    return {
      statusCode: 200,
      body: { items, nextCursor },
      audit: [{ resourceType: 'audit', resourceId: descriptor, action: 'list' }],
    };
  },
});
