import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, UnavailableError } from '../../src/domain/errors.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import { RedisCacheStore } from '../../src/storage/redis/redis-cache-store.js';
import { SqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import { Storage } from '../../src/storage/storage.js';
import { ManualClock } from '../support/fixtures.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('the cache on Redis (the real server of the machine)', () => {
  let raw: Redis;
  let prefix: string;
  let store: RedisCacheStore;
  let backend: SqliteBackend;
  let clock: ManualClock;
  let storage: Storage;

  beforeAll(() => {
    raw = new Redis(REDIS_URL);
  });
  afterAll(() => raw.quit());

  beforeEach(async () => {
    prefix = `agent-storage-test:${randomBytes(6).toString('hex')}:`;
    store = await RedisCacheStore.open({ url: REDIS_URL, keyPrefix: prefix });
    backend = new SqliteBackend({ filename: ':memory:' });
    clock = new ManualClock(Date.now());
    storage = new Storage(backend, clock, createIdGenerator(clock), store);
  });
  afterEach(async () => {
    await store.close();
    await backend.close();
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length) await raw.del(...keys);
  });

  it('round-trips any JSON value with its times, and moves accessedAt on read', async () => {
    const value = { text: 'ünïcödé 😀 \u0000 "q" \\', n: [1, -0.5, 1e308], deep: { a: [{ b: null }] } };
    const set = await storage.setCacheEntry('k/1 ключ', { value, ttl: 60 });
    clock.advance(1500);
    const got = await storage.getCacheEntry('k/1 ключ');
    expect(got).toEqual({ ...set, accessedAt: clock.iso() });
    expect(got.value).toEqual(JSON.parse(JSON.stringify(value)));
    // No entry of session data or anything else lands in Redis: one hash under our prefix.
    expect(await raw.keys(`${prefix}*`)).toEqual([`${prefix}k/1 ключ`]);
  });

  it('gives entries a native Redis expiry of exactly their TTL, and none without a TTL', async () => {
    await storage.setCacheEntry('short', { value: 1, ttl: 30 });
    await storage.setCacheEntry('forever', { value: 2, ttl: null });
    const pttl = await raw.pttl(`${prefix}short`);
    expect(pttl).toBeGreaterThan(29_000);
    expect(pttl).toBeLessThanOrEqual(30_000);
    expect(await raw.pttl(`${prefix}forever`)).toBe(-1);
    // Overwriting without a TTL removes the old expiry.
    await storage.setCacheEntry('short', { value: 3, ttl: null });
    expect(await raw.pttl(`${prefix}short`)).toBe(-1);
  });

  it('an entry past its TTL by the service clock reads as missing and is deleted', async () => {
    await storage.setCacheEntry('e', { value: 'x', ttl: 10 });
    clock.advance(9_999);
    expect((await storage.getCacheEntry('e')).value).toBe('x');
    clock.advance(1);
    await expect(storage.getCacheEntry('e')).rejects.toBeInstanceOf(NotFoundError);
    expect(await raw.exists(`${prefix}e`)).toBe(0);
  });

  it('a read keeps the native expiry (touching does not make an entry immortal)', async () => {
    await storage.setCacheEntry('t', { value: 1, ttl: 30 });
    await storage.getCacheEntry('t');
    expect(await raw.pttl(`${prefix}t`)).toBeGreaterThan(0);
  });

  it('cleanup deletes only what is expired and counts it; delete reports missing keys', async () => {
    await storage.setCacheEntry('a', { value: 1, ttl: 1 });
    await storage.setCacheEntry('b', { value: 2, ttl: 1 });
    await storage.setCacheEntry('c', { value: 3, ttl: 100 });
    await storage.setCacheEntry('d', { value: 4, ttl: null });
    clock.advance(2_000);
    expect(await storage.cleanupCache()).toBe(2);
    expect((await storage.getCacheEntry('c')).value).toBe(3);
    expect((await storage.getCacheEntry('d')).value).toBe(4);
    await storage.deleteCacheEntry('d');
    await expect(storage.deleteCacheEntry('d')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keys with glob characters are matched literally by cleanup', async () => {
    await storage.setCacheEntry('*', { value: 1, ttl: 1 });
    await storage.setCacheEntry('[x]?', { value: 2, ttl: 1 });
    clock.advance(2_000);
    expect(await storage.cleanupCache()).toBe(2);
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
