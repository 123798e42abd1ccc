import { type Expression, type RawBuilder, sql } from 'kysely';
import { inList } from './portable.js';
import type { Dialect } from './statements.js';

/**
 * Which sessions a serving read or write may see: those live at `liveAt` (`expires_at` null or
 * later). The rows of a session's own tables (history, state, artifacts) are reached through their
 * session, so an expired session's rows answer exactly like an unknown session's, inside the same
 * statement as the read or write (atomic with it), before the retention sweeper removes them.
 */

/** The session `sessionId` names (a column or a parameter) exists and is live at `liveAt`. */
export function liveOwner(sessionId: Expression<unknown> | RawBuilder<unknown>, liveAt: RawBuilder<string>): RawBuilder<boolean> {
  return sql<boolean>`EXISTS (SELECT 1 FROM sessions s_ WHERE s_.id = ${sessionId} AND (s_.expires_at IS NULL OR s_.expires_at > ${liveAt}))`;
}

/**
 * `column` names one of the sessions of the list parameter `ids` that are live at `liveAt`: the
 * sessions are looked up by id once, not per row.
 */
export function inLiveSessions(column: string, ids: RawBuilder<unknown>, liveAt: RawBuilder<string>, dialect: Dialect): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} IN (SELECT s_.id FROM sessions s_ WHERE ${inList('s_.id', ids, dialect)} AND (s_.expires_at IS NULL OR s_.expires_at > ${liveAt}))`;
}
