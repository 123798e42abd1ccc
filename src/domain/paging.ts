/**
 * How many rows one page of a list holds, for every door (REST `limit`, GraphQL `first`/`last`):
 * the one home of the default page size and of the ceiling, MAX_PAGE_SIZE.
 */

/** Lists of many things (sessions, metrics) come this many at a time unless asked otherwise. */
export const DEFAULT_PAGE_SIZE = 100;

export interface PageSizes {
  /** Rows when the client asks for no size. */
  default: number;
  /** Largest size a client may ask for; more is refused, never silently cut. */
  max: number;
}

/** Sessions and metrics: 100 at a time, or MAX_PAGE_SIZE if that is smaller. */
export function pagedByDefault(maxPageSize: number): PageSizes {
  return { default: Math.min(DEFAULT_PAGE_SIZE, maxPageSize), max: maxPageSize };
}

/** A session's own rows (history, artifacts, forks): all of them when no size is asked for, up to MAX_PAGE_SIZE. */
export function wholeByDefault(maxPageSize: number): PageSizes {
  return { default: maxPageSize, max: maxPageSize };
}

/**
 * A window of rows in a resource's natural order (sessions: newest first; history: by `seq`;
 * artifacts: by id; metrics: by time). Rows are always returned in natural order.
 */
export interface Slice<K> {
  /** Only rows strictly after this key. */
  after?: K | null;
  /** Only rows strictly before this key. */
  before?: K | null;
  /** At most this many rows. */
  limit: number;
  /** Skip this many rows first (REST's `offset`). */
  offset?: number;
  /** Take the last `limit` rows of the window instead of the first (Relay's `last`). */
  fromEnd?: boolean;
}
