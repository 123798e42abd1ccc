import { type Clock, isoTime } from '../../domain/clock.js';
import { NotFoundError } from '../../domain/errors.js';
import type { SetCacheInput } from '../../domain/inputs.js';
import type { CacheEntry } from '../../domain/records.js';
import type { CacheStore } from './store.js';

// The inputs' schemas stay with the shared JSON and identifier rules in domain/inputs.ts; the doors
// take them from here, beside the operations they feed.
export { cacheKey, type SetCacheInput, setCacheInput } from '../../domain/inputs.js';

/** Watches cache reads (observability/metrics.ts counts hits and misses). */
export interface CacheObserver {
  cacheLookedUp(hit: boolean): void;
}

const NO_CACHE_OBSERVER: CacheObserver = { cacheLookedUp: () => {} };

/**
 * The cache's operations, shared by the REST and GraphQL doors, over one tenant's store. Inputs
 * arrive validated by the doors (`cacheKey`, `setCacheInput`); here live the TTL rules: an
 * entry's expiry is its creation plus `ttl`, and an entry at or past its expiry by this clock
 * reads as missing (and is deleted) whatever the store still holds.
 */
export class CacheService {
  constructor(
    /** Where the entries live (the tenant's database, or Redis). */
    readonly store: CacheStore,
    private readonly clock: Clock,
    /** Told whether each read found a live entry (the hit ratio on /metrics). */
    private readonly observer: CacheObserver = NO_CACHE_OBSERVER,
  ) {}

  /** Reads an entry and moves its `accessedAt`; an expired entry is deleted and reads as missing. */
  async get(key: string): Promise<CacheEntry> {
    const entry = await this.read(key);
    this.observer.cacheLookedUp(entry !== null);
    if (!entry) throw new NotFoundError('Cache entry');
    return entry;
  }

  /** The live entry, touched; null when missing or expired (one place decides what a hit is). */
  private async read(key: string): Promise<CacheEntry | null> {
    const entry = await this.store.getCacheEntry(key);
    if (!entry) return null;
    const now = isoTime(this.clock.now());
    if (entry.expiresAt !== null && entry.expiresAt <= now) {
      // Conditional delete: a fresh value written since our read survives.
      await this.store.deleteExpiredCacheEntries(now, key);
      return null;
    }
    if (!(await this.store.touchCacheEntry(key, now))) return null;
    return { ...entry, accessedAt: now };
  }

  /** Sets (or replaces) an entry; without `ttl` it never expires. */
  async set(key: string, input: SetCacheInput): Promise<CacheEntry> {
    const nowMs = this.clock.now();
    const now = isoTime(nowMs);
    const entry: CacheEntry = {
      key,
      value: input.value,
      ttl: input.ttl,
      createdAt: now,
      accessedAt: now,
      expiresAt: input.ttl === null ? null : isoTime(nowMs + input.ttl * 1000),
    };
    await this.store.putCacheEntry(entry);
    return entry;
  }

  async delete(key: string): Promise<void> {
    if (!(await this.store.deleteCacheEntry(key))) throw new NotFoundError('Cache entry');
  }

  /** Removes every expired entry; how many. */
  cleanup(): Promise<number> {
    return this.store.deleteExpiredCacheEntries(isoTime(this.clock.now()));
  }
}
