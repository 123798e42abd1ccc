import type { HistoryCache } from '../modules/history/cache.js';
import type { Config, DatabaseConfig } from '../config.js';
import type { DatabaseObserver } from '../db/runner.js';
import type { StorageBackend } from './backend.js';
import type { TenantCache } from '../modules/cache/store.js';
import { SqliteBackend } from './sqlite/sqlite-backend.js';

// The PostgreSQL driver and the Redis client are imported only when configured: loading them
// costs several hundred milliseconds of every start, and the default deployment needs neither.

export interface OpenOptions {
  sqliteBusyTimeoutMs?: number;
  sqliteCacheMb?: number;
  pgPoolSize?: number;
  /** Whether messages are written with their search words (SEARCH_INDEX); default true. */
  searchIndex?: boolean;
  /** How many versions of each state are kept (STATE_HISTORY_VERSIONS); default 100, 0: none. */
  stateHistoryVersions?: number;
  /** Where artifact content goes (BLOB_STORE); by default files with a SQLite file, else the database. */
  blobStore?: 'filesystem' | 'database';
  /** STORAGE_QUOTA_BYTES; default none. */
  quotaBytes?: number | null;
  /** Told of every statement and group commit (metrics, traces: observability/). */
  observer?: DatabaseObserver;
  /** The process's history cache (HISTORY_CACHE_BYTES), shared by every database it opens; default none. */
  historyCache?: HistoryCache;
  onQuery?: (name: string) => void;
  onPoolError?: (error: Error) => void;
  onListenError?: (error: Error) => void;
}

/** The one place that turns a `DATABASE_URL` into a backend (migrated and ready). */
export async function openBackend(database: DatabaseConfig, options: OpenOptions = {}): Promise<StorageBackend> {
  switch (database.kind) {
    case 'sqlite':
      return new SqliteBackend({
        filename: database.filename,
        busyTimeoutMs: options.sqliteBusyTimeoutMs,
        cacheMb: options.sqliteCacheMb,
        observer: options.observer,
        onQuery: options.onQuery,
        searchIndex: options.searchIndex,
        historyCache: options.historyCache,
        stateHistoryVersions: options.stateHistoryVersions,
        blobStore: options.blobStore,
        quotaBytes: options.quotaBytes,
      });
    case 'postgres': {
      const { PostgresBackend } = await import('./postgres/postgres-backend.js');
      return PostgresBackend.open({
        connectionString: database.url,
        schema: database.schema,
        poolSize: options.pgPoolSize,
        searchIndex: options.searchIndex,
        historyCache: options.historyCache,
        stateHistoryVersions: options.stateHistoryVersions,
        quotaBytes: options.quotaBytes,
        observer: options.observer,
        onQuery: options.onQuery,
        onPoolError: options.onPoolError,
        onListenError: options.onListenError,
      });
    }
  }
}

/** Where cache entries live: Redis with `CACHE_BACKEND=redis`, else (null) each tenant's database. */
export async function openCacheStore(
  config: Pick<Config, 'cacheBackend' | 'redisUrl' | 'redisKeyPrefix'>,
): Promise<{ store: TenantCache | null; close(): Promise<void> }> {
  if (config.cacheBackend === 'redis' && config.redisUrl) {
    const { RedisCacheStore } = await import('../modules/cache/redis-store.js');
    const store = await RedisCacheStore.open({ url: config.redisUrl, keyPrefix: `${config.redisKeyPrefix}cache:` });
    return { store, close: () => store.close() };
  }
  return { store: null, close: async () => {} };
}
