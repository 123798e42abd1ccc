import { describe, expect } from 'vitest';
import { parseInput } from '../../../src/domain/inputs.js';
import { memoryOperations } from '../../../src/modules/memory/service.js';
import { describeOnDatabases } from '../../support/store-fixture.js';
import { NASTY_STRINGS } from '../../storage/support.js';
import { type MemoryClient, memoryClient } from './client.js';

/*
 * The memory store's contract: what LangGraph's store conformance covers (Python's `test_store.py`
 * suites: get/put/delete, namespaces, filters, pagination, listNamespaces, TTL, search), through the
 * memory service over the SQL store, each test with a fresh database and a ManualClock.
 */

describeOnDatabases('memory store contract', (test) => {
  const it = test.extend('mem', ({ storage }) => memoryClient(storage.memory));
  const keys = (items: { key: string }[]) => items.map((i) => i.key);

  describe('get, put, delete', () => {
    it('puts and gets an item with its times; a missing one is null', async ({ mem, clock }) => {
      await mem.put(['users', 'u1'], 'prefs', { theme: 'dark', n: [1, { two: 2 }] });
      expect(await mem.get(['users', 'u1'], 'prefs')).toEqual({
        namespace: ['users', 'u1'],
        key: 'prefs',
        value: { theme: 'dark', n: [1, { two: 2 }] },
        createdAt: clock.iso(),
        updatedAt: clock.iso(),
        ttlMinutes: null,
        expiresAt: null,
      });
      expect(await mem.get(['users', 'u1'], 'other')).toBeNull();
      expect(await mem.get(['users'], 'prefs')).toBeNull();
      expect(await mem.get(['users', 'u1'], 'PREFS')).toBeNull();
    });

    it('a put replaces the value and keeps createdAt; value null deletes; deleting nothing is fine', async ({ mem, clock }) => {
      const created = clock.iso();
      await mem.put(['a'], 'k', { v: 1 });
      clock.advance(1000);
      await mem.put(['a'], 'k', { v: 2 });
      expect(await mem.get(['a'], 'k')).toMatchObject({ value: { v: 2 }, createdAt: created, updatedAt: clock.iso() });
      await mem.put(['a'], 'k', null);
      expect(await mem.get(['a'], 'k')).toBeNull();
      await mem.put(['a'], 'k', null);
      await mem.put(['a'], 'k', { v: 3 });
      expect(await mem.get(['a'], 'k')).toMatchObject({ value: { v: 3 }, createdAt: clock.iso() });
    });

    it('keeps awkward strings and keys exactly', async ({ mem }) => {
      const strings = NASTY_STRINGS.filter((s) => !s.includes('\u0000'));
      const value = Object.fromEntries(strings.map((s, i) => [`${s}#${i}`, s]));
      await mem.put(['ns with space', 'ünï/cødé', '*'], 'key/with/slashes?&', value);
      expect((await mem.get(['ns with space', 'ünï/cødé', '*'], 'key/with/slashes?&'))?.value).toEqual(value);
      await mem.put(['a'], '', { empty: 'key' });
      expect((await mem.get(['a'], ''))?.value).toEqual({ empty: 'key' });
    });

    it('a batch runs in order: a get sees the put before it, not the one after', async ({ mem }) => {
      const results = await mem.batch([
        { put: { namespace: ['b'], key: 'k', value: { v: 1 } } },
        { get: { namespace: ['b'], key: 'k' } },
        { put: { namespace: ['b'], key: 'k', value: { v: 2 } } },
        { search: { namespacePrefix: ['b'] } },
        { put: { namespace: ['b'], key: 'k', value: null } },
        { get: { namespace: ['b'], key: 'k' } },
        { listNamespaces: {} },
      ]);
      expect(results.map((r) => r.kind)).toEqual(['put', 'get', 'put', 'search', 'put', 'get', 'listNamespaces']);
      expect(results[1]).toMatchObject({ item: { value: { v: 1 } } });
      expect(results[3]).toMatchObject({ items: [{ value: { v: 2 }, score: null }] });
      expect(results[5]).toEqual({ kind: 'get', item: null });
      expect(results[6]).toEqual({ kind: 'listNamespaces', namespaces: [] });
    });
  });

  describe('transactions', () => {
    it('a batch that fails leaves nothing of it written', async ({ mem, clock }) => {
      const { store } = mem.service;
      const now = clock.iso();
      const item = { namespace: ['x'], key: 'k', value: { v: 1 }, createdAt: now, updatedAt: now, ttlMinutes: null, expiresAt: null };
      const work = function* () {
        yield* store.put(item, 'v', [{ field: 'f', vector: new Uint8Array(8) }]);
        throw new Error('a later operation failed');
      };
      await expect(store.run(work, true)).rejects.toThrow('a later operation failed');
      expect(await mem.get(['x'], 'k')).toBeNull();
      expect(await mem.list()).toEqual([]);
    });
  });

  describe('search: namespaces, filters, pages', () => {
    it('a prefix finds its own namespace and those below, never a sibling that merely starts alike', async ({ mem }) => {
      await mem.batch(
        [['a'], ['a', 'b'], ['a', 'b', 'c'], ['a', 'bc'], ['ab'], ['b']].map((namespace) => ({ put: { namespace, key: namespace.join('/'), value: { x: 1 } } })),
      );
      expect(keys(await mem.search(['a', 'b'])).sort()).toEqual(['a/b', 'a/b/c']);
      expect(keys(await mem.search(['a'])).sort()).toEqual(['a', 'a/b', 'a/b/c', 'a/bc']);
      expect((await mem.search([])).length).toBe(6);
      expect(await mem.search(['c'])).toEqual([]);
    });

    it('lists newest updates first, pages with limit and offset (default limit 10)', async ({ mem, clock }) => {
      for (let i = 0; i < 15; i++) {
        await mem.put(['p'], `k${String(i).padStart(2, '0')}`, { i });
        clock.advance(10);
      }
      const all = keys(await mem.search(['p'], { limit: 100 }));
      expect(all).toEqual(Array.from({ length: 15 }, (_, i) => `k${String(14 - i).padStart(2, '0')}`));
      expect(keys(await mem.search(['p']))).toEqual(all.slice(0, 10));
      expect(keys(await mem.search(['p'], { limit: 4, offset: 3 }))).toEqual(all.slice(3, 7));
      expect(await mem.search(['p'], { offset: 15 })).toEqual([]);
      // Updating an item brings it to the front.
      await mem.put(['p'], 'k00', { i: 0, again: true });
      expect(keys(await mem.search(['p'], { limit: 1 }))).toEqual(['k00']);
    });

    it('filters by equality and by every operator, with types kept apart', async ({ mem }) => {
      const items: Record<string, Record<string, unknown>> = {
        a: { color: 'red', score: 4.5, n: 1, flag: true, none: null, name: 'apple' },
        b: { color: 'blue', score: 3, n: '1', flag: false, name: 'banana' },
        c: { color: 'red', score: 5, n: 1.0, name: 'cherry', nested: { color: 'red' } },
        d: { other: 'x' },
      };
      await mem.batch(Object.entries(items).map(([key, value]) => ({ put: { namespace: ['f'], key, value } })));
      const found = async (filter: Record<string, unknown>) => keys(await mem.search(['f'], { filter })).sort();
      expect(await found({ color: 'red' })).toEqual(['a', 'c']);
      expect(await found({ color: { $eq: 'red' } })).toEqual(['a', 'c']);
      expect(await found({ color: 'red', score: { $gt: 4.6 } })).toEqual(['c']);
      expect(await found({ color: { $ne: 'red' } })).toEqual(['b', 'd']); // a missing member is "not equal"
      expect(await found({ score: { $gt: 3 } })).toEqual(['a', 'c']);
      expect(await found({ score: { $gte: 3 } })).toEqual(['a', 'b', 'c']);
      expect(await found({ score: { $lt: 4.5 } })).toEqual(['b']);
      expect(await found({ score: { $lte: 4.5 } })).toEqual(['a', 'b']);
      expect(await found({ score: { $gte: 3, $lt: 5 } })).toEqual(['a', 'b']);
      expect(await found({ n: 1 })).toEqual(['a', 'c']); // 1 and 1.0 are one number; '1' is a string
      expect(await found({ n: '1' })).toEqual(['b']);
      expect(await found({ n: { $gt: 0 } })).toEqual(['a', 'c']); // a number operand compares with numbers only
      expect(await found({ name: { $gt: 'b' } })).toEqual(['b', 'c']); // strings by code point
      expect(await found({ name: { $lte: 'banana' } })).toEqual(['a', 'b']);
      expect(await found({ flag: true })).toEqual(['a']);
      expect(await found({ flag: false })).toEqual(['b']);
      expect(await found({ none: null })).toEqual(['a']);
      expect(await found({ none: { $ne: null } })).toEqual(['b', 'c', 'd']);
      expect(await found({ missing: 'x' })).toEqual([]);
      expect(await found({})).toEqual(['a', 'b', 'c', 'd']);
    });

    it('refuses what it cannot compare alike everywhere', () => {
      const refused = [{ a: { $gt: true } }, { a: { $in: [1] } }, { a: { nested: 1 } }, { a: [1, 2] }, { a: { $gt: null } }, { a: {} }, { a: 'nul\u0000' }, { a: { $ne: '\ud800' } }];
      for (const filter of refused) {
        expect(() => parseInput(memoryOperations, [{ search: { namespacePrefix: [], filter } }])).toThrow();
      }
    });
  });

  describe('listNamespaces', () => {
    // In listing order; written in another.
    const NAMESPACES = [
      ['a', 'b', 'c'],
      ['a', 'b', 'd', 'e'],
      ['a', 'b', 'd', 'i'],
      ['a', 'b', 'f'],
      ['a', 'c', 'f'],
      ['b', 'a', 'f'],
      ['users', 'u1', 'v1'],
      ['users', 'u2', 'v1'],
    ];
    const seed = (mem: MemoryClient) => mem.batch([...NAMESPACES].reverse().map((namespace, i) => ({ put: { namespace, key: `k${i}`, value: { i } } })));

    it('lists every namespace in order, each once', async ({ mem }) => {
      await seed(mem);
      await mem.put(['a', 'b', 'c'], 'second', { again: true });
      expect(await mem.list()).toEqual(NAMESPACES);
    });

    it('matches prefix and suffix, with wildcards, and both at once', async ({ mem }) => {
      await seed(mem);
      expect(await mem.list({ prefix: ['a', 'b'] })).toEqual([
        ['a', 'b', 'c'],
        ['a', 'b', 'd', 'e'],
        ['a', 'b', 'd', 'i'],
        ['a', 'b', 'f'],
      ]);
      expect(await mem.list({ suffix: ['f'] })).toEqual([
        ['a', 'b', 'f'],
        ['a', 'c', 'f'],
        ['b', 'a', 'f'],
      ]);
      expect(await mem.list({ prefix: ['a', '*', 'f'] })).toEqual([
        ['a', 'b', 'f'],
        ['a', 'c', 'f'],
      ]);
      expect(await mem.list({ prefix: ['users', '*'], suffix: ['v1'] })).toEqual([
        ['users', 'u1', 'v1'],
        ['users', 'u2', 'v1'],
      ]);
      expect(await mem.list({ suffix: ['*', 'f'] })).toEqual([
        ['a', 'b', 'f'],
        ['a', 'c', 'f'],
        ['b', 'a', 'f'],
      ]);
      expect(await mem.list({ prefix: ['a', 'b', 'c', 'd', 'e'] })).toEqual([]);
    });

    it('cuts to maxDepth (listing each cut once) and pages', async ({ mem }) => {
      await seed(mem);
      expect(await mem.list({ prefix: ['a', 'b'], maxDepth: 3 })).toEqual([
        ['a', 'b', 'c'],
        ['a', 'b', 'd'],
        ['a', 'b', 'f'],
      ]);
      expect(await mem.list({ maxDepth: 1 })).toEqual([['a'], ['b'], ['users']]);
      expect(await mem.list({ maxDepth: 2, limit: 2, offset: 1 })).toEqual([
        ['a', 'c'],
        ['b', 'a'],
      ]);
      expect(await mem.list({ limit: 1, offset: 7 })).toEqual([NAMESPACES[7]]);
    });
  });

  describe('TTL (minutes, fractions honoured)', () => {
    it('an item expires ttlMinutes after its write, to the millisecond, and is gone from every read', async ({ mem, clock }) => {
      const start = clock.now();
      await mem.put(['t'], 'k', { v: 1 }, { ttlMinutes: 0.5 });
      expect(await mem.get(['t'], 'k')).toMatchObject({ ttlMinutes: 0.5, expiresAt: new Date(start + 30_000).toISOString() });
      clock.advance(29_999);
      expect(await mem.get(['t'], 'k')).not.toBeNull();
      clock.advance(1);
      expect(await mem.get(['t'], 'k')).toBeNull();
      expect(await mem.search(['t'])).toEqual([]);
      expect(await mem.list()).toEqual([]);
    });

    it('a refreshing get or search moves the expiry to now + TTL; a plain read does not', async ({ mem, clock }) => {
      const start = clock.now();
      await mem.put(['t'], 'a', { w: 'alpha' }, { ttlMinutes: 1 });
      await mem.put(['t'], 'b', { w: 'beta' }, { ttlMinutes: 1.5 });
      await mem.put(['t'], 'forever', { w: 'gamma' });
      clock.advance(50_000);
      expect(await mem.get(['t'], 'a')).toMatchObject({ expiresAt: new Date(start + 60_000).toISOString() });
      const refreshed = await mem.get(['t'], 'a', true);
      expect(refreshed?.expiresAt).toBe(new Date(start + 110_000).toISOString());
      expect((await mem.get(['t'], 'a'))?.expiresAt).toBe(refreshed?.expiresAt);
      clock.advance(30_000); // a: refreshed, alive; b: 80 s of its 90
      const found = await mem.search(['t'], { refreshTtl: true });
      expect(Object.fromEntries(found.map((i) => [i.key, i.expiresAt]))).toEqual({
        a: new Date(start + 140_000).toISOString(),
        b: new Date(start + 170_000).toISOString(),
        forever: null,
      });
      clock.advance(59_999);
      expect(keys(await mem.search(['t'])).sort()).toEqual(['a', 'b', 'forever']);
      clock.advance(1);
      expect(keys(await mem.search(['t'])).sort()).toEqual(['b', 'forever']);
    });

    it('a put without ttlMinutes makes the item permanent again; an expired item written again is new', async ({ mem, clock }) => {
      await mem.put(['t'], 'k', { v: 1 }, { ttlMinutes: 1 });
      await mem.put(['t'], 'k', { v: 2 });
      clock.advance(3_600_000);
      expect(await mem.get(['t'], 'k')).toMatchObject({ value: { v: 2 }, ttlMinutes: null, expiresAt: null });
      await mem.put(['t'], 'e', { v: 1 }, { ttlMinutes: 0.25 });
      clock.advance(15_000);
      await mem.put(['t'], 'e', { v: 2 });
      expect(await mem.get(['t'], 'e')).toMatchObject({ createdAt: clock.iso(), value: { v: 2 } });
    });

    it('the sweep deletes expired items only (a dry run counts them)', async ({ mem, clock }) => {
      await mem.put(['t'], 'short', { v: 1 }, { ttlMinutes: 0.1 });
      await mem.put(['t'], 'long', { v: 1 }, { ttlMinutes: 10 });
      await mem.put(['t'], 'never', { v: 1 });
      clock.advance(6_000);
      expect(await mem.service.sweepExpired({ dryRun: true })).toBe(1);
      expect(await mem.service.sweepExpired()).toBe(1);
      expect(await mem.service.sweepExpired()).toBe(0);
      clock.advance(600_000);
      expect(await mem.service.sweepExpired()).toBe(1);
      expect(keys(await mem.search([]))).toEqual(['never']);
      // In batches: every expired item, however many batches it takes.
      await mem.batch(Array.from({ length: 5 }, (_, i) => ({ put: { namespace: ['t', 'many'], key: `k${i}`, value: { i }, ttlMinutes: 1 } })));
      clock.advance(60_000);
      expect(await mem.service.sweepExpired({ batchSize: 2 })).toBe(5);
      expect(await mem.service.sweepExpired({ dryRun: true })).toBe(0);
    });
  });

  describe('text search (query)', () => {
    const seed = (mem: MemoryClient) =>
      mem.batch([
        { put: { namespace: ['docs'], key: 'py', value: { text: 'Python tutorial: Python for data science', tags: ['code'] } } },
        { put: { namespace: ['docs'], key: 'ts', value: { text: 'TypeScript guide', meta: { about: 'typed programming' } } } },
        { put: { namespace: ['docs'], key: 'cook', value: { text: 'A cookbook of soups' } } },
        { put: { namespace: ['other'], key: 'py2', value: { text: 'python snakes' } } },
      ]);

    it('finds items whose string values hold a word of the query, best match first', async ({ mem }) => {
      await seed(mem);
      expect(keys(await mem.search(['docs'], { query: 'python' }))).toEqual(['py']);
      expect(keys(await mem.search([], { query: 'PYTHON' })).sort()).toEqual(['py', 'py2']);
      const ranked = await mem.search(['docs'], { query: 'python programming guide' });
      expect(keys(ranked).sort()).toEqual(['py', 'ts']);
      expect(ranked.every((i) => typeof i.score === 'number')).toBe(true);
      expect(ranked[0]!.score!).toBeGreaterThanOrEqual(ranked[1]!.score!);
      // Nested strings are searched; keys are not.
      expect(keys(await mem.search(['docs'], { query: 'typed' }))).toEqual(['ts']);
      expect(await mem.search(['docs'], { query: 'meta about' })).toEqual([]);
    });

    it('ranks an item with more of the words higher', async ({ mem }) => {
      await seed(mem);
      await mem.put(['rank'], 'one', { t: 'memory store notes and other things entirely unrelated' });
      await mem.put(['rank'], 'three', { t: 'memory store for agents' });
      const ranked = keys(await mem.search(['rank'], { query: 'agents memory store' }));
      expect(ranked).toEqual(['three', 'one']);
    });

    it('combines with filters and pages; re-indexes on update and forgets on delete', async ({ mem }) => {
      await seed(mem);
      expect(keys(await mem.search([], { query: 'python', filter: { tags: { $ne: 'x' } }, limit: 1, offset: 1 }))).toHaveLength(1);
      await mem.put(['docs'], 'py', { text: 'now about rust' });
      expect(keys(await mem.search(['docs'], { query: 'python' }))).toEqual([]);
      expect(keys(await mem.search(['docs'], { query: 'rust' }))).toEqual(['py']);
      await mem.put(['docs'], 'py', null);
      expect(await mem.search(['docs'], { query: 'rust' })).toEqual([]);
    });

    it('takes any text: quotes, operators and punctuation are words or nothing, never a database error', async ({ mem }) => {
      await seed(mem);
      for (const query of ['"', "it's", 'NEAR(a b)', 'a AND OR NOT', '*', '^x', 'col:val', '(((', '!&|<->', "'; DROP TABLE x; --", '\\', '😀', '']) {
        await expect(mem.search([], { query })).resolves.toBeDefined();
      }
      // A query without words does not narrow the search.
      expect((await mem.search([], { query: '!!!', limit: 100 })).length).toBe(4);
    });
  });

  describe('semantic search (client vectors, cosine)', () => {
    it('ranks by the best vector of each item, then items without vectors; pages', async ({ mem }) => {
      await mem.batch([
        { put: { namespace: ['v'], key: 'x', value: { t: 'x' }, vectors: [{ field: 'text', vector: [1, 0, 0] }] } },
        { put: { namespace: ['v'], key: 'y', value: { t: 'y' }, vectors: [{ field: 'text', vector: [0, 1, 0] }, { field: 'title', vector: [0.9, 0.1, 0] }] } },
        { put: { namespace: ['v'], key: 'z', value: { t: 'z' }, vectors: [{ field: 'text', vector: [-1, 0, 0] }] } },
        { put: { namespace: ['v'], key: 'plain', value: { t: 'p' } } },
        { put: { namespace: ['v'], key: 'otherdims', value: { t: 'o' }, vectors: [{ field: 'text', vector: [1, 0] }] } },
      ]);
      const found = await mem.search(['v'], { queryVector: [1, 0, 0], limit: 10 });
      expect(keys(found.slice(0, 3))).toEqual(['x', 'y', 'z']);
      expect(found[0]!.score).toBeCloseTo(1, 6);
      expect(found[1]!.score).toBeCloseTo(0.9 / Math.hypot(0.9, 0.1), 5);
      expect(found[2]!.score).toBeCloseTo(-1, 6);
      expect(keys(found.slice(3)).sort()).toEqual(['otherdims', 'plain']);
      expect(found.slice(3).every((i) => i.score === null)).toBe(true);
      expect(keys(await mem.search(['v'], { queryVector: [0, 1, 0], limit: 1 }))).toEqual(['y']);
      expect(keys(await mem.search(['v'], { queryVector: [1, 0, 0], limit: 2, offset: 1 }))).toEqual(['y', 'z']);
      expect(keys(await mem.search(['v'], { queryVector: [1, 0, 0], filter: { t: { $ne: 'x' } }, limit: 1 }))).toEqual(['y']);
    });

    it('a put replaces the vectors; a delete removes them', async ({ mem }) => {
      await mem.put(['v'], 'a', { t: 1 }, { vectors: [{ field: 'f', vector: [1, 0] }] });
      await mem.put(['v'], 'b', { t: 2 }, { vectors: [{ field: 'f', vector: [0.7, 0.7] }] });
      expect(keys(await mem.search(['v'], { queryVector: [1, 0] }))).toEqual(['a', 'b']);
      await mem.put(['v'], 'a', { t: 1 }, { vectors: [{ field: 'f', vector: [0, 1] }] });
      expect(keys(await mem.search(['v'], { queryVector: [1, 0] }))).toEqual(['b', 'a']);
      await mem.put(['v'], 'b', null);
      await mem.put(['v'], 'b', { t: 2 });
      expect(await mem.search(['v'], { queryVector: [1, 0] })).toMatchObject([{ key: 'a' }, { key: 'b', score: null }]);
    });
  });
});
