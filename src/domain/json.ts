import { z } from 'zod';

/** Any JSON value, as stored in `metadata`, `data`, `value` and `labels`. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** JSON nesting deeper than this is refused: it only ever comes from broken or hostile clients. */
export const MAX_JSON_DEPTH = 64;

/** Levels of arrays and objects around the deepest point; an empty container is a level too. */
function depthOf(value: unknown, depth: number): number {
  if (depth > MAX_JSON_DEPTH) return depth;
  if (Array.isArray(value)) {
    let max = depth + 1;
    for (const item of value) max = Math.max(max, depthOf(item, depth + 1));
    return max;
  }
  if (value !== null && typeof value === 'object') {
    let max = depth + 1;
    for (const item of Object.values(value)) max = Math.max(max, depthOf(item, depth + 1));
    return max;
  }
  return depth;
}

/**
 * Lone UTF-16 surrogates cannot be stored as UTF-8 text: SQLite would silently replace them.
 * Refusing them keeps "what you wrote is what you read" true.
 */
export function isWellFormedText(value: string): boolean {
  return value.isWellFormed();
}

function isPlainJson(value: unknown, depth = 0): boolean {
  // Deeper than the limit the depth check refuses the value anyway; descending further would only
  // let a few kilobytes of brackets overflow the stack (a RangeError instead of a validation error).
  if (depth > MAX_JSON_DEPTH) return true;
  switch (typeof value) {
    case 'string':
      return true; // JSON.stringify escapes lone surrogates, so any string round-trips
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) return value.every((item) => isPlainJson(item, depth + 1));
      if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return false;
      return Object.values(value).every((item) => isPlainJson(item, depth + 1));
    default:
      return false;
  }
}

export const jsonValue = z.custom<Json>((value) => value !== undefined && isPlainJson(value), {
  message: 'must be a JSON value',
}).refine((value) => depthOf(value, 0) <= MAX_JSON_DEPTH, {
  message: `JSON nesting must not exceed ${MAX_JSON_DEPTH} levels`,
});

export const jsonObject = z
  .custom<JsonObject>(
    (value) => value !== null && typeof value === 'object' && !Array.isArray(value) && isPlainJson(value),
    { message: 'must be a JSON object' },
  )
  .refine((value) => depthOf(value, 0) <= MAX_JSON_DEPTH, {
    message: `JSON nesting must not exceed ${MAX_JSON_DEPTH} levels`,
  });

/**
 * Whether two JSON values are the same value: objects compare member by member whatever their
 * order, arrays item by item, numbers by value (so -0 equals 0, as it does once stored as JSON).
 */
export function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]!));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key]!, b[key]!));
}
