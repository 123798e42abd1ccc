import { type Clock, isoTime } from '../../domain/clock.js';
import { ValidationError } from '../../domain/errors.js';
import type { IdGenerator } from '../../domain/ids.js';
import type { MetricAggregateInput, MetricFilter, RecordMetricInput } from '../../domain/inputs.js';
import type { Slice } from '../../domain/paging.js';
import type { Metric } from '../../domain/records.js';
import type { MetricSeries } from './aggregate.js';
import type { MetricKey, MetricStore } from './store.js';

// The inputs' schemas stay with the shared rules in domain/inputs.ts; the doors take them from here.
export {
  type MetricAggregateInput,
  metricAggregateInput,
  type MetricFilter,
  metricFilter,
  type RecordMetricInput,
  recordMetricInput,
  recordMetricsInput,
} from '../../domain/inputs.js';

/**
 * The most points one aggregate answers, all series together: a bucket too small for its range,
 * or too many groups, is refused rather than answered in part (docs/analytics.md).
 */
export const MAX_AGGREGATE_POINTS = 10_000;

/**
 * The metrics' operations, shared by the REST and GraphQL doors, over one tenant's store. Inputs
 * arrive validated by the doors; here a metric gets its id and, when none is given, the clock's
 * time. Metrics outlive their session and are read whatever became of it.
 */
export class MetricService {
  constructor(
    readonly store: MetricStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Records metrics all or nothing (one transaction, or one group-committed statement). */
  async record(inputs: readonly RecordMetricInput[]): Promise<Metric[]> {
    const now = isoTime(this.clock.now());
    const metrics = inputs.map((m): Metric => ({ ...m, id: this.ids.next('metric'), timestamp: m.timestamp ?? now }));
    await this.store.insert(metrics);
    return metrics;
  }

  list(filter: MetricFilter, slice: Slice<MetricKey>): Promise<Metric[]> {
    return this.store.list(filter, slice);
  }

  count(filter: MetricFilter): Promise<number> {
    return this.store.count(filter);
  }

  /** Each session's page (`filter.sessionId` ignored), in one statement: the GraphQL loaders' batch. */
  pages(sessionIds: readonly string[], filter: MetricFilter, slice: Slice<MetricKey>): Promise<Map<string, Metric[]>> {
    return this.store.pages(sessionIds, filter, slice);
  }

  counts(sessionIds: readonly string[], filter: MetricFilter): Promise<Map<string, number>> {
    return this.store.counts(sessionIds, filter);
  }

  /**
   * Statistics per group and time bucket from `since` to `until` (now unless given). Refused
   * before any scan when one series alone could hold more than MAX_AGGREGATE_POINTS buckets, and
   * after the first statement when all the series together hold more.
   */
  async aggregate(input: MetricAggregateInput): Promise<MetricSeries[]> {
    const until = input.until ?? isoTime(this.clock.now());
    const buckets = bucketsBetween(input.since, until, input.bucket);
    if (buckets > MAX_AGGREGATE_POINTS) {
      throw new ValidationError([
        { path: ['bucket'], message: `${buckets} buckets from ${input.since} to ${until}, more than ${MAX_AGGREGATE_POINTS} points: use a larger bucket or a shorter range` },
      ]);
    }
    const series = await this.store.aggregate({ ...input, until }, MAX_AGGREGATE_POINTS);
    if (series === null) {
      throw new ValidationError([
        { path: ['groupBy'], message: `the series together hold more than ${MAX_AGGREGATE_POINTS} points: group by less, filter more, or use a larger bucket or a shorter range` },
      ]);
    }
    return series;
  }
}

/** How many buckets of `seconds` (aligned to the epoch, as aggregate.ts aligns them) meet the range; 0 when it is empty. */
export function bucketsBetween(since: string, until: string, seconds: number): number {
  const first = Math.floor(Math.floor(Date.parse(since) / 1000) / seconds);
  const last = Math.floor(Math.floor(Date.parse(until) / 1000) / seconds);
  return Math.max(0, last - first + 1);
}
