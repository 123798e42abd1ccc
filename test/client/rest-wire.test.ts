import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromWire, toWire } from '../../src/client/rest-wire.js';

/** snake_case names as the REST door spells them: lower-case words joined by single underscores. */
const snakeName = fc.array(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), { minLength: 1, maxLength: 4 }).map((words) => words.join('_'));

describe('REST wire records', () => {
  it('reads snake_case members as camelCase and writes them back unchanged, values untouched', () => {
    fc.assert(
      fc.property(fc.dictionary(snakeName, fc.jsonValue(), { maxKeys: 12 }), (record) => {
        const read = fromWire<Record<string, unknown>>(record);
        for (const [name, value] of Object.entries(record)) {
          expect(read[name.replace(/_([a-z])/g, (_, l: string) => l.toUpperCase())]).toBe(value);
        }
        expect(toWire(read)).toEqual(record);
      }),
    );
  });

  it('spells names the same however many different names it has seen', () => {
    const record = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`field_${i}_name`, i]));
    const read = fromWire<Record<string, number>>(record);
    expect(read.field_2999Name).toBe(2999);
    expect(Object.keys(read)).toHaveLength(3000);
    expect(toWire(read)).toEqual(record);
  });

  it('leaves out undefined members, and never lets a member named __proto__ replace the prototype', () => {
    expect(toWire({ sessionId: 's', parentId: undefined, metadata: { keep_me: 1 } })).toEqual({ session_id: 's', metadata: { keep_me: 1 } });
    const read = fromWire<Record<string, unknown>>(JSON.parse('{"__proto__": {"polluted": true}, "session_id": "s"}'));
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(read).toEqual({ sessionId: 's' });
  });

  it('refuses an answer that is not a record', () => {
    for (const answer of [null, 1, 'x', []]) expect(() => fromWire(answer)).toThrow(/expected record/);
  });
});
