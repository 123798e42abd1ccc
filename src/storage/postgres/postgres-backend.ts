import { createHash } from 'node:crypto';
import pg from 'pg';
import { matchRepeats, mayRepeat } from '../../domain/appends.js';
import type { Row } from '../../db/runner.js';
import { PostgresRunner, type Queryable } from '../../db/postgres/runner.js';
import { ConflictError, InsufficientStorageError, UnavailableError, ValidationError } from '../../domain/errors.js';
import { type EventScope, type EventTouch, eventPayload, eventsOf, type NewEvent, type StoredEvent, storedEvent, touchOf } from '../../domain/events.js';
import type { MetricFilter } from '../../domain/inputs.js';
import type { Json, JsonObject } from '../../domain/json.js';
import type { ApiKey, ApiKeyScope, Artifact, Message, Metric, Session, State } from '../../domain/records.js';
import type {
  EventLog,
  ForkOutcome,
  ForkSource,
  ImportCounts,
  JsonFields,
  MetricKey,
  NewMessage,
  NewState,
  ParentLink,
  SessionBundle,
  Slice,
  StorageBackend,
} from '../backend.js';
import { newMessage, recordsToJson } from '../backend.js';
import { checkSessionBundle } from '../bundle-rules.js';
import {
  APPEND_BATCH_SQL,
  type AppendRequest,
  appendBatchParams,
  type BatchStatement,
  GroupCommitQueue,
  METRIC_BATCH_SQL,
  metricBatchParams,
  metricColumns,
  type Pending,
  settleAppends,
  settleMetrics,
} from './group-commit.js';
import { migrations } from './migrations.js';
import { type AppendEvents, eventAppender } from '../../modules/events/append.js';
import { openStores, type Stores } from '../stores.js';

export interface PostgresOptions {
  /** A `postgres://` connection string (without our own `schema` parameter). */
  connectionString: string;
  /** Keep every table in this schema (created if missing) instead of the connection's default. */
  schema?: string;
  /** Connections in the pool. */
  poolSize?: number;
  /** Called with the name of every SQL statement executed (statement counting in tests, tracing). */
  onQuery?: (name: string) => void;
  /** Errors of idle pooled connections (e.g. the server restarted); the pool replaces them. */
  onPoolError?: (error: Error) => void;
  /** The change feed's LISTEN connection failed; it reconnects by itself. */
  onListenError?: (error: Error) => void;
}


/** How one table is paged: key columns with their SQL types, and natural order (see `Slice`). */
interface KeysetSpec {
  table: string;
  keys: readonly { column: string; type: string }[];
  naturalDesc: boolean;
  /** The column that names the owning session in per-session windows (default `session_id`). */
  group?: string;
}

const HISTORY: KeysetSpec = { table: 'history', keys: [{ column: 'seq', type: 'bigint' }], naturalDesc: false };
const ARTIFACTS: KeysetSpec = { table: 'artifacts', keys: [{ column: 'id', type: 'text' }], naturalDesc: false };
const METRICS: KeysetSpec = {
  table: 'metrics',
  keys: [
    { column: 'timestamp', type: 'timestamptz' },
    { column: 'id', type: 'text' },
  ],
  naturalDesc: false,
};

/** Numbered placeholders (`$1`, `$2`, …) collected next to their values. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown, type?: string): string {
    this.values.push(value);
    return type ? `$${this.values.length}::${type}` : `$${this.values.length}`;
  }
}

/** A session row is live (not expired) at a moment: the one expiry filter of this backend's session queries. */
const live = (p: Params, liveAt: string, alias = '') =>
  `(${alias}expires_at IS NULL OR ${alias}expires_at > ${p.add(liveAt, 'timestamptz')})`;
/** The session a row names through `column` exists and is live at a moment (for its history, state, artifacts). */
const liveOwner = (column: string, p: Params, liveAt: string) => `EXISTS (SELECT 1 FROM sessions s_ WHERE s_.id = ${column} AND ${live(p, liveAt, 's_.')})`;
/** `fragment` when `liveAt` is given; nothing (every session visible) when it is absent. */
const liveFilters = (liveAt: string | undefined, fragment: (p: Params, liveAt: string) => string) => (p: Params): string[] =>
  liveAt === undefined ? [] : [fragment(p, liveAt)];

/**
 * The scale-out backend (node-postgres with a pool). Several server processes can share one
 * database: per-session ordering is decided by a row lock on the session (`last_seq`), so appends
 * from every replica land in one total order.
 */
export class PostgresBackend implements StorageBackend {
  readonly kind = 'postgres' as const;
  /** Runs every statement of this database: the backend's and the module stores'. */
  readonly runner: PostgresRunner;
  readonly appendEvents: AppendEvents;
  readonly stores: Stores;

  /** Waiting readers of the change feed (see `onEvents`). */
  private readonly eventWaiters = new Set<(touch: EventTouch | null) => void>();
  /** Transactions (by connection) that appended events, and for whom: wake the waiters after their COMMIT. */
  private readonly appendedEvents = new WeakMap<pg.PoolClient, ReturnType<typeof touchOf>>();
  /** The one LISTEN connection of this backend, opened when the first reader waits. */
  private listener: { client: pg.Client | null; retry: NodeJS.Timeout | null; failures: number } | null = null;
  private closed = false;
  /**
   * NOTIFY channel of this schema's events: replicas on the same schema hear each other, tenants
   * (schemas) do not. Hashed, as channel names are identifiers of at most 63 bytes.
   */
  private readonly channel: string;
  /** Group commit (see `GroupCommitQueue`): appends that cannot repeat stored messages, and metrics. */
  private readonly appendStatement: BatchStatement<AppendRequest, Message[] | null> = {
    name: 'appendMessages',
    sql: APPEND_BATCH_SQL,
    params: (batch) => appendBatchParams(batch, this.channel, encodeContent),
    settle: settleAppends,
  };
  private readonly appends = new GroupCommitQueue<AppendRequest, Message[] | null>((batch) => this.runBatch(batch, this.appendStatement), (a) => a.messages.length, BATCH_ROWS);
  private readonly metricStatement: BatchStatement<readonly Metric[], void> = {
    name: 'insertMetrics',
    sql: METRIC_BATCH_SQL,
    params: (batch) => metricBatchParams(batch, this.channel),
    settle: settleMetrics,
  };
  private readonly metrics = new GroupCommitQueue<readonly Metric[], void>((batch) => this.runBatch(batch, this.metricStatement), (m) => m.length, BATCH_ROWS);

