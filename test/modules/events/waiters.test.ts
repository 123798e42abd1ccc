import { describe, expect, it } from 'vitest';
import type { EventTouch, NewEvent } from '../../../src/domain/events.js';
import { EventService } from '../../../src/modules/events/service.js';
import { type CrossProcessListener, EventWaiters } from '../../../src/modules/events/waiters.js';
import type { StorageBackend } from '../../../src/storage/backend.js';
import { PostgresBackend } from '../../../src/storage/postgres/postgres-backend.js';
import { SqliteBackend } from '../../../src/storage/sqlite/sqlite-backend.js';
import { tempDatabase } from '../../support/fixtures.js';
import { TEST_PG_URL, testSchema } from '../../support/postgres.js';

/** Appends `count` events of a session in one transaction, as a module's write does. */
async function write(backend: StorageBackend, sessionId: string, count = 1): Promise<void> {
  const batch = Array.from({ length: count }, (): NewEvent => ({ type: 'StateDeleted', sessionId, agentName: 'a' }));
  await backend.runner.transaction(function* () {
    yield* backend.appendEvents(batch);
  });
}

/** Waits until `condition` holds, failing (not hanging) after a while. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('EventWaiters', () => {
  it('starts the cross-process listener with the first waiter and stops it with the last; none after close', async () => {
    const calls: string[] = [];
    const listener: CrossProcessListener = { start: () => void calls.push('start'), stop: async () => void calls.push('stop') };
    const waiters = new EventWaiters();
    waiters.listenWith(listener);
    const heard: (EventTouch | null)[] = [];
    const stopA = waiters.on((touch) => heard.push(touch));
    const stopB = waiters.on(() => {});
    expect(calls).toEqual(['start']);
    waiters.wake(null);
    expect(heard).toEqual([null]);
    stopA();
    stopA(); // twice: still one waiter left
    expect(calls).toEqual(['start']);
    stopB();
    expect(calls).toEqual(['start', 'stop']);
    waiters.wake(null);
    expect(heard).toEqual([null]);
    waiters.on(() => {});
    expect(calls).toEqual(['start', 'stop', 'start']);
    await waiters.close();
    expect(calls).toEqual(['start', 'stop', 'start', 'stop']);
    const late: unknown[] = [];
    waiters.on((touch) => late.push(touch))();
    waiters.wake(null);
    expect(late).toEqual([]);
    expect(calls).toEqual(['start', 'stop', 'start', 'stop']);
  });
});

describe('hearing other processes', () => {
  it('SQLite: a stream of one connection sees events written through another (the poll), every one once', async () => {
    const db = tempDatabase();
    const reader = new SqliteBackend({ filename: db.filename, eventPollMs: 20 });
    const writer = new SqliteBackend({ filename: db.filename });
    try {
      const events = new EventService(reader.stores.events, reader.eventWaiters, async () => {});
      const stream = await events.subscribe({ sessionId: 'session_a' }, null, { signal: new AbortController().signal });
      const received: number[] = [];
      const reading = (async () => {
        for await (const event of stream) if (received.push(event.seq) === 30) break;
      })();
      // Written through the other connection: this one hears of them only by polling.
      for (let i = 0; i < 30; i++) await write(writer, 'session_a');
      await reading;
      const truth = (await writer.stores.events.after({ sessionId: 'session_a' }, 0, 100)).map((e) => e.seq);
      expect(received).toEqual(truth);
    } finally {
      await reader.close();
      await writer.close();
      db.cleanup();
    }
  });

  it('PostgreSQL: a waiter on one backend hears the sessions another backend on the schema appended to (LISTEN/NOTIFY)', async () => {
    const target = testSchema();
    const listening = await PostgresBackend.open({ connectionString: TEST_PG_URL, schema: target.schema, poolSize: 2 });
    const writer = await PostgresBackend.open({ connectionString: TEST_PG_URL, schema: target.schema, poolSize: 2 });
    try {
      const heard: (string[] | null)[] = [];
      const stop = listening.eventWaiters.on((touch) => heard.push(touch && [...touch.sessionIds]));
      // Once listening, the listener wakes everyone (null) to catch up on what it may have missed.
      await until(() => heard.includes(null), 'the LISTEN connection');
      await write(writer, 'session_b', 2);
      await until(() => heard.some((h) => h?.includes('session_b')), 'the NOTIFY');
      stop();
    } finally {
      await listening.close();
      await writer.close();
      await target.drop();
    }
  });
});
