import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeEventCursor } from '../../src/domain/events.js';
import { ADMIN_KEY, AUTH_ENV, createKey, keyed } from '../support/auth.js';
import { describe, expect, it, test } from '../support/server-fixture.js';
import { startTestServer } from '../support/server.js';
import { openGraphQLSocket, type RawGraphQLSocket } from '../support/ws.js';

/**
 * GraphQL over WebSocket (graphql-ws, http/graphql-ws.ts) with a raw `ws` client against a real
 * server: the protocol as graphql-ws specifies it (ack, ping/pong, complete, 4400, 4401, 4403,
 * 4408, 4409, 4429) and the rules every door keeps (keys, scopes, the GraphQL limits, stream
 * limits, revocation, origins, shutdown).
 */

test.override({ env: { ...AUTH_ENV, GRAPHQL_MAX_DEPTH: '4', GRAPHQL_MAX_TOKENS: '200', MAX_EVENT_STREAMS_PER_KEY: '2', MAX_BODY_BYTES: '4096', GRAPHQL_MAX_COST: '5000' } });

const BEARER = `Bearer ${ADMIN_KEY}`;
const SESSION_EVENTS = 'subscription ($sessionId: ID!, $after: String) { sessionEvents(sessionId: $sessionId, after: $after) { __typename seq cursor } }';
const CREATE_SESSION = 'mutation { createSession(input: { agentName: "ws" }) { id } }';
const REVOKE_KEY = 'mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }';

/** An acknowledged socket of the admin key. */
async function connected(url: string, payload: Record<string, unknown> = { authorization: BEARER }): Promise<RawGraphQLSocket> {
  const ws = await openGraphQLSocket(url);
  await ws.init(payload);
  return ws;
}

async function newSession(url: string, key = ADMIN_KEY): Promise<string> {
  const res = await keyed(url, key).post('/storage/sessions', { agent_name: 'ws' });
  expect(res.status).toBe(200);
  return res.body.id as string;
}

async function append(url: string, session: string, content: string, key = ADMIN_KEY): Promise<void> {
  expect((await keyed(url, key).post('/storage/history', { session_id: session, role: 'user', content })).status).toBe(200);
}

/** The feed from its start: a subscription replays the session's creation, then it is live. */
const FROM_THE_START = encodeEventCursor(0);

/** Subscribes to a session's events and waits until the subscription is open (its replay arrived). */
async function subscribeLive(ws: RawGraphQLSocket, id: string, session: string): Promise<void> {
  ws.send({ id, type: 'subscribe', payload: { query: SESSION_EVENTS, variables: { sessionId: session, after: FROM_THE_START } } });
  for (;;) {
    const replayed = await ws.next(id);
    expect(replayed).toMatchObject({ id, type: 'next', payload: { data: { sessionEvents: { seq: expect.any(Number) } } } });
    // Replayed up to now: the session's creation and any message appended before.
    if (replayed.payload.data.sessionEvents.__typename === 'SessionCreated') break;
  }
}

