import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWellFormedText, type Json, jsonObject, jsonValue, MAX_JSON_DEPTH } from '../../src/domain/json.js';

/** Wraps a value in `levels` more arrays. */
function wrap(value: Json, levels: number): Json {
  let out = value;
  for (let i = 0; i < levels; i++) out = [out];
  return out;
}

/** The value with every -0 replaced by 0: the only change a JSON round-trip may make. */
function positiveZeros(value: Json): Json {
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(positiveZeros);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, positiveZeros(v)]));
  }
  return value;
}

/** Nesting depth as the schema counts it: a scalar is 0, `[1]` is 1. */
function depth(value: Json): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depth));
  if (value !== null && typeof value === 'object') return 1 + Math.max(0, ...Object.values(value).map(depth));
  return 0;
}

describe('jsonValue', () => {
  it('accepts any JSON value, and JSON.stringify/parse gives it back (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8, stringUnit: 'binary' }), (value) => {
        const result = jsonValue.safeParse(value);
        expect(result.success).toBe(true);
        expect(result.data).toBe(value); // validated, not copied or changed
        expect(JSON.parse(JSON.stringify(value))).toEqual(positiveZeros(value as Json));
      }),
      { numRuns: 500 },
    );
  });

  it('accepts exactly the values nested at most 64 levels (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.integer({ min: 0, max: 70 }), (inner, levels) => {
        const value = wrap(inner as Json, levels);
        expect(jsonValue.safeParse(value).success).toBe(depth(value) <= MAX_JSON_DEPTH);
      }),
      { numRuns: 500 },
    );
    expect(MAX_JSON_DEPTH).toBe(64);
  });

  it('refuses a non-finite number anywhere inside (property)', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 3 }),
        fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
        fc.boolean(),
        (value, bad, inArray) => {
          const poisoned = inArray ? [value as Json, bad] : { ok: value as Json, bad };
          expect(jsonValue.safeParse(poisoned).success).toBe(false);
        },
      ),
    );
  });

  it('accepts null-prototype objects (as some parsers make) and refuses class instances', () => {
    const bare = Object.assign(Object.create(null) as Record<string, Json>, { a: 1 });
    expect(jsonValue.safeParse(bare).success).toBe(true);
    class Point {
      x = 1;
    }
    expect(jsonValue.safeParse(new Point()).success).toBe(false);
    expect(jsonValue.safeParse({ when: new Date(0) }).success).toBe(false);
    expect(jsonValue.safeParse(undefined).success).toBe(false);
  });
});

describe('jsonObject', () => {
  it('accepts JSON objects and refuses every other JSON value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
        expect(jsonObject.safeParse(value).success).toBe(isObject);
      }),
      { numRuns: 500 },
    );
  });
});

describe('isWellFormedText', () => {
  it('is true for any string of whole code points and false once a lone surrogate is inserted (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: 'grapheme' }),
        fc.oneof(fc.integer({ min: 0xd800, max: 0xdbff }), fc.integer({ min: 0xdc00, max: 0xdfff })),
        (before, after, unit) => {
          expect(isWellFormedText(before + after)).toBe(true);
          const lone = String.fromCharCode(unit);
          // a high surrogate followed by a low one would be a pair: keep the neighbours non-surrogates
          expect(isWellFormedText(`${before}x${lone}x${after}`)).toBe(false);
        },
      ),
    );
  });
});
