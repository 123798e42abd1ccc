import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { AgentStorageClient, type StorageEvent } from '../../src/client/index.js';
import { describe, expect, it } from '../support/server-fixture.js';

/*
 * The change feed through the client: an async iterator over the GraphQL subscription (SSE) that
 * reconnects after a dropped connection from the last event it delivered. The drops are real: a
 * TCP proxy between the client and the server cuts the stream in the middle of a message, and
 * resets every connection.
 */

const FAR_FUTURE = '2999-01-01T00:00:00.000Z';
const quick = { baseDelayMs: 10, maxDelayMs: 50 };

interface Proxy {
  url: string;
  /** Connections accepted so far. */
  connections(): number;
  /** Connections open now that carried a request (the HTTP client may open a spare one and leave it idle). */
  open(): number;
  /** The next chunk the server sends is cut in half: its first half is delivered, then the connection closes. */
  cutNextChunk(): void;
  /** Resets every open connection (RST), as a crashed middlebox would. */
  resetAll(): void;
  close(): Promise<void>;
}

async function tcpProxy(target: string): Promise<Proxy> {
  const { hostname, port } = new URL(target);
  const pairs = new Set<{ client: Socket; upstream: Socket; used: boolean }>();
  let connections = 0;
  let cut = false;
  const server: Server = createServer((client) => {
    connections++;
    const upstream = connect(Number(port), hostname);
    const pair = { client, upstream, used: false };
    pairs.add(pair);
    client.once('data', () => void (pair.used = true));
    const close = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (!cut) return void client.write(chunk);
      cut = false;
      client.end(chunk.subarray(0, Math.ceil(chunk.length / 2)));
      upstream.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    open: () => [...pairs].filter((pair) => pair.used).length,
    cutNextChunk: () => void (cut = true),
    resetAll: () => {
      for (const { client, upstream } of pairs) {
        client.resetAndDestroy();
        upstream.destroy();
      }
    },
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      return closed;
    },
  };
}

/** A promise and its resolver, for "the stream is live". */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const contents = (events: StorageEvent[]) => events.map((e) => (e.__typename === 'MessageAdded' ? e.message.content : e.__typename));

