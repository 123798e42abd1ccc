import { AUTH_ENV, createKey, keyed } from '../support/auth.js';
import { describe, expect, it, test } from '../support/server-fixture.js';

/* Scopes and tenants for LangGraph's checkpoints, through both doors (SQLite and PostgreSQL). */

test.override({ env: AUTH_ENV });

const PUT = 'mutation ($input: PutCheckpointInput!) { putCheckpoint(input: $input) { id } }';
const GET = 'query ($id: String!) { thread(id: $id) { id checkpoint { id pendingWrites { taskId } } } }';
const LIST = 'query { checkpoints { nodes { threadId id } } }';

describe('checkpoints: scopes and tenants', () => {
  it('needs write to put and read to read, in both doors', async ({ server }) => {
    const writer = keyed(server.url, await createKey(server.url, 'acme', ['READ', 'WRITE']));
    const reader = keyed(server.url, await createKey(server.url, 'acme', ['READ']));
    const input = { threadId: 'scoped', id: '1', type: 'json', data: 'e30=' };
    expect((await writer.gql(PUT, { input })).body.data.putCheckpoint.id).toBe('1');
    expect((await reader.gql(PUT, { input })).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await reader.put('/storage/threads/scoped/checkpoints/2', { type: 'json', data: 'e30=' })).status).toBe(403);
    expect((await reader.del('/storage/threads/scoped')).status).toBe(403);
    expect((await reader.gql(GET, { id: 'scoped' })).body.data.thread.checkpoint.id).toBe('1');
    expect((await reader.get('/storage/threads/scoped/checkpoints/latest')).status).toBe(200);
  });

  it("keeps one tenant's threads out of another's reach, even under the same thread id", async ({ server }) => {
    const acme = keyed(server.url, await createKey(server.url, 'acme', ['READ', 'WRITE']));
    const beta = keyed(server.url, await createKey(server.url, 'beta', ['READ', 'WRITE']));
    await acme.gql(PUT, { input: { threadId: 'shared', id: 'a1', type: 'json', data: 'e30=' } });
    await acme.gql(PUT, { input: { threadId: 'acme-only', id: 'a1', type: 'json', data: 'e30=' } });
    await beta.gql(PUT, { input: { threadId: 'shared', id: 'b1', type: 'json', data: 'e30=' } });

    expect((await beta.gql(GET, { id: 'acme-only' })).body.data.thread).toBeNull();
    expect((await beta.gql(GET, { id: 'shared' })).body.data.thread.checkpoint.id).toBe('b1');
    expect((await beta.gql(LIST)).body.data.checkpoints.nodes).toEqual([{ threadId: 'shared', id: 'b1' }]);
    expect((await beta.get('/storage/threads/acme-only')).status).toBe(404);
    expect((await beta.get('/storage/checkpoints')).body.map((c: { id: string }) => c.id)).toEqual(['b1']);
    expect((await beta.gql('mutation { deleteThread(id: "acme-only") }')).body.data.deleteThread).toBe(false);
    expect((await beta.gql('mutation { copyThread(sourceThreadId: "acme-only", targetThreadId: "stolen") { id } }')).body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await beta.post('/storage/threads/prune', { thread_ids: ['acme-only', 'shared'], keep: 1 })).status).toBe(200);
    expect((await acme.gql(GET, { id: 'acme-only' })).body.data.thread.checkpoint.id).toBe('a1');
    expect((await acme.gql(GET, { id: 'shared' })).body.data.thread.checkpoint.id).toBe('a1');
  });
});
