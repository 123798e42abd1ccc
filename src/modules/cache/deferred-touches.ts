import type { CacheEntry } from '../../domain/records.js';
import type { CacheStore, SqlCacheStore } from './store.js';

/**
 * How long a read's new `accessed_at` may wait before it is written (docs/rest-api.md). A GET
 * answers with its own time at once; what the database holds catches up within this.
 */
export const TOUCH_FLUSH_MS = 1000;

/**
 * The database cache store, with the `accessed_at` a read moves written later, many reads' in one
 * transaction: otherwise every cache GET is a write transaction (on PostgreSQL, a round trip and a
 * commit more than the read). A read through this store sees its own pending touches at once;
 * other replicas see them within TOUCH_FLUSH_MS; closing the backend writes what is pending. A
 * touch never moves `accessed_at` back (a PUT since the read keeps its own time).
 *
 * What is given up: a touch no longer tells whether the entry was deleted between the read and it
 * (the read was answered from a live entry, as a read just before the delete would have been).
 */
export class DeferredTouches implements CacheStore {
  /** The newest pending `accessed_at` of each key. */
  private pending = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    readonly store: SqlCacheStore,
    private readonly flushMs = TOUCH_FLUSH_MS,
  ) {}

  async getCacheEntry(key: string): Promise<CacheEntry | null> {
    const entry = await this.store.getCacheEntry(key);
    const touched = this.pending.get(key);
    return entry && touched !== undefined && touched > entry.accessedAt ? { ...entry, accessedAt: touched } : entry;
  }

  async touchCacheEntry(key: string, accessedAt: string): Promise<boolean> {
    const before = this.pending.get(key);
    if (before === undefined || before < accessedAt) this.pending.set(key, accessedAt);
    this.schedule();
    return true;
  }

  private schedule(): void {
    // A failed flush is tried again at the next one: the touches are kept, nobody waits on them.
    this.timer ??= setTimeout(() => void this.flush().catch(() => {}), this.flushMs).unref();
  }

  putCacheEntry(entry: CacheEntry): Promise<void> {
    this.pending.delete(entry.key);
    return this.store.putCacheEntry(entry);
  }

  deleteCacheEntry(key: string): Promise<boolean> {
    this.pending.delete(key);
    return this.store.deleteCacheEntry(key);
  }

  deleteExpiredCacheEntries(now: string, key?: string): Promise<number> {
    return this.store.deleteExpiredCacheEntries(now, key);
  }

  /**
   * Writes the pending touches (one transaction); the timer's work, and the backend's before it
   * closes. A failed write puts them back for the next flush (unless newer ones came meanwhile).
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.flushing
      .catch(() => {})
      .then(async () => {
        try {
          await this.store.touchCacheEntriesLater([...batch]);
        } catch (error) {
          for (const [key, at] of batch) if (!this.pending.has(key)) this.pending.set(key, at);
          this.schedule();
          throw error;
        }
      });
    return this.flushing;
  }
}
