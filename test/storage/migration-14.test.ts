import { describe, expect, it } from 'vitest';
import type { StorageBackend } from '../../src/storage/backend.js';
import { migrations as pgMigrations } from '../../src/storage/postgres/migrations.js';
import { PostgresBackend } from '../../src/storage/postgres/postgres-backend.js';
import { migrations as sqliteMigrations } from '../../src/storage/sqlite/migrations.js';
import { SqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import { TEST_PG_URL } from '../support/postgres.js';
import { postgresBefore, sqliteBefore } from './older-schema.js';

/**
 * Migration 14 (the state's version history) on a database written before it: each existing
 * state's current version becomes the first of its history, and the next write follows it.
 */
const T = '2025-06-01T12:00:00.000Z';
const LIVE = '2025-06-02T00:00:00.000Z';
const ROWS = [
  `INSERT INTO sessions (id, agent_name, created_at, updated_at, status) VALUES ('session_a', 'agent', '${T}', '${T}', 'active')`,
  `INSERT INTO sessions (id, agent_name, created_at, updated_at, status) VALUES ('session_b', 'agent', '${T}', '${T}', 'active')`,
  `INSERT INTO state (session_id, data, updated_at, version) VALUES ('session_a', '{"step":7}', '${T}', 7)`,
];

async function expectSeeded(backend: StorageBackend): Promise<void> {
  const { state } = backend.stores;
  const slice = { limit: 10 };
  expect(await state.versionPages(['session_a', 'session_b'], slice, LIVE)).toEqual(
    new Map([
      ['session_a', [{ sessionId: 'session_a', data: { step: 7 }, updatedAt: T, version: 7 }]],
      ['session_b', []],
    ]),
  );
  await state.put({ sessionId: 'session_a', data: { step: 8 }, updatedAt: LIVE }, LIVE);
  expect((await state.versionPages(['session_a'], slice, LIVE)).get('session_a')!.map((s) => [s.version, s.data])).toEqual([
    [8, { step: 8 }],
    [7, { step: 7 }],
  ]);
}

describe('migration 14 on a database of version 12', () => {
  it('SQLite', async () => {
    const db = sqliteBefore(14, ROWS);
    const backend = new SqliteBackend({ filename: db.filename });
    try {
      expect(backend.settings().schemaVersion).toBe(sqliteMigrations.at(-1)!.version);
      await expectSeeded(backend);
    } finally {
      await backend.close();
      db.cleanup();
    }
  });

  it('PostgreSQL', async () => {
    const target = await postgresBefore(14, ROWS);
    const backend = await PostgresBackend.open({ connectionString: TEST_PG_URL, schema: target.schema, poolSize: 2 });
    try {
      expect(await backend.schemaVersion()).toBe(pgMigrations.at(-1)!.version);
      await expectSeeded(backend);
    } finally {
      await backend.close();
      await target.drop();
    }
  });
});
