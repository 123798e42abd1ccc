import { describe, expect, it } from 'vitest';
import { createIdGenerator } from '../../src/domain/ids.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { migrations as pgMigrations } from '../../src/storage/postgres/migrations.js';
import { PostgresBackend } from '../../src/storage/postgres/postgres-backend.js';
import { migrations as sqliteMigrations } from '../../src/storage/sqlite/migrations.js';
import { SqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import { Storage } from '../../src/storage/storage.js';
import { ManualClock } from '../support/fixtures.js';
import { TEST_PG_URL } from '../support/postgres.js';
import { postgresBefore, sqliteBefore } from './older-schema.js';

/**
 * Migration 2 (state versions, idempotency keys, forks) on a database written by a version-1 server:
 * the data stays as it was and reads with the new fields' defaults, and the new features work on it.
 */
const T = '2025-06-01T12:00:00.000Z';
const ROWS = [
  `INSERT INTO sessions (id, agent_name, user_id, created_at, updated_at, status, metadata, last_seq) VALUES ('session_old', 'agent', NULL, '${T}', '${T}', 'active', '{"a":1}', 2)`,
  `INSERT INTO history (id, session_id, seq, role, content, timestamp, metadata) VALUES ('msg_old1', 'session_old', 1, 'user', 'hi', '${T}', '{}')`,
  `INSERT INTO history (id, session_id, seq, role, content, timestamp, metadata) VALUES ('msg_old2', 'session_old', 2, 'assistant', 'hello', '${T}', '{}')`,
  `INSERT INTO state (session_id, data, updated_at) VALUES ('session_old', '{"step":7}', '${T}')`,
];

async function expectMigrated(backend: StorageBackend): Promise<void> {
  expect(await backend.stores.sessionMaintenance.byIdsIncludingExpired(['session_old'])).toEqual([
    { id: 'session_old', agentName: 'agent', userId: null, status: 'active', createdAt: T, updatedAt: T, metadata: { a: 1 }, parentId: null, forkedFromMessageId: null, expiresAt: null },
  ]);
  expect((await backend.stores.history.pagesIncludingExpired(['session_old'], { limit: 10 })).get('session_old')!.map((m) => [m.id, m.seq, m.idempotencyKey])).toEqual([
    ['msg_old1', 1, null],
    ['msg_old2', 2, null],
  ]);
  expect(await backend.stores.state.bySessionIdsIncludingExpired(['session_old'])).toEqual([{ sessionId: 'session_old', data: { step: 7 }, updatedAt: T, version: 1 }]);

  const clock = new ManualClock();
  const storage = new Storage(backend, clock, createIdGenerator(clock));
  expect(await storage.state.set('session_old', { step: 8 }, 1)).toMatchObject({ version: 2 });
  const [keyed] = await storage.history.addMany('session_old', [{ role: 'user', content: 'again', metadata: {}, idempotencyKey: 'k' }]);
  expect(keyed).toMatchObject({ seq: 3, idempotencyKey: 'k' });
  expect(await storage.history.addMany('session_old', [{ role: 'user', content: 'again', metadata: {}, idempotencyKey: 'k' }])).toEqual([keyed]);
  const fork = await storage.sessions.fork('session_old', 'msg_old2');
  expect(fork.session).toMatchObject({ parentId: 'session_old', forkedFromMessageId: 'msg_old2' });
  expect(fork.messages.map((m) => m.seq)).toEqual([1, 2]);
}

describe('migration 2 on a version-1 database', () => {
  it('SQLite', async () => {
    const db = sqliteBefore(2, ROWS);
    const backend = new SqliteBackend({ filename: db.filename });
    try {
      // Migrated to the latest version (5 added the session expiry: old sessions never expire).
      expect(backend.settings().schemaVersion).toBe(sqliteMigrations.at(-1)!.version);
      await expectMigrated(backend);
    } finally {
      await backend.close();
      db.cleanup();
    }
  });

  it('PostgreSQL', async () => {
    const target = await postgresBefore(2, ROWS);
    const backend = await PostgresBackend.open({ connectionString: TEST_PG_URL, schema: target.schema, poolSize: 2 });
    try {
      expect(await backend.schemaVersion()).toBe(pgMigrations.at(-1)!.version);
      await expectMigrated(backend);
    } finally {
      await backend.close();
      await target.drop();
    }
  });
});
