import fc from 'fast-check';
import type { Slice } from '../../src/domain/paging.js';
import { compareStrings } from '../storage/support.js';

/* Slices drawn at random for the store contracts' property tests, and their keys. */

/** Slice parameters whose keys are drawn by `key`; null and absent bounds both mean "no bound". */
export function sliceArb<K>(key: fc.Arbitrary<K>): fc.Arbitrary<Slice<K>> {
  const bound = fc.oneof(fc.constant(undefined), fc.constant(null), key, key);
  return fc.record(
    {
      after: bound,
      before: bound,
      limit: fc.integer({ min: 0, max: 12 }),
      offset: fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 6 })),
      fromEnd: fc.oneof(fc.constant(undefined), fc.boolean()),
    },
    { requiredKeys: ['limit'] },
  );
}

/**
 * A key "near" an existing string key: the key itself, one just above it or one just below it
 * (in code-unit order), so that bounds fall on, between and around rows.
 */
export type KeyPick = { index: number; shift: 'on' | 'above' | 'below' };
export const keyPickArb: fc.Arbitrary<KeyPick> = fc.record({
  index: fc.nat(),
  shift: fc.constantFrom<KeyPick['shift']>('on', 'above', 'below'),
});
export function resolveKey(keys: readonly string[], pick: KeyPick, low: string): string {
  if (keys.length === 0) return low;
  const key = keys[pick.index % keys.length]!;
  if (pick.shift === 'on') return key;
  if (pick.shift === 'above') return `${key}0`;
  return key.slice(0, -1);
}
export function resolveSlice(slice: Slice<KeyPick>, resolve: (pick: KeyPick) => string): Slice<string> {
  return {
    ...slice,
    after: slice.after == null ? slice.after : resolve(slice.after),
    before: slice.before == null ? slice.before : resolve(slice.before),
  };
}

export const sortById = <T extends { id: string }>(rows: readonly T[]): T[] => [...rows].sort((a, b) => compareStrings(a.id, b.id));
