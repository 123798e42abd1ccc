import { expect } from 'vitest';
import { defineStatements, type Placeholders } from '../../../src/db/statements.js';
import { NotFoundError } from '../../../src/domain/errors.js';
import { encodeEventCursor, type EventScope, type NewEvent, type StoredEvent } from '../../../src/domain/events.js';
import { EventService } from '../../../src/modules/events/service.js';
import { describeOnDatabases } from '../../support/store-fixture.js';

/**
 * The change feed itself, on every database: reading after a seq by scope, the log, pruning, and
 * delivery through `EventService` streams — replay then live, nothing missed or repeated under
 * concurrent writers, ended at once when asked. Events are appended as every module's writes do
 * (`backend.appendEvents` inside a transaction); which write yields which event is each writing
 * module's contract (see test/storage/backend-contract-events.ts).
 */

const FAR_FUTURE = '2999-01-01T00:00:00.000Z';
const SESSION_NOT_FOUND = { code: 'NOT_FOUND', message: 'Session not found' };
const NOT_A_CURSOR = { code: 'BAD_USER_INPUT', message: 'after: is not an event cursor' };
const FOREIGN_CURSOR = { code: 'BAD_USER_INPUT', message: 'after: is not a cursor of this event feed' };
const EXPIRED = {
  code: 'CURSOR_EXPIRED',
  message: 'The cursor is older than the event retention window: events after it were pruned; subscribe again without one',
};

/** Statements a test uses to set up what writes cannot: old events, a moved prune mark. */
const setUp = defineStatements({
  testAgeEvent: (db, p: Placeholders<{ seq: number; time: string }>) => db.updateTable('events').set({ time: p('time') }).where('seq', '=', p('seq')),
  testSetPrunedThrough: (db, p: Placeholders<{ seq: number }>) => db.updateTable('event_log').set({ pruned_through: p('seq') }),
});

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