describe('the change feed through the client', () => {
  it('delivers every event exactly once, in order, across a connection cut mid-message and a reset', async ({ server }) => {
    const proxy = await tcpProxy(server.url);
    try {
      const writer = new AgentStorageClient({ url: server.url });
      const { id } = await writer.sessions.create({ agentName: 'feed-resume' });
      const live = signal();
      const reader = new AgentStorageClient({ url: proxy.url, retry: quick });
      const feed = reader.sessionEvents(id, { onConnect: () => live.resolve() });
      const received: StorageEvent[] = [];
      const take = async (n: number) => {
        for (let i = 0; i < n; i++) {
          const { value, done } = await feed.next();
          if (done) throw new Error('the feed ended');
          received.push(value);
        }
      };
      const write = async (from: number, to: number) => {
        for (let i = from; i <= to; i++) await writer.history.append(id, { role: 'USER', content: `m${i}` });
      };

      const first = take(3);
      await live.promise; // live from here: what is written now is in the stream
      await write(1, 5);
      await first;
      // What the server sends next is cut in the middle: a half message, then the connection closes.
      proxy.cutNextChunk();
      await write(6, 10);
      await take(7);
      // Every connection reset, while more is written.
      proxy.resetAll();
      await write(11, 15);
      await take(5);

      expect(contents(received)).toEqual(Array.from({ length: 15 }, (_, i) => `m${i + 1}`));
      const seqs = received.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(15);
      expect(proxy.connections()).toBeGreaterThanOrEqual(3); // the first, after the cut, after the reset

      // `return` (what `break` calls) closes the connection: nothing stays open.
      await feed.return();
      await expect.poll(() => proxy.open()).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('follows an agent, stops quietly on abort, and replays from `after`', async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url, retry: quick });
    const { id } = await client.sessions.create({ agentName: 'feed-agent' });
    const all: StorageEvent[] = [];
    const controller = new AbortController();
    const live = signal();
    let state: unknown;
    const following = (async () => {
      for await (const event of client.agentEvents('feed-agent', { signal: controller.signal, onConnect: live.resolve })) {
        all.push(event);
        if (all.length === 4) controller.abort(); // ends the loop, without an error
      }
    })();
    await live.promise;
    await client.history.append(id, { role: 'USER', content: 'a' });
    await client.history.append(id, { role: 'ASSISTANT', content: 'b' });
    state = await client.state.set(id, { step: 1 });
    await client.metrics.record({ entityType: 'agent', entityName: 'feed-agent', metricName: 'm', value: 1, sessionId: id });
    await following;
    expect(contents(all)).toEqual(['a', 'b', 'StateChanged', 'MetricRecorded']);

    const replay: StorageEvent[] = [];
    for await (const event of client.sessionEvents(id, { after: all[0]!.cursor })) {
      replay.push(event);
      if (replay.length === 3) break;
    }
    expect(replay.map((e) => e.seq)).toEqual(all.slice(1).map((e) => e.seq));
    const changed = replay[1]!;
    expect(changed.__typename === 'StateChanged' && changed.state).toEqual(state);
  });

  it('yields artifact content events with their typed payload', async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url, retry: quick });
    const { id } = await client.sessions.create({ agentName: 'feed-content' });
    const artifact = await client.artifacts.create({ sessionId: id, name: 'a.txt', type: 'text/plain', path: '/a.txt', size: 0 });
    const live = signal();
    const received: StorageEvent[] = [];
    const following = (async () => {
      for await (const event of client.sessionEvents(id, { onConnect: live.resolve })) {
        received.push(event);
        if (received.length === 2) break;
      }
    })();
    await live.promise;
    // Written over REST: the client's feed sees every door's writes.
    const put = await fetch(`${server.url}/storage/artifacts/${artifact.id}/content`, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(put.status).toBe(201);
    expect((await fetch(`${server.url}/storage/artifacts/${artifact.id}/content?version=0`, { method: 'DELETE' })).status).toBe(200);
    await following;
    const [saved, deleted] = received;
    expect(saved!.__typename === 'ArtifactContentSaved' && saved!.content).toMatchObject({
      artifactId: artifact.id,
      version: 0,
      size: 5,
      contentType: 'text/plain',
      url: `${server.url}/storage/artifacts/${artifact.id}/content?version=0`,
    });
    expect(deleted!.__typename === 'ArtifactContentDeleted' && { artifactId: deleted!.artifactId, versions: deleted!.versions }).toEqual({ artifactId: artifact.id, versions: [0] });
  });

  it('throws the refusals it cannot outlive: NOT_FOUND, BAD_USER_INPUT, CURSOR_EXPIRED', async ({ server }) => {
    const client = new AgentStorageClient({ url: server.url, retry: quick });
    const first = (sessionId: string, after?: string) => client.sessionEvents(sessionId, after === undefined ? {} : { after }).next();
    await expect(first('session_missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const { id } = await client.sessions.create({ agentName: 'feed-refusals' });
    await expect(first(id, 'garbage')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    // Pruned: the event after this cursor (an expired cursor is one with events after it gone).
    const { cursor } = await nextEvent(client, id, async () => {
      await client.history.append(id, { role: 'USER', content: 'x' });
      await client.history.append(id, { role: 'USER', content: 'y' });
    });
    await server.storage.events.prune(FAR_FUTURE);
    await expect(first(id, cursor)).rejects.toMatchObject({ code: 'CURSOR_EXPIRED' });
  });

  it('a stream the client left frees its place on the server', async ({ serve }) => {
    const server = await serve({ MAX_EVENT_STREAMS: '1' });
    const client = new AgentStorageClient({ url: server.url, retry: { baseDelayMs: 20, maxDelayMs: 100, maxAttempts: 20, deadlineMs: 10_000 } });
    const { id } = await client.sessions.create({ agentName: 'feed-places' });
    const one = await nextEvent(client, id, () => client.history.append(id, { role: 'USER', content: 'one' }));
    // The one place is free again once the first stream is gone (a refusal meanwhile, UNAVAILABLE,
    // is retried). From `after`: however early the write, the stream replays it.
    const two = await nextEvent(client, id, () => client.history.append(id, { role: 'USER', content: 'two' }), one.cursor);
    expect(contents([one, two])).toEqual(['one', 'two']);
  });

  it('reopens a stream the server completed (as it does when it shuts down) after the last cursor', async () => {
    const requests: { variables: { after?: string } }[] = [];
    const event = (n: number) =>
      `event: next\ndata: ${JSON.stringify({ data: { sessionEvents: { __typename: 'HistoryCleared', cursor: `c${n}`, seq: n, deleted: n } } })}\n\n`;
    const fake: HttpServer = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        requests.push(JSON.parse(body));
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        // The first stream: two events, the second cut across writes, then `complete`; the next one: the third.
        if (requests.length === 1) {
          const second = event(2);
          res.write(`:\n\n${event(1)}${second.slice(0, 20)}`);
          res.end(`${second.slice(20)}event: complete\ndata:\n\n`);
        } else {
          res.write(event(3));
        }
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    try {
      const client = new AgentStorageClient({ url: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`, retry: quick });
      const seen: number[] = [];
      for await (const e of client.sessionEvents('session_1', { after: 'c0' })) {
        seen.push(e.seq);
        if (seen.length === 3) break;
      }
      expect(seen).toEqual([1, 2, 3]);
      expect(requests.map((r) => r.variables.after)).toEqual(['c0', 'c2']);
    } finally {
      fake.closeAllConnections();
      await new Promise((resolve) => fake.close(resolve));
    }
  });
});

/** Opens a feed of the session, runs `write` once it is open, and gives the first event (the loop is left with `break`). */
async function nextEvent(client: AgentStorageClient, sessionId: string, write: () => Promise<unknown>, after?: string): Promise<StorageEvent> {
  let writing: Promise<unknown> | undefined;
  const options = { onConnect: () => void (writing ??= write()), ...(after === undefined ? {} : { after }) };
  for await (const event of client.sessionEvents(sessionId, options)) {
    await writing;
    return event;
  }
  throw new Error('the feed ended');
}
