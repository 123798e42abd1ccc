import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { NotFoundError, VersionConflictError } from '../../../src/domain/errors.js';
import type { Json } from '../../../src/domain/json.js';
import type { State } from '../../../src/domain/records.js';
import { StateService } from '../../../src/modules/state/service.js';
import { describeOnDatabases } from '../../support/store-fixture.js';
import { compareStrings, NASTY_JSON, nested, viaJson } from '../../storage/support.js';

/** Runs per property: enough to find the odd value, few enough for a disk-synced database. */
const RUNS = 50;

/**
 * The behaviour of `StateStore` (and its maintenance side) and of the service's version rules over
 * it, written only against the interfaces, on each database.
 */
describeOnDatabases('StateStore contract', (test) => {
  const it = test
    .extend('store', ({ stores }) => stores.state)
    .extend('service', ({ store, clock }) => new StateService(store, clock));

  // --- state ---------------------------------------------------------------------------------

  describe('state', () => {
    it('puts, replaces and deletes a session’s state', async ({ backend, store, clock, now, session }) => {
      const s = await session();
      expect(await store.bySessionIds([s.id], now())).toEqual([]);
      const first = { sessionId: s.id, data: { step: 1, notes: ['a'] }, updatedAt: clock.iso(), version: 1 };
      expect(await store.put(first, now())).toEqual(first);
      expect(await store.bySessionIds([s.id], now())).toEqual([first]);

      clock.advance(1000);
      const second = { sessionId: s.id, data: ['a', 'list', 'now'], updatedAt: clock.iso(), version: 2 };
      expect(await store.put(second, now())).toEqual(second);
      expect(await store.bySessionIds([s.id], now())).toEqual([second]);

      expect(await store.delete(s.id, now())).toBe(true);
      expect(await store.bySessionIds([s.id], now())).toEqual([]);
      expect(await store.delete(s.id, now())).toBe(false);
      expect(await backend.stores.sessionMaintenance.byIdsIncludingExpired([s.id])).toHaveLength(1);
    });

    it('stores any JSON value as state, including null and scalars', async ({ store, clock, now, session }) => {
      for (const data of [null, 0, -1.5, true, false, '', 'text', [], {}] as Json[]) {
        const s = await session();
        const state = { sessionId: s.id, data, updatedAt: clock.iso(), version: 1 };
        expect(await store.put(state, now())).toEqual(state);
        expect(await store.bySessionIds([s.id], now())).toEqual([state]);
      }
    });

    it('refuses state for an unknown session (false, nothing written)', async ({ store, clock, now }) => {
      expect(await store.put({ sessionId: 'session_unknown', data: { x: 1 }, updatedAt: clock.iso() }, now())).toBeNull();
      expect(await store.bySessionIds(['session_unknown'], now())).toEqual([]);
      expect(await store.delete('session_unknown', now())).toBe(false);
    });

    it('looks up the states of many sessions at once', async ({ store, clock, now, session }) => {
      const a = await session();
      const b = await session();
      const none = await session();
      const sa = { sessionId: a.id, data: 'a', updatedAt: clock.iso(), version: 1 };
      const sb = { sessionId: b.id, data: 'b', updatedAt: clock.iso(), version: 1 };
      await store.put(sa, now());
      await store.put(sb, now());
      const found = await store.bySessionIds([b.id, none.id, 'session_unknown', a.id], now());
      expect([...found].sort((x, y) => compareStrings(x.sessionId, y.sessionId))).toEqual(
        [sa, sb].sort((x, y) => compareStrings(x.sessionId, y.sessionId)),
      );
      expect(await store.bySessionIds([], now())).toEqual([]);
    });
  });


  // --- state versions and compare-and-set ------------------------------------------------------

  describe('state versions', () => {
    /** The error a promise rejects with (or undefined when it resolves). */
    const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

    it('a state starts at version 1 and every write adds one; set again after a delete, it starts over', async ({ store, clock, now, session }) => {
      const s = await session();
      expect((await store.put({ sessionId: s.id, data: 'a', updatedAt: clock.iso() }, now()))!.version).toBe(1);
      expect((await store.put({ sessionId: s.id, data: 'b', updatedAt: clock.iso() }, now()))!.version).toBe(2);
      const third = await store.modify(s.id, () => 'c', clock.iso(), now());
      expect(third).toEqual({ sessionId: s.id, data: 'c', updatedAt: clock.iso(), version: 3 });
      expect(await store.bySessionIds([s.id], now())).toEqual([third]);
      await store.delete(s.id, now());
      expect((await store.put({ sessionId: s.id, data: 'd', updatedAt: clock.iso() }, now()))!.version).toBe(1);
    });

    it('modifyState hands over the state as stored, writes what it returns, and writes nothing when it throws', async ({ store, clock, now, session }) => {
      const s = await session();
      const seen: (State | null)[] = [];
      const created = await store.modify(s.id, (current) => (seen.push(current), { n: 1 }), clock.iso(), now());
      expect(created).toEqual({ sessionId: s.id, data: { n: 1 }, updatedAt: clock.iso(), version: 1 });
      clock.advance(1000);
      const updated = await store.modify(s.id, (current) => (seen.push(current), { n: ((current!.data as { n: number }).n ?? 0) + 1 }), clock.iso(), now());
      expect(updated).toEqual({ sessionId: s.id, data: { n: 2 }, updatedAt: clock.iso(), version: 2 });
      expect(seen).toEqual([null, created]);

      const refusal = new Error('no');
      await expect(store.modify(s.id, () => { throw refusal; }, clock.iso(), now())).rejects.toBe(refusal);
      expect(await store.bySessionIds([s.id], now())).toEqual([updated]);
    });

    it('modifyState of an unknown session is null, without calling the change', async ({ store, clock, now }) => {
      let called = false;
      expect(await store.modify('session_unknown', () => ((called = true), 1), clock.iso(), now())).toBeNull();
      expect(called).toBe(false);
      expect(await store.bySessionIds(['session_unknown'], now())).toEqual([]);
    });

    it('setState with expectedVersion applies only at that version; a conflict names the current version and writes nothing', async ({ store, service, now, session }) => {
      const s = await session();
      // 0: only if there is no state
      expect(await service.set(s.id, { step: 1 }, 0)).toMatchObject({ data: { step: 1 }, version: 1 });
      const taken = await failure(service.set(s.id, { step: 'other' }, 0));
      expect(taken).toBeInstanceOf(VersionConflictError);
      expect(taken).toMatchObject({ code: 'CONFLICT', expectedVersion: 0, currentVersion: 1 });

      expect(await service.set(s.id, { step: 2 }, 1)).toMatchObject({ data: { step: 2 }, version: 2 });
      const stale = await failure(service.set(s.id, { step: 'stale' }, 1));
      expect(stale).toBeInstanceOf(VersionConflictError);
      expect(stale).toMatchObject({ expectedVersion: 1, currentVersion: 2, message: 'State version mismatch: expected version 1, but the state is at version 2' });
      expect((await service.get(s.id)).data).toEqual({ step: 2 });

      // 'existing': any state, as long as there is one (HTTP's If-Match: *)
      expect(await service.set(s.id, { step: 3 }, 'existing')).toMatchObject({ version: 3 });
      await service.delete(s.id);
      expect(await failure(service.set(s.id, 'x', 'existing'))).toMatchObject({ expectedVersion: 'existing', currentVersion: 0 });
      expect(await failure(service.set(s.id, 'x', 3))).toMatchObject({ currentVersion: 0 });
      expect(await store.bySessionIds([s.id], now())).toEqual([]);

      // without expectedVersion: unconditional, as before
      expect(await service.set(s.id, 'free')).toMatchObject({ data: 'free', version: 1 });
      // an unknown session is not found, whatever the expectation
      for (const expected of [undefined, 0, 1, 'existing'] as const) {
        expect(await failure(service.set('session_unknown', 1, expected))).toBeInstanceOf(NotFoundError);
      }
    });

    it('patchState applies a JSON Merge Patch to the stored state, and to {} when there is none', async ({ store, service, now, session }) => {
      const s = await session();
      expect(await service.patch(s.id, { a: 1, b: { c: 2 } })).toMatchObject({ data: { a: 1, b: { c: 2 } }, version: 1 });
      expect(await service.patch(s.id, { b: { c: null, d: [1, 2] }, e: 'x' }, 1)).toMatchObject({
        data: { a: 1, b: { d: [1, 2] }, e: 'x' },
        version: 2,
      });
      expect(await service.patch(s.id, { a: null })).toMatchObject({ data: { b: { d: [1, 2] }, e: 'x' }, version: 3 });
      expect(await failure(service.patch(s.id, { a: 1 }, 2))).toMatchObject({ currentVersion: 3 });
      // a patch that is not an object replaces the state as a whole
      expect(await service.patch(s.id, [1, 2])).toMatchObject({ data: [1, 2], version: 4 });
      expect(await service.patch(s.id, { k: 'v' })).toMatchObject({ data: { k: 'v' }, version: 5 });
      expect((await store.bySessionIds([s.id], now()))[0]).toMatchObject({ data: { k: 'v' }, version: 5 });

      const fresh = await session();
      expect(await failure(service.patch(fresh.id, { a: 1 }, 1))).toMatchObject({ currentVersion: 0 });
      expect(await service.patch(fresh.id, { a: { b: null, c: 1 } }, 0)).toMatchObject({ data: { a: { c: 1 } }, version: 1 });
      expect(await failure(service.patch('session_unknown', { a: 1 }))).toBeInstanceOf(NotFoundError);
    });

    it('concurrent read-modify-write increments with compare-and-set lose no update', async ({ service, session }) => {
      const s = await session();
      await service.set(s.id, { counter: 0 });
      let conflicts = 0;
      const increment = async () => {
        for (;;) {
          const { data, version } = await service.get(s.id);
          try {
            await service.set(s.id, { counter: (data as { counter: number }).counter + 1 }, version);
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
      const state = await service.get(s.id);
      expect(state.data).toEqual({ counter: 50 });
      expect(state.version).toBe(51);
      expect(conflicts).toBeGreaterThan(0); // they did race
    });

    it('of concurrent writes expecting the same version exactly one wins', async ({ service, session }) => {
      const s = await session();
      const { version } = await service.set(s.id, 'start');
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => service.set(s.id, `writer ${i}`, version)));
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toMatchObject({ currentVersion: version + 1 });
      expect(await service.get(s.id)).toEqual((won[0] as PromiseFulfilledResult<State>).value);
    });

    it('concurrent patches of different members all take effect, also on a session without state', async ({ service, session }) => {
      const s = await session();
      await Promise.all(Array.from({ length: 12 }, (_, i) => service.patch(s.id, { [`k${i}`]: i })));
      const state = await service.get(s.id);
      expect(state.data).toEqual(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, i])));
      expect(state.version).toBe(12);
    });
  });

  // --- live sessions, events, errors, JSON ----------------------------------------------------

  /** The error a promise rejects with (or undefined when it resolves). */
  const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

  it('an expired session’s state answers like an unknown session’s; the maintenance side still sees it', async ({ store, now, session }) => {
    const s = await session({ ttlSeconds: 60 });
    const other = await session();
    const state = (await store.put({ sessionId: s.id, data: { a: 1 }, updatedAt: now() }, now()))!;
    const otherState = (await store.put({ sessionId: other.id, data: 'o', updatedAt: now() }, now()))!;
    const expiry = s.expiresAt!;
    expect(await store.bySessionIds([s.id], new Date(Date.parse(expiry) - 1).toISOString())).toEqual([state]);
    for (const liveAt of [expiry, new Date(Date.parse(expiry) + 1).toISOString()]) {
      expect(await store.bySessionIds([s.id, other.id], liveAt)).toEqual([otherState]);
      expect(await store.put({ sessionId: s.id, data: 'x', updatedAt: liveAt }, liveAt)).toBeNull();
      let called = false;
      expect(await store.modify(s.id, () => ((called = true), 'x'), liveAt, liveAt)).toBeNull();
      expect(called).toBe(false);
      expect(await store.delete(s.id, liveAt)).toBe(false);
    }
    // nothing was written or deleted: the row waits for the sweeper
    expect(await store.bySessionIdsIncludingExpired([s.id])).toEqual([state]);
    expect(await store.bySessionIdsIncludingExpired([])).toEqual([]);
  });

  it('the service: a state of a session that expired by the clock is not found, and none can be written', async ({ clock, service, session }) => {
    const s = await session({ ttlSeconds: 1 });
    await service.set(s.id, { a: 1 });
    clock.advance(1000);
    expect(await failure(service.get(s.id))).toMatchObject({ code: 'NOT_FOUND', message: 'State not found' });
    // One at a time: a write started before the previous one is awaited would reject unhandled.
    for (const write of [() => service.set(s.id, 1), () => service.set(s.id, 1, 1), () => service.patch(s.id, { b: 1 })]) {
      expect(await failure(write())).toMatchObject({ code: 'NOT_FOUND', message: 'Session not found' });
    }
    expect(await failure(service.delete(s.id))).toMatchObject({ code: 'NOT_FOUND', message: 'State not found' });
    expect(await service.bySessionIds([s.id])).toEqual([]);
  });

  it('the service names what was not found and what conflicted, with codes and messages', async ({ service, session }) => {
    const s = await session();
    expect(await failure(service.get(s.id))).toMatchObject({ code: 'NOT_FOUND', resource: 'State', message: 'State not found' });
    expect(await failure(service.delete(s.id))).toMatchObject({ code: 'NOT_FOUND', message: 'State not found' });
    expect(await failure(service.set('session_unknown', 1))).toMatchObject({ code: 'NOT_FOUND', resource: 'Session', message: 'Session not found' });
    await service.set(s.id, 1);
    expect(await failure(service.set(s.id, 2, 0))).toMatchObject({
      code: 'CONFLICT',
      message: 'State version mismatch: expected no state, but the state is at version 1',
    });
    await service.delete(s.id);
    expect(await failure(service.patch(s.id, {}, 'existing'))).toMatchObject({
      code: 'CONFLICT',
      message: 'State version mismatch: expected a state, but the session has no state',
    });
  });

  it('writes append StateChanged and StateDeleted; refused writes append nothing', async ({ backend, store, now, session }) => {
    const s = await session();
    const before = (await backend.stores.events.log()).lastSeq;
    const put = (await store.put({ sessionId: s.id, data: 1, updatedAt: now() }, now()))!;
    const modified = (await store.modify(s.id, () => 2, now(), now()))!;
    await store.put({ sessionId: 'session_unknown', data: 1, updatedAt: now() }, now());
    await failure(store.modify(s.id, () => { throw new Error('no'); }, now(), now()));
    await store.delete(s.id, now());
    await store.delete(s.id, now());
    const events = await backend.stores.events.after({ sessionId: s.id }, before, 10);
    expect(events.map((e) => e.type)).toEqual(['StateChanged', 'StateChanged', 'StateDeleted']);
    expect(events[0]).toMatchObject({ state: put, agentName: 'agent', sessionId: s.id });
    expect(events[1]).toMatchObject({ state: modified, agentName: 'agent' });
    expect(events[2]).toMatchObject({ agentName: 'agent', sessionId: s.id });
    expect((await backend.stores.events.log()).lastSeq).toBe(before + 3);
  });

  it('every JSON value comes back as JSON.stringify/parse would: nested to 64 levels, over 100 KB', async ({ store, now, session }) => {
    const s = await session();
    for (const data of [NASTY_JSON, nested(64), { chunks: Array.from({ length: 200 }, (_, i) => ({ i, text: `${'lorem 😀 \u0000 "q" \\ '.repeat(60)}${i}` })) }] as Json[]) {
      await store.put({ sessionId: s.id, data, updatedAt: now() }, now());
      expect((await store.bySessionIds([s.id], now()))[0]!.data).toEqual(viaJson(data));
      await store.modify(s.id, () => data, now(), now());
      expect((await store.bySessionIds([s.id], now()))[0]!.data).toEqual(viaJson(data));
    }
  });

  it('any JSON value (any string units, lone surrogates and NUL included) round-trips (property)', async ({ store, now, session }) => {
    const s = await session();
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6, stringUnit: 'binary' }), async (value) => {
        const data = value as Json;
        await store.put({ sessionId: s.id, data, updatedAt: now() }, now());
        expect((await store.bySessionIds([s.id], now()))[0]!.data).toEqual(viaJson(data));
      }),
      { numRuns: RUNS },
    );
  });
});
