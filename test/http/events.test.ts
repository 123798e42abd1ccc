import { describe, expect, it } from '../support/server-fixture.js';
import { AUTH_ENV, createKey, keyed } from '../support/auth.js';
import { client } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openSse, type SseMessage, type SseStream } from '../support/sse.js';

/**
 * The REST twin of the change feed: `GET /storage/sessions/{id}/events` as server-sent events,
 * against a real server.
 */
const FAR_FUTURE = '2999-01-01T00:00:00.000Z';
const ADD_MESSAGES = 'mutation ($sessionId: ID!, $messages: [NewMessageInput!]!) { addMessages(sessionId: $sessionId, messages: $messages) { seq } }';
const SESSION_EVENTS = 'subscription ($sessionId: ID!, $after: String) { sessionEvents(sessionId: $sessionId, after: $after) { seq } }';

describe('REST change feed (SSE)', () => {
  // The test's server, started through the `serve` fixture (closed when the test ends); the helpers below read it.
  let ts: TestServer | undefined;

  const parse = (m: SseMessage) => JSON.parse(m.data) as Record<string, any>;

  it('refuses before streaming: unknown session 404, malformed cursor 400, expired cursor 410', async ({ serve }) => {
    ts = await serve();
    const api = client(ts.url);
    const unknown = await api.get('/storage/sessions/session_nope/events', { accept: 'text/event-stream' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: 'Session not found' });

    const id = (await api.post('/storage/sessions', { agent_name: 'a' })).body.id as string;
    const badQuery = await api.get(`/storage/sessions/${id}/events?after=nonsense`);
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.detail[0].loc).toEqual(['query', 'after']);
    const badHeader = await api.get(`/storage/sessions/${id}/events`, { 'last-event-id': '42' });
    expect(badHeader.status).toBe(400);
    expect(badHeader.body.detail[0].loc).toEqual(['header', 'last-event-id']);

    const stream = await openSse(`${ts.url}/storage/sessions/${id}/events`);
    await api.post('/storage/history', { session_id: id, role: 'user', content: 'one' });
    await api.post('/storage/history', { session_id: id, role: 'user', content: 'two' });
    const [first] = await stream.take(1);
    stream.close();
    await ts.storage.events.prune(FAR_FUTURE);
    const expired = await api.get(`/storage/sessions/${id}/events?after=${first!.id}`);
    expect(expired.status).toBe(410);
    expect(expired.body.detail).toMatch(/retention/);
  });

  it('streams every write of the session as id/event/data in the REST wire format, and resumes after Last-Event-ID', async ({ serve }) => {
    ts = await serve();
    const api = client(ts.url);
    const id = (await api.post('/storage/sessions', { agent_name: 'scribe' })).body.id as string;
    const stream = await openSse(`${ts.url}/storage/sessions/${id}/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);

    const message = (await api.post('/storage/history', { session_id: id, role: 'user', content: 'hello' })).body;
    const state = (await api.put(`/storage/state/${id}`, { data: { step: 1 } })).body;
    const artifact = (await api.post('/storage/artifacts', { session_id: id, name: 'a', type: 'file', path: '/a', size: 3 })).body;
    const metric = (await api.post('/storage/metrics', { entity_type: 'agent', entity_name: 'scribe', metric_name: 'm', value: 1, session_id: id })).body;
    await api.del(`/storage/artifacts/${artifact.id}`);
    await api.del(`/storage/state/${id}`);
    await api.call('DELETE', `/storage/history?session_id=${id}`);
    const updated = (await api.put(`/storage/sessions/${id}`, { status: 'ended' })).body;
    await api.del(`/storage/sessions/${id}`);

    const received = await stream.take(9);
    expect(received.map((m) => m.event)).toEqual([
      'MessageAdded',
      'StateChanged',
      'ArtifactCreated',
      'MetricRecorded',
      'ArtifactDeleted',
      'StateDeleted',
      'HistoryCleared',
      'SessionUpdated',
      'SessionDeleted',
    ]);
    const bodies = received.map(parse);
    for (const [i, m] of received.entries()) {
      expect(bodies[i]).toMatchObject({ cursor: m.id, type: m.event, session_id: id, agent_name: 'scribe' });
    }
    expect(bodies[0]!.message).toEqual(message);
    expect(bodies[1]!.state).toEqual(state);
    expect(bodies[2]!.artifact).toEqual(artifact);
    expect(bodies[3]!.metric).toEqual(metric);
    expect(bodies[6]!.deleted).toBe(1);
    expect(bodies[7]!.session).toEqual(updated);
    stream.close();

    // The session is gone now, so resuming is refused (404); resume a live one instead.
    const live = (await api.post('/storage/sessions', { agent_name: 'scribe' })).body.id as string;
    const first = await openSse(`${ts.url}/storage/sessions/${live}/events`);
    for (const content of ['a', 'b', 'c']) await api.post('/storage/history', { session_id: live, role: 'user', content });
    const seen = await first.take(1);
    first.close();
    const resumed = await openSse(`${ts.url}/storage/sessions/${live}/events`, { 'last-event-id': seen[0]!.id! });
    expect((await resumed.take(2)).map((m) => parse(m).message.content)).toEqual(['b', 'c']);
    // `?after=` wins over the header.
    const fromQuery = await openSse(`${ts.url}/storage/sessions/${live}/events?after=${seen[0]!.id}`, { 'last-event-id': 'junk' });
    expect((await fromQuery.take(2)).map((m) => parse(m).message.content)).toEqual(['b', 'c']);
    resumed.close();
    fromQuery.close();
  });

  it('a busy session: a subscriber connected before and one reconnecting with its last id both see every event exactly once, in order', async ({ serve }) => {
    ts = await serve();
    const api = client(ts.url);
    const id = (await api.post('/storage/sessions', { agent_name: 'busy' })).body.id as string;
    const early = await openSse(`${ts.url}/storage/sessions/${id}/events`);
    const late = await openSse(`${ts.url}/storage/sessions/${id}/events`);
    const N = 300;
    const writes = Promise.all(
      Array.from({ length: N }, (_, i) =>
        i % 10 === 9 ? api.put(`/storage/state/${id}`, { data: { i } }) : api.post('/storage/history', { session_id: id, role: 'user', content: `m${i}` }),
      ),
    );
    const lateFirst = await late.take(40);
    late.close();
    const lateRest = await openSse(`${ts.url}/storage/sessions/${id}/events`, { 'last-event-id': lateFirst.at(-1)!.id! });
    const fromEarly = await early.take(N);
    expect((await writes).every((r) => r.status === 200)).toBe(true);
    const fromLate = [...lateFirst, ...(await lateRest.take(N - 40))];

    const seqs = (ms: SseMessage[]) => ms.map((m) => parse(m).seq as number);
    expect(new Set(seqs(fromEarly)).size).toBe(N);
    expect(seqs(fromEarly)).toEqual([...seqs(fromEarly)].sort((a, b) => a - b));
    expect(seqs(fromLate)).toEqual(seqs(fromEarly));
    // Every acknowledged message is in the stream, once.
    const contents = fromEarly.filter((m) => m.event === 'MessageAdded').map((m) => parse(m).message.content);
    expect(contents).toHaveLength(N - N / 10);
    expect(new Set(contents).size).toBe(contents.length);
    early.close();
    lateRest.close();
  }, 60_000);

  it('sends heartbeat comments on a quiet stream', async ({ serve }) => {
    ts = await serve({ EVENT_HEARTBEAT_SECONDS: '1' });
    const api = client(ts.url);
    const id = (await api.post('/storage/sessions', { agent_name: 'a' })).body.id as string;
    const stream = await openSse(`${ts.url}/storage/sessions/${id}/events`);
    const pending = stream.next(); // waits past a heartbeat or two
    while (!stream.comments.includes('heartbeat')) await new Promise((resolve) => setTimeout(resolve, 100));
    await api.post('/storage/history', { session_id: id, role: 'user', content: 'after a heartbeat' });
    expect(parse((await pending)!).message.content).toBe('after a heartbeat');
    stream.close();
  });

  it('caps open streams per process (503), and a client going away frees its place', async ({ serve }) => {
    ts = await serve({ MAX_EVENT_STREAMS: '1' });
    const api = client(ts.url);
    const id = (await api.post('/storage/sessions', { agent_name: 'a' })).body.id as string;
    const first = await openSse(`${ts.url}/storage/sessions/${id}/events`);
    expect(first.status).toBe(200);
    const refused = await api.get(`/storage/sessions/${id}/events`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.body.detail).toMatch(/MAX_EVENT_STREAMS/);
    first.close();
    // The server notices the closed connection on its own schedule: try until the place is free.
    let again = await openSse(`${ts.url}/storage/sessions/${id}/events`);
    for (let i = 0; again.status === 503 && i < 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await openSse(`${ts.url}/storage/sessions/${id}/events`);
    }
    expect(again.status).toBe(200);
    again.close();
  });

  it('shares the streams among keys and tenants (429, MAX_EVENT_STREAMS_PER_KEY / _PER_TENANT), on both doors; a stream that ends frees its place', async ({ serve }) => {
    ts = await serve({ ...AUTH_ENV, MAX_EVENT_STREAMS: '6', MAX_EVENT_STREAMS_PER_TENANT: '3', MAX_EVENT_STREAMS_PER_KEY: '2' });
    const url = ts.url;
    const [hog, neighbour, other] = [
      await createKey(url, 'acme', ['READ', 'WRITE']),
      await createKey(url, 'acme', ['READ']),
      await createKey(url, 'beta', ['READ', 'WRITE']),
    ];
    const acmeSession = (await keyed(url, hog).post('/storage/sessions', { agent_name: 'a' })).body.id as string;
    const betaSession = (await keyed(url, other).post('/storage/sessions', { agent_name: 'b' })).body.id as string;
    const rest = (key: string, session: string) => openSse(`${url}/storage/sessions/${session}/events`, { authorization: `Bearer ${key}` });
    const graphql = (key: string, session: string) =>
      openSse(
        `${url}/graphql`,
        { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        { method: 'POST', body: JSON.stringify({ query: SESSION_EVENTS, variables: { sessionId: session } }) },
      );
    /** The GraphQL error a refused subscription streams before it completes. */
    const refusal = async (stream: SseStream) => JSON.parse((await stream.next())!.data).errors[0];

    // One key fills its share, on either door.
    const held = [await rest(hog, acmeSession), await graphql(hog, acmeSession)];
    expect(held.map((s) => s.status)).toEqual([200, 200]);
    const overKey = await rest(hog, acmeSession);
    expect(overKey.status).toBe(429);
    expect(overKey.headers.get('retry-after')).toBe('5');
    expect(JSON.parse(await overKey.text()).detail).toMatch(/MAX_EVENT_STREAMS_PER_KEY/);
    const overKeyGql = await refusal(await graphql(hog, acmeSession));
    expect(overKeyGql.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 5 });
    expect(overKeyGql.message).toMatch(/MAX_EVENT_STREAMS_PER_KEY/);

    // Another key of the tenant still gets one, until the tenant's share is used up.
    const third = await graphql(neighbour, acmeSession);
    expect(third.status).toBe(200);
    const overTenant = await rest(neighbour, acmeSession);
    expect(overTenant.status).toBe(429);
    expect(JSON.parse(await overTenant.text()).detail).toMatch(/MAX_EVENT_STREAMS_PER_TENANT/);
    expect((await refusal(await graphql(neighbour, acmeSession))).message).toMatch(/MAX_EVENT_STREAMS_PER_TENANT/);

    // Another tenant is not affected, and its streams work.
    const beta = [await rest(other, betaSession), await graphql(other, betaSession)];
    expect(beta.map((s) => s.status)).toEqual([200, 200]);
    await keyed(url, other).post('/storage/history', { session_id: betaSession, role: 'user', content: 'hi' });
    expect((await beta[0]!.next())?.event).toBe('MessageAdded');

    // A stream that ends gives its place back, to its key and its tenant (the server notices the
    // closed connection on its own schedule: try until the place is free).
    held[0]!.close();
    let again = await rest(neighbour, acmeSession);
    for (let i = 0; again.status === 429 && i < 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await rest(neighbour, acmeSession);
    }
    expect(again.status).toBe(200);
    for (const stream of [held[1]!, third, again, ...beta]) stream.close();
  });

  it('large replays let other requests through: /health answers while every replay is still running (REST and GraphQL)', async ({ serve }) => {
    ts = await serve();
    const api = client(ts.url);
    const id = (await api.post('/storage/sessions', { agent_name: 'backlog' })).body.id as string;
    const probe = await openSse(`${ts.url}/storage/sessions/${id}/events`);
    const N = 4000;
    for (let i = 0; i < N; i += 500) {
      const messages = Array.from({ length: 500 }, (_, j) => ({ role: 'USER', content: `m${i + j} ${'x'.repeat(100)}` }));
      const added = await api.post('/graphql', { query: ADD_MESSAGES, variables: { sessionId: id, messages } });
      expect(added.body.errors).toBeUndefined();
    }
    const [first] = await probe.take(1);
    probe.close();

    // Half over REST, half as GraphQL subscriptions: both replay the N - 1 events after the first.
    const subscription = JSON.stringify({ query: SESSION_EVENTS, variables: { sessionId: id, after: first!.id } });
    const streams: SseStream[] = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        i % 2
          ? openSse(`${ts!.url}/storage/sessions/${id}/events?after=${first!.id}`)
          : openSse(`${ts!.url}/graphql`, { 'content-type': 'application/json' }, { method: 'POST', body: subscription }),
      ),
    );
    const seqs: number[][] = streams.map(() => []);
    let started!: () => void;
    const allStarted = new Promise<void>((resolve) => (started = resolve));
    const reading = streams.map(async (stream, i) => {
      while (seqs[i]!.length < N - 1) {
        const message = await stream.next();
        if (!message) throw new Error(`stream ${i} ended after ${seqs[i]!.length} events`);
        if (message.event === 'complete') continue;
        const body = JSON.parse(message.data);
        seqs[i]!.push(body.seq ?? body.data.sessionEvents.seq);
        if (seqs.every((s) => s.length > 0)) started();
      }
      stream.close();
    });
    await allStarted;
    // Every replay has begun. Before the fix the first ones ran to their end, holding the event loop,
    // before the server read this request; now the replays take turns with it.
    const health = await fetch(`${ts.url}/health`);
    const finishedBeforeHealth = seqs.filter((s) => s.length === N - 1).length;
    expect(health.status).toBe(200);
    expect((await health.json()).status).toBe('healthy');
    expect(finishedBeforeHealth).toBe(0);
    await Promise.all(reading);
    const expected = seqs[1]!;
    expect(new Set(expected).size).toBe(N - 1);
    for (const s of seqs) expect(s).toEqual(expected);
  }, 120_000);

  it('shutdown ends open streams at once instead of waiting for SHUTDOWN_TIMEOUT_MS', async () => {
    const server = await startTestServer({ SHUTDOWN_TIMEOUT_MS: '120000' });
    const api = client(server.url);
    const id = (await api.post('/storage/sessions', { agent_name: 'a' })).body.id as string;
    const streams = await Promise.all([1, 2, 3].map(() => openSse(`${server.url}/storage/sessions/${id}/events`)));
    // Would take two minutes (and fail the test's timeout) if the streams kept the server open.
    await server.close();
    for (const stream of streams) expect(await stream.next()).toBeNull();
  });
});
