import { type Kysely, type RawBuilder, sql } from 'kysely';
import { typed } from '../../db/portable.js';
import type { Row, Runner } from '../../db/runner.js';
import type { Database } from '../../db/schema.js';
import { defineStatementFamily, type Dialect, type Params, type Statement } from '../../db/statements.js';
import type { MetricAggregateInput, MetricGroupColumn, MetricStat } from '../../domain/inputs.js';
import type { Json } from '../../domain/json.js';
import { type FilterShape, filterParams, filterShape, filtered, from, type ReadPlaceholders } from './filter.js';

/**
 * Aggregates over metrics (docs/analytics.md): per group and time bucket, count, sum, mean,
 * minimum, maximum and exact percentiles, in two statements written once for both databases.
 *
 * - `aggregateMetrics`: `GROUP BY` group, bucket — count, sum, min, max (the mean is sum / count).
 * - `metricPercentiles` (only when a percentile is asked for): each value's rank within its group
 *   and bucket (`row_number()` over the values in order) and the group's size, keeping only the
 *   rows at the asked ranks. Nearest rank: the p-th percentile of n values is the value of rank
 *   ⌈p·n/100⌉ (1-based), written in integer arithmetic as `(p * n + 99) / 100`, which both
 *   databases divide alike. So percentiles are exact at any size, with one rule on both databases
 *   (PostgreSQL's `percentile_cont` interpolates, and SQLite has none), and only the picked rows
 *   leave the database.
 *
 * Buckets are aligned to the Unix epoch: a bucket of s seconds starts at a multiple of s seconds
 * since 1970-01-01T00:00:00Z (a day bucket starts at midnight UTC).
 */

/** A query's time range is given: `since` by the caller, `until` by the service (now, unless given). */
export type MetricAggregation = MetricAggregateInput & { until: string };

/** A bucket: its start, and the statistics asked for. */
export type MetricPoint = { t: string } & Partial<Record<MetricStat, number>>;

/**
 * One group's points, oldest first; only buckets holding metrics have a point. `group` names a
 * column's value (`entity_type`, `entity_name`, `metric_name`, `session_id`: a string, or null for
 * a metric of no session) or a label's (`label:<key>`: the label's JSON value, null when absent).
 */
export interface MetricSeries {
  group: Record<string, Json>;
  points: MetricPoint[];
}

const PERCENTILES = { p50: 50, p90: 90, p95: 95, p99: 99 } as const;
type Percentile = keyof typeof PERCENTILES;
const isPercentile = (stat: MetricStat): stat is Percentile => stat in PERCENTILES;

/** The statements' text differs by the filter's given fields, the grouping, and the percentiles asked for. */
interface AggregateShape extends FilterShape {
  entity_type: boolean;
  entity_name: boolean;
  metric_name: boolean;
  session_id: boolean;
  /** Label keys grouped by: `label0` is set when there is at least one, and so on. */
  label0: boolean;
  label1: boolean;
  label2: boolean;
  p50: boolean;
  p90: boolean;
  p95: boolean;
  p99: boolean;
}

const GROUP_LABELS = ['label0', 'label1', 'label2'] as const;

/** The group columns of a shape's statements, as the inner query names them. */
function groupAliases(shape: AggregateShape): string[] {
  const columns = (['entity_type', 'entity_name', 'metric_name', 'session_id'] as const).filter((c) => shape[c]).map((c) => `g_${c}`);
  return [...columns, ...GROUP_LABELS.filter((l) => shape[l]).map((l) => `g_${l}`)];
}

/**
 * A metric's time in whole seconds since the epoch (floored, so 00:59:59.999 is in the bucket of
 * 00:00). The databases store time differently: SQLite as ISO text, read with `unixepoch`;
 * PostgreSQL as `timestamptz`, read with `extract(epoch …)`.
 */
const epochSeconds = (dialect: Dialect): RawBuilder<number> =>
  dialect === 'sqlite' ? sql`unixepoch(timestamp)` : sql`floor(extract(epoch FROM timestamp))::bigint`;

/**
 * A label's value as JSON text (null when the label is absent or null), so that `"1"` and `1` are different
 * groups on both databases. SQLite reads it through a JSON path (the key is a parameter, quoted; the
 * input schema refuses the keys a path cannot quote). PostgreSQL's `->` on `json` refuses a stored
 * `\u0000` anywhere in the document (its text cannot hold NUL), so the escape is made U+FFFD first —
 * on both databases, so that they group such a label alike (as in `checkpoints/sql.ts`).
 */
