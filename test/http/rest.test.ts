import fc from 'fast-check';
import { client, type JsonClient } from '../support/http.js';
import { describe, expect, it, type TestServer } from '../support/server-fixture.js';

async function newSession(api: JsonClient, body: Record<string, unknown> = {}): Promise<string> {
  const r = await api.post('/storage/sessions', { agent_name: 'agent', ...body });
  expect(r.status).toBe(200);
  return r.body.id as string;
}

async function sessionCount(server: TestServer): Promise<number> {
  return server.storage.sessions.count({});
}

describe('sessions', () => {
  it('creates with defaults and round-trips metadata exactly', async ({ api }) => {
    const metadata = { nested: { deep: [1, 2.5, -3e-7, 'ünïcödé 😀 مرحبا', null, true] }, quote: '"\\\n\t', empty: {} };
    const r = await api.post('/storage/sessions', { agent_name: 'a', metadata });
    expect(r.body).toMatchObject({ agent_name: 'a', user_id: null, status: 'active', metadata });
    expect((await api.get(`/storage/sessions/${r.body.id}`)).body.metadata).toEqual(metadata);
  });

  it('accepts a status on create and rejects unknown ones', async ({ api }) => {
    expect((await api.post('/storage/sessions', { agent_name: 'a', status: 'paused' })).body.status).toBe('paused');
    const bad = await api.post('/storage/sessions', { agent_name: 'a', status: 'sleeping' });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc).toEqual(['body', 'status']);
  });

  it('PUT is a partial update that moves updated_at', async ({ server, api }) => {
    const id = await newSession(api, { user_id: 'u', metadata: { k: 1 } });
    server.clock.advance(5000);
    const r = await api.put(`/storage/sessions/${id}`, { status: 'paused' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ agent_name: 'agent', user_id: 'u', status: 'paused', metadata: { k: 1 } });
    expect(Date.parse(r.body.updated_at) - Date.parse(r.body.created_at)).toBe(5000);
    const r2 = await api.put(`/storage/sessions/${id}`, { metadata: { k: 2 }, agent_name: 'b' });
    expect(r2.body).toMatchObject({ agent_name: 'b', status: 'paused', metadata: { k: 2 } });
  });

  it('PUT validates and 404s', async ({ api }) => {
    const id = await newSession(api);
    expect((await api.put(`/storage/sessions/${id}`, { status: 'done' })).status).toBe(422);
    expect((await api.put(`/storage/sessions/${id}`, { metadata: [1] })).status).toBe(422);
    expect((await api.get(`/storage/sessions/${id}`)).body.status).toBe('active');
    const missing = await api.put('/storage/sessions/session_nope', { status: 'ended' });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: 'Session not found' });
  });

  it('lists newest first with filters, limit and offset', async ({ api }) => {
    const agent = `lister-${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await newSession(api, { agent_name: agent, user_id: i % 2 ? 'odd' : 'even', status: i === 4 ? 'ended' : 'active' }));
    const all = await api.get(`/storage/sessions?agent_name=${agent}`);
    expect(all.body.map((s: { id: string }) => s.id)).toEqual([...ids].reverse());
    const page = await api.get(`/storage/sessions?agent_name=${agent}&limit=2&offset=1`);
    expect(page.body.map((s: { id: string }) => s.id)).toEqual([ids[3], ids[2]]);
    const odd = await api.get(`/storage/sessions?agent_name=${agent}&user_id=odd`);
    expect(odd.body.map((s: { id: string }) => s.id)).toEqual([ids[3], ids[1]]);
    const ended = await api.get(`/storage/sessions?agent_name=${agent}&status=ended`);
    expect(ended.body.map((s: { id: string }) => s.id)).toEqual([ids[4]]);
  });

  it('lists the sessions created from `since` up to but not including `until`', async ({ server, api }) => {
    const agent = `timed-${Date.now()}`;
    const made: { id: string; created_at: string }[] = [];
    for (let i = 0; i < 4; i++) {
      server.clock.advance(60_000);
      made.push((await api.post('/storage/sessions', { agent_name: agent, status: i === 3 ? 'ended' : 'active' })).body);
    }
    const ids = async (query: string) => {
      const r = await api.get(`/storage/sessions?agent_name=${agent}&${query}`);
      expect(r.status, query).toBe(200);
      return r.body.map((s: { id: string }) => s.id);
    };
    const at = (i: number) => encodeURIComponent(made[i]!.created_at);
    expect(await ids(`since=${at(1)}`)).toEqual([made[3]!.id, made[2]!.id, made[1]!.id]);
    expect(await ids(`until=${at(1)}`)).toEqual([made[0]!.id]);
    expect(await ids(`since=${at(1)}&until=${at(3)}`)).toEqual([made[2]!.id, made[1]!.id]);
    expect(await ids(`since=${at(1)}&until=${at(1)}`)).toEqual([]);
    expect(await ids(`since=${at(1)}&status=ended&limit=1`)).toEqual([made[3]!.id]);
    // An offset, and a time with an offset of its own (the same instant as made[2]'s creation).
    const local = new Date(Date.parse(made[2]!.created_at) + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    expect(await ids(`since=${encodeURIComponent(local)}&offset=1`)).toEqual([made[2]!.id]);
  });

  it('refuses a malformed time, or a range that ends before it starts, with 422 naming the parameter', async ({ api }) => {
    const bad = await api.get('/storage/sessions?since=yesterday');
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toEqual([{ loc: ['query', 'since'], msg: 'must be an ISO 8601 date-time, e.g. 2025-01-31T12:00:00Z', type: 'value_error' }]);
    expect((await api.get('/storage/sessions?until=2026-02-30T00:00:00Z')).body.detail[0].loc).toEqual(['query', 'until']);
    const backwards = await api.get('/storage/sessions?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z');
    expect(backwards.status).toBe(422);
    expect(backwards.body.detail).toEqual([{ loc: ['query', 'until'], msg: 'must not be before since', type: 'value_error' }]);
  });

  it('rejects bad list parameters with 422 naming the parameter', async ({ server, api }) => {
    for (const query of ['limit=0', 'limit=-1', 'limit=abc', 'limit=1.5', 'offset=-1', 'status=nope', `limit=${server.config.maxPageSize + 1}`]) {
      const r = await api.get(`/storage/sessions?${query}`);
      expect(r.status, query).toBe(422);
      expect(r.body.detail[0].loc[0]).toBe('query');
      expect(r.body.detail[0].loc[1]).toBe(query.split('=')[0]);
    }
  });

  it('says what a numeric parameter must be: a negative one is out of range, not "not a whole number"', async ({ api }) => {
    const sessionId = await newSession(api);
    const cases: [string, string][] = [
      ['/storage/sessions?limit=-1', 'must be at least 1'],
      ['/storage/sessions?limit=0', 'must be at least 1'],
      ['/storage/sessions?offset=-1', 'must not be negative'],
      ['/storage/metrics?limit=-5', 'must be at least 1'],
      [`/storage/history?session_id=${sessionId}&after_seq=-1`, 'must not be negative'],
      [`/storage/artifacts?session_id=${sessionId}&offset=-20`, 'must not be negative'],
      [`/storage/sessions/${sessionId}/forks?limit=-1`, 'must be at least 1'],
      ['/storage/sessions?limit=1.5', 'must be a whole number'],
      ['/storage/sessions?limit=ten', 'must be a whole number'],
    ];
    for (const [path, msg] of cases) {
      const r = await api.get(path);
      expect(r.status, path).toBe(422);
      const name = /[?&](limit|offset|after_seq)=[^&]*$/.exec(path)![1];
      expect(r.body.detail, path).toEqual([{ loc: ['query', name], msg, type: 'value_error' }]);
    }
    expect((await api.get('/storage/sessions?offset=-0')).status).toBe(200);
  });

  it('DELETE answers 404 for an unknown session', async ({ api }) => {
    expect((await api.del('/storage/sessions/session_unknown')).status).toBe(404);
  });
});

describe('history', () => {
  it('requires an existing session and writes nothing otherwise', async ({ api }) => {
    const r = await api.post('/storage/history', { session_id: 'session_missing', role: 'user', content: 'x' });
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ detail: 'Session not found' });
    expect((await api.get('/storage/history?session_id=session_missing')).body).toEqual([]);
  });

  it('validates role, content and session_id', async ({ api }) => {
    const id = await newSession(api);
    const cases: [Record<string, unknown>, string][] = [
      [{ session_id: id, role: 'robot', content: 'x' }, 'role'],
      [{ session_id: id, role: 'user' }, 'content'],
      [{ session_id: id, role: 'user', content: 5 }, 'content'],
      [{ role: 'user', content: 'x' }, 'session_id'],
      [{ session_id: id, role: 'user', content: 'x', metadata: 'no' }, 'metadata'],
    ];
    for (const [body, field] of cases) {
      const r = await api.post('/storage/history', body);
      expect(r.status, field).toBe(422);
      expect(r.body.detail.map((d: { loc: unknown[] }) => d.loc[1])).toContain(field);
    }
    expect((await api.get(`/storage/history?session_id=${id}`)).body).toEqual([]);
  });

  it('GET and DELETE require session_id', async ({ api }) => {
    const r = await api.get('/storage/history');
    expect(r.status).toBe(422);
    expect(r.body.detail[0].loc).toEqual(['query', 'session_id']);
    expect((await api.del('/storage/history')).status).toBe(422);
  });

  it('keeps insertion order for 200 concurrent appends within one millisecond', async ({ api }) => {
    const id = await newSession(api);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => api.post('/storage/history', { session_id: id, role: 'user', content: `m${i}` })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const history = (await api.get(`/storage/history?session_id=${id}`)).body as { id: string; seq: number; timestamp: string }[];
    expect(history).toHaveLength(200);
    // The manual clock did not move: every message shares a timestamp, yet the order is the order
    // in which the appends were acknowledged, and ids are unique.
    expect(new Set(history.map((m) => m.timestamp)).size).toBe(1);
    expect(new Set(history.map((m) => m.id)).size).toBe(200);
    // Each append was told its position (seq), and the history lists them in exactly that order.
    expect(history.map((m) => m.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const acknowledged = new Map(results.map((r) => [r.body.id as string, r.body.seq as number]));
    for (const m of history) expect(acknowledged.get(m.id)).toBe(m.seq);
  });

  it('pages with limit and offset and clears', async ({ api }) => {
    const id = await newSession(api);
    for (let i = 0; i < 5; i++) await api.post('/storage/history', { session_id: id, role: 'assistant', content: `c${i}` });
    const page = await api.get(`/storage/history?session_id=${id}&limit=2&offset=2`);
    expect(page.body.map((m: { content: string }) => m.content)).toEqual(['c2', 'c3']);
    const cleared = await api.del(`/storage/history?session_id=${id}`);
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ session_id: id, deleted: 5 });
    expect((await api.get(`/storage/history?session_id=${id}`)).body).toEqual([]);
    // The session itself is untouched, and new messages continue the sequence.
    expect((await api.get(`/storage/sessions/${id}`)).status).toBe(200);
  });

  it('round-trips unicode and 200 KB content exactly', async ({ api }) => {
    const id = await newSession(api);
    const big = 'Ωμέγα 😀 \u0000 nul, "quotes" \\ '.repeat(7000);
    expect(Buffer.byteLength(big)).toBeGreaterThan(200_000);
    const r = await api.post('/storage/history', { session_id: id, role: 'tool', content: big, metadata: { tool: 'ƒ' } });
    expect(r.status).toBe(200);
    const [stored] = (await api.get(`/storage/history?session_id=${id}`)).body;
    expect(stored.content).toBe(big);
    expect(stored.metadata).toEqual({ tool: 'ƒ' });
  });

  it('refuses text that is not valid Unicode instead of corrupting it', async ({ api }) => {
    const id = await newSession(api);
    const r = await api.post('/storage/history', `{"session_id":"${id}","role":"user","content":"\\ud800"}`);
    expect(r.status).toBe(422);
    expect(r.body.detail[0].loc).toEqual(['body', 'content']);
  });
});

describe('state', () => {
  it('404s when missing, upserts any JSON, moves updated_at, deletes', async ({ server, api }) => {
    const id = await newSession(api);
    const missing = await api.get(`/storage/state/${id}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: 'State not found' });
    for (const data of [{ a: 1 }, [1, 'two'], 'text', 42, null, { deep: { er: [{ x: 'ÿ' }] } }]) {
      server.clock.advance(10);
      const put = await api.put(`/storage/state/${id}`, { data });
      expect(put.status).toBe(200);
      const got = await api.get(`/storage/state/${id}`);
      expect(got.body.data).toEqual(data);
      expect(got.body.updated_at).toBe(new Date(server.clock.now()).toISOString());
    }
    expect((await api.del(`/storage/state/${id}`)).status).toBe(200);
    expect((await api.get(`/storage/state/${id}`)).status).toBe(404);
    expect((await api.del(`/storage/state/${id}`)).status).toBe(404);
  });

  it('requires data and an existing session', async ({ api }) => {
    const id = await newSession(api);
    const r = await api.put(`/storage/state/${id}`, { value: 1 });
    expect(r.status).toBe(422);
    expect(r.body.detail[0].loc).toEqual(['body', 'data']);
    const unknown = await api.put('/storage/state/session_nope', { data: 1 });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: 'Session not found' });
  });
});

