import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ExecutionArgs, getOperationAST } from 'graphql';
import { context, defaultTextMapGetter, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { RequestObserver, RequestScope } from '../http/request-context.js';
import type { Metrics } from './metrics.js';
import { failed, type Tracing } from './tracing.js';

/** Methods kept as labels; anything else a client sends counts as OTHER (bounded cardinality). */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The route label of a request no REST route claimed: its door, or `none` (refused before routing —
 * a 401 at the edge — or no route matched: a 404). Never the path itself, which is unbounded.
 */
function doorOf(url: string | undefined): string {
  const path = (url ?? '/').split('?', 1)[0]!;
  if (path === '/graphql') return '/graphql';
  if (path === '/mcp' || path.startsWith('/mcp/')) return '/mcp';
  return 'none';
}

/**
 * Every request, timed into `agent_storage_http_request_duration_seconds` and counted per tenant;
 * with a tracer, also a SERVER span around it that everything it runs (resolvers, statements)
 * nests under. Event streams (SSE) are counted but not timed: they last as long as the client
 * stays, and would bury the latency of everything else.
 */
export function requestObserver(metrics: Metrics, tracing: Tracing | null): RequestObserver {
  const finished = (req: IncomingMessage, res: ServerResponse, scope: RequestScope, seconds: number): string => {
    const method = METHODS.has(req.method ?? '') ? req.method! : 'OTHER';
    const route = scope.route ?? doorOf(req.url);
    const status = res.headersSent ? res.statusCode : 0;
    const streamed = String(res.getHeader('content-type') ?? '').startsWith('text/event-stream');
    metrics.requestServed(method, route, status, streamed ? 0 : seconds);
    if (scope.tenant !== null) metrics.tenantRequest(scope.tenant);
    return `${method} ${route}`;
  };
  if (!tracing) return { serve: (_req, _scope, next) => next(), finished: (req, res, scope, seconds) => void finished(req, res, scope, seconds) };
  const { tracer, propagator } = tracing;

  const spans = new WeakMap<RequestScope, Span>();
  return {
    serve(req, scope, next) {
      // The caller's trace when it sent one (`traceparent`), else a new one.
      const parent = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
      const span = tracer.startSpan(
        req.method ?? 'HTTP',
        {
          kind: SpanKind.SERVER,
          attributes: { 'http.request.method': req.method ?? '', 'url.path': (req.url ?? '/').split('?', 1)[0]!, 'http.request.id': scope.requestId },
        },
        parent,
      );
      spans.set(scope, span);
      context.with(trace.setSpan(parent, span), next);
    },
    finished(req, res, scope, seconds) {
      const name = finished(req, res, scope, seconds);
      const span = spans.get(scope);
      if (!span) return;
      span.updateName(name);
      if (scope.route) span.setAttribute('http.route', scope.route);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (!res.writableFinished) span.setAttribute('http.aborted', true);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}

/** Runs one GraphQL operation received over a WebSocket (observability/requests.ts `webSocketOperations`). */
export type OperationRunner = <T>(args: ExecutionArgs, run: () => Promise<T>) => Promise<T>;

/**
 * A GraphQL operation over a WebSocket has no HTTP request of its own: with a tracer, each runs in a
 * SERVER span of its own (`query GetSession`), under which its resolvers and statements nest as
 * they do under a request's. A subscription's span is its setting up, as its resolver's is.
 */
export function webSocketOperations(tracing: Tracing | null): OperationRunner {
  if (!tracing) return (_args, run) => run();
  return async (args, run) => {
    const operation = getOperationAST(args.document, args.operationName);
    const type = operation?.operation ?? 'operation';
    const name = operation?.name?.value;
    const span = tracing.tracer.startSpan(
      name ? `${type} ${name}` : type,
      {
        kind: SpanKind.SERVER,
        attributes: { 'graphql.operation.type': type, ...(name && { 'graphql.operation.name': name }), 'network.protocol.name': 'websocket' },
      },
      ROOT_CONTEXT,
    );
    try {
      return await context.with(trace.setSpan(ROOT_CONTEXT, span), run);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  };
}
