import type { Embeddings } from '@langchain/core/embeddings';
import { InMemoryStore, InvalidNamespaceError, type Operation, type SearchItem } from '@langchain/langgraph-checkpoint';
import { AgentStorageStore } from '../../../src/adapters/langgraph/index.js';
import { AgentStorageClient, AgentStorageError, type FetchLike } from '../../../src/client/index.js';
import { AUTH_ENV } from '../../support/auth.js';
import { describe, expect, it, test } from '../../support/server-fixture.js';
import { countingFetch, DIMS, embed, embeddings, tenantKey, tenantStore } from './store-support.js';

/*
 * AgentStorageStore against a real server (both vitest projects: SQLite, and PostgreSQL): what
 * Python's store conformance tests cover — get/put/delete, batches, namespaces and their rules,
 * filters with every operator, limit/offset, listNamespaces, TTL expiry and refresh (fractions of
 * a minute, on the server's manual clock: no test waits), text search and vector search — each
 * test on a tenant of its own, so each starts from an empty store.
 */

test.override({ env: AUTH_ENV });

const keys = (items: readonly { key: string }[]) => items.map((i) => i.key);
const sortedKeys = (items: readonly { key: string }[]) => keys(items).sort();

/** The error a call rejects with (fails if it resolves). */
async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

