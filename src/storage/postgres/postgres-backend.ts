import type { HistoryCache } from '../../modules/history/cache.js';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { PostgresRunner } from '../../db/postgres/runner.js';
import type { DatabaseObserver } from '../../db/runner.js';
import type { StorageBackend } from '../backend.js';
import { migrations } from './migrations.js';
import { type AppendEvents, eventAppender } from '../../modules/events/append.js';
import { PostgresListen } from '../../modules/events/postgres-listen.js';
import { EventWaiters } from '../../modules/events/waiters.js';
import { openStores, type Stores } from '../stores.js';

export interface PostgresOptions {
  /** A `postgres://` connection string (without our own `schema` parameter). */
  connectionString: string;
  /** Keep every table in this schema (created if missing) instead of the connection's default. */
  schema?: string;
  /** Connections in the pool. */
  poolSize?: number;
  /** Told of every statement and group commit (metrics, traces: observability/). */
  observer?: DatabaseObserver;
  /** Called with the name of every SQL statement executed (statement counting in tests). */
  onQuery?: (name: string) => void;
  /** Errors of idle pooled connections (e.g. the server restarted); the pool replaces them. */
  onPoolError?: (error: Error) => void;
  /** The change feed's LISTEN connection failed; it reconnects by itself. */
  onListenError?: (error: Error) => void;
  /** Whether messages are written with their search words (SEARCH_INDEX); default true. */
  searchIndex?: boolean;
  /** The process's history cache (HISTORY_CACHE_BYTES), shared by every database it opens; default none. */
  historyCache?: HistoryCache;
  /** How many versions of each state are kept (STATE_HISTORY_VERSIONS); default 100, 0: none. */
  stateHistoryVersions?: number;
  /** STORAGE_QUOTA_BYTES; default none. Content is kept in the database (every replica serves it). */
  quotaBytes?: number | null;
}

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
  /**
   * NOTIFY channel of this schema's events: replicas on the same schema hear each other, tenants
   * (schemas) do not. Hashed, as channel names are identifiers of at most 63 bytes.
   */
  private readonly channel: string;

  private constructor(
    private readonly pool: pg.Pool,
    options: PostgresOptions,
  ) {
    this.runner = new PostgresRunner(pool, { observer: options.observer, onQuery: options.onQuery });
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
    this.stores = openStores(this.runner, this.appendEvents, {
      searchIndex: options.searchIndex ?? true,
      historyCache: options.historyCache,
      stateHistoryVersions: options.stateHistoryVersions,
      blobs: { store: 'database', folder: null, quotaBytes: options.quotaBytes ?? null },
    });
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
    await this.runner.query('ping', 'SELECT 1', []);
  }

  async close(): Promise<void> {
    // Queued writes are committed (and their callers answered) first.
    await Promise.all([this.stores.history.idle(), this.stores.metrics.idle(), this.stores.cache.flush().catch(() => {})]);
    await this.eventWaiters.close();
    await this.pool.end();
  }
}

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
