import fc from 'fast-check';
import { describe, expect, it, test } from '../support/server-fixture.js';

/*
 * Metric aggregates through both doors, black-box, on a real server (SQLite, or PostgreSQL): the
 * REST route beside the metric list, the GraphQL root field, and their answers to bad input.
 */

const T0 = Date.parse('2026-04-01T00:00:00.000Z');
const HOUR = 3600_000;
const at = (ms: number) => new Date(ms).toISOString();

/** Latency of two models over three hours: 1..10 ms per model and hour, plus one unlabelled metric. */
const RECORD = `mutation ($inputs: [RecordMetricInput!]!) { recordMetrics(inputs: $inputs) { id } }`;
const inputs = [0, 1, 2].flatMap((hour) =>
  ['gpt', 'claude'].flatMap((model, m) =>
    Array.from({ length: 10 }, (_, i) => ({
      entityType: 'agent',
      entityName: 'planner',
      metricName: 'latency_ms',
      value: (i + 1) * (m + 1) + hour,
      timestamp: at(T0 + hour * HOUR + i * 60_000),
      labels: { model },
    })),
  ),
);

test.beforeAll(async ({ api }) => {
  const res = await api.gql(RECORD, { inputs: [...inputs, { ...inputs[0]!, labels: {}, value: 1000 }] });
  expect(res.body.errors).toBeUndefined();
});

const aggregate = (query: Record<string, string>) => `/storage/metrics/aggregate?${new URLSearchParams(query)}`;
const range = { start_time: at(T0), end_time: at(T0 + 3 * HOUR) };

