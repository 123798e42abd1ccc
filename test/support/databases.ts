import { PostgresBackend } from '../../src/storage/postgres/postgres-backend.js';
import { SqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { tempDatabase } from './fixtures.js';
import { TEST_PG_URL, testSchema } from './postgres.js';

export interface OpenDatabase {
  backend: StorageBackend;
  cleanup(): Promise<void>;
}

/**
 * Both databases, fresh and migrated, for store tests that run the same cases on each: a real
 * SQLite file (production pragmas: WAL, FULL sync) and a throwaway schema of the machine's PostgreSQL.
 */
export const databases: readonly { name: 'sqlite' | 'postgres'; open(): Promise<OpenDatabase> }[] = [
  {
    name: 'sqlite',
    async open() {
      const db = tempDatabase();
      const backend = new SqliteBackend({ filename: db.filename });
      return {
        backend,
        async cleanup() {
          await backend.close();
          db.cleanup();
        },
      };
    },
  },
  {
    name: 'postgres',
    async open() {
      const target = testSchema();
      const backend = await PostgresBackend.open({ connectionString: TEST_PG_URL, schema: target.schema, poolSize: 3 });
      return {
        backend,
        async cleanup() {
          await backend.close();
          await target.drop();
        },
      };
    },
  },
];
