import { getNamedType, isObjectType } from 'graphql';
import { schema } from '../../src/graphql/schema.js';
import { describe, expect, it, test } from '../support/server-fixture.js';

/**
 * One default page size and one ceiling (MAX_PAGE_SIZE) for every list, on both doors: with
 * MAX_PAGE_SIZE=5 no list answers more than 5 rows by default, and a larger page is refused.
 */

const MAX = 5;
const ROWS = MAX + 2;

let sessionId: string;

test.override({ env: { MAX_PAGE_SIZE: String(MAX) } });

test.beforeAll(async ({ api }) => {
  // ROWS of everything: sessions of one agent, and in one of them messages, artifacts, forks, metrics.
  for (let i = 0; i < ROWS; i++) await api.post('/storage/sessions', { agent_name: 'paged', metadata: { group: 'paged' } });
  sessionId = (await api.post('/storage/sessions', { agent_name: 'paged-parent' })).body.id as string;
  let messageId = '';
  for (let i = 0; i < ROWS; i++) {
    messageId = (await api.post('/storage/history', { session_id: sessionId, role: 'user', content: `m${i} paged` })).body.id as string;
    await api.post('/storage/artifacts', { session_id: sessionId, name: `a${i}`, type: 'paged', path: '/p', size: i });
    await api.post('/storage/metrics', { entity_type: 'agent', entity_name: 'paged', metric_name: 'm', value: i, session_id: sessionId });
  }
  for (let i = 0; i < ROWS; i++) expect((await api.post(`/storage/sessions/${sessionId}/fork`, { up_to_message_id: messageId })).status).toBe(200);
  // ROWS superseded messages (appended, then popped): the history keeps its ROWS.
  for (let i = 0; i < ROWS; i++) {
    await api.post('/storage/history', { session_id: sessionId, role: 'user', content: `popped ${i}` });
    expect((await api.post(`/storage/history/pop?session_id=${sessionId}`)).body.message.content).toBe(`popped ${i}`);
  }
  // And a LangGraph thread of ROWS checkpoints.
  for (let i = 0; i < ROWS; i++) expect((await api.put(`/storage/threads/paged/checkpoints/c${i}`, { type: 'json', data: 'e30=' })).status).toBe(200);
});

describe('REST lists with MAX_PAGE_SIZE=5', () => {
  const lists = () => [
    '/storage/sessions?agent_name=paged',
    '/storage/metrics?entity_name=paged',
    `/storage/history?session_id=${sessionId}`,
    `/storage/artifacts?session_id=${sessionId}`,
    `/storage/sessions/${sessionId}/forks`,
    `/storage/history/superseded?session_id=${sessionId}`,
  ];

  it('answer at most 5 by default, with a Link to the rest that ends where the list does', async ({ server, api }) => {
    for (const path of lists()) {
      const first = await api.get(path);
      expect(first.status, path).toBe(200);
      expect(first.body, path).toHaveLength(MAX);
      const link = first.headers.get('link');
      expect(link, path).toMatch(/^<[^>]+>; rel="next"$/);
      const next = new URL(link!.slice(1, link!.indexOf('>')), server.url);
      expect(next.searchParams.get('offset'), path).toBe(String(MAX));
      const rest = await api.get(next.pathname + next.search);
      expect(rest.body, path).toHaveLength(ROWS - MAX);
      expect(rest.headers.get('link'), path).toBeNull();
      // A superseded message's id is its message's.
      const ids = [...first.body, ...rest.body].map((row: { id?: string; message?: { id: string } }) => row.id ?? row.message!.id);
      expect(new Set(ids).size, path).toBe(ROWS);
    }
  });

  it('answer the page asked for without a Link, and refuse a limit above 5 as before', async ({ api }) => {
    for (const path of lists()) {
      const asked = await api.get(`${path}${path.includes('?') ? '&' : '?'}limit=${MAX}`);
      expect(asked.body, path).toHaveLength(MAX);
      expect(asked.headers.get('link'), path).toBeNull();
      const tooMany = await api.get(`${path}${path.includes('?') ? '&' : '?'}limit=${MAX + 1}`);
      expect(tooMany.status, path).toBe(422);
      expect(tooMany.body.detail, path).toEqual([{ loc: ['query', 'limit'], msg: `must be at most ${MAX}`, type: 'value_error' }]);
    }
  });

  it('checkpoint lists page by cursor: 5 by default with a Link (`after`) to the rest, and refuse a limit above 5', async ({ api }) => {
    for (const path of ['/storage/threads/paged/checkpoints', '/storage/checkpoints']) {
      const first = await api.get(path);
      expect(first.body, path).toHaveLength(MAX);
      const link = first.headers.get('link');
      expect(link, path).toMatch(/^<[^>]+after=[^>]+>; rel="next"$/);
      const rest = await api.get(link!.slice(1, link!.indexOf('>')));
      expect(rest.body, path).toHaveLength(ROWS - MAX);
      expect(rest.headers.get('link'), path).toBeNull();
      expect((await api.get(`${path}?limit=${MAX + 1}`)).body.detail, path).toEqual([{ loc: ['query', 'limit'], msg: `must be at most ${MAX}`, type: 'value_error' }]);
    }
  });

  it('a list that fits in one page has no Link', async ({ api }) => {
    const history = await api.get(`/storage/history?session_id=${sessionId}&after_seq=${ROWS - MAX}`);
    expect(history.body.map((m: { seq: number }) => m.seq)).toEqual([3, 4, 5, 6, 7]);
    expect(history.headers.get('link')).toBeNull();
    expect((await api.get('/storage/sessions?agent_name=nobody')).headers.get('link')).toBeNull();
  });
});

