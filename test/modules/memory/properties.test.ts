import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInput } from '../../../src/domain/inputs.js';
import type { Json, JsonObject } from '../../../src/domain/json.js';
import { type FilterCondition, searchFilter } from '../../../src/modules/memory/filter.js';
import { compareCodePoints, descendantRange, joinNamespace, namespace } from '../../../src/modules/memory/namespace.js';
import { type MemoryOperation, MemoryService, memoryOperations } from '../../../src/modules/memory/service.js';
import { ValidationError } from '../../../src/domain/errors.js';
import { SqlMemoryStore } from '../../../src/modules/memory/store.js';
import { queryTerms } from '../../../src/modules/memory/text.js';
import { databases, type OpenDatabase } from '../../support/databases.js';
import { ManualClock } from '../../support/fixtures.js';
import { memoryClient } from './client.js';

/** A member name that needs quoting in every JSON path syntax. */
const NASTY_KEY = 'we"ird.key\\[0] $';

// --- the model of a filter -----------------------------------------------------------------------

const typeOf = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** The filter semantics of filter.ts, in plain JavaScript. */
function modelHolds(value: JsonObject, conditions: readonly FilterCondition[]): boolean {
  return conditions.every(({ key, op, operand }) => {
    if (!Object.hasOwn(value, key)) return op === '$ne';
    const member = value[key]!;
    const equal = typeOf(member) === typeOf(operand) && member === operand;
    if (op === '$eq') return equal;
    if (op === '$ne') return !equal;
    let order: number;
    if (typeof operand === 'number' && typeof member === 'number') order = member - operand;
    else if (typeof operand === 'string' && typeof member === 'string') order = compareCodePoints(member, operand);
    else return false;
    return op === '$gt' ? order > 0 : op === '$gte' ? order >= 0 : op === '$lt' ? order < 0 : order <= 0;
  });
}

// Small domains, so that conditions often hit: numbers exact in both databases' parsers, strings
// whose UTF-16 and code point orders differ (U+FFFF against an emoji).
const FILTER_KEYS = ['a', 'b', 'c'];
const num = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -20, max: 20 }).map((n) => n / 4));
const str = fc.constantFrom('', 'a', 'ab', 'B', 'b', 'é', 'e\u0301', '\uffff', '😀', '1', 'true', 'null');
const scalar: fc.Arbitrary<Json> = fc.oneof(num, str, fc.boolean(), fc.constant(null));
const member: fc.Arbitrary<Json> = fc.oneof({ weight: 4, arbitrary: scalar }, fc.array(scalar, { maxLength: 2 }), fc.dictionary(fc.constantFrom(...FILTER_KEYS), scalar, { maxKeys: 2 }));
const itemValue = fc.dictionary(fc.constantFrom(...FILTER_KEYS, 'other'), member, { maxKeys: 4 }) as fc.Arbitrary<JsonObject>;

const operatorSpec = fc.oneof(
  scalar,
  fc.record({ $eq: scalar }),
  fc.record({ $ne: scalar }),
  fc.dictionary(fc.constantFrom('$gt', '$gte', '$lt', '$lte'), fc.oneof(num, str), { minKeys: 1, maxKeys: 2 }),
  fc.record({ $gte: num, $ne: scalar }),
);
const filterArb = fc.dictionary(fc.constantFrom(...FILTER_KEYS), operatorSpec, { maxKeys: 3 }) as fc.Arbitrary<JsonObject>;

