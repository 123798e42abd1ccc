import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdGenerator } from '../../../src/domain/ids.js';
import type { Message, Session } from '../../../src/domain/records.js';
import { extendJsonArray, HistoryCache } from '../../../src/modules/history/cache.js';
import { messageWire } from '../../../src/modules/history/rest.js';
import type { HistoryVersion } from '../../../src/modules/history/store.js';
import type { StorageBackend } from '../../../src/storage/backend.js';
import { PostgresBackend } from '../../../src/storage/postgres/postgres-backend.js';
import { SqliteBackend } from '../../../src/storage/sqlite/sqlite-backend.js';
import { Storage } from '../../../src/storage/storage.js';
import { ManualClock, tempDatabase } from '../../support/fixtures.js';
import { TEST_PG_URL, testSchema } from '../../support/postgres.js';
import { NASTY_STRINGS } from '../../storage/support.js';

/**
 * The history cache never serves a stale byte. Two replicas (two backends, each with its own
 * history cache) on one database: random appends, upserts, pops, rewrites, clearings, imports,
 * forks, deletions and expiries go through one of them (`writer`), and after every step each
 * session's whole history is read through both, cached — as REST JSON and as records (GraphQL's
 * whole reads and first pages) — and compared with a read through a third backend without a cache.
 * A version (an ETag) names one history only: the bytes seen under it never differ.
 */

const CEILING = 6;
const FIELDS = messageWire.fields;

type Op =
  | { kind: 'append'; s: number; n: number; content: string }
  | { kind: 'upsert'; s: number; at: number; content: string }
  | { kind: 'pop'; s: number }
  | { kind: 'rewrite'; s: number; replaceLast: number; n: number; content: string }
  | { kind: 'clear'; s: number }
  | { kind: 'fork'; s: number; at: number }
  | { kind: 'delete'; s: number }
  | { kind: 'import'; s: number; seq: number; content: string }
  | { kind: 'ttl'; s: number; seconds: number | null }
  | { kind: 'tick' }
  | { kind: 'create' };

const s = fc.nat(7);
const content = fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.string({ maxLength: 12 }));
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('append' as const), s, n: fc.integer({ min: 1, max: 3 }), content }) },
  fc.record({ kind: fc.constant('upsert' as const), s, at: fc.nat(9), content }),
  fc.record({ kind: fc.constant('pop' as const), s }),
  fc.record({ kind: fc.constant('rewrite' as const), s, replaceLast: fc.nat(3), n: fc.nat(2), content }),
  fc.record({ kind: fc.constant('clear' as const), s }),
  fc.record({ kind: fc.constant('fork' as const), s, at: fc.nat(9) }),
  fc.record({ kind: fc.constant('delete' as const), s }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('import' as const), s, seq: fc.integer({ min: 1, max: 4 }), content }) },
  fc.record({ kind: fc.constant('ttl' as const), s, seconds: fc.option(fc.integer({ min: 1, max: 3 })) }),
  fc.record({ kind: fc.constant('tick' as const) }),
  fc.record({ kind: fc.constant('create' as const) }),
);

interface Replicas {
  writer: Storage;
  reader: Storage;
  /** A third backend on the database, without a history cache: the reference. */
  uncached: Storage;
  clock: ManualClock;
  close(): Promise<void>;
}

/** Two backends on one database, as two replicas: each its own history cache (the writer's small, so it evicts). */
async function openReplicas(kind: 'sqlite' | 'postgres'): Promise<Replicas> {
  const clock = new ManualClock();
  const caches = [new HistoryCache(8 * 1024), new HistoryCache(1024 * 1024), new HistoryCache(0)];
  let backends: StorageBackend[];
  let cleanup: () => Promise<void>;
  if (kind === 'sqlite') {
    const db = tempDatabase();
    backends = caches.map((historyCache) => new SqliteBackend({ filename: db.filename, historyCache }));
    cleanup = async () => db.cleanup();
  } else {
    const target = testSchema();
    backends = [];
    for (const historyCache of caches) backends.push(await PostgresBackend.open({ connectionString: TEST_PG_URL, schema: target.schema, poolSize: 2, historyCache }));
    cleanup = () => target.drop();
  }
  const [writer, reader, uncached] = backends.map((backend) => new Storage(backend, clock, createIdGenerator(clock))) as [Storage, Storage, Storage];
  return {
    writer,
    reader,
    uncached,
    clock,
    async close() {
      for (const backend of backends) await backend.close();
      await cleanup();
    },
  };
}

