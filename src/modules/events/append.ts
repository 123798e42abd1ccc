import { type RawBuilder, sql } from 'kysely';
import { tx, type TxWork } from '../../db/runner.js';
import { defineStatements, type Dialect, type Placeholders } from '../../db/statements.js';
import { type EventTouch, eventPayload, type NewEvent, touchOf } from '../../domain/events.js';

/**
 * Appending events inside a write's transaction — the one place every module's writes go through,
 * so a committed write has its events and a failed one has none.
 *
 * Truly different per database, hence two statements side by side:
 * - SQLite numbers events with AUTOINCREMENT: it has one writer at a time, so insertion order is
 *   commit order.
 * - PostgreSQL takes the numbers from the `event_log` counter row, which the UPDATE locks until
 *   COMMIT: a concurrent writer waits for this transaction to commit before it gets the next
 *   numbers, so seq order is commit order and a reader never sees seq N before every lower seq is
 *   visible (a sequence would hand numbers out in call order). Appending is the last statement of a
 *   write, so the counter is the last lock every writer takes (no deadlock: whoever holds it waits
 *   for nothing else). The NOTIFY that wakes other replicas' readers is queued in the same
 *   transaction and delivered on commit.
 */
const statements = defineStatements({
  appendEvent: (db, p: Placeholders<{ type: string; sessionId: string; agentName: string; time: string; payload: string }>) =>
    db.insertInto('events').values({ type: p('type'), session_id: p('sessionId'), agent_name: p('agentName'), time: p('time'), payload: p('payload') }),

  appendEvents: (
    _db,
    p: Placeholders<{ count: number; types: string[]; sessionIds: string[]; agentNames: string[]; payloads: string[]; channel: string; notice: string }>,
  ) => sql`WITH counter AS (
      UPDATE event_log SET last_seq = last_seq + ${p('count')}::bigint WHERE id = 1 RETURNING last_seq
    ), logged AS (
      INSERT INTO events (seq, type, session_id, agent_name, time, payload)
      SELECT counter.last_seq - ${p('count')}::bigint + e.ord, e.type, e.session_id, e.agent_name, now(), e.payload
      FROM counter, unnest(${p('types')}::text[], ${p('sessionIds')}::text[], ${p('agentNames')}::text[], ${p('payloads')}::json[])
        WITH ORDINALITY AS e(type, session_id, agent_name, payload, ord)
      RETURNING 1
    )
    SELECT COUNT(pg_notify(${p('channel')}, ${p('notice')})) AS notified FROM (SELECT 1 FROM logged LIMIT 1) AS any_logged`,
});

/** Appends events as part of a transaction's work: `yield* appendEvents(events)`. */
export type AppendEvents = (events: readonly NewEvent[]) => TxWork<void>;

export interface EventSink {
  /** PostgreSQL: the NOTIFY channel of this schema's feed (replicas on it hear each other). */
  channel: string;
  /** Called once the transaction that appended events committed: this process's readers look. */
  wake(touch: EventTouch): void;
}

/**
 * The sink an appender announces to: for a write that appends its events in its own SQL instead of
 * through `appendEvents` (PostgreSQL's group-commit batch statements build the events and the NOTIFY
 * in one statement), which must name the same channel and wake the same readers.
 */
export function eventSinkOf(append: AppendEvents): EventSink {
  const sink = sinks.get(append);
  if (!sink) throw new Error('not an event appender made by eventAppender');
  return sink;
}

const sinks = new WeakMap<AppendEvents, EventSink>();

export function eventAppender(dialect: Dialect, sink: EventSink): AppendEvents {
  const { appendEvent, appendEvents } = statements.for(dialect);
  const appender: AppendEvents = function* append(events) {
    if (events.length === 0) return;
    if (dialect === 'sqlite') {
      const time = new Date().toISOString();
      for (const e of events) {
        yield* tx.write(appendEvent, { type: e.type, sessionId: e.sessionId, agentName: e.agentName, time, payload: JSON.stringify(eventPayload(e)) });
      }
    } else {
      yield* tx.one(appendEvents, {
        count: events.length,
        types: events.map((e) => e.type),
        sessionIds: events.map((e) => e.sessionId),
        agentNames: events.map((e) => e.agentName),
        payloads: events.map((e) => JSON.stringify(eventPayload(e))),
        channel: sink.channel,
        notice: notifyPayload(events),
      });
    }
    const touch = touchOf(events);
    yield* tx.afterCommit(() => sink.wake(touch));
  };
  sinks.set(appender, sink);
  return appender;
}

/**
 * The NOTIFY of a PostgreSQL batch statement that logs its events in a `logged` CTE (`session_id`,
 * `agent_name` returned): the sessions and agents written to, as `notifyPayload` says it, or empty
 * (readers then look everywhere) when that does not fit. A `SELECT` to put in a CTE of its own.
 */
export function notifyLogged(channel: RawBuilder<string>): RawBuilder<unknown> {
  return sql`SELECT pg_notify(${channel}, CASE WHEN octet_length(p) < 7900 THEN p ELSE '' END)
    FROM (SELECT json_build_array(json_agg(DISTINCT session_id), json_agg(DISTINCT agent_name))::text AS p FROM logged HAVING count(*) > 0) payload`;
}

/**
 * What a NOTIFY says: the sessions and agents that got events, or empty (readers then look
 * everywhere) when that does not fit the 8,000 bytes a payload may have.
 */
export function notifyPayload(events: readonly NewEvent[]): string {
  const { sessionIds, agentNames } = touchOf(events);
  const payload = JSON.stringify([[...sessionIds], [...agentNames]]);
  return Buffer.byteLength(payload) < 7900 ? payload : '';
}
