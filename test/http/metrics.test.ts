import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY, AUTH_ENV, createKey, keyed } from '../support/auth.js';
import { client } from '../support/http.js';
import { parseMetrics, promtoolCheck, sampleValue, type Sample } from '../support/metrics.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openSse } from '../support/sse.js';

/**
 * GET /metrics after real requests, on whichever backend the project runs (SQLite; PostgreSQL with
 * the cache on Redis): what each request, operation, error, statement, group commit, cache read and
 * open stream adds, in a text Prometheus' own checker accepts. Access: an admin key on the
 * service's port; none on METRICS_LISTEN, which serves nothing else.
 */

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function scrape(url: string, key: string | null = null): Promise<{ text: string; samples: Sample[]; contentType: string | null }> {
  const response = await fetch(`${url}/metrics`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  expect(response.status).toBe(200);
  const text = await response.text();
  return { text, samples: parseMetrics(text), contentType: response.headers.get('content-type') };
}

const REQUESTS = 'agent_storage_http_request_duration_seconds_count';

describe('GET /metrics', () => {
  it('counts requests by route template, GraphQL operations by name, errors by code, statements, group commits, cache reads and open streams', async () => {
    server = await startTestServer();
    const http = client(server.url);
    const created = await http.post('/storage/sessions', { agent_name: 'observed' });
    expect(created.status).toBe(200);
    const id = created.body.id as string;
    expect((await http.get(`/storage/sessions/${id}`)).status).toBe(200);
    expect((await http.get('/storage/sessions/session_missing')).status).toBe(404);
    // Several appends at once: group commits (SQLite's flush, PostgreSQL's batched statement).
    const appends = await Promise.all([1, 2, 3].map((n) => http.post('/storage/history', { session_id: id, role: 'user', content: `m${n}` })));
    expect(appends.map((a) => a.status)).toEqual([200, 200, 200]);
    const listed = await http.gql('query ListObserved { sessions { nodes { id } } }');
    expect(listed.status).toBe(200);
    const invalid = await http.gql('query Broken { sessions { noSuchField } }');
    expect(invalid.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const missing = await http.gql('mutation AddToNothing { addMessage(input: { sessionId: "session_missing", role: USER, content: "hi" }) { id } }');
    expect(missing.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await http.put('/storage/cache/present', { value: 1 })).status).toBe(200);
    expect((await http.get('/storage/cache/present')).status).toBe(200);
    expect((await http.get('/storage/cache/absent')).status).toBe(404);
    const stream = await openSse(`${server.url}/storage/sessions/${id}/events`);
    expect(stream.status).toBe(200);
    // A GraphQL subscription (over SSE): counted, and timed to its setting up, before any event.
    const subscription = await openSse(
      `${server.url}/graphql`,
      { 'content-type': 'application/json' },
      { method: 'POST', body: JSON.stringify({ query: 'subscription WatchObserved($id: ID!) { sessionEvents(sessionId: $id) { cursor } }', variables: { id } }) },
    );
    expect(subscription.status).toBe(200);

    let open = await scrape(server.url);
    const SUBSCRIPTION = { operation_name: 'WatchObserved', operation_type: 'subscription' };
    for (let i = 0; sampleValue(open.samples, 'agent_storage_graphql_operation_duration_seconds_count', SUBSCRIPTION) === undefined; i++) {
      expect(i, 'the subscription was never timed').toBeLessThan(100);
      await new Promise((resolve) => setTimeout(resolve, 50));
      open = await scrape(server.url);
    }
    expect(sampleValue(open.samples, 'agent_storage_graphql_operations_total', SUBSCRIPTION)).toBe(1);
    expect(sampleValue(open.samples, 'agent_storage_graphql_operation_duration_seconds_count', SUBSCRIPTION)).toBe(1);
    expect(open.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sampleValue(open.samples, 'agent_storage_event_streams_open')).toBe(2);
    subscription.close();
    stream.close();
    // The stream's end is seen once the server has noticed the client leave.
    const EVENTS = { method: 'GET', route: '/storage/sessions/:id/events', status: '200' };
    let after = await scrape(server.url);
    const GRAPHQL = { method: 'POST', route: '/graphql', status: '200' };
    const ended = (samples: Sample[]) =>
      sampleValue(samples, 'agent_storage_event_streams_open') === 0 && sampleValue(samples, REQUESTS, EVENTS) !== undefined && sampleValue(samples, REQUESTS, GRAPHQL) === 4;
    for (let i = 0; !ended(after.samples); i++) {
      expect(i, 'the closed stream is still counted as open').toBeLessThan(100);
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await scrape(server.url);
    }

    const { samples, text } = after;
    // REST by route template, never by the id in the path.
    expect(sampleValue(samples, REQUESTS, { method: 'POST', route: '/storage/sessions', status: '200' })).toBe(1);
    expect(sampleValue(samples, REQUESTS, { method: 'GET', route: '/storage/sessions/:id', status: '200' })).toBe(1);
    expect(sampleValue(samples, REQUESTS, { method: 'GET', route: '/storage/sessions/:id', status: '404' })).toBe(1);
    expect(sampleValue(samples, REQUESTS, { method: 'POST', route: '/storage/history', status: '200' })).toBe(3);
    // Every GraphQL request (refusals too are answered 200 in application/json), the subscription's too.
    expect(sampleValue(samples, REQUESTS, GRAPHQL)).toBe(4);
    expect(text).not.toContain(id);
    // The stream was counted (its duration is not a latency: observed as 0).
    expect(sampleValue(samples, REQUESTS, EVENTS)).toBe(1);
    expect(sampleValue(samples, 'agent_storage_http_request_duration_seconds_sum', { route: '/storage/sessions/:id/events' })).toBe(0);
    // GraphQL operations by name; errors by door and code.
    expect(sampleValue(samples, 'agent_storage_graphql_operations_total', { operation_name: 'ListObserved', operation_type: 'query' })).toBe(1);
    expect(sampleValue(samples, 'agent_storage_graphql_operation_duration_seconds_count', { operation_name: 'ListObserved' })).toBe(1);
    expect(sampleValue(samples, 'agent_storage_errors_total', { door: 'graphql', code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(sampleValue(samples, 'agent_storage_errors_total', { door: 'graphql', code: 'NOT_FOUND' })).toBe(1);
    expect(sampleValue(samples, 'agent_storage_errors_total', { door: 'graphql', code: 'UNKNOWN' })).toBeUndefined();
    expect(sampleValue(samples, 'agent_storage_errors_total', { door: 'rest', code: 'NOT_FOUND' })).toBe(2);
    // Database time by statement name, and group commits.
    expect(sampleValue(samples, 'agent_storage_db_statement_duration_seconds_count', { statement: 'insertSession', outcome: 'ok' })).toBe(1);
    expect(sampleValue(samples, 'agent_storage_db_statement_duration_seconds_sum', { statement: 'insertSession', outcome: 'ok' })).toBeGreaterThan(0);
    const commits = samples.filter((s) => s.name === 'agent_storage_group_commit_batch_size_count');
    expect(commits).toHaveLength(1);
    expect(commits[0]!.labels.database).toBe(server.backend.kind);
    expect(commits[0]!.value).toBeGreaterThanOrEqual(1);
    // Cache reads, in one place whichever store holds the cache.
    expect(sampleValue(samples, 'agent_storage_cache_lookups_total', { result: 'hit' })).toBe(1);
    expect(sampleValue(samples, 'agent_storage_cache_lookups_total', { result: 'miss' })).toBe(1);
    // Per tenant (open access: everything is the default tenant's).
    expect(sampleValue(samples, 'agent_storage_tenant_requests_total', { tenant: 'default' })).toBeGreaterThanOrEqual(10);
    // Process metrics.
    expect(sampleValue(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sampleValue(samples, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
  });

  it('is counted per server: a second server in the same process starts from zero', async () => {
    server = await startTestServer();
    await client(server.url).post('/storage/sessions', { agent_name: 'a' });
    const other = await startTestServer();
    try {
      const { samples } = await scrape(other.url);
      expect(sampleValue(samples, REQUESTS, { route: '/storage/sessions' })).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('needs an admin key when keys are checked: 401 without one, 403 with a key that lacks admin', async () => {
    server = await startTestServer(AUTH_ENV);
    const reader = await createKey(server.url, 'acme', ['READ', 'WRITE']);
    const admin = await createKey(server.url, 'acme', ['ADMIN']);
    const anonymous = await keyed(server.url, null).get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).not.toContain('agent_storage');
    const refused = await keyed(server.url, reader).get('/metrics');
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/admin/);
    // The refusals themselves are counted, by code; the reader's request counts for its tenant.
    const { samples } = await scrape(server.url, admin);
    expect(sampleValue(samples, 'agent_storage_errors_total', { door: 'auth', code: 'UNAUTHENTICATED' })).toBe(1);
    expect(sampleValue(samples, 'agent_storage_errors_total', { door: 'rest', code: 'FORBIDDEN' })).toBe(1);
    expect(sampleValue(samples, REQUESTS, { method: 'GET', route: 'none', status: '401' })).toBe(1);
    expect(sampleValue(samples, REQUESTS, { method: 'GET', route: '/metrics', status: '403' })).toBe(1);
    expect(sampleValue(samples, 'agent_storage_tenant_requests_total', { tenant: 'acme' })).toBeGreaterThanOrEqual(1);
    expect((await scrape(server.url, ADMIN_KEY)).samples.length).toBeGreaterThan(0);
  });

  it('is served without a key on METRICS_LISTEN, which serves /metrics and /ready only', async () => {
    server = await startTestServer({ ...AUTH_ENV, METRICS_LISTEN: '127.0.0.1:0' });
    const metricsUrl = server.running.metricsUrl!;
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(metricsUrl).not.toBe(server.url);
    expect((await keyed(server.url, null).get('/storage/sessions')).status).toBe(401);
    const { samples, text } = await scrape(metricsUrl);
    expect(sampleValue(samples, REQUESTS, { method: 'GET', route: 'none', status: '401' })).toBe(1);
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
    const side = client(metricsUrl);
    expect((await side.get('/ready')).body).toMatchObject({ ready: true });
    expect((await side.get('/storage/sessions')).status).toBe(404);
    expect((await side.get('/health')).status).toBe(404);
    const post = await side.post('/metrics', {});
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
