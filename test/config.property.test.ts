import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, configVariables, loadConfig, type Config } from '../src/config.js';

/**
 * Properties of `loadConfig` over generated environments: whatever the environment holds, the
 * answer is a configuration or a ConfigError naming known variables; and valid values, however
 * spelled, arrive in the configuration as given.
 */

const names = configVariables.map((v) => v.name);
const secrets: string[] = configVariables.filter((v) => v.secret).map((v) => v.name);

/** Values near the edges of what the variables accept. */
const tricky = fc.constantFrom(
  '', ' ', '0', '1', '-1', '+1', '1e3', '0x10', '1.5', '65535', '65536', '999999999999', ' 80 ', '08',
  'true', 'FALSE', 'yes', 'maybe', 'none', 'apikey', 'redis', 'database', 'production', 'debug', 'loud',
  'sqlite:', 'sqlite::memory:', 'postgres://h/db?schema=ok', 'postgres://h/db?schema=bad-name', 'postgres://[', 'mysql://h/db',
  'redis://h:6379', 'http://h', '*', 'https://a.example, http://b.example:3000', 'example.com', '0.0.0.0', '::1', 'k'.repeat(32),
);
const anyEnv = fc.dictionary(fc.oneof(fc.constantFrom(...names), fc.string()), fc.oneof(tricky, fc.string(), fc.integer().map(String)), { maxKeys: 12 });

