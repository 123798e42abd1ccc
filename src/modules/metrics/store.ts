import { sql } from 'kysely';
import { codecs, type RowCodec } from '../../db/codec.js';
import { byGroup, countsByGroup, type Keyset, naturalOrder, pageOf, pagePerGroup, shapeOf, type SliceShape, sliceParams } from '../../db/paging.js';
import { BATCH_ROWS, GroupCommitQueue, type Pending } from '../../db/postgres/group-commit.js';
import { inList, isUniqueViolation } from '../../db/portable.js';
import { type Row, type Runner, tx } from '../../db/runner.js';
import { defineStatementFamily, defineStatements, type Dialect, type Params, type Placeholders, type Statement } from '../../db/statements.js';
import { ConflictError, InsufficientStorageError, UnavailableError } from '../../domain/errors.js';
import { eventPayload, eventsOf } from '../../domain/events.js';
import type { MetricFilter } from '../../domain/inputs.js';
import type { Slice } from '../../domain/paging.js';
import { type Metric, metricRecord } from '../../domain/records.js';
import { type AppendEvents, notifyLogged } from '../events/append.js';
import { aggregate, type MetricAggregation, type MetricSeries } from './aggregate.js';
import { type FilterShape, filterParams, filterShape, filtered, from, type ReadPlaceholders } from './filter.js';

/** Sort key of metrics: time, then id for a total order among equal timestamps. */
export interface MetricKey {
  timestamp: string;
  id: string;
}

/**
 * Where metrics live. Metrics are not under a session's expiry: they outlive their session (a
 * deleted or expired session's metrics stay and are still listed), so no method takes `liveAt`.
 */
export interface MetricStore {
  /**
   * Records metrics, all or none, with a MetricRecorded event for each metric of a session that
   * exists (the session's agent's), in the order given. An id already taken: `ConflictError`.
   */
  insert(metrics: readonly Metric[]): Promise<void>;
  list(filter: MetricFilter, slice: Slice<MetricKey>): Promise<Metric[]>;
  count(filter: MetricFilter): Promise<number>;
  /** Per-session metric pages in one statement; `filter.sessionId` is ignored (the session ids are the filter). */
  pages(sessionIds: readonly string[], filter: MetricFilter, slice: Slice<MetricKey>): Promise<Map<string, Metric[]>>;
  counts(sessionIds: readonly string[], filter: MetricFilter): Promise<Map<string, number>>;
  /**
   * Statistics per group and time bucket (`aggregate.ts`); null when the answer would hold more
   * than `maxPoints` points (nothing more is computed then).
   */
  aggregate(query: MetricAggregation, maxPoints: number): Promise<MetricSeries[] | null>;
  /** Resolves once every write handed in so far has been answered (a backend waits for it before closing). */
  idle(): Promise<void>;
}

/** What only the export/import CLI does with metrics. */
export interface MetricMaintenance {
  /** Inserts metrics as exported, ids kept, in one transaction; ones that already exist are skipped. How many were new. */
  import(metrics: readonly Metric[]): Promise<number>;
}

const METRIC_KEYS: Keyset<MetricKey> = {
  columns: ['timestamp', 'id'],
  pgTypes: ['timestamptz', 'text'],
  desc: false,
  values: (key) => [key.timestamp, key.id],
};

/**
 * A session's metrics: on SQLite always through the session index. Left to itself its planner may
 * pick the metric-name or entity index and then walk every metric of that name in the whole store
 * (test/storage/sqlite-query-plans.test.ts). PostgreSQL's planner weighs the indexes by their
 * statistics and needs no hint (it has no such syntax either).
 */
const sessionMetrics = (dialect: Dialect) => (dialect === 'sqlite' ? 'metrics INDEXED BY idx_metrics_session' : 'metrics');

const listMetrics = defineStatementFamily('listMetrics', (shape: FilterShape & SliceShape) => (db, p: ReadPlaceholders, dialect) =>
  pageOf(filtered(from(db, 'metrics').selectAll(), shape, p), METRIC_KEYS, shape, p, dialect),
);

const countMetrics = defineStatementFamily('countMetrics', (shape: FilterShape) => (db, p: ReadPlaceholders) =>
  filtered(from(db, 'metrics').select(sql`COUNT(*)`.as('n')), shape, p),
);