  private constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresOptions,
  ) {
    this.runner = new PostgresRunner(pool, {
      onQuery: options.onQuery,
      onTransactionEnd: (client, committed) => {
        const touched = this.appendedEvents.get(client);
        this.appendedEvents.delete(client);
        if (committed && touched) this.wakeEventWaiters(touched);
      },
    });
    this.channel = `agent_storage_events_${createHash('sha256').update(options.schema ?? '').digest('hex').slice(0, 24)}`;
    this.appendEvents = eventAppender('postgres', { channel: this.channel, wake: (touch) => this.wakeEventWaiters(touch) });
    this.stores = openStores(this.runner, this.appendEvents);
  }

  /** Connects, creates or migrates the schema, and answers only once the database is usable. */
  static async open(options: PostgresOptions): Promise<PostgresBackend> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 10_000,
      // Every session sees our schema first; it is quoted, so any name works.
      ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
    });
    // Without a listener an idle connection's error (e.g. the server restarted) would crash the
    // process; the pool drops that connection and the next query gets a fresh one.
    pool.on('error', (error) => options.onPoolError?.(error));
    const backend = new PostgresBackend(pool, options);
    try {
      await backend.migrate(options.schema);
    } catch (error) {
      await pool.end().catch(() => {});
      const where = describeTarget(options.connectionString, options.schema);
      throw new Error(`Cannot open PostgreSQL database ${where}: ${(error as Error).message}`, { cause: error });
    }
    return backend;
  }

  /** The schema version in force (for tests and diagnostics). */
  async schemaVersion(): Promise<number> {
    const { rows } = await this.pool.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations');
    return Number(rows[0]?.v ?? 0);
  }

  /**
   * Applies pending migrations, each in its own transaction, under an advisory lock: replicas that
   * start at once take turns, and the later ones find nothing left to do.
   */
  private async migrate(schema: string | undefined): Promise<void> {
    const latest = migrations.at(-1)?.version ?? 0;
    const client = await this.pool.connect();
    const lockKey = `agent-storage:migrate:${schema ?? ''}`;
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
      try {
        if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
        await client.query(
          'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
        );
        const { rows } = await client.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations');
        const current = Number(rows[0]?.v ?? 0);
        if (current > latest) {
          throw new Error(`database schema version ${current} is newer than this server supports (${latest}); upgrade the server`);
        }
        for (const migration of migrations) {
          if (migration.version <= current) continue;
          await client.query('BEGIN');
          try {
            await client.query(migration.sql);
            await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK');
            throw error;
          }
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
      }
    } finally {
      client.release();
    }
  }

  async ping(): Promise<void> {
    await this.query('ping', 'SELECT 1', []);
  }

  async close(): Promise<void> {
    this.closed = true;
    // Queued writes are committed (and their callers answered) first.
    await Promise.all([this.appends.idle(), this.metrics.idle()]);
    this.eventWaiters.clear();
    await this.stopListening();
    await this.pool.end();
  }

  // --- statement plumbing (db/postgres/runner.ts) ----------------------------------------------

  private query(name: string, text: string, values: unknown[], on?: Queryable): Promise<pg.QueryResult<Row>> {
    return this.runner.query(name, text, values, on);
  }

  /** Runs `work` in one transaction on one pooled connection; rolls back on any failure. */
  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.runner.clientTransaction(work);
  }

  /** `WHERE` fragments for a slice's bounds; fixed column names only, values are parameters. */
  private bounds<K>(spec: KeysetSpec, slice: Slice<K>, keyOf: (key: K) => unknown[], params: Params): string[] {
    const where: string[] = [];
    const bound = (key: K, op: string) => {
      const values = keyOf(key);
      const marks = spec.keys.map((k, i) => params.add(values[i], k.type));
      const cols = spec.keys.map((k) => k.column);
      where.push(cols.length === 1 ? `${cols[0]} ${op} ${marks[0]}` : `(${cols.join(', ')}) ${op} (${marks.join(', ')})`);
    };
    if (slice.after != null) bound(slice.after, spec.naturalDesc ? '<' : '>');
    if (slice.before != null) bound(slice.before, spec.naturalDesc ? '>' : '<');
    return where;
  }

  private orderBy(spec: KeysetSpec, slice: Slice<unknown>): string {
    const desc = spec.naturalDesc !== Boolean(slice.fromEnd);
    return spec.keys.map((k) => `${k.column} ${desc ? 'DESC' : 'ASC'}`).join(', ');
  }

  /** One keyset/offset window over a whole table. */
  private async slice<K>(
    name: string,
    spec: KeysetSpec,
    filters: (params: Params) => string[],
    slice: Slice<K>,
    keyOf: (key: K) => unknown[],
  ): Promise<Row[]> {
    const params = new Params();
    const where = [...filters(params), ...this.bounds(spec, slice, keyOf, params)];
    const sql =
      `SELECT * FROM ${spec.table}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}` +
      ` ORDER BY ${this.orderBy(spec, slice)} LIMIT ${params.add(slice.limit, 'bigint')} OFFSET ${params.add(slice.offset ?? 0, 'bigint')}`;
    const { rows } = await this.query(name, sql, params.values);
    return slice.fromEnd ? rows.reverse() : rows;
  }

  /**
   * The same window for each of many sessions in one statement (a window function numbers rows
   * per session), so that nested GraphQL fields cost one query however many sessions there are.
   */
  private async slicesBySession<K>(
    name: string,
    spec: KeysetSpec,
    sessionIds: readonly string[],
    filters: (params: Params) => string[],
    slice: Slice<K>,
    keyOf: (key: K) => unknown[],
    liveAt?: string,
  ): Promise<Map<string, Row[]>> {
    const bySession = new Map<string, Row[]>(sessionIds.map((id) => [id, []]));
    if (sessionIds.length === 0) return bySession;
    const group = spec.group ?? 'session_id';
    if (sessionIds.length === 1) {
      // One session: a plain LIMIT walks the index and stops early, which matters for long histories.
      // Its liveness is one uncorrelated sub-query (an init plan, evaluated once).
      const id = sessionIds[0]!;
      const owner = liveFilters(liveAt, (p, at) => liveOwner(p.add(id, 'text'), p, at));
      bySession.set(id, await this.slice(name, spec, (p) => [`${group} = ${p.add(id)}`, ...owner(p), ...filters(p)], slice, keyOf));
      return bySession;
    }
    const params = new Params();
    const where = [this.inLiveSessions(group, sessionIds, liveAt, params), ...filters(params), ...this.bounds(spec, slice, keyOf, params)];
    const offset = slice.offset ?? 0;
    const sql =
      `SELECT * FROM (SELECT t.*, ROW_NUMBER() OVER (PARTITION BY ${group} ORDER BY ${this.orderBy(spec, slice)}) AS rn_` +
      ` FROM ${spec.table} t WHERE ${where.join(' AND ')}) w` +
      ` WHERE rn_ > ${params.add(offset, 'bigint')} AND rn_ <= ${params.add(offset + slice.limit, 'bigint')} ORDER BY ${group}, rn_`;
    for (const row of (await this.query(name, sql, params.values)).rows) bySession.get(row[group] as string)?.push(row);
    if (slice.fromEnd) for (const rows of bySession.values()) rows.reverse();
    return bySession;
  }

  private async countsBySession(
    name: string,
    table: string,
    sessionIds: readonly string[],
    filters: (params: Params) => string[] = () => [],
    group = 'session_id',
    liveAt?: string,
  ): Promise<Map<string, number>> {
    const counts = new Map<string, number>(sessionIds.map((id) => [id, 0]));
    if (sessionIds.length === 0) return counts;
    const params = new Params();
    const where = [this.inLiveSessions(group, sessionIds, liveAt, params), ...filters(params)].join(' AND ');
    const { rows } = await this.query(name, `SELECT ${group} AS group_, COUNT(*) AS n FROM ${table} WHERE ${where} GROUP BY ${group}`, params.values);
    for (const row of rows) counts.set(row.group_ as string, Number(row.n));
    return counts;
  }

  /** `column` names one of `ids`, narrowed to the sessions live at `liveAt` when given. */
  private inLiveSessions(column: string, ids: readonly string[], liveAt: string | undefined, p: Params): string {
    const list = p.add(ids, 'text[]');
    if (liveAt === undefined) return `${column} = ANY(${list})`;
    return `${column} IN (SELECT s_.id FROM sessions s_ WHERE s_.id = ANY(${list}) AND ${live(p, liveAt, 's_.')})`;
  }

  /** Rows by id; `filters` (e.g. a live filter) narrow them. */
  private async byIds(name: string, table: string, column: string, ids: readonly string[], filters: (p: Params) => string[] = () => []): Promise<Row[]> {
    if (ids.length === 0) return [];
    const p = new Params();
    const match = ids.length === 1 ? `${column} = ${p.add(ids[0])}` : `${column} = ANY(${p.add(ids, 'text[]')})`;
    return (await this.query(name, `SELECT * FROM ${table} WHERE ${[match, ...filters(p)].join(' AND ')}`, p.values)).rows;
  }

  private async count(name: string, table: string, filters: (params: Params) => string[]): Promise<number> {
    const params = new Params();
    const where = filters(params);
    const { rows } = await this.query(name, `SELECT COUNT(*) AS n FROM ${table}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`, params.values);
    return Number(rows[0]?.n ?? 0);
  }

  // --- history --------------------------------------------------------------------------------

  async appendMessages(sessionId: string, messages: readonly NewMessage[], liveAt?: string): Promise<Message[] | null> {
    if (!mayRepeat(messages)) return this.appends.add({ sessionId, messages, liveAt });
    try {
      // Most named appends are not repeats: the one-statement append is tried first, alone (a taken
      // id or key must fail only this append). It fails as a whole (nothing reserved, nothing
      // written); then the slow path decides.
      return await this.appendNow(sessionId, messages, liveAt);
    } catch (error) {
      if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
    }
    return this.appendWithRepeats(sessionId, messages, liveAt);
  }

  /** One append as a batch of its own, not queued. */
  private appendNow(sessionId: string, messages: readonly NewMessage[], liveAt: string | undefined): Promise<Message[] | null> {
    return new Promise((resolve, reject) => {
      void this.runBatch([{ item: { sessionId, messages, liveAt }, resolve, reject }], this.appendStatement, false);
    });
  }

  /**
   * Runs one group-commit batch as one statement and settles each of its writes; never rejects.
   * When a batch of several fails for a reason other than the database being unavailable or full,
   * each write is retried alone, in order, so that one bad write cannot fail the others.
   */
  private async runBatch<I, R>(batch: Pending<I, R>[], statement: BatchStatement<I, R>, retryAlone = true): Promise<void> {
    let rows: Row[];
    try {
      ({ rows } = await this.query(statement.name, statement.sql, statement.params(batch)));
    } catch (error) {
      const whole = error instanceof UnavailableError || error instanceof InsufficientStorageError;
      if (!retryAlone || batch.length === 1 || whole) {
        for (const write of batch) write.reject(error);
        return;
      }
      for (const write of batch) await this.runBatch([write], statement, false);
      return;
    }
    // Committed with its events: wake this process's readers (others hear the NOTIFY).
    const touched = statement.settle(batch, rows);
    if (touched.sessionIds.size > 0) this.wakeEventWaiters(touched);
  }

  /**
   * An append that repeats stored messages (or conflicts with them). The session row is locked
   * first: every append to the session waits for it, so the look-up of repeats (a statement that
   * starts after the lock is held, hence sees every append committed before) and the writes that
   * follow see the session as nobody else can change it.
   */
  private async appendWithRepeats(sessionId: string, messages: readonly NewMessage[], liveAt: string | undefined): Promise<Message[] | null> {
    return this.transaction(async (client) => {
      const { rows } = await this.query(
        'lockSessionForAppend',
        'SELECT last_seq, agent_name FROM sessions WHERE id = $1 AND ($2::timestamptz IS NULL OR expires_at IS NULL OR expires_at > $2::timestamptz) FOR UPDATE',
        [sessionId, liveAt ?? null],
        client,
      );
      if (!rows[0]) return null;
      const ids = messages.filter((m) => m.idFromClient).map((m) => m.id);
      const keys = messages.flatMap((m) => (m.idempotencyKey == null ? [] : [m.idempotencyKey]));
      const stored = await this.query(
        'storedRepeats',
        `SELECT * FROM history WHERE id = ANY($1::text[])
         UNION ALL
         SELECT * FROM history WHERE session_id = $2 AND idempotency_key = ANY($3::text[])`,
        [ids, sessionId, keys],
        client,
      );
      const originals = matchRepeats(sessionId, messages, stored.rows.map(toMessage));
      let seq = Number(rows[0].last_seq);
      const added = messages.filter((_, i) => originals[i] === null).map((m) => newMessage(m, sessionId, ++seq));
      if (added.length > 0) {
        await this.query('reserveSeqLocked', 'UPDATE sessions SET last_seq = $1 WHERE id = $2', [seq, sessionId], client);
        try {
          await this.insertMessages('insertNamedMessages', added, client, '');
        } catch (error) {
          // Keys are only ever taken under this session's lock; an id may be taken by another session meanwhile.
          if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
            throw new ConflictError('A message id of this append was taken by another session meanwhile');
          }
          throw error;
        }
        await this.appendLegacyEvents(client, eventsOf.messagesAppended(rows[0].agent_name as string, added));
      }
      let next = 0;
      return originals.map((original) => original ?? added[next++]!);
    });
  }

  /** One multi-row INSERT (arrays unnested server-side), whatever the number of messages. */
  private async insertMessages(name: string, messages: readonly Message[], client: pg.PoolClient, onConflict: string): Promise<number> {
    const { rowCount } = await this.query(
      name,
      `INSERT INTO history (id, session_id, seq, role, content, content_encoding, timestamp, metadata, idempotency_key)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::smallint[], $7::timestamptz[], $8::json[], $9::text[])
       ${onConflict}`,
      [
        messages.map((m) => m.id),
        messages.map((m) => m.sessionId),
        messages.map((m) => m.seq),
        messages.map((m) => m.role),
        messages.map((m) => encodeContent(m.content)),
        messages.map((m) => (m.content.includes('\u0000') ? 1 : 0)),
        messages.map((m) => m.timestamp),
        messages.map((m) => JSON.stringify(m.metadata)),
        messages.map((m) => m.idempotencyKey),
      ],
      client,
    );
    return rowCount ?? 0;
  }

  async messagesByIds(ids: readonly string[], liveAt?: string): Promise<Message[]> {
    return (await this.byIds('messagesByIds', 'history', 'id', ids, liveFilters(liveAt, (p, at) => liveOwner('history.session_id', p, at)))).map(toMessage);
  }

  async historyPages(sessionIds: readonly string[], slice: Slice<number>, liveAt?: string): Promise<Map<string, Message[]>> {
    return mapValues(await this.slicesBySession('historyPages', HISTORY, sessionIds, () => [], slice, (seq) => [seq], liveAt), toMessage);
  }

  /** Serialized here, from the records: the reference behaviour (SQLite builds the JSON in SQL). */
  async historyJson(sessionId: string, slice: Slice<number>, fields: JsonFields<Message>, liveAt?: string): Promise<string> {
    return recordsToJson((await this.historyPages([sessionId], slice, liveAt)).get(sessionId) ?? [], fields);
  }

  async historyCounts(sessionIds: readonly string[], liveAt?: string): Promise<Map<string, number>> {
    return this.countsBySession('historyCounts', 'history', sessionIds, () => [], 'session_id', liveAt);
  }

  async clearHistory(sessionId: string, liveAt?: string): Promise<number> {
    const p = new Params();
    const where = [`session_id = ${p.add(sessionId, 'text')}`, ...liveFilters(liveAt, (q, at) => liveOwner('history.session_id', q, at))(p)];
    return this.transaction(async (client) => {
      const deleted = (await this.query('clearHistory', `DELETE FROM history WHERE ${where.join(' AND ')}`, p.values, client)).rowCount ?? 0;
      const session = deleted > 0 ? await this.sessionAbout(sessionId, client) : null;
      if (session) await this.appendLegacyEvents(client, eventsOf.historyCleared(session, deleted));
      return deleted;
    });
  }

  // --- state ----------------------------------------------------------------------------------

  async statesBySessionIds(sessionIds: readonly string[], liveAt?: string): Promise<State[]> {
    return (await this.byIds('statesBySessionIds', 'state', 'session_id', sessionIds, liveFilters(liveAt, (p, at) => liveOwner('state.session_id', p, at)))).map(toState);
  }

  async putState(s: NewState, liveAt?: string): Promise<State | null> {
    let stored: State | null = null;
    const exists = await this.ifSessionExists(() =>
      this.transaction(async (client) => {
        // No row when the session is expired at liveAt ($4 null: every session is live).
        const { rows } = await this.query(
          'putState',
          `INSERT INTO state (session_id, data, updated_at, version)
           SELECT $1, $2, $3, 1 WHERE $4::timestamptz IS NULL
             OR EXISTS (SELECT 1 FROM sessions WHERE id = $1 AND (expires_at IS NULL OR expires_at > $4::timestamptz))
           ON CONFLICT (session_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, version = state.version + 1
           RETURNING version, (SELECT agent_name FROM sessions WHERE id = $1) AS agent_name`,
          [s.sessionId, JSON.stringify(s.data), s.updatedAt, liveAt ?? null],
          client,
        );
        if (!rows[0]) return;
        stored = { ...s, version: Number(rows[0].version) };
        await this.appendLegacyEvents(client, eventsOf.stateWritten(rows[0].agent_name as string, stored));
      }),
    );
    return exists ? stored : null;
  }

  /**
   * Read-modify-write in one transaction: the state row is locked (`FOR UPDATE`) while `change`
   * runs, so every other write of it waits. Without a row, the session is locked against deletion
   * and the state inserted; should another writer create it first, the insert does nothing and the
   * whole step is tried again, this time against that writer's state.
   */
  async modifyState(sessionId: string, change: (current: State | null) => Json, updatedAt: string, liveAt?: string): Promise<State | null> {
    for (let attempt = 0; attempt < MODIFY_ATTEMPTS; attempt++) {
      let stored: State | null | undefined;
      const exists = await this.ifSessionExists(async () => {
        stored = await this.transaction(async (client): Promise<State | null | undefined> => {
          if (liveAt !== undefined) {
            const p = new Params();
            const alive = await this.query('sessionLive', `SELECT 1 FROM sessions WHERE id = ${p.add(sessionId, 'text')} AND ${live(p, liveAt)}`, p.values, client);
            if (alive.rows.length === 0) return null;
          }
          // The session's agent comes with the lock: its events need it, and a round trip less
          // while the state is locked.
          const { rows } = await this.query(
            'lockState',
            'SELECT state.*, (SELECT agent_name FROM sessions WHERE id = $1) AS agent_name FROM state WHERE session_id = $1 FOR UPDATE',
            [sessionId],
            client,
          );
          const current = rows[0] ? toState(rows[0]) : null;
          let agentName = rows[0]?.agent_name as string | undefined;
          if (!current) {
            const session = await this.query('lockSessionForState', 'SELECT agent_name FROM sessions WHERE id = $1 FOR KEY SHARE', [sessionId], client);
            if (session.rows.length === 0) return null;
            agentName = session.rows[0]!.agent_name as string;
          }
          const data = change(current);
          const version = (current?.version ?? 0) + 1;
          const state = { sessionId, data, updatedAt, version };
          const events = eventsOf.stateWritten(agentName!, state);
          const written = current
            ? await this.writeWithEvents(
                'updateState',
                'UPDATE state SET data = $2, updated_at = $3, version = $4 WHERE session_id = $1 RETURNING 1',
                [sessionId, JSON.stringify(data), updatedAt, version],
                events,
                client,
              )
            : await this.writeWithEvents(
                'createState',
                'INSERT INTO state (session_id, data, updated_at, version) VALUES ($1, $2, $3, $4) ON CONFLICT (session_id) DO NOTHING RETURNING 1',
                [sessionId, JSON.stringify(data), updatedAt, version],
                events,
                client,
              );
          if (written !== 1) return undefined; // created meanwhile
          return state;
        });
      });
      if (!exists) return null;
      if (stored !== undefined) return stored;
    }
    throw new UnavailableError('The state is being created and deleted too quickly to be written; retry shortly', 1);
  }

  async deleteState(sessionId: string, liveAt?: string): Promise<boolean> {
    const p = new Params();
    const where = [`session_id = ${p.add(sessionId, 'text')}`, ...liveFilters(liveAt, (q, at) => liveOwner('state.session_id', q, at))(p)];
    return this.transaction(async (client) => {
      const { rowCount } = await this.query('deleteState', `DELETE FROM state WHERE ${where.join(' AND ')}`, p.values, client);
      if (!rowCount) return false;
      await this.appendLegacyEvents(client, eventsOf.stateDeleted((await this.sessionAbout(sessionId, client))!));
      return true;
    });
  }

  /** The id and agent of a session (for its events), or null. */
  private async sessionAbout(id: string, client: pg.PoolClient): Promise<{ id: string; agentName: string } | null> {
    const { rows } = await this.query('sessionAbout', 'SELECT agent_name FROM sessions WHERE id = $1', [id], client);
    return rows[0] ? { id, agentName: rows[0].agent_name as string } : null;
  }

  /** Runs an insert whose foreign key names a session; false when that session does not exist. */
  private async ifSessionExists(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === FOREIGN_KEY_VIOLATION) return false;
      throw error;
    }
  }

  // --- forks ----------------------------------------------------------------------------------

  /**
   * One transaction. The parent row is locked against deletion (`FOR KEY SHARE`, which appends and
   * updates do not wait for); the history up to the cut cannot change but by deletion, so the copy
   * is the prefix as it was cut.
   */
  async forkSession(parentId: string, upToMessageId: string, build: (source: ForkSource) => SessionBundle, liveAt?: string): Promise<ForkOutcome> {
    return this.transaction(async (client): Promise<ForkOutcome> => {
      const parent = await this.query(
        'forkParent',
        'SELECT * FROM sessions WHERE id = $1 AND ($2::timestamptz IS NULL OR expires_at IS NULL OR expires_at > $2::timestamptz) FOR KEY SHARE',
        [parentId, liveAt ?? null],
        client,
      );
      if (!parent.rows[0]) return { missing: 'session' };
      const cutRows = await this.query('forkCut', 'SELECT * FROM history WHERE id = $1 AND session_id = $2', [upToMessageId, parentId], client);
      if (!cutRows.rows[0]) return { missing: 'message' };
      const cut = toMessage(cutRows.rows[0]);
      const history = await this.query(
        'forkHistory',
        'SELECT * FROM history WHERE session_id = $1 AND seq <= $2::bigint ORDER BY seq',
        [parentId, cut.seq],
        client,
      );
      const state = await this.query('forkState', 'SELECT * FROM state WHERE session_id = $1', [parentId], client);
      const artifacts = await this.query('forkArtifacts', 'SELECT * FROM artifacts WHERE session_id = $1 ORDER BY id', [parentId], client);
      const fork = build({
        parent: toSession(parent.rows[0]),
        cut,
        messages: history.rows.map(toMessage),
        state: state.rows[0] ? toState(state.rows[0]) : null,
        artifacts: artifacts.rows.map(toArtifact),
      });
      await this.insertBundle(fork, client);
      await this.appendLegacyEvents(client, eventsOf.sessionInserted(fork.session));
      return { fork };
    });
  }

  /** Writes a new session with its records exactly as given (ids, seq, versions, timestamps). */
  private async insertBundle({ session: s, messages, state, artifacts }: SessionBundle, client: pg.PoolClient): Promise<void> {
    await this.query(
      'insertForkSession',
      `INSERT INTO sessions (id, agent_name, user_id, created_at, updated_at, status, metadata, last_seq, parent_id, forked_from_message_id, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        s.id, s.agentName, s.userId, s.createdAt, s.updatedAt, s.status, JSON.stringify(s.metadata),
        messages.reduce((max, m) => Math.max(max, m.seq), 0), s.parentId, s.forkedFromMessageId, s.expiresAt,
      ],
      client,
    );
    for (let i = 0; i < messages.length; i += IMPORT_CHUNK) {
      await this.insertMessages('insertForkMessages', messages.slice(i, i + IMPORT_CHUNK), client, '');
    }
    if (state) {
      await this.query(
        'insertForkState',
        'INSERT INTO state (session_id, data, updated_at, version) VALUES ($1, $2, $3, $4)',
        [s.id, JSON.stringify(state.data), state.updatedAt, state.version],
        client,
      );
    }
    for (let i = 0; i < artifacts.length; i += IMPORT_CHUNK) {
      const chunk = artifacts.slice(i, i + IMPORT_CHUNK);
      await this.query(
        'insertForkArtifacts',
        `INSERT INTO artifacts (id, session_id, name, type, path, size, created_at, metadata)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::timestamptz[], $8::json[])`,
        [
          chunk.map((a) => a.id),
          chunk.map((a) => a.sessionId),
          chunk.map((a) => a.name),
          chunk.map((a) => a.type),
          chunk.map((a) => a.path),
          chunk.map((a) => a.size),
          chunk.map((a) => a.createdAt),
          chunk.map((a) => JSON.stringify(a.metadata)),
        ],
        client,
      );
    }
  }

  // --- artifacts ------------------------------------------------------------------------------

  async insertArtifact(a: Artifact, liveAt?: string): Promise<boolean> {
    let inserted = false;
    const exists = await this.ifSessionExists(() =>
      this.transaction(async (client) => {
        // No row when the session is expired at liveAt ($9 null: every session is live).
        const { rows } = await this.query(
          'insertArtifact',
          `INSERT INTO artifacts (id, session_id, name, type, path, size, created_at, metadata)
           SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE $9::timestamptz IS NULL
             OR EXISTS (SELECT 1 FROM sessions WHERE id = $2 AND (expires_at IS NULL OR expires_at > $9::timestamptz))
           RETURNING (SELECT agent_name FROM sessions WHERE id = $2) AS agent_name`,
          [a.id, a.sessionId, a.name, a.type, a.path, a.size, a.createdAt, JSON.stringify(a.metadata), liveAt ?? null],
          client,
        );
        if (!rows[0]) return;
        inserted = true;
        await this.appendLegacyEvents(client, eventsOf.artifactInserted(rows[0].agent_name as string, a));
      }),
    );
    return exists && inserted;
  }

  async artifactsByIds(ids: readonly string[], liveAt?: string): Promise<Artifact[]> {
    return (await this.byIds('artifactsByIds', 'artifacts', 'id', ids, liveFilters(liveAt, (p, at) => liveOwner('artifacts.session_id', p, at)))).map(toArtifact);
  }

  async artifactPages(sessionIds: readonly string[], slice: Slice<string>, liveAt?: string): Promise<Map<string, Artifact[]>> {
    return mapValues(await this.slicesBySession('artifactPages', ARTIFACTS, sessionIds, () => [], slice, (id) => [id], liveAt), toArtifact);
  }

  async artifactCounts(sessionIds: readonly string[], liveAt?: string): Promise<Map<string, number>> {
    return this.countsBySession('artifactCounts', 'artifacts', sessionIds, () => [], 'session_id', liveAt);
  }

  async deleteArtifact(id: string, liveAt?: string): Promise<boolean> {
    const p = new Params();
    const where = [`id = ${p.add(id, 'text')}`, ...liveFilters(liveAt, (q, at) => liveOwner('artifacts.session_id', q, at))(p)];
    return this.transaction(async (client) => {
      const { rows } = await this.query(
        'deleteArtifact',
        `DELETE FROM artifacts WHERE ${where.join(' AND ')} RETURNING *, (SELECT agent_name FROM sessions s WHERE s.id = artifacts.session_id) AS agent_name`,
        p.values,
        client,
      );
      if (!rows[0]) return false;
      await this.appendLegacyEvents(client, eventsOf.artifactDeleted(rows[0].agent_name as string, toArtifact(rows[0])));
      return true;
    });
  }

  // --- metrics --------------------------------------------------------------------------------

  async insertMetrics(metrics: readonly Metric[]): Promise<void> {
    if (metrics.length > 0) await this.metrics.add(metrics);
  }

  /** One multi-row INSERT: atomic on its own, whatever the number of metrics. */
  private async insertMetricRows(name: string, metrics: readonly Metric[], on: Queryable, onConflict: string): Promise<number> {
    const { rowCount } = await this.query(
      name,
      `INSERT INTO metrics (id, entity_type, entity_name, session_id, metric_name, value, timestamp, labels)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::timestamptz[], $8::json[])
       ${onConflict}`,
      metricColumns(metrics),
      on,
    );
    return rowCount ?? 0;
  }

  private metricFilters(filter: MetricFilter, includeSession: boolean) {
    return (p: Params): string[] => {
      const where: string[] = [];
      if (filter.entityType != null) where.push(`entity_type = ${p.add(filter.entityType)}`);
      if (filter.entityName != null) where.push(`entity_name = ${p.add(filter.entityName)}`);
      if (includeSession && filter.sessionId != null) where.push(`session_id = ${p.add(filter.sessionId)}`);
      if (filter.metricName != null) where.push(`metric_name = ${p.add(filter.metricName)}`);
      if (filter.since != null) where.push(`timestamp >= ${p.add(filter.since, 'timestamptz')}`);
      if (filter.until != null) where.push(`timestamp <= ${p.add(filter.until, 'timestamptz')}`);
      return where;
    };
  }

  async listMetrics(filter: MetricFilter, slice: Slice<MetricKey>): Promise<Metric[]> {
    return (await this.slice('listMetrics', METRICS, this.metricFilters(filter, true), slice, metricKey)).map(toMetric);
  }

  async countMetrics(filter: MetricFilter): Promise<number> {
    return this.count('countMetrics', 'metrics', this.metricFilters(filter, true));
  }

  async metricPages(sessionIds: readonly string[], filter: MetricFilter, slice: Slice<MetricKey>): Promise<Map<string, Metric[]>> {
    return mapValues(await this.slicesBySession('metricPages', METRICS, sessionIds, this.metricFilters(filter, false), slice, metricKey), toMetric);
  }

  async metricCounts(sessionIds: readonly string[], filter: MetricFilter): Promise<Map<string, number>> {
    return this.countsBySession('metricCounts', 'metrics', sessionIds, this.metricFilters(filter, false));
  }

  // --- change feed ----------------------------------------------------------------------------

  /**
   * Appends events as the last statement of a write's transaction. Their seqs come from the
   * `event_log` counter row, which this UPDATE locks until COMMIT: a concurrent writer waits here
   * for this transaction to commit before it gets the next numbers, so seq order is commit order
   * and a reader never sees seq N before every lower seq is visible. Taking the counter last keeps
   * the lock short and makes it the last lock of every writer (no deadlock: whoever holds it waits
   * for nothing else). The NOTIFY is queued in the same transaction and delivered on commit.
   */
  private async appendLegacyEvents(client: pg.PoolClient, events: readonly NewEvent[]): Promise<void> {
    await this.writeWithEvents('appendEvents', 'SELECT 1', [], events, client);
  }

  /**
   * One statement: `write` (a data-modifying statement that RETURNs a row per row written, as the
   * CTE `written`), then — only if it wrote — `events` and their NOTIFY (see `appendEvents`). The
   * counter's UPDATE depends on `written`, so the write's own locks are always taken first. How
   * many rows were written. In a transaction (`on` a client), the waiters are woken after COMMIT.
   */
  private async writeWithEvents(name: string, write: string, params: unknown[], events: readonly NewEvent[], on: pg.PoolClient): Promise<number> {
    const p = (i: number) => `$${params.length + i}`;
    const { rows } = await this.query(
      name,
      `WITH written AS (${write}), counter AS (
         UPDATE event_log SET last_seq = last_seq + ${p(1)}::bigint WHERE id = 1 AND ${p(1)}::bigint > 0 AND EXISTS (SELECT 1 FROM written)
         RETURNING last_seq
       ), logged AS (
         INSERT INTO events (seq, type, session_id, agent_name, time, payload)
         SELECT counter.last_seq - ${p(1)}::bigint + e.ord, e.type, e.session_id, e.agent_name, now(), e.payload
         FROM counter, unnest(${p(2)}::text[], ${p(3)}::text[], ${p(4)}::text[], ${p(5)}::json[])
           WITH ORDINALITY AS e(type, session_id, agent_name, payload, ord)
         RETURNING 1
       )
       SELECT (SELECT COUNT(*) FROM written) AS written,
         (SELECT COUNT(pg_notify(${p(6)}, ${p(7)})) FROM (SELECT 1 FROM logged LIMIT 1) AS any_logged) AS notified`,
      [
        ...params,
        events.length,
        events.map((e) => e.type),
        events.map((e) => e.sessionId),
        events.map((e) => e.agentName),
        events.map((e) => JSON.stringify(eventPayload(e))),
        this.channel,
        notifyPayload(events),
      ],
      on,
    );
    const written = Number(rows[0]?.written ?? 0);
    if (written > 0 && events.length > 0) this.appendedEvents.set(on, touchOf(events, this.appendedEvents.get(on)));
    return written;
  }

  async eventsAfter(scope: EventScope, afterSeq: number, limit: number): Promise<StoredEvent[]> {
    const [column, value] = 'sessionId' in scope ? ['session_id', scope.sessionId] : ['agent_name', scope.agentName];
    const { rows } = await this.query(
      `eventsAfter_${column}`,
      `SELECT * FROM events WHERE ${column} = $1 AND seq > $2::bigint ORDER BY seq LIMIT $3::bigint`,
      [value, afterSeq, limit],
    );
    return rows.map(toEvent);
  }

  async eventLog(): Promise<EventLog> {
    const { rows } = await this.query('eventLog', 'SELECT last_seq, pruned_through FROM event_log', []);
    return { lastSeq: Number(rows[0]?.last_seq ?? 0), prunedThrough: Number(rows[0]?.pruned_through ?? 0) };
  }

  async pruneEvents(before: string, limit: number): Promise<number> {
    const { rows } = await this.query(
      'pruneEvents',
      `WITH doomed AS (
         SELECT seq FROM events WHERE time < $1::timestamptz ORDER BY time, seq LIMIT $2::bigint
       ), upto AS (
         SELECT MAX(seq) AS seq FROM doomed
       ), deleted AS (
         DELETE FROM events WHERE seq <= (SELECT seq FROM upto) RETURNING 1
       ), moved AS (
         UPDATE event_log SET pruned_through = GREATEST(pruned_through, (SELECT seq FROM upto))
         WHERE id = 1 AND (SELECT seq FROM upto) IS NOT NULL RETURNING 1
       )
       SELECT (SELECT COUNT(*) FROM deleted) AS n, (SELECT COUNT(*) FROM moved) AS m`,
      [before, limit],
    );
    return Number(rows[0]?.n ?? 0);
  }

  onEvents(wake: (touch: EventTouch | null) => void): () => void {
    if (this.closed) return () => {};
    this.eventWaiters.add(wake);
    if (!this.listener) this.startListening();
    return () => void this.eventWaiters.delete(wake);
  }

  private wakeEventWaiters(touch: EventTouch | null): void {
    for (const wake of [...this.eventWaiters]) wake(touch);
  }

  /**
   * One dedicated connection per backend LISTENs on this schema's channel, so that events written
   * through other replicas wake this one's readers. When it fails it is replaced (backing off up
   * to 5 s); once listening again every reader is woken, to catch up on what it may have missed.
   */
  private startListening(): void {
    const listener = (this.listener = { client: null as pg.Client | null, retry: null as NodeJS.Timeout | null, failures: 0 });
    const connect = async () => {
      listener.retry = null;
      if (this.closed || this.listener !== listener) return;
      const client = new pg.Client({
        connectionString: this.options.connectionString,
        connectionTimeoutMillis: 10_000,
        ...(this.options.schema ? { options: `-c search_path=${quoteIdent(this.options.schema)}` } : {}),
      });
      let failed = false;
      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        listener.client = null;
        client.end().catch(() => {});
        if (this.closed || this.listener !== listener) return;
        this.options.onListenError?.(error);
        const delay = Math.min(5000, 100 * 2 ** listener.failures++);
        listener.retry = setTimeout(() => void connect(), delay);
        listener.retry.unref();
      };
      client.on('error', fail);
      client.on('end', () => fail(new Error('LISTEN connection ended')));
      client.on('notification', (message) => this.wakeEventWaiters(touchFromPayload(message.payload)));
      try {
        await client.connect();
        await client.query(`LISTEN ${quoteIdent(this.channel)}`);
      } catch (error) {
        fail(error as Error);
        return;
      }
      if (this.closed || this.listener !== listener) {
        failed = true;
        await client.end().catch(() => {});
        return;
      }
      listener.client = client;
      listener.failures = 0;
      this.wakeEventWaiters(null); // whatever was committed while nobody listened
    };
    void connect();
  }

  private async stopListening(): Promise<void> {
    const listener = this.listener;
    this.listener = null;
    if (!listener) return;
    if (listener.retry) clearTimeout(listener.retry);
    const client = listener.client;
    listener.client = null;
    await client?.end().catch(() => {});
  }

  // --- moving data ----------------------------------------------------------------------------

  async importSession(bundle: SessionBundle): Promise<ImportCounts> {
    checkSessionBundle(bundle);
    const { session: s, messages, state, artifacts } = bundle;
    return this.transaction(async (client) => {
      const sessions =
        (
          await this.query(
            'importSession',
            // The parent only when it is there already (see linkParents).
            `INSERT INTO sessions (id, agent_name, user_id, created_at, updated_at, status, metadata, parent_id, forked_from_message_id, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT id FROM sessions WHERE id = $8), $9, $10)
             ON CONFLICT (id) DO NOTHING`,
            [s.id, s.agentName, s.userId, s.createdAt, s.updatedAt, s.status, JSON.stringify(s.metadata), s.parentId, s.forkedFromMessageId, s.expiresAt],
            client,
          )
        ).rowCount ?? 0;
      // Later appends must continue after the imported history, never reuse its numbers.
      const maxSeq = messages.reduce((max, m) => Math.max(max, m.seq), 0);
      await this.query('importLastSeq', 'UPDATE sessions SET last_seq = GREATEST(last_seq, $1) WHERE id = $2', [maxSeq, s.id], client);
      let imported = 0;
      try {
        for (let i = 0; i < messages.length; i += IMPORT_CHUNK) {
          imported += await this.insertMessages('importMessages', messages.slice(i, i + IMPORT_CHUNK), client, 'ON CONFLICT (id) DO NOTHING');
        }
      } catch (error) {
        if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
          const what = (error as { constraint?: unknown }).constraint === 'idx_history_idempotency' ? 'idempotency keys' : 'positions (seq)';
          throw new ConflictError(`Session ${s.id} already has a different message at one of the imported ${what}`);
        }
        throw error;
      }
      const states = state
        ? ((
            await this.query(
              'importState',
              'INSERT INTO state (session_id, data, updated_at, version) VALUES ($1, $2, $3, $4) ON CONFLICT (session_id) DO NOTHING',
              [state.sessionId, JSON.stringify(state.data), state.updatedAt, state.version],
              client,
            )
          ).rowCount ?? 0)
        : 0;
      let importedArtifacts = 0;
      for (const a of artifacts) {
        importedArtifacts +=
          (
            await this.query(
              'importArtifact',
              `INSERT INTO artifacts (id, session_id, name, type, path, size, created_at, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
               ON CONFLICT (id) DO NOTHING`,
              [a.id, a.sessionId, a.name, a.type, a.path, a.size, a.createdAt, JSON.stringify(a.metadata)],
              client,
            )
          ).rowCount ?? 0;
      }
      return { sessions, messages: imported, states, artifacts: importedArtifacts };
    });
  }

  async importMetrics(metrics: readonly Metric[]): Promise<number> {
    if (metrics.length === 0) return 0;
    return this.transaction(async (client) => {
      let imported = 0;
      for (let i = 0; i < metrics.length; i += IMPORT_CHUNK) {
        imported += await this.insertMetricRows('importMetrics', metrics.slice(i, i + IMPORT_CHUNK), client, 'ON CONFLICT (id) DO NOTHING');
      }
      return imported;
    });
  }

  async linkParents(links: readonly ParentLink[]): Promise<number> {
    let linked = 0;
    for (let i = 0; i < links.length; i += IMPORT_CHUNK) {
      const chunk = links.slice(i, i + IMPORT_CHUNK);
      const { rowCount } = await this.query(
        'linkParents',
        `UPDATE sessions s SET parent_id = l.parent_id
         FROM unnest($1::text[], $2::text[]) AS l(id, parent_id)
         WHERE s.id = l.id AND s.parent_id IS NULL AND l.parent_id <> l.id
           AND EXISTS (SELECT 1 FROM sessions p WHERE p.id = l.parent_id)`,
        [chunk.map((l) => l.id), chunk.map((l) => l.parentId)],
      );
      linked += rowCount ?? 0;
    }
    return linked;
  }

  // --- API keys (see ApiKeyStore) -------------------------------------------------------------

  async insertApiKey(k: ApiKey, hash: string): Promise<void> {
    await this.query(
      'insertApiKey',
      'INSERT INTO api_keys (id, tenant, name, scopes, key_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [k.id, k.tenant, k.name, k.scopes, hash, k.createdAt, k.revokedAt],
    );
  }

  async apiKeyByHash(hash: string): Promise<ApiKey | null> {
    const { rows } = await this.query('apiKeyByHash', 'SELECT * FROM api_keys WHERE key_hash = $1', [hash]);
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  async apiKeyById(id: string): Promise<ApiKey | null> {
    const { rows } = await this.query('apiKeyById', 'SELECT * FROM api_keys WHERE id = $1', [id]);
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  async listApiKeys(tenant: string | null): Promise<ApiKey[]> {
    const { rows } = tenant === null
      ? await this.query('listApiKeys', 'SELECT * FROM api_keys ORDER BY id', [])
      : await this.query('listTenantApiKeys', 'SELECT * FROM api_keys WHERE tenant = $1 ORDER BY id', [tenant]);
    return rows.map(toApiKey);
  }

  async revokeApiKey(id: string, revokedAt: string): Promise<boolean> {
    const result = await this.query('revokeApiKey', 'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2', [revokedAt, id]);
    return (result.rowCount ?? 0) > 0;
  }
}

/**
 * What a NOTIFY says: the sessions and agents that got events, as JSON `[sessionIds, agentNames]`,
 * so that other replicas wake only their readers. NOTIFY payloads must stay under 8000 bytes: a
 * larger one is sent empty, which wakes every reader (see `touchFromPayload`).
 */
function notifyPayload(events: readonly NewEvent[]): string {
  const { sessionIds, agentNames } = touchOf(events);
  const payload = JSON.stringify([[...sessionIds], [...agentNames]]);
  return Buffer.byteLength(payload) < 7900 ? payload : '';
}

function touchFromPayload(payload: string | undefined): EventTouch | null {
  try {
    const [sessionIds, agentNames] = JSON.parse(payload ?? '') as [string[], string[]];
    if (!Array.isArray(sessionIds) || !Array.isArray(agentNames)) return null;
    return { sessionIds: new Set(sessionIds), agentNames: new Set(agentNames) };
  } catch {
    return null;
  }
}

/** Rows (messages, metrics) per group-committed statement (see `GroupCommitQueue`). */
const BATCH_ROWS = 1000;

/** Rows per multi-row INSERT while importing: bounds the size of one statement's parameters. */
const IMPORT_CHUNK = 1000;

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
/** Rounds of `modifyState` against a state created (and deleted) by others meanwhile. */
const MODIFY_ATTEMPTS = 10;

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** host:port/database (and schema) for error messages — never the password. */
function describeTarget(connectionString: string, schema: string | undefined): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname || 'localhost'}:${url.port || 5432}${url.pathname}${schema ? ` (schema ${schema})` : ''}`;
  } catch {
    return '(unparseable connection string)';
  }
}

