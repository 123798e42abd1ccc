import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diff } from '../../src/console/app/diff.js';

/** Applies the changes `diff` found to `before`: it must give `after` back (the diff says everything, and only what changed). */
function apply(before: unknown, changes: ReturnType<typeof diff>): unknown {
  let root = structuredClone(before);
  for (const change of changes) {
    const keys = change.path === '' ? [] : change.path.slice(1).split('/').map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
    if (keys.length === 0) {
      root = change.kind === 'removed' ? undefined : structuredClone(change.after);
      continue;
    }
    let parent = root as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
    const last = keys.at(-1)!;
    if (change.kind === 'removed') {
      if (Array.isArray(parent)) parent.length = Math.min(parent.length, Number(last));
      else delete parent[last];
    } else {
      parent[last] = structuredClone(change.after);
    }
  }
  return root;
}

describe("the console's JSON diff", () => {
  it('names each change by its JSON Pointer', () => {
    expect(diff({ step: 1, plan: ['search'], 'a/b': 1, keep: true }, { step: 2, plan: ['search', 'answer'], keep: true, 'x~y': null })).toEqual([
      { path: '/step', kind: 'changed', before: 1, after: 2 },
      { path: '/plan/1', kind: 'added', after: 'answer' },
      { path: '/a~1b', kind: 'removed', before: 1 },
      { path: '/x~0y', kind: 'added', after: null },
    ]);
    expect(diff(undefined, { a: 1 })).toEqual([{ path: '', kind: 'added', after: { a: 1 } }]);
    expect(diff([1], { 0: 1 })).toEqual([{ path: '', kind: 'changed', before: [1], after: { 0: 1 } }]);
    expect(diff({}, { '': 0 })).toEqual([{ path: '/', kind: 'added', after: 0 }]);
    // Keys that objects inherit are data like any other.
    expect(diff({}, { constructor: 1, toString: 'x' })).toEqual([
      { path: '/constructor', kind: 'added', after: 1 },
      { path: '/toString', kind: 'added', after: 'x' },
    ]);
  });

  it('finds nothing between equal values, and exactly what turns one value into the other', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(diff(a, structuredClone(a))).toEqual([]);
        expect(apply(a, diff(a, b))).toEqual(b);
      }),
      { numRuns: 300 },
    );
  });
});
