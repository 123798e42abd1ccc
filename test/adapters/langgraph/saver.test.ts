import { compareChannelVersions, emptyCheckpoint, JsonPlusSerializer, uuid6 } from '@langchain/langgraph-checkpoint';
import { AgentStorageSaver } from '../../../src/adapters/langgraph/index.js';
import { AgentStorageClient, AgentStorageError, type FetchLike } from '../../../src/client/index.js';
import { AUTH_ENV, createKey } from '../../support/auth.js';
import { describe, expect, it, test } from '../../support/server-fixture.js';

/*
 * The saver's own behaviour against a real server with API keys: the service's refusals as
 * AgentStorageErrors with their codes, LangGraph's config errors before any request, which calls
 * are retried, bytes kept exactly, and `list` reading pages only as far as the loop goes.
 */

test.override({ env: AUTH_ENV });

/** A fetch that counts the GraphQL operations it sends (by name) and can answer the first ones with a 503. */
function countingFetch(failFirst = 0) {
  const sent: string[] = [];
  let failures = failFirst;
  const fetchLike: FetchLike = async (input, init) => {
    sent.push(/(?:query|mutation)\s+(\w+)/.exec(JSON.parse(String(init.body)).query)?.[1] ?? '?');
    if (failures-- > 0) return new Response('{"detail":"busy"}', { status: 503, headers: { 'content-type': 'application/json', 'retry-after': '0' } });
    return fetch(input, init);
  };
  return { sent, fetch: fetchLike };
}

const meta = { source: 'input' as const, step: -1, parents: {} };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AgentStorageError);
  return (error as AgentStorageError).code;
}

