import { sql } from 'kysely';
import type { Row, Runner } from '../../db/runner.js';
import { defineStatements, type Placeholders } from '../../db/statements.js';
import { InsufficientStorageError, UnavailableError } from '../../domain/errors.js';
import type { EventTouch } from '../../domain/events.js';
import type { Message } from '../../domain/records.js';
import { BATCH_ROWS, GroupCommitQueue, type Pending } from '../../db/postgres/group-commit.js';
import { type EventSink, notifyLogged } from '../events/append.js';
import { type MessageColumns, messageColumns, type NewMessage, newMessage } from './messages.js';

/**
 * PostgreSQL's hot path for appends: group commit (see `GroupCommitQueue`). Appends that arrive
 * while a batch runs go together as ONE statement — one transaction, one event-counter update, one
 * WAL flush — instead of committing one at a time behind the event counter's row lock. SQLite has
 * no such need: its runner already commits every write of a turn in one transaction (and the
 * portable transaction in `store.ts` is its append). Written by hand: a CTE chain of data-modifying
 * statements is PostgreSQL's alone.
 */

export interface AppendRequest {
  sessionId: string;
  messages: readonly NewMessage[];
  /** Only a session live at this instant takes messages. */
  liveAt: string;
}

export type PendingAppend = Pending<AppendRequest, Message[] | null>;

type BatchParams = MessageColumns & { liveAt: string; channel: string };

/**
 * Appends the messages of every append of a batch, each to its own session, in one statement.
 *
 * The sessions are locked in id order (`locked`), so two replicas' batches cannot deadlock, and
 * before the event counter, as every other write does. A session that is missing or expired
 * reserves nothing and so takes none of its messages; its caller is answered null. Seqs are handed
 * out per session in batch order (`row_number` over `ord`), which is how `settleAppends` numbers
 * them; the MessageAdded events follow the same order, their snapshots built from the inserted rows
 * (the record `messageOf` reads back, the payload `eventPayload` makes).
 */
const statements = defineStatements({
  appendMessages: (_db, p: Placeholders<BatchParams>) => sql`WITH req AS (
    SELECT * FROM unnest(${p('sessionIds')}::text[], ${p('ids')}::text[], ${p('roles')}::text[], ${p('contents')}::text[],
        ${p('encodings')}::smallint[], ${p('timestamps')}::timestamptz[], ${p('metadata')}::json[], ${p('keys')}::text[],
        ${p('items')}::json[], ${p('tokenCounts')}::integer[], ${p('searchTexts')}::text[])
      WITH ORDINALITY AS m(session_id, id, role, content, encoding, ts, metadata, idempotency_key, item, token_count, search_text, ord)
  ), wanted AS (
    SELECT session_id, count(*) AS n FROM req GROUP BY session_id
  ), locked AS MATERIALIZED (
    SELECT s.id FROM sessions s JOIN wanted w ON w.session_id = s.id
    WHERE s.expires_at IS NULL OR s.expires_at > ${p('liveAt')}::timestamptz
    ORDER BY s.id FOR UPDATE OF s
  ), reserved AS (
    UPDATE sessions s SET last_seq = s.last_seq + w.n
    FROM wanted w, locked l WHERE w.session_id = s.id AND l.id = s.id
    RETURNING s.id, s.last_seq - w.n AS base, s.agent_name
  ), added AS (
    INSERT INTO history (id, session_id, seq, role, content, content_encoding, timestamp, metadata, idempotency_key, item, token_count, search_text)
    SELECT req.id, req.session_id, r.base + row_number() OVER (PARTITION BY req.session_id ORDER BY req.ord),
      req.role, req.content, req.encoding, req.ts, req.metadata, req.idempotency_key, req.item, req.token_count, req.search_text
    FROM req JOIN reserved r ON r.id = req.session_id
    RETURNING id, session_id, seq, role, content, content_encoding, timestamp, metadata, idempotency_key, item, token_count
  ), counter AS (
    UPDATE event_log SET last_seq = last_seq + (SELECT count(*) FROM added)
    WHERE id = 1 AND EXISTS (SELECT 1 FROM added) RETURNING last_seq
  ), logged AS (
    INSERT INTO events (seq, type, session_id, agent_name, time, payload)
    SELECT counter.last_seq - (SELECT count(*) FROM added) + row_number() OVER (ORDER BY req.ord), 'MessageAdded', a.session_id, r.agent_name, now(),
      json_build_object('message', json_build_object(
        'id', a.id, 'sessionId', a.session_id, 'seq', a.seq, 'role', a.role,
        'content', CASE WHEN a.content_encoding = 1 THEN a.content::json ELSE to_json(a.content) END, 'item', a.item,
        'timestamp', to_char(a.timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'metadata', a.metadata, 'idempotencyKey', a.idempotency_key, 'tokenCount', a.token_count))
    FROM added a JOIN req ON req.id = a.id JOIN reserved r ON r.id = a.session_id CROSS JOIN counter
    RETURNING session_id, agent_name
  ), notified AS (
    ${notifyLogged(p('channel'))}
  )
  SELECT id, base, agent_name, (SELECT count(*) FROM notified) AS notified FROM reserved`,
});