describe('artifacts', () => {
  it('creates, lists in creation order, gets and deletes', async ({ api }) => {
    const id = await newSession(api);
    const a = await api.post('/storage/artifacts', { session_id: id, name: 'a.py', type: 'code', path: 's3://b/a.py', size: 0 });
    const b = await api.post('/storage/artifacts', { session_id: id, name: 'b.png', type: 'image', path: '/tmp/b.png', size: 2 ** 40 });
    expect(a.body).toMatchObject({ session_id: id, name: 'a.py', size: 0, metadata: {} });
    expect(b.body.size).toBe(2 ** 40);
    const list = await api.get(`/storage/artifacts?session_id=${id}`);
    expect(list.body.map((x: { id: string }) => x.id)).toEqual([a.body.id, b.body.id]);
    expect((await api.get(`/storage/artifacts/${a.body.id}`)).body).toEqual(a.body);
    expect((await api.del(`/storage/artifacts/${a.body.id}`)).status).toBe(200);
    const gone = await api.get(`/storage/artifacts/${a.body.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ detail: 'Artifact not found' });
  });

  it('rejects bad sizes and unknown sessions, writing nothing', async ({ api }) => {
    const id = await newSession(api);
    for (const size of [-1, 1.5, '10', null]) {
      const r = await api.post('/storage/artifacts', { session_id: id, name: 'x', type: 't', path: 'p', size });
      expect(r.status, String(size)).toBe(422);
      expect(r.body.detail[0].loc).toEqual(['body', 'size']);
    }
    const unknown = await api.post('/storage/artifacts', { session_id: 'session_x', name: 'x', type: 't', path: 'p', size: 1 });
    expect(unknown.status).toBe(404);
    expect((await api.get(`/storage/artifacts?session_id=${id}`)).body).toEqual([]);
  });
});

describe('metrics', () => {
  it('records with a default timestamp and filters by every field and time range', async ({ server, api }) => {
    const entity = `e-${Date.now()}`;
    const post = (body: Record<string, unknown>) =>
      api.post('/storage/metrics', { entity_type: 'tool', entity_name: entity, metric_name: 'calls', value: 1, ...body });
    const now = await post({});
    expect(now.body.timestamp).toBe(new Date(server.clock.now()).toISOString());
    expect(now.body).toMatchObject({ session_id: null, labels: {} });
    await post({ timestamp: '2025-01-01T00:00:00Z', value: 10, metric_name: 'latency' });
    await post({ timestamp: '2025-01-02T00:00:00+02:00', value: 20, metric_name: 'latency', session_id: 'session_m' });
    await post({ timestamp: '2025-01-03T00:00:00', value: 30, metric_name: 'latency', labels: { k: 'v' } });

    const latency = await api.get(`/storage/metrics?entity_name=${entity}&metric_name=latency`);
    expect(latency.body.map((m: { value: number }) => m.value)).toEqual([10, 20, 30]);
    expect(latency.body[1].timestamp).toBe('2025-01-01T22:00:00.000Z');
    const range = await api.get(`/storage/metrics?entity_name=${entity}&start_time=2025-01-01T22:00:00Z&end_time=2025-01-03T00:00:00Z`);
    expect(range.body.map((m: { value: number }) => m.value)).toEqual([20, 30]);
    const bySession = await api.get(`/storage/metrics?session_id=session_m`);
    expect(bySession.body.map((m: { value: number }) => m.value)).toEqual([20]);
    const limited = await api.get(`/storage/metrics?entity_name=${entity}&limit=1`);
    expect(limited.body).toHaveLength(1);
  });

  it('rejects non-numeric values and bad timestamps', async ({ api }) => {
    const base = { entity_type: 't', entity_name: 'n', metric_name: 'm' };
    for (const [body, field] of [
      [{ ...base, value: 'fast' }, 'value'],
      [{ ...base }, 'value'],
      [{ ...base, value: 1, timestamp: 'yesterday' }, 'timestamp'],
      [{ entity_type: 't', metric_name: 'm', value: 1 }, 'entity_name'],
    ] as const) {
      const r = await api.post('/storage/metrics', body);
      expect(r.status, field).toBe(422);
      expect(r.body.detail[0].loc).toEqual(['body', field]);
    }
    const q = await api.get('/storage/metrics?start_time=tomorrow');
    expect(q.status).toBe(422);
    expect(q.body.detail[0].loc).toEqual(['query', 'start_time']);
  });
});

describe('cache', () => {
  it('sets, reads (moving accessed_at), expires on read, and deletes', async ({ server, api }) => {
    const set = await api.put('/storage/cache/greeting', { value: { hello: 'wörld' }, ttl: 60 });
    expect(set.body).toMatchObject({ key: 'greeting', value: { hello: 'wörld' }, ttl: 60 });
    expect(set.body.created_at).toBe(set.body.accessed_at);
    server.clock.advance(59_000);
    const read = await api.get('/storage/cache/greeting');
    expect(read.status).toBe(200);
    expect(Date.parse(read.body.accessed_at) - Date.parse(read.body.created_at)).toBe(59_000);
    server.clock.advance(1_000);
    const expired = await api.get('/storage/cache/greeting');
    expect(expired.status).toBe(404);
    expect(expired.body).toEqual({ detail: 'Cache entry not found' });
    expect(await server.storage.cache.store.getCacheEntry('greeting')).toBeNull();

    await api.put('/storage/cache/forever', { value: [1, 2] });
    server.clock.advance(10 * 365 * 24 * 3600 * 1000);
    expect((await api.get('/storage/cache/forever')).body).toMatchObject({ value: [1, 2], ttl: null });
    expect((await api.del('/storage/cache/forever')).status).toBe(200);
    expect((await api.get('/storage/cache/forever')).status).toBe(404);
    expect((await api.del('/storage/cache/forever')).status).toBe(404);
  });

  it('takes any URL-encoded key', async ({ api }) => {
    for (const key of ['a/b/c', 'with space', 'ключ 🔑', 'q?x=1&y#z', '%41', 'cleanup']) {
      const path = `/storage/cache/${encodeURIComponent(key)}`;
      expect((await api.put(path, { value: key })).body.key).toBe(key);
      expect((await api.get(path)).body.value).toBe(key);
    }
    expect((await api.get('/storage/cache/a/b/c')).body.value).toBe('a/b/c');
  });

  it('cleanup removes only expired entries and says how many', async ({ server, api }) => {
    await api.post('/storage/cache/cleanup');
    await api.put('/storage/cache/c1', { value: 1, ttl: 1 });
    await api.put('/storage/cache/c2', { value: 2, ttl: 1 });
    await api.put('/storage/cache/c3', { value: 3, ttl: 100 });
    server.clock.advance(2000);
    const r = await api.post('/storage/cache/cleanup');
    expect(r.status).toBe(200);
    expect(r.body.deleted).toBe(2);
    expect((await api.get('/storage/cache/c3')).status).toBe(200);
  });

  it('rejects bad TTLs and a missing value', async ({ api }) => {
    for (const body of [{ value: 1, ttl: 0 }, { value: 1, ttl: -5 }, { value: 1, ttl: 1.5 }, { value: 1, ttl: '10' }, { ttl: 10 }]) {
      const r = await api.put('/storage/cache/bad', body);
      expect(r.status, JSON.stringify(body)).toBe(422);
    }
    expect((await api.get('/storage/cache/bad')).status).toBe(404);
  });
});

describe('errors and edges', () => {
  it('400 for malformed JSON, 422 for non-object bodies, nothing written', async ({ server, api }) => {
    const before = await sessionCount(server);
    const malformed = await api.post('/storage/sessions', '{"agent_name": ');
    expect(malformed.status).toBe(400);
    expect(typeof malformed.body.detail).toBe('string');
    for (const body of ['[]', '"text"', '42', 'null', '']) {
      const r = await api.post('/storage/sessions', body);
      expect(r.status, body).toBe(422);
      expect(r.body.detail[0].loc[0]).toBe('body');
    }
    const missing = await api.post('/storage/sessions', {});
    expect(missing.body.detail).toEqual([{ loc: ['body', 'agent_name'], msg: 'field required', type: 'value_error' }]);
    // camelCase names are not part of the REST contract
    expect((await api.post('/storage/sessions', { agentName: 'x' })).status).toBe(422);
    expect(await sessionCount(server)).toBe(before);
  });

  it('400 for bodies that are not UTF-8, on every method, sent whole or in pieces; nothing is stored', async ({ server, api }) => {
    const id = await newSession(api, { metadata: { k: 'before' } });
    expect((await api.put(`/storage/state/${id}`, { data: { k: 'before' } })).status).toBe(200);
    const sessions = await sessionCount(server);
    const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => Buffer.from(p as string)));
    const cases: [string, string, Buffer, string?][] = [
      ['POST', '/storage/sessions', bytes('{"agent_name":"a', [0xff, 0xfe], '"}')],
      ['POST', '/storage/history', bytes(`{"session_id":"${id}","role":"user","content":"caf`, [0xc3], '"}')], // cut short
      ['PUT', `/storage/sessions/${id}`, bytes('{"metadata":{"k":"', [0xed, 0xa0, 0x80], '"}}')], // a surrogate, encoded
      ['PUT', `/storage/state/${id}`, bytes('{"data":{"k":"', [0xc0, 0xaf], '"}}')], // overlong "/"
      ['PATCH', `/storage/state/${id}`, bytes('{"k":"', [0xf4, 0x90, 0x80, 0x80], '"}'), 'application/merge-patch+json'], // above U+10FFFF
      ['PUT', '/storage/cache/utf8', bytes('{"value":"', [0x80], '"}')], // a lone continuation byte
      ['POST', '/storage/metrics', bytes(`{"session_id":"${id}","name":"`, [0xfe], '","value":1}')],
      ['POST', '/storage/artifacts', bytes(`{"session_id":"${id}","name":"`, [0xe2, 0x82], '","artifact_type":"file"}')],
    ];
    for (const [method, path, body, type = 'application/json'] of cases) {
      // In one piece with a length, and chunked a byte at a time (sequences cut across pieces).
      const pieces = () => new ReadableStream<Uint8Array>({ start: (c) => (body.forEach((b) => c.enqueue(Uint8Array.of(b))), c.close()) });
      for (const chunked of [false, true]) {
        const init = { method, headers: { 'content-type': type }, body: chunked ? pieces() : body, duplex: 'half' };
        const r = await fetch(server.url + path, init as RequestInit);
        expect(r.status, `${method} ${path} ${chunked ? 'chunked' : ''}`).toBe(400);
        expect(await r.json()).toEqual({ detail: 'Request body is not valid UTF-8' });
      }
    }
    expect(await sessionCount(server)).toBe(sessions);
    expect((await api.get(`/storage/sessions/${id}`)).body.metadata).toEqual({ k: 'before' });
    expect((await api.get(`/storage/state/${id}`)).body.data).toEqual({ k: 'before' });
    expect((await api.get(`/storage/history?session_id=${id}`)).body).toEqual([]);
    expect((await api.get('/storage/cache/utf8')).status).toBe(404);
    expect((await api.get(`/storage/metrics?session_id=${id}`)).body).toEqual([]);
    expect((await api.get(`/storage/artifacts?session_id=${id}`)).body).toEqual([]);

    // Valid text whose multi-byte characters are cut across pieces is fine.
    const euro = Buffer.from('{"agent_name":"€ 😀"}');
    const split = new ReadableStream<Uint8Array>({ start: (c) => (euro.forEach((b) => c.enqueue(Uint8Array.of(b))), c.close()) });
    const ok = await fetch(`${server.url}/storage/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: split, duplex: 'half' } as RequestInit);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { agent_name: string }).agent_name).toBe('€ 😀');
  });

  it('400 for a query string whose percent-encoded bytes are not UTF-8', async ({ api }) => {
    for (const query of ['agent_name=%FF', 'agent_name=a%C3', 'user_id=%ED%A0%80']) {
      const r = await api.get(`/storage/sessions?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body).toEqual({ detail: 'The query string is not valid percent-encoded UTF-8' });
    }
    expect((await api.get('/storage/sessions?agent_name=%E2%82%AC')).status).toBe(200);
    expect((await api.get('/storage/sessions?agent_name=100%')).status).toBe(200); // a lone % is itself
  });

  it('413 for bodies above the limit', async ({ serve }) => {
    const small = await serve({ MAX_BODY_BYTES: '2048' });
    const r = await client(small.url).post('/storage/sessions', { agent_name: 'a', metadata: { pad: 'x'.repeat(4096) } });
    expect(r.status).toBe(413);
    expect(r.body.detail).toMatch(/larger than 2048 bytes/);
    expect(await small.storage.sessions.count({})).toBe(0);
  });

  it('unknown routes are 404 JSON, wrong methods 405 with Allow', async ({ api }) => {
    const r = await api.get('/storage/nothing');
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    expect(r.body).toEqual({ detail: 'Not Found' });
    const m = await api.call('PATCH', '/storage/sessions/x');
    expect(m.status).toBe(405);
    expect(m.headers.get('allow')).toBe('GET, PUT, DELETE');
    // Yoga's own health check must not shadow routes that end in /health
    expect((await api.get('/storage/sessions/health')).status).toBe(404);
    expect((await api.get('/storage/cache/health')).body).toEqual({ detail: 'Cache entry not found' });
  });

  it('serves the service description at /', async ({ api }) => {
    const r = await api.get('/');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ graphql: '/graphql', console: '/console/', health: '/health', ready: '/ready', metrics: '/metrics' });
    for (const path of [r.body.console, r.body.health, r.body.ready]) expect((await api.get(path)).status, path).toBe(200);
    expect(r.body.endpoints).toContain('GET /storage/history');
    expect(r.body.endpoints).toContain('PUT /storage/cache/{key}');
  });

  it('never answers random bodies with a 5xx or leaks internals', async ({ api }) => {
    const paths = ['/storage/sessions', '/storage/history', '/storage/artifacts', '/storage/metrics'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(fc.constantFrom('agent_name', 'session_id', 'role', 'content', 'size', 'value', 'status', 'metadata', 'ttl', 'name', 'type', 'path', 'entity_type', 'entity_name', 'metric_name', 'timestamp', 'labels'), fc.jsonValue({ maxDepth: 2 }))), async (path, body) => {
        const r = await api.post(path, JSON.stringify(body));
        expect(r.status).toBeLessThan(500);
        expect(r.text).not.toMatch(/SQLITE|at .*\.ts:\d+|stack/i);
      }),
      { numRuns: 150 },
    );
  });

  it('any JSON metadata object round-trips exactly', async ({ api }) => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 5 })), async (metadata) => {
        const created = await api.post('/storage/sessions', { agent_name: 'prop', metadata });
        expect(created.status).toBe(200);
        const read = await api.get(`/storage/sessions/${created.body.id}`);
        expect(read.body.metadata).toEqual(JSON.parse(JSON.stringify(metadata)));
      }),
      { numRuns: 60 },
    );
  });
});
