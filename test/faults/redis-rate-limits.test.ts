import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_ENV, createKey, keyed } from '../support/auth.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Rate limits on Redis while Redis goes away and comes back: a Redis server of the test's own
 * (the machine's shared one must stay up for other tests), killed and restarted on the same port.
 * Requests are never refused for Redis's sake: they are counted in the process meanwhile.
 * Budgets are large windows (1 a second, burst 30: 30 requests per 30 s), so nothing depends on timing.
 */

const BUDGET = 30;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections/.test(output)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
  });
  return child;
}

async function statuses(server: TestServer, key: string, n: number): Promise<Record<number, number>> {
  const counts: Record<number, number> = {};
  for (let i = 0; i < n; i++) {
    const { status } = await keyed(server.url, key).get('/storage/sessions');
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

describe.skipIf(process.platform === 'win32')('rate limits when Redis goes away', () => {
  let port: number;
  let redisServer: ChildProcess;
  let server: TestServer;
  let redis: Redis;

  beforeAll(async () => {
    port = await freePort();
    redisServer = await startRedis(port);
    redis = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
    redis.on('error', () => {});
    server = await startTestServer({
      ...AUTH_ENV,
      RATE_LIMIT_PER_SECOND: '1',
      RATE_LIMIT_BURST: String(BUDGET),
      REDIS_URL: `redis://127.0.0.1:${port}`,
    });
  }, 30_000);

  afterAll(async () => {
    await server?.close();
    redis?.disconnect();
    redisServer?.kill('SIGKILL');
  });

  it('counts on Redis, then in the process while Redis is down (no 500s), then on Redis again', async () => {
    const key = await createKey(server.url, 'acme', ['READ']);
    expect(await statuses(server, key, 10)).toEqual({ 200: 10 });
    await redis.connect();
    const [counter] = await redis.keys('agent-storage:ratelimit:acme:*');
    expect(await redis.get(counter!)).toBe('10');
    redis.disconnect();

    // Down: requests are counted in the process, from a fresh budget.
    redisServer.kill('SIGKILL');
    await once(redisServer, 'exit');
    expect(await statuses(server, key, BUDGET + 10)).toEqual({ 200: BUDGET, 429: 10 });

    // Back (empty): once the server has reconnected, requests are counted on Redis again.
    redisServer = await startRedis(port);
    const again = new Redis(`redis://127.0.0.1:${port}`);
    try {
      let counted: string | null = null;
      for (let i = 0; i < 200 && counted === null; i++) {
        await keyed(server.url, key).get('/storage/sessions');
        counted = await again.get(counter!);
        if (counted === null) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(counted).not.toBeNull();
    } finally {
      again.disconnect();
    }
  }, 60_000);

  it('a Redis that hangs (connected, never answering) costs one short wait, not one per request', async () => {
    const key = await createKey(server.url, 'acme', ['READ']);
    redisServer.kill('SIGSTOP');
    try {
      const started = performance.now();
      expect(await statuses(server, key, 100)).toEqual({ 200: BUDGET, 429: 100 - BUDGET });
      // Each waiting out the Redis timeout (200 ms), 100 requests would take 20 s; they take well
      // under one here (a bound far from both, so that a slow machine does not fail it).
      expect(performance.now() - started).toBeLessThan(8000);
    } finally {
      redisServer.kill('SIGCONT');
    }
  }, 60_000);
});