describe('AgentStorageStore: items', () => {
  it('put, get, update (createdAt kept), delete; items as LangGraph shapes them', async ({ server }) => {
    const { store } = await tenantStore(server);
    expect(await store.get(['users', 'u1'], 'prefs')).toBeNull();
    await store.put(['users', 'u1'], 'prefs', { theme: 'dark', nested: { n: [1, 2.5, null, 'x'] } });
    const first = await store.get(['users', 'u1'], 'prefs');
    expect(first).toEqual({
      namespace: ['users', 'u1'],
      key: 'prefs',
      value: { theme: 'dark', nested: { n: [1, 2.5, null, 'x'] } },
      createdAt: new Date(server.clock.now()),
      updatedAt: new Date(server.clock.now()),
    });
    server.clock.advance(1000);
    await store.put(['users', 'u1'], 'prefs', { theme: 'light' });
    const second = await store.get(['users', 'u1'], 'prefs');
    expect(second?.value).toEqual({ theme: 'light' }); // a put replaces, never merges
    expect(second?.createdAt).toEqual(first?.createdAt);
    expect(second!.updatedAt.getTime() - first!.updatedAt.getTime()).toBe(1000);
    await store.delete(['users', 'u1'], 'prefs');
    expect(await store.get(['users', 'u1'], 'prefs')).toBeNull();
    await store.delete(['users', 'u1'], 'prefs'); // deleting nothing is fine
    // Same key, other namespace: another item.
    await store.put(['users', 'u2'], 'prefs', { theme: 'blue' });
    expect(await store.get(['users', 'u1'], 'prefs')).toBeNull();
    expect((await store.get(['users', 'u2'], 'prefs'))?.value).toEqual({ theme: 'blue' });
  });

  it('a value that is not a JSON object is refused with the server’s BAD_USER_INPUT', async ({ server }) => {
    const { store } = await tenantStore(server);
    const error = await failure(store.put(['a'], 'k', [1, 2] as unknown as Record<string, unknown>));
    expect(error).toBeInstanceOf(AgentStorageError);
    expect((error as AgentStorageError).code).toBe('BAD_USER_INPUT');
  });

  it('batch: a mix of every operation is one request, run in order', async ({ server }) => {
    const { store, requests } = await tenantStore(server);
    await store.put(['test', 'foo'], 'key1', { data: 'value1' });
    const before = requests();
    const results = await store.batch([
      { namespace: ['test', 'foo'], key: 'key1' },
      { namespace: ['test', 'bar'], key: 'key2', value: { data: 'value2' } },
      { namespacePrefix: ['test'], filter: { data: 'value1' }, limit: 10, offset: 0 },
      { matchConditions: undefined, maxDepth: undefined, limit: 10, offset: 0 },
      { namespace: ['test', 'bar'], key: 'key2' },
      { namespace: ['test', 'foo'], key: 'key1', value: null },
      { namespace: ['test', 'foo'], key: 'key1' },
    ] satisfies Operation[]);
    expect(requests() - before).toBe(1);
    expect(results[0]).toMatchObject({ key: 'key1', value: { data: 'value1' } });
    expect(results[1]).toBeUndefined();
    expect(keys(results[2] as unknown as SearchItem[])).toEqual(['key1']);
    expect(results[3]).toEqual([['test', 'bar'], ['test', 'foo']]);
    // In order: a read sees an earlier write of its batch.
    expect(results[4]).toMatchObject({ key: 'key2', value: { data: 'value2' } });
    expect(results[6]).toBeNull();
    expect(await store.batch([])).toEqual([]);
  });

  it('a batch of reads goes through memoryRead: a read-only key runs it; its puts are FORBIDDEN', async ({ server }) => {
    const { store: writer, tenant } = await tenantStore(server);
    await writer.put(['docs'], 'd1', { text: 'hello' });
    const client = new AgentStorageClient({ url: server.url, apiKey: await tenantKey(server, ['READ'], tenant) });
    // Refreshing reads are reads too (they only move expiries): the read scope runs them.
    const reader = AgentStorageStore.fromClient(client);
    expect((await reader.get(['docs'], 'd1'))?.value).toEqual({ text: 'hello' });
    expect(keys(await reader.search(['docs'], { query: 'hello' }))).toEqual(['d1']);
    expect(await reader.listNamespaces()).toEqual([['docs']]);
    expect(await reader.batch([{ namespace: ['docs'], key: 'd1' }, { namespacePrefix: [], limit: 10, offset: 0 }])).toHaveLength(2);
    const error = await failure(reader.put(['docs'], 'd2', { text: 'no' }));
    expect((error as AgentStorageError).code).toBe('FORBIDDEN');
    expect(await writer.get(['docs'], 'd2')).toBeNull();
  });

  it('batches beyond one request’s bounds are sent in runs, in order, with every answer in place', async ({ server }) => {
    const { store, requests } = await tenantStore(server);
    await store.put(['bulk'], 'k', { n: 1 });
    const before = requests();
    const gets = Array.from({ length: 1001 }, (_, i) => ({ namespace: ['bulk'], key: i === 1000 ? 'k' : `missing-${i}` }));
    const results = await store.batch(gets);
    expect(requests() - before).toBe(2); // 1000 operations at most per request
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(results[1000]).toMatchObject({ key: 'k', value: { n: 1 } });
    // Searches whose limits add up past 10,000 rows: split too.
    const searches = Array.from({ length: 11 }, () => ({ namespacePrefix: ['bulk'], limit: 1000, offset: 0 }));
    const beforeSearches = requests();
    const found = await store.batch(searches);
    expect(requests() - beforeSearches).toBe(2);
    expect(found.every((r) => (r as SearchItem[]).length === 1)).toBe(true);
  });
});

