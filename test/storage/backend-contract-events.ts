import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CursorExpiredError, NotFoundError, ValidationError, VersionConflictError } from '../../src/domain/errors.js';
import { encodeEventCursor, type EventScope, type StoredEvent } from '../../src/domain/events.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { Storage } from '../../src/storage/storage.js';
import { ManualClock } from '../support/fixtures.js';
import type { BackendUnderTest } from './backend-contract.js';

/**
 * The change feed's contract, run on every backend: which write yields which events (and a failed
 * write none), seq order, pruning, and delivery — replay then live, nothing missed or repeated
 * under concurrent writers.
 */

const FAR_FUTURE = '2999-01-01T00:00:00.000Z';

/** Takes `n` events from a stream, failing (not hanging) if they do not come. */
async function take(stream: AsyncIterator<StoredEvent>, n: number, label = 'stream'): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  const deadline = setTimeout(() => void stream.return?.(), 20_000);
  try {
    while (out.length < n) {
      const { value, done } = await stream.next();
      if (done) throw new Error(`${label} ended after ${out.length} of ${n} events`);
      out.push(value);
    }
  } finally {
    clearTimeout(deadline);
  }
  return out;
}

export function describeEventContract(name: string, makeBackend: () => Promise<BackendUnderTest>): void {
  describe(`StorageBackend change feed: ${name}`, () => {
    let backend: StorageBackend;
    let cleanup: () => Promise<void>;
    let storage: Storage;
    const controller = new AbortController();
    const open = (scope: EventScope, after: string | null = null) => storage.subscribeEvents(scope, after, { signal: controller.signal });
    const all = (scope: EventScope) => backend.eventsAfter(scope, 0, 10_000);

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
      const [m1, m2] = await storage.addMessages(s.id, [
        { role: 'user', content: 'hi', metadata: {}, idempotencyKey: 'k1' },
        { role: 'assistant', content: 'hello', metadata: {} },
      ]);
      await storage.addMessages(s.id, [{ role: 'user', content: 'hi', metadata: {}, idempotencyKey: 'k1' }]); // a repeat: no event
      const fork = await storage.forkSession(s.id, m1!.id);
      expect(await storage.clearHistory(s.id)).toBe(2);
      expect(await storage.clearHistory(s.id)).toBe(0); // nothing cleared: no event
      const state1 = await storage.setState(s.id, { step: 1 });
      const state2 = await storage.patchState(s.id, { more: true });
      await storage.deleteState(s.id);
      const artifact = await storage.createArtifact({ sessionId: s.id, name: 'a', type: 'file', path: '/a', size: 1, metadata: {} });
      await storage.deleteArtifact(artifact.id);
      const [metric] = await storage.recordMetrics([
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
      expect((await backend.eventLog()).lastSeq).toBe(Math.max(...agent.map((e) => e.seq)));
    });

    it('a message snapshot reads back exactly as the message, whatever its content', async () => {
      const s = await storage.sessions.create({ agentName: 'a', userId: null, status: 'active', metadata: {} });
      const added = await storage.addMessages(s.id, [
        { role: 'tool', content: 'nul \u0000 and \ud800 lone and "quotes"', metadata: { deep: { list: [1, 'two', null] }, '\u0000': '' } },
        { role: 'user', content: '', metadata: {}, idempotencyKey: 'key' },
      ]);
      const events = (await all({ sessionId: s.id })).filter((e) => e.type === 'MessageAdded');
      expect(events.map((e) => (e.type === 'MessageAdded' ? e.message : null))).toEqual(added);
    });

    it('a write that fails or changes nothing yields no event; the writes around it keep theirs', async () => {
      const s = await storage.sessions.create({ agentName: 'a', userId: null, status: 'active', metadata: {} });
      const before = (await backend.eventLog()).lastSeq;
      const outcomes = await Promise.allSettled([
        storage.addMessage({ sessionId: s.id, role: 'user', content: 'kept', metadata: {} }),
        storage.addMessage({ sessionId: 'session_missing', role: 'user', content: 'x', metadata: {} }),
        storage.setState(s.id, { v: 1 }, 5), // compare-and-set lost
        storage.createArtifact({ sessionId: 'session_missing', name: 'a', type: 't', path: '/', size: 0, metadata: {} }),
        storage.deleteState(s.id), // no state
        storage.sessions.update('session_missing', { status: 'ended' }),
        storage.addMessages(s.id, [
          { role: 'user', content: 'one', metadata: {}, idempotencyKey: 'same' },
          { role: 'user', content: 'two', metadata: {}, idempotencyKey: 'same' },
        ]), // invalid batch
        storage.addMessage({ sessionId: s.id, role: 'user', content: 'kept too', metadata: {} }),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'fulfilled']);
      expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflictError);
      const events = await backend.eventsAfter({ sessionId: s.id }, before, 100);
      expect(events.map((e) => (e.type === 'MessageAdded' ? e.message.content : e.type))).toEqual(['kept', 'kept too']);
      expect(await backend.eventsAfter({ sessionId: 'session_missing' }, 0, 100)).toEqual([]);
    });

    it('subscribing checks first: unknown session, malformed or foreign cursor, expired cursor', async () => {
      await expect(open({ sessionId: 'session_missing' })).rejects.toBeInstanceOf(NotFoundError);
      const s = await storage.sessions.create({ agentName: 'a', userId: null, status: 'active', metadata: {} });
      for (const bad of ['', 'nope', encodeEventCursor(1).slice(0, -1), Buffer.from('["message",1]').toString('base64url')]) {
        await expect(open({ sessionId: s.id }, bad)).rejects.toBeInstanceOf(ValidationError);
      }
      // A cursor this database never handed out (another tenant's, a restored backup's).
      await expect(open({ sessionId: s.id }, encodeEventCursor(1_000_000))).rejects.toBeInstanceOf(ValidationError);
      // An agent needs no sessions to be listened to.
      await (await open({ agentName: 'nobody-yet' })).return();

      for (let i = 0; i < 5; i++) await storage.addMessage({ sessionId: s.id, role: 'user', content: `m${i}`, metadata: {} });
      const events = await all({ sessionId: s.id });
      expect(await storage.pruneEvents(FAR_FUTURE, 2)).toBe(6); // all six, two at a time
      expect((await backend.eventLog()).prunedThrough).toBe(events.at(-1)!.seq);
      expect(await all({ sessionId: s.id })).toEqual([]);
      await expect(open({ sessionId: s.id }, encodeEventCursor(events[3]!.seq))).rejects.toBeInstanceOf(CursorExpiredError);
      // The newest pruned event's cursor is still good: nothing after it was pruned.
      const stream = await open({ sessionId: s.id }, encodeEventCursor(events.at(-1)!.seq));
      await storage.addMessage({ sessionId: s.id, role: 'user', content: 'after pruning', metadata: {} });
      const [next] = await take(stream, 1);
      expect(next).toMatchObject({ type: 'MessageAdded', message: { content: 'after pruning' } });
      expect(next!.seq).toBeGreaterThan(events.at(-1)!.seq); // seqs are never reused
      await stream.return();
    });

    it('pruning keeps what is younger than the cut-off', async () => {
      const s = await storage.sessions.create({ agentName: 'a', userId: null, status: 'active', metadata: {} });
      await storage.addMessage({ sessionId: s.id, role: 'user', content: 'x', metadata: {} });
      expect(await storage.pruneEvents('2000-01-01T00:00:00.000Z')).toBe(0);
      expect(await all({ sessionId: s.id })).toHaveLength(2);
      expect((await backend.eventLog()).prunedThrough).toBe(0);
    });

    it('under concurrent writers, a subscriber from the start and one reconnecting mid-way both see every event exactly once, in order', async () => {
      const s = await storage.sessions.create({ agentName: 'busy', userId: null, status: 'active', metadata: {} });
      const other = await storage.sessions.create({ agentName: 'busy', userId: null, status: 'active', metadata: {} });
      const early = await open({ sessionId: s.id });
      const agentStream = await open({ agentName: 'busy' });
      const WRITERS = 8;
      const PER_WRITER = 30;
      const writes = Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          for (let i = 0; i < PER_WRITER; i++) {
            if (i % 10 === 5) await storage.setState(s.id, { w, i });
            else await storage.addMessage({ sessionId: s.id, role: 'user', content: `w${w}-${i}`, metadata: {} });
            if (i % 3 === 0) await storage.addMessage({ sessionId: other.id, role: 'user', content: `o${w}-${i}`, metadata: {} });
          }
        }),
      );
      const total = WRITERS * PER_WRITER;
      // The second subscriber joins while the writers run, reads a part, goes away, and comes back
      // with the cursor of the last event it saw.
      const late = await open({ sessionId: s.id });
      const firstPart = await take(late, 50, 'late (first part)');
      await late.return();
      const resumed = await open({ sessionId: s.id }, encodeEventCursor(firstPart.at(-1)!.seq));
      const fromEarly = await take(early, total, 'early');
      await writes;

      const sessionEvents = (await all({ sessionId: s.id })).filter((e) => e.type !== 'SessionCreated');
      expect(sessionEvents).toHaveLength(total);
      expect(fromEarly.map((e) => e.seq)).toEqual(sessionEvents.map((e) => e.seq));
      // The late subscriber started live, somewhere in the middle: from there on it saw everything.
      const start = sessionEvents.findIndex((e) => e.seq === firstPart[0]!.seq);
      expect(start).toBeGreaterThanOrEqual(0);
      const expectedLate = sessionEvents.slice(start);
      const lateSeen = [...firstPart, ...(await take(resumed, expectedLate.length - firstPart.length, 'resumed'))];
      expect(lateSeen.map((e) => e.seq)).toEqual(expectedLate.map((e) => e.seq));

      const agentTruth = (await all({ agentName: 'busy' })).filter((e) => e.type !== 'SessionCreated');
      const fromAgent = await take(agentStream, agentTruth.length, 'agent');
      expect(fromAgent.map((e) => e.seq)).toEqual(agentTruth.map((e) => e.seq));
      await Promise.all([early.return(), resumed.return(), agentStream.return()]);
    }, 60_000);

    it('a stream ends at once when its signal aborts or its consumer returns, even while it waits', async () => {
      const s = await storage.sessions.create({ agentName: 'a', userId: null, status: 'active', metadata: {} });
      const aborter = new AbortController();
      let finished = 0;
      const stream = await storage.subscribeEvents({ sessionId: s.id }, null, { signal: aborter.signal, onFinish: () => finished++ });
      const waiting = stream.next();
      aborter.abort();
      expect(await waiting).toEqual({ value: undefined, done: true });
      expect(finished).toBe(1);
      await stream.return();
      expect(finished).toBe(1);

      const other = await open({ sessionId: s.id });
      const pending = other.next();
      await other.return();
      expect(await pending).toEqual({ value: undefined, done: true });
    });
  });
}