describe('graphql-ws protocol', () => {
  it('acknowledges, answers pings, runs a query and completes it', async ({ server }) => {
    const ws = await connected(server.url);
    ws.send({ type: 'ping', payload: { n: 1 } });
    expect(await ws.next()).toEqual({ type: 'pong', payload: { n: 1 } });
    ws.send({ id: 'q1', type: 'subscribe', payload: { query: '{ __typename }' } });
    expect(await ws.next()).toEqual({ id: 'q1', type: 'next', payload: { data: { __typename: 'Query' } } });
    expect(await ws.next()).toEqual({ id: 'q1', type: 'complete' });
    ws.send({ id: 'm1', type: 'subscribe', payload: { query: CREATE_SESSION } });
    expect(await ws.next()).toMatchObject({ id: 'm1', type: 'next', payload: { data: { createSession: { id: expect.any(String) } } } });
    expect(await ws.next()).toEqual({ id: 'm1', type: 'complete' });
    ws.close();
  });

  it('delivers a subscription’s events until the client completes it, then frees its place', async ({ server }) => {
    // A key of its own: its 2 places (MAX_EVENT_STREAMS_PER_KEY) are this test's.
    const key = await createKey(server.url, 'default', ['READ', 'WRITE']);
    const session = await newSession(server.url, key);
    const ws = await connected(server.url, { authorization: `Bearer ${key}` });
    // Completing frees a place for the next.
    for (const id of ['s1', 's2', 's3', 's4']) {
      await subscribeLive(ws, id, session);
      ws.send({ id, type: 'complete' });
    }
    await subscribeLive(ws, 's5', session);
    await subscribeLive(ws, 's6', session);
    // Two open: a third is refused by the per-key share, as over SSE.
    ws.send({ id: 's7', type: 'subscribe', payload: { query: SESSION_EVENTS, variables: { sessionId: session } } });
    const refused = await ws.next('s7');
    expect(refused).toMatchObject({ id: 's7', type: 'next', payload: { errors: [{ extensions: { code: 'RATE_LIMITED', retryAfter: 5 } }] } });
    expect(await ws.next('s7')).toEqual({ id: 's7', type: 'complete' });
    // The two open ones each get the next write, once.
    await append(server.url, session, 'to both');
    for (const id of ['s5', 's6']) expect(await ws.next(id)).toMatchObject({ type: 'next', payload: { data: { sessionEvents: { __typename: 'MessageAdded' } } } });
    ws.close();
    await ws.closed;
  });

  it('closes 4400 on a message that is not graphql-ws', async ({ server }) => {
    const ws = await connected(server.url);
    ws.send('{"type":"nonsense"}');
    expect(await ws.closed).toEqual({ code: 4400, reason: 'Invalid message received' });
  });

  it('closes 4401 on a subscribe before connection_ack', async ({ server }) => {
    const ws = await openGraphQLSocket(server.url);
    ws.send({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } });
    expect(await ws.closed).toEqual({ code: 4401, reason: 'Unauthorized' });
  });

  it('closes 4429 on a second connection_init', async ({ server }) => {
    const ws = await connected(server.url);
    ws.send({ type: 'connection_init', payload: { authorization: BEARER } });
    expect(await ws.closed).toEqual({ code: 4429, reason: 'Too many initialisation requests' });
  });

  it('closes 4409 when a subscriber id is reused while it runs', async ({ server }) => {
    const session = await newSession(server.url);
    const ws = await connected(server.url);
    await subscribeLive(ws, 'dup', session);
    ws.send({ id: 'dup', type: 'subscribe', payload: { query: SESSION_EVENTS, variables: { sessionId: session } } });
    expect(await ws.closed).toEqual({ code: 4409, reason: 'Subscriber for dup already exists' });
  });

  it('closes 4408 when connection_init does not come in time (GRAPHQL_WS_INIT_TIMEOUT_MS)', async ({ serve }) => {
    const server = await serve({ ...AUTH_ENV, GRAPHQL_WS_INIT_TIMEOUT_MS: '200' });
    const ws = await openGraphQLSocket(server.url);
    expect(await ws.closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
  });

  it('closes 1009 on a message larger than MAX_BODY_BYTES', async ({ server }) => {
    const ws = await connected(server.url);
    ws.send({ id: 'big', type: 'subscribe', payload: { query: `{ __typename }${' '.repeat(5000)}` } });
    expect((await ws.closed).code).toBe(1009);
  });

  it('refuses other subprotocols (4406) and other paths (404)', async ({ server }) => {
    const none = await openGraphQLSocket(server.url, { protocol: null });
    expect(await none.closed).toEqual({ code: 4406, reason: 'Subprotocol not acceptable' });
    await expect(openGraphQLSocket(server.url, { path: '/storage/sessions' })).rejects.toThrow('upgrade refused: 404');
  });
});

