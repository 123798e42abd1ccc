import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { type Config, ConfigError, type DatabaseConfig, loadConfig } from './config.js';
import { systemClock } from './domain/clock.js';
import { createIdGenerator } from './domain/ids.js';
import { type RunningServer, startServer } from './server.js';
import { startEventPruning } from './modules/events/retention.js';
import { openBackend, openCacheStore } from './storage/open.js';
import { HistoryCache } from './modules/history/cache.js';
import type { ApiKeyStore } from './modules/keys/store.js';
import { tenantsOver } from './storage/tenants.js';
import { RetentionSweeper } from './modules/retention/sweeper.js';
import { SearchIndexer } from './modules/search/indexer.js';
import { BlobSweeper } from './modules/blobs/sweeper.js';
import { SERVICE } from './version.js';
import { openObservability } from './observability/observability.js';

/**
 * The process: configuration → backend → server; signals and shutdown. A failure to start is one
 * clear log line (naming the file, host or variable at fault) and a non-zero exit code — never a
 * stack trace: 2 for bad configuration, 1 for anything else.
 */
/**
 * The one line that says why the database could not be opened: it names the file (never a
 * password: the PostgreSQL backend's messages name host, port and database) and, for the usual
 * causes, what to do.
 */
function startupFailure(database: DatabaseConfig, error: unknown): string {
  let message = (error as Error)?.message ?? String(error);
  if (database.kind !== 'sqlite' || database.filename === ':memory:') return message;
  const file = resolve(database.filename);
  if (!message.includes(file)) message = `Cannot open SQLite database ${file}: ${message}`;
  const code = String(((error as { cause?: { code?: unknown } }).cause ?? (error as { code?: unknown }))?.code ?? '');
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
    return `${message} (the file is damaged or not a SQLite database: restore it from a backup, or point DATABASE_URL elsewhere)`;
  }
  if (!writable(file)) {
    return `${message} (the file or its folder is read-only: the server writes the database and its -wal and -shm files next to it)`;
  }
  return message;
}

