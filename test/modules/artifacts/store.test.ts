import fc from 'fast-check';
import { describe, expect } from 'vitest';
import type { Artifact } from '../../../src/domain/records.js';
import { ArtifactService } from '../../../src/modules/artifacts/service.js';
import { describeOnDatabases } from '../../support/store-fixture.js';
import { compareStrings, modelSlice, NASTY_JSON, NASTY_STRINGS, viaJson } from '../../storage/support.js';
import { keyPickArb, resolveKey, resolveSlice, sliceArb } from '../../support/slices.js';

/** Runs per property: enough to hit edge cases of the slice arithmetic, few enough for a disk-synced database. */
const RUNS = 50;

const sortById = <T extends { id: string }>(rows: readonly T[]): T[] => [...rows].sort((a, b) => compareStrings(a.id, b.id));

/** The error a promise rejects with (or undefined when it resolves). */
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

/**
 * The behaviour of `ArtifactStore` (and its maintenance side) and of the service's rules over it,
 * written only against the interfaces, on each database.
 */
describeOnDatabases('ArtifactStore contract', (test) => {
  const it = test
    .extend('store', ({ stores }) => stores.artifacts)
    .extend('service', ({ store, stores, clock, ids }) => new ArtifactService(store, stores.contents, stores.blobs, clock, ids));
  let runCounter = 0;

  /** A name no other property run uses, so runs sharing one database do not see each other. */
  const fresh = (label: string) => `${label}-${++runCounter}`;

  it('inserts, reads by ids and deletes', async ({ store, now, session, artifact }) => {
    const s = await session();
    const a = artifact(s.id, { metadata: { pages: 3 }, size: 0 });
    const b = artifact(s.id, { name: 'data.csv', type: 'table', path: 'relative/data.csv', size: Number.MAX_SAFE_INTEGER });
    expect(await store.insert(a, now())).toBe(true);
    expect(await store.insert(b, now())).toBe(true);
    expect(sortById(await store.byIds([b.id, a.id, 'artifact_unknown'], now()))).toEqual(sortById([a, b]));
    expect(await store.byIds([], now())).toEqual([]);

    expect(await store.delete(a.id, now())).toBe(true);
    expect(await store.delete(a.id, now())).toBe(false);
    expect(await store.delete('artifact_unknown', now())).toBe(false);
    expect(await store.byIds([a.id, b.id], now())).toEqual([b]);
  });

  it('refuses an artifact of an unknown session (false, nothing written)', async ({ store, now, artifact }) => {
    const orphan = artifact('session_unknown');
    expect(await store.insert(orphan, now())).toBe(false);
    expect(await store.byIds([orphan.id], now())).toEqual([]);
    expect(await store.counts(['session_unknown'], now())).toEqual(new Map([['session_unknown', 0]]));
  });

  it('a second artifact with the same id is refused and the first stays', async ({ store, now, session, artifact }) => {
    const s = await session();
    const a = artifact(s.id);
    expect(await store.insert(a, now())).toBe(true);
    await expect(store.insert({ ...a, name: 'other' }, now())).rejects.toThrow();
    expect(await store.byIds([a.id], now())).toEqual([a]);
  });

  it('pages and counts artifacts of many sessions by id', async ({ store, now, session, artifact }) => {
    const a = await session();
    const b = await session();
    const empty = await session();
    const aRows: Artifact[] = [];
    for (let i = 0; i < 5; i++) {
      const row = artifact(a.id, { name: `a${i}` });
      await store.insert(row, now());
      aRows.push(row);
    }
    const bRow = artifact(b.id);
    await store.insert(bRow, now());
    const asked = [a.id, b.id, empty.id, 'session_unknown'];

    const pages = await store.pages(asked, { limit: 2, offset: 1 }, now());
    expect(pages.get(a.id)).toEqual(aRows.slice(1, 3));
    expect(pages.get(b.id)).toEqual([]);
    expect(pages.get(empty.id)).toEqual([]);
    expect(pages.get('session_unknown')).toEqual([]);
    expect((await store.pages(asked, { limit: 2, fromEnd: true }, now())).get(a.id)).toEqual(aRows.slice(3));
    expect((await store.pages([a.id], { after: aRows[1]!.id, before: aRows[4]!.id, limit: 10 }, now())).get(a.id)).toEqual(aRows.slice(2, 4));
    expect(await store.counts(asked, now())).toEqual(
      new Map([
        [a.id, 5],
        [b.id, 1],
        [empty.id, 0],
        ['session_unknown', 0],
      ]),
    );
    expect(await store.pages([], { limit: 1 }, now())).toEqual(new Map());
    expect(await store.counts([], now())).toEqual(new Map());
  });

  it('any slice of any set of sessions equals the model (property)', async ({ store, now, session, artifact }) => {
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
            expect(await store.insert(row, now())).toBe(true);
            model.get(row.sessionId)!.push(row);
          }
          const keys = owners.length ? [...model.values()].flat().map((a) => a.id).sort() : [];
          for (const q of queries) {
            const asked = q.pick.map((i) => ids4[i]!);
            const slice = resolveSlice(q.slice, (pick) => resolveKey(keys, pick, 'artifact_'));
            const pages = await store.pages(asked, slice, now());
            const expired = await store.pagesIncludingExpired(asked, slice);
            for (const id of asked) {
              const expected = modelSlice(sortById(model.get(id)!), (a) => a.id, compareStrings, slice);
              expect(pages.get(id)).toEqual(expected);
              expect(expired.get(id)).toEqual(expected);
            }
            expect(await store.counts(asked, now())).toEqual(new Map(asked.map((id) => [id, model.get(id)!.length])));
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('an expired session’s artifacts answer like an unknown session’s; the maintenance side still sees them', async ({ store, now, session, artifact }) => {
    const s = await session({ ttlSeconds: 60 });
    const other = await session();
    const a = artifact(s.id);
    const b = artifact(other.id);
    expect(await store.insert(a, now())).toBe(true);
    expect(await store.insert(b, now())).toBe(true);
    const expiry = s.expiresAt!;
    const after = new Date(Date.parse(expiry) + 1).toISOString();

    // live just before its expiry, gone at it
    expect(await store.byIds([a.id], new Date(Date.parse(expiry) - 1).toISOString())).toEqual([a]);
    for (const liveAt of [expiry, after]) {
      expect(await store.byIds([a.id, b.id], liveAt)).toEqual([b]);
      expect((await store.pages([s.id], { limit: 10 }, liveAt)).get(s.id)).toEqual([]);
      expect((await store.pages([s.id, other.id], { limit: 10 }, liveAt)).get(s.id)).toEqual([]);
      expect(await store.counts([s.id, other.id], liveAt)).toEqual(new Map([[s.id, 0], [other.id, 1]]));
      expect(await store.insert(artifact(s.id), liveAt)).toBe(false);
      expect(await store.delete(a.id, liveAt)).toBe(false);
    }
    // nothing was written or deleted: the rows wait for the sweeper
    expect((await store.pagesIncludingExpired([s.id], { limit: 10 })).get(s.id)).toEqual([a]);
    expect((await store.pagesIncludingExpired([s.id, other.id], { limit: 10 })).get(s.id)).toEqual([a]);
    expect(await store.byIds([a.id], now())).toEqual([a]);
  });

  it('JSON metadata, names and paths come back as written', async ({ store, now, session, artifact }) => {
    const s = await session();
    const a = artifact(s.id, { metadata: NASTY_JSON });
    await store.insert(a, now());
    expect((await store.byIds([a.id], now()))[0]!.metadata).toEqual(viaJson(NASTY_JSON));
    // Identifiers never contain NUL (the input schemas refuse it).
    for (const text of NASTY_STRINGS.filter((t) => t !== '' && !t.includes('\u0000'))) {
      const named = artifact(s.id, { name: text, type: text, path: text });
      await store.insert(named, now());
      expect(await store.byIds([named.id], now())).toEqual([named]);
    }
  });

  it('inserts and deletes append ArtifactCreated and ArtifactDeleted; refused writes append nothing', async ({ backend, store, now, session, artifact }) => {
    const s = await session();
    const before = (await backend.stores.events.log()).lastSeq;
    const a = artifact(s.id);
    await store.insert(a, now());
    await store.insert(artifact('session_unknown'), now());
    await store.delete('artifact_unknown', now());
    await store.delete(a.id, now());
    const events = await backend.stores.events.after({ sessionId: s.id }, before, 10);
    expect(events.map((e) => e.type)).toEqual(['ArtifactCreated', 'ArtifactDeleted']);
    expect(events[0]).toMatchObject({ artifact: a, agentName: 'agent', sessionId: s.id });
    expect(events[1]).toMatchObject({ artifact: a, agentName: 'agent', sessionId: s.id });
    expect((await backend.stores.events.log()).lastSeq).toBe(before + 2);
  });

  describe('service', () => {
    it('creates an artifact of a session now, reads, lists and deletes it', async ({ service, now, session }) => {
      const s = await session();
      const created = await service.create({ sessionId: s.id, name: 'n', type: 't', path: '/p', size: 1, metadata: { k: 1 } });
      expect(created).toEqual({ id: expect.stringMatching(/^artifact_/), sessionId: s.id, name: 'n', type: 't', path: '/p', size: 1, createdAt: now(), metadata: { k: 1 } });
      expect(await service.get(created.id)).toEqual(created);
      expect(await service.list(s.id, { limit: 10 })).toEqual([created]);
      expect(await service.byIds([created.id])).toEqual([created]);
      expect(await service.pages([s.id], { limit: 10 })).toEqual(new Map([[s.id, [created]]]));
      expect(await service.counts([s.id])).toEqual(new Map([[s.id, 1]]));
      await service.delete(created.id);
      expect(await service.list(s.id, { limit: 10 })).toEqual([]);
    });

    it('names what was not found, with its code and message', async ({ service }) => {
      const missingSession = await failure(service.create({ sessionId: 'session_unknown', name: 'n', type: 't', path: '/p', size: 1, metadata: {} }));
      expect(missingSession).toMatchObject({ code: 'NOT_FOUND', resource: 'Session', message: 'Session not found' });
      expect(await failure(service.get('artifact_unknown'))).toMatchObject({ code: 'NOT_FOUND', resource: 'Artifact', message: 'Artifact not found' });
      expect(await failure(service.delete('artifact_unknown'))).toMatchObject({ code: 'NOT_FOUND', resource: 'Artifact', message: 'Artifact not found' });
      expect(await service.list('session_unknown', { limit: 10 })).toEqual([]);
    });

    it('an artifact of a session that expired by the clock is not found', async ({ clock, service, session }) => {
      const s = await session({ ttlSeconds: 1 });
      const created = await service.create({ sessionId: s.id, name: 'n', type: 't', path: '/p', size: 1, metadata: {} });
      clock.advance(1000);
      expect(await failure(service.get(created.id))).toMatchObject({ code: 'NOT_FOUND', message: 'Artifact not found' });
      expect(await failure(service.delete(created.id))).toMatchObject({ code: 'NOT_FOUND', message: 'Artifact not found' });
      expect(await failure(service.create({ sessionId: s.id, name: 'n', type: 't', path: '/p', size: 1, metadata: {} }))).toMatchObject({
        code: 'NOT_FOUND',
        message: 'Session not found',
      });
      expect(await service.list(s.id, { limit: 10 })).toEqual([]);
    });
  });
});
