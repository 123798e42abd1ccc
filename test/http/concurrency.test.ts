import type { JsonClient } from '../support/http.js';
import { describe, expect, it } from '../support/server-fixture.js';

async function newSession(api: JsonClient, body: Record<string, unknown> = {}): Promise<string> {
  const r = await api.post('/storage/sessions', { agent_name: 'agent', ...body });
  expect(r.status).toBe(200);
  return r.body.id as string;
}

const MERGE_PATCH = { 'content-type': 'application/merge-patch+json' };
const say = (sessionId: string, content: string, extra: Record<string, unknown> = {}) => ({ session_id: sessionId, role: 'user', content, ...extra });

describe('state: versions, ETag and If-Match', () => {
  it('GET and PUT answer the version in the body and as a strong ETag', async ({ api }) => {
    const id = await newSession(api);
    const put = await api.put(`/storage/state/${id}`, { data: { a: 1 } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ session_id: id, data: { a: 1 }, updated_at: expect.any(String), version: 1 });
    expect(put.headers.get('etag')).toBe('"1"');
    await api.put(`/storage/state/${id}`, { data: { a: 2 } });
    const get = await api.get(`/storage/state/${id}`);
    expect(get.body).toMatchObject({ data: { a: 2 }, version: 2 });
    expect(get.headers.get('etag')).toBe('"2"');
  });

  it('PUT with If-Match writes only at that version: 412 with the current ETag otherwise', async ({ api }) => {
    const id = await newSession(api);
    const { headers } = await api.put(`/storage/state/${id}`, { data: 'v1' });
    const etag = headers.get('etag')!;
    const ok = await api.put(`/storage/state/${id}`, { data: 'v2' }, { 'if-match': etag });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe('"2"');
    const stale = await api.put(`/storage/state/${id}`, { data: 'lost' }, { 'if-match': etag });
    expect(stale.status).toBe(412);
    expect(stale.body).toEqual({ detail: 'State version mismatch: expected version 1, but the state is at version 2' });
    expect(stale.headers.get('etag')).toBe('"2"');
    expect((await api.get(`/storage/state/${id}`)).body.data).toBe('v2');
    // a weak or made-up tag never matches; a list is not taken
    for (const tag of ['W/"2"', '2', '"x"', '"0"']) {
      const r = await api.put(`/storage/state/${id}`, { data: 'lost' }, { 'if-match': tag });
      expect(r.status, tag).toBe(412);
      expect(r.body.detail).toMatch(/^If-Match .* names no version of this state/);
    }
    expect((await api.put(`/storage/state/${id}`, { data: 'lost' }, { 'if-match': '"1", "2"' })).status).toBe(400);
    expect((await api.get(`/storage/state/${id}`)).body).toMatchObject({ data: 'v2', version: 2 });
  });

  it('If-None-Match: * creates only; If-Match: * replaces only', async ({ api }) => {
    const id = await newSession(api);
    expect((await api.put(`/storage/state/${id}`, { data: 1 }, { 'if-match': '*' })).status).toBe(412);
    const created = await api.put(`/storage/state/${id}`, { data: 1 }, { 'if-none-match': '*' });
    expect(created.status).toBe(200);
    expect(created.body.version).toBe(1);
    const again = await api.put(`/storage/state/${id}`, { data: 2 }, { 'if-none-match': '*' });
    expect(again.status).toBe(412);
    expect(again.headers.get('etag')).toBe('"1"');
    expect((await api.put(`/storage/state/${id}`, { data: 3 }, { 'if-match': '*' })).body).toMatchObject({ data: 3, version: 2 });
    expect((await api.put(`/storage/state/${id}`, { data: 3 }, { 'if-none-match': '"2"' })).status).toBe(400);
    // a missing session is still 404, whatever the precondition
    expect((await api.put('/storage/state/session_nope', { data: 1 }, { 'if-match': '"1"' })).status).toBe(404);
  });

  it('PATCH applies a JSON Merge Patch atomically, with If-Match as PUT; other content types are 415', async ({ api }) => {
    const id = await newSession(api);
    const created = await api.call('PATCH', `/storage/state/${id}`, { plan: ['a'], notes: { x: 1, y: 2 } }, MERGE_PATCH);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ data: { plan: ['a'], notes: { x: 1, y: 2 } }, version: 1 });
    const patched = await api.call('PATCH', `/storage/state/${id}`, { notes: { x: null, z: 3 }, done: true }, { ...MERGE_PATCH, 'if-match': '"1"' });
    expect(patched.body).toMatchObject({ data: { plan: ['a'], notes: { y: 2, z: 3 }, done: true }, version: 2 });
    expect(patched.headers.get('etag')).toBe('"2"');
    const stale = await api.call('PATCH', `/storage/state/${id}`, { done: false }, { ...MERGE_PATCH, 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"2"');

    for (const contentType of ['application/json', 'text/plain', 'application/json-patch+json']) {
      const r = await api.call('PATCH', `/storage/state/${id}`, { done: false }, { 'content-type': contentType });
      expect(r.status, contentType).toBe(415);
      expect(r.headers.get('accept-patch')).toBe('application/merge-patch+json');
    }
    expect((await api.call('PATCH', `/storage/state/${id}`, '{"done": tru', MERGE_PATCH)).status).toBe(400);
    expect((await api.call('PATCH', `/storage/state/${id}`, '', MERGE_PATCH)).status).toBe(422);
    expect((await api.call('PATCH', '/storage/state/session_nope', { a: 1 }, MERGE_PATCH)).status).toBe(404);
    expect((await api.get(`/storage/state/${id}`)).body).toMatchObject({ data: { plan: ['a'], notes: { y: 2, z: 3 }, done: true }, version: 2 });
    // a patch that is not an object replaces the state
    expect((await api.call('PATCH', `/storage/state/${id}`, [1, 2], MERGE_PATCH)).body).toMatchObject({ data: [1, 2], version: 3 });
  });

  it('20 clients × 10 read-modify-write increments over HTTP, retrying on 412: no update is lost', async ({ api }) => {
    const id = await newSession(api);
    await api.put(`/storage/state/${id}`, { data: { counter: 0 } });
    let succeeded = 0;
    let retries = 0;
    const worker = async () => {
      for (let i = 0; i < 10; i++) {
        for (;;) {
          const read = await api.get(`/storage/state/${id}`);
          const write = await api.put(`/storage/state/${id}`, { data: { counter: read.body.data.counter + 1 } }, { 'if-match': read.headers.get('etag')! });
          if (write.status === 200) {
            succeeded++;
            break;
          }
          expect(write.status).toBe(412);
          retries++;
          // back off a little, as a polite client would
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    const final = await api.get(`/storage/state/${id}`);
    expect(succeeded).toBe(200);
    expect(final.body.data.counter).toBe(succeeded);
    expect(final.body.version).toBe(succeeded + 1);
    expect(retries).toBeGreaterThan(0);
  }, 120_000);

  it('concurrent PATCHes of different members all take effect', async ({ api }) => {
    const id = await newSession(api);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => api.call('PATCH', `/storage/state/${id}`, { [`agent${i}`]: i }, MERGE_PATCH)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const final = await api.get(`/storage/state/${id}`);
    expect(final.body.version).toBe(20);
    expect(Object.keys(final.body.data)).toHaveLength(20);
  });
});

describe('history: idempotent, ordered appends', () => {
  it('a retry with the same Idempotency-Key answers the original message (same id, seq, timestamp) and stores nothing', async ({ server, api }) => {
    const id = await newSession(api);
    const first = await api.post('/storage/history', say(id, 'hello', { metadata: { a: 1 } }), { 'idempotency-key': 'turn-1' });
    expect(first.status).toBe(200);
    server.clock.advance(5000);
    const retry = await api.post('/storage/history', say(id, 'hello', { metadata: { a: 1 } }), { 'idempotency-key': 'turn-1' });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    const history = await api.get(`/storage/history?session_id=${id}`);
    expect(history.body).toEqual([first.body]);
  });

  it('a key reused with a different body is 409; a bad key is 422; the body may carry the key too', async ({ api }) => {
    const id = await newSession(api);
    await api.post('/storage/history', say(id, 'hello'), { 'idempotency-key': 'k' });
    for (const body of [say(id, 'changed'), { ...say(id, 'hello'), role: 'assistant' }, say(id, 'hello', { metadata: { x: 1 } })]) {
      const r = await api.post('/storage/history', body, { 'idempotency-key': 'k' });
      expect(r.status).toBe(409);
      expect(r.body.detail).toMatch(/^Idempotency key "k" was already used for a different message/);
    }
    const bad = await api.post('/storage/history', say(id, 'x'), { 'idempotency-key': 'x'.repeat(300) });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc).toEqual(['header', 'idempotency-key']);
    expect((await api.post('/storage/history', say(id, 'hello', { idempotency_key: 'k' }))).status).toBe(200);
    const mismatch = await api.post('/storage/history', say(id, 'hello', { idempotency_key: 'other' }), { 'idempotency-key': 'k' });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.detail[0].loc).toEqual(['body', 'idempotency_key']);
    expect((await api.get(`/storage/history?session_id=${id}`)).body).toHaveLength(1);
  });

  it('a client-chosen id makes the append repeatable; a malformed one is 422, one of another message 409', async ({ api }) => {
    const id = await newSession(api);
    const first = await api.post('/storage/history', say(id, 'hi', { id: 'msg_client_0001' }));
    expect(first.body).toMatchObject({ id: 'msg_client_0001', seq: 1 });
    expect((await api.post('/storage/history', say(id, 'hi', { id: 'msg_client_0001' }))).body).toEqual(first.body);
    expect((await api.post('/storage/history', say(id, 'other', { id: 'msg_client_0001' }))).status).toBe(409);
    const other = await newSession(api);
    expect((await api.post('/storage/history', say(other, 'hi', { id: 'msg_client_0001' }))).status).toBe(409);
    for (const bad of ['client_0001', 'msg_', 'msg_a b', 'msg_ü']) {
      const r = await api.post('/storage/history', say(id, 'hi', { id: bad }));
      expect(r.status, bad).toBe(422);
      expect(r.body.detail[0].loc).toEqual(['body', 'id']);
    }
  });

  it('concurrent requests with the same key store one message, and all get it', async ({ api }) => {
    const id = await newSession(api);
    const results = await Promise.all(Array.from({ length: 20 }, () => api.post('/storage/history', say(id, 'once'), { 'idempotency-key': 'race' })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect((await api.get(`/storage/history?session_id=${id}`)).body).toHaveLength(1);
  });

  it('many concurrent keyed appends and their retries: each message once, seq gap-free', async ({ api }) => {
    const id = await newSession(api);
    const send = (i: number) => api.post('/storage/history', say(id, `m${i}`), { 'idempotency-key': `k${i}` });
    const results = await Promise.all([...Array.from({ length: 30 }, (_, i) => send(i)), ...Array.from({ length: 30 }, (_, i) => send(i))]);
    expect(results.every((r) => r.status === 200)).toBe(true);
    for (let i = 0; i < 30; i++) expect(results[i + 30]!.body).toEqual(results[i]!.body);
    const history = (await api.get(`/storage/history?session_id=${id}`)).body as { seq: number; content: string }[];
    expect(history.map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(new Set(history.map((m) => m.content)).size).toBe(30);
  });

  it('GET history?after_seq= reads on from a position', async ({ api }) => {
    const id = await newSession(api);
    for (let i = 1; i <= 5; i++) await api.post('/storage/history', say(id, `m${i}`));
    const after = await api.get(`/storage/history?session_id=${id}&after_seq=2`);
    expect(after.body.map((m: { seq: number }) => m.seq)).toEqual([3, 4, 5]);
    expect((await api.get(`/storage/history?session_id=${id}&after_seq=2&limit=1`)).body.map((m: { seq: number }) => m.seq)).toEqual([3]);
    expect((await api.get(`/storage/history?session_id=${id}&after_seq=5`)).body).toEqual([]);
    const bad = await api.get(`/storage/history?session_id=${id}&after_seq=-1`);
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc).toEqual(['query', 'after_seq']);
  });
});

describe('forks', () => {
  it('POST /storage/sessions/{id}/fork copies the prefix, state and artifacts; the fork reads back exactly that prefix', async ({ server, api }) => {
    const id = await newSession(api, { user_id: 'u', metadata: { origin: 1 } });
    const messages = [];
    for (let i = 1; i <= 4; i++) {
      server.clock.advance(100);
      messages.push((await api.post('/storage/history', say(id, `m${i}`, { metadata: { i } }))).body);
    }
    await api.put(`/storage/state/${id}`, { data: { step: 1 } });
    await api.put(`/storage/state/${id}`, { data: { step: 2 } });
    await api.post('/storage/artifacts', { session_id: id, name: 'a', type: 't', path: '/a', size: 1 });

    const r = await api.post(`/storage/sessions/${id}/fork`, { up_to_message_id: messages[2].id, agent_name: 'branch' });
    expect(r.status).toBe(200);
    const fork = r.body;
    expect(fork).toMatchObject({ agent_name: 'branch', user_id: 'u', status: 'active', metadata: { origin: 1 }, parent_id: id, forked_from_message_id: messages[2].id });
    const copied = (await api.get(`/storage/history?session_id=${fork.id}`)).body;
    const strip = (m: Record<string, unknown>) => ({ ...m, id: undefined, session_id: undefined });
    expect(copied.map(strip)).toEqual(messages.slice(0, 3).map(strip));
    expect(copied.map((m: { session_id: string }) => m.session_id)).toEqual([fork.id, fork.id, fork.id]);
    expect((await api.get(`/storage/state/${fork.id}`)).body).toMatchObject({ data: { step: 2 }, version: 1 });
    expect((await api.get(`/storage/artifacts?session_id=${fork.id}`)).body).toHaveLength(1);
    expect((await api.get(`/storage/sessions/${fork.id}`)).body).toEqual(fork);
    expect((await api.get(`/storage/sessions/${id}/forks`)).body).toEqual([fork]);
    // the new session goes on from there
    expect((await api.post('/storage/history', say(fork.id, 'branching'))).body.seq).toBe(4);
  });

  it('404 for an unknown session, 422 for a message that is not one of its own', async ({ api }) => {
    const id = await newSession(api);
    const other = await newSession(api);
    const m = (await api.post('/storage/history', say(other, 'x'))).body;
    expect((await api.post('/storage/sessions/session_nope/fork', { up_to_message_id: m.id })).status).toBe(404);
    const foreign = await api.post(`/storage/sessions/${id}/fork`, { up_to_message_id: m.id });
    expect(foreign.status).toBe(422);
    expect(foreign.body.detail).toEqual([{ loc: ['body', 'up_to_message_id'], msg: `must be the id of a message of session ${id}`, type: 'value_error' }]);
    const missing = await api.post(`/storage/sessions/${id}/fork`, {});
    expect(missing.status).toBe(422);
    expect(missing.body.detail[0].loc).toEqual(['body', 'up_to_message_id']);
    expect((await api.get('/storage/sessions/session_nope/forks')).status).toBe(404);
  });

  it('deleting the parent keeps the forks, with parent_id null', async ({ api }) => {
    const id = await newSession(api);
    const m = (await api.post('/storage/history', say(id, 'x'))).body;
    const fork = (await api.post(`/storage/sessions/${id}/fork`, { up_to_message_id: m.id })).body;
    expect((await api.del(`/storage/sessions/${id}`)).status).toBe(200);
    expect((await api.get(`/storage/sessions/${fork.id}`)).body).toEqual({ ...fork, parent_id: null });
    expect((await api.get(`/storage/history?session_id=${fork.id}`)).body).toHaveLength(1);
  });

  it('sessions carry parent_id and forked_from_message_id, null when not a fork', async ({ api }) => {
    const id = await newSession(api);
    expect((await api.get(`/storage/sessions/${id}`)).body).toMatchObject({ parent_id: null, forked_from_message_id: null });
  });
});
