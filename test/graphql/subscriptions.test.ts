import { createClient, type ExecutionResult } from 'graphql-sse';
import { describe, expect, it } from '../support/server-fixture.js';
import { client } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openSse } from '../support/sse.js';

/**
 * GraphQL subscriptions of the change feed over SSE, with the `graphql-sse` client in distinct
 * connections mode (what Yoga serves without a plugin), against a real server.
 */
const FAR_FUTURE = '2999-01-01T00:00:00.000Z';

const SESSION_EVENTS = /* GraphQL */ `
  subscription SessionEvents($sessionId: ID!, $after: String) {
    sessionEvents(sessionId: $sessionId, after: $after) {
      __typename cursor seq time sessionId agentName
      ... on MessageAdded { message { id seq content } }
      ... on StateChanged { state { data version } }
      ... on StateDeleted { sessionId }
      ... on ArtifactCreated { artifact { id name } }
      ... on ArtifactDeleted { artifact { id } }
      ... on MetricRecorded { metric { value } }
      ... on HistoryCleared { deleted }
      ... on SessionUpdated { session { status } }
      ... on SessionDeleted { session { id } }
    }
  }
`;

const AGENT_EVENTS = /* GraphQL */ `
  subscription AgentEvents($agentName: String!, $after: String) {
    agentEvents(agentName: $agentName, after: $after) { __typename cursor seq sessionId ... on MessageAdded { message { content } } }
  }
`;

type Event = { __typename: string; cursor: string; seq: number; sessionId: string; [field: string]: any };
type Result = ExecutionResult<{ sessionEvents?: Event; agentEvents?: Event }, unknown>;

/** Takes `n` results of an iterator (fails rather than hangs). */
async function take(iterator: AsyncIterator<Result>, n: number): Promise<Result[]> {
  const out: Result[] = [];
  const timer = setTimeout(() => void iterator.return?.(), 20_000);
  try {
    while (out.length < n) {
      const { value, done } = await iterator.next();
      if (done) throw new Error(`subscription ended after ${out.length} of ${n}`);
      out.push(value);
    }
  } finally {
    clearTimeout(timer);
  }
  return out;
}

