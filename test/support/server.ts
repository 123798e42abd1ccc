import { pino } from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { SqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import { Storage } from '../../src/storage/storage.js';
import { ManualClock, tempDatabase } from './fixtures.js';

export interface TestServer {
  url: string;
  clock: ManualClock;
  backend: SqliteBackend;
  storage: Storage;
  config: Config;
  /** Names of the SQL statements run since the last `resetQueries()`. */
  queries: string[];
  resetQueries(): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on a free port over a real SQLite file, as a client sees it.
 * `env` overrides configuration the way the environment would.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const db = tempDatabase();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `sqlite:${db.filename}`, LOG_LEVEL: 'silent', ...env });
  const queries: string[] = [];
  const clock = new ManualClock();
  const backend = new SqliteBackend({ filename: db.filename, onQuery: (name) => queries.push(name) });
  const storage = new Storage(backend, clock, createIdGenerator(clock));
  const running: RunningServer = await startServer({ storage, config, logger: pino({ level: 'silent' }) });
  return {
    url: running.url,
    clock,
    backend,
    storage,
    config,
    queries,
    resetQueries: () => void queries.splice(0),
    async close() {
      await running.close();
      await backend.close();
      db.cleanup();
    },
  };
}
