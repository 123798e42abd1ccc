import type { Json } from '../domain/json.js';
import type { Runner } from '../db/runner.js';
import type { AppendEvents } from '../modules/events/append.js';
import type { EventWaiters } from '../modules/events/waiters.js';
import type { Stores } from './stores.js';
import type { Slice } from '../domain/paging.js';

/**
 * One tenant's database: its connection, its schema and migrations, its change feed, and the
 * modules' stores over it (`stores.ts`), whose statements are written once for both databases.
 * Business rules (ids, timestamps, TTL, defaults) live in the modules' services.
 *
 * Expired sessions (retention): the stores' serving methods take `liveAt`, the moment whose live
 * sessions they may see — `expiresAt` null or later than it — inside their own statements (so it
 * holds atomically with the write). The export/import CLI and the retention sweeper, which must
 * see expired sessions, use the stores' maintenance sides.
 */
export interface StorageBackend {
  /** Shown by `/health`. */
  readonly kind: 'sqlite' | 'postgres';
  /** Runs the statements of this database; the module stores (`store.ts` of each module) run theirs through it. */
  readonly runner: Runner;
  /** Appends events inside a transaction's work, and wakes this process's readers once it committed. */
  readonly appendEvents: AppendEvents;
  /**
   * The change feed's waiting readers: woken at once after this backend commits events, and soon
   * after another process does (PostgreSQL: LISTEN/NOTIFY; SQLite: a poll while someone listens).
   */
  readonly eventWaiters: EventWaiters;
  /** The modules' stores over this database (see `stores.ts`). */
  readonly stores: Stores;

  /** Cheap liveness probe of the database. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
