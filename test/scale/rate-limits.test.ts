import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, AUTH_ENV, createKey, keyed } from '../support/auth.js';
import { tempDatabase } from '../support/fixtures.js';
import { type Service, startService } from '../support/process.js';

/**
 * Per-key rate limits over several real server processes on one database, as replicas behind a
 * load balancer: with REDIS_URL they share one budget (N replicas admit the limit once, not N
 * times); without it, or while Redis cannot be reached, each process counts on its own.
 *
 * No timing: RATE_LIMIT_PER_SECOND=1 with RATE_LIMIT_BURST=40 is a budget of 40 requests per
 * 40-second window (auth/rate-limit.ts), far longer than the requests below take.
 */

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const BUDGET = 40;
const LIMITS = { ...AUTH_ENV, RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: String(BUDGET) };

/** Sends `n` requests with `key`, alternating between the services; the statuses seen, counted. */
async function alternate(services: Service[], key: string, n: number): Promise<Record<number, number>> {
  const counts: Record<number, number> = {};
  for (let i = 0; i < n; i++) {
    const res = await keyed(services[i % services.length]!.url, key).get('/storage/sessions');
    counts[res.status] = (counts[res.status] ?? 0) + 1;
    if (res.status === 429) {
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(res.body.detail).toMatch(/Too many requests/);
    }
  }
  return counts;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('rate limits across server processes', () => {
  const db = tempDatabase();
  const prefix = `agent-storage-test:${randomBytes(6).toString('hex')}:`;
  const redis = new Redis(REDIS_URL);
  const started: Service[] = [];
  const start = async (env: Record<string, string>) => {
    const service = await startService({ DATABASE_URL: `sqlite:${db.filename}`, ...LIMITS, ...env });
    started.push(service);
    return service;
  };

  beforeAll(async () => {
    // The first one migrates the database; the others find it ready.
    await start({});
  }, 60_000);

  afterAll(async () => {
    const exits = await Promise.all(started.map((s) => s.stop()));
    expect(exits.map((e) => e.code)).toEqual(started.map(() => 0));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    db.cleanup();
  });

  it('with REDIS_URL, two processes admit one budget between them, kept in Redis under the prefix, tenant and key', async () => {
    const shared = { REDIS_URL, REDIS_KEY_PREFIX: prefix };
    const [a, b] = await Promise.all([start(shared), start(shared)]);
    const key = await createKey(a!.url, 'acme', ['READ']);
    expect(await alternate([a!, b!], key, 100)).toEqual({ 200: BUDGET, 429: 100 - BUDGET });
    // One counter, named after the tenant and the key (the admin key that created it has its own).
    const counters = await redis.keys(`${prefix}ratelimit:*`);
    expect(counters.filter((k) => k.startsWith(`${prefix}ratelimit:acme:`))).toHaveLength(1);
    expect(counters).toContain(`${prefix}ratelimit:default:bootstrap`);
    // Another key has a budget of its own, on both.
    const other = await createKey(b!.url, 'acme', ['READ']);
    expect(await alternate([a!, b!], other, 10)).toEqual({ 200: 10 });
  }, 60_000);

  it('another deployment on the same Redis (another REDIS_KEY_PREFIX) has budgets of its own', async () => {
    const elsewhere = await start({ REDIS_URL, REDIS_KEY_PREFIX: `${prefix}other:` });
    // The bootstrap key has the same id in every deployment: its budget must not be shared.
    expect(await alternate([elsewhere], ADMIN_KEY, 10)).toEqual({ 200: 10 });
  }, 60_000);

  it('without Redis, each process counts alone: two admit twice the budget', async () => {
    const [a, b] = await Promise.all([start({}), start({})]);
    const key = await createKey(a!.url, 'acme', ['READ']);
    expect(await alternate([a!, b!], key, 100)).toEqual({ 200: 2 * BUDGET, 429: 100 - 2 * BUDGET });
  }, 60_000);

  it('with a Redis that cannot be reached, a process starts, warns once, and limits on its own (no 500s)', async () => {
    const service = await start({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}`, REDIS_KEY_PREFIX: prefix });
    const key = await createKey(service.url, 'acme', ['READ']);
    expect(await alternate([service], key, 60)).toEqual({ 200: BUDGET, 429: 60 - BUDGET });
    const warnings = service.logs().filter((line) => /Redis is unreachable/.test(String(line.msg)));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, component: 'rate-limits' });
  }, 60_000);
});
