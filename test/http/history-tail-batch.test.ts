import fc from 'fast-check';
import { AgentStorageClient, AgentStorageError } from '../../src/client/index.js';
import { AUTH_ENV, createKey, keyed } from '../support/auth.js';
import { describe, expect, it, test } from '../support/server-fixture.js';

/*
 * The REST door's hot path for agent adapters, black-box on a real server (SQLite, or PostgreSQL +
 * Redis): a conversation's tail (`GET /storage/history?last=N`) and an all-or-nothing batch append
 * (`POST /storage/history/batch`), over plain fetch and through the typed client's `tail`/`push`;
 * the same scopes and tenants as every other read and write.
 */

test.override({ env: AUTH_ENV });

const call = (id: string) => ({ type: 'function_call', call_id: id, name: 'lookup', arguments: '{"q":"refund"}' });

describe('GET /storage/history?last= and POST /storage/history/batch', () => {
  it('appends a batch all or nothing, idempotently per key, and reads the newest N in order', async ({ server }) => {
    const api = keyed(server.url, await createKey(server.url, 'acme', ['READ', 'WRITE']));
    const { body: session } = await api.post('/storage/sessions', { agent_name: 'a' });
    expect((await api.get(`/storage/history?session_id=${session.id}&last=5`)).body).toEqual([]);

    const batch = {
      session_id: session.id,
      messages: [
        { role: 'user', content: 'where is my refund?', idempotency_key: 'k1' },
        { role: 'assistant', item: call('c1'), idempotency_key: 'k2', metadata: { turn: 1 } },
        { role: 'tool', content: '{"refund":"issued"}', idempotency_key: 'k3', token_count: 7 },
      ],
    };
    const added = await api.post('/storage/history/batch', batch);
    expect(added.status).toBe(200);
    expect(added.body).toHaveLength(3);
    expect(added.body.map((m: { seq: number; role: string }) => [m.seq, m.role])).toEqual([[1, 'user'], [2, 'assistant'], [3, 'tool']]);
    expect(added.body[1]).toMatchObject({ session_id: session.id, content: '{"q":"refund"}', item: call('c1'), metadata: { turn: 1 }, token_count: null });
    expect(added.body[2].token_count).toBe(7);
    // The REST wire: the seed's fields and `item`, never the idempotency key.
    expect(Object.keys(added.body[0]).sort()).toEqual(['content', 'id', 'item', 'metadata', 'role', 'seq', 'session_id', 'timestamp', 'token_count']);

    // A retried batch answers what was stored, storing nothing again.
    expect((await api.post('/storage/history/batch', batch)).body).toEqual(added.body);
    const whole = await api.get(`/storage/history?session_id=${session.id}`);
    expect(whole.body).toEqual(added.body);

    // The tail is the same records as the whole history's end.
    expect((await api.get(`/storage/history?session_id=${session.id}&last=2`)).body).toEqual(added.body.slice(1));
    expect((await api.get(`/storage/history?session_id=${session.id}&last=50`)).body).toEqual(added.body);

    // The same key with another body: 409 without on_conflict, a replacement with it; nothing else moves.
    const changed = { session_id: session.id, messages: [{ role: 'user', content: 'where is my refund??', idempotency_key: 'k1' }] };
    const refused = await api.post('/storage/history/batch', changed);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toEqual(expect.any(String));
    const replaced = await api.post('/storage/history/batch', { ...changed, on_conflict: 'replace' });
    expect(replaced.body).toEqual([{ ...added.body[0], content: 'where is my refund??' }]);
    expect((await api.get(`/storage/history?session_id=${session.id}&last=3`)).body.map((m: { content: string }) => m.content)).toEqual([
      'where is my refund??',
      '{"q":"refund"}',
      '{"refund":"issued"}',
    ]);
  });

  it('refuses bad input with a 422 naming each field, and writes nothing of a refused batch', async ({ server }) => {
    const api = keyed(server.url, await createKey(server.url, 'acme', ['READ', 'WRITE']));
    const { body: session } = await api.post('/storage/sessions', { agent_name: 'a' });
    const bad = await api.post('/storage/history/batch', {
      session_id: session.id,
      messages: [{ role: 'user', content: 'fine' }, { role: 'robot', content: 'x' }, { role: 'user', content: 5 }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.detail.map((d: { loc: unknown[] }) => d.loc)).toEqual([
      ['body', 'messages', 1, 'role'],
      ['body', 'messages', 2, 'content'],
    ]);
    const noText = await api.post('/storage/history/batch', { session_id: session.id, messages: [{ role: 'user', content: 'fine' }, { role: 'user' }] });
    expect(noText.body.detail).toEqual([{ loc: ['body', 'messages', 1, 'content'], msg: 'is required unless an item is given', type: 'value_error' }]);
    const duplicateKeys = await api.post('/storage/history/batch', {
      session_id: session.id,
      messages: [{ role: 'user', content: 'a', idempotency_key: 'same' }, { role: 'user', content: 'b', idempotency_key: 'same' }],
    });
    expect(duplicateKeys.status).toBe(422);
    expect((await api.post('/storage/history/batch', { session_id: session.id })).body.detail).toEqual([{ loc: ['body', 'messages'], msg: 'field required', type: 'value_error' }]);
    expect((await api.post('/storage/history/batch', { session_id: session.id, messages: [] })).status).toBe(422);
    expect((await api.post('/storage/history/batch', { session_id: session.id, messages: [{ role: 'user', content: 'a' }], on_conflict: 'merge' })).body.detail[0].loc).toEqual(['body', 'on_conflict']);
    expect((await api.post('/storage/history/batch', [{ role: 'user', content: 'a' }])).status).toBe(422);
    expect((await api.post('/storage/history/batch', { messages: [{ role: 'user', content: 'a' }] })).body.detail[0].loc).toEqual(['body', 'session_id']);
    const unknown = await api.post('/storage/history/batch', { session_id: 'session_nope', messages: [{ role: 'user', content: 'a' }] });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: 'Session not found' });
    expect((await api.get(`/storage/history?session_id=${session.id}`)).body).toEqual([]);

    expect((await api.get('/storage/history?session_id=session_nope&last=3')).status).toBe(404);
    for (const query of ['last=0', 'last=-1', 'last=x', 'last=2&limit=2', 'last=2&offset=1', 'last=2&after_seq=0', 'last=2&max_tokens=10']) {
      const refusedRead = await api.get(`/storage/history?session_id=${session.id}&${query}`);
      expect(refusedRead.status, query).toBe(422);
      expect(refusedRead.body.detail[0].loc, query).toEqual(['query', 'last']);
    }
  });

  it('a tail is the end of the whole history, whatever its length and N (property)', async ({ server }) => {
    const api = keyed(server.url, await createKey(server.url, 'acme', ['READ', 'WRITE']));
    const { body: session } = await api.post('/storage/sessions', { agent_name: 'a' });
    let whole: unknown[] = [];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 12 }), async (appended, last) => {
        if (appended > 0) {
          const messages = Array.from({ length: appended }, (_, i) => ({ role: 'user', content: `m${whole.length + i}` }));
          whole = [...whole, ...(await api.post('/storage/history/batch', { session_id: session.id, messages })).body];
        }
        expect((await api.get(`/storage/history?session_id=${session.id}&last=${last}`)).body).toEqual(whole.slice(-last));
      }),
      { numRuns: 25 },
    );
  });

  it('a tail carries the history\'s version as its ETag; If-None-Match with it answers 304 until the history changes', async ({ server }) => {
    const key = await createKey(server.url, 'acme', ['READ', 'WRITE']);
    const api = keyed(server.url, key);
    const { body: session } = await api.post('/storage/sessions', { agent_name: 'a' });
    const tail = (last: number, etag?: string) =>
      fetch(`${server.url}/storage/history?session_id=${session.id}&last=${last}`, { headers: { authorization: `Bearer ${key}`, ...(etag && { 'if-none-match': etag }) } });
    const first = await tail(3);
    const tag = first.headers.get('etag')!;
    expect(tag).toMatch(/^"h\.[0-9a-z]+\.0"$/);
    expect(await first.json()).toEqual([]);

    await api.post('/storage/history/batch', { session_id: session.id, messages: [{ role: 'user', content: 'one' }, { role: 'user', content: 'two' }] });
    const second = await tail(3, tag);
    expect(second.status).toBe(200);
    const appended = second.headers.get('etag')!;
    expect(appended).not.toBe(tag);
    // The whole history's ETag names the same version: one tag per history, whatever the read.
    expect((await fetch(`${server.url}/storage/history?session_id=${session.id}`, { headers: { authorization: `Bearer ${key}` } })).headers.get('etag')).toBe(appended);
    for (const header of [appended, `W/${appended}`, `"x", ${appended}`]) {
      const unchanged = await tail(3, header);
      expect(unchanged.status).toBe(304);
      expect(unchanged.headers.get('etag')).toBe(appended);
      expect(await unchanged.text()).toBe('');
    }
    // The tag names the history, not the slice: any tail of an unchanged history is unchanged.
    expect((await tail(1, appended)).status).toBe(304);

    // A pop is not an append: the same last seq, another version.
    expect((await api.post(`/storage/history/pop?session_id=${session.id}`)).status).toBe(200);
    const popped = await tail(3, appended);
    expect(popped.status).toBe(200);
    expect(popped.headers.get('etag')).not.toBe(appended);
    expect((await popped.json()).map((m: { content: string }) => m.content)).toEqual(['one']);

    // Not ours, or a session that is not there (or not the caller's): never 304.
    expect((await tail(3, '"something-else"')).status).toBe(200);
    const beta = await createKey(server.url, 'beta', ['READ']);
    const foreign = await fetch(`${server.url}/storage/history?session_id=${session.id}&last=3`, { headers: { authorization: `Bearer ${beta}`, 'if-none-match': popped.headers.get('etag')! } });
    expect(foreign.status).toBe(404);
  });

  it('a 304 is never stale: after random appends, pops and rewrites, a tail answered 304 is the tail read afresh (property)', async ({ server }) => {
    const key = await createKey(server.url, 'acme', ['READ', 'WRITE']);
    const api = keyed(server.url, key);
    const { body: session } = await api.post('/storage/sessions', { agent_name: 'a' });
    const read = (last: number, etag?: string) =>
      fetch(`${server.url}/storage/history?session_id=${session.id}&last=${last}`, { headers: { authorization: `Bearer ${key}`, ...(etag && { 'if-none-match': etag }) } });
    // What each tag a read answered stood for, by tag and N.
    const seen = new Map<string, unknown>();
    const step = fc.oneof(
      fc.record({ op: fc.constant('append' as const), n: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ op: fc.constant('pop' as const) }),
      fc.record({ op: fc.constant('rewrite' as const), replace: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ op: fc.constant('read' as const), last: fc.integer({ min: 1, max: 6 }) }),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        for (const s of steps) {
          if (s.op === 'append') {
            const messages = Array.from({ length: s.n }, () => ({ role: 'user', content: `m${n++}` }));
            expect((await api.post('/storage/history/batch', { session_id: session.id, messages })).status).toBe(200);
          } else if (s.op === 'pop') {
            expect((await api.post(`/storage/history/pop?session_id=${session.id}`)).status).toBe(200);
          } else if (s.op === 'rewrite') {
            const whole = (await api.get(`/storage/history?session_id=${session.id}`)).body as { seq: number }[];
            const replace = Math.min(s.replace, whole.length);
            const rewrite = { session_id: session.id, operation_id: `op${n++}`, expected_last_seq: whole.at(-1)?.seq ?? null, replace_last: replace, messages: [{ role: 'assistant', content: `r${n}` }] };
            expect((await api.post('/storage/history/rewrite', rewrite)).status).toBe(200);
          } else {
            const fresh = await read(s.last);
            const body = await fresh.json();
            for (const [tag, stood] of seen) {
              const [version, last] = tag.split('|');
              if (Number(last) !== s.last) continue;
              const answer = await read(s.last, version);
              // 304 only to the current version, and then what it stood for is what a fresh read gives.
              if (answer.status === 304) expect(stood).toEqual(body);
              else expect(answer.status).toBe(200);
            }
            seen.set(`${fresh.headers.get('etag')}|${s.last}`, body);
          }
        }
      }),
      { numRuns: 15 },
    );
  });

  it('reads need read, writes need write; another tenant sees nothing and writes nothing', async ({ server }) => {
    const acme = keyed(server.url, await createKey(server.url, 'acme', ['READ', 'WRITE']));
    const beta = keyed(server.url, await createKey(server.url, 'beta', ['READ', 'WRITE']));
    const reader = keyed(server.url, await createKey(server.url, 'acme', ['READ']));
    const { body: session } = await acme.post('/storage/sessions', { agent_name: 'a' });
    const batch = { session_id: session.id, messages: [{ role: 'user', content: 'one' }] };
    expect((await reader.post('/storage/history/batch', batch)).status).toBe(403);
    expect((await beta.post('/storage/history/batch', batch)).status).toBe(404);
    expect((await beta.get(`/storage/history?session_id=${session.id}&last=1`)).status).toBe(404);
    expect((await keyed(server.url, null).get(`/storage/history?session_id=${session.id}&last=1`)).status).toBe(401);
    expect((await acme.post('/storage/history/batch', batch)).status).toBe(200);
    expect((await reader.get(`/storage/history?session_id=${session.id}&last=1`)).body.map((m: { content: string }) => m.content)).toEqual(['one']);
  });

  it('the typed client: push and tail answer what appendMany and latest do, but the idempotency key', async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url, apiKey: await createKey(server.url, 'acme', ['READ', 'WRITE']) });
    const session = await client.sessions.create({ agentName: 'a' });
    const pushed = await client.history.push(session.id, [
      { role: 'USER', content: 'hello', idempotencyKey: 'u1', metadata: { a: 1 } },
      { role: 'ASSISTANT', item: call('c1'), idempotencyKey: 'a1', tokenCount: 3 },
    ]);
    const latest = await client.history.latest(session.id, 2);
    expect(pushed).toEqual(latest.map(({ idempotencyKey: _key, ...entry }) => entry));
    expect(await client.history.tail(session.id, 2)).toEqual(pushed);
    expect(await client.history.tail(session.id, 1)).toEqual(pushed.slice(1));
    // Against a version: the entries when changed, null (a 304) while not.
    const read = await client.history.tailIfChanged(session.id, 2, null);
    expect(read.entries).toEqual(pushed);
    expect(read.version).toEqual({ epoch: expect.stringMatching(/^[0-9a-z]+$/), lastSeq: 2 });
    expect(await client.history.tailIfChanged(session.id, 1, read.version)).toEqual({ version: read.version, entries: null });
    expect((await client.history.tailIfChanged(session.id, 2, { ...read.version!, lastSeq: 1 })).entries).toEqual(pushed);
    // A repeat (every message keyed) answers what was stored; REPLACE upserts by key.
    expect(await client.history.push(session.id, [{ role: 'USER', content: 'hello', idempotencyKey: 'u1', metadata: { a: 1 } }])).toEqual(pushed.slice(0, 1));
    const conflict = await client.history.push(session.id, [{ role: 'USER', content: 'hello!', idempotencyKey: 'u1' }]).catch((e: unknown) => e);
    expect((conflict as AgentStorageError).code).toBe('CONFLICT');
    const [replaced] = await client.history.push(session.id, [{ role: 'USER', content: 'hello!', idempotencyKey: 'u1' }], { onConflict: 'REPLACE' });
    expect(replaced).toMatchObject({ id: pushed[0]!.id, seq: 1, content: 'hello!', role: 'USER' });

    const missing = await client.history.tail('session_nope', 3).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(AgentStorageError);
    expect((missing as AgentStorageError).code).toBe('NOT_FOUND');
    const invalid = await client.history.push(session.id, [{ role: 'USER' }]).catch((e: unknown) => e);
    expect((invalid as AgentStorageError).code).toBe('BAD_USER_INPUT');
    expect((await client.history.latest(session.id)).map((m) => m.content)).toEqual(['hello!', '{"q":"refund"}']);
  });
});
