import { describe, expect, it, test } from '../support/server-fixture.js';
import type { GraphQLClient } from './client.js';
import {
  CreateSessionDocument,
  DeleteSessionDocument,
  MetricsDocument,
  type MetricsQueryVariables,
  RecordMetricDocument,
  RecordMetricsDocument,
  type RecordMetricInput,
  SessionMetricsDocument,
} from './gql/graphql.js';

const metric = (metricName: string, value: number, extra: Partial<RecordMetricInput> = {}): RecordMetricInput => ({
  entityType: 'agent',
  entityName: 'planner',
  metricName,
  value,
  ...extra,
});

const metrics = async (gql: GraphQLClient, variables: MetricsQueryVariables) => (await gql.data(MetricsDocument, variables)).metrics;

describe('recording', () => {
  it('recordMetric fills in the time of recording and default labels', async ({ server, gql }) => {
    const recorded = (await gql.data(RecordMetricDocument, { input: metric('tokens', 512) })).recordMetric;
    expect(recorded).toMatchObject({ entityType: 'agent', entityName: 'planner', sessionId: null, metricName: 'tokens', value: 512, labels: {} });
    expect(recorded.timestamp).toBe(new Date(server.clock.now()).toISOString());
  });

  it('takes timestamps with an offset, or none for UTC, and returns them in UTC', async ({ gql }) => {
    const withOffset = (await gql.data(RecordMetricDocument, { input: metric('x', 1, { timestamp: '2025-06-01T12:00:00+02:00' }) })).recordMetric;
    expect(withOffset.timestamp).toBe('2025-06-01T10:00:00.000Z');
    const naive = (await gql.data(RecordMetricDocument, { input: metric('x', 1, { timestamp: '2025-06-01T12:00:00' }) })).recordMetric;
    expect(naive.timestamp).toBe('2025-06-01T12:00:00.000Z');
    const [bad] = await gql.errors(RecordMetricDocument, { input: metric('x', 1, { timestamp: '2025-02-30T00:00:00Z' }) });
    expect(bad!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad!.message).toContain('DateTime must be an ISO 8601 date-time');
  });

  it('recordMetrics is all or nothing', async ({ gql }) => {
    const entityName = 'batch-agent';
    const [error] = await gql.errors(RecordMetricsDocument, {
      inputs: [metric('a', 1, { entityName }), metric('', 2, { entityName }), metric('c', 3, { entityName })],
    });
    expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: ['inputs', 1, 'metricName'], message: 'must not be empty' }] });
    expect((await metrics(gql, { entityName })).totalCount).toBe(0);
    const ok = (await gql.data(RecordMetricsDocument, { inputs: [metric('a', 1, { entityName }), metric('b', 2, { entityName })] })).recordMetrics;
    expect(ok).toHaveLength(2);
    expect((await metrics(gql, { entityName })).totalCount).toBe(2);
  });
});

