import { describe, expect, it, type TestServer } from '../support/server-fixture.js';
import type { GraphQLClient } from './client.js';
import { CleanupCacheDocument, DeleteCacheEntryDocument, GetCacheEntryDocument, SetCacheEntryDocument } from './gql/graphql.js';

const get = async (gql: GraphQLClient, key: string) => (await gql.data(GetCacheEntryDocument, { key })).cacheEntry;
const now = (server: TestServer) => new Date(server.clock.now()).toISOString();

describe('cache', () => {
  it('stores without expiry when no ttl is given', async ({ server, gql }) => {
    const set = (await gql.data(SetCacheEntryDocument, { key: 'forever', value: { a: [1, 2] } })).setCacheEntry;
    expect(set).toMatchObject({ key: 'forever', value: { a: [1, 2] }, ttl: null, expiresAt: null, createdAt: now(server), accessedAt: now(server) });
    server.clock.advance(10 * 365 * 24 * 3600 * 1000);
    expect(await get(gql, 'forever')).toMatchObject({ value: { a: [1, 2] } });
  });

  it('moves accessedAt on every read', async ({ server, gql }) => {
    const created = (await gql.data(SetCacheEntryDocument, { key: 'touched', value: 'v' })).setCacheEntry;
    server.clock.advance(7000);
    const read = await get(gql, 'touched');
    expect(read!.createdAt).toBe(created.createdAt);
    expect(read!.accessedAt).toBe(now(server));
    expect(Date.parse(read!.accessedAt) - Date.parse(created.accessedAt)).toBe(7000);
  });

  it('expires after ttl seconds: an expired entry reads as null and is deleted', async ({ server, gql }) => {
    const set = (await gql.data(SetCacheEntryDocument, { key: 'short', value: 42, ttl: 60 })).setCacheEntry;
    expect(set.ttl).toBe(60);
    expect(Date.parse(set.expiresAt!) - Date.parse(set.createdAt)).toBe(60_000);
    server.clock.advance(59_999);
    expect((await get(gql, 'short'))!.value).toBe(42);
    server.clock.advance(1);
    expect(await get(gql, 'short')).toBeNull();
    // Deleted on that read, not just hidden: there is nothing left to delete.
    expect(await server.storage.cache.store.getCacheEntry('short')).toBeNull();
    const [error] = await gql.errors(DeleteCacheEntryDocument, { key: 'short' });
    expect(error!.extensions?.code).toBe('NOT_FOUND');
  });

  it('replaces an entry, ttl included', async ({ server, gql }) => {
    await gql.data(SetCacheEntryDocument, { key: 'replaced', value: 1, ttl: 1 });
    await gql.data(SetCacheEntryDocument, { key: 'replaced', value: 2 });
    server.clock.advance(5000);
    expect(await get(gql, 'replaced')).toMatchObject({ value: 2, ttl: null });
  });

  it('cleanupCache removes expired entries and says how many', async ({ server, gql }) => {
    await gql.data(CleanupCacheDocument);
    await gql.data(SetCacheEntryDocument, { key: 'gone-1', value: 1, ttl: 1 });
    await gql.data(SetCacheEntryDocument, { key: 'gone-2', value: 2, ttl: 2 });
    await gql.data(SetCacheEntryDocument, { key: 'stays', value: 3, ttl: 100 });
    server.clock.advance(2000);
    expect((await gql.data(CleanupCacheDocument)).cleanupCache).toBe(2);
    expect((await gql.data(CleanupCacheDocument)).cleanupCache).toBe(0);
    expect((await get(gql, 'stays'))!.value).toBe(3);
  });

  it('deletes an entry and returns its key; a missing key reads as null', async ({ gql }) => {
    await gql.data(SetCacheEntryDocument, { key: 'a/b c?d', value: 'x' });
    expect((await gql.data(DeleteCacheEntryDocument, { key: 'a/b c?d' })).deleteCacheEntry).toBe('a/b c?d');
    expect(await get(gql, 'a/b c?d')).toBeNull();
    expect(await get(gql, 'never-set')).toBeNull();
  });

  it('validates the key and the ttl', async ({ gql }) => {
    const [zero] = await gql.errors(SetCacheEntryDocument, { key: 'k', value: 1, ttl: 0 });
    expect(zero!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: ['ttl'] }] });
    const [empty] = await gql.errors(SetCacheEntryDocument, { key: '', value: 1 });
    expect(empty!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: ['key'], message: 'must not be empty' }] });
    const [long] = await gql.errors(GetCacheEntryDocument, { key: 'k'.repeat(1025) });
    expect(long!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: ['key'] }] });
  });
});
