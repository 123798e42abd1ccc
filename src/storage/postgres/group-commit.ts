import { sql } from 'kysely';
import type { Pending } from '../../db/postgres/group-commit.js';
import { compileStatement } from '../../db/statements.js';
import type { EventTouch } from '../../domain/events.js';
import type { Message } from '../../domain/records.js';
import { notifyLogged as notifyLoggedSql } from '../../modules/events/append.js';
import { type NewMessage, newMessage } from '../backend.js';

// The generic queue lives in db/postgres/group-commit.ts; these are the appends' batch statement and its parts.

export interface AppendRequest {
  sessionId: string;
  messages: readonly NewMessage[];
  /** Only sessions live at this instant take messages (undefined: every session is live). */
  liveAt: string | undefined;
}

export type PendingAppend = Pending<AppendRequest, Message[] | null>;

/** One kind of batch: its statement, that statement's parameters, and how its rows answer the callers. */
export interface BatchStatement<I, R> {
  name: string;
  sql: string;
  params: (batch: readonly Pending<I, R>[]) => unknown[];
  /** Settles every write of the batch; returns the sessions and agents that got events. */
  settle: (batch: readonly Pending<I, R>[], rows: readonly Record<string, unknown>[]) => EventTouch;
}

/** The NOTIFY of a batch (see `notifyLogged` in modules/events/append.ts), `channel` being a `$n` of this hand-written statement. */
const notifyLogged = (channel: string) => compileStatement('notifyLogged', () => notifyLoggedSql(sql.raw(channel)), 'postgres').sql;

/**
 * Appends the messages of every append in `batch`, each to its own session, in one statement.
 *
 * The sessions are locked in id order (`locked`), so two replicas' batches cannot deadlock, and
 * before the event counter, as every other write does. A session that is missing or expired
 * reserves nothing and so takes none of its messages; its caller is answered null. Seqs are handed
 * out per session in batch order (`row_number` over `ord`), which is how `settleAppends` numbers
 * them; the MessageAdded events follow the same order, their snapshots built from the inserted rows
 * (the same record `toMessage` reads back).
 */
export const APPEND_BATCH_SQL = `WITH req AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::timestamptz[], $7::json[], $8::text[])
      WITH ORDINALITY AS m(session_id, id, role, content, encoding, ts, metadata, idempotency_key, ord)
  ), wanted AS (
    SELECT session_id, count(*) AS n FROM req GROUP BY session_id
  ), locked AS MATERIALIZED (
    SELECT s.id FROM sessions s JOIN wanted w ON w.session_id = s.id
    WHERE $9::timestamptz IS NULL OR s.expires_at IS NULL OR s.expires_at > $9::timestamptz
    ORDER BY s.id FOR UPDATE OF s
  ), reserved AS (
    UPDATE sessions s SET last_seq = s.last_seq + w.n
    FROM wanted w, locked l WHERE w.session_id = s.id AND l.id = s.id
    RETURNING s.id, s.last_seq - w.n AS base, s.agent_name
  ), added AS (
    INSERT INTO history (id, session_id, seq, role, content, content_encoding, timestamp, metadata, idempotency_key)
    SELECT req.id, req.session_id, r.base + row_number() OVER (PARTITION BY req.session_id ORDER BY req.ord),
      req.role, req.content, req.encoding, req.ts, req.metadata, req.idempotency_key
    FROM req JOIN reserved r ON r.id = req.session_id
    RETURNING id, session_id, seq, role, content, content_encoding, timestamp, metadata, idempotency_key
  ), counter AS (
    UPDATE event_log SET last_seq = last_seq + (SELECT count(*) FROM added)
    WHERE id = 1 AND EXISTS (SELECT 1 FROM added) RETURNING last_seq
  ), logged AS (
    INSERT INTO events (seq, type, session_id, agent_name, time, payload)
    SELECT counter.last_seq - (SELECT count(*) FROM added) + row_number() OVER (ORDER BY req.ord), 'MessageAdded', a.session_id, r.agent_name, now(),
      json_build_object('message', json_build_object(
        'id', a.id, 'sessionId', a.session_id, 'seq', a.seq, 'role', a.role,
        'content', CASE WHEN a.content_encoding = 1 THEN a.content::json ELSE to_json(a.content) END,
        'timestamp', to_char(a.timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'metadata', a.metadata, 'idempotencyKey', a.idempotency_key))
    FROM added a JOIN req ON req.id = a.id JOIN reserved r ON r.id = a.session_id CROSS JOIN counter
    RETURNING session_id, agent_name
  ), notified AS (
    ${notifyLogged('$10')}
  )
  SELECT id, base, agent_name, (SELECT count(*) FROM notified) AS notified FROM reserved`;

/** The parameters of `APPEND_BATCH_SQL`: every message of the batch, flattened in batch order. */
export function appendBatchParams(batch: readonly PendingAppend[], channel: string, encodeContent: (content: string) => string): unknown[] {
  const all = batch.flatMap(({ item }) => item.messages.map((m) => [item.sessionId, m] as const));
  // The latest instant any caller asked about: a session that expired meanwhile takes nothing.
  const live = batch.map(({ item }) => item.liveAt);
  const liveAt = live.includes(undefined) ? null : (live as string[]).reduce((a, b) => (a > b ? a : b));
  return [
    all.map(([sessionId]) => sessionId),
    all.map(([, m]) => m.id),
    all.map(([, m]) => m.role),
    all.map(([, m]) => encodeContent(m.content)),
    all.map(([, m]) => (m.content.includes('\u0000') ? 1 : 0)),
    all.map(([, m]) => m.timestamp),
    all.map(([, m]) => JSON.stringify(m.metadata)),
    all.map(([, m]) => m.idempotencyKey ?? null),
    liveAt,
    channel,
  ];
}

/**
 * Answers each append of a batch from the statement's rows (one per session that took messages):
 * its messages numbered as the statement numbered them. Returns the sessions and agents written to.
 */
export function settleAppends(batch: readonly PendingAppend[], rows: readonly Record<string, unknown>[]): EventTouch {
  const next = new Map<string, number>();
  const agentNames = new Set<string>();
  for (const row of rows) {
    next.set(row.id as string, Number(row.base));
    agentNames.add(row.agent_name as string);
  }
  for (const { item, resolve } of batch) {
    const base = next.get(item.sessionId);
    if (base === undefined) {
      resolve(null);
      continue;
    }
    resolve(item.messages.map((m, i) => newMessage(m, item.sessionId, base + i + 1)));
    next.set(item.sessionId, base + item.messages.length);
  }
  return { sessionIds: new Set(next.keys()), agentNames };
}