describe('querying', () => {
  const entityName = 'query-agent';
  const at = (minute: number) => `2025-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

  test.beforeAll(async ({ gql }) => {
    // latency at minutes 0..9, cost at minutes 0, 5; all but one labelled.
    const inputs: RecordMetricInput[] = [];
    for (let m = 0; m < 10; m++) inputs.push(metric('latency', m * 10, { entityName, timestamp: at(m), labels: { m } }));
    inputs.push(metric('cost', 0.5, { entityName, timestamp: at(0) }), metric('cost', 1.5, { entityName, entityType: 'tool', timestamp: at(5) }));
    await gql.data(RecordMetricsDocument, { inputs });
  });

  it('filters by every argument, totalCount included', async ({ gql }) => {
    expect((await metrics(gql, { entityName })).totalCount).toBe(12);
    const latency = await metrics(gql, { entityName, metricName: 'latency' });
    expect(latency.totalCount).toBe(10);
    expect(latency.edges.map((e) => e.node.value)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(latency.edges[3]!.node.labels).toEqual({ m: 3 });
    expect((await metrics(gql, { entityName, entityType: 'tool' })).edges.map((e) => e.node.value)).toEqual([1.5]);
  });

  it('filters by a time range, bounds included', async ({ gql }) => {
    const range = await metrics(gql, { entityName, metricName: 'latency', since: at(2), until: at(4) });
    expect(range.totalCount).toBe(3);
    expect(range.edges.map((e) => e.node.timestamp)).toEqual([at(2), at(3), at(4)]);
    const since = await metrics(gql, { entityName, since: '2025-03-01T10:08:00Z' });
    expect(since.edges.map((e) => e.node.value)).toEqual([80, 90]);
  });

  it('pages through equal timestamps without losing or repeating any', async ({ gql }) => {
    const page1 = await metrics(gql, { entityName, first: 1 });
    const page2 = await metrics(gql, { entityName, first: 1, after: page1.pageInfo.endCursor });
    // Minute 0 has two metrics (latency and cost): the cursor orders them by id.
    expect(page1.edges[0]!.node.timestamp).toBe(at(0));
    expect(page2.edges[0]!.node.timestamp).toBe(at(0));
    expect(page2.edges[0]!.node.id).not.toBe(page1.edges[0]!.node.id);

    const seen: string[] = [];
    let after: string | null | undefined;
    for (;;) {
      const page = await metrics(gql, { entityName, first: 5, after });
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);

    const last = await metrics(gql, { entityName, last: 2 });
    expect(last.edges.map((e) => e.node.value)).toEqual([80, 90]);
    const beforeLast = await metrics(gql, { entityName, last: 2, before: last.pageInfo.startCursor });
    expect(beforeLast.edges.map((e) => e.node.value)).toEqual([60, 70]);
  });

  it('takes metric cursors in every metric connection, and no other cursor', async ({ gql }) => {
    const page = await metrics(gql, { entityName, first: 1 });
    const sessionId = (await gql.data(CreateSessionDocument, { input: { agentName: 'x' } })).createSession.id;
    // Same order, same keys: a cursor of the top-level list works for a session's metrics.
    const nested = await gql.data(SessionMetricsDocument, { id: sessionId, after: page.pageInfo.endCursor });
    expect(nested.session!.metrics.nodes).toEqual([]);
    const sessions = Buffer.from(JSON.stringify(['session', sessionId])).toString('base64url');
    const [wrongKind] = await gql.errors(MetricsDocument, { after: sessions });
    expect(wrongKind!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: ['after'], message: 'is not a cursor of this connection' }] });
  });
});

describe("a session's metrics", () => {
  it('are filtered by name and time and survive the session', async ({ gql }) => {
    const sessionId = (await gql.data(CreateSessionDocument, { input: { agentName: 'measured' } })).createSession.id;
    await gql.data(RecordMetricsDocument, {
      inputs: [
        metric('latency', 1, { sessionId, timestamp: '2025-01-01T00:00:00Z' }),
        metric('latency', 2, { sessionId, timestamp: '2025-01-02T00:00:00Z' }),
        metric('tokens', 3, { sessionId, timestamp: '2025-01-03T00:00:00Z' }),
        metric('latency', 4, { timestamp: '2025-01-02T00:00:00Z' }),
      ],
    });
    const all = (await gql.data(SessionMetricsDocument, { id: sessionId })).session!.metrics;
    expect(all.totalCount).toBe(3);
    const latency = (await gql.data(SessionMetricsDocument, { id: sessionId, metricName: 'latency', since: '2025-01-02T00:00:00Z' })).session!.metrics;
    expect(latency.nodes.map((n) => n.value)).toEqual([2]);
    expect(latency.totalCount).toBe(1);

    await gql.data(DeleteSessionDocument, { id: sessionId });
    expect((await metrics(gql, { sessionId })).totalCount).toBe(3);
  });
});
