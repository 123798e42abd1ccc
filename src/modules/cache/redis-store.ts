import { Redis } from 'ioredis';
import { UnavailableError } from '../../domain/errors.js';
import type { Json } from '../../domain/json.js';
import type { CacheEntry } from '../../domain/records.js';
import type { CacheStore, TenantCache } from './store.js';

export interface RedisCacheOptions {
  url: string;
  /** Prepended to every key, so that one Redis can serve several deployments (and tests). */
  keyPrefix?: string;
}

// Touch only a live entry; HSET keeps the key's expiry.
const TOUCH = `if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'accessedAt', ARGV[1]) return 1 end return 0`;
// Delete only if still expired by the caller's clock: a value written since the read survives.
const DELETE_IF_EXPIRED = `local e = redis.call('HGET', KEYS[1], 'expiresAt')
if e and e ~= '' and e <= ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * The cache on Redis (`CACHE_BACKEND=redis`): each entry is a hash with a native expiry, so Redis
 * drops entries on its own. The cache service still applies the TTL rule on read with its clock, so the
 * API behaves exactly as with the database store. Only cache entries live here — never session data.
 */
export class RedisCacheStore implements TenantCache {
  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  static async open(options: RedisCacheOptions): Promise<RedisCacheStore> {
    const redis = new Redis(options.url, {
      lazyConnect: true,
      connectTimeout: 5000,
      // Fail a command after a couple of reconnection attempts instead of queueing it forever.
      maxRetriesPerRequest: 2,
    });
    // ioredis reconnects by itself; without a listener an outage would print unhandled errors.
    redis.on('error', () => {});
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      redis.disconnect();
      throw new Error(`Cannot connect to Redis at ${describe(options.url)}: ${(error as Error).message}`, { cause: error });
    }
    return new RedisCacheStore(redis, options.keyPrefix ?? 'agent-storage:cache:');
  }

  /**
   * A tenant's entries: the same connection under a prefix of its own. Cache keys never contain
   * NUL (they are refused), so a prefix ending in one cannot be reached by any key of another
   * store. Closed with this store.
   */
  forTenant(tenant: string): RedisCacheStore {
    return new RedisCacheStore(this.redis, `${this.prefix}\u0000${tenant}:`);
  }

  async ping(): Promise<void> {
    await this.guard(() => this.redis.ping());
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch {
      throw new UnavailableError('The cache is unavailable; retry shortly', 2);
    }
  }

  async getCacheEntry(key: string): Promise<CacheEntry | null> {
    const h = await this.guard(() => this.redis.hgetall(this.prefix + key));
    if (h.value === undefined) return null;
    return {
      key,
      value: JSON.parse(h.value) as Json,
      ttl: h.ttl ? Number(h.ttl) : null,
      createdAt: h.createdAt!,
      accessedAt: h.accessedAt!,
      expiresAt: h.expiresAt || null,
    };
  }

  async putCacheEntry(e: CacheEntry): Promise<void> {
    const k = this.prefix + e.key;
    const tx = this.redis.multi().del(k).hset(k, {
      value: JSON.stringify(e.value),
      ttl: e.ttl === null ? '' : String(e.ttl),
      createdAt: e.createdAt,
      accessedAt: e.accessedAt,
      expiresAt: e.expiresAt ?? '',
    });
    if (e.ttl !== null) tx.pexpire(k, e.ttl * 1000);
    await this.guard(() => tx.exec());
  }

  async touchCacheEntry(key: string, accessedAt: string): Promise<boolean> {
    return (await this.guard(() => this.redis.eval(TOUCH, 1, this.prefix + key, accessedAt))) === 1;
  }

  async deleteCacheEntry(key: string): Promise<boolean> {
    return (await this.guard(() => this.redis.del(this.prefix + key))) > 0;
  }

  async deleteExpiredCacheEntries(now: string, key?: string): Promise<number> {
    if (key !== undefined) return Number(await this.guard(() => this.redis.eval(DELETE_IF_EXPIRED, 1, this.prefix + key, now)));
    // Redis drops expired keys itself; this sweeps what the service's clock already calls expired.
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.guard(() => this.redis.scan(cursor, 'MATCH', `${escapeGlob(this.prefix)}*`, 'COUNT', 500));
      cursor = next;
      for (const k of keys) deleted += Number(await this.guard(() => this.redis.eval(DELETE_IF_EXPIRED, 1, k, now)));
    } while (cursor !== '0');
    return deleted;
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** host:port for messages — never the password. */
function describe(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 6379}`;
  } catch {
    return '(unparseable URL)';
  }
}
