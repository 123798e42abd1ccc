import { z } from 'zod';

/** Any JSON value, as stored in `metadata`, `data`, `value` and `labels`. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type JsonScalar = null | boolean | number | string;

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

/** Strings up to this length are counted one byte per code unit; longer ones by their UTF-8 bytes. */
const SHORT_STRING = 64;

/**
 * What the JSON text of `value` would take, in bytes, taken from `budget`: what is left, or a
 * negative number as soon as it runs out (the walk stops there, so a huge value costs no more than
 * the budget to measure). Without building the text: each string counts its UTF-8 bytes (short ones
 * a byte per character) plus its quotes, numbers a generous 24, and escapes are not counted — an
 * estimate close to JSON.stringify's length for the records of this service, not a bound. Members
 * whose value is `undefined` are left out, as JSON.stringify does.
 */
export function jsonBytesLeft(value: unknown, budget: number): number {
  switch (typeof value) {
    case 'string':
      return budget - 2 - (value.length <= SHORT_STRING ? value.length : Buffer.byteLength(value));
    case 'number':
      return budget - 24;
    case 'boolean':
      return budget - 5;
    case 'object': {
      if (value === null) return budget - 4;
      let left = budget - 2;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length && left >= 0; i++) left = jsonBytesLeft(value[i], left - 1);
        return left;
      }
      for (const key in value) {
        const member = (value as Record<string, unknown>)[key];
        if (member === undefined) continue;
        left = jsonBytesLeft(member, left - key.length - 4);
        if (left < 0) return left;
      }
      return left;
    }
    default:
      return budget;
  }
}

/**
 * A JSON value's text with every object's members in key order: two values are `jsonEqual` exactly
 * when their canonical texts are equal, so a hash of it stands for the value whatever its key order.
 */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, Json>)[k]!)}`).join(',')}}`;
}
