import { z } from 'zod';

/**
 * Configuration: one zod schema over the environment, parsed once at start (`loadConfig`) and
 * passed down. Each variable is written once below — its default, its check and its meaning — and
 * the schema's transform gives the nested `Config` the rest of the code reads. Nothing else reads
 * `process.env`.
 */

export type DatabaseConfig =
  | { kind: 'sqlite'; filename: string }
  /** `schema` comes from our own `?schema=` parameter, removed from the URL given to the driver. */
  | { kind: 'postgres'; url: string; schema?: string };

/** Whether `host` only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/**
 * GRAPHQL_MAX_COST unless set: 100 items' worth of cost per MAX_PAGE_SIZE (1,000,000 by default),
 * at least graphql-armor's default 5000. A connection read without `first`/`last` counts as its
 * default page (http/graphql-cost.ts), so the limit follows the page ceiling: one session read
 * whole — history, artifacts and metrics, as README's example (about 61 × MAX_PAGE_SIZE) — fits,
 * while 15 aliases of a whole history (about 118 ×) do not.
 */
export function defaultMaxCost(maxPageSize: number): number {
  return Math.max(5000, 100 * maxPageSize);
}

/** `host:port` (`[v6]:port` for IPv6 addresses), or null if it is not one. */
export function parseListenAddress(value: string): { host: string; port: number } | null {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(value.trim());
  if (!match) return null;
  const port = Number(match[3]);
  if (port > 65535) return null;
  return { host: (match[1] ?? match[2])!, port };
}

/** Parses `DATABASE_URL`: `sqlite:<path>`, `sqlite::memory:`, a plain path, or `postgres://...`. */
export function parseDatabaseUrl(url: string): DatabaseConfig {
  const value = url.trim();
  if (value === '') throw new Error('must not be empty');
  if (value === ':memory:' || value === 'sqlite::memory:' || value === 'sqlite://:memory:') {
    return { kind: 'sqlite', filename: ':memory:' };
  }
  if (/^postgres(ql)?:\/\//i.test(value)) return parsePostgresUrl(value);
  const sqlite = /^sqlite:(.*)$/i.exec(value);
  if (sqlite) {
    // sqlite:./rel.db, sqlite:/abs.db, sqlite:///abs.db, sqlite://rel.db
    const rest = sqlite[1]!.startsWith('//') ? sqlite[1]!.slice(2) : sqlite[1]!;
    if (rest === '') throw new Error('names no file: use sqlite:./data/storage.db or sqlite::memory:');
    return { kind: 'sqlite', filename: rest };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (scheme) throw new Error(`has unsupported scheme "${scheme[1]}:"; use sqlite:<path>, sqlite::memory: or postgres://...`);
  return { kind: 'sqlite', filename: value };
}

function parsePostgresUrl(value: string): DatabaseConfig {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('is not a valid postgres:// URL');
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  // At most 29 characters: a tenant's schema is `<schema>__<tenant>` (tenant names have at most 32),
  // and PostgreSQL cuts names at 63 — which could make two tenants share one.
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,28}$/.test(schema)) {
    throw new Error(`has an invalid schema name "${schema}" (letters, digits and _, at most 29)`);
  }
  url.searchParams.delete('schema');
  return schema === undefined ? { kind: 'postgres', url: url.toString() } : { kind: 'postgres', url: url.toString(), schema };
}

// Value kinds. Messages say only what is wrong with the value: the error adds the variable's name
// and, unless it is secret, the value as given. A blank number or switch counts as unset, as an
// empty variable does everywhere (a process manager's env file often leaves `NAME= `).

/** A whole number from `min` to `max`; unset or blank: `fallback` (null: derived from others). */
function int<F extends number | null>(min: number, max: number, fallback: F) {
  const schema = z
    .string()
    .optional()
    .transform((raw, ctx): number | F => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
      if (!(n >= min && n <= max)) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });
  return fallback === null ? schema : schema.meta({ default: String(fallback) });
}