describe('GraphQL connections with MAX_PAGE_SIZE=5', () => {
  it('every connection answers at most 5 nodes without paging arguments, and says that more follow', async ({ gql }) => {
    let checked = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || !['Query', 'Session', 'Thread'].includes(type.name)) continue;
      for (const field of Object.values(type.getFields())) {
        if (!getNamedType(field.type).name.endsWith('Connection')) continue;
        // Arguments that pick this test's rows, where the connection has any (a search: the parent session's, not its forks' copies).
        const args = field.args.some((a) => a.name === 'query')
          ? `query: "paged"${field.name === 'searchSessions' ? '' : `, filter: { sessionIds: ["${sessionId}"] }`}`
          : field.args.some((a) => a.name === 'agentName')
            ? 'agentName: "paged"'
            : field.args.some((a) => a.name === 'entityName')
              ? 'entityName: "paged"'
              : '';
        const filter = args ? `(${args})` : '';
        const select = `${field.name}${filter} { totalCount nodes { __typename } pageInfo { hasNextPage } }`;
        // A connection below the root is read through its parent: this test's session, or its LangGraph thread.
        const wrap = { Query: (x: string) => `{ ${x} }`, Session: (x: string) => `query($id: ID!) { session(id: $id) { ${x} } }`, Thread: (x: string) => `{ thread(id: "paged") { ${x} } }` };
        const query = wrap[type.name as keyof typeof wrap](select);
        const variables = type.name === 'Session' ? { id: sessionId } : undefined;
        const result = await gql.raw(query, variables);
        expect(result.errors, `${type.name}.${field.name}`).toBeUndefined();
        const data = result.data as any;
        const connection = type.name === 'Query' ? data[field.name] : (Object.values(data)[0] as any)[field.name];
        expect(connection.totalCount, `${type.name}.${field.name}`).toBe(ROWS);
        expect(connection.nodes, `${type.name}.${field.name}`).toHaveLength(MAX);
        expect(connection.pageInfo.hasNextPage, `${type.name}.${field.name}`).toBe(true);
        const refused = await gql.raw(query.replace(`${field.name}${filter}`, `${field.name}(first: ${MAX + 1}${args ? `, ${args}` : ''})`), variables);
        expect(refused.errors?.[0]?.extensions?.code, `${type.name}.${field.name}`).toBe('BAD_USER_INPUT');
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(9); // sessions, metrics, checkpoints; history, superseded history, artifacts, forks, metrics of a session; a thread's checkpoints
  });
});