// --- rows → records --------------------------------------------------------------------------

/** PostgreSQL text cannot hold NUL: such content is stored JSON-encoded (`content_encoding = 1`). */
function encodeContent(content: string): string {
  return content.includes('\u0000') ? JSON.stringify(content) : content;
}

function mapValues<T>(rows: Map<string, Row[]>, convert: (row: Row) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const [id, list] of rows) out.set(id, list.map(convert));
  return out;
}

const metricKey = (key: MetricKey): unknown[] => [key.timestamp, key.id];
const iso = (value: unknown): string => (value as Date).toISOString();
const isoOrNull = (value: unknown): string | null => (value == null ? null : iso(value));

function toApiKey(r: Row): ApiKey {
  return {
    id: r.id as string,
    tenant: r.tenant as string,
    name: r.name as string | null,
    scopes: r.scopes as ApiKeyScope[],
    createdAt: iso(r.created_at),
    revokedAt: isoOrNull(r.revoked_at),
  };
}

function toSession(r: Row): Session {
  return {
    id: r.id as string,
    agentName: r.agent_name as string,
    userId: r.user_id as string | null,
    status: r.status as Session['status'],
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    metadata: r.metadata as JsonObject,
    parentId: (r.parent_id as string | null) ?? null,
    forkedFromMessageId: (r.forked_from_message_id as string | null) ?? null,
    expiresAt: isoOrNull(r.expires_at),
  };
}