/** The parameters of `appendMessages`: every message of the batch, flattened in batch order. */
export function appendBatchParams(batch: readonly PendingAppend[], channel: string, indexed: boolean): BatchParams {
  return {
    ...messageColumns(batch.flatMap(({ item }) => item.messages.map((m) => ({ ...m, sessionId: item.sessionId }))), indexed),
    // The latest instant any caller asked about: a session that expired meanwhile takes nothing.
    liveAt: batch.map(({ item }) => item.liveAt).reduce((a, b) => (a > b ? a : b)),
    channel,
  };
}

/**
 * Answers each append of a batch from the statement's rows (one per session that took messages):
 * its messages numbered as the statement numbered them. Returns the sessions and agents written to.
 */
export function settleAppends(batch: readonly PendingAppend[], rows: readonly Row[]): EventTouch {
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

/** The appends of one PostgreSQL database, group-committed. */
export class AppendBatches {
  private readonly statement = statements.for('postgres').appendMessages;
  private readonly queue: GroupCommitQueue<AppendRequest, Message[] | null>;

  constructor(
    private readonly runner: Runner,
    private readonly sink: EventSink,
    private readonly indexed: boolean,
  ) {
    this.queue = new GroupCommitQueue((batch) => this.run(batch, true), (a) => a.messages.length, BATCH_ROWS, undefined, runner.observer);
  }

  /** Joins the next batch; null when the session is missing or expired. */
  add(request: AppendRequest): Promise<Message[] | null> {
    return this.queue.add(request);
  }

  /** One append as a batch of its own, now: its failure (a taken id or key) is its own. */
  alone(request: AppendRequest): Promise<Message[] | null> {
    return new Promise((resolve, reject) => void this.run([{ item: request, resolve, reject }], false));
  }

  /** Resolves once every append queued so far has been answered. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /**
   * Runs one batch as one statement and settles each of its appends; never rejects. When a batch of
   * several fails for a reason other than the database being unavailable or full, each append is
   * retried alone, in order, so that one bad append cannot fail the others.
   */
  private async run(batch: PendingAppend[], retryAlone: boolean): Promise<void> {
    let rows: Row[];
    try {
      rows = await this.runner.all(this.statement, appendBatchParams(batch, this.sink.channel, this.indexed));
    } catch (error) {
      const whole = error instanceof UnavailableError || error instanceof InsufficientStorageError;
      if (!retryAlone || batch.length === 1 || whole) {
        for (const append of batch) append.reject(error);
        return;
      }
      for (const append of batch) await this.run([append], false);
      return;
    }
    // Committed with its events: wake this process's readers (other processes hear the NOTIFY).
    const touched = settleAppends(batch, rows);
    if (touched.sessionIds.size > 0) this.sink.wake(touched);
  }
}
