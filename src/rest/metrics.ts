import { metricFilter, recordMetricInput } from '../domain/inputs.js';
import type { Metric } from '../domain/records.js';
import { json, parseWire, queryObject } from './http.js';
import { pagingQuery, type Route, type RouteDeps } from './routes.js';

export function metricToWire(m: Metric) {
  return {
    id: m.id,
    entity_type: m.entityType,
    entity_name: m.entityName,
    session_id: m.sessionId,
    metric_name: m.metricName,
    value: m.value,
    timestamp: m.timestamp,
    labels: m.labels,
  };
}

/** The original's query names for the time range. */
const TIME_RANGE = { start_time: 'since', end_time: 'until' };
const DEFAULT_LIMIT = 100;

export function metricRoutes({ config }: RouteDeps): Route[] {
  const listQuery = metricFilter.extend(pagingQuery(config).shape);
  return [
    {
      method: 'POST',
      path: '/storage/metrics',
      handler: async (req) => {
        const [metric] = await req.storage.recordMetrics([parseWire(recordMetricInput, await req.body(), 'body')]);
        return json(200, metricToWire(metric!));
      },
    },
    {
      // Oldest first (time order), 100 at a time unless `limit` says otherwise.
      method: 'GET',
      path: '/storage/metrics',
      handler: async (req) => {
        const { limit, offset, ...filter } = parseWire(listQuery, queryObject(req.query), 'query', TIME_RANGE);
        const metrics = await req.storage.listMetrics(filter, { limit: limit ?? DEFAULT_LIMIT, offset });
        return json(200, metrics.map(metricToWire));
      },
    },
  ];
}
