import { describe, expect } from 'vitest';
import type { DomainError } from '../../../src/domain/errors.js';
import type { RewriteHistoryInput } from '../../../src/domain/inputs.js';
import type { Json } from '../../../src/domain/json.js';
import { parseInput, rewriteHistoryInput } from '../../../src/domain/inputs.js';
import { describeOnDatabases } from '../../support/store-fixture.js';
import { NASTY_JSON, NASTY_STRINGS, viaJson } from '../../storage/support.js';

/**
 * Structured items, pops, suffix rewrites (compare-and-set, once per operation id) and upserts by
 * the client's message id, on every database, through the history service as the doors call it.
 * Originals are never destroyed: what leaves the history is readable as superseded.
 */

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as DomainError;
    return { code: e.code, message: e.message };
  }
  throw new Error('expected a failure');
}

const rewrite = (input: Partial<RewriteHistoryInput> & Pick<RewriteHistoryInput, 'operationId' | 'expectedLastSeq'>): RewriteHistoryInput =>
  parseInput(rewriteHistoryInput, { replaceLast: 0, messages: [], ...input });

const call = (id: string, args: Json = { q: 'x' }): Json => ({ type: 'function_call', callId: id, name: 'lookup', arguments: JSON.stringify(args) });

describeOnDatabases('history rewrites', (test) => {
  const it = test.extend('history', ({ storage }) => storage.history);

  describe('structured items', () => {
    it('read back equal to what was written, by page, by id, as JSON and in the change feed', async ({ history, session, backend }) => {
      const s = await session();
      const items: Json[] = [NASTY_JSON, [1, 'two', { three: [null, true] }], 'a bare string', 0, { b: 1, a: 2, nested: { z: NASTY_STRINGS[5]!, y: -0 } }];
      const added = await history.addMany(s.id, items.map((item) => ({ role: 'assistant' as const, item, metadata: {} })));
      // What JSON can hold (-0 is 0 once it is JSON text, as in every other JSON field).
      items.splice(0, items.length, ...items.map((item) => viaJson(item)));
      const page = await history.list(s.id, { limit: 100 });
      expect(page.map((m) => m.item)).toEqual(items);
      // Key order is kept, not only the value.
      expect(JSON.stringify(page[4]!.item)).toBe(JSON.stringify(items[4]));
      expect((await history.byIds(added.map((m) => m.id))).sort((a, b) => a.seq - b.seq).map((m) => m.item)).toEqual(items);
      const json = JSON.parse(await history.json(s.id, { limit: 100 }, [['item', 'item'], ['content', 'content']])) as { item: Json; content: string }[];
      expect(json.map((m) => m.item)).toEqual(items);
      const events = await backend.stores.events.after({ sessionId: s.id }, 0, 100);
      expect(events.filter((e) => e.type === 'MessageAdded').map((e) => (e as { message: { item: Json } }).message.item)).toEqual(items);
    });

    it('without content, the text is read from the item; with both, both are kept', async ({ history, session }) => {
      const s = await session();
      const [derived, both] = await history.addMany(s.id, [
        { role: 'assistant', item: { type: 'message', content: [{ type: 'output_text', text: 'Hello' }, { type: 'output_text', text: 'world' }] }, metadata: {} },
        { role: 'tool', content: 'mine', item: { type: 'function_call_result', output: 'theirs' }, metadata: {} },
      ]);
      expect(derived!.content).toBe('Hello\nworld');
      expect(both!.content).toBe('mine');
    });

    it('a repeat must repeat the item too', async ({ history, session }) => {
      const s = await session();
      await history.addMany(s.id, [{ role: 'assistant', item: call('c1'), idempotencyKey: 'k', metadata: {} }]);
      expect((await history.addMany(s.id, [{ role: 'assistant', item: call('c1'), idempotencyKey: 'k', metadata: {} }]))[0]!.seq).toBe(1);
      expect(await failure(history.addMany(s.id, [{ role: 'assistant', item: call('c2'), idempotencyKey: 'k', metadata: {} }]))).toMatchObject({ code: 'CONFLICT' });
    });

    it('forks copy items', async ({ storage, history, session }) => {
      const s = await session();
      const [m] = await history.addMany(s.id, [{ role: 'assistant', item: call('c1'), metadata: {} }]);
      const fork = await storage.sessions.fork(s.id, m!.id, {});
      expect((await history.list(fork.session.id, { limit: 10 }))[0]!.item).toEqual(call('c1'));
    });
  });

  describe('pop', () => {
    it('takes the last message out and returns it; null on an empty history; the original stays readable', async ({ history, session, backend }) => {
      const s = await session();
      expect(await history.pop(s.id)).toBeNull();
      const added = await history.addMany(s.id, [1, 2, 3].map((i) => ({ role: 'user' as const, content: `m${i}`, item: { i }, metadata: {} })));
      expect(await history.pop(s.id)).toEqual(added[2]);
      expect(await history.pop(s.id)).toEqual(added[1]);
      expect((await history.list(s.id, { limit: 10 })).map((m) => m.content)).toEqual(['m1']);
      const superseded = await history.superseded(s.id, { limit: 10 });
      expect(superseded.map((x) => [x.message, x.reason, x.operationId])).toEqual([
        [added[2], 'popped', null],
        [added[1], 'popped', null],
      ]);
      expect(await history.supersededCount(s.id)).toBe(2);
      // The next append continues after the highest seq ever handed out: seqs are never reused.
      expect((await history.addMany(s.id, [{ role: 'user', content: 'm4', metadata: {} }]))[0]!.seq).toBe(4);
      const types = (await backend.stores.events.after({ sessionId: s.id }, 0, 100)).map((e) => e.type);
      expect(types.filter((t) => t === 'MessagePopped')).toHaveLength(2);
    });

    it('an unknown session is NOT_FOUND', async ({ history }) => {
      expect(await failure(history.pop('session_nope'))).toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('rewrite', () => {
    it('replaces the suffix when the history is as expected, keeps the originals, answers a retry with the first result', async ({ history, session, backend }) => {
      const s = await session();
      const added = await history.addMany(s.id, ['a', 'b', 'c'].map((c) => ({ role: 'assistant' as const, item: call(c), metadata: {} })));
      const input = rewrite({
        operationId: 'op-1',
        expectedLastSeq: 3,
        replaceLast: 2,
        expectedItems: [call('b'), call('c')],
        messages: [{ role: 'assistant', item: call('B'), metadata: {} }],
      });
      const first = await history.rewrite(s.id, input);
      expect(first).toMatchObject({ operationId: 'op-1', replayed: false, supersededIds: [added[1]!.id, added[2]!.id] });
      expect(first.messages.map((m) => [m.seq, m.item])).toEqual([[4, call('B')]]);
      expect((await history.list(s.id, { limit: 10 })).map((m) => m.item)).toEqual([call('a'), call('B')]);
      const superseded = await history.superseded(s.id, { limit: 10 });
      expect(superseded.map((x) => [x.message, x.reason, x.operationId])).toEqual([
        [added[1], 'rewritten', 'op-1'],
        [added[2], 'rewritten', 'op-1'],
      ]);
      // The same request again: the first answer, nothing applied.
      const again = await history.rewrite(s.id, input);
      expect(again).toEqual({ ...first, replayed: true });
      // A retry cannot know the last seq the operation was applied under once it moved it: the
      // operation is what it does, not its precondition.
      expect(await history.rewrite(s.id, { ...input, expectedLastSeq: 4 })).toEqual({ ...first, replayed: true });
      expect(await history.counts([s.id])).toEqual(new Map([[s.id, 2]]));
      // The same id with another request: a conflict.
      expect(await failure(history.rewrite(s.id, { ...input, replaceLast: 1, expectedItems: [call('c')] }))).toEqual({
        code: 'CONFLICT',
        message: 'Operation "op-1" was already applied to this session with a different request',
      });
      const types = (await backend.stores.events.after({ sessionId: s.id }, 0, 100)).map((e) => e.type);
      expect(types.slice(-2)).toEqual(['HistoryRewritten', 'MessageAdded']);
    });

    it('refuses a stale expectation and changes nothing', async ({ history, session }) => {
      const s = await session();
      await history.addMany(s.id, ['a', 'b'].map((c) => ({ role: 'assistant' as const, item: call(c), metadata: {} })));
      const before = await history.list(s.id, { limit: 10 });
      expect(await failure(history.rewrite(s.id, rewrite({ operationId: 'x1', expectedLastSeq: 1, replaceLast: 1 })))).toEqual({
        code: 'CONFLICT',
        message: 'The history changed: expected the last message at seq 1, but its last message is at seq 2',
      });
      expect(await failure(history.rewrite(s.id, rewrite({ operationId: 'x2', expectedLastSeq: null })))).toEqual({
        code: 'CONFLICT',
        message: 'The history changed: expected an empty history, but its last message is at seq 2',
      });
      expect(await failure(history.rewrite(s.id, rewrite({ operationId: 'x3', expectedLastSeq: 2, replaceLast: 3 })))).toEqual({
        code: 'CONFLICT',
        message: 'Cannot replace the last 3 messages: the history has 2',
      });
      expect(await failure(history.rewrite(s.id, rewrite({ operationId: 'x4', expectedLastSeq: 2, replaceLast: 1, expectedItems: [call('zz')] })))).toEqual({
        code: 'CONFLICT',
        message: `The history's suffix is not the expected one: its message ${before[1]!.id} (seq 2) holds another item`,
      });
      expect(await history.list(s.id, { limit: 10 })).toEqual(before);
      expect(await history.superseded(s.id, { limit: 10 })).toEqual([]);
      // A refused operation id was not recorded: it can still be used.
      expect((await history.rewrite(s.id, rewrite({ operationId: 'x1', expectedLastSeq: 2, replaceLast: 1 }))).replayed).toBe(false);
    });

    it('replaceLast 0 is an idempotent append; an empty replacement removes the suffix; compaction is recorded as such', async ({ history, session }) => {
      const s = await session();
      const appended = await history.rewrite(s.id, rewrite({ operationId: 'a', expectedLastSeq: null, messages: [{ role: 'user', content: 'hi', metadata: {} }] }));
      expect((await history.rewrite(s.id, rewrite({ operationId: 'a', expectedLastSeq: null, messages: [{ role: 'user', content: 'hi', metadata: {} }] }))).messages).toEqual(
        appended.messages,
      );
      await history.addMany(s.id, [{ role: 'assistant', content: 'there', metadata: {} }]);
      const compacted = await history.rewrite(
        s.id,
        rewrite({ operationId: 'c', expectedLastSeq: 2, replaceLast: 2, reason: 'compacted', messages: [{ role: 'system', item: { type: 'compaction', summary: 'greeted' }, metadata: {} }] }),
      );
      expect(compacted.supersededIds).toHaveLength(2);
      expect((await history.superseded(s.id, { limit: 10 })).map((x) => x.reason)).toEqual(['compacted', 'compacted']);
      await history.rewrite(s.id, rewrite({ operationId: 'd', expectedLastSeq: 3, replaceLast: 1 }));
      expect(await history.list(s.id, { limit: 10 })).toEqual([]);
    });

    it('a compaction may replace more messages than a batch holds; expected items are compared only when given', async ({ history, session }) => {
      const s = await session();
      for (let i = 0; i < 3; i++) await history.addMany(s.id, Array.from({ length: 500 }, (_, k) => ({ role: 'user' as const, content: `m${i * 500 + k}`, metadata: {} })));
      const result = await history.rewrite(s.id, rewrite({ operationId: 'big', expectedLastSeq: 1500, replaceLast: 1500, reason: 'compacted', messages: [{ role: 'system', content: 'summary', metadata: {} }] }));
      expect(result.supersededIds).toHaveLength(1500);
      expect((await history.list(s.id, { limit: 10 })).map((m) => [m.seq, m.content])).toEqual([[1501, 'summary']]);
      expect(await history.supersededCount(s.id)).toBe(1500);
    });

    it('a replayed rewrite answers its replacements as they are now, even once taken out again', async ({ history, session }) => {
      const s = await session();
      const input = rewrite({ operationId: 'r', expectedLastSeq: null, messages: [{ role: 'user', content: 'x', metadata: {} }] });
      const first = await history.rewrite(s.id, input);
      await history.pop(s.id);
      expect(await history.rewrite(s.id, input)).toEqual({ ...first, replayed: true });
    });

    it('20 concurrent rewriters from one expectation: exactly one wins, nothing is lost', async ({ history, session }) => {
      const s = await session();
      const base = await history.addMany(s.id, ['a', 'b', 'c'].map((c) => ({ role: 'assistant' as const, item: call(c), metadata: {} })));
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          history.rewrite(s.id, rewrite({ operationId: `w${i}`, expectedLastSeq: 3, replaceLast: 1, expectedItems: [call('c')], messages: [{ role: 'assistant', item: call(`w${i}`), metadata: {} }] })),
        ),
      );
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      expect(won).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect((r.reason as DomainError).code).toBe('CONFLICT');
      const live = await history.list(s.id, { limit: 10 });
      expect(live.map((m) => m.item)).toEqual([call('a'), call('b'), won[0]!.messages[0]!.item]);
      expect((await history.superseded(s.id, { limit: 10 })).map((x) => x.message)).toEqual([base[2]]);
    });

    it('rounds of stale and fresh rewriters: exactly the consistent ones win, every original is live or superseded', async ({ history, session }) => {
      const s = await session();
      await history.addMany(s.id, [{ role: 'user', content: 'start', metadata: {} }]);
      const everWritten = new Set((await history.list(s.id, { limit: 10 })).map((m) => m.id));
      for (let round = 0; round < 4; round++) {
        const [last] = (await history.list(s.id, { limit: 1, fromEnd: true })).slice(-1);
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) =>
            history.rewrite(
              s.id,
              // Half of them expect a seq that is already gone.
              rewrite({ operationId: `r${round}-${i}`, expectedLastSeq: i % 2 === 0 ? last!.seq : last!.seq - 1, replaceLast: 1, messages: [{ role: 'assistant', content: `r${round}-${i}`, metadata: {} }] }),
            ),
          ),
        );
        const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
        expect(won).toHaveLength(1);
        expect(won[0]! % 2).toBe(0);
        for (const r of results) if (r.status === 'fulfilled') r.value.messages.forEach((m) => everWritten.add(m.id));
      }
      const live = (await history.list(s.id, { limit: 100 })).map((m) => m.id);
      const superseded = (await history.superseded(s.id, { limit: 100 })).map((x) => x.message.id);
      expect(new Set([...live, ...superseded])).toEqual(everWritten);
      expect(live).toHaveLength(1);
    });

    it('a replacement may not take an id or key another live message holds', async ({ history, session }) => {
      const s = await session();
      await history.addMany(s.id, [{ role: 'user', content: 'a', idempotencyKey: 'k1', metadata: {} }, { role: 'user', content: 'b', metadata: {} }]);
      expect(
        await failure(history.rewrite(s.id, rewrite({ operationId: 'o', expectedLastSeq: 2, replaceLast: 1, messages: [{ role: 'user', content: 'c', idempotencyKey: 'k1', metadata: {} }] }))),
      ).toMatchObject({ code: 'CONFLICT' });
      expect((await history.list(s.id, { limit: 10 })).map((m) => m.content)).toEqual(['a', 'b']);
    });
  });

  describe('upsert by the client message id', () => {
    it('same body: a no-op; a different body: a conflict, or replaced in place when asked, the previous version superseded', async ({ history, session, backend }) => {
      const s = await session();
      const ui = (text: string): Json => ({ id: 'ui-1', role: 'assistant', parts: [{ type: 'text', text }] });
      const [first] = await history.addMany(s.id, [{ role: 'assistant', item: ui('Hel'), idempotencyKey: 'ui-1', metadata: {} }], { onConflict: 'replace' });
      expect(await history.addMany(s.id, [{ role: 'assistant', item: ui('Hel'), idempotencyKey: 'ui-1', metadata: {} }], { onConflict: 'replace' })).toEqual([first]);
      expect(await failure(history.addMany(s.id, [{ role: 'assistant', item: ui('Hello'), idempotencyKey: 'ui-1', metadata: {} }]))).toMatchObject({ code: 'CONFLICT' });
      const [replaced, added] = await history.addMany(
        s.id,
        [
          { role: 'assistant', item: ui('Hello'), idempotencyKey: 'ui-1', metadata: {} },
          { role: 'user', content: 'next', idempotencyKey: 'ui-2', metadata: {} },
        ],
        { onConflict: 'replace' },
      );
      expect(replaced).toEqual({ ...first, item: ui('Hello'), content: 'Hello' });
      expect(added!.seq).toBe(2);
      expect(await history.list(s.id, { limit: 10 })).toEqual([replaced, added]);
      expect((await history.superseded(s.id, { limit: 10 })).map((x) => [x.message, x.reason])).toEqual([[first, 'replaced']]);
      const types = (await backend.stores.events.after({ sessionId: s.id }, 0, 100)).map((e) => e.type);
      expect(types).toEqual(['SessionCreated', 'MessageAdded', 'MessageReplaced', 'MessageAdded']);
    });

    it('concurrent upserts of one id never duplicate it', async ({ history, session }) => {
      const s = await session();
      await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => history.addMany(s.id, [{ role: 'assistant', content: `v${i % 3}`, idempotencyKey: 'same', metadata: {} }], { onConflict: 'replace' })),
      );
      const live = await history.list(s.id, { limit: 100 });
      expect(live).toHaveLength(1);
    });
  });

  it('clearing deletes the history, its superseded messages and its operations', async ({ history, session }) => {
    const s = await session();
    await history.addMany(s.id, [{ role: 'user', content: 'a', metadata: {} }, { role: 'user', content: 'b', metadata: {} }]);
    await history.pop(s.id);
    const input = rewrite({ operationId: 'o', expectedLastSeq: 1, replaceLast: 1 });
    await history.rewrite(s.id, input);
    expect(await history.clear(s.id)).toBe(0);
    expect(await history.superseded(s.id, { limit: 10 })).toEqual([]);
    await history.addMany(s.id, [{ role: 'user', content: 'c', metadata: {} }]);
    // The operation id is free again.
    expect((await history.rewrite(s.id, rewrite({ operationId: 'o', expectedLastSeq: 3, replaceLast: 1 }))).replayed).toBe(false);
  });
});