/** Expected failures of a random step (a gone session, a stale precondition): the step did nothing. */
async function tolerated(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'NOT_FOUND' && code !== 'CONFLICT' && code !== 'BAD_USER_INPUT') throw error;
  }
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`history cache: ${kind}, two replicas on one database`, () => {
    let replicas: Replicas;
    beforeAll(async () => {
      replicas = await openReplicas(kind);
    });
    afterAll(() => replicas?.close());

    it('serves exactly what an uncached read does after every step, and one version names one history', { timeout: 240_000 }, async () => {
      const { writer, reader, uncached: reference, clock } = replicas;
      let run = 0;
      await fc.assert(
        // With each step, which replicas read every session after it (a bit each): a replica that
        // does not read for a while must not take what changed meanwhile for what it holds.
        fc.asyncProperty(fc.array(fc.tuple(op, fc.nat(3)), { minLength: 1, maxLength: 30 }), async (ops) => {
          run++;
          const sessions: Session[] = [];
          const create = async () => sessions.push(await writer.sessions.create({ agentName: `cache-${run}`, userId: null, status: 'active', metadata: {} }));
          await create();
          await create();
          /** Bytes seen under each version of each session: an ETag must name one body. */
          const seen = new Map<string, string>();
          const known = new Map<string, HistoryVersion>();
          const uncached = (id: string) => reference.history.json(id, { limit: CEILING + 1 }, FIELDS);
          const messagesOf = async (id: string): Promise<Message[]> => reference.history.list(id, { limit: 100 });

          const check = async (label: string, look: number) => {
            for (const session of sessions) {
              const expected = await uncached(session.id);
              const count = (JSON.parse(expected) as unknown[]).length;
              for (const [name, replica] of ([['writer', writer], ['reader', reader]] as const).filter((_, i) => look & (1 << i))) {
                const hint = known.get(`${name}|${session.id}`);
                const where = `${label}, ${name}, ${session.id}`;
                // Records: a whole read (CEILING + 1: one more tells a longer history) and a first page of 2.
                for (const limit of [CEILING + 1, 2]) {
                  const records = (await replica.history.pages([session.id], { limit })).get(session.id);
                  expect(records, `${where}, records, first ${limit}`).toEqual(await reference.history.list(session.id, { limit }));
                }
                const got = await replica.history.whole(session.id, FIELDS, CEILING, hint);
                if (count > CEILING) {
                  expect(got, where).toBe('too-long');
                  continue;
                }
                if (got === 'absent') {
                  expect(expected, where).toBe('[]');
                  await expect(writer.sessions.get(session.id), where).rejects.toMatchObject({ code: 'NOT_FOUND' });
                  continue;
                }
                expect(got, where).not.toBe('too-long');
                if (got === 'too-long') continue;
                const versionKey = `${session.id}|${got.version.epoch}|${got.version.lastSeq}`;
                if (got.json === null) {
                  // Not modified: the version the replica was told of is the session's, and so are its bytes.
                  expect(got.version, where).toEqual(hint);
                  expect(seen.get(versionKey), where).toBe(expected);
                } else {
                  expect(got.json.toString(), where).toBe(expected);
                  expect(seen.get(versionKey) ?? expected, `${where}: one version, one body`).toBe(expected);
                  seen.set(versionKey, expected);
                }
                // Half the reads come as a client holding the ETag it was given.
                if ((run + count) % 2 === 0) known.set(`${name}|${session.id}`, got.version);
                else known.delete(`${name}|${session.id}`);
              }
            }
          };

          for (const [step, [o, look]] of ops.entries()) {
            const session = sessions[('s' in o ? o.s : 0) % sessions.length]!;
            const id = session.id;
            switch (o.kind) {
              case 'append':
                await tolerated(writer.history.addMany(id, Array.from({ length: o.n }, (_, i) => ({ role: 'user', content: `${o.content}${i}`, metadata: { step } }))));
                break;
              case 'upsert': {
                const list = await messagesOf(id);
                const target = list[o.at % Math.max(list.length, 1)];
                if (target) await tolerated(writer.history.addMany(id, [{ id: target.id, role: 'assistant', content: `${o.content}!`, metadata: { upserted: step } }], { onConflict: 'replace' }));
                break;
              }
              case 'pop':
                await tolerated(writer.history.pop(id));
                break;
              case 'rewrite': {
                const list = await messagesOf(id);
                const messages = Array.from({ length: o.n }, (_, i) => ({ role: 'assistant' as const, content: `${o.content}~${i}`, metadata: {} }));
                const replaceLast = Math.min(o.replaceLast, list.length);
                await tolerated(writer.history.rewrite(id, { operationId: `op-${run}-${step}`, expectedLastSeq: list.at(-1)?.seq ?? null, replaceLast, expectedItems: null, messages, reason: 'rewritten' }));
                break;
              }
              case 'clear':
                await tolerated(writer.history.clear(id));
                break;
              case 'fork': {
                const list = await messagesOf(id);
                const cut = list[o.at % Math.max(list.length, 1)];
                if (cut) {
                  try {
                    sessions.push((await writer.sessions.fork(id, cut.id)).session);
                  } catch (error) {
                    if ((error as { code?: string }).code !== 'NOT_FOUND') throw error;
                  }
                }
                break;
              }
              case 'delete':
                await tolerated(writer.sessions.delete(id));
                break;
              case 'import': {
                // The session as it was created, with a message: a session deleted comes back under
                // its old id (its message at any seq); into one that is there, the message goes at
                // its last seq, and may fill the place a pop left (its last seq unchanged).
                const lastSeq = (await writer.backend.runner.one({ name: 'test_last_seq', sql: 'SELECT last_seq FROM sessions WHERE id = ' + (kind === 'sqlite' ? '?' : '$1'), order: ['id'] }, { id }))?.last_seq;
                const seq = lastSeq === undefined ? o.seq : Math.max(Number(lastSeq), 1);
                const message: Message = { id: `msg_imp_${run}_${step}`, sessionId: id, seq, role: 'user', content: o.content, item: null, timestamp: clock.iso(), metadata: {}, idempotencyKey: null, tokenCount: null };
                await tolerated(writer.backend.stores.sessionImport.importSession({ session, messages: [message], state: null, artifacts: [] }));
                break;
              }
              case 'ttl':
                await tolerated(writer.sessions.update(id, o.seconds === null ? { neverExpires: true } : { ttlSeconds: o.seconds }));
                break;
              case 'tick':
                clock.advance(1000);
                break;
              case 'create':
                await create();
                break;
            }
            await check(`step ${step} (${o.kind})`, look);
          }
          await check('at the end', 3);
        }),
        { numRuns: kind === 'sqlite' ? 40 : 20 },
      );
    });
  });
}

