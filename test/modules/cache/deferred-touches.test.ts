import { describe, expect, it as plainIt } from 'vitest';
import { DeferredTouches } from '../../../src/modules/cache/deferred-touches.js';
import { SqlCacheStore } from '../../../src/modules/cache/store.js';
import { PostgresBackend } from '../../../src/storage/postgres/postgres-backend.js';
import { SqliteBackend } from '../../../src/storage/sqlite/sqlite-backend.js';
import { CacheService } from '../../../src/modules/cache/service.js';
import { ManualClock, tempDatabase } from '../../support/fixtures.js';
import { TEST_PG_URL, testSchema } from '../../support/postgres.js';
import { describeOnDatabases } from '../../support/store-fixture.js';

/*
 * A cache GET's new `accessed_at` is written later, many in one transaction (deferred-touches.ts):
 * the reading replica sees it at once, the database within the flush, never moved back in time,
 * and written when the backend closes.
 */

describeOnDatabases('deferred cache touches', (test) => {
  const it = test.extend('raw', ({ backend }) => new SqlCacheStore(backend.runner));

  it('a GET answers its time; the database holds it once flushed; the reading store sees it before', async ({ backend, storage, clock, raw }) => {
    const set = await storage.cache.set('k', { value: { a: 1 }, ttl: null });
    clock.advance(5000);
    const read = await storage.cache.get('k');
    expect(read.accessedAt).toBe(clock.iso());
    expect((await raw.getCacheEntry('k'))!.accessedAt).toBe(set.accessedAt);
    expect((await backend.stores.cache.getCacheEntry('k'))!.accessedAt).toBe(clock.iso());
    await backend.stores.cache.flush();
    expect((await raw.getCacheEntry('k'))!.accessedAt).toBe(clock.iso());
  });

  it('never moves accessed_at back: a PUT after the GET keeps its own time; a deleted entry stays deleted', async ({ backend, storage, clock, raw }) => {
    await storage.cache.set('kept', { value: 1, ttl: null });
    await storage.cache.set('gone', { value: 2, ttl: null });
    clock.advance(1000);
    await storage.cache.get('kept');
    await storage.cache.get('gone');
    const touchedAt = clock.iso();
    clock.advance(1000);
    // Another replica (the raw store) writes the entry again, later; and deletes the other.
    await raw.putCacheEntry({ key: 'kept', value: 3, ttl: null, createdAt: clock.iso(), accessedAt: clock.iso(), expiresAt: null });
    await raw.deleteCacheEntry('gone');
    await backend.stores.cache.flush();
    expect((await raw.getCacheEntry('kept'))!.accessedAt).toBe(clock.iso());
    expect((await raw.getCacheEntry('kept'))!.accessedAt > touchedAt).toBe(true);
    expect(await raw.getCacheEntry('gone')).toBeNull();
  });

  it('many reads of many keys, one flush: each key its latest time', async ({ backend, storage, clock, raw }) => {
    const keys = Array.from({ length: 30 }, (_, i) => `key-${i}`);
    for (const key of keys) await storage.cache.set(key, { value: key, ttl: null });
    const last = new Map<string, string>();
    for (let round = 0; round < 3; round++) {
      clock.advance(1000);
      for (const key of keys.filter((_, i) => i % (round + 1) === 0)) last.set(key, (await storage.cache.get(key)).accessedAt);
    }
    await backend.stores.cache.flush();
    for (const key of keys) expect((await raw.getCacheEntry(key))!.accessedAt, key).toBe(last.get(key));
  });

  it('flushes by itself after a while', async ({ backend, clock, raw }) => {
    const touches = new DeferredTouches(new SqlCacheStore(backend.runner), 10);
    const cache = new CacheService(touches, clock);
    await cache.set('k', { value: 1, ttl: null });
    clock.advance(1000);
    const read = await cache.get('k');
    await expect.poll(async () => (await raw.getCacheEntry('k'))!.accessedAt, { timeout: 10_000 }).toBe(read.accessedAt);
  });
});

describe('deferred cache touches on close', () => {
  plainIt('closing the backend writes the pending touches', async () => {
    const clock = new ManualClock();
    for (const kind of ['sqlite', 'postgres'] as const) {
      const db = kind === 'sqlite' ? tempDatabase() : null;
      const target = kind === 'postgres' ? testSchema() : null;
      const open = () => (db ? Promise.resolve(new SqliteBackend({ filename: db.filename })) : PostgresBackend.open({ connectionString: TEST_PG_URL, schema: target!.schema, poolSize: 1 }));
      try {
        const first = await open();
        const cache = new CacheService(first.stores.cache, clock);
        await cache.set('k', { value: 1, ttl: null });
        clock.advance(1000);
        const read = await cache.get('k');
        await first.close();
        const again = await open();
        expect((await new SqlCacheStore(again.runner).getCacheEntry('k'))!.accessedAt, kind).toBe(read.accessedAt);
        await again.close();
      } finally {
        db?.cleanup();
        await target?.drop();
      }
    }
  });
});
