import { type EventTouch, eventPayload } from '../../domain/events.js';
import type { Metric } from '../../domain/records.js';

/**
 * Group commit for PostgreSQL. Every statement that writes events takes the `event_log` counter
 * row until it commits (see the migration of version 4), so writes with events commit one at a
 * time, each waiting for its own WAL flush; under concurrent writes that flush, not SQL, is the
 * price of a write. Writes of one kind that arrive while a batch of that kind is running wait and
 * then go together as one statement: one transaction, one counter update, one flush. Every caller
 * is answered only after that statement (an implicit transaction) committed: acknowledged still
 * means on disk.
 *
 * One batch runs at a time per queue and process, so writes to one session keep their arrival order.
 */
export class GroupCommitQueue<I, R> {
  private queue: Pending<I, R>[] = [];
  private running: Promise<void> | null = null;

  /**
   * @param run runs one batch and settles each of its writes (should it reject, every write of the
   *   batch is refused with that error, and the queue goes on).
   * @param weight what a write counts towards `maxWeight` (rows, say).
   * @param maxWeight a batch stops growing at this weight (bounds one statement's parameters); a
   *   heavier write still goes, alone.
   */
  constructor(
    private readonly run: (batch: Pending<I, R>[]) => Promise<void>,
    private readonly weight: (item: I) => number,
    private readonly maxWeight: number,
  ) {}

  add(item: I): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      // Started on the next turn, not now: writes read from the same burst of sockets join the first batch too.
      this.running ??= new Promise((started) => setImmediate(started)).then(() => this.drainQueue());
    });
  }

  /** Resolves once every write queued so far has been answered. */
  async idle(): Promise<void> {
    await this.running;
  }

  private async drainQueue(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.take();
      await this.run(batch).catch((error: unknown) => {
        for (const write of batch) write.reject(error);
      });
    }
    this.running = null;
  }

  private take(): Pending<I, R>[] {
    let total = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || total + this.weight(this.queue[n]!.item) <= this.maxWeight)) {
      total += this.weight(this.queue[n]!.item);
      n++;
    }
    return this.queue.splice(0, n);
  }
}

/** One caller's write, waiting for the statement (and so the commit) that contains it. */
export interface Pending<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export type PendingMetrics = Pending<readonly Metric[], void>;

/** One kind of batch: its statement, that statement's parameters, and how its rows answer the callers. */
export interface BatchStatement<I, R> {
  name: string;
  sql: string;
  params: (batch: readonly Pending<I, R>[]) => unknown[];
  /** Settles every write of the batch; returns the sessions and agents that got events. */
  settle: (batch: readonly Pending<I, R>[], rows: readonly Record<string, unknown>[]) => EventTouch;
}

/**
 * The NOTIFY of a batch, from its `logged` CTE (channel: parameter `channel`): the sessions and
 * agents written to, or empty (readers then look everywhere) when that does not fit its 8,000 bytes.
 */
const notifyLogged = (channel: string) => `SELECT pg_notify(${channel}, CASE WHEN octet_length(p) < 7900 THEN p ELSE '' END)
    FROM (SELECT json_build_array(json_agg(DISTINCT session_id), json_agg(DISTINCT agent_name))::text AS p FROM logged HAVING count(*) > 0) payload`;

/**
 * Records the metrics of every write in `batch` in one statement, with a MetricRecorded event for
 * each metric of a session that exists (its agent read in the same statement), in batch order. The
 * payloads are made here by `eventPayload`, as for every other event, so they read back exactly as
 * the metric. Returns the sessions and agents the events were for.
 */
export const METRIC_BATCH_SQL = `WITH added AS (
    INSERT INTO metrics (id, entity_type, entity_name, session_id, metric_name, value, timestamp, labels)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::timestamptz[], $8::json[])
    RETURNING id, session_id
  ), owned AS (
    SELECT e.ord, e.payload, s.id AS session_id, s.agent_name
    FROM added a JOIN unnest($1::text[], $9::json[]) WITH ORDINALITY AS e(id, payload, ord) ON e.id = a.id
      JOIN sessions s ON s.id = a.session_id
  ), counter AS (
    UPDATE event_log SET last_seq = last_seq + (SELECT count(*) FROM owned)
    WHERE id = 1 AND EXISTS (SELECT 1 FROM owned) RETURNING last_seq
  ), logged AS (
    INSERT INTO events (seq, type, session_id, agent_name, time, payload)
    SELECT counter.last_seq - (SELECT count(*) FROM owned) + row_number() OVER (ORDER BY o.ord), 'MetricRecorded', o.session_id, o.agent_name, now(), o.payload
    FROM owned o CROSS JOIN counter
    RETURNING session_id, agent_name
  ), notified AS (
    ${notifyLogged('$10')}
  )
  SELECT DISTINCT session_id, agent_name, (SELECT count(*) FROM notified) AS notified FROM logged`;

/** The parameters of `METRIC_BATCH_SQL`: every metric of the batch, in batch order. */
export function metricBatchParams(batch: readonly PendingMetrics[], channel: string): unknown[] {
  const all = batch.flatMap(({ item }) => item);
  return [
    ...metricColumns(all),
    all.map((metric) => JSON.stringify(eventPayload({ type: 'MetricRecorded', metric, sessionId: metric.sessionId ?? '', agentName: '' }))),
    channel,
  ];
}

/**
 * The column arrays of a multi-row metrics INSERT (`unnest($1::text[], $2::text[], $3::text[],
 * $4::text[], $5::text[], $6::float8[], $7::timestamptz[], $8::json[])`, in table order).
 */
export function metricColumns(metrics: readonly Metric[]): unknown[][] {
  return [
    metrics.map((m) => m.id),
    metrics.map((m) => m.entityType),
    metrics.map((m) => m.entityName),
    metrics.map((m) => m.sessionId),
    metrics.map((m) => m.metricName),
    metrics.map((m) => m.value),
    metrics.map((m) => m.timestamp),
    metrics.map((m) => JSON.stringify(m.labels)),
  ];
}

/** Every write of a metrics batch is answered once the statement committed. */
export function settleMetrics(batch: readonly PendingMetrics[], rows: readonly Record<string, unknown>[]): EventTouch {
  for (const { resolve } of batch) resolve();
  return { sessionIds: new Set(rows.map((r) => r.session_id as string)), agentNames: new Set(rows.map((r) => r.agent_name as string)) };
}
