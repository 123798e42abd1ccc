import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDelta, mergeScopes, splitDelta, withoutTemp } from '../../../src/adapters/adk/state.js';

/*
 * The state scopes on any keys a caller may send (they come from request bodies on ADK's dev
 * server): split by prefix and merged back, a delta reads as itself without its temp: keys;
 * `__proto__` and friends stay plain keys; a delta replaces values whole.
 */

const key = fc.tuple(fc.constantFrom('', 'app:', 'user:', 'temp:', 'apps:', 'App:'), fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', ''))).map(([prefix, rest]) => prefix + rest);
const value = fc.jsonValue();
/** A record with own keys exactly as given (`__proto__` too), as JSON.parse makes them. */
const delta = fc.array(fc.tuple(key, value), { maxLength: 20 }).map((entries) => {
  const record: Record<string, unknown> = Object.create(null);
  for (const [k, v] of entries) Object.defineProperty(record, k, { value: v, enumerable: true, writable: true, configurable: true });
  return record;
});

const entries = (record: Record<string, unknown>) => Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe('ADK state scopes', () => {
  it('split then merged, a delta is itself without its temp: keys', () => {
    fc.assert(
      fc.property(delta, (d) => {
        const { app, user, session } = splitDelta(d);
        expect(entries(mergeScopes(app, user, session))).toEqual(entries(d).filter(([k]) => !k.startsWith('temp:')));
        expect(entries(withoutTemp(d))).toEqual(entries(d).filter(([k]) => !k.startsWith('temp:')));
        for (const k of Object.keys(session)) expect(/^(app|user|temp):/.test(k)).toBe(false);
        expect(Object.getPrototypeOf(mergeScopes(app, user, session))).toBeNull();
      }),
    );
  });

  it('a delta sets keys whole: no deep merge, null is a value', () => {
    fc.assert(
      fc.property(delta, delta, (base, d) => {
        const next = applyDelta(base, d);
        for (const [k, v] of Object.entries(d)) expect(next[k]).toEqual(v);
        for (const [k, v] of Object.entries(base)) if (!Object.hasOwn(d, k)) expect(next[k]).toEqual(v);
      }),
    );
    expect({ ...applyDelta({ a: { x: 1, y: 2 }, b: 1 }, { a: { x: 3 }, b: null }) }).toEqual({ a: { x: 3 }, b: null });
  });
});
