import { describe, expect, it, type TestServer } from '../support/server-fixture.js';
import { type GraphQLClient, graphqlClient } from './client.js';
import {
  AddMessageDocument,
  AddMessagesDocument,
  ClearHistoryDocument,
  CreateSessionDocument,
  DeleteSessionDocument,
  GetMessageDocument,
  HistoryDocument,
  type HistoryQueryVariables,
  type NewMessageInput,
} from './gql/graphql.js';

async function newSession(gql: GraphQLClient): Promise<string> {
  return (await gql.data(CreateSessionDocument, { input: { agentName: 'chat' } })).createSession.id;
}

const messages = (n: number, from = 1): NewMessageInput[] =>
  Array.from({ length: n }, (_, i) => ({ role: i % 2 ? 'ASSISTANT' : 'USER', content: `message ${from + i}` }));

async function history(gql: GraphQLClient, id: string, paging: Omit<HistoryQueryVariables, 'id'> = {}) {
  const { session } = await gql.data(HistoryDocument, { id, ...paging });
  return session!.history;
}

describe('adding messages', () => {
  it('addMessage appends with the next seq and links back to its session', async ({ server, gql }) => {
    const sessionId = await newSession(gql);
    const first = (await gql.data(AddMessageDocument, { input: { sessionId, role: 'USER', content: 'hello' } })).addMessage;
    expect(first).toMatchObject({ sessionId, seq: 1, role: 'USER', content: 'hello', metadata: {}, session: { id: sessionId } });
    expect(first.timestamp).toBe(new Date(server.clock.now()).toISOString());
    const second = (
      await gql.data(AddMessageDocument, { input: { sessionId, role: 'TOOL', content: '{}', metadata: { tool: 'search' } } })
    ).addMessage;
    expect(second).toMatchObject({ seq: 2, role: 'TOOL', metadata: { tool: 'search' } });

    const read = (await gql.data(GetMessageDocument, { id: second.id })).message;
    expect(read).toMatchObject({ id: second.id, seq: 2, session: { id: sessionId, agentName: 'chat' } });
    expect((await gql.data(GetMessageDocument, { id: 'msg_nope' })).message).toBeNull();
  });

  it('addMessages stores a batch in order with consecutive seq numbers', async ({ gql }) => {
    const sessionId = await newSession(gql);
    const added = (await gql.data(AddMessagesDocument, { sessionId, messages: messages(5) })).addMessages;
    expect(added.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(added.map((m) => m.content)).toEqual(messages(5).map((m) => m.content));
    const more = (await gql.data(AddMessagesDocument, { sessionId, messages: messages(2, 6) })).addMessages;
    expect(more.map((m) => m.seq)).toEqual([6, 7]);
  });

  it('addMessages is all or nothing: one invalid message stores none', async ({ gql }) => {
    const sessionId = await newSession(gql);
    const batch = [...messages(3), { role: 'USER' as const, content: 'broken \ud800 surrogate' }, ...messages(2)];
    const [error] = await gql.errors(AddMessagesDocument, { sessionId, messages: batch });
    expect(error!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error!.extensions?.issues).toEqual([{ path: ['messages', 3, 'content'], message: 'must be valid Unicode text (no lone surrogates)' }]);
    expect((await history(gql, sessionId)).totalCount).toBe(0);
  });

  it('addMessages for an unknown session stores nothing and says NOT_FOUND', async ({ server, gql }) => {
    const [error] = await gql.errors(AddMessagesDocument, { sessionId: 'session_nope', messages: messages(3) });
    expect(error!.extensions?.code).toBe('NOT_FOUND');
    expect((await server.storage.history.counts(['session_nope'])).get('session_nope')).toBe(0);
  });

  it('refuses an empty batch', async ({ gql }) => {
    const [error] = await gql.errors(AddMessagesDocument, { sessionId: await newSession(gql), messages: [] });
    expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: ['messages'] }] });
  });

  it('round-trips unicode and 100 KB+ content exactly', async ({ gql }) => {
    const sessionId = await newSession(gql);
    const unicode = 'ünïcödé 😀 مرحبا 你好 \u0000 nul, "quotes", \\ backslash, \n newline, \u{1F9D1}\u200D\u{1F4BB}';
    const big = 'λ'.repeat(60_000) + 'x'.repeat(50_000);
    const added = (
      await gql.data(AddMessagesDocument, {
        sessionId,
        messages: [
          { role: 'USER', content: unicode, metadata: { emoji: '🎉', nested: { 'ключ': ['värde'] } } },
          { role: 'ASSISTANT', content: big },
        ],
      })
    ).addMessages;
    const page = await history(gql, sessionId);
    expect(page.edges.map((e) => e.node.content)).toEqual([unicode, big]);
    expect(page.edges[0]!.node.metadata).toEqual({ emoji: '🎉', nested: { 'ключ': ['värde'] } });
    expect((await gql.data(GetMessageDocument, { id: added[1]!.id })).message!.content).toHaveLength(110_000);
  });
});