/** true/false (also 1/0, yes/no, on/off); unset or blank: undefined, the default being derived. */
function flag() {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return undefined;
      const value = raw.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(value)) return true;
      if (['false', '0', 'no', 'off'].includes(value)) return false;
      ctx.addIssue({ code: 'custom', message: 'must be true or false (or 1, 0, yes, no, on, off)' });
      return z.NEVER;
    });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const choices = values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(', ')}`;
  return z.enum(values, { error: `must be ${choices}` });
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The variables, by their names in the environment. */
const variables = {
  PORT: int(0, 65535, 8084).describe('TCP port to listen on; 0 picks a free one.'),
  HOST: z.string().trim().min(1, 'must not be blank').default('127.0.0.1').describe('Address to bind; 0.0.0.0 for every interface.'),
  DATABASE_URL: z
    .string()
    .transform((raw, ctx) => {
      try {
        return parseDatabaseUrl(raw);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .prefault('sqlite:./data/storage.db')
    .describe('sqlite:<path>, sqlite::memory:, a plain file path, or postgres://user:password@host:5432/db (?schema=name keeps the tables in their own schema).'),
  LOG_LEVEL: oneOf(LOG_LEVELS).default('info').describe('Least severe log level written (pino JSON lines on stdout).'),
  MAX_PAGE_SIZE: int(1, 1_000_000, 10_000).describe('Largest page any list returns; also the ceiling of a whole history.'),
  MAX_BODY_BYTES: int(1024, 1024 * 1024 * 1024, 1024 * 1024).describe('Largest accepted request body, in bytes (REST, GraphQL and MCP), and largest message over a GraphQL WebSocket.'),
  SQLITE_BUSY_TIMEOUT_MS: int(0, 600_000, 5000).describe('How long a SQLite write waits for a lock held by another process (ms).'),
  SQLITE_CACHE_MB: int(1, 65_536, 2).describe("SQLite's page cache per database connection, in MiB."),
  HISTORY_CACHE_BYTES: int(0, 64 * 1024 * 1024 * 1024, 64 * 1024 * 1024).describe(
    "Bytes of whole histories kept in memory per replica, least recently used out (modules/history/cache.ts); 0 turns the cache off.",
  ),
  SEARCH_INDEX: flag()
    .meta({ default: 'true' })
    .describe('Whether messages are indexed for full-text search as they are written (GET /storage/search); off saves the index\'s space and time, and search answers 503.'),
  STATE_HISTORY_VERSIONS: int(0, 1_000_000, 100).describe(
    "How many versions of each session's state are kept (GET /storage/state/{session_id}/history, State.history), the current one included; 0 keeps none.",
  ),
  MAX_ARTIFACT_BYTES: int(1, 2 ** 50, 5 * 1024 ** 3).describe("Largest content of one artifact version, in bytes (PUT /storage/artifacts/{id}/content)."),
  STORAGE_QUOTA_BYTES: int(0, 2 ** 50, null)
    .meta({ default: 'none' })
    .describe('Most bytes of artifact content each tenant may store (distinct content counted once); past it, uploads answer 507.'),
  BLOB_STORE: oneOf(['filesystem', 'database'])
    .optional()
    .meta({ default: 'filesystem with a SQLite file, database otherwise' })
    .describe("Where artifact content is kept: files beside the SQLite database (<file>-blobs/), or chunks in the database itself (every PostgreSQL replica serves every artifact)."),
  BLOB_SWEEP_INTERVAL_SECONDS: int(0, 7 * 24 * 3600, 300).describe('Seconds between sweeps of unreferenced artifact content and of what interrupted uploads left; 0: no sweeper.'),
  BLOB_SWEEP_GRACE_SECONDS: int(0, 7 * 24 * 3600, 3600).describe('How old what an interrupted upload left must be before the sweep removes it (seconds); longer than any upload takes.'),
  PG_POOL_SIZE: int(1, 1000, 10).describe('Connections in the PostgreSQL pool, per server process.'),
  CACHE_BACKEND: oneOf(['database', 'redis']).default('database').describe('Where cache entries live: the main database, or Redis (needs REDIS_URL).'),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\//i, 'must start with redis:// or rediss://')
    .optional()
    .describe('redis://[:password@]host:6379[/db] (or rediss://): the cache with CACHE_BACKEND=redis, and rate-limit counts shared by every replica.'),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[^\s]{1,100}$/, 'must be 1 to 100 characters without spaces (e.g. agent-storage:prod:)')
    .default('agent-storage:')
    .describe('Prefix of every Redis key of this deployment (cache, rate limits): deployments sharing one Redis need different ones.'),
  NODE_ENV: z.string().trim().optional().describe('production turns GraphQL introspection and GraphiQL off unless GRAPHQL_INTROSPECTION / GRAPHIQL say otherwise.'),
  GRAPHQL_MAX_DEPTH: int(1, 1000, 7).describe('Deepest field nesting of a GraphQL document.'),
  GRAPHQL_MAX_ALIASES: int(0, 10_000, 15).describe('Most aliases in one GraphQL document.'),
  GRAPHQL_MAX_DIRECTIVES: int(0, 10_000, 50).describe('Most directives in one GraphQL document.'),
  GRAPHQL_MAX_TOKENS: int(1, 1_000_000, 1000).describe('Longest GraphQL document, in lexical tokens.'),
  GRAPHQL_MAX_COST: int(1, 1_000_000_000, null)
    .meta({ default: '100 × MAX_PAGE_SIZE, at least 5000' })
    .describe('Cost limit of a GraphQL document; a connection without first/last counts as its default page.'),
  // At most 80 MiB: the size is estimated without JSON escapes, which can make the text up to six
  // times longer, and the text must stay below what a JavaScript string can hold (2^29 characters).
  GRAPHQL_MAX_RESPONSE_BYTES: int(1024, 80 * 1024 * 1024, 64 * 1024 * 1024).describe('Largest JSON answer to one GraphQL operation (or subscription event), in bytes.'),
  GRAPHQL_INTROSPECTION: flag().meta({ default: 'true, false when NODE_ENV=production' }).describe('Whether __schema/__type queries are answered.'),
  PERSISTED_OPERATIONS: oneOf(['off', 'apq', 'only'])
    .default('off')
    .describe(
      "off: every request sends its query text; apq: also Automatic Persisted Queries (a client may send the sha256 of a query it sent before instead of its text); only: nothing but the operations of PERSISTED_OPERATIONS_MANIFEST (and the web console's), by hash.",
    ),
  PERSISTED_OPERATIONS_MANIFEST: z
    .string()
    .trim()
    .min(1, 'must not be blank')
    .optional()
    .describe('With PERSISTED_OPERATIONS=only: the JSON file of allowed operations, { "<sha256>": "<query>" } as GraphQL Code Generator writes it (npm run codegen: src/client/gql/persisted-documents.json).'),
  GRAPHIQL: flag().meta({ default: 'true, false when NODE_ENV=production' }).describe('Whether a browser GET of /graphql shows GraphiQL.'),
  HTTP_HEADERS_TIMEOUT_MS: int(100, 600_000, 30_000).describe('A client must send all request headers within this time (ms), or the connection is closed.'),
  HTTP_REQUEST_TIMEOUT_MS: int(100, 3_600_000, 60_000).describe('A client must send the whole request within this time (ms); at least HTTP_HEADERS_TIMEOUT_MS.'),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000, 10_000).describe('On SIGTERM/SIGINT, how long in-flight requests may take before they are cut (ms).'),
  RETENTION_IDLE_HOURS: int(1, 24 * 365 * 100, null).meta({ default: 'off' }).describe('End active/paused sessions idle for more than this many hours.'),
  RETENTION_DELETE_ENDED_DAYS: int(1, 365 * 100, null).meta({ default: 'off' }).describe('Delete ended sessions last updated more than this many days ago.'),
  RETENTION_THREAD_IDLE_DAYS: int(1, 365 * 100, null).meta({ default: 'off' }).describe('Delete LangGraph threads not written for more than this many days.'),
  RETENTION_INTERVAL_SECONDS: int(0, 7 * 24 * 3600, 0).describe('Seconds between background retention sweeps; 0: no sweeper.'),
  RETENTION_BATCH_SIZE: int(1, 10_000, 100).describe('Sessions picked, ended or deleted per retention batch.'),
  RETENTION_REPORT_IDS: int(0, 100_000, 1000).describe('Most session ids a retention report lists per rule.'),
  EVENT_RETENTION_HOURS: int(1, 24 * 365 * 10, 168).describe('How long change-feed events are kept (hours); older cursors expire.'),
  MAX_EVENT_STREAMS: int(0, 1_000_000, 1000).describe('Most event streams (REST SSE and GraphQL subscriptions) open at once per process; 0 turns streaming off.'),
  MAX_EVENT_STREAMS_PER_KEY: int(1, 1_000_000, null)
    .meta({ default: 'a quarter of MAX_EVENT_STREAMS' })
    .describe('Most of those streams one API key may hold; at most MAX_EVENT_STREAMS_PER_TENANT.'),
  MAX_EVENT_STREAMS_PER_TENANT: int(1, 1_000_000, null)
    .meta({ default: 'half of MAX_EVENT_STREAMS' })
    .describe('Most of those streams the keys of one tenant may hold together; at most MAX_EVENT_STREAMS.'),
  EVENT_HEARTBEAT_SECONDS: int(1, 3600, 15).describe('How often a quiet event stream gets a heartbeat comment, and a GraphQL WebSocket a ping, which it must answer within as long (seconds).'),
  GRAPHQL_WS_INIT_TIMEOUT_MS: int(100, 600_000, 3000).describe(
    'A GraphQL WebSocket (graphql-ws) must send its connection_init within this time (ms) of opening, or it is closed (4408).',
  ),
  GRAPHQL_WS_MAX_SUBSCRIPTIONS: int(1, 10_000, 100).describe(
    'Most operations (subscriptions, queries, mutations) one GraphQL WebSocket may have running at once; one more is refused with an error message (TOO_MANY_SUBSCRIPTIONS).',
  ),
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const origins = (raw ?? '').split(',').map((o) => o.trim()).filter(Boolean);
      const bad = origins.find((origin) => origin !== '*' && !/^https?:\/\/[^/\s]+$/i.test(origin));
      if (bad !== undefined) {
        ctx.addIssue({ code: 'custom', message: `must list origins like https://app.example.com (or be *); "${bad}" is not one` });
        return z.NEVER;
      }
      return origins.includes('*') ? ['*'] : origins;
    })
    .meta({ default: 'none' })
    .describe('Web origins allowed to call the API from a browser, comma-separated, or * for any.'),
  AUTH_MODE: oneOf(['apikey', 'none'])
    .optional()
    .meta({ default: 'none on a loopback HOST, else apikey' })
    .describe('apikey: every request but GET /health and GET /ready needs an API key; none: open, allowed only on a loopback HOST.'),
  STORAGE_ADMIN_KEY: z
    .string()
    .refine((v) => v.trim().length >= 32 && !/\s/.test(v), 'must be at least 32 characters without spaces (e.g. openssl rand -hex 32)')
    .optional()
    .describe('The bootstrap admin key: every scope, every tenant\'s keys.'),
  METRICS_LISTEN: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return null;
      const address = parseListenAddress(raw);
      if (!address) {
        ctx.addIssue({ code: 'custom', message: 'must be host:port (e.g. 127.0.0.1:9464, [::1]:9464 or 0.0.0.0:9464; port 0 picks a free one)' });
        return z.NEVER;
      }
      return address;
    })
    .meta({ default: 'none' })
    .describe('A second address (host:port) that serves GET /metrics and GET /ready without an API key, for a Prometheus scraper or probes on a private network; /metrics on PORT needs an admin key either way.'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .trim()
    .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/i, 'must be an http:// or https:// URL (e.g. http://otel-collector:4318)')
    .optional()
    .describe('OpenTelemetry collector (OTLP/HTTP) to send traces to, at <endpoint>/v1/traces; unset: no tracing at all.'),
  OTEL_BSP_SCHEDULE_DELAY: int(1, 600_000, 5000).describe('How long finished spans wait before they are sent together to the collector (ms).'),
  RATE_LIMIT_PER_SECOND: int(0, 1_000_000, 0).describe('Requests per second each API key may make on average, shared by every replica through Redis when REDIS_URL is set; 0: no limit.'),
  RATE_LIMIT_BURST: int(1, 1_000_000, null)
    .meta({ default: 'twice RATE_LIMIT_PER_SECOND, at least 1' })
    .describe('Requests a key may make in one window: max(burst, rate) per ceil(max(burst, rate) / rate) seconds.'),
};

