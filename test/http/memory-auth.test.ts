import { AUTH_ENV, createKey, keyed } from '../support/auth.js';
import { describe, expect, it, test } from '../support/server-fixture.js';

/* The memory store's scopes and tenants, black-box: the same rules as every other record. */

test.override({ env: AUTH_ENV });

describe('memory store: scopes and tenants', () => {
  it('reads need read, writes need write; each tenant has its own items', async ({ server }) => {
    const acme = keyed(server.url, await createKey(server.url, 'acme', ['READ', 'WRITE']));
    const beta = keyed(server.url, await createKey(server.url, 'beta', ['READ', 'WRITE']));
    const reader = keyed(server.url, await createKey(server.url, 'acme', ['READ']));
    const writer = keyed(server.url, await createKey(server.url, 'acme', ['WRITE']));

    expect((await acme.put('/storage/memory/items/shared/k', { value: { owner: 'acme' } })).status).toBe(200);
    expect((await beta.put('/storage/memory/items/shared/k', { value: { owner: 'beta' } })).status).toBe(200);
    expect((await acme.get('/storage/memory/items/shared/k')).body.value).toEqual({ owner: 'acme' });
    expect((await beta.get('/storage/memory/items/shared/k')).body.value).toEqual({ owner: 'beta' });
    await beta.del('/storage/memory/items/shared/k');
    expect((await acme.get('/storage/memory/items/shared/k')).status).toBe(200);
    const other = await beta.post('/storage/memory/search', { namespace_prefix: [] });
    expect(other.body).toEqual([]);

    expect((await reader.get('/storage/memory/items/shared/k')).status).toBe(200);
    expect((await reader.post('/storage/memory/search', { namespace_prefix: ['shared'] })).status).toBe(200);
    expect((await reader.post('/storage/memory/read', { operations: [{ list_namespaces: {} }] })).body).toEqual([{ kind: 'list_namespaces', namespaces: [['shared']] }]);
    expect((await reader.put('/storage/memory/items/shared/k', { value: {} })).status).toBe(403);
    expect((await reader.post('/storage/memory/batch', { operations: [{ get: { namespace: ['shared'], key: 'k' } }] })).status).toBe(403);
    const readerBatch = await reader.gql('mutation { memoryBatch(operations: [{ get: { namespace: ["shared"], key: "k" } }]) { kind } }');
    expect(readerBatch.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const readerRead = await reader.gql('{ memoryRead(operations: [{ get: { namespace: ["shared"], key: "k" } }]) { item { value } } }');
    expect(readerRead.body.data.memoryRead[0].item.value).toEqual({ owner: 'acme' });

    expect((await writer.get('/storage/memory/items/shared/k')).status).toBe(403);
    expect((await writer.post('/storage/memory/search', { namespace_prefix: [] })).status).toBe(403);
    expect((await writer.gql('{ memoryNamespaces }')).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await writer.put('/storage/memory/items/shared/k2', { value: { w: 1 } })).status).toBe(200);
  });
});
