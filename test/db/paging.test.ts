import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byGroup, type Keyset, naturalOrder, pageOf, pagePerGroup, shapeOf, sliceParams } from '../../src/db/paging.js';
import { inList } from '../../src/db/portable.js';
import type { Runner } from '../../src/db/runner.js';
import { defineStatementFamily, defineStatements, type Placeholders } from '../../src/db/statements.js';
import type { Slice } from '../../src/domain/paging.js';
import { databases, type OpenDatabase } from '../support/databases.js';

/** Metrics are paged by (timestamp, id): a two-column key, the hardest case. */
const byTime: Keyset<{ timestamp: string; id: string }> = {
  columns: ['timestamp', 'id'],
  pgTypes: ['timestamptz', 'text'],
  desc: false,
  values: (key) => [key.timestamp, key.id],
};
/** Sessions are paged newest first by id. */
const newestFirst: Keyset<string> = { columns: ['id'], pgTypes: ['text'], desc: true, values: (id) => [id] };

const setup = defineStatements({
  pagingSession: (db, p: Placeholders<{ id: string; now: string }>) =>
    db.insertInto('sessions').values({
      id: p('id'), agent_name: sql.lit('a'), user_id: sql.lit(null), created_at: p('now'), updated_at: p('now'),
      status: sql.lit('active'), metadata: sql.lit('{}'), last_seq: sql.lit(0), parent_id: sql.lit(null), forked_from_message_id: sql.lit(null), expires_at: sql.lit(null),
    }),
  pagingMetric: (db, p: Placeholders<{ id: string; sessionId: string; timestamp: string }>) =>
    db.insertInto('metrics').values({
      id: p('id'), entity_type: sql.lit('agent'), entity_name: sql.lit('a'), session_id: p('sessionId'), metric_name: sql.lit('m'),
      value: sql.lit(1), timestamp: p('timestamp'), labels: sql.lit('{}'),
    }),
});

const metricsPage = defineStatementFamily('pagingMetrics', (shape: ReturnType<typeof shapeOf>) => (db, p, dialect) =>
  pageOf(db.selectFrom('metrics').select(['id', 'timestamp', 'session_id']), byTime, shape, p, dialect));
const metricsPerSession = defineStatementFamily('pagingMetricsPerSession', (shape: ReturnType<typeof shapeOf>) => (db, p, dialect) =>
  pagePerGroup(db, 'metrics', dialect === 'sqlite' ? 'metrics INDEXED BY idx_metrics_session' : 'metrics', 'session_id', byTime, shape, p, dialect, (q) =>
    q.where(inList('session_id', p('ids'), dialect))));
const sessionsPage = defineStatementFamily('pagingSessions', (shape: ReturnType<typeof shapeOf>) => (db, p, dialect) =>
  pageOf(db.selectFrom('sessions').select('id'), newestFirst, shape, p, dialect));

const SESSIONS = ['s1', 's2', 's3'];
// Many equal timestamps: the id must break the ties.
const METRICS = Array.from({ length: 40 }, (_, i) => ({
  id: `m${String(i).padStart(2, '0')}`,
  sessionId: SESSIONS[i % 3]!,
  timestamp: `2026-01-01T00:00:0${i % 4}.000Z`,
}));

type Key = { timestamp: string; id: string };
const compare = (a: Key, b: Key) => (a.timestamp === b.timestamp ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.timestamp < b.timestamp ? -1 : 1);

/** What a slice must return, from the model. */
function expected(rows: readonly Key[], slice: Slice<Key>): string[] {
  let window = [...rows].sort(compare);
  if (slice.after) window = window.filter((r) => compare(r, slice.after!) > 0);
  if (slice.before) window = window.filter((r) => compare(r, slice.before!) < 0);
  if (slice.fromEnd) window.reverse();
  window = window.slice(slice.offset ?? 0, (slice.offset ?? 0) + slice.limit);
  if (slice.fromEnd) window.reverse();
  return window.map((r) => r.id);
}

const keyArb = fc.record({ timestamp: fc.constantFrom(...METRICS.map((m) => m.timestamp), '2025-12-31T00:00:00.000Z'), id: fc.constantFrom(...METRICS.map((m) => m.id), 'm', 'n') });
const sliceArb = fc.record({
  after: fc.option(keyArb, { nil: undefined }),
  before: fc.option(keyArb, { nil: undefined }),
  limit: fc.integer({ min: 1, max: 15 }),
  offset: fc.integer({ min: 0, max: 5 }),
  fromEnd: fc.boolean(),
});

for (const database of databases) {
  describe(`keyset pages on ${database.name}`, () => {
    let db: OpenDatabase;
    let runner: Runner;
    beforeAll(async () => {
      db = await database.open();
      runner = db.backend.runner;
      const s = setup.for(runner.dialect);
      for (const id of SESSIONS) await runner.write(s.pagingSession, { id, now: '2026-01-01T00:00:00.000Z' });
      for (const m of METRICS) await runner.write(s.pagingMetric, m);
    });
    afterAll(() => db.cleanup());

    const toKey = (r: Record<string, unknown>): Key => ({ id: r.id as string, timestamp: r.timestamp instanceof Date ? r.timestamp.toISOString() : (r.timestamp as string) });

    it('a whole table’s page is the model’s, for any bounds, size, offset and direction', async () => {
      await fc.assert(
        fc.asyncProperty(sliceArb, async (slice) => {
          const shape = shapeOf(slice);
          const rows = naturalOrder(await runner.all(metricsPage(runner.dialect, shape), sliceParams(byTime, slice)), shape);
          expect(rows.map((r) => r.id)).toEqual(expected(METRICS, slice));
        }),
        { numRuns: 60 },
      );
    });

    it('the per-session page is each session’s own page, in one statement', async () => {
      await fc.assert(
        fc.asyncProperty(sliceArb, fc.subarray([...SESSIONS, 'nobody'], { minLength: 1 }), async (slice, ids) => {
          const shape = shapeOf(slice);
          const rows = await runner.all(metricsPerSession(runner.dialect, shape), { ...sliceParams(byTime, slice), ids });
          const pages = byGroup(ids, rows, 'session_id', shape);
          for (const id of ids) {
            expect(pages.get(id)!.map((r) => toKey(r).id)).toEqual(expected(METRICS.filter((m) => m.sessionId === id), slice));
          }
        }),
        { numRuns: 60 },
      );
    });

    it('a newest-first key pages backwards', async () => {
      const shape = shapeOf({ after: 's3', limit: 5 });
      const rows = await runner.all(sessionsPage(runner.dialect, shape), sliceParams(newestFirst, { after: 's3', limit: 5 }));
      expect(rows.map((r) => r.id)).toEqual(['s2', 's1']);
    });
  });
}
