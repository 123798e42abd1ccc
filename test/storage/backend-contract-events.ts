import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VersionConflictError } from '../../src/domain/errors.js';
import type { EventScope } from '../../src/domain/events.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { Storage } from '../../src/storage/storage.js';
import { ManualClock } from '../support/fixtures.js';
import type { OpenDatabase as BackendUnderTest } from '../support/databases.js';

/**
 * Which write yields which events (and a failed write none), run on every backend. The feed itself
 * (reading, pruning, delivery) is the events module's contract: test/modules/events/.
 */

export function describeEventContract(name: string, makeBackend: () => Promise<BackendUnderTest>): void {
  describe(`StorageBackend change feed: ${name}`, () => {
    let backend: StorageBackend;
    let cleanup: () => Promise<void>;
    let storage: Storage;
    const all = (scope: EventScope) => backend.stores.events.after(scope, 0, 10_000);

    beforeEach(async () => {
      ({ backend, cleanup } = await makeBackend());
      const clock = new ManualClock();
      storage = new Storage(backend, clock, createIdGenerator(clock));
    });
    afterEach(async () => {
      await cleanup();
    });

    it('every kind of write yields its event, in the order of the writes, with a snapshot of what was written', async () => {
      const s = await storage.sessions.create({ agentName: 'scribe', userId: null, status: 'active', metadata: {} });
      const updated = await storage.sessions.update(s.id, { status: 'paused' });
      const [m1, m2] = await storage.history.addMany(s.id, [
        { role: 'user', content: 'hi', metadata: {}, idempotencyKey: 'k1' },
        { role: 'assistant', content: 'hello', metadata: {} },
      ]);
      await storage.history.addMany(s.id, [{ role: 'user', content: 'hi', metadata: {}, idempotencyKey: 'k1' }]); // a repeat: no event
      const fork = await storage.sessions.fork(s.id, m1!.id);
      expect(await storage.history.clear(s.id)).toBe(2);
      expect(await storage.history.clear(s.id)).toBe(0); // nothing cleared: no event
      const state1 = await storage.state.set(s.id, { step: 1 });
      const state2 = await storage.state.patch(s.id, { more: true });
      await storage.state.delete(s.id);
      const artifact = await storage.artifacts.create({ sessionId: s.id, name: 'a', type: 'file', path: '/a', size: 1, metadata: {} });
      await storage.artifacts.delete(artifact.id);
      const [metric] = await storage.metrics.record([
        { entityType: 'agent', entityName: 'scribe', sessionId: s.id, metricName: 'latency', value: 1.5, timestamp: null, labels: {} },
        { entityType: 'agent', entityName: 'scribe', sessionId: null, metricName: 'latency', value: 2, timestamp: null, labels: {} }, // no session: no event
        { entityType: 'agent', entityName: 'scribe', sessionId: 'session_unknown', metricName: 'latency', value: 3, timestamp: null, labels: {} },
      ]);
      await storage.sessions.delete(s.id);

      const events = await all({ sessionId: s.id });
      expect(events.map((e) => e.type)).toEqual([
        'SessionCreated',
        'SessionUpdated',
        'MessageAdded',
        'MessageAdded',
        'HistoryCleared',
        'StateChanged',
        'StateChanged',
        'StateDeleted',
        'ArtifactCreated',
        'ArtifactDeleted',
        'MetricRecorded',
        'SessionDeleted',
      ]);
      for (const e of events) expect(e).toMatchObject({ sessionId: s.id, agentName: 'scribe' });
      const seqs = events.map((e) => e.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(seqs.length);
      for (const e of events) expect(Number.isNaN(Date.parse(e.time))).toBe(false);

      expect(events[0]).toMatchObject({ session: s });
      expect(events[1]).toMatchObject({ session: updated });
      // Still answerable after the history was cleared and the session deleted.
      expect(events[2]).toMatchObject({ message: m1 });
      expect(events[3]).toMatchObject({ message: m2 });
      expect(events[4]).toMatchObject({ deleted: 2 });
      expect(events[5]).toMatchObject({ state: state1 });
      expect(events[6]).toMatchObject({ state: state2 });
      expect(events[8]).toMatchObject({ artifact });
      expect(events[9]).toMatchObject({ artifact });
      expect(events[10]).toMatchObject({ metric });
      expect(events[11]).toMatchObject({ session: { ...updated } });

      // The fork is a session of its own: one SessionCreated, in its own feed.
      expect((await all({ sessionId: fork.session.id })).map((e) => [e.type, e.sessionId])).toEqual([['SessionCreated', fork.session.id]]);
      // The agent's feed has both sessions' events, in seq order.
      const agent = await all({ agentName: 'scribe' });
      expect(agent).toHaveLength(events.length + 1);
      expect(agent.map((e) => e.seq)).toEqual([...agent.map((e) => e.seq)].sort((a, b) => a - b));
      expect((await backend.stores.events.log()).lastSeq).toBe(Math.max(...agent.map((e) => e.seq)));
    });

    it('a write that fails or changes nothing yields no event; the writes around it keep theirs', async () => {
      const s = await storage.sessions.create({ agentName: 'a', userId: null, status: 'active', metadata: {} });
      const before = (await backend.stores.events.log()).lastSeq;
      const outcomes = await Promise.allSettled([
        storage.history.add({ sessionId: s.id, role: 'user', content: 'kept', metadata: {} }),
        storage.history.add({ sessionId: 'session_missing', role: 'user', content: 'x', metadata: {} }),
        storage.state.set(s.id, { v: 1 }, 5), // compare-and-set lost
        storage.artifacts.create({ sessionId: 'session_missing', name: 'a', type: 't', path: '/', size: 0, metadata: {} }),
        storage.state.delete(s.id), // no state
        storage.sessions.update('session_missing', { status: 'ended' }),
        storage.history.addMany(s.id, [
          { role: 'user', content: 'one', metadata: {}, idempotencyKey: 'same' },
          { role: 'user', content: 'two', metadata: {}, idempotencyKey: 'same' },
        ]), // invalid batch
        storage.history.add({ sessionId: s.id, role: 'user', content: 'kept too', metadata: {} }),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'fulfilled']);
      expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflictError);
      const events = await backend.stores.events.after({ sessionId: s.id }, before, 100);
      expect(events.map((e) => (e.type === 'MessageAdded' ? e.message.content : e.type))).toEqual(['kept', 'kept too']);
      expect(await backend.stores.events.after({ sessionId: 'session_missing' }, 0, 100)).toEqual([]);
    });
  });
}

