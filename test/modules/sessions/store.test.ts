import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { isUniqueViolation } from '../../../src/db/portable.js';
import type { SessionFilter } from '../../../src/domain/inputs.js';
import type { Session, SessionStatus } from '../../../src/domain/records.js';
import { describeOnDatabases, forSession } from '../../support/store-fixture.js';
import { compareStrings, modelSlice } from '../../storage/support.js';
import { keyPickArb, resolveKey, resolveSlice, sliceArb, sortById } from '../../support/slices.js';

/**
 * The behaviour of `SessionsStore` (and its `SessionsMaintenance` side), written only against the
 * interfaces (and the domain `Storage` on top), so that SQLite and PostgreSQL run exactly the same
 * cases. A deletion's cascade is checked through the backend's other modules.
 *
 * Each test gets a fresh, empty, migrated database. Property-based tests share one database across
 * their runs and keep runs apart by creating fresh names per run.
 */

/** Runs per property: enough to hit edge cases of the slice arithmetic, few enough for a disk-synced backend. */
const RUNS = 50;

const sessionOrder = (a: string, b: string) => compareStrings(b, a); // newest first = id DESC

const AGENTS = ['planner', 'writer'];
const USERS = ['u1', 'u2', null];
const STATUSES: SessionStatus[] = ['active', 'paused', 'ended'];

