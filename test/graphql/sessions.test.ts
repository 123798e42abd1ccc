import { describe, expect, it, test } from '../support/server-fixture.js';
import type { GraphQLClient } from './client.js';
import {
  CreateSessionDocument,
  DeleteSessionDocument,
  GetSessionDocument,
  ListSessionsDocument,
  type ListSessionsQueryVariables,
  UpdateSessionDocument,
} from './gql/graphql.js';

async function createSession(gql: GraphQLClient, agentName: string, extra: { userId?: string; status?: 'ACTIVE' | 'PAUSED' | 'ENDED' } = {}) {
  return (await gql.data(CreateSessionDocument, { input: { agentName, ...extra } })).createSession;
}

describe('session lifecycle', () => {
  it('creates with defaults, reads back, updates partially and deletes', async ({ server, gql }) => {
    const created = await createSession(gql, 'planner');
    expect(created).toMatchObject({ agentName: 'planner', userId: null, status: 'ACTIVE', metadata: {} });
    expect(created.id).toMatch(/^session_/);
    expect(created.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect((await gql.data(GetSessionDocument, { id: created.id })).session).toEqual(created);

    server.clock.advance(5000);
    const updated = (
      await gql.data(UpdateSessionDocument, { id: created.id, input: { status: 'PAUSED', metadata: { step: 2 } } })
    ).updateSession;
    expect(updated).toMatchObject({ agentName: 'planner', status: 'PAUSED', metadata: { step: 2 }, createdAt: created.createdAt });
    expect(updated.updatedAt).toBe('2026-01-01T00:00:05.000Z');

    expect((await gql.data(DeleteSessionDocument, { id: created.id })).deleteSession).toBe(created.id);
    expect((await gql.data(GetSessionDocument, { id: created.id })).session).toBeNull();
  });

  it('creates with every field given', async ({ gql }) => {
    const input = { agentName: 'a', userId: 'u-1', status: 'ENDED' as const, metadata: { tags: ['x'], n: 1.5 } };
    expect((await gql.data(CreateSessionDocument, { input })).createSession).toMatchObject(input);
  });

  it('answers NOT_FOUND for updating or deleting a missing session', async ({ gql }) => {
    const [update] = await gql.errors(UpdateSessionDocument, { id: 'session_nope', input: { status: 'ENDED' } });
    expect(update!.extensions?.code).toBe('NOT_FOUND');
    expect(update!.message).toBe('Session not found');
    const [remove] = await gql.errors(DeleteSessionDocument, { id: 'session_nope' });
    expect(remove!.extensions?.code).toBe('NOT_FOUND');
  });

  it('validates input with the domain rules', async ({ gql }) => {
    const [empty] = await gql.errors(CreateSessionDocument, { input: { agentName: '' } });
    expect(empty!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: ['input', 'agentName'], message: 'must not be empty' }] });
    expect(empty!.message).toBe('input.agentName: must not be empty');
    const [long] = await gql.errors(UpdateSessionDocument, { id: 'session_x', input: { userId: 'u'.repeat(257) } });
    expect(long!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(long!.message).toMatch(/^input\.userId: /);
  });
});

