import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Row } from '../../db/runner.js';
import { PostgresRunner, type Queryable } from '../../db/postgres/runner.js';
import { ConflictError, InsufficientStorageError, UnavailableError, ValidationError } from '../../domain/errors.js';
import { eventPayload, eventsOf, type NewEvent, touchOf } from '../../domain/events.js';
import type { SessionFilter } from '../../domain/inputs.js';
import type { Json, JsonObject } from '../../domain/json.js';
import type { Artifact, Message, Session, State } from '../../domain/records.js';
import type {
  ForkOutcome,
  ForkSource,
  ImportCounts,
  ParentLink,
  SessionBundle,
  Slice,
  StorageBackend,
} from '../backend.js';
import { checkSessionBundle } from '../bundle-rules.js';
import { migrations } from './migrations.js';
import { type AppendEvents, eventAppender } from '../../modules/events/append.js';
import { PostgresListen } from '../../modules/events/postgres-listen.js';
import { EventWaiters } from '../../modules/events/waiters.js';
import { codecs } from '../../db/codec.js';
import { artifactFromRow } from '../../modules/artifacts/store.js';
import { openStores, type Stores } from '../stores.js';
import { contentEncoding, encodeContent, messageOf } from '../../modules/history/messages.js';

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

  /** The change feed's waiting readers; other replicas are heard on a LISTEN connection (`PostgresListen`). */
  readonly eventWaiters = new EventWaiters();
  /** Transactions (by connection) that appended events, and for whom: wake the waiters after their COMMIT. */
  private readonly appendedEvents = new WeakMap<pg.PoolClient, ReturnType<typeof touchOf>>();
  /**
   * NOTIFY channel of this schema's events: replicas on the same schema hear each other, tenants
   * (schemas) do not. Hashed, as channel names are identifiers of at most 63 bytes.
   */
  private readonly channel: string;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresOptions,
  ) {
    this.runner = new PostgresRunner(pool, {
      onQuery: options.onQuery,
      onTransactionEnd: (client, committed) => {
        const touched = this.appendedEvents.get(client);
        this.appendedEvents.delete(client);
        if (committed && touched) this.eventWaiters.wake(touched);
      },
    });
    this.channel = `agent_storage_events_${createHash('sha256').update(options.schema ?? '').digest('hex').slice(0, 24)}`;
    this.eventWaiters.listenWith(
      new PostgresListen(
        {
          newClient: () =>
            new pg.Client({
              connectionString: options.connectionString,
              connectionTimeoutMillis: 10_000,
              ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
            }),
          channel: this.channel,
          onError: options.onListenError,
        },
        (touch) => this.eventWaiters.wake(touch),
      ),
    );
    this.appendEvents = eventAppender('postgres', { channel: this.channel, wake: (touch) => this.eventWaiters.wake(touch) });
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
    // Queued writes are committed (and their callers answered) first.
    await Promise.all([this.stores.history.idle(), this.stores.metrics.idle()]);
    await this.eventWaiters.close();
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
        messages.map((m) => contentEncoding(m.content)),
        messages.map((m) => m.timestamp),
        messages.map((m) => JSON.stringify(m.metadata)),
        messages.map((m) => m.idempotencyKey),
      ],
      client,
    );
    return rowCount ?? 0;
  }

  /** The id and agent of a session (for its events), or null. */
  private async sessionAbout(id: string, client: pg.PoolClient): Promise<{ id: string; agentName: string } | null> {
    const { rows } = await this.query('sessionAbout', 'SELECT agent_name FROM sessions WHERE id = $1', [id], client);
    return rows[0] ? { id, agentName: rows[0].agent_name as string } : null;
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


/** Rows per multi-row INSERT while importing: bounds the size of one statement's parameters. */
const IMPORT_CHUNK = 1000;

const UNIQUE_VIOLATION = '23505';

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

function mapValues<T>(rows: Map<string, Row[]>, convert: (row: Row) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const [id, list] of rows) out.set(id, list.map(convert));
  return out;
}

const iso = (value: unknown): string => (value as Date).toISOString();
const isoOrNull = (value: unknown): string | null => (value == null ? null : iso(value));

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

/** The history module's decoder: the one place that reads a message row (fork copies read them too). */
const toMessage = (r: Row): Message => messageOf(r, codecs.postgres);

const toArtifact = (r: Row): Artifact => artifactFromRow(r, codecs.postgres);

function toState(r: Row): State {
  return { sessionId: r.session_id as string, data: r.data as Json, updatedAt: iso(r.updated_at), version: Number(r.version) };
}

