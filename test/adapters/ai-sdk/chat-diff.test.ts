import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planChatSave, sameJson, type ChatSavePlan, type StoredChatMessage } from '../../../src/adapters/ai-sdk/chat-diff.js';

/*
 * The rule saveChat follows, as a pure function: carrying out its plan on the stored chat gives
 * exactly the given list, a second plan is then empty (saving twice is a no-op), and the plan sets
 * aside only what the given list no longer has at its position.
 */

interface Msg {
  id: string;
  text: string;
}

/** What the service does with a plan: in-place replacements by key, then the last K set aside and the rest appended. */
function apply(stored: readonly StoredChatMessage[], plan: ChatSavePlan<Msg>): StoredChatMessage[] {
  const replaced = stored.map((message) => {
    const next = plan.replaceInPlace.find((m) => m.id === message.key);
    return next ? { key: next.id, item: next } : message;
  });
  return [...replaced.slice(0, stored.length - plan.replaceLast), ...plan.append.map((m) => ({ key: m.id, item: m }))];
}

const stored = (messages: Msg[]): StoredChatMessage[] => messages.map((m) => ({ key: m.id, item: { ...m } }));

// Few ids and texts, so that lists share prefixes, reuse ids and change bodies often.
const msgArb = fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), text: fc.constantFrom('x', 'y') });
const chatArb = fc.uniqueArray(msgArb, { selector: (m) => m.id, maxLength: 6 });
/** A stored chat that may hold messages written by other means (no key, no item); keys unique, as the service keeps them. */
const storedArb = fc
  .array(fc.oneof(msgArb.map((m): StoredChatMessage => ({ key: m.id, item: { ...m } })), fc.constant<StoredChatMessage>({ key: null, item: null })), { maxLength: 7 })
  .filter((list) => {
    const keys = list.flatMap((m) => (m.key === null ? [] : [m.key]));
    return new Set(keys).size === keys.length;
  });

describe('planChatSave', () => {
  it('applied to any stored chat gives the given list, and a second plan is empty (property)', () => {
    fc.assert(
      fc.property(storedArb, chatArb, (before, given) => {
        const plan = planChatSave(before, given);
        const after = apply(before, plan);
        expect(after).toEqual(stored(given));
        expect(planChatSave(after, given)).toEqual({ replaceInPlace: [], replaceLast: 0, append: [] });
      }),
    );
  });

  it('sets aside only the stored messages after the longest common run of ids, and replaces in place only changed bodies (property)', () => {
    fc.assert(
      fc.property(chatArb, chatArb, (before, given) => {
        const plan = planChatSave(stored(before), given);
        let common = 0;
        while (common < before.length && common < given.length && before[common]!.id === given[common]!.id) common++;
        expect(plan.replaceLast).toBe(before.length - common);
        expect(plan.append).toEqual(given.slice(common));
        expect(plan.replaceInPlace).toEqual(given.slice(0, common).filter((m, i) => m.text !== before[i]!.text));
      }),
    );
  });

  it('names the usual cases: append, continuation, regenerate, truncate', () => {
    const u1 = { id: 'u1', text: 'hi' };
    const a1 = { id: 'a1', text: 'hello' };
    const a2 = { id: 'a2', text: 'hello again' };
    expect(planChatSave(stored([u1]), [u1, a1])).toEqual({ replaceInPlace: [], replaceLast: 0, append: [a1] });
    expect(planChatSave(stored([u1, a1]), [u1, { ...a1, text: 'hello, world' }])).toEqual({ replaceInPlace: [{ ...a1, text: 'hello, world' }], replaceLast: 0, append: [] });
    expect(planChatSave(stored([u1, a1]), [u1, a2])).toEqual({ replaceInPlace: [], replaceLast: 1, append: [a2] });
    expect(planChatSave(stored([u1, a1]), [u1])).toEqual({ replaceInPlace: [], replaceLast: 1, append: [] });
    expect(planChatSave(stored([u1, a1]), [u1, a1])).toEqual({ replaceInPlace: [], replaceLast: 0, append: [] });
  });
});

describe('sameJson', () => {
  it('ignores member order, not array order, and tells values and types apart', () => {
    expect(sameJson({ a: 1, b: [1, { c: 2, d: null }] }, { b: [1, { d: null, c: 2 }], a: 1 })).toBe(true);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson({ a: undefined }, { b: undefined })).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson('1', 1)).toBe(false);
    expect(sameJson(null, {})).toBe(false);
  });

  it('equals JSON equality of any JSON values up to member order (property)', () => {
    const sorted = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(sorted) : value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, v]) => [k, sorted(v)])) : value;
    const json = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(json, json, (a, b) => {
        expect(sameJson(a, b)).toBe(JSON.stringify(sorted(a)) === JSON.stringify(sorted(b)));
        expect(sameJson(a, JSON.parse(JSON.stringify(a)))).toBe(true);
      }),
    );
  });
});