type Name = keyof typeof variables;
type Env = z.output<z.ZodObject<typeof variables>>;

/** Never repeated in an error: they may hold a password or a key. */
const SECRET: ReadonlySet<Name> = new Set(['DATABASE_URL', 'REDIS_URL', 'STORAGE_ADMIN_KEY']);

/**
 * The places one key and one tenant may take among MAX_EVENT_STREAMS: by default a quarter per key
 * and half per tenant, so that neither can take them all and a tenant's keys leave room for the
 * other tenants.
 */
function streamShares(e: Pick<Env, 'MAX_EVENT_STREAMS' | 'MAX_EVENT_STREAMS_PER_KEY' | 'MAX_EVENT_STREAMS_PER_TENANT'>) {
  return {
    perKey: e.MAX_EVENT_STREAMS_PER_KEY ?? Math.max(1, Math.floor(e.MAX_EVENT_STREAMS / 4)),
    perTenant: e.MAX_EVENT_STREAMS_PER_TENANT ?? Math.max(1, Math.floor(e.MAX_EVENT_STREAMS / 2)),
  };
}

/**
 * Rules between variables: each names the variables it reads, and runs only when each of them is
 * valid on its own (otherwise that variable's own problem is reported), so that one error can list
 * every problem at once. A rule returns the variable to change and why, or nothing.
 */
