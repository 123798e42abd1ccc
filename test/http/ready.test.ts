import { connect, type Socket } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import { metricsOnly } from '../../src/observability/observability.js';
import { startServer } from '../../src/server.js';
import { PostgresBackend } from '../../src/storage/postgres/postgres-backend.js';
import { tenantsOver } from '../../src/storage/tenants.js';
import { AUTH_ENV } from '../support/auth.js';
import { ManualClock } from '../support/fixtures.js';
import { client } from '../support/http.js';
import { testDatabase } from '../support/postgres.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * GET /ready, apart from GET /health: 503 while starting, while shutting down (requests still
 * arrive on open connections during the drain) and while the database does not answer; 200
 * otherwise, with no key. On whichever backend the project runs (with the cache on Redis, that is
 * checked too).
 */

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const onPostgres = process.env.TEST_BACKEND === 'postgres';
const cacheOnRedis = process.env.TEST_CACHE === 'redis';

describe('GET /ready', () => {
  it('answers 200 with its checks, without a key, while /health keeps its contract', async () => {
    server = await startTestServer(AUTH_ENV);
    const http = client(server.url);
    const ready = await http.get('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ ready: true, state: 'ready', checks: { database: 'ok', ...(cacheOnRedis ? { cache: 'ok' } : {}) } });
    expect(ready.headers.get('cache-control')).toBe('no-store');
    const health = await http.get('/health');
    expect(health.status).toBe(200);
    expect(Object.keys(health.body).sort()).toEqual(['backend', 'service', 'status', 'timestamp', 'version']);
  });

  it('answers 503 while the server is starting, until it says it is ready', async () => {
    server = await startTestServer({}, { holdReadiness: true });
    const http = client(server.url);
    const starting = await http.get('/ready');
    expect(starting.status).toBe(503);
    expect(starting.headers.get('retry-after')).toBe('5');
    expect(starting.body).toMatchObject({ ready: false, state: 'starting', checks: { database: 'ok' } });
    // Alive all along: liveness is not readiness.
    expect((await http.get('/health')).status).toBe(200);
    server.running.ready();
    expect((await http.get('/ready')).status).toBe(200);
  });

  it('answers 503 from the start of shutdown, while in-flight requests drain', async () => {
    server = await startTestServer({ METRICS_LISTEN: '127.0.0.1:0' });
    const side = client(server.running.metricsUrl!);
    expect((await side.get('/ready')).status).toBe(200);
    // A request in flight (its body half sent) keeps the server draining.
    const body = JSON.stringify({ agent_name: 'drained' });
    const url = new URL(server.url);
    const socket: Socket = connect(Number(url.port), url.hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    const answer = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.once('close', () => resolve(text));
    });
    // Shutdown starts once the server has the request (its headers parsed).
    const received = new Promise((resolve) => server!.running.server.once('request', resolve));
    socket.write(
      `POST /storage/sessions HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 5)}`,
    );
    await received;
    const closing = server.running.close();
    const stopping = await side.get('/ready');
    expect(stopping.status).toBe(503);
    expect(stopping.body).toMatchObject({ ready: false, state: 'stopping' });
    socket.write(body.slice(5));
    expect(await answer).toMatch(/^HTTP\/1\.1 200 /);
    await closing;
  });

  it.skipIf(onPostgres)('answers 503 naming the database when it does not answer (SQLite: the database closed)', async () => {
    server = await startTestServer();
    await server.backend.close();
    const http = client(server.url);
    const down = await http.get('/ready');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ ready: false, state: 'ready', checks: { database: 'does not answer' } });
    expect((await http.get('/health')).status).toBe(503);
  });

  it.skipIf(!onPostgres)('answers 503 naming the database when it does not answer (PostgreSQL: the database dropped)', async () => {
    const database = await testDatabase();
    const config = loadConfig({ PORT: '0', DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    const observability = metricsOnly('postgres');
    const backend = await PostgresBackend.open({ connectionString: database.url, poolSize: 2, observer: observability.observer });
    const clock = new ManualClock();
    const tenants = tenantsOver(backend, config, { clock, ids: createIdGenerator(clock), observer: observability.observer });
    const running = await startServer({ storage: tenants.defaultStorage, tenants, config, logger: pino({ level: 'silent' }), observability });
    try {
      const http = client(running.url);
      expect((await http.get('/ready')).status).toBe(200);
      await database.drop();
      const down = await http.get('/ready');
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ ready: false, state: 'ready' });
      expect(down.body.checks.database).not.toBe('ok');
      expect(JSON.stringify(down.body)).not.toContain(database.name);
    } finally {
      await running.close();
      await tenants.close();
      await backend.close().catch(() => {});
      await database.drop();
    }
  });
});
