import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloClient, ApolloLink, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { Client, fetchExchange, gql as urqlGql, type OperationResult } from '@urql/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bundle, buildBundle } from '../support/build.js';
import { REPO } from '../cli/support.js';
import { type Service, startService } from '../support/process.js';

/*
 * The GraphQL clients people use, against the service built and started as `npm start` runs it:
 * Apollo Client with Automatic Persisted Queries, urql with @stream, plain fetch for HTTP caching
 * of GETs and for the allow-list of PERSISTED_OPERATIONS=only.
 */

const MANIFEST = join(REPO, 'src/client/gql/persisted-documents.json');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let bundle: Bundle;
let apq: Service;
let only: Service;
let sessionId: string;

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

beforeAll(async () => {
  bundle = buildBundle();
  const main = [join(bundle.dist, 'main.js')];
  [apq, only] = await Promise.all([
    startService({ DATABASE_URL: `sqlite:${join(bundle.dir, 'apq.db')}`, PERSISTED_OPERATIONS: 'apq' }, 30_000, main),
    startService({ DATABASE_URL: `sqlite:${join(bundle.dir, 'only.db')}`, PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: MANIFEST }, 30_000, main),
  ]);
  const created = await post(apq.url, { query: 'mutation { createSession(input: { agentName: "clients" }) { id } }' });
  sessionId = created.body.data.createSession.id;
  const messages = Array.from({ length: 299 }, (_, i) => ({ role: i % 2 ? 'ASSISTANT' : 'USER', content: `message ${i + 1}` }));
  const added = await post(apq.url, { query: 'mutation ($id: ID!, $m: [NewMessageInput!]!) { addMessages(sessionId: $id, messages: $m) { seq } }', variables: { id: sessionId, m: messages } });
  expect(added.body.errors).toBeUndefined();
  // The last one through REST, as an agent's own code may append.
  const appended = await fetch(`${apq.url}/storage/history`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ session_id: sessionId, role: 'assistant', content: 'message 300' }),
  });
  expect(appended.status).toBeLessThan(300);
}, 120_000);

afterAll(async () => {
  await Promise.all([apq?.stop(), only?.stop()]);
  bundle?.cleanup();
});

const HISTORY = gql`
  query History($id: ID!) {
    session(id: $id) {
      id
      history(first: 5) {
        nodes {
          seq
          content
        }
      }
    }
  }
`;

/** A fetch that records what it sends: method, whether a query text went along, the status. */
function recordingFetch(log: { method: string; withQuery: boolean; status: number }[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { query?: string }) : null;
    log.push({ method: init?.method ?? 'GET', withQuery: body ? typeof body.query === 'string' : url.searchParams.has('query'), status: response.status });
    return response;
  };
}

function apollo(url: string, log: { method: string; withQuery: boolean; status: number }[], useGETForHashedQueries = false) {
  const http = new HttpLink({ uri: `${url}/graphql`, fetch: recordingFetch(log), headers: { 'apollo-require-preflight': 'true' } });
  return new ApolloClient({ cache: new InMemoryCache(), link: ApolloLink.from([new PersistedQueryLink({ sha256, useGETForHashedQueries }), http]) });
}

describe('Apollo Client with Automatic Persisted Queries (PERSISTED_OPERATIONS=apq)', () => {
  it('sends the hash, the text once the server does not know it, then the hash alone', async () => {
    const first: { method: string; withQuery: boolean; status: number }[] = [];
    const result = await apollo(apq.url, first).query({ query: HISTORY, variables: { id: sessionId }, fetchPolicy: 'no-cache' });
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual({
      session: {
        __typename: 'Session',
        id: sessionId,
        history: { __typename: 'MessageConnection', nodes: [1, 2, 3, 4, 5].map((seq) => ({ __typename: 'Message', seq, content: `message ${seq}` })) },
      },
    });
    // The miss (PERSISTED_QUERY_NOT_FOUND), then hash and text.
    expect(first).toEqual([
      { method: 'POST', withQuery: false, status: 404 },
      { method: 'POST', withQuery: true, status: 200 },
    ]);

    // Another client (nothing cached on its side): the server knows the hash now; as a GET too.
    for (const useGET of [false, true]) {
      const later: { method: string; withQuery: boolean; status: number }[] = [];
      const again = await apollo(apq.url, later, useGET).query({ query: HISTORY, variables: { id: sessionId }, fetchPolicy: 'no-cache' });
      expect(again.data).toEqual(result.data);
      expect(later).toEqual([{ method: useGET ? 'GET' : 'POST', withQuery: false, status: 200 }]);
    }
  });

  it('refuses a hash that is not the text\'s, and a hash-only request for a text never sent', async () => {
    const query = '{ sessions(first: 1) { totalCount } }';
    const mismatch = await post(apq.url, { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(`${query} `) } } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
    const unknown = await post(apq.url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ never { sent } }') } } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0]).toMatchObject({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
  });
});