describe('GraphQL subscriptions (SSE)', () => {
  // The test's server, started through the `serve` fixture (closed when the test ends); the helpers below read it.
  let ts: TestServer | undefined;

  const sse = () => createClient({ url: `${ts!.url}/graphql`, retryAttempts: 0 });
  /** A subscription, and when it is live: the response arrives once the server has positioned the stream. */
  function subscribe(variables: Record<string, unknown>, query = SESSION_EVENTS) {
    let connected!: () => void;
    const ready = new Promise<void>((resolve) => (connected = resolve));
    const iterator = sse().iterate<{ sessionEvents?: Event; agentEvents?: Event }>({ query, variables }, { connected: () => connected() });
    return { iterator, ready };
  }
  const events = (results: Result[]) => results.map((r) => (r.data?.sessionEvents ?? r.data?.agentEvents)!);

  it('sessionEvents streams typed events with cursors; `after` replays what was missed, then continues live', async ({ serve }) => {
    ts = await serve();
    const api = client(ts.url);
    const id = (await api.post('/storage/sessions', { agent_name: 'scribe' })).body.id as string;
    const { iterator: sub, ready } = subscribe({ sessionId: id });
    const firstResult = take(sub, 8);
    // Live from the moment the server answered: writes before that are not in it.
    await ready;
    await api.post('/storage/history', { session_id: id, role: 'user', content: 'hello' });
    await api.put(`/storage/state/${id}`, { data: { step: 1 } });
    const artifact = (await api.post('/storage/artifacts', { session_id: id, name: 'a', type: 'file', path: '/a', size: 3 })).body;
    await api.post('/storage/metrics', { entity_type: 'agent', entity_name: 'scribe', metric_name: 'm', value: 2.5, session_id: id });
    await api.del(`/storage/artifacts/${artifact.id}`);
    await api.del(`/storage/state/${id}`);
    await api.call('DELETE', `/storage/history?session_id=${id}`);
    await api.put(`/storage/sessions/${id}`, { status: 'ended' });
    const received = events(await firstResult);
    await sub.return?.();
    expect(received.map((e) => e.__typename)).toEqual([
      'MessageAdded',
      'StateChanged',
      'ArtifactCreated',
      'MetricRecorded',
      'ArtifactDeleted',
      'StateDeleted',
      'HistoryCleared',
      'SessionUpdated',
    ]);
    for (const e of received) expect(e).toMatchObject({ sessionId: id, agentName: 'scribe' });
    expect(received[0]!.message.content).toBe('hello');
    expect(received[1]!.state).toEqual({ data: { step: 1 }, version: 1 });
    expect(received[2]!.artifact).toEqual({ id: artifact.id, name: 'a' });
    expect(received[3]!.metric).toEqual({ value: 2.5 });
    expect(received[6]!.deleted).toBe(1);
    expect(received[7]!.session).toEqual({ status: 'ENDED' });

    // Resume after the second event: the six that followed, replayed, then a live one.
    const { iterator: resumed } = subscribe({ sessionId: id, after: received[1]!.cursor });
    const replay = events(await take(resumed, 6));
    expect(replay.map((e) => e.seq)).toEqual(received.slice(2).map((e) => e.seq));
    await api.post('/storage/history', { session_id: id, role: 'user', content: 'live' });
    const [live] = events(await take(resumed, 1));
    expect(live!.message.content).toBe('live');
    await resumed.return?.();
  });

  it('refuses with a code before streaming: NOT_FOUND, BAD_USER_INPUT, CURSOR_EXPIRED', async ({ serve }) => {
    ts = await serve();
    const api = client(ts.url);
    const first = async (variables: Record<string, unknown>, query = SESSION_EVENTS) => {
      const iterator = sse().iterate({ query, variables });
      const { value } = await iterator.next();
      await iterator.return?.();
      return value as Result;
    };
    expect((await first({ sessionId: 'session_nope' })).errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    const id = (await api.post('/storage/sessions', { agent_name: 'a' })).body.id as string;
    expect((await first({ sessionId: id, after: 'garbage' })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((await first({ agentName: '', after: null }, AGENT_EVENTS)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });

    const { iterator: sub, ready } = subscribe({ sessionId: id });
    const pending = take(sub, 1);
    await ready;
    await api.post('/storage/history', { session_id: id, role: 'user', content: 'x' });
    await api.post('/storage/history', { session_id: id, role: 'user', content: 'y' });
    const [e] = events(await pending);
    await sub.return?.();
    await ts.storage.events.prune(FAR_FUTURE);
    const expired = await first({ sessionId: id, after: e!.cursor });
    expect(expired.errors?.[0]?.extensions).toMatchObject({ code: 'CURSOR_EXPIRED' });
  });

  it('a busy session: a subscriber connected before and one reconnecting with `after` both see every event exactly once', async ({ serve }) => {
    ts = await serve();
    const api = client(ts.url);
    const id = (await api.post('/storage/sessions', { agent_name: 'busy' })).body.id as string;
    const early = subscribe({ sessionId: id });
    const late = subscribe({ sessionId: id });
    const agent = subscribe({ agentName: 'busy' }, AGENT_EVENTS);
    const N = 200;
    const earlyAll = take(early.iterator, N);
    const lateFirst = take(late.iterator, 30);
    const agentAll = take(agent.iterator, N);
    await Promise.all([early.ready, late.ready, agent.ready]);
    const writes = Promise.all(Array.from({ length: N }, (_, i) => api.post('/storage/history', { session_id: id, role: 'user', content: `m${i}` })));
    const firstPart = events(await lateFirst);
    await late.iterator.return?.();
    const { iterator: rest } = subscribe({ sessionId: id, after: firstPart.at(-1)!.cursor });
    const fromLate = [...firstPart, ...events(await take(rest, N - 30))];
    const fromEarly = events(await earlyAll);
    expect((await writes).every((r) => r.status === 200)).toBe(true);
    const seqs = fromEarly.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(N);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(fromLate.map((e) => e.seq)).toEqual(seqs);
    expect(events(await agentAll).map((e) => e.seq)).toEqual(seqs);
    await Promise.all([early.iterator.return?.(), rest.return?.(), agent.iterator.return?.()]);
  }, 60_000);

  it('keeps CSRF prevention and the document limits for subscriptions', async ({ serve }) => {
    ts = await serve();
    const id = (await client(ts.url).post('/storage/sessions', { agent_name: 'a' })).body.id as string;
    const query = encodeURIComponent(`subscription { sessionEvents(sessionId: "${id}") { seq } }`);
    // A GET a browser could send from another site without a preflight.
    const csrf = await fetch(`${ts.url}/graphql?query=${query}`, { headers: { accept: 'text/event-stream' } });
    expect(csrf.status).toBe(403);
    await csrf.body?.cancel();
    const deep = `subscription { sessionEvents(sessionId: "${id}") { ... on MessageAdded { message { session { history { edges { node { session { id } } } } } } } } }`;
    const refused = await fetch(`${ts.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: deep }),
    });
    const text = await refused.text();
    expect(text).toContain('MAX_DEPTH_EXCEEDED');
  });

  it('shutdown completes open subscriptions at once instead of waiting for SHUTDOWN_TIMEOUT_MS', async () => {
    const server = await startTestServer({ SHUTDOWN_TIMEOUT_MS: '120000' });
    const id = (await client(server.url).post('/storage/sessions', { agent_name: 'a' })).body.id as string;
    const body = JSON.stringify({ query: SESSION_EVENTS, variables: { sessionId: id } });
    const streams = await Promise.all(
      [1, 2].map(() => openSse(`${server.url}/graphql`, { 'content-type': 'application/json' }, { method: 'POST', body })),
    );
    // Would take two minutes (and fail the test's timeout) if the subscriptions kept the server open.
    await server.close();
    for (const stream of streams) {
      expect((await stream.next())?.event).toBe('complete');
      expect(await stream.next()).toBeNull();
    }
  });

  it('refuses a subscription over any other transport than SSE, and it holds no stream place', async ({ serve }) => {
    ts = await serve({ MAX_EVENT_STREAMS: '1' });
    const id = (await client(ts.url).post('/storage/sessions', { agent_name: 'a' })).body.id as string;
    const body = JSON.stringify({ query: SESSION_EVENTS, variables: { sessionId: id } });
    for (const accept of ['application/json', 'application/graphql-response+json', '*/*']) {
      const response = await fetch(`${ts.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body });
      const result = (await response.json()) as Result;
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(result.errors?.[0]?.message).toMatch(/text\/event-stream/);
    }
    // The one place is still free.
    const stream = await openSse(`${ts.url}/storage/sessions/${id}/events`);
    expect(stream.status).toBe(200);
    stream.close();
  });

  it('takes the SSE Last-Event-ID header as the default `after`', async ({ serve }) => {
    ts = await serve();
    const api = client(ts.url);
    const id = (await api.post('/storage/sessions', { agent_name: 'a' })).body.id as string;
    const rest = await openSse(`${ts.url}/storage/sessions/${id}/events`);
    for (const content of ['a', 'b', 'c']) await api.post('/storage/history', { session_id: id, role: 'user', content });
    const [first] = await rest.take(1);
    rest.close();
    // The REST stream's ids and GraphQL cursors are the same cursors.
    const body = JSON.stringify({ query: SESSION_EVENTS, variables: { sessionId: id } });
    const stream = await openSse(`${ts.url}/graphql`, { 'content-type': 'application/json', 'last-event-id': first!.id! }, { method: 'POST', body });
    expect(stream.status).toBe(200);
    const [b, c] = await stream.take(2);
    expect([b, c].map((m) => JSON.parse(m!.data).data.sessionEvents.message.content)).toEqual(['b', 'c']);
    stream.close();
  });
});


/**
 * Subscriptions as a plain HTTP client sends them: a JSON POST with `Accept: text/event-stream`,
 * arguments written inline or through variables named anything. (The compiled executor once handed
 * the operation's variables to `subscribe` as if they were the field's arguments: only a variable
 * named exactly like its argument worked.)
 */
describe('GraphQL subscriptions over plain fetch: arguments however they are written', () => {
  // The test's server, started through the `serve` fixture (closed when the test ends).
  let ts: TestServer;

  async function open(query: string, variables?: Record<string, unknown>) {
    const body = JSON.stringify(variables ? { query, variables } : { query });
    return openSse(`${ts.url}/graphql`, { 'content-type': 'application/json' }, { method: 'POST', body });
  }

  /** The first `next` event of a stream, after a write that makes one. */
  async function firstEvent(stream: Awaited<ReturnType<typeof open>>, write: () => Promise<unknown>, field: string) {
    expect(stream.status).toBe(200);
    // The response arrives once the server has positioned the stream: writes from now on are in it.
    await write();
    const message = await stream.next();
    stream.close();
    expect(message?.event, message?.data).toBe('next');
    const payload = JSON.parse(message!.data);
    expect(payload.errors, message!.data).toBeUndefined();
    return payload.data[field];
  }

  /** The error a refused subscription streams instead of events: its extensions. */
  async function refusal(query: string) {
    const stream = await open(query);
    const message = await stream.next();
    stream.close();
    return JSON.parse(message!.data).errors?.[0]?.extensions;
  }

  it('sessionEvents with an inline literal, with a renamed variable, and with a default-valued variable', async ({ serve }) => {
    ts = await serve();
    const api = client(ts.url);
    const id = (await api.post('/storage/sessions', { agent_name: 'plain' })).body.id as string;
    const append = (content: string) => () => api.post('/storage/history', { session_id: id, role: 'user', content });
    const select = '{ __typename sessionId ... on MessageAdded { message { content } } }';

    const inline = await open(`subscription { sessionEvents(sessionId: "${id}") ${select} }`);
    expect(await firstEvent(inline, append('inline'), 'sessionEvents')).toEqual({ __typename: 'MessageAdded', sessionId: id, message: { content: 'inline' } });

    const renamed = await open(`subscription($id: ID!) { sessionEvents(sessionId: $id) ${select} }`, { id });
    expect(await firstEvent(renamed, append('renamed'), 'sessionEvents')).toMatchObject({ message: { content: 'renamed' } });

    const defaulted = await open(`subscription($s: ID! = "${id}") { events: sessionEvents(sessionId: $s, after: null) ${select} }`);
    expect(await firstEvent(defaulted, append('defaulted'), 'events')).toMatchObject({ message: { content: 'defaulted' } });

    // Refusals still come from the arguments as written.
    expect(await refusal(`subscription { sessionEvents(sessionId: "session_nope") ${select} }`)).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('agentEvents with an inline literal and with a renamed variable', async ({ serve }) => {
    ts = await serve();
    const api = client(ts.url);
    const id = (await api.post('/storage/sessions', { agent_name: 'courier' })).body.id as string;
    const append = (content: string) => () => api.post('/storage/history', { session_id: id, role: 'user', content });
    const select = '{ __typename agentName ... on MessageAdded { message { content } } }';

    const inline = await open(`subscription { agentEvents(agentName: "courier") ${select} }`);
    expect(await firstEvent(inline, append('inline'), 'agentEvents')).toEqual({ __typename: 'MessageAdded', agentName: 'courier', message: { content: 'inline' } });

    const renamed = await open(`subscription($agent: String!) { agentEvents(agentName: $agent) ${select} }`, { agent: 'courier' });
    expect(await firstEvent(renamed, append('renamed'), 'agentEvents')).toMatchObject({ message: { content: 'renamed' } });

    // The argument is validated as given (not as missing).
    const tooLong = await refusal(`subscription { agentEvents(agentName: "${'x'.repeat(300)}") ${select} }`);
    expect(tooLong).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: ['agentName'] }] });
    expect(tooLong.issues[0].message).not.toMatch(/undefined/);
  });
});
