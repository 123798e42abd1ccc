import type { AgentInputItem } from '@openai/agents';
import fc from 'fast-check';
import { AgentStorageSession } from '../../../src/adapters/openai-agents/index.js';
import { AgentStorageClient } from '../../../src/client/index.js';
import { describe, expect, it } from '../../support/server-fixture.js';

/*
 * AgentStorageSession's own contract on a real server: one service session per object however
 * many calls race to create it, reads of the newest N, pop and clear, items with bytes stored as
 * tagged base64 and read back as bytes.
 */

const user = (text: string): AgentInputItem => ({ type: 'message', role: 'user', content: text });
const answer = (text: string): AgentInputItem => ({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text }] });

describe('AgentStorageSession', () => {
  it('creates one service session on first use, however many calls race to', async ({ server }) => {
    const session = new AgentStorageSession({ url: server.url, agentName: 'racer' });
    const [first, , , second] = await Promise.all([session.getSessionId(), session.getItems(), session.addItems([user('hi')]), session.getSessionId()]);
    expect(first).toMatch(/^session_/);
    expect(second).toBe(first);
    const client = new AgentStorageClient({ url: server.url });
    expect((await client.sessions.list({ agentName: 'racer' })).nodes.map((s) => s.id)).toEqual([first]);
    expect(await session.getItems()).toEqual([user('hi')]);
  });

  it('reads the newest N in order, pops, clears', async ({ server }) => {
    const session = new AgentStorageSession({ url: server.url });
    const items = [user('one'), answer('two'), user('three'), answer('four')];
    await session.addItems(items.slice(0, 2));
    await session.addItems([]);
    await session.addItems(items.slice(2));
    expect(await session.getItems()).toEqual(items);
    expect(await session.getItems(3)).toEqual(items.slice(1));
    expect(await session.getItems(100)).toEqual(items);
    expect(await session.getItems(0)).toEqual([]);
    expect(await session.getItems(-1)).toEqual([]);

    // Another object on the same service session sees the same history.
    const other = new AgentStorageSession({ url: server.url, sessionId: await session.getSessionId() });
    expect(await other.popItem()).toEqual(items[3]);
    expect(await session.getItems()).toEqual(items.slice(0, 3));

    await session.clearSession();
    expect(await session.getItems()).toEqual([]);
    expect(await session.popItem()).toBeUndefined();
    expect(await session.getSessionId()).toBe(await other.getSessionId());
  });

  it('stores bytes as tagged base64 and reads them back as bytes, losslessly', async ({ server }) => {
    const session = new AgentStorageSession({ url: server.url });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255]);
    const result: AgentInputItem = {
      type: 'function_call_result',
      name: 'screenshot',
      callId: 'call_1',
      status: 'completed',
      output: { type: 'image', image: { data: png, mediaType: 'image/png' } },
      // Objects shaped like the encoding's own tags are not mistaken for them.
      providerData: { looksLikeBytes: { $bytes: 'AAEC' }, looksLikeEscape: { $object: { $bytes: 'x' } }, list: [1, 'two', null] },
    };
    await session.addItems([result]);
    const [read] = await session.getItems();
    expect(read).toEqual(result);
    expect((read as unknown as { output: { image: { data: unknown } } }).output.image.data).toBeInstanceOf(Uint8Array);

    const [stored] = (await session.client.history.list(await session.getSessionId())).nodes;
    expect(stored!.role).toBe('TOOL');
    expect(stored!.item).toMatchObject({ output: { image: { data: { $bytes: 'iVBORwD/' } } }, providerData: { looksLikeBytes: { $object: { $bytes: 'AAEC' } } } });
  });

  it('re-reads an unchanged history with a 304 (its own appends included), and never misses another writer\'s change', async ({ server }) => {
    // The tail reads this object sends, by the status they were answered with.
    const statuses: number[] = [];
    const counting = async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await fetch(input, init);
      if (String(input).includes('last=')) statuses.push(response.status);
      return response;
    };
    const session = new AgentStorageSession({ url: server.url, fetch: counting });
    const sessionId = await session.getSessionId();
    const other = new AgentStorageSession({ url: server.url, sessionId });
    const fresh = () => new AgentStorageSession({ url: server.url, sessionId }).getItems(10);
    const read = async (limit: number) => {
      statuses.length = 0;
      const items = await session.getItems(limit);
      expect(items).toEqual((await fresh()).slice(-limit));
      return statuses[0];
    };

    await session.addItems([user('one'), answer('two')]);
    expect(await read(10)).toBe(200);
    expect(await read(10)).toBe(304);
    // Its own appends follow the history it read: still nothing to fetch.
    await session.addItems([user('three')]);
    expect(await read(10)).toBe(304);
    expect(await read(2)).toBe(304);
    // The whole history was read (fewer than asked): any longer tail is known too.
    expect(await read(50)).toBe(304);

    // Another writer's append, pop, clear: read in full.
    await other.addItems([answer('four')]);
    expect(await read(10)).toBe(200);
    await other.popItem();
    expect(await read(10)).toBe(200);
    // An append of its own after another writer's: not directly after what it read.
    await other.addItems([answer('five')]);
    await session.addItems([user('six')]);
    expect(await read(10)).toBe(200);
    await other.clearSession();
    expect(await read(10)).toBe(200);
    expect(await session.getItems(10)).toEqual([]);
  });

  it('answers every read as a fresh object would, whatever two writers do in between (property)', async ({ server }) => {
    const session = new AgentStorageSession({ url: server.url });
    const sessionId = await session.getSessionId();
    const other = new AgentStorageSession({ url: server.url, sessionId });
    let n = 0;
    const step = fc.oneof(
      fc.record({ op: fc.constant('add' as const), who: fc.boolean(), count: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ op: fc.constant('pop' as const), who: fc.boolean() }),
      fc.record({ op: fc.constant('read' as const), limit: fc.integer({ min: 1, max: 8 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
        for (const s of steps) {
          if (s.op === 'add') await (s.who ? session : other).addItems(Array.from({ length: s.count }, () => user(`m${n++}`)));
          else if (s.op === 'pop') await (s.who ? session : other).popItem();
          else expect(await session.getItems(s.limit)).toEqual(await new AgentStorageSession({ url: server.url, sessionId }).getItems(s.limit));
        }
      }),
      { numRuns: 20 },
    );
  });
});
