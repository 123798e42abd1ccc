import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIdGenerator, type IdGenerator } from '../../src/domain/ids.js';
import type { MetricFilter, NewMessageInput, SessionFilter } from '../../src/domain/inputs.js';
import type { Json, JsonObject } from '../../src/domain/json.js';
import type { Artifact, Message, MessageRole, Metric, Session, SessionStatus, State } from '../../src/domain/records.js';
import { ConflictError, NotFoundError, ValidationError, VersionConflictError } from '../../src/domain/errors.js';
import { type ImportCounts, type JsonFields, type MetricKey, type NewMessage, recordsToJson, type SessionBundle, type Slice, type StorageBackend } from '../../src/storage/backend.js';
import { Storage } from '../../src/storage/storage.js';
import { ManualClock } from '../support/fixtures.js';
import { compareStrings, modelSlice, NASTY_JSON, NASTY_STRINGS, nested, viaJson } from './support.js';
import { keyPickArb, resolveKey, resolveSlice, sliceArb, sortById } from '../support/slices.js';

/**
 * The behaviour every `StorageBackend` must have, written only against the interface (and the
 * domain `Storage` on top of it), so that SQLite and PostgreSQL run exactly the same cases.
 *
 * `makeBackend` returns a fresh, empty, migrated backend; `cleanup` closes it and removes whatever
 * it created. Each test gets its own backend. Property-based tests share one backend across their
 * runs and keep runs apart by creating fresh sessions and names per run.
 */
export interface BackendUnderTest {
  backend: StorageBackend;
  cleanup(): Promise<void>;
}

/** Runs per property: enough to hit edge cases of the slice arithmetic, few enough for a disk-synced backend. */
const RUNS = 50;

// --- natural orders and keys (the reference semantics of `Slice`) ----------------------------

const sessionOrder = (a: string, b: string) => compareStrings(b, a); // newest first = id DESC
const seqOrder = (a: number, b: number) => a - b;
const metricKeyOf = (m: Metric): MetricKey => ({ timestamp: m.timestamp, id: m.id });
const metricOrder = (a: MetricKey, b: MetricKey) => compareStrings(a.timestamp, b.timestamp) || compareStrings(a.id, b.id);
const byMetricKey = (a: Metric, b: Metric) => metricOrder(metricKeyOf(a), metricKeyOf(b));