describe('AgentStorageStore: namespaces', () => {
  it('LangGraph’s rules, as InvalidNamespaceError, before any request', async ({ server }) => {
    const { store, requests } = await tenantStore(server);
    const invalid = [[], ['a.b'], ['a', ''], ['a:b'], ['a\u0000']];
    for (const ns of invalid) {
      expect(await failure(store.put(ns, 'k', { v: 1 }))).toBeInstanceOf(InvalidNamespaceError);
      expect(await failure(store.batch([{ namespace: ns, key: 'k', value: { v: 1 } }]))).toBeInstanceOf(InvalidNamespaceError);
    }
    for (const ns of [['a.b'], ['a', '']]) {
      expect(await failure(store.get(ns, 'k'))).toBeInstanceOf(InvalidNamespaceError);
      expect(await failure(store.search(ns))).toBeInstanceOf(InvalidNamespaceError);
      expect(await failure(store.delete(ns, 'k'))).toBeInstanceOf(InvalidNamespaceError);
      expect(await failure(store.listNamespaces({ prefix: ns }))).toBeInstanceOf(InvalidNamespaceError);
      expect(await failure(store.listNamespaces({ suffix: ns }))).toBeInstanceOf(InvalidNamespaceError);
    }
    // A get of no namespace at all is refused as InMemoryStore refuses it (inside batch).
    expect(await failure(store.get([], 'k'))).toBeInstanceOf(InvalidNamespaceError);
    // The reserved root: put refuses it; batch() and reads let it through, as LangGraph's own stores do.
    expect(await failure(store.put(['langgraph', 'x'], 'k', { v: 1 }))).toBeInstanceOf(InvalidNamespaceError);
    expect(requests()).toBe(0);
    await store.batch([{ namespace: ['langgraph', 'x'], key: 'k', value: { v: 1 } }]);
    expect((await store.get(['langgraph', 'x'], 'k'))?.value).toEqual({ v: 1 });
  });

  it('the server’s own namespace bounds arrive as InvalidNamespaceError too, the server’s error as its cause', async ({ server }) => {
    const { store } = await tenantStore(server);
    const long = await failure(store.put(['x'.repeat(257)], 'k', { v: 1 }));
    expect(long).toBeInstanceOf(InvalidNamespaceError);
    expect((long as Error & { cause?: unknown }).cause).toBeInstanceOf(AgentStorageError);
    const deep = await failure(store.put(Array.from({ length: 17 }, (_, i) => `l${i}`), 'k', { v: 1 }));
    expect(deep).toBeInstanceOf(InvalidNamespaceError);
    // Other input errors stay the server's.
    const key = await failure(store.put(['ok'], 'k'.repeat(1025), { v: 1 }));
    expect(key).toBeInstanceOf(AgentStorageError);
  });

  it('listNamespaces: prefix, suffix, wildcards, maxDepth, limit, offset', async ({ server }) => {
    const { store, requests } = await tenantStore(server);
    const namespaces = [
      ['a', 'b', 'c'],
      ['a', 'b', 'd', 'e'],
      ['a', 'b', 'd', 'i'],
      ['a', 'b', 'f'],
      ['a', 'c', 'f'],
      ['b', 'a', 'f'],
      ['users', '123'],
      ['users', '456', 'settings'],
      ['admin', 'users', '789'],
    ];
    await store.batch(namespaces.map((namespace, i) => ({ namespace, key: `k${i}`, value: { i } })));
    const all = [
      ['a', 'b', 'c'],
      ['a', 'b', 'd', 'e'],
      ['a', 'b', 'd', 'i'],
      ['a', 'b', 'f'],
      ['a', 'c', 'f'],
      ['admin', 'users', '789'],
      ['b', 'a', 'f'],
      ['users', '123'],
      ['users', '456', 'settings'],
    ];
    expect(await store.listNamespaces()).toEqual(all);
    expect(await store.listNamespaces({ prefix: ['a', 'b'] })).toEqual(all.slice(0, 4));
    expect(await store.listNamespaces({ suffix: ['f'] })).toEqual([['a', 'b', 'f'], ['a', 'c', 'f'], ['b', 'a', 'f']]);
    expect(await store.listNamespaces({ prefix: ['a', '*', 'f'] })).toEqual([['a', 'b', 'f'], ['a', 'c', 'f']]);
    expect(await store.listNamespaces({ prefix: ['*', '*', 'f'] })).toEqual([['a', 'b', 'f'], ['a', 'c', 'f'], ['b', 'a', 'f']]);
    expect(await store.listNamespaces({ suffix: ['*', 'f'] })).toEqual([['a', 'b', 'f'], ['a', 'c', 'f'], ['b', 'a', 'f']]);
    expect(await store.listNamespaces({ suffix: ['d', '*'] })).toEqual([['a', 'b', 'd', 'e'], ['a', 'b', 'd', 'i']]);
    expect(await store.listNamespaces({ prefix: ['a'], suffix: ['f'] })).toEqual([['a', 'b', 'f'], ['a', 'c', 'f']]);
    expect(await store.listNamespaces({ prefix: ['users'], suffix: ['*'] })).toEqual([['users', '123'], ['users', '456', 'settings']]);
    expect(await store.listNamespaces({ prefix: ['nope'] })).toEqual([]);
    expect(await store.listNamespaces({ maxDepth: 2 })).toEqual([['a', 'b'], ['a', 'c'], ['admin', 'users'], ['b', 'a'], ['users', '123'], ['users', '456']]);
    expect(await store.listNamespaces({ prefix: ['a'], maxDepth: 1 })).toEqual([['a']]);
    expect(await store.listNamespaces({ prefix: ['a', 'b'], maxDepth: 3 })).toEqual([['a', 'b', 'c'], ['a', 'b', 'd'], ['a', 'b', 'f']]);
    expect(await store.listNamespaces({ limit: 3 })).toEqual(all.slice(0, 3));
    expect(await store.listNamespaces({ limit: 3, offset: 3 })).toEqual(all.slice(3, 6));
    expect(await store.listNamespaces({ offset: 8 })).toEqual(all.slice(8));
    expect(await store.listNamespaces({ offset: 9 })).toEqual([]);
    // LangGraph's operation may hold several conditions of a kind: they are merged label by label…
    const merged = await store.batch([
      { matchConditions: [{ matchType: 'prefix', path: ['a', '*'] }, { matchType: 'prefix', path: ['*', 'b', 'd'] }], limit: 100, offset: 0 },
      { matchConditions: [{ matchType: 'suffix', path: ['*', 'f'] }, { matchType: 'suffix', path: ['c', '*'] }], limit: 100, offset: 0 },
    ]);
    expect(merged).toEqual([[['a', 'b', 'd', 'e'], ['a', 'b', 'd', 'i']], [['a', 'c', 'f']]]);
    // …and conditions that contradict each other match nothing, without asking the server.
    const before = requests();
    expect(await store.batch([{ matchConditions: [{ matchType: 'prefix', path: ['a'] }, { matchType: 'prefix', path: ['b'] }], limit: 100, offset: 0 }])).toEqual([[]]);
    expect(requests()).toBe(before);
    // Deleting a namespace's last item removes the namespace.
    await store.delete(['users', '123'], 'k6');
    expect(await store.listNamespaces({ prefix: ['users'] })).toEqual([['users', '456', 'settings']]);
  });
});

