import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/domain/errors.js';
import { createIdGenerator } from '../../../src/domain/ids.js';
import { parseInput } from '../../../src/domain/inputs.js';
import type { JsonObject } from '../../../src/domain/json.js';
import { type Checkpoint, type CheckpointKey, listCheckpointsInput, putCheckpointInput, putWritesInput } from '../../../src/modules/checkpoints/model.js';
import type { CheckpointService } from '../../../src/modules/checkpoints/service.js';
import { DEFAULT_RETENTION_POLICY } from '../../../src/modules/retention/service.js';
import type { StorageBackend } from '../../../src/storage/backend.js';
import { Storage } from '../../../src/storage/storage.js';
import { databases } from '../../support/databases.js';
import { ManualClock } from '../../support/fixtures.js';
import { compareStrings } from '../../storage/support.js';

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

/** A put as a client sends it (wire shape, through the domain's parser). */
function put(threadId: string, id: string, extra: Record<string, unknown> = {}) {
  return parseInput(putCheckpointInput, { threadId, id, type: 'json', data: b64(`cp ${id}`), ...extra });
}

function writes(threadId: string, checkpointId: string, taskId: string, list: [idx: number, channel: string, value: string][], extra: Record<string, unknown> = {}) {
  return parseInput(putWritesInput, {
    threadId,
    checkpointId,
    taskId,
    writes: list.map(([idx, channel, value]) => ({ idx, channel, type: 'json', data: b64(value) })),
    ...extra,
  });
}

/** Rows of each checkpoint table that belong to a thread, read straight from the database. */
async function tableCounts(backend: StorageBackend, threadId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['thread_checkpoints', 'thread_channel_values', 'thread_writes']) {
    const sql = `SELECT COUNT(*) AS n FROM ${table} WHERE thread_id = ${backend.runner.dialect === 'sqlite' ? '?' : '$1'}`;
    const [row] = await backend.runner.all({ name: `test_count_${table}`, sql, order: ['threadId'] }, { threadId });
    out[table] = Number(row!.n);
  }
  return out;
}

const listInput = (v: Record<string, unknown> = {}) => parseInput(listCheckpointsInput, v);
const all = { limit: 10_000 };