describe('memory filters against the model, on each database', () => {
  const opened: { name: string; db: OpenDatabase; mem: ReturnType<typeof memoryClient> }[] = [];
  beforeAll(async () => {
    for (const database of databases) {
      const db = await database.open();
      opened.push({ name: database.name, db, mem: memoryClient(new MemoryService(new SqlMemoryStore(db.backend.runner), new ManualClock())) });
    }
  });
  afterAll(async () => {
    for (const { db } of opened) await db.cleanup();
  });

  it('a search finds exactly the items the model says, on SQLite and PostgreSQL', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(itemValue, { minLength: 1, maxLength: 8 }), fc.array(filterArb, { minLength: 1, maxLength: 6 }), async (values, filters) => {
        const ns = [`run${run++}`];
        for (const { mem } of opened) {
          await mem.batch(values.map((value, i) => ({ put: { namespace: ns, key: `k${i}`, value } })));
          const results = await mem.batch(filters.map((filter) => ({ search: { namespacePrefix: ns, filter, limit: 100 } })));
          filters.forEach((filter, f) => {
            const conditions = parseInput(searchFilter, filter);
            const expected = values.flatMap((value, i) => (modelHolds(value, conditions) ? [`k${i}`] : [])).sort();
            const r = results[f]!;
            expect(r.kind === 'search' ? r.items.map((item) => item.key).sort() : null).toEqual(expected);
          });
        }
      }),
      { numRuns: 40 },
    );
  });

  it('any filter is refused as bad input or searches without a database error', async () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('\u0000', 'a\u0000', '\ud800', 'x\udc00y', '"', '\\'));
    const operand = fc.oneof(text, fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }));
    const spec = fc.oneof(operand, fc.dictionary(fc.constantFrom('$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', 'x'), operand, { maxKeys: 2 }));
    for (const { mem } of opened) await mem.put(['filters'], 'k', { [NASTY_KEY]: 'v', n: 1, s: 'text' });
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.oneof(text, fc.constantFrom('n', 's', NASTY_KEY)), spec, { maxKeys: 3 }), async (filter) => {
        let ops: MemoryOperation[];
        try {
          ops = parseInput(memoryOperations, [{ search: { namespacePrefix: [], filter } }]);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          return;
        }
        for (const { mem } of opened) await expect(mem.service.batch(ops)).resolves.toHaveLength(1);
      }),
      { numRuns: 100 },
    );
  });

  it('any query text searches without a database error', async () => {
    const noisy = fc.string({ unit: fc.constantFrom('"', "'", '*', '(', ')', ':', '^', '-', '|', '&', '!', '<', '>', ' ', 'a', 'OR', 'NEAR', '\\', '😀', 'é', '\u0000', '\ud800') });
    await fc.assert(
      fc.asyncProperty(fc.oneof(noisy, fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), async (query) => {
        for (const { mem } of opened) await expect(mem.search([], { query })).resolves.toBeInstanceOf(Array);
      }),
      { numRuns: 60 },
    );
  });
});

describe('memory text and namespaces (pure)', () => {
  it('a query becomes quoted words only: letters, marks and digits, at most 32, no duplicates', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (query) => {
        const terms = queryTerms(query);
        expect(terms.length).toBeLessThanOrEqual(32);
        expect(new Set(terms).size).toBe(terms.length);
        for (const term of terms) expect(term).toMatch(/^[\p{L}\p{M}\p{N}]+$/u);
      }),
    );
  });

  const label = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('', '.', 'a.b', 'nul\u0000', '\ud800', 'x'.repeat(256), 'x'.repeat(257), '*', 'ü'));
  const valid = (labels: string[]) =>
    labels.length >= 1 && labels.length <= 16 && labels.every((l) => l.length >= 1 && l.length <= 256 && !l.includes('.') && !l.includes('\u0000') && l.isWellFormed());

  it('a namespace is accepted exactly when LangGraph’s rules and our bounds allow it', () => {
    fc.assert(
      fc.property(fc.array(label, { maxLength: 18 }), (labels) => {
        const result = namespace.safeParse(labels);
        expect(result.success).toBe(valid(labels));
      }),
      { numRuns: 500 },
    );
  });

  it('code point order is the byte order of UTF-8, as both databases compare', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '\u007f', '\u00e9', '\ud7ff', '\ue000', '\uffff', '😀', '𝄞'), maxLength: 4 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))));
      }),
      { numRuns: 1000 },
    );
  });

  it('the range of a prefix holds exactly the namespaces below it, in byte order', () => {
    const small = fc.array(fc.constantFrom('a', 'b', 'a-', 'a/', 'a0', '-', '/', 'é'), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(small, small, (ns, prefix) => {
        const { exact, from, to } = descendantRange(prefix);
        const text = joinNamespace(ns);
        const inRange = text === exact || (compareCodePoints(text, from) >= 0 && compareCodePoints(text, to) < 0);
        const below = prefix.length <= ns.length && prefix.every((p, i) => p === ns[i]);
        expect(inRange).toBe(below);
      }),
      { numRuns: 1000 },
    );
  });
});