describe('AgentStorageStore: search', () => {
  const docs: [string, Record<string, unknown>][] = [
    ['a', { color: 'red', score: 4.5, tag: 'x', text: 'red apples in autumn' }],
    ['b', { color: 'blue', score: 3, tag: 'y', text: 'blue sky over the sea' }],
    ['c', { color: 'red', score: 2, active: true, text: 'a red car' }],
    ['d', { color: 'green', score: 5, name: 'delta', text: 'green apples and pears' }],
  ];

  it('filters: plain values and $eq, $ne, $gt, $gte, $lt, $lte, combined', async ({ server }) => {
    const { store } = await tenantStore(server);
    await store.batch(docs.map(([key, value]) => ({ namespace: ['items', key === 'd' ? 'deep' : 'top'], key, value })));
    const found = async (filter: Record<string, unknown>, prefix = ['items']) => sortedKeys(await store.search(prefix, { filter }));
    expect(await found({ color: 'red' })).toEqual(['a', 'c']);
    expect(await found({ color: { $eq: 'red' } })).toEqual(['a', 'c']);
    expect(await found({ color: { $ne: 'red' } })).toEqual(['b', 'd']);
    expect(await found({ score: { $gt: 3 } })).toEqual(['a', 'd']);
    expect(await found({ score: { $gte: 3 } })).toEqual(['a', 'b', 'd']);
    expect(await found({ score: { $lt: 3 } })).toEqual(['c']);
    expect(await found({ score: { $lte: 3 } })).toEqual(['b', 'c']);
    expect(await found({ score: { $gte: 3, $lt: 5 } })).toEqual(['a', 'b']);
    expect(await found({ color: 'red', score: { $gt: 3 } })).toEqual(['a']);
    expect(await found({ tag: { $ne: 'x' } })).toEqual(['b', 'c', 'd']); // a missing member is "not equal"
    expect(await found({ name: { $gt: 'a' } })).toEqual(['d']); // strings compare with strings
    expect(await found({ score: { $gt: '3' } })).toEqual([]); // …and never with numbers
    expect(await found({ active: true })).toEqual(['c']);
    expect(await found({ score: 4.5 })).toEqual(['a']);
    expect(await found({ color: 'red' }, ['items', 'deep'])).toEqual([]);
    expect(await found({ color: 'green' }, ['items', 'deep'])).toEqual(['d']);
    expect(await found({ color: 'red' }, [])).toEqual(['a', 'c']);
    const refused = await failure(store.search(['items'], { filter: { color: { $in: ['red'] } } }));
    expect((refused as AgentStorageError).code).toBe('BAD_USER_INPUT');
  });

  it('limit and offset page through the items, newest update first', async ({ server }) => {
    const { store } = await tenantStore(server);
    for (let i = 0; i < 25; i++) {
      await store.put(['page'], `k${String(i).padStart(2, '0')}`, { i });
      server.clock.advance(1);
    }
    const newestFirst = Array.from({ length: 25 }, (_, i) => `k${String(24 - i).padStart(2, '0')}`);
    expect(keys(await store.search(['page']))).toEqual(newestFirst.slice(0, 10)); // LangGraph's default limit: 10
    const pages = [];
    for (let offset = 0; offset < 30; offset += 10) pages.push(keys(await store.search(['page'], { limit: 10, offset })));
    expect(pages).toEqual([newestFirst.slice(0, 10), newestFirst.slice(10, 20), newestFirst.slice(20)]);
    expect(keys(await store.search(['page'], { limit: 3, offset: 22 }))).toEqual(newestFirst.slice(22));
    expect(keys(await store.search(['page'], { limit: 5, offset: 25 }))).toEqual([]);
    expect(keys(await store.search(['page'], { filter: { i: { $gte: 20 } }, limit: 2, offset: 1 }))).toEqual(['k23', 'k22']);
  });

  it('query without an index: the server’s text search, most relevant first', async ({ server }) => {
    const { store } = await tenantStore(server);
    await store.batch(docs.map(([key, value]) => ({ namespace: ['texts'], key, value })));
    await store.put(['texts'], 'e', { text: 'apples apples apples, red red red' });
    const results = await store.search(['texts'], { query: 'red apples' });
    // Both words first (e repeats them, a has each once), then one of the words, never neither.
    expect(keys(results).slice(0, 2)).toEqual(['e', 'a']);
    expect(sortedKeys(results)).toEqual(['a', 'c', 'd', 'e']);
    for (const item of results) expect(typeof item.score).toBe('number');
    for (let i = 1; i < results.length; i++) expect(results[i - 1]!.score!).toBeGreaterThanOrEqual(results[i]!.score!);
    expect(sortedKeys(await store.search(['texts'], { query: 'apples', filter: { color: 'green' } }))).toEqual(['d']);
    expect(await store.search(['texts'], { query: 'submarine' })).toEqual([]);
    // Search results are items with a score: dates as Dates.
    expect(results[0]!.createdAt).toBeInstanceOf(Date);
  });
});

