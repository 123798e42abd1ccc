import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { type Dialect, valuesOf } from '../../src/db/statements.js';
import { metricAggregateInput, parseInput } from '../../src/domain/inputs.js';
import { aggregationPlan, type MetricAggregation } from '../../src/modules/metrics/aggregate.js';
import { MAX_AGGREGATE_POINTS } from '../../src/modules/metrics/service.js';
import { BACKENDS, type PreparedDatabase } from '../lib/backends.js';
import { type BenchOptions, selected } from '../lib/options.js';
import type { ServerChild } from '../lib/processes.js';
import { type BenchReport, ratio, type Row } from '../lib/report.js';

/*
 * The analytics section of `npm run bench` (ids `analytics/…`, `--only=analytics`): an hourly p95
 * over a month of metrics (1M; 20k with --quick), asked of the service over REST
 * (`GET /storage/metrics/aggregate?…&bucket=1h&stats=p95`), against the same SQL — the statements
 * the service runs (`aggregationPlan`), with the same parameters — run in this process on a bare
 * connection to the same database, on SQLite and on PostgreSQL. Each is timed one request at a
 * time, after one untimed warm-up; the median of RUNS is what the ratio compares. The metrics are
 * loaded beside the service (multi-row INSERTs in batches, in transactions), then ANALYZEd.
 */

export interface AnalyticsBench {
  options: BenchOptions;
  work: string;
  report: BenchReport;
  log(message: string): void;
  startService(databaseUrl: string, name: string): Promise<ServerChild>;
}

const DAYS = 30;
const START = Date.parse('2026-01-01T00:00:00.000Z');
const RUNS = 7;
const MODELS = ['gpt-4o', 'claude', 'gemini', 'llama', 'mistral'];

/** The query under test, as the REST door gets it and as the service parses it. */
const QUERY = {
  metric_name: 'latency_ms',
  start_time: new Date(START).toISOString(),
  end_time: new Date(START + DAYS * 86400_000 - 1).toISOString(),
  bucket: '1h',
  stats: 'p95',
};
const parsed: MetricAggregation = {
  ...parseInput(metricAggregateInput, { metricName: QUERY.metric_name, since: QUERY.start_time, until: QUERY.end_time, bucket: QUERY.bucket, stats: QUERY.stats }),
  until: QUERY.end_time,
};

/** A deterministic latency-like value: a few ms to a few s, skewed as latencies are. */
function* metricRows(count: number): Generator<[string, string, string, null, string, number, string, string]> {
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const step = (DAYS * 86400_000) / count;
  for (let i = 0; i < count; i++) {
    const model = MODELS[i % MODELS.length]!;
    const value = Math.round(Math.exp(3 + 4 * next() * next()) * 100) / 100;
    yield [`metric_bench${String(i).padStart(8, '0')}`, 'agent', 'planner', null, 'latency_ms', value, new Date(START + Math.floor(i * step)).toISOString(), JSON.stringify({ model })];
  }
}

const COLUMNS = '(id, entity_type, entity_name, session_id, metric_name, value, timestamp, labels)';