const rules: { reads: Name[]; check: (e: Env) => [Name, string] | undefined }[] = [
  {
    reads: ['CACHE_BACKEND', 'REDIS_URL'],
    check: (e) => (e.CACHE_BACKEND === 'redis' && e.REDIS_URL === undefined ? ['REDIS_URL', 'must be set when CACHE_BACKEND=redis (e.g. redis://127.0.0.1:6379)'] : undefined),
  },
  {
    reads: ['HTTP_HEADERS_TIMEOUT_MS', 'HTTP_REQUEST_TIMEOUT_MS'],
    check: (e) =>
      e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS
        ? ['HTTP_HEADERS_TIMEOUT_MS', `must not be larger than HTTP_REQUEST_TIMEOUT_MS (got ${e.HTTP_HEADERS_TIMEOUT_MS} > ${e.HTTP_REQUEST_TIMEOUT_MS}): the headers are part of the request`]
        : undefined,
  },
  {
    reads: ['MAX_EVENT_STREAMS', 'MAX_EVENT_STREAMS_PER_KEY', 'MAX_EVENT_STREAMS_PER_TENANT'],
    check: (e) => {
      // Streaming off (0): the shares do not matter.
      if (e.MAX_EVENT_STREAMS === 0) return undefined;
      const { perKey, perTenant } = streamShares(e);
      if (perTenant > e.MAX_EVENT_STREAMS) {
        return ['MAX_EVENT_STREAMS_PER_TENANT', `must not be larger than MAX_EVENT_STREAMS (got ${perTenant} > ${e.MAX_EVENT_STREAMS})`];
      }
      if (perKey <= perTenant) return undefined;
      const tenant = e.MAX_EVENT_STREAMS_PER_TENANT === null ? `${perTenant}, half of MAX_EVENT_STREAMS by default` : `${perTenant}`;
      return ['MAX_EVENT_STREAMS_PER_KEY', `must not be larger than MAX_EVENT_STREAMS_PER_TENANT (got ${perKey} > ${tenant}): a key's streams count for its tenant too`];
    },
  },
  {
    // Files need a folder that belongs to the database: a SQLite file's.
    reads: ['BLOB_STORE', 'DATABASE_URL'],
    check: (e) =>
      e.BLOB_STORE === 'filesystem' && (e.DATABASE_URL.kind !== 'sqlite' || e.DATABASE_URL.filename === ':memory:')
        ? ['BLOB_STORE', 'filesystem needs a SQLite database file (its content goes to <file>-blobs/); with PostgreSQL or sqlite::memory: use database']
        : undefined,
  },
  {
    reads: ['PERSISTED_OPERATIONS', 'PERSISTED_OPERATIONS_MANIFEST'],
    check: (e) =>
      e.PERSISTED_OPERATIONS === 'only' && e.PERSISTED_OPERATIONS_MANIFEST === undefined
        ? ['PERSISTED_OPERATIONS_MANIFEST', 'must be set when PERSISTED_OPERATIONS=only: the file of the operations to accept']
        : undefined,
  },
  {
    // Anyone who can reach the port could read and change everything.
    reads: ['AUTH_MODE', 'HOST'],
    check: (e) =>
      e.AUTH_MODE === 'none' && !isLoopback(e.HOST)
        ? ['AUTH_MODE', `none is allowed only when HOST is a loopback address (127.0.0.1, ::1, localhost), not "${e.HOST}"; use API keys (AUTH_MODE=apikey)`]
        : undefined,
  },
];