describe('graphql-ws authentication', () => {
  it('refuses a missing or invalid key with 4401 before connection_ack, naming UNAUTHENTICATED', async ({ server }) => {
    for (const [payload, why] of [
      [undefined, 'UNAUTHENTICATED: Missing API key'],
      [{ authorization: 'Bearer not-a-key' }, 'UNAUTHENTICATED: Invalid API key'],
      [{ authorization: 'Basic abc' }, 'UNAUTHENTICATED: Malformed Authorization header'],
    ] as const) {
      const ws = await openGraphQLSocket(server.url);
      ws.send(payload === undefined ? { type: 'connection_init' } : { type: 'connection_init', payload });
      const closed = await ws.closed;
      expect(closed.code).toBe(4401);
      expect(closed.reason.startsWith(why)).toBe(true);
    }
  });

  it('takes the key from the upgrade’s Authorization header when connectionParams has none', async ({ server }) => {
    const ws = await openGraphQLSocket(server.url, { headers: { authorization: BEARER } });
    await ws.init();
    ws.send({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } });
    expect(await ws.next()).toMatchObject({ id: '1', type: 'next', payload: { data: { __typename: 'Query' } } });
    ws.close();
  });

  it('checks scopes per field: a read-only key queries, and its mutation is FORBIDDEN', async ({ server }) => {
    const readOnly = await createKey(server.url, 'default', ['READ']);
    const ws = await connected(server.url, { authorization: `Bearer ${readOnly}` });
    ws.send({ id: 'q', type: 'subscribe', payload: { query: '{ sessions(first: 1) { totalCount } }' } });
    expect(await ws.next()).toMatchObject({ id: 'q', type: 'next', payload: { data: { sessions: { totalCount: expect.any(Number) } } } });
    expect(await ws.next()).toEqual({ id: 'q', type: 'complete' });
    ws.send({ id: 'm', type: 'subscribe', payload: { query: CREATE_SESSION } });
    const refused = await ws.next();
    expect(refused).toEqual({
      id: 'm',
      type: 'next',
      payload: { errors: [{ message: 'This API key lacks the "write" scope (Mutation.createSession needs it)', extensions: { code: 'FORBIDDEN' } }] },
    });
    ws.close();
  });

  it('sees only its tenant', async ({ server }) => {
    const acme = await createKey(server.url, 'acme-ws', ['READ', 'WRITE']);
    const mine = await newSession(server.url, acme);
    const theirs = await newSession(server.url);
    const ws = await connected(server.url, { authorization: `Bearer ${acme}` });
    ws.send({ id: 'q', type: 'subscribe', payload: { query: 'query ($a: ID!, $b: ID!) { a: session(id: $a) { id } b: session(id: $b) { id } }', variables: { a: mine, b: theirs } } });
    expect(await ws.next()).toMatchObject({ id: 'q', type: 'next', payload: { data: { a: { id: mine }, b: null } } });
    ws.close();
  });

  it('ends a revoked key’s open subscriptions with UNAUTHENTICATED, and refuses its next operation', async ({ server }) => {
    const created = await keyed(server.url, ADMIN_KEY).gql(
      'mutation { createApiKey(tenant: "default", scopes: [READ, WRITE]) { key apiKey { id } } }',
    );
    const { key, apiKey } = created.body.data.createApiKey;
    const session = await newSession(server.url, key);
    const ws = await connected(server.url, { authorization: `Bearer ${key}` });
    await subscribeLive(ws, 'live', session);

    expect((await keyed(server.url, ADMIN_KEY).gql(REVOKE_KEY, { id: apiKey.id })).body.data.revokeApiKey.revokedAt).toBeTruthy();
    expect(await ws.next()).toEqual({
      id: 'live',
      type: 'next',
      payload: {
        data: null,
        errors: [
          { message: 'The API key was revoked: the stream has ended', locations: expect.any(Array), path: ['sessionEvents'], extensions: { code: 'UNAUTHENTICATED' } },
        ],
      },
    });
    expect(await ws.next()).toEqual({ id: 'live', type: 'complete' });
    ws.send({ id: 'after', type: 'subscribe', payload: { query: '{ __typename }' } });
    expect(await ws.next()).toEqual({ id: 'after', type: 'error', payload: [{ message: 'Invalid API key', extensions: { code: 'UNAUTHENTICATED' } }] });
    ws.close();
  });
});

describe('graphql-ws rate limits', () => {
  it('counts connection_init and each operation as a request: RATE_LIMITED as an error message, then 1013 on connection_init', async ({ serve }) => {
    // 2 requests per 2 s window per key.
    const server = await serve({ ...AUTH_ENV, RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '2' });
    const ws = await connected(server.url); // 1
    ws.send({ id: 'a', type: 'subscribe', payload: { query: '{ __typename }' } }); // 2
    expect(await ws.next('a')).toMatchObject({ type: 'next', payload: { data: { __typename: 'Query' } } });
    ws.send({ id: 'b', type: 'subscribe', payload: { query: '{ __typename }' } }); // 3: refused
    const refused = await ws.next('b');
    expect(refused).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } }] });
    const another = await openGraphQLSocket(server.url);
    another.send({ type: 'connection_init', payload: { authorization: BEARER } });
    const closed = await another.closed;
    expect(closed.code).toBe(1013);
    expect(closed.reason).toMatch(/^RATE_LIMITED: /);
    ws.close();
  });
});