describe('loadConfig over any environment', () => {
  it('answers a configuration or a ConfigError naming known variables, one line each, never repeating a secret', () => {
    fc.assert(
      fc.property(anyEnv, (env) => {
        try {
          loadConfig(env);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          expect(error.problems.length).toBeGreaterThan(0);
          for (const problem of error.problems) {
            expect(names).toContain(problem.variable);
            expect(problem.message).not.toMatch(/\n/);
          }
          for (const { variable, message } of error.problems.filter((p) => secrets.includes(p.variable))) {
            const value = env[variable]?.trim() ?? '';
            expect(message).not.toContain('(got ');
            if (value.length >= 8) expect(message).not.toContain(value);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

type Expected = { [key: string]: unknown };
/** A part of an environment and what it must produce in the configuration. */
type Part = fc.Arbitrary<[Record<string, string>, Expected]>;
const pair = (env: Record<string, string>, expected: Expected): [Record<string, string>, Expected] => [env, expected];

/** A whole number as a person might write it: padded with blanks, or with leading zeros. */
const spelled = (n: number) => fc.constantFrom(String(n), ` ${n} `, `\t${n}`, `00${n}`);

const int = (name: string, min: number, max: number, expected: (n: number) => Expected): Part =>
  fc.integer({ min, max }).chain((n) => spelled(n).map((raw) => pair({ [name]: raw }, expected(n))));

const oneOf = <T extends string>(name: string, values: readonly T[], expected: (v: T) => Expected): Part =>
  fc.constantFrom(...values).map((v) => pair({ [name]: v }, expected(v)));

const flag = (name: string, expected: (b: boolean) => Expected): Part =>
  fc
    .tuple(fc.boolean(), fc.nat(3), fc.boolean())
    .map(([b, i, upper]) => {
      const raw = (b ? ['true', '1', 'yes', 'on'] : ['false', '0', 'no', 'off'])[i]!;
      return pair({ [name]: upper ? raw.toUpperCase() : raw }, expected(b));
    });

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/);

/** Each variable alone, and the variables that rules tie together in consistent groups. */
const parts: Part[] = [
  int('PORT', 0, 65535, (port) => ({ port })),
  int('MAX_PAGE_SIZE', 1, 1_000_000, (maxPageSize) => ({ maxPageSize })),
  int('MAX_BODY_BYTES', 1024, 1024 ** 3, (maxBodyBytes) => ({ maxBodyBytes })),
  int('SQLITE_BUSY_TIMEOUT_MS', 0, 600_000, (sqliteBusyTimeoutMs) => ({ sqliteBusyTimeoutMs })),
  int('SQLITE_CACHE_MB', 1, 65_536, (sqliteCacheMb) => ({ sqliteCacheMb })),
  int('PG_POOL_SIZE', 1, 1000, (pgPoolSize) => ({ pgPoolSize })),
  int('GRAPHQL_MAX_DEPTH', 1, 1000, (depth) => ({ graphqlLimits: { depth } })),
  int('GRAPHQL_MAX_ALIASES', 0, 10_000, (aliases) => ({ graphqlLimits: { aliases } })),
  int('GRAPHQL_MAX_DIRECTIVES', 0, 10_000, (directives) => ({ graphqlLimits: { directives } })),
  int('GRAPHQL_MAX_TOKENS', 1, 1_000_000, (tokens) => ({ graphqlLimits: { tokens } })),
  int('GRAPHQL_MAX_COST', 1, 1_000_000_000, (cost) => ({ graphqlLimits: { cost } })),
  int('GRAPHQL_MAX_RESPONSE_BYTES', 1024, 80 * 1024 * 1024, (responseBytes) => ({ graphqlLimits: { responseBytes } })),
  int('GRAPHQL_WS_INIT_TIMEOUT_MS', 100, 600_000, (initTimeoutMs) => ({ graphqlWs: { initTimeoutMs } })),
  int('GRAPHQL_WS_MAX_SUBSCRIPTIONS', 1, 10_000, (maxSubscriptions) => ({ graphqlWs: { maxSubscriptions } })),
  // A manifest is needed only by `only` (a rule checked by config.test.ts); `apq` and `off` take none.
  fc.constantFrom('off', 'apq').chain((mode) =>
    word.map((name) => pair({ PERSISTED_OPERATIONS: mode, PERSISTED_OPERATIONS_MANIFEST: `./${name}.json` }, { persistedOperations: { mode, manifest: `./${name}.json` } })),
  ),
  int('SHUTDOWN_TIMEOUT_MS', 0, 600_000, (shutdownTimeoutMs) => ({ shutdownTimeoutMs })),
  int('RETENTION_IDLE_HOURS', 1, 24 * 365 * 100, (idleHours) => ({ retention: { idleHours } })),
  int('RETENTION_DELETE_ENDED_DAYS', 1, 365 * 100, (deleteEndedDays) => ({ retention: { deleteEndedDays } })),
  int('RETENTION_THREAD_IDLE_DAYS', 1, 365 * 100, (threadIdleDays) => ({ retention: { threadIdleDays } })),
  int('RETENTION_INTERVAL_SECONDS', 0, 7 * 24 * 3600, (intervalSeconds) => ({ retention: { intervalSeconds } })),
  int('RETENTION_BATCH_SIZE', 1, 10_000, (batchSize) => ({ retention: { batchSize } })),
  int('RETENTION_REPORT_IDS', 0, 100_000, (reportIds) => ({ retention: { reportIds } })),
  int('EVENT_RETENTION_HOURS', 1, 24 * 365 * 10, (h) => ({ events: { retentionMs: h * 3_600_000 } })),
  int('EVENT_HEARTBEAT_SECONDS', 1, 3600, (s) => ({ events: { heartbeatMs: s * 1000 } })),
  int('RATE_LIMIT_PER_SECOND', 0, 1_000_000, (rateLimitPerSecond) => ({ auth: { rateLimitPerSecond } })),
  int('RATE_LIMIT_BURST', 1, 1_000_000, (rateLimitBurst) => ({ auth: { rateLimitBurst } })),
  oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], (logLevel) => ({ logLevel })),
  flag('GRAPHQL_INTROSPECTION', (introspection) => ({ introspection })),
  flag('GRAPHIQL', (graphiql) => ({ graphiql })),
  flag('SEARCH_INDEX', (searchIndex) => ({ searchIndex })),
  int('HISTORY_CACHE_BYTES', 0, 64 * 1024 * 1024 * 1024, (historyCacheBytes) => ({ historyCacheBytes })),
  int('STATE_HISTORY_VERSIONS', 0, 1_000_000, (stateHistoryVersions) => ({ stateHistoryVersions })),
  // filesystem needs a SQLite file, which another part may replace: its rule is checked by config.test.ts.
  oneOf('BLOB_STORE', ['database'], (store) => ({ blobs: { store } })),
  int('MAX_ARTIFACT_BYTES', 1, 2 ** 31 - 1, (maxArtifactBytes) => ({ blobs: { maxArtifactBytes } })),
  int('STORAGE_QUOTA_BYTES', 0, 2 ** 31 - 1, (quotaBytes) => ({ blobs: { quotaBytes } })),
  int('BLOB_SWEEP_INTERVAL_SECONDS', 0, 7 * 24 * 3600, (sweepIntervalSeconds) => ({ blobs: { sweepIntervalSeconds } })),
  int('BLOB_SWEEP_GRACE_SECONDS', 0, 7 * 24 * 3600, (sweepGraceSeconds) => ({ blobs: { sweepGraceSeconds } })),
  fc.stringMatching(/^[0-9a-f]{32,64}$/).map((key) => pair({ STORAGE_ADMIN_KEY: key }, { auth: { adminKey: key } })),
  fc.stringMatching(/^[a-z0-9:_-]{1,100}$/).map((prefix) => pair({ REDIS_KEY_PREFIX: prefix }, { redisKeyPrefix: prefix })),
  fc
    .tuple(fc.constantFrom('127.0.0.1', '0.0.0.0', 'localhost', '::1'), fc.integer({ min: 0, max: 65535 }))
    .map(([host, port]) => pair({ METRICS_LISTEN: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}` }, { metricsListen: { host, port } })),
  // The delay matters only with an endpoint: both, as a deployment that traces sets them.
  fc
    .tuple(word, fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 1, max: 600_000 }))
    .map(([host, port, delay]) =>
      pair(
        { OTEL_EXPORTER_OTLP_ENDPOINT: `http://${host}:${port}`, OTEL_BSP_SCHEDULE_DELAY: String(delay) },
        { tracing: { endpoint: `http://${host}:${port}`, scheduleDelayMs: delay } },
      ),
    ),
  fc.array(word, { minLength: 1, maxLength: 4 }).map((subs) => {
    const origins = subs.map((s, i) => (i % 2 ? `http://${s}.example:${3000 + i}` : `https://${s}.example`));
    return pair({ CORS_ORIGINS: origins.join(' , ') }, { corsOrigins: origins });
  }),
  fc.oneof(
    word.map((name) => pair({ DATABASE_URL: `sqlite:./${name}.db` }, { database: { kind: 'sqlite', filename: `./${name}.db` } })),
    fc.stringMatching(/^[a-z_][a-z0-9_]{0,28}$/).map(
      (schema) =>
        pair(
          { DATABASE_URL: `postgres://app@db:5432/storage?schema=${schema}&sslmode=require` },
          { database: { kind: 'postgres', url: 'postgres://app@db:5432/storage?sslmode=require', schema } },
        ),
    ),
  ),
  // Headers arrive within the request's time.
  fc
    .integer({ min: 100, max: 600_000 })
    .chain((headers) => fc.integer({ min: headers, max: 3_600_000 }).map((request) => [headers, request] as const))
    .map(([headers, request]) =>
      pair({ HTTP_HEADERS_TIMEOUT_MS: String(headers), HTTP_REQUEST_TIMEOUT_MS: String(request) }, { headersTimeoutMs: headers, requestTimeoutMs: request }),
    ),
  // A key's share within its tenant's, within the process's.
  fc
    .integer({ min: 1, max: 1_000_000 })
    .chain((max) => fc.integer({ min: 1, max }).chain((tenant) => fc.integer({ min: 1, max: tenant }).map((key) => [max, tenant, key] as const)))
    .map(([max, tenant, key]) =>
      pair(
        { MAX_EVENT_STREAMS: String(max), MAX_EVENT_STREAMS_PER_TENANT: String(tenant), MAX_EVENT_STREAMS_PER_KEY: String(key) },
        { events: { maxStreams: max, maxStreamsPerTenant: tenant, maxStreamsPerKey: key } },
      ),
    ),
  // Redis only with its URL.
  fc.oneof(
    fc.constant(pair({ CACHE_BACKEND: 'database' }, { cacheBackend: 'database', redisUrl: null })),
    fc.nat(15).map((db) => pair({ CACHE_BACKEND: 'redis', REDIS_URL: `redis://cache:6379/${db}` }, { cacheBackend: 'redis', redisUrl: `redis://cache:6379/${db}` })),
  ),
  // No authentication only on loopback.
  fc.oneof(
    fc.constantFrom('127.0.0.1', '127.3.2.1', 'localhost', '::1', '[::1]').chain((host) =>
      fc.constantFrom('none', 'apikey').map((mode) => pair({ HOST: host, AUTH_MODE: mode }, { host, auth: { mode } })),
    ),
    fc.constantFrom('0.0.0.0', '::', '10.1.2.3', 'storage.internal').map((host) => pair({ HOST: host, AUTH_MODE: 'apikey' }, { host, auth: { mode: 'apikey' } })),
  ),
];

/** `b` into `a`, nested objects merged (the configuration's sections). */
function merge(a: Expected, b: Expected): Expected {
  const out: Expected = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const before = out[key];
    const nested = (v: unknown): v is Expected => typeof v === 'object' && v !== null && !Array.isArray(v);
    out[key] = nested(before) && nested(value) ? merge(before, value) : value;
  }
  return out;
}

describe('valid values round-trip', () => {
  it('every variable set to a valid value, however spelled, arrives in the configuration as given', () => {
    const anyValidEnv = fc.tuple(...parts.map((part) => fc.option(part, { nil: undefined }))).map((chosen) =>
      chosen.reduce<[Record<string, string>, Expected]>(([env, expected], part) => (part ? [{ ...env, ...part[0] }, merge(expected, part[1])] : [env, expected]), [{}, {}]),
    );
    fc.assert(
      fc.property(anyValidEnv, ([env, expected]) => {
        const config: Config = loadConfig(env);
        expect(config).toMatchObject(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('the round trip covers every variable of the schema, and no other', () => {
    const covered = new Set(fc.sample(fc.tuple(...parts), 20).flatMap((sample) => sample.flatMap(([env]) => Object.keys(env))));
    // NODE_ENV only steers two defaults, checked by the examples in config.test.ts.
    expect([...covered].sort()).toEqual(names.filter((name) => name !== 'NODE_ENV').sort());
  });
});