describe('HistoryCache', () => {
  const entry = (json: string) => ({ epoch: 1, lastSeq: 1, count: 1, json: Buffer.from(json) });

  it('keeps entries within its bytes, least recently used out first', () => {
    const cache = new HistoryCache(4096);
    const view = cache.forStore();
    // Each costs a little over 900 bytes: four fit, five do not.
    view.set('a', entry('a'.repeat(900)));
    view.set('b', entry('b'.repeat(900)));
    expect(view.get('a')?.json.toString()).toBe('a'.repeat(900));
    for (const key of ['c', 'd', 'e']) view.set(key, entry(key.repeat(900)));
    expect(cache.bytes).toBeLessThanOrEqual(4096);
    expect(cache.size).toBe(4);
    // 'b' was the least recently used: out first.
    expect(view.get('b')).toBeUndefined();
    for (const key of ['a', 'c', 'd', 'e']) expect(view.get(key)).toBeDefined();
  });

  it('keeps no history bigger than a quarter of it, and none at all at 0 bytes', () => {
    const cache = new HistoryCache(4096);
    cache.forStore().set('big', entry('x'.repeat(1000)));
    expect(cache.size).toBe(0);
    const off = new HistoryCache(0).forStore();
    off.set('a', entry('[]'));
    expect(off.get('a')).toBeUndefined();
  });

  it('keeps each store’s sessions apart', () => {
    const cache = new HistoryCache(4096);
    const [one, two] = [cache.forStore(), cache.forStore()];
    one.set('s', entry('[1]'));
    expect(two.get('s')).toBeUndefined();
    two.set('s', entry('[2]'));
    expect(one.get('s')?.json.toString()).toBe('[1]');
    one.delete('s');
    expect(one.get('s')).toBeUndefined();
    expect(cache.bytes).toBeGreaterThan(0);
    two.delete('s');
    expect(cache.bytes).toBe(0);
  });

  it('extends a JSON array by another', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), fc.array(fc.jsonValue()), (a, b) => {
        const joined = extendJsonArray(Buffer.from(JSON.stringify(a)), Buffer.from(JSON.stringify(b)));
        expect(joined.toString()).toBe(JSON.stringify([...a, ...b]));
      }),
    );
  });
});
