import { type RawBuilder, sql } from 'kysely';
import { codecs, type RowCodec } from '../../db/codec.js';
import { inLiveSessions, isLive, liveOwner } from '../../db/live.js';
import { byGroup, countsByGroup, type Keyset, pagePerGroup, type SliceShape, shapeOf, sliceParams } from '../../db/paging.js';
import { inList, isForeignKeyViolation } from '../../db/portable.js';
import { type Row, type Runner, tx, type TxWork } from '../../db/runner.js';
import { defineStatementFamily, defineStatements, type Placeholders } from '../../db/statements.js';
import { UnavailableError } from '../../domain/errors.js';
import { eventsOf } from '../../domain/events.js';
import type { Json } from '../../domain/json.js';
import type { Slice } from '../../domain/paging.js';
import { type State, stateRecord } from '../../domain/records.js';
import type { AppendEvents } from '../events/append.js';

export type NewState = Omit<State, 'version'>;

/**
 * Where each session's state lives: one JSON value per session, with a version that is 1 when the
 * state is created and one more on every write (what compare-and-set compares). Every method sees
 * only the states of sessions live at `liveAt`; writes append their events in the same transaction.
 *
 * Every write also records the version it stored in `state_versions`, in its transaction, and prunes
 * that state's versions to the last `keepVersions` (STATE_HISTORY_VERSIONS); deleting the state
 * deletes them (a state set again starts at version 1).
 */
export interface StateStore {
  /** One statement however many sessions; sessions without state are left out. */
  bySessionIds(sessionIds: readonly string[], liveAt: string): Promise<State[]>;
  /**
   * Inserts (version 1) or replaces (version + 1) unconditionally; the state as stored, or null
   * (nothing written) when the session does not exist or is not live.
   */
  put(state: NewState, liveAt: string): Promise<State | null>;
  /**
   * Read-modify-write of a session's state, atomically: `change` gets the state as it is (null when
   * there is none) and returns the data to store, or throws to store nothing. No other write of
   * that state can come between the two. `change` must be synchronous and pure: it may be called
   * again when the write is retried. The state as stored (version 1 when created, else one more),
   * or null (nothing written, `change` not called) when the session does not exist or is not live.
   */
  modify(sessionId: string, change: (current: State | null) => Json, updatedAt: string, liveAt: string): Promise<State | null>;
  /** False when the session has no state (or is not live). */
  delete(sessionId: string, liveAt: string): Promise<boolean>;
  /** The kept versions of each session's state, newest first (keys: versions); every id present. */
  versionPages(sessionIds: readonly string[], slice: Slice<number>, liveAt: string): Promise<Map<string, State[]>>;
  /** How many versions of each session's state are kept; every id present. */
  versionCounts(sessionIds: readonly string[], liveAt: string): Promise<Map<string, number>>;
}

/** What the export CLI reads: expired sessions' states too. */
export interface StateMaintenance {
  bySessionIdsIncludingExpired(sessionIds: readonly string[]): Promise<State[]>;
}

type Write = { sessionId: string; data: string; updatedAt: string };