/** The nested shape the service reads, from the checked variables. */
function toConfig(e: Env) {
  const { perKey, perTenant } = streamShares(e);
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    maxPageSize: e.MAX_PAGE_SIZE,
    maxBodyBytes: e.MAX_BODY_BYTES,
    sqliteBusyTimeoutMs: e.SQLITE_BUSY_TIMEOUT_MS,
    sqliteCacheMb: e.SQLITE_CACHE_MB,
    searchIndex: e.SEARCH_INDEX ?? true,
    historyCacheBytes: e.HISTORY_CACHE_BYTES,
    stateHistoryVersions: e.STATE_HISTORY_VERSIONS,
    blobs: {
      store: e.BLOB_STORE ?? (e.DATABASE_URL.kind === 'sqlite' && e.DATABASE_URL.filename !== ':memory:' ? 'filesystem' : 'database'),
      maxArtifactBytes: e.MAX_ARTIFACT_BYTES,
      quotaBytes: e.STORAGE_QUOTA_BYTES,
      sweepIntervalSeconds: e.BLOB_SWEEP_INTERVAL_SECONDS,
      sweepGraceSeconds: e.BLOB_SWEEP_GRACE_SECONDS,
    },
    pgPoolSize: e.PG_POOL_SIZE,
    cacheBackend: e.CACHE_BACKEND,
    redisUrl: e.REDIS_URL ?? null,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    graphqlLimits: {
      depth: e.GRAPHQL_MAX_DEPTH,
      aliases: e.GRAPHQL_MAX_ALIASES,
      directives: e.GRAPHQL_MAX_DIRECTIVES,
      tokens: e.GRAPHQL_MAX_TOKENS,
      cost: e.GRAPHQL_MAX_COST ?? defaultMaxCost(e.MAX_PAGE_SIZE),
      responseBytes: e.GRAPHQL_MAX_RESPONSE_BYTES,
    },
    // A production server does not describe its schema to strangers unless told to.
    introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
    graphiql: e.GRAPHIQL ?? e.NODE_ENV !== 'production',
    graphqlWs: {
      initTimeoutMs: e.GRAPHQL_WS_INIT_TIMEOUT_MS,
      maxSubscriptions: e.GRAPHQL_WS_MAX_SUBSCRIPTIONS,
    },
    persistedOperations: { mode: e.PERSISTED_OPERATIONS, manifest: e.PERSISTED_OPERATIONS_MANIFEST ?? null },
    headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    corsOrigins: e.CORS_ORIGINS,
    auth: {
      // Open by default only where nobody else can connect; a warning is logged at start.
      mode: e.AUTH_MODE ?? (isLoopback(e.HOST) ? 'none' : 'apikey'),
      adminKey: e.STORAGE_ADMIN_KEY?.trim() ?? null,
      rateLimitPerSecond: e.RATE_LIMIT_PER_SECOND,
      rateLimitBurst: e.RATE_LIMIT_BURST ?? Math.max(1, e.RATE_LIMIT_PER_SECOND * 2),
    },
    metricsListen: e.METRICS_LISTEN,
    tracing: e.OTEL_EXPORTER_OTLP_ENDPOINT === undefined ? null : { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, scheduleDelayMs: e.OTEL_BSP_SCHEDULE_DELAY },
    retention: {
      idleHours: e.RETENTION_IDLE_HOURS,
      deleteEndedDays: e.RETENTION_DELETE_ENDED_DAYS,
      threadIdleDays: e.RETENTION_THREAD_IDLE_DAYS,
      batchSize: e.RETENTION_BATCH_SIZE,
      reportIds: e.RETENTION_REPORT_IDS,
      intervalSeconds: e.RETENTION_INTERVAL_SECONDS,
    },
    events: {
      retentionMs: e.EVENT_RETENTION_HOURS * 3_600_000,
      maxStreams: e.MAX_EVENT_STREAMS,
      maxStreamsPerKey: perKey,
      maxStreamsPerTenant: perTenant,
      heartbeatMs: e.EVENT_HEARTBEAT_SECONDS * 1000,
    },
  };
}

