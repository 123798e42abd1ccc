import { context, type Span, SpanKind, SpanStatusCode, type TextMapPropagator, trace, type Tracer } from '@opentelemetry/api';
import type { DatabaseObserver } from '../db/runner.js';

/**
 * OpenTelemetry traces, exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set. The SDK,
 * the exporter and the context manager are imported only then (`startTracing`): a service without
 * an endpoint loads none of them and runs no tracing code at all — no request wrapper, no resolver
 * wrapper (the traced schema is a separate copy: observability/graphql.ts), no statement spans.
 *
 * Spans: one per HTTP request (SERVER, `GET /storage/sessions/:id`) and per GraphQL operation over a
 * WebSocket (SERVER, `query GetSession`), one per GraphQL resolver that reaches storage
 * (`Query.session`, `Session.history`), one per SQL statement named by its query name (CLIENT,
 * `getSession`), each a child of what was running when it started. A request that carries a W3C
 * `traceparent` header continues the caller's trace.
 *
 * The tracer provider is this server's, not registered globally: tests start servers with and
 * without tracing in one process. The context manager (AsyncLocalStorage), which carries the active
 * span across awaits, is necessarily process-wide in the OpenTelemetry API; it is installed once.
 */

export interface TracingOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL; spans go to `<endpoint>/v1/traces`. */
  endpoint: string;
  /** OTEL_BSP_SCHEDULE_DELAY: how long finished spans wait to be sent together (ms). */
  scheduleDelayMs: number;
  serviceName: string;
  serviceVersion: string;
}

export interface Tracing {
  tracer: Tracer;
  /** Reads (and writes) W3C trace context: `traceparent` and `tracestate` headers. */
  propagator: TextMapPropagator;
  /** Sends the spans still waiting and stops the exporter. */
  shutdown(): Promise<void>;
}

export async function startTracing(options: TracingOptions): Promise<Tracing> {
  const [{ BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { AsyncLocalStorageContextManager }, { resourceFromAttributes }, { W3CTraceContextPropagator }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-base').then(exportsOf),
      import('@opentelemetry/exporter-trace-otlp-http').then(exportsOf),
      import('@opentelemetry/context-async-hooks').then(exportsOf),
      import('@opentelemetry/resources').then(exportsOf),
      import('@opentelemetry/core').then(exportsOf),
    ]);
  // False when one is installed already (another server in this process): that one serves as well.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName, 'service.version': options.serviceVersion }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: options.scheduleDelayMs })],
  });
  return {
    tracer: provider.getTracer(options.serviceName, options.serviceVersion),
    propagator: new W3CTraceContextPropagator(),
    shutdown: () => provider.shutdown(),
  };
}

/**
 * A package's exports from its dynamic import. Some of these packages are CommonJS only: imported
 * dynamically from the bundle (scripts/build.mjs), such a package has nothing but `default`
 * (its module.exports, which Node's own import has too); none of them has a default export of its own.
 */
function exportsOf<T extends object>(module: T): T {
  return (module as { default?: T }).default ?? module;
}

/** A span per SQL statement, named by its query name, child of the span active when it started. */
export function statementSpans(tracer: Tracer, database: 'sqlite' | 'postgres'): DatabaseObserver<Span> {
  const system = database === 'sqlite' ? 'sqlite' : 'postgresql';
  return {
    statementStarted(name, sql) {
      return tracer.startSpan(name, {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system.name': system, 'db.query.summary': name, 'db.query.text': sql },
      });
    },
    statementEnded(span, _name, error) {
      if (error !== undefined) failed(span, error);
      span.end();
    },
    groupCommitted(size) {
      trace.getActiveSpan()?.addEvent('group commit', { 'db.batch.size': size });
    },
  };
}

/** Marks a span as failed with `error`. */
export function failed(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message ?? String(error) });
  span.setAttribute('error.type', (error as { code?: unknown })?.code !== undefined ? String((error as { code: unknown }).code) : ((error as Error)?.name ?? 'Error'));
}
