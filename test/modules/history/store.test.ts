import fc from 'fast-check';
import { describe, expect } from 'vitest';
import type { NewMessageInput } from '../../../src/domain/inputs.js';
import type { JsonObject } from '../../../src/domain/json.js';
import type { Message, MessageRole } from '../../../src/domain/records.js';
import type { DomainError } from '../../../src/domain/errors.js';
import { type WireFields, wireArrayJson } from '../../../src/domain/wire.js';
import { describeOnDatabases, forSession } from '../../support/store-fixture.js';
import { compareStrings, modelSlice, NASTY_JSON, NASTY_STRINGS, viaJson } from '../../storage/support.js';
import { sliceArb } from '../../support/slices.js';

/**
 * The behaviour of the history store on every database, written only against `HistoryStore` (and
 * the `HistoryService` on `Storage` for the idempotency rules), so that SQLite and PostgreSQL run
 * exactly the same cases. Failures are compared by class, code and message: both databases must
 * say the same thing. Each test gets a fresh, empty, migrated database; property-based tests share
 * one across their runs and keep runs apart with fresh sessions.
 */

/** Runs per property: enough to hit edge cases of the slice arithmetic, few enough for a disk-synced database. */
const RUNS = 50;

const seqOrder = (a: number, b: number) => a - b;

const sortById = <T extends { id: string }>(rows: readonly T[]): T[] => [...rows].sort((a, b) => compareStrings(a.id, b.id));

