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
