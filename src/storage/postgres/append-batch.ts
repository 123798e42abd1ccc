import type { Message } from '../../domain/records.js';
import { type NewMessage, newMessage } from '../backend.js';

/** One caller's append, waiting for the statement (and so the commit) that contains it. */
export interface PendingAppend {
  sessionId: string;
  messages: readonly NewMessage[];
  /** Only sessions live at this instant take messages (undefined: every session is live). */
  liveAt: string | undefined;
  resolve: (added: Message[] | null) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for PostgreSQL appends. Every statement that writes events takes the `event_log`
 * counter row until it commits (see the migration of version 4), so writes with events commit one
 * at a time, each waiting for its own WAL flush; under concurrent appends that flush, not SQL, is
 * the price of an append. Appends that arrive while a batch is running wait and then go together
 * as one statement: one transaction, one counter update, one flush. Every caller is answered only
 * after that statement (an implicit transaction) committed: acknowledged still means on disk.
 *
 * One batch runs at a time per process, so appends to one session keep their arrival order.
 */
export class AppendQueue {
  private queue: PendingAppend[] = [];
  private running: Promise<void> | null = null;

  /**
   * @param run runs one batch and settles each of its appends; it never rejects.
   * @param maxMessages a batch stops growing at this many messages (bounds one statement's
   *   parameters); an append larger than that still goes, alone.
   */
  constructor(
    private readonly run: (batch: PendingAppend[]) => Promise<void>,
    private readonly maxMessages: number,
  ) {}

  append(sessionId: string, messages: readonly NewMessage[], liveAt: string | undefined): Promise<Message[] | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ sessionId, messages, liveAt, resolve, reject });
      // Started on the next turn, not now: appends read from the same burst of sockets join the first batch too.
      this.running ??= new Promise((started) => setImmediate(started)).then(() => this.drainQueue());
    });
  }

  /** Resolves once every append queued so far has been answered. */
  async idle(): Promise<void> {
    await this.running;
  }

  private async drainQueue(): Promise<void> {
    while (this.queue.length > 0) await this.run(this.take());
    this.running = null;
  }

  private take(): PendingAppend[] {
    let messages = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || messages + this.queue[n]!.messages.length <= this.maxMessages)) {
      messages += this.queue[n]!.messages.length;
      n++;
    }
    return this.queue.splice(0, n);
  }
}

/**
 * Appends the messages of every append in `batch`, each to its own session, in one statement.
 *
 * The sessions are locked in id order (`locked`), so two replicas' batches cannot deadlock, and
 * before the event counter, as every other write does. A session that is missing or expired
 * reserves nothing and so takes none of its messages; its caller is answered null. Seqs are handed
 * out per session in batch order (`row_number` over `ord`), which is how `settleAppends` numbers
 * them; the MessageAdded events follow the same order, their snapshots built from the inserted rows
 * (the same record `toMessage` reads back). The NOTIFY names the sessions and agents written to, or
 * is empty (readers then look everywhere) when that list would not fit its 8,000-byte limit.
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
    SELECT pg_notify($10, CASE WHEN octet_length(p) < 7900 THEN p ELSE '' END)
    FROM (SELECT json_build_array(json_agg(DISTINCT session_id), json_agg(DISTINCT agent_name))::text AS p FROM logged HAVING count(*) > 0) payload
  )
  SELECT id, base, agent_name, (SELECT count(*) FROM notified) AS notified FROM reserved`;

/** The parameters of `APPEND_BATCH_SQL`: every message of the batch, flattened in batch order. */
export function appendBatchParams(batch: readonly PendingAppend[], channel: string, encodeContent: (content: string) => string): unknown[] {
  const all = batch.flatMap((append) => append.messages.map((m) => [append.sessionId, m] as const));
  // The latest instant any caller asked about: a session that expired meanwhile takes nothing.
  const live = batch.map((a) => a.liveAt);
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
export function settleAppends(batch: readonly PendingAppend[], rows: readonly Record<string, unknown>[]): { sessionIds: Set<string>; agentNames: Set<string> } {
  const next = new Map<string, number>();
  const agentNames = new Set<string>();
  for (const row of rows) {
    next.set(row.id as string, Number(row.base));
    agentNames.add(row.agent_name as string);
  }
  for (const append of batch) {
    const base = next.get(append.sessionId);
    if (base === undefined) {
      append.resolve(null);
      continue;
    }
    append.resolve(append.messages.map((m, i) => newMessage(m, append.sessionId, base + i + 1)));
    next.set(append.sessionId, base + append.messages.length);
  }
  return { sessionIds: new Set(next.keys()), agentNames };
}