describe('AgentStorageSaver', () => {
  let key: string;
  let readOnly: string;
  test.beforeAll(async ({ server }) => {
    key = await createKey(server.url, 'saver', ['READ', 'WRITE']);
    readOnly = await createKey(server.url, 'saver', ['READ']);
  });

  it("refuses LangGraph configs without a thread (or checkpoint) id as LangGraph's savers do, sending nothing", async ({ server }) => {
    const counted = countingFetch();
    const saver = new AgentStorageSaver({ url: server.url, apiKey: key, fetch: counted.fetch });
    await expect(saver.put({}, emptyCheckpoint(), meta, {})).rejects.toThrow(/configurable/);
    await expect(saver.put({ configurable: { checkpoint_ns: '' } }, emptyCheckpoint(), meta, {})).rejects.toThrow(/thread_id/);
    await expect(saver.putWrites({ configurable: { checkpoint_id: 'c' } }, [['a', 1]], 'task')).rejects.toThrow(/thread_id/);
    await expect(saver.putWrites({ configurable: { thread_id: 't' } }, [['a', 1]], 'task')).rejects.toThrow(/checkpoint_id/);
    expect(await saver.getTuple({ configurable: { checkpoint_ns: '' } })).toBeUndefined();
    expect(counted.sent).toEqual([]);
  });

  it("surfaces the service's refusals as AgentStorageErrors with stable codes", async ({ server }) => {
    const saver = new AgentStorageSaver({ url: server.url, apiKey: key });
    await saver.put({ configurable: { thread_id: 'source' } }, emptyCheckpoint(), meta, {});
    await saver.put({ configurable: { thread_id: 'taken' } }, emptyCheckpoint(), meta, {});
    expect(await codeOf(saver.copyThread('source', 'taken'))).toBe('CONFLICT');
    expect(await codeOf(saver.copyThread('nobody', 'new'))).toBe('NOT_FOUND');
    expect(await codeOf(saver.setThreadTtl('nobody', 60))).toBe('NOT_FOUND');
    expect(await codeOf(saver.prune(['source'], { keep: 0 }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(saver.put({ configurable: { thread_id: 't', checkpoint_ns: 'x'.repeat(2000) } }, emptyCheckpoint(), meta, {}))).toBe('BAD_USER_INPUT');
    expect(await codeOf(new AgentStorageSaver({ url: server.url, apiKey: readOnly }).put({ configurable: { thread_id: 't' } }, emptyCheckpoint(), meta, {}))).toBe('FORBIDDEN');
    expect(await codeOf(new AgentStorageSaver({ url: server.url }).getTuple({ configurable: { thread_id: 't' } }))).toBe('UNAUTHENTICATED');
  });

  it('retries puts and writes (keyed: a repeat changes nothing) but not a delete', async ({ server }) => {
    const retry = { baseDelayMs: 1, maxDelayMs: 1 };
    const putting = countingFetch(1);
    const saver = new AgentStorageSaver({ url: server.url, apiKey: key, fetch: putting.fetch, retry });
    const config = await saver.put({ configurable: { thread_id: 'retried' } }, emptyCheckpoint(), meta, {});
    expect(putting.sent).toEqual(['PutCheckpoint', 'PutCheckpoint']);

    const writing = countingFetch(1);
    await new AgentStorageSaver({ url: server.url, apiKey: key, fetch: writing.fetch, retry }).putWrites(config, [['a', 1]], 'task');
    expect(writing.sent).toEqual(['PutCheckpointWrites', 'PutCheckpointWrites']);
    expect((await saver.getTuple(config))?.pendingWrites).toEqual([['task', 'a', 1]]);

    const deleting = countingFetch(1);
    expect(await codeOf(new AgentStorageSaver({ url: server.url, apiKey: key, fetch: deleting.fetch, retry }).deleteThread('retried'))).toBe('UNAVAILABLE');
    expect(deleting.sent).toEqual(['DeleteThread']);
  });

  it('keeps bytes exactly, through its own serializer or one it is given', async ({ server }) => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const serde = new JsonPlusSerializer();
    let dumped = 0;
    const counting = { dumpsTyped: (value: unknown) => (dumped++, serde.dumpsTyped(value)), loadsTyped: serde.loadsTyped.bind(serde) };
    const saver = AgentStorageSaver.fromClient(new AgentStorageClient({ url: server.url, apiKey: key }), counting);
    const checkpoint = { ...emptyCheckpoint(), channel_values: { raw: bytes, text: 'a\u0000b ☃' }, channel_versions: { raw: 1, text: 1 } };
    const config = await saver.put({ configurable: { thread_id: 'bytes' } }, checkpoint, meta, { raw: 1, text: 1 });
    await saver.putWrites(config, [['raw', bytes.slice(7)], ['constructor', 'a channel of that name']], 'task', 'path');
    const tuple = await saver.getTuple(config);
    expect(tuple?.checkpoint.channel_values).toEqual({ raw: bytes, text: 'a\u0000b ☃' });
    expect(tuple?.pendingWrites).toEqual([['task', 'raw', bytes.slice(7)], ['task', 'constructor', 'a channel of that name']]);
    expect(dumped).toBeGreaterThan(0);
  });

  it("follows a thread's checkpoints live through the client (threadEvents)", async ({ server }) => {
    const saver = new AgentStorageSaver({ url: server.url, apiKey: key });
    let writing: Promise<unknown> | undefined;
    const seen: string[] = [];
    const live = () => {
      writing ??= saver.put({ configurable: { thread_id: 'followed' } }, emptyCheckpoint(), meta, {}).then(() => saver.deleteThread('followed'));
    };
    for await (const event of saver.client.threadEvents('followed', { onConnect: live })) {
      seen.push(event.__typename === 'CheckpointPut' ? `put ${event.threadId}` : event.__typename);
      if (event.__typename === 'ThreadDeleted') break;
    }
    await writing;
    expect(seen).toEqual(['put followed', 'ThreadDeleted']);
  });

  it('makes versions that increase as LangGraph compares them, each with a suffix of its own', ({ server }) => {
    const saver = new AgentStorageSaver({ url: server.url });
    const first = saver.getNextVersion(undefined);
    const second = saver.getNextVersion(first);
    const fork = saver.getNextVersion(first);
    expect(String(first)).toMatch(/^0{31}1\.\d{16}$/);
    expect(compareChannelVersions(second, first)).toBe(1);
    expect(String(second).split('.')[0]).toBe(String(fork).split('.')[0]);
    expect(second).not.toBe(fork);
    // From a thread LangGraph's default counters wrote.
    expect(String(saver.getNextVersion(41))).toMatch(/^0{30}42\./);
  });

  it('lists newest first across threads, reading pages only as far as the loop goes', async ({ server }) => {
    const counted = countingFetch();
    const saver = new AgentStorageSaver({ url: server.url, apiKey: await createKey(server.url, 'listing', ['READ', 'WRITE']), fetch: counted.fetch });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const checkpoint = { ...emptyCheckpoint(), id: uuid6(-3) };
      ids.push(checkpoint.id);
      await saver.put({ configurable: { thread_id: `thread-${i % 2}` } }, checkpoint, { ...meta, step: i }, {});
    }
    counted.sent.length = 0;
    const newest: string[] = [];
    for await (const tuple of saver.list({}, { limit: 3 })) newest.push(tuple.checkpoint.id);
    expect(newest).toEqual(ids.slice(-3).reverse());
    expect(counted.sent).toEqual(['ListCheckpoints']);

    counted.sent.length = 0;
    for await (const tuple of saver.client.checkpoints.iterate({}, { pageSize: 2 })) if (tuple.id === ids[2]) break;
    expect(counted.sent).toEqual(['ListCheckpoints', 'ListCheckpoints']);
    const all = [];
    for await (const tuple of saver.client.checkpoints.iterate({ filter: { step: 1 } }, { pageSize: 2 })) all.push(tuple.id);
    expect(all).toEqual([ids[1]]);
  });
});