/** Marks a rule's problem: its message states the values itself. */
const BETWEEN_VARIABLES = { between: true };

export const configSchema = z.preprocess(
  // Empty variables count as unset, as in most process managers' env files.
  (env) => (env !== null && typeof env === 'object' ? Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')) : env),
  z
    .object(variables)
    .superRefine(
      (e, ctx) => {
        const invalid = new Set(ctx.issues.map((issue) => issue.path?.[0]));
        for (const rule of rules) {
          if (rule.reads.some((name) => invalid.has(name))) continue;
          const problem = rule.check(e);
          if (problem) ctx.addIssue({ code: 'custom', path: [problem[0]], message: problem[1], params: BETWEEN_VARIABLES });
        }
      },
      // Also when some variables are invalid: the rules skip those (see `rules`).
      { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
    )
    .transform(toConfig),
);

export type Config = z.output<typeof configSchema>;
export type AuthConfig = Config['auth'];
export type EventsConfig = Config['events'];
export type GraphQLLimits = Config['graphqlLimits'];
export type RetentionConfig = Config['retention'];

/** Every variable, for documentation and its checks: name, default (or what unset means), meaning. */
export const configVariables: readonly { name: Name; default: string | null; description: string; secret: boolean }[] = Object.entries(
  variables,
).map(([name, schema]) => {
  const meta = schema.meta() ?? {};
  const def = schema.def as { type: string; defaultValue?: unknown };
  const fixed = def.type === 'default' || def.type === 'prefault' ? String(def.defaultValue) : null;
  return {
    name: name as Name,
    default: typeof meta.default === 'string' ? meta.default : fixed,
    description: meta.description ?? '',
    secret: SECRET.has(name as Name),
  };
});

export interface ConfigProblem {
  /** The environment variable to change. */
  variable: string;
  /** What is wrong with it, with the value given unless it is secret or the message states it. */
  message: string;
}

/** Every problem with the configuration at once; its message is meant for the person starting the service. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`);
  }
}

/** The value as given, quoted and escaped (one problem stays one line), cut short if long. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

/** The configuration from `env` (at start: `process.env`), or a ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? 'environment');
      const value = env[variable];
      const between = issue.code === 'custom' && issue.params?.['between'] === true;
      const given = typeof value === 'string' && value !== '' && !between && !SECRET.has(variable as Name) ? ` (got ${quoted(value)})` : '';
      return { variable, message: `${issue.message}${given}` };
    }),
  );
}
