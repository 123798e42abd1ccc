import { z } from 'zod';

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
  /** The change feed: how long events are kept, how many streams one process serves, heartbeats. */
  events: EventsConfig;
}

export interface EventsConfig {
  /** Events older than this are pruned in the background (ms); their cursors expire. */
  retentionMs: number;
  /** Most event streams (REST SSE and GraphQL subscriptions) open at once in this process. */
  maxStreams: number;
  /** An SSE comment is sent this often on a quiet stream, so that proxies keep it open (ms). */
  heartbeatMs: number;
}

/** graphql-armor's limits; the defaults are graphql-armor's own except `depth` (see README). */
export interface GraphQLLimits {
  depth: number;
  aliases: number;
  directives: number;
  tokens: number;
  cost: number;
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
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`has an invalid schema name "${schema}" (letters, digits and _, at most 63)`);
  }
  url.searchParams.delete('schema');
  return schema === undefined ? { kind: 'postgres', url: url.toString() } : { kind: 'postgres', url: url.toString(), schema };
}

const intFrom = (name: string, min: number, max: number, fallback: number) =>
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
  GRAPHQL_MAX_COST: intFrom('GRAPHQL_MAX_COST', 1, 100_000_000, 5000),
  GRAPHQL_INTROSPECTION: boolFrom('GRAPHQL_INTROSPECTION'),
  GRAPHIQL: boolFrom('GRAPHIQL'),
  HTTP_HEADERS_TIMEOUT_MS: intFrom('HTTP_HEADERS_TIMEOUT_MS', 100, 600_000, 30_000),
  HTTP_REQUEST_TIMEOUT_MS: intFrom('HTTP_REQUEST_TIMEOUT_MS', 100, 3_600_000, 60_000),
  SHUTDOWN_TIMEOUT_MS: intFrom('SHUTDOWN_TIMEOUT_MS', 0, 600_000, 10_000),
  EVENT_RETENTION_HOURS: intFrom('EVENT_RETENTION_HOURS', 1, 24 * 365 * 10, 168),
  MAX_EVENT_STREAMS: intFrom('MAX_EVENT_STREAMS', 0, 1_000_000, 1000),
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
}).refine((e) => e.CACHE_BACKEND !== 'redis' || e.REDIS_URL !== undefined, {
  message: 'CACHE_BACKEND=redis needs REDIS_URL (e.g. redis://127.0.0.1:6379)',
}).refine((e) => e.HTTP_HEADERS_TIMEOUT_MS <= e.HTTP_REQUEST_TIMEOUT_MS, {
  message: 'HTTP_HEADERS_TIMEOUT_MS must not be larger than HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)',
});

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
    pgPoolSize: e.PG_POOL_SIZE,
    cacheBackend: e.CACHE_BACKEND,
    redisUrl: e.REDIS_URL ?? null,
    graphqlLimits: {
      depth: e.GRAPHQL_MAX_DEPTH,
      aliases: e.GRAPHQL_MAX_ALIASES,
      directives: e.GRAPHQL_MAX_DIRECTIVES,
      tokens: e.GRAPHQL_MAX_TOKENS,
      cost: e.GRAPHQL_MAX_COST,
    },
    // A production server does not describe its schema to strangers unless told to.
    introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
    graphiql: e.GRAPHIQL ?? e.NODE_ENV !== 'production',
    headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    corsOrigins: e.CORS_ORIGINS,
    events: {
      retentionMs: e.EVENT_RETENTION_HOURS * 3_600_000,
      maxStreams: e.MAX_EVENT_STREAMS,
      heartbeatMs: e.EVENT_HEARTBEAT_SECONDS * 1000,
    },
  };
}
