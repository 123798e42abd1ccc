import type { HistoryCache } from '../../modules/history/cache.js';
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { DatabaseObserver } from '../../db/runner.js';
import { openSqliteConnection, type SqliteConnectionOptions, SqliteRunner } from '../../db/sqlite/runner.js';
import type { StorageBackend } from '../backend.js';
import { migrations } from './migrations.js';
import { type AppendEvents, eventAppender } from '../../modules/events/append.js';
import { SqlitePoll } from '../../modules/events/sqlite-poll.js';
import { EventWaiters } from '../../modules/events/waiters.js';
import { blobFolderOf } from '../../modules/blobs/filesystem.js';
import { registerSearchFunctions } from '../../modules/search/sqlite-functions.js';
import { openStores, type Stores } from '../stores.js';

export interface SqliteOptions extends SqliteConnectionOptions {
  /** Told of every statement and group commit (metrics, traces: observability/). */
  observer?: DatabaseObserver;
  /** Called with the name and SQL of every statement executed (statement counting, query plans). */
  onQuery?: (name: string, sql: string) => void;
  /**
   * While anyone waits for events, how often to look for events appended by other processes on
   * the same file (ms); this process's own are announced at once.
   */
  eventPollMs?: number;
  /** Whether messages are written with their search words (SEARCH_INDEX); default true. */
  searchIndex?: boolean;
  /** The process's history cache (HISTORY_CACHE_BYTES), shared by every database it opens; default none. */
  historyCache?: HistoryCache;
  /** How many versions of each state are kept (STATE_HISTORY_VERSIONS); default 100, 0: none. */
  stateHistoryVersions?: number;
  /** Where artifact content goes: by default files in `<file>-blobs/` (chunks in the database for `:memory:`). */
  blobStore?: 'filesystem' | 'database';
  /** STORAGE_QUOTA_BYTES; default none. */
  quotaBytes?: number | null;
}

/**
 * The embedded default backend (better-sqlite3). Every method does its work synchronously inside
 * the call — a transaction is never held open across an `await` — and statements are prepared
 * once and reused.
 */
export class SqliteBackend implements StorageBackend {
  readonly kind = 'sqlite' as const;
  /** Runs every statement of this database: the backend's and the module stores'. */
  readonly runner: SqliteRunner;
  readonly appendEvents: AppendEvents;
  readonly stores: Stores;
  private readonly db: Database.Database;
  /** The change feed's waiting readers; other processes on the file are heard by a poll (`SqlitePoll`). */
  readonly eventWaiters = new EventWaiters();

  constructor(options: SqliteOptions) {
    const filename = options.filename === ':memory:' ? ':memory:' : resolve(options.filename);
    let opened: Database.Database | undefined;
    try {
      this.db = opened = openSqliteConnection({ ...options, filename });
      registerSearchFunctions(this.db);
      this.migrate();
    } catch (error) {
      // Do not leak the connection (and its file handles) of a database we refuse to serve.
      opened?.close();
      throw new Error(`Cannot open SQLite database ${filename}: ${(error as Error).message}`, { cause: error });
    }
    this.runner = new SqliteRunner(this.db, { observer: options.observer, onQuery: options.onQuery });
    this.eventWaiters.listenWith(new SqlitePoll(this.db, options.eventPollMs ?? 250, (touch) => this.eventWaiters.wake(touch)));
    this.appendEvents = eventAppender('sqlite', { channel: '', wake: (touch) => this.eventWaiters.wake(touch) });
    const folder = filename === ':memory:' ? null : blobFolderOf(filename);
    this.stores = openStores(this.runner, this.appendEvents, {
      searchIndex: options.searchIndex ?? true,
      historyCache: options.historyCache,
      stateHistoryVersions: options.stateHistoryVersions,
      blobs: { store: options.blobStore ?? (folder ? 'filesystem' : 'database'), folder, quotaBytes: options.quotaBytes ?? null },
    });
  }

  /** The pragmas in force, for the durability tests. */
  settings(): { journalMode: string; synchronous: number; foreignKeys: number; cacheKib: number; schemaVersion: number } {
    return {
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: Number(this.db.pragma('synchronous', { simple: true })),
      foreignKeys: Number(this.db.pragma('foreign_keys', { simple: true })),
      cacheKib: -Number(this.db.pragma('cache_size', { simple: true })),
      schemaVersion: this.schemaVersion(),
    };
  }

  private schemaVersion(): number {
    const row = this.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
    return row.v ?? 0;
  }

  /**
   * Applies pending migrations, each in its own transaction. The version is read inside the same
   * IMMEDIATE transaction that applies the next migration, so two processes opening a fresh file
   * at once take turns instead of both creating the tables.
   */
  private migrate(): void {
    const latest = migrations.at(-1)?.version ?? 0;
    for (;;) {
      const applied = this.db.transaction(() => {
        this.db.exec(
          'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
        );
        const current = this.schemaVersion();
        if (current > latest) {
          throw new Error(`database schema version ${current} is newer than this server supports (${latest}); upgrade the server`);
        }
        const next = migrations.find((m) => m.version > current);
        if (!next) return false;
        this.db.exec(next.sql);
        this.db
          .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(next.version, next.name, new Date().toISOString());
        return true;
      }).immediate();
      if (!applied) return;
    }
  }

  async ping(): Promise<void> {
    this.runner.selectOne('ping', 'SELECT 1');
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    // Cache reads' pending touches are written (a lost one is only an older accessed_at).
    await this.stores.cache.flush().catch(() => {});
    if (!this.db.open) return;
    void this.eventWaiters.close(); // the poll stops at once
    this.runner.flush(); // writes already queued are committed (and their callers answered) first
    this.db.close();
  }
}
