import { AgentStorageClient } from '../../src/client/index.js';
import { AUTH_ENV, createKey, keyed } from '../support/auth.js';
import { describe, expect, it, test } from '../support/server-fixture.js';

/*
 * Search and token budgets, black-box on a real server (SQLite, or PostgreSQL + Redis): plain fetch
 * on REST and on GraphQL (variables named unlike the arguments), the same keys, scopes and tenants
 * as every other read; hostile query text never gets past a 4xx.
 */

test.override({ env: AUTH_ENV });

type Hit = { message: { id: string; content: string; token_count: number | null }; session_id: string; score: number; snippet: string; highlights: [number, number][] };

describe('search over REST', () => {
  it('finds messages with their session, score and snippet; filters; pages with a cursor; keeps tenants apart', async ({ server }) => {
    const acme = keyed(server.url, await createKey(server.url, 'acme', ['READ', 'WRITE']));
    const beta = keyed(server.url, await createKey(server.url, 'beta', ['READ', 'WRITE']));
    const reader = keyed(server.url, await createKey(server.url, 'acme', ['READ']));
    const { body: support } = await acme.post('/storage/sessions', { agent_name: 'support', user_id: 'u1', metadata: { plan: 'pro' } });
    const { body: sales } = await acme.post('/storage/sessions', { agent_name: 'sales', user_id: 'u2' });
    const m1 = await acme.post('/storage/history', { session_id: support.id, role: 'user', content: 'Where is my refund? I asked for a refund last week.', metadata: { lang: 'en', n: 2 } });
    await acme.post('/storage/history', { session_id: support.id, role: 'assistant', content: 'Your refund was issued today.' });
    await acme.post('/storage/history', { session_id: sales.id, role: 'user', content: 'Do you offer refunds on annual plans?' });
    const { body: other } = await beta.post('/storage/sessions', { agent_name: 'support' });
    await beta.post('/storage/history', { session_id: other.id, role: 'user', content: 'refund refund refund' });

    const found = await reader.get('/storage/search?q=refund');
    expect(found.status).toBe(200);
    expect(found.body.total_count).toBe(2);
    expect(found.body.total_count_is_estimate).toBe(false);
    expect(found.body.next_cursor).toBeNull();
    const [best] = found.body.results as Hit[];
    expect(best!.message).toEqual(m1.body);
    expect(best!.session_id).toBe(support.id);
    expect(best!.highlights.map(([a, b]) => best!.snippet.slice(a, b))).toEqual(['refund', 'refund']);

    const ids = async (query: string) => ((await acme.get(`/storage/search?${query}`)).body.results as Hit[]).map((h) => h.message.content);
    expect(await ids('q=refund*')).toHaveLength(3);
    expect(await ids('q=refund*&agent_name=sales')).toEqual(['Do you offer refunds on annual plans?']);
    expect(await ids(`q=refund*&session_id=${sales.id},${support.id}&role=user`)).toHaveLength(2);
    expect(await ids(`q=refund*&session_id=${sales.id}&session_id=${support.id}&role=assistant`)).toEqual(['Your refund was issued today.']);
    expect(await ids('q=refund&metadata.lang=en&metadata.n=2')).toEqual([m1.body.content]);
    expect(await ids('q=refund&metadata.n=%222%22')).toEqual([]);
    expect(await ids('q=refund*&session_metadata.plan=pro')).toHaveLength(2);
    expect(await ids('q=refund*&user_id=u2')).toHaveLength(1);
    expect(await ids(`q=refund&since=${encodeURIComponent('2999-01-01T00:00:00Z')}`)).toEqual([]);
    expect(await ids('q=%22refund%20was%20issued%22')).toEqual(['Your refund was issued today.']);

    const first = await acme.get('/storage/search?q=refund*&limit=2');
    expect(first.body.results).toHaveLength(2);
    const second = await acme.get(`/storage/search?q=refund*&limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.results).toHaveLength(1);
    expect(second.body.next_cursor).toBeNull();
    const all = [...first.body.results, ...second.body.results].map((h: Hit) => h.message.id);
    expect(new Set(all).size).toBe(3);

    const betaFound = await beta.get('/storage/search?q=refund*');
    expect((betaFound.body.results as Hit[]).map((h) => h.session_id)).toEqual([other.id]);

    // Sessions by their metadata, artifacts by name, type and metadata.
    const { body: report } = await acme.post('/storage/artifacts', { session_id: sales.id, name: 'refund-terms.pdf', type: 'document', path: '/t.pdf', size: 3 });
    const bySessions = await reader.get('/storage/search?q=pro&kind=sessions');
    expect(bySessions.body).toMatchObject({ total_count: 1, next_cursor: null, results: [{ session: support, session_id: support.id, snippet: 'pro', highlights: [[0, 3]] }] });
    const byArtifacts = await reader.get('/storage/search?q=terms&kind=artifacts');
    expect(byArtifacts.body.results).toEqual([expect.objectContaining({ artifact: report, session_id: sales.id })]);
    expect((await beta.get('/storage/search?q=terms&kind=artifacts')).body.results).toEqual([]);
    expect((await acme.get('/storage/search?q=x&kind=sessions&role=user')).status).toBe(422);
    expect((await acme.get('/storage/search?q=x&kind=people')).body.detail[0].loc).toEqual(['query', 'kind']);
  });

  it('answers bad input and hostile query text with a 4xx, never a 5xx', async ({ server }) => {
    const key = await createKey(server.url, 'acme', ['READ', 'WRITE']);
    const api = keyed(server.url, key);
    const expect422 = async (query: string, loc: unknown[]) => {
      const res = await api.get(`/storage/search?${query}`);
      expect(res.status).toBe(422);
      expect(res.body.detail[0].loc).toEqual(loc);
    };
    await expect422('', ['query', 'q']);
    await expect422('q=', ['query', 'q']);
    await expect422('q=-x', ['query', 'q']);
    await expect422(`q=${'a'.repeat(10_000)}`, ['query', 'q']);
    await expect422('q=x&limit=0', ['query', 'limit']);
    await expect422('q=x&limit=1000', ['query', 'limit']);
    await expect422('q=x&role=robot', ['query', 'role', 0]);
    await expect422('q=x&since=yesterday', ['query', 'since']);
    await expect422('q=x&status=gone', ['query', 'status']);
    await expect422('q=x&metadata.a%22b=1', ['query', 'metadata', 'a"b']);
    const wrongCursor = await api.get('/storage/search?q=x&cursor=abc');
    expect(wrongCursor.status).toBe(422);
    expect(JSON.stringify(wrongCursor.body)).toMatch(/cursor/);
    for (const q of ['"', '*', 'NEAR(a, b)', 'a:b', 'a AND OR NOT', '\u0000', 'x\u0000y', '(((', "'; DROP TABLE history; --", '^', '"a" * "b', 'é*', 'OR OR']) {
      const res = await fetch(`${server.url}/storage/search?q=${encodeURIComponent(q)}`, { headers: { authorization: `Bearer ${key}` } });
      expect([200, 422]).toContain(res.status);
      expect(await res.text()).not.toMatch(/fts5|tsquery|syntax error|SQLITE|stack/i);
    }
    expect((await fetch(`${server.url}/storage/search?q=x`)).status).toBe(401);
  });
});

describe('search over GraphQL', () => {
  it('pages a connection with the session nested, counts, and names bad arguments', async ({ server }) => {
    const api = keyed(server.url, await createKey(server.url, 'gq', ['READ', 'WRITE']));
    const { body: s } = await api.post('/storage/sessions', { agent_name: 'gq-agent' });
    for (const content of ['penguin one', 'penguin penguin two', 'penguin three', 'walrus']) await api.post('/storage/history', { session_id: s.id, role: 'user', content });
    const query = `query Find($text: String!, $size: Int, $from: String, $where: SearchFilter) {
      search(query: $text, first: $size, after: $from, filter: $where) {
        totalCount totalCountIsEstimate
        pageInfo { hasNextPage endCursor }
        edges { cursor node { score snippet highlights { start end } message { id content } session { id agentName } } }
      }
    }`;
    const first = await api.gql(query, { text: 'penguin', size: 2, where: { agentName: 'gq-agent', roles: ['USER'] } });
    expect(first.body.errors).toBeUndefined();
    const page = first.body.data.search;
    expect(page.totalCount).toBe(3);
    expect(page.totalCountIsEstimate).toBe(false);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.edges[0].node.message.content).toBe('penguin penguin two');
    expect(page.edges[0].node.session).toEqual({ id: s.id, agentName: 'gq-agent' });
    expect(page.edges[0].node.highlights).toEqual([{ start: 0, end: 7 }, { start: 8, end: 15 }]);
    const next = await api.gql(query, { text: 'penguin', size: 2, from: page.pageInfo.endCursor, where: { agentName: 'gq-agent' } });
    // The filter is part of the search: a cursor of another filter is refused.
    expect(next.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const same = await api.gql(query, { text: 'penguin', size: 2, from: page.pageInfo.endCursor, where: { agentName: 'gq-agent', roles: ['USER'] } });
    expect(same.body.data.search.edges).toHaveLength(1);
    expect(same.body.data.search.pageInfo.hasNextPage).toBe(false);

    const sessionsQuery = 'query($q: String!) { searchSessions(query: $q) { totalCount edges { node { score snippet session { id } } } } }';
    const sessions = await api.gql(sessionsQuery, { q: 'penguin' });
    expect(sessions.body.data.searchSessions.totalCount).toBe(0);
    await api.post('/storage/artifacts', { session_id: s.id, name: 'penguin-census.csv', type: 'table', path: '/c.csv', size: 1 });
    const artifacts = await api.gql('query($q: String!) { searchArtifacts(query: $q, first: 1) { totalCount totalCountIsEstimate edges { node { snippet artifact { name } session { agentName } } } } }', { q: 'census' });
    expect(artifacts.body.data.searchArtifacts).toEqual({ totalCount: 1, totalCountIsEstimate: false, edges: [{ node: { snippet: 'penguin-census.csv · table', artifact: { name: 'penguin-census.csv' }, session: { agentName: 'gq-agent' } } }] });
    const bad = await api.gql(query, { text: '***', size: 5, where: { metadata: { 'a"b': 1 } } });
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors[0].message).toMatch(/query: has no word.*filter\.metadata/);
    const big = await api.gql(query, { text: 'penguin', size: 500 });
    expect(big.body.errors[0].message).toMatch(/first: must be at most 100/);
  });
});

describe('token budgets', () => {
  it('counts tokens when asked, reads the newest messages within a budget, totals a session', async ({ server }) => {
    const api = keyed(server.url, await createKey(server.url, 'tok', ['READ', 'WRITE']));
    const { body: s } = await api.post('/storage/sessions', { agent_name: 'a' });
    const counted = await api.post('/storage/history', { session_id: s.id, role: 'user', content: 'hello world', count_tokens: true });
    expect(counted.body.token_count).toBe(2);
    const given = await api.post('/storage/history', { session_id: s.id, role: 'assistant', content: 'hi', token_count: 40 });
    expect(given.body.token_count).toBe(40);
    const unknown = await api.post('/storage/history', { session_id: s.id, role: 'user', content: 'abcdefgh' });
    expect(unknown.body.token_count).toBeNull();
    expect((await api.post('/storage/history', { session_id: s.id, role: 'user', content: 'x', token_count: -1 })).status).toBe(422);
    expect((await api.post('/storage/history', { session_id: s.id, role: 'user', content: 'x', count_tokens: 'yes' })).status).toBe(422);

    const within = async (n: number) => ((await api.get(`/storage/history?session_id=${s.id}&max_tokens=${n}`)).body as { seq: number }[]).map((m) => m.seq);
    expect(await within(1)).toEqual([]);
    expect(await within(2)).toEqual([3]);
    expect(await within(42)).toEqual([2, 3]);
    expect(await within(44)).toEqual([1, 2, 3]);
    expect((await api.get(`/storage/history?session_id=${s.id}&max_tokens=10&limit=5`)).status).toBe(422);
    expect((await api.get(`/storage/history?session_id=${s.id}&max_tokens=-5`)).status).toBe(422);
    expect((await api.get(`/storage/history/tokens?session_id=${s.id}`)).body).toEqual({ session_id: s.id, token_count: 44, messages: 3, estimated_messages: 1 });

    const gql = await api.gql(
      'query Budget($sid: ID!, $budget: Int) { session(id: $sid) { tokens { tokens messages estimatedMessages } history(lastTokens: $budget) { totalCount edges { node { seq tokenCount } } } } }',
      { sid: s.id, budget: 42 },
    );
    expect(gql.body.data.session.tokens).toEqual({ tokens: 44, messages: 3, estimatedMessages: 1 });
    expect(gql.body.data.session.history.edges.map((e: { node: { seq: number } }) => e.node.seq)).toEqual([2, 3]);
    const mixed = await api.gql('query($sid: ID!) { session(id: $sid) { history(lastTokens: 5, first: 2) { totalCount } } }', { sid: s.id });
    expect(mixed.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const add = await api.gql(
      'mutation Add($sid: ID!, $list: [NewMessageInput!]!) { addMessages(sessionId: $sid, messages: $list, countTokens: true) { tokenCount } }',
      { sid: s.id, list: [{ role: 'USER', content: 'hello world' }, { role: 'USER', content: 'x', tokenCount: 9 }] },
    );
    expect(add.body.data.addMessages).toEqual([{ tokenCount: 2 }, { tokenCount: 9 }]);
  });

  it('answers 503 to a search on a server with the index off', async ({ serve }) => {
    const off = await serve({ SEARCH_INDEX: 'false' });
    const res = await fetch(`${off.url}/storage/search?q=anything`);
    expect(res.status).toBe(503);
    expect((await res.json()).detail).toMatch(/SEARCH_INDEX/);
  });
});

describe('search and budgets through the typed client', () => {
  it('finds, pages through everything, counts and reads within a budget', async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url, apiKey: await createKey(server.url, 'client', ['READ', 'WRITE']) });
    const session = await client.sessions.create({ agentName: 'typed' });
    const added = await client.history.appendMany(
      session.id,
      Array.from({ length: 7 }, (_, i) => ({ role: 'USER' as const, content: `otter ${'otter '.repeat(i % 3)}number ${i}` })),
      { countTokens: true },
    );
    expect(added.every((m) => typeof m.tokenCount === 'number' && m.tokenCount > 0)).toBe(true);
    const page = await client.search.find('otter', { first: 3, filter: { sessionIds: [session.id], roles: ['USER'] } });
    expect(page.hits).toHaveLength(3);
    expect(page.totalCount).toBe(7);
    expect(page.nextCursor).not.toBeNull();
    expect(page.hits[0]!.highlights[0]).toEqual({ start: 0, end: 5 });
    const all: string[] = [];
    for await (const hit of client.search.all('otter', { first: 2 })) all.push(hit.message.id);
    expect(all.sort()).toEqual(added.map((m) => m.id).sort());
    const budget = added.slice(-2).reduce((n, m) => n + m.tokenCount!, 0);
    expect((await client.history.withinTokens(session.id, budget)).map((m) => m.id)).toEqual(added.slice(-2).map((m) => m.id));
    expect(await client.history.tokens(session.id)).toEqual({ tokens: added.reduce((n, m) => n + m.tokenCount!, 0), messages: 7, estimatedMessages: 0 });
    await expect(client.search.find('-nothing')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(client.history.withinTokens('session_missing', 10)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
