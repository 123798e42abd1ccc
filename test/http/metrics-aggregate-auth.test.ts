import { AUTH_ENV, createKey, keyed } from '../support/auth.js';
import { describe, expect, it, test } from '../support/server-fixture.js';

/* Metric aggregates under API keys, black-box: they read, so they need `read`; each tenant sees its own metrics. */

test.override({ env: AUTH_ENV });

const SINCE = '2026-04-01T00:00:00.000Z';
const PATH = `/storage/metrics/aggregate?start_time=${SINCE}&end_time=2026-04-02T00:00:00.000Z&bucket=1d&stats=count,sum`;
const SERIES = `{ metricSeries(since: "${SINCE}", until: "2026-04-02T00:00:00.000Z", bucket: "1d", stats: [COUNT, SUM]) { points { count sum } } }`;

describe('metric aggregates: scopes and tenants', () => {
  it('need read; count only the caller tenant’s metrics', async ({ server }) => {
    const acme = keyed(server.url, await createKey(server.url, 'acme', ['READ', 'WRITE']));
    const beta = keyed(server.url, await createKey(server.url, 'beta', ['READ', 'WRITE']));
    const writer = keyed(server.url, await createKey(server.url, 'acme', ['WRITE']));
    const metric = (value: number) => ({ entity_type: 'agent', entity_name: 'a', metric_name: 'm', value, timestamp: SINCE });
    expect((await acme.post('/storage/metrics', metric(2))).status).toBe(200);
    expect((await acme.post('/storage/metrics', metric(3))).status).toBe(200);
    expect((await beta.post('/storage/metrics', metric(40))).status).toBe(200);

    expect((await acme.get(PATH)).body).toEqual({ series: [{ group: {}, points: [{ t: SINCE, count: 2, sum: 5 }] }] });
    expect((await beta.get(PATH)).body).toEqual({ series: [{ group: {}, points: [{ t: SINCE, count: 1, sum: 40 }] }] });
    expect((await acme.gql(SERIES)).body.data.metricSeries).toEqual([{ points: [{ count: 2, sum: 5 }] }]);

    expect((await writer.get(PATH)).status).toBe(403);
    expect((await writer.gql(SERIES)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await keyed(server.url, null).get(PATH)).status).toBe(401);
  });
});
