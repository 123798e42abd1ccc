import { pino } from 'pino';
import { createApp } from '../../src/server.js';
import { STREAM_PAGE_SIZE } from '../../src/graphql/pagination.js';
import { assemble, multipartPayloads, type Payload, ssePayloads } from '../support/incremental.js';
import { describe, expect, it, test, type TestServer } from '../support/server-fixture.js';
import { client, type JsonClient } from '../support/http.js';

/* @defer and @stream over multipart HTTP and SSE: what arrives first, what it assembles into, and the limits. */

const MESSAGES = 1000;
let sessionId: string;

/** Messages of about 250 bytes: a page of them is more than the few KiB the answer's stream buffers. */
const PADDING = ' and more'.repeat(25);

async function seed(api: JsonClient, count: number): Promise<string> {
  const created = await api.gql('mutation { createSession(input: { agentName: "streamed" }) { id } }');
  const id = created.body.data.createSession.id as string;
  for (let start = 0; start < count; start += 250) {
    const messages = Array.from({ length: Math.min(250, count - start) }, (_, i) => ({ role: 'USER', content: `message ${start + i + 1}${PADDING}` }));
    const added = await api.gql('mutation ($id: ID!, $m: [NewMessageInput!]!) { addMessages(sessionId: $id, messages: $m) { seq } }', { id, m: messages });
    expect(added.body.errors).toBeUndefined();
  }
  return id;
}

test.beforeAll(async ({ api }) => {
  sessionId = await seed(api, MESSAGES);
});

const STREAMED = `query ($id: ID!) { session(id: $id) { id history { nodes @stream(initialCount: 50) { seq role content } } } }`;
const WHOLE = `query ($id: ID!) { session(id: $id) { id history { nodes { seq role content } } } }`;

function request(url: string, query: string, variables: Record<string, unknown>, accept: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify({ query, variables }) });
}

async function collect(payloads: AsyncIterable<Payload>): Promise<Payload[]> {
  const all: Payload[] = [];
  for await (const payload of payloads) all.push(payload);
  return all;
}

/** Reads of a page of history: the first page of a history comes through the history cache (`historyTailRows`). */
const pageReads = (server: TestServer) => server.queries.filter((name) => name === 'historyPages' || name === 'historyTailRows').length;

