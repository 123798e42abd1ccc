import { randomBytes } from 'node:crypto';
import { createClient } from 'graphql-sse';
import { describe, expect, it, type TestServer } from '../support/server-fixture.js';
import type { GraphQLClient } from './client.js';
import {
  CopyThreadDocument,
  DeleteThreadDocument,
  GetCheckpointTupleDocument,
  ListCheckpointsDocument,
  PruneThreadsDocument,
  PutCheckpointDocument,
  PutCheckpointWritesDocument,
  SetThreadTtlDocument,
  ThreadCheckpointsDocument,
} from './gql/graphql.js';

/*
 * LangGraph's checkpoints through GraphQL, one request per saver call, on SQLite and PostgreSQL
 * (the vitest projects). Each test uses thread ids of its own: the file shares one server.
 */

const b64 = (value: Uint8Array | string) => Buffer.from(value).toString('base64');
let counter = 0;
const thread = (name: string) => `${name}-${++counter}-${randomBytes(3).toString('hex')}`;

async function putCheckpoint(gql: GraphQLClient, threadId: string, id: string, extra: Record<string, unknown> = {}) {
  return (await gql.data(PutCheckpointDocument, { input: { threadId, id, type: 'json', data: b64(`cp-${id}`), ...extra } })).putCheckpoint;
}

