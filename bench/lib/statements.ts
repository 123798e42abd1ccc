import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { systemClock } from '../../src/domain/clock.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import { createApp } from '../../src/server.js';
import { openBackend } from '../../src/storage/open.js';
import { Storage } from '../../src/storage/storage.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import type { Sizes } from './options.js';
import { NESTED_SESSIONS_QUERY, WHOLE_SESSION_QUERY } from './queries.js';
import type { StatementCount } from './report.js';
import { type FetchFn, type Fixtures, graphql } from './seed.js';
import { percentile } from './stats.js';

const BACKEND_TIMING_RUNS = 15;

/**
 * The backend with each module store behind a proxy that adds up the synchronous time of its calls.
 * On SQLite a store's read runs its SQL and builds the rows synchronously when called (its runner
 * does not wait for anything), so this is the time of the SQL and of the rows; the decoding that
 * follows the store's own `await` is not counted. (Not the time until the promise settles: the
 * batches of one execution step run one after another, and each would be charged for the ones
 * before it. On PostgreSQL this is only the client's side of the work, without the round trips.)
 */
function timeCalls(backend: StorageBackend): { backend: StorageBackend; reset(): void; totalMs(): number } {
  let total = 0;
  const timed = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value: unknown = Reflect.get(object, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const started = performance.now();
          try {
            return value.apply(object, args) as unknown;
          } finally {
            total += performance.now() - started;
          }
        };
      },
    });
  const stores = Object.fromEntries(Object.entries(backend.stores).map(([name, store]) => [name, timed(store as object)])) as unknown as StorageBackend['stores'];
  const proxy = new Proxy(backend, { get: (target, property, receiver) => (property === 'stores' ? stores : Reflect.get(target, property, receiver)) });
  return { backend: proxy, reset: () => (total = 0), totalMs: () => total };
}

/**
 * SQL statements per GraphQL request. The service exposes no counter, so this builds the same app
 * in this process (as test/support/server.ts does) over the database the service just used (its
 * fixtures are still there), with the backend's `onQuery` hook recording every statement, and
 * sends the queries through the app's own HTTP handler (no port).
 */
export async function countStatements(backendName: string, databaseUrl: string, fixtures: Fixtures, sizes: Sizes): Promise<StatementCount[]> {
  const queries: string[] = [];
  const config = loadConfig({ PORT: '0', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
  const backend = await openBackend(config.database, { onQuery: (name) => queries.push(name) });
  try {
    const timed = timeCalls(backend);
    const storage = new Storage(timed.backend, systemClock, createIdGenerator(systemClock));
    const app = createApp({ storage, config, logger: pino({ level: 'silent' }) });
    const fetchFn: FetchFn = (url, init) => Promise.resolve(app.fetch(url, init));
    const base = 'http://bench.local';

    const measure = async (name: string, sessions: number, query: string, variables: Record<string, unknown>): Promise<StatementCount> => {
      queries.splice(0);
      await graphql(base, query, variables, fetchFn);
      const names = [...queries];
      // Then the time the request spends in the backend (SQLite: SQL, rows → records), median of a few runs.
      const times: number[] = [];
      for (let i = 0; i < BACKEND_TIMING_RUNS; i++) {
        timed.reset();
        await graphql(base, query, variables, fetchFn);
        times.push(timed.totalMs());
      }
      const backendMs = percentile(times.sort((a, b) => a - b), 50);
      return { backend: backendName, name, sessions, statements: names.length, names, backendMs };
    };
    return [
      await measure('nested sessions', 1, NESTED_SESSIONS_QUERY, { agentName: fixtures.nestedAgent, first: 1 }),
      await measure('nested sessions', sizes.nestedSessions, NESTED_SESSIONS_QUERY, { agentName: fixtures.nestedAgent, first: sizes.nestedSessions }),
      await measure(`whole session (${sizes.bigHistory} messages)`, 1, WHOLE_SESSION_QUERY, { id: fixtures.bigId }),
    ];
  } finally {
    await backend.close();
  }
}
