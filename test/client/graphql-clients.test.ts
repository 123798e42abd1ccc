import { join } from 'node:path';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql as apolloGql, split } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { Client as UrqlClient, fetchExchange, gql as urqlGql, subscriptionExchange } from '@urql/core';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeEventCursor } from '../../src/domain/events.js';
import { AUTH_ENV, createKey, keyed } from '../support/auth.js';
import { type Bundle, buildBundle } from '../support/build.js';
import { testSchema, type TestSchema } from '../support/postgres.js';
import { type Service, startService } from '../support/process.js';
import { until } from '../support/ws.js';

/*
 * The GraphQL clients our users bring, against the built service started as `npm start` runs it:
 * Apollo Client (core: HttpLink for queries and mutations, GraphQLWsLink for subscriptions, joined
 * by `split`) and urql (fetchExchange, subscriptionExchange over graphql-ws). Each creates a
 * session, appends through REST, reads the session with its whole history, follows its events
 * over a WebSocket (every later append exactly once, in order), loses the socket when the server
 * process is killed and, once it is back on the same port and database, resumes with `after`
 * without a loss; a bad key and a read-only key get UNAUTHENTICATED and FORBIDDEN.
 */

const CREATE_SESSION = 'mutation CreateSession($agentName: String!) { createSession(input: { agentName: $agentName }) { id agentName } }';
const SESSION = 'query Session($id: ID!) { session(id: $id) { id agentName history { totalCount nodes { id seq content } } } }';
const SESSION_EVENTS =
  'subscription SessionEvents($id: ID!, $after: String) { sessionEvents(sessionId: $id, after: $after) { __typename cursor seq ... on MessageAdded { message { id content } } } }';

interface Event {
  __typename: string;
  cursor: string;
  seq: number;
  message?: { id: string; content: string };
}

/** What the scenario needs of a GraphQL client; each client below does it its own way. */
interface GraphQLClientUnderTest {
  createSession(agentName: string): Promise<string>;
  session(id: string): Promise<{ agentName: string; history: { totalCount: number; nodes: { seq: number; content: string }[] } }>;
  /** Follows a session's events from `after`; `onEnd` gets the error (or nothing) when the subscription ends. */
  follow(id: string, after: string | null, onEvent: (event: Event) => void, onEnd: (error?: unknown) => void): () => void;
  close(): void;
}

function wsClient(url: string, key: string): WsClient {
  return createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    // The test resumes by itself, with `after` (graphql-ws would re-send the first `after`).
    retryAttempts: 0,
  });
}

function apollo(url: string, key: string): GraphQLClientUnderTest {
  const ws = wsClient(url, key);
  const link: ApolloLink = split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
    },
    new GraphQLWsLink(ws),
    new HttpLink({ uri: `${url}/graphql`, headers: { authorization: `Bearer ${key}` } }),
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  return {
    async createSession(agentName) {
      const { data } = await client.mutate<{ createSession: { id: string } }>({ mutation: apolloGql(CREATE_SESSION), variables: { agentName } });
      return data!.createSession.id;
    },
    async session(id) {
      const { data } = await client.query<{ session: any }>({ query: apolloGql(SESSION), variables: { id }, fetchPolicy: 'network-only' });
      return data!.session;
    },
    follow(id, after, onEvent, onEnd) {
      const subscription = client
        .subscribe<{ sessionEvents: Event }>({ query: apolloGql(SESSION_EVENTS), variables: { id, after }, fetchPolicy: 'no-cache' })
        .subscribe({
          next: ({ data, error }) => (error ? onEnd(error) : onEvent(data!.sessionEvents)),
          error: (error) => onEnd(error),
          complete: () => onEnd(),
        });
      return () => subscription.unsubscribe();
    },
    close() {
      client.stop();
      void ws.dispose();
    },
  };
}

function urql(url: string, key: string): GraphQLClientUnderTest {
  const ws = wsClient(url, key);
  const client = new UrqlClient({
    url: `${url}/graphql`,
    // urql sends queries as GETs (preferGetMethod): a GET needs one of the CSRF headers (docs/graphql.md).
    fetchOptions: { headers: { authorization: `Bearer ${key}`, 'x-graphql-yoga-csrf': 'urql' } },
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return { subscribe: (sink) => ({ unsubscribe: ws.subscribe(input, sink) }) };
        },
      }),
    ],
  });
  return {
    async createSession(agentName) {
      const { data, error } = await client.mutation(urqlGql(CREATE_SESSION), { agentName }).toPromise();
      if (error) throw error;
      return data.createSession.id;
    },
    async session(id) {
      const { data, error } = await client.query(urqlGql(SESSION), { id }, { requestPolicy: 'network-only' }).toPromise();
      if (error) throw error;
      return data.session;
    },
    follow(id, after, onEvent, onEnd) {
      const { unsubscribe } = client.subscription(urqlGql(SESSION_EVENTS), { id, after }).subscribe((result) => {
        // urql reports a closed socket or an error message as the result's `error`.
        if (result.error) onEnd(result.error);
        else if (result.data) onEvent(result.data.sessionEvents);
      });
      return unsubscribe;
    },
    close: () => void ws.dispose(),
  };
}

const CLIENTS = { 'Apollo Client': apollo, urql } as const;

async function append(url: string, key: string, session: string, content: string): Promise<void> {
  const res = await keyed(url, key).post('/storage/history', { session_id: session, role: 'user', content });
  expect(res.status, res.text).toBe(200);
}

