import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import { Authenticator } from './auth/authenticate.js';
import { ApiKeyService } from './modules/keys/service.js';
import { requireScope } from './auth/principal.js';
import { consolePlugin } from './console/serve.js';
import { memoryRateLimiter, openRateLimiter, type RateLimiter } from './auth/rate-limit.js';
import type { Config } from './config.js';
import { type Clock, systemClock } from './domain/clock.js';
import { createIdGenerator } from './domain/ids.js';
import type { ApiKeyScope } from './domain/records.js';
import { useCompiledExecution } from './graphql/compiled-execution.js';
import { createGraphQLContext, type GraphQLContext } from './graphql/context.js';
import { useDomainErrors } from './graphql/errors.js';
import { incrementalDeliveryPlugins } from './graphql/incremental.js';
import { schema } from './graphql/schema.js';
import { authPlugin, callerAuthenticator, callerOf, useScopes } from './http/auth.js';
import { EventStreams } from './http/event-streams.js';
import { isWebSocketOperation, serveGraphQLOverWebSocket } from './http/graphql-ws.js';
import { EncodedOnceResponse } from './http/response.js';
import { graphiql } from './http/graphiql.js';
import { useGraphQLHttpCache } from './http/graphql-http-cache.js';
import { CSRF_HEADERS, graphqlLimitPlugins } from './http/graphql-limits.js';
import { persistedOperationsPlugin } from './http/graphql-persisted.js';
import { answerClientErrors, withRequestContext, yogaLogging } from './http/request-context.js';
import { mcpPlugin } from './mcp/door.js';
import { restPlugin } from './rest/router.js';
import type { Storage } from './storage/storage.js';
import { Tenants } from './storage/tenants.js';
import { graphqlMetrics, tracedSchema } from './observability/graphql.js';
import { metricsOnly, type Observability } from './observability/observability.js';
import { Readiness } from './observability/readiness.js';
import { listenForMetrics, type MetricsListener } from './observability/rest.js';

export interface AppDeps {
  /** The default tenant's storage: `/health` checks it, and its database holds the API keys. */
  storage: Storage;
  /** Every tenant's storage; without it, the default tenant is the only one. */
  tenants?: Tenants;
  config: Config;
  logger: Logger;
  /** For API key records (default: the system clock). */
  clock?: Clock;
  /**
   * How often open event streams have their key looked up again (default: the documented
   * revocation delay, REVOCATION_DELAY_MS); tests of other replicas' revocations shorten it.
   */
  streamKeyCheckMs?: number;
  /**
   * Per-key request budgets. `startServer` opens them (on Redis when REDIS_URL is set) and closes
   * them with the server; `createApp` counts in this process unless given one.
   */
  rateLimiter?: RateLimiter;
  /**
   * Metrics and traces (observability/); the same object the databases were opened with, so that
   * their statements are counted too. Without it, the server keeps metrics of its own requests.
   */
  observability?: Observability;
  /**
   * `/ready` answers 503 until `RunningServer.ready()` is called (main.ts: once everything is
   * started); by default the server is ready once it listens.
   */
  holdReadiness?: boolean;
}

export type App = YogaServerInstance<Record<string, never>, GraphQLContext>;

/** One Yoga instance serves `/graphql` and, through the REST plugin, everything else. */
export function createApp(deps: AppDeps): App {
  const { app, readiness } = buildApp(deps);
  // Nothing to wait for: it serves as soon as it exists.
  if (!deps.holdReadiness) readiness.ready();
  return app;
}

