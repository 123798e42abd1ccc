import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DatabaseObserver } from '../db/runner.js';
import type { CacheObserver } from '../modules/cache/service.js';
import { BoundedLabel } from './labels.js';

/**
 * The service's Prometheus metrics (GET /metrics; names and labels in docs/monitoring.md). One
 * `Registry` per instance, never prom-client's global one: tests start many servers in one process,
 * and each must count only its own requests.
 *
 * Cheap on the hot path: a request's labels are plain strings, the per-statement children of the
 * statement histogram are looked up once and kept, and gauges (open streams) are read only when
 * scraped (`collect`). Label values chosen by clients (GraphQL operation names, tenants) are
 * bounded (`BoundedLabel`); REST routes are labelled by their template, never by the path.
 */

/** Request durations: 1 ms to 10 s (event streams are excluded: they last as long as the client stays). */
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];
/** Statement durations: 50 µs (a cached SQLite read) to 5 s. */
const STATEMENT_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 5];
/** Writes per group commit, up to a full batch (BATCH_ROWS). */
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000];

/** What the gauges read when scraped. */
export interface OpenStreams {
  /** Event streams open: REST SSE and GraphQL subscriptions (http/event-streams.ts). */
  eventStreams(): number;
  /** GraphQL WebSockets open (http/graphql-ws.ts). */
  webSockets(): number;
}

/** A statement's series, looked up once; the error one only once it has failed (most never do). */
type StatementChildren = { ok: Histogram.Internal<'statement' | 'outcome'>; error: Histogram.Internal<'statement' | 'outcome'> | null };

export class Metrics implements DatabaseObserver<number>, CacheObserver {
  readonly registry = new Registry();
  /** GraphQL operation names (client-chosen), for the GraphQL metrics' labels (observability/graphql.ts). */
  readonly operationNames = new BoundedLabel();
  private readonly tenants = new BoundedLabel();
  private readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly errors: Counter<'door' | 'code'>;
  private readonly tenantRequests: Counter<'tenant'>;
  private readonly statementDuration: Histogram<'statement' | 'outcome'>;
  private readonly statements = new Map<string, StatementChildren>();
  /** Series looked up before, by their label values (bounded: routes are templates, tenants capped, methods a fixed set). */
  private readonly requestSeries = new Map<string, Histogram.Internal<'method' | 'route' | 'status'>>();
  private readonly tenantSeries = new Map<string, Counter.Internal>();
  private readonly groupCommits: Histogram.Internal<'database'>;
  private readonly cacheHits: Counter.Internal;
  private readonly cacheMisses: Counter.Internal;
  private streams: OpenStreams = { eventStreams: () => 0, webSockets: () => 0 };

  constructor(database: 'sqlite' | 'postgres') {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    // prom-client names three gauges `…_total`, which Prometheus reserves for counters (promtool's
    // lint refuses them); each is the sum over the `type` label of its sibling gauge
    // (`nodejs_active_handles{type}`), so nothing is lost without them.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
      this.registry.removeSingleMetric(name);
    }
    this.requestDuration = new Histogram({
      name: 'agent_storage_http_request_duration_seconds',
      help: 'HTTP requests by route template (REST) or door (/graphql, /mcp), method and status: rate from _count, latency from the buckets.',
      labelNames: ['method', 'route', 'status'],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.errors = new Counter({
      name: 'agent_storage_errors_total',
      help: 'Errors answered to clients, by door (rest, graphql, auth) and code (NOT_FOUND, BAD_USER_INPUT, ...).',
      labelNames: ['door', 'code'],
      registers,
    });
    this.tenantRequests = new Counter({
      name: 'agent_storage_tenant_requests_total',
      help: 'Authenticated requests per tenant (the first 100 tenants seen by name, the rest as "other").',
      labelNames: ['tenant'],
      registers,
    });
    this.statementDuration = new Histogram({
      name: 'agent_storage_db_statement_duration_seconds',
      help: 'Time of each SQL statement, by its query name and outcome (ok, error).',
      labelNames: ['statement', 'outcome'],
      buckets: STATEMENT_BUCKETS,
      registers,
    });
    this.groupCommits = new Histogram({
      name: 'agent_storage_group_commit_batch_size',
      help: 'Writes committed together by one group commit.',
      labelNames: ['database'],
      buckets: BATCH_BUCKETS,
      registers,
    }).labels(database);
    const cache = new Counter({
      name: 'agent_storage_cache_lookups_total',
      help: 'Cache reads, by result: hit (a live entry) or miss (missing or expired).',
      labelNames: ['result'],
      registers,
    });
    this.cacheHits = cache.labels('hit');
    this.cacheMisses = cache.labels('miss');
    // Read when scraped, so that opening and closing a stream costs nothing here.
    const streams = () => this.streams;
    new Gauge({
      name: 'agent_storage_event_streams_open',
      help: 'Event streams open now (REST SSE change feeds and GraphQL subscriptions).',
      registers,
      collect() {
        this.set(streams().eventStreams());
      },
    });
    new Gauge({
      name: 'agent_storage_graphql_websockets_open',
      help: 'GraphQL WebSocket connections open now.',
      registers,
      collect() {
        this.set(streams().webSockets());
      },
    });
  }

  /** Where the stream gauges read their values (the server's, once it is built). */
  watchStreams(streams: OpenStreams): void {
    this.streams = streams;
  }

  /** One HTTP request answered (or aborted: `status` is then 0). */
  requestServed(method: string, route: string, status: number, seconds: number): void {
    // Each series looked up once: prom-client checks and hashes the labels on every `labels()`.
    const key = `${method} ${status} ${route}`;
    let series = this.requestSeries.get(key);
    if (!series) this.requestSeries.set(key, (series = this.requestDuration.labels(method, route, String(status))));
    series.observe(seconds);
  }

  /** One error answered by a door (`code`: the domain's or GraphQL's code). */
  errorAnswered(door: 'rest' | 'graphql' | 'auth', code: string): void {
    this.errors.labels(door, code).inc();
  }

  tenantRequest(tenant: string): void {
    const label = this.tenants.of(tenant);
    let series = this.tenantSeries.get(label);
    if (!series) this.tenantSeries.set(label, (series = this.tenantRequests.labels(label)));
    series.inc();
  }

  // --- DatabaseObserver: the token is the start time -------------------------------------------

  statementStarted(): number {
    return performance.now();
  }

  statementEnded(started: number, name: string, error: unknown): void {
    const seconds = (performance.now() - started) / 1000;
    let children = this.statements.get(name);
    if (!children) {
      children = { ok: this.statementDuration.labels(name, 'ok'), error: null };
      this.statements.set(name, children);
    }
    if (error === undefined) children.ok.observe(seconds);
    else (children.error ??= this.statementDuration.labels(name, 'error')).observe(seconds);
  }

  groupCommitted(size: number): void {
    this.groupCommits.observe(size);
  }

  // --- CacheObserver ---------------------------------------------------------------------------

  cacheLookedUp(hit: boolean): void {
    (hit ? this.cacheHits : this.cacheMisses).inc();
  }

  /** The text exposition (Prometheus text format 0.0.4) and its content type. */
  async scrape(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
