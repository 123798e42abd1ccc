import type { Message } from '../../domain/records.js';
import { ByteLru } from '../../lib/byte-lru.js';

/**
 * The history cache: a session's whole history — as REST JSON, and as the records a GraphQL read
 * of the whole history resolves — kept per session and extended by the messages appended since
 * instead of being built again. Histories are append-only but for rare rewrites, so a long
 * conversation re-read after each turn costs one indexed look at its session row plus the new messages.
 *
 * One rule decides whether an entry may be used, checked against the database in the same statement
 * as the read (`SqlHistoryStore.whole` for JSON, `firstRecords` for records), so it holds across replicas: a history's version is its
 * session's `(history_epoch, last_seq)`. Appends raise `last_seq` and leave the epoch; every other
 * change of the history (pop, rewrite, replacement, clearing, import) moves the epoch on, and a
 * session starts at a random epoch (migration 13), so a session created again under a deleted one's
 * id has another version. An entry at the same epoch is extended by the messages after its
 * `last_seq`; at another epoch it is read again whole; a session that is gone or expired drops it.
 * Nothing is ever served without that check, so an entry is never stale, only unused.
 *
 * Bounded by bytes (HISTORY_CACHE_BYTES; 0 turns it off), least recently used first out. A cached
 * history is kept as its UTF-8 bytes, the very bytes a response sends: a read writes them to the
 * socket as they are, where a string would be encoded again for every reader; and a buffer's size
 * is what an entry is charged, exactly. Records are charged an estimate of what V8 keeps for them
 * (`recordBytes`). Cached records are shared by every reader: nothing may change them.
 */
interface Versioned {
  /** The session's history epoch and last seq when the entry was read. */
  readonly epoch: number;
  readonly lastSeq: number;
  /** How many messages the entry holds. */
  readonly count: number;
}

/** A whole history as the REST wire writes it. */
export interface CachedHistory extends Versioned {
  /** The messages as a JSON array (the REST wire's fields), in UTF-8. */
  readonly json: Buffer;
}

/** A whole history as records (GraphQL). */
export interface CachedRecords extends Versioned {
  readonly messages: readonly Message[];
  /** What the records are charged (`recordBytes`). */
  readonly bytes: number;
}

type Entry = CachedHistory | CachedRecords;

/** What an entry costs: its bytes, its key (at up to two bytes a character) and a little bookkeeping. */
function costOf(key: string, entry: Entry): number {
  return ('json' in entry ? entry.json.length : entry.bytes) + 2 * key.length + 64;
}

/**
 * What V8 keeps for a message record, roughly: its strings at up to two bytes a character, its
 * JSON values about twice their text, and a few hundred bytes of object headers and fields.
 */
export function recordBytes(m: Message): number {
  const json = (value: unknown) => (value == null ? 0 : JSON.stringify(value).length);
  return 256 + 2 * (m.id.length + m.sessionId.length + m.content.length + (m.idempotencyKey?.length ?? 0)) + 2 * (json(m.metadata) + json(m.item));
}

/** One LRU, by bytes, shared by every store of the process (each under its own key prefix). */
export class HistoryCache {
  private readonly lru: ByteLru<Entry>;
  private nextPrefix = 0;

  constructor(readonly maxBytes: number) {
    // One history bigger than a quarter of the cache would push out everything else for one reader.
    this.lru = new ByteLru(maxBytes, costOf, maxBytes / 4);
  }

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /** The bytes the entries are charged now (at most `maxBytes`). */
  get bytes(): number {
    return this.lru.bytes;
  }

  get size(): number {
    return this.lru.size;
  }

  /** A view for one store (one tenant's database): its sessions' keys cannot meet another's. */
  forStore(): HistoryCacheView {
    if (!this.enabled) return NO_HISTORY_CACHE;
    const prefix = `${(this.nextPrefix++).toString(36)}:`;
    return {
      get: (key) => this.lru.get(prefix + key) as CachedHistory | undefined,
      set: (key, entry) => this.lru.set(prefix + key, entry),
      getRecords: (key) => this.lru.get(prefix + RECORDS + key) as CachedRecords | undefined,
      setRecords: (key, entry) => this.lru.set(prefix + RECORDS + key, entry),
      delete: (key) => this.lru.delete(prefix + key),
      deleteRecords: (key) => this.lru.delete(prefix + RECORDS + key),
    };
  }
}

/** Records are kept under their session's key with this before it (REST keys start with the wire fields' JSON). */
const RECORDS = 'r\0';

/** One store's share of the cache, by session (and wire fields, for REST JSON). */
export interface HistoryCacheView {
  get(key: string): CachedHistory | undefined;
  set(key: string, entry: CachedHistory): void;
  getRecords(sessionId: string): CachedRecords | undefined;
  setRecords(sessionId: string, entry: CachedRecords): void;
  delete(key: string): void;
  deleteRecords(sessionId: string): void;
}

/** No cache: every read is a whole read (the version is still checked, for ETags). */
export const NO_HISTORY_CACHE: HistoryCacheView = { get: () => undefined, set: () => {}, getRecords: () => undefined, setRecords: () => {}, delete: () => {}, deleteRecords: () => {} };

const COMMA = 0x2c;

/** `json` (a JSON array without spaces, in UTF-8) with the elements of `tail` (another) after its own. */
export function extendJsonArray(json: Buffer, tail: Buffer): Buffer {
  if (tail.length <= 2) return json;
  if (json.length <= 2) return tail;
  // `[a,b]` + `[c]` → `[a,b,c]`: all of `json` but its `]`, a comma, all of `tail` but its `[`.
  const joined = Buffer.allocUnsafe(json.length + tail.length - 1);
  json.copy(joined, 0, 0, json.length - 1);
  joined[json.length - 1] = COMMA;
  tail.copy(joined, json.length, 1);
  return joined;
}
