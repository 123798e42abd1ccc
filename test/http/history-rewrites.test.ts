import { AgentStorageClient, AgentStorageError } from '../../src/client/index.js';
import { AUTH_ENV, createKey, keyed } from '../support/auth.js';
import { describe, expect, it, test } from '../support/server-fixture.js';

/*
 * Structured items, pops, suffix rewrites and upserts, black-box on a real server (SQLite, or
 * PostgreSQL + Redis): plain fetch on REST and on GraphQL (variables named unlike the arguments),
 * and the typed client; the same scopes and tenants as every other write.
 */

test.override({ env: AUTH_ENV });

const call = (id: string) => ({ type: 'function_call', call_id: id, name: 'lookup', arguments: '{"q":"refund"}' });

describe('history rewrites over REST', () => {
  it('stores items beside content, pops, rewrites with compare-and-set, lists what was superseded', async ({ server }) => {
    const api = keyed(server.url, await createKey(server.url, 'acme', ['READ', 'WRITE']));
    const { body: session } = await api.post('/storage/sessions', { agent_name: 'a' });
    const first = await api.post('/storage/history', { session_id: session.id, role: 'assistant', item: call('c1') });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ seq: 1, role: 'assistant', content: '{"q":"refund"}', item: call('c1') });
    const plain = await api.post('/storage/history', { session_id: session.id, role: 'user', content: 'hi' });
    expect(plain.body.item).toBeNull();
    expect((await api.get(`/storage/history?session_id=${session.id}`)).body.map((m: { item: unknown }) => m.item)).toEqual([call('c1'), null]);

    // Neither content nor item: a 422 naming the field.
    const empty = await api.post('/storage/history', { session_id: session.id, role: 'user' });
    expect(empty.status).toBe(422);
    expect(empty.body.detail).toEqual([{ loc: ['body', 'content'], msg: 'is required unless an item is given', type: 'value_error' }]);

    const popped = await api.post(`/storage/history/pop?session_id=${session.id}`);
    expect(popped.body).toEqual({ message: plain.body });

    const rewritten = await api.post('/storage/history/rewrite', {
      session_id: session.id,
      operation_id: 'op-1',
      expected_last_seq: 1,
      replace_last: 1,
      expected_items: [call('c1')],
      messages: [{ role: 'assistant', item: call('c2'), idempotency_key: 'k2' }],
    });
    expect(rewritten.status).toBe(200);
    expect(rewritten.body).toMatchObject({ operation_id: 'op-1', replayed: false, superseded_ids: [first.body.id], messages: [{ seq: 3, item: call('c2') }] });
    const stale = await api.post('/storage/history/rewrite', { session_id: session.id, operation_id: 'op-2', expected_last_seq: 1, replace_last: 1, messages: [] });
    expect(stale.status).toBe(409);
    expect(stale.body).toEqual({ detail: 'The history changed: expected the last message at seq 1, but its last message is at seq 3' });
    const reused = await api.post('/storage/history/rewrite', { session_id: session.id, operation_id: 'op-1', expected_last_seq: 3, replace_last: 0, messages: [] });
    expect(reused.status).toBe(409);
    const bad = await api.post('/storage/history/rewrite', { session_id: session.id, operation_id: 'op-3', expected_last_seq: 3, replace_last: 2, expected_items: [1], messages: [{ role: 'robot' }] });
    expect(bad.status).toBe(422);
    expect(bad.body.detail.map((d: { loc: unknown[] }) => d.loc)).toEqual([['body', 'messages', 0, 'role']]);
    const unknown = await api.post('/storage/history/rewrite', { session_id: 'session_nope', operation_id: 'x', expected_last_seq: null, replace_last: 0, messages: [] });
    expect(unknown.status).toBe(404);

    const superseded = await api.get(`/storage/history/superseded?session_id=${session.id}`);
    expect(superseded.body.map((s: { message: { id: string }; reason: string; operation_id: string | null }) => [s.message.id, s.reason, s.operation_id])).toEqual([
      [plain.body.id, 'popped', null],
      [first.body.id, 'rewritten', 'op-1'],
    ]);
    const next = await api.get(`/storage/history/superseded?session_id=${session.id}&limit=1&after_entry=${superseded.body[0].entry}`);
    expect(next.body.map((s: { message: { id: string } }) => s.message.id)).toEqual([first.body.id]);

    // Upsert by the client's message id: the same body is a no-op, another body replaces only when asked.
    const v1 = await api.post('/storage/history', { session_id: session.id, role: 'assistant', item: { id: 'ui-1', parts: [] }, idempotency_key: 'ui-1' });
    const same = await api.post('/storage/history', { session_id: session.id, role: 'assistant', item: { id: 'ui-1', parts: [] }, idempotency_key: 'ui-1', on_conflict: 'replace' });
    expect(same.body).toEqual(v1.body);
    const refused = await api.post('/storage/history', { session_id: session.id, role: 'assistant', item: { id: 'ui-1', parts: [1] }, idempotency_key: 'ui-1' });
    expect(refused.status).toBe(409);
    const replaced = await api.post('/storage/history', { session_id: session.id, role: 'assistant', item: { id: 'ui-1', parts: [1] }, idempotency_key: 'ui-1', on_conflict: 'replace' });
    expect(replaced.body).toEqual({ ...v1.body, item: { id: 'ui-1', parts: [1] } });
    const wrongMode = await api.post('/storage/history', { session_id: session.id, role: 'user', content: 'x', on_conflict: 'merge' });
    expect(wrongMode.status).toBe(422);
    expect(wrongMode.body.detail[0].loc).toEqual(['body', 'on_conflict']);
  });

  it('reads need read, writes need write; another tenant sees nothing', async ({ server }) => {
    const acme = keyed(server.url, await createKey(server.url, 'acme', ['READ', 'WRITE']));
    const beta = keyed(server.url, await createKey(server.url, 'beta', ['READ', 'WRITE']));
    const reader = keyed(server.url, await createKey(server.url, 'acme', ['READ']));
    const { body: session } = await acme.post('/storage/sessions', { agent_name: 'a' });
    await acme.post('/storage/history', { session_id: session.id, role: 'user', content: 'one' });
    expect((await reader.post(`/storage/history/pop?session_id=${session.id}`)).status).toBe(403);
    expect((await reader.post('/storage/history/rewrite', { session_id: session.id, operation_id: 'o', expected_last_seq: 1, replace_last: 1, messages: [] })).status).toBe(403);
    expect((await reader.gql('mutation($s: ID!) { popMessage(sessionId: $s) { id } }', { s: session.id })).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await beta.post(`/storage/history/pop?session_id=${session.id}`)).status).toBe(404);
    expect((await beta.get(`/storage/history/superseded?session_id=${session.id}`)).body).toEqual([]);
    expect((await acme.post(`/storage/history/pop?session_id=${session.id}`)).body.message.content).toBe('one');
    expect((await reader.get(`/storage/history/superseded?session_id=${session.id}`)).body).toHaveLength(1);
  });
});

