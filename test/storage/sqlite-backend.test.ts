import { SqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import { describeEventContract } from './backend-contract-events.js';
import { tempDatabase } from '../support/fixtures.js';

// A real file, not :memory:, so that the contract runs with the production pragmas (WAL, FULL sync).
describeEventContract('SqliteBackend (temp file)', async () => {
  const db = tempDatabase();
  const backend = new SqliteBackend({ filename: db.filename });
  return {
    backend,
    async cleanup() {
      await backend.close();
      db.cleanup();
    },
  };
});
