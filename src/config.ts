import { z } from 'zod';
import type { RetentionPolicy } from './modules/retention/service.js';

/**
 * Configuration, parsed once at start from the environment. Nothing else reads `process.env`.
 */

export type DatabaseConfig =
  | { kind: 'sqlite'; filename: string }
  /** `schema` comes from our own `?schema=` parameter, removed from the URL given to the driver. */
  | { kind: 'postgres'; url: string; schema?: string };

export interface Config {
  port: number;
  host: string;
  database: DatabaseConfig;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Largest page any GraphQL connection returns; also the "whole history" ceiling. */
  maxPageSize: number;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes: number;
  /** How long a SQLite write waits for a lock held by another process. */
  sqliteBusyTimeoutMs: number;
  /** SQLite's page cache per database connection, in MiB. */
  sqliteCacheMb: number;
  /** Connections in the PostgreSQL pool (per server process). */
  pgPoolSize: number;
  /** Where cache entries live: the main database, or Redis (`redisUrl` required). */
  cacheBackend: 'database' | 'redis';
  redisUrl: string | null;
  /** Limits every GraphQL document must keep (graphql-armor), checked before anything runs. */
  graphqlLimits: GraphQLLimits;
  /** Whether `__schema`/`__type` queries are answered (off by default when NODE_ENV=production). */
  introspection: boolean;
  /** Whether a browser GET of /graphql shows GraphiQL (off by default when NODE_ENV=production). */
  graphiql: boolean;
  /** A client must send all request headers within this time (ms), or the connection is closed. */
  headersTimeoutMs: number;
  /** A client must send the whole request (headers and body) within this time (ms). */
  requestTimeoutMs: number;
  /** On SIGTERM/SIGINT, how long in-flight requests may take to finish before they are cut (ms). */
  shutdownTimeoutMs: number;
  /** Web origins whose pages may call the API from a browser (CORS); empty: none, `['*']`: any. */
  corsOrigins: string[];
  auth: AuthConfig;
  /** The retention rules (modules/retention/), and how often the background sweeper applies them. */
  retention: RetentionConfig;
  /** The change feed: how long events are kept, how many streams one process serves, heartbeats. */
  events: EventsConfig;
}

export interface AuthConfig {
  /** `apikey`: every request but `GET /health` needs a key; `none`: open (loopback only). */
  mode: 'apikey' | 'none';
  /** The bootstrap admin key (`STORAGE_ADMIN_KEY`): every scope, every tenant's keys. */
  adminKey: string | null;
  /** Requests per second each API key may make (token bucket, per process); 0: no limit. */
  rateLimitPerSecond: number;
  /** How many requests a key may make at once above the steady rate. */
  rateLimitBurst: number;
}

/** Whether `host` only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

export interface RetentionConfig extends RetentionPolicy {
  /** Seconds between background sweeps; 0: no sweeper (runs happen only on demand). */
  intervalSeconds: number;
}

export interface EventsConfig {
  /** Events older than this are pruned in the background (ms); their cursors expire. */
  retentionMs: number;
  /** Most event streams (REST SSE and GraphQL subscriptions) open at once in this process. */
  maxStreams: number;
  /** Most of them one API key may hold, so that one client cannot take every place. */
  maxStreamsPerKey: number;
  /** Most of them the keys of one tenant may hold together, so that one tenant cannot take every place. */
  maxStreamsPerTenant: number;
  /** An SSE comment is sent this often on a quiet stream, so that proxies keep it open (ms). */
  heartbeatMs: number;
}

