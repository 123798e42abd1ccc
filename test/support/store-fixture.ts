import { test as base, describe } from 'vitest';
import { createIdGenerator } from '../../src/domain/ids.js';
import type { CreateSessionInput } from '../../src/domain/inputs.js';
import type { JsonObject } from '../../src/domain/json.js';
import type { Artifact, Message, MessageRole, Metric } from '../../src/domain/records.js';
import type { NewMessage } from '../../src/modules/history/messages.js';
import { Storage } from '../../src/storage/storage.js';
import { databases } from './databases.js';
import { ManualClock } from './fixtures.js';

/*
 * The store contracts' vitest fixtures: the same cases on a real SQLite file and on a throwaway
 * PostgreSQL schema, each test with a fresh, migrated database of its own,
 *
 *   describeOnDatabases('ArtifactStore contract', (test) => {
 *     const it = test.extend('store', ({ stores }) => stores.artifacts);
 *     it('…', async ({ store, session, now }) => { … });
 *   });
 *
 * A test names what it needs: `backend` (and its `stores`), a `clock` it moves by hand, the `ids`
 * and the domain `storage` over them, an `otherBackend` to move data to, and makers of records
 * (`session`, `message`, `artifact`, `metric`) with the fields a test does not care about filled
 * in. Only what a test names is set up; its databases are closed and removed when it ends, passed
 * or failed.
 */

/** A clock of its own, for stores that are not a database (the cache on Redis). */
export const clockTest = base.extend('clock', () => new ManualClock());

/** A session's fields a test may choose; the rest are an active session of `agent` for `user-1`. */
export type SessionFields = Partial<Pick<CreateSessionInput, 'agentName' | 'userId' | 'status' | 'metadata' | 'ttlSeconds'>>;

/** A message not yet given to a session: `forSession` gives it one. */
export type UnsentMessage = Omit<Message, 'sessionId' | 'seq'>;

export const forSession = (sessionId: string, list: UnsentMessage[]): NewMessage[] => list.map((m) => ({ ...m, sessionId }));

function storeTest(database: (typeof databases)[number]) {
  const open = async ({}: object, { onCleanup }: { onCleanup(cleanup: () => Promise<void>): void }) => {
    const { backend, cleanup } = await database.open();
    onCleanup(cleanup);
    return backend;
  };
  return clockTest
    .extend('backend', open)
    /** A second fresh database of the same kind, for a test that moves data from one to another. */
    .extend('otherBackend', open)
    .extend('stores', ({ backend }) => backend.stores)
    .extend('ids', ({ clock }) => createIdGenerator(clock))
    .extend('storage', ({ backend, clock, ids }) => new Storage(backend, clock, ids))
    /** The moment whose live records a serving read sees: the clock's now. */
    .extend('now', ({ clock }) => () => clock.iso())
    .extend('session', ({ storage }) => (fields: SessionFields = {}) =>
      storage.sessions.create({ agentName: 'agent', userId: 'user-1', status: 'active', metadata: {}, ...fields }),
    )
    .extend('message', ({ ids, clock }) => (content: string, role: MessageRole = 'user', metadata: JsonObject = {}): UnsentMessage => ({
      id: ids.next('message'),
      role,
      content,
      item: null,
      timestamp: clock.iso(),
      metadata,
      idempotencyKey: null,
      tokenCount: null,
    }))
    .extend('artifact', ({ ids, clock }) => (sessionId: string, fields: Partial<Artifact> = {}): Artifact => ({
      id: ids.next('artifact'),
      sessionId,
      name: 'report.pdf',
      type: 'document',
      path: '/files/report.pdf',
      size: 1234,
      createdAt: clock.iso(),
      metadata: {},
      ...fields,
    }))
    .extend('metric', ({ ids, clock }) => (fields: Partial<Metric> = {}): Metric => ({
      id: ids.next('metric'),
      entityType: 'agent',
      entityName: 'planner',
      sessionId: null,
      metricName: 'latency_ms',
      value: 1,
      timestamp: clock.iso(),
      labels: {},
      ...fields,
    }));
}

/** The `test` of one database, which a contract extends with fixtures of its own. */
export type StoreTest = ReturnType<typeof storeTest>;

/** `cases` once per database, in a `describe` named `<name>: sqlite` and `<name>: postgres`. */
export function describeOnDatabases(name: string, cases: (test: StoreTest) => void): void {
  for (const database of databases) describe(`${name}: ${database.name}`, () => cases(storeTest(database)));
}