describeOnDatabases('EventStore and EventService', (test) => {
  const controller = new AbortController();
  const it = test
    .extend('store', ({ stores }) => stores.events)
    /** The service over the store, for which sessions `session_a` and `session_b` exist (sessions are another module's). */
    .extend('events', ({ backend, store }) => {
      const sessions = new Set(['session_a', 'session_b']);
      return new EventService(store, backend.eventWaiters, async (id) => {
        if (!sessions.has(id)) throw new NotFoundError('Session');
      });
    })
    .extend('subscribe', ({ events }) => (scope: EventScope, after: string | null = null) => events.subscribe(scope, after, { signal: controller.signal }))
    .extend('all', ({ store }) => (scope: EventScope) => store.after(scope, 0, 10_000))
    /** Appends `count` events of a session in one transaction, as a module's write does; their `deleted` numbers, from 1 in each test. */
    .extend('write', ({ backend }) => {
      let counter = 0;
      return async (sessionId: string, agentName = 'agent', count = 1): Promise<number[]> => {
        const batch = Array.from({ length: count }, (): NewEvent => ({ type: 'HistoryCleared', deleted: ++counter, sessionId, agentName }));
        await backend.runner.transaction(function* () {
          yield* backend.appendEvents(batch);
        });
        return batch.map((e) => (e.type === 'HistoryCleared' ? e.deleted : 0));
      };
    });
  const tag = (e: StoredEvent) => (e.type === 'HistoryCleared' ? e.deleted : null);

  it('after: the events of one session or one agent above a seq, in seq order, at most `limit`', async ({ store, write, all }) => {
    expect(await store.log()).toEqual({ lastSeq: 0, prunedThrough: 0 });
    await write('session_a', 'x', 3);
    await write('session_b', 'x');
    await write('session_b', 'y', 2);
    await write('session_a', 'y');

    const a = await all({ sessionId: 'session_a' });
    expect(a.map(tag)).toEqual([1, 2, 3, 7]);
    for (const e of a) expect(e).toMatchObject({ type: 'HistoryCleared', sessionId: 'session_a' });
    expect(a.map((e) => e.seq)).toEqual([...a.map((e) => e.seq)].sort((x, y) => x - y));
    for (const e of a) expect(new Date(e.time).toISOString()).toBe(e.time);
    expect((await all({ agentName: 'y' })).map(tag)).toEqual([5, 6, 7]);
    expect((await store.after({ sessionId: 'session_a' }, a[0]!.seq, 2)).map(tag)).toEqual([2, 3]);
    expect(await store.after({ sessionId: 'session_a' }, a.at(-1)!.seq, 10)).toEqual([]);
    expect(await all({ sessionId: 'session_unknown' })).toEqual([]);
    expect(await all({ agentName: 'nobody' })).toEqual([]);

    const every = [...(await all({ agentName: 'x' })), ...(await all({ agentName: 'y' }))];
    expect(await store.log()).toEqual({ lastSeq: Math.max(...every.map((e) => e.seq)), prunedThrough: 0 });
  });

  it('prune: the oldest `limit` events before the cut-off and every lower seq; the mark only grows; seqs are never reused', async ({ backend, store, write, all }) => {
    await write('session_a', 'a', 4);
    const [e1, e2, e3, e4] = await all({ sessionId: 'session_a' });
    const { testAgeEvent, testSetPrunedThrough } = setUp.for(backend.runner.dialect);
    // e2 is the oldest by time: pruning one event ends the window at its seq, so e1 goes with it.
    await backend.runner.write(testAgeEvent, { seq: e2!.seq, time: '2000-01-01T00:00:00.000Z' });
    await backend.runner.write(testAgeEvent, { seq: e1!.seq, time: '2000-01-02T00:00:00.000Z' });
    expect(await store.prune('2001-01-01T00:00:00.000Z', 1)).toBe(2);
    expect((await all({ sessionId: 'session_a' })).map((e) => e.seq)).toEqual([e3!.seq, e4!.seq]);
    expect(await store.log()).toEqual({ lastSeq: e4!.seq, prunedThrough: e2!.seq });
    // Nothing before the cut-off: nothing deleted, the mark stays.
    expect(await store.prune('2001-01-01T00:00:00.000Z', 10)).toBe(0);
    expect((await store.log()).prunedThrough).toBe(e2!.seq);

    // A mark already past what this prune removes is kept.
    await backend.runner.write(testSetPrunedThrough, { seq: e4!.seq + 100 });
    expect(await store.prune(FAR_FUTURE, 10)).toBe(2);
    expect(await store.log()).toEqual({ lastSeq: e4!.seq, prunedThrough: e4!.seq + 100 });
    await backend.runner.write(testSetPrunedThrough, { seq: 0 });

    // Pruning the newest events does not give their seqs out again.
    await write('session_a', 'a');
    const [next] = await all({ sessionId: 'session_a' });
    expect(next!.seq).toBeGreaterThan(e4!.seq);
  });

  it('subscribing checks first: unknown session, malformed or foreign cursor, expired cursor', async ({ store, events, write, subscribe, all }) => {
    await expect(subscribe({ sessionId: 'session_missing' })).rejects.toMatchObject(SESSION_NOT_FOUND);
    for (const bad of ['', 'nope', encodeEventCursor(1).slice(0, -1), Buffer.from('["message",1]').toString('base64url')]) {
      await expect(subscribe({ sessionId: 'session_a' }, bad)).rejects.toMatchObject(NOT_A_CURSOR);
    }
    // A cursor this database never handed out (another tenant's, a restored backup's).
    await expect(subscribe({ sessionId: 'session_a' }, encodeEventCursor(1_000_000))).rejects.toMatchObject(FOREIGN_CURSOR);
    // An agent needs no sessions to be listened to.
    await (await subscribe({ agentName: 'nobody-yet' })).return();

    for (let i = 0; i < 6; i++) await write('session_a');
    const written = await all({ sessionId: 'session_a' });
    expect(await events.prune(FAR_FUTURE, 2)).toBe(6); // all six, two at a time
    expect((await store.log()).prunedThrough).toBe(written.at(-1)!.seq);
    expect(await all({ sessionId: 'session_a' })).toEqual([]);
    await expect(subscribe({ sessionId: 'session_a' }, encodeEventCursor(written[3]!.seq))).rejects.toMatchObject(EXPIRED);
    // The newest pruned event's cursor is still good: nothing after it was pruned.
    const stream = await subscribe({ sessionId: 'session_a' }, encodeEventCursor(written.at(-1)!.seq));
    const [tagged] = await write('session_a');
    const [next] = await take(stream, 1);
    expect(next).toMatchObject({ type: 'HistoryCleared', deleted: tagged });
    expect(next!.seq).toBeGreaterThan(written.at(-1)!.seq); // seqs are never reused
    await stream.return();
  });

  it('a refused subscription is finished at once: onFinish is called, once', async ({ events }) => {
    let finished = 0;
    const refused = events.subscribe({ sessionId: 'session_missing' }, null, { signal: controller.signal, onFinish: () => finished++ });
    await expect(refused).rejects.toMatchObject(SESSION_NOT_FOUND);
    expect(finished).toBe(1);
    await expect(
      events.subscribe({ sessionId: 'session_a' }, encodeEventCursor(1_000_000), { signal: controller.signal, onFinish: () => finished++ }),
    ).rejects.toMatchObject(FOREIGN_CURSOR);
    expect(finished).toBe(2);
  });

  it('pruning keeps what is younger than the cut-off', async ({ store, events, write, all }) => {
    await write('session_a', 'a', 2);
    expect(await events.prune('2000-01-01T00:00:00.000Z')).toBe(0);
    expect(await all({ sessionId: 'session_a' })).toHaveLength(2);
    expect((await store.log()).prunedThrough).toBe(0);
  });

  it('a stream replays after its cursor, then continues live; without one it starts with the next event', async ({ write, subscribe, all }) => {
    const [first] = await write('session_a', 'a', 3);
    const [early] = await all({ sessionId: 'session_a' });
    const replaying = await subscribe({ sessionId: 'session_a' }, encodeEventCursor(early!.seq));
    const live = await subscribe({ sessionId: 'session_a' });
    await write('session_b', 'a'); // another session's: neither stream
    const [later] = await write('session_a', 'a');
    expect((await take(replaying, 3)).map(tag)).toEqual([first! + 1, first! + 2, later]);
    expect((await take(live, 1)).map(tag)).toEqual([later]);
    await Promise.all([replaying.return(), live.return()]);
  });

  it('under concurrent writers, a subscriber from the start and one reconnecting mid-way both see every event exactly once, in order', async ({ write, subscribe, all }) => {
    const early = await subscribe({ sessionId: 'session_a' });
    const agentStream = await subscribe({ agentName: 'busy' });
    const WRITERS = 8;
    const PER_WRITER = 30;
    // Half the writers append two events per write now and then.
    const eventsPerWrite = (w: number, i: number) => (w % 2 === 1 && i % 10 !== 5 ? 2 : 1);
    let total = 0;
    for (let w = 0; w < WRITERS; w++) for (let i = 0; i < PER_WRITER; i++) total += eventsPerWrite(w, i);
    const writes = Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        for (let i = 0; i < PER_WRITER; i++) {
          await write('session_a', 'busy', eventsPerWrite(w, i));
          if (i % 3 === 0) await write('session_b', 'busy');
        }
      }),
    );
    // The second subscriber joins while the writers run, reads a part, goes away, and comes back
    // with the cursor of the last event it saw.
    const late = await subscribe({ sessionId: 'session_a' });
    const firstPart = await take(late, 50, 'late (first part)');
    await late.return();
    const resumed = await subscribe({ sessionId: 'session_a' }, encodeEventCursor(firstPart.at(-1)!.seq));
    const fromEarly = await take(early, total, 'early');
    await writes;

    const sessionEvents = await all({ sessionId: 'session_a' });
    expect(sessionEvents).toHaveLength(total);
    expect(fromEarly.map((e) => e.seq)).toEqual(sessionEvents.map((e) => e.seq));
    // The late subscriber started live, somewhere in the middle: from there on it saw everything.
    const start = sessionEvents.findIndex((e) => e.seq === firstPart[0]!.seq);
    expect(start).toBeGreaterThanOrEqual(0);
    const expectedLate = sessionEvents.slice(start);
    const lateSeen = [...firstPart, ...(await take(resumed, expectedLate.length - firstPart.length, 'resumed'))];
    expect(lateSeen.map((e) => e.seq)).toEqual(expectedLate.map((e) => e.seq));

    const agentTruth = await all({ agentName: 'busy' });
    const fromAgent = await take(agentStream, agentTruth.length, 'agent');
    expect(fromAgent.map((e) => e.seq)).toEqual(agentTruth.map((e) => e.seq));
    await Promise.all([early.return(), resumed.return(), agentStream.return()]);
  }, 60_000);

  it('a stream ends at once when its signal aborts or its consumer returns, even while it waits', async ({ events, subscribe }) => {
    const aborter = new AbortController();
    let finished = 0;
    const stream = await events.subscribe({ sessionId: 'session_a' }, null, { signal: aborter.signal, onFinish: () => finished++ });
    const waiting = stream.next();
    aborter.abort();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(finished).toBe(1);
    await stream.return();
    expect(finished).toBe(1);

    const other = await subscribe({ sessionId: 'session_a' });
    const pending = other.next();
    await other.return();
    expect(await pending).toEqual({ value: undefined, done: true });
  });

  it('wake-ups: every waiter hears a commit with events, with whom they concern; an unsubscribed one does not', async ({ backend, write }) => {
    const heard: (string[] | null)[] = [];
    const gone: unknown[] = [];
    const stop = backend.eventWaiters.on((touch) => heard.push(touch && [...touch.sessionIds]));
    const stopGone = backend.eventWaiters.on((touch) => gone.push(touch));
    stopGone();
    await write('session_b', 'a', 2);
    // This process's own commit wakes at once (a cross-process listener may add wake-ups of its own).
    expect(heard).toContainEqual(['session_b']);
    expect(gone).toEqual([]);
    stop();
  });
});