/** A failure as the doors see it: its class, code and message. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as DomainError;
    return { name: e.constructor.name, code: e.code, message: e.message };
  }
  throw new Error('expected a failure');
}

describeOnDatabases('HistoryStore contract', (test) => {
  const it = test.extend('history', ({ stores }) => stores.history);
  let runCounter = 0;

  /** A name no other property run uses, so runs sharing one database do not see each other. */
  const fresh = (label: string) => `${label}-${++runCounter}`;

  describe('history', () => {
    it('assigns consecutive seq numbers from 1, per session, across calls', async ({ history, clock, session, message }) => {
      const a = await session();
      const b = await session();
      const first = await history.append(a.id, forSession(a.id, [message('a1'), message('a2', 'assistant')]), clock.iso());
      const other = await history.append(b.id, forSession(b.id, [message('b1')]), clock.iso());
      const second = await history.append(a.id, forSession(a.id, [message('a3', 'system'), message('a4', 'tool'), message('a5')]), clock.iso());
      expect(first!.map((m) => m.seq)).toEqual([1, 2]);
      expect(other!.map((m) => m.seq)).toEqual([1]);
      expect(second!.map((m) => m.seq)).toEqual([3, 4, 5]);
      const page = (await history.pages([a.id], { limit: 100 }, clock.iso())).get(a.id)!;
      expect(page.map((m) => [m.seq, m.content, m.role])).toEqual([
        [1, 'a1', 'user'],
        [2, 'a2', 'assistant'],
        [3, 'a3', 'system'],
        [4, 'a4', 'tool'],
        [5, 'a5', 'user'],
      ]);
    });

    it('returns the stored messages, which read back identically by id and by page', async ({ history, clock, session, message }) => {
      const s = await session();
      const input = forSession(s.id, [message('hello', 'user', { lang: 'en' }), message('hi!', 'assistant', { tokens: 3 })]);
      const added = await history.append(s.id, input, clock.iso());
      expect(added).toEqual(input.map((m, i) => ({ ...m, seq: i + 1 })));
      expect(sortById(await history.byIds([added![1]!.id, added![0]!.id, 'msg_unknown'], clock.iso()))).toEqual(sortById(added!));
      expect((await history.pages([s.id], { limit: 10 }, clock.iso())).get(s.id)).toEqual(added);
      expect(await history.byIds([], clock.iso())).toEqual([]);
    });

    it('returns null for an unknown session and writes nothing', async ({ history, clock, message }) => {
      const batch = forSession('session_unknown', [message('lost'), message('lost too')]);
      expect(await history.append('session_unknown', batch, clock.iso())).toBeNull();
      expect(await history.byIds(batch.map((m) => m.id), clock.iso())).toEqual([]);
      expect(await history.counts(['session_unknown'], clock.iso())).toEqual(new Map([['session_unknown', 0]]));
    });

    it('is all-or-nothing: a failing batch writes no row and leaves no gap in seq', async ({ history, clock, session, message }) => {
      const s = await session();
      const other = await session();
      await history.append(s.id, forSession(s.id, [message('one'), message('two')]), clock.iso());
      const [taken] = (await history.append(other.id, forSession(other.id, [message('elsewhere')]), clock.iso()))!;

      // the third message reuses an id that already exists: the whole batch must fail
      const good = message('three');
      const clash = { ...message('four'), id: taken!.id };
      const takenId = { name: 'ConflictError', code: 'CONFLICT', message: 'A message id of this append is already taken by another message' };
      expect(await failure(history.append(s.id, forSession(s.id, [good, message('never'), clash]), clock.iso()))).toEqual(takenId);
      // and a batch repeating an id within itself
      const twice = message('twice');
      expect(await failure(history.append(s.id, forSession(s.id, [twice, twice]), clock.iso()))).toEqual(takenId);

      expect(await history.byIds([good.id, twice.id], clock.iso())).toEqual([]);
      expect(await history.counts([s.id, other.id], clock.iso())).toEqual(new Map([[s.id, 2], [other.id, 1]]));
      const next = await history.append(s.id, forSession(s.id, [message('three again')]), clock.iso());
      expect(next!.map((m) => m.seq)).toEqual([3]);
      expect((await history.byIds([taken!.id], clock.iso()))[0]!.content).toBe('elsewhere');
    });

    it('pages and counts many sessions at once, including sessions with no rows and unknown ids', async ({ history, clock, session, message }) => {
      const full = await session();
      const one = await session();
      const empty = await session();
      const fullMessages = (await history.append(full.id, forSession(full.id, Array.from({ length: 7 }, (_, i) => message(`m${i + 1}`))), clock.iso()))!;
      const oneMessages = (await history.append(one.id, forSession(one.id, [message('only')]), clock.iso()))!;
      const asked = [full.id, one.id, empty.id, 'session_unknown'];

      const pages = await history.pages(asked, { limit: 3 }, clock.iso());
      expect([...pages.keys()].sort()).toEqual([...asked].sort());
      expect(pages.get(full.id)).toEqual(fullMessages.slice(0, 3));
      expect(pages.get(one.id)).toEqual(oneMessages);
      expect(pages.get(empty.id)).toEqual([]);
      expect(pages.get('session_unknown')).toEqual([]);

      const tail = await history.pages(asked, { limit: 3, fromEnd: true }, clock.iso());
      expect(tail.get(full.id)).toEqual(fullMessages.slice(4));
      expect(tail.get(one.id)).toEqual(oneMessages);

      const window = await history.pages(asked, { after: 1, before: 7, limit: 10, offset: 2 }, clock.iso());
      expect(window.get(full.id)!.map((m) => m.seq)).toEqual([4, 5, 6]);
      expect(window.get(one.id)).toEqual([]);

      expect(await history.counts(asked, clock.iso())).toEqual(
        new Map([
          [full.id, 7],
          [one.id, 1],
          [empty.id, 0],
          ['session_unknown', 0],
        ]),
      );
      expect(await history.pages([], { limit: 10 }, clock.iso())).toEqual(new Map());
      expect(await history.counts([], clock.iso())).toEqual(new Map());
    });

    it('clear deletes only that session’s messages and says how many', async ({ history, clock, storage, session, message }) => {
      const s = await session();
      const other = await session();
      await history.append(s.id, forSession(s.id, [message('a'), message('b'), message('c')]), clock.iso());
      await history.append(other.id, forSession(other.id, [message('x')]), clock.iso());
      expect(await history.clear(s.id, clock.iso())).toBe(3);
      expect(await history.clear(s.id, clock.iso())).toBe(0);
      expect(await history.clear('session_unknown', clock.iso())).toBe(0);
      expect(await history.counts([s.id, other.id], clock.iso())).toEqual(new Map([[s.id, 0], [other.id, 1]]));
      // the session itself stays and takes new messages
      expect(await storage.sessions.byIds([s.id])).toHaveLength(1);
      const after = await history.append(s.id, forSession(s.id, [message('again')]), clock.iso());
      expect(after).toHaveLength(1);
      expect((await history.pages([s.id], { limit: 10 }, clock.iso())).get(s.id)).toEqual(after);
    });

    it('random appends across sessions, then any slice of any set of sessions, equal the model (property)', async ({ history, clock, session, message }) => {
      const opsArb = fc.array(fc.record({ session: fc.integer({ min: 0, max: 3 }), count: fc.integer({ min: 1, max: 4 }) }), { maxLength: 12 });
      const queryArb = fc.record({
        pick: fc.subarray([0, 1, 2, 3, 4], { minLength: 1 }), // 3 never has rows, 4 is an unknown id
        slice: sliceArb(fc.integer({ min: -1, max: 20 })),
      });
      await fc.assert(
        fc.asyncProperty(opsArb, fc.array(queryArb, { minLength: 1, maxLength: 5 }), async (ops, queries) => {
          const sessions = [await session(), await session(), await session(), await session()];
          const ids4 = [...sessions.map((s) => s.id), `session_unknown_${fresh('h')}`];
          const model = new Map<string, Message[]>(ids4.map((id) => [id, []]));
          for (const op of ops) {
            if (op.session === 3) continue; // session 3 stays empty
            const id = ids4[op.session]!;
            const batch = forSession(id, Array.from({ length: op.count }, (_, i) => message(`${op.session}:${i}`)));
            const added = (await history.append(id, batch, clock.iso()))!;
            const rows = model.get(id)!;
            expect(added).toEqual(batch.map((m, i) => ({ ...m, seq: rows.length + i + 1 })));
            rows.push(...added);
          }
          for (const q of queries) {
            const asked = q.pick.map((i) => ids4[i]!);
            const pages = await history.pages(asked, q.slice, clock.iso());
            expect([...pages.keys()].sort()).toEqual([...asked].sort());
            for (const id of asked) {
              expect(pages.get(id), `${id} ${JSON.stringify(q.slice)}`).toEqual(modelSlice(model.get(id)!, (m) => m.seq, seqOrder, q.slice));
            }
            const counts = await history.counts(asked, clock.iso());
            expect(counts).toEqual(new Map(asked.map((id) => [id, model.get(id)!.length])));
          }
        }),
        { numRuns: RUNS },
      );
    });

    it('json is JSON.stringify of the chosen fields of what pages reads, for any content, metadata and slice (property)', async ({ history, clock, session, message }) => {
      const all: (keyof Message & string)[] = ['id', 'sessionId', 'seq', 'role', 'content', 'timestamp', 'metadata', 'idempotencyKey'];
      const fieldsArb = fc
        .shuffledSubarray(all, { minLength: 1 })
        .chain((chosen) =>
          fc.uniqueArray(fc.string({ unit: 'grapheme', maxLength: 8 }), { minLength: chosen.length, maxLength: chosen.length })
            .map((names): WireFields<Message> => chosen.map((field, i) => [names[i]!, field] as const)),
        );
      // Metadata with odd JSON: big and tiny numbers, -0, nesting, any string units (lone surrogates, NUL).
      const oddNumber = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(2 ** 53 + 2, -(2 ** 63), 1e21, 1e-7, -0, 12345678901234567890));
      const jsonArb = fc.letrec((tie) => ({
        value: fc.oneof({ depthSize: 'small' }, fc.string({ unit: 'binary' }), oddNumber, fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }), tie('object')),
        object: fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('value'), { maxKeys: 4 }),
      }));
      const messageArb = fc.record({
        content: fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom(...NASTY_STRINGS)),
        role: fc.constantFrom<MessageRole>('user', 'assistant', 'system', 'tool'),
        metadata: jsonArb.object as fc.Arbitrary<JsonObject>,
        key: fc.option(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }).filter((k) => !k.includes('\u0000'))),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(messageArb, { maxLength: 8 }), sliceArb(fc.integer({ min: -1, max: 10 })), fieldsArb, async (messages, slice, fields) => {
          const s = await session();
          const batch = forSession(s.id, messages.map((m, i) => ({ ...message(m.content, m.role, viaJson(m.metadata)), idempotencyKey: m.key === null ? null : `${i}:${m.key}` })));
          if (batch.length) await history.append(s.id, batch, clock.iso());
          const json = await history.json(s.id, slice, fields, clock.iso());
          const expected = wireArrayJson((await history.pages([s.id], slice, clock.iso())).get(s.id)!, fields);
          expect(json).toBe(expected);
        }),
        { numRuns: RUNS * 2 },
      );
      expect(await history.json('session_unknown', { limit: 10 }, [['id', 'id']], clock.iso())).toBe('[]');
    });
  });

  describe('idempotent appends', () => {
    const say = (content: string, extra: Partial<NewMessageInput> = {}): NewMessageInput => ({ role: 'user', content, metadata: {}, ...extra });

    it('a repeat with the same idempotency key answers the original message and stores nothing', async ({ history, clock, storage, session }) => {
      const s = await session();
      const [original] = await storage.history.addMany(s.id, [say('hello', { idempotencyKey: 'k1', metadata: { a: 1, b: 2 } })]);
      expect(original).toMatchObject({ seq: 1, idempotencyKey: 'k1' });
      clock.advance(5000);
      // metadata is compared as JSON: member order does not matter
      const [again] = await storage.history.addMany(s.id, [say('hello', { idempotencyKey: 'k1', metadata: { b: 2, a: 1 } })]);
      expect(again).toEqual(original);
      expect(await history.counts([s.id], clock.iso())).toEqual(new Map([[s.id, 1]]));
      const [next] = await storage.history.addMany(s.id, [say('next')]);
      expect(next!.seq).toBe(2);
    });

    it('a repeat with the same client id answers the original message and stores nothing', async ({ history, clock, storage, session }) => {
      const s = await session();
      const id = 'msg_client-chosen_01';
      const [original] = await storage.history.addMany(s.id, [say('hi', { id })]);
      expect(original).toMatchObject({ id, seq: 1, idempotencyKey: null });
      clock.advance(1000);
      expect(await storage.history.addMany(s.id, [say('hi', { id })])).toEqual([original]);
      expect(await storage.history.get(id)).toEqual(original);
      expect(await history.counts([s.id], clock.iso())).toEqual(new Map([[s.id, 1]]));
    });

    it('a key or id reused for a different message is a conflict, and nothing is written', async ({ history, clock, storage, session }) => {
      const s = await session();
      const other = await session();
      const [keyed] = await storage.history.addMany(s.id, [say('first', { idempotencyKey: 'k', metadata: { n: 1 } })]);
      const [named] = await storage.history.addMany(s.id, [say('second', { id: 'msg_named' })]);
      const different = (named: string, id: string) =>
        `${named} was already used for a different message (${id}): a repeated append must have the same role, content, item and metadata`;
      const attempts: [string, NewMessageInput, string][] = [
        [s.id, say('changed', { idempotencyKey: 'k', metadata: { n: 1 } }), different('Idempotency key "k"', keyed!.id)],
        [s.id, { ...say('first', { idempotencyKey: 'k', metadata: { n: 2 } }) }, different('Idempotency key "k"', keyed!.id)],
        [s.id, { ...say('first', { idempotencyKey: 'k', metadata: { n: 1 } }), role: 'assistant' }, different('Idempotency key "k"', keyed!.id)],
        [s.id, say('other', { id: 'msg_named' }), different('Message id msg_named', 'msg_named')],
        [s.id, say('first', { idempotencyKey: 'k', metadata: { n: 1 }, id: 'msg_not_the_original' }), `Idempotency key "k" already names message ${keyed!.id} of this session, not msg_not_the_original`],
        [s.id, say('second', { id: 'msg_named', idempotencyKey: 'k' }), 'Message id msg_named and idempotency key "k" name two different messages of this session'],
        [s.id, say('second', { id: 'msg_named', idempotencyKey: 'a new key' }), 'Message id msg_named was stored without an idempotency key'],
        [other.id, say('second', { id: 'msg_named' }), 'Message id msg_named is already taken by a message of another session'],
      ];
      for (const [sessionId, input, message] of attempts) {
        expect(await failure(storage.history.addMany(sessionId, [input])), JSON.stringify(input)).toEqual({ name: 'ConflictError', code: 'CONFLICT', message });
      }
      expect((await history.pages([s.id, other.id], { limit: 10 }, clock.iso())).get(s.id)).toEqual([keyed, named]);
      expect(await history.counts([other.id], clock.iso())).toEqual(new Map([[other.id, 0]]));
      expect(await storage.history.addMany(s.id, [say('third')])).toMatchObject([{ seq: 3 }]);
    });

    it('keys are scoped per session', async ({ storage, session }) => {
      const a = await session();
      const b = await session();
      const [inA] = await storage.history.addMany(a.id, [say('same', { idempotencyKey: 'shared' })]);
      const [inB] = await storage.history.addMany(b.id, [say('same', { idempotencyKey: 'shared' })]);
      expect(inB!.id).not.toBe(inA!.id);
      expect(inB).toMatchObject({ sessionId: b.id, seq: 1, idempotencyKey: 'shared' });
    });

    it('concurrent appends with the same key store one message, and all of them answer it', async ({ history, clock, storage, session }) => {
      const s = await session();
      const results = await Promise.all(Array.from({ length: 12 }, () => storage.history.add({ sessionId: s.id, ...say('once', { idempotencyKey: 'race' }) })));
      expect(new Set(results.map((m) => m.id)).size).toBe(1);
      expect(results.every((m) => m.seq === 1)).toBe(true);
      expect((await history.pages([s.id], { limit: 10 }, clock.iso())).get(s.id)).toEqual([results[0]]);
      // and with concurrent appends of other messages, the seqs stay gap-free
      await Promise.all(Array.from({ length: 10 }, (_, i) => storage.history.add({ sessionId: s.id, ...say(`m${i % 5}`, { idempotencyKey: `k${i % 5}` }) })));
      const stored = (await history.pages([s.id], { limit: 100 }, clock.iso())).get(s.id)!;
      expect(stored.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('a batch answers repeats with the originals and appends the rest, all or nothing', async ({ history, clock, storage, session, message }) => {
      const s = await session();
      const first = await storage.history.addMany(s.id, [say('a', { idempotencyKey: 'a' }), say('b', { id: 'msg_b' })]);
      const mixed = await storage.history.addMany(s.id, [say('b', { id: 'msg_b' }), say('c', { idempotencyKey: 'c' }), say('a', { idempotencyKey: 'a' }), say('d')]);
      expect(mixed[0]).toEqual(first[1]);
      expect(mixed[2]).toEqual(first[0]);
      expect(mixed.map((m) => m.seq)).toEqual([2, 3, 1, 4]);
      // one conflict refuses the whole batch: no message, no seq used
      expect(await failure(storage.history.addMany(s.id, [say('e', { idempotencyKey: 'e' }), say('not a', { idempotencyKey: 'a' })]))).toEqual({
        name: 'ConflictError',
        code: 'CONFLICT',
        message: `Idempotency key "a" was already used for a different message (${first[0]!.id}): a repeated append must have the same role, content, item and metadata`,
      });
      expect(await history.counts([s.id], clock.iso())).toEqual(new Map([[s.id, 4]]));
      expect(await storage.history.addMany(s.id, [say('e', { idempotencyKey: 'e' })])).toMatchObject([{ seq: 5 }]);
      // a batch cannot repeat a key or id within itself
      const dupKey = await failure(storage.history.addMany(s.id, [say('x', { idempotencyKey: 'dup' }), say('x', { idempotencyKey: 'dup' })]));
      expect(dupKey).toMatchObject({ name: 'ValidationError', code: 'BAD_USER_INPUT' });
      await expect(storage.history.addMany(s.id, [say('x', { idempotencyKey: 'dup' }), say('x', { idempotencyKey: 'dup' })])).rejects.toMatchObject({
        issues: [{ path: ['messages', 1, 'idempotencyKey'], message: 'repeats the idempotency key of message 0 of the batch' }],
      });
      await expect(history.append(s.id, [{ ...message('x'), sessionId: s.id, id: 'msg_dup', idFromClient: true }, { ...message('y'), sessionId: s.id, id: 'msg_dup', idFromClient: true }], clock.iso())).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        issues: [{ path: [1, 'id'], message: 'repeats the id of message 0 of the batch' }],
      });
      expect(await history.counts([s.id], clock.iso())).toEqual(new Map([[s.id, 5]]));
    });

    it('named appends to an unknown session find the session missing, not a conflict', async ({ storage, session }) => {
      const s = await session();
      await storage.history.addMany(s.id, [say('x', { id: 'msg_x' })]);
      const missing = await failure(storage.history.addMany('session_unknown', [say('x', { id: 'msg_x' })]));
      expect(missing).toMatchObject({ name: 'NotFoundError', code: 'NOT_FOUND' });
      expect(await failure(storage.history.addMany('session_unknown', [say('x', { idempotencyKey: 'k' })]))).toEqual(missing);
    });
  });

  describe('expiry and maintenance', () => {
    it('an expired session reads and writes as an unknown one; the maintenance reads still see its history', async ({ history, clock, session, message }) => {
      const s = await session({ ttlSeconds: 60 });
      const added = (await history.append(s.id, forSession(s.id, [message('one'), message('two')]), clock.iso()))!;
      clock.advance(61_000);
      const now = clock.iso();
      expect(await history.append(s.id, forSession(s.id, [message('late')]), now)).toBeNull();
      expect(await history.append(s.id, [{ ...forSession(s.id, [message('late')])[0]!, idempotencyKey: 'k' }], now)).toBeNull();
      expect(await history.byIds(added.map((m) => m.id), now)).toEqual([]);
      expect((await history.pages([s.id], { limit: 10 }, now)).get(s.id)).toEqual([]);
      expect((await history.pages([s.id, 'session_unknown'], { limit: 10 }, now)).get(s.id)).toEqual([]);
      expect(await history.counts([s.id], now)).toEqual(new Map([[s.id, 0]]));
      expect(await history.json(s.id, { limit: 10 }, [['id', 'id']], now)).toBe('[]');
      expect(await history.clear(s.id, now)).toBe(0);
      // nothing was removed: the export and the sweeper see it all
      expect(sortById(await history.byIdsIncludingExpired(added.map((m) => m.id)))).toEqual(sortById(added));
      expect((await history.pagesIncludingExpired([s.id], { limit: 10 })).get(s.id)).toEqual(added);
      expect(await history.countsIncludingExpired([s.id])).toEqual(new Map([[s.id, 2]]));
    });

    it('the service answers an expired or unknown session with the same NOT_FOUND', async ({ clock, storage, session }) => {
      const s = await session({ ttlSeconds: 1 });
      const [m] = await storage.history.addMany(s.id, [{ role: 'user', content: 'x', metadata: {} }]);
      clock.advance(2000);
      const unknown = await failure(storage.history.addMany('session_unknown', [{ role: 'user', content: 'x', metadata: {} }]));
      expect(unknown).toEqual({ name: 'NotFoundError', code: 'NOT_FOUND', message: expect.stringContaining('Session') });
      expect(await failure(storage.history.addMany(s.id, [{ role: 'user', content: 'x', metadata: {} }]))).toEqual(unknown);
      expect(await failure(storage.history.addMany(s.id, [{ role: 'user', content: 'x', metadata: {}, idempotencyKey: 'k' }]))).toEqual(unknown);
      expect(await failure(storage.history.get(m!.id))).toEqual({ name: 'NotFoundError', code: 'NOT_FOUND', message: expect.stringContaining('Message') });
    });
  });

  describe('events', () => {
    it('a message snapshot reads back exactly as the message, whatever its content', async ({ backend, storage, session }) => {
      const s = await session();
      const added = await storage.history.addMany(s.id, [
        { role: 'tool', content: 'nul \u0000 and \ud800 lone and "quotes"', metadata: { deep: { list: [1, 'two', null] }, '\u0000': '' } },
        { role: 'user', content: '', metadata: {}, idempotencyKey: 'key' },
      ]);
      const events = (await backend.stores.events.after({ sessionId: s.id }, 0, 10_000)).filter((e) => e.type === 'MessageAdded');
      expect(events.map((e) => (e.type === 'MessageAdded' ? e.message : null))).toEqual(added);
    });

    it('clearing yields one HistoryCleared event with the count; clearing nothing yields none', async ({ backend, storage, session }) => {
      const s = await session({ agentName: 'clearer' });
      await storage.history.addMany(s.id, [{ role: 'user', content: 'a', metadata: {} }, { role: 'user', content: 'b', metadata: {} }]);
      expect(await storage.history.clear(s.id)).toBe(2);
      expect(await storage.history.clear(s.id)).toBe(0);
      const cleared = (await backend.stores.events.after({ sessionId: s.id }, 0, 10_000)).filter((e) => e.type === 'HistoryCleared');
      expect(cleared).toHaveLength(1);
      expect(cleared[0]).toMatchObject({ type: 'HistoryCleared', deleted: 2, sessionId: s.id, agentName: 'clearer' });
    });
  });

  describe('JSON and text round-trips', () => {
    it('metadata returns what JSON.stringify/parse would', async ({ history, clock, session, message }) => {
      const s = await session();
      const [m] = (await history.append(s.id, forSession(s.id, [message('x', 'user', NASTY_JSON)]), clock.iso()))!;
      expect((await history.byIds([m!.id], clock.iso()))[0]!.metadata).toEqual(viaJson(NASTY_JSON));
    });

    it('message content keeps unicode, quotes, backslashes, control and NUL characters', async ({ history, clock, session, message }) => {
      const s = await session();
      const texts = [...NASTY_STRINGS, '\u0000', '\u0000\u0000leading NULs'];
      const added = (await history.append(s.id, forSession(s.id, texts.map((t) => message(t))), clock.iso()))!;
      expect((await history.pages([s.id], { limit: 100 }, clock.iso())).get(s.id)!.map((m) => m.content)).toEqual(texts);
      expect(sortById(await history.byIds(added.map((m) => m.id), clock.iso())).map((m) => m.content)).toEqual(sortById(added).map((m) => m.content));
    });

    it('stores messages larger than 100 KB', async ({ history, clock, session, message }) => {
      const s = await session();
      const big = `${'lorem ipsum 😀 مرحبا \u0000 "quoted" \\ '.repeat(4000)}end`;
      expect(big.length).toBeGreaterThan(100_000);
      const [m] = (await history.append(s.id, forSession(s.id, [message(big)]), clock.iso()))!;
      expect((await history.byIds([m!.id], clock.iso()))[0]!.content).toBe(big);
      expect((await history.pages([s.id], { limit: 1 }, clock.iso())).get(s.id)![0]!.content).toBe(big);
    });
  });
});
