import { HistoryCache } from '../../src/modules/history/cache.js';
import { pino } from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import { startServer, type RunningServer } from '../../src/server.js';
import type { DatabaseObserver } from '../../src/db/runner.js';
import { metricsOnly, type Observability } from '../../src/observability/observability.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { PostgresBackend } from '../../src/storage/postgres/postgres-backend.js';
import type { TenantCache } from '../../src/modules/cache/store.js';
import { SqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import type { Storage } from '../../src/storage/storage.js';
import { tenantsOver } from '../../src/storage/tenants.js';
import { ManualClock, tempDatabase } from './fixtures.js';
import { TEST_PG_URL, testSchema } from './postgres.js';
import { throwawayRedisCache } from './redis.js';

/**
 * Which backend the black-box suites run on: `TEST_BACKEND=postgres` runs them on the machine's
 * PostgreSQL (vitest's "postgres" project sets it), `TEST_CACHE=redis` serves the cache from Redis.
 * A suite that covers both databases itself names one per server (`TestServerOptions.backend`).
 */
const TEST_BACKEND = process.env.TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';
const TEST_CACHE = process.env.TEST_CACHE === 'redis' ? 'redis' : 'database';

export interface TestServer {
  url: string;
  clock: ManualClock;
  backend: StorageBackend;
  storage: Storage;
  config: Config;
  /** Names of the SQL statements run since the last `resetQueries()`. */
  queries: string[];
  /** The server itself (its METRICS_LISTEN address, readiness, shutdown). */
  running: RunningServer;
  /** Its metrics (the same registry /metrics serves). */
  observability: Observability;
  resetQueries(): void;
  /**
   * Another server over the same database, as a second replica behind a load balancer would be
   * (its own process state: key cache, event streams, wake-ups; the cache in the database). Close
   * it before this one, which removes the database.
   */
  replica(env?: Record<string, string>, options?: TestServerOptions): Promise<TestServer>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** How often open event streams look their key up again (default: the documented revocation delay). */
  streamKeyCheckMs?: number;
  /** The database of this server, whatever TEST_BACKEND says (a suite that runs on each itself). */
  backend?: 'sqlite' | 'postgres';
  /** `/ready` answers 503 until `TestServer.running.ready()` (as main.ts holds it until started). */
  holdReadiness?: boolean;
}

interface TestDatabase {
  databaseUrl: string;
  /**
   * Opens a backend on it (once per server), recording statement names into `queries`, observed by
   * `observer` (metrics), with the server's history cache.
   */
  open(queries: string[], config: Config, observer: DatabaseObserver, historyCache: HistoryCache): Promise<StorageBackend>;
  cleanup(): Promise<void>;
}

/** A fresh, empty database of the kind under test, opened with the configuration's options (as main.ts opens it). */
function freshDatabase(kind: 'sqlite' | 'postgres' = TEST_BACKEND): TestDatabase {
  const recording = (queries: string[]) => (name: string) => void queries.push(name);
  if (kind === 'postgres') {
    const target = testSchema();
    return {
      databaseUrl: target.url,
      open: (queries, config, observer, historyCache) =>
        PostgresBackend.open({
          connectionString: TEST_PG_URL,
          schema: target.schema,
          poolSize: 5,
          observer,
          onQuery: recording(queries),
          searchIndex: config.searchIndex,
          historyCache,
          stateHistoryVersions: config.stateHistoryVersions,
          quotaBytes: config.blobs.quotaBytes,
        }),
      cleanup: () => target.drop(),
    };
  }
  const db = tempDatabase();
  return {
    databaseUrl: `sqlite:${db.filename}`,
    open: async (queries, config, observer, historyCache) =>
      new SqliteBackend({
        filename: db.filename,
        observer,
        onQuery: recording(queries),
        searchIndex: config.searchIndex,
        historyCache,
        stateHistoryVersions: config.stateHistoryVersions,
        blobStore: config.blobs.store,
        quotaBytes: config.blobs.quotaBytes,
      }),
    cleanup: async () => db.cleanup(),
  };
}

async function freshCache(): Promise<{ cache: TenantCache | undefined; close(): Promise<void> }> {
  if (TEST_CACHE !== 'redis') return { cache: undefined, close: async () => {} };
  return throwawayRedisCache();
}

/**
 * A real HTTP server on a free port over a real database, as a client sees it.
 * `env` overrides configuration the way the environment would.
 */
export async function startTestServer(env: Record<string, string> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const database = freshDatabase(options.backend);
  const { cache, close: closeCache } = await freshCache();
  const cleanup = async () => {
    await closeCache();
    await database.cleanup();
  };
  return serve(database, env, options, { clock: new ManualClock(), cache, cleanup });
}

/** A server over `database` (the first one or a replica); `cleanup` runs after it is closed. */
async function serve(
  database: TestDatabase,
  env: Record<string, string>,
  options: TestServerOptions,
  { clock, cache, cleanup }: { clock: ManualClock; cache: TenantCache | undefined; cleanup(): Promise<void> },
): Promise<TestServer> {
  const queries: string[] = [];
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.databaseUrl, LOG_LEVEL: 'silent', ...env });
  // As main.ts: one observer for every database of the server, the same metrics /metrics serves;
  // one history cache per server (each replica its own), shared by its tenants.
  const observability = metricsOnly(config.database.kind);
  const historyCache = new HistoryCache(config.historyCacheBytes);
  const backend = await database.open(queries, config, observability.observer, historyCache);
  // Other tenants' databases are made next to the default one (a file in the temp folder, a
  // schema named after the test schema), so the cleanup removes them too.
  const tenants = tenantsOver(backend, config, {
    clock,
    ids: createIdGenerator(clock),
    cache,
    searchIndex: config.searchIndex,
    historyCache,
    stateHistoryVersions: config.stateHistoryVersions,
    blobStore: config.blobs.store,
    quotaBytes: config.blobs.quotaBytes,
    onQuery: (name) => void queries.push(name),
    observer: observability.observer,
  });
  const storage = tenants.defaultStorage;
  const running: RunningServer = await startServer({
    storage,
    tenants,
    config,
    clock,
    logger: pino({ level: 'silent' }),
    streamKeyCheckMs: options.streamKeyCheckMs,
    observability,
    holdReadiness: options.holdReadiness,
  });
  return {
    running,
    observability,
    url: running.url,
    clock,
    backend,
    storage,
    config,
    queries,
    resetQueries: () => void queries.splice(0),
    replica: (replicaEnv = env, replicaOptions = options) =>
      serve(database, replicaEnv, replicaOptions, { clock, cache: undefined, cleanup: async () => {} }),
    async close() {
      await running.close();
      await tenants.close();
      await backend.close();
      await cleanup();
    },
  };
}
