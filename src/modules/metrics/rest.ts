import { pagedByDefault } from '../../domain/paging.js';
import { metricRecord } from '../../domain/records.js';
import { wireCodec } from '../../domain/wire.js';
import { json, parseWire, queryObject } from '../../rest/http.js';
import { pagingQuery, readListPage, type Route, type RouteDeps } from '../../rest/routes.js';
import { metricFilter, recordMetricInput } from './service.js';

// The metrics' REST routes (`/storage/metrics`): each parses the request and calls one operation
// of the tenant's metric service (`storage.metrics`).

/** The metric on the REST wire: every field of the record, in snake_case, in its order (`domain/wire.ts`). */
export const metricWire = wireCodec(metricRecord);

/** The original's query names for the time range. */
const TIME_RANGE = { start_time: 'since', end_time: 'until' };

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
  ];
}