describe('urql with @stream (fetchExchange, multipart)', () => {
  it('assembles a streamed history into the non-streamed answer, in several results', async () => {
    const client = new Client({ url: `${apq.url}/graphql`, exchanges: [fetchExchange], preferGetMethod: false, requestPolicy: 'network-only' });
    const streamed = urqlGql`
      query Streamed($id: ID!) { session(id: $id) { id history { nodes @stream(initialCount: 20) { seq role content } } } }
    `;
    const whole = urqlGql`
      query Whole($id: ID!) { session(id: $id) { id history { nodes { seq role content } } } }
    `;
    const results: OperationResult[] = [];
    await new Promise<void>((resolve, reject) => {
      const { unsubscribe } = client.query(streamed, { id: sessionId }).subscribe((result) => {
        results.push(result);
        if (result.error) reject(result.error);
        if (!result.hasNext) {
          resolve();
          queueMicrotask(() => unsubscribe());
        }
      });
    });
    const expected = await client.query(whole, { id: sessionId }).toPromise();
    expect(expected.error).toBeUndefined();
    expect((expected.data as any).session.history.nodes).toHaveLength(300);
    expect(results.length).toBeGreaterThan(1);
    expect((results[0]!.data as any).session.history.nodes.length).toBeLessThan(300);
    expect(results.at(-1)!.data).toEqual(expected.data);
  });
});

describe('HTTP caching of GraphQL GETs', () => {
  const read = (etag?: string) => {
    const url = new URL(`${apq.url}/graphql`);
    url.searchParams.set('query', 'query ($id: ID!) { session(id: $id) { id updatedAt history { totalCount nodes { seq content } } } }');
    url.searchParams.set('variables', JSON.stringify({ id: sessionId }));
    const headers: Record<string, string> = { 'x-graphql-yoga-csrf': '1', accept: 'application/graphql-response+json' };
    if (etag) headers['if-none-match'] = etag;
    return fetch(url, { headers });
  };

  it('answers an unchanged session and history with 304 and no body, a changed one with the new answer', async () => {
    const first = await read();
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{43}"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const body = await first.text();
    expect(etag).toBe(`"${createHash('sha256').update(body).digest('base64url')}"`);

    const unchanged = await read(etag);
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');
    expect(unchanged.headers.get('etag')).toBe(etag);

    const added = await post(apq.url, { query: `mutation { addMessage(input: { sessionId: "${sessionId}", role: USER, content: "one more" }) { seq } }` });
    expect(added.body.errors).toBeUndefined();
    const changed = await read(etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(JSON.parse(await changed.text()).data.session.history.totalCount).toBe(301);
  });

  it('gives POSTs no ETag, and never answers a mutation over GET', async () => {
    const posted = await fetch(`${apq.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ sessions(first: 1) { totalCount } }' }),
    });
    expect(posted.status).toBe(200);
    expect(posted.headers.get('etag')).toBeNull();
    const url = new URL(`${apq.url}/graphql`);
    url.searchParams.set('query', 'mutation { createSession(input: { agentName: "get" }) { id } }');
    const mutation = await fetch(url, { headers: { 'x-graphql-yoga-csrf': '1', 'if-none-match': '*' } });
    expect(mutation.status).toBe(405);
    expect(mutation.headers.get('etag')).toBeNull();
  });
});

describe('PERSISTED_OPERATIONS=only', () => {
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
  const hashOf = (operation: string) => Object.entries(manifest).find(([, text]) => text.includes(operation))![0];

  it('accepts the operations of the manifest by hash', async () => {
    const created = await post(only.url, {
      variables: { input: { agentName: 'allow-listed' } },
      extensions: { persistedQuery: { version: 1, sha256Hash: hashOf('mutation CreateSession(') } },
    });
    expect(created.status).toBe(200);
    const id = created.body.data.createSession.id;
    const tokens = await post(only.url, { variables: { sessionId: id }, extensions: { persistedQuery: { version: 1, sha256Hash: hashOf('query SessionTokens(') } } });
    expect(tokens).toEqual({ status: 200, body: { data: { session: { tokens: { estimatedMessages: 0, messages: 0, tokens: 0 } } } } });
  });

  it('refuses query text and unknown hashes with stable codes', async () => {
    const text = await post(only.url, { query: '{ sessions(first: 1) { totalCount } }' });
    expect(text.status).toBe(403);
    expect(text.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
    const unknown = await post(only.url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ sessions { totalCount } }') } } });
    expect(unknown.status).toBe(403);
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });
});
