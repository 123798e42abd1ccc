import { decodeCursor, encodeCursor } from '../domain/cursors.js';
import { type FieldIssue, ValidationError } from '../domain/errors.js';
import { parseTimestamp } from '../domain/inputs.js';
import { DEFAULT_PAGE_SIZE, type PageSizes } from '../domain/paging.js';
import type { Artifact, Message, Metric, Session } from '../domain/records.js';
import type { Slice } from '../domain/paging.js';
import type { MetricKey } from '../modules/metrics/store.js';
import type { Checkpoint, CheckpointKey } from '../modules/checkpoints/model.js';
import type { SupersededMessage } from '../modules/history/superseded.js';

/**
 * Relay cursor connections over the storage's keyset slices.
 *
 * A cursor is `[kind, ...key]` in the form of every cursor (domain/cursors.ts): the row's sort key, not its position, so a cursor
 * keeps pointing at the same place while rows are inserted or deleted around it. The kind keeps a
 * cursor of one connection from being used in another.
 */

/** How the rows of one connection are ordered, and their cursors. */
export interface Keyset<T, K> {
  keyOf(row: T): K;
  encode(key: K): string;
  /** The key a cursor of this keyset stands for; null for anything `encode` did not make. */
  decode(cursor: string): K | null;
}

function keyset<T, K>(
  kind: string,
  keyOf: (row: T) => K,
  toParts: (key: K) => unknown[],
  fromParts: (parts: unknown[]) => K | null,
): Keyset<T, K> {
  return {
    keyOf,
    encode: (key) => encodeCursor(kind, toParts(key)),
    decode: (cursor) => {
      const parts = decodeCursor(cursor, kind);
      return parts && fromParts(parts);
    },
  };
}

const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 256;
const isSeq = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isTimestamp = (value: unknown): value is string => typeof value === 'string' && parseTimestamp(value) === value;

const idKeyset = <T extends { id: string }>(kind: string): Keyset<T, string> =>
  keyset(kind, (row) => row.id, (id) => [id], (parts) => (parts.length === 1 && isId(parts[0]) ? parts[0] : null));

/** Sessions: newest first (ids are time-ordered ULIDs). */
export const sessionKeyset = idKeyset<Session>('session');
export const artifactKeyset = idKeyset<Artifact>('artifact');
/** A session's forks: creation order. */
export const forkKeyset = idKeyset<Session>('fork');

/** A session's history: conversation order. */
export const messageKeyset = keyset<Message, number>(
  'message',
  (message) => message.seq,
  (seq) => [seq],
  (parts) => (parts.length === 1 && isSeq(parts[0]) ? parts[0] : null),
);

/** A session's superseded messages: the order they were taken out of its history. */
export const supersededKeyset = keyset<SupersededMessage, number>(
  'superseded',
  (s) => s.entry,
  (entry) => [entry],
  (parts) => (parts.length === 1 && isSeq(parts[0]) ? parts[0] : null),
);

/** Metrics: by time, then id among equal timestamps. */
export const metricKeyset = keyset<Metric, MetricKey>(
  'metric',
  (metric) => ({ timestamp: metric.timestamp, id: metric.id }),
  (key) => [key.timestamp, key.id],
  (parts) => {
    const [timestamp, id] = parts;
    return parts.length === 2 && isTimestamp(timestamp) && isId(id) ? { timestamp, id } : null;
  },
);

/** Checkpoints: newest (highest id) first, then by thread and namespace among equal ids. */
export const checkpointKeyset = keyset<Checkpoint, CheckpointKey>(
  'checkpoint',
  (c) => ({ threadId: c.threadId, namespace: c.namespace, id: c.id }),
  (key) => [key.id, key.threadId, key.namespace],
  (parts) => {
    const [id, threadId, namespace] = parts;
    return parts.length === 3 && isId(id) && isId(threadId) && typeof namespace === 'string' && namespace.length <= 1024 ? { threadId, namespace, id } : null;
  },
);

// --- pages --------------------------------------------------------------------------------------

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface Page<K> {
  /** What to ask the storage for: one row more than the page, to know whether more follow. */
  slice: Slice<K>;
  size: number;
  /** Paging with `last`: the page is the end of the window. */
  backward: boolean;
}

/**
 * Declared (`extensions`) on each connection field whose resolver pages with `pagedByDefault`: the
 * cost limit (http/graphql-cost.ts) then counts a read without `first`/`last` as this many items.
 * A connection without it counts as its whole list, up to MAX_PAGE_SIZE — what `wholeByDefault`
 * returns, and the safe guess for a connection that forgot to say.
 */
export const PAGED_BY_DEFAULT = { defaultPageSize: DEFAULT_PAGE_SIZE } as const;

/** Reads and checks Relay paging arguments; a ValidationError names every bad argument. */
export function readPage<K>(args: PageArgs, keys: Keyset<unknown, K>, sizes: PageSizes): Page<K> {
  const issues: FieldIssue[] = [];
  const { first, last } = args;
  if (first != null && last != null) {
    issues.push({ path: ['last'], message: 'cannot be combined with first: page forward with first/after, or backward with last/before' });
  }
  for (const [name, size] of [['first', first], ['last', last]] as const) {
    if (size == null) continue;
    if (size < 0) issues.push({ path: [name], message: 'must not be negative' });
    else if (size > sizes.max) issues.push({ path: [name], message: `must be at most ${sizes.max}` });
  }
  const cursor = (name: 'after' | 'before'): K | null => {
    const value = args[name];
    if (value == null) return null;
    const key = keys.decode(value);
    if (key === null) issues.push({ path: [name], message: 'is not a cursor of this connection' });
    return key;
  };
  const after = cursor('after');
  const before = cursor('before');
  if (issues.length > 0) throw new ValidationError(issues);

  const backward = last != null;
  const size = first ?? last ?? sizes.default;
  return { slice: { after, before, limit: size + 1, fromEnd: backward }, size, backward };
}

export interface Edge<T> {
  readonly cursor: string;
  readonly node: T;
}

/**
 * An edge whose cursor is encoded only when a query selects it: a query that selects `nodes` (or
 * only `edges { node }`) pays nothing for cursors, which is JSON + base64 per row of a big page.
 */
class LazyEdge<T, K> implements Edge<T> {
  constructor(
    readonly node: T,
    private readonly keys: Keyset<T, K>,
  ) {}

  get cursor(): string {
    return this.keys.encode(this.keys.keyOf(this.node));
  }
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: () => Promise<number>;
}

/** Shapes the rows fetched for `page` (in natural order, up to one extra) into a connection. */
export function toConnection<T, K>(
  rows: readonly T[],
  page: Page<K>,
  keys: Keyset<T, K>,
  totalCount: () => Promise<number>,
): Connection<T> {
  const more = rows.length > page.size;
  // The extra row is the one farthest from the cursor: the last going forward, the first going back.
  const nodes = !more ? rows : page.backward ? rows.slice(rows.length - page.size) : rows.slice(0, page.size);
  const edges = nodes.map((node) => new LazyEdge(node, keys));
  const first = edges[0];
  const last = edges.at(-1);
  return {
    edges,
    pageInfo: {
      // Toward the cursor, the flag only says that a cursor was given (a row was there), as Pothos's
      // own helpers do: checking again would cost one more query per connection.
      hasNextPage: page.backward ? page.slice.before != null : more,
      hasPreviousPage: page.backward ? more : page.slice.after != null,
      // Getters too, for the same reason as the edges' cursors.
      get startCursor() {
        return first?.cursor ?? null;
      },
      get endCursor() {
        return last?.cursor ?? null;
      },
    },
    totalCount,
  };
}
