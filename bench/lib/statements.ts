import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { systemClock } from '../../src/domain/clock.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import { createApp } from '../../src/server.js';
import { openBackend } from '../../src/storage/open.js';
import { Storage } from '../../src/storage/storage.js';
import type { Sizes } from './options.js';
import { NESTED_SESSIONS_QUERY, WHOLE_SESSION_QUERY } from './queries.js';
import type { StatementCount } from './report.js';
import { type FetchFn, type Fixtures, graphql } from './seed.js';

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
    const storage = new Storage(backend, systemClock, createIdGenerator(systemClock));
    const app = createApp({ storage, config, logger: pino({ level: 'silent' }) });
    const fetchFn: FetchFn = (url, init) => Promise.resolve(app.fetch(url, init));
    const base = 'http://bench.local';

    const measure = async (name: string, sessions: number, query: string, variables: Record<string, unknown>): Promise<StatementCount> => {
      queries.splice(0);
      await graphql(base, query, variables, fetchFn);
      return { backend: backendName, name, sessions, statements: queries.length, names: [...queries] };
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
