import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, UnavailableError } from '../../../src/domain/errors.js';
import { RedisCacheStore } from '../../../src/modules/cache/redis-store.js';
import { CacheService } from '../../../src/modules/cache/service.js';
import { ManualClock } from '../../support/fixtures.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('the cache service on Redis (the real server of the machine)', () => {
  let raw: Redis;
  let prefix: string;
  let store: RedisCacheStore;
  let clock: ManualClock;
  let cache: CacheService;

  beforeAll(() => {
    raw = new Redis(REDIS_URL);
  });
  afterAll(() => raw.quit());

  beforeEach(async () => {
    prefix = `agent-storage-test:${randomBytes(6).toString('hex')}:`;
    store = await RedisCacheStore.open({ url: REDIS_URL, keyPrefix: prefix });
    clock = new ManualClock(Date.now());
    cache = new CacheService(store, clock);
  });
  afterEach(async () => {
    await store.close();
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length) await raw.del(...keys);
  });

  it('round-trips any JSON value with its times, and moves accessedAt on read', async () => {
    const value = { text: 'ünïcödé 😀 \u0000 "q" \\', n: [1, -0.5, 1e308], deep: { a: [{ b: null }] } };
    const set = await cache.set('k/1 ключ', { value, ttl: 60 });
    clock.advance(1500);
    const got = await cache.get('k/1 ключ');
    expect(got).toEqual({ ...set, accessedAt: clock.iso() });
    expect(got.value).toEqual(JSON.parse(JSON.stringify(value)));
    // No entry of session data or anything else lands in Redis: one hash under our prefix.
    expect(await raw.keys(`${prefix}*`)).toEqual([`${prefix}k/1 ключ`]);
  });

  it('gives entries a native Redis expiry of exactly their TTL, and none without a TTL', async () => {
    await cache.set('short', { value: 1, ttl: 30 });
    await cache.set('forever', { value: 2, ttl: null });
    const pttl = await raw.pttl(`${prefix}short`);
    expect(pttl).toBeGreaterThan(29_000);
    expect(pttl).toBeLessThanOrEqual(30_000);
    expect(await raw.pttl(`${prefix}forever`)).toBe(-1);
    // Overwriting without a TTL removes the old expiry.
    await cache.set('short', { value: 3, ttl: null });
    expect(await raw.pttl(`${prefix}short`)).toBe(-1);
  });

  it('an entry past its TTL by the service clock reads as missing and is deleted', async () => {
    await cache.set('e', { value: 'x', ttl: 10 });
    clock.advance(9_999);
    expect((await cache.get('e')).value).toBe('x');
    clock.advance(1);
    await expect(cache.get('e')).rejects.toBeInstanceOf(NotFoundError);
    expect(await raw.exists(`${prefix}e`)).toBe(0);
  });

  it('a read keeps the native expiry (touching does not make an entry immortal)', async () => {
    await cache.set('t', { value: 1, ttl: 30 });
    await cache.get('t');
    expect(await raw.pttl(`${prefix}t`)).toBeGreaterThan(0);
  });

  it('cleanup deletes only what is expired and counts it; delete reports missing keys', async () => {
    await cache.set('a', { value: 1, ttl: 1 });
    await cache.set('b', { value: 2, ttl: 1 });
    await cache.set('c', { value: 3, ttl: 100 });
    await cache.set('d', { value: 4, ttl: null });
    clock.advance(2_000);
    expect(await cache.cleanup()).toBe(2);
    expect((await cache.get('c')).value).toBe(3);
    expect((await cache.get('d')).value).toBe(4);
    await cache.delete('d');
    await expect(cache.delete('d')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keys with glob characters are matched literally by cleanup', async () => {
    await cache.set('*', { value: 1, ttl: 1 });
    await cache.set('[x]?', { value: 2, ttl: 1 });
    clock.advance(2_000);
    expect(await cache.cleanup()).toBe(2);
  });

  it('refuses to start against an unreachable Redis, naming the address', async () => {
    await expect(RedisCacheStore.open({ url: 'redis://127.0.0.1:1' })).rejects.toThrow(/Cannot connect to Redis at 127\.0\.0\.1:1/);
  });

  it('answers UnavailableError (a 503) when Redis goes away mid-flight', async () => {
    const lonely = await RedisCacheStore.open({ url: REDIS_URL, keyPrefix: prefix });
    await lonely.close();
    await expect(lonely.getCacheEntry('x')).rejects.toBeInstanceOf(UnavailableError);
  });
});