/**
 * One session's page is a plain keyset `LIMIT` (it walks the index and stops early); many sessions'
 * pages are one statement (`pagePerGroup`), so a nested GraphQL field costs one statement.
 */
const metricPages = defineStatementFamily('metricPages', (shape: FilterShape & SliceShape & { single: boolean }) => (db, p: ReadPlaceholders, dialect) => {
  const source = sessionMetrics(dialect);
  if (shape.single) {
    return pageOf(filtered(from(db, source).selectAll().where('session_id', '=', p('session')), shape, p), METRIC_KEYS, shape, p, dialect);
  }
  return pagePerGroup(db, 'metrics', source, 'session_id', METRIC_KEYS, shape, p, dialect, (q) =>
    filtered(q.where(inList('session_id', p('ids'), dialect)), shape, p),
  );
});

const metricCounts = defineStatementFamily('metricCounts', (shape: FilterShape) => (db, p: ReadPlaceholders, dialect) =>
  filtered(from(db, sessionMetrics(dialect)).select([sql.ref('session_id').as('group_'), sql`COUNT(*)`.as('n')]), shape, p)
    .where(inList('session_id', p('ids'), dialect))
    .groupBy('session_id'),
);

type MetricRow = { id: string; entityType: string; entityName: string; sessionId: string | null; metricName: string; value: number; timestamp: string; labels: string };

/** The statements of the portable transaction (SQLite's way to record metrics) and of imports on SQLite. */
const statements = defineStatements({
  insertMetric: (db, p: Placeholders<MetricRow>) => db.insertInto('metrics').values(columnsOf(p)),

  importMetric: (db, p: Placeholders<MetricRow>) =>
    db
      .insertInto('metrics')
      .values(columnsOf(p))
      .onConflict((oc) => oc.column('id').doNothing()),

  metricSessions: (db, p: Placeholders<{ ids: string[] }>, dialect) =>
    db.selectFrom('sessions').select(['id', 'agent_name']).where(inList('id', p('ids'), dialect)),
});

function columnsOf(p: Placeholders<MetricRow>) {
  return {
    id: p('id'),
    entity_type: p('entityType'),
    entity_name: p('entityName'),
    session_id: p('sessionId'),
    metric_name: p('metricName'),
    value: p('value'),
    timestamp: p('timestamp'),
    labels: p('labels'),
  };
}

type MetricColumns = {
  ids: string[];
  entityTypes: string[];
  entityNames: string[];
  sessionIds: (string | null)[];
  metricNames: string[];
  values: number[];
  timestamps: string[];
  labels: string[];
};

/** The column arrays of a multi-row metrics INSERT on PostgreSQL, in table order. */
const unnestColumns = (p: Placeholders<MetricColumns>) =>
  sql`${p('ids')}::text[], ${p('entityTypes')}::text[], ${p('entityNames')}::text[], ${p('sessionIds')}::text[], ${p('metricNames')}::text[], ${p('values')}::float8[], ${p('timestamps')}::timestamptz[], ${p('labels')}::json[]`;

/**
 * PostgreSQL only, hand-written (CTE chains Kysely's builder cannot say), because many rows go in one
 * statement there: a round trip and a commit per metric would be the cost of a write.
 */
