import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, configVariables, loadConfig, parseDatabaseUrl } from '../src/config.js';

/** The ConfigError that `env` produces. */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  return expect.fail(`accepted ${JSON.stringify(env)}`);
}

/** The hardening settings' defaults (GraphQL limits, HTTP timeouts, shutdown, CORS). */
const hardening = {
  graphqlLimits: { depth: 7, aliases: 15, directives: 50, tokens: 1000, cost: 1_000_000, responseBytes: 64 * 1024 * 1024 },
  introspection: true,
  graphiql: true,
  graphqlWs: { initTimeoutMs: 3000, maxSubscriptions: 100 },
  persistedOperations: { mode: 'off', manifest: null },
  headersTimeoutMs: 30_000,
  requestTimeoutMs: 60_000,
  shutdownTimeoutMs: 10_000,
  corsOrigins: [],
  // Open on loopback (the default HOST), with a warning at start.
  auth: { mode: 'none', adminKey: null, rateLimitPerSecond: 0, rateLimitBurst: 1 },
  retention: { idleHours: null, deleteEndedDays: null, threadIdleDays: null, batchSize: 100, reportIds: 1000, intervalSeconds: 0 },
  events: { retentionMs: 168 * 3_600_000, maxStreams: 1000, maxStreamsPerKey: 250, maxStreamsPerTenant: 500, heartbeatMs: 15_000 },
  // No second address for /metrics, no traces.
  metricsListen: null,
  tracing: null,
};