/** The document limits; the defaults are graphql-armor's own except `depth` and `cost` (see README). */
export interface GraphQLLimits {
  depth: number;
  aliases: number;
  directives: number;
  tokens: number;
  cost: number;
  /** Largest JSON answer to one operation (or one subscription event), in bytes. */
  responseBytes: number;
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

const intFrom = <F extends number | null>(name: string, min: number, max: number, fallback: F) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a whole number from ${min} to ${max}, got "${raw}"` });
        return z.NEVER;
      }
      return n;
    });

const boolFrom = (name: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return undefined;
      const value = raw.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(value)) return true;
      if (['false', '0', 'no', 'off'].includes(value)) return false;
      ctx.addIssue({ code: 'custom', message: `${name} must be true or false, got "${raw}"` });
      return z.NEVER;
    });

const envSchema = z.object({
  PORT: intFrom('PORT', 0, 65535, 8084),
  HOST: z.string().trim().min(1, 'HOST must not be blank').default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/storage.db')
    .transform((raw, ctx) => {
      try {
        return parseDatabaseUrl(raw);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `DATABASE_URL ${(error as Error).message}` });
        return z.NEVER;
      }
    }),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  MAX_PAGE_SIZE: intFrom('MAX_PAGE_SIZE', 1, 1_000_000, 10_000),
  MAX_BODY_BYTES: intFrom('MAX_BODY_BYTES', 1024, 1024 * 1024 * 1024, 1024 * 1024),
  SQLITE_BUSY_TIMEOUT_MS: intFrom('SQLITE_BUSY_TIMEOUT_MS', 0, 600_000, 5000),
  SQLITE_CACHE_MB: intFrom('SQLITE_CACHE_MB', 1, 65_536, 2),
  PG_POOL_SIZE: intFrom('PG_POOL_SIZE', 1, 1000, 10),
  CACHE_BACKEND: z
    .enum(['database', 'redis'], { error: 'CACHE_BACKEND must be "database" or "redis"' })
    .default('database'),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\//i, 'REDIS_URL must start with redis:// or rediss://')
    .optional(),
  NODE_ENV: z.string().trim().optional(),
  GRAPHQL_MAX_DEPTH: intFrom('GRAPHQL_MAX_DEPTH', 1, 1000, 7),
  GRAPHQL_MAX_ALIASES: intFrom('GRAPHQL_MAX_ALIASES', 0, 10_000, 15),
  GRAPHQL_MAX_DIRECTIVES: intFrom('GRAPHQL_MAX_DIRECTIVES', 0, 10_000, 50),
  GRAPHQL_MAX_TOKENS: intFrom('GRAPHQL_MAX_TOKENS', 1, 1_000_000, 1000),
  GRAPHQL_MAX_COST: intFrom('GRAPHQL_MAX_COST', 1, 1_000_000_000, null),
  // At most 80 MiB: the size is estimated without JSON escapes, which can make the text up to six
  // times longer, and the text must stay below what a JavaScript string can hold (2^29 characters).
  GRAPHQL_MAX_RESPONSE_BYTES: intFrom('GRAPHQL_MAX_RESPONSE_BYTES', 1024, 80 * 1024 * 1024, 64 * 1024 * 1024),
  GRAPHQL_INTROSPECTION: boolFrom('GRAPHQL_INTROSPECTION'),
  GRAPHIQL: boolFrom('GRAPHIQL'),
  HTTP_HEADERS_TIMEOUT_MS: intFrom('HTTP_HEADERS_TIMEOUT_MS', 100, 600_000, 30_000),
  HTTP_REQUEST_TIMEOUT_MS: intFrom('HTTP_REQUEST_TIMEOUT_MS', 100, 3_600_000, 60_000),
  SHUTDOWN_TIMEOUT_MS: intFrom('SHUTDOWN_TIMEOUT_MS', 0, 600_000, 10_000),
  // Retention (see README): idle and ended rules are off unless set; the sweeper is off at 0.
  RETENTION_IDLE_HOURS: intFrom('RETENTION_IDLE_HOURS', 1, 24 * 365 * 100, null),
  RETENTION_DELETE_ENDED_DAYS: intFrom('RETENTION_DELETE_ENDED_DAYS', 1, 365 * 100, null),
  RETENTION_INTERVAL_SECONDS: intFrom('RETENTION_INTERVAL_SECONDS', 0, 7 * 24 * 3600, 0),
  RETENTION_BATCH_SIZE: intFrom('RETENTION_BATCH_SIZE', 1, 10_000, 100),
  RETENTION_REPORT_IDS: intFrom('RETENTION_REPORT_IDS', 0, 100_000, 1000),
  EVENT_RETENTION_HOURS: intFrom('EVENT_RETENTION_HOURS', 1, 24 * 365 * 10, 168),
  MAX_EVENT_STREAMS: intFrom('MAX_EVENT_STREAMS', 0, 1_000_000, 1000),
  // Defaults derived from MAX_EVENT_STREAMS (streamShares).
  MAX_EVENT_STREAMS_PER_KEY: intFrom('MAX_EVENT_STREAMS_PER_KEY', 1, 1_000_000, null),
  MAX_EVENT_STREAMS_PER_TENANT: intFrom('MAX_EVENT_STREAMS_PER_TENANT', 1, 1_000_000, null),
  EVENT_HEARTBEAT_SECONDS: intFrom('EVENT_HEARTBEAT_SECONDS', 1, 3600, 15),
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const origins = (raw ?? '').split(',').map((o) => o.trim()).filter(Boolean);
      for (const origin of origins) {
        if (origin !== '*' && !/^https?:\/\/[^/\s]+$/i.test(origin)) {
          ctx.addIssue({ code: 'custom', message: `CORS_ORIGINS must list origins like https://app.example.com (or be *), got "${origin}"` });
          return z.NEVER;
        }
      }
      return origins.includes('*') ? ['*'] : origins;
    }),
  AUTH_MODE: z.enum(['apikey', 'none'], { error: 'AUTH_MODE must be "apikey" or "none"' }).optional(),
  STORAGE_ADMIN_KEY: z
    .string()
    .refine((v) => v.trim().length >= 32 && !/\s/.test(v), 'STORAGE_ADMIN_KEY must be at least 32 characters without spaces (e.g. openssl rand -hex 32)')
    .optional(),
  RATE_LIMIT_PER_SECOND: intFrom('RATE_LIMIT_PER_SECOND', 0, 1_000_000, 0),
  RATE_LIMIT_BURST: intFrom('RATE_LIMIT_BURST', 1, 1_000_000, 0),
}).refine((e) => e.CACHE_BACKEND !== 'redis' || e.REDIS_URL !== undefined, {
  message: 'CACHE_BACKEND=redis needs REDIS_URL (e.g. redis://127.0.0.1:6379)',
}).refine((e) => e.HTTP_HEADERS_TIMEOUT_MS <= e.HTTP_REQUEST_TIMEOUT_MS, {
  message: 'HTTP_HEADERS_TIMEOUT_MS must not be larger than HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)',
}).superRefine((e, ctx) => {
  // Streaming off (0): the shares do not matter.
  if (e.MAX_EVENT_STREAMS === 0) return;
  const { perKey, perTenant } = streamShares(e);
  if (perTenant > e.MAX_EVENT_STREAMS) {
    ctx.addIssue({ code: 'custom', message: `MAX_EVENT_STREAMS_PER_TENANT (${perTenant}) must not be larger than MAX_EVENT_STREAMS (${e.MAX_EVENT_STREAMS})` });
  } else if (perKey > perTenant) {
    ctx.addIssue({
      code: 'custom',
      message: `MAX_EVENT_STREAMS_PER_KEY (${perKey}) must not be larger than MAX_EVENT_STREAMS_PER_TENANT (${perTenant}, by default half of MAX_EVENT_STREAMS): a key's streams count for its tenant too`,
    });
  }
}).refine((e) => e.AUTH_MODE !== 'none' || isLoopback(e.HOST), {
  // Anyone who can reach the port could read and change everything.
  message: 'AUTH_MODE=none is allowed only when HOST is a loopback address (127.0.0.1, ::1, localhost); use API keys (AUTH_MODE=apikey)',
});