describe('checkpoints over GraphQL', () => {
  it('round-trips a tuple exactly: bytes, metadata, versions, values and ordered writes', async ({ gql }) => {
    const t = thread('tuple');
    const bytes = randomBytes(300);
    bytes[0] = 0;
    await putCheckpoint(gql, t, '1ef-a', {
      data: b64(bytes),
      metadata: { source: 'loop', step: 3, parents: {}, note: 'é\u0000' },
      channelVersions: { messages: 2, __start__: '00000000000000000000000000000001.0.25' },
      channelValues: [
        { channel: 'messages', version: 2, type: 'bytes', data: b64(bytes.subarray(0, 7)) },
        { channel: '__start__', version: '00000000000000000000000000000001.0.25', type: 'empty', data: null },
      ],
    });
    expect(await gql.data(PutCheckpointWritesDocument, {
      input: { threadId: t, checkpointId: '1ef-a', taskId: 'b', taskPath: '~0', writes: [{ idx: 0, channel: 'x', type: 'json', data: b64('1') }] },
    })).toEqual({ putCheckpointWrites: 1 });
    await gql.data(PutCheckpointWritesDocument, {
      input: { threadId: t, checkpointId: '1ef-a', taskId: 'a', taskPath: '~0', writes: [{ idx: 1, channel: 'y', type: 'json', data: b64('2') }, { idx: -3, channel: '__interrupt__', type: 'json', data: b64('3') }] },
    });

    const { thread: got } = await gql.data(GetCheckpointTupleDocument, { threadId: t });
    const tuple = got!.checkpoint!;
    expect(tuple).toMatchObject({ threadId: t, namespace: '', id: '1ef-a', parentId: null, type: 'json', data: b64(bytes) });
    expect(tuple.metadata).toEqual({ source: 'loop', step: 3, parents: {}, note: 'é\u0000' });
    expect(JSON.stringify(tuple.channelVersions)).toBe(JSON.stringify({ messages: 2, __start__: '00000000000000000000000000000001.0.25' }));
    expect(tuple.channelValues).toEqual([
      { channel: '__start__', version: '00000000000000000000000000000001.0.25', type: 'empty', data: null },
      { channel: 'messages', version: '2', type: 'bytes', data: b64(bytes.subarray(0, 7)) },
    ]);
    expect(tuple.pendingWrites.map((w) => [w.taskId, w.idx, w.channel, w.data, w.taskPath])).toEqual([
      ['a', -3, '__interrupt__', b64('3'), '~0'],
      ['a', 1, 'y', b64('2'), '~0'],
      ['b', 0, 'x', b64('1'), '~0'],
    ]);
    // By id, another namespace, another thread.
    expect((await gql.data(GetCheckpointTupleDocument, { threadId: t, id: '1ef-a' })).thread!.checkpoint!.id).toBe('1ef-a');
    expect((await gql.data(GetCheckpointTupleDocument, { threadId: t, namespace: 'child' })).thread!.checkpoint).toBeNull();
    expect((await gql.data(GetCheckpointTupleDocument, { threadId: thread('none') })).thread).toBeNull();
  });

  it('lists newest first by id (equal timestamps too), across threads, with before, filter and cursors', async ({ gql }) => {
    const [a, b] = [thread('list-a'), thread('list-b')];
    // Put in an order unlike the ids' order, all within a few milliseconds.
    for (const [t, id, step] of [[a, '03', 1], [b, '01', 1], [a, '01', 2], [b, '04', 2], [a, '02', 1]] as const) {
      await putCheckpoint(gql, t, id, { metadata: { source: 'loop', step, owner: a } });
    }
    const list = async (vars: { threadId?: string; before?: string; filter?: Record<string, unknown>; first?: number; after?: string | null }) =>
      (await gql.data(ListCheckpointsDocument, { filter: { owner: a }, ...vars })).checkpoints;
    expect((await list({ threadId: a })).nodes.map((c) => c.id)).toEqual(['03', '02', '01']);
    expect((await list({})).nodes.map((c) => `${c.id}@${c.threadId === a ? 'a' : 'b'}`)).toEqual(['04@b', '03@a', '02@a', '01@b', '01@a']);
    expect((await list({ before: '03' })).nodes.map((c) => c.id)).toEqual(['02', '01', '01']);
    expect((await list({ filter: { owner: a, step: 2 } })).nodes.map((c) => c.id)).toEqual(['04', '01']);
    expect((await list({ filter: { owner: a, step: '2' } })).nodes).toEqual([]);
    const first = await list({ first: 2 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await list({ first: 10, after: first.pageInfo.endCursor });
    expect([...first.nodes, ...rest.nodes].map((c) => c.id)).toEqual(['04', '03', '02', '01', '01']);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('prunes, copies, sets a TTL and deletes, with stable error codes', async ({ gql }) => {
    const t = thread('manage');
    for (const id of ['1', '2', '3']) await putCheckpoint(gql, t, id, { channelVersions: { a: Number(id) }, channelValues: [{ channel: 'a', version: Number(id), type: 'json', data: b64(id) }] });
    expect((await gql.data(PruneThreadsDocument, { threadIds: [t] })).pruneThreads).toEqual({ checkpoints: 2, writes: 0, channelValues: 2 });
    const copy = `${t}-copy`;
    expect((await gql.data(CopyThreadDocument, { source: t, target: copy })).copyThread).toEqual({ id: copy, ttlSeconds: null });
    expect((await gql.data(GetCheckpointTupleDocument, { threadId: copy })).thread!.checkpoint!.channelValues.map((v) => v.data)).toEqual([b64('3')]);
    expect((await gql.errors(CopyThreadDocument, { source: t, target: copy }))[0]!.extensions!.code).toBe('CONFLICT');
    expect((await gql.errors(CopyThreadDocument, { source: thread('none'), target: thread('x') }))[0]!.extensions!.code).toBe('NOT_FOUND');
    expect((await gql.data(SetThreadTtlDocument, { id: t, ttlSeconds: 3600 })).setThreadTtl).toMatchObject({ id: t, ttlSeconds: 3600 });
    expect((await gql.data(SetThreadTtlDocument, { id: t, ttlSeconds: null })).setThreadTtl).toMatchObject({ ttlSeconds: null, expiresAt: null });
    expect((await gql.errors(SetThreadTtlDocument, { id: thread('none'), ttlSeconds: 5 }))[0]!.extensions!.code).toBe('NOT_FOUND');
    expect(await gql.data(DeleteThreadDocument, { id: copy })).toEqual({ deleteThread: true });
    expect(await gql.data(DeleteThreadDocument, { id: copy })).toEqual({ deleteThread: false });
  });

  it('refuses bad input with BAD_USER_INPUT and the field it is about', async ({ gql }) => {
    const t = thread('bad');
    const issues = async (input: Record<string, unknown>) => {
      const [error] = await gql.errors(PutCheckpointDocument, { input: { threadId: t, id: '1', type: 'json', data: 'e30=', ...input } as never });
      expect(error!.extensions!.code).toBe('BAD_USER_INPUT');
      return error!.extensions!.issues!.map((i) => i.path.join('.'));
    };
    expect(await issues({ data: 'not base64!' })).toEqual(['input.data']);
    expect(await issues({ threadId: '' })).toEqual(['input.threadId']);
    expect(await issues({ channelVersions: { a: 1 }, channelValues: [{ channel: 'a', version: 2, type: 'json', data: 'e30=' }] })).toEqual(['input.channelValues.0.version']);
    expect(await issues({ ttlSeconds: 0 })).toEqual(['input.ttlSeconds']);
    const [cursor] = await gql.errors(ListCheckpointsDocument, { after: 'nope' });
    expect(cursor!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: ['after'] }] });
    const [writes] = await gql.errors(PutCheckpointWritesDocument, {
      input: { threadId: t, checkpointId: '1', taskId: 'a', writes: [{ idx: 0, channel: 'x', type: 'json', data: 'e30=' }, { idx: 0, channel: 'y', type: 'json', data: 'e30=' }] },
    });
    expect(writes!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: ['input', 'writes', 1, 'idx'], message: 'appears twice' }] });
  });
});

