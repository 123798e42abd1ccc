import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { compileStatement, defineStatements, type Placeholders, valuesOf } from '../../src/db/statements.js';

describe('statements compiled once per dialect', () => {
  const set = defineStatements({
    expiredEntry: (db, p: Placeholders<{ key: string; now: string }>) =>
      db.deleteFrom('cache').where('key', '=', p('key')).where('expires_at', '<=', p('now')),
    touch: (db, p: Placeholders<{ key: string; at: string }>) => db.updateTable('cache').set({ accessed_at: p('at') }).where('key', '=', p('key')),
  });

  it('compiles each statement to the dialect’s SQL, with its parameters in placeholder order', () => {
    const sqlite = set.for('sqlite');
    const postgres = set.for('postgres');
    expect(sqlite.expiredEntry).toEqual({ name: 'expiredEntry', sql: 'delete from "cache" where "key" = ? and "expires_at" <= ?', order: ['key', 'now'] });
    expect(postgres.expiredEntry.sql).toBe('delete from "cache" where "key" = $1 and "expires_at" <= $2');
    expect(postgres.touch.order).toEqual(['at', 'key']);
    expect(valuesOf(sqlite.touch, { key: 'k', at: 't' })).toEqual(['t', 'k']);
  });

  it('compiles once: every later ask returns the same statements', () => {
    expect(set.for('sqlite')).toBe(set.for('sqlite'));
    expect(set.for('sqlite').touch).not.toBe(set.for('postgres').touch);
  });

  it('refuses a value compiled into a statement (it would be frozen for every call); constants go in with sql.lit', () => {
    expect(() => compileStatement('frozen', (db) => db.selectFrom('cache').selectAll().where('key', '=', 'k'), 'sqlite')).toThrow(/frozen: parameter "k" is not a placeholder/);
    const literal = compileStatement('literal', (db) => db.selectFrom('cache').selectAll().where('ttl', '=', sql.lit(1)), 'postgres');
    expect(literal).toEqual({ name: 'literal', sql: 'select * from "cache" where "ttl" = 1', order: [] });
  });
});
