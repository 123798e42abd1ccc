import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the tests use: the machine's own (CI starts it), overridable for other setups. */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchema {
  /** A DATABASE_URL naming the throwaway schema (`?schema=`), as a user would configure it. */
  url: string;
  schema: string;
  /** Drops the schema and everything in it, and its tenants' schemas (`<schema>__<tenant>`). */
  drop(): Promise<void>;
}

/** A throwaway schema in the test database: tests never see each other's rows. */
export function testSchema(): TestSchema {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const url = new URL(TEST_PG_URL);
  url.searchParams.set('schema', schema);
  return {
    url: url.toString(),
    schema,
    async drop() {
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      try {
        const { rows } = await client.query<{ name: string }>(
          `SELECT nspname AS name FROM pg_namespace WHERE nspname = $1 OR starts_with(nspname, $1 || '__')`,
          [schema],
        );
        for (const { name } of rows) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A throwaway database (for tests that need whole databases, e.g. several server processes). */
export async function testDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `agent_storage_test_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: TEST_PG_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