function toMessage(r: Row): Message {
  return {
    id: r.id as string,
    sessionId: r.session_id as string,
    seq: Number(r.seq),
    role: r.role as Message['role'],
    content: Number(r.content_encoding) === 1 ? (JSON.parse(r.content as string) as string) : (r.content as string),
    timestamp: iso(r.timestamp),
    metadata: r.metadata as JsonObject,
    idempotencyKey: (r.idempotency_key as string | null) ?? null,
  };
}

function toState(r: Row): State {
  return { sessionId: r.session_id as string, data: r.data as Json, updatedAt: iso(r.updated_at), version: Number(r.version) };
}

function toArtifact(r: Row): Artifact {
  return {
    id: r.id as string,
    sessionId: r.session_id as string,
    name: r.name as string,
    type: r.type as string,
    path: r.path as string,
    size: Number(r.size),
    createdAt: iso(r.created_at),
    metadata: r.metadata as JsonObject,
  };
}

function toMetric(r: Row): Metric {
  return {
    id: r.id as string,
    entityType: r.entity_type as string,
    entityName: r.entity_name as string,
    sessionId: r.session_id as string | null,
    metricName: r.metric_name as string,
    value: Number(r.value),
    timestamp: iso(r.timestamp),
    labels: r.labels as JsonObject,
  };
}

function toEvent(r: Row): StoredEvent {
  return storedEvent({
    seq: Number(r.seq),
    type: r.type as string,
    sessionId: r.session_id as string,
    agentName: r.agent_name as string,
    time: iso(r.time),
    payload: r.payload as Json,
  });
}