let bundle: Bundle;
beforeAll(() => {
  bundle = buildBundle();
}, 120_000);
afterAll(() => bundle?.cleanup());

/** One backend: the built service on it, restarted on the same port and database by `restart()`. */
function backend(name: 'sqlite' | 'postgres') {
  let schema: TestSchema | null = null;
  let env: Record<string, string>;
  let service: Service;
  const state = {
    get url() {
      return service.url;
    },
    /** Kills the process (no graceful shutdown: its sockets just drop) and starts it again, same port and database. */
    async restart() {
      await service.stop('SIGKILL');
      env = { ...env, PORT: new URL(service.url).port };
      service = await startService(env, 30_000, [join(bundle.dist, 'main.js')]);
    },
  };
  beforeAll(async () => {
    if (name === 'postgres') schema = testSchema();
    env = { ...AUTH_ENV, DATABASE_URL: schema ? schema.url : `sqlite:${join(bundle.dir, 'storage.db')}` };
    service = await startService(env, 30_000, [join(bundle.dist, 'main.js')]);
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await schema?.drop();
  });
  return state;
}

for (const name of ['sqlite', 'postgres'] as const) {
  describe(`GraphQL clients against the built service (${name})`, () => {
    const server = backend(name);

    for (const [clientName, make] of Object.entries(CLIENTS)) {
      it(`${clientName}: queries and mutations over HTTP, the change feed over a WebSocket, resumed after the server dropped it`, async () => {
        const key = await createKey(server.url, 'default', ['READ', 'WRITE']);
        let client = make(server.url, key);
        const id = await client.createSession(`agent-${clientName}`);
        for (const content of ['one', 'two', 'three']) await append(server.url, key, id, content);

        const session = await client.session(id);
        expect(session.agentName).toBe(`agent-${clientName}`);
        expect(session.history.totalCount).toBe(3);
        expect(session.history.nodes.map((m) => m.content)).toEqual(['one', 'two', 'three']);

        // From the start of the feed: the replay (the session's creation and the three appends)
        // ends where the history read ended; everything after it arrives live.
        const events: Event[] = [];
        let ended: { error?: unknown } | null = null;
        client.follow(id, encodeEventCursor(0), (event) => events.push(event), (error) => (ended ??= { error }));
        await until(() => events.length === 4);
        expect(events.map((e) => e.__typename)).toEqual(['SessionCreated', 'MessageAdded', 'MessageAdded', 'MessageAdded']);
        expect(events.slice(1).map((e) => e.message!.content)).toEqual(['one', 'two', 'three']);

        const live = ['four', 'five', 'six', 'seven', 'eight'];
        for (const content of live) await append(server.url, key, id, content);
        await until(() => events.length === 9);
        expect(events.slice(4).map((e) => e.message!.content)).toEqual(live);

        // The server process dies: the socket drops, the subscription ends with an error.
        await server.restart();
        await until(() => ended !== null);
        expect(ended!.error).toBeDefined();
        client.close();

        // Written while the client was away, then live: resumed after the last cursor it got.
        for (const content of ['nine', 'ten']) await append(server.url, key, id, content);
        client = make(server.url, key);
        const resumed: Event[] = [];
        const stop = client.follow(id, events.at(-1)!.cursor, (event) => resumed.push(event), () => {});
        await until(() => resumed.length === 2);
        for (const content of ['eleven', 'twelve']) await append(server.url, key, id, content);
        await until(() => resumed.length === 4);
        const all = [...events, ...resumed];
        expect(all.slice(1).map((e) => e.message!.content)).toEqual(['one', 'two', 'three', ...live, 'nine', 'ten', 'eleven', 'twelve']);
        // Each event once, in the order of the feed.
        const seqs = all.map((e) => e.seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        expect(new Set(seqs).size).toBe(seqs.length);
        // Nothing more arrives.
        await append(server.url, key, id, 'thirteen');
        await until(() => resumed.length === 5);
        expect(resumed.length).toBe(5);
        stop();
        client.close();
      }, 120_000);

      it(`${clientName}: UNAUTHENTICATED for a bad key (HTTP and WebSocket), FORBIDDEN for a read-only key's mutation`, async () => {
        const writer = await createKey(server.url, 'default', ['READ', 'WRITE']);
        const session = await make(server.url, writer).createSession('for-readers');

        const bad = make(server.url, 'not-a-key');
        await expect(bad.session(session)).rejects.toThrow(/Invalid API key/);
        // Refused before connection_ack: the socket closes with 4401 and the reason (Apollo puts it
        // in the error's message, urql gives the CloseEvent as `networkError`).
        const refused = (await new Promise<unknown>((resolve) => bad.follow(session, null, () => {}, resolve))) as { message: string; networkError?: { code: number; reason: string } };
        const said = refused.networkError ? `${refused.networkError.code} ${refused.networkError.reason}` : refused.message;
        expect(said).toMatch(/4401 UNAUTHENTICATED: Invalid API key/);
        bad.close();

        const readOnly = make(server.url, await createKey(server.url, 'default', ['READ']));
        expect((await readOnly.session(session)).agentName).toBe('for-readers');
        await expect(readOnly.createSession('nope')).rejects.toThrow(/lacks the "write" scope/);
        readOnly.close();
      });
    }
  });
}