describe('AgentStorageStore: vector search (client embeddings, cosine on the server)', () => {
  const corpus: [string, Record<string, unknown>][] = [
    ['pie', { text: 'apple pie recipe with cinnamon', tags: ['baking', 'dessert'] }],
    ['cider', { text: 'apple cider from the orchard', tags: ['drinks', 'autumn'] }],
    ['engine', { text: 'the engine of a red car', tags: ['cars'] }],
    ['sea', { text: 'waves over the sea at night', tags: ['ocean', 'night'] }],
    ['notext', { title: 'no text field here' }],
  ];
  const queries = ['apple pie', 'red car engine', 'night sea waves', 'orchard drinks', 'baking'];

  /** InMemoryStore with the same model: the reference for which items rank how. */
  async function reference(fields: string[]) {
    const memory = new InMemoryStore({ index: { dims: DIMS, embeddings: embeddings as unknown as Embeddings, fields } });
    await memory.batch(corpus.map(([key, value]) => ({ namespace: ['docs'], key, value })));
    return memory;
  }

  const scored = (items: SearchItem[]) => items.map((i) => [i.key, i.score === undefined ? null : Number(i.score.toFixed(4))]);

  for (const fields of [['text'], ['$'], ['tags[*]'], ['text', 'title']]) {
    it(`ranks as LangGraph’s InMemoryStore does (fields ${JSON.stringify(fields)})`, async ({ server }) => {
      const { store } = await tenantStore(server, { index: { dims: DIMS, embed, fields } });
      await store.batch(corpus.map(([key, value]) => ({ namespace: ['docs'], key, value })));
      const memory = await reference(fields);
      for (const query of queries) {
        const ours = await store.search(['docs'], { query, limit: 10 });
        const theirs = await memory.search(['docs'], { query, limit: 10 });
        // Scores as InMemoryStore computes them (float32 storage: 4 decimals), best first; the
        // items without a vector for these fields last, unscored.
        expect(scored(ours).sort(byScoreThenKey)).toEqual(scored(theirs).sort(byScoreThenKey));
        expect(ours.map((i) => i.score ?? -Infinity)).toEqual([...ours.map((i) => i.score ?? -Infinity)].sort((a, b) => b - a));
      }
    });
  }

  it('the best match first; an Embeddings instance works as a function does; filters, paging, index overrides', async ({ server }) => {
    const { store } = await tenantStore(server, { index: { dims: DIMS, embed: embeddings, fields: ['text'] } });
    await store.batch(corpus.map(([key, value]) => ({ namespace: ['docs'], key, value })));
    expect((await store.search(['docs'], { query: 'apple pie', limit: 1 }))[0]?.key).toBe('pie');
    expect((await store.search(['docs'], { query: 'engine car' }))[0]?.key).toBe('engine');
    const all = keys(await store.search(['docs'], { query: 'apple', limit: 10 }));
    expect(keys(await store.search(['docs'], { query: 'apple', limit: 2, offset: 1 }))).toEqual(all.slice(1, 3));
    expect(keys(await store.search(['docs'], { query: 'apple', filter: { text: { $gt: '' } }, limit: 10 }))).not.toContain('notext');
    // `index` on a put: other fields for this item, or none at all.
    await store.put(['docs'], 'titled', { title: 'apple pie', text: 'unrelated words entirely' }, ['title']);
    expect((await store.search(['docs'], { query: 'apple pie', limit: 1 }))[0]?.key).toBe('titled');
    await store.put(['docs'], 'titled', { title: 'apple pie', text: 'apple pie' }, false);
    const unindexed = (await store.search(['docs'], { query: 'apple pie', limit: 10 })).find((i) => i.key === 'titled');
    expect(unindexed?.score).toBeUndefined(); // its earlier vectors went with the put
    // Without a query, a search lists (no embedding, no score).
    expect((await store.search(['docs'])).every((i) => i.score === undefined)).toBe(true);
  });

  it('a model that answers vectors of the wrong size fails the call, and nothing is written', async ({ server }) => {
    const { store, requests } = await tenantStore(server, { index: { dims: DIMS + 1, embed } });
    await expect(store.put(['docs'], 'k', { text: 'x' })).rejects.toThrow(/dimensions/);
    await expect(store.search(['docs'], { query: 'x' })).rejects.toThrow(/dimensions/);
    expect(requests()).toBe(0);
    expect(await AgentStorageStore.fromClient(store.client).listNamespaces()).toEqual([]);
  });
});

