import fc from 'fast-check';
import { expect } from 'vitest';
import { ValidationError } from '../../../src/domain/errors.js';
import { type MetricAggregateInput, metricAggregateInput, type MetricStat, METRIC_STATS, parseInput } from '../../../src/domain/inputs.js';
import type { Json, JsonObject } from '../../../src/domain/json.js';
import type { Metric } from '../../../src/domain/records.js';
import type { MetricPoint, MetricSeries } from '../../../src/modules/metrics/aggregate.js';
import { MAX_AGGREGATE_POINTS } from '../../../src/modules/metrics/service.js';
import { NASTY_STRINGS } from '../../storage/support.js';
import { describeOnDatabases } from '../../support/store-fixture.js';

/**
 * Aggregates over metrics on every database, through the service (`storage.metrics.aggregate`) and
 * the store: hand-picked cases, then random metrics and queries against a reference computed here
 * from the same metrics, with the same rules (epoch-aligned buckets, nearest-rank percentiles).
 */

const RUNS = 40;
const HOUR = 3600_000;
const at = (ms: number) => new Date(ms).toISOString();
const T0 = Date.parse('2026-03-01T00:00:00.000Z');

/** An aggregate's input as a door would give it (wire-free, camelCase), parsed by the same schema. */
const query = (fields: Record<string, unknown>): MetricAggregateInput => parseInput(metricAggregateInput, fields);

// --- the reference ------------------------------------------------------------------------------

type GroupName = 'entity' | 'entity_type' | 'entity_name' | 'metric_name' | 'session' | `label:${string}`;

/** A label's value as the service groups it: its JSON text (NUL escapes as U+FFFD), null when absent or null. */
function labelText(labels: JsonObject, key: string): string | null {
  if (!Object.hasOwn(labels, key) || labels[key] === null) return null;
  return JSON.stringify(labels[key]).replaceAll('\\u0000', '\\ufffd');
}

/** Nearest rank: the value of rank ⌈p·n/100⌉ among the sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(1, Math.ceil((p * sorted.length) / 100)) - 1]!;
}

/** What an aggregate must answer, computed from the metrics themselves. */
function reference(metrics: Metric[], q: MetricAggregateInput & { until: string }, groupBy: GroupName[]): MetricSeries[] {
  const columns = (['entity_type', 'entity_name', 'metric_name', 'session_id'] as const).filter((c) =>
    groupBy.some((g) => g === c || (g === 'entity' && (c === 'entity_type' || c === 'entity_name')) || (g === 'session' && c === 'session_id')),
  );
  const labels = [...new Set(groupBy.filter((g) => g.startsWith('label:')).map((g) => g.slice(6)))];
  const selected = metrics.filter(
    (m) =>
      (q.entityType == null || m.entityType === q.entityType) &&
      (q.entityName == null || m.entityName === q.entityName) &&
      (q.sessionId == null || m.sessionId === q.sessionId) &&
      (q.metricName == null || m.metricName === q.metricName) &&
      m.timestamp >= q.since &&
      m.timestamp <= q.until,
  );
  const groups = new Map<string, { keys: (string | null)[]; buckets: Map<number, number[]> }>();
  for (const m of selected) {
    const row: Record<string, string | null> = { entity_type: m.entityType, entity_name: m.entityName, metric_name: m.metricName, session_id: m.sessionId };
    const keys = [...columns.map((c) => row[c]!), ...labels.map((l) => labelText(m.labels, l))];
    const id = JSON.stringify(keys);
    if (!groups.has(id)) groups.set(id, { keys, buckets: new Map() });
    const seconds = Math.floor(Date.parse(m.timestamp) / 1000);
    const b = seconds - (((seconds % q.bucket) + q.bucket) % q.bucket);
    const values = groups.get(id)!.buckets.get(b) ?? [];
    values.push(m.value);
    groups.get(id)!.buckets.set(b, values);
  }
  const order = (a: (string | null)[], b: (string | null)[]) => {
    for (let i = 0; i < a.length; i++) {
      if (a[i] === b[i]) continue;
      if (a[i] === null) return -1;
      if (b[i] === null) return 1;
      return a[i]! < b[i]! ? -1 : 1;
    }
    return 0;
  };
  return [...groups.values()]
    .sort((a, b) => order(a.keys, b.keys))
    .map(({ keys, buckets }) => {
      const group: Record<string, Json> = {};
      columns.forEach((c, i) => (group[c] = keys[i]!));
      labels.forEach((l, i) => {
        const text = keys[columns.length + i]!;
        group[`label:${l}`] = text === null ? null : (JSON.parse(text) as Json);
      });
      const points = [...buckets.entries()]
        .sort(([a], [b]) => a - b)
        .map(([b, values]) => {
          const sorted = [...values].sort((x, y) => x - y);
          const sum = values.reduce((s, v) => s + v, 0);
          const all: Record<MetricStat, number> = {
            count: values.length,
            sum,
            avg: sum / values.length,
            min: sorted[0]!,
            max: sorted.at(-1)!,
            p50: percentile(sorted, 50),
            p90: percentile(sorted, 90),
            p95: percentile(sorted, 95),
            p99: percentile(sorted, 99),
          };
          const point: MetricPoint = { t: at(b * 1000) };
          for (const s of q.stats) point[s] = all[s];
          return point;
        });
      return { group, points };
    });
}

