/**
 * GET /v1/referrals: by reference (anyone who may see it), the board (the AMHP service's open
 * referrals, nearest clock expiry first: one Query per page), or the referrer's change feed
 * (ascending, changes older than a safety lag only, so a cursor never skips a late commit).
 */
import { apiRoute } from '../../shared/http/stack.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { assertCursorIn, decodeCursor, encodeCursor } from '../../shared/http/cursor.js';
import {
  boardPage,
  boardPartition,
  feedPage,
  getReferral,
  getReferrals,
  idsByReference,
} from '../../shared/data/referral-repository.js';
import { normaliseReference } from '../../shared/domain/reference.js';
import { viewerOf } from '../../shared/data/amhp-repository.js';
import { accessOf, detailOf, referralView } from '../../shared/domain/referral-access.js';
import { boardClockView, referrerView } from '../../shared/domain/referral.js';
import { HUB_INDEXES } from '../../shared/data/tables.js';
import { listReferralsRoute } from '../routes/list-referrals.js';

/** Index updates are asynchronous and concurrent writes commit out of order: serve only older changes. */
export const FEED_SAFETY_LAG_MS = 5_000;

export const handler = apiRoute(listReferralsRoute, {
  run: async ({ caller, query, now }) => {
    if (query.reference !== undefined) {
      const reference = normaliseReference(query.reference);
      // Usually one; every referral filed under the reference that the caller may see (see idsByReference).
      const ids = reference ? await idsByReference(reference) : [];
      const found = await Promise.all(ids.map((id) => getReferral(id)));
      const viewer = found.some(Boolean) ? await viewerOf(caller) : undefined;
      const items = found.flatMap((f) => {
        const detail = f && viewer && detailOf(viewer, f.record);
        return f && detail ? [referralView(detail, f.record, now)] : [];
      });
      return {
        statusCode: 200,
        body: { items, nextCursor: null },
        audit: items.map((i) => ({ resourceType: 'referral' as const, resourceId: i.id, action: 'read' as const })),
      };
    }

    if (query.view === 'board') {
      if (caller.role !== 'amhp-lead' && caller.role !== 'amhp')
        throw new HttpProblem('forbidden', 'The board is for the AMHP service.');
      const scope = `listReferrals/board/${caller.organisationId}`;
      const start = query.cursor ? await decodeCursor<Record<string, unknown>>(query.cursor, scope) : undefined;
      assertCursorIn(start, HUB_INDEXES.board.partitionKey.name, boardPartition(caller.organisationId));
      const page = await boardPage(caller.organisationId, query.limit, start);
      const items = page.rows.map((row) => ({
        ...row,
        clocks: row.clocks.map((c) => boardClockView(c, now)),
        timeOpenMinutes: Math.floor((now.getTime() - Date.parse(row.receivedAt)) / 60_000),
      }));
      // Board rows hold no identifiable data (no name, NHS number, date of birth or narrative:
      // reference, status, clocks), so, per DOMAIN §8, opening the board writes no audit;
      // opening a referral from it does.
      return {
        statusCode: 200,
        body: { items, nextCursor: page.lastKey ? await encodeCursor(page.lastKey, scope) : null },
      };
    }

    // The change feed: the referring organisation's own referrals, by when they last changed.
    if (caller.role !== 'referrer')
      throw new HttpProblem('forbidden', 'The change feed is for referring organisations.');
    const feedScope = `listReferrals/feed/${caller.organisationId}`;
    const after = query.after
      ? (await decodeCursor<{ s?: unknown }>(query.after, feedScope, '/query/after')).s
      : undefined;
    if (after !== undefined && typeof after !== 'string')
      throw new HttpProblem('validation', 'The cursor is not one this API issued.', {
        errors: [{ pointer: '/query/after', message: 'invalid cursor' }],
      });
    const before = new Date(now.getTime() - FEED_SAFETY_LAG_MS).toISOString();
    const keys = await feedPage(caller.organisationId, after, before, query.limit);
    const records = await getReferrals(keys.map((k) => k.id));
    // A referral that changed again since the index answered moves later in the feed: it will
    // come again at its new place, so this page shows it as it is now.
    const items = records.filter((r) => accessOf(caller, r) === 'referrer').map((r) => referrerView(r, now));
    const last = keys.at(-1)?.sortKey ?? after;
    return {
      statusCode: 200,
      body: { items, nextCursor: last ? await encodeCursor({ s: last }, feedScope) : null },
      audit: items.map((i) => ({ resourceType: 'referral' as const, resourceId: i.id, action: 'read' as const })),
    };
  },
});