for (const database of databases) {
  describe(`checkpoints: ${database.name}`, () => {
    let backend: StorageBackend;
    let cleanup: () => Promise<void>;
    let clock: ManualClock;
    let storage: Storage;
    let cps: CheckpointService;

    beforeEach(async () => {
      ({ backend, cleanup } = await database.open());
      clock = new ManualClock();
      storage = new Storage(backend, clock, createIdGenerator(clock));
      cps = storage.checkpoints;
    });
    afterEach(async () => {
      await cleanup();
    });

    const values = async (c: CheckpointKey) => (await cps.channelValues([c])).get(`${c.threadId}\u0000${c.namespace}\u0000${c.id}`)!;
    const pending = async (c: CheckpointKey) => (await cps.pendingWrites([c])).get(`${c.threadId}\u0000${c.namespace}\u0000${c.id}`)!;

    it('keeps bytes, metadata and channel versions exactly, and reads the latest by id', async () => {
      const bytes = Buffer.from([0, 255, 0, 1, 128, 10, 13, 0]);
      const versions = { a: 1, b: '00000000000000000000000000000002.0.5', c: 3.5 };
      await cps.putCheckpoint(put('t', '1', { data: b64(bytes), metadata: { source: 'input', step: -1, nested: { z: 1, a: [null, '\u0000'] } }, channelVersions: versions }));
      await cps.putCheckpoint(put('t', '2', { parentId: '1', channelVersions: { a: 2 } }));
      await cps.putCheckpoint(put('t', '0'));
      const first = (await cps.checkpoint('t', '', '1'))!;
      expect(first.data.equals(bytes)).toBe(true);
      expect(first.metadata).toEqual({ source: 'input', step: -1, nested: { z: 1, a: [null, '\u0000'] } });
      expect(JSON.stringify(first.channelVersions)).toBe(JSON.stringify(versions));
      expect((await cps.checkpoint('t', '', null))!.id).toBe('2');
      expect((await cps.checkpoint('t', '', null))!.parentId).toBe('1');
      expect(await cps.checkpoint('t', 'child', null)).toBeNull();
      expect(await cps.checkpoint('other', '', null)).toBeNull();
    });

    it('stores only the channel values a put gives, once per version, and reads those of channelVersions', async () => {
      // LangGraph's validation suite: versions {foo: 1, baz: 1} put three times with newVersions {}, {foo}, {foo, baz}.
      const channelVersions = { foo: 1, baz: 1 };
      const foo = { channel: 'foo', version: 1, type: 'json', data: b64('"bar"') };
      const baz = { channel: 'baz', version: 1, type: 'json', data: b64('"qux"') };
      await cps.putCheckpoint(put('t', 'a', { channelVersions, channelValues: [] }));
      expect(await values({ threadId: 't', namespace: '', id: 'a' })).toEqual([]);
      await cps.putCheckpoint(put('t', 'b', { channelVersions, channelValues: [foo] }));
      expect((await values({ threadId: 't', namespace: '', id: 'b' })).map((v) => v.channel)).toEqual(['foo']);
      await cps.putCheckpoint(put('t', 'c', { channelVersions: { ...channelVersions, empty: 'v1' }, channelValues: [foo, baz, { channel: 'empty', version: 'v1', type: 'empty' }] }));
      const read = await values({ threadId: 't', namespace: '', id: 'c' });
      expect(read.map((v) => [v.channel, v.version, v.type, v.data?.toString()])).toEqual([
        ['baz', '1', 'json', '"qux"'],
        ['empty', 'v1', 'empty', undefined],
        ['foo', '1', 'json', '"bar"'],
      ]);
      // Another namespace's values are its own.
      expect(await values({ threadId: 't', namespace: 'sub', id: 'c' })).toEqual([]);
    });

    it('reads values back at any version: decimals with more digits than a double prints, exponents, strings; any channel name', async () => {
      const versions: Record<string, number | string> = { 'a.b': 2.930565014390394, 'x[0]': 0.30000000000000004, $q: 1e21, '"': 7, s: '1.50', ü: 2.25 };
      const channelValues = Object.entries(versions).map(([channel, version]) => ({ channel, version, type: 'json', data: b64(JSON.stringify(channel)) }));
      await cps.putCheckpoint(put('t', '1', { channelVersions: versions, channelValues }));
      await cps.putCheckpoint(put('t', '2', { channelVersions: versions }));
      const expected = Object.keys(versions).sort(compareStrings).map((channel) => [channel, String(versions[channel]), JSON.stringify(channel)]);
      const read = async (id: string) => (await values({ threadId: 't', namespace: '', id })).map((v) => [v.channel, v.version, v.data?.toString()]);
      expect(await read('2')).toEqual(expected);
      // Prune keeps them: the newest checkpoint still references every one.
      await cps.prune({ threadIds: ['t'], keep: 1 });
      expect(await read('2')).toEqual(expected);
    });

    it('refuses a channel value at a version channelVersions does not give, and bad base64', () => {
      const issue = (v: Record<string, unknown>) => {
        try {
          parseInput(putCheckpointInput, { threadId: 't', id: '1', type: 'json', data: 'e30=', ...v });
          return null;
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          return (error as ValidationError).message;
        }
      };
      expect(issue({ channelVersions: { a: 2 }, channelValues: [{ channel: 'a', version: 1, type: 'json', data: 'e30=' }] })).toBe(
        'channelValues.0.version: must be the version channelVersions gives this channel',
      );
      expect(issue({ data: 'e30' })).toMatch(/^data: must be standard base64/);
      expect(issue({ data: 'e3 0=' })).toMatch(/^data: must be standard base64/);
      expect(issue({ threadId: 'x'.repeat(257) })).toMatch(/^threadId: /);
      expect(issue({ data: '' })).toBeNull();
    });

    it('filters metadata holding NUL characters (escaped \\u0000 in JSON) like any other', async () => {
      await cps.putCheckpoint(put('n', '1', { metadata: { note: 'a\u0000b', step: 1 } }));
      await cps.putCheckpoint(put('n', '2', { metadata: { note: 'a\u0000c', step: 1, nested: { k: '\u0000' } } }));
      await cps.putCheckpoint(put('n', '3', { metadata: { note: 'a\ufffdb', step: 2 } }));
      const ids = async (filter: JsonObject) => (await cps.list(listInput({ filter }), all)).map((c) => c.id);
      expect(await ids({ note: 'a\u0000b' })).toEqual(['1']);
      expect(await ids({ note: 'a\ufffdb' })).toEqual(['3']);
      expect(await ids({ step: 1 })).toEqual(['2', '1']);
      expect(await ids({ nested: { k: '\u0000' } })).toEqual(['2']);
    });

    it('orders writes by (task path, task id, idx); special (negative) writes overwrite, others keep the first', async () => {
      await cps.putCheckpoint(put('t', '1'));
      await cps.putWrites(writes('t', '1', 'task-b', [[0, 'x', 'b0'], [1, 'y', 'b1']], { taskPath: '~a' }));
      await cps.putWrites(writes('t', '1', 'task-a', [[1, 'y', 'a1'], [0, 'x', 'a0']], { taskPath: '~a' }));
      await cps.putWrites(writes('t', '1', 'task-z', [[0, 'x', 'z0']], { taskPath: '' }));
      await cps.putWrites(writes('t', '1', 'task-a', [[0, 'x', 'again'], [-1, '__error__', 'e1']], { taskPath: '~a' }));
      await cps.putWrites(writes('t', '1', 'task-a', [[-1, '__error__', 'e2']], { taskPath: '~a' }));
      const read = await pending({ threadId: 't', namespace: '', id: '1' });
      expect(read.map((w) => [w.taskPath, w.taskId, w.idx, w.channel, w.data.toString()])).toEqual([
        ['', 'task-z', 0, 'x', 'z0'],
        ['~a', 'task-a', -1, '__error__', 'e2'],
        ['~a', 'task-a', 0, 'x', 'a0'],
        ['~a', 'task-a', 1, 'y', 'a1'],
        ['~a', 'task-b', 0, 'x', 'b0'],
        ['~a', 'task-b', 1, 'y', 'b1'],
      ]);
    });

    it('takes writes before their checkpoint (LangGraph does not wait for the put)', async () => {
      await cps.putWrites(writes('early', '1', 'task', [[0, 'x', 'v']]));
      expect((await cps.thread('early')).id).toBe('early');
      await cps.putCheckpoint(put('early', '1'));
      expect((await pending({ threadId: 'early', namespace: '', id: '1' })).map((w) => w.data.toString())).toEqual(['v']);
    });

    describe('list (property: against a model)', () => {
      const checkpointArb = fc.record({
        threadId: fc.constantFrom('t1', 't2', 't3'),
        namespace: fc.constantFrom('', 'sub'),
        // Few, short ids: the same id in several threads and namespaces, as copies make.
        id: fc.stringMatching(/^[0-9a-c]{1,2}$/),
        metadata: fc.record({ source: fc.constantFrom('loop', 'input'), step: fc.integer({ min: -1, max: 2 }), flag: fc.option(fc.boolean(), { nil: null }) }),
      });
      const filterArb = fc.record({
        threadId: fc.option(fc.constantFrom('t1', 't2', 'none'), { nil: undefined }),
        namespace: fc.option(fc.constantFrom('', 'sub'), { nil: undefined }),
        before: fc.option(fc.stringMatching(/^[0-9a-c]{1,2}$/), { nil: undefined }),
        filter: fc.option(
          fc.record({ source: fc.constantFrom('loop', 'input'), step: fc.integer({ min: -1, max: 2 }), flag: fc.constantFrom(null, true) }, { requiredKeys: [] }),
          { nil: undefined },
        ),
      });

      it('pages newest (highest id) first through every match, whatever the page size; equal timestamps throughout', async () => {
        let run = 0;
        await fc.assert(
          fc.asyncProperty(fc.uniqueArray(checkpointArb, { maxLength: 25, selector: (c) => `${c.threadId}/${c.namespace}/${c.id}` }), filterArb, fc.integer({ min: 1, max: 7 }), async (rows, f, size) => {
            const prefix = `r${run++}-`;
            // The clock never moves: every checkpoint has the same created_at.
            for (const r of rows) await cps.putCheckpoint(put(prefix + r.threadId, r.id, { namespace: r.namespace, metadata: r.metadata }));
            const input = listInput({ ...f, threadId: f.threadId && prefix + f.threadId });
            const expected = rows
              .filter((r) => (f.threadId === undefined ? true : r.threadId === f.threadId))
              .filter((r) => (f.namespace === undefined ? true : r.namespace === f.namespace))
              .filter((r) => (f.before === undefined ? true : r.id < f.before))
              .filter((r) => Object.entries(f.filter ?? {}).every(([k, v]) => (r.metadata as JsonObject)[k] === v))
              .map((r) => [r.id, prefix + r.threadId, r.namespace].join('/'))
              .sort((a, b) => -compareStrings(a, b));
            const seen: string[] = [];
            let after: CheckpointKey | null = null;
            for (;;) {
              const page: Checkpoint[] = await cps.list(input, { after, limit: size });
              const mine = input.threadId === null ? page.filter((c) => c.threadId.startsWith(prefix)) : page;
              seen.push(...mine.map((c) => [c.id, c.threadId, c.namespace].join('/')));
              if (page.length < size) break;
              after = { threadId: page.at(-1)!.threadId, namespace: page.at(-1)!.namespace, id: page.at(-1)!.id };
            }
            // Across threads, other runs' checkpoints interleave by id: only ours are compared, in order.
            expect(seen).toEqual(expected);
            expect(await cps.count(input)).toBeGreaterThanOrEqual(expected.length);
            if (input.threadId !== null) expect(await cps.count(input)).toBe(expected.length);
          }),
          { numRuns: 25 },
        );
      });
    });

    it('prunes to the newest checkpoints of each namespace, keeping exactly the values they reference', async () => {
      const v = (channel: string, version: number) => ({ channel, version, type: 'json', data: b64(`${channel}@${version}`) });
      await cps.putCheckpoint(put('t', '1', { channelVersions: { a: 1, b: 1 }, channelValues: [v('a', 1), v('b', 1)] }));
      await cps.putCheckpoint(put('t', '2', { channelVersions: { a: 2, b: 1 }, channelValues: [v('a', 2)] }));
      await cps.putCheckpoint(put('t', '3', { channelVersions: { a: 3, b: 1 }, channelValues: [v('a', 3)] }));
      await cps.putCheckpoint(put('t', '1', { namespace: 'sub', channelVersions: { s: 1 }, channelValues: [v('s', 1)] }));
      await cps.putWrites(writes('t', '2', 'task', [[0, 'a', 'w2']]));
      await cps.putWrites(writes('t', '3', 'task', [[0, 'a', 'w3']]));
      await cps.putWrites(writes('t', '4', 'task', [[0, 'a', 'in flight']]));
      await cps.putCheckpoint(put('u', '1', { channelVersions: { a: 1 }, channelValues: [v('a', 1)] }));
      await cps.putCheckpoint(put('u', '2', { channelVersions: { a: 1 } }));

      expect(await cps.prune({ threadIds: ['t'], keep: 2 })).toEqual({ checkpoints: 1, writes: 0, channelValues: 1 }); // a@1; b@1 is still referenced
      expect(await cps.prune({ threadIds: ['t', 'missing'], keep: 1 })).toEqual({ checkpoints: 1, writes: 1, channelValues: 1 });
      const left = await cps.list(listInput({ threadId: 't' }), all);
      expect(left.map((c) => `${c.namespace}/${c.id}`)).toEqual(['/3', 'sub/1']);
      expect((await values({ threadId: 't', namespace: '', id: '3' })).map((x) => x.data!.toString())).toEqual(['a@3', 'b@1']);
      expect((await values({ threadId: 't', namespace: 'sub', id: '1' })).map((x) => x.data!.toString())).toEqual(['s@1']);
      expect((await pending({ threadId: 't', namespace: '', id: '3' })).map((w) => w.data.toString())).toEqual(['w3']);
      expect((await pending({ threadId: 't', namespace: '', id: '4' })).map((w) => w.data.toString())).toEqual(['in flight']);
      // Thread u was not named: untouched.
      expect(await cps.list(listInput({ threadId: 'u' }), all)).toHaveLength(2);
      // Nothing left to prune.
      expect(await cps.prune({ threadIds: ['t'], keep: 1 })).toEqual({ checkpoints: 0, writes: 0, channelValues: 0 });
    });

    it('a thread of 100 checkpoints pruned to the latest holds exactly the rows of a thread of that one checkpoint', async () => {
      const checkpoint = (i: number) => {
        // Channel a changes at every step, b every tenth, c never: each put stores only what changed.
        const versions = { a: i, b: Math.floor(i / 10) + 1, c: 1 };
        const changed = i === 1 ? ['a', 'b', 'c'] : i % 10 === 0 ? ['a', 'b'] : ['a'];
        const channelValues = changed.map((channel) => ({ channel, version: versions[channel as 'a'], type: 'json', data: b64(`${channel}${versions[channel as 'a']}`) }));
        return { channelVersions: versions, channelValues };
      };
      for (let i = 1; i <= 100; i++) {
        await cps.putCheckpoint(put('long', String(i).padStart(3, '0'), checkpoint(i)));
        await cps.putWrites(writes('long', String(i).padStart(3, '0'), 'task', [[0, 'a', `w${i}`]]));
      }
      await cps.prune({ threadIds: ['long'], keep: 1 });
      // The same last checkpoint, put alone with every value it references.
      const last = checkpoint(100);
      const all100 = { ...last, channelValues: Object.entries(last.channelVersions).map(([channel, version]) => ({ channel, version, type: 'json', data: b64(`${channel}${version}`) })) };
      await cps.putCheckpoint(put('short', '100', all100));
      await cps.putWrites(writes('short', '100', 'task', [[0, 'a', 'w100']]));

      const rows = async (threadId: string) => {
        const [c] = await cps.list(listInput({ threadId }), all);
        return { checkpoints: (await cps.list(listInput({ threadId }), all)).length, values: await values(c!), writes: await pending(c!) };
      };
      const [long, short] = [await rows('long'), await rows('short')];
      expect(long.checkpoints).toBe(1);
      expect(long.values).toEqual(short.values);
      expect(long.writes).toEqual(short.writes);
      // And nothing unreferenced is left behind: a second prune finds nothing.
      expect(await cps.prune({ threadIds: ['long'], keep: 1 })).toEqual({ checkpoints: 0, writes: 0, channelValues: 0 });
      expect(await tableCounts(backend, 'long')).toEqual(await tableCounts(backend, 'short'));
    });

    it('copies a thread whole; refuses an existing target and a missing source', async () => {
      await cps.putCheckpoint(put('src', '1', { channelVersions: { a: 1 }, channelValues: [{ channel: 'a', version: 1, type: 'json', data: b64('v') }], ttlSeconds: 60 }));
      await cps.putWrites(writes('src', '1', 'task', [[0, 'a', 'w']]));
      clock.advance(10_000);
      const copy = await cps.copyThread('src', 'dst');
      expect(copy).toMatchObject({ id: 'dst', ttlSeconds: 60, createdAt: clock.iso(), expiresAt: new Date(clock.now() + 60_000).toISOString() });
      const [c] = await cps.list(listInput({ threadId: 'dst' }), all);
      expect(c).toMatchObject({ threadId: 'dst', id: '1', type: 'json' });
      expect((await values(c!)).map((v) => v.data!.toString())).toEqual(['v']);
      expect((await pending(c!)).map((w) => w.data.toString())).toEqual(['w']);

      const conflict = await failure(cps.copyThread('src', 'dst'));
      expect(conflict).toBeInstanceOf(ConflictError);
      expect((conflict as Error).message).toBe('Thread "dst" already exists');
      expect(await failure(cps.copyThread('src', 'src'))).toBeInstanceOf(ConflictError);
      const missing = await failure(cps.copyThread('nothing', 'x'));
      expect(missing).toBeInstanceOf(NotFoundError);
      expect((missing as Error).message).toBe('Source thread not found');
    });

    it('expires a thread its TTL after its last write; a write to it starts it over; retention deletes it', async () => {
      await cps.putCheckpoint(put('t', '1', { ttlSeconds: 60 }));
      clock.advance(50_000);
      await cps.putWrites(writes('t', '1', 'task', [[0, 'x', 'v']])); // a write moves the expiry
      clock.advance(50_000);
      expect((await cps.thread('t')).expiresAt).toBe(new Date(clock.now() + 10_000).toISOString());
      clock.advance(10_000);
      expect(await failure(cps.thread('t'))).toBeInstanceOf(NotFoundError);
      expect(await cps.checkpoint('t', '', null)).toBeNull();
      expect(await cps.list(listInput({}), all)).toEqual([]);

      await cps.putCheckpoint(put('t', '2'));
      // Started over: the old checkpoint and writes are gone, the TTL was the old thread's.
      expect((await cps.list(listInput({ threadId: 't' }), all)).map((c) => c.id)).toEqual(['2']);
      expect(await pending({ threadId: 't', namespace: '', id: '1' })).toEqual([]);
      expect((await cps.thread('t')).ttlSeconds).toBeNull();
      // A put sets a TTL, leaves it when it gives none, and removes it with null.
      await cps.putCheckpoint(put('t', '3', { ttlSeconds: 30 }));
      await cps.putCheckpoint(put('t', '4'));
      expect((await cps.thread('t')).expiresAt).toBe(new Date(clock.now() + 30_000).toISOString());
      await cps.putCheckpoint(put('t', '5', { ttlSeconds: null }));
      expect((await cps.thread('t')).expiresAt).toBeNull();

      await cps.setTtl('t', 5);
      await cps.putCheckpoint(put('keep', '1'));
      clock.advance(5_000);
      const report = await storage.retention.run({ ...DEFAULT_RETENTION_POLICY, batchSize: 1 });
      expect(report.threadsDeleted).toEqual({ count: 1, ids: ['t'] });
      expect((await cps.thread('keep')).id).toBe('keep');
      expect(await failure(cps.setTtl('t', null))).toBeInstanceOf(NotFoundError);

      // Deleting an expired thread deletes it, but answers as for an absent one.
      await cps.putCheckpoint(put('gone', '1', { ttlSeconds: 1 }));
      clock.advance(1_000);
      expect(await cps.deleteThread('gone')).toBe(false);
      expect((await storage.retention.run(DEFAULT_RETENTION_POLICY)).threadsDeleted.count).toBe(0);
    });

    it('retention deletes threads idle for the configured days (a dry run only counts them)', async () => {
      await cps.putCheckpoint(put('old', '1'));
      await cps.putCheckpoint(put('older', '1', { ttlSeconds: 3 * 24 * 3600 }));
      clock.advance(2 * 24 * 3600_000);
      await cps.putCheckpoint(put('new', '1'));
      clock.advance(1 * 24 * 3600_000 + 1);
      const policy = { ...DEFAULT_RETENTION_POLICY, threadIdleDays: 2, batchSize: 1 };
      // `older` expired (TTL) and `old` is idle: each counted once.
      expect((await storage.retention.run(policy, { dryRun: true })).threadsDeleted).toEqual({ count: 2, ids: ['older', 'old'] });
      expect((await storage.retention.run(policy)).threadsDeleted).toEqual({ count: 2, ids: ['older', 'old'] });
      expect((await cps.threads(['old', 'older', 'new'])).map((t) => t.id)).toEqual(['new']);
    });

    it('deletes a thread with everything in it, and appends the events of each write', async () => {
      await cps.putCheckpoint(put('t', '1', { metadata: { step: 1 } }));
      await cps.putWrites(writes('t', '1', 'task', [[0, 'x', 'v']]));
      expect(await cps.deleteThread('t')).toBe(true);
      expect(await cps.deleteThread('t')).toBe(false);
      expect(await cps.list(listInput({}), all)).toEqual([]);
      const events = await backend.stores.events.after({ sessionId: 'thread:t' }, 0, 10);
      expect(events.map((e) => e.type)).toEqual(['CheckpointPut', 'CheckpointWritesPut', 'ThreadDeleted']);
      expect(events[0]).toMatchObject({ threadId: 't', checkpointId: '1', namespace: '', parentId: null, metadata: { step: 1 }, agentName: '' });
    });
  });
}
