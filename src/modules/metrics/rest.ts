import { ValidationError } from '../../domain/errors.js';
import { pagedByDefault } from '../../domain/paging.js';
import { metricRecord } from '../../domain/records.js';
import { wireCodec } from '../../domain/wire.js';
import { camelToSnake } from '../../domain/wire.js';
import { HttpError, json, parseWire, queryObject } from '../../rest/http.js';
import { pagingQuery, readListPage, type Route, type RouteDeps } from '../../rest/routes.js';
import { metricAggregateInput, metricFilter, recordMetricInput } from './service.js';

// The metrics' REST routes (`/storage/metrics`): each parses the request and calls one operation
// of the tenant's metric service (`storage.metrics`).

/** The metric on the REST wire: every field of the record, in snake_case, in its order (`domain/wire.ts`). */
export const metricWire = wireCodec(metricRecord);

/** The original's query names for the time range. */
const TIME_RANGE = { start_time: 'since', end_time: 'until' };
const WIRE_NAMES: Record<string, string> = { since: 'start_time', until: 'end_time' };

/** The aggregate's refusals (too many points) name the query parameter to change, as invalid input does. */
async function inQuery<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const loc = (field: unknown) => (typeof field === 'string' ? [WIRE_NAMES[field] ?? camelToSnake(field)] : []);
    throw new HttpError(422, error.issues.map((i) => ({ loc: ['query', ...loc(i.path[0])], msg: i.message, type: 'value_error' })));
  }
}

export function metricRoutes({ config }: RouteDeps): Route[] {
  const sizes = pagedByDefault(config.maxPageSize);
  const listQuery = metricFilter.extend(pagingQuery(sizes).shape);
  return [
    {
      method: 'POST',
      path: '/storage/metrics',
      handler: async (req) => {
        const [metric] = await req.storage.metrics.record([parseWire(recordMetricInput, await req.body(), 'body')]);
        return json(200, metricWire.toWire(metric!));
      },
    },
    {
      // Oldest first (time order), a page at a time (domain/paging.ts) unless `limit` says otherwise.
      method: 'GET',
      path: '/storage/metrics',
      handler: async (req) => {
        const { limit, offset, ...filter } = parseWire(listQuery, queryObject(req.query), 'query', TIME_RANGE);
        const page = await readListPage(req.request, sizes, { limit, offset }, (slice) => req.storage.metrics.list(filter, slice));
        return json(200, page.rows.map(metricWire.toWire), page.headers);
      },
    },
    {
      // Statistics per group and time bucket (docs/analytics.md). Its own path segment: no metric
      // route takes a third one, so neither shadows the other.
      method: 'GET',
      path: '/storage/metrics/aggregate',
      handler: async (req) => {
        const input = parseWire(metricAggregateInput, queryObject(req.query), 'query', TIME_RANGE);
        return json(200, { series: await inQuery(req.storage.metrics.aggregate(input)) });
      },
    },
  ];
}
