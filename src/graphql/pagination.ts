import { decodeCursor, encodeCursor } from '../domain/cursors.js';
import type { Pace } from './incremental.js';
import { type FieldIssue, ValidationError } from '../domain/errors.js';
import { parseTimestamp } from '../domain/inputs.js';
import { DEFAULT_PAGE_SIZE, type PageSizes } from '../domain/paging.js';
import type { Artifact, Message, Metric, Session, State } from '../domain/records.js';
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

/** A state's kept versions: newest first. */
export const stateVersionKeyset = keyset<State, number>(
  'stateVersion',
  (state) => state.version,
  (version) => [version],
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

// --- streamed connections (@stream) -------------------------------------------------------------

/** Rows a streamed connection reads per statement. */
export const STREAM_PAGE_SIZE = 100;

/**
 * The rows of a forward page, read STREAM_PAGE_SIZE at a time as they are iterated, each page
 * after the first only once `pace` says the response took more (see graphql/incremental.ts). Any
 * number of iterations share one read: a query may stream both `nodes` and `edges`.
 */
class StreamedRows<T, K> implements AsyncIterable<T> {
  private readonly rows: T[] = [];
  private more = false;
  private done = false;
  private reading: Promise<void> | null = null;
  private releaseAll!: () => void;
  /** Settles when the rest is to be read without waiting for the response (`readAll`). */
  private readonly released = new Promise<void>((resolve) => (this.releaseAll = resolve));

  constructor(
    private readonly read: (after: K | null, limit: number) => Promise<readonly T[]>,
    private after: K | null,
    private readonly size: number,
    private readonly keys: Keyset<T, K>,
    private readonly pace: Pace | null,
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    let i = 0;
    for (;;) {
      while (i < this.rows.length) yield this.rows[i++]!;
      if (this.done) return;
      await this.readNext();
    }
  }

  /** The whole page, read without waiting for the response; then whether more rows follow it. */
  async readAll(): Promise<{ rows: readonly T[]; more: boolean }> {
    this.releaseAll();
    while (!this.done) await this.readNext();
    return { rows: this.rows, more: this.more };
  }

  /** The first row, once read (null for an empty page). */
  async first(): Promise<T | null> {
    while (this.rows.length === 0 && !this.done) await this.readNext();
    return this.rows[0] ?? null;
  }

  private readNext(): Promise<void> {
    return (this.reading ??= this.readPage().finally(() => (this.reading = null)));
  }

  private async readPage(): Promise<void> {
    // Every row read so far has been handed over (an iteration asks for the next one): the next
    // page once the response wants more. Gone: reading on would be for nobody.
    if (this.rows.length > 0 && this.pace && !(await this.pace.wanted(this.released))) return void (this.done = true);
    const remaining = this.size - this.rows.length;
    // One row more than the page has left: whether more follow is known without another read.
    const limit = Math.min(STREAM_PAGE_SIZE, remaining + 1);
    const got = await this.read(this.after, limit);
    if (got.length > remaining) {
      this.rows.push(...got.slice(0, remaining));
      this.more = true;
      this.done = true;
      return;
    }
    this.rows.push(...got);
    if (got.length < limit) this.done = true;
    else this.after = this.keys.keyOf(got.at(-1)!);
  }
}

/**
 * A forward page (`first`/`after`, or the default page) whose edges and nodes are async iterables
 * read as they are streamed (`@stream`): the items of the first STREAM_PAGE_SIZE rows leave before
 * the next rows are read. `pageInfo` is known only once the whole page is read: selected outside
 * a `@defer` fragment, it holds the first payload back until then.
 */
export function streamedConnection<T, K>(
  read: (after: K | null, limit: number) => Promise<readonly T[]>,
  page: Page<K>,
  keys: Keyset<T, K>,
  totalCount: () => Promise<number>,
  pace: Pace | null,
): Omit<Connection<T>, 'edges'> & { edges: AsyncIterable<Edge<T>> } {
  const rows = new StreamedRows(read, page.slice.after ?? null, page.size, keys, pace);
  const cursorOf = (row: T | null | undefined) => (row == null ? null : keys.encode(keys.keyOf(row)));
  return {
    edges: {
      async *[Symbol.asyncIterator]() {
        for await (const row of rows) yield new LazyEdge(row, keys);
      },
    },
    // Getters, read only when selected; promises, which the executor awaits (hence the cast).
    pageInfo: {
      get hasNextPage() {
        return rows.readAll().then(({ more }) => more);
      },
      hasPreviousPage: page.slice.after != null,
      get startCursor() {
        return rows.first().then(cursorOf);
      },
      get endCursor() {
        return rows.readAll().then(({ rows }) => cursorOf(rows.at(-1)));
      },
    } as unknown as Connection<T>['pageInfo'],
    totalCount,
  };
}
