/* Models and helpers for the backend contract and storage tests. */
import type { Slice } from '../../src/domain/paging.js';
import fc from 'fast-check';
import type { Json, JsonObject } from '../../src/domain/json.js';

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

/** JSON values that tend to break storage layers. */
export const NASTY_STRINGS = [
  '',
  'plain',
  'quote " and \' apostrophe',
  'back\\slash \\\\ and \\u0041 literally',
  'line\nbreak\r\ntab\t form\f back\b',
  'NUL \u0000 inside and at the end\u0000',
  '\u0001\u001f control characters',
  'emoji 😀🧑‍🚀👍🏽 and flags 🇩🇪',
  'RTL: مرحبا بالعالم עברית \u200f mark',
  'combining é (e\u0301) and ẞ ß İ',
  'CJK 漢字 かな 한국어',
  '\u2028\u2029 separators',
  '{"not":"json"} [1,2',
  "'; DROP TABLE sessions; --",
  '%_ like wildcards *?',
];
export const NASTY_JSON: JsonObject = {
  strings: NASTY_STRINGS,
  [NASTY_STRINGS[5]!]: 'NUL in a key',
  'emoji key 😀': 'value',
  '': 'empty key',
  numbers: [0, -0, 1, -1, 0.1, 0.30000000000000004, 1e21, 1.7976931348623157e308, 5e-324, -2.2250738585072014e-308, 9007199254740991, -9007199254740991, 123456789.123456789],
  literals: [true, false, null],
  empty: { object: {}, array: [] },
  lone: '\ud800 lone surrogates \udfff are escaped by JSON.stringify',
};
export function nested(depth: number): Json {
  // `depth` levels of containers around a scalar, alternating arrays and objects.
  let value: Json = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { level: value };
  return value;
}

