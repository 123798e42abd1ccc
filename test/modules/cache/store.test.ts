import fc from 'fast-check';
import { describe, expect } from 'vitest';
import type { Json } from '../../../src/domain/json.js';
import type { CacheEntry } from '../../../src/domain/records.js';
import { type CacheStore, SqlCacheStore } from '../../../src/modules/cache/store.js';
import type { ManualClock } from '../../support/fixtures.js';
import { throwawayRedisCache } from '../../support/redis.js';
import { clockTest, describeOnDatabases } from '../../support/store-fixture.js';
import { NASTY_JSON, NASTY_STRINGS, nested, viaJson } from '../../storage/support.js';

/*
 * The behaviour every `CacheStore` must have — the SQL store on SQLite and on PostgreSQL, and the
 * Redis store — written only against the interface, each test with a fresh, empty store.
 */

/**
 * The `ttl` of entries whose `expiresAt` a test sets by hand: stores keep both as given, and a
 * long one keeps Redis's native expiry (which follows `ttl` in real time) out of the way.
 */
const LONG_TTL = 3600;

/** The `cacheEntry` fixture: an entry of `key`, made now and never expiring unless `fields` say otherwise. */
const makeCacheEntry = ({ clock }: { clock: ManualClock }) => (key: string, fields: Partial<CacheEntry> = {}): CacheEntry => {
  const now = clock.iso();
  return { key, value: { hello: 'world' }, ttl: null, createdAt: now, accessedAt: now, expiresAt: null, ...fields };
};

describeOnDatabases('CacheStore contract', (test) =>
  cacheStoreCases(test.extend('store', ({ backend }) => new SqlCacheStore(backend.runner)).extend('cacheEntry', makeCacheEntry)),
);

// The real Redis of the machine, one key prefix per test.
describe('CacheStore contract: redis', () =>
  cacheStoreCases(
    clockTest
      .extend('store', async ({}, { onCleanup }) => {
        const { cache, close } = await throwawayRedisCache();
        onCleanup(close);
        return cache;
      })
      .extend('cacheEntry', makeCacheEntry),
  ));

/** What the cases ask of a test: a fresh, empty store, the clock and `cacheEntry`. */
type CacheTest = (name: string, fn: (fixtures: { store: CacheStore; clock: ManualClock; cacheEntry: ReturnType<typeof makeCacheEntry> }) => Promise<void>) => void;