const statements = defineStatements({
  // Written only when the session is live: no row, no state. Its agent comes back for the event.
  putState: (db, p: Placeholders<Write & { liveAt: string }>) =>
    db
      .insertInto('state')
      .columns(['session_id', 'data', 'updated_at', 'version'])
      .expression(
        db
          .selectNoFrom([p('sessionId').as('session_id'), p('data').as('data'), p('updatedAt').as('updated_at'), sql.lit(1).as('version')])
          .where(liveOwner(p('sessionId'), p('liveAt'))),
      )
      .onConflict((oc) =>
        oc.column('session_id').doUpdateSet((eb) => ({
          data: eb.ref('excluded.data'),
          updated_at: eb.ref('excluded.updated_at'),
          version: sql<number>`state.version + 1`,
        })),
      )
      .returning(['version', sql<string>`(SELECT agent_name FROM sessions WHERE id = ${p('sessionId')})`.as('agent_name')]),

  /**
   * The state as it is, locked until the end of the transaction on PostgreSQL (`FOR UPDATE`: every
   * other write of it waits), with the session's agent when the session is live (null: it is not).
   * SQLite needs no lock: its transaction runs synchronously with no other writer beside it.
   */
  lockState: (db, p: Placeholders<{ sessionId: string; liveAt: string }>, dialect) =>
    db
      .selectFrom('state')
      .selectAll()
      .select(sql<string | null>`(SELECT agent_name FROM sessions WHERE id = ${p('sessionId')} AND ${isLive(p('liveAt'))})`.as('agent_name'))
      .where('session_id', '=', p('sessionId'))
      .$if(dialect === 'postgres', (q) => q.forUpdate()),

  /** No state yet: the live session, locked against deletion while the state is created (PostgreSQL, as above). */
  lockSessionForState: (db, p: Placeholders<{ sessionId: string; liveAt: string }>, dialect) =>
    db
      .selectFrom('sessions')
      .select('agent_name')
      .where('id', '=', p('sessionId'))
      .where(isLive(p('liveAt')))
      .$if(dialect === 'postgres', (q) => q.forKeyShare()),

  updateState: (db, p: Placeholders<Write & { version: number }>) =>
    db.updateTable('state').set({ data: p('data'), updated_at: p('updatedAt'), version: p('version') }).where('session_id', '=', p('sessionId')),

  // Does nothing when another writer created the state since `lockState` found none (PostgreSQL), or
  // (an import) when the session has its state already.
  createState: (db, p: Placeholders<Write & { version: number }>) =>
    db
      .insertInto('state')
      .values({ session_id: p('sessionId'), data: p('data'), updated_at: p('updatedAt'), version: p('version') })
      .onConflict((oc) => oc.column('session_id').doNothing()),

  deleteState: (db, p: Placeholders<{ sessionId: string; liveAt: string }>) =>
    db
      .deleteFrom('state')
      .where('session_id', '=', p('sessionId'))
      .where(liveOwner(sql.ref('state.session_id'), p('liveAt')))
      .returning(sql<string>`(SELECT s.agent_name FROM sessions s WHERE s.id = state.session_id)`.as('agent_name')),

  // A version is never written twice (versions only grow, and deleting the state deletes its
  // versions); should it be, the history follows what the state holds rather than failing the write.
  recordStateVersion: (db, p: Placeholders<Write & { version: number }>) =>
    db
      .insertInto('state_versions')
      .values({ session_id: p('sessionId'), version: p('version'), data: p('data'), updated_at: p('updatedAt') })
      .onConflict((oc) => oc.columns(['session_id', 'version']).doUpdateSet((eb) => ({ data: eb.ref('excluded.data'), updated_at: eb.ref('excluded.updated_at') }))),

  /** Versions up to `upTo`: those older than the kept ones, after a write; all of them, after a deletion. */
  pruneStateVersions: (db, p: Placeholders<{ sessionId: string; upTo: number }>) =>
    db.deleteFrom('state_versions').where('session_id', '=', p('sessionId')).where('version', '<=', p('upTo')),

  stateVersionCounts: (db, p: Placeholders<{ ids: string[]; liveAt: string }>, dialect) =>
    db
      .selectFrom('state_versions')
      .select([sql.ref<string>('session_id').as('group_'), sql<number>`COUNT(*)`.as('n')])
      .where(inLiveSessions('session_id', p('ids'), p('liveAt'), dialect))
      .groupBy('session_id'),
});

/** A state's versions: newest first. */
const newestFirst: Keyset<number> = { columns: ['version'], pgTypes: ['bigint'], desc: true, values: (version) => [version] };

/** A page of the kept versions of each of many live sessions' states, in one statement. */
const versionPages = defineStatementFamily('stateVersionPages', (shape: SliceShape) => (db, p: Placeholders<{ ids: string[]; liveAt: string }>, dialect) =>
  pagePerGroup(db, 'state_versions', 'state_versions', 'session_id', newestFirst, shape, p as never, dialect, (q) =>
    q.where(inLiveSessions('session_id', p('ids'), p('liveAt'), dialect)),
  ),
);