/**
 * The places one key and one tenant may take among MAX_EVENT_STREAMS: by default a quarter per key
 * and half per tenant, so that neither can take them all and a tenant's keys leave room for the
 * other tenants.
 */
function streamShares(e: { MAX_EVENT_STREAMS: number; MAX_EVENT_STREAMS_PER_KEY: number | null; MAX_EVENT_STREAMS_PER_TENANT: number | null }) {
  return {
    perKey: e.MAX_EVENT_STREAMS_PER_KEY ?? Math.max(1, Math.floor(e.MAX_EVENT_STREAMS / 4)),
    perTenant: e.MAX_EVENT_STREAMS_PER_TENANT ?? Math.max(1, Math.floor(e.MAX_EVENT_STREAMS / 2)),
  };
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty variables count as unset, as in most process managers' env files.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${parsed.error.issues.map((i) => `  - ${i.message}`).join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    maxPageSize: e.MAX_PAGE_SIZE,
    maxBodyBytes: e.MAX_BODY_BYTES,
    sqliteBusyTimeoutMs: e.SQLITE_BUSY_TIMEOUT_MS,
    sqliteCacheMb: e.SQLITE_CACHE_MB,
    pgPoolSize: e.PG_POOL_SIZE,
    cacheBackend: e.CACHE_BACKEND,
    redisUrl: e.REDIS_URL ?? null,
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
    headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    corsOrigins: e.CORS_ORIGINS,
    auth: {
      // Open by default only where nobody else can connect; a warning is logged at start.
      mode: e.AUTH_MODE ?? (isLoopback(e.HOST) ? 'none' : 'apikey'),
      adminKey: e.STORAGE_ADMIN_KEY?.trim() ?? null,
      rateLimitPerSecond: e.RATE_LIMIT_PER_SECOND,
      rateLimitBurst: e.RATE_LIMIT_BURST || Math.max(1, e.RATE_LIMIT_PER_SECOND * 2),
    },
    retention: {
      idleHours: e.RETENTION_IDLE_HOURS,
      deleteEndedDays: e.RETENTION_DELETE_ENDED_DAYS,
      batchSize: e.RETENTION_BATCH_SIZE,
      reportIds: e.RETENTION_REPORT_IDS,
      intervalSeconds: e.RETENTION_INTERVAL_SECONDS,
    },
    events: {
      retentionMs: e.EVENT_RETENTION_HOURS * 3_600_000,
      maxStreams: e.MAX_EVENT_STREAMS,
      maxStreamsPerKey: streamShares(e).perKey,
      maxStreamsPerTenant: streamShares(e).perTenant,
      heartbeatMs: e.EVENT_HEARTBEAT_SECONDS * 1000,
    },
  };
}