async function loadSqlite(path: string, count: number): Promise<void> {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    const perStatement = 500;
    const insert = db.prepare(`INSERT INTO metrics ${COLUMNS} VALUES ${Array(perStatement).fill('(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`);
    const one = db.prepare(`INSERT INTO metrics ${COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const batch: unknown[] = [];
    let inBatch = 0;
    const flush = db.transaction((values: unknown[], rows: number) => {
      for (let r = 0; r + perStatement <= rows; r += perStatement) insert.run(values.slice(r * 8, (r + perStatement) * 8));
      for (let r = rows - (rows % perStatement); r < rows; r++) one.run(values.slice(r * 8, (r + 1) * 8));
    });
    for (const row of metricRows(count)) {
      batch.push(...row);
      if (++inBatch === 50_000) {
        flush(batch, inBatch);
        batch.length = 0;
        inBatch = 0;
      }
    }
    if (inBatch) flush(batch, inBatch);
    db.exec('ANALYZE');
  } finally {
    db.close();
  }
}

async function loadPostgres(url: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const perStatement = 10_000;
    let columns: unknown[][] = Array.from({ length: 8 }, () => []);
    const flush = async () => {
      await client.query(
        `INSERT INTO metrics ${COLUMNS} SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::timestamptz[], $8::json[])`,
        columns,
      );
      columns = Array.from({ length: 8 }, () => []);
    };
    await client.query('BEGIN');
    let n = 0;
    for (const row of metricRows(count)) {
      row.forEach((v, i) => columns[i]!.push(v));
      if (++n % perStatement === 0) await flush();
      if (n % 200_000 === 0) {
        await client.query('COMMIT');
        await client.query('BEGIN');
      }
    }
    if (columns[0]!.length) await flush();
    await client.query('COMMIT');
    await client.query('ANALYZE metrics');
  } finally {
    await client.end();
  }
}

/** The same statements as the service's, run on a bare connection: each call's rows, in order. */
async function sqlRunner(dialect: Dialect, databaseUrl: string): Promise<{ run(): Promise<unknown[][]>; close(): Promise<void> }> {
  const plan = aggregationPlan(dialect, parsed, MAX_AGGREGATE_POINTS);
  const calls = [plan.totals, ...(plan.percentiles ? [plan.percentiles] : [])];
  if (dialect === 'sqlite') {
    const db = new Database(databaseUrl.slice('sqlite:'.length), { readonly: true });
    const prepared = calls.map((c) => ({ statement: db.prepare(c.statement.sql), values: valuesOf(c.statement, c.params) }));
    return { run: async () => prepared.map((p) => p.statement.all(...p.values)), close: async () => void db.close() };
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return {
    run: async () => {
      const out: unknown[][] = [];
      for (const c of calls) out.push((await client.query({ name: c.statement.name, text: c.statement.sql, values: valuesOf(c.statement, c.params) as unknown[] })).rows);
      return out;
    },
    close: () => client.end(),
  };
}

/** Milliseconds of each of RUNS calls, after one untimed warm-up. */
async function timed(work: () => Promise<unknown>): Promise<number[]> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const began = performance.now();
    await work();
    times.push(performance.now() - began);
  }
  return times.sort((a, b) => a - b);
}

const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)]!;

export async function analyticsSection(bench: AnalyticsBench): Promise<void> {
  const { options, report, log } = bench;
  const backends = (['sqlite', 'postgres'] as const).filter((b) => selected(options, `analytics/${b}`));
  if (backends.length === 0) {
    report.skipped.push('analytics: not selected (--only)');
    return;
  }
  const count = options.quick ? 20_000 : 1_000_000;
  const measured: Record<string, { rest: number[]; sql: number[] }> = {};
  for (const backend of backends) {
    const database: PreparedDatabase | { skip: string } =
      backend === 'sqlite'
        ? { databaseUrl: `sqlite:${join(bench.work, 'analytics.db')}`, cleanup: async () => {} }
        : await BACKENDS.find((b) => b.name === backend)!.prepare(bench.work, options);
    if ('skip' in database) {
      report.skipped.push(`analytics on ${backend}: ${database.skip}`);
      continue;
    }
    let server: ServerChild | null = null;
    try {
      // The service first: it creates the tables.
      server = await bench.startService(database.databaseUrl, `service on ${backend} (analytics)`);
      const loadStart = performance.now();
      if (backend === 'sqlite') await loadSqlite(database.databaseUrl.slice('sqlite:'.length), count);
      else await loadPostgres(database.databaseUrl, count);
      log(`analytics/${backend}: loaded ${count.toLocaleString('en-US')} metrics in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);

      const url = `${server.url}/storage/metrics/aggregate?${new URLSearchParams(QUERY)}`;
      let points = 0;
      const rest = await timed(async () => {
        const res = await fetch(url);
        if (res.status !== 200) throw new Error(`analytics/${backend}: ${res.status} ${await res.text()}`);
        const body = (await res.json()) as { series: { points: { p95?: number }[] }[] };
        points = body.series[0]?.points.length ?? 0;
      });
      const sql = await sqlRunner(backend, database.databaseUrl);
      let rows = 0;
      const inProcess = await timed(async () => (rows = (await sql.run()).at(-1)!.length)).finally(() => sql.close());
      if (points !== DAYS * 24 || rows !== points) log(`analytics/${backend}: ! ${points} points over REST, ${rows} percentile rows in process (expected ${DAYS * 24})`);
      measured[backend] = { rest, sql: inProcess };
      const row = (scenario: string, description: string, times: number[]): Row => ({
        id: `analytics/${backend}.${scenario}`, group: 'analytics', scenario: `${backend}.${scenario}`, description,
        connections: 1, reqPerSec: 1000 / median(times), mbPerSec: null, p50Ms: median(times), p99Ms: times.at(-1)!, rssMb: null, errors: 0,
      });
      report.rows.push(
        row('rest.p95.1h', `GET /storage/metrics/aggregate, hourly p95 of ${count.toLocaleString('en-US')} metrics over ${DAYS} days (median and max of ${RUNS})`, rest),
        row('sql.p95.1h', `the same statements in process on a bare ${backend === 'sqlite' ? 'better-sqlite3' : 'pg'} connection`, inProcess),
      );
    } finally {
      await server?.stop();
      await database.cleanup().catch((error: unknown) => log(`analytics: database cleanup failed: ${(error as Error).message}`));
    }
  }
  for (const [backend, m] of Object.entries(measured)) {
    report.ratios.push(
      ratio(`analytics.${backend}.p95`, `hourly p95 (${backend}): REST / the same SQL in process, median`, median(m.rest), median(m.sql), '<=', 3, `${count.toLocaleString('en-US')} metrics over ${DAYS} days, one request at a time`),
    );
  }
}
