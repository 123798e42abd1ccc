import { expect } from 'vitest';
import { describeOnDatabases } from '../../support/store-fixture.js';

/**
 * The state's kept versions as the stores write and read them, on each database: what forks and
 * imports start with, and that an expired session's versions are not served (the black-box suite
 * test/http/state-history.test.ts covers the writes, the bound and paging through the doors).
 */
describeOnDatabases('state history', (test) => {
  const it = test.extend('versionsOf', ({ stores, now }) => async (sessionId: string) =>
    ((await stores.state.versionPages([sessionId], { limit: 1000 }, now())).get(sessionId) ?? []).map((s) => [s.version, s.data]),
  );

  it("a fork's history starts with its own state (version 1, as forks start); the parent's is untouched", async ({ storage, session, versionsOf }) => {
    const parent = await session();
    const [cut] = await storage.history.addMany(parent.id, [{ role: 'user', content: 'hi', metadata: {} }]);
    for (const step of [1, 2, 3]) await storage.state.set(parent.id, { step });
    const { session: fork } = await storage.sessions.fork(parent.id, cut!.id);
    expect(await versionsOf(fork.id)).toEqual([[1, { step: 3 }]]);
    await storage.state.patch(fork.id, { forked: true });
    expect(await versionsOf(fork.id)).toEqual([
      [2, { step: 3, forked: true }],
      [1, { step: 3 }],
    ]);
    expect(await versionsOf(parent.id)).toEqual([
      [3, { step: 3 }],
      [2, { step: 2 }],
      [1, { step: 1 }],
    ]);
  });

  it("an imported state's history starts at its imported version; a session that has a state keeps its own", async ({ storage, stores, session, versionsOf }) => {
    const source = await session();
    for (const step of [1, 2]) await storage.state.set(source.id, { step });
    const [state] = await stores.state.bySessionIdsIncludingExpired([source.id]);
    await storage.sessions.delete(source.id);
    expect(await versionsOf(source.id)).toEqual([]);

    const bundle = { session: source, messages: [], state: state!, artifacts: [] };
    expect(await stores.sessionImport.importSession(bundle)).toMatchObject({ sessions: 1, states: 1 });
    expect(await versionsOf(source.id)).toEqual([[2, { step: 2 }]]);
    // Imported again: nothing written, nothing recorded.
    expect(await stores.sessionImport.importSession(bundle)).toMatchObject({ sessions: 0, states: 0 });
    expect(await versionsOf(source.id)).toEqual([[2, { step: 2 }]]);
  });

  it("an expired session's versions are not served; its count is 0", async ({ storage, stores, session, clock }) => {
    const s = await session({ ttlSeconds: 60 });
    await storage.state.set(s.id, 'a');
    const expiry = s.expiresAt!;
    const justBefore = new Date(Date.parse(expiry) - 1).toISOString();
    expect((await stores.state.versionPages([s.id], { limit: 10 }, justBefore)).get(s.id)).toHaveLength(1);
    expect(await stores.state.versionCounts([s.id], justBefore)).toEqual(new Map([[s.id, 1]]));
    expect((await stores.state.versionPages([s.id], { limit: 10 }, expiry)).get(s.id)).toEqual([]);
    expect(await stores.state.versionCounts([s.id], expiry)).toEqual(new Map([[s.id, 0]]));
    clock.advance(61_000);
    await expect(storage.state.history(s.id, { limit: 10 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