describe('AgentStorageStore: TTL (minutes, on the server’s manual clock)', () => {
  it('an item expires its TTL after the write, to the millisecond, fractions of a minute honoured', async ({ server }) => {
    const { store } = await tenantStore(server, { ttl: { refreshOnRead: false } });
    await store.put(['ttl'], 'short', { v: 1 }, undefined, { ttl: 0.002 }); // 120 ms
    await store.put(['ttl'], 'half', { v: 2 }, undefined, { ttl: 0.5 }); // 30 s
    await store.put(['ttl'], 'forever', { v: 3 });
    server.clock.advance(119);
    expect((await store.get(['ttl'], 'short'))?.value).toEqual({ v: 1 });
    server.clock.advance(1);
    expect(await store.get(['ttl'], 'short')).toBeNull();
    expect(keys(await store.search(['ttl']))).toEqual(['forever', 'half']);
    server.clock.advance(30_000 - 120 - 1);
    expect(await store.get(['ttl'], 'half')).not.toBeNull();
    server.clock.advance(1);
    expect(await store.get(['ttl'], 'half')).toBeNull();
    expect(keys(await store.search(['ttl']))).toEqual(['forever']);
    expect(await store.listNamespaces()).toEqual([['ttl']]);
    server.clock.advance(10 * 365 * 24 * 3_600_000);
    expect((await store.get(['ttl'], 'forever'))?.value).toEqual({ v: 3 });
    // A namespace whose items all expired is no longer listed.
    await store.put(['gone'], 'k', { v: 1 }, undefined, { ttl: 0.001 });
    expect(await store.listNamespaces()).toEqual([['gone'], ['ttl']]);
    server.clock.advance(60);
    expect(await store.listNamespaces()).toEqual([['ttl']]);
  });

  it('refreshOnRead (default true): get and search move the expiry to now + TTL; a call can say otherwise', async ({ server }) => {
    const { store } = await tenantStore(server);
    await store.put(['ttl'], 'got', { v: 1 }, undefined, { ttl: 1 });
    await store.put(['ttl'], 'found', { v: 2 }, undefined, { ttl: 1 });
    await store.put(['ttl'], 'peeked', { v: 3 }, undefined, { ttl: 1 });
    server.clock.advance(50_000);
    expect(await store.get(['ttl'], 'got')).not.toBeNull(); // refreshes: expires at 110 s
    expect(keys(await store.search(['ttl'], { filter: { v: 2 } }))).toEqual(['found']); // refreshes: 110 s
    expect(await store.get(['ttl'], 'peeked', { refreshTtl: false })).not.toBeNull(); // still 60 s
    expect(keys(await store.search(['ttl'], { filter: { v: 3 }, refreshTtl: false }))).toEqual(['peeked']);
    server.clock.advance(10_000); // 60 s
    expect(await store.get(['ttl'], 'peeked', { refreshTtl: false })).toBeNull();
    expect(await store.get(['ttl'], 'got', { refreshTtl: false })).not.toBeNull();
    expect(keys(await store.search(['ttl'], { refreshTtl: false }))).toEqual(['found', 'got']);
    server.clock.advance(50_000); // 110 s
    expect(await store.search(['ttl'], { refreshTtl: false })).toEqual([]);

    // refreshOnRead: false, and a call that asks for a refresh.
    const noRefresh = AgentStorageStore.fromClient(store.client, { ttl: { refreshOnRead: false } });
    await noRefresh.put(['ttl2'], 'a', { v: 1 }, undefined, { ttl: 0.01 }); // 600 ms
    await noRefresh.put(['ttl2'], 'b', { v: 2 }, undefined, { ttl: 0.01 });
    server.clock.advance(500);
    await noRefresh.get(['ttl2'], 'a'); // does not refresh
    await noRefresh.get(['ttl2'], 'b', { refreshTtl: true });
    server.clock.advance(100);
    expect(keys(await noRefresh.search(['ttl2']))).toEqual(['b']);
    // A refresh never gives an item without a TTL one.
    await noRefresh.put(['ttl3'], 'plain', { v: 1 }, undefined, { ttl: null });
    await store.get(['ttl3'], 'plain');
    server.clock.advance(10 * 365 * 24 * 3_600_000);
    expect(await noRefresh.get(['ttl3'], 'plain')).not.toBeNull();
  });

  it('defaultTtl applies to puts that name no TTL; `ttl: null` never expires; a put writes the TTL anew', async ({ server }) => {
    const { store } = await tenantStore(server, { ttl: { defaultTtl: 0.25, refreshOnRead: false } }); // 15 s
    await store.put(['d'], 'default', { v: 1 });
    await store.put(['d'], 'never', { v: 2 }, undefined, { ttl: null });
    await store.put(['d'], 'own', { v: 3 }, undefined, { ttl: 0.5 });
    await store.batch([{ namespace: ['d'], key: 'batched', value: { v: 4 } }]); // batch() puts too
    server.clock.advance(14_999);
    expect(sortedKeys(await store.search(['d']))).toEqual(['batched', 'default', 'never', 'own']);
    await store.put(['d'], 'default', { v: 1.5 }); // a new write: 15 s from now
    server.clock.advance(1);
    expect(sortedKeys(await store.search(['d']))).toEqual(['default', 'never', 'own']);
    server.clock.advance(14_999); // 29,999 ms: the rewritten one's 15 s are up
    expect(sortedKeys(await store.search(['d']))).toEqual(['never', 'own']);
    server.clock.advance(1); // 30 s: so are the own TTL's
    expect(sortedKeys(await store.search(['d']))).toEqual(['never']);
  });

  it('a TTL the server refuses (zero, negative, beyond ten years) is its BAD_USER_INPUT', async ({ server }) => {
    const { store } = await tenantStore(server);
    for (const ttl of [0, -1, 11 * 365 * 24 * 60]) {
      const error = await failure(store.put(['ttl'], 'k', { v: 1 }, undefined, { ttl }));
      expect((error as AgentStorageError).code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('AgentStorageStore: construction', () => {
  it('a batch whose answer was lost is sent again — safe, as a put replaces the whole value — and ends as one run would', async ({ server }) => {
    const apiKey = await tenantKey(server);
    let calls = 0;
    // The first request reaches the server and is applied; its answer never arrives.
    const losing: FetchLike = async (input, init) => {
      const response = await fetch(input, init);
      if (++calls > 1) return response;
      await response.text();
      throw new TypeError('fetch failed: the connection dropped');
    };
    const store = new AgentStorageStore({ url: server.url, apiKey, fetch: losing, retry: { baseDelayMs: 1, maxDelayMs: 1 } });
    const results = await store.batch([
      { namespace: ['r'], key: 'a', value: { v: 1 } },
      { namespace: ['r'], key: 'b', value: null },
      { namespacePrefix: ['r'], limit: 10, offset: 0 },
    ]);
    expect(calls).toBe(2);
    expect(keys(results[2] as unknown as SearchItem[])).toEqual(['a']);
    expect((await store.search(['r'])).map((i) => [i.key, i.value])).toEqual([['a', { v: 1 }]]);
  });

  it('with its own client options (headers, fetch) or over an existing client', async ({ server }) => {
    const counter = countingFetch();
    const apiKey = await tenantKey(server);
    const store = new AgentStorageStore({ url: server.url, apiKey, fetch: counter.fetch, headers: { 'x-request-id': 'lg-store-test' } });
    await store.put(['c'], 'k', { v: 1 });
    expect(counter.count()).toBe(1);
    const over = AgentStorageStore.fromClient(new AgentStorageClient({ url: server.url, apiKey }));
    expect((await over.get(['c'], 'k'))?.value).toEqual({ v: 1 });
    expect(() => new AgentStorageStore({ url: server.url, index: { dims: 0, embed } })).toThrow(RangeError);
    expect(() => new AgentStorageStore({ url: server.url, index: { dims: 3 } })).toThrow(TypeError);
  });
});

function byScoreThenKey(a: (string | number | null)[], b: (string | number | null)[]): number {
  const sa = (a[1] as number | null) ?? -Infinity;
  const sb = (b[1] as number | null) ?? -Infinity;
  return sb - sa || String(a[0]).localeCompare(String(b[0]));
}
