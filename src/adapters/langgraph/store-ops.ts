import type { GetOperation, Item, ListNamespacesOperation, MatchCondition, Operation, PutOperation, SearchItem, SearchOperation } from '@langchain/langgraph-checkpoint';
import type { MemoryItem, MemoryOperation, MemoryResult } from '../../client/index.js';

/**
 * LangGraph's store operations and the service's memory operations (docs/memory-store.md), both
 * ways. LangGraph tells its operations apart by their members (a put has `value`, a search
 * `namespacePrefix`, a get `namespace` and `key`, a listing neither); the service by a tag.
 */

/** A put, with its TTL in minutes (`null`: never expires; absent: the store's default), as Python's `PutOp.ttl`. */
export type StorePutOperation = PutOperation & { ttl?: number | null };
/** A get that may refresh the item's TTL (absent: the store's `refreshOnRead`), as Python's `GetOp.refresh_ttl`. */
export type StoreGetOperation = GetOperation & { refreshTtl?: boolean };
/** A search that may refresh its items' TTLs, as Python's `SearchOp.refresh_ttl`. */
export type StoreSearchOperation = SearchOperation & { refreshTtl?: boolean };
export type StoreOperation = StoreGetOperation | StoreSearchOperation | StorePutOperation | ListNamespacesOperation | Operation;

export type Classified =
  | { kind: 'put'; op: StorePutOperation }
  | { kind: 'search'; op: StoreSearchOperation }
  | { kind: 'get'; op: StoreGetOperation }
  | { kind: 'listNamespaces'; op: ListNamespacesOperation };

export function classify(op: StoreOperation): Classified {
  if ('value' in op) return { kind: 'put', op };
  if ('namespacePrefix' in op) return { kind: 'search', op };
  if ('namespace' in op && 'key' in op) return { kind: 'get', op };
  return { kind: 'listNamespaces', op: op as ListNamespacesOperation };
}

/** The server's limits on one request (docs/memory-store.md#limits-and-what-is-not-here). */
export const REQUEST_LIMITS = { operations: 1000, rows: 10_000 } as const;

/** Rows an operation may return, as the server counts them against a request's bound. */
export function rowsOf(op: MemoryOperation): number {
  return op.search ? (op.search.limit ?? 10) : op.listNamespaces ? (op.listNamespaces.limit ?? 100) : 0;
}

/**
 * Consecutive runs of operations, each within one request's bounds, in order. Almost every batch
 * is one run; a larger one is sent in several requests, one after the other (each its own
 * transaction).
 */
export function requestRuns(ops: readonly MemoryOperation[]): MemoryOperation[][] {
  const runs: MemoryOperation[][] = [];
  let run: MemoryOperation[] = [];
  let rows = 0;
  for (const op of ops) {
    const r = rowsOf(op);
    if (run.length && (run.length === REQUEST_LIMITS.operations || rows + r > REQUEST_LIMITS.rows)) {
      runs.push(run);
      run = [];
      rows = 0;
    }
    run.push(op);
    rows += r;
  }
  if (run.length) runs.push(run);
  return runs;
}

/**
 * LangGraph's match conditions as the service's one prefix and one suffix: conditions of one kind
 * are merged label by label (`*` gives way to a label). Null when two of them can never match the
 * same namespace (different labels at one position): the answer is then empty without asking.
 */
export function mergeConditions(conditions: readonly MatchCondition[] | undefined): { prefix?: string[]; suffix?: string[] } | null {
  const merged: { prefix?: string[]; suffix?: string[] } = {};
  for (const { matchType, path } of conditions ?? []) {
    // A suffix is merged from its end: reversed, it is a prefix.
    const labels = matchType === 'suffix' ? [...path].reverse() : [...path];
    const earlier = merged[matchType];
    let next = labels;
    if (earlier) {
      next = [];
      for (let i = 0; i < Math.max(earlier.length, labels.length); i++) {
        const a = earlier[i] ?? '*';
        const b = labels[i] ?? '*';
        if (a !== '*' && b !== '*' && a !== b) return null;
        next.push(a === '*' ? b : a);
      }
    }
    merged[matchType] = next;
  }
  if (merged.suffix) merged.suffix.reverse();
  return merged;
}

/** An item as LangGraph returns it: its dates as `Date`s. */
export function toItem(item: MemoryItem): Item {
  return { namespace: item.namespace, key: item.key, value: item.value, createdAt: new Date(item.createdAt), updatedAt: new Date(item.updatedAt) };
}

/** A search result as LangGraph returns it: `score` left out when unranked. */
export function toSearchItem(item: MemoryItem): SearchItem {
  const out: SearchItem = toItem(item);
  if (item.score != null) out.score = item.score;
  return out;
}

/** One operation's answer in LangGraph's shape: an item or null (get), items (search), namespaces, or nothing (put). */
export function toResult(result: MemoryResult): Item | null | SearchItem[] | string[][] | undefined {
  switch (result.kind) {
    case 'GET':
      return result.item ? toItem(result.item) : null;
    case 'SEARCH':
      return (result.items ?? []).map(toSearchItem);
    case 'LIST_NAMESPACES':
      return result.namespaces ?? [];
    case 'PUT':
      return undefined;
  }
}