describe('@stream on a history', () => {
  it('sends the first messages before the last page is read, over multipart HTTP', async ({ server, api }) => {
    // In process (the app's own fetch), so that nothing but the reader of the answer sets its pace:
    // no socket buffers that would let the server run ahead however slowly the client reads.
    const app = createApp({ storage: server.storage, config: server.config, logger: pino({ level: 'silent' }) });
    const whole = await api.gql(WHOLE, { id: sessionId });
    server.resetQueries();
    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed' },
      body: JSON.stringify({ query: STREAMED, variables: { id: sessionId } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^multipart\/mixed/);
    const payloads: Payload[] = [];
    let readsAtFirstPayload = -1;
    let readsWhileWaiting = -1;
    for await (const payload of multipartPayloads(response)) {
      if (payloads.length === 0) {
        readsAtFirstPayload = pageReads(server);
        // While this reader takes nothing more, the server reads nothing more: it is paced by the
        // answer's reader, not by the database (other requests are served meanwhile).
        for (let i = 0; i < 20; i++) expect((await api.gql('{ sessions(first: 1) { totalCount } }')).status).toBe(200);
        readsWhileWaiting = pageReads(server);
      }
      payloads.push(payload);
    }
    const readsAtEnd = pageReads(server);
    const pages = MESSAGES / STREAM_PAGE_SIZE;
    // The first payload (50 messages) left after the first page or two were read, of ten (and one
    // more read that finds the end); while the reader waited, the server stayed as far ahead (the
    // answer's stream buffers a few KiB beyond what was read).
    expect(readsAtFirstPayload).toBeGreaterThanOrEqual(1);
    expect(readsAtFirstPayload).toBeLessThanOrEqual(3);
    expect(readsWhileWaiting).toBeLessThanOrEqual(3);
    expect(readsAtEnd).toBe(pages + 1);
    expect((payloads[0]!.data as any).session.history.nodes).toHaveLength(50);
    expect(payloads.length).toBeGreaterThan(2);
    expect(payloads.at(-1)!.hasNext).toBe(false);
    const assembled = assemble(payloads);
    expect(assembled.errors).toEqual([]);
    expect(assembled.data).toEqual(whole.body.data);
  });

  it('assembles into the non-streamed answer over SSE, with pageInfo and cursors', async ({ server, api }) => {
    const query = `query ($id: ID!) { session(id: $id) { history(first: 250) { totalCount pageInfo { hasNextPage endCursor startCursor }
      edges @stream(initialCount: 10) { cursor node { seq } } } } }`;
    const whole = await api.gql(query.replace('@stream(initialCount: 10)', ''), { id: sessionId });
    const response = await request(`${server.url}/graphql`, query, { id: sessionId }, 'text/event-stream');
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const assembled = assemble(await collect(ssePayloads(response)));
    expect(assembled.errors).toEqual([]);
    expect(assembled.data).toEqual(whole.body.data);
    expect((assembled.data as any).session.history.pageInfo.hasNextPage).toBe(true);
    expect((assembled.data as any).session.history.edges).toHaveLength(250);
  });

  it('streams nodes and edges of one history together, and stops at the end of a short one', async ({ server, api }) => {
    const query = `query ($id: ID!) { session(id: $id) { history(afterSeq: 990) { nodes @stream { seq } edges @stream(initialCount: 2) { node { seq } } } } }`;
    const response = await request(`${server.url}/graphql`, query, { id: sessionId }, 'multipart/mixed');
    const { data, errors } = assemble(await collect(multipartPayloads(response)));
    expect(errors).toEqual([]);
    const seqs = Array.from({ length: 10 }, (_, i) => 991 + i);
    expect((data as any).session.history.nodes.map((n: { seq: number }) => n.seq)).toEqual(seqs);
    expect((data as any).session.history.edges.map((e: { node: { seq: number } }) => e.node.seq)).toEqual(seqs);
  });

  it('@stream(if: false) and a backward page answer at once, as without the directive', async ({ server, api }) => {
    for (const history of ['history(last: 3) { nodes @stream { seq } }', 'history(first: 3) { nodes @stream(if: false) { seq } }']) {
      const query = `query ($id: ID!) { session(id: $id) { ${history} } }`;
      const whole = await api.gql(query.replace(/@stream(\(if: false\))?/, ''), { id: sessionId });
      const response = await request(`${server.url}/graphql`, query, { id: sessionId }, 'multipart/mixed');
      expect(assemble(await collect(multipartPayloads(response))).data).toEqual(whole.body.data);
    }
  });

  it('@defer sends the deferred fields in a later payload', async ({ server }) => {
    const query = `query ($id: ID!) { session(id: $id) { id ... @defer { tokens { messages } } } }`;
    const payloads = await collect(multipartPayloads(await request(`${server.url}/graphql`, query, { id: sessionId }, 'multipart/mixed')));
    expect(payloads[0]!.data).toEqual({ session: { id: sessionId } });
    expect(assemble(payloads).data).toEqual({ session: { id: sessionId, tokens: { messages: MESSAGES } } });
  });

  it('a history streamed in several sessions at once is read in batches, not a statement per session', async ({ server, api }) => {
    const other = await seed(api, 150);
    server.resetQueries();
    const query = `query ($a: ID!, $b: ID!) { a: session(id: $a) { history(first: 150) { nodes @stream(initialCount: 0) { seq } } }
      b: session(id: $b) { history(first: 150) { nodes @stream(initialCount: 0) { seq } } } }`;
    const payloads = await collect(multipartPayloads(await request(`${server.url}/graphql`, query, { a: sessionId, b: other }, 'multipart/mixed')));
    const { data } = assemble(payloads);
    expect((data as any).a.history.nodes).toHaveLength(150);
    expect((data as any).b.history.nodes).toHaveLength(150);
    // Two pages each (100 + 50, the second asking for one more to know the end): one statement per page for both.
    expect(pageReads(server)).toBe(2);
  });
});

describe('limits over incremental delivery', () => {
  it('a client that accepts only JSON is told to accept parts (406 NOT_ACCEPTABLE)', async ({ server }) => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const response = await request(`${server.url}/graphql`, STREAMED, { id: sessionId }, accept);
      expect(response.status).toBe(406);
      expect(((await response.json()) as Payload).errors?.[0]?.extensions?.code).toBe('NOT_ACCEPTABLE');
    }
  });

  it('GRAPHQL_MAX_RESPONSE_BYTES counts every part: the part over it becomes a last one with RESPONSE_TOO_LARGE', async ({ serve }) => {
    const small = await serve({ GRAPHQL_MAX_RESPONSE_BYTES: '20000' });
    const id = await seed(client(small.url), 1000);
    const response = await request(`${small.url}/graphql`, STREAMED, { id }, 'multipart/mixed');
    expect(response.status).toBe(200);
    const payloads = await collect(multipartPayloads(response));
    const last = payloads.at(-1)!;
    expect(last.hasNext).toBe(false);
    expect(last.errors?.[0]?.extensions?.code).toBe('RESPONSE_TOO_LARGE');
    const { data } = assemble(payloads.slice(0, -1));
    const sent = (data as any).session.history.nodes.length;
    expect(sent).toBeGreaterThanOrEqual(50);
    expect(sent).toBeLessThan(1000);
  });

  it('the cost and depth limits refuse a streamed operation before anything runs', async ({ serve }) => {
    const strict = await serve({ GRAPHQL_MAX_COST: '5000', GRAPHQL_MAX_DEPTH: '4' });
    const costly = await request(`${strict.url}/graphql`, STREAMED, { id: 'session_x' }, 'multipart/mixed');
    expect(costly.status).toBe(400);
    expect((await collect(multipartPayloads(costly)))[0]!.errors?.[0]?.extensions?.code).toBe('MAX_COST_EXCEEDED');
    const deep = `{ session(id: "s") { history(first: 1) { nodes @stream { session { history(first: 1) { nodes { seq } } } } } } }`;
    const tooDeep = await request(`${strict.url}/graphql`, deep, {}, 'multipart/mixed');
    expect(tooDeep.status).toBe(400);
    expect((await collect(multipartPayloads(tooDeep)))[0]!.errors?.[0]?.extensions?.code).toBe('MAX_DEPTH_EXCEEDED');
  });
});
