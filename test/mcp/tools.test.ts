import fc from 'fast-check';
import { pino } from 'pino';
import { describe, expect, it as plainIt } from 'vitest';
import { z } from 'zod';
import type { Principal } from '../../src/auth/principal.js';
import { loadConfig } from '../../src/config.js';
import { API_KEY_SCOPES, type ApiKeyScope } from '../../src/domain/records.js';
import { runTool, type ToolContext, type ToolResult } from '../../src/mcp/tool.js';
import { mcpResources, mcpTools } from '../../src/mcp/tools.js';
import type { Storage } from '../../src/storage/storage.js';
import { describeOnDatabases } from '../support/store-fixture.js';

/*
 * The MCP door's tools, called as the door calls them (`runTool`: the caller's scope, the arguments
 * parsed with the tool's schema, one service operation, errors as `isError` results), on a real
 * SQLite file and a PostgreSQL schema.
 */

const logger = pino({ level: 'silent' });
const config = loadConfig({ LOG_LEVEL: 'silent', MAX_PAGE_SIZE: '50' });
const principal = (scopes: ApiKeyScope[]): Principal => ({ keyId: 'key_test', tenant: 'default', scopes: new Set(scopes), operator: false });

/** Calls tools by name, as one caller. */
function caller(storage: Storage, scopes: ApiKeyScope[] = [...API_KEY_SCOPES]) {
  const context: ToolContext = { principal: principal(scopes), storage, config };
  const call = async (name: string, args: unknown = {}): Promise<ToolResult> => {
    const tool = mcpTools.find((t) => t.name === name);
    if (!tool) throw new Error(`no tool ${name}`);
    return runTool(tool, context, args, logger);
  };
  /** The structured answer of a call that must succeed. */
  const ok = async (name: string, args: unknown = {}) => {
    const result = await call(name, args);
    expect(result.isError, result.content[0]?.text).toBeUndefined();
    return result.structuredContent as Record<string, any>;
  };
  return { context, call, ok };
}

const REFERENCE_MEMORY_TOOLS = {
  create_entities: ['entities'],
  create_relations: ['relations'],
  add_observations: ['observations'],
  delete_entities: ['entityNames'],
  delete_observations: ['deletions'],
  delete_relations: ['relations'],
  read_graph: [],
  search_nodes: ['query'],
  open_nodes: ['names'],
};

describe('MCP tool descriptions', () => {
  plainIt('every tool has a unique name, a title, a description, and arguments that are a JSON Schema', () => {
    expect(new Set(mcpTools.map((t) => t.name)).size).toBe(mcpTools.length);
    for (const tool of mcpTools) {
      expect(tool.name).toMatch(/^[a-z_]+$/);
      expect(tool.title.length).toBeGreaterThan(0);
      expect(tool.description.length).toBeGreaterThan(10);
      // What the SDK lists for the tool: z.toJSONSchema refuses what JSON Schema cannot say (custom types).
      const schema = z.toJSONSchema(z.object(tool.inputSchema), { io: 'input' });
      expect(schema.type, tool.name).toBe('object');
      if (tool.outputSchema) z.toJSONSchema(z.object(tool.outputSchema), { io: 'output' });
      expect(tool.scope).toBe(tool.annotations.readOnlyHint ? 'read' : 'write');
    }
  });

  plainIt('has the memory tools of @modelcontextprotocol/server-memory, with their argument names', () => {
    for (const [name, args] of Object.entries(REFERENCE_MEMORY_TOOLS)) {
      const tool = mcpTools.find((t) => t.name === name);
      expect(tool, name).toBeDefined();
      expect(Object.keys(tool!.inputSchema)).toEqual(args);
    }
  });

  plainIt('has tools for sessions, history and state', () => {
    expect(mcpTools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['list_sessions', 'create_session', 'get_session', 'append_messages', 'read_history', 'search', 'get_state', 'set_state', 'merge_patch_state']),
    );
    expect(mcpResources.map((r) => r.uriTemplate)).toEqual(['session://{id}']);
  });
});

