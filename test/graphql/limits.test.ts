import { readFileSync } from 'node:fs';
import { getNamedType, isObjectType, Kind, parse, type GraphQLField, type GraphQLObjectType } from 'graphql';
import * as benchQueries from '../../bench/lib/queries.js';
import { defaultMaxCost } from '../../src/config.js';
import { schema } from '../../src/graphql/schema.js';
import { operationCost } from '../../src/http/graphql-cost.js';
import { describe, expect, it, test, type TestServer } from '../support/server-fixture.js';
import { startTestServer } from '../support/server.js';
import { openSse } from '../support/sse.js';
import { type GraphQLClient, graphqlClient } from './client.js';

/**
 * The GraphQL limits (graphql-armor, introspection, CSRF, body size, page size, GET and batching):
 * each refusal is a 4xx with a stable code, and happens before any resolver runs — proven by
 * counting the SQL statements the request caused (none).
 */

interface Raw {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

async function send(url: string, init: RequestInit & { path?: string } = {}): Promise<Raw> {
  const response = await fetch(`${url}${init.path ?? '/graphql'}`, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

const postJson = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  send(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(payload) });

let sessionId: string;

test.override({ env: { MAX_PAGE_SIZE: '5' } });

test.beforeAll(async ({ gql }) => {
  const created = await gql.raw('mutation { createSession(input: {agentName: "limits"}) { id } }');
  sessionId = (created.data as { createSession: { id: string } }).createSession.id;
  const messages = Array.from({ length: 7 }, (_, i) => ({ role: 'USER', content: `m${i}` }));
  await gql.raw('mutation($s: ID!, $m: [NewMessageInput!]!) { addMessages(sessionId: $s, messages: $m) { id } }', { s: sessionId, m: messages });
  await gql.raw('mutation($s: ID!) { setState(sessionId: $s, data: 1) { version } }', { s: sessionId });
  await gql.raw('mutation { putCheckpoint(input: { threadId: "limits", id: "1", type: "json", data: "e30=" }) { id } }');
});

/** Sends `request` and expects a refusal with `status` and `code` that ran no SQL at all. */
async function expectRefused(server: TestServer, request: () => Promise<Raw>, status: number, code: string, message?: RegExp): Promise<Raw> {
  server.resetQueries();
  const response = await request();
  expect(response.status, response.text).toBe(status);
  // Several limits may be exceeded at once (a deep query is costly too): each says so.
  const refusal = (response.body?.errors ?? []).find((e: any) => e.extensions?.code === code);
  expect(refusal, response.text).toBeDefined();
  if (message) expect(refusal.message).toMatch(message);
  expect(response.body.data).toBeUndefined();
  expect(server.queries).toEqual([]);
  return response;
}

/** A query `levels` deep: sessions.nodes.history.nodes, then round the Message.session cycle. */
function nested(levels: number): string {
  const fields = ['sessions', 'nodes', 'history', 'nodes'];
  while (fields.length < levels - 1) fields.push('session', 'history', 'nodes');
  const path = fields.slice(0, levels - 1); // the leaf is the last level
  return `{ ${path.map((f) => `${f} {`).join(' ')} __typename ${'}'.repeat(path.length)} }`;
}

describe('query limits (graphql-armor), before any resolver runs', () => {
  it('depth: 7 levels pass (Relay edges two connections deep), 8 are refused with MAX_DEPTH_EXCEEDED', async ({ server }) => {
    const relay = '{ sessions { edges { node { history { edges { node { content } } } } } } }';
    const ok = await postJson(server.url, { query: relay });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.errors).toBeUndefined();
    // Fragments do not count as levels.
    const withFragments = await postJson(server.url, {
      query: '{ sessions { ...S } } fragment S on SessionConnection { edges { node { history { ...H } } } } fragment H on MessageConnection { edges { node { content } } }',
    });
    expect(withFragments.body.errors).toBeUndefined();

    expect(nested(8)).toContain('session {');
    await expectRefused(server, () => postJson(server.url, { query: nested(8) }), 400, 'MAX_DEPTH_EXCEEDED', /^Query depth limit of 7 exceeded, found 8\.$/);
    await expectRefused(server, () => postJson(server.url, { query: nested(30) }), 400, 'MAX_DEPTH_EXCEEDED');
  });

  it('aliases: 15 pass, 16 are refused with MAX_ALIASES_EXCEEDED', async ({ server }) => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: sessions { totalCount }`).join(' ')} }`;
    const ok = await postJson(server.url, { query: aliased(15) });
    expect(ok.body.errors).toBeUndefined();
    await expectRefused(server, () => postJson(server.url, { query: aliased(16) }), 400, 'MAX_ALIASES_EXCEEDED', /Aliases limit of 15 exceeded, found 16/);
  });

  it('directives: more than 50 are refused with MAX_DIRECTIVES_EXCEEDED', async ({ server }) => {
    const query = `{ sessions { totalCount ${'@include(if: true) '.repeat(51)} } }`;
    await expectRefused(server, () => postJson(server.url, { query }), 400, 'MAX_DIRECTIVES_EXCEEDED', /Directives limit of 50 exceeded, found 51/);
  });

  it('tokens: a document of more than 1,000 tokens is refused with MAX_TOKENS_EXCEEDED', async ({ server }) => {
    const query = `{ ${Array.from({ length: 1001 }, () => '__typename').join(' ')} }`;
    await expectRefused(server, () => postJson(server.url, { query }), 400, 'MAX_TOKENS_EXCEEDED', /Token limit of 1000 exceeded/);
  });

  it('cost: a query whose page sizes and breadth cost more than 5,000 is refused with MAX_COST_EXCEEDED', async ({ server }) => {
    // With MAX_PAGE_SIZE=5 the limit is its floor, 5000.
    const query = '{ sessions(first: 5) { nodes { history(first: 5) { nodes { id content role seq timestamp metadata } } } } }';
    const ok = await postJson(server.url, { query });
    expect(ok.body.errors).toBeUndefined();
    // Without first: sessions count as their page of 5 (100 capped by MAX_PAGE_SIZE), each history whole (5).
    const costly = `{ ${Array.from({ length: 15 }, (_, i) => `a${i}: sessions { nodes { history { nodes { id content } } } }`).join(' ')} }`;
    await expectRefused(server, 
      () => postJson(server.url, { query: costly }),
      400,
      'MAX_COST_EXCEEDED',
      /^Query Cost limit of 5000 exceeded, found \d+\. .*Query\.sessions as 5, Session\.history as 5/,
    );
  });

  it('the status is 400 whatever the client accepts', async ({ server }) => {
    for (const accept of ['application/json', 'application/graphql-response+json', '*/*']) {
      await expectRefused(server, () => postJson(server.url, { query: nested(9) }, { accept }), 400, 'MAX_DEPTH_EXCEEDED');
    }
  });

  it('limits are configurable', async ({ serve }) => {
    const strict = await serve({ GRAPHQL_MAX_DEPTH: '3', GRAPHQL_MAX_ALIASES: '0', GRAPHQL_MAX_TOKENS: '20', GRAPHQL_MAX_COST: '10' });
    const depth = await postJson(strict.url, { query: '{ sessions { nodes { history { totalCount } } } }' });
    const codes = (r: Raw) => r.body.errors.map((e: any) => e.extensions.code);
    expect(codes(depth)).toContain('MAX_DEPTH_EXCEEDED');
    const alias = await postJson(strict.url, { query: '{ n: sessions { totalCount } }' });
    expect(codes(alias)).toContain('MAX_ALIASES_EXCEEDED');
    const cost = await postJson(strict.url, { query: '{ sessions(first: 3) { nodes { id agentName } } }' });
    expect(codes(cost)).toEqual(['MAX_COST_EXCEEDED']);
    const tokens = await postJson(strict.url, { query: `{ ${'__typename '.repeat(20)} }` });
    expect(codes(tokens)).toEqual(['MAX_TOKENS_EXCEEDED']);
    expect(strict.queries).toEqual([]);
  });
});

/** A second server for this file, at the defaults (the file's own has MAX_PAGE_SIZE=5). */
const atDefaults = test.extend('big', { scope: 'file' }, async ({}, { onCleanup }) => {
  const big = await startTestServer();
  onCleanup(() => big.close());
  return big;
});

describe('cost of connections read without first/last, at the default MAX_PAGE_SIZE (10,000) and cost limit', () => {
  let id: string;
  atDefaults.beforeAll(async ({ big }) => {
    const created = await graphqlClient(big.url).raw('mutation { createSession(input: {agentName: "cost"}) { id } }');
    id = (created.data as { createSession: { id: string } }).createSession.id;
  });

  const aliases = (n: number, history: string) =>
    `query($id: ID!${history.includes('$n') ? ', $n: Int' : ''}) { ${Array.from({ length: n }, (_, i) => `a${i}: session(id: $id) { ${history} { nodes { content } } }`).join(' ')} }`;

  atDefaults('a whole history counts as MAX_PAGE_SIZE messages: 15 aliases of it are refused, before any SQL', async ({ big }) => {
    big.resetQueries();
    const refused = await postJson(big.url, { query: aliases(15, 'history'), variables: { id } });
    expect(refused.status, refused.text).toBe(400);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors).toEqual([
      {
        message: expect.stringMatching(/^Query Cost limit of 1000000 exceeded, found \d+\. .*Session\.history as 10000 items.*first: n/),
        extensions: { code: 'MAX_COST_EXCEEDED' },
      },
    ]);
    expect(big.queries).toEqual([]);
    // One of them is fine, and so are 15 pages of 100.
    expect((await postJson(big.url, { query: aliases(1, 'history'), variables: { id } })).body).toEqual({ data: { a0: { history: { nodes: [] } } } });
    const paged = await postJson(big.url, { query: aliases(15, 'history(first: 100)'), variables: { id } });
    expect(paged.body.errors, paged.text).toBeUndefined();
  });

  atDefaults('a page size passed as a variable counts as its value (a variable no longer hides it)', async ({ big }) => {
    const query = aliases(15, 'history(first: $n)');
    const refused = await postJson(big.url, { query, variables: { id, n: 10_000 } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions.code).toBe('MAX_COST_EXCEEDED');
    // The same document with a small page passes: the cost is per request, not per document.
    const ok = await postJson(big.url, { query, variables: { id, n: 10 } });
    expect(ok.body.errors, ok.text).toBeUndefined();
    // A variable left out counts as its default value, or as the default page.
    const defaulted = query.replace('$n: Int', '$n: Int = 10');
    expect((await postJson(big.url, { query: defaulted, variables: { id } })).body.errors).toBeUndefined();
    expect((await postJson(big.url, { query, variables: { id } })).body.errors[0].extensions.code).toBe('MAX_COST_EXCEEDED');
  });

  atDefaults("README's one-session example (whole history, artifacts, metrics) stays within the limit", async ({ big }) => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = /```graphql\n(query Session\(\$id: ID!\)[\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toContain('history {');
    const response = await postJson(big.url, { query: example, variables: { id } });
    expect(response.status, response.text).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.session.id).toBe(id);
  });

  atDefaults('every operation of operations.graphql and of the benchmark stays within the limit, even with its page variables left out', () => {
    const limit = defaultMaxCost(10_000);
    const documents = [
      ['operations.graphql', readFileSync(new URL('./operations.graphql', import.meta.url), 'utf8'), {}],
      ...Object.entries(benchQueries)
        .filter(([name, query]) => name.endsWith('_QUERY') && typeof query === 'string')
        .map(([name, query]) => [name, query, { first: 50 }]),
    ] as [string, string, Record<string, unknown>][];
    let operations = 0;
    for (const [name, text, variables] of documents) {
      const document = parse(text);
      for (const operation of document.definitions) {
        if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
        operations++;
        const { cost } = operationCost(schema, document, operation, variables, 10_000);
        expect(cost, `${name}: ${operation.name?.value}`).toBeLessThanOrEqual(limit);
      }
    }
    expect(operations).toBeGreaterThan(30);
  });
});

describe('response size (GRAPHQL_MAX_RESPONSE_BYTES)', () => {
  const addMessage = (url: string, sessionId: string, content: string) =>
    postJson(url, { query: 'mutation($i: AddMessageInput!) { addMessage(input: $i) { seq } }', variables: { i: { sessionId, role: 'USER', content } } });
  const createSession = async (url: string) =>
    (await postJson(url, { query: 'mutation { createSession(input: {agentName: "big"}) { id } }' })).body.data.createSession.id as string;

  it('an answer larger than the limit is refused with 400 RESPONSE_TOO_LARGE; a smaller one passes', async ({ serve }) => {
    const small = await serve({ GRAPHQL_MAX_RESPONSE_BYTES: '2048' });
    const id = await createSession(small.url);
    for (let i = 0; i < 4; i++) expect((await addMessage(small.url, id, `${i}`.repeat(600))).status).toBe(200);
    const query = 'query($id: ID!, $n: Int) { session(id: $id) { history(first: $n) { nodes { content } } } }';
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const refused = await postJson(small.url, { query, variables: { id } }, { accept });
      expect(refused.status, refused.text).toBe(400);
      expect(refused.body).toEqual({
        errors: [{ message: expect.stringMatching(/^The response would be larger than 2048 bytes \(GRAPHQL_MAX_RESPONSE_BYTES\)/), extensions: { code: 'RESPONSE_TOO_LARGE' } }],
      });
    }
    const fits = await postJson(small.url, { query, variables: { id, n: 2 } });
    expect(fits.status).toBe(200);
    expect(fits.body.data.session.history.nodes).toHaveLength(2);
    // A mutation whose answer is too large has still written, and says so.
    const update = 'mutation($id: ID!) { updateSession(id: $id, input: { userId: "u1" }) { history { nodes { content } } } }';
    const applied = await postJson(small.url, { query: update, variables: { id } });
    expect(applied.status).toBe(400);
    expect(applied.body.errors[0]).toMatchObject({ message: expect.stringMatching(/^The mutation was applied, but its answer would be larger than 2048 bytes/), extensions: { code: 'RESPONSE_TOO_LARGE' } });
    const after = await postJson(small.url, { query: 'query($id: ID!) { session(id: $id) { userId } }', variables: { id } });
    expect(after.body.data.session.userId).toBe('u1');
  });

  it('a subscription event larger than the limit becomes an error event, and the stream goes on', async ({ serve }) => {
    const small = await serve({ GRAPHQL_MAX_RESPONSE_BYTES: '2048' });
    const id = await createSession(small.url);
    const body = JSON.stringify({ query: `subscription { sessionEvents(sessionId: "${id}") { ... on MessageAdded { message { content } } } }` });
    const stream = await openSse(`${small.url}/graphql`, { 'content-type': 'application/json' }, { method: 'POST', body });
    await addMessage(small.url, id, 'x'.repeat(5000));
    await addMessage(small.url, id, 'small');
    const [big, next] = await stream.take(2);
    stream.close();
    expect(JSON.parse(big!.data).errors[0].extensions.code).toBe('RESPONSE_TOO_LARGE');
    expect(JSON.parse(next!.data).data.sessionEvents.message.content).toBe('small');
  });

  it('15 aliases of a 45 MB history answer 400 RESPONSE_TOO_LARGE at the default limit (64 MiB), not 500', async ({ serve }) => {
    const big = await serve({ MAX_BODY_BYTES: String(8 * 1024 * 1024) });
    const id = await createSession(big.url);
    for (let i = 0; i < 9; i++) expect((await addMessage(big.url, id, String.fromCharCode(97 + i).repeat(5_000_000))).status).toBe(200);
    // Pages of 100, so that the cost limit lets it through: 15 × 45 MB would be 675 MB of JSON.
    const query = `query($id: ID!) { ${Array.from({ length: 15 }, (_, i) => `a${i}: session(id: $id) { history(first: 100) { nodes { content } } }`).join(' ')} }`;
    const refused = await postJson(big.url, { query, variables: { id } });
    expect(refused.status, refused.text.slice(0, 300)).toBe(400);
    expect(refused.body.errors[0].extensions.code).toBe('RESPONSE_TOO_LARGE');
    expect(refused.body.errors[0].message).toMatch(/larger than 67108864 bytes/);
    // One of them (45 MB) is served.
    const one = await postJson(big.url, { query: 'query($id: ID!) { session(id: $id) { history { nodes { seq } } } }', variables: { id } });
    expect(one.body.data.session.history.nodes).toHaveLength(9);
  }, 120_000);
});

describe('no hints about the schema in errors', () => {
  it('unknown fields, arguments and enum values get no "Did you mean"', async ({ server }) => {
    const cases = [
      '{ sessions { nodes { agentNam } } }',
      '{ sessions(frist: 1) { totalCount } }',
      '{ sessions(status: ACTIV) { totalCount } }',
      '{ sesions { totalCount } }',
    ];
    for (const query of cases) {
      const response = await postJson(server.url, { query });
      expect(response.body.errors.length, query).toBeGreaterThan(0);
      expect(response.text, query).not.toMatch(/did you mean/i);
      expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    const variable = await postJson(server.url, {
      query: 'query($s: SessionStatus, $i: CreateSessionInput!) { sessions(status: $s) { totalCount } x: createSession(input: $i) { id } }',
      variables: { s: 'ACTIV', i: { agentNam: 'x' } },
    });
    expect(variable.body.errors.length).toBeGreaterThan(0);
    expect(variable.text).not.toMatch(/did you mean/i);
  });
});

describe('aliases', () => {
  it('refuses the alias __proto__ (it would vanish from a compiled result) and keeps other JavaScript names', async ({ server }) => {
    const refused = await postJson(server.url, { query: '{ sessions { nodes { __proto__: id } } }' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions.code).toBe('RESERVED_ALIAS');
    expect(refused.body.data).toBeUndefined();
    const kept = await postJson(server.url, { query: '{ constructor: sessions { totalCount } toString: sessions { totalCount } hasOwnProperty: __typename }' });
    expect(kept.body).toEqual({ data: { constructor: { totalCount: expect.any(Number) }, toString: { totalCount: expect.any(Number) }, hasOwnProperty: 'Query' } });
  });
});

describe('introspection and GraphiQL', () => {
  const introspection = '{ __schema { queryType { name } } }';

  it('are on outside production (the tests run with NODE_ENV=test)', async ({ server }) => {
    const response = await postJson(server.url, { query: introspection });
    expect(response.body.data.__schema.queryType.name).toBe('Query');
    const page = await send(server.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('are off in production unless enabled; __typename keeps working', async ({ serve }) => {
    const production = await serve({ NODE_ENV: 'production' });
    for (const query of [introspection, '{ __type(name: "Session") { name } }', '{ sessions { nodes { id } } __schema { types { name } } }']) {
      const response = await postJson(production.url, { query });
      expect(response.status).toBe(400);
      expect(response.body.errors[0].extensions.code).toBe('INTROSPECTION_DISABLED');
      expect(response.body.errors[0].message).toMatch(/Introspection is disabled/);
      expect(response.body.data).toBeUndefined();
    }
    expect(production.queries).toEqual([]);
    const typename = await postJson(production.url, { query: '{ __typename sessions { __typename } }' });
    expect(typename.body.data).toEqual({ __typename: 'Query', sessions: { __typename: 'SessionConnection' } });
    const page = await send(production.url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(page.text).not.toMatch(/graphiql/i);
    const enabled = await serve({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true', GRAPHIQL: 'true' });
    expect((await postJson(enabled.url, { query: introspection })).body.data.__schema.queryType.name).toBe('Query');
    expect((await send(enabled.url, { headers: { accept: 'text/html' } })).headers.get('content-type')).toMatch(/text\/html/);
  });
});

describe('CSRF prevention, GET and batching', () => {
  const mutation = 'mutation { createSession(input: {agentName: "csrf"}) { id } }';
  const sessionsNamed = async (gql: GraphQLClient, agentName: string) =>
    ((await gql.raw(`{ sessions(agentName: "${agentName}") { totalCount } }`)).data as { sessions: { totalCount: number } }).sessions.totalCount;

  it('JSON POSTs need nothing more', async ({ server }) => {
    const response = await postJson(server.url, { query: '{ sessions { totalCount } }' });
    expect(response.status).toBe(200);
    expect(response.body.data.sessions.totalCount).toBeGreaterThan(0);
  });

  it('a form or text/plain POST (what a cross-site page can send without preflight) is refused with 403', async ({ server, gql }) => {
    const form = new URLSearchParams({ query: mutation }).toString();
    await expectRefused(server, 
      () => send(server.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form }),
      403,
      'CSRF_PREVENTED',
    );
    await expectRefused(server, 
      () => send(server.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: mutation }) }),
      403,
      'CSRF_PREVENTED',
    );
    const multipart = new FormData();
    multipart.set('operations', JSON.stringify({ query: mutation }));
    await expectRefused(server, () => send(server.url, { method: 'POST', body: multipart }), 403, 'CSRF_PREVENTED');
    expect(await sessionsNamed(gql, 'csrf')).toBe(0);
  });

  it('a GET needs a CSRF header; with one, queries work', async ({ server }) => {
    const path = `/graphql?query=${encodeURIComponent('{ sessions { totalCount } }')}`;
    await expectRefused(server, () => send(server.url, { path }), 403, 'CSRF_PREVENTED', /x-graphql-yoga-csrf/);
    for (const header of ['x-graphql-yoga-csrf', 'apollo-require-preflight', 'x-apollo-operation-name']) {
      const ok = await send(server.url, { path, headers: { [header]: '1', accept: 'application/json' } });
      expect(ok.status, header).toBe(200);
      expect(ok.body.data.sessions.totalCount).toBeGreaterThan(0);
    }
  });

  it('mutations over GET are refused with 405 (Yoga), even with a CSRF header', async ({ server, gql }) => {
    const path = `/graphql?query=${encodeURIComponent(mutation)}`;
    const response = await expectRefused(server, () => send(server.url, { path, headers: { 'x-graphql-yoga-csrf': '1' } }), 405, 'BAD_REQUEST', /POST/);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await sessionsNamed(gql, 'csrf')).toBe(0);
  });

  it('batched requests (an array of operations) are refused', async ({ server, gql }) => {
    server.resetQueries();
    const response = await postJson(server.url, [{ query: mutation }, { query: mutation }]);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(server.queries).toEqual([]);
    expect(await sessionsNamed(gql, 'csrf')).toBe(0);
  });
});

describe('body size (MAX_BODY_BYTES) for GraphQL', () => {
  const big = (bytes: number) => JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(bytes) } });

  /** A body sent in chunks, without content-length (transfer-encoding: chunked). */
  const chunked = (text: string) => {
    const bytes = new TextEncoder().encode(text);
    let offset = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(offset, offset + 64 * 1024));
        offset += 64 * 1024;
      },
    });
  };
  const post = (server: TestServer, body: BodyInit, extra: RequestInit = {}) =>
    send(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, ...extra });

  it('refuses a declared content-length above the limit with 413 PAYLOAD_TOO_LARGE', async ({ server }) => {
    await expectRefused(server, () => post(server, big(1024 * 1024)), 413, 'PAYLOAD_TOO_LARGE', /larger than 1048576 bytes/);
  });

  it('refuses a chunked body (no content-length) once it passes the limit, while reading it', async ({ server }) => {
    const response = await expectRefused(server, 
      () => post(server, chunked(big(3 * 1024 * 1024)), { duplex: 'half' } as RequestInit),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expect(response.body.errors[0].message).toBe('Request body is larger than 1048576 bytes');
    // The connection is closed after such an answer (`connection: close`): the next requests do
    // not queue behind the unread rest of the body.
    expect(response.headers.get('connection')).toBe('close');
    for (let i = 0; i < 5; i++) expect((await postJson(server.url, { query: '{ __typename }' })).status).toBe(200);
  });

  it('accepts a chunked body under the limit', async ({ server }) => {
    const response = await post(server, chunked(big(900 * 1024)), { duplex: 'half' } as RequestInit);
    expect(response.status, response.text.slice(0, 300)).toBe(200);
    expect(response.body.data).toEqual({ __typename: 'Query' });
  });
});

describe('a request whose JSON does not parse', () => {
  const bodies = ['{"query": ', '{bad', '{"query": "{ __typename }", "variables": {"secret-ish": tru}}', ''];

  /** Checks a refusal says what is wrong, with a code, and nothing of the parser or the body. */
  function expectNotJson(response: Raw, message: string, sent: string) {
    expect(response.status, response.text).toBe(400);
    expect(response.body.errors).toEqual([{ message, extensions: { code: 'BAD_REQUEST' } }]);
    expect(response.text).not.toMatch(/originalError|SyntaxError|position|Unexpected|secret-ish/);
    if (sent.length > 2) expect(response.text).not.toContain(sent.slice(0, 8));
  }

  it('answers 400 BAD_REQUEST "Request body is not valid JSON", in development and in production, whatever the client accepts', async ({ server, serve }) => {
    const production = await serve({ NODE_ENV: 'production' });
    const development = await serve({ NODE_ENV: 'development' });
    for (const url of [server.url, production.url, development.url]) {
      for (const body of bodies) {
        for (const accept of ['application/json', 'application/graphql-response+json', '*/*']) {
          const response = await send(url, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body });
          expectNotJson(response, 'Request body is not valid JSON', body);
        }
      }
    }
    expect(production.queries).toEqual([]);
  });

  it('answers 400 BAD_REQUEST naming the URL parameter of a GET whose variables or extensions are not JSON (not 500)', async ({ server }) => {
    for (const param of ['variables', 'extensions']) {
      const path = `/graphql?query=${encodeURIComponent('{ __typename }')}&${param}=${encodeURIComponent('{bad')}`;
      const response = await send(server.url, { path, headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json' } });
      expectNotJson(response, `The URL parameter "${param}" is not valid JSON`, '{bad');
    }
  });
});

describe('MAX_PAGE_SIZE applies to every connection', () => {
  /** Every field of the schema that returns a connection, with the type that holds it. */
  function connectionFields(): { parent: GraphQLObjectType; field: GraphQLField<unknown, unknown> }[] {
    const found: { parent: GraphQLObjectType; field: GraphQLField<unknown, unknown> }[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        if (getNamedType(field.type).name.endsWith('Connection')) found.push({ parent: type, field });
      }
    }
    return found;
  }

  it('finds the connections of the schema (a new one is covered by this test automatically)', () => {
    const names = connectionFields().map(({ parent, field }) => `${parent.name}.${field.name}`).sort();
    // At least these; one added later is found here and checked below without a change to this test.
    expect(names).toEqual(expect.arrayContaining(['Query.metrics', 'Query.sessions', 'Session.artifacts', 'Session.history', 'Session.metrics']));
  });

  it('refuses first/last above the ceiling on each, before reading anything of it, and caps whole lists', async ({ gql }) => {
    for (const { parent, field } of connectionFields()) {
      const select = (args: string) => `${field.name}${args} { totalCount nodes { __typename } pageInfo { hasNextPage } }`;
      // A connection below the root is read through its parent: a session, or a LangGraph thread.
      const parents: Record<string, (inner: string) => string> = {
        Query: (inner) => `{ ${inner} }`,
        Session: (inner) => `query($id: ID!) { session(id: $id) { ${inner} } }`,
        State: (inner) => `query($id: ID!) { session(id: $id) { state { ${inner} } } }`,
        Thread: (inner) => `{ thread(id: "limits") { ${inner} } }`,
      };
      const wrap = parents[parent.name]!;
      // A connection's required arguments, besides paging.
      const required: Record<string, string> = { 'Query.search': ', query: "limits"', 'Query.searchSessions': ', query: "limits"', 'Query.searchArtifacts': ', query: "limits"' };
      const withRequired = (args: string) => args.replace(/\)$/, `${required[`${parent.name}.${field.name}`] ?? ''})`);
      const run = (args: string) => gql.raw(wrap(select(withRequired(args))), parent.name === 'Session' || parent.name === 'State' ? { id: sessionId } : undefined);
      // Each paging argument the connection has (checkpoints page forward only: their `before` is LangGraph's).
      for (const args of ['(first: 6)', '(last: 6)'].filter((a) => field.args.some((arg) => a.startsWith(`(${arg.name}:`)))) {
        const result = await run(args);
        expect(result.errors?.[0]?.extensions?.code, `${parent.name}.${field.name}${args}`).toBe('BAD_USER_INPUT');
        expect(result.errors?.[0]?.message).toMatch(/must be at most 5/);
      }
      const page = await run('(first: 5)');
      expect(page.errors, `${parent.name}.${field.name}`).toBeUndefined();
    }
    // The whole history, without paging arguments, stops at the ceiling and says more follow.
    const whole = await gql.raw('query($id: ID!) { session(id: $id) { history { totalCount nodes { seq } pageInfo { hasNextPage } } } }', { id: sessionId });
    const history = (whole.data as any).session.history;
    expect(history.totalCount).toBe(7);
    expect(history.nodes).toHaveLength(5);
    expect(history.pageInfo.hasNextPage).toBe(true);
  });
});