export function describeBackendContract(name: string, makeBackend: () => Promise<BackendUnderTest>): void {
  describe(`StorageBackend contract: ${name}`, () => {
    let backend: StorageBackend;
    let cleanup: () => Promise<void>;
    let clock: ManualClock;
    let ids: IdGenerator;
    let storage: Storage;
    let runCounter = 0;

    beforeEach(async () => {
      ({ backend, cleanup } = await makeBackend());
      clock = new ManualClock();
      ids = createIdGenerator(clock);
      storage = new Storage(backend, clock, ids);
    });
    afterEach(async () => {
      await cleanup();
    });

    /** A name no other property run uses, so runs sharing one backend do not see each other. */
    const fresh = (label: string) => `${label}-${++runCounter}`;

    async function session(fields: Partial<Pick<Session, 'agentName' | 'userId' | 'status' | 'metadata'>> = {}): Promise<Session> {
      return storage.sessions.create({
        agentName: fields.agentName ?? 'agent',
        userId: fields.userId === undefined ? 'user-1' : fields.userId,
        status: fields.status ?? 'active',
        metadata: fields.metadata ?? {},
      });
    }

    function message(content: string, role: MessageRole = 'user', metadata: JsonObject = {}): Omit<Message, 'sessionId' | 'seq'> {
      return { id: ids.next('message'), role, content, timestamp: clock.iso(), metadata, idempotencyKey: null };
    }
    const forSession = (sessionId: string, list: Omit<Message, 'sessionId' | 'seq'>[]): NewMessage[] => list.map((m) => ({ ...m, sessionId }));

    function artifact(sessionId: string, fields: Partial<Artifact> = {}): Artifact {
      return {
        id: ids.next('artifact'),
        sessionId,
        name: 'report.pdf',
        type: 'document',
        path: '/files/report.pdf',
        size: 1234,
        createdAt: clock.iso(),
        metadata: {},
        ...fields,
      };
    }

    function metric(fields: Partial<Metric> = {}): Metric {
      return {
        id: ids.next('metric'),
        entityType: 'agent',
        entityName: 'planner',
        sessionId: null,
        metricName: 'latency_ms',
        value: 1,
        timestamp: clock.iso(),
        labels: {},
        ...fields,
      };
    }

    // --- history -------------------------------------------------------------------------------

    describe('history', () => {
      it('assigns consecutive seq numbers from 1, per session, across calls', async () => {
        const a = await session();
        const b = await session();
        const first = await backend.appendMessages(a.id, forSession(a.id, [message('a1'), message('a2', 'assistant')]));
        const other = await backend.appendMessages(b.id, forSession(b.id, [message('b1')]));
        const second = await backend.appendMessages(a.id, forSession(a.id, [message('a3', 'system'), message('a4', 'tool'), message('a5')]));
        expect(first!.map((m) => m.seq)).toEqual([1, 2]);
        expect(other!.map((m) => m.seq)).toEqual([1]);
        expect(second!.map((m) => m.seq)).toEqual([3, 4, 5]);
        const page = (await backend.historyPages([a.id], { limit: 100 })).get(a.id)!;
        expect(page.map((m) => [m.seq, m.content, m.role])).toEqual([
          [1, 'a1', 'user'],
          [2, 'a2', 'assistant'],
          [3, 'a3', 'system'],
          [4, 'a4', 'tool'],
          [5, 'a5', 'user'],
        ]);
      });

      it('returns the stored messages, which read back identically by id and by page', async () => {
        const s = await session();
        const input = forSession(s.id, [message('hello', 'user', { lang: 'en' }), message('hi!', 'assistant', { tokens: 3 })]);
        const added = await backend.appendMessages(s.id, input);
        expect(added).toEqual(input.map((m, i) => ({ ...m, seq: i + 1 })));
        expect(sortById(await backend.messagesByIds([added![1]!.id, added![0]!.id, 'msg_unknown']))).toEqual(sortById(added!));
        expect((await backend.historyPages([s.id], { limit: 10 })).get(s.id)).toEqual(added);
        expect(await backend.messagesByIds([])).toEqual([]);
      });

      it('returns null for an unknown session and writes nothing', async () => {
        const batch = forSession('session_unknown', [message('lost'), message('lost too')]);
        expect(await backend.appendMessages('session_unknown', batch)).toBeNull();
        expect(await backend.messagesByIds(batch.map((m) => m.id))).toEqual([]);
        expect(await backend.historyCounts(['session_unknown'])).toEqual(new Map([['session_unknown', 0]]));
      });

      it('is all-or-nothing: a failing batch writes no row and leaves no gap in seq', async () => {
        const s = await session();
        const other = await session();
        await backend.appendMessages(s.id, forSession(s.id, [message('one'), message('two')]));
        const [taken] = (await backend.appendMessages(other.id, forSession(other.id, [message('elsewhere')])))!;

        // the third message reuses an id that already exists: the whole batch must fail
        const good = message('three');
        const clash = { ...message('four'), id: taken!.id };
        await expect(backend.appendMessages(s.id, forSession(s.id, [good, message('never'), clash]))).rejects.toThrow();
        // and a batch repeating an id within itself
        const twice = message('twice');
        await expect(backend.appendMessages(s.id, forSession(s.id, [twice, twice]))).rejects.toThrow();

        expect(await backend.messagesByIds([good.id, twice.id])).toEqual([]);
        expect(await backend.historyCounts([s.id, other.id])).toEqual(new Map([[s.id, 2], [other.id, 1]]));
        const next = await backend.appendMessages(s.id, forSession(s.id, [message('three again')]));
        expect(next!.map((m) => m.seq)).toEqual([3]);
        expect((await backend.messagesByIds([taken!.id]))[0]!.content).toBe('elsewhere');
      });

      it('pages and counts many sessions at once, including sessions with no rows and unknown ids', async () => {
        const full = await session();
        const one = await session();
        const empty = await session();
        const fullMessages = (await backend.appendMessages(full.id, forSession(full.id, Array.from({ length: 7 }, (_, i) => message(`m${i + 1}`)))))!;
        const oneMessages = (await backend.appendMessages(one.id, forSession(one.id, [message('only')])))!;
        const asked = [full.id, one.id, empty.id, 'session_unknown'];

        const pages = await backend.historyPages(asked, { limit: 3 });
        expect([...pages.keys()].sort()).toEqual([...asked].sort());
        expect(pages.get(full.id)).toEqual(fullMessages.slice(0, 3));
        expect(pages.get(one.id)).toEqual(oneMessages);
        expect(pages.get(empty.id)).toEqual([]);
        expect(pages.get('session_unknown')).toEqual([]);

        const tail = await backend.historyPages(asked, { limit: 3, fromEnd: true });
        expect(tail.get(full.id)).toEqual(fullMessages.slice(4));
        expect(tail.get(one.id)).toEqual(oneMessages);

        const window = await backend.historyPages(asked, { after: 1, before: 7, limit: 10, offset: 2 });
        expect(window.get(full.id)!.map((m) => m.seq)).toEqual([4, 5, 6]);
        expect(window.get(one.id)).toEqual([]);

        expect(await backend.historyCounts(asked)).toEqual(
          new Map([
            [full.id, 7],
            [one.id, 1],
            [empty.id, 0],
            ['session_unknown', 0],
          ]),
        );
        expect(await backend.historyPages([], { limit: 10 })).toEqual(new Map());
        expect(await backend.historyCounts([])).toEqual(new Map());
      });

      it('clearHistory deletes only that session’s messages and says how many', async () => {
        const s = await session();
        const other = await session();
        await backend.appendMessages(s.id, forSession(s.id, [message('a'), message('b'), message('c')]));
        await backend.appendMessages(other.id, forSession(other.id, [message('x')]));
        expect(await backend.clearHistory(s.id)).toBe(3);
        expect(await backend.clearHistory(s.id)).toBe(0);
        expect(await backend.clearHistory('session_unknown')).toBe(0);
        expect(await backend.historyCounts([s.id, other.id])).toEqual(new Map([[s.id, 0], [other.id, 1]]));
        // the session itself stays and takes new messages
        expect(await backend.stores.sessionMaintenance.byIdsEvenExpired([s.id])).toHaveLength(1);
        const after = await backend.appendMessages(s.id, forSession(s.id, [message('again')]));
        expect(after).toHaveLength(1);
        expect((await backend.historyPages([s.id], { limit: 10 })).get(s.id)).toEqual(after);
      });

      it('random appends across sessions, then any slice of any set of sessions, equal the model (property)', async () => {
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
              const added = (await backend.appendMessages(id, batch))!;
              const rows = model.get(id)!;
              expect(added).toEqual(batch.map((m, i) => ({ ...m, seq: rows.length + i + 1 })));
              rows.push(...added);
            }
            for (const q of queries) {
              const asked = q.pick.map((i) => ids4[i]!);
              const pages = await backend.historyPages(asked, q.slice);
              expect([...pages.keys()].sort()).toEqual([...asked].sort());
              for (const id of asked) {
                expect(pages.get(id), `${id} ${JSON.stringify(q.slice)}`).toEqual(modelSlice(model.get(id)!, (m) => m.seq, seqOrder, q.slice));
              }
              const counts = await backend.historyCounts(asked);
              expect(counts).toEqual(new Map(asked.map((id) => [id, model.get(id)!.length])));
            }
          }),
          { numRuns: RUNS },
        );
      });
      it('historyJson is JSON.stringify of the chosen fields of what historyPages reads, for any content, metadata and slice (property)', async () => {
        const all: (keyof Message & string)[] = ['id', 'sessionId', 'seq', 'role', 'content', 'timestamp', 'metadata', 'idempotencyKey'];
        const fieldsArb = fc
          .shuffledSubarray(all, { minLength: 1 })
          .chain((chosen) =>
            fc.uniqueArray(fc.string({ unit: 'grapheme', maxLength: 8 }), { minLength: chosen.length, maxLength: chosen.length })
              .map((names): JsonFields<Message> => chosen.map((field, i) => [names[i]!, field] as const)),
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
            if (batch.length) await backend.appendMessages(s.id, batch);
            const json = await backend.historyJson(s.id, slice, fields);
            const expected = recordsToJson((await backend.historyPages([s.id], slice)).get(s.id)!, fields);
            expect(json).toBe(expected);
          }),
          { numRuns: RUNS * 2 },
        );
        expect(await backend.historyJson('session_unknown', { limit: 10 }, [['id', 'id']])).toBe('[]');
      });
    });

    // --- state ---------------------------------------------------------------------------------

    describe('state', () => {
      it('puts, replaces and deletes a session’s state', async () => {
        const s = await session();
        expect(await backend.statesBySessionIds([s.id])).toEqual([]);
        const first = { sessionId: s.id, data: { step: 1, notes: ['a'] }, updatedAt: clock.iso(), version: 1 };
        expect(await backend.putState(first)).toEqual(first);
        expect(await backend.statesBySessionIds([s.id])).toEqual([first]);

        clock.advance(1000);
        const second = { sessionId: s.id, data: ['a', 'list', 'now'], updatedAt: clock.iso(), version: 2 };
        expect(await backend.putState(second)).toEqual(second);
        expect(await backend.statesBySessionIds([s.id])).toEqual([second]);

        expect(await backend.deleteState(s.id)).toBe(true);
        expect(await backend.statesBySessionIds([s.id])).toEqual([]);
        expect(await backend.deleteState(s.id)).toBe(false);
        expect(await backend.stores.sessionMaintenance.byIdsEvenExpired([s.id])).toHaveLength(1);
      });

      it('stores any JSON value as state, including null and scalars', async () => {
        for (const data of [null, 0, -1.5, true, false, '', 'text', [], {}] as Json[]) {
          const s = await session();
          const state = { sessionId: s.id, data, updatedAt: clock.iso(), version: 1 };
          expect(await backend.putState(state)).toEqual(state);
          expect(await backend.statesBySessionIds([s.id])).toEqual([state]);
        }
      });

      it('refuses state for an unknown session (false, nothing written)', async () => {
        expect(await backend.putState({ sessionId: 'session_unknown', data: { x: 1 }, updatedAt: clock.iso() })).toBeNull();
        expect(await backend.statesBySessionIds(['session_unknown'])).toEqual([]);
        expect(await backend.deleteState('session_unknown')).toBe(false);
      });

      it('looks up the states of many sessions at once', async () => {
        const a = await session();
        const b = await session();
        const none = await session();
        const sa = { sessionId: a.id, data: 'a', updatedAt: clock.iso(), version: 1 };
        const sb = { sessionId: b.id, data: 'b', updatedAt: clock.iso(), version: 1 };
        await backend.putState(sa);
        await backend.putState(sb);
        const found = await backend.statesBySessionIds([b.id, none.id, 'session_unknown', a.id]);
        expect([...found].sort((x, y) => compareStrings(x.sessionId, y.sessionId))).toEqual(
          [sa, sb].sort((x, y) => compareStrings(x.sessionId, y.sessionId)),
        );
        expect(await backend.statesBySessionIds([])).toEqual([]);
      });
    });

    // --- artifacts -----------------------------------------------------------------------------

    describe('artifacts', () => {
      it('inserts, reads by ids and deletes', async () => {
        const s = await session();
        const a = artifact(s.id, { metadata: { pages: 3 }, size: 0 });
        const b = artifact(s.id, { name: 'data.csv', type: 'table', path: 'relative/data.csv', size: Number.MAX_SAFE_INTEGER });
        expect(await backend.insertArtifact(a)).toBe(true);
        expect(await backend.insertArtifact(b)).toBe(true);
        expect(sortById(await backend.artifactsByIds([b.id, a.id, 'artifact_unknown']))).toEqual(sortById([a, b]));
        expect(await backend.artifactsByIds([])).toEqual([]);

        expect(await backend.deleteArtifact(a.id)).toBe(true);
        expect(await backend.deleteArtifact(a.id)).toBe(false);
        expect(await backend.deleteArtifact('artifact_unknown')).toBe(false);
        expect(await backend.artifactsByIds([a.id, b.id])).toEqual([b]);
      });

      it('refuses an artifact of an unknown session (false, nothing written)', async () => {
        const orphan = artifact('session_unknown');
        expect(await backend.insertArtifact(orphan)).toBe(false);
        expect(await backend.artifactsByIds([orphan.id])).toEqual([]);
        expect(await backend.artifactCounts(['session_unknown'])).toEqual(new Map([['session_unknown', 0]]));
      });

      it('pages and counts artifacts of many sessions by id', async () => {
        const a = await session();
        const b = await session();
        const empty = await session();
        const aRows: Artifact[] = [];
        for (let i = 0; i < 5; i++) {
          const row = artifact(a.id, { name: `a${i}` });
          await backend.insertArtifact(row);
          aRows.push(row);
        }
        const bRow = artifact(b.id);
        await backend.insertArtifact(bRow);
        const asked = [a.id, b.id, empty.id, 'session_unknown'];

        const pages = await backend.artifactPages(asked, { limit: 2, offset: 1 });
        expect(pages.get(a.id)).toEqual(aRows.slice(1, 3));
        expect(pages.get(b.id)).toEqual([]);
        expect(pages.get(empty.id)).toEqual([]);
        expect(pages.get('session_unknown')).toEqual([]);
        expect((await backend.artifactPages(asked, { limit: 2, fromEnd: true })).get(a.id)).toEqual(aRows.slice(3));
        expect((await backend.artifactPages([a.id], { after: aRows[1]!.id, before: aRows[4]!.id, limit: 10 })).get(a.id)).toEqual(
          aRows.slice(2, 4),
        );
        expect(await backend.artifactCounts(asked)).toEqual(
          new Map([
            [a.id, 5],
            [b.id, 1],
            [empty.id, 0],
            ['session_unknown', 0],
          ]),
        );
        expect(await backend.artifactPages([], { limit: 1 })).toEqual(new Map());
        expect(await backend.artifactCounts([])).toEqual(new Map());
      });

      it('any slice of any set of sessions equals the model (property)', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 12 }),
            fc.array(fc.record({ pick: fc.subarray([0, 1, 2, 3], { minLength: 1 }), slice: sliceArb(keyPickArb) }), { minLength: 1, maxLength: 4 }),
            async (owners, queries) => {
              const sessions = [await session(), await session(), await session()];
              const ids4 = [...sessions.map((s) => s.id), `session_unknown_${fresh('a')}`];
              const model = new Map<string, Artifact[]>(ids4.map((id) => [id, []]));
              for (const owner of owners) {
                const row = artifact(ids4[owner]!, { name: `n${owner}` });
                expect(await backend.insertArtifact(row)).toBe(true);
                model.get(row.sessionId)!.push(row);
              }
              const keys = owners.length ? [...model.values()].flat().map((a) => a.id).sort() : [];
              for (const q of queries) {
                const asked = q.pick.map((i) => ids4[i]!);
                const slice = resolveSlice(q.slice, (pick) => resolveKey(keys, pick, 'artifact_'));
                const pages = await backend.artifactPages(asked, slice);
                for (const id of asked) {
                  expect(pages.get(id)).toEqual(modelSlice(sortById(model.get(id)!), (a) => a.id, compareStrings, slice));
                }
                expect(await backend.artifactCounts(asked)).toEqual(new Map(asked.map((id) => [id, model.get(id)!.length])));
              }
            },
          ),
          { numRuns: RUNS },
        );
      });
    });

    // --- metrics -------------------------------------------------------------------------------

    describe('metrics', () => {
      const T = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

      it('lists in (timestamp, id) order whatever the insertion order', async () => {
        // ids are made in this order, timestamps deliberately disagree with it
        const m1 = metric({ timestamp: T(5) });
        const m2 = metric({ timestamp: T(1) });
        const m3 = metric({ timestamp: T(5) });
        const m4 = metric({ timestamp: T(3) });
        await backend.insertMetrics([m3, m1]);
        await backend.insertMetrics([m4, m2]);
        expect(await backend.listMetrics({}, { limit: 10 })).toEqual([m2, m4, m1, m3]);
        expect(await backend.listMetrics({}, { limit: 2, fromEnd: true })).toEqual([m1, m3]);
        expect(await backend.listMetrics({}, { after: metricKeyOf(m4), limit: 10 })).toEqual([m1, m3]);
        expect(await backend.listMetrics({}, { after: metricKeyOf(m1), limit: 10 })).toEqual([m3]);
        // a key between two rows with the same timestamp
        expect(await backend.listMetrics({}, { before: { timestamp: T(5), id: `${m1.id}0` }, limit: 10 })).toEqual([m2, m4, m1]);
        expect(await backend.listMetrics({}, { limit: 2, offset: 1 })).toEqual([m4, m1]);
      });

      it('filters by every field, with since and until inclusive; counts agree', async () => {
        const s1 = await session();
        const s2 = await session();
        const rows = [
          metric({ entityType: 'agent', entityName: 'planner', sessionId: s1.id, metricName: 'latency_ms', timestamp: T(0), value: 1 }),
          metric({ entityType: 'agent', entityName: 'planner', sessionId: s1.id, metricName: 'tokens', timestamp: T(1), value: 2 }),
          metric({ entityType: 'agent', entityName: 'writer', sessionId: s2.id, metricName: 'latency_ms', timestamp: T(2), value: 3 }),
          metric({ entityType: 'tool', entityName: 'search', sessionId: null, metricName: 'latency_ms', timestamp: T(3), value: 4 }),
          metric({ entityType: 'tool', entityName: 'search', sessionId: s2.id, metricName: 'calls', timestamp: T(4), value: 5 }),
        ];
        await backend.insertMetrics(rows);
        const cases: [MetricFilter, Metric[]][] = [
          [{}, rows],
          [{ entityType: 'tool' }, [rows[3]!, rows[4]!]],
          [{ entityName: 'planner' }, [rows[0]!, rows[1]!]],
          [{ sessionId: s2.id }, [rows[2]!, rows[4]!]],
          [{ metricName: 'latency_ms' }, [rows[0]!, rows[2]!, rows[3]!]],
          [{ since: T(1) }, rows.slice(1)],
          [{ until: T(3) }, rows.slice(0, 4)],
          [{ since: T(1), until: T(3) }, rows.slice(1, 4)],
          [{ since: T(2), until: T(2) }, [rows[2]!]],
          [{ since: T(3), until: T(1) }, []],
          [{ since: new Date(Date.parse(T(1)) + 1).toISOString(), until: new Date(Date.parse(T(3)) - 1).toISOString() }, [rows[2]!]],
          [{ entityType: 'agent', metricName: 'latency_ms', sessionId: s1.id }, [rows[0]!]],
          [{ entityType: 'agent', entityName: 'search' }, []],
          [{ sessionId: 'session_unknown' }, []],
          [{ entityType: null, entityName: null, sessionId: null, metricName: null, since: null, until: null }, rows],
        ];
        for (const [filter, expected] of cases) {
          expect(await backend.listMetrics(filter, { limit: 100 }), JSON.stringify(filter)).toEqual(expected);
          expect(await backend.countMetrics(filter), JSON.stringify(filter)).toBe(expected.length);
        }
      });

      it('is all-or-nothing: a batch with a clashing id writes nothing', async () => {
        const existing = metric();
        await backend.insertMetrics([existing]);
        const good = metric();
        await expect(backend.insertMetrics([good, { ...metric(), id: existing.id }])).rejects.toThrow();
        expect(await backend.listMetrics({}, { limit: 10 })).toEqual([existing]);
        await backend.insertMetrics([]);
        expect(await backend.countMetrics({})).toBe(1);
      });

      it('pages and counts per session, applying filters and ignoring filter.sessionId', async () => {
        const s1 = await session();
        const s2 = await session();
        const empty = await session();
        const a = [0, 1, 2, 3].map((i) => metric({ sessionId: s1.id, timestamp: T(i), metricName: i % 2 ? 'odd' : 'even' }));
        const b = [metric({ sessionId: s2.id, timestamp: T(2), metricName: 'even' })];
        const loose = metric({ sessionId: null, timestamp: T(2), metricName: 'even' });
        await backend.insertMetrics([...a, ...b, loose]);
        const asked = [s1.id, s2.id, empty.id, 'session_unknown'];

        const all = await backend.metricPages(asked, {}, { limit: 10 });
        expect(all).toEqual(new Map([[s1.id, a], [s2.id, b], [empty.id, []], ['session_unknown', []]]));
        const even = await backend.metricPages(asked, { metricName: 'even', sessionId: s2.id }, { limit: 10 });
        expect(even.get(s1.id)).toEqual([a[0], a[2]]);
        expect(even.get(s2.id)).toEqual(b);
        const window = await backend.metricPages(asked, { since: T(1), until: T(3) }, { limit: 2, fromEnd: true });
        expect(window.get(s1.id)).toEqual([a[2], a[3]]);
        const keyed = await backend.metricPages(asked, {}, { after: metricKeyOf(a[0]!), limit: 2 });
        expect(keyed.get(s1.id)).toEqual([a[1], a[2]]);
        expect(keyed.get(s2.id)).toEqual(b);

        expect(await backend.metricCounts(asked, {})).toEqual(new Map([[s1.id, 4], [s2.id, 1], [empty.id, 0], ['session_unknown', 0]]));
        expect(await backend.metricCounts(asked, { metricName: 'odd', sessionId: 'session_unknown' })).toEqual(
          new Map([[s1.id, 2], [s2.id, 0], [empty.id, 0], ['session_unknown', 0]]),
        );
        expect(await backend.metricPages([], {}, { limit: 1 })).toEqual(new Map());
        expect(await backend.metricCounts([], {})).toEqual(new Map());
      });

      it('keeps values exactly, including very large and very small floats', async () => {
        const values = [0, 1, -1, 0.1, 0.30000000000000004, 1e21, 1.7976931348623157e308, -1.7976931348623157e308, 5e-324, -5e-324, 2.2250738585072014e-308, 9007199254740993, Math.PI];
        const rows = values.map((value, i) => metric({ value, timestamp: T(i) }));
        await backend.insertMetrics(rows);
        expect((await backend.listMetrics({}, { limit: 100 })).map((m) => m.value)).toEqual(values);
        // negative zero may come back as 0, which is what JSON would give too
        const negativeZero = metric({ value: -0, timestamp: T(50) });
        await backend.insertMetrics([negativeZero]);
        const [back] = await backend.listMetrics({ since: T(50) }, { limit: 1 });
        expect(back!.value === 0).toBe(true);
      });

      it('random metrics, filters and slices equal the model (property)', async () => {
        const metricArb = fc.record({
          minute: fc.integer({ min: 0, max: 4 }), // few distinct timestamps: many ties broken by id
          session: fc.integer({ min: 0, max: 2 }), // 2 = no session
          name: fc.constantFrom('a', 'b'),
          entityType: fc.constantFrom('agent', 'tool'),
        });
        const keyArb = fc.record({ minute: fc.integer({ min: -1, max: 5 }), pick: keyPickArb });
        const queryArb = fc.record({
          metricName: fc.constantFrom(undefined, 'a', 'b'),
          entityType: fc.constantFrom(undefined, 'agent', 'tool'),
          session: fc.constantFrom(undefined, 0, 1),
          since: fc.option(fc.integer({ min: -1, max: 5 }), { nil: undefined }),
          until: fc.option(fc.integer({ min: -1, max: 5 }), { nil: undefined }),
          slice: sliceArb(keyArb),
          pick: fc.subarray([0, 1, 2], { minLength: 1 }), // 2 is an unknown session
        });
        await fc.assert(
          fc.asyncProperty(fc.array(metricArb, { maxLength: 14 }), fc.array(queryArb, { minLength: 1, maxLength: 4 }), async (specs, queries) => {
            const entityName = fresh('entity');
            const sessions = [await session(), await session()];
            const sessionIds = [...sessions.map((s) => s.id), `session_unknown_${entityName}`];
            const rows = specs.map((spec) =>
              metric({
                entityName,
                entityType: spec.entityType,
                metricName: spec.name,
                sessionId: spec.session === 2 ? null : sessionIds[spec.session]!,
                timestamp: T(spec.minute),
              }),
            );
            // insert in a shuffled-looking order: reversed
            await backend.insertMetrics([...rows].reverse());
            const sorted = [...rows].sort(byMetricKey);
            const ids = sorted.map((m) => m.id).sort();
            for (const q of queries) {
              const filter: MetricFilter = {
                entityName,
                entityType: q.entityType,
                metricName: q.metricName,
                sessionId: q.session === undefined ? undefined : sessionIds[q.session],
                since: q.since === undefined ? undefined : T(q.since),
                until: q.until === undefined ? undefined : T(q.until),
              };
              const slice: Slice<MetricKey> = {
                ...q.slice,
                after: q.slice.after == null ? q.slice.after : { timestamp: T(q.slice.after.minute), id: resolveKey(ids, q.slice.after.pick, 'metric_') },
                before: q.slice.before == null ? q.slice.before : { timestamp: T(q.slice.before.minute), id: resolveKey(ids, q.slice.before.pick, 'metric_') },
              };
              const matches = (m: Metric, f: MetricFilter) =>
                (f.entityType == null || m.entityType === f.entityType) &&
                (f.entityName == null || m.entityName === f.entityName) &&
                (f.sessionId == null || m.sessionId === f.sessionId) &&
                (f.metricName == null || m.metricName === f.metricName) &&
                (f.since == null || m.timestamp >= f.since) &&
                (f.until == null || m.timestamp <= f.until);
              const all = sorted.filter((m) => matches(m, filter));
              expect(await backend.listMetrics(filter, slice)).toEqual(modelSlice(all, metricKeyOf, metricOrder, slice));
              expect(await backend.countMetrics(filter)).toBe(all.length);

              const asked = q.pick.map((i) => sessionIds[i]!);
              const perSession = { ...filter, sessionId: undefined };
              const pages = await backend.metricPages(asked, filter, slice);
              const counts = await backend.metricCounts(asked, filter);
              for (const id of asked) {
                const own = sorted.filter((m) => m.sessionId === id && matches(m, perSession));
                expect(pages.get(id)).toEqual(modelSlice(own, metricKeyOf, metricOrder, slice));
                expect(counts.get(id)).toBe(own.length);
              }
            }
          }),
          { numRuns: RUNS },
        );
      });
    });

    // --- moving data ---------------------------------------------------------------------------

    describe('import', () => {
      const T = (second: number) => new Date(Date.UTC(2025, 5, 1, 12, 0, second)).toISOString();

      /** A session bundle as an export would carry it, with its own ids and timestamps (not the clock's). */
      function bundleOf(seqs: readonly number[], options: { state?: boolean; artifacts?: number; metadata?: JsonObject } = {}): SessionBundle {
        const s: Session = {
          id: ids.next('session'),
          agentName: 'imported-agent',
          userId: null,
          status: 'ended',
          createdAt: T(1),
          updatedAt: T(59),
          metadata: options.metadata ?? { source: 'elsewhere' },
          parentId: null,
          forkedFromMessageId: null,
          expiresAt: null,
        };
        const messages = seqs.map(
          (seq, i): Message => ({
            id: ids.next('message'),
            sessionId: s.id,
            seq,
            role: (['user', 'assistant', 'system', 'tool'] as const)[i % 4]!,
            content: `message at seq ${seq}`,
            timestamp: T(2 + i),
            metadata: { i, meta: options.metadata ?? null },
            idempotencyKey: null,
          }),
        );
        const state = options.state === false ? null : { sessionId: s.id, data: { step: seqs.length, meta: options.metadata ?? null }, updatedAt: T(40), version: 1 };
        const artifacts = Array.from({ length: options.artifacts ?? 2 }, (_, i) =>
          artifact(s.id, { name: `file-${i}`, size: i * 1000, createdAt: T(30 + i), metadata: { i } }),
        );
        // As the records come back from any JSON column (-0 becomes 0), so that equality is exact.
        return viaJson({ session: s, messages, state, artifacts });
      }

      async function readBack(sessionId: string) {
        return {
          session: (await backend.stores.sessionMaintenance.byIdsEvenExpired([sessionId]))[0] ?? null,
          messages: (await backend.historyPages([sessionId], { limit: 10_000 })).get(sessionId)!,
          state: (await backend.statesBySessionIds([sessionId]))[0] ?? null,
          artifacts: (await backend.artifactPages([sessionId], { limit: 10_000 })).get(sessionId)!,
        };
      }

      it('writes a session exactly as given: ids, timestamps, seq (gaps kept), JSON and order', async () => {
        const bundle = bundleOf([3, 4, 9], { metadata: NASTY_JSON, artifacts: 3 });
        expect(await backend.importSession(bundle)).toEqual({ sessions: 1, messages: 3, states: 1, artifacts: 3 });
        expect(await readBack(bundle.session.id)).toEqual(bundle);
        expect(sortById(await backend.messagesByIds(bundle.messages.map((m) => m.id)))).toEqual(sortById(bundle.messages));
        expect(await backend.artifactsByIds([bundle.artifacts[1]!.id])).toEqual([bundle.artifacts[1]]);
        expect(await backend.historyCounts([bundle.session.id])).toEqual(new Map([[bundle.session.id, 3]]));
        expect(await backend.stores.sessionMaintenance.listEvenExpired({ agentName: 'imported-agent' }, { limit: 10 })).toEqual([bundle.session]);
      });

      it('refuses records that belong to another session, writing nothing', async () => {
        const other = bundleOf([1]);
        const bundle = bundleOf([1, 2]);
        const mixed = { ...bundle, messages: [bundle.messages[0]!, { ...other.messages[0]!, seq: 2 }] };
        await expect(backend.importSession(mixed)).rejects.toBeInstanceOf(ValidationError);
        expect(await backend.stores.sessionMaintenance.byIdsEvenExpired([bundle.session.id])).toEqual([]);
        expect(await backend.messagesByIds(mixed.messages.map((m) => m.id))).toEqual([]);
      });

      it('later appends continue after the largest imported seq', async () => {
        const bundle = bundleOf([3, 4, 9]);
        await backend.importSession(bundle);
        const added = await backend.appendMessages(bundle.session.id, forSession(bundle.session.id, [message('next'), message('after')]));
        expect(added!.map((m) => m.seq)).toEqual([10, 11]);
      });

      it('is idempotent: importing the same bundle again writes nothing and reports nothing new', async () => {
        const bundle = bundleOf([1, 2, 3]);
        await backend.importSession(bundle);
        expect(await backend.importSession(bundle)).toEqual({ sessions: 0, messages: 0, states: 0, artifacts: 0 });
        expect(await backend.importSession(bundle)).toEqual({ sessions: 0, messages: 0, states: 0, artifacts: 0 });
        expect(await readBack(bundle.session.id)).toEqual(bundle);
        expect(await storage.sessions.count({})).toBe(1);
        expect(await backend.artifactCounts([bundle.session.id])).toEqual(new Map([[bundle.session.id, 2]]));
      });

      it('a session with no messages, state or artifacts imports, and its appends start at seq 1', async () => {
        const bundle = bundleOf([], { state: false, artifacts: 0 });
        expect(await backend.importSession(bundle)).toEqual({ sessions: 1, messages: 0, states: 0, artifacts: 0 });
        expect(await readBack(bundle.session.id)).toEqual(bundle);
        const added = await backend.appendMessages(bundle.session.id, forSession(bundle.session.id, [message('first')]));
        expect(added!.map((m) => m.seq)).toEqual([1]);
      });

      it('into an existing session: rows already there are left as they are, only missing ones are added', async () => {
        const s = await session({ agentName: 'live' });
        const live = (await backend.appendMessages(s.id, forSession(s.id, [message('one'), message('two')])))!;
        await backend.putState({ sessionId: s.id, data: 'target state', updatedAt: clock.iso() });
        clock.advance(1000);
        const renamed = await backend.stores.sessions.update(s.id, { agentName: 'renamed', updatedAt: clock.iso() }, clock.iso());

        // the bundle carries an older version of the session, the same two messages and two new ones
        const newer = [message('three'), message('four')].map((m, i): Message => ({ ...m, sessionId: s.id, seq: 3 + i }));
        const extra = artifact(s.id);
        const bundle: SessionBundle = {
          session: s,
          messages: [...live, ...newer],
          state: { sessionId: s.id, data: 'bundle state', updatedAt: T(0), version: 1 },
          artifacts: [extra],
        };
        expect(await backend.importSession(bundle)).toEqual({ sessions: 0, messages: 2, states: 0, artifacts: 1 });
        expect(await readBack(s.id)).toEqual({
          session: renamed,
          messages: [...live, ...newer],
          state: { sessionId: s.id, data: 'target state', updatedAt: expect.any(String), version: 1 },
          artifacts: [extra],
        });
        const next = await backend.appendMessages(s.id, forSession(s.id, [message('five')]));
        expect(next!.map((m) => m.seq)).toEqual([5]);

        // an older, shorter bundle never moves the sequence back
        expect(await backend.importSession({ ...bundle, messages: live.slice(0, 1) })).toEqual({ sessions: 0, messages: 0, states: 0, artifacts: 0 });
        const last = await backend.appendMessages(s.id, forSession(s.id, [message('six')]));
        expect(last!.map((m) => m.seq)).toEqual([6]);
      });

      it('a seq taken by a different message is a ConflictError, and nothing of the session is written', async () => {
        const s = await session();
        const existing = (await backend.appendMessages(s.id, forSession(s.id, [message('a'), message('b'), message('c')])))!;
        const before = await readBack(s.id);
        // skipped (already there), new, new, then a different message claiming seq 3
        const clash: Message = { ...message('impostor'), sessionId: s.id, seq: 3 };
        const bundle: SessionBundle = {
          session: s,
          messages: [existing[0]!, { ...message('x'), sessionId: s.id, seq: 4 }, { ...message('y'), sessionId: s.id, seq: 5 }, clash],
          state: { sessionId: s.id, data: { never: true }, updatedAt: clock.iso(), version: 1 },
          artifacts: [artifact(s.id)],
        };
        // (a bundle lists messages in seq order; this one does not, to put the clash after writes)
        await expect(backend.importSession(bundle)).rejects.toBeInstanceOf(ConflictError);
        expect(await readBack(s.id)).toEqual(before);
        expect(await backend.messagesByIds([clash.id, bundle.messages[1]!.id])).toEqual([]);
        const next = await backend.appendMessages(s.id, forSession(s.id, [message('d')]));
        expect(next!.map((m) => m.seq)).toEqual([4]);
      });

      it('a new session whose bundle repeats a seq is a ConflictError and is not created at all', async () => {
        const bundle = bundleOf([1, 2, 2]);
        await expect(backend.importSession(bundle)).rejects.toBeInstanceOf(ConflictError);
        expect(await readBack(bundle.session.id)).toEqual({ session: null, messages: [], state: null, artifacts: [] });
        expect(await backend.messagesByIds(bundle.messages.map((m) => m.id))).toEqual([]);
        expect(await backend.artifactsByIds(bundle.artifacts.map((a) => a.id))).toEqual([]);
        expect(await storage.sessions.count({})).toBe(0);
      });

      it('importing pieces of a session in any order, any number of times, ends with exactly the whole (property)', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 0, max: 8 }),
            fc.boolean(),
            fc.integer({ min: 0, max: 3 }),
            fc.array(fc.record({ messages: fc.subarray([0, 1, 2, 3, 4, 5, 6, 7]), state: fc.boolean(), artifacts: fc.subarray([0, 1, 2]) }), {
              maxLength: 4,
            }),
            async (messageCount, withState, artifactCount, pieces) => {
              // seqs with gaps, as after a cleared history
              const whole = bundleOf(Array.from({ length: messageCount }, (_, i) => 2 * i + 5), { state: withState, artifacts: artifactCount });
              const total = { sessions: 0, messages: 0, states: 0, artifacts: 0 };
              const add = (c: ImportCounts) => {
                for (const key of Object.keys(total) as (keyof ImportCounts)[]) total[key] += c[key];
              };
              for (const piece of pieces) {
                add(
                  await backend.importSession({
                    session: whole.session,
                    messages: whole.messages.filter((_, i) => piece.messages.includes(i)),
                    state: piece.state ? whole.state : null,
                    artifacts: whole.artifacts.filter((_, i) => piece.artifacts.includes(i)),
                  }),
                );
              }
              add(await backend.importSession(whole));
              expect(total).toEqual({ sessions: 1, messages: messageCount, states: withState ? 1 : 0, artifacts: artifactCount });
              expect(await readBack(whole.session.id)).toEqual(whole);
              const next = await backend.appendMessages(whole.session.id, forSession(whole.session.id, [message('next')]));
              expect(next![0]!.seq).toBe(messageCount === 0 ? 1 : 2 * (messageCount - 1) + 5 + 1);
            },
          ),
          { numRuns: RUNS },
        );
      });

      it('importMetrics keeps ids, timestamps and JSON, skips metrics already there and says how many were new', async () => {
        const s = await session();
        const rows = viaJson([
          metric({ timestamp: T(3), sessionId: s.id, labels: NASTY_JSON, value: -0.5 }),
          metric({ timestamp: T(1), sessionId: 'session_gone', value: 1e300 }),
          metric({ timestamp: T(1), sessionId: null, entityType: 'tool', value: 5e-324 }),
        ]);
        expect(await backend.importMetrics(rows.slice(0, 2))).toBe(2);
        expect(await backend.importMetrics(rows)).toBe(1);
        expect(await backend.importMetrics(rows)).toBe(0);
        expect(await backend.importMetrics([])).toBe(0);
        // a metric that exists by id is left as it is
        expect(await backend.importMetrics([{ ...rows[0]!, value: 42 }])).toBe(0);
        expect(await backend.listMetrics({}, { limit: 10 })).toEqual([...rows].sort(byMetricKey));
        expect(await backend.countMetrics({})).toBe(3);
        expect(await backend.listMetrics({ sessionId: s.id }, { limit: 10 })).toEqual([rows[0]]);
      });
    });

    // --- state versions and compare-and-set ------------------------------------------------------

    describe('state versions', () => {
      /** The error a promise rejects with (or undefined when it resolves). */
      const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

      it('a state starts at version 1 and every write adds one; set again after a delete, it starts over', async () => {
        const s = await session();
        expect((await backend.putState({ sessionId: s.id, data: 'a', updatedAt: clock.iso() }))!.version).toBe(1);
        expect((await backend.putState({ sessionId: s.id, data: 'b', updatedAt: clock.iso() }))!.version).toBe(2);
        const third = await backend.modifyState(s.id, () => 'c', clock.iso());
        expect(third).toEqual({ sessionId: s.id, data: 'c', updatedAt: clock.iso(), version: 3 });
        expect(await backend.statesBySessionIds([s.id])).toEqual([third]);
        await backend.deleteState(s.id);
        expect((await backend.putState({ sessionId: s.id, data: 'd', updatedAt: clock.iso() }))!.version).toBe(1);
      });

      it('modifyState hands over the state as stored, writes what it returns, and writes nothing when it throws', async () => {
        const s = await session();
        const seen: (State | null)[] = [];
        const created = await backend.modifyState(s.id, (current) => (seen.push(current), { n: 1 }), clock.iso());
        expect(created).toEqual({ sessionId: s.id, data: { n: 1 }, updatedAt: clock.iso(), version: 1 });
        clock.advance(1000);
        const updated = await backend.modifyState(s.id, (current) => (seen.push(current), { n: ((current!.data as { n: number }).n ?? 0) + 1 }), clock.iso());
        expect(updated).toEqual({ sessionId: s.id, data: { n: 2 }, updatedAt: clock.iso(), version: 2 });
        expect(seen).toEqual([null, created]);

        const refusal = new Error('no');
        await expect(backend.modifyState(s.id, () => { throw refusal; }, clock.iso())).rejects.toBe(refusal);
        expect(await backend.statesBySessionIds([s.id])).toEqual([updated]);
      });

      it('modifyState of an unknown session is null, without calling the change', async () => {
        let called = false;
        expect(await backend.modifyState('session_unknown', () => ((called = true), 1), clock.iso())).toBeNull();
        expect(called).toBe(false);
        expect(await backend.statesBySessionIds(['session_unknown'])).toEqual([]);
      });

      it('setState with expectedVersion applies only at that version; a conflict names the current version and writes nothing', async () => {
        const s = await session();
        // 0: only if there is no state
        expect(await storage.setState(s.id, { step: 1 }, 0)).toMatchObject({ data: { step: 1 }, version: 1 });
        const taken = await failure(storage.setState(s.id, { step: 'other' }, 0));
        expect(taken).toBeInstanceOf(VersionConflictError);
        expect(taken).toMatchObject({ code: 'CONFLICT', expectedVersion: 0, currentVersion: 1 });

        expect(await storage.setState(s.id, { step: 2 }, 1)).toMatchObject({ data: { step: 2 }, version: 2 });
        const stale = await failure(storage.setState(s.id, { step: 'stale' }, 1));
        expect(stale).toBeInstanceOf(VersionConflictError);
        expect(stale).toMatchObject({ expectedVersion: 1, currentVersion: 2, message: 'State version mismatch: expected version 1, but the state is at version 2' });
        expect((await storage.getState(s.id)).data).toEqual({ step: 2 });

        // 'existing': any state, as long as there is one (HTTP's If-Match: *)
        expect(await storage.setState(s.id, { step: 3 }, 'existing')).toMatchObject({ version: 3 });
        await storage.deleteState(s.id);
        expect(await failure(storage.setState(s.id, 'x', 'existing'))).toMatchObject({ expectedVersion: 'existing', currentVersion: 0 });
        expect(await failure(storage.setState(s.id, 'x', 3))).toMatchObject({ currentVersion: 0 });
        expect(await backend.statesBySessionIds([s.id])).toEqual([]);

        // without expectedVersion: unconditional, as before
        expect(await storage.setState(s.id, 'free')).toMatchObject({ data: 'free', version: 1 });
        // an unknown session is not found, whatever the expectation
        for (const expected of [undefined, 0, 1, 'existing'] as const) {
          expect(await failure(storage.setState('session_unknown', 1, expected))).toBeInstanceOf(NotFoundError);
        }
      });

      it('patchState applies a JSON Merge Patch to the stored state, and to {} when there is none', async () => {
        const s = await session();
        expect(await storage.patchState(s.id, { a: 1, b: { c: 2 } })).toMatchObject({ data: { a: 1, b: { c: 2 } }, version: 1 });
        expect(await storage.patchState(s.id, { b: { c: null, d: [1, 2] }, e: 'x' }, 1)).toMatchObject({
          data: { a: 1, b: { d: [1, 2] }, e: 'x' },
          version: 2,
        });
        expect(await storage.patchState(s.id, { a: null })).toMatchObject({ data: { b: { d: [1, 2] }, e: 'x' }, version: 3 });
        expect(await failure(storage.patchState(s.id, { a: 1 }, 2))).toMatchObject({ currentVersion: 3 });
        // a patch that is not an object replaces the state as a whole
        expect(await storage.patchState(s.id, [1, 2])).toMatchObject({ data: [1, 2], version: 4 });
        expect(await storage.patchState(s.id, { k: 'v' })).toMatchObject({ data: { k: 'v' }, version: 5 });
        expect((await backend.statesBySessionIds([s.id]))[0]).toMatchObject({ data: { k: 'v' }, version: 5 });

        const fresh = await session();
        expect(await failure(storage.patchState(fresh.id, { a: 1 }, 1))).toMatchObject({ currentVersion: 0 });
        expect(await storage.patchState(fresh.id, { a: { b: null, c: 1 } }, 0)).toMatchObject({ data: { a: { c: 1 } }, version: 1 });
        expect(await failure(storage.patchState('session_unknown', { a: 1 }))).toBeInstanceOf(NotFoundError);
      });

      it('concurrent read-modify-write increments with compare-and-set lose no update', async () => {
        const s = await session();
        await storage.setState(s.id, { counter: 0 });
        let conflicts = 0;
        const increment = async () => {
          for (;;) {
            const { data, version } = await storage.getState(s.id);
            try {
              await storage.setState(s.id, { counter: (data as { counter: number }).counter + 1 }, version);
              return;
            } catch (error) {
              if (!(error instanceof VersionConflictError)) throw error;
              conflicts++;
            }
          }
        };
        await Promise.all(Array.from({ length: 10 }, async () => {
          for (let i = 0; i < 5; i++) await increment();
        }));
        const state = await storage.getState(s.id);
        expect(state.data).toEqual({ counter: 50 });
        expect(state.version).toBe(51);
        expect(conflicts).toBeGreaterThan(0); // they did race
      });

      it('of concurrent writes expecting the same version exactly one wins', async () => {
        const s = await session();
        const { version } = await storage.setState(s.id, 'start');
        const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => storage.setState(s.id, `writer ${i}`, version)));
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        expect(won).toHaveLength(1);
        for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toMatchObject({ currentVersion: version + 1 });
        expect(await storage.getState(s.id)).toEqual((won[0] as PromiseFulfilledResult<State>).value);
      });

      it('concurrent patches of different members all take effect, also on a session without state', async () => {
        const s = await session();
        await Promise.all(Array.from({ length: 12 }, (_, i) => storage.patchState(s.id, { [`k${i}`]: i })));
        const state = await storage.getState(s.id);
        expect(state.data).toEqual(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, i])));
        expect(state.version).toBe(12);
      });
    });

    // --- idempotent appends ----------------------------------------------------------------------

    describe('idempotent appends', () => {
      const say = (content: string, extra: Partial<NewMessageInput> = {}): NewMessageInput => ({ role: 'user', content, metadata: {}, ...extra });

      it('a repeat with the same idempotency key answers the original message and stores nothing', async () => {
        const s = await session();
        const [original] = await storage.addMessages(s.id, [say('hello', { idempotencyKey: 'k1', metadata: { a: 1, b: 2 } })]);
        expect(original).toMatchObject({ seq: 1, idempotencyKey: 'k1' });
        clock.advance(5000);
        // metadata is compared as JSON: member order does not matter
        const [again] = await storage.addMessages(s.id, [say('hello', { idempotencyKey: 'k1', metadata: { b: 2, a: 1 } })]);
        expect(again).toEqual(original);
        expect(await backend.historyCounts([s.id])).toEqual(new Map([[s.id, 1]]));
        const [next] = await storage.addMessages(s.id, [say('next')]);
        expect(next!.seq).toBe(2);
      });

      it('a repeat with the same client id answers the original message and stores nothing', async () => {
        const s = await session();
        const id = 'msg_client-chosen_01';
        const [original] = await storage.addMessages(s.id, [say('hi', { id })]);
        expect(original).toMatchObject({ id, seq: 1, idempotencyKey: null });
        clock.advance(1000);
        expect(await storage.addMessages(s.id, [say('hi', { id })])).toEqual([original]);
        expect(await storage.getMessage(id)).toEqual(original);
        expect(await backend.historyCounts([s.id])).toEqual(new Map([[s.id, 1]]));
      });

      it('a key or id reused for a different message is a conflict, and nothing is written', async () => {
        const s = await session();
        const other = await session();
        const [keyed] = await storage.addMessages(s.id, [say('first', { idempotencyKey: 'k', metadata: { n: 1 } })]);
        const [named] = await storage.addMessages(s.id, [say('second', { id: 'msg_named' })]);
        const attempts: [string, NewMessageInput][] = [
          [s.id, say('changed', { idempotencyKey: 'k', metadata: { n: 1 } })],
          [s.id, { ...say('first', { idempotencyKey: 'k', metadata: { n: 2 } }) }],
          [s.id, { ...say('first', { idempotencyKey: 'k', metadata: { n: 1 } }), role: 'assistant' }],
          [s.id, say('other', { id: 'msg_named' })],
          [s.id, say('first', { idempotencyKey: 'k', metadata: { n: 1 }, id: 'msg_not_the_original' })],
          [s.id, say('second', { id: 'msg_named', idempotencyKey: 'k' })],
          [s.id, say('second', { id: 'msg_named', idempotencyKey: 'a new key' })],
          [other.id, say('second', { id: 'msg_named' })],
        ];
        for (const [sessionId, input] of attempts) {
          await expect(storage.addMessages(sessionId, [input]), JSON.stringify(input)).rejects.toBeInstanceOf(ConflictError);
        }
        expect((await backend.historyPages([s.id, other.id], { limit: 10 })).get(s.id)).toEqual([keyed, named]);
        expect(await backend.historyCounts([other.id])).toEqual(new Map([[other.id, 0]]));
        expect(await storage.addMessages(s.id, [say('third')])).toMatchObject([{ seq: 3 }]);
      });

      it('keys are scoped per session', async () => {
        const a = await session();
        const b = await session();
        const [inA] = await storage.addMessages(a.id, [say('same', { idempotencyKey: 'shared' })]);
        const [inB] = await storage.addMessages(b.id, [say('same', { idempotencyKey: 'shared' })]);
        expect(inB!.id).not.toBe(inA!.id);
        expect(inB).toMatchObject({ sessionId: b.id, seq: 1, idempotencyKey: 'shared' });
      });

      it('concurrent appends with the same key store one message, and all of them answer it', async () => {
        const s = await session();
        const results = await Promise.all(Array.from({ length: 12 }, () => storage.addMessage({ sessionId: s.id, ...say('once', { idempotencyKey: 'race' }) })));
        expect(new Set(results.map((m) => m.id)).size).toBe(1);
        expect(results.every((m) => m.seq === 1)).toBe(true);
        expect((await backend.historyPages([s.id], { limit: 10 })).get(s.id)).toEqual([results[0]]);
        // and with concurrent appends of other messages, the seqs stay gap-free
        await Promise.all(Array.from({ length: 10 }, (_, i) => storage.addMessage({ sessionId: s.id, ...say(`m${i % 5}`, { idempotencyKey: `k${i % 5}` }) })));
        const history = (await backend.historyPages([s.id], { limit: 100 })).get(s.id)!;
        expect(history.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      });

      it('a batch answers repeats with the originals and appends the rest, all or nothing', async () => {
        const s = await session();
        const first = await storage.addMessages(s.id, [say('a', { idempotencyKey: 'a' }), say('b', { id: 'msg_b' })]);
        const mixed = await storage.addMessages(s.id, [say('b', { id: 'msg_b' }), say('c', { idempotencyKey: 'c' }), say('a', { idempotencyKey: 'a' }), say('d')]);
        expect(mixed[0]).toEqual(first[1]);
        expect(mixed[2]).toEqual(first[0]);
        expect(mixed.map((m) => m.seq)).toEqual([2, 3, 1, 4]);
        // one conflict refuses the whole batch: no message, no seq used
        await expect(storage.addMessages(s.id, [say('e', { idempotencyKey: 'e' }), say('not a', { idempotencyKey: 'a' })])).rejects.toBeInstanceOf(ConflictError);
        expect(await backend.historyCounts([s.id])).toEqual(new Map([[s.id, 4]]));
        expect(await storage.addMessages(s.id, [say('e', { idempotencyKey: 'e' })])).toMatchObject([{ seq: 5 }]);
        // a batch cannot repeat a key or id within itself
        await expect(storage.addMessages(s.id, [say('x', { idempotencyKey: 'dup' }), say('x', { idempotencyKey: 'dup' })])).rejects.toBeInstanceOf(ValidationError);
        await expect(backend.appendMessages(s.id, [{ ...message('x'), sessionId: s.id, id: 'msg_dup', idFromClient: true }, { ...message('y'), sessionId: s.id, id: 'msg_dup', idFromClient: true }])).rejects.toBeInstanceOf(ValidationError);
        expect(await backend.historyCounts([s.id])).toEqual(new Map([[s.id, 5]]));
      });

      it('named appends to an unknown session find the session missing, not a conflict', async () => {
        const s = await session();
        await storage.addMessages(s.id, [say('x', { id: 'msg_x' })]);
        await expect(storage.addMessages('session_unknown', [say('x', { id: 'msg_x' })])).rejects.toBeInstanceOf(NotFoundError);
        await expect(storage.addMessages('session_unknown', [say('x', { idempotencyKey: 'k' })])).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    // --- forks -----------------------------------------------------------------------------------

    describe('forks', () => {
      /** The error a promise rejects with (or undefined when it resolves). */
      const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

      /** A parent with a history of `n` messages (awkward metadata, several timestamps), state and artifacts. */
      async function parentWith(n: number) {
        const parent = await session({ agentName: 'parent-agent', metadata: { origin: true } });
        const messages: Message[] = [];
        for (let i = 0; i < n; i++) {
          clock.advance(10);
          messages.push(
            ...(await storage.addMessages(parent.id, [{ role: (['user', 'assistant', 'tool', 'system'] as const)[i % 4]!, content: `m${i + 1}`, metadata: { i, nested: { deep: [i] } }, idempotencyKey: `key-${i}` }])),
          );
        }
        await storage.setState(parent.id, { step: 1 });
        const state = await storage.setState(parent.id, { step: 2, notes: NASTY_STRINGS });
        const artifacts = [
          await storage.createArtifact({ sessionId: parent.id, name: 'a.txt', type: 'text', path: '/a', size: 1, metadata: { k: 1 } }),
          await storage.createArtifact({ sessionId: parent.id, name: 'b.txt', type: 'text', path: '/b', size: 2, metadata: {} }),
        ];
        return { parent, messages, state, artifacts };
      }
      const history = async (id: string) => (await backend.historyPages([id], { limit: 10_000 })).get(id)!;
      const withoutIdentity = <T extends { id: string; sessionId: string }>(rows: readonly T[]) => rows.map(({ id: _id, sessionId: _s, ...rest }) => rest);

      it('copies the history up to and including the message, the state (version 1) and the artifacts (new ids)', async () => {
        const { parent, messages, state, artifacts } = await parentWith(5);
        clock.advance(60_000);
        const fork = await storage.forkSession(parent.id, messages[2]!.id);
        const s = fork.session;
        expect(s).toEqual({
          ...parent,
          id: s.id,
          status: 'active',
          createdAt: clock.iso(),
          updatedAt: clock.iso(),
          parentId: parent.id,
          forkedFromMessageId: messages[2]!.id,
        });
        expect(s.id).not.toBe(parent.id);
        expect(await backend.stores.sessionMaintenance.byIdsEvenExpired([s.id])).toEqual([s]);

        const copied = await history(s.id);
        expect(copied).toEqual(fork.messages);
        expect(copied.map((m) => m.seq)).toEqual([1, 2, 3]);
        expect(copied.every((m) => m.sessionId === s.id && !messages.some((p) => p.id === m.id))).toBe(true);
        expect(copied.map((m) => m.idempotencyKey)).toEqual([null, null, null]);
        expect(withoutIdentity(copied).map((m) => ({ ...m, idempotencyKey: 'x' }))).toEqual(withoutIdentity(messages.slice(0, 3)).map((m) => ({ ...m, idempotencyKey: 'x' })));

        expect(await backend.statesBySessionIds([s.id])).toEqual([{ ...state, sessionId: s.id, version: 1 }]);
        const copiedArtifacts = (await backend.artifactPages([s.id], { limit: 10 })).get(s.id)!;
        expect(withoutIdentity(copiedArtifacts)).toEqual(withoutIdentity(artifacts));
        expect(copiedArtifacts.some((a) => artifacts.some((p) => p.id === a.id))).toBe(false);

        // the parent is untouched, and each goes on on its own
        expect(await history(parent.id)).toEqual(messages);
        expect(await storage.addMessages(s.id, [{ role: 'user', content: 'fork goes on', metadata: {} }])).toMatchObject([{ seq: 4 }]);
        expect(await storage.addMessages(parent.id, [{ role: 'user', content: 'parent goes on', metadata: {} }])).toMatchObject([{ seq: 6 }]);
        // keys were not copied: the fork takes them as new
        expect(await storage.addMessages(s.id, [{ role: 'user', content: 'm1', metadata: { i: 0, nested: { deep: [0] } }, idempotencyKey: 'key-0' }])).toMatchObject([{ seq: 5 }]);
      });

      it('a fork reads back exactly the prefix it was cut at, wherever it is cut (property)', async () => {
        const { parent, messages } = await parentWith(6);
        await fc.assert(
          fc.asyncProperty(fc.integer({ min: 0, max: 5 }), async (cut) => {
            const { session: fork } = await storage.forkSession(parent.id, messages[cut]!.id);
            const copied = await history(fork.id);
            expect(withoutIdentity(copied)).toEqual(withoutIdentity(messages.slice(0, cut + 1)).map((m) => ({ ...m, idempotencyKey: null })));
            expect(await backend.historyCounts([fork.id])).toEqual(new Map([[fork.id, cut + 1]]));
          }),
          { numRuns: 10 },
        );
      });

      it('takes overrides for agent, user and metadata; copies no state or artifacts the parent lacks', async () => {
        const parent = await session({ agentName: 'p', userId: 'u', metadata: { a: 1 } });
        const [m] = await storage.addMessages(parent.id, [{ role: 'user', content: 'x', metadata: {} }]);
        await storage.sessions.update(parent.id, { status: 'ended' });
        const fork = await storage.forkSession(parent.id, m!.id, { agentName: 'q', userId: 'v', metadata: { b: 2 } });
        expect(fork.session).toMatchObject({ agentName: 'q', userId: 'v', metadata: { b: 2 }, status: 'active' });
        expect(fork.state).toBeNull();
        expect(fork.artifacts).toEqual([]);
        expect(await backend.statesBySessionIds([fork.session.id])).toEqual([]);
        const kept = await storage.forkSession(parent.id, m!.id, { agentName: null });
        expect(kept.session).toMatchObject({ agentName: 'p', userId: 'u', metadata: { a: 1 } });
      });

      it('an unknown session is not found; a message that is not one of its own is invalid input; nothing is created', async () => {
        const a = await session();
        const b = await session();
        const [ofB] = await storage.addMessages(b.id, [{ role: 'user', content: 'b', metadata: {} }]);
        await expect(storage.forkSession('session_unknown', ofB!.id)).rejects.toBeInstanceOf(NotFoundError);
        for (const messageId of [ofB!.id, 'msg_unknown']) {
          const error = await failure(storage.forkSession(a.id, messageId));
          expect(error).toBeInstanceOf(ValidationError);
          expect((error as ValidationError).issues).toEqual([{ path: ['upToMessageId'], message: `must be the id of a message of session ${a.id}` }]);
        }
        expect(await storage.sessions.count({})).toBe(2);
      });

      it('lists the forks of many sessions at once, in creation order, with counts; forks of forks too', async () => {
        const { parent, messages } = await parentWith(3);
        const lonely = await session();
        const f1 = (await storage.forkSession(parent.id, messages[0]!.id)).session;
        const f2 = (await storage.forkSession(parent.id, messages[2]!.id)).session;
        const [f1m] = (await backend.historyPages([f1.id], { limit: 1 })).get(f1.id)!;
        const f11 = (await storage.forkSession(f1.id, f1m!.id)).session;
        expect(f11).toMatchObject({ parentId: f1.id, forkedFromMessageId: f1m!.id });
        const asked = [parent.id, f1.id, f2.id, lonely.id, 'session_unknown'];
        const pages = await storage.sessions.forkPages(asked, { limit: 10 });
        expect(pages).toEqual(new Map([[parent.id, [f1, f2]], [f1.id, [f11]], [f2.id, []], [lonely.id, []], ['session_unknown', []]]));
        expect(await storage.sessions.forkCounts(asked)).toEqual(new Map([[parent.id, 2], [f1.id, 1], [f2.id, 0], [lonely.id, 0], ['session_unknown', 0]]));
        expect(await storage.sessions.forkPages([parent.id], { limit: 1, after: f1.id })).toEqual(new Map([[parent.id, [f2]]]));
        expect(await storage.sessions.forkPages([parent.id], { limit: 1, fromEnd: true })).toEqual(new Map([[parent.id, [f2]]]));
        expect(await storage.sessions.forkPages([parent.id, f1.id], { limit: 1, offset: 1 })).toEqual(new Map([[parent.id, [f2]], [f1.id, []]]));
      });

      it('deleting the parent leaves its forks, which forget their parent but keep where they were cut', async () => {
        const { parent, messages } = await parentWith(2);
        const fork = (await storage.forkSession(parent.id, messages[1]!.id)).session;
        const grandchild = (await storage.forkSession(fork.id, (await history(fork.id))[0]!.id)).session;
        await storage.sessions.delete(parent.id);
        const [orphan] = await backend.stores.sessionMaintenance.byIdsEvenExpired([fork.id]);
        expect(orphan).toEqual({ ...fork, parentId: null, forkedFromMessageId: messages[1]!.id });
        expect(await history(fork.id)).toHaveLength(2);
        expect(await storage.sessions.forkPages([fork.id], { limit: 10 })).toEqual(new Map([[fork.id, [grandchild]]]));
      });

      it('a fork taken while the parent is being appended to copies exactly the prefix up to its message', async () => {
        const { parent, messages } = await parentWith(3);
        const appends = Array.from({ length: 10 }, (_, i) => storage.addMessages(parent.id, [{ role: 'user', content: `late ${i}`, metadata: {} }]));
        const forks = Array.from({ length: 3 }, () => storage.forkSession(parent.id, messages[1]!.id));
        await Promise.all(appends);
        for (const { session: fork } of await Promise.all(forks)) {
          expect((await history(fork.id)).map((m) => m.content)).toEqual(['m1', 'm2']);
        }
        expect(await backend.historyCounts([parent.id])).toEqual(new Map([[parent.id, 13]]));
      });

    });

    // --- moving data: what version 2 added ---------------------------------------------------------

    describe('import of versions, keys and forks', () => {
      it('keeps state versions, idempotency keys and fork fields; a fork whose parent is not there yet is linked later', async () => {
        const parent = await session();
        const [m] = await storage.addMessages(parent.id, [{ role: 'user', content: 'x', metadata: {}, idempotencyKey: 'k' }]);
        await storage.setState(parent.id, 1);
        await storage.setState(parent.id, 2);
        const fork = await storage.forkSession(parent.id, m!.id);
        const parentBundle: SessionBundle = {
          session: (await backend.stores.sessionMaintenance.byIdsEvenExpired([parent.id]))[0]!,
          messages: await (async () => (await backend.historyPages([parent.id], { limit: 10 })).get(parent.id)!)(),
          state: (await backend.statesBySessionIds([parent.id]))[0]!,
          artifacts: [],
        };
        expect(parentBundle.state!.version).toBe(2);
        expect(parentBundle.messages[0]!.idempotencyKey).toBe('k');

        // into an empty backend, fork first (as an export lists them: newest first)
        const { backend: target, cleanup: cleanupTarget } = await makeBackend();
        try {
          expect(await target.importSession(fork)).toMatchObject({ sessions: 1 });
          expect((await target.stores.sessionMaintenance.byIdsEvenExpired([fork.session.id]))[0]).toEqual({ ...fork.session, parentId: null });
          expect(await target.importSession(parentBundle)).toMatchObject({ sessions: 1, messages: 1, states: 1 });
          expect(await target.linkParents([{ id: fork.session.id, parentId: parent.id }, { id: parent.id, parentId: 'session_elsewhere' }])).toBe(1);
          expect(await target.linkParents([{ id: fork.session.id, parentId: parent.id }])).toBe(0);
          expect((await target.stores.sessionMaintenance.byIdsEvenExpired([fork.session.id]))[0]).toEqual(fork.session);
          expect((await target.stores.sessionMaintenance.byIdsEvenExpired([parent.id]))[0]).toEqual(parentBundle.session);
          expect(await target.statesBySessionIds([parent.id])).toEqual([parentBundle.state]);
          expect((await target.historyPages([parent.id], { limit: 10 })).get(parent.id)).toEqual(parentBundle.messages);
          // the imported key still makes a repeat a repeat
          const target2 = new Storage(target, clock, ids);
          expect(await target2.addMessages(parent.id, [{ role: 'user', content: 'x', metadata: {}, idempotencyKey: 'k' }])).toEqual(parentBundle.messages);
          // importing the fork again changes nothing
          expect(await target.importSession(fork)).toEqual({ sessions: 0, messages: 0, states: 0, artifacts: 0 });
        } finally {
          await cleanupTarget();
        }
      });

      it('a message whose idempotency key is taken by another message of the session is a ConflictError', async () => {
        const s = await session();
        await storage.addMessages(s.id, [{ role: 'user', content: 'x', metadata: {}, idempotencyKey: 'taken' }]);
        const before = (await backend.historyPages([s.id], { limit: 10 })).get(s.id);
        const clash: Message = { ...message('other'), sessionId: s.id, seq: 7, idempotencyKey: 'taken' };
        await expect(backend.importSession({ session: (await backend.stores.sessionMaintenance.byIdsEvenExpired([s.id]))[0]!, messages: [clash], state: null, artifacts: [] })).rejects.toBeInstanceOf(
          ConflictError,
        );
        expect((await backend.historyPages([s.id], { limit: 10 })).get(s.id)).toEqual(before);
      });
    });

    // --- JSON and text fidelity ----------------------------------------------------------------

    describe('JSON and text round-trips', () => {
      it('every JSON column returns what JSON.stringify/parse would', async () => {
        const expected = viaJson(NASTY_JSON);
        const s = await session({ metadata: NASTY_JSON });
        expect((await backend.stores.sessionMaintenance.byIdsEvenExpired([s.id]))[0]!.metadata).toEqual(expected);

        const [m] = (await backend.appendMessages(s.id, forSession(s.id, [message('x', 'user', NASTY_JSON)])))!;
        expect((await backend.messagesByIds([m!.id]))[0]!.metadata).toEqual(expected);

        await backend.putState({ sessionId: s.id, data: NASTY_JSON, updatedAt: clock.iso() });
        expect((await backend.statesBySessionIds([s.id]))[0]!.data).toEqual(expected);

        const a = artifact(s.id, { metadata: NASTY_JSON });
        await backend.insertArtifact(a);
        expect((await backend.artifactsByIds([a.id]))[0]!.metadata).toEqual(expected);

        const mt = metric({ labels: NASTY_JSON });
        await backend.insertMetrics([mt]);
        expect((await backend.listMetrics({}, { limit: 1 }))[0]!.labels).toEqual(expected);


        const patched = await backend.stores.sessions.update(s.id, { metadata: { again: NASTY_JSON }, updatedAt: clock.iso() }, clock.iso());
        expect(patched!.metadata).toEqual({ again: expected });
        expect((await backend.stores.sessionMaintenance.byIdsEvenExpired([s.id]))[0]!.metadata).toEqual({ again: expected });
      });

      it('keeps JSON nested to the 64-level limit', async () => {
        const deep = nested(64);
        const s = await session({ metadata: { deep } });
        expect((await backend.stores.sessionMaintenance.byIdsEvenExpired([s.id]))[0]!.metadata).toEqual({ deep });
        await backend.putState({ sessionId: s.id, data: deep, updatedAt: clock.iso() });
        expect((await backend.statesBySessionIds([s.id]))[0]!.data).toEqual(deep);
      });

      it('message content keeps unicode, quotes, backslashes, control and NUL characters', async () => {
        const s = await session();
        const texts = [...NASTY_STRINGS, '\u0000', '\u0000\u0000leading NULs'];
        const added = (await backend.appendMessages(s.id, forSession(s.id, texts.map((t) => message(t)))))!;
        expect((await backend.historyPages([s.id], { limit: 100 })).get(s.id)!.map((m) => m.content)).toEqual(texts);
        expect(sortById(await backend.messagesByIds(added.map((m) => m.id))).map((m) => m.content)).toEqual(sortById(added).map((m) => m.content));
      });

      it('names and ids keep unicode, quotes and backslashes, and filter by exact value', async () => {
        // Identifiers never contain NUL (the input schemas refuse it), so it is not asked of backends here.
        for (const text of NASTY_STRINGS.filter((t) => t !== '' && !t.includes('\u0000'))) {
          const s = await session({ agentName: text, userId: text });
          const a = artifact(s.id, { name: text, type: text, path: text });
          await backend.insertArtifact(a);
          const mt = metric({ entityType: text, entityName: text, metricName: text, sessionId: s.id });
          await backend.insertMetrics([mt]);

          expect(await backend.stores.sessionMaintenance.byIdsEvenExpired([s.id])).toEqual([s]);
          expect(await backend.stores.sessionMaintenance.listEvenExpired({ agentName: text, userId: text }, { limit: 10 })).toEqual([s]);
          expect(await backend.artifactsByIds([a.id])).toEqual([a]);
          expect(await backend.listMetrics({ entityType: text, entityName: text, metricName: text }, { limit: 10 })).toEqual([mt]);
        }
        // wildcards and case are not interpreted: only the exact value matches
        expect(await backend.stores.sessionMaintenance.listEvenExpired({ agentName: '%' }, { limit: 10 })).toEqual([]);
        expect(await backend.stores.sessionMaintenance.listEvenExpired({ agentName: 'PLAIN' }, { limit: 10 })).toEqual([]);
      });

      it('stores messages and JSON larger than 100 KB', async () => {
        const s = await session();
        const big = `${'lorem ipsum 😀 مرحبا \u0000 "quoted" \\ '.repeat(4000)}end`;
        expect(big.length).toBeGreaterThan(100_000);
        const [m] = (await backend.appendMessages(s.id, forSession(s.id, [message(big)])))!;
        expect((await backend.messagesByIds([m!.id]))[0]!.content).toBe(big);
        expect((await backend.historyPages([s.id], { limit: 1 })).get(s.id)![0]!.content).toBe(big);

        const data = { chunks: Array.from({ length: 200 }, (_, i) => ({ i, text: big.slice(i, i + 1000) })) };
        expect(JSON.stringify(data).length).toBeGreaterThan(100_000);
        await backend.putState({ sessionId: s.id, data, updatedAt: clock.iso() });
        expect((await backend.statesBySessionIds([s.id]))[0]!.data).toEqual(viaJson(data));
      });

      it('any JSON value (any string units, lone surrogates and NUL included) round-trips through state (property)', async () => {
        const s = await session();
        await fc.assert(
          fc.asyncProperty(fc.jsonValue({ maxDepth: 6, stringUnit: 'binary' }), async (value) => {
            const data = value as Json;
            await backend.putState({ sessionId: s.id, data, updatedAt: clock.iso() });
            expect((await backend.statesBySessionIds([s.id]))[0]!.data).toEqual(viaJson(data));
          }),
          { numRuns: RUNS * 2 },
        );
      });
    });
  });
}