const pgStatements = defineStatements({
  /**
   * Records the metrics of every write of a group-commit batch in one statement (see
   * db/postgres/group-commit.ts), with a MetricRecorded event for each metric of a session that
   * exists (its agent read in the same statement), in batch order: the events of the portable
   * transaction below, numbered from the `event_log` counter as `appendEvents` numbers them. The
   * payloads are made by `eventPayload`, as for every other event, so they read back exactly as
   * the metric.
   */
  insertMetrics: (_db, p: Placeholders<MetricColumns & { payloads: string[]; channel: string }>) => sql`WITH req AS (
      SELECT * FROM unnest(${unnestColumns(p)}, ${p('payloads')}::json[])
        WITH ORDINALITY AS m(id, entity_type, entity_name, session_id, metric_name, value, timestamp, labels, payload, ord)
    ), added AS (
      INSERT INTO metrics (id, entity_type, entity_name, session_id, metric_name, value, timestamp, labels)
      SELECT id, entity_type, entity_name, session_id, metric_name, value, timestamp, labels FROM req
      RETURNING id, session_id
    ), owned AS (
      SELECT r.ord, r.payload, s.id AS session_id, s.agent_name
      FROM added a JOIN req r ON r.id = a.id JOIN sessions s ON s.id = a.session_id
    ), counter AS (
      UPDATE event_log SET last_seq = last_seq + (SELECT count(*) FROM owned)
      WHERE id = 1 AND EXISTS (SELECT 1 FROM owned) RETURNING last_seq
    ), logged AS (
      INSERT INTO events (seq, type, session_id, agent_name, time, payload)
      SELECT counter.last_seq - (SELECT count(*) FROM owned) + row_number() OVER (ORDER BY o.ord), 'MetricRecorded', o.session_id, o.agent_name, now(), o.payload
      FROM owned o CROSS JOIN counter
      RETURNING session_id, agent_name
    ), notified AS (
      ${notifyLogged(p('channel'))}
    )
    SELECT DISTINCT session_id, agent_name, (SELECT count(*) FROM notified) AS notified FROM logged`,

  /** An import's chunk in one statement. */
  importMetrics: (_db, p: Placeholders<MetricColumns>) => sql`INSERT INTO metrics (id, entity_type, entity_name, session_id, metric_name, value, timestamp, labels)
    SELECT * FROM unnest(${unnestColumns(p)})
    ON CONFLICT (id) DO NOTHING`,
});

/** Rows per statement while importing on PostgreSQL: bounds the size of one statement's parameters. */
const IMPORT_CHUNK = 1000;

type PendingMetrics = Pending<readonly Metric[], void>;

/** Metrics in a tenant's SQL database (SQLite or PostgreSQL, by its runner). */
export class SqlMetricStore implements MetricStore, MetricMaintenance {
  private readonly sql: ReturnType<typeof statements.for>;
  private readonly codec: RowCodec;
  /** PostgreSQL: writes that arrive together go as one statement (see `insertMetrics`). */
  private readonly batches: GroupCommitQueue<readonly Metric[], void> | null;

  constructor(
    private readonly runner: Runner,
    private readonly appendEvents: AppendEvents,
  ) {
    this.sql = statements.for(runner.dialect);
    this.codec = codecs[runner.dialect];
    this.batches =
      runner.dialect === 'postgres'
        ? new GroupCommitQueue(
            (batch) => this.runBatch(batch),
            (metrics) => metrics.length,
            BATCH_ROWS,
            // One bad write (an id taken) fails alone; a failing database fails them all.
            (error) => !(error instanceof UnavailableError || error instanceof InsufficientStorageError),
            runner.observer,
          )
        : null;
  }

  async insert(metrics: readonly Metric[]): Promise<void> {
    if (metrics.length === 0) return;
    try {
      // SQLite's group commit already puts concurrent writes in one transaction: the portable transaction is all it needs.
      await (this.batches ? this.batches.add(metrics) : this.runner.transaction(() => this.insertWork(metrics)));
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('A metric id of this batch is already taken; nothing was recorded');
      throw error;
    }
  }

  /** The portable transaction: the metrics, then the events of those of existing sessions. */
  private *insertWork(metrics: readonly Metric[]) {
    for (const m of metrics) yield* tx.write(this.sql.insertMetric, rowOf(m));
    const sessionIds = [...new Set(metrics.flatMap((m) => (m.sessionId === null ? [] : [m.sessionId])))];
    const owners = sessionIds.length === 0 ? [] : yield* tx.all(this.sql.metricSessions, { ids: sessionIds });
    yield* this.appendEvents(eventsOf.metricsInserted(metrics, new Map(owners.map((r) => [r.id as string, r.agent_name as string]))));
  }

  /** One group-commit batch on PostgreSQL: one statement, then every caller answered and this process's readers woken. */
  private async runBatch(batch: PendingMetrics[]): Promise<void> {
    const all = batch.flatMap(({ item }) => item);
    const { channel, wake } = this.appendEvents.sink;
    const payloads = all.map((metric) => JSON.stringify(eventPayload({ type: 'MetricRecorded', metric, sessionId: metric.sessionId ?? '', agentName: '' })));
    const rows = await this.runner.all(pgStatements.for('postgres').insertMetrics, { ...arraysOf(all), payloads, channel });
    for (const { resolve } of batch) resolve();
    const touch = { sessionIds: new Set(rows.map((r) => r.session_id as string)), agentNames: new Set(rows.map((r) => r.agent_name as string)) };
    if (touch.sessionIds.size > 0) wake(touch);
  }