/**
 * Sums are floating point: each database adds in its own order (SQLite compensates its rounding,
 * PostgreSQL does not), so a sum and a mean are compared within a bound of the rounding of n
 * additions; every other statistic is one of the values, compared exactly.
 */
function expectSeries(actual: MetricSeries[], expected: MetricSeries[], values: number[]) {
  const scale = values.reduce((s, v) => s + Math.abs(v), 0);
  const tolerance = 1e-12 * Math.max(1, scale);
  const approx = (series: MetricSeries[]) =>
    series.map((s) => ({ ...s, points: s.points.map((p) => ({ ...p, sum: p.sum === undefined ? undefined : 0, avg: p.avg === undefined ? undefined : 0 })) }));
  expect(approx(actual)).toEqual(approx(expected));
  actual.forEach((s, i) =>
    s.points.forEach((p, j) => {
      const e = expected[i]!.points[j]!;
      if (e.sum !== undefined) expect(Math.abs(p.sum! - e.sum)).toBeLessThanOrEqual(tolerance);
      if (e.avg !== undefined) expect(Math.abs(p.avg! - e.avg)).toBeLessThanOrEqual(tolerance);
    }),
  );
}

describeOnDatabases('metric aggregates', (test) => {
  const it = test.extend('aggregate', ({ storage }) => (fields: Record<string, unknown>) => storage.metrics.aggregate(query(fields)));
  let runCounter = 0;
  const fresh = (label: string) => `${label}-${++runCounter}`;

  it('answers every statistic per hour, buckets aligned to the epoch, only buckets with metrics', async ({ stores, metric, aggregate }) => {
    // 00:00 … 00:59:59.999 is one bucket; 01:00 the next; nothing between 02:00 and 03:00.
    const values = [
      [0, 5],
      [30 * 60_000, 1],
      [HOUR - 1, 3],
      [HOUR, 10],
      [3 * HOUR + 1, -2],
      [3 * HOUR + 2, -2],
    ] as const;
    await stores.metrics.insert(values.map(([dt, value]) => metric({ timestamp: at(T0 + dt), value })));
    const series = await aggregate({ since: at(T0), until: at(T0 + 4 * HOUR), bucket: '1h', stats: METRIC_STATS.join(',') });
    expect(series).toEqual([
      {
        group: {},
        points: [
          { t: at(T0), count: 3, sum: 9, avg: 3, min: 1, max: 5, p50: 3, p90: 5, p95: 5, p99: 5 },
          { t: at(T0 + HOUR), count: 1, sum: 10, avg: 10, min: 10, max: 10, p50: 10, p90: 10, p95: 10, p99: 10 },
          { t: at(T0 + 3 * HOUR), count: 2, sum: -4, avg: -2, min: -2, max: -2, p50: -2, p90: -2, p95: -2, p99: -2 },
        ],
      },
    ]);
    // The default statistics; a range that starts inside a bucket; seconds as the bucket.
    expect(await aggregate({ since: at(T0 + HOUR - 1), until: at(T0 + HOUR), bucket: 7200 })).toEqual([
      { group: {}, points: [{ t: at(T0), count: 2, sum: 13, avg: 6.5, min: 3, max: 10 }] },
    ]);
    // Nothing in range: no series at all.
    expect(await aggregate({ since: at(T0 + 5 * HOUR), bucket: '1d' })).toEqual([]);
  });

  it('picks percentiles by nearest rank', async ({ stores, metric, aggregate }) => {
    const metricName = fresh('ranks');
    // 1..100 in a scrambled order: the p-th percentile is p itself.
    const values = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);
    await stores.metrics.insert(values.map((value, i) => metric({ metricName, value, timestamp: at(T0 + i) })));
    const [hundred] = await aggregate({ metricName, since: at(T0), until: at(T0 + HOUR), bucket: '1d', stats: 'p50,p90,p95,p99,min,max' });
    expect(hundred!.points).toEqual([{ t: at(T0), min: 1, max: 100, p50: 50, p90: 90, p95: 95, p99: 99 }]);
    // Every size from 1 to 40 (the values 1..n, so a value is its rank): rank ⌈p·n/100⌉ exactly,
    // where rounding to the nearest rank would differ (n = 11: p95 is rank 11, not 10).
    const sizes = fresh('sizes');
    const bySize = Array.from({ length: 40 }, (_, i) => i + 1).flatMap((n) =>
      Array.from({ length: n }, (_, v) => metric({ metricName: sizes, entityName: `n${String(n).padStart(2, '0')}`, value: n - v, timestamp: at(T0) })),
    );
    await stores.metrics.insert(bySize);
    const ranked = await aggregate({ metricName: sizes, since: at(T0), until: at(T0), bucket: '1d', stats: 'count,p50,p90,p95,p99', groupBy: 'entity_name' });
    expect(ranked.map((s) => s.points[0])).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1).map((n) => ({
        t: at(T0),
        count: n,
        p50: Math.ceil(n / 2),
        p90: Math.ceil((9 * n) / 10),
        p95: Math.ceil((19 * n) / 20),
        p99: Math.ceil((99 * n) / 100),
      })),
    );
    expect(ranked[10]!.points[0]!.p95).toBe(11);
    // Two values: the median is the lower (rank 1), p90 the upper (rank ⌈1.8⌉ = 2).
    const two = fresh('two');
    await stores.metrics.insert([metric({ metricName: two, value: 7, timestamp: at(T0) }), metric({ metricName: two, value: 3, timestamp: at(T0) })]);
    const [pair] = await aggregate({ metricName: two, since: at(T0), until: at(T0), bucket: '1m', stats: ['p50', 'p90'] });
    expect(pair!.points).toEqual([{ t: at(T0), p50: 3, p90: 7 }]);
  });

  it('groups by entity, session and labels (absent and null alike; 1 and "1" apart; odd keys and values)', async ({ stores, session, metric, aggregate }) => {
    const s1 = await session();
    const metricName = fresh('grouped');
    const t = at(T0);
    const nul = NASTY_STRINGS[5]!;
    const rows = [
      metric({ metricName, entityType: 'agent', entityName: 'a', sessionId: s1.id, value: 1, labels: { model: 'gpt', 'a.b': 1, $x: true } }),
      metric({ metricName, entityType: 'agent', entityName: 'a', sessionId: s1.id, value: 2, labels: { model: 'gpt', 'a.b': '1' } }),
      metric({ metricName, entityType: 'agent', entityName: 'b', sessionId: null, value: 3, labels: { model: null, other: nul } }),
      metric({ metricName, entityType: 'tool', entityName: 'a', sessionId: null, value: 4, labels: {} }),
      metric({ metricName, entityType: 'tool', entityName: 'a', sessionId: null, value: 5, labels: { model: { v: [1, 2] } } }),
      ...NASTY_STRINGS.map((s, i) => metric({ metricName, entityType: 'nasty', entityName: 'n', value: 100 + i, labels: { model: s } })),
    ].map((m) => ({ ...m, timestamp: t }));
    await stores.metrics.insert(rows);
    const base = { metricName, since: t, until: t, bucket: '1d', stats: 'count,sum' };
    for (const groupBy of [
      ['entity'],
      ['entity_type'],
      ['entity_name'],
      ['session'],
      ['metric_name', 'label:model'],
      ['label:a.b'],
      ['label:$x', 'entity_type'],
      ['label:model', 'label:other', 'session'],
    ] as GroupName[][]) {
      const got = await aggregate({ ...base, groupBy: groupBy.join(',') });
      expectSeries(got, reference(rows, { ...query(base), until: t }, groupBy), rows.map((m) => m.value));
    }
    const byEntity = await aggregate({ ...base, groupBy: 'entity' });
    expect(byEntity.map((s) => s.group)).toEqual([
      { entity_type: 'agent', entity_name: 'a' },
      { entity_type: 'agent', entity_name: 'b' },
      { entity_type: 'nasty', entity_name: 'n' },
      { entity_type: 'tool', entity_name: 'a' },
    ]);
    const byLabel = await aggregate({ ...base, entityType: 'agent', groupBy: ['label:a.b'] });
    expect(byLabel).toEqual([
      { group: { 'label:a.b': null }, points: [{ t, count: 1, sum: 3 }] },
      { group: { 'label:a.b': '1' }, points: [{ t, count: 1, sum: 2 }] },
      { group: { 'label:a.b': 1 }, points: [{ t, count: 1, sum: 1 }] },
    ]);
    // NUL in a label's value: grouped as U+FFFD on both databases.
    const nasty = await aggregate({ ...base, entityType: 'nasty', groupBy: ['label:model'] });
    expect(nasty.map((s) => s.group['label:model'])).toContain(nul.replaceAll('\u0000', '\uFFFD'));
    expect(nasty).toHaveLength(NASTY_STRINGS.length);
  });

  it('filters as the metric list does, the range inclusive at both ends', async ({ stores, session, metric, aggregate }) => {
    const s1 = await session();
    const entityName = fresh('filtered');
    const rows = [
      metric({ entityName, entityType: 'agent', metricName: 'x', sessionId: s1.id, timestamp: at(T0), value: 1 }),
      metric({ entityName, entityType: 'agent', metricName: 'y', sessionId: null, timestamp: at(T0 + 1000), value: 2 }),
      metric({ entityName, entityType: 'tool', metricName: 'x', sessionId: s1.id, timestamp: at(T0 + 2000), value: 4 }),
    ];
    await stores.metrics.insert(rows);
    const sum = async (fields: Record<string, unknown>) =>
      (await aggregate({ entityName, bucket: '1d', stats: 'sum', since: at(T0), until: at(T0 + 2000), ...fields }))[0]?.points[0]?.sum ?? 0;
    expect(await sum({})).toBe(7);
    expect(await sum({ entityType: 'agent' })).toBe(3);
    expect(await sum({ metricName: 'x' })).toBe(5);
    expect(await sum({ sessionId: s1.id })).toBe(5);
    expect(await sum({ since: at(T0 + 1000) })).toBe(6);
    expect(await sum({ until: at(T0 + 1000) })).toBe(3);
    expect(await sum({ since: at(T0 + 1), until: at(T0 + 1999) })).toBe(2);
    expect(await sum({ since: at(T0 + 2001) })).toBe(0);
  });

  it('puts times before 1970 in their buckets too', async ({ stores, metric, aggregate }) => {
    const metricName = fresh('old');
    const old = Date.parse('1969-12-31T23:30:00.500Z');
    await stores.metrics.insert([metric({ metricName, timestamp: at(old), value: 1 }), metric({ metricName, timestamp: at(0), value: 2 })]);
    const [series] = await aggregate({ metricName, since: at(old - HOUR), until: at(HOUR), bucket: '1h', stats: 'count' });
    expect(series!.points).toEqual([
      { t: '1969-12-31T23:00:00.000Z', count: 1 },
      { t: '1970-01-01T00:00:00.000Z', count: 1 },
    ]);
  });

  it('refuses an aggregate of more points than it answers, before scanning when one series alone would be', async ({ clock, stores, metric, aggregate }) => {
    const metricName = fresh('limit');
    // 10,000 minutes: exactly the limit; one more minute is refused.
    const since = at(T0);
    await expect(aggregate({ metricName, since, until: at(T0 + (MAX_AGGREGATE_POINTS - 1) * 60_000), bucket: '1m' })).resolves.toEqual([]);
    const refused = await aggregate({ metricName, since, until: at(T0 + MAX_AGGREGATE_POINTS * 60_000), bucket: '1m' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues).toEqual([{ path: ['bucket'], message: expect.stringContaining(`more than ${MAX_AGGREGATE_POINTS} points`) }]);
    // Without an end, the range ends now.
    clock.set(T0 + MAX_AGGREGATE_POINTS * 60_000);
    await expect(aggregate({ metricName, since, bucket: '1m' })).rejects.toBeInstanceOf(ValidationError);
    // All series together: the store says when there are more than it may answer.
    await stores.metrics.insert([1, 2, 3].map((i) => metric({ metricName, entityName: `e${i}`, timestamp: since })));
    const q = { ...query({ metricName, since, bucket: '1m', groupBy: 'entity_name' }), until: since };
    expect(await stores.metrics.aggregate(q, 2)).toBeNull();
    expect(await stores.metrics.aggregate(q, 3)).toHaveLength(3);
  });

  it('random metrics and aggregates equal the reference (property)', async ({ stores, session, metric, aggregate }) => {
    const sessions = [(await session()).id, (await session()).id];
    const metricArb = fc.record({
      // Often one of a few instants, so that buckets hold many metrics (ranks of larger n).
      offset: fc.oneof(fc.integer({ min: -2 * HOUR, max: 3 * HOUR }), fc.constantFrom(0, 1, HOUR)),
      // Few distinct values, so that ranks often fall on ties; and any finite double.
      value: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })),
      entityType: fc.constantFrom('agent', 'tool'),
      entityName: fc.constantFrom('a', 'b'),
      metricName: fc.constantFrom('latency', 'tokens'),
      session: fc.constantFrom(0, 1, null),
      model: fc.constantFrom<Json | undefined>(undefined, null, 'gpt', 'claude', 1, '1', true),
    });
    const groupArb = fc.subarray<GroupName>(['entity', 'entity_type', 'entity_name', 'metric_name', 'session', 'label:model', 'label:none'], { maxLength: 3 });
    const queryArb = fc.record({
      from: fc.integer({ min: -3 * HOUR, max: 3 * HOUR }),
      length: fc.integer({ min: 0, max: 6 * HOUR }),
      bucket: fc.constantFrom<string | number>('1m', '5m', '1h', '1d', 1, 7, 600, 5400),
      stats: fc.subarray([...METRIC_STATS], { minLength: 1 }),
      groupBy: groupArb,
      entityType: fc.constantFrom(undefined, 'agent'),
      metricName: fc.constantFrom(undefined, 'latency'),
      session: fc.constantFrom(undefined, 0),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(metricArb, { maxLength: 60, size: 'max' }), fc.array(queryArb, { minLength: 1, maxLength: 3 }), async (specs, queries) => {
        // Each run in a week of its own (a multiple of every bucket size drawn), so runs sharing the database do not meet.
        const base = T0 + ++runCounter * 7 * 86400_000;
        const rows = specs.map((s) =>
          metric({
            entityType: s.entityType,
            entityName: s.entityName,
            metricName: s.metricName,
            sessionId: s.session === null ? null : sessions[s.session]!,
            timestamp: at(base + s.offset),
            value: s.value + 0, // -0 is stored as 0 (the metric store's own contract allows either)
            labels: s.model === undefined ? { other: 1 } : { model: s.model },
          }),
        );
        if (rows.length) await stores.metrics.insert(rows);
        for (const spec of queries) {
          const fields = {
            since: at(base + spec.from),
            until: at(base + spec.from + spec.length),
            bucket: spec.bucket,
            stats: spec.stats,
            groupBy: spec.groupBy,
            entityType: spec.entityType,
            metricName: spec.metricName,
            sessionId: spec.session === undefined ? undefined : sessions[spec.session],
          };
          const parsed = query(fields);
          const expected = reference(rows, { ...parsed, until: fields.until }, spec.groupBy);
          const points = Math.floor((base + spec.from + spec.length) / 1000 / parsed.bucket) - Math.floor((base + spec.from) / 1000 / parsed.bucket) + 1;
          if (points > MAX_AGGREGATE_POINTS) {
            await expect(aggregate(fields)).rejects.toBeInstanceOf(ValidationError);
            continue;
          }
          expectSeries(await aggregate(fields), expected, rows.map((m) => m.value));
        }
      }),
      { numRuns: RUNS },
    );
  });
});
