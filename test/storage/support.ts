/* Models and helpers for the backend contract and storage tests. */
import type { Slice } from '../../src/storage/backend.js';

/**
 * The reference semantics of `Slice`, over rows already in natural order: keep rows strictly
 * between the bounds, then skip `offset` and take `limit` from the front — or, with `fromEnd`, from
 * the back (the mirror image) — and return them in natural order.
 * `compare` orders keys in the natural order of the resource (e.g. descending ids for sessions).
 */
export function modelSlice<T, K>(rows: readonly T[], keyOf: (row: T) => K, compare: (a: K, b: K) => number, slice: Slice<K>): T[] {
  const window = rows.filter(
    (row) =>
      (slice.after == null || compare(keyOf(row), slice.after) > 0) &&
      (slice.before == null || compare(keyOf(row), slice.before) < 0),
  );
  const offset = slice.offset ?? 0;
  if (slice.fromEnd) return [...window].reverse().slice(offset, offset + slice.limit).reverse();
  return window.slice(offset, offset + slice.limit);
}

/** Code-unit order, which is byte order for the ASCII ids and ISO timestamps compared here. */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A value as it comes back from JSON: what every backend must return for a stored JSON value. */
export const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
