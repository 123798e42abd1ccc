import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../src/domain/errors.js';
import { CacheService } from '../../../src/modules/cache/service.js';
import { type CacheStore, SqlCacheStore } from '../../../src/modules/cache/store.js';
import { SqliteBackend } from '../../../src/storage/sqlite/sqlite-backend.js';
import { ManualClock, tempDatabase } from '../../support/fixtures.js';

const START = Date.parse('2026-03-04T05:06:07.089Z');

describe('CacheService (TTL rules)', () => {
  let db: ReturnType<typeof tempDatabase>;
  let backend: SqliteBackend;
  let clock: ManualClock;
  let store: SqlCacheStore;
  let cache: CacheService;

  beforeEach(() => {
    db = tempDatabase();
    backend = new SqliteBackend({ filename: db.filename });
    clock = new ManualClock(START);
    store = new SqlCacheStore(backend.runner);
    cache = new CacheService(store, clock);
  });
  afterEach(async () => {
    await backend.close();
    db.cleanup();
  });

  async function expectNotFound(promise: Promise<unknown>): Promise<void> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ resource: 'Cache entry', code: 'NOT_FOUND', message: 'Cache entry not found' });
  }

  it('a missing key is NOT_FOUND on read and on delete', async () => {
    await expectNotFound(cache.get('missing'));
    await expectNotFound(cache.delete('missing'));
  });

  it('computes createdAt, accessedAt and expiresAt from the clock', async () => {
    const entry = await cache.set('k', { value: { v: 1 }, ttl: 90 });
    expect(entry).toEqual({
      key: 'k',
      value: { v: 1 },
      ttl: 90,
      createdAt: '2026-03-04T05:06:07.089Z',
      accessedAt: '2026-03-04T05:06:07.089Z',
      expiresAt: '2026-03-04T05:07:37.089Z',
    });
    const forever = await cache.set('f', { value: null, ttl: null });
    expect(forever.expiresAt).toBeNull();
    expect(await store.getCacheEntry('k')).toEqual(entry);
  });

  it('is readable until just before expiry, moving accessedAt on every read', async () => {
    const entry = await cache.set('k', { value: 'v', ttl: 60 });
    clock.advance(30_000);
    const read = await cache.get('k');
    expect(read).toEqual({ ...entry, accessedAt: clock.iso() });
    expect(await store.getCacheEntry('k')).toEqual(read);

    clock.advance(29_999); // 1 ms before expiry
    const last = await cache.get('k');
    expect(last.accessedAt).toBe('2026-03-04T05:07:07.088Z');
    expect((await store.getCacheEntry('k'))!.accessedAt).toBe('2026-03-04T05:07:07.088Z');
    // reading does not extend the life of an entry
    expect(last.expiresAt).toBe(entry.expiresAt);
  });

  it('at the exact expiry instant the entry is gone, and is deleted from the store', async () => {
    await cache.set('k', { value: 'v', ttl: 60 });
    clock.advance(60_000);
    await expectNotFound(cache.get('k'));
    expect(await store.getCacheEntry('k')).toBeNull();
  });

  it('after expiry the entry is gone, and is deleted from the store', async () => {
    await cache.set('k', { value: 'v', ttl: 1 });
    await cache.set('other', { value: 'v', ttl: 1 });
    clock.advance(3_600_000);
    await expectNotFound(cache.get('k'));
    expect(await store.getCacheEntry('k')).toBeNull();
    // the read removed only the entry it read
    expect(await store.getCacheEntry('other')).not.toBeNull();
    await expectNotFound(cache.delete('k'));
  });

  it('an entry without ttl never expires', async () => {
    await cache.set('k', { value: 'v', ttl: null });
    clock.advance(100 * 365 * 24 * 3600 * 1000);
    expect((await cache.get('k')).value).toBe('v');
    expect(await cache.cleanup()).toBe(0);
  });

  it('setting a key again after expiry starts a fresh entry', async () => {
    await cache.set('k', { value: 'old', ttl: 10 });
    clock.advance(20_000);
    const fresh = await cache.set('k', { value: 'new', ttl: 10 });
    expect(fresh.createdAt).toBe(clock.iso());
    clock.advance(9_999);
    expect(await cache.get('k')).toEqual({ ...fresh, accessedAt: clock.iso() });
    clock.advance(1);
    await expectNotFound(cache.get('k'));
  });

  it('setting a key again before expiry replaces value and ttl', async () => {
    await cache.set('k', { value: 'old', ttl: 10 });
    clock.advance(5_000);
    await cache.set('k', { value: 'new', ttl: null });
    clock.advance(3_600_000);
    expect(await cache.get('k')).toMatchObject({ value: 'new', ttl: null, expiresAt: null });
  });

  it('delete removes a live entry', async () => {
    await cache.set('k', { value: 'v', ttl: 60 });
    await cache.delete('k');
    await expectNotFound(cache.get('k'));
  });

  it('cleanup removes and counts only expired entries', async () => {
    await cache.set('short', { value: 1, ttl: 10 });
    await cache.set('exact', { value: 2, ttl: 20 });
    await cache.set('long', { value: 3, ttl: 21 });
    await cache.set('forever', { value: 4, ttl: null });
    expect(await cache.cleanup()).toBe(0);
    clock.advance(20_000);
    expect(await cache.cleanup()).toBe(2);
    expect(await cache.cleanup()).toBe(0);
    expect(await store.getCacheEntry('short')).toBeNull();
    expect(await store.getCacheEntry('exact')).toBeNull();
    expect((await cache.get('long')).value).toBe(3);
    expect((await cache.get('forever')).value).toBe(4);
  });

  it('an expired read does not delete a fresh value written between its read and its delete', async () => {
    await cache.set('k', { value: 'old', ttl: 10 });
    clock.advance(10_000);
    // Another writer refreshes the key right after this reader has seen the expired entry.
    const racing: CacheStore = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'getCacheEntry') {
          return async (key: string) => {
            const seen = await target.getCacheEntry(key);
            await target.putCacheEntry({ ...seen!, value: 'fresh', ttl: null, expiresAt: null, createdAt: clock.iso(), accessedAt: clock.iso() });
            return seen;
          };
        }
        const value = Reflect.get(target, property, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const racer = new CacheService(racing, clock);
    await expectNotFound(racer.get('k'));
    expect(await store.getCacheEntry('k')).toMatchObject({ value: 'fresh', expiresAt: null });
  });
});