/** The app and its open event streams (which `startServer` ends on shutdown). */
function buildApp({
  storage,
  tenants,
  config,
  logger,
  clock = systemClock,
  streamKeyCheckMs,
  rateLimiter = memoryRateLimiter(config),
  observability = metricsOnly(storage.backend.kind),
}: AppDeps): {
  app: App;
  streams: EventStreams;
  /** The check of a caller's key, for the WebSocket door. */
  authenticate: ReturnType<typeof callerAuthenticator>;
  readiness: Readiness;
} {
  const storages = tenants ?? Tenants.only(storage);
  const { metrics, tracing } = observability;
  const readiness = new Readiness(storage);
  const authenticator = new Authenticator(storage.backend.stores.keys, config.auth.adminKey);
  const streams = new EventStreams(config.events, { current: (principal) => authenticator.current(principal), intervalMs: streamKeyCheckMs });
  // A revocation made here ends the key's cached authentication and its open streams at once.
  const revoked = (id: string) => {
    authenticator.forget(id);
    streams.endKey(id);
  };
  const apiKeys = new ApiKeyService(storage.backend.stores.keys, clock, createIdGenerator(clock), revoked);
  const authorize = async (request: Request, scope: ApiKeyScope) => {
    const { principal, storage } = callerOf(request);
    requireScope(principal, scope);
    return storage;
  };
  const graphiqlPage = graphiql({
    title: 'Agent storage',
    // Headers typed into its headers pane (an API key) are not kept in the browser's storage.
    shouldPersistHeaders: false,
    // GraphiQL sends subscriptions as GETs (SSE), which CSRF prevention refuses without one of its
    // headers; its queries and mutations are JSON POSTs, which need none.
    additionalHeaders: { [CSRF_HEADERS[0]!]: 'graphiql' },
  });
  const authDeps = { auth: config.auth, tenants: storages, authenticator, rateLimiter, metrics };
  const app = createYoga<Record<string, never>, GraphQLContext>({
    // With tracing on, a copy whose storage resolvers run in spans; the original otherwise (no cost).
    schema: tracing ? tracedSchema(schema, tracing.tracer) : schema,
    fetchAPI: { Response: EncodedOnceResponse as unknown as typeof Response },
    graphqlEndpoint: '/graphql',
    // Yoga's own health check matches any path ending in /health (even /storage/cache/health):
    // move it out of the way; `/health` is served by the REST plugin.
    healthCheckEndpoint: '/__yoga/health',
    landingPage: false,
    // Browsers may call the API only from the origins in CORS_ORIGINS (none by default). Yoga's
    // default would allow every web page to, which would also make CSRF prevention moot: the
    // preflight it forces would always pass.
    cors: config.corsOrigins.length
      ? { origin: config.corsOrigins, credentials: false, exposedHeaders: ['x-request-id', 'retry-after', 'etag'] }
      : false,
    // Served with its assets inlined, from this process (works offline): http/graphiql.ts. Yoga
    // serves it before any plugin runs, so the page loads without a key; the requests it makes
    // carry the headers typed into its headers pane.
    graphiql: config.graphiql ? graphiqlPage.options : false,
    renderGraphiQL: graphiqlPage.render,
    // Stated, not defaulted: one request, one operation.
    batching: false,
    // Unexpected errors say "Unexpected error." and nothing else, whatever NODE_ENV says (Yoga's
    // development mode would put the original message and stack trace into the response).
    maskedErrors: { isDev: false },
    // Bodies are limited as REST's are, by http/body-limit.ts (MAX_BODY_BYTES, with our error code).
    maxRequestBodySize: false,
    // Scopes are checked per root field, once the operation is known (useScopes).
    context: ({ request }) =>
      createGraphQLContext({ ...callerOf(request), config, apiKeys }, { request, streams, overWebSocket: isWebSocketOperation(request) }),
    // Yoga logs masked errors without a request: the request-scoped logger adds its reqId.
    logging: yogaLogging(logger),
    plugins: [
      // The web console's page and assets (/console): no data in them, so before authentication;
      // every request the page makes carries the key typed into it.
      consolePlugin({ logger }),
      // Then: nothing is served to a request that has not authenticated.
      authPlugin({ ...authDeps, logger }),
      // The MCP door (/mcp) before REST, which answers every path but /graphql.
      mcpPlugin({ config, logger }),
      restPlugin({ storage, authorize, config, logger, streams, observability: { metrics, readiness } }),
      // Before the limits: the text a hash stands for is counted and costed as a text sent.
      persistedOperationsPlugin(config.persistedOperations),
      ...graphqlLimitPlugins(config),
      ...incrementalDeliveryPlugins(),
      useScopes(),
      useDomainErrors(),
      // After useDomainErrors: a result's errors reach it with their codes set.
      graphqlMetrics(metrics),
      useCompiledExecution(),
      // GraphiQL's page: its headers and encoding (a response hook only).
      graphiqlPage.plugin,
      useGraphQLHttpCache(),
    ],
  });
  return { app, streams, authenticate: callerAuthenticator(authDeps), readiness };
}

