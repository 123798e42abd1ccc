import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import fc from 'fast-check';
import { AUTH_ENV, createKey } from '../support/auth.js';
import { describe, expect, test as serverTest } from '../support/server-fixture.js';

/*
 * The MCP door, black-box: a real server (SQLite, and PostgreSQL in the postgres project) with API
 * keys, spoken to by the SDK's own client over Streamable HTTP, and by plain fetch for what a
 * client should never send.
 */

serverTest.override({ env: AUTH_ENV });

type ToolResult = { content: { type: string; text: string }[]; structuredContent?: Record<string, any>; isError?: boolean };

/** MCP clients for the test, each sending `key`; all closed when the test ends. */
const test = serverTest.extend('mcp', async ({ server }, { onCleanup }) => {
  const open: Client[] = [];
  onCleanup(async () => void (await Promise.all(open.map((c) => c.close()))));
  return async (key: string) => {
    const client = new Client({ name: 'door-test', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL('/mcp', server.url), { requestInit: { headers: { Authorization: `Bearer ${key}` } } });
    await client.connect(transport);
    open.push(client);
    const call = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as ToolResult;
    /** The structured answer of a call that must succeed. */
    const ok = async (name: string, args: Record<string, unknown> = {}) => {
      const result = await call(name, args);
      expect(result.isError, `${name}: ${result.content[0]?.text}`).toBeFalsy();
      return result.structuredContent!;
    };
    return { client, call, ok };
  };
});
const it = test;

/** Plain POSTs to /mcp, as a client that speaks the transport (its headers) but maybe not the protocol. */
async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(new URL('/mcp', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': LATEST_PROTOCOL_VERSION, ...headers },
    body,
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'fetch', version: '0' } },
});

/** Valid arguments for each writing tool, given a session of the caller's (the same for every key). */
function writeCalls(sessionId: string): [string, Record<string, unknown>][] {
  return [
    ['create_session', { agentName: 'intruder' }],
    ['append_messages', { sessionId, messages: [{ role: 'user', content: 'written by a reader?' }] }],
    ['set_state', { sessionId, data: { by: 'reader' } }],
    ['merge_patch_state', { sessionId, patch: { by: 'reader' } }],
    ['create_entities', { entities: [{ name: 'Mallory', entityType: 'person', observations: ['reads only'] }] }],
    ['create_relations', { relations: [{ from: 'Alice', to: 'Mallory', relationType: 'knows' }] }],
    ['add_observations', { observations: [{ entityName: 'Alice', contents: ['changed by a reader'] }] }],
    ['delete_entities', { entityNames: ['Alice'] }],
    ['delete_observations', { deletions: [{ entityName: 'Alice', observations: ['likes tea'] }] }],
    ['delete_relations', { relations: [{ from: 'Alice', to: 'Bob', relationType: 'knows' }] }],
  ];
}

