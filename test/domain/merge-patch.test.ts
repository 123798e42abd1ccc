import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Json, type JsonObject, jsonEqual, jsonValue, MAX_JSON_DEPTH } from '../../src/domain/json.js';
import { applyMergePatch } from '../../src/domain/merge-patch.js';

const isObject = (value: Json | undefined): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Defines a member: `object[key] = value` would set the prototype when `key` is "__proto__" (a
 * member JSON may well have) and leave no member behind.
 */
function setMember(object: JsonObject, key: string, value: Json): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A merge patch that turns `from` into `to` (the inverse of applying one), for values without null members. */
function diff(from: Json, to: Json): Json {
  if (!isObject(to) || !isObject(from)) return to;
  const patch: JsonObject = {};
  for (const key of Object.keys(from)) if (!Object.hasOwn(to, key)) setMember(patch, key, null);
  for (const [key, value] of Object.entries(to)) {
    if (!Object.hasOwn(from, key)) setMember(patch, key, isObject(value) ? diff({}, value) : value);
    else if (!jsonEqual(from[key]!, value)) setMember(patch, key, diff(from[key]!, value));
  }
  return patch;
}

/** JSON whose objects hold no null members (merge patch cannot produce those). */
const noNullMembers = fc.jsonValue({ maxDepth: 4 }).map(function strip(value: unknown): Json {
  if (Array.isArray(value)) return value.map(strip);
  if (isObject(value as Json)) {
    return Object.fromEntries(Object.entries(value as JsonObject).filter(([, v]) => v !== null).map(([k, v]) => [k, strip(v)]));
  }
  return value as Json;
});
const anyJson = fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<Json>;

describe('applyMergePatch (RFC 7396)', () => {
  it('gives the results of the RFC\'s examples (Appendix A)', () => {
    const cases: [Json, Json, Json][] = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [['a', 'b'], ['c', 'd'], ['c', 'd']],
      [{ a: 'b' }, ['c'], ['c']],
      [{ a: 'foo' }, null, null],
      [{ a: 'foo' }, 'bar', 'bar'],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [[1, 2], { a: 'b', c: null }, { a: 'b' }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [target, patch, result] of cases) expect(applyMergePatch(target, patch), JSON.stringify([target, patch])).toEqual(result);
  });

  it('applies to {} when there is no target', () => {
    expect(applyMergePatch(undefined, { a: 1, b: null, c: { d: null } })).toEqual({ a: 1, c: {} });
    expect(applyMergePatch(undefined, [1])).toEqual([1]);
  });

  it('keeps the order of members, new ones after, and never changes the target', () => {
    const target = { z: 1, a: { y: 2, b: 3 }, m: 4 };
    const copy = structuredClone(target);
    const result = applyMergePatch(target, { a: { c: 5, y: null }, n: 6, z: 7 });
    expect(JSON.stringify(result)).toBe('{"z":7,"a":{"b":3,"c":5},"m":4,"n":6}');
    expect(target).toEqual(copy);
  });

  it('keeps "__proto__" a member, never a prototype', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Json;
    const result = applyMergePatch({}, patch) as JsonObject;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.hasOwn(result, '__proto__')).toBe(true);
    expect(JSON.stringify(result)).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(jsonValue.safeParse(result).success).toBe(true);
  });

  it('a patch computed from a to b turns a into b (property)', () => {
    fc.assert(
      fc.property(noNullMembers, noNullMembers, (a, b) => {
        expect(applyMergePatch(a, diff(a, b))).toEqual(b);
      }),
      // The first counterexample found (seed 514084306): a "__proto__" member removed by the patch.
      { numRuns: 500, examples: [[{ ['__proto__']: 0 }, {}], [{}, { ['__proto__']: { a: 1 } }]] },
    );
  });

  it('is idempotent: applying a patch twice is applying it once (property)', () => {
    fc.assert(
      fc.property(anyJson, anyJson, (target, patch) => {
        const once = applyMergePatch(target, patch);
        expect(applyMergePatch(once, patch)).toEqual(once);
      }),
      { numRuns: 500 },
    );
  });

  it('nests no deeper than the deeper of target and patch, so the result stays valid JSON (property)', () => {
    const depth = (value: Json): number =>
      Array.isArray(value) ? 1 + Math.max(0, ...value.map(depth)) : isObject(value) ? 1 + Math.max(0, ...Object.values(value).map(depth)) : 0;
    fc.assert(
      fc.property(anyJson, anyJson, (target, patch) => {
        const result = applyMergePatch(target, patch);
        expect(depth(result)).toBeLessThanOrEqual(Math.max(depth(target), depth(patch)));
      }),
      { numRuns: 300 },
    );
    let deep: Json = { leaf: 1 };
    for (let i = 1; i < MAX_JSON_DEPTH; i++) deep = { d: deep };
    expect(jsonValue.safeParse(applyMergePatch(deep, deep)).success).toBe(true);
  });
});

describe('jsonEqual', () => {
  it('compares objects whatever their member order, arrays in order, numbers by value', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined as unknown as Json })).toBe(false);
    expect(jsonEqual(-0, 0)).toBe(true);
    expect(jsonEqual({}, [])).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
    expect(jsonEqual('1', 1)).toBe(false);
  });

  it('agrees with equality after a JSON round trip (property)', () => {
    fc.assert(
      fc.property(anyJson, anyJson, (a, b) => {
        expect(jsonEqual(a, JSON.parse(JSON.stringify(a)) as Json)).toBe(true);
        const sorted = (v: Json): string =>
          JSON.stringify(v, (_k, x: unknown) => (isObject(x as Json) ? Object.fromEntries(Object.entries(x as JsonObject).sort(([p], [q]) => (p < q ? -1 : 1))) : x));
        expect(jsonEqual(a, b)).toBe(sorted(a) === sorted(b));
      }),
      { numRuns: 300 },
    );
  });
});