describe('sessions connection', () => {
  const agent = `lister-${Date.now()}`;
  let ids: string[] = [];

  test.beforeAll(async ({ server, gql }) => {
    // Oldest first; the connection lists newest first.
    for (let i = 0; i < 7; i++) {
      server.clock.advance(1);
      ids.push((await createSession(gql, agent, { userId: i % 2 ? 'odd' : 'even', status: i < 3 ? 'ACTIVE' : 'ENDED' })).id);
    }
    ids = ids.reverse();
  });

  const list = async (gql: GraphQLClient, variables: ListSessionsQueryVariables) => (await gql.data(ListSessionsDocument, { agentName: agent, ...variables })).sessions;

  it('lists newest first, with filters that also apply to totalCount', async ({ gql }) => {
    const all = await list(gql, {});
    expect(all.nodes.map((n) => n.id)).toEqual(ids);
    expect(all.totalCount).toBe(7);
    expect(all.edges.map((e) => e.node.id)).toEqual(ids);

    const even = await list(gql, { userId: 'even' });
    expect(even.totalCount).toBe(4);
    expect(even.nodes.map((n) => n.id)).toEqual(ids.filter((_, i) => i % 2 === 0));

    const endedEven = await list(gql, { userId: 'even', status: 'ENDED' });
    expect(endedEven.totalCount).toBe(2);
    expect(endedEven.edges.every((e) => e.node.status === 'ENDED')).toBe(true);

    expect((await list(gql, { agentName: 'nobody' })).totalCount).toBe(0);
  });

  it('filters by creation time (since inclusive, until exclusive), totalCount and pages included', async ({ gql }) => {
    const all = await list(gql, {});
    const created = await Promise.all(all.nodes.map(async (n) => (await gql.data(GetSessionDocument, { id: n.id })).session!.createdAt));
    // Newest first: ids[1] was created one millisecond after ids[2], and so on.
    const range = await list(gql, { since: created[4], until: created[1] });
    expect(range.nodes.map((n) => n.id)).toEqual(ids.slice(2, 5));
    expect(range.totalCount).toBe(3);
    const first = await list(gql, { since: created[4], until: created[1], first: 2 });
    expect(first.nodes.map((n) => n.id)).toEqual(ids.slice(2, 4));
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await list(gql, { since: created[4], until: created[1], first: 2, after: first.pageInfo.endCursor });
    expect(rest.nodes.map((n) => n.id)).toEqual(ids.slice(4, 5));
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect((await list(gql, { since: created[0], status: 'ENDED' })).nodes.map((n) => n.id)).toEqual(ids.slice(0, 1));
    expect((await list(gql, { since: created[3], until: created[3] })).totalCount).toBe(0);
  });

  it('refuses a malformed time and a range that ends before it starts as BAD_USER_INPUT', async ({ gql }) => {
    const [malformed] = await gql.errors(ListSessionsDocument, { since: 'yesterday' });
    expect(malformed!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(malformed!.message).toContain('DateTime must be an ISO 8601 date-time');
    const [backwards] = await gql.errors(ListSessionsDocument, { since: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' });
    expect(backwards!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: ['until'], message: 'must not be before since' }] });
  });

  it('pages forward with first/after and backward with last/before', async ({ gql }) => {
    const first = await list(gql, { first: 3 });
    expect(first.nodes.map((n) => n.id)).toEqual(ids.slice(0, 3));
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await list(gql, { first: 3, after: first.pageInfo.endCursor });
    expect(second.nodes.map((n) => n.id)).toEqual(ids.slice(3, 6));
    const third = await list(gql, { first: 3, after: second.pageInfo.endCursor });
    expect(third.nodes.map((n) => n.id)).toEqual(ids.slice(6));
    expect(third.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const last = await list(gql, { last: 4 });
    expect(last.nodes.map((n) => n.id)).toEqual(ids.slice(3));
    expect(last.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const before = await list(gql, { last: 4, before: last.pageInfo.startCursor });
    expect(before.nodes.map((n) => n.id)).toEqual(ids.slice(0, 3));
    expect(before.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    expect(before.totalCount).toBe(7);
  });

  it('keeps cursors stable while sessions are created between pages', async ({ gql }) => {
    const page1 = await list(gql, { first: 2 });
    // Newer sessions go to the front of the list and must not shift the next page.
    await createSession(gql, agent);
    await createSession(gql, agent);
    const page2 = await list(gql, { first: 2, after: page1.pageInfo.endCursor });
    expect(page2.nodes.map((n) => n.id)).toEqual(ids.slice(2, 4));
    const back = await list(gql, { last: 2, before: page2.pageInfo.startCursor });
    expect(back.nodes.map((n) => n.id)).toEqual(ids.slice(0, 2));
    expect((await list(gql, {})).totalCount).toBe(9);
  });

  it('gives an empty page for first: 0 and past the end', async ({ gql }) => {
    const none = await list(gql, { first: 0 });
    expect(none.nodes).toEqual([]);
    expect(none.pageInfo).toMatchObject({ hasNextPage: true, startCursor: null, endCursor: null });
    const all = await list(gql, {});
    const past = await list(gql, { after: all.pageInfo.endCursor });
    expect(past.nodes).toEqual([]);
    expect(past.pageInfo.hasNextPage).toBe(false);
  });
});