describeOnDatabases('MCP tools', (test) => {
  const it = test;

  it('sessions, history and state: each tool does its operation and answers JSON text and structured content', async ({ storage }) => {
    const { call, ok } = caller(storage);
    const { session } = await ok('create_session', { agentName: 'planner', userId: 'u1', metadata: { topic: 'trip' } });
    expect(session).toMatchObject({ agentName: 'planner', userId: 'u1', metadata: { topic: 'trip' }, status: 'active' });
    const created = await call('get_session', { sessionId: session.id });
    expect(JSON.parse(created.content[0]!.text)).toEqual({ session });
    expect((await ok('list_sessions', { agentName: 'planner' })).sessions).toEqual([session]);
    expect((await ok('list_sessions', { agentName: 'other' })).sessions).toEqual([]);
    // By creation time, half-open: since ≤ createdAt < until.
    expect((await ok('list_sessions', { since: session.createdAt })).sessions).toEqual([session]);
    expect((await ok('list_sessions', { until: session.createdAt })).sessions).toEqual([]);
    expect(await call('list_sessions', { since: 'yesterday' })).toEqual({
      content: [{ type: 'text', text: 'since: must be an ISO 8601 date-time, e.g. 2025-01-31T12:00:00Z' }],
      isError: true,
    });
    expect((await call('list_sessions', { since: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' })).content[0]!.text).toBe('until: must not be before since');

    const { messages } = await ok('append_messages', {
      sessionId: session.id,
      messages: [
        { role: 'user', content: 'Plan a trip' },
        { role: 'assistant', content: 'Where to?', metadata: { model: 'm' } },
      ],
    });
    expect(messages.map((m: { seq: number; content: string }) => [m.seq, m.content])).toEqual([
      [1, 'Plan a trip'],
      [2, 'Where to?'],
    ]);
    expect((await ok('read_history', { sessionId: session.id })).messages).toEqual(messages);
    expect((await ok('read_history', { sessionId: session.id, afterSeq: 1, limit: 5 })).messages).toEqual([messages[1]]);

    expect((await ok('set_state', { sessionId: session.id, data: { step: 1, dest: null } })).state).toMatchObject({ data: { step: 1, dest: null }, version: 1 });
    expect((await ok('merge_patch_state', { sessionId: session.id, patch: { step: 2, dest: 'Oslo' } })).state).toMatchObject({ data: { step: 2, dest: 'Oslo' }, version: 2 });
    expect((await ok('get_state', { sessionId: session.id })).state).toMatchObject({ data: { step: 2, dest: 'Oslo' }, version: 2 });
    const versions = (await ok('get_state_history', { sessionId: session.id })).versions as { version: number; data: unknown }[];
    expect(versions.map((v) => [v.version, v.data])).toEqual([
      [2, { step: 2, dest: 'Oslo' }],
      [1, { step: 1, dest: null }],
    ]);
    expect((await ok('get_state_history', { sessionId: session.id, beforeVersion: 2, limit: 1 })).versions).toMatchObject([{ version: 1 }]);
    const conflict = await call('set_state', { sessionId: session.id, data: 'x', expectedVersion: 1 });
    expect(conflict).toEqual({ content: [{ type: 'text', text: 'State version mismatch: expected version 1, but the state is at version 2' }], isError: true });
  });

  it('search finds messages across sessions, pages with its cursor, and refuses a bad query clearly', async ({ storage }) => {
    const { call, ok } = caller(storage);
    const a = (await ok('create_session', { agentName: 'support', userId: 'u1' })).session;
    const b = (await ok('create_session', { agentName: 'sales', userId: 'u2' })).session;
    await ok('append_messages', { sessionId: a.id, messages: [{ role: 'user', content: 'I want a refund' }, { role: 'assistant', content: 'Refund policy: 30 days' }] });
    await ok('append_messages', { sessionId: b.id, messages: [{ role: 'user', content: 'refund please', metadata: { lang: 'en' } }, { role: 'user', content: 'unrelated' }] });

    const all = await ok('search', { query: 'refund' });
    expect(all.totalCount).toBe(3);
    expect(all.totalCountIsEstimate).toBe(false);
    expect(all.hits.map((h: { message: { content: string } }) => h.message.content).sort()).toEqual(['I want a refund', 'Refund policy: 30 days', 'refund please']);
    expect(all.hits[0]).toMatchObject({ sessionId: expect.any(String), score: expect.any(Number), snippet: expect.any(String) });
    expect((await ok('search', { query: 'refund', agentName: 'sales' })).hits.map((h: { sessionId: string }) => h.sessionId)).toEqual([b.id]);
    expect((await ok('search', { query: 'refund', metadata: { lang: 'en' } })).hits).toHaveLength(1);
    expect((await ok('search', { query: 'refund', roles: ['assistant'] })).hits).toHaveLength(1);

    const first = await ok('search', { query: 'refund', limit: 2 });
    expect(first.hits).toHaveLength(2);
    const second = await ok('search', { query: 'refund', limit: 2, cursor: first.nextCursor });
    expect(second.nextCursor).toBeNull();
    expect([...first.hits, ...second.hits].map((h: { message: { id: string } }) => h.message.id).sort()).toEqual(all.hits.map((h: { message: { id: string } }) => h.message.id).sort());

    // Sessions by their metadata, artifacts by name, type and metadata.
    await storage.sessions.update(a.id, { metadata: { topic: 'refunds desk' } });
    await storage.artifacts.create({ sessionId: b.id, name: 'refund-form.pdf', type: 'document', path: '/f.pdf', size: 1, metadata: {} });
    const sessions = await ok('search', { query: 'refunds', kind: 'sessions' });
    expect(sessions).toMatchObject({ totalCount: 1, hits: [{ session: { id: a.id }, snippet: 'refunds desk' }] });
    expect((await ok('search', { query: 'form', kind: 'artifacts' })).hits.map((h: { artifact: { name: string } }) => h.artifact.name)).toEqual(['refund-form.pdf']);
    expect((await call('search', { query: 'x', kind: 'sessions', roles: ['user'] })).isError).toBe(true);

    const bad = await call('search', { query: 'refund', since: 'yesterday' });
    expect(bad).toEqual({ content: [{ type: 'text', text: 'since: must be an ISO 8601 date-time, e.g. 2025-01-31T12:00:00Z' }], isError: true });
    expect((await call('search', { query: 'x', limit: 1000 })).content[0]!.text).toBe('limit: must be at most 100');
  });

  it('read_history with maxTokens answers the newest messages that fit', async ({ storage }) => {
    const { call, ok } = caller(storage);
    const { session } = await ok('create_session', { agentName: 'a' });
    const { messages } = await ok('append_messages', {
      sessionId: session.id,
      messages: [
        { role: 'user', content: 'one', tokenCount: 5 },
        { role: 'assistant', content: 'two', tokenCount: 5 },
        { role: 'user', content: 'three', tokenCount: 4 },
      ],
    });
    expect((await ok('read_history', { sessionId: session.id, maxTokens: 9 })).messages).toEqual(messages.slice(1));
    expect((await ok('read_history', { sessionId: session.id, maxTokens: 3 })).messages).toEqual([]);
    expect((await ok('read_history', { sessionId: session.id, maxTokens: 100 })).messages).toEqual(messages);
    expect((await call('read_history', { sessionId: session.id, maxTokens: 9, limit: 1 })).content[0]!.text).toBe('maxTokens: give either maxTokens or limit/afterSeq, not both');
    expect((await call('read_history', { sessionId: 'session_nope', maxTokens: 9 })).content[0]!.text).toBe('Session not found');
  });

  it('the memory tools answer as the reference server does', async ({ storage }) => {
    const { call, ok } = caller(storage);
    const created = await call('create_entities', { entities: [{ name: 'Alice', entityType: 'person', observations: ['likes tea'] }] });
    expect(created.structuredContent).toEqual({ entities: [{ name: 'Alice', entityType: 'person', observations: ['likes tea'] }] });
    expect(JSON.parse(created.content[0]!.text)).toEqual([{ name: 'Alice', entityType: 'person', observations: ['likes tea'] }]);
    expect(await ok('create_entities', { entities: [{ name: 'Alice', entityType: 'robot', observations: [] }, { name: 'Bob', entityType: 'person', observations: [] }] })).toEqual({
      entities: [{ name: 'Bob', entityType: 'person', observations: [] }],
    });
    expect(await ok('create_relations', { relations: [{ from: 'Alice', to: 'Bob', relationType: 'knows' }] })).toEqual({
      relations: [{ from: 'Alice', to: 'Bob', relationType: 'knows' }],
    });
    expect(await ok('add_observations', { observations: [{ entityName: 'Bob', contents: ['plays chess', 'plays chess'] }] })).toEqual({
      results: [{ entityName: 'Bob', addedObservations: ['plays chess'] }],
    });
    const graph = {
      entities: [
        { name: 'Alice', entityType: 'person', observations: ['likes tea'] },
        { name: 'Bob', entityType: 'person', observations: ['plays chess'] },
      ],
      relations: [{ from: 'Alice', to: 'Bob', relationType: 'knows' }],
    };
    const read = await call('read_graph');
    expect(read.structuredContent).toEqual(graph);
    expect(JSON.parse(read.content[0]!.text)).toEqual(graph);
    expect(await ok('search_nodes', { query: 'CHESS' })).toEqual({ entities: [graph.entities[1]], relations: graph.relations });
    expect(await ok('open_nodes', { names: ['Alice'] })).toEqual({ entities: [graph.entities[0]], relations: graph.relations });

    const missing = await call('add_observations', { observations: [{ entityName: 'Carol', contents: ['x'] }] });
    expect(missing).toEqual({ content: [{ type: 'text', text: 'Entity with name Carol not found' }], isError: true });

    expect(await call('delete_observations', { deletions: [{ entityName: 'Bob', observations: ['plays chess'] }] })).toEqual({
      content: [{ type: 'text', text: 'Observations deleted successfully' }],
      structuredContent: { success: true, message: 'Observations deleted successfully' },
    });
    expect(await ok('delete_relations', { relations: [{ from: 'Alice', to: 'Bob', relationType: 'knows' }] })).toEqual({ success: true, message: 'Relations deleted successfully' });
    expect(await ok('delete_entities', { entityNames: ['Alice', 'Nobody'] })).toEqual({ success: true, message: 'Entities deleted successfully' });
    expect(await ok('read_graph')).toEqual({ entities: [{ name: 'Bob', entityType: 'person', observations: [] }], relations: [] });
  });

  it('a read-only key gets an error from every writing tool, and nothing is written', async ({ storage }) => {
    const writer = caller(storage);
    const reader = caller(storage, ['read']);
    const { session } = await writer.ok('create_session', { agentName: 'a' });
    await writer.ok('create_entities', { entities: [{ name: 'E', entityType: 't', observations: [] }] });
    const before = { graph: await writer.ok('read_graph'), sessions: await writer.ok('list_sessions'), history: await writer.ok('read_history', { sessionId: session.id }) };

    const writes: Record<string, unknown> = {
      create_session: { agentName: 'b' },
      append_messages: { sessionId: session.id, messages: [{ role: 'user', content: 'hi' }] },
      set_state: { sessionId: session.id, data: 1 },
      merge_patch_state: { sessionId: session.id, patch: { a: 1 } },
      create_entities: { entities: [{ name: 'F', entityType: 't', observations: [] }] },
      create_relations: { relations: [{ from: 'E', to: 'F', relationType: 'r' }] },
      add_observations: { observations: [{ entityName: 'E', contents: ['o'] }] },
      delete_entities: { entityNames: ['E'] },
      delete_observations: { deletions: [{ entityName: 'E', observations: ['o'] }] },
      delete_relations: { relations: [{ from: 'E', to: 'F', relationType: 'r' }] },
    };
    const writing = mcpTools.filter((t) => t.scope === 'write').map((t) => t.name);
    expect(Object.keys(writes).sort()).toEqual([...writing].sort());
    for (const [name, args] of Object.entries(writes)) {
      expect(await reader.call(name, args), name).toEqual({ content: [{ type: 'text', text: 'This API key lacks the "write" scope' }], isError: true });
    }
    expect({ graph: await reader.ok('read_graph'), sessions: await reader.ok('list_sessions'), history: await reader.ok('read_history', { sessionId: session.id }) }).toEqual(before);
    await expect(storage.state.get(session.id)).rejects.toThrow('State not found');

    // And a write-only key reads nothing.
    const writeOnly = caller(storage, ['write']);
    for (const tool of mcpTools.filter((t) => t.scope === 'read')) {
      expect((await writeOnly.call(tool.name, {})).content[0]!.text).toBe('This API key lacks the "read" scope');
    }
  });

  it('bad arguments and unknown records are tool errors with a clear message', async ({ storage }) => {
    const { call } = caller(storage);
    const bad = await call('create_entities', { entities: [{ name: '', entityType: 't' }] });
    expect(bad.isError).toBe(true);
    expect(bad.content[0]!.text).toContain('entities.0.name: must not be empty');
    expect(bad.content[0]!.text).toContain('entities.0.observations');
    expect((await call('search_nodes', { query: 'a\u0000' })).content[0]!.text).toBe('query: must not contain NUL characters');
    expect((await call('set_state', { sessionId: 's', data: undefined })).isError).toBe(true);
    expect((await call('create_session', { agentName: 'a', metadata: [1] })).content[0]!.text).toBe('metadata: must be a JSON object');
    expect((await call('read_history', { sessionId: 'session_nope' })).content[0]!.text).toBe('Session not found');
    expect((await call('get_state', { sessionId: 'session_nope' })).content[0]!.text).toBe('State not found');
    expect((await call('list_sessions', { limit: 51 })).content[0]!.text).toBe('limit: must be at most 50');
    expect((await call('append_messages', { sessionId: 'session_nope', messages: [{ role: 'user', content: 'x' }] })).content[0]!.text).toBe('Session not found');
  });

  it('8 concurrent callers adding observations lose none', async ({ storage }) => {
    await caller(storage).ok('create_entities', { entities: [{ name: 'shared', entityType: 'log', observations: [] }] });
    const perCaller = 20;
    await Promise.all(
      Array.from({ length: 8 }, async (_, c) => {
        const { ok } = caller(storage);
        for (let i = 0; i < perCaller; i++) await ok('add_observations', { observations: [{ entityName: 'shared', contents: [`c${c}-${i}`] }] });
      }),
    );
    const { entities } = await caller(storage).ok('open_nodes', { names: ['shared'] });
    expect(new Set(entities[0].observations)).toEqual(new Set(Array.from({ length: 8 * perCaller }, (_, k) => `c${Math.floor(k / perCaller)}-${k % perCaller}`)));
  });

  it('session://{id} reads a session with its latest messages; the list names the sessions', async ({ storage }) => {
    const { ok, context } = caller(storage);
    const { session } = await ok('create_session', { agentName: 'a' });
    const { messages } = await ok('append_messages', { sessionId: session.id, messages: Array.from({ length: 60 }, (_, i) => ({ role: 'user', content: `m${i}` })) });
    const [resource] = mcpResources;
    const read = await resource!.read(context, { id: session.id });
    expect(read.uri).toBe(`session://${session.id}`);
    expect(read.mimeType).toBe('application/json');
    // The latest MAX_PAGE_SIZE (50) of 60, oldest first.
    expect(JSON.parse(read.text)).toEqual({ session, messageCount: 60, messages: messages.slice(10) });
    expect(await resource!.list(context)).toEqual([{ uri: `session://${session.id}`, name: session.id, title: `a session ${session.id}`, mimeType: 'application/json' }]);
    await expect(resource!.read(context, { id: 'session_nope' })).rejects.toThrow('Session not found');
  });

  it('an unexpected failure is an error without details', async ({ storage }) => {
    const { context } = caller(storage);
    const broken = { ...mcpTools.find((t) => t.name === 'read_graph')!, run: async () => { throw new Error('SELECT secret FROM somewhere'); } };
    expect(await runTool(broken, context, {}, logger)).toEqual({ content: [{ type: 'text', text: 'Internal error' }], isError: true });
  });

  it('any arguments to any tool are answered, as a result or a clear error, never as an internal one', async ({ storage }) => {
    const { call, ok } = caller(storage);
    const { session } = await ok('create_session', { agentName: 'fuzz' });
    await ok('create_entities', { entities: [{ name: 'E', entityType: 't', observations: ['o'] }] });
    const text = fc.oneof(
      fc.constantFrom('', 'E', session.id, 'session_nope', '\u0000', 'a\ud800', '%', '_', '\\', 'user', 'x'.repeat(300)),
      fc.string({ unit: 'binary', maxLength: 8 }),
    );
    const scalar = fc.oneof(text, fc.integer({ min: -2, max: 3 }), fc.double(), fc.boolean(), fc.constant(null));
    const graphish = fc.record(
      { name: text, entityType: text, observations: fc.array(text, { maxLength: 2 }), from: text, to: text, relationType: text, entityName: text, contents: fc.array(text, { maxLength: 2 }), role: text, content: text },
      { requiredKeys: [] },
    );
    const value = fc.oneof(scalar, fc.array(fc.oneof(graphish, scalar), { maxLength: 3 }), graphish, fc.jsonValue({ maxDepth: 2 }));
    // A tool, and arguments named as its own (or as another tool's), of any of those values.
    const call$ = fc.constantFrom(...mcpTools).chain((t) => {
      const keys = [...Object.keys(t.inputSchema), 'sessionId', 'entities', 'extra'];
      return fc.tuple(fc.constant(t), fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 4 }));
    });
    await fc.assert(
      fc.asyncProperty(call$, async ([t, args]) => {
        const result = await call(t.name, args);
        expect(result.content[0]!.text).not.toBe('Internal error');
        if (result.isError) expect(result.content[0]!.text.length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });
});
