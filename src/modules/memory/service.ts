import { type Clock, isoTime } from '../../domain/clock.js';
import type { MemoryItem } from '../../domain/records.js';
import type { TxWork } from '../../db/runner.js';
import { filterParam } from './filter.js';
import type { MemoryOperation } from './inputs.js';
import { joinNamespace, listNamespaces, literalPrefix } from './namespace.js';
import type { MemoryMaintenance, MemoryStore, ScoredRow } from './store.js';
import { queryTerms, searchText } from './text.js';
import { encodeVector, rankByCosine } from './vectors.js';

export * from './inputs.js';

/** A search result: the item and its score (text rank or cosine similarity; null when unranked). */
export type ScoredItem = MemoryItem & { score: number | null };

export type MemoryResult =
  | { kind: 'get'; item: MemoryItem | null }
  | { kind: 'put' }
  | { kind: 'search'; items: ScoredItem[] }
  | { kind: 'listNamespaces'; namespaces: string[][] };

/**
 * The memory store's operations (LangGraph's `BaseStore.batch`), shared by the GraphQL and REST
 * doors, over one tenant's store. The rules live here:
 *
 * - TTL: an item written with `ttlMinutes` expires that long after the write (fractions of a minute
 *   honoured, to the millisecond); a read with `refreshTtl` moves the expiry to now + its TTL. An
 *   expired item is never returned, and is deleted by the retention sweeper (`sweepExpired`).
 * - A batch runs its operations in order, as one transaction when any of them writes (a put, or a
 *   refreshing read), so a later operation sees an earlier one's write, and a failure leaves nothing.
 * - Search ranks by cosine similarity when given `queryVector`, else by text relevance when its
 *   `query` has words, else lists newest updates first; then `offset` and `limit`.
 */
export class MemoryService {
  constructor(
    readonly store: MemoryStore & MemoryMaintenance,
    private readonly clock: Clock,
  ) {}

  batch(operations: readonly MemoryOperation[]): Promise<MemoryResult[]> {
    const nowMs = this.clock.now();
    const writes = operations.some((op) => op.kind === 'put' || ('refreshTtl' in op && op.refreshTtl));
    const self = this;
    return this.store.run(function* () {
      const results: MemoryResult[] = [];
      for (const op of operations) results.push(yield* self.apply(op, nowMs));
      return results;
    }, writes);
  }

  private *apply(op: MemoryOperation, nowMs: number): TxWork<MemoryResult> {
    const now = isoTime(nowMs);
    switch (op.kind) {
      case 'get': {
        const item = yield* this.store.get(op.namespace, op.key, now);
        if (!item || !op.refreshTtl) return { kind: 'get', item };
        const [refreshed] = yield* this.refresh([item], nowMs);
        return { kind: 'get', item: refreshed! };
      }
      case 'put': {
        if (op.value === null) {
          yield* this.store.delete(op.namespace, op.key);
          return { kind: 'put' };
        }
        const item: MemoryItem = {
          namespace: op.namespace,
          key: op.key,
          value: op.value,
          createdAt: now,
          updatedAt: now,
          ttlMinutes: op.ttlMinutes,
          expiresAt: expiryOf(op.ttlMinutes, nowMs),
        };
        const vectors = op.vectors.map((v) => ({ field: v.field, vector: encodeVector(v.vector) }));
        yield* this.store.put(item, searchText(op.value), vectors);
        return { kind: 'put' };
      }
      case 'search': {
        const rows = yield* this.search(op, now);
        const items = op.refreshTtl ? yield* this.refresh(rows.map((r) => r.item), nowMs) : rows.map((r) => r.item);
        return { kind: 'search', items: items.map((item, i) => ({ ...item, score: rows[i]!.score })) };
      }
      case 'listNamespaces': {
        const stored = yield* this.store.namespaces(literalPrefix(op.matchConditions), now);
        return { kind: 'listNamespaces', namespaces: listNamespaces(stored, op) };
      }
    }
  }

  private *search(op: Extract<MemoryOperation, { kind: 'search' }>, now: string): TxWork<ScoredRow[]> {
    const base = { prefix: op.namespacePrefix, filter: op.filter.length ? filterParam(op.filter) : null };
    if (op.queryVector) {
      const page = rankByCosine(yield* this.store.vectorCandidates(base, now), op.queryVector, op.offset, op.limit);
      const items = new Map((yield* this.store.byNames(page.map((r) => r.item), now)).map((item) => [nameOf(item), item]));
      return page.flatMap(({ item, score }) => {
        const found = items.get(nameOf(item));
        return found ? [{ item: found, score }] : [];
      });
    }
    const terms = op.query === null ? [] : queryTerms(op.query);
    return yield* this.store.search({ ...base, terms: terms.length ? terms : null, limit: op.limit, offset: op.offset }, now);
  }

  /** The items with their expiry moved to now + their TTL (those with one), written. */
  private *refresh(items: readonly MemoryItem[], nowMs: number): TxWork<MemoryItem[]> {
    const out = items.map((item) => (item.ttlMinutes === null ? item : { ...item, expiresAt: expiryOf(item.ttlMinutes, nowMs) }));
    const moved = out.filter((item) => item.ttlMinutes !== null) as (MemoryItem & { expiresAt: string })[];
    if (moved.length) yield* this.store.refresh(moved);
    return out;
  }

  /**
   * Retention: deletes the items expired by now, `batchSize` a statement (so that a big sweep never
   * holds the write lock long); how many. A dry run only counts them.
   */
  async sweepExpired({ dryRun = false, batchSize = 100 }: { dryRun?: boolean; batchSize?: number } = {}): Promise<number> {
    const now = isoTime(this.clock.now());
    if (dryRun) return this.store.countExpired(now);
    let deleted = 0;
    for (;;) {
      const n = await this.store.deleteExpired(now, batchSize);
      deleted += n;
      if (n < batchSize) return deleted;
    }
  }
}

const nameOf = (item: { namespace: readonly string[]; key: string }) => `${joinNamespace(item.namespace)}\u0000${item.key}`;

/** The moment an item written (or refreshed) at `nowMs` expires, to the millisecond. */
export function expiryOf(ttlMinutes: number | null, nowMs: number): string | null {
  return ttlMinutes === null ? null : isoTime(nowMs + Math.round(ttlMinutes * 60_000));
}
