import Database from 'better-sqlite3';
import pg from 'pg';
import { migrations as pgMigrations } from '../../src/storage/postgres/migrations.js';
import { migrations as sqliteMigrations } from '../../src/storage/sqlite/migrations.js';
import { tempDatabase } from '../support/fixtures.js';
import { TEST_PG_URL, type TestSchema, testSchema } from '../support/postgres.js';

/*
 * Databases as a server of an older version left them: the migrations before `version` applied
 * (and recorded), then `rows` inserted. Opening a backend on one then runs the newer migrations,
 * which is what the migration tests check.
 */

const APPLIED_AT = '2025-06-01T12:00:00.000Z';

export function sqliteBefore(version: number, rows: readonly string[]): ReturnType<typeof tempDatabase> {
  const db = tempDatabase();
  const raw = new Database(db.filename);
  try {
    raw.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of sqliteMigrations.filter((m) => m.version < version)) {
      raw.exec(m.sql);
      raw.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, APPLIED_AT);
    }
    for (const sql of rows) raw.exec(sql);
  } finally {
    raw.close();
  }
  return db;
}

export async function postgresBefore(version: number, rows: readonly string[]): Promise<TestSchema> {
  const target = testSchema();
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA "${target.schema}"`);
    await client.query(`SET search_path TO "${target.schema}"`);
    await client.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    for (const m of pgMigrations.filter((m) => m.version < version)) {
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    for (const sql of rows) await client.query(sql);
  } finally {
    await client.end();
  }
  return target;
}