describeOnDatabases('SessionsStore contract', (test) => {
  const it = test
    .extend('sessions', ({ stores }) => stores.sessions)
    .extend('maintenance', ({ stores }) => stores.sessionMaintenance)
    /** A session of every agent of `agentNames`, user and status, some made in the same millisecond. */
    .extend('population', ({ clock, session }) => async (agentNames = AGENTS): Promise<Session[]> => {
      const created: Session[] = [];
      let i = 0;
      for (const agentName of agentNames)
        for (const userId of USERS)
          for (const status of STATUSES) {
            // some in the same millisecond, some later: ids still order by creation
            if (i++ % 3 === 0) clock.advance(7);
            created.push(await session({ agentName, userId, status }));
          }
      return created;
    })
    /** A session written as given (the store keeps `expiresAt` as it is told). */
    .extend('stored', ({ sessions, ids, now }) => async (fields: Partial<Session> = {}): Promise<Session> => {
      const s: Session = {
        id: ids.next('session'), agentName: 'agent', userId: 'u', status: 'active', createdAt: now(), updatedAt: now(),
        metadata: {}, parentId: null, forkedFromMessageId: null, expiresAt: null, ...fields,
      };
      await sessions.insert(s);
      return s;
    });
  let runCounter = 0;

  /** A name no other property run uses, so runs sharing one database do not see each other. */
  const fresh = (label: string) => `${label}-${++runCounter}`;

  // --- sessions -----------------------------------------------------------------------------

  describe('sessions', () => {
    it('reads back an inserted session exactly as written', async ({ sessions, ids, now }) => {
      const written: Session = {
        id: ids.next('session'),
        agentName: 'planner',
        userId: null,
        status: 'paused',
        createdAt: '2025-01-02T03:04:05.006Z',
        updatedAt: '2025-01-02T03:04:05.007Z',
        metadata: { nested: { list: [1, 'two', null, true] } },
        parentId: null,
        forkedFromMessageId: null,
        expiresAt: '2099-01-02T03:04:05.008Z',
      };
      await sessions.insert(written);
      expect(await sessions.byIds([written.id], now())).toEqual([written]);
    });

    it('looks up many ids at once, ignoring unknown ones and returning each session once', async ({ sessions, now, session }) => {
      const a = await session({ agentName: 'a' });
      const b = await session({ agentName: 'b' });
      await session({ agentName: 'c' });
      const found = await sessions.byIds([b.id, 'session_unknown', a.id, b.id], now());
      expect(sortById(found)).toEqual(sortById([a, b]));
      expect(await sessions.byIds([], now())).toEqual([]);
      expect(await sessions.byIds(['session_unknown'], now())).toEqual([]);
    });

    it('refuses a second session with the same id', async ({ sessions, now, session }) => {
      const s = await session();
      const refused = await sessions.insert({ ...s, agentName: 'other' }).catch((error: unknown) => error);
      // The same violation on both databases (SQLITE_CONSTRAINT_PRIMARYKEY, 23505): the doors never see it, ids are generated.
      expect(isUniqueViolation(refused), String((refused as { code?: unknown }).code)).toBe(true);
      expect(await sessions.byIds([s.id], now())).toEqual([s]);
    });

    it('updateSession applies only the non-null fields of the patch and returns the stored record', async ({ sessions, clock, now, session }) => {
      const s = await session({ agentName: 'planner', userId: 'u1', status: 'active', metadata: { a: 1, keep: true } });
      clock.advance(1000);
      const later = clock.iso();

      const paused = await sessions.update(s.id, { status: 'paused', agentName: null, userId: null, metadata: null, updatedAt: later }, now());
      expect(paused).toEqual({ ...s, status: 'paused', updatedAt: later });
      expect(await sessions.byIds([s.id], now())).toEqual([paused]);

      // absent fields keep their values too; metadata is replaced as a whole, not merged
      clock.advance(1000);
      const renamed = await sessions.update(s.id, { agentName: 'writer', metadata: { b: 2 }, updatedAt: clock.iso() }, now());
      expect(renamed).toEqual({ ...s, status: 'paused', agentName: 'writer', metadata: { b: 2 }, updatedAt: clock.iso() });

      clock.advance(1000);
      const user = await sessions.update(s.id, { userId: 'u2', updatedAt: clock.iso() }, now());
      expect(user).toEqual({ ...renamed, userId: 'u2', updatedAt: clock.iso() });
      expect(await sessions.byIds([s.id], now())).toEqual([user]);
    });

    it('updateSession can set an empty metadata object (empty is not null)', async ({ sessions, now, session }) => {
      const s = await session({ metadata: { a: 1 } });
      const updated = await sessions.update(s.id, { metadata: {}, updatedAt: s.updatedAt }, now());
      expect(updated?.metadata).toEqual({});
    });

    it('concurrent patches of different fields both take effect', async ({ sessions, clock, now, session }) => {
      const s = await session({ agentName: 'planner', status: 'active' });
      await Promise.all([
        sessions.update(s.id, { agentName: 'writer', updatedAt: clock.iso() }, now()),
        sessions.update(s.id, { status: 'ended', updatedAt: clock.iso() }, now()),
        sessions.update(s.id, { metadata: { x: 1 }, updatedAt: clock.iso() }, now()),
      ]);
      const [stored] = await sessions.byIds([s.id], now());
      expect(stored).toMatchObject({ agentName: 'writer', status: 'ended', metadata: { x: 1 }, userId: s.userId });
    });

    it('updateSession of an unknown id returns null and creates nothing', async ({ sessions, clock, now }) => {
      expect(await sessions.update('session_unknown', { status: 'ended', updatedAt: clock.iso() }, now())).toBeNull();
      expect(await sessions.byIds(['session_unknown'], now())).toEqual([]);
      expect(await sessions.count({}, now())).toBe(0);
    });

    it('deleteSession removes the session with its history, state and artifacts; metrics stay', async ({ backend, sessions, clock, now, session, message, artifact, metric }) => {
      const doomed = await session({ agentName: 'doomed' });
      const other = await session({ agentName: 'other' });
      const doomedMessages = await backend.stores.history.append(doomed.id, forSession(doomed.id, [message('a'), message('b')]), clock.iso());
      const otherMessages = await backend.stores.history.append(other.id, forSession(other.id, [message('c')]), clock.iso());
      expect(await backend.stores.state.put({ sessionId: doomed.id, data: { step: 1 }, updatedAt: clock.iso() }, clock.iso())).not.toBeNull();
      expect(await backend.stores.state.put({ sessionId: other.id, data: { step: 2 }, updatedAt: clock.iso() }, clock.iso())).not.toBeNull();
      const doomedArtifact = artifact(doomed.id);
      const otherArtifact = artifact(other.id);
      expect(await backend.stores.artifacts.insert(doomedArtifact, clock.iso())).toBe(true);
      expect(await backend.stores.artifacts.insert(otherArtifact, clock.iso())).toBe(true);
      const kept = metric({ sessionId: doomed.id });
      await backend.stores.metrics.insert([kept]);

      expect(await sessions.delete(doomed.id, now())).toBe(true);

      expect(await sessions.byIds([doomed.id, other.id], now())).toEqual([other]);
      expect(await backend.stores.history.byIdsIncludingExpired(doomedMessages!.map((m) => m.id))).toEqual([]);
      expect(await backend.stores.history.countsIncludingExpired([doomed.id, other.id])).toEqual(new Map([[doomed.id, 0], [other.id, 1]]));
      expect((await backend.stores.history.pagesIncludingExpired([doomed.id], { limit: 10 })).get(doomed.id)).toEqual([]);
      expect(await backend.stores.state.bySessionIdsIncludingExpired([doomed.id])).toEqual([]);
      expect(await backend.stores.artifacts.byIds([doomedArtifact.id], clock.iso())).toEqual([]);
      expect(await backend.stores.artifacts.counts([doomed.id], clock.iso())).toEqual(new Map([[doomed.id, 0]]));
      // the other session is untouched
      expect(await backend.stores.history.byIdsIncludingExpired(otherMessages!.map((m) => m.id))).toEqual(otherMessages);
      expect(await backend.stores.state.bySessionIdsIncludingExpired([other.id])).toHaveLength(1);
      expect(await backend.stores.artifacts.byIds([otherArtifact.id], clock.iso())).toEqual([otherArtifact]);
      // metrics outlive their session
      expect(await backend.stores.metrics.list({ sessionId: doomed.id }, { limit: 10 })).toEqual([kept]);
      expect(await backend.stores.metrics.counts([doomed.id], {})).toEqual(new Map([[doomed.id, 1]]));

      expect(await sessions.delete(doomed.id, now())).toBe(false);
    });

    it('deleteSession of an unknown id returns false', async ({ sessions, now, session }) => {
      await session();
      expect(await sessions.delete('session_unknown', now())).toBe(false);
      expect(await sessions.count({}, now())).toBe(1);
    });

    it('a deleted session id cannot take new history, state or artifacts', async ({ backend, sessions, clock, now, session, message, artifact }) => {
      const s = await session();
      await sessions.delete(s.id, now());
      expect(await backend.stores.history.append(s.id, forSession(s.id, [message('late')]), clock.iso())).toBeNull();
      expect(await backend.stores.state.put({ sessionId: s.id, data: 1, updatedAt: clock.iso() }, clock.iso())).toBeNull();
      expect(await backend.stores.artifacts.insert(artifact(s.id), clock.iso())).toBe(false);
      expect(await backend.stores.history.countsIncludingExpired([s.id])).toEqual(new Map([[s.id, 0]]));
    });
  });

  // --- listing sessions ----------------------------------------------------------------------

  describe('listSessions', () => {
    const matches = (s: Session, f: SessionFilter) =>
      (f.agentName == null || s.agentName === f.agentName) &&
      (f.userId == null || s.userId === f.userId) &&
      (f.status == null || s.status === f.status) &&
      (f.since == null || s.createdAt >= f.since) &&
      (f.until == null || s.createdAt < f.until);
    const newestFirst = (rows: Session[]) => [...rows].sort((a, b) => sessionOrder(a.id, b.id));

    it('lists newest first (id descending), which is the reverse of creation order', async ({ sessions, now, population }) => {
      const created = await population();
      const listed = await sessions.list({}, { limit: 100 }, now());
      expect(listed).toEqual([...created].reverse());
      expect(listed.map((s) => s.id)).toEqual(created.map((s) => s.id).sort().reverse());
    });

    it('filters by agentName, userId and status alone and combined, and counts agree', async ({ sessions, now, population }) => {
      const created = await population();
      const filters: SessionFilter[] = [];
      for (const agentName of [undefined, null, ...AGENTS, 'nobody'])
        for (const userId of [undefined, 'u1', 'u2', 'nobody'])
          for (const status of [undefined, ...STATUSES]) filters.push({ agentName, userId, status });
      for (const filter of filters) {
        const expected = newestFirst(created.filter((s) => matches(s, filter)));
        expect(await sessions.list(filter, { limit: 1000 }, now()), JSON.stringify(filter)).toEqual(expected);
        expect(await sessions.count(filter, now()), JSON.stringify(filter)).toBe(expected.length);
      }
    });

    it('filters by creation time, from `since` up to but not including `until`, with the other filters; counts agree', async ({ sessions, now, population }) => {
      const created = await population();
      const times = [...new Set(created.map((s) => s.createdAt))].sort();
      expect(times.length).toBeGreaterThan(3);
      const [first, second, third] = times as [string, string, string];
      const later = (t: string, ms: number) => new Date(Date.parse(t) + ms).toISOString();
      const ranges: Pick<SessionFilter, 'since' | 'until'>[] = [
        { since: second },
        { until: second },
        { since: second, until: third },
        { since: later(first, 1), until: third }, // between two creation times: only the second's
        { since: second, until: second }, // empty
        { since: later(times.at(-1)!, 1) },
        { until: first },
      ];
      for (const range of ranges)
        for (const agentName of [undefined, 'planner'])
          for (const status of [undefined, 'paused' as const]) {
            const filter: SessionFilter = { agentName, status, ...range };
            const expected = newestFirst(created.filter((s) => matches(s, filter)));
            expect(await sessions.list(filter, { limit: 1000 }, now()), JSON.stringify(filter)).toEqual(expected);
            expect(await sessions.count(filter, now()), JSON.stringify(filter)).toBe(expected.length);
          }
      expect(await sessions.list({ since: second, until: third }, { limit: 1000 }, now())).toEqual(newestFirst(created.filter((s) => s.createdAt === second)));
    });

    it('pages with limit and offset', async ({ sessions, now, population }) => {
      const created = newestFirst(await population());
      expect(await sessions.list({}, { limit: 5 }, now())).toEqual(created.slice(0, 5));
      expect(await sessions.list({}, { limit: 5, offset: 5 }, now())).toEqual(created.slice(5, 10));
      expect(await sessions.list({}, { limit: 5, offset: created.length - 2 }, now())).toEqual(created.slice(-2));
      expect(await sessions.list({}, { limit: 5, offset: created.length }, now())).toEqual([]);
      expect(await sessions.list({}, { limit: 0 }, now())).toEqual([]);
      expect(await sessions.count({}, now())).toBe(created.length);
    });

    it('walks all sessions forwards with `after` and backwards with `before` + `fromEnd`, without gaps or repeats', async ({ sessions, now, population }) => {
      const created = newestFirst(await population());
      const forwards: Session[] = [];
      let after: string | null = null;
      for (;;) {
        const page = await sessions.list({}, { after, limit: 4 }, now());
        forwards.push(...page);
        if (page.length < 4) break;
        after = page.at(-1)!.id;
      }
      expect(forwards).toEqual(created);

      const backwards: Session[] = [];
      let before: string | null = null;
      for (;;) {
        const page = await sessions.list({}, { before, limit: 4, fromEnd: true }, now());
        backwards.unshift(...page);
        if (page.length < 4) break;
        before = page[0]!.id;
      }
      expect(backwards).toEqual(created);
    });

    it('keyset bounds are exclusive and combine with filters', async ({ sessions, now, population }) => {
      const created = newestFirst(await population());
      const planner = created.filter((s) => s.agentName === 'planner');
      const pivot = planner[3]!;
      expect(await sessions.list({ agentName: 'planner' }, { after: pivot.id, limit: 3 }, now())).toEqual(planner.slice(4, 7));
      expect(await sessions.list({ agentName: 'planner' }, { before: pivot.id, limit: 100 }, now())).toEqual(planner.slice(0, 3));
      expect(await sessions.list({ agentName: 'planner' }, { before: pivot.id, limit: 2, fromEnd: true }, now())).toEqual(planner.slice(1, 3));
      expect(
        await sessions.list({ agentName: 'planner' }, { after: planner[1]!.id, before: planner[5]!.id, limit: 100 }, now()),
      ).toEqual(planner.slice(2, 5));
    });

    it('any slice equals the reference model (property)', async ({ sessions, clock, now, session }) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ userId: fc.constantFrom('u1', 'u2', null), status: fc.constantFrom(...STATUSES), tick: fc.boolean() }), {
            maxLength: 14,
          }),
          fc.array(
            fc.record({
              userId: fc.constantFrom(undefined, 'u1', 'u2'),
              status: fc.constantFrom(undefined, ...STATUSES),
              // A creation time of the run's sessions by index (clamped), or none: the range's ends.
              since: fc.option(fc.nat(14), { nil: undefined }),
              until: fc.option(fc.nat(14), { nil: undefined }),
              slice: sliceArb(keyPickArb),
            }),
            { minLength: 1, maxLength: 4 },
          ),
          async (specs, queries) => {
            const agentName = fresh('list-agent');
            const created: Session[] = [];
            for (const spec of specs) {
              if (spec.tick) clock.advance(1);
              created.push(await session({ agentName, userId: spec.userId, status: spec.status }));
            }
            const keys = created.map((s) => s.id).sort();
            const timeAt = (i: number | undefined) => (i === undefined || created.length === 0 ? undefined : created[Math.min(i, created.length - 1)]!.createdAt);
            for (const q of queries) {
              const [since, until] = [timeAt(q.since), timeAt(q.until)];
              const range = since !== undefined && until !== undefined && since > until ? { since: until, until: since } : { since, until };
              const filter: SessionFilter = { agentName, userId: q.userId, status: q.status, ...range };
              const slice = resolveSlice(q.slice, (pick) => resolveKey(keys, pick, 'session_'));
              const all = newestFirst(created.filter((s) => matches(s, filter)));
              const expected = modelSlice(all, (s) => s.id, sessionOrder, slice);
              expect(await sessions.list(filter, slice, now())).toEqual(expected);
              expect(await sessions.count(filter, now())).toBe(all.length);
            }
          },
        ),
        { numRuns: RUNS },
      );
    });
  });

  // --- expiry: what serving reads and writes see, and what maintenance sees ------------------

  describe('expired sessions', () => {
    it('a session is live until its expiry and gone at it, for every serving read, while maintenance sees it', async ({ sessions, maintenance, clock, now, stored }) => {
      const at = new Date(clock.now() + 1000).toISOString();
      const expiring = await stored({ expiresAt: at });
      const forever = await stored();
      expect(sortById(await sessions.byIds([expiring.id, forever.id], now()))).toEqual(sortById([expiring, forever]));
      expect(await sessions.count({}, now())).toBe(2);

      // At the expiry itself the session is gone (live means expiresAt > liveAt).
      expect(await sessions.byIds([expiring.id], at)).toEqual([]);
      expect(await sessions.byIds([expiring.id, forever.id], at)).toEqual([forever]);
      expect(await sessions.list({}, { limit: 10 }, at)).toEqual([forever]);
      expect(await sessions.count({}, at)).toBe(1);
      expect(await sessions.count({ agentName: 'agent', userId: 'u', status: 'active' }, at)).toBe(1);

      expect(await maintenance.byIdsIncludingExpired([expiring.id])).toEqual([expiring]);
      expect(await maintenance.listIncludingExpired({ agentName: 'agent' }, { limit: 10 })).toEqual([forever, expiring]);
    });

    it('an expired session cannot be updated or deleted by a serving write', async ({ sessions, maintenance, clock, stored }) => {
      const at = new Date(clock.now() + 1000).toISOString();
      const s = await stored({ expiresAt: at });
      expect(await sessions.update(s.id, { status: 'ended', updatedAt: at }, at)).toBeNull();
      expect(await sessions.delete(s.id, at)).toBe(false);
      expect(await maintenance.byIdsIncludingExpired([s.id])).toEqual([s]);
      // Just before, both apply; an update may set, move or clear the expiry.
      const before = new Date(clock.now() + 999).toISOString();
      const moved = await sessions.update(s.id, { expiresAt: '2099-01-01T00:00:00.000Z', updatedAt: before }, before);
      expect(moved).toEqual({ ...s, expiresAt: '2099-01-01T00:00:00.000Z', updatedAt: before });
      expect(await sessions.update(s.id, { expiresAt: null, updatedAt: before }, before)).toEqual({ ...moved, expiresAt: null });
      expect(await sessions.update(s.id, { updatedAt: before }, before)).toEqual({ ...moved, expiresAt: null });
      expect(await sessions.delete(s.id, '2100-01-01T00:00:00.000Z')).toBe(true);
    });

    it('forks are listed and counted only when both the parent and the fork are live', async ({ sessions, clock, now, stored }) => {
      const at = new Date(clock.now() + 1000).toISOString();
      const parent = await stored();
      const lasting = await stored({ parentId: parent.id, forkedFromMessageId: 'msg_x' });
      const expiring = await stored({ parentId: parent.id, forkedFromMessageId: 'msg_y', expiresAt: at });
      const mortal = await stored({ expiresAt: at });
      const orphan = await stored({ parentId: mortal.id });
      const ids2 = [parent.id, mortal.id, 'session_unknown'];
      expect(await sessions.forkPages(ids2, { limit: 10 }, now())).toEqual(new Map([[parent.id, [lasting, expiring]], [mortal.id, [orphan]], ['session_unknown', []]]));
      expect(await sessions.forkCounts(ids2, now())).toEqual(new Map([[parent.id, 2], [mortal.id, 1], ['session_unknown', 0]]));
      expect(await sessions.forkPages(ids2, { limit: 10 }, at)).toEqual(new Map([[parent.id, [lasting]], [mortal.id, []], ['session_unknown', []]]));
      expect(await sessions.forkPages([mortal.id], { limit: 10 }, at)).toEqual(new Map([[mortal.id, []]]));
      expect(await sessions.forkPages([parent.id], { limit: 10, fromEnd: true }, at)).toEqual(new Map([[parent.id, [lasting]]]));
      expect(await sessions.forkCounts(ids2, at)).toEqual(new Map([[parent.id, 1], [mortal.id, 0], ['session_unknown', 0]]));
      expect(await sessions.forkPages([], { limit: 10 }, at)).toEqual(new Map());
    });

    it('updateIf and deleteIf apply only while the retention rule selects the session', async ({ maintenance, clock, now, stored }) => {
      const at = new Date(clock.now() + 1000).toISOString();
      const expiring = await stored({ expiresAt: at });
      const idle = await stored({ status: 'paused' });
      // Not yet expired at `now`: the expired rule does not select it.
      expect(await maintenance.deleteIf(expiring.id, { kind: 'expired', at: now() })).toBe(false);
      expect(await maintenance.deleteIf(expiring.id, { kind: 'expired', at })).toBe(true);
      expect(await maintenance.byIdsIncludingExpired([expiring.id])).toEqual([]);

      const since = new Date(clock.now() + 5000).toISOString();
      // The rule names another status: left alone.
      expect(await maintenance.updateIf(idle.id, { status: 'ended', updatedAt: at }, { kind: 'idle', status: 'active', at, since })).toBeNull();
      // Updated since `since`: left alone.
      expect(await maintenance.updateIf(idle.id, { status: 'ended', updatedAt: at }, { kind: 'idle', status: 'paused', at, since: idle.updatedAt })).toBeNull();
      const ended = await maintenance.updateIf(idle.id, { status: 'ended', updatedAt: at }, { kind: 'idle', status: 'paused', at, since });
      expect(ended).toEqual({ ...idle, status: 'ended', updatedAt: at });
      expect(await maintenance.deleteIf(idle.id, { kind: 'ended', at, before: at })).toBe(false);
      expect(await maintenance.deleteIf(idle.id, { kind: 'ended', at: since, before: since })).toBe(true);
    });
  });
});