/** The states of many sessions: of live sessions only, or (`live` false, the export) of any. */
const statesBySessionIds = defineStatementFamily('statesBySessionIds', (shape: { live: boolean }) => (db, p, dialect) => {
  const query = db.selectFrom('state').selectAll().where(inList('session_id', p('ids'), dialect));
  return shape.live ? query.where(liveOwner(sql.ref('state.session_id'), p('liveAt') as RawBuilder<string>)) : query;
});

/** Rounds of `modify` against a state created (and deleted) by others meanwhile. */
const MODIFY_ATTEMPTS = 10;

/** States in a tenant's SQL database (SQLite or PostgreSQL, by its runner). */
export class SqlStateStore implements StateStore, StateMaintenance {
  private readonly sql: ReturnType<typeof statements.for>;
  private readonly codec: RowCodec;

  constructor(
    private readonly runner: Runner,
    private readonly appendEvents: AppendEvents,
    /** STATE_HISTORY_VERSIONS: how many versions of each state are kept, the current one included. */
    private readonly keepVersions = 100,
  ) {
    this.sql = statements.for(runner.dialect);
    this.codec = codecs[runner.dialect];
  }

  bySessionIds(sessionIds: readonly string[], liveAt: string): Promise<State[]> {
    return this.read(sessionIds, liveAt);
  }

  bySessionIdsIncludingExpired(sessionIds: readonly string[]): Promise<State[]> {
    return this.read(sessionIds, null);
  }

  async put(s: NewState, liveAt: string): Promise<State | null> {
    const { putState } = this.sql;
    const appendEvents = this.appendEvents;
    const record = (write: Write & { version: number }) => this.recordVersion(write);
    return this.ifSessionExists(() =>
      this.runner.transaction(function* () {
        const write = { sessionId: s.sessionId, data: JSON.stringify(s.data), updatedAt: s.updatedAt };
        const row = yield* tx.one(putState, { ...write, liveAt });
        if (!row) return null;
        const state = { ...s, version: Number(row.version) };
        yield* record({ ...write, version: state.version });
        yield* appendEvents(eventsOf.stateWritten(row.agent_name as string, state));
        return state;
      }),
    );
  }

  /**
   * One transaction: the state row is locked while `change` runs (PostgreSQL: `FOR UPDATE`; SQLite:
   * the transaction runs synchronously, alone). Without a row, the session is locked against
   * deletion and the state inserted; should another writer create it first, the insert does nothing
   * and the whole step is tried again, this time against that writer's state.
   */
  async modify(sessionId: string, change: (current: State | null) => Json, updatedAt: string, liveAt: string): Promise<State | null> {
    const { lockState, lockSessionForState, updateState, createState } = this.sql;
    const appendEvents = this.appendEvents;
    const toState = (r: Row) => this.toState(r);
    const record = (write: Write & { version: number }) => this.recordVersion(write);
    const attempt = function* (): TxWork<State | null | undefined> {
      const locked = yield* tx.one(lockState, { sessionId, liveAt });
      const current = locked ? toState(locked) : null;
      let agentName = locked?.agent_name as string | null | undefined;
      if (!locked) agentName = (yield* tx.one(lockSessionForState, { sessionId, liveAt }))?.agent_name as string | undefined;
      if (agentName == null) return null; // no such session, or not live
      const data = change(current);
      const version = (current?.version ?? 0) + 1;
      const write = { sessionId, data: JSON.stringify(data), updatedAt, version };
      const written = yield* tx.write(current ? updateState : createState, write);
      if (written !== 1) return undefined; // created meanwhile
      yield* record(write);
      const state = { sessionId, data, updatedAt, version };
      yield* appendEvents(eventsOf.stateWritten(agentName, state));
      return state;
    };
    for (let i = 0; i < MODIFY_ATTEMPTS; i++) {
      const stored = await this.ifSessionExists(() => this.runner.transaction(attempt));
      if (stored !== undefined) return stored;
    }
    throw new UnavailableError('The state is being created and deleted too quickly to be written; retry shortly', 1);
  }

