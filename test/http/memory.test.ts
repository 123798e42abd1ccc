import { describe, expect, it } from '../support/server-fixture.js';

/* The memory store through both doors, black-box, on a real server (SQLite, or PostgreSQL + Redis). */

const ITEM_FIELDS = 'namespace key value createdAt updatedAt ttlMinutes expiresAt score';

describe('memory store over REST', () => {
  it('puts, gets, searches, lists and deletes items, snake_case on the wire', async ({ server, api }) => {
    const put = await api.put('/storage/memory/items/users.u1/prefs/theme', { value: { theme: 'dark', text: 'likes dark mode' }, ttl_minutes: 1.5 });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ status: 'stored', namespace: ['users', 'u1'], key: 'prefs/theme' });
    const got = await api.get('/storage/memory/items/users.u1/prefs/theme');
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      namespace: ['users', 'u1'],
      key: 'prefs/theme',
      value: { theme: 'dark', text: 'likes dark mode' },
      created_at: server.clock.iso(),
      updated_at: server.clock.iso(),
      ttl_minutes: 1.5,
      expires_at: new Date(server.clock.now() + 90_000).toISOString(),
    });
    await api.put('/storage/memory/items/users.u2/note', { value: { text: 'prefers light mode', score: 3 } });

    const search = await api.post('/storage/memory/search', { namespace_prefix: ['users'], query: 'dark', filter: { theme: { $eq: 'dark' } } });
    expect(search.status).toBe(200);
    expect(search.body).toHaveLength(1);
    expect(search.body[0]).toMatchObject({ key: 'prefs/theme', score: expect.any(Number) });
    const filtered = await api.post('/storage/memory/search', { namespace_prefix: [], filter: { score: { $gte: 3 } } });
    expect(filtered.body.map((i: { key: string }) => i.key)).toEqual(['note']);

    expect((await api.get('/storage/memory/namespaces')).body).toEqual([
      ['users', 'u1'],
      ['users', 'u2'],
    ]);
    expect((await api.get('/storage/memory/namespaces?prefix=users.*&max_depth=1')).body).toEqual([['users']]);
    expect((await api.get('/storage/memory/namespaces?suffix=u2&limit=5&offset=0')).body).toEqual([['users', 'u2']]);

    // A refreshing read moves the expiry; then it expires.
    server.clock.advance(60_000);
    const refreshed = await api.get('/storage/memory/items/users.u1/prefs/theme?refresh_ttl=true');
    expect(refreshed.body.expires_at).toBe(new Date(server.clock.now() + 90_000).toISOString());
    server.clock.advance(90_000);
    expect((await api.get('/storage/memory/items/users.u1/prefs/theme')).status).toBe(404);
    expect((await api.get('/storage/memory/items/users.u1/prefs/theme')).body).toEqual({ detail: 'Memory item not found' });
    // The retention run deletes it (a dry run only counts it).
    expect((await api.post('/storage/retention/run?dry_run=true')).body.memory_items_deleted).toBe(1);
    expect((await api.post('/storage/retention/run')).body.memory_items_deleted).toBe(1);
    expect(await server.storage.memory.sweepExpired({ dryRun: true })).toBe(0);

    const deleted = await api.del('/storage/memory/items/users.u2/note');
    expect(deleted.body).toEqual({ status: 'deleted', namespace: ['users', 'u2'], key: 'note' });
    expect((await api.get('/storage/memory/items/users.u2/note')).status).toBe(404);
  });

  it('runs a batch in order in one request, and a read-only batch with /read', async ({ api }) => {
    const batch = await api.post('/storage/memory/batch', {
      operations: [
        { put: { namespace: ['b'], key: 'k', value: { n: 1 }, ttl_minutes: 10, vectors: [{ field: 'text', vector: [1, 0] }] } },
        { get: { namespace: ['b'], key: 'k', refresh_ttl: true } },
        { search: { namespace_prefix: ['b'], query_vector: [1, 0] } },
        { list_namespaces: { max_depth: 1 } },
      ],
    });
    expect(batch.status).toBe(200);
    expect(batch.body.map((r: { kind: string }) => r.kind)).toEqual(['put', 'get', 'search', 'list_namespaces']);
    expect(batch.body[1].item).toMatchObject({ key: 'k', value: { n: 1 }, ttl_minutes: 10 });
    expect(batch.body[2].items[0]).toMatchObject({ key: 'k', score: 1 });
    expect(batch.body[3].namespaces).toEqual([['b']]);
    const read = await api.post('/storage/memory/read', { operations: [{ get: { namespace: ['b'], key: 'k' } }] });
    expect(read.body).toEqual([{ kind: 'get', item: expect.objectContaining({ key: 'k' }) }]);
    const refused = await api.post('/storage/memory/read', { operations: [{ put: { namespace: ['b'], key: 'k', value: null } }] });
    expect(refused.status).toBe(422);
    expect(refused.body.detail[0].loc).toEqual(['body', 'operations', 0, 'put']);
  });

  it('answers bad input with 422 naming the wire field, never a 500', async ({ api }) => {
    const cases: [string, string, unknown, (string | number)[]][] = [
      ['PUT', '/storage/memory/items/a..b/k', { value: {} }, ['path', 'namespace', 1]],
      ['PUT', '/storage/memory/items/a/k', { value: [1] }, ['body', 'value']],
      ['PUT', '/storage/memory/items/a/k', {}, ['body', 'value']],
      ['PUT', '/storage/memory/items/a/k', { value: {}, ttl_minutes: 0 }, ['body', 'ttl_minutes']],
      ['PUT', '/storage/memory/items/a/k', { value: { s: 'nul\u0000' } }, ['body', 'value']],
      ['POST', '/storage/memory/search', { namespace_prefix: ['a'], filter: { x: { $regex: 'a' } } }, ['body', 'filter', 'x', '$regex']],
      ['POST', '/storage/memory/search', { namespace_prefix: ['a'], limit: 0 }, ['body', 'limit']],
      ['POST', '/storage/memory/search', { namespace_prefix: 'a' }, ['body', 'namespace_prefix']],
      ['POST', '/storage/memory/batch', { operations: [{ get: { namespace: ['a'], key: 'k' }, put: { namespace: ['a'], key: 'k', value: null } }] }, ['body', 'operations', 0]],
      ['POST', '/storage/memory/batch', { operations: [{ put: { namespace: ['a'], key: 'k', value: {}, ttl_minutes: -1 } }] }, ['body', 'operations', 0, 'put', 'ttl_minutes']],
      ['POST', '/storage/memory/batch', { operations: [] }, ['body', 'operations']],
    ];
    for (const [method, path, body, loc] of cases) {
      const res = await api.call(method, path, body);
      expect([res.status, res.body.detail[0].loc]).toEqual([422, loc]);
    }
    expect((await api.get('/storage/memory/namespaces?max_depth=0')).status).toBe(422);
    expect((await api.get('/storage/memory/items/a/k?refresh_ttl=maybe')).status).toBe(422);
  });
});

