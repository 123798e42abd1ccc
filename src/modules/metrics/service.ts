import { type Clock, isoTime } from '../../domain/clock.js';
import type { IdGenerator } from '../../domain/ids.js';
import type { MetricFilter, RecordMetricInput } from '../../domain/inputs.js';
import type { Slice } from '../../domain/paging.js';
import type { Metric } from '../../domain/records.js';
import type { MetricKey, MetricStore } from './store.js';

// The inputs' schemas stay with the shared rules in domain/inputs.ts; the doors take them from here.
export { type MetricFilter, metricFilter, type RecordMetricInput, recordMetricInput, recordMetricsInput } from '../../domain/inputs.js';

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
}