describe('history rewrites over GraphQL', () => {
  it('items as JSON, popMessage, rewriteHistory, supersededHistory, onConflict — with variables named unlike the arguments', async ({ server }) => {
    const api = keyed(server.url, await createKey(server.url, 'acme', ['READ', 'WRITE']));
    const created = await api.gql('mutation($in: CreateSessionInput!) { createSession(input: $in) { id } }', { in: { agentName: 'a' } });
    const sid = created.body.data.createSession.id as string;
    const added = await api.gql(
      'mutation($s: ID!, $list: [NewMessageInput!]!, $mode: OnConflict) { addMessages(sessionId: $s, messages: $list, onConflict: $mode) { seq content item idempotencyKey } }',
      { s: sid, list: [{ role: 'ASSISTANT', item: call('c1'), idempotencyKey: 'a' }, { role: 'TOOL', item: { type: 'function_call_output', output: '42' } }], mode: 'REPLACE' },
    );
    expect(added.body.data.addMessages).toEqual([
      { seq: 1, content: '{"q":"refund"}', item: call('c1'), idempotencyKey: 'a' },
      { seq: 2, content: '42', item: { type: 'function_call_output', output: '42' }, idempotencyKey: null },
    ]);
    const popped = await api.gql('mutation($which: ID!) { popMessage(sessionId: $which) { seq } }', { which: sid });
    expect(popped.body.data.popMessage).toEqual({ seq: 2 });
    const rewrite = `mutation($r: RewriteHistoryInput!) { rewriteHistory(input: $r) { operationId replayed supersededIds messages { seq item } } }`;
    const input = { sessionId: sid, operationId: 'op', expectedLastSeq: 1, replaceLast: 1, expectedItems: [call('c1')], messages: [{ role: 'SYSTEM', item: { type: 'compaction', summary: 's' } }], reason: 'COMPACTED' };
    const done = await api.gql(rewrite, { r: input });
    expect(done.body.data.rewriteHistory).toMatchObject({ operationId: 'op', replayed: false, messages: [{ seq: 3, item: { type: 'compaction', summary: 's' } }] });
    expect((await api.gql(rewrite, { r: input })).body.data.rewriteHistory.replayed).toBe(true);
    const conflict = await api.gql(rewrite, { r: { ...input, operationId: 'op2' } });
    expect(conflict.body.errors[0].extensions).toEqual({ code: 'CONFLICT' });
    const reused = await api.gql(rewrite, { r: { ...input, reason: 'REWRITTEN' } });
    expect(reused.body.errors[0].extensions).toEqual({ code: 'CONFLICT', operationReused: true });
    const invalid = await api.gql(rewrite, { r: { ...input, operationId: '', replaceLast: -1 } });
    expect(invalid.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const history = await api.gql(
      'query($id: ID!) { session(id: $id) { history { nodes { seq item } } supersededHistory { totalCount nodes { reason operationId message { seq item } } } } }',
      { id: sid },
    );
    expect(history.body.data.session.history.nodes).toEqual([{ seq: 3, item: { type: 'compaction', summary: 's' } }]);
    expect(history.body.data.session.supersededHistory).toEqual({
      totalCount: 2,
      nodes: [
        { reason: 'POPPED', operationId: null, message: { seq: 2, item: { type: 'function_call_output', output: '42' } } },
        { reason: 'COMPACTED', operationId: 'op', message: { seq: 1, item: call('c1') } },
      ],
    });
  });

  it('the typed client: append with items and REPLACE, pop, rewrite, superseded; CONFLICT as AgentStorageError', async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url, apiKey: await createKey(server.url, 'acme', ['READ', 'WRITE']) });
    const session = await client.sessions.create({ agentName: 'a' });
    const [m1] = await client.history.appendMany(session.id, [{ role: 'USER', item: { text: 'hello' }, idempotencyKey: 'u1' }]);
    expect(m1).toMatchObject({ seq: 1, content: 'hello', item: { text: 'hello' } });
    const replaced = await client.history.append(session.id, { role: 'USER', item: { text: 'hello!' }, idempotencyKey: 'u1' }, { onConflict: 'REPLACE' });
    expect(replaced).toMatchObject({ id: m1!.id, seq: 1, item: { text: 'hello!' } });
    const result = await client.history.rewrite(session.id, { operationId: 'o', expectedLastSeq: 1, replaceLast: 1, messages: [{ role: 'USER', content: 'hi' }] });
    expect(result.supersededIds).toEqual([m1!.id]);
    const error = await client.history.rewrite(session.id, { operationId: 'o2', expectedLastSeq: 1, replaceLast: 1, messages: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentStorageError);
    expect((error as AgentStorageError).code).toBe('CONFLICT');
    expect((await client.history.pop(session.id))?.content).toBe('hi');
    expect(await client.history.pop(session.id)).toBeNull();
    expect((await client.history.superseded(session.id)).nodes.map((s) => [s.reason, s.message.item ?? s.message.content])).toEqual([
      ['REPLACED', { text: 'hello' }],
      ['REWRITTEN', { text: 'hello!' }],
      ['POPPED', 'hi'],
    ]);
    // The newest messages in order, paging back (pages of 2 here), without counting; all of them when no count.
    await client.history.appendMany(session.id, ['a', 'b', 'c', 'd', 'e'].map((content) => ({ role: 'USER' as const, content })));
    expect((await client.history.latest(session.id, 3, { pageSize: 2 })).map((m) => m.content)).toEqual(['c', 'd', 'e']);
    expect((await client.history.latest(session.id, undefined, { pageSize: 2 })).map((m) => m.content)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await client.history.latest(session.id, 0)).toEqual([]);
    const missing = await client.history.latest('session_nope', 3).catch((e: unknown) => e);
    expect((missing as AgentStorageError).code).toBe('NOT_FOUND');
    await client.history.clear(session.id);
    const superseded = await client.history.superseded(session.id);
    // Clearing deleted the superseded messages with the history.
    expect(superseded.nodes).toEqual([]);
  });
});