describe('the MCP door (Streamable HTTP, stateless)', () => {
  it('lists every tool and answers each one through HTTP', async ({ server, mcp }) => {
    const { client, call, ok } = await mcp(await createKey(server.url, 'acme', ['READ', 'WRITE']));
    expect(client.getServerVersion()).toMatchObject({ name: 'agent-storage' });
    const { tools } = await client.listTools();
    const listed = tools.map((t) => t.name);
    expect(listed).toEqual(expect.arrayContaining(['list_sessions', 'create_session', 'read_graph', 'search', 'set_state']));
    for (const tool of tools) {
      expect(tool.inputSchema.type, tool.name).toBe('object');
      expect(tool.annotations?.readOnlyHint, tool.name).toEqual(expect.any(Boolean));
    }
    const called = new Set<string>();
    const track = <T>(name: string, result: Promise<T>) => (called.add(name), result);

    const { session } = await track('create_session', ok('create_session', { agentName: 'planner', userId: 'u1' }));
    expect(session).toMatchObject({ agentName: 'planner', userId: 'u1', status: 'active' });
    expect((await track('get_session', ok('get_session', { sessionId: session.id }))).session).toEqual(session);
    expect((await track('list_sessions', ok('list_sessions', { agentName: 'planner' }))).sessions).toEqual([session]);
    const { messages } = await track(
      'append_messages',
      ok('append_messages', { sessionId: session.id, messages: [{ role: 'user', content: 'Find me a refund' }, { role: 'assistant', content: 'Looking' }] }),
    );
    expect((await track('read_history', ok('read_history', { sessionId: session.id }))).messages).toEqual(messages);
    const found = await track('search', ok('search', { query: 'refund' }));
    expect(found.hits.map((h: { message: { id: string } }) => h.message.id)).toEqual([messages[0].id]);
    expect((await track('set_state', ok('set_state', { sessionId: session.id, data: { step: 1 } }))).state).toMatchObject({ data: { step: 1 }, version: 1 });
    expect((await track('merge_patch_state', ok('merge_patch_state', { sessionId: session.id, patch: { done: true } }))).state).toMatchObject({
      data: { step: 1, done: true },
      version: 2,
    });
    expect((await track('get_state', ok('get_state', { sessionId: session.id }))).state).toMatchObject({ data: { step: 1, done: true }, version: 2 });
    const versions = (await track('get_state_history', ok('get_state_history', { sessionId: session.id }))).versions;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const alice = { name: 'Alice', entityType: 'person', observations: ['likes tea'] };
    const bob = { name: 'Bob', entityType: 'person', observations: [] };
    expect(await track('create_entities', ok('create_entities', { entities: [alice, bob] }))).toEqual({ entities: [alice, bob] });
    const knows = { from: 'Alice', to: 'Bob', relationType: 'knows' };
    expect(await track('create_relations', ok('create_relations', { relations: [knows] }))).toEqual({ relations: [knows] });
    expect(await track('add_observations', ok('add_observations', { observations: [{ entityName: 'Bob', contents: ['plays chess'] }] }))).toEqual({
      results: [{ entityName: 'Bob', addedObservations: ['plays chess'] }],
    });
    const graph = { entities: [alice, { ...bob, observations: ['plays chess'] }], relations: [knows] };
    expect(await track('read_graph', ok('read_graph'))).toEqual(graph);
    expect(await track('search_nodes', ok('search_nodes', { query: 'CHESS' }))).toEqual({ entities: [graph.entities[1]], relations: [knows] });
    expect(await track('open_nodes', ok('open_nodes', { names: ['Alice'] }))).toEqual({ entities: [alice], relations: [knows] });
    await track('delete_observations', ok('delete_observations', { deletions: [{ entityName: 'Bob', observations: ['plays chess'] }] }));
    await track('delete_relations', ok('delete_relations', { relations: [knows] }));
    await track('delete_entities', ok('delete_entities', { entityNames: ['Alice'] }));
    expect(await ok('read_graph')).toEqual({ entities: [bob], relations: [] });

    // Every tool the server lists was called above (a new tool needs its call here).
    expect([...called].sort()).toEqual([...listed].sort());

    // Failures are results the model can read, with the domain's words.
    expect(await call('get_session', { sessionId: 'session_nope' })).toMatchObject({ isError: true, content: [{ type: 'text', text: 'Session not found' }] });
    expect(await call('add_observations', { observations: [{ entityName: 'Carol', contents: ['x'] }] })).toMatchObject({
      isError: true,
      content: [{ text: 'Entity with name Carol not found' }],
    });
    expect(await call('create_entities', { entities: [{ name: '', entityType: 'person', observations: [] }] })).toEqual({
      isError: true,
      content: [{ type: 'text', text: 'entities.0.name: must not be empty' }],
    });
    expect(await call('read_history', { sessionId: session.id, limit: 1_000_000 })).toMatchObject({ isError: true, content: [{ text: expect.stringMatching(/^limit: must be at most \d+$/) }] });
    await expect(call('no_such_tool')).rejects.toMatchObject({ code: -32602, message: expect.stringMatching(/Unknown tool: no_such_tool/) });
  });

  it('8 concurrent clients adding observations to one entity lose none of them', async ({ server, mcp }) => {
    const key = await createKey(server.url, 'concurrent', ['READ', 'WRITE']);
    const CLIENTS = 8;
    const EACH = 12;
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => mcp(key)));
    await clients[0]!.ok('create_entities', { entities: [{ name: 'Shared', entityType: 'notebook', observations: [] }] });
    await Promise.all(
      clients.map(async ({ ok }, c) => {
        for (let i = 0; i < EACH; i++) {
          const contents = [`client ${c} note ${i}`];
          expect(await ok('add_observations', { observations: [{ entityName: 'Shared', contents }] })).toEqual({
            results: [{ entityName: 'Shared', addedObservations: contents }],
          });
        }
      }),
    );
    const { entities } = await clients[CLIENTS - 1]!.ok('read_graph');
    expect(entities).toHaveLength(1);
    const observations: string[] = entities[0].observations;
    expect(observations).toHaveLength(CLIENTS * EACH);
    const expected = Array.from({ length: CLIENTS }, (_, c) => Array.from({ length: EACH }, (_, i) => `client ${c} note ${i}`)).flat();
    expect([...observations].sort()).toEqual(expected.sort());
    // Each client's own notes keep the order it added them in.
    for (let c = 0; c < CLIENTS; c++) {
      const own = observations.filter((o) => o.startsWith(`client ${c} `));
      expect(own).toEqual(Array.from({ length: EACH }, (_, i) => `client ${c} note ${i}`));
    }
  });

  it('a read-only key gets an error from every writing tool, and nothing is written', async ({ server, mcp }) => {
    const writer = await mcp(await createKey(server.url, 'readers', ['READ', 'WRITE']));
    const reader = await mcp(await createKey(server.url, 'readers', ['READ']));
    const { session } = await writer.ok('create_session', { agentName: 'planner' });
    await writer.ok('append_messages', { sessionId: session.id, messages: [{ role: 'user', content: 'hello' }] });
    await writer.ok('set_state', { sessionId: session.id, data: { step: 1 } });
    await writer.ok('create_entities', { entities: [{ name: 'Alice', entityType: 'person', observations: ['likes tea'] }, { name: 'Bob', entityType: 'person', observations: [] }] });
    await writer.ok('create_relations', { relations: [{ from: 'Alice', to: 'Bob', relationType: 'knows' }] });
    const before = {
      sessions: await writer.ok('list_sessions'),
      history: await writer.ok('read_history', { sessionId: session.id }),
      state: await writer.ok('get_state', { sessionId: session.id }),
      graph: await writer.ok('read_graph'),
    };

    const { tools } = await reader.client.listTools();
    const writing = tools.filter((t) => !t.annotations?.readOnlyHint).map((t) => t.name);
    const calls = writeCalls(session.id);
    expect(calls.map(([name]) => name).sort()).toEqual([...writing].sort());
    for (const [name, args] of calls) {
      expect(await reader.call(name, args), name).toEqual({ content: [{ type: 'text', text: 'This API key lacks the "write" scope' }], isError: true });
    }
    // The scope comes first: arguments a writer would be told are wrong tell a reader nothing.
    expect(await reader.call('create_entities', { entities: 'nonsense' })).toMatchObject({ isError: true, content: [{ text: 'This API key lacks the "write" scope' }] });

    // The reader reads; nothing changed.
    expect(await reader.ok('read_graph')).toEqual(before.graph);
    expect(await writer.ok('list_sessions')).toEqual(before.sessions);
    expect(await writer.ok('read_history', { sessionId: session.id })).toEqual(before.history);
    expect(await writer.ok('get_state', { sessionId: session.id })).toEqual(before.state);
    expect(await writer.ok('read_graph')).toEqual(before.graph);
  });

  it('refuses a request without a valid key as REST does: 401 JSON, before any MCP', async ({ server, mcp }) => {
    const rest = await fetch(new URL('/storage/sessions', server.url));
    const restBody = await rest.json();
    for (const headers of [{}, { authorization: 'Bearer not-a-key' }, { authorization: 'Basic abc' }] as Record<string, string>[]) {
      const res = await post(server.url, INITIALIZE, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.json).toEqual({ detail: expect.any(String) });
      if (!('authorization' in headers)) expect(res.json).toEqual(restBody);
    }
    await expect(mcp('not-a-key')).rejects.toThrow();
  });

  it('with AUTH_MODE=none, any client is served (the default tenant, every scope)', async ({ serve }) => {
    const open = await serve({ AUTH_MODE: 'none' });
    const client = new Client({ name: 'open', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', open.url)));
    try {
      const created = (await client.callTool({ name: 'create_entities', arguments: { entities: [{ name: 'Open', entityType: 't', observations: [] }] } })) as ToolResult;
      expect(created.isError).toBeFalsy();
      expect((await client.callTool({ name: 'read_graph', arguments: {} })).structuredContent).toEqual({ entities: [{ name: 'Open', entityType: 't', observations: [] }], relations: [] });
    } finally {
      await client.close();
    }
  });

  it('a key sees its own tenant: two tenants, two knowledge graphs', async ({ server, mcp }) => {
    const acme = await mcp(await createKey(server.url, 'graph-acme', ['READ', 'WRITE']));
    const beta = await mcp(await createKey(server.url, 'graph-beta', ['READ', 'WRITE']));
    const a = { name: 'Same name', entityType: 'acme thing', observations: ['of acme'] };
    const b = { name: 'Same name', entityType: 'beta thing', observations: ['of beta'] };
    expect(await acme.ok('create_entities', { entities: [a] })).toEqual({ entities: [a] });
    // Not "already exists": beta's graph is another one.
    expect(await beta.ok('create_entities', { entities: [b] })).toEqual({ entities: [b] });
    await acme.ok('create_session', { agentName: 'acme agent' });
    expect(await acme.ok('read_graph')).toEqual({ entities: [a], relations: [] });
    expect(await beta.ok('read_graph')).toEqual({ entities: [b], relations: [] });
    expect(await beta.ok('search_nodes', { query: 'acme' })).toEqual({ entities: [], relations: [] });
    expect((await beta.ok('list_sessions')).sessions).toEqual([]);
  });

  it('lists and reads session://{id} resources', async ({ server, mcp }) => {
    const { client, ok } = await mcp(await createKey(server.url, 'resources', ['READ', 'WRITE']));
    const { session } = await ok('create_session', { agentName: 'support' });
    const { messages } = await ok('append_messages', { sessionId: session.id, messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] });

    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates).toEqual([expect.objectContaining({ name: 'session', uriTemplate: 'session://{id}', mimeType: 'application/json' })]);
    const { resources } = await client.listResources();
    expect(resources).toEqual([expect.objectContaining({ uri: `session://${session.id}`, name: session.id, mimeType: 'application/json' })]);

    const { contents } = await client.readResource({ uri: `session://${session.id}` });
    expect(contents).toHaveLength(1);
    expect(contents[0]).toMatchObject({ uri: `session://${session.id}`, mimeType: 'application/json' });
    expect(JSON.parse((contents[0] as { text: string }).text)).toEqual({ session, messageCount: 2, messages });

    await expect(client.readResource({ uri: 'session://session_nope' })).rejects.toMatchObject({ code: -32002, message: expect.stringMatching(/Session not found/) });
    await expect(client.readResource({ uri: 'other://x' })).rejects.toMatchObject({ code: -32602 });
  });

  it('a resource needs the "read" scope', async ({ server, mcp }) => {
    const writeOnly = await mcp(await createKey(server.url, 'resources-w', ['WRITE']));
    const { session } = await writeOnly.ok('create_session', { agentName: 'a' });
    await expect(writeOnly.client.listResources()).rejects.toMatchObject({ code: -32000, message: expect.stringMatching(/lacks the "read" scope/) });
    await expect(writeOnly.client.readResource({ uri: `session://${session.id}` })).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });
  });

  it('answers what is not a JSON-RPC request with a 4xx JSON-RPC error, never a 500', async ({ server }) => {
    const key = await createKey(server.url, 'acme', ['READ', 'WRITE']);
    const auth = { authorization: `Bearer ${key}` };
    const rpcError = (code: number) => ({ jsonrpc: '2.0', id: null, error: expect.objectContaining({ code, message: expect.any(String) }) });

    expect(await post(server.url, '{"jsonrpc": "2.0", "id": 1, "method":', auth)).toMatchObject({ status: 400, json: rpcError(-32700) });
    expect(await post(server.url, '', auth)).toMatchObject({ status: 400, json: rpcError(-32700) });
    expect(await post(server.url, '{"hello": "world"}', auth)).toMatchObject({ status: 400, json: rpcError(-32700) });
    expect(await post(server.url, '[1, 2]', auth)).toMatchObject({ status: 400, json: rpcError(-32700) });
    expect(await post(server.url, Buffer.from([0x7b, 0xff, 0x7d]).toString('latin1'), auth)).toMatchObject({ status: 400 });
    expect(await post(server.url, INITIALIZE, { ...auth, 'content-type': 'text/plain' })).toMatchObject({ status: 415, json: rpcError(-32000) });
    expect(await post(server.url, INITIALIZE, { ...auth, accept: 'application/json' })).toMatchObject({ status: 406, json: rpcError(-32000) });

    // The stateless server has no stream to GET and no session to DELETE.
    for (const method of ['GET', 'DELETE', 'PUT']) {
      const res = await fetch(new URL('/mcp', server.url), { method, headers: { ...auth, accept: 'text/event-stream' } });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(await res.json()).toEqual(rpcError(-32000));
    }

    // The body limit of every door (MAX_BODY_BYTES, 1 MiB by default).
    const huge = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { pad: 'x'.repeat(server.config.maxBodyBytes) } });
    expect(await post(server.url, huge, auth)).toMatchObject({ status: 413, json: rpcError(-32000) });
    // Sent without a length (chunked): counted as it arrives, refused the same.
    const chunks = new TextEncoder().encode(huge);
    const streamed = await fetch(new URL('/mcp', server.url), {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < chunks.length; i += 64 * 1024) controller.enqueue(chunks.subarray(i, i + 64 * 1024));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toEqual(rpcError(-32000));

    // A request is answered in JSON, without an MCP session.
    const init = await post(server.url, INITIALIZE, auth);
    expect(init.status).toBe(200);
    expect(init.headers.get('content-type')).toMatch(/^application\/json/);
    expect(init.headers.get('mcp-session-id')).toBeNull();
    expect(init.json).toMatchObject({ jsonrpc: '2.0', id: 1, result: { serverInfo: { name: 'agent-storage' }, capabilities: { tools: {}, resources: {} } } });
    const list = await post(server.url, JSON.stringify({ jsonrpc: '2.0', id: 'x', method: 'tools/list' }), auth);
    expect(list).toMatchObject({ status: 200, json: { jsonrpc: '2.0', id: 'x', result: { tools: expect.any(Array) } } });

    // Whatever the body, never a 5xx: a 4xx says so as a JSON-RPC error, else it is an answer.
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map((params) => JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params })),
      fc.record({ method: fc.constantFrom('tools/call', 'tools/list', 'resources/read', 'initialize', 'ping', 'nope'), params: fc.jsonValue() }).map((m) => JSON.stringify({ jsonrpc: '2.0', id: 8, ...m })),
    );
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const res = await post(server.url, text, auth);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(res.json).toEqual(rpcError(expect.any(Number)));
        else if (res.status === 200) expect(res.json).toMatchObject({ jsonrpc: '2.0' });
        else expect(res.status).toBe(202);
      }),
      { numRuns: 60 },
    );
  });

  it('counts each MCP request against the key’s rate limit, as every door does', async ({ serve }) => {
    // RATE_LIMIT_PER_SECOND=1 with a burst of 20: 20 requests per 20-second window from the key's
    // first request (auth/rate-limit.ts), far longer than these take: no timing here.
    const limited = await serve({ ...AUTH_ENV, RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '20' });
    const key = await createKey(limited.url, 'acme', ['READ', 'WRITE']);
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await post(limited.url, JSON.stringify({ jsonrpc: '2.0', id: i, method: 'tools/list' }), { authorization: `Bearer ${key}` })).status);
    expect(statuses).toEqual([...Array(20).fill(200), 429, 429]);
    const refused = await post(limited.url, INITIALIZE, { authorization: `Bearer ${key}` });
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({ detail: expect.stringMatching(/Too many requests/) });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