export interface RunningServer {
  server: Server;
  url: string;
  /**
   * Stops accepting connections and lets in-flight requests finish; requests still running after
   * `timeoutMs` (default: the configured SHUTDOWN_TIMEOUT_MS) are cut off. Resolves when every
   * connection is closed, with how many had to be cut.
   */
  close(timeoutMs?: number): Promise<{ forced: number }>;
  /** With `holdReadiness`: the process is started, `/ready` may answer 200. */
  ready(): void;
  /** METRICS_LISTEN's address, when set. */
  metricsUrl: string | null;
}

export async function startServer(deps: AppDeps): Promise<RunningServer> {
  const { config, logger } = deps;
  // Opened here (on Redis when configured), closed with the server; one given is the caller's to close.
  const rateLimiter = deps.rateLimiter ?? (await openRateLimiter(config, logger));
  const closeRateLimiter = deps.rateLimiter ? async () => {} : () => rateLimiter.close();
  const observability = deps.observability ?? metricsOnly(deps.storage.backend.kind);
  const { app, streams, authenticate, readiness } = buildApp({ ...deps, rateLimiter, observability });
  let draining = false;
  const listener = withRequestContext(
    logger,
    app,
    (_req, res) => {
      // While draining, a request that arrives on a kept-alive connection is still served, and the
      // connection closed after it.
      if (draining) res.setHeader('connection', 'close');
    },
    observability.requests,
  );
  const server = createServer(
    {
      // Bound the time a slow client may take (slowloris), so idle sockets cannot pin the process.
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      // Node enforces both timeouts only when it checks, every 30 s by default: check often enough
      // that a timeout means what it says (within a quarter of it).
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(config.headersTimeoutMs / 4))),
    },
    listener,
  );
  answerClientErrors(server, logger);
  const webSockets = serveGraphQLOverWebSocket(server, { app, config, logger, authenticate, observeOperation: observability.webSocketOperations });
  observability.metrics.watchStreams({ eventStreams: () => streams.size, webSockets: () => webSockets.size });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    await closeRateLimiter();
    throw error;
  });
  let metricsListener: MetricsListener | null = null;
  if (config.metricsListen) {
    try {
      metricsListener = await listenForMetrics(config.metricsListen, { metrics: observability.metrics, readiness }, logger);
    } catch (error) {
      await new Promise((resolve) => server.close(resolve));
      await closeRateLimiter();
      throw Object.assign(new Error(`Cannot listen on METRICS_LISTEN ${config.metricsListen.host}:${config.metricsListen.port}: ${(error as Error).message}`), {
        code: (error as NodeJS.ErrnoException).code,
      });
    }
  }
  if (!deps.holdReadiness) readiness.ready();
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  let closing: Promise<{ forced: number }> | null = null;
  const close = (timeoutMs = config.shutdownTimeoutMs) =>
    (closing ??= new Promise((resolve) => {
      draining = true;
      readiness.stopping();
      // WebSockets first, with 1001 (going away), which clients take as "reconnect": were their
      // subscriptions ended first, graphql-ws would tell them "complete", which means "done".
      webSockets.close();
      // Event streams never finish by themselves: end them now (clients reconnect elsewhere with
      // their last cursor) rather than wait out the deadline.
      streams.closeAll();
      let forced = 0;
      // Connections that finish their response go idle; close them as soon as they do, instead of
      // waiting out their keep-alive.
      const idle = setInterval(() => server.closeIdleConnections(), 25);
      const deadline = setTimeout(() => {
        server.getConnections((_error, count) => {
          forced = count;
          if (count > 0) logger.warn({ connections: count, timeoutMs }, 'shutdown deadline reached: cutting the requests still running');
          server.closeAllConnections();
          // Upgraded sockets are no longer the HTTP server's to close.
          webSockets.terminate();
        });
      }, timeoutMs);
      server.close(() => {
        clearInterval(idle);
        clearTimeout(deadline);
        // The metrics address closes last: a scraper or a probe sees the drain (/ready: 503) to its end.
        void Promise.all([closeRateLimiter(), metricsListener?.close()]).finally(() => resolve({ forced }));
      });
      server.closeIdleConnections();
    }));

  return {
    server,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close,
    ready: () => readiness.ready(),
    metricsUrl: metricsListener?.url ?? null,
  };
}