/** Whether the database file (or, if missing, the nearest existing folder above it) may be written. */
function writable(file: string): boolean {
  let path = file;
  while (!existsSync(path) && dirname(path) !== path) path = dirname(path);
  try {
    accessSync(path, constants.W_OK);
    if (path === file) accessSync(dirname(file), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The one line that says why the server could not listen, and for the usual causes which
 * variable to change (the error code alone, EADDRINUSE, leaves a new user guessing).
 */
function listenFailure(host: string, port: number, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `Cannot listen on ${host}:${port}`;
  const otherPort = `PORT=${port < 65535 ? port + 1 : port - 1}`;
  switch (code) {
    case 'EADDRINUSE':
      return `${where}: the port is already in use (another agent-storage?). Stop what uses it, or start on another port, e.g. ${otherPort} npm start`;
    case 'EACCES':
      return `${where}: not allowed to use this port (below 1024 needs privileges). Start on another port, e.g. PORT=8084 npm start`;
    case 'EADDRNOTAVAIL':
      return `${where}: ${host} is not an address of this machine. Set HOST to one of its addresses, e.g. HOST=127.0.0.1 (this machine only) or HOST=0.0.0.0 (every interface)`;
    default:
      return `${where}: ${code ?? (error as Error)?.message ?? String(error)}`;
  }
}

/** Says at start what an operator must know about who can get in. */
async function warnAboutAccess(config: Config, keys: ApiKeyStore, logger: Logger): Promise<void> {
  if (config.auth.mode === 'none') {
    logger.warn({ host: config.host }, 'AUTH_MODE=none: no API keys are checked; anyone who can connect to this machine can read and change all data');
  } else if (config.auth.adminKey === null && (await keys.list(null)).every((k) => k.revokedAt !== null)) {
    logger.warn('AUTH_MODE=apikey but no API key exists: set STORAGE_ADMIN_KEY, or create one with `agent-storage keys create`');
  }
}

/** How soon a repeated signal counts as the same one delivered twice (see `stop` below). */
const DUPLICATE_SIGNAL_MS = 500;

/** How often the search indexer looks again for messages not yet indexed (after a first pass at start-up). */
const SEARCH_INDEX_INTERVAL_MS = 60_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = pino({ level: config.logLevel, base: { service: SERVICE.name } });

  // Before the database: its observer times every statement (and traces them when configured).
  const observability = await openObservability(config);
  let backend;
  let cache;
  // One history cache for the process: every tenant's database takes from the same bytes.
  const historyCache = new HistoryCache(config.historyCacheBytes);
  try {
    backend = await openBackend(config.database, {
      observer: observability.observer,
      sqliteBusyTimeoutMs: config.sqliteBusyTimeoutMs,
      sqliteCacheMb: config.sqliteCacheMb,
      pgPoolSize: config.pgPoolSize,
      searchIndex: config.searchIndex,
      historyCache,
      stateHistoryVersions: config.stateHistoryVersions,
      blobStore: config.blobs.store,
      quotaBytes: config.blobs.quotaBytes,
      onPoolError: (error) => logger.warn({ err: error.message }, 'a pooled database connection failed; it will be replaced'),
      onListenError: (error) => logger.warn({ err: error.message }, 'the change feed lost its LISTEN connection; reconnecting'),
    });
    cache = await openCacheStore(config);
  } catch (error) {
    logger.fatal({ database: config.database.kind, cache: config.cacheBackend }, startupFailure(config.database, error));
    await backend?.close().catch(() => {});
    process.exit(1);
  }
  const tenants = tenantsOver(backend, config, {
    clock: systemClock,
    ids: createIdGenerator(systemClock),
    cache: cache.store ?? undefined,
    observer: observability.observer,
    sqliteBusyTimeoutMs: config.sqliteBusyTimeoutMs,
    sqliteCacheMb: config.sqliteCacheMb,
    pgPoolSize: config.pgPoolSize,
    searchIndex: config.searchIndex,
    historyCache,
    stateHistoryVersions: config.stateHistoryVersions,
    blobStore: config.blobs.store,
    quotaBytes: config.blobs.quotaBytes,
    onPoolError: (error) => logger.warn({ err: error.message }, 'a pooled database connection failed; it will be replaced'),
    onListenError: (error) => logger.warn({ err: error.message }, 'the change feed lost its LISTEN connection; reconnecting'),
    onOpenError: (tenant, error) => logger.error({ tenant, err: (error as Error).message }, 'cannot open a tenant’s database'),
  });
  await warnAboutAccess(config, backend.stores.keys, logger);
  let running: RunningServer;
  try {
    // Ready (GET /ready: 200) once the background jobs below are started too.
    running = await startServer({ storage: tenants.defaultStorage, tenants, config, logger, observability, holdReadiness: true });
  } catch (error) {
    const message = (error as Error)?.message ?? '';
    const metricsAddress = message.startsWith('Cannot listen on METRICS_LISTEN');
    logger.fatal(
      { host: config.host, port: config.port, code: (error as NodeJS.ErrnoException).code },
      metricsAddress ? message : listenFailure(config.host, config.port, error),
    );
    await cache.close().catch(() => {});
    await backend.close().catch(() => {});
    process.exit(1);
  }
  logger.info(
    { url: running.url, ...(running.metricsUrl ? { metricsUrl: running.metricsUrl } : {}), backend: backend.kind, cache: config.cacheBackend, version: SERVICE.version },
    'agent storage listening',
  );
  const sweeper = new RetentionSweeper(
    () => tenants.sweepAll((storage) => storage.retention.run(config.retention)),
    config.retention.intervalSeconds * 1000,
    logger.child({ component: 'retention' }),
  );
  sweeper.start();
  const indexer = new SearchIndexer(
    (work) => tenants.sweepAll((storage) => work(storage.search)),
    SEARCH_INDEX_INTERVAL_MS,
    logger.child({ component: 'search' }),
  );
  indexer.start();
  const blobSweeper = new BlobSweeper(
    (work) => tenants.sweepAll((storage) => work(storage.backend.stores.blobs)),
    config.blobs.sweepIntervalSeconds * 1000,
    config.blobs.sweepGraceSeconds * 1000,
    logger.child({ component: 'blobs' }),
  );
  if (config.blobs.sweepIntervalSeconds > 0) blobSweeper.start();
  const stopPruning = startEventPruning(tenants, { retentionMs: config.events.retentionMs, clock: systemClock, logger });
  running.ready();

  let first: { signal: string; at: number } | null = null;
  const stop = async (signal: string) => {
    if (first) {
      // The same signal again at once is one request delivered twice, not a second one: under
      // `npm start`, a terminal's Ctrl-C reaches both npm and the server, and npm forwards it too.
      if (signal === first.signal && performance.now() - first.at < DUPLICATE_SIGNAL_MS) return;
      // A second signal: do not wait for slow requests any longer (the database is still closed
      // cleanly below).
      logger.warn({ signal }, 'second signal: cutting the requests still running');
      running.server.closeAllConnections();
      return;
    }
    first = { signal, at: performance.now() };
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: finishing in-flight requests');
    stopPruning();
    // Bounded: a stuck client must not keep the process (and the database) open forever. Event
    // streams are ended at once (see startServer).
    const { forced } = await running.close(config.shutdownTimeoutMs);
    // A sweep in progress finishes (each of its writes is short) before the database closes.
    await sweeper.stop();
    await indexer.stop();
    await blobSweeper.stop();
    // Every acknowledged write is committed by now; close the database cleanly (SQLite: checkpoint).
    try {
      await tenants.close();
      await cache.close();
      await backend.close();
    } catch (error) {
      logger.error({ err: error }, 'error while closing the database');
      process.exit(1);
    }
    // The last spans (the drain's requests) go to the collector before the process ends; a
    // collector that is down loses them, which is no reason for a failed exit.
    await observability.close().catch((error: unknown) => logger.warn({ err: (error as Error)?.message }, 'could not send the last traces'));
    logger.info({ forced }, 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  // Not one of the expected failures above: still one line, no stack trace.
  process.stderr.write(`agent storage failed to start: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(1);
});
