/**
 * GET /v1/audit for auditors: by referral, by organisation, or by time range (at most 31 days,
 * one day's partition at a time). The auditor's own query is audited too.
 */
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { queryAudit, type AuditQueryInput } from '../../shared/data/audit-repository.js';
import { assertCursorIn, decodeCursor, encodeCursor } from '../../shared/http/cursor.js';
import { AUDIT_INDEXES } from '../../infra/tables.js';

const MAX_RANGE_DAYS = 31;
const DAY_MS = 86_400_000;

const utc = (iso: string) => new Date(Date.parse(iso)).toISOString();

export const handler = apiRoute('listAudit', {
  run: async ({ query }) => {
    const from = query.from ? utc(query.from) : undefined;
    const to = query.to ? utc(query.to) : undefined;
    const cursor = query.cursor ? decodeCursor<{ day?: string; key?: Record<string, unknown> }>(query.cursor) : undefined;

    let base: Omit<AuditQueryInput, 'limit' | 'startKey'>;
    let descriptor: string;
    let days: string[] = [];
    if (query.referralId) {
      base = { index: 'byResource', partition: `referral#${query.referralId}`, ...(from ? { from } : {}), ...(to ? { to } : {}) };
      descriptor = `referral:${query.referralId}`;
    } else if (query.organisationId) {
      base = { index: 'byOrganisation', partition: `ORG#${query.organisationId}`, ...(from ? { from } : {}), ...(to ? { to } : {}) };
      descriptor = `organisation:${query.organisationId}`;
    } else {
      const start = Date.parse(from!.slice(0, 10));
      const end = Date.parse(to!.slice(0, 10));
      if ((end - start) / DAY_MS + 1 > MAX_RANGE_DAYS) {
        throw new HttpProblem('validation', `A time range covers at most ${MAX_RANGE_DAYS} days.`, { errors: [{ pointer: '/query/to', message: 'range too long' }] });
      }
      for (let t = start; t <= end; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
      if (cursor?.day) days = days.filter((d) => d >= cursor.day!);
      base = { index: 'byDay', partition: `DAY#${days[0]}`, from: from!, to: to! };
      descriptor = `range:${from}/${to}`;
    }

    const items = [];
    let startKey = cursor?.key;
    let nextCursor: string | null = null;
    for (let i = 0; ; ) {
      const partition = days.length ? `DAY#${days[i]}` : base.partition;
      assertCursorIn(startKey, AUDIT_INDEXES[base.index].partitionKey.name, partition);
      const page = await queryAudit({ ...base, partition, limit: query.limit - items.length, ...(startKey ? { startKey } : {}) });
      items.push(...page.records);
      startKey = page.lastKey;
      if (items.length >= query.limit) {
        if (startKey) nextCursor = encodeCursor({ ...(days.length ? { day: days[i] } : {}), key: startKey });
        else if (days.length && i + 1 < days.length) nextCursor = encodeCursor({ day: days[i + 1] });
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
