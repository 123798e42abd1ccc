import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisCacheStore } from '../../src/modules/cache/redis-store.js';

/** The Redis the tests use: the machine's own (CI starts it), overridable for other setups. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A cache on Redis under a key prefix of its own, so that tests never see each other's entries;
 * `close` closes it and removes every key it wrote.
 */
export async function throwawayRedisCache(): Promise<{ cache: RedisCacheStore; close(): Promise<void> }> {
  const prefix = `agent-storage-test:${randomBytes(6).toString('hex')}:`;
  const cache = await RedisCacheStore.open({ url: TEST_REDIS_URL, keyPrefix: prefix });
  return {
    cache,
    close: async () => {
      await cache.close();
      const redis = new Redis(TEST_REDIS_URL);
      try {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    },
  };
}