function labelValue(key: RawBuilder<string>, dialect: Dialect): RawBuilder<string | null> {
  const value =
    dialect === 'sqlite'
      ? sql`replace(labels, '\\u0000', '\\ufffd') -> ('$."' || ${key} || '"')`
      : sql`(replace(labels::text, '\\u0000', '\\ufffd')::json -> ${typed(key, 'text', dialect)})::text`;
  // A label set to null is in the group of metrics without it: one group whose value is null.
  return sql`NULLIF(${value}, 'null')`;
}

/**
 * The metrics the filter selects, as (group columns…, bucket start `b` in epoch seconds, value).
 * The bucket start is `e - mod(e, s)` with a modulo that stays non-negative for times before 1970
 * (`%` keeps the dividend's sign on both databases).
 */
function bucketed(db: Kysely<Database>, shape: AggregateShape, p: ReadPlaceholders, dialect: Dialect): RawBuilder<unknown> {
  const groups = [
    ...(['entity_type', 'entity_name', 'metric_name', 'session_id'] as const).filter((c) => shape[c]).map((c) => sql.ref(c).as(`g_${c}`)),
    ...GROUP_LABELS.filter((l) => shape[l]).map((l) => labelValue(p(l) as RawBuilder<string>, dialect).as(`g_${l}`)),
  ];
  const inner = filtered(from(db, 'metrics').select([...groups, epochSeconds(dialect).as('e'), 'value']), shape, p);
  const size = typed(p('bucket'), 'bigint', dialect);
  const kept = groupAliases(shape).map((a) => sql.ref(a));
  return sql`SELECT ${sql.join([...kept, sql`e - ((e % ${size}) + ${size}) % ${size} AS b`, sql.ref('value')])} FROM (${inner}) m`;
}

/** Count, sum, minimum and maximum per group and bucket; at most `limit` rows (one more than a response may hold, to tell). */
const aggregateMetrics = defineStatementFamily('aggregateMetrics', (shape: AggregateShape) => (db, p: ReadPlaceholders, dialect) => {
  const keys = sql.join([...groupAliases(shape).map((a) => sql.ref(a)), sql.ref('b')]);
  return sql`SELECT ${keys}, COUNT(*) AS n, SUM(value) AS total, MIN(value) AS lo, MAX(value) AS hi
    FROM (${bucketed(db, shape, p, dialect)}) v GROUP BY ${keys} LIMIT ${p('limit')}`;
});

/** The values at the asked percentiles' nearest ranks, per group and bucket (`rn`: the rank). */
const metricPercentiles = defineStatementFamily('metricPercentiles', (shape: AggregateShape) => (db, p: ReadPlaceholders, dialect) => {
  const keys = sql.join([...groupAliases(shape).map((a) => sql.ref(a)), sql.ref('b')]);
  const ranks = (Object.keys(PERCENTILES) as Percentile[]).filter((q) => shape[q]).map((q) => sql`(${sql.lit(PERCENTILES[q])} * n + 99) / 100`);
  return sql`SELECT ${keys}, n, rn, value FROM (
      SELECT ${keys}, value, row_number() OVER (PARTITION BY ${keys} ORDER BY value) AS rn, COUNT(*) OVER (PARTITION BY ${keys}) AS n
      FROM (${bucketed(db, shape, p, dialect)}) v
    ) r WHERE rn IN (${sql.join(ranks)})`;
});

function shapeOf(q: MetricAggregation): AggregateShape {
  const grouped = new Set(q.groupBy.columns);
  return {
    ...filterShape(q, true),
    entity_type: grouped.has('entity_type'),
    entity_name: grouped.has('entity_name'),
    metric_name: grouped.has('metric_name'),
    session_id: grouped.has('session_id'),
    label0: q.groupBy.labels.length > 0,
    label1: q.groupBy.labels.length > 1,
    label2: q.groupBy.labels.length > 2,
    p50: q.stats.includes('p50'),
    p90: q.stats.includes('p90'),
    p95: q.stats.includes('p95'),
    p99: q.stats.includes('p99'),
  };
}

/** Where a point's statistics are gathered before it is shaped. */
interface Bucket {
  b: number;
  n: number;
  total: number;
  lo: number;
  hi: number;
  percentiles: Partial<Record<Percentile, number>>;
}

interface Group {
  /** The group's values as the statements return them (column text, label JSON text), for ordering. */
  keys: (string | null)[];
  buckets: Map<number, Bucket>;
}

