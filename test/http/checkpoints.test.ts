import { randomBytes } from 'node:crypto';
import { openSse } from '../support/sse.js';
import { describe, expect, it, test } from '../support/server-fixture.js';
import type { JsonClient } from '../support/http.js';

/* LangGraph's checkpoints through the REST routes, on SQLite and PostgreSQL (the vitest projects). */

const b64 = (value: string | Uint8Array) => Buffer.from(value).toString('base64');
let counter = 0;
const thread = (name: string) => `${name}-${++counter}-${randomBytes(3).toString('hex')}`;
const path = (...parts: string[]) => `/storage/threads/${parts.map(encodeURIComponent).join('/')}`;

// Small enough that a checkpoint can exceed it; every other body of this file fits.
const MAX_BODY_BYTES = 8192;
test.override({ env: { MAX_BODY_BYTES: String(MAX_BODY_BYTES) } });

function put(api: JsonClient, threadId: string, id: string, body: Record<string, unknown> = {}) {
  return api.put(`${path(threadId, 'checkpoints', id)}`, { type: 'json', data: b64(`cp-${id}`), ...body });
}

describe('checkpoints over REST', () => {
  it('puts a checkpoint and its writes, and reads it back with its values and ordered writes', async ({ api }) => {
    const t = thread('rest');
    const bytes = randomBytes(64);
    const res = await put(api, t, 'c1', {
      data: b64(bytes),
      metadata: { source: 'input', step: -1 },
      channel_versions: { messages: 1 },
      channel_values: [{ channel: 'messages', version: 1, type: 'json', data: b64('[]') }],
      ttl_seconds: 3600,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ thread_id: t, namespace: '', id: 'c1', parent_id: null, type: 'json', data: b64(bytes), channel_versions: { messages: 1 } });
    const writes = await api.put(path(t, 'checkpoints', 'c1', 'writes'), {
      task_id: 'task',
      task_path: '',
      writes: [{ idx: 1, channel: 'b', type: 'json', data: b64('2') }, { idx: 0, channel: 'a', type: 'json', data: b64('1') }],
    });
    expect(writes).toMatchObject({ status: 200, body: { written: 2 } });

    const latest = await api.get(path(t, 'checkpoints', 'latest'));
    expect(latest.status).toBe(200);
    expect(latest.body.channel_values).toEqual([{ channel: 'messages', version: '1', type: 'json', data: b64('[]') }]);
    expect(latest.body.pending_writes.map((w: { idx: number; task_id: string; task_path: string }) => [w.task_id, w.idx, w.task_path])).toEqual([
      ['task', 0, ''],
      ['task', 1, ''],
    ]);
    expect((await api.get(path(t, 'checkpoints', 'c1'))).body.id).toBe('c1');
    expect((await api.get(`${path(t, 'checkpoints', 'c1')}?namespace=sub`)).status).toBe(404);
    const got = await api.get(path(t));
    expect(got.body).toMatchObject({ id: t, ttl_seconds: 3600 });
    expect(Object.keys(got.body)).toEqual(['id', 'created_at', 'updated_at', 'ttl_seconds', 'expires_at']);
  });

  it('lists newest first with a Link to the next page; filters metadata given as JSON; across threads', async ({ api }) => {
    const [a, b] = [thread('la'), thread('lb')];
    for (const [t, id] of [[a, '2'], [b, '3'], [a, '1'], [a, '4']] as const) expect((await put(api, t, id, { metadata: { owner: a, odd: Number(id) % 2 === 1 } })).status).toBe(200);
    const first = await api.get(`${path(a, 'checkpoints')}?limit=2`);
    expect(first.body.map((c: { id: string }) => c.id)).toEqual(['4', '2']);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toBeDefined();
    const second = await api.get(next!);
    expect(second.body.map((c: { id: string }) => c.id)).toEqual(['1']);
    expect(second.headers.get('link')).toBeNull();
    const filter = encodeURIComponent(JSON.stringify({ owner: a, odd: true }));
    expect((await api.get(`/storage/checkpoints?filter=${filter}`)).body.map((c: { id: string }) => c.id)).toEqual(['3', '1']);
    expect((await api.get(`/storage/checkpoints?filter=${filter}&before=3`)).body.map((c: { id: string }) => c.id)).toEqual(['1']);
  });

  it('answers bad input with 422 naming the field, and missing things with 404', async ({ api }) => {
    const t = thread('bad');
    const bad = await put(api, t, 'c', { data: 'not base64' });
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'data'] })]);
    expect((await put(api, t, 'c', { channel_versions: { a: 1 }, channel_values: [{ channel: 'a', version: 2, type: 'json', data: 'e30=' }] })).body.detail[0].loc).toEqual([
      'body',
      'channel_values',
      0,
      'version',
    ]);
    expect((await api.get(`/storage/checkpoints?filter=${encodeURIComponent('[1]')}`)).body.detail[0].loc).toEqual(['query', 'filter']);
    expect((await api.get(`/storage/checkpoints?filter=nope`)).status).toBe(422);
    expect((await api.get(`/storage/checkpoints?after=nope`)).status).toBe(422);
    expect((await api.get(`/storage/checkpoints?limit=0`)).status).toBe(422);
    expect((await api.put(path(t, 'checkpoints', 'c'), [1])).status).toBe(422);
    expect((await api.get(path(t))).status).toBe(404);
    expect((await api.get(path(t, 'checkpoints', 'latest'))).body).toEqual({ detail: 'Checkpoint not found' });
    expect((await api.del(path(t))).status).toBe(404);
    expect((await api.call('PATCH', path(t), { ttl_seconds: 5 })).status).toBe(404);
  });

  it('refuses a checkpoint larger than MAX_BODY_BYTES with 413 on both doors, and stores nothing', async ({ api }) => {
    const t = thread('big');
    const data = b64(randomBytes(MAX_BODY_BYTES));
    expect((await put(api, t, 'c', { data })).status).toBe(413);
    const viaGraphql = await api.gql('mutation ($input: PutCheckpointInput!) { putCheckpoint(input: $input) { id } }', { input: { threadId: t, id: 'c', type: 'json', data } });
    expect(viaGraphql.status).toBe(413);
    expect(viaGraphql.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await api.get(path(t))).status).toBe(404);
  });

  it('copies (201, 409, 404), prunes, patches the TTL and deletes', async ({ api }) => {
    const t = thread('ops');
    for (const id of ['1', '2']) await put(api, t, id);
    const copy = await api.post(path(t, 'copy'), { target_thread_id: `${t}-copy` });
    expect(copy).toMatchObject({ status: 201, body: { id: `${t}-copy` } });
    expect((await api.post(path(t, 'copy'), { target_thread_id: `${t}-copy` })).status).toBe(409);
    expect((await api.post(path(thread('none'), 'copy'), { target_thread_id: thread('x') })).body).toEqual({ detail: 'Source thread not found' });
    expect((await api.post('/storage/threads/prune', { thread_ids: [t, `${t}-copy`], keep: 1 })).body).toEqual({
      checkpoints_deleted: 2,
      writes_deleted: 0,
      channel_values_deleted: 0,
    });
    expect((await api.post('/storage/threads/prune', { thread_ids: [] })).status).toBe(422);
    const patched = await api.call('PATCH', path(t), { ttl_seconds: 60 });
    expect(patched.body).toMatchObject({ id: t, ttl_seconds: 60 });
    expect((await api.call('PATCH', path(t), { ttl_seconds: null })).body).toMatchObject({ ttl_seconds: null, expires_at: null });
    expect((await api.del(path(t))).body).toEqual({ status: 'deleted', thread_id: t });
    expect((await api.get(path(t, 'checkpoints'))).body).toEqual([]);
  });

  it("streams a thread's events, from before its first write", async ({ server, api }) => {
    const t = thread('feed');
    const stream = await openSse(`${server.url}${path(t, 'events')}`);
    try {
      expect(stream.status).toBe(200);
      await put(api, t, 'c1', { metadata: { step: 1 } });
      await api.put(path(t, 'checkpoints', 'c1', 'writes'), { task_id: 'task', writes: [{ idx: 0, channel: 'a', type: 'json', data: 'e30=' }] });
      await api.del(path(t));
      const messages = await stream.take(3);
      expect(messages.map((m) => m.event)).toEqual(['CheckpointPut', 'CheckpointWritesPut', 'ThreadDeleted']);
      expect(JSON.parse(messages[0]!.data)).toMatchObject({ type: 'CheckpointPut', thread_id: t, checkpoint_id: 'c1', metadata: { step: 1 } });
      expect(JSON.parse(messages[1]!.data)).toMatchObject({ thread_id: t, task_id: 'task', count: 1 });
    } finally {
      stream.close();
    }
  });
});
