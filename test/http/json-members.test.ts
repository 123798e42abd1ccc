import type { GraphQLClient } from '../graphql/client.js';
import { describe, expect, it } from '../support/server-fixture.js';

/**
 * Stored JSON keeps members named like JavaScript's own properties. `"__proto__"` is the one that
 * bites: code that copies members with `out[key] = value` onto a plain object sets the copy's
 * prototype instead and the member is silently gone. Every door, every kind of stored JSON, both
 * backends (this suite runs on SQLite and on PostgreSQL + Redis).
 */

/** The members that look like JavaScript's, at the top and nested, as JSON text (member order kept). */
const TRICKY = '{"__proto__":{"polluted":true},"constructor":{"prototype":1},"toString":"x","n":{"__proto__":[1,{"__proto__":null}]}}';
const tricky = () => JSON.parse(TRICKY) as Record<string, unknown>;

/** Serialised again, so that member order and a `__proto__` member both count. */
const text = (value: unknown) => JSON.stringify(value);

describe('members named __proto__, constructor, toString round-trip through REST', () => {
  it('session metadata: create, read, list, update', async ({ api }) => {
    const created = await api.post('/storage/sessions', `{"agent_name":"proto-rest","metadata":${TRICKY}}`);
    expect(created.status).toBe(200);
    expect(text(created.body.metadata)).toBe(TRICKY);
    const id = created.body.id as string;
    expect(text((await api.get(`/storage/sessions/${id}`)).body.metadata)).toBe(TRICKY);
    const listed = await api.get('/storage/sessions?agent_name=proto-rest');
    expect(listed.body.map((s: { metadata: unknown }) => text(s.metadata))).toEqual([TRICKY]);
    const updated = await api.put(`/storage/sessions/${id}`, `{"metadata":{"__proto__":2}}`);
    expect(text(updated.body.metadata)).toBe('{"__proto__":2}');
    expect(text((await api.get(`/storage/sessions/${id}`)).body.metadata)).toBe('{"__proto__":2}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('message metadata, artifact metadata, metric labels, cache values', async ({ api }) => {
    const sessionId = (await api.post('/storage/sessions', { agent_name: 'proto-rest' })).body.id as string;
    const message = await api.post('/storage/history', `{"session_id":"${sessionId}","role":"user","content":"hi","metadata":${TRICKY}}`);
    expect(message.status).toBe(200);
    expect(text(message.body.metadata)).toBe(TRICKY);
    const history = await api.get(`/storage/history?session_id=${sessionId}`);
    expect(history.body.map((m: { metadata: unknown }) => text(m.metadata))).toEqual([TRICKY]);

    const artifact = await api.post('/storage/artifacts', `{"session_id":"${sessionId}","name":"a","type":"t","path":"/p","size":1,"metadata":${TRICKY}}`);
    expect(artifact.status).toBe(200);
    expect(text((await api.get(`/storage/artifacts/${artifact.body.id}`)).body.metadata)).toBe(TRICKY);
    expect(text((await api.get(`/storage/artifacts?session_id=${sessionId}`)).body[0].metadata)).toBe(TRICKY);

    const labels = '{"__proto__":"p","constructor":"c"}';
    const metric = await api.post('/storage/metrics', `{"entity_type":"agent","entity_name":"proto-rest","metric_name":"m","value":1,"labels":${labels}}`);
    expect(metric.status).toBe(200);
    expect(text(metric.body.labels)).toBe(labels);
    expect((await api.get('/storage/metrics?entity_name=proto-rest')).body.map((m: { labels: unknown }) => text(m.labels))).toEqual([labels]);

    expect((await api.put('/storage/cache/proto-rest', `{"value":${TRICKY}}`)).status).toBe(200);
    expect(text((await api.get('/storage/cache/proto-rest')).body.value)).toBe(TRICKY);
  });

  it('state: put, read, and merge patches that add and remove a __proto__ member', async ({ api }) => {
    const sessionId = (await api.post('/storage/sessions', { agent_name: 'proto-rest' })).body.id as string;
    expect((await api.put(`/storage/state/${sessionId}`, `{"data":${TRICKY}}`)).status).toBe(200);
    expect(text((await api.get(`/storage/state/${sessionId}`)).body.data)).toBe(TRICKY);

    const patch = (body: string) => api.call('PATCH', `/storage/state/${sessionId}`, body, { 'content-type': 'application/merge-patch+json' });
    const removed = await patch('{"__proto__":null,"n":{"__proto__":{"x":1}}}');
    expect(removed.status).toBe(200);
    expect(text(removed.body.data)).toBe('{"constructor":{"prototype":1},"toString":"x","n":{"__proto__":{"x":1}}}');
    const added = await patch('{"__proto__":{"back":true}}');
    expect(text(added.body.data)).toBe('{"constructor":{"prototype":1},"toString":"x","n":{"__proto__":{"x":1}},"__proto__":{"back":true}}');
    expect(text((await api.get(`/storage/state/${sessionId}`)).body.data)).toBe(text(added.body.data));
  });

  it('the fork of a session keeps its metadata', async ({ api }) => {
    const parent = (await api.post('/storage/sessions', `{"agent_name":"proto-rest","metadata":${TRICKY}}`)).body.id as string;
    const message = (await api.post('/storage/history', `{"session_id":"${parent}","role":"user","content":"hi","metadata":${TRICKY}}`)).body.id as string;
    const fork = await api.post(`/storage/sessions/${parent}/fork`, { up_to_message_id: message });
    expect(fork.status).toBe(200);
    expect(text(fork.body.metadata)).toBe(TRICKY);
    expect(text((await api.get(`/storage/history?session_id=${fork.body.id}`)).body[0].metadata)).toBe(TRICKY);
  });
});

describe('members named __proto__, constructor, toString round-trip through GraphQL', () => {
  /** Runs a document that must succeed; its data as the server wrote it (JSON.parse keeps `__proto__` a member). */
  async function data(gql: GraphQLClient, query: string, variables?: Record<string, unknown>): Promise<any> {
    const result = await gql.raw(query, variables);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data;
  }

  it('in variables: session and message metadata, state, patches, artifacts, labels, cache', async ({ gql }) => {
    const session = await data(gql,
      'mutation($m: JSONObject) { createSession(input: { agentName: "proto-gql", metadata: $m }) { id metadata } }',
      { m: tricky() },
    );
    expect(text(session.createSession.metadata)).toBe(TRICKY);
    const sessionId = session.createSession.id as string;

    const message = await data(gql,
      'mutation($s: ID!, $m: JSONObject) { addMessage(input: { sessionId: $s, role: USER, content: "hi", metadata: $m }) { metadata } }',
      { s: sessionId, m: tricky() },
    );
    expect(text(message.addMessage.metadata)).toBe(TRICKY);

    const state = await data(gql, 'mutation($s: ID!, $d: JSON!) { setState(sessionId: $s, data: $d) { data } }', { s: sessionId, d: tricky() });
    expect(text(state.setState.data)).toBe(TRICKY);
    const patched = await data(gql, 'mutation($s: ID!, $p: JSON!) { patchState(sessionId: $s, patch: $p) { data } }', {
      s: sessionId,
      p: JSON.parse('{"__proto__":null,"toString":null,"n":null,"p":{"__proto__":3}}'),
    });
    expect(text(patched.patchState.data)).toBe('{"constructor":{"prototype":1},"p":{"__proto__":3}}');

    await data(gql,
      'mutation($s: ID!, $m: JSONObject) { createArtifact(input: { sessionId: $s, name: "a", type: "t", path: "/p", size: 1, metadata: $m }) { id } }',
      { s: sessionId, m: tricky() },
    );
    await data(gql,
      'mutation($l: JSONObject) { recordMetric(input: { entityType: "agent", entityName: "proto-gql", metricName: "m", value: 1, labels: $l }) { id } }',
      { l: tricky() },
    );
    await data(gql, 'mutation($v: JSON!) { setCacheEntry(key: "proto-gql", value: $v) { key } }', { v: tricky() });

    const read = await data(gql,
      `query($id: ID!) { session(id: $id) { metadata state { data } history { nodes { metadata } } artifacts { nodes { metadata } } }
         metrics(entityName: "proto-gql") { nodes { labels } } cacheEntry(key: "proto-gql") { value } }`,
      { id: sessionId },
    );
    expect(text(read.session.metadata)).toBe(TRICKY);
    expect(text(read.session.state.data)).toBe('{"constructor":{"prototype":1},"p":{"__proto__":3}}');
    expect(text(read.session.history.nodes[0].metadata)).toBe(TRICKY);
    expect(text(read.session.artifacts.nodes[0].metadata)).toBe(TRICKY);
    expect(text(read.metrics.nodes[0].labels)).toBe(TRICKY);
    expect(text(read.cacheEntry.value)).toBe(TRICKY);
  });

  it('in literals written in the document', async ({ gql }) => {
    const created = await data(gql, 'mutation { createSession(input: { agentName: "proto-gql", metadata: { __proto__: { polluted: true }, a: 1 } }) { id metadata } }');
    expect(text(created.createSession.metadata)).toBe('{"__proto__":{"polluted":true},"a":1}');
    const id = created.createSession.id as string;
    const state = await data(gql, `mutation { setState(sessionId: "${id}", data: { __proto__: [1], constructor: 2 }) { data } }`);
    expect(text(state.setState.data)).toBe('{"__proto__":[1],"constructor":2}');
    const read = await data(gql, `{ session(id: "${id}") { metadata state { data } } }`);
    expect(text(read.session.metadata)).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(text(read.session.state.data)).toBe('{"__proto__":[1],"constructor":2}');
    // Nested, where a value that is no object would not even make a prototype: it would just vanish.
    const nested = await data(gql, `mutation { setState(sessionId: "${id}", data: { n: { __proto__: 1, a: [{ __proto__: "s" }] } }) { data } }`);
    expect(text(nested.setState.data)).toBe('{"n":{"__proto__":1,"a":[{"__proto__":"s"}]}}');
  });
});
