import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { ConflictError } from '../../../src/domain/errors.js';
import type { MetricFilter } from '../../../src/domain/inputs.js';
import type { Metric } from '../../../src/domain/records.js';
import type { MetricKey } from '../../../src/modules/metrics/store.js';
import type { Slice } from '../../../src/domain/paging.js';
import { describeOnDatabases } from '../../support/store-fixture.js';
import { keyPickArb, resolveKey } from '../../support/slices.js';
import { sliceArb } from '../../support/slices.js';
import { compareStrings, modelSlice, NASTY_JSON, NASTY_STRINGS, viaJson } from '../../storage/support.js';

/**
 * The behaviour of the metric store on every database, written only against its interfaces
 * (`MetricStore`, and `MetricMaintenance` for imports). Sessions are made through `Storage`, and
 * events read back through the backend's change feed: the events of recording metrics must be the
 * same on every database (a portable transaction on SQLite, a group-commit statement on PostgreSQL).
 */

/** Runs per property: enough to hit edge cases of the slice arithmetic, few enough for a disk-synced database. */
const RUNS = 50;

const metricKeyOf = (m: Metric): MetricKey => ({ timestamp: m.timestamp, id: m.id });
const metricOrder = (a: MetricKey, b: MetricKey) => compareStrings(a.timestamp, b.timestamp) || compareStrings(a.id, b.id);
const byMetricKey = (a: Metric, b: Metric) => metricOrder(metricKeyOf(a), metricKeyOf(b));
const T = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

