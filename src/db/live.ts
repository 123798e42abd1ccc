import { type Expression, type RawBuilder, sql } from 'kysely';
import { inList } from './portable.js';
import type { Dialect } from './statements.js';

/**
 * Which sessions a serving read or write may see: those live at `liveAt` (`expires_at` null or
 * later) — the one home of that rule for every module's statements. The rows of a session's own
 * tables (history, state, artifacts) are reached through their session, so an expired session's
 * rows answer exactly like an unknown session's, inside the same statement as the read or write
 * (atomic with it), before the retention sweeper removes them.
 */

/** A session row (of `table`, or the statement's own) is live at `at`. */
export function isLive(at: RawBuilder<unknown>, table?: string): RawBuilder<boolean> {
  const expiresAt = sql.ref(table ? `${table}.expires_at` : 'expires_at');
  return sql<boolean>`(${expiresAt} IS NULL OR ${expiresAt} > ${at})`;
}

/**
 * The session `sessionId` names (a column or a parameter) exists and is live at `liveAt`. On a
 * parameter, a constant sub-query: evaluated once.
 */
export function liveOwner(sessionId: Expression<unknown> | RawBuilder<unknown>, liveAt: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`EXISTS (SELECT 1 FROM sessions s_ WHERE s_.id = ${sessionId} AND ${isLive(liveAt, 's_')})`;
}

/** The ids of the sessions of the list parameter `ids` that are live at `liveAt`: looked up by id once, not per row. */
export function liveSessionsAmong(ids: RawBuilder<unknown>, liveAt: RawBuilder<unknown>, dialect: Dialect): RawBuilder<unknown> {
  return sql`SELECT s_.id FROM sessions s_ WHERE ${inList('s_.id', ids, dialect)} AND ${isLive(liveAt, 's_')}`;
}

/** `column` names one of the sessions of the list parameter `ids` that are live at `liveAt`. */
export function inLiveSessions(column: string, ids: RawBuilder<unknown>, liveAt: RawBuilder<unknown>, dialect: Dialect): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} IN (${liveSessionsAmong(ids, liveAt, dialect)})`;
}
