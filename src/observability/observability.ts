import type { Span } from '@opentelemetry/api';
import type { Config } from '../config.js';
import type { DatabaseObserver } from '../db/runner.js';
import type { RequestObserver } from '../http/request-context.js';
import type { CacheObserver } from '../modules/cache/service.js';
import { SERVICE } from '../version.js';
import { Metrics } from './metrics.js';
import { type OperationRunner, requestObserver, webSocketOperations } from './requests.js';
import { startTracing, statementSpans, type Tracing } from './tracing.js';

/**
 * A server's metrics and, when OTEL_EXPORTER_OTLP_ENDPOINT is set, its traces. Made before the
 * database is opened (its `observer` times every statement of every tenant) and handed to the server
 * (`AppDeps.observability`), which serves /metrics from it.
 */
export interface Observability {
  metrics: Metrics;
  tracing: Tracing | null;
  /** For `openBackend` / `tenantsOver`: statements, group commits and cache reads. */
  observer: DatabaseObserver & CacheObserver;
  /** For the HTTP server: each request's metrics (and span). */
  requests: RequestObserver;
  /** For the GraphQL WebSocket door: each operation's span (its metrics come from the GraphQL plugin). */
  webSocketOperations: OperationRunner;
  /** Sends the spans still waiting (at shutdown). */
  close(): Promise<void>;
}

/** Metrics, and traces when the configuration names a collector (the SDK is loaded only then). */
export async function openObservability(config: Pick<Config, 'database' | 'tracing'>): Promise<Observability> {
  const metrics = new Metrics(config.database.kind);
  if (!config.tracing) return assemble(metrics, null);
  const tracing = await startTracing({ ...config.tracing, serviceName: SERVICE.name, serviceVersion: SERVICE.version });
  return assemble(metrics, tracing, statementSpans(tracing.tracer, config.database.kind));
}

/** Metrics only, no traces (a server made without observability of its own). */
export function metricsOnly(database: Config['database']['kind']): Observability {
  return assemble(new Metrics(database), null);
}

function assemble(metrics: Metrics, tracing: Tracing | null, spans?: DatabaseObserver<Span>): Observability {
  const observer: DatabaseObserver & CacheObserver = spans
    ? {
        // Both watch each statement: the token carries the start time and the span.
        statementStarted: (name, sql) => [metrics.statementStarted(), spans.statementStarted(name, sql)] as const,
        statementEnded(token, name, error) {
          const [started, span] = token as readonly [number, Span];
          metrics.statementEnded(started, name, error);
          spans.statementEnded(span, name, error);
        },
        groupCommitted(size) {
          metrics.groupCommitted(size);
          spans.groupCommitted(size);
        },
        cacheLookedUp: (hit) => metrics.cacheLookedUp(hit),
      }
    : metrics;
  return {
    metrics,
    tracing,
    observer,
    requests: requestObserver(metrics, tracing),
    webSocketOperations: webSocketOperations(tracing),
    close: async () => {
      await tracing?.shutdown();
    },
  };
}
