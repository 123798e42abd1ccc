import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { systemClock } from './domain/clock.js';
import { createIdGenerator } from './domain/ids.js';
import { startServer } from './server.js';
import { openBackend, openCacheStore } from './storage/open.js';
import { Storage } from './storage/storage.js';
import { SERVICE } from './version.js';

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

  let backend;
  let cache;
  try {
    backend = await openBackend(config.database, {
      sqliteBusyTimeoutMs: config.sqliteBusyTimeoutMs,
      pgPoolSize: config.pgPoolSize,
      onPoolError: (error) => logger.warn({ err: error.message }, 'a pooled database connection failed; it will be replaced'),
    });
    cache = await openCacheStore(config, backend);
  } catch (error) {
    logger.fatal({ database: config.database.kind, cache: config.cacheBackend }, (error as Error).message);
    process.exit(1);
  }
  const storage = new Storage(backend, systemClock, createIdGenerator(systemClock), cache.store);
  const running = await startServer({ storage, config, logger });
  logger.info({ url: running.url, backend: backend.kind, cache: config.cacheBackend, version: SERVICE.version }, 'agent storage listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Bounded: a stuck client must not keep the process (and the database) open forever.
    const deadline = setTimeout(() => running.server.closeAllConnections(), 10_000);
    deadline.unref();
    await running.close().catch((error: unknown) => logger.error({ err: error }, 'error while closing the server'));
    await cache.close();
    await backend.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`agent storage failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
