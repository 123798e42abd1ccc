import type { Embeddings } from '@langchain/core/embeddings';
import { InMemoryStore, type MatchCondition } from '@langchain/langgraph-checkpoint';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldTexts } from '../../../src/adapters/langgraph/store-index.js';
import { mergeConditions, REQUEST_LIMITS, requestRuns, rowsOf } from '../../../src/adapters/langgraph/store-ops.js';
import type { MemoryOperation } from '../../../src/client/index.js';
import { MEMORY_LIMITS } from '../../../src/modules/memory/inputs.js';

/*
 * The adapter's own rules, without a server: the texts it embeds (as LangGraph's InMemoryStore
 * picks them), how it merges LangGraph's match conditions, how it cuts a large batch into requests.
 */

/** The field → text pairs InMemoryStore embeds for a value (read from its vectors: each text's vector is its index). */
async function inMemoryFieldTexts(value: Record<string, unknown>, fields: string[]): Promise<Map<string, string>> {
  let texts: string[] = [];
  const model = {
    embedDocuments: async (batch: string[]) => {
      texts = batch;
      return batch.map((_, i) => [i]);
    },
    embedQuery: async () => [0],
  };
  const store = new InMemoryStore({ index: { dims: 1, embeddings: model as unknown as Embeddings, fields } });
  await store.put(['ns'], 'k', value);
  const vectors = (store as unknown as { vectors: Map<string, Map<string, Map<string, number[]>>> }).vectors.get('ns')?.get('k');
  return new Map([...(vectors ?? new Map<string, number[]>())].map(([field, [i]]) => [field, texts[i!]!]));
}

const word = fc.constantFrom('a', 'b', 'tags', 'text', 'meta');
const leaf = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -5, max: 5 }), fc.boolean(), fc.constant(null));
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(word, tie('value'), { maxKeys: 3 })),
})).value;
const path = fc.oneof(
  fc.constant('$'),
  fc.array(fc.oneof(word, word.map((w) => `${w}[*]`), fc.tuple(word, fc.integer({ min: -2, max: 2 })).map(([w, i]) => `${w}[${i}]`), fc.constant('*')), { minLength: 1, maxLength: 3 }).map((p) => p.join('.')),
  fc.tuple(word, word, word).map(([a, b, c]) => `${a}.{${b},${c}.a}`),
);

describe('fieldTexts', () => {
  it('embeds the same texts under the same field names as InMemoryStore', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(word, jsonValue, { maxKeys: 4 }), fc.uniqueArray(path, { minLength: 1, maxLength: 3 }), async (value, fields) => {
        const ours = new Map(fieldTexts(value, fields).map((t) => [t.field, t.text]));
        expect(ours).toEqual(await inMemoryFieldTexts(value, fields));
      }),
      { numRuns: 300 },
    );
  });

  it('examples', () => {
    const value = { title: 'T', chapters: [{ content: 'one' }, { content: 'two' }], authors: [{ name: 'Ann' }], n: 3 };
    expect(fieldTexts(value, ['title', 'chapters[*].content', 'authors[0].name', 'chapters[-1].content', 'n', 'missing'])).toEqual([
      { field: 'title', text: 'T' },
      { field: 'chapters[*].content.0', text: 'one' },
      { field: 'chapters[*].content.1', text: 'two' },
      { field: 'authors[0].name', text: 'Ann' },
      { field: 'chapters[-1].content', text: 'two' },
      { field: 'n', text: '3' },
    ]);
    expect(fieldTexts({ a: 1 }, ['$'])).toEqual([{ field: '$', text: JSON.stringify({ a: 1 }, null, 2) }]);
  });
});

/** LangGraph's rule for one condition (InMemoryStore's doesMatch). */
function matches({ matchType, path }: MatchCondition, ns: readonly string[]): boolean {
  if (path.length > ns.length) return false;
  const start = matchType === 'prefix' ? 0 : ns.length - path.length;
  return path.every((p, i) => p === '*' || p === ns[start + i]);
}

describe('mergeConditions', () => {
  it('a namespace matches every condition exactly when it matches the merged prefix and suffix', () => {
    const label = fc.constantFrom('a', 'b', 'c');
    const condition = fc.record({ matchType: fc.constantFrom('prefix' as const, 'suffix' as const), path: fc.array(fc.oneof(label, fc.constant('*')), { maxLength: 4 }) });
    fc.assert(
      fc.property(fc.array(condition, { maxLength: 4 }), fc.array(label, { minLength: 1, maxLength: 5 }), (conditions, ns) => {
        const merged = mergeConditions(conditions);
        const viaMerged =
          merged !== null &&
          (!merged.prefix || matches({ matchType: 'prefix', path: merged.prefix }, ns)) &&
          (!merged.suffix || matches({ matchType: 'suffix', path: merged.suffix }, ns));
        expect(viaMerged).toBe(conditions.every((c) => matches(c, ns)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('requestRuns', () => {
  it('the bounds are the server’s', () => {
    expect(REQUEST_LIMITS).toEqual({ operations: MEMORY_LIMITS.batch, rows: MEMORY_LIMITS.batchRows });
  });

  it('cuts a batch, in order, into as few runs as the bounds allow', () => {
    const op: fc.Arbitrary<MemoryOperation> = fc.oneof(
      fc.constant<MemoryOperation>({ get: { namespace: ['n'], key: 'k' } }),
      fc.integer({ min: 1, max: 1000 }).map((limit): MemoryOperation => ({ search: { namespacePrefix: [], limit } })),
      fc.constant<MemoryOperation>({ search: { namespacePrefix: [] } }),
      fc.integer({ min: 1, max: 1000 }).map((limit): MemoryOperation => ({ listNamespaces: { limit } })),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 2500 }), (ops) => {
        const runs = requestRuns(ops);
        expect(runs.flat()).toEqual(ops);
        const rows = (run: MemoryOperation[]) => run.reduce((sum, o) => sum + rowsOf(o), 0);
        runs.forEach((run, i) => {
          expect(run.length).toBeGreaterThan(0);
          expect(run.length).toBeLessThanOrEqual(REQUEST_LIMITS.operations);
          expect(rows(run)).toBeLessThanOrEqual(REQUEST_LIMITS.rows);
          // Greedy: the next run's first operation would not have fitted in this one.
          const next = runs[i + 1]?.[0];
          if (next) expect(run.length === REQUEST_LIMITS.operations || rows(run) + rowsOf(next) > REQUEST_LIMITS.rows).toBe(true);
        });
      }),
      { numRuns: 200 },
    );
  });
});
