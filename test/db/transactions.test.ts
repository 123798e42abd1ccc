import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runner, tx, type TxWork } from '../../src/db/runner.js';
import { defineStatements, type Placeholders } from '../../src/db/statements.js';
import { inList, isUniqueViolation } from '../../src/db/portable.js';
import { sql } from 'kysely';
import { databases, type OpenDatabase } from '../support/databases.js';

const statements = defineStatements({
  txPut: (db, p: Placeholders<{ key: string; value: string; now: string }>) =>
    db.insertInto('cache').values({ key: p('key'), value: p('value'), ttl: sql.lit(null), created_at: p('now'), accessed_at: p('now'), expires_at: sql.lit(null) }),
  txGet: (db, p: Placeholders<{ key: string }>) => db.selectFrom('cache').select(['key', 'value']).where('key', '=', p('key')),
  txKeys: (db, p: Placeholders<{ keys: string[] }>, dialect) =>
    db.selectFrom('cache').select('key').where(inList('key', p('keys'), dialect)).orderBy('key'),
});


const now = '2026-01-01T00:00:00.000Z';

for (const database of databases) {
  describe(`transactions on ${database.name}`, () => {
    let db: OpenDatabase;
    let runner: Runner;
    let sql: ReturnType<typeof statements.for>;
    beforeAll(async () => {
      db = await database.open();
      runner = db.backend.runner;
      sql = statements.for(runner.dialect);
    });
    afterAll(() => db.cleanup());

    it('commits every statement of the work, answers its result, then runs the after-commit callbacks', async () => {
      const seen: string[] = [];
      const result = await runner.transaction(function* (): TxWork<string> {
        yield* tx.write(sql.txPut, { key: 'a', value: '1', now });
        yield* tx.write(sql.txPut, { key: 'b', value: '2', now });
        yield* tx.afterCommit(() => seen.push('committed'));
        const row = yield* tx.one(sql.txGet, { key: 'b' });
        return String(row?.value);
      });
      expect(result).toBe('2');
      expect(seen).toEqual(['committed']);
      expect((await runner.all(sql.txKeys, { keys: ['a', 'b', 'zz'] })).map((r) => r.key)).toEqual(['a', 'b']);
    });

    it('rolls everything back when the work throws, and runs no after-commit callback', async () => {
      const seen: string[] = [];
      await expect(
        runner.transaction(function* () {
          yield* tx.write(sql.txPut, { key: 'c', value: '3', now });
          yield* tx.afterCommit(() => seen.push('committed'));
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(seen).toEqual([]);
      expect(await runner.one(sql.txGet, { key: 'c' })).toBeUndefined();
    });

    it('rolls back a failed statement’s transaction, and tells the violation apart', async () => {
      const failure = await runner
        .transaction(function* () {
          yield* tx.write(sql.txPut, { key: 'd', value: '4', now });
          yield* tx.write(sql.txPut, { key: 'a', value: '5', now });
        })
        .catch((error: unknown) => error);
      expect(isUniqueViolation(failure), String((failure as { code?: string }).code) + String(failure)).toBe(true);
      expect(await runner.one(sql.txGet, { key: 'd' })).toBeUndefined();
      expect((await runner.one(sql.txGet, { key: 'a' }))?.value).toBe(runner.dialect === 'sqlite' ? '1' : 1);
    });

    it('undoes a failing write alone, whether it was committed alone or together with others', async () => {
      const write = (key: string, fail: boolean) =>
        runner.transaction(function* () {
          yield* tx.write(sql.txPut, { key, value: '1', now });
          yield* tx.write(sql.txPut, { key: `${key}2`, value: '1', now });
          if (fail) throw new Error(`${key} failed`);
        });
      // Started in one turn: SQLite commits them as one transaction, a savepoint each.
      const outcomes = await Promise.allSettled([write('g1', false), write('g2', true), write('g3', false)]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      // Alone: its own transaction, no savepoint.
      await expect(write('g4', true)).rejects.toThrow('g4 failed');
      const keys = ['g1', 'g2', 'g3', 'g4'].flatMap((k) => [k, `${k}2`]);
      expect((await runner.all(sql.txKeys, { keys })).map((r) => r.key)).toEqual(['g1', 'g12', 'g3', 'g32']);
    });

    it('keeps concurrent transactions apart (each sees its own writes, none sees another half-done)', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          runner.transaction(function* () {
            yield* tx.write(sql.txPut, { key: `k${i}`, value: String(i), now });
            const rows = yield* tx.all(sql.txKeys, { keys: [`k${i}`, `k${i}x`] });
            yield* tx.write(sql.txPut, { key: `k${i}x`, value: String(i), now });
            return rows.length;
          }),
        ),
      );
      expect(results).toEqual(Array(20).fill(1));
      const keys = Array.from({ length: 20 }, (_, i) => [`k${i}`, `k${i}x`]).flat();
      expect(await runner.all(sql.txKeys, { keys })).toHaveLength(40);
    });
  });
}