describe('memory store over GraphQL', () => {
  it('memoryBatch writes and reads in one request; the query fields read', async ({ api }) => {
    const batch = await api.gql(
      `mutation($ops: [MemoryOperationInput!]!) { memoryBatch(operations: $ops) { kind item { ${ITEM_FIELDS} } items { key score } namespaces } }`,
      {
        ops: [
          { put: { namespace: ['g', 'docs'], key: 'py', value: { text: 'Python tutorial' }, ttlMinutes: 0.5 } },
          { put: { namespace: ['g', 'docs'], key: 'ts', value: { text: 'TypeScript guide' } } },
          { get: { namespace: ['g', 'docs'], key: 'py' } },
          { search: { namespacePrefix: ['g'], query: 'python' } },
          { listNamespaces: { prefix: ['g'] } },
        ],
      },
    );
    expect(batch.body.errors).toBeUndefined();
    const results = batch.body.data.memoryBatch;
    expect(results.map((r: { kind: string }) => r.kind)).toEqual(['PUT', 'PUT', 'GET', 'SEARCH', 'LIST_NAMESPACES']);
    expect(results[2].item).toMatchObject({ namespace: ['g', 'docs'], key: 'py', ttlMinutes: 0.5, score: null });
    expect(results[3].items).toEqual([{ key: 'py', score: expect.any(Number) }]);
    expect(results[4].namespaces).toEqual([['g', 'docs']]);

    const q = await api.gql(
      // Operators go in variables: `$` cannot start a name in a GraphQL literal.
      `query($filter: JSONObject) { memoryItem(input: { namespace: ["g", "docs"], key: "ts" }) { key value }
         memorySearch(input: { namespacePrefix: ["g"], filter: $filter }) { key }
         memoryNamespaces(input: { suffix: ["docs"], maxDepth: 1 })
         all: memoryNamespaces
         memoryRead(operations: [{ get: { namespace: ["g", "docs"], key: "nope" } }]) { kind item { key } } }`,
      { filter: { text: { $ne: 'TypeScript guide' } } },
    );
    expect(q.body.errors).toBeUndefined();
    expect(q.body.data).toMatchObject({
      memoryItem: { key: 'ts', value: { text: 'TypeScript guide' } },
      memorySearch: [{ key: 'py' }],
      memoryNamespaces: [['g']],
      memoryRead: [{ kind: 'GET', item: null }],
    });
    expect(q.body.data.all).toContainEqual(['g', 'docs']);
  });

  it('refuses bad input with BAD_USER_INPUT', async ({ api }) => {
    const bad = [
      '{ memoryItem(input: { namespace: [], key: "k" }) { key } }',
      '{ memoryItem(input: { namespace: ["a.b"], key: "k" }) { key } }',
      '{ memorySearch(input: { namespacePrefix: ["a"], filter: { x: { in: [1] } } }) { key } }',
      '{ memorySearch(input: { namespacePrefix: ["a"], filter: { x: [1] } }) { key } }',
      '{ memorySearch(input: { namespacePrefix: ["a"], limit: 100000 }) { key } }',
      '{ memoryNamespaces(input: { maxDepth: 0 }) }',
      '{ memoryRead(operations: [{ put: { namespace: ["a"], key: "k", value: null } }]) { kind } }',
      'mutation { memoryBatch(operations: [{}]) { kind } }',
      'mutation { memoryBatch(operations: [{ put: { namespace: ["a"], key: "k" } }]) { kind } }',
      'mutation { memoryBatch(operations: [{ put: { namespace: ["a"], key: "k", value: {}, vectors: [{ field: "f", vector: [] }] } }]) { kind } }',
      'mutation { memoryBatch(operations: [{ put: { namespace: ["a"], key: "k", value: {}, vectors: [{ field: "f", vector: [1e39] }] } }]) { kind } }',
      '{ memorySearch(input: { namespacePrefix: [], queryVector: [-1e39] }) { key } }',
    ];
    for (const query of bad) {
      const res = await api.gql(query);
      expect([query, res.body.errors?.[0]?.extensions?.code]).toEqual([query, 'BAD_USER_INPUT']);
    }
  });
});