  async delete(sessionId: string, liveAt: string): Promise<boolean> {
    const { deleteState, pruneStateVersions } = this.sql;
    const appendEvents = this.appendEvents;
    return this.runner.transaction(function* () {
      const row = yield* tx.one(deleteState, { sessionId, liveAt });
      if (!row) return false;
      yield* tx.write(pruneStateVersions, { sessionId, upTo: Number.MAX_SAFE_INTEGER });
      yield* appendEvents(eventsOf.stateDeleted({ id: sessionId, agentName: row.agent_name as string }));
      return true;
    });
  }

  /** Part of a fork's transaction: a session's state as it is (expired or not), or null. */
  *ofSession(sessionId: string): TxWork<State | null> {
    const row = yield* tx.one(statesBySessionIds(this.runner.dialect, { live: false }), { ids: [sessionId] });
    return row ? this.toState(row) : null;
  }

  /**
   * Part of a transaction's work (a fork's copy, an import): writes a state exactly as given, its
   * version kept; a session that has a state already keeps it. How many rows were written (0 or 1).
   */
  *insertExactly(state: State): TxWork<number> {
    const write = { sessionId: state.sessionId, data: JSON.stringify(state.data), updatedAt: state.updatedAt, version: state.version };
    const written = yield* tx.write(this.sql.createState, write);
    // Its history starts at the version written: neither forks nor bundles carry older versions.
    if (written === 1) yield* this.recordVersion(write);
    return written;
  }

  async versionPages(sessionIds: readonly string[], slice: Slice<number>, liveAt: string): Promise<Map<string, State[]>> {
    if (sessionIds.length === 0) return new Map();
    const shape = shapeOf(slice);
    const rows = await this.runner.all(versionPages(this.runner.dialect, shape), { ...sliceParams(newestFirst, slice), ids: [...sessionIds], liveAt });
    const pages = new Map<string, State[]>();
    for (const [id, versions] of byGroup(sessionIds, rows, 'session_id', shape)) pages.set(id, versions.map((r) => this.toState(r)));
    return pages;
  }

  async versionCounts(sessionIds: readonly string[], liveAt: string): Promise<Map<string, number>> {
    if (sessionIds.length === 0) return new Map();
    return countsByGroup(sessionIds, await this.runner.all(this.sql.stateVersionCounts, { ids: [...sessionIds], liveAt }));
  }

  /**
   * Part of a write's transaction: records the version written and forgets those older than the
   * last `keepVersions` (all of them with 0). The prune is skipped while there cannot be any.
   */
  private *recordVersion(write: Write & { version: number }): TxWork<void> {
    if (this.keepVersions > 0) yield* tx.write(this.sql.recordStateVersion, write);
    const upTo = write.version - this.keepVersions;
    if (upTo >= 1) yield* tx.write(this.sql.pruneStateVersions, { sessionId: write.sessionId, upTo });
  }

  private async read(sessionIds: readonly string[], liveAt: string | null): Promise<State[]> {
    if (sessionIds.length === 0) return [];
    const statement = statesBySessionIds(this.runner.dialect, { live: liveAt !== null });
    const rows = await this.runner.all(statement, { ids: [...sessionIds], ...(liveAt === null ? {} : { liveAt }) });
    return rows.map((r) => this.toState(r));
  }

  /** Null instead of a foreign key's refusal: the session was deleted between our look and the write (PostgreSQL). */
  private async ifSessionExists<T>(write: () => Promise<T>): Promise<T | null> {
    try {
      return await write();
    } catch (error) {
      if (isForeignKeyViolation(error)) return null;
      throw error;
    }
  }

  private toState(r: Row): State {
    return stateRecord.parse({ sessionId: r.session_id, data: this.codec.json(r.data), updatedAt: this.codec.time(r.updated_at), version: Number(r.version) });
  }
}