describe('checkpoints: the thread feed', () => {
  it('threadEvents streams a thread\'s puts, writes and deletion (the thread need not exist yet); `after` replays', async ({ server, gql }) => {
    const t = thread('feed');
    const query = `subscription ($threadId: String!, $after: String) {
      threadEvents(threadId: $threadId, after: $after) {
        __typename cursor sessionId agentName
        ... on CheckpointPut { threadId namespace checkpointId parentId metadata }
        ... on CheckpointWritesPut { threadId checkpointId taskId count }
        ... on ThreadDeleted { threadId }
      }
    }`;
    type Event = { __typename: string; cursor: string; [field: string]: unknown };
    const client = createClient({ url: `${server.url}/graphql`, retryAttempts: 0 });
    const take = async (after: string | null, n: number) => {
      let connected!: () => void;
      const ready = new Promise<void>((resolve) => (connected = resolve));
      const iterator = client.iterate<{ threadEvents: Event }>({ query, variables: { threadId: t, after } }, { connected: () => connected() });
      const out: Event[] = [];
      const done = (async () => {
        while (out.length < n) {
          const { value, done } = await iterator.next();
          if (done) throw new Error(`ended after ${out.length} of ${n}: ${JSON.stringify(value)}`);
          out.push(value.data!.threadEvents);
        }
        await iterator.return?.();
      })();
      return { ready, events: done.then(() => out) };
    };
    const live = await take(null, 3);
    await live.ready;
    await putCheckpoint(gql, t, 'c1', { metadata: { step: 1 } });
    await gql.data(PutCheckpointWritesDocument, { input: { threadId: t, checkpointId: 'c1', taskId: 'task', writes: [{ idx: 0, channel: 'a', type: 'json', data: 'e30=' }] } });
    await gql.data(DeleteThreadDocument, { id: t });
    const events = await live.events;
    expect(events.map((e) => e.__typename)).toEqual(['CheckpointPut', 'CheckpointWritesPut', 'ThreadDeleted']);
    expect(events[0]).toMatchObject({ threadId: t, namespace: '', checkpointId: 'c1', parentId: null, metadata: { step: 1 }, sessionId: `thread:${t}`, agentName: '' });
    expect(events[1]).toMatchObject({ threadId: t, checkpointId: 'c1', taskId: 'task', count: 1 });
    const replay = await take(events[0]!.cursor, 2);
    expect((await replay.events).map((e) => e.__typename)).toEqual(['CheckpointWritesPut', 'ThreadDeleted']);
  });
});

/** A thread of `n` checkpoints, each with two values and two writes. */
async function busyThread(gql: GraphQLClient, t: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const id = String(i).padStart(4, '0');
    await putCheckpoint(gql, t, id, {
      channelVersions: { a: i + 1, b: 1 },
      channelValues: [{ channel: 'a', version: i + 1, type: 'json', data: b64(`${i}`) }, ...(i === 0 ? [{ channel: 'b', version: 1, type: 'json', data: b64('b') }] : [])],
    });
    await gql.data(PutCheckpointWritesDocument, {
      input: { threadId: t, checkpointId: id, taskId: 'task', writes: [{ idx: 0, channel: 'a', type: 'json', data: 'e30=' }, { idx: 1, channel: 'b', type: 'json', data: 'e30=' }] },
    });
  }
}

async function statementsFor(server: TestServer, gql: GraphQLClient, t: string, n: number): Promise<string[]> {
  server.resetQueries();
  const { thread: got } = await gql.data(ThreadCheckpointsDocument, { threadId: t, first: n });
  const statements = [...server.queries];
  expect(got!.checkpoints.totalCount).toBe(n);
  for (const c of got!.checkpoints.nodes) {
    expect(c.pendingWrites.map((w) => w.idx)).toEqual([0, 1]);
    expect(c.channelValues.map((v) => v.channel)).toEqual(['a', 'b']);
  }
  return statements;
}

describe('checkpoints: nested fields are batched', () => {
  it('runs the same statements for a thread of 3 checkpoints as for one of 30', async ({ server, gql }) => {
    const [small, big] = [thread('small'), thread('big')];
    await busyThread(gql, small, 3);
    await busyThread(gql, big, 30);
    const few = await statementsFor(server, gql, small, 3);
    const many = await statementsFor(server, gql, big, 30);
    expect([...many].sort()).toEqual([...few].sort());
    expect([...many].sort()).toEqual(['threadsByIds', 'listCheckpoints', 'countCheckpoints', 'channelValuesOf', 'pendingWritesOf'].sort());
  });
});