  idle(): Promise<void> {
    return this.batches?.idle() ?? Promise.resolve();
  }

  list(filter: MetricFilter, slice: Slice<MetricKey>): Promise<Metric[]> {
    const shape = { ...filterShape(filter, true), ...shapeOf(slice) };
    return this.read(listMetrics(this.runner.dialect, shape), { ...filterParams(filter), ...sliceParams(METRIC_KEYS, slice) }, shape);
  }

  async count(filter: MetricFilter): Promise<number> {
    const row = await this.runner.one(countMetrics(this.runner.dialect, filterShape(filter, true)), filterParams(filter));
    return Number(row?.n ?? 0);
  }

  async pages(sessionIds: readonly string[], filter: MetricFilter, slice: Slice<MetricKey>): Promise<Map<string, Metric[]>> {
    if (sessionIds.length === 0) return new Map();
    const single = sessionIds.length === 1;
    const shape = { ...filterShape(filter, false), ...shapeOf(slice), single };
    const statement = metricPages(this.runner.dialect, shape);
    const params = { ...filterParams(filter), ...sliceParams(METRIC_KEYS, slice), ...(single ? { session: sessionIds[0]! } : { ids: sessionIds }) };
    if (single) return new Map([[sessionIds[0]!, await this.read(statement, params, shape)]]);
    const rows = await this.runner.all(statement, params);
    return new Map([...byGroup(sessionIds, rows, 'session_id', shape)].map(([id, list]) => [id, list.map((r) => this.toMetric(r))]));
  }

  async counts(sessionIds: readonly string[], filter: MetricFilter): Promise<Map<string, number>> {
    if (sessionIds.length === 0) return new Map();
    const rows = await this.runner.all(metricCounts(this.runner.dialect, filterShape(filter, false)), { ...filterParams(filter), ids: sessionIds });
    return countsByGroup(sessionIds, rows);
  }

  aggregate(query: MetricAggregation, maxPoints: number): Promise<MetricSeries[] | null> {
    return aggregate(this.runner, query, maxPoints);
  }

  async import(metrics: readonly Metric[]): Promise<number> {
    if (metrics.length === 0) return 0;
    const { importMetric } = this.sql;
    const importMetrics = this.runner.dialect === 'postgres' ? pgStatements.for('postgres').importMetrics : null;
    return this.runner.transaction(function* () {
      let added = 0;
      if (importMetrics) {
        // Many rows a statement: a round trip per metric would make an import of millions crawl.
        for (let i = 0; i < metrics.length; i += IMPORT_CHUNK) added += yield* tx.write(importMetrics, arraysOf(metrics.slice(i, i + IMPORT_CHUNK)));
      } else {
        // SQLite runs in process: a prepared statement per row costs no round trip.
        for (const m of metrics) added += yield* tx.write(importMetric, rowOf(m));
      }
      return added;
    });
  }

  private async read(statement: Statement<Params>, params: Params, shape: SliceShape): Promise<Metric[]> {
    return naturalOrder(await this.runner.all(statement, params), shape).map((r) => this.toMetric(r));
  }

  private toMetric(r: Row): Metric {
    return metricRecord.parse({
      id: r.id,
      entityType: r.entity_type,
      entityName: r.entity_name,
      sessionId: r.session_id ?? null,
      metricName: r.metric_name,
      value: Number(r.value),
      timestamp: this.codec.time(r.timestamp),
      labels: this.codec.json(r.labels),
    });
  }
}

function rowOf(m: Metric): MetricRow {
  return { ...m, labels: JSON.stringify(m.labels) };
}

function arraysOf(metrics: readonly Metric[]): MetricColumns {
  return {
    ids: metrics.map((m) => m.id),
    entityTypes: metrics.map((m) => m.entityType),
    entityNames: metrics.map((m) => m.entityName),
    sessionIds: metrics.map((m) => m.sessionId),
    metricNames: metrics.map((m) => m.metricName),
    values: metrics.map((m) => m.value),
    timestamps: metrics.map((m) => m.timestamp),
    labels: metrics.map((m) => JSON.stringify(m.labels)),
  };
}
