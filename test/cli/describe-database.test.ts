import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDatabase } from '../../src/cli/run.js';
import { parseDatabaseUrl } from '../../src/config.js';
import { testSchema, type TestSchema } from '../support/postgres.js';
import { runCli } from './support.js';

/* How the command names a database in its summaries: which data it is, never a password. */

describe('describeDatabase', () => {
  it('shows user, host, port, database and ?schema=, hides every password (property)', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9]{7,15}$/);
    fc.assert(
      fc.property(word, word, word, fc.stringMatching(/^[a-z_][a-z0-9_]{0,28}$/), fc.boolean(), (user, password, db, schema, sslPassword) => {
        const given = `postgres://${user}:pw${password}@db.example:6543/${db}?sslmode=require&schema=${schema}${sslPassword ? `&sslpassword=pw${password}&password=pw${password}` : ''}`;
        const shown = describeDatabase(parseDatabaseUrl(given));
        expect(shown).not.toContain(`pw${password}`);
        const url = new URL(shown);
        expect([url.username, url.hostname, url.port, url.pathname]).toEqual([user, 'db.example', '6543', `/${db}`]);
        expect(url.searchParams.get('schema')).toBe(schema);
        expect(url.searchParams.get('sslmode')).toBe('require');
      }),
    );
  });

  it('without ?schema= shows none; SQLite shows its file', () => {
    expect(describeDatabase(parseDatabaseUrl('postgres://u:secret@h/db'))).toBe('postgres://u@h/db');
    expect(describeDatabase(parseDatabaseUrl('sqlite:./data/x.db'))).toBe('sqlite:./data/x.db');
  });
});

describe('the command’s summary on PostgreSQL', { timeout: 120_000 }, () => {
  let target: TestSchema;
  beforeAll(() => {
    target = testSchema();
  });
  afterAll(() => target.drop());

  it('names the schema it exported from, not the password', async () => {
    const url = new URL(target.url);
    url.password = 'not-to-be-shown';
    const run = await runCli(['export', '--database', url.toString()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`?schema=${target.schema}`);
    expect(run.stderr).not.toContain('not-to-be-shown');
  });
});
