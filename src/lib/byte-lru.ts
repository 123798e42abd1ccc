/**
 * A map bounded by the bytes its entries are charged (`costOf`, the caller's measure), least
 * recently used out first. Written here, not taken from `lru-cache`: that is not a dependency, and
 * this is the few lines two caches need (the history cache, APQ's query texts).
 */
export class ByteLru<V> {
  /** A Map iterates in insertion order: a hit is moved to the end, the first is the least recently used. */
  private readonly entries = new Map<string, { value: V; cost: number }>();
  private used = 0;

  constructor(
    readonly maxBytes: number,
    private readonly costOf: (key: string, value: V) => number,
    /** An entry charged more is not kept (nor is the one it would replace). */
    private readonly maxEntryBytes = maxBytes,
  ) {}

  /** The bytes the entries are charged now (at most `maxBytes`). */
  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    const cost = this.costOf(key, value);
    if (cost > this.maxEntryBytes) return;
    this.entries.set(key, { value, cost });
    this.used += cost;
    for (const [oldest, victim] of this.entries) {
      if (this.used <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.used -= victim.cost;
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.used -= entry.cost;
  }
}
