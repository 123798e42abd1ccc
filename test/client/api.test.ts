import { AgentStorageClient, AgentStorageError, GetSessionDocument, ListSessionsDocument, SetStateDocument } from '../../src/client/index.js';
import { AUTH_ENV, createKey } from '../support/auth.js';
import { describe, expect, it } from '../support/server-fixture.js';

/*
 * The typed client against a real server (both vitest projects: SQLite, and PostgreSQL with the
 * cache on Redis): every method round-trips, and failures arrive as AgentStorageError with the
 * server's own codes.
 */

/** The error a call rejects with (fails if it resolves). */
async function failure(call: Promise<unknown>): Promise<AgentStorageError> {
  const error = await call.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(AgentStorageError);
  return error as AgentStorageError;
}

describe('the typed client', () => {
  it('sessions: create, get, list, update, fork, forks, delete', async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url });
    const agentName = `client-sessions-${Date.now()}`;
    const created = await client.sessions.create({ agentName, userId: 'u-1', metadata: { tier: 'gold' } });
    expect(created).toMatchObject({ agentName, userId: 'u-1', status: 'ACTIVE', metadata: { tier: 'gold' }, parentId: null, expiresAt: null });
    expect(await client.sessions.get(created.id)).toEqual(created);
    expect(await client.sessions.get('session_missing')).toBeNull();

    const second = await client.sessions.create({ agentName, status: 'PAUSED' });
    const page = await client.sessions.list({ agentName, first: 1 });
    expect(page.totalCount).toBe(2);
    expect(page.nodes.map((s) => s.id)).toEqual([second.id]); // newest first
    const rest = await client.sessions.list({ agentName, first: 1, after: page.pageInfo.endCursor });
    expect(rest.nodes.map((s) => s.id)).toEqual([created.id]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect((await client.sessions.list({ agentName, status: 'PAUSED' })).nodes.map((s) => s.id)).toEqual([second.id]);

    const updated = await client.sessions.update(created.id, { status: 'ENDED', metadata: { tier: 'silver' } });
    expect(updated).toMatchObject({ id: created.id, status: 'ENDED', userId: 'u-1', metadata: { tier: 'silver' } });

    const message = await client.history.append(created.id, { role: 'USER', content: 'fork here' });
    await client.state.set(created.id, { step: 3 });
    const fork = await client.sessions.fork(created.id, message.id, { agentName: `${agentName}-fork` });
    expect(fork).toMatchObject({ parentId: created.id, forkedFromMessageId: message.id, agentName: `${agentName}-fork`, status: 'ACTIVE' });
    expect((await client.history.list(fork.id)).nodes.map((m) => m.content)).toEqual(['fork here']);
    expect(await client.state.get(fork.id)).toMatchObject({ data: { step: 3 }, version: 1 });
    expect((await client.sessions.forks(created.id)).nodes.map((s) => s.id)).toEqual([fork.id]);

    expect(await client.sessions.delete(created.id)).toBe(created.id);
    expect(await client.sessions.get(created.id)).toBeNull();
    expect((await failure(client.sessions.delete(created.id))).code).toBe('NOT_FOUND');
    expect((await failure(client.sessions.forks(created.id))).code).toBe('NOT_FOUND');
  });

  it('history: append (idempotent with a key), appendMany, list with paging, get, clear', async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url });
    const { id } = await client.sessions.create({ agentName: 'client-history' });
    const first = await client.history.append(id, { role: 'USER', content: 'hi', metadata: { lang: 'en' }, idempotencyKey: 'turn-1' });
    expect(first).toMatchObject({ sessionId: id, seq: 1, role: 'USER', content: 'hi', metadata: { lang: 'en' }, idempotencyKey: 'turn-1' });
    // The same append again: the message stored the first time, nothing new.
    expect(await client.history.append(id, { role: 'USER', content: 'hi', metadata: { lang: 'en' }, idempotencyKey: 'turn-1' })).toEqual(first);
    const conflict = await failure(client.history.append(id, { role: 'USER', content: 'other', idempotencyKey: 'turn-1' }));
    expect(conflict.code).toBe('CONFLICT');

    const many = await client.history.appendMany(id, [
      { role: 'ASSISTANT', content: 'hello' },
      { role: 'TOOL', content: '{"ok":true}', id: 'msg_client_tool_1' },
    ]);
    expect(many.map((m) => [m.seq, m.role, m.id.startsWith('msg_')])).toEqual([
      [2, 'ASSISTANT', true],
      [3, 'TOOL', true],
    ]);
    expect(many[1]!.id).toBe('msg_client_tool_1');

    const all = await client.history.list(id);
    expect(all.totalCount).toBe(3);
    expect(all.nodes.map((m) => m.seq)).toEqual([1, 2, 3]);
    const page = await client.history.list(id, { first: 2 });
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect((await client.history.list(id, { first: 2, after: page.pageInfo.endCursor })).nodes.map((m) => m.seq)).toEqual([3]);
    expect((await client.history.list(id, { afterSeq: 1 })).nodes.map((m) => m.seq)).toEqual([2, 3]);
    expect(await client.history.get(first.id)).toEqual(first);
    expect(await client.history.get('msg_missing')).toBeNull();

    expect(await client.history.clear(id)).toBe(3);
    expect((await client.history.list(id)).nodes).toEqual([]);
    expect((await failure(client.history.list('session_missing'))).code).toBe('NOT_FOUND');
    expect((await failure(client.history.append('session_missing', { role: 'USER', content: 'x' }))).code).toBe('NOT_FOUND');
  });

  it('state: get, set and patch with compare-and-set, delete', async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url });
    const { id } = await client.sessions.create({ agentName: 'client-state' });
    expect(await client.state.get(id)).toBeNull();
    const v1 = await client.state.set(id, { plan: ['a'], step: 1 }, { expectedVersion: 0 });
    expect(v1).toMatchObject({ sessionId: id, data: { plan: ['a'], step: 1 }, version: 1 });
    const v2 = await client.state.patch(id, { step: 2, plan: null }, { expectedVersion: 1 });
    expect(v2).toMatchObject({ data: { step: 2 }, version: 2 });
    expect(await client.state.get(id)).toEqual(v2);

    // A writer that lost the race learns where the state is now.
    const lost = await failure(client.state.set(id, { step: 9 }, { expectedVersion: 1 }));
    expect(lost.code).toBe('CONFLICT');
    expect(lost.extensions.currentVersion).toBe(2);
    expect((await failure(client.state.patch(id, { step: 9 }, { expectedVersion: 0 }))).extensions.currentVersion).toBe(2);
    // Without a version: written whatever the version.
    expect((await client.state.set(id, 'plain')).version).toBe(3);

    // The kept versions, newest first, a page at a time; the lost writes are not among them.
    const all = await client.state.history(id);
    expect(all.totalCount).toBe(3);
    expect(all.nodes.map((v) => [v.version, v.data])).toEqual([
      [3, 'plain'],
      [2, { step: 2 }],
      [1, { plan: ['a'], step: 1 }],
    ]);
    const first = await client.state.history(id, { first: 2 });
    expect(first.nodes.map((v) => v.version)).toEqual([3, 2]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect((await client.state.history(id, { first: 2, after: first.pageInfo.endCursor })).nodes.map((v) => v.version)).toEqual([1]);

    expect(await client.state.delete(id)).toBe(id);
    expect(await client.state.get(id)).toBeNull();
    expect(await client.state.history(id)).toMatchObject({ totalCount: 0, nodes: [] });
    expect((await failure(client.state.history('session_missing'))).code).toBe('NOT_FOUND');
    expect((await failure(client.state.get('session_missing'))).code).toBe('NOT_FOUND');
  });

  it('artifacts: create, get, list, delete', async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url });
    const { id } = await client.sessions.create({ agentName: 'client-artifacts' });
    const report = await client.artifacts.create({ sessionId: id, name: 'report.md', type: 'text/markdown', path: '/out/report.md', size: 1234 });
    expect(report).toMatchObject({ sessionId: id, name: 'report.md', size: 1234, metadata: {} });
    const chart = await client.artifacts.create({ sessionId: id, name: 'chart.png', type: 'image/png', path: '/out/c.png', size: 0, metadata: { w: 640 } });
    expect(await client.artifacts.get(report.id)).toEqual(report);
    expect((await client.artifacts.list(id)).nodes.map((a) => a.id)).toEqual([report.id, chart.id]);
    expect((await client.artifacts.list(id, { last: 1 })).nodes.map((a) => a.id)).toEqual([chart.id]);
    expect(await client.artifacts.delete(report.id)).toBe(report.id);
    expect(await client.artifacts.get(report.id)).toBeNull();
    const invalid = await failure(client.artifacts.create({ sessionId: id, name: 'x', type: 't', path: '/x', size: -1 }));
    expect(invalid.code).toBe('BAD_USER_INPUT');
  });

  it('metrics: record, recordMany, list with filters', async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url });
    const { id } = await client.sessions.create({ agentName: 'client-metrics' });
    const entityName = `tool-${Date.now()}`;
    const one = await client.metrics.record({ entityType: 'tool', entityName, metricName: 'latency', value: 12.5, sessionId: id, labels: { region: 'eu' } });
    expect(one).toMatchObject({ entityType: 'tool', entityName, metricName: 'latency', value: 12.5, sessionId: id, labels: { region: 'eu' } });
    const many = await client.metrics.recordMany([
      { entityType: 'tool', entityName, metricName: 'latency', value: 20, timestamp: '2030-01-01T00:00:00Z' },
      { entityType: 'tool', entityName, metricName: 'tokens', value: 300 },
    ]);
    expect(many).toHaveLength(2);
    const latency = await client.metrics.list({ entityName, metricName: 'latency' });
    expect(latency.totalCount).toBe(2);
    expect(latency.nodes.map((m) => m.value)).toEqual([12.5, 20]);
    expect((await client.metrics.list({ entityName, since: '2029-01-01T00:00:00Z' })).nodes.map((m) => m.value)).toEqual([20]);
    expect((await client.metrics.list({ sessionId: id })).nodes.map((m) => m.id)).toEqual([one.id]);
  });

  it('cache: set with and without a TTL, get, delete', async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url });
    const key = `client/${Date.now()}`;
    expect(await client.cache.get(key)).toBeNull();
    const entry = await client.cache.set(key, { answer: 42 }, { ttl: 60 });
    expect(entry).toMatchObject({ key, value: { answer: 42 }, ttl: 60 });
    expect(await client.cache.get(key)).toMatchObject({ key, value: { answer: 42 } });
    expect((await client.cache.set(`${key}-forever`, [1, 'two'])).expiresAt).toBeNull();
    server.clock.advance(61_000);
    expect(await client.cache.get(key)).toBeNull();
    expect(await client.cache.delete(`${key}-forever`)).toBe(`${key}-forever`);
    expect(await client.cache.get(`${key}-forever`)).toBeNull();
  });

  it('request: any typed document, its variables checked by the compiler', async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url });
    const { id } = await client.sessions.create({ agentName: 'client-request' });
    const { session } = await client.request(GetSessionDocument, { id });
    expect(session?.agentName).toBe('client-request');
    // An operation without required variables may be called without any.
    expect((await client.request(ListSessionsDocument)).sessions.totalCount).toBeGreaterThan(0);

    // Variables that do not match the document are a compile error (npm run typecheck fails if
    // any of these lines compiles); sent anyway, the server refuses them.
    // @ts-expect-error `sessionId` is not a variable of GetSession (it takes `id`)
    const misnamed = client.request(GetSessionDocument, { sessionId: id });
    expect((await failure(misnamed)).code).toBe('BAD_USER_INPUT');
    // @ts-expect-error GetSession needs its `id`
    const missing = client.request(GetSessionDocument);
    expect((await failure(missing)).code).toBe('BAD_USER_INPUT');
    // @ts-expect-error `data` is JSON, but `expectedVersion` is an Int
    const wrongType = client.request(SetStateDocument, { sessionId: id, data: {}, expectedVersion: 'one' });
    expect((await failure(wrongType)).code).toBe('BAD_USER_INPUT');
    // @ts-expect-error a result field the document does not select
    void session?.history;
  });

  it('errors carry the code, the HTTP status and the request id; a network failure is NETWORK_ERROR', async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url, headers: { 'x-request-id': 'client-test-42' } });
    const notFound = await failure(client.sessions.update('session_missing', { status: 'ENDED' }));
    expect(notFound).toMatchObject({ code: 'NOT_FOUND', message: 'Session not found', status: 200, requestId: 'client-test-42' });
    expect(notFound.errors[0]?.path).toEqual(['updateSession']);
    const invalid = await failure(client.sessions.create({ agentName: '' }));
    expect(invalid.code).toBe('BAD_USER_INPUT');
    expect(invalid.extensions.issues).toEqual([{ path: ['input', 'agentName'], message: 'must not be empty' }]);

    // Nothing listens on port 9 of loopback (discard): the connection is refused.
    const offline = new AgentStorageClient({ url: 'http://127.0.0.1:9', retry: false });
    const network = await failure(offline.sessions.get('session_x'));
    expect(network).toMatchObject({ code: 'NETWORK_ERROR', status: undefined });
    expect(network.message).toContain('http://127.0.0.1:9/graphql');
  });

  it('sends the API key; without one, or with a key lacking a scope, the server refuses with its code', async ({ serve }) => {
    const server = await serve(AUTH_ENV);
    const readOnlyKey = await createKey(server.url, 'client-tenant', ['READ']);
    const writerKey = await createKey(server.url, 'client-tenant', ['READ', 'WRITE']);

    const anonymous = await failure(new AgentStorageClient({ url: server.url }).sessions.get('session_x'));
    expect(anonymous).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    const wrongKey = await failure(new AgentStorageClient({ url: server.url, apiKey: 'not-a-key' }).sessions.get('session_x'));
    expect(wrongKey.code).toBe('UNAUTHENTICATED');

    const reader = new AgentStorageClient({ url: server.url, apiKey: readOnlyKey });
    const refused = await failure(reader.sessions.create({ agentName: 'nope' }));
    expect(refused).toMatchObject({ code: 'FORBIDDEN' });
    expect(refused.message).toContain('"write" scope');

    const writer = new AgentStorageClient({ url: server.url, apiKey: writerKey });
    const session = await writer.sessions.create({ agentName: 'keyed' });
    expect(await reader.sessions.get(session.id)).toEqual(session);
  });
});
