import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Bundle, buildBundle } from '../support/build.js';
import { type Service, startService } from '../support/process.js';

/**
 * Traces as a collector receives them: the service (the built bundle, in its own process, as users
 * start it — the tracing SDK is a lazily loaded chunk of it) sends OTLP
 * over HTTP (JSON) to an in-process collector, here a plain node:http server that decodes what it
 * is sent. A request is a SERVER span (continuing the caller's trace when it sends `traceparent`),
 * and so is a GraphQL operation over a WebSocket; a GraphQL resolver that reaches storage an
 * INTERNAL span under it; each SQL statement a CLIENT span named by its query name under whatever ran it.
 */

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: { stringValue?: string; intValue?: number | string } }[];
}

const SERVER = 2;
const CLIENT = 3;
const INTERNAL = 1;

/** A collector: every span of every OTLP/HTTP JSON export it received, and the resource they came with. */
async function startCollector(): Promise<{ url: string; spans: OtlpSpan[]; resources: Record<string, unknown>[]; close(): Promise<void> }> {
  const spans: OtlpSpan[] = [];
  const resources: Record<string, unknown>[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !/application\/json/.test(req.headers['content-type'] ?? '')) {
        res.writeHead(404).end();
        return;
      }
      const request = JSON.parse(body) as { resourceSpans: { resource: { attributes: OtlpSpan['attributes'] }; scopeSpans: { spans: OtlpSpan[] }[] }[] };
      for (const { resource, scopeSpans } of request.resourceSpans) {
        resources.push(Object.fromEntries((resource.attributes ?? []).map((a) => [a.key, a.value.stringValue])));
        for (const scope of scopeSpans) spans.push(...scope.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    resources,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const attribute = (span: OtlpSpan, key: string) => span.attributes?.find((a) => a.key === key)?.value.stringValue;

let bundle: Bundle;
beforeAll(() => void (bundle = buildBundle()), 120_000);
afterAll(() => bundle?.cleanup());

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Polls until `find` returns something, for at most 20 s (the service sends every 100 ms). */
async function eventually<T>(what: string, find: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: never received`);
}

describe('OpenTelemetry traces', () => {
  // Allow for a slow start on a busy machine.
  it('reach an OTLP/HTTP collector: a span per request, per storage resolver and per SQL statement with its query name, linked parent to child', { timeout: 90_000 }, async () => {
    const collector = await startCollector();
    cleanups.push(() => collector.close());
    const dir = mkdtempSync(join(tmpdir(), 'agent-storage-traces-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const service: Service = await startService(
      {
        DATABASE_URL: `sqlite:${join(dir, 'storage.db')}`,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      30_000,
      [join(bundle.dist, 'main.js')],
    );
    cleanups.push(async () => void (await service.stop()));

    const created = await fetch(`${service.url}/storage/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"agent_name":"traced"}' });
    expect(created.status).toBe(200);
    const { id } = (await created.json()) as { id: string };
    const query = 'query TracedSession($id: ID!) { session(id: $id) { id agentName history { nodes { id } } } }';
    const read = await fetch(`${service.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { id } }) });
    expect(((await read.json()) as { data: { session: { id: string } } }).data.session.id).toBe(id);

    // REST: the request's span, and the statement that wrote the session under it.
    const rest = await eventually('the REST request span', () => collector.spans.find((s) => s.name === 'POST /storage/sessions'));
    expect(rest.kind).toBe(SERVER);
    expect(rest.parentSpanId ?? '').toBe('');
    expect(attribute(rest, 'http.route')).toBe('/storage/sessions');
    const insert = await eventually('the insertSession statement span', () => collector.spans.find((s) => s.name === 'insertSession'));
    expect(insert).toMatchObject({ kind: CLIENT, traceId: rest.traceId, parentSpanId: rest.spanId });
    expect(attribute(insert, 'db.system.name')).toBe('sqlite');
    expect(attribute(insert, 'db.query.text')).toMatch(/^insert into "sessions"/i);

    // GraphQL: request → root resolver → its statements; the relation's resolver and its statements.
    const graphql = await eventually('the GraphQL request span', () => collector.spans.find((s) => s.name === 'POST /graphql'));
    expect(graphql.kind).toBe(SERVER);
    const inTrace = () => collector.spans.filter((s) => s.traceId === graphql.traceId);
    const session = await eventually('the Query.session resolver span', () => inTrace().find((s) => s.name === 'Query.session'));
    expect(session).toMatchObject({ kind: INTERNAL, parentSpanId: graphql.spanId });
    const history = await eventually('the Session.history resolver span', () => inTrace().find((s) => s.name === 'Session.history'));
    expect(history.kind).toBe(INTERNAL);
    expect(attribute(history, 'graphql.field.path')).toBe('session.history');
    const statementsUnder = (parent: OtlpSpan) => inTrace().filter((s) => s.kind === CLIENT && s.parentSpanId === parent.spanId);
    const sessionStatements = await eventually('a statement under Query.session', () => statementsUnder(session)[0] && statementsUnder(session));
    const historyStatements = await eventually('a statement under Session.history', () => statementsUnder(history)[0] && statementsUnder(history));
    // Named by their query names (what the statement comments and the metrics call them).
    for (const statement of [...sessionStatements, ...historyStatements]) expect(statement.name).toMatch(/^[a-z][A-Za-z]+$/);
    expect(sessionStatements.map((s) => s.name).join(' ')).toMatch(/session/i);
    expect(historyStatements.map((s) => s.name).join(' ')).toMatch(/message|history/i);
    // Plain fields get no span of their own.
    expect(inTrace().find((s) => s.name === 'Session.agentName' || s.name === 'Session.id')).toBeUndefined();
    expect(collector.resources[0]).toMatchObject({ 'service.name': 'agent-storage' });

    // A caller's W3C trace context: the request's span continues that trace, under the caller's span.
    const [callerTrace, callerSpan] = ['4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7'];
    const continued = await fetch(`${service.url}/storage/sessions/${id}`, { headers: { traceparent: `00-${callerTrace}-${callerSpan}-01` } });
    expect(continued.status).toBe(200);
    const get = await eventually('the span of a request with traceparent', () => collector.spans.find((s) => s.name === 'GET /storage/sessions/:id'));
    expect(get).toMatchObject({ kind: SERVER, traceId: callerTrace, parentSpanId: callerSpan });
    // A malformed one is ignored: a new trace.
    await (await fetch(`${service.url}/storage/sessions`, { headers: { traceparent: 'not-a-trace' } })).arrayBuffer();
    const list = await eventually('the span of a request with a bad traceparent', () => collector.spans.find((s) => s.name === 'GET /storage/sessions'));
    expect(list.parentSpanId ?? '').toBe('');
    expect(list.traceId).toMatch(/^[0-9a-f]{32}$/);

    // An operation over a WebSocket: a SERVER span of its own, its resolvers and statements under it.
    const ws = createClient({ url: `${service.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
    cleanups.push(() => ws.dispose());
    const overSocket = await new Promise<unknown>((resolve, reject) => {
      let result: unknown;
      ws.subscribe({ query: 'query OverSocket($id: ID!) { session(id: $id) { id } }', variables: { id } }, { next: (r) => (result = r), error: reject, complete: () => resolve(result) });
    });
    expect(overSocket).toEqual({ data: { session: { id } } });
    const operation = await eventually('the WebSocket operation span', () => collector.spans.find((s) => s.name === 'query OverSocket'));
    expect(operation.kind).toBe(SERVER);
    expect(operation.parentSpanId ?? '').toBe('');
    expect(attribute(operation, 'graphql.operation.name')).toBe('OverSocket');
    const socketSession = await eventually('Query.session under the WebSocket operation', () =>
      collector.spans.find((s) => s.name === 'Query.session' && s.traceId === operation.traceId),
    );
    expect(socketSession.parentSpanId).toBe(operation.spanId);
    await eventually('a statement under it', () => collector.spans.find((s) => s.kind === CLIENT && s.parentSpanId === socketSession.spanId));
  });
});