describeOnDatabases('MetricStore contract', (test) => {
  const it = test
    .extend('store', ({ stores }) => stores.metrics)
    /** The metrics a session's change feed announced, with the agent each event names. */
    .extend('recorded', ({ stores }) => async (sessionId: string) =>
      (await stores.events.after({ sessionId }, 0, 1000)).flatMap((e) => (e.type === 'MetricRecorded' ? [[e.agentName, e.metric] as const] : [])),
    );
  let runCounter = 0;

  /** A name no other property run uses, so runs sharing one database do not see each other. */
  const fresh = (label: string) => `${label}-${++runCounter}`;

  it('lists in (timestamp, id) order whatever the insertion order', async ({ store, metric }) => {
    // ids are made in this order, timestamps deliberately disagree with it
    const m1 = metric({ timestamp: T(5) });
    const m2 = metric({ timestamp: T(1) });
    const m3 = metric({ timestamp: T(5) });
    const m4 = metric({ timestamp: T(3) });
    await store.insert([m3, m1]);
    await store.insert([m4, m2]);
    expect(await store.list({}, { limit: 10 })).toEqual([m2, m4, m1, m3]);
    expect(await store.list({}, { limit: 2, fromEnd: true })).toEqual([m1, m3]);
    expect(await store.list({}, { after: metricKeyOf(m4), limit: 10 })).toEqual([m1, m3]);
    expect(await store.list({}, { after: metricKeyOf(m1), limit: 10 })).toEqual([m3]);
    // a key between two rows with the same timestamp
    expect(await store.list({}, { before: { timestamp: T(5), id: `${m1.id}0` }, limit: 10 })).toEqual([m2, m4, m1]);
    expect(await store.list({}, { limit: 2, offset: 1 })).toEqual([m4, m1]);
  });

  it('filters by every field, with since and until inclusive; counts agree', async ({ store, session, metric }) => {
    const s1 = await session();
    const s2 = await session();
    const rows = [
      metric({ entityType: 'agent', entityName: 'planner', sessionId: s1.id, metricName: 'latency_ms', timestamp: T(0), value: 1 }),
      metric({ entityType: 'agent', entityName: 'planner', sessionId: s1.id, metricName: 'tokens', timestamp: T(1), value: 2 }),
      metric({ entityType: 'agent', entityName: 'writer', sessionId: s2.id, metricName: 'latency_ms', timestamp: T(2), value: 3 }),
      metric({ entityType: 'tool', entityName: 'search', sessionId: null, metricName: 'latency_ms', timestamp: T(3), value: 4 }),
      metric({ entityType: 'tool', entityName: 'search', sessionId: s2.id, metricName: 'calls', timestamp: T(4), value: 5 }),
    ];
    await store.insert(rows);
    const cases: [MetricFilter, Metric[]][] = [
      [{}, rows],
      [{ entityType: 'tool' }, [rows[3]!, rows[4]!]],
      [{ entityName: 'planner' }, [rows[0]!, rows[1]!]],
      [{ sessionId: s2.id }, [rows[2]!, rows[4]!]],
      [{ metricName: 'latency_ms' }, [rows[0]!, rows[2]!, rows[3]!]],
      [{ since: T(1) }, rows.slice(1)],
      [{ until: T(3) }, rows.slice(0, 4)],
      [{ since: T(1), until: T(3) }, rows.slice(1, 4)],
      [{ since: T(2), until: T(2) }, [rows[2]!]],
      [{ since: T(3), until: T(1) }, []],
      [{ since: new Date(Date.parse(T(1)) + 1).toISOString(), until: new Date(Date.parse(T(3)) - 1).toISOString() }, [rows[2]!]],
      [{ entityType: 'agent', metricName: 'latency_ms', sessionId: s1.id }, [rows[0]!]],
      [{ entityType: 'agent', entityName: 'search' }, []],
      [{ sessionId: 'session_unknown' }, []],
      [{ entityType: null, entityName: null, sessionId: null, metricName: null, since: null, until: null }, rows],
    ];
    for (const [filter, expected] of cases) {
      expect(await store.list(filter, { limit: 100 }), JSON.stringify(filter)).toEqual(expected);
      expect(await store.count(filter), JSON.stringify(filter)).toBe(expected.length);
    }
  });

  it('is all-or-nothing: a batch with a clashing id writes nothing', async ({ store, metric }) => {
    const existing = metric();
    await store.insert([existing]);
    const good = metric();
    const clash = store.insert([good, { ...metric(), id: existing.id }]);
    await expect(clash).rejects.toBeInstanceOf(ConflictError);
    await expect(clash).rejects.toMatchObject({ code: 'CONFLICT', message: 'A metric id of this batch is already taken; nothing was recorded' });
    expect(await store.list({}, { limit: 10 })).toEqual([existing]);
    await store.insert([]);
    expect(await store.count({})).toBe(1);
  });

  it('pages and counts per session, applying filters and ignoring filter.sessionId', async ({ store, session, metric }) => {
    const s1 = await session();
    const s2 = await session();
    const empty = await session();
    const a = [0, 1, 2, 3].map((i) => metric({ sessionId: s1.id, timestamp: T(i), metricName: i % 2 ? 'odd' : 'even' }));
    const b = [metric({ sessionId: s2.id, timestamp: T(2), metricName: 'even' })];
    const loose = metric({ sessionId: null, timestamp: T(2), metricName: 'even' });
    await store.insert([...a, ...b, loose]);
    const asked = [s1.id, s2.id, empty.id, 'session_unknown'];

    const all = await store.pages(asked, {}, { limit: 10 });
    expect(all).toEqual(new Map([[s1.id, a], [s2.id, b], [empty.id, []], ['session_unknown', []]]));
    const even = await store.pages(asked, { metricName: 'even', sessionId: s2.id }, { limit: 10 });
    expect(even.get(s1.id)).toEqual([a[0], a[2]]);
    expect(even.get(s2.id)).toEqual(b);
    const window = await store.pages(asked, { since: T(1), until: T(3) }, { limit: 2, fromEnd: true });
    expect(window.get(s1.id)).toEqual([a[2], a[3]]);
    const keyed = await store.pages(asked, {}, { after: metricKeyOf(a[0]!), limit: 2 });
    expect(keyed.get(s1.id)).toEqual([a[1], a[2]]);
    expect(keyed.get(s2.id)).toEqual(b);

    expect(await store.counts(asked, {})).toEqual(new Map([[s1.id, 4], [s2.id, 1], [empty.id, 0], ['session_unknown', 0]]));
    expect(await store.counts(asked, { metricName: 'odd', sessionId: 'session_unknown' })).toEqual(
      new Map([[s1.id, 2], [s2.id, 0], [empty.id, 0], ['session_unknown', 0]]),
    );
    expect(await store.pages([], {}, { limit: 1 })).toEqual(new Map());
    expect(await store.counts([], {})).toEqual(new Map());
  });

  it('keeps values exactly, including very large and very small floats', async ({ store, metric }) => {
    const values = [0, 1, -1, 0.1, 0.30000000000000004, 1e21, 1.7976931348623157e308, -1.7976931348623157e308, 5e-324, -5e-324, 2.2250738585072014e-308, 9007199254740993, Math.PI];
    const rows = values.map((value, i) => metric({ value, timestamp: T(i) }));
    await store.insert(rows);
    expect((await store.list({}, { limit: 100 })).map((m) => m.value)).toEqual(values);
    // negative zero may come back as 0, which is what JSON would give too
    const negativeZero = metric({ value: -0, timestamp: T(50) });
    await store.insert([negativeZero]);
    const [back] = await store.list({ since: T(50) }, { limit: 1 });
    expect(back!.value === 0).toBe(true);
  });

  it('random metrics, filters and slices equal the model (property)', async ({ store, session, metric }) => {
    const metricArb = fc.record({
      minute: fc.integer({ min: 0, max: 4 }), // few distinct timestamps: many ties broken by id
      session: fc.integer({ min: 0, max: 2 }), // 2 = no session
      name: fc.constantFrom('a', 'b'),
      entityType: fc.constantFrom('agent', 'tool'),
    });
    const keyArb = fc.record({ minute: fc.integer({ min: -1, max: 5 }), pick: keyPickArb });
    const queryArb = fc.record({
      metricName: fc.constantFrom(undefined, 'a', 'b'),
      entityType: fc.constantFrom(undefined, 'agent', 'tool'),
      session: fc.constantFrom(undefined, 0, 1),
      since: fc.option(fc.integer({ min: -1, max: 5 }), { nil: undefined }),
      until: fc.option(fc.integer({ min: -1, max: 5 }), { nil: undefined }),
      slice: sliceArb(keyArb),
      pick: fc.subarray([0, 1, 2], { minLength: 1 }), // 2 is an unknown session
    });
    await fc.assert(
      fc.asyncProperty(fc.array(metricArb, { maxLength: 14 }), fc.array(queryArb, { minLength: 1, maxLength: 4 }), async (specs, queries) => {
        const entityName = fresh('entity');
        const sessions = [await session(), await session()];
        const sessionIds = [...sessions.map((s) => s.id), `session_unknown_${entityName}`];
        const rows = specs.map((spec) =>
          metric({
            entityName,
            entityType: spec.entityType,
            metricName: spec.name,
            sessionId: spec.session === 2 ? null : sessionIds[spec.session]!,
            timestamp: T(spec.minute),
          }),
        );
        // insert in a shuffled-looking order: reversed
        await store.insert([...rows].reverse());
        const sorted = [...rows].sort(byMetricKey);
        const ids = sorted.map((m) => m.id).sort();
        for (const q of queries) {
          const filter: MetricFilter = {
            entityName,
            entityType: q.entityType,
            metricName: q.metricName,
            sessionId: q.session === undefined ? undefined : sessionIds[q.session],
            since: q.since === undefined ? undefined : T(q.since),
            until: q.until === undefined ? undefined : T(q.until),
          };
          const slice: Slice<MetricKey> = {
            ...q.slice,
            after: q.slice.after == null ? q.slice.after : { timestamp: T(q.slice.after.minute), id: resolveKey(ids, q.slice.after.pick, 'metric_') },
            before: q.slice.before == null ? q.slice.before : { timestamp: T(q.slice.before.minute), id: resolveKey(ids, q.slice.before.pick, 'metric_') },
          };
          const matches = (m: Metric, f: MetricFilter) =>
            (f.entityType == null || m.entityType === f.entityType) &&
            (f.entityName == null || m.entityName === f.entityName) &&
            (f.sessionId == null || m.sessionId === f.sessionId) &&
            (f.metricName == null || m.metricName === f.metricName) &&
            (f.since == null || m.timestamp >= f.since) &&
            (f.until == null || m.timestamp <= f.until);
          const all = sorted.filter((m) => matches(m, filter));
          expect(await store.list(filter, slice)).toEqual(modelSlice(all, metricKeyOf, metricOrder, slice));
          expect(await store.count(filter)).toBe(all.length);

          const asked = q.pick.map((i) => sessionIds[i]!);
          const perSession = { ...filter, sessionId: undefined };
          const pages = await store.pages(asked, filter, slice);
          const counts = await store.counts(asked, filter);
          for (const id of asked) {
            const own = sorted.filter((m) => m.sessionId === id && matches(m, perSession));
            expect(pages.get(id)).toEqual(modelSlice(own, metricKeyOf, metricOrder, slice));
            expect(counts.get(id)).toBe(own.length);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('records a MetricRecorded event for each metric of a session that exists, with its agent, in order', async ({ backend, store, session, metric, recorded }) => {
    const a = await session({ agentName: 'alpha' });
    const b = await session({ agentName: 'beta' });
    const rows = [
      metric({ sessionId: a.id, labels: NASTY_JSON, value: -0.5 }),
      metric({ sessionId: null }),
      metric({ sessionId: b.id }),
      metric({ sessionId: 'session_unknown' }),
      metric({ sessionId: a.id, value: 1e300 }),
    ];
    await store.insert(rows);
    expect(await recorded(a.id)).toEqual([['alpha', viaJson(rows[0])], ['alpha', rows[4]]]);
    expect(await recorded(b.id)).toEqual([['beta', rows[2]]]);
    expect(await recorded('session_unknown')).toEqual([]);
    const alpha = (await backend.stores.events.after({ agentName: 'alpha' }, 0, 1000)).filter((e) => e.type === 'MetricRecorded');
    expect(alpha.map((e) => e.seq)).toEqual([...alpha.map((e) => e.seq)].sort((x, y) => x - y));
  });

  it('a refused batch records nothing and yields no event; batches written at the same time keep theirs', async ({ store, session, metric, recorded }) => {
    const s = await session();
    const existing = metric({ sessionId: s.id });
    await store.insert([existing]);
    const writes = Array.from({ length: 12 }, (_, i) => [metric({ sessionId: s.id, value: i }), metric({ sessionId: null, value: i })]);
    const bad = [metric({ sessionId: s.id }), { ...metric({ sessionId: s.id }), id: existing.id }];
    const outcomes = await Promise.allSettled([...writes.slice(0, 6), bad, ...writes.slice(6)].map((w) => store.insert(w)));
    expect(outcomes.map((o) => o.status)).toEqual([...Array(6).fill('fulfilled'), 'rejected', ...Array(6).fill('fulfilled')]);
    expect((outcomes[6] as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT', message: 'A metric id of this batch is already taken; nothing was recorded' });
    const stored = await store.list({}, { limit: 100 });
    expect(new Set(stored.map((m) => m.id))).toEqual(new Set([existing, ...writes.flat()].map((m) => m.id)));
    expect(new Set((await recorded(s.id)).map(([, m]) => m.id))).toEqual(new Set([existing, ...writes.map((w) => w[0]!)].map((m) => m.id)));
  });

  it('labels return what JSON.stringify/parse would', async ({ store, metric }) => {
    const mt = metric({ labels: NASTY_JSON });
    await store.insert([mt]);
    expect((await store.list({}, { limit: 1 }))[0]!.labels).toEqual(viaJson(NASTY_JSON));
  });

  it('names and ids keep unicode, quotes and backslashes, and filter by exact value', async ({ store, session, metric }) => {
    // Identifiers never contain NUL (the input schemas refuse it), so it is not asked of stores here.
    for (const text of NASTY_STRINGS.filter((t) => t !== '' && !t.includes('\u0000'))) {
      const s = await session({ agentName: text });
      const mt = metric({ entityType: text, entityName: text, metricName: text, sessionId: s.id });
      await store.insert([mt]);
      expect(await store.list({ entityType: text, entityName: text, metricName: text }, { limit: 10 })).toEqual([mt]);
    }
    expect(await store.list({ metricName: '%' }, { limit: 10 })).toEqual([]);
  });

  describe('maintenance', () => {
    it('importMetrics keeps ids, timestamps and JSON, skips metrics already there and says how many were new', async ({ store, session, metric }) => {
      const s = await session();
      const rows = viaJson([
        metric({ timestamp: T(3), sessionId: s.id, labels: NASTY_JSON, value: -0.5 }),
        metric({ timestamp: T(1), sessionId: 'session_gone', value: 1e300 }),
        metric({ timestamp: T(1), sessionId: null, entityType: 'tool', value: 5e-324 }),
      ]);
      expect(await store.import(rows.slice(0, 2))).toBe(2);
      expect(await store.import(rows)).toBe(1);
      expect(await store.import(rows)).toBe(0);
      expect(await store.import([])).toBe(0);
      // a metric that exists by id is left as it is
      expect(await store.import([{ ...rows[0]!, value: 42 }])).toBe(0);
      expect(await store.list({}, { limit: 10 })).toEqual([...rows].sort(byMetricKey));
      expect(await store.count({})).toBe(3);
      expect(await store.list({ sessionId: s.id }, { limit: 10 })).toEqual([rows[0]]);
    });
  });
});