describe('loadConfig', () => {
  const defaults = {
    port: 8084,
    host: '127.0.0.1',
    database: { kind: 'sqlite', filename: './data/storage.db' },
    logLevel: 'info',
    maxPageSize: 10_000,
    maxBodyBytes: 1024 * 1024,
    sqliteBusyTimeoutMs: 5000,
    sqliteCacheMb: 2,
    searchIndex: true,
    historyCacheBytes: 64 * 1024 * 1024,
    stateHistoryVersions: 100,
    blobs: { store: 'filesystem', maxArtifactBytes: 5 * 1024 ** 3, quotaBytes: null, sweepIntervalSeconds: 300, sweepGraceSeconds: 3600 },
    pgPoolSize: 10,
    cacheBackend: 'database',
    redisUrl: null,
    redisKeyPrefix: 'agent-storage:',
    ...hardening,
  };

  it('has defaults for everything', () => {
    expect(loadConfig({})).toEqual(defaults);
  });

  it('counts empty variables as unset', () => {
    expect(
      loadConfig({ PORT: '', HOST: '', DATABASE_URL: '', LOG_LEVEL: '', MAX_PAGE_SIZE: '', MAX_BODY_BYTES: '', SQLITE_BUSY_TIMEOUT_MS: '' }),
    ).toEqual(defaults);
    expect(loadConfig({ PORT: undefined, HOST: undefined })).toEqual(defaults);
  });

  it('ignores unrelated variables, as found in a real environment', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root', TERM: 'xterm', port: '1' })).toEqual(defaults);
  });

  it('reads every variable', () => {
    expect(
      loadConfig({
        PORT: '9000',
        HOST: '0.0.0.0',
        DATABASE_URL: 'sqlite:/var/lib/storage.db',
        LOG_LEVEL: 'debug',
        MAX_PAGE_SIZE: '50',
        MAX_BODY_BYTES: '2048',
        SQLITE_BUSY_TIMEOUT_MS: '0',
        SQLITE_CACHE_MB: '64',
        SEARCH_INDEX: 'off',
        HISTORY_CACHE_BYTES: '0',
        STATE_HISTORY_VERSIONS: '0',
        BLOB_STORE: 'database',
        MAX_ARTIFACT_BYTES: '1000',
        STORAGE_QUOTA_BYTES: '0',
        BLOB_SWEEP_INTERVAL_SECONDS: '0',
        BLOB_SWEEP_GRACE_SECONDS: '60',
        PG_POOL_SIZE: '25',
        CACHE_BACKEND: 'redis',
        REDIS_URL: 'redis://127.0.0.1:6379/2',
        REDIS_KEY_PREFIX: 'agent-storage:staging:',
        METRICS_LISTEN: '10.0.0.5:9464',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
        OTEL_BSP_SCHEDULE_DELAY: '250',
      }),
    ).toEqual({
      port: 9000,
      host: '0.0.0.0',
      database: { kind: 'sqlite', filename: '/var/lib/storage.db' },
      logLevel: 'debug',
      maxPageSize: 50,
      maxBodyBytes: 2048,
      sqliteBusyTimeoutMs: 0,
      sqliteCacheMb: 64,
      searchIndex: false,
      historyCacheBytes: 0,
      stateHistoryVersions: 0,
      blobs: { store: 'database', maxArtifactBytes: 1000, quotaBytes: 0, sweepIntervalSeconds: 0, sweepGraceSeconds: 60 },
      pgPoolSize: 25,
      cacheBackend: 'redis',
      redisUrl: 'redis://127.0.0.1:6379/2',
      redisKeyPrefix: 'agent-storage:staging:',
      ...hardening,
      // The cost limit follows the page ceiling, with graphql-armor's 5000 as its floor.
      graphqlLimits: { ...hardening.graphqlLimits, cost: 5000 },
      // Reachable from other machines: API keys, whatever AUTH_MODE would default to on loopback.
      auth: { ...hardening.auth, mode: 'apikey' },
      metricsListen: { host: '10.0.0.5', port: 9464 },
      tracing: { endpoint: 'http://otel-collector:4318', scheduleDelayMs: 250 },
    });
    expect(loadConfig({ PORT: '0' }).port).toBe(0); // any free port
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
    expect(loadConfig({ DATABASE_URL: 'postgres://app:secret@db:5432/storage' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://app:secret@db:5432/storage',
    });
  });

  it('reads METRICS_LISTEN as host:port, IPv6 in brackets, and refuses anything else naming the variable', () => {
    expect(loadConfig({ METRICS_LISTEN: '[::1]:0' }).metricsListen).toEqual({ host: '::1', port: 0 });
    expect(loadConfig({ METRICS_LISTEN: 'localhost:9464' }).metricsListen).toEqual({ host: 'localhost', port: 9464 });
    for (const bad of ['9464', '127.0.0.1', '127.0.0.1:65536', ':9464', '::1:9464', 'http://127.0.0.1:9464', '127.0.0.1:-1']) {
      const error = configError({ METRICS_LISTEN: bad });
      expect(error.problems.map((p) => p.variable)).toEqual(['METRICS_LISTEN']);
      expect(error.message).toContain('host:port');
    }
  });

  it('traces only with OTEL_EXPORTER_OTLP_ENDPOINT, an http(s) URL', () => {
    expect(loadConfig({ OTEL_BSP_SCHEDULE_DELAY: '100' }).tracing).toBeNull();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example/otlp' }).tracing).toEqual({ endpoint: 'https://collector.example/otlp', scheduleDelayMs: 5000 });
    for (const bad of ['collector:4318', 'grpc://collector:4317', 'http://']) {
      expect(configError({ OTEL_EXPORTER_OTLP_ENDPOINT: bad }).problems.map((p) => p.variable)).toEqual(['OTEL_EXPORTER_OTLP_ENDPOINT']);
    }
    expect(configError({ OTEL_BSP_SCHEDULE_DELAY: '0' }).message).toContain('OTEL_BSP_SCHEDULE_DELAY');
  });

  it.each([['abc'], ['-1'], ['65536'], ['80.5'], ['8o84'], ['1e9'], ['0x50'], ['1e3'], ['+80']])('refuses PORT=%j, naming the variable and the value', (port) => {
    const error = configError({ PORT: port });
    expect(error.message).toContain('PORT');
    expect(error.message).toContain(`"${port}"`);
  });

  it.each([['loud'], ['verbose'], ['0']])('refuses LOG_LEVEL=%j, naming the variable and the choices', (level) => {
    const error = configError({ LOG_LEVEL: level });
    expect(error.message).toContain('LOG_LEVEL');
    expect(error.message).toContain('debug');
  });

  it.each([['0'], ['-5'], ['many'], ['1000001'], ['2.5']])('refuses MAX_PAGE_SIZE=%j, naming the variable', (size) => {
    expect(configError({ MAX_PAGE_SIZE: size }).message).toContain('MAX_PAGE_SIZE');
  });

  it('refuses out-of-range body size, busy timeout and cache size, naming the variable', () => {
    expect(configError({ MAX_BODY_BYTES: '10' }).message).toContain('MAX_BODY_BYTES');
    expect(configError({ SQLITE_BUSY_TIMEOUT_MS: '-1' }).message).toContain('SQLITE_BUSY_TIMEOUT_MS');
    expect(configError({ SQLITE_CACHE_MB: '0' }).message).toContain('SQLITE_CACHE_MB');
  });

  it('refuses a blank HOST, naming the variable', () => {
    expect(configError({ HOST: '   ' }).message).toContain('HOST');
  });

  it('refuses an unsupported database with a clear message', () => {
    const error = configError({ DATABASE_URL: 'mysql://user:pw@localhost/db' });
    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).toContain('mysql:');
    expect(error.message).toMatch(/sqlite:.*postgres:\/\//);
  });

  it('reports every bad variable at once, one line each: the name, the reason, the value given', () => {
    const error = configError({ PORT: 'x', LOG_LEVEL: 'loud', MAX_PAGE_SIZE: '0', DATABASE_URL: 'sqlite:', HOST: '0.0.0.0', AUTH_MODE: 'none', CACHE_BACKEND: 'redis' });
    expect(error.message).toBe(
      [
        'Invalid configuration:',
        '  - PORT: must be a whole number from 0 to 65535 (got "x")',
        '  - DATABASE_URL: names no file: use sqlite:./data/storage.db or sqlite::memory:',
        '  - LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
        '  - MAX_PAGE_SIZE: must be a whole number from 1 to 1000000 (got "0")',
        // Rules between variables too, alongside the variables bad on their own.
        '  - REDIS_URL: must be set when CACHE_BACKEND=redis (e.g. redis://127.0.0.1:6379)',
        '  - AUTH_MODE: none is allowed only when HOST is a loopback address (127.0.0.1, ::1, localhost), not "0.0.0.0"; use API keys (AUTH_MODE=apikey)',
      ].join('\n'),
    );
    expect(error.problems.map((p) => p.variable)).toEqual(['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'MAX_PAGE_SIZE', 'REDIS_URL', 'AUTH_MODE']);
  });

  it('checks a rule between variables only when each of them is valid on its own', () => {
    // HTTP_REQUEST_TIMEOUT_MS is bad: its own problem is the one reported, not a comparison with it.
    expect(configError({ HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_REQUEST_TIMEOUT_MS: 'soon' }).problems).toEqual([
      { variable: 'HTTP_REQUEST_TIMEOUT_MS', message: 'must be a whole number from 100 to 3600000 (got "soon")' },
    ]);
  });

  it('never repeats a secret value, and keeps each problem on one line', () => {
    const key = 'hunter2 hunter2 hunter2 hunter2 hunter2';
    const error = configError({ STORAGE_ADMIN_KEY: key, DATABASE_URL: 'mysql://app:s3cret@db/x', REDIS_URL: 'http://:s3cret@cache', PORT: '80\n81' });
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('s3cret');
    expect(error.message).toContain('PORT: must be a whole number from 0 to 65535 (got "80\\n81")');
    expect(error.message.split('\n')).toHaveLength(1 + 4);
  });
});

describe('parseDatabaseUrl', () => {
  it.each([
    ['sqlite:./x.db', './x.db'],
    ['sqlite:x.db', 'x.db'],
    ['sqlite:/abs/dir/x.db', '/abs/dir/x.db'],
    ['sqlite:///abs/dir/x.db', '/abs/dir/x.db'],
    ['sqlite://rel/x.db', 'rel/x.db'],
    ['SQLite:./x.db', './x.db'],
    ['sqlite::memory:', ':memory:'],
    ['sqlite://:memory:', ':memory:'],
    [':memory:', ':memory:'],
    ['./data/plain.db', './data/plain.db'],
    ['/var/lib/plain.db', '/var/lib/plain.db'],
    ['plain.db', 'plain.db'],
    ['  sqlite:./spaced.db  ', './spaced.db'],
  ])('reads %j as the SQLite file %j', (url, filename) => {
    expect(parseDatabaseUrl(url)).toEqual({ kind: 'sqlite', filename });
  });

  it.each([['postgres://u:p@host:5432/db'], ['postgresql://host/db?sslmode=require'], ['postgres://host/db']])('reads %j as PostgreSQL', (url) => {
    expect(parseDatabaseUrl(url)).toEqual({ kind: 'postgres', url });
  });

  it('reads the scheme case-insensitively', () => {
    expect(parseDatabaseUrl('POSTGRES://host/db')).toMatchObject({ kind: 'postgres' });
  });

  it('takes ?schema= for itself and passes the other parameters to the driver', () => {
    expect(parseDatabaseUrl('postgres://u@h:5432/db?schema=agents&sslmode=require')).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h:5432/db?sslmode=require',
      schema: 'agents',
    });
    expect(() => parseDatabaseUrl('postgres://h/db?schema=bad-name;drop')).toThrow(/invalid schema name/);
    // Room for a tenant's suffix (`__<tenant>`) within PostgreSQL's 63 characters.
    expect(parseDatabaseUrl(`postgres://h/db?schema=${'s'.repeat(29)}`)).toMatchObject({ schema: 's'.repeat(29) });
    expect(() => parseDatabaseUrl(`postgres://h/db?schema=${'s'.repeat(30)}`)).toThrow(/at most 29/);
  });

  it('needs REDIS_URL for CACHE_BACKEND=redis, and a redis:// URL', () => {
    expect(configError({ CACHE_BACKEND: 'redis' }).message).toContain('REDIS_URL: must be set when CACHE_BACKEND=redis');
    expect(configError({ REDIS_URL: 'http://x' }).message).toMatch(/REDIS_URL: must start with redis:\/\//);
    expect(configError({ REDIS_KEY_PREFIX: 'a b' }).message).toMatch(/REDIS_KEY_PREFIX: must be 1 to 100 characters/);
    expect(configError({ CACHE_BACKEND: 'memcached' }).message).toMatch(/CACHE_BACKEND/);
    expect(configError({ PG_POOL_SIZE: '0' }).message).toMatch(/PG_POOL_SIZE/);
  });

  it.each([
    ['mysql://u@h/db', /unsupported scheme "mysql:"/],
    ['mariadb://h/db', /unsupported scheme "mariadb:"/],
    ['http://example.com/db', /unsupported scheme "http:"/],
    ['sqlite:', /names no file/],
    ['sqlite://', /names no file/],
    ['', /must not be empty/],
    ['   ', /must not be empty/],
  ])('refuses %j', (url, message) => {
    expect(() => parseDatabaseUrl(url)).toThrow(message);
  });
});

describe('authentication variables', () => {
  const adminKey = 'k'.repeat(32);

  it('requires API keys whenever HOST is not a loopback address', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(loadConfig({ HOST: host }).auth.mode).toBe('none');
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'storage.internal']) expect(loadConfig({ HOST: host }).auth.mode).toBe('apikey');
    expect(loadConfig({ HOST: '127.0.0.1', AUTH_MODE: 'apikey' }).auth.mode).toBe('apikey');
  });

  it('refuses AUTH_MODE=none on an address other machines can reach', () => {
    expect(configError({ HOST: '0.0.0.0', AUTH_MODE: 'none' }).message).toContain('AUTH_MODE: none is allowed only when HOST is a loopback address (127.0.0.1, ::1, localhost), not "0.0.0.0"');
    expect(configError({ AUTH_MODE: 'open' }).message).toContain('AUTH_MODE');
  });

  it('takes a bootstrap admin key of at least 32 characters, and rate limits', () => {
    expect(loadConfig({ HOST: '0.0.0.0', STORAGE_ADMIN_KEY: adminKey }).auth.adminKey).toBe(adminKey);
    expect(configError({ STORAGE_ADMIN_KEY: 'short' }).message).toContain('STORAGE_ADMIN_KEY');
    expect(configError({ STORAGE_ADMIN_KEY: `${'k'.repeat(20)} ${'k'.repeat(20)}` }).message).toContain('STORAGE_ADMIN_KEY');
    expect(loadConfig({ RATE_LIMIT_PER_SECOND: '50' }).auth).toMatchObject({ rateLimitPerSecond: 50, rateLimitBurst: 100 });
    expect(loadConfig({ RATE_LIMIT_PER_SECOND: '50', RATE_LIMIT_BURST: '5' }).auth).toMatchObject({ rateLimitPerSecond: 50, rateLimitBurst: 5 });
    expect(configError({ RATE_LIMIT_PER_SECOND: '-1' }).message).toContain('RATE_LIMIT_PER_SECOND');
  });
});

