import { sql } from 'kysely';
import { codecs, type RowCodec } from '../../db/codec.js';
import { type Row, type Runner, tx } from '../../db/runner.js';
import { defineStatements, type Placeholders } from '../../db/statements.js';
import { type EventScope, type StoredEvent, storedEvent } from '../../domain/events.js';

/**
 * The change feed as stored: events in seq order (appended by every module's writes through
 * `append.ts`), read by scope after a seq, and pruned from the oldest. Seqs are handed out in commit
 * order — once a reader has seen seq N, no event below N can appear later — so "everything after
 * the last seq I saw" never misses one.
 */
export interface EventStore {
  /** Events of `scope` with seq above `afterSeq`, in seq order, at most `limit`. */
  after(scope: EventScope, afterSeq: number, limit: number): Promise<StoredEvent[]>;
  /** The highest seq handed out so far, and the highest seq pruning may have removed (0: none). */
  log(): Promise<EventLog>;
  /**
   * Deletes up to `limit` events committed before `before` (ISO time), oldest first — and with
   * them every event of a lower seq, so that what is gone ends on a seq boundary — and moves
   * `prunedThrough` (which only grows); how many were deleted.
   */
  prune(before: string, limit: number): Promise<number>;
}

export interface EventLog {
  lastSeq: number;
  prunedThrough: number;
}

const statements = defineStatements({
  // One statement per scope column, each along its index (session_id, seq) or (agent_name, seq).
  eventsAfter_session_id: (db, p: Placeholders<{ value: string; afterSeq: number; limit: number }>) =>
    db.selectFrom('events').selectAll().where('session_id', '=', p('value')).where('seq', '>', p('afterSeq')).orderBy('seq').limit(p('limit')),
  eventsAfter_agent_name: (db, p: Placeholders<{ value: string; afterSeq: number; limit: number }>) =>
    db.selectFrom('events').selectAll().where('agent_name', '=', p('value')).where('seq', '>', p('afterSeq')).orderBy('seq').limit(p('limit')),

  // Where the last seq is kept differs: SQLite numbers events with AUTOINCREMENT, whose high-water
  // mark (kept even when the newest events are pruned) is in `sqlite_sequence`; PostgreSQL hands
  // seqs out from the `event_log` counter row (see `append.ts`).
  eventLog: (db, _p, dialect) =>
    db
      .selectFrom('event_log')
      .select([
        dialect === 'sqlite' ? sql<number | null>`(SELECT seq FROM sqlite_sequence WHERE name = 'events')`.as('last_seq') : 'last_seq',
        'pruned_through',
      ]),

  // The seq the prune window ends at: the newest of the `limit` oldest events before the cut-off.
  pruneEventsUpTo: (db, p: Placeholders<{ before: string; limit: number }>) =>
    db
      .selectFrom((sub) => sub.selectFrom('events').select('seq').where('time', '<', p('before')).orderBy('time').orderBy('seq').limit(p('limit')).as('doomed'))
      .select((eb) => eb.fn.max('seq').as('upto')),
  pruneEvents: (db, p: Placeholders<{ upto: number }>) => db.deleteFrom('events').where('seq', '<=', p('upto')),
  // Only ever moved forward: a prune that raced ahead of this one keeps its mark.
  prunedThrough: (db, p: Placeholders<{ upto: number }>) =>
    db.updateTable('event_log').set({ pruned_through: p('upto') }).where('id', '=', sql.lit(1)).where('pruned_through', '<', p('upto')),
});

/** The change feed in a tenant's SQL database (SQLite or PostgreSQL, by its runner). */
export class SqlEventStore implements EventStore {
  private readonly sql: ReturnType<typeof statements.for>;
  private readonly codec: RowCodec;

  constructor(private readonly runner: Runner) {
    this.sql = statements.for(runner.dialect);
    this.codec = codecs[runner.dialect];
  }

  async after(scope: EventScope, afterSeq: number, limit: number): Promise<StoredEvent[]> {
    const rows =
      'sessionId' in scope
        ? await this.runner.all(this.sql.eventsAfter_session_id, { value: scope.sessionId, afterSeq, limit })
        : await this.runner.all(this.sql.eventsAfter_agent_name, { value: scope.agentName, afterSeq, limit });
    return rows.map((r) => this.toEvent(r));
  }

  async log(): Promise<EventLog> {
    const row = await this.runner.one(this.sql.eventLog, {});
    return { lastSeq: Number(row?.last_seq ?? 0), prunedThrough: Number(row?.pruned_through ?? 0) };
  }

  prune(before: string, limit: number): Promise<number> {
    const { pruneEventsUpTo, pruneEvents, prunedThrough } = this.sql;
    return this.runner.transaction(function* () {
      const row = yield* tx.one(pruneEventsUpTo, { before, limit });
      if (row?.upto == null) return 0;
      const upto = Number(row.upto);
      // Everything up to the newest pruned seq goes: the prune window ends on a seq boundary.
      const deleted = yield* tx.write(pruneEvents, { upto });
      yield* tx.write(prunedThrough, { upto });
      return deleted;
    });
  }

  private toEvent(r: Row): StoredEvent {
    return storedEvent({
      seq: Number(r.seq),
      type: String(r.type),
      sessionId: String(r.session_id),
      agentName: String(r.agent_name),
      time: this.codec.time(r.time),
      payload: this.codec.json(r.payload),
    });
  }
}
