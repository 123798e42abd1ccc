import fc from 'fast-check';
import { describe, expect } from 'vitest';
import type { Json, JsonObject } from '../../../src/domain/json.js';
import type { Message, Session } from '../../../src/domain/records.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/domain/errors.js';
import type { SessionBundle } from '../../../src/modules/sessions/bundle.js';
import type { ImportCounts } from '../../../src/modules/sessions/import.js';
import { Storage } from '../../../src/storage/storage.js';
import { describeOnDatabases, forSession } from '../../support/store-fixture.js';
import { sortById } from '../../support/slices.js';
import { NASTY_JSON, NASTY_STRINGS, nested, viaJson } from '../../storage/support.js';

/**
 * Forks (`ForkStore`, through `Storage.forkSession`) and the export/import CLI's writes
 * (`SessionImport`), and what they write read back exactly through every module's store: written
 * only against the interfaces, so that SQLite and PostgreSQL run exactly the same cases. Errors are
 * compared by class, code and message.
 *
 * Each test gets a fresh, empty, migrated database. Property-based tests share one database across
 * their runs and keep runs apart by creating fresh sessions per run.
 */

/** Runs per property: enough to hit edge cases, few enough for a disk-synced database. */
const RUNS = 50;

/** The words of an import refused because a different message holds the seq or key of one of its messages. */
const importConflict = (m: Pick<Message, 'id' | 'seq' | 'idempotencyKey' | 'sessionId'>, taken: 'seq' | 'key') => ({
  code: 'CONFLICT',
  message: `Message ${m.id} cannot be imported: ${taken === 'seq' ? `seq ${m.seq}` : `its idempotency key ${JSON.stringify(m.idempotencyKey)}`} of session ${m.sessionId} is taken by another message`,
});

const T = (second: number) => new Date(Date.UTC(2025, 5, 1, 12, 0, second)).toISOString();