describe('retention variables', () => {
  it('reads the policy and the sweeper interval', () => {
    expect(
      loadConfig({
        RETENTION_IDLE_HOURS: '12',
        RETENTION_DELETE_ENDED_DAYS: '30',
        RETENTION_THREAD_IDLE_DAYS: '90',
        RETENTION_INTERVAL_SECONDS: '60',
        RETENTION_BATCH_SIZE: '50',
        RETENTION_REPORT_IDS: '0',
      }).retention,
    ).toEqual({ idleHours: 12, deleteEndedDays: 30, threadIdleDays: 90, intervalSeconds: 60, batchSize: 50, reportIds: 0 });
  });

  it.each([
    ['RETENTION_IDLE_HOURS', '0'],
    ['RETENTION_DELETE_ENDED_DAYS', '-1'],
    ['RETENTION_THREAD_IDLE_DAYS', '0'],
    ['RETENTION_INTERVAL_SECONDS', 'soon'],
    ['RETENTION_BATCH_SIZE', '0'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});

describe('hardening variables', () => {
  it('reads the GraphQL limits, timeouts and CORS origins', () => {
    expect(
      loadConfig({
        GRAPHQL_MAX_DEPTH: '5',
        GRAPHQL_MAX_ALIASES: '0',
        GRAPHQL_MAX_DIRECTIVES: '3',
        GRAPHQL_MAX_TOKENS: '200',
        GRAPHQL_MAX_COST: '900',
        GRAPHQL_MAX_RESPONSE_BYTES: '4096',
        HTTP_HEADERS_TIMEOUT_MS: '1000',
        HTTP_REQUEST_TIMEOUT_MS: '2000',
        SHUTDOWN_TIMEOUT_MS: '0',
        CORS_ORIGINS: 'https://app.example.com, http://localhost:3000',
      }),
    ).toMatchObject({
      graphqlLimits: { depth: 5, aliases: 0, directives: 3, tokens: 200, cost: 900, responseBytes: 4096 },
      headersTimeoutMs: 1000,
      requestTimeoutMs: 2000,
      shutdownTimeoutMs: 0,
      corsOrigins: ['https://app.example.com', 'http://localhost:3000'],
    });
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, *' }).corsOrigins).toEqual(['*']);
    // Unless set, the cost limit is 100 items' worth per MAX_PAGE_SIZE (a defaulted page counts whole).
    expect(loadConfig({ MAX_PAGE_SIZE: '20000' }).graphqlLimits.cost).toBe(2_000_000);
    expect(loadConfig({ MAX_PAGE_SIZE: '20000', GRAPHQL_MAX_COST: '900' }).graphqlLimits.cost).toBe(900);
  });

  it('turns introspection and GraphiQL off in production unless told otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ introspection: false, graphiql: false });
    expect(loadConfig({ NODE_ENV: 'development' })).toMatchObject({ introspection: true, graphiql: true });
    expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true', GRAPHIQL: '1' })).toMatchObject({ introspection: true, graphiql: true });
    expect(loadConfig({ GRAPHQL_INTROSPECTION: 'off', GRAPHIQL: 'false' })).toMatchObject({ introspection: false, graphiql: false });
  });

  it.each([
    [{ GRAPHQL_MAX_DEPTH: '0' }, 'GRAPHQL_MAX_DEPTH'],
    [{ GRAPHQL_MAX_TOKENS: 'lots' }, 'GRAPHQL_MAX_TOKENS'],
    [{ GRAPHQL_MAX_RESPONSE_BYTES: String(81 * 1024 * 1024) }, 'GRAPHQL_MAX_RESPONSE_BYTES'],
    [{ GRAPHQL_MAX_RESPONSE_BYTES: '100' }, 'GRAPHQL_MAX_RESPONSE_BYTES'],
    [{ GRAPHQL_INTROSPECTION: 'maybe' }, 'GRAPHQL_INTROSPECTION'],
    [{ GRAPHIQL: 'yes please' }, 'GRAPHIQL'],
    [{ HTTP_HEADERS_TIMEOUT_MS: '50' }, 'HTTP_HEADERS_TIMEOUT_MS'],
    [{ HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_REQUEST_TIMEOUT_MS: '1000' }, 'HTTP_HEADERS_TIMEOUT_MS: must not be larger than HTTP_REQUEST_TIMEOUT_MS (got 5000 > 1000)'],
    [{ SHUTDOWN_TIMEOUT_MS: '-1' }, 'SHUTDOWN_TIMEOUT_MS'],
    [{ CORS_ORIGINS: 'example.com' }, 'CORS_ORIGINS'],
  ])('refuses %j, naming the variable', (env, name) => {
    expect(configError(env).message).toContain(name);
  });
});

describe('change feed variables', () => {
  it('reads the retention, the stream cap and the heartbeat', () => {
    expect(loadConfig({ EVENT_RETENTION_HOURS: '24', MAX_EVENT_STREAMS: '0', EVENT_HEARTBEAT_SECONDS: '30' }).events).toEqual({
      retentionMs: 24 * 3_600_000,
      maxStreams: 0,
      maxStreamsPerKey: 1,
      maxStreamsPerTenant: 1,
      heartbeatMs: 30_000,
    });
  });

  it('shares the streams among keys and tenants: by default a quarter per key and half per tenant, or as set', () => {
    expect(loadConfig({ MAX_EVENT_STREAMS: '100' }).events).toMatchObject({ maxStreams: 100, maxStreamsPerKey: 25, maxStreamsPerTenant: 50 });
    expect(loadConfig({ MAX_EVENT_STREAMS: '3' }).events).toMatchObject({ maxStreamsPerKey: 1, maxStreamsPerTenant: 1 });
    const set = loadConfig({ MAX_EVENT_STREAMS: '100', MAX_EVENT_STREAMS_PER_KEY: '10', MAX_EVENT_STREAMS_PER_TENANT: '100' }).events;
    expect(set).toMatchObject({ maxStreamsPerKey: 10, maxStreamsPerTenant: 100 });
    // Streaming off: the shares are not checked.
    expect(loadConfig({ MAX_EVENT_STREAMS: '0', MAX_EVENT_STREAMS_PER_KEY: '10' }).events.maxStreams).toBe(0);
  });

  it.each([
    [{ EVENT_RETENTION_HOURS: '0' }, 'EVENT_RETENTION_HOURS'],
    [{ EVENT_RETENTION_HOURS: 'a week' }, 'EVENT_RETENTION_HOURS'],
    [{ MAX_EVENT_STREAMS: '-1' }, 'MAX_EVENT_STREAMS'],
    [{ EVENT_HEARTBEAT_SECONDS: '0' }, 'EVENT_HEARTBEAT_SECONDS'],
    [{ MAX_EVENT_STREAMS_PER_KEY: '0' }, 'MAX_EVENT_STREAMS_PER_KEY'],
    [{ MAX_EVENT_STREAMS_PER_TENANT: 'half' }, 'MAX_EVENT_STREAMS_PER_TENANT'],
    [{ MAX_EVENT_STREAMS: '10', MAX_EVENT_STREAMS_PER_TENANT: '11' }, 'MAX_EVENT_STREAMS_PER_TENANT: must not be larger than MAX_EVENT_STREAMS (got 11 > 10)'],
    // Larger than the default tenant share (half of 1000).
    [{ MAX_EVENT_STREAMS_PER_KEY: '600' }, 'MAX_EVENT_STREAMS_PER_KEY: must not be larger than MAX_EVENT_STREAMS_PER_TENANT (got 600 > 500, half of MAX_EVENT_STREAMS by default)'],
  ])('refuses %j, naming the variable', (env, name) => {
    expect(configError(env).message).toContain(name);
  });
});

describe('artifact content variables', () => {
  it('keeps content in files with a SQLite file, in the database with PostgreSQL or an in-memory database', () => {
    expect(loadConfig({}).blobs.store).toBe('filesystem');
    expect(loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1/test' }).blobs.store).toBe('database');
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).blobs.store).toBe('database');
    expect(loadConfig({ BLOB_STORE: 'database' }).blobs.store).toBe('database');
  });

  it.each([
    [{ BLOB_STORE: 'filesystem', DATABASE_URL: 'postgres://postgres@127.0.0.1/test' }, 'BLOB_STORE: filesystem needs a SQLite database file'],
    [{ BLOB_STORE: 'filesystem', DATABASE_URL: 'sqlite::memory:' }, 'BLOB_STORE: filesystem needs a SQLite database file'],
    [{ BLOB_STORE: 's3' }, 'BLOB_STORE'],
    [{ MAX_ARTIFACT_BYTES: '0' }, 'MAX_ARTIFACT_BYTES'],
    [{ STORAGE_QUOTA_BYTES: '-1' }, 'STORAGE_QUOTA_BYTES'],
    [{ BLOB_SWEEP_GRACE_SECONDS: 'an hour' }, 'BLOB_SWEEP_GRACE_SECONDS'],
  ])('refuses %j, naming the variable', (env, name) => {
    expect(configError(env).message).toContain(name);
  });
});

describe('GraphQL WebSocket variables', () => {
  it('reads the handshake timeout and the operations per connection, with graphql-ws’s 3 s and 100 by default', () => {
    expect(loadConfig({}).graphqlWs).toEqual({ initTimeoutMs: 3000, maxSubscriptions: 100 });
    expect(loadConfig({ GRAPHQL_WS_INIT_TIMEOUT_MS: '500', GRAPHQL_WS_MAX_SUBSCRIPTIONS: '5' }).graphqlWs).toEqual({ initTimeoutMs: 500, maxSubscriptions: 5 });
  });

  it.each([
    [{ GRAPHQL_WS_INIT_TIMEOUT_MS: '0' }, 'GRAPHQL_WS_INIT_TIMEOUT_MS: must be a whole number from 100 to 600000 (got "0")'],
    [{ GRAPHQL_WS_INIT_TIMEOUT_MS: '3s' }, 'GRAPHQL_WS_INIT_TIMEOUT_MS'],
    [{ GRAPHQL_WS_MAX_SUBSCRIPTIONS: '0' }, 'GRAPHQL_WS_MAX_SUBSCRIPTIONS: must be a whole number from 1 to 10000 (got "0")'],
  ])('refuses %j, naming the variable', (env, name) => {
    expect(configError(env).message).toContain(name);
  });
});

describe('the variable list (for the documentation)', () => {
  it('describes every variable the schema reads', () => {
    expect(configVariables.length).toBeGreaterThanOrEqual(38);
    for (const v of configVariables) {
      expect(v.name).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(v.description.length, v.name).toBeGreaterThan(10);
    }
    expect(configVariables.filter((v) => v.secret).map((v) => v.name)).toEqual(['DATABASE_URL', 'REDIS_URL', 'STORAGE_ADMIN_KEY']);
  });

  it('states the default that applies when the variable is unset', () => {
    // A default that is a value gives the configuration an unset variable gives; the others
    // describe a default derived from other variables ("half of MAX_EVENT_STREAMS").
    const values = configVariables.filter((v) => {
      if (v.default === null) return false;
      try {
        loadConfig({ [v.name]: v.default });
        return true;
      } catch (error) {
        expect(error, `${v.name}=${v.default}`).toBeInstanceOf(ConfigError);
        expect(v.default, v.name).toMatch(/ |^(off|none)$/);
        return false;
      }
    });
    expect(values.length).toBeGreaterThanOrEqual(25);
    for (const v of values) expect(loadConfig({ [v.name]: v.default! }), `${v.name}=${v.default}`).toEqual(loadConfig({}));
  });

  it('nothing but the entry points reads process.env: they hand it to loadConfig', () => {
    const src = new URL('../src/', import.meta.url);
    const readers = readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.(ts|mts|tsx)$/.test(file) && /process\.env\b/.test(readFileSync(new URL(file, src), 'utf8')))
      .sort();
    // config.ts names it in a comment only.
    expect(readers).toEqual(['cli/main.ts', 'config.ts', 'main.ts']);
  });
});
