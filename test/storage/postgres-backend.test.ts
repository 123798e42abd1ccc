import { describe, expect, it } from 'vitest';
import { PostgresBackend } from '../../src/storage/postgres/postgres-backend.js';
import { TEST_PG_URL, testSchema } from '../support/postgres.js';
import { describeBackendContract } from './backend-contract.js';

// The real PostgreSQL of the machine, one throwaway schema per test.
describeBackendContract('PostgresBackend (throwaway schema)', async () => {
  const target = testSchema();
  const backend = await PostgresBackend.open({ connectionString: TEST_PG_URL, schema: target.schema, poolSize: 4 });
  return {
    backend,
    async cleanup() {
      await backend.close();
      await target.drop();
    },
  };
});

describe('PostgresBackend prepared statements', () => {
  it('keeps apart operations whose SQL text is the same (a session filter and a per-session page)', async () => {
    const target = testSchema();
    const backend = await PostgresBackend.open({ connectionString: TEST_PG_URL, schema: target.schema, poolSize: 1 });
    try {
      // On one connection, both build `... WHERE session_id = $1 ...`: they must not share a prepared name.
      expect(await backend.listMetrics({ sessionId: 'session_x' }, { limit: 10 })).toEqual([]);
      expect(await backend.metricPages(['session_x'], {}, { limit: 10 })).toEqual(new Map([['session_x', []]]));
    } finally {
      await backend.close();
      await target.drop();
    }
  });
});