describeOnDatabases('forks and imports', (test) => {
  const it = test
    .extend('imports', ({ stores }) => stores.sessionImport)
    /** A session bundle as an export would carry it, with its own ids and timestamps (not the clock's). */
    .extend('bundleOf', ({ ids, artifact }) => (seqs: readonly number[], options: { state?: boolean; artifacts?: number; metadata?: JsonObject } = {}): SessionBundle => {
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
          // Some structured: forks and imports carry items as they carry content.
          item: i % 3 === 0 ? { type: 'function_call', name: 'lookup', arguments: `{"seq":${seq}}` } : null,
          timestamp: T(2 + i),
          metadata: { i, meta: options.metadata ?? null },
          idempotencyKey: null,
          tokenCount: i % 2 === 0 ? seq * 7 : null,
        }),
      );
      const state = options.state === false ? null : { sessionId: s.id, data: { step: seqs.length, meta: options.metadata ?? null }, updatedAt: T(40), version: 1 };
      const artifacts = Array.from({ length: options.artifacts ?? 2 }, (_, i) =>
        artifact(s.id, { name: `file-${i}`, size: i * 1000, createdAt: T(30 + i), metadata: { i } }),
      );
      // As the records come back from any JSON column (-0 becomes 0), so that equality is exact.
      return viaJson({ session: s, messages, state, artifacts });
    })
    /** What the stores hold of a session, expired or not. */
    .extend('readBack', ({ stores }) => async (sessionId: string) => ({
      session: (await stores.sessionMaintenance.byIdsIncludingExpired([sessionId]))[0] ?? null,
      messages: (await stores.history.pagesIncludingExpired([sessionId], { limit: 10_000 })).get(sessionId)!,
      state: (await stores.state.bySessionIdsIncludingExpired([sessionId]))[0] ?? null,
      artifacts: (await stores.artifacts.pagesIncludingExpired([sessionId], { limit: 10_000 })).get(sessionId)!,
    }))
    /** A parent with a history of `n` messages (awkward metadata, several timestamps), state and artifacts. */
    .extend('parentWith', ({ session, clock, storage }) => async (n: number) => {
      const parent = await session({ agentName: 'parent-agent', metadata: { origin: true } });
      const messages: Message[] = [];
      for (let i = 0; i < n; i++) {
        clock.advance(10);
        messages.push(
          ...(await storage.history.addMany(parent.id, [{ role: (['user', 'assistant', 'tool', 'system'] as const)[i % 4]!, content: `m${i + 1}`, metadata: { i, nested: { deep: [i] } }, idempotencyKey: `key-${i}` }])),
        );
      }
      await storage.state.set(parent.id, { step: 1 });
      const state = await storage.state.set(parent.id, { step: 2, notes: NASTY_STRINGS });
      const artifacts = [
        await storage.artifacts.create({ sessionId: parent.id, name: 'a.txt', type: 'text', path: '/a', size: 1, metadata: { k: 1 } }),
        await storage.artifacts.create({ sessionId: parent.id, name: 'b.txt', type: 'text', path: '/b', size: 2, metadata: {} }),
      ];
      return { parent, messages, state, artifacts };
    })
    /** A session's whole history, expired or not. */
    .extend('history', ({ stores }) => async (id: string) => (await stores.history.pagesIncludingExpired([id], { limit: 10_000 })).get(id)!);

  // --- moving data ---------------------------------------------------------------------------

  describe('import', () => {
    it('writes a session exactly as given: ids, timestamps, seq (gaps kept), JSON and order', async ({ backend, imports, clock, bundleOf, readBack }) => {
      const bundle = bundleOf([3, 4, 9], { metadata: NASTY_JSON, artifacts: 3 });
      expect(await imports.importSession(bundle)).toEqual({ sessions: 1, messages: 3, states: 1, artifacts: 3, contents: 0 });
      expect(await readBack(bundle.session.id)).toEqual(bundle);
      expect(sortById(await backend.stores.history.byIdsIncludingExpired(bundle.messages.map((m) => m.id)))).toEqual(sortById(bundle.messages));
      expect(await backend.stores.artifacts.byIds([bundle.artifacts[1]!.id], clock.iso())).toEqual([bundle.artifacts[1]]);
      expect(await backend.stores.history.countsIncludingExpired([bundle.session.id])).toEqual(new Map([[bundle.session.id, 3]]));
      expect(await backend.stores.sessionMaintenance.listIncludingExpired({ agentName: 'imported-agent' }, { limit: 10 })).toEqual([bundle.session]);
    });

    it('message contents of any text (NUL included) round-trip through an import and a fork', async ({ backend, imports, storage, bundleOf, readBack }) => {
      const base = bundleOf(NASTY_STRINGS.map((_, i) => i + 1));
      const bundle = { ...base, messages: base.messages.map((m, i) => ({ ...m, content: NASTY_STRINGS[i]! })) };
      await imports.importSession(bundle);
      expect(await readBack(bundle.session.id)).toEqual(bundle);
      const fork = await storage.sessions.fork(bundle.session.id, bundle.messages.at(-1)!.id);
      expect((await backend.stores.history.pagesIncludingExpired([fork.session.id], { limit: 10_000 })).get(fork.session.id)!.map((m) => m.content)).toEqual(NASTY_STRINGS);
    });

    it('refuses records that belong to another session, writing nothing', async ({ backend, imports, bundleOf }) => {
      const other = bundleOf([1]);
      const bundle = bundleOf([1, 2]);
      const mixed = { ...bundle, messages: [bundle.messages[0]!, { ...other.messages[0]!, seq: 2 }] };
      const error = await imports.importSession(mixed).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: ['messages', 1, 'sessionId'], message: `must be the bundle's session ${bundle.session.id}` }] });
      expect(await backend.stores.sessionMaintenance.byIdsIncludingExpired([bundle.session.id])).toEqual([]);
      expect(await backend.stores.history.byIdsIncludingExpired(mixed.messages.map((m) => m.id))).toEqual([]);
    });

    it('later appends continue after the largest imported seq', async ({ backend, imports, clock, message, bundleOf }) => {
      const bundle = bundleOf([3, 4, 9]);
      await imports.importSession(bundle);
      const added = await backend.stores.history.append(bundle.session.id, forSession(bundle.session.id, [message('next'), message('after')]), clock.iso());
      expect(added!.map((m) => m.seq)).toEqual([10, 11]);
    });

    it('is idempotent: importing the same bundle again writes nothing and reports nothing new', async ({ backend, imports, clock, bundleOf, readBack }) => {
      const bundle = bundleOf([1, 2, 3]);
      await imports.importSession(bundle);
      expect(await imports.importSession(bundle)).toEqual({ sessions: 0, messages: 0, states: 0, artifacts: 0, contents: 0 });
      expect(await imports.importSession(bundle)).toEqual({ sessions: 0, messages: 0, states: 0, artifacts: 0, contents: 0 });
      expect(await readBack(bundle.session.id)).toEqual(bundle);
      expect(await backend.stores.sessions.count({}, clock.iso())).toBe(1);
      expect(await backend.stores.artifacts.counts([bundle.session.id], clock.iso())).toEqual(new Map([[bundle.session.id, 2]]));
    });

    it('a session with no messages, state or artifacts imports, and its appends start at seq 1', async ({ backend, imports, clock, message, bundleOf, readBack }) => {
      const bundle = bundleOf([], { state: false, artifacts: 0 });
      expect(await imports.importSession(bundle)).toEqual({ sessions: 1, messages: 0, states: 0, artifacts: 0, contents: 0 });
      expect(await readBack(bundle.session.id)).toEqual(bundle);
      const added = await backend.stores.history.append(bundle.session.id, forSession(bundle.session.id, [message('first')]), clock.iso());
      expect(added!.map((m) => m.seq)).toEqual([1]);
    });

    it('into an existing session: rows already there are left as they are, only missing ones are added', async ({ backend, imports, clock, session, message, artifact, readBack }) => {
      const s = await session({ agentName: 'live' });
      const live = (await backend.stores.history.append(s.id, forSession(s.id, [message('one'), message('two')]), clock.iso()))!;
      await backend.stores.state.put({ sessionId: s.id, data: 'target state', updatedAt: clock.iso() }, clock.iso());
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
      expect(await imports.importSession(bundle)).toEqual({ sessions: 0, messages: 2, states: 0, artifacts: 1, contents: 0 });
      expect(await readBack(s.id)).toEqual({
        session: renamed,
        messages: [...live, ...newer],
        state: { sessionId: s.id, data: 'target state', updatedAt: expect.any(String), version: 1 },
        artifacts: [extra],
      });
      const next = await backend.stores.history.append(s.id, forSession(s.id, [message('five')]), clock.iso());
      expect(next!.map((m) => m.seq)).toEqual([5]);

      // an older, shorter bundle never moves the sequence back
      expect(await imports.importSession({ ...bundle, messages: live.slice(0, 1) })).toEqual({ sessions: 0, messages: 0, states: 0, artifacts: 0, contents: 0 });
      const last = await backend.stores.history.append(s.id, forSession(s.id, [message('six')]), clock.iso());
      expect(last!.map((m) => m.seq)).toEqual([6]);
    });

    it('a seq taken by a different message is a ConflictError, and nothing of the session is written', async ({ backend, imports, clock, session, message, artifact, readBack }) => {
      const s = await session();
      const existing = (await backend.stores.history.append(s.id, forSession(s.id, [message('a'), message('b'), message('c')]), clock.iso()))!;
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
      const error = await imports.importSession(bundle).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject(importConflict(clash, 'seq'));
      expect(await readBack(s.id)).toEqual(before);
      expect(await backend.stores.history.byIdsIncludingExpired([clash.id, bundle.messages[1]!.id])).toEqual([]);
      const next = await backend.stores.history.append(s.id, forSession(s.id, [message('d')]), clock.iso());
      expect(next!.map((m) => m.seq)).toEqual([4]);
    });

    it('a new session whose bundle repeats a seq is a ConflictError and is not created at all', async ({ backend, imports, clock, bundleOf, readBack }) => {
      const bundle = bundleOf([1, 2, 2]);
      const error = await imports.importSession(bundle).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject(importConflict(bundle.messages[2]!, 'seq'));
      expect(await readBack(bundle.session.id)).toEqual({ session: null, messages: [], state: null, artifacts: [] });
      expect(await backend.stores.history.byIdsIncludingExpired(bundle.messages.map((m) => m.id))).toEqual([]);
      expect(await backend.stores.artifacts.byIds(bundle.artifacts.map((a) => a.id), clock.iso())).toEqual([]);
      expect(await backend.stores.sessions.count({}, clock.iso())).toBe(0);
    });

    it('importing pieces of a session in any order, any number of times, ends with exactly the whole (property)', async ({ backend, imports, clock, message, bundleOf, readBack }) => {
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
            const total = { sessions: 0, messages: 0, states: 0, artifacts: 0, contents: 0 };
            const add = (c: ImportCounts) => {
              for (const key of Object.keys(total) as (keyof ImportCounts)[]) total[key] += c[key];
            };
            for (const piece of pieces) {
              add(
                await imports.importSession({
                  session: whole.session,
                  messages: whole.messages.filter((_, i) => piece.messages.includes(i)),
                  state: piece.state ? whole.state : null,
                  artifacts: whole.artifacts.filter((_, i) => piece.artifacts.includes(i)),
                }),
              );
            }
            add(await imports.importSession(whole));
            expect(total).toEqual({ sessions: 1, messages: messageCount, states: withState ? 1 : 0, artifacts: artifactCount, contents: 0 });
            expect(await readBack(whole.session.id)).toEqual(whole);
            const next = await backend.stores.history.append(whole.session.id, forSession(whole.session.id, [message('next')]), clock.iso());
            expect(next![0]!.seq).toBe(messageCount === 0 ? 1 : 2 * (messageCount - 1) + 5 + 1);
          },
        ),
        { numRuns: RUNS },
      );
    });
  });

  // --- forks -----------------------------------------------------------------------------------

  describe('forks', () => {
    /** The error a promise rejects with (or undefined when it resolves). */
    const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

    const withoutIdentity = <T extends { id: string; sessionId: string }>(rows: readonly T[]) => rows.map(({ id: _id, sessionId: _s, ...rest }) => rest);

    it('copies the history up to and including the message, the state (version 1) and the artifacts (new ids)', async ({ backend, clock, storage, parentWith, history }) => {
      const { parent, messages, state, artifacts } = await parentWith(5);
      clock.advance(60_000);
      const fork = await storage.sessions.fork(parent.id, messages[2]!.id);
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
      expect(await backend.stores.sessionMaintenance.byIdsIncludingExpired([s.id])).toEqual([s]);

      const copied = await history(s.id);
      expect(copied).toEqual(fork.messages);
      expect(copied.map((m) => m.seq)).toEqual([1, 2, 3]);
      expect(copied.every((m) => m.sessionId === s.id && !messages.some((p) => p.id === m.id))).toBe(true);
      expect(copied.map((m) => m.idempotencyKey)).toEqual([null, null, null]);
      expect(withoutIdentity(copied).map((m) => ({ ...m, idempotencyKey: 'x' }))).toEqual(withoutIdentity(messages.slice(0, 3)).map((m) => ({ ...m, idempotencyKey: 'x' })));

      expect(await backend.stores.state.bySessionIdsIncludingExpired([s.id])).toEqual([{ ...state, sessionId: s.id, version: 1 }]);
      const copiedArtifacts = (await backend.stores.artifacts.pagesIncludingExpired([s.id], { limit: 10 })).get(s.id)!;
      expect(withoutIdentity(copiedArtifacts)).toEqual(withoutIdentity(artifacts));
      expect(copiedArtifacts.some((a) => artifacts.some((p) => p.id === a.id))).toBe(false);

      // the parent is untouched, and each goes on on its own
      expect(await history(parent.id)).toEqual(messages);
      expect(await storage.history.addMany(s.id, [{ role: 'user', content: 'fork goes on', metadata: {} }])).toMatchObject([{ seq: 4 }]);
      expect(await storage.history.addMany(parent.id, [{ role: 'user', content: 'parent goes on', metadata: {} }])).toMatchObject([{ seq: 6 }]);
      // keys were not copied: the fork takes them as new
      expect(await storage.history.addMany(s.id, [{ role: 'user', content: 'm1', metadata: { i: 0, nested: { deep: [0] } }, idempotencyKey: 'key-0' }])).toMatchObject([{ seq: 5 }]);
    });

    it('a fork reads back exactly the prefix it was cut at, wherever it is cut (property)', async ({ backend, storage, parentWith, history }) => {
      const { parent, messages } = await parentWith(6);
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 5 }), async (cut) => {
          const { session: fork } = await storage.sessions.fork(parent.id, messages[cut]!.id);
          const copied = await history(fork.id);
          expect(withoutIdentity(copied)).toEqual(withoutIdentity(messages.slice(0, cut + 1)).map((m) => ({ ...m, idempotencyKey: null })));
          expect(await backend.stores.history.countsIncludingExpired([fork.id])).toEqual(new Map([[fork.id, cut + 1]]));
        }),
        { numRuns: 10 },
      );
    });

    it('takes overrides for agent, user and metadata; copies no state or artifacts the parent lacks', async ({ backend, storage, session }) => {
      const parent = await session({ agentName: 'p', userId: 'u', metadata: { a: 1 } });
      const [m] = await storage.history.addMany(parent.id, [{ role: 'user', content: 'x', metadata: {} }]);
      await storage.sessions.update(parent.id, { status: 'ended' });
      const fork = await storage.sessions.fork(parent.id, m!.id, { agentName: 'q', userId: 'v', metadata: { b: 2 } });
      expect(fork.session).toMatchObject({ agentName: 'q', userId: 'v', metadata: { b: 2 }, status: 'active' });
      expect(fork.state).toBeNull();
      expect(fork.artifacts).toEqual([]);
      expect(await backend.stores.state.bySessionIdsIncludingExpired([fork.session.id])).toEqual([]);
      const kept = await storage.sessions.fork(parent.id, m!.id, { agentName: null });
      expect(kept.session).toMatchObject({ agentName: 'p', userId: 'u', metadata: { a: 1 } });
    });

    it('an unknown session is not found; a message that is not one of its own is invalid input; nothing is created', async ({ backend, clock, storage, session }) => {
      const a = await session();
      const b = await session();
      const [ofB] = await storage.history.addMany(b.id, [{ role: 'user', content: 'b', metadata: {} }]);
      await expect(storage.sessions.fork('session_unknown', ofB!.id)).rejects.toBeInstanceOf(NotFoundError);
      for (const messageId of [ofB!.id, 'msg_unknown']) {
        const error = await failure(storage.sessions.fork(a.id, messageId));
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).issues).toEqual([{ path: ['upToMessageId'], message: `must be the id of a message of session ${a.id}` }]);
      }
      expect(await backend.stores.sessions.count({}, clock.iso())).toBe(2);
    });

    it('lists the forks of many sessions at once, in creation order, with counts; forks of forks too', async ({ backend, clock, storage, session, parentWith }) => {
      const { parent, messages } = await parentWith(3);
      const lonely = await session();
      const f1 = (await storage.sessions.fork(parent.id, messages[0]!.id)).session;
      const f2 = (await storage.sessions.fork(parent.id, messages[2]!.id)).session;
      const [f1m] = (await backend.stores.history.pagesIncludingExpired([f1.id], { limit: 1 })).get(f1.id)!;
      const f11 = (await storage.sessions.fork(f1.id, f1m!.id)).session;
      expect(f11).toMatchObject({ parentId: f1.id, forkedFromMessageId: f1m!.id });
      const asked = [parent.id, f1.id, f2.id, lonely.id, 'session_unknown'];
      const pages = await backend.stores.sessions.forkPages(asked, { limit: 10 }, clock.iso());
      expect(pages).toEqual(new Map([[parent.id, [f1, f2]], [f1.id, [f11]], [f2.id, []], [lonely.id, []], ['session_unknown', []]]));
      expect(await backend.stores.sessions.forkCounts(asked, clock.iso())).toEqual(new Map([[parent.id, 2], [f1.id, 1], [f2.id, 0], [lonely.id, 0], ['session_unknown', 0]]));
      expect(await backend.stores.sessions.forkPages([parent.id], { limit: 1, after: f1.id }, clock.iso())).toEqual(new Map([[parent.id, [f2]]]));
      expect(await backend.stores.sessions.forkPages([parent.id], { limit: 1, fromEnd: true }, clock.iso())).toEqual(new Map([[parent.id, [f2]]]));
      expect(await backend.stores.sessions.forkPages([parent.id, f1.id], { limit: 1, offset: 1 }, clock.iso())).toEqual(new Map([[parent.id, [f2]], [f1.id, []]]));
    });

    it('deleting the parent leaves its forks, which forget their parent but keep where they were cut', async ({ backend, clock, storage, parentWith, history }) => {
      const { parent, messages } = await parentWith(2);
      const fork = (await storage.sessions.fork(parent.id, messages[1]!.id)).session;
      const grandchild = (await storage.sessions.fork(fork.id, (await history(fork.id))[0]!.id)).session;
      await storage.sessions.delete(parent.id);
      const [orphan] = await backend.stores.sessionMaintenance.byIdsIncludingExpired([fork.id]);
      expect(orphan).toEqual({ ...fork, parentId: null, forkedFromMessageId: messages[1]!.id });
      expect(await history(fork.id)).toHaveLength(2);
      expect(await backend.stores.sessions.forkPages([fork.id], { limit: 10 }, clock.iso())).toEqual(new Map([[fork.id, [grandchild]]]));
    });

    it('a fork taken while the parent is being appended to copies exactly the prefix up to its message', async ({ backend, storage, parentWith, history }) => {
      const { parent, messages } = await parentWith(3);
      const appends = Array.from({ length: 10 }, (_, i) => storage.history.addMany(parent.id, [{ role: 'user', content: `late ${i}`, metadata: {} }]));
      const forks = Array.from({ length: 3 }, () => storage.sessions.fork(parent.id, messages[1]!.id));
      await Promise.all(appends);
      for (const { session: fork } of await Promise.all(forks)) {
        expect((await history(fork.id)).map((m) => m.content)).toEqual(['m1', 'm2']);
      }
      expect(await backend.stores.history.countsIncludingExpired([parent.id])).toEqual(new Map([[parent.id, 13]]));
    });

  });

  // --- moving data: what version 2 added ---------------------------------------------------------

  describe('import of versions, keys and forks', () => {
    it('keeps state versions, idempotency keys and fork fields; a fork whose parent is not there yet is linked later', async ({ backend, otherBackend: target, clock, ids, storage, session }) => {
      const parent = await session();
      const [m] = await storage.history.addMany(parent.id, [{ role: 'user', content: 'x', metadata: {}, idempotencyKey: 'k' }]);
      await storage.state.set(parent.id, 1);
      await storage.state.set(parent.id, 2);
      const fork = await storage.sessions.fork(parent.id, m!.id);
      const parentBundle: SessionBundle = {
        session: (await backend.stores.sessionMaintenance.byIdsIncludingExpired([parent.id]))[0]!,
        messages: await (async () => (await backend.stores.history.pagesIncludingExpired([parent.id], { limit: 10 })).get(parent.id)!)(),
        state: (await backend.stores.state.bySessionIdsIncludingExpired([parent.id]))[0]!,
        artifacts: [],
      };
      expect(parentBundle.state!.version).toBe(2);
      expect(parentBundle.messages[0]!.idempotencyKey).toBe('k');

      // into an empty backend, fork first (as an export lists them: newest first)
      expect(await target.stores.sessionImport.importSession(fork)).toMatchObject({ sessions: 1 });
      expect((await target.stores.sessionMaintenance.byIdsIncludingExpired([fork.session.id]))[0]).toEqual({ ...fork.session, parentId: null });
      expect(await target.stores.sessionImport.importSession(parentBundle)).toMatchObject({ sessions: 1, messages: 1, states: 1 });
      expect(await target.stores.sessionImport.linkParents([{ id: fork.session.id, parentId: parent.id }, { id: parent.id, parentId: 'session_elsewhere' }])).toBe(1);
      expect(await target.stores.sessionImport.linkParents([{ id: fork.session.id, parentId: parent.id }])).toBe(0);
      expect((await target.stores.sessionMaintenance.byIdsIncludingExpired([fork.session.id]))[0]).toEqual(fork.session);
      expect((await target.stores.sessionMaintenance.byIdsIncludingExpired([parent.id]))[0]).toEqual(parentBundle.session);
      expect(await target.stores.state.bySessionIdsIncludingExpired([parent.id])).toEqual([parentBundle.state]);
      expect((await target.stores.history.pagesIncludingExpired([parent.id], { limit: 10 })).get(parent.id)).toEqual(parentBundle.messages);
      // the imported key still makes a repeat a repeat
      const target2 = new Storage(target, clock, ids);
      expect(await target2.history.addMany(parent.id, [{ role: 'user', content: 'x', metadata: {}, idempotencyKey: 'k' }])).toEqual(parentBundle.messages);
      // importing the fork again changes nothing
      expect(await target.stores.sessionImport.importSession(fork)).toEqual({ sessions: 0, messages: 0, states: 0, artifacts: 0, contents: 0 });
    });

    it('a message whose idempotency key is taken by another message of the session is a ConflictError', async ({ backend, imports, storage, session, message }) => {
      const s = await session();
      await storage.history.addMany(s.id, [{ role: 'user', content: 'x', metadata: {}, idempotencyKey: 'taken' }]);
      const before = (await backend.stores.history.pagesIncludingExpired([s.id], { limit: 10 })).get(s.id);
      const clash: Message = { ...message('other'), sessionId: s.id, seq: 7, idempotencyKey: 'taken' };
      const error = await imports
        .importSession({ session: (await backend.stores.sessionMaintenance.byIdsIncludingExpired([s.id]))[0]!, messages: [clash], state: null, artifacts: [] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject(importConflict(clash, 'key'));
      expect((await backend.stores.history.pagesIncludingExpired([s.id], { limit: 10 })).get(s.id)).toEqual(before);
    });
  });

  // --- JSON and text fidelity ----------------------------------------------------------------

  describe('JSON and text round-trips', () => {
    it('every JSON column returns what JSON.stringify/parse would', async ({ backend, clock, session, artifact }) => {
      const expected = viaJson(NASTY_JSON);
      const s = await session({ metadata: NASTY_JSON });
      expect((await backend.stores.sessionMaintenance.byIdsIncludingExpired([s.id]))[0]!.metadata).toEqual(expected);

      await backend.stores.state.put({ sessionId: s.id, data: NASTY_JSON, updatedAt: clock.iso() }, clock.iso());
      expect((await backend.stores.state.bySessionIdsIncludingExpired([s.id]))[0]!.data).toEqual(expected);

      const a = artifact(s.id, { metadata: NASTY_JSON });
      await backend.stores.artifacts.insert(a, clock.iso());
      expect((await backend.stores.artifacts.byIds([a.id], clock.iso()))[0]!.metadata).toEqual(expected);

      const patched = await backend.stores.sessions.update(s.id, { metadata: { again: NASTY_JSON }, updatedAt: clock.iso() }, clock.iso());
      expect(patched!.metadata).toEqual({ again: expected });
      expect((await backend.stores.sessionMaintenance.byIdsIncludingExpired([s.id]))[0]!.metadata).toEqual({ again: expected });
    });

    it('keeps JSON nested to the 64-level limit', async ({ backend, clock, session }) => {
      const deep = nested(64);
      const s = await session({ metadata: { deep } });
      expect((await backend.stores.sessionMaintenance.byIdsIncludingExpired([s.id]))[0]!.metadata).toEqual({ deep });
      await backend.stores.state.put({ sessionId: s.id, data: deep, updatedAt: clock.iso() }, clock.iso());
      expect((await backend.stores.state.bySessionIdsIncludingExpired([s.id]))[0]!.data).toEqual(deep);
    });

    it('names and ids keep unicode, quotes and backslashes, and filter by exact value', async ({ backend, clock, session, artifact }) => {
      // Identifiers never contain NUL (the input schemas refuse it), so it is not asked of backends here.
      for (const text of NASTY_STRINGS.filter((t) => t !== '' && !t.includes('\u0000'))) {
        const s = await session({ agentName: text, userId: text });
        const a = artifact(s.id, { name: text, type: text, path: text });
        await backend.stores.artifacts.insert(a, clock.iso());

        expect(await backend.stores.sessionMaintenance.byIdsIncludingExpired([s.id])).toEqual([s]);
        expect(await backend.stores.sessionMaintenance.listIncludingExpired({ agentName: text, userId: text }, { limit: 10 })).toEqual([s]);
        expect(await backend.stores.artifacts.byIds([a.id], clock.iso())).toEqual([a]);
      }
      // wildcards and case are not interpreted: only the exact value matches
      expect(await backend.stores.sessionMaintenance.listIncludingExpired({ agentName: '%' }, { limit: 10 })).toEqual([]);
      expect(await backend.stores.sessionMaintenance.listIncludingExpired({ agentName: 'PLAIN' }, { limit: 10 })).toEqual([]);
    });

    it('stores JSON larger than 100 KB', async ({ backend, clock, session }) => {
      const s = await session();
      const big = `${'lorem ipsum 😀 مرحبا \u0000 "quoted" \\ '.repeat(4000)}end`;
      expect(big.length).toBeGreaterThan(100_000);
      const data = { chunks: Array.from({ length: 200 }, (_, i) => ({ i, text: big.slice(i, i + 1000) })) };
      expect(JSON.stringify(data).length).toBeGreaterThan(100_000);
      await backend.stores.state.put({ sessionId: s.id, data, updatedAt: clock.iso() }, clock.iso());
      expect((await backend.stores.state.bySessionIdsIncludingExpired([s.id]))[0]!.data).toEqual(viaJson(data));
    });

    it('any JSON value (any string units, lone surrogates and NUL included) round-trips through state (property)', async ({ backend, clock, session }) => {
      const s = await session();
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 6, stringUnit: 'binary' }), async (value) => {
          const data = value as Json;
          await backend.stores.state.put({ sessionId: s.id, data, updatedAt: clock.iso() }, clock.iso());
          expect((await backend.stores.state.bySessionIdsIncludingExpired([s.id]))[0]!.data).toEqual(viaJson(data));
        }),
        { numRuns: RUNS * 2 },
      );
    });
  });
});