/** A statement and the values of one call. */
interface Call {
  statement: Statement<Params>;
  params: Params;
}

/**
 * The statements of an aggregation and their parameters: the totals (at most `maxPoints` + 1
 * rows), and the percentiles' ranks when a percentile is asked for. What `aggregate` runs; the
 * benchmark (bench/analytics/) runs the same text on a bare connection.
 */
export function aggregationPlan(dialect: Dialect, q: MetricAggregation, maxPoints: number): { totals: Call; percentiles: Call | null } {
  const shape = shapeOf(q);
  const params: Params = { ...filterParams(q), bucket: q.bucket };
  q.groupBy.labels.forEach((key, i) => (params[`label${i}`] = key));
  return {
    totals: { statement: aggregateMetrics(dialect, shape), params: { ...params, limit: maxPoints + 1 } },
    percentiles: q.stats.some(isPercentile) ? { statement: metricPercentiles(dialect, shape), params } : null,
  };
}

/**
 * Runs an aggregation; null when it would have more than `maxPoints` points (then the percentiles
 * are not computed at all).
 */
export async function aggregate(runner: Runner, q: MetricAggregation, maxPoints: number): Promise<MetricSeries[] | null> {
  const plan = aggregationPlan(runner.dialect, q, maxPoints);
  const aliases = groupAliases(shapeOf(q));
  const rows = await runner.all(plan.totals.statement, plan.totals.params);
  if (rows.length > maxPoints) return null;
  const groups = new Map<string, Group>();
  const keysOf = (row: Row) => aliases.map((a) => (row[a] == null ? null : String(row[a])));
  for (const row of rows) {
    const keys = keysOf(row);
    const id = JSON.stringify(keys);
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { keys, buckets: new Map() }));
    const b = Number(row.b);
    group.buckets.set(b, { b, n: Number(row.n), total: Number(row.total), lo: Number(row.lo), hi: Number(row.hi), percentiles: {} });
  }

  const percentiles = q.stats.filter(isPercentile);
  if (plan.percentiles) {
    for (const row of await runner.all(plan.percentiles.statement, plan.percentiles.params)) {
      const bucket = groups.get(JSON.stringify(keysOf(row)))?.buckets.get(Number(row.b));
      if (!bucket) continue; // a bucket whose first metric was written between the two statements
      // Ranked by the count this statement saw (the other may have seen fewer or more metrics).
      const [rank, n] = [Number(row.rn), Number(row.n)];
      for (const q of percentiles) if (nearestRank(PERCENTILES[q], n) === rank) bucket.percentiles[q] = Number(row.value);
    }
  }

  return [...groups.values()].sort((a, b) => compareKeys(a.keys, b.keys)).map((group) => ({
    group: groupObject(q, group.keys),
    points: [...group.buckets.values()].sort((x, y) => x.b - y.b).map((bucket) => point(bucket, q.stats)),
  }));
}

/** The 1-based rank of the p-th percentile of n values (nearest rank), as the statement computes it. */
export function nearestRank(p: number, n: number): number {
  return Math.floor((p * n + 99) / 100);
}

function point(bucket: Bucket, stats: readonly MetricStat[]): MetricPoint {
  const out: MetricPoint = { t: new Date(bucket.b * 1000).toISOString() };
  for (const stat of stats) {
    if (stat === 'count') out.count = bucket.n;
    else if (stat === 'sum') out.sum = bucket.total;
    else if (stat === 'avg') out.avg = bucket.total / bucket.n;
    else if (stat === 'min') out.min = bucket.lo;
    else if (stat === 'max') out.max = bucket.hi;
    else {
      // Absent only when the bucket's first metric was written between the two statements.
      const value = bucket.percentiles[stat];
      if (value !== undefined) out[stat] = value;
    }
  }
  return out;
}

function groupObject(q: MetricAggregation, keys: (string | null)[]): Record<string, Json> {
  const group: Record<string, Json> = {};
  const columns: MetricGroupColumn[] = q.groupBy.columns;
  columns.forEach((c, i) => (group[c] = keys[i]!));
  q.groupBy.labels.forEach((key, i) => {
    const text = keys[columns.length + i]!;
    group[`label:${key}`] = text === null ? null : (JSON.parse(text) as Json);
  });
  return group;
}

/** Series in the order of their group values (absent first, then by code unit), the same on both databases. */
function compareKeys(a: (string | null)[], b: (string | null)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}