describe('GET /storage/metrics/aggregate', () => {
  it('answers series per label value, a point per hour, with the statistics asked for', async ({ api }) => {
    const res = await api.get(aggregate({ metric_name: 'latency_ms', ...range, bucket: '1h', stats: 'count,avg,p95', group_by: 'label:model' }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      series: [
        { group: { 'label:model': null }, points: [{ t: at(T0), count: 1, avg: 1000, p95: 1000 }] },
        {
          group: { 'label:model': 'claude' },
          points: [0, 1, 2].map((h) => ({ t: at(T0 + h * HOUR), count: 10, avg: 11 + h, p95: 20 + h })),
        },
        {
          group: { 'label:model': 'gpt' },
          points: [0, 1, 2].map((h) => ({ t: at(T0 + h * HOUR), count: 10, avg: 5.5 + h, p95: 10 + h })),
        },
      ],
    });
  });

  it('defaults to count, sum, avg, min and max, the end to now; groups by several keys', async ({ api, server }) => {
    server.clock.set(T0 + 3 * HOUR);
    const res = await api.get(aggregate({ start_time: at(T0), bucket: '1d', group_by: 'entity,metric_name', entity_type: 'agent' }));
    expect(res.status).toBe(200);
    const total = inputs.reduce((s, m) => s + m.value, 1000);
    expect(res.body.series).toEqual([
      {
        group: { entity_type: 'agent', entity_name: 'planner', metric_name: 'latency_ms' },
        points: [{ t: at(T0), count: 61, sum: total, avg: total / 61, min: 1, max: 1000 }],
      },
    ]);
  });

  it('leaves the metric list where it was', async ({ api }) => {
    const list = await api.get(`/storage/metrics?metric_name=latency_ms&limit=2`);
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(2);
    expect((await api.post('/storage/metrics/aggregate', {})).status).toBe(405);
  });

  it('answers bad input with 422 and the parameter at fault', async ({ api }) => {
    const cases: [Record<string, string>, string, string][] = [
      [{ ...range, bucket: '1h', stats: 'count,p42' }, 'stats', 'unknown statistic "p42"'],
      [{ ...range, bucket: '1h', group_by: 'model' }, 'group_by', 'unknown grouping "model"'],
      [{ ...range, bucket: '1h', group_by: 'label:a"b' }, 'group_by', 'must not contain'],
      [{ ...range, bucket: '1h', group_by: 'label:a,label:b,label:c,label:d' }, 'group_by', 'at most 3 label keys'],
      [{ ...range, bucket: '2h' }, 'bucket', 'must be 1m, 5m, 1h, 1d or a whole number of seconds'],
      [{ ...range, bucket: '0' }, 'bucket', 'must be 1m, 5m, 1h, 1d'],
      [{ ...range }, 'bucket', 'field required'],
      [{ end_time: range.end_time, bucket: '1h' }, 'start_time', 'field required'],
      [{ start_time: 'yesterday', bucket: '1h' }, 'start_time', 'must be an ISO 8601 date-time'],
      [{ start_time: at(T0), end_time: at(T0 + 10_000 * 60_000), bucket: '1m' }, 'bucket', 'more than 10000 points'],
    ];
    for (const [query, field, message] of cases) {
      const res = await api.get(aggregate(query));
      expect(res.status, JSON.stringify(query)).toBe(422);
      expect(res.body.detail).toEqual([{ loc: ['query', field], msg: expect.stringContaining(message), type: 'value_error' }]);
    }
    // The largest range a minute bucket allows: 10,000 points.
    expect((await api.get(aggregate({ start_time: at(T0), end_time: at(T0 + 9_999 * 60_000), bucket: '1m' }))).status).toBe(200);
  });

  it('never fails on arbitrary parameters: 200 or 422 (property)', async ({ api }) => {
    const token = fc.oneof(fc.constantFrom('count', 'p95', 'entity', 'label:model', 'session', '1h', '60', ''), fc.string({ maxLength: 8 }));
    const list = fc.array(token, { maxLength: 4 }).map((t) => t.join(','));
    await fc.assert(
      fc.asyncProperty(fc.record({ bucket: token, stats: list, group_by: list }, { requiredKeys: [] }), async (query) => {
        const res = await api.get(aggregate({ ...range, ...query }));
        expect([200, 422]).toContain(res.status);
        if (res.status === 422) expect(res.body.detail[0].loc[0]).toBe('query');
        else expect(Array.isArray(res.body.series)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe('metricSeries', () => {
  const SERIES = `query ($since: DateTime!, $until: DateTime, $bucket: String!, $stats: [MetricStat!], $groupBy: [String!], $metricName: String) {
    metricSeries(since: $since, until: $until, bucket: $bucket, stats: $stats, groupBy: $groupBy, metricName: $metricName) {
      group points { t count sum avg min max p50 p90 p95 p99 }
    }
  }`;

  it('answers what REST answers, statistics not asked for being null', async ({ api }) => {
    const res = await api.gql(SERIES, { since: at(T0), until: at(T0 + HOUR - 1), bucket: '1800', stats: ['P50', 'MAX'], groupBy: ['label:model'], metricName: 'latency_ms' });
    expect(res.body.errors).toBeUndefined();
    const none = { count: null, sum: null, avg: null, min: null, p90: null, p95: null, p99: null };
    expect(res.body.data.metricSeries).toEqual([
      { group: { 'label:model': null }, points: [{ t: at(T0), ...none, p50: 1000, max: 1000 }] },
      { group: { 'label:model': 'claude' }, points: [{ t: at(T0), ...none, p50: 10, max: 20 }] },
      { group: { 'label:model': 'gpt' }, points: [{ t: at(T0), ...none, p50: 5, max: 10 }] },
    ]);
    const rest = await api.get(aggregate({ start_time: at(T0), end_time: at(T0 + HOUR - 1), bucket: '1800', stats: 'p50,max', group_by: 'label:model', metric_name: 'latency_ms' }));
    expect(rest.body.series.map((s: { points: unknown[] }) => s.points)).toEqual(
      res.body.data.metricSeries.map((s: { points: Record<string, unknown>[] }) => s.points.map((p) => ({ t: p.t, p50: p.p50, max: p.max }))),
    );
  });

  it('refuses bad input with BAD_USER_INPUT naming the argument', async ({ api }) => {
    const cases: [Record<string, unknown>, string][] = [
      [{ since: at(T0), bucket: 'hourly' }, 'bucket'],
      [{ since: at(T0), bucket: '1h', groupBy: ['nothing'] }, 'groupBy'],
      [{ since: at(T0), until: at(T0 + 10_000 * 60_000), bucket: '1m' }, 'bucket'],
    ];
    for (const [variables, arg] of cases) {
      const res = await api.gql(SERIES, variables);
      expect(res.body.errors[0].extensions, JSON.stringify(variables)).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: [arg] }] });
    }
    const unknownStat = await api.gql(SERIES, { since: at(T0), bucket: '1h', stats: ['P42'] });
    // Not a value of the MetricStat enum: refused by GraphQL itself, before the resolver.
    expect(unknownStat.body.data ?? null).toBeNull();
    expect(unknownStat.body.errors[0].message).toContain('P42');
  });
});
