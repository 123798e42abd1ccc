import type { Config, DatabaseConfig } from '../config.js';
import type { CacheStore, StorageBackend } from './backend.js';
import { PostgresBackend } from './postgres/postgres-backend.js';
import { RedisCacheStore } from './redis/redis-cache-store.js';
import { SqliteBackend } from './sqlite/sqlite-backend.js';

export interface OpenOptions {
  sqliteBusyTimeoutMs?: number;
  pgPoolSize?: number;
  onQuery?: (name: string) => void;
  onPoolError?: (error: Error) => void;
}

/** The one place that turns a `DATABASE_URL` into a backend (migrated and ready). */
export async function openBackend(database: DatabaseConfig, options: OpenOptions = {}): Promise<StorageBackend> {
  switch (database.kind) {
    case 'sqlite':
      return new SqliteBackend({ filename: database.filename, busyTimeoutMs: options.sqliteBusyTimeoutMs, onQuery: options.onQuery });
    case 'postgres':
      return PostgresBackend.open({
        connectionString: database.url,
        schema: database.schema,
        poolSize: options.pgPoolSize,
        onQuery: options.onQuery,
        onPoolError: options.onPoolError,
      });
  }
}

/** Where cache entries live: the backend itself, or Redis with `CACHE_BACKEND=redis`. */
export async function openCacheStore(
  config: Pick<Config, 'cacheBackend' | 'redisUrl'>,
  backend: StorageBackend,
): Promise<{ store: CacheStore; close(): Promise<void> }> {
  if (config.cacheBackend === 'redis' && config.redisUrl) {
    const store = await RedisCacheStore.open({ url: config.redisUrl });
    return { store, close: () => store.close() };
  }
  return { store: backend, close: async () => {} }; // closed with the backend
}