describe('reading history', () => {
  it('returns the whole history when no page is asked for', async ({ gql }) => {
    const sessionId = await newSession(gql);
    await gql.data(AddMessagesDocument, { sessionId, messages: messages(250) });
    const all = await history(gql, sessionId);
    expect(all.totalCount).toBe(250);
    expect(all.nodes.map((n) => n.seq)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(all.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });

  it('pages forward and backward by seq', async ({ gql }) => {
    const sessionId = await newSession(gql);
    await gql.data(AddMessagesDocument, { sessionId, messages: messages(10) });
    const page1 = await history(gql, sessionId, { first: 4 });
    expect(page1.nodes.map((n) => n.seq)).toEqual([1, 2, 3, 4]);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const page2 = await history(gql, sessionId, { first: 4, after: page1.pageInfo.endCursor });
    expect(page2.nodes.map((n) => n.seq)).toEqual([5, 6, 7, 8]);
    expect(page2.pageInfo.hasPreviousPage).toBe(true);

    const tail = await history(gql, sessionId, { last: 3 });
    expect(tail.nodes.map((n) => n.seq)).toEqual([8, 9, 10]);
    expect(tail.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const beforeTail = await history(gql, sessionId, { last: 3, before: tail.pageInfo.startCursor });
    expect(beforeTail.nodes.map((n) => n.seq)).toEqual([5, 6, 7]);
    expect(beforeTail.pageInfo.hasNextPage).toBe(true);

    // Between two cursors.
    const window = await history(gql, sessionId, { after: page1.pageInfo.endCursor, before: tail.pageInfo.startCursor });
    expect(window.nodes.map((n) => n.seq)).toEqual([5, 6, 7]);
  });

  it('keeps a cursor valid while messages are appended', async ({ gql }) => {
    const sessionId = await newSession(gql);
    await gql.data(AddMessagesDocument, { sessionId, messages: messages(3) });
    const page1 = await history(gql, sessionId, { first: 2 });
    await gql.data(AddMessagesDocument, { sessionId, messages: messages(3, 4) });
    const page2 = await history(gql, sessionId, { first: 10, after: page1.pageInfo.endCursor });
    expect(page2.nodes.map((n) => n.seq)).toEqual([3, 4, 5, 6]);
  });

  it('reads fresh data after each write of a multi-mutation request', async ({ gql }) => {
    const sessionId = await newSession(gql);
    // Mutations run one after another; each one's selection must see the writes before it.
    const result = await gql.raw(
      `mutation($s: ID!) {
        one: addMessage(input: { sessionId: $s, role: USER, content: "1" }) { session { history { totalCount } } }
        two: addMessage(input: { sessionId: $s, role: USER, content: "2" }) { session { history { totalCount nodes { seq } } } }
        cleared: clearHistory(sessionId: $s)
      }`,
      { s: sessionId },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      one: { session: { history: { totalCount: 1 } } },
      two: { session: { history: { totalCount: 2, nodes: [{ seq: 1 }, { seq: 2 }] } } },
      cleared: 2,
    });
  });

  it('clearHistory deletes the messages and says how many', async ({ gql }) => {
    const sessionId = await newSession(gql);
    await gql.data(AddMessagesDocument, { sessionId, messages: messages(4) });
    expect((await gql.data(ClearHistoryDocument, { sessionId })).clearHistory).toBe(4);
    expect((await history(gql, sessionId)).totalCount).toBe(0);
    expect((await gql.data(ClearHistoryDocument, { sessionId })).clearHistory).toBe(0);
  });

  it('deleting a session deletes its messages', async ({ gql }) => {
    const sessionId = await newSession(gql);
    const [message] = (await gql.data(AddMessagesDocument, { sessionId, messages: messages(1) })).addMessages;
    await gql.data(DeleteSessionDocument, { id: sessionId });
    expect((await gql.data(GetMessageDocument, { id: message!.id })).message).toBeNull();
  });
});

describe('the page ceiling', () => {
  const small = async (serve: (env: Record<string, string>) => Promise<TestServer>) => graphqlClient((await serve({ MAX_PAGE_SIZE: '5' })).url);

  it('returns at most MAX_PAGE_SIZE messages by default and says that more follow', async ({ serve }) => {
    const client = await small(serve);
    const sessionId = (await client.data(CreateSessionDocument, { input: { agentName: 'a' } })).createSession.id;
    await client.data(AddMessagesDocument, { sessionId, messages: messages(8) });
    const { session } = await client.data(HistoryDocument, { id: sessionId });
    expect(session!.history.nodes.map((n) => n.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(session!.history.pageInfo.hasNextPage).toBe(true);
    expect(session!.history.totalCount).toBe(8);
    const rest = await client.data(HistoryDocument, { id: sessionId, after: session!.history.pageInfo.endCursor });
    expect(rest.session!.history.nodes.map((n) => n.seq)).toEqual([6, 7, 8]);
    expect(rest.session!.history.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a page larger than the ceiling', async ({ serve }) => {
    const client = await small(serve);
    const sessionId = (await client.data(CreateSessionDocument, { input: { agentName: 'a' } })).createSession.id;
    const [error] = await client.errors(HistoryDocument, { id: sessionId, first: 6 });
    expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: ['first'], message: 'must be at most 5' }] });
    expect(error!.path).toEqual(['session', 'history']);
  });
});
