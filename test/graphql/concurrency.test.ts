import { describe, expect, it } from '../support/server-fixture.js';
import type { GraphQLClient } from './client.js';
import {
  AddMessageIdempotentDocument,
  AddMessagesIdempotentDocument,
  CreateArtifactDocument,
  CreateSessionDocument,
  DeleteSessionDocument,
  DeleteStateDocument,
  ForkSessionDocument,
  HistoryAfterSeqDocument,
  PatchStateDocument,
  SessionsWithForksDocument,
  SessionTreeDocument,
  SetStateVersionedDocument,
  StateVersionDocument,
} from './gql/graphql.js';

async function newSession(gql: GraphQLClient, agentName = 'agent'): Promise<string> {
  return (await gql.data(CreateSessionDocument, { input: { agentName } })).createSession.id;
}

describe('versioned state', () => {
  it('State.version starts at 1 and moves by one per write; deleting starts it over', async ({ gql }) => {
    const sessionId = await newSession(gql);
    expect((await gql.data(SetStateVersionedDocument, { sessionId, data: { a: 1 } })).setState.version).toBe(1);
    expect((await gql.data(SetStateVersionedDocument, { sessionId, data: { a: 2 } })).setState.version).toBe(2);
    expect((await gql.data(PatchStateDocument, { sessionId, patch: { b: 1 } })).patchState).toMatchObject({ data: { a: 2, b: 1 }, version: 3 });
    expect((await gql.data(StateVersionDocument, { id: sessionId })).session!.state).toEqual({ data: { a: 2, b: 1 }, version: 3 });
    await gql.data(DeleteStateDocument, { sessionId });
    expect((await gql.data(SetStateVersionedDocument, { sessionId, data: 'again' })).setState.version).toBe(1);
  });

  it('setState and patchState with expectedVersion: CONFLICT with extensions.currentVersion when someone wrote first', async ({ gql }) => {
    const sessionId = await newSession(gql);
    expect((await gql.data(SetStateVersionedDocument, { sessionId, data: { n: 0 }, expectedVersion: 0 })).setState.version).toBe(1);
    const [created] = await gql.errors(SetStateVersionedDocument, { sessionId, data: { n: 'x' }, expectedVersion: 0 });
    expect(created!.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 1 });
    expect(created!.message).toBe('State version mismatch: expected no state, but the state is at version 1');

    expect((await gql.data(SetStateVersionedDocument, { sessionId, data: { n: 1 }, expectedVersion: 1 })).setState.version).toBe(2);
    const [stale] = await gql.errors(SetStateVersionedDocument, { sessionId, data: { n: 'stale' }, expectedVersion: 1 });
    expect(stale!.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    const [stalePatch] = await gql.errors(PatchStateDocument, { sessionId, patch: { n: 'stale' }, expectedVersion: 1 });
    expect(stalePatch!.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    expect((await gql.data(PatchStateDocument, { sessionId, patch: { m: true }, expectedVersion: 2 })).patchState).toMatchObject({
      data: { n: 1, m: true },
      version: 3,
    });
    expect((await gql.data(StateVersionDocument, { id: sessionId })).session!.state).toEqual({ data: { n: 1, m: true }, version: 3 });

    const [negative] = await gql.errors(SetStateVersionedDocument, { sessionId, data: 1, expectedVersion: -1 });
    expect(negative!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const [missing] = await gql.errors(PatchStateDocument, { sessionId: 'session_nope', patch: { a: 1 }, expectedVersion: 1 });
    expect(missing!.extensions?.code).toBe('NOT_FOUND');
  });

  it('a patch of a session without state applies to {}; with an expected version other than 0 it conflicts', async ({ gql }) => {
    const sessionId = await newSession(gql);
    const [conflict] = await gql.errors(PatchStateDocument, { sessionId, patch: { a: 1 }, expectedVersion: 4 });
    expect(conflict!.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 0 });
    expect((await gql.data(PatchStateDocument, { sessionId, patch: { a: { b: 1, c: null } } })).patchState).toMatchObject({ data: { a: { b: 1 } }, version: 1 });
  });

  it('20 concurrent clients incrementing with compare-and-set lose no update', async ({ gql }) => {
    const sessionId = await newSession(gql);
    await gql.data(SetStateVersionedDocument, { sessionId, data: { counter: 0 } });
    let conflicts = 0;
    const client = async () => {
      for (let i = 0; i < 5; i++) {
        for (;;) {
          const { data, version } = (await gql.data(StateVersionDocument, { id: sessionId })).session!.state!;
          const result = await gql.execute(SetStateVersionedDocument, {
            sessionId,
            data: { counter: (data as { counter: number }).counter + 1 },
            expectedVersion: version,
          });
          if (!result.errors) break;
          expect(result.errors[0]!.extensions).toMatchObject({ code: 'CONFLICT' });
          conflicts++;
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, client));
    expect((await gql.data(StateVersionDocument, { id: sessionId })).session!.state).toEqual({ data: { counter: 100 }, version: 101 });
    expect(conflicts).toBeGreaterThan(0);
  });
});

describe('idempotent appends', () => {
  it('a repeated addMessage with the same idempotencyKey answers the original, stores nothing; another body is a CONFLICT', async ({ server, gql }) => {
    const sessionId = await newSession(gql);
    const input = { sessionId, role: 'USER' as const, content: 'hello', metadata: { a: 1 }, idempotencyKey: 'turn-1' };
    const first = (await gql.data(AddMessageIdempotentDocument, { input })).addMessage;
    expect(first).toMatchObject({ seq: 1, idempotencyKey: 'turn-1' });
    server.clock.advance(1000);
    expect((await gql.data(AddMessageIdempotentDocument, { input })).addMessage).toEqual(first);
    const [conflict] = await gql.errors(AddMessageIdempotentDocument, { input: { ...input, content: 'changed' } });
    expect(conflict!.extensions?.code).toBe('CONFLICT');
    expect((await gql.data(HistoryAfterSeqDocument, { id: sessionId })).session!.history.totalCount).toBe(1);
  });

  it('a client id (msg_…) makes addMessage repeatable; a malformed id is BAD_USER_INPUT', async ({ gql }) => {
    const sessionId = await newSession(gql);
    const input = { sessionId, id: 'msg_mine_0001', role: 'ASSISTANT' as const, content: 'hi' };
    const first = (await gql.data(AddMessageIdempotentDocument, { input })).addMessage;
    expect(first).toMatchObject({ id: 'msg_mine_0001', seq: 1, idempotencyKey: null });
    expect((await gql.data(AddMessageIdempotentDocument, { input })).addMessage).toEqual(first);
    for (const id of ['mine', 'msg_', 'msg_with space', 'session_01', `msg_${'x'.repeat(300)}`]) {
      const [error] = await gql.errors(AddMessageIdempotentDocument, { input: { ...input, id } });
      expect(error!.extensions?.code, id).toBe('BAD_USER_INPUT');
      expect(error!.message).toMatch(/^input\.id: must/);
    }
    const other = await newSession(gql);
    const [taken] = await gql.errors(AddMessageIdempotentDocument, { input: { ...input, sessionId: other } });
    expect(taken!.extensions?.code).toBe('CONFLICT');
  });

  it('concurrent requests with the same key store one message, and all answer it', async ({ gql }) => {
    const sessionId = await newSession(gql);
    const input = { sessionId, role: 'USER' as const, content: 'once', idempotencyKey: 'race' };
    const results = await Promise.all(Array.from({ length: 10 }, () => gql.data(AddMessageIdempotentDocument, { input })));
    expect(new Set(results.map((r) => JSON.stringify(r.addMessage))).size).toBe(1);
    expect((await gql.data(HistoryAfterSeqDocument, { id: sessionId })).session!.history.totalCount).toBe(1);
  });

  it('addMessages takes keys and ids per message, answers repeats with the originals, and stays all or nothing', async ({ gql }) => {
    const sessionId = await newSession(gql);
    const first = (await gql.data(AddMessagesIdempotentDocument, { sessionId, messages: [{ role: 'USER', content: 'a', idempotencyKey: 'a' }, { role: 'USER', content: 'b' }] })).addMessages;
    const again = (
      await gql.data(AddMessagesIdempotentDocument, { sessionId, messages: [{ role: 'USER', content: 'a', idempotencyKey: 'a' }, { role: 'USER', content: 'c', idempotencyKey: 'c' }] })
    ).addMessages;
    expect(again[0]).toEqual(first[0]);
    expect(again[1]).toMatchObject({ seq: 3, content: 'c' });
    const [conflict] = await gql.errors(AddMessagesIdempotentDocument, {
      sessionId,
      messages: [{ role: 'USER', content: 'd', idempotencyKey: 'd' }, { role: 'USER', content: 'not c', idempotencyKey: 'c' }],
    });
    expect(conflict!.extensions?.code).toBe('CONFLICT');
    const [dup] = await gql.errors(AddMessagesIdempotentDocument, {
      sessionId,
      messages: [{ role: 'USER', content: 'x', idempotencyKey: 'x' }, { role: 'USER', content: 'x', idempotencyKey: 'x' }],
    });
    expect(dup!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(dup!.message).toBe('messages.1.idempotencyKey: repeats the idempotency key of message 0 of the batch');
    expect((await gql.data(HistoryAfterSeqDocument, { id: sessionId })).session!.history.totalCount).toBe(3);
  });

  it('history(afterSeq) reads on from a position, and pages from there', async ({ gql }) => {
    const sessionId = await newSession(gql);
    await gql.data(AddMessagesIdempotentDocument, { sessionId, messages: Array.from({ length: 6 }, (_, i) => ({ role: 'USER' as const, content: `m${i + 1}` })) });
    const after3 = (await gql.data(HistoryAfterSeqDocument, { id: sessionId, afterSeq: 3 })).session!.history;
    expect(after3.nodes.map((m) => m.seq)).toEqual([4, 5, 6]);
    expect(after3.totalCount).toBe(6);
    expect(after3.pageInfo.hasPreviousPage).toBe(true);
    const page = (await gql.data(HistoryAfterSeqDocument, { id: sessionId, afterSeq: 1, first: 2 })).session!.history;
    expect(page.nodes.map((m) => m.seq)).toEqual([2, 3]);
    const next = (await gql.data(HistoryAfterSeqDocument, { id: sessionId, first: 2, after: page.pageInfo.endCursor })).session!.history;
    expect(next.nodes.map((m) => m.seq)).toEqual([4, 5]);
    expect((await gql.data(HistoryAfterSeqDocument, { id: sessionId, afterSeq: 6 })).session!.history.nodes).toEqual([]);
    const [both] = await gql.errors(HistoryAfterSeqDocument, { id: sessionId, afterSeq: 1, after: page.pageInfo.endCursor });
    expect(both!.extensions?.code).toBe('BAD_USER_INPUT');
    const [negative] = await gql.errors(HistoryAfterSeqDocument, { id: sessionId, afterSeq: -1 });
    expect(negative!.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('forks', () => {
  async function parent(gql: GraphQLClient) {
    const sessionId = await newSession(gql, 'forked');
    const messages = (
      await gql.data(AddMessagesIdempotentDocument, {
        sessionId,
        messages: ['q1', 'a1', 'q2', 'a2'].map((content, i) => ({ role: i % 2 ? ('ASSISTANT' as const) : ('USER' as const), content, idempotencyKey: content })),
      })
    ).addMessages;
    await gql.data(SetStateVersionedDocument, { sessionId, data: { step: 1 } });
    await gql.data(SetStateVersionedDocument, { sessionId, data: { step: 2 } });
    await gql.data(CreateArtifactDocument, { input: { sessionId, name: 'plan.md', type: 'text', path: '/plan.md', size: 10 } });
    return { sessionId, messages };
  }

  it('forkSession copies the prefix, the state (version 1) and the artifacts, and links back to its parent', async ({ server, gql }) => {
    const { sessionId, messages } = await parent(gql);
    server.clock.advance(60_000);
    const fork = (await gql.data(ForkSessionDocument, { id: sessionId, upToMessageId: messages[1]!.id, input: { metadata: { branch: 'b' } } })).forkSession;
    expect(fork).toMatchObject({
      agentName: 'forked',
      status: 'ACTIVE',
      metadata: { branch: 'b' },
      parentId: sessionId,
      forkedFromMessageId: messages[1]!.id,
      parent: { id: sessionId },
      state: { data: { step: 2 }, version: 1 },
      createdAt: server.clock.iso(),
    });
    expect(fork.id).not.toBe(sessionId);
    expect(fork.history.totalCount).toBe(2);
    expect(fork.history.nodes.map((m) => [m.seq, m.content, m.idempotencyKey])).toEqual([
      [1, 'q1', null],
      [2, 'a1', null],
    ]);
    expect(fork.history.nodes.map((m) => m.id)).not.toContain(messages[0]!.id);
    expect(fork.artifacts.nodes.map((a) => a.name)).toEqual(['plan.md']);

    const tree = (await gql.data(SessionTreeDocument, { id: sessionId })).session!;
    expect(tree).toMatchObject({ parentId: null, parent: null, forks: { totalCount: 1, nodes: [{ id: fork.id, parentId: sessionId }] } });
  });

  it('an unknown session is NOT_FOUND; a message of another session is BAD_USER_INPUT', async ({ gql }) => {
    const { messages } = await parent(gql);
    const other = await newSession(gql);
    const [unknown] = await gql.errors(ForkSessionDocument, { id: 'session_nope', upToMessageId: messages[0]!.id });
    expect(unknown!.extensions?.code).toBe('NOT_FOUND');
    const [foreign] = await gql.errors(ForkSessionDocument, { id: other, upToMessageId: messages[0]!.id });
    expect(foreign!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(foreign!.message).toBe(`upToMessageId: must be the id of a message of session ${other}`);
  });

  it('Session.forks pages in creation order; deleting the parent keeps the forks, without a parent', async ({ gql }) => {
    const { sessionId, messages } = await parent(gql);
    const forks: string[] = [];
    for (const m of messages) forks.push((await gql.data(ForkSessionDocument, { id: sessionId, upToMessageId: m.id })).forkSession.id);
    const first = (await gql.data(SessionTreeDocument, { id: sessionId, first: 3 })).session!.forks;
    expect(first.nodes.map((f) => f.id)).toEqual(forks.slice(0, 3));
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await gql.data(SessionTreeDocument, { id: sessionId, first: 3, after: first.pageInfo.endCursor })).session!.forks;
    expect(rest.nodes.map((f) => f.id)).toEqual(forks.slice(3));
    const last = (await gql.data(SessionTreeDocument, { id: sessionId, last: 1 })).session!.forks;
    expect(last.nodes.map((f) => f.id)).toEqual(forks.slice(3));

    await gql.data(DeleteSessionDocument, { id: sessionId });
    const orphan = (await gql.data(SessionTreeDocument, { id: forks[0]! })).session!;
    expect(orphan).toMatchObject({ parentId: null, parent: null, forkedFromMessageId: messages[0]!.id });
  });

  it('forks and parents of many sessions take the same statements for 5 sessions as for 25', async ({ server, gql }) => {
    const statementsFor = async (n: number) => {
      server.resetQueries();
      const { sessions } = await gql.data(SessionsWithForksDocument, { first: n });
      expect(sessions.nodes).toHaveLength(n);
      return [...server.queries].sort();
    };
    for (let i = 0; i < 5; i++) {
      const { sessionId, messages } = await parent(gql);
      await gql.data(ForkSessionDocument, { id: sessionId, upToMessageId: messages[0]!.id });
    }
    const five = await statementsFor(5);
    for (let i = 0; i < 10; i++) {
      const { sessionId, messages } = await parent(gql);
      await gql.data(ForkSessionDocument, { id: sessionId, upToMessageId: messages[0]!.id });
    }
    const many = await statementsFor(25);
    expect(many).toEqual(five);
    expect(many).toEqual(['forkCounts', 'forkPages', 'listSessions', 'sessionsByIds', 'sessionsByIds'].sort());
  });
});
