import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, type Resource } from '../../src/domain/errors.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import type { CreateSessionInput } from '../../src/domain/inputs.js';
import { SqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import { Storage } from '../../src/storage/storage.js';
import { ManualClock, tempDatabase } from '../support/fixtures.js';

const ID_BODY = '[0-9a-hjkmnp-tv-z]{26}';
const START = Date.parse('2026-03-04T05:06:07.089Z');

describe('Storage (domain operations)', () => {
  let db: ReturnType<typeof tempDatabase>;
  let backend: SqliteBackend;
  let clock: ManualClock;
  let storage: Storage;

  beforeEach(() => {
    db = tempDatabase();
    backend = new SqliteBackend({ filename: db.filename });
    clock = new ManualClock(START);
    storage = new Storage(backend, clock, createIdGenerator(clock));
  });
  afterEach(async () => {
    await backend.close();
    db.cleanup();
  });

  const newSession = (input: Partial<CreateSessionInput> = {}) =>
    storage.sessions.create({ agentName: 'planner', userId: 'u1', status: 'active', metadata: {}, ...input });

  async function expectNotFound(promise: Promise<unknown>, resource: Resource): Promise<void> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ resource, code: 'NOT_FOUND', message: `${resource} not found` });
  }

  describe('ids and timestamps', () => {
    it('prefixes ids by kind and stamps records with the clock, in ISO UTC', async () => {
      const session = await newSession({ metadata: { a: 1 } });
      expect(session.id).toMatch(new RegExp(`^session_${ID_BODY}$`));
      expect(session).toMatchObject({ createdAt: '2026-03-04T05:06:07.089Z', updatedAt: '2026-03-04T05:06:07.089Z' });

      clock.advance(1000);
      const [message] = await storage.history.addMany(session.id, [{ role: 'user', content: 'hi', metadata: {} }]);
      expect(message!.id).toMatch(new RegExp(`^msg_${ID_BODY}$`));
      expect(message!.timestamp).toBe('2026-03-04T05:06:08.089Z');

      clock.advance(1000);
      const artifact = await storage.artifacts.create({ sessionId: session.id, name: 'n', type: 't', path: '/p', size: 3, metadata: {} });
      expect(artifact.id).toMatch(new RegExp(`^artifact_${ID_BODY}$`));
      expect(artifact.createdAt).toBe('2026-03-04T05:06:09.089Z');

      clock.advance(1000);
      const [metric] = await storage.metrics.record([
        { entityType: 'agent', entityName: 'planner', sessionId: null, metricName: 'm', value: 1, timestamp: null, labels: {} },
      ]);
      expect(metric!.id).toMatch(new RegExp(`^metric_${ID_BODY}$`));
      expect(metric!.timestamp).toBe('2026-03-04T05:06:10.089Z');

      clock.advance(1000);
      const state = await storage.state.set(session.id, { x: 1 });
      expect(state).toEqual({ sessionId: session.id, data: { x: 1 }, updatedAt: '2026-03-04T05:06:11.089Z', version: 1 });

      // what the operations return is what is stored
      expect(await storage.sessions.get(session.id)).toEqual(session);
      expect(await storage.history.get(message!.id)).toEqual(message);
      expect(await storage.artifacts.get(artifact.id)).toEqual(artifact);
      expect(await storage.metrics.list({}, { limit: 10 })).toEqual([metric]);
      expect(await storage.state.get(session.id)).toEqual(state);
    });

    it('ids made in the same millisecond still sort in creation order', async () => {
      const sessions = [];
      for (let i = 0; i < 20; i++) sessions.push(await newSession({ agentName: `a${i}` }));
      const ids = sessions.map((s) => s.id);
      expect([...ids].sort()).toEqual(ids);
      expect(new Set(ids).size).toBe(20);
      expect((await storage.sessions.list({}, { limit: 100 })).map((s) => s.id)).toEqual([...ids].reverse());
    });

    it('updateSession moves updatedAt, keeps createdAt and keeps fields given as null', async () => {
      const session = await newSession({ metadata: { a: 1 } });
      clock.advance(60_000);
      const updated = await storage.sessions.update(session.id, { status: 'ended', agentName: null, userId: undefined, metadata: null });
      expect(updated).toEqual({ ...session, status: 'ended', updatedAt: '2026-03-04T05:07:07.089Z' });
      expect(await storage.sessions.get(session.id)).toEqual(updated);
    });

    it('addMessages stamps one batch with one timestamp and consecutive seq', async () => {
      const session = await newSession();
      const added = await storage.history.addMany(session.id, [
        { role: 'system', content: 'be brief', metadata: {} },
        { role: 'user', content: 'hi', metadata: { lang: 'en' } },
      ]);
      expect(added.map((m) => [m.seq, m.sessionId, m.timestamp])).toEqual([
        [1, session.id, clock.iso()],
        [2, session.id, clock.iso()],
      ]);
      const single = await storage.history.add({ sessionId: session.id, role: 'assistant', content: 'hello', metadata: {} });
      expect(single).toMatchObject({ seq: 3, role: 'assistant', content: 'hello', sessionId: session.id });
      expect(await storage.history.list(session.id, { limit: 10 })).toEqual([...added, single]);
      expect(await storage.history.list('session_unknown', { limit: 10 })).toEqual([]);
    });

    it('recordMetrics keeps explicit timestamps and defaults the others to now', async () => {
      const recorded = await storage.metrics.record([
        { entityType: 'agent', entityName: 'a', sessionId: null, metricName: 'm', value: 1, timestamp: '2020-05-05T00:00:00.000Z', labels: { k: 'v' } },
        { entityType: 'agent', entityName: 'a', sessionId: 'session_gone', metricName: 'm', value: 2, timestamp: null, labels: {} },
      ]);
      expect(recorded.map((m) => m.timestamp)).toEqual(['2020-05-05T00:00:00.000Z', clock.iso()]);
      expect(recorded[1]!.sessionId).toBe('session_gone'); // metrics need no live session
      expect(await storage.metrics.list({ entityName: 'a' }, { limit: 10 })).toEqual(recorded);
      expect(await storage.metrics.count({ since: '2021-01-01T00:00:00.000Z' })).toBe(1);
    });
  });

  describe('not found', () => {
    it('reports a missing session, message, state, artifact or cache entry as NotFoundError', async () => {
      const session = await newSession();
      await expectNotFound(storage.sessions.get('session_unknown'), 'Session');
      await expectNotFound(storage.sessions.update('session_unknown', { status: 'ended' }), 'Session');
      await expectNotFound(storage.sessions.delete('session_unknown'), 'Session');
      await expectNotFound(storage.history.addMany('session_unknown', [{ role: 'user', content: 'x', metadata: {} }]), 'Session');
      await expectNotFound(storage.history.add({ sessionId: 'session_unknown', role: 'user', content: 'x', metadata: {} }), 'Session');
      await expectNotFound(storage.history.get('msg_unknown'), 'Message');
      await expectNotFound(storage.state.set('session_unknown', { x: 1 }), 'Session');
      await expectNotFound(storage.state.get(session.id), 'State');
      await expectNotFound(storage.state.get('session_unknown'), 'State');
      await expectNotFound(storage.state.delete(session.id), 'State');
      await expectNotFound(storage.artifacts.create({ sessionId: 'session_unknown', name: 'n', type: 't', path: '/p', size: 1, metadata: {} }), 'Session');
      await expectNotFound(storage.artifacts.get('artifact_unknown'), 'Artifact');
      await expectNotFound(storage.artifacts.delete('artifact_unknown'), 'Artifact');
      // and none of the failed writes left anything behind
      expect(await storage.sessions.count({})).toBe(1);
      expect(await backend.stores.history.countsIncludingExpired(['session_unknown'])).toEqual(new Map([['session_unknown', 0]]));
      expect(await backend.stores.state.bySessionIds(['session_unknown'], clock.iso())).toEqual([]);
      expect(await backend.stores.artifacts.counts(['session_unknown'], clock.iso())).toEqual(new Map([['session_unknown', 0]]));
    });

    it('a deleted session and everything in it reads as not found', async () => {
      const session = await newSession();
      const [message] = await storage.history.addMany(session.id, [{ role: 'user', content: 'x', metadata: {} }]);
      await storage.state.set(session.id, 1);
      const artifact = await storage.artifacts.create({ sessionId: session.id, name: 'n', type: 't', path: '/p', size: 1, metadata: {} });
      await storage.sessions.delete(session.id);
      await expectNotFound(storage.sessions.get(session.id), 'Session');
      await expectNotFound(storage.history.get(message!.id), 'Message');
      await expectNotFound(storage.state.get(session.id), 'State');
      await expectNotFound(storage.artifacts.get(artifact.id), 'Artifact');
      await expectNotFound(storage.sessions.delete(session.id), 'Session');
    });

    it('deletes state and artifacts once', async () => {
      const session = await newSession();
      await storage.state.set(session.id, 'x');
      await storage.state.delete(session.id);
      await expectNotFound(storage.state.delete(session.id), 'State');
      const artifact = await storage.artifacts.create({ sessionId: session.id, name: 'n', type: 't', path: '/p', size: 1, metadata: {} });
      await storage.artifacts.delete(artifact.id);
      await expectNotFound(storage.artifacts.delete(artifact.id), 'Artifact');
    });
  });

  describe('history and counts', () => {
    it('clearHistory says how many messages went, and an unknown session has none', async () => {
      const session = await newSession();
      await storage.history.addMany(session.id, [
        { role: 'user', content: 'a', metadata: {} },
        { role: 'user', content: 'b', metadata: {} },
      ]);
      expect(await storage.history.clear(session.id)).toBe(2);
      expect(await storage.history.clear(session.id)).toBe(0);
      expect(await storage.history.clear('session_unknown')).toBe(0);
      expect(await storage.history.counts([session.id])).toEqual(new Map([[session.id, 0]]));
    });
  });
});