describe('graphql-ws origins', () => {
  it('closes 4403 on a browser’s upgrade from an origin not in CORS_ORIGINS; its own origin and listed ones connect', async ({ serve }) => {
    const server = await serve({ ...AUTH_ENV, CORS_ORIGINS: 'https://app.example.com' });
    const foreign = await openGraphQLSocket(server.url, { origin: 'https://evil.example.com' });
    foreign.send({ type: 'connection_init', payload: { authorization: BEARER } });
    expect(await foreign.closed).toEqual({ code: 4403, reason: 'FORBIDDEN: origin https://evil.example.com is not allowed (CORS_ORIGINS)' });
    for (const origin of ['https://app.example.com', server.url]) {
      const ws = await openGraphQLSocket(server.url, { origin });
      await ws.init({ authorization: BEARER });
      ws.close();
    }
  });
});

describe('graphql-ws limits', () => {
  it('applies the GraphQL limits (depth, tokens, cost) and says so with their codes', async ({ server }) => {
    const ws = await connected(server.url);
    const cases: [string, string][] = [
      ['{ sessions { edges { node { history { edges { node { id } } } } } } }', 'MAX_DEPTH_EXCEEDED'],
      [`{ ${'__typename '.repeat(250)} }`, 'MAX_TOKENS_EXCEEDED'],
      ['{ sessions(first: 10000) { edges { node { id } } } }', 'MAX_COST_EXCEEDED'],
    ];
    for (const [index, [query, code]] of cases.entries()) {
      ws.send({ id: `l${index}`, type: 'subscribe', payload: { query } });
      const refused = await ws.next();
      expect(refused.id).toBe(`l${index}`);
      const errors = refused.type === 'error' ? refused.payload : refused.payload.errors;
      expect(errors.map((e: any) => e.extensions)).toEqual([{ code }]);
      if (refused.type === 'next') expect(await ws.next()).toEqual({ id: `l${index}`, type: 'complete' });
    }
    ws.close();
  });

  it('refuses more operations than GRAPHQL_WS_MAX_SUBSCRIPTIONS on one connection; the others go on', async ({ serve }) => {
    const server = await serve({ ...AUTH_ENV, GRAPHQL_WS_MAX_SUBSCRIPTIONS: '2' });
    const session = await newSession(server.url);
    const ws = await connected(server.url);
    await subscribeLive(ws, 'a', session);
    await subscribeLive(ws, 'b', session);
    ws.send({ id: 'c', type: 'subscribe', payload: { query: '{ __typename }' } });
    expect(await ws.next('c')).toEqual({
      id: 'c',
      type: 'error',
      payload: [
        {
          message: 'Too many operations running on this connection (2, GRAPHQL_WS_MAX_SUBSCRIPTIONS): complete one first, or open another connection',
          extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
        },
      ],
    });
    await append(server.url, session, 'both');
    for (const id of ['a', 'b']) expect(await ws.next(id)).toMatchObject({ type: 'next', payload: { data: { sessionEvents: { __typename: 'MessageAdded' } } } });
    // Once one is completed, another operation runs.
    ws.send({ id: 'a', type: 'complete' });
    ws.send({ id: 'd', type: 'subscribe', payload: { query: '{ __typename }' } });
    expect(await ws.next('d')).toEqual({ id: 'd', type: 'next', payload: { data: { __typename: 'Query' } } });
    ws.close();
  });
});

describe('graphql-ws with PERSISTED_OPERATIONS=only', () => {
  it('runs the manifest’s operations sent as text and refuses any other with PERSISTED_QUERY_NOT_IN_LIST', async ({ serve }) => {
    const manifestPath = fileURLToPath(new URL('../../src/client/gql/persisted-documents.json', import.meta.url));
    const server = await serve({ ...AUTH_ENV, PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: manifestPath });
    const texts = Object.values(JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, string>);
    const getSession = texts.find((text) => /query GetSession\b/.test(text))!;
    const ws = await connected(server.url);
    ws.send({ id: 'known', type: 'subscribe', payload: { query: getSession, variables: { id: 'session_unknown' } } });
    expect(await ws.next('known')).toEqual({ id: 'known', type: 'next', payload: { data: { session: null } } });
    ws.send({ id: 'unknown', type: 'subscribe', payload: { query: '{ __typename }' } });
    expect(await ws.next('unknown')).toMatchObject({ id: 'unknown', type: 'error', payload: [{ extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } }] });
    ws.close();
  });
});

describe('graphql-ws shutdown', () => {
  it('closes open sockets with 1001 (going away) when the server shuts down', async () => {
    // Not `serve`: this test closes the server itself.
    const server = await startTestServer(AUTH_ENV);
    const session = await newSession(server.url);
    const ws = await connected(server.url);
    await subscribeLive(ws, 'live', session);
    const closing = server.close();
    expect((await ws.closed).code).toBe(1001);
    await closing;
  });
});
