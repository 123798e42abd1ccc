import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisCacheStore } from '../../../src/modules/cache/redis-store.js';
import { SqlCacheStore } from '../../../src/modules/cache/store.js';
import { PostgresBackend } from '../../../src/storage/postgres/postgres-backend.js';
import { SqliteBackend } from '../../../src/storage/sqlite/sqlite-backend.js';
import { tempDatabase } from '../../support/fixtures.js';
import { TEST_PG_URL, testSchema } from '../../support/postgres.js';
import { describeCacheStoreContract } from './store-contract.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

// A real file, not :memory:, so that the contract runs with the production pragmas (WAL, FULL sync).
describeCacheStoreContract('SqlCacheStore on SQLite (temp file)', async () => {
  const db = tempDatabase();
  const backend = new SqliteBackend({ filename: db.filename });
  return {
    store: new SqlCacheStore(backend.runner),
    async cleanup() {
      await backend.close();
      db.cleanup();
    },
  };
});

// The real PostgreSQL of the machine, one throwaway schema per test.
describeCacheStoreContract('SqlCacheStore on PostgreSQL (throwaway schema)', async () => {
  const target = testSchema();
  const backend = await PostgresBackend.open({ connectionString: TEST_PG_URL, schema: target.schema, poolSize: 2 });
  return {
    store: new SqlCacheStore(backend.runner),
    async cleanup() {
      await backend.close();
      await target.drop();
    },
  };
});

// The real Redis of the machine, one key prefix per test.
describeCacheStoreContract('RedisCacheStore (throwaway key prefix)', async () => {
  const prefix = `agent-storage-test:${randomBytes(6).toString('hex')}:`;
  const store = await RedisCacheStore.open({ url: REDIS_URL, keyPrefix: prefix });
  return {
    store,
    async cleanup() {
      await store.close();
      const raw = new Redis(REDIS_URL);
      try {
        const keys = await raw.keys(`${prefix}*`);
        if (keys.length) await raw.del(...keys);
      } finally {
        raw.disconnect();
      }
    },
  };
});