function cacheStoreCases(it: CacheTest): void {
  it('puts and gets an entry; a missing key reads as null', async ({ store, clock, cacheEntry }) => {
    const entry = cacheEntry('k', { ttl: 60, expiresAt: new Date(clock.now() + 60_000).toISOString(), value: [1, { two: 2 }] });
    await store.putCacheEntry(entry);
    expect(await store.getCacheEntry('k')).toEqual(entry);
    expect(await store.getCacheEntry('missing')).toBeNull();
    expect(await store.getCacheEntry('K')).toBeNull(); // keys are case-sensitive
  });

  it('put replaces every field of an existing entry', async ({ store, clock, cacheEntry }) => {
    await store.putCacheEntry(cacheEntry('k', { ttl: 60, expiresAt: new Date(clock.now() + 60_000).toISOString() }));
    clock.advance(5000);
    const replacement = cacheEntry('k', { value: 'new', ttl: null, expiresAt: null });
    await store.putCacheEntry(replacement);
    expect(await store.getCacheEntry('k')).toEqual(replacement);
  });

  it('touch moves accessedAt only; false for a missing key', async ({ store, clock, cacheEntry }) => {
    const entry = cacheEntry('k', { ttl: 60, expiresAt: new Date(clock.now() + 60_000).toISOString() });
    await store.putCacheEntry(entry);
    clock.advance(1234);
    expect(await store.touchCacheEntry('k', clock.iso())).toBe(true);
    expect(await store.getCacheEntry('k')).toEqual({ ...entry, accessedAt: clock.iso() });
    expect(await store.touchCacheEntry('missing', clock.iso())).toBe(false);
    expect(await store.getCacheEntry('missing')).toBeNull();
  });

  it('delete removes an entry once', async ({ store, cacheEntry }) => {
    await store.putCacheEntry(cacheEntry('k'));
    await store.putCacheEntry(cacheEntry('other'));
    expect(await store.deleteCacheEntry('k')).toBe(true);
    expect(await store.deleteCacheEntry('k')).toBe(false);
    expect(await store.getCacheEntry('k')).toBeNull();
    expect(await store.getCacheEntry('other')).not.toBeNull();
  });

  it('deleteExpired removes entries expiring at or before now, exactly at the boundary', async ({ store, clock, cacheEntry }) => {
    const now = clock.now();
    const at = (ms: number) => new Date(now + ms).toISOString();
    await store.putCacheEntry(cacheEntry('long-gone', { ttl: LONG_TTL, expiresAt: at(-60_000) }));
    await store.putCacheEntry(cacheEntry('just-gone', { ttl: LONG_TTL, expiresAt: at(-1) }));
    await store.putCacheEntry(cacheEntry('now', { ttl: LONG_TTL, expiresAt: at(0) }));
    await store.putCacheEntry(cacheEntry('next-ms', { ttl: LONG_TTL, expiresAt: at(1) }));
    await store.putCacheEntry(cacheEntry('forever', { ttl: null, expiresAt: null }));

    expect(await store.deleteExpiredCacheEntries(at(0))).toBe(3);
    expect(await store.getCacheEntry('long-gone')).toBeNull();
    expect(await store.getCacheEntry('just-gone')).toBeNull();
    expect(await store.getCacheEntry('now')).toBeNull();
    expect(await store.getCacheEntry('next-ms')).not.toBeNull();
    expect(await store.getCacheEntry('forever')).not.toBeNull();
    expect(await store.deleteExpiredCacheEntries(at(0))).toBe(0);
    expect(await store.deleteExpiredCacheEntries(at(1))).toBe(1);
    expect(await store.deleteExpiredCacheEntries(at(10 * 365 * 24 * 3600 * 1000))).toBe(0);
    expect(await store.getCacheEntry('forever')).not.toBeNull();
  });

  it('deleteExpired with a key touches only that key, and only when it has expired', async ({ store, clock, cacheEntry }) => {
    const now = clock.now();
    const at = (ms: number) => new Date(now + ms).toISOString();
    await store.putCacheEntry(cacheEntry('a', { ttl: LONG_TTL, expiresAt: at(0) }));
    await store.putCacheEntry(cacheEntry('b', { ttl: LONG_TTL, expiresAt: at(0) }));
    await store.putCacheEntry(cacheEntry('live', { ttl: LONG_TTL, expiresAt: at(1) }));
    await store.putCacheEntry(cacheEntry('forever'));

    expect(await store.deleteExpiredCacheEntries(at(0), 'live')).toBe(0);
    expect(await store.deleteExpiredCacheEntries(at(0), 'forever')).toBe(0);
    expect(await store.deleteExpiredCacheEntries(at(0), 'missing')).toBe(0);
    expect(await store.deleteExpiredCacheEntries(at(-1), 'a')).toBe(0);
    expect(await store.deleteExpiredCacheEntries(at(0), 'a')).toBe(1);
    expect(await store.getCacheEntry('a')).toBeNull();
    expect(await store.getCacheEntry('b')).not.toBeNull();
    expect(await store.getCacheEntry('live')).not.toBeNull();
    expect(await store.getCacheEntry('forever')).not.toBeNull();
  });

  describe('JSON and text round-trips', () => {
    it('a value returns what JSON.stringify/parse would', async ({ store, cacheEntry }) => {
      await store.putCacheEntry(cacheEntry('nasty', { value: NASTY_JSON }));
      expect((await store.getCacheEntry('nasty'))!.value).toEqual(viaJson(NASTY_JSON));
    });

    it('keeps negative zero as JSON does (0) and exact floats', async ({ store, cacheEntry }) => {
      await store.putCacheEntry(cacheEntry('zero', { value: [-0, { z: -0 }, 1e-7, 123e-20, 1e300] }));
      const value = (await store.getCacheEntry('zero'))!.value;
      expect(value).toEqual(viaJson([-0, { z: -0 }, 1e-7, 123e-20, 1e300]));
      expect(value).toEqual([0, { z: 0 }, 1e-7, 123e-20, 1e300]);
    });

    it('keeps JSON nested to the 64-level limit', async ({ store, cacheEntry }) => {
      const deep = nested(64);
      await store.putCacheEntry(cacheEntry('deep', { value: deep }));
      expect((await store.getCacheEntry('deep'))!.value).toEqual(deep);
    });

    it('keys keep unicode, quotes and backslashes, and match by exact value', async ({ store, cacheEntry }) => {
      // Keys never contain NUL (the input schemas refuse it), so it is not asked of stores here.
      for (const text of NASTY_STRINGS.filter((t) => t !== '' && !t.includes('\u0000'))) {
        await store.putCacheEntry(cacheEntry(text, { value: text }));
        expect(await store.getCacheEntry(text)).toMatchObject({ key: text, value: text });
      }
      // wildcards and case are not interpreted: only the exact key matches
      expect(await store.getCacheEntry('%_ like wildcards *')).toBeNull();
      expect(await store.getCacheEntry('PLAIN')).toBeNull();
    });

    it('stores values larger than 100 KB', async ({ store, cacheEntry }) => {
      const big = `${'lorem ipsum 😀 مرحبا \u0000 "quoted" \\ '.repeat(4000)}end`;
      expect(big.length).toBeGreaterThan(100_000);
      await store.putCacheEntry(cacheEntry('big', { value: big }));
      expect((await store.getCacheEntry('big'))!.value).toBe(big);
    });

    it('any JSON value (any string units, lone surrogates and NUL included) round-trips (property)', async ({ store, cacheEntry }) => {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 6, stringUnit: 'binary' }), async (value) => {
          const data = value as Json;
          await store.putCacheEntry(cacheEntry('prop', { value: data }));
          expect((await store.getCacheEntry('prop'))!.value).toEqual(viaJson(data));
        }),
        { numRuns: 100 },
      );
    });
  });
}
