import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import { RateLimitedError } from '../domain/errors.js';
import type { Principal } from './principal.js';

/**
 * Per-key request budgets (RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST), counted by
 * rate-limiter-flexible: in this process by default, on Redis when REDIS_URL is set, so that the
 * limit holds across replicas (N replicas admit the rate once, not N times).
 *
 * **Burst mapping.** rate-limiter-flexible counts fixed windows ("points per duration", each key's
 * window starting with its first request), not token buckets. A key gets
 * `points = max(burst, rate)` requests per window of `ceil(points / rate)` seconds:
 * - the average never exceeds the rate (`points / window ≤ rate`), and a fresh window admits at most
 *   `points` at once: with the default burst (twice the rate) or any burst that is a multiple of the
 *   rate, exactly the documented rate and burst;
 * - what differs from the token bucket this replaced: the spent budget comes back whole when the
 *   window ends, not a token at a time (`Retry-After` says when: up to the window's length); right
 *   across a window's end a key can make up to twice `points` requests; a burst below the rate
 *   cannot be honoured with whole-second windows (Redis expiries), so it counts as the rate.
 *
 * **Redis keys**: `<REDIS_KEY_PREFIX>ratelimit:<tenant>:<key id>`, so that tenants and deployments
 * sharing a Redis never share a budget (the bootstrap key has the same id in every deployment).
 *
 * **When Redis fails** (down, unreachable, or slower than COMMAND_TIMEOUT_MS) the request is
 * counted in this process instead, with the same limits (a warning is logged once, and a line
 * when Redis is back). Not failing open: an outage must not lift every limit at once, which is
 * when a runaway client hurts most; not failing closed either (a 500 or 503 for everyone) — limits
 * protect the service, and the database is still up. The cost: while Redis is away, N replicas
 * admit up to N times the rate. After a failure Redis is left alone for RETRY_REDIS_AFTER_MS, so
 * that a Redis that hangs delays one request now and then, not every request.
 * (rate-limiter-flexible's `insuranceLimiter` option does the switch but says nothing when it
 * happens and asks Redis again on every request: this is that, plus the warning and the pause.)
 */

/** How long one Redis call may take before the request is counted in this process instead. */
const COMMAND_TIMEOUT_MS = 200;
/** After a failed Redis call, requests are counted in this process for this long. */
const RETRY_REDIS_AFTER_MS = 5000;

export interface RateLimitWindow {
  /** Requests per window. */
  points: number;
  /** The window's length, in whole seconds. */
  duration: number;
}

/** The fixed window standing for a token bucket of `perSecond` and `burst` (see above). */
export function rateLimitWindow(perSecond: number, burst: number): RateLimitWindow {
  const points = Math.max(burst, perSecond);
  return { points, duration: Math.ceil(points / perSecond) };
}

export interface RateLimiter {
  /** Takes one request from the key's budget, or throws `RateLimitedError` saying when to retry. */
  take(principal: Principal): Promise<void>;
  close(): Promise<void>;
}

type LimitSettings = Pick<Config, 'redisUrl' | 'redisKeyPrefix'> & { auth: Pick<Config['auth'], 'rateLimitPerSecond' | 'rateLimitBurst'> };

const NO_LIMITS: RateLimiter = { take: async () => {}, close: async () => {} };

const refused = (res: RateLimiterRes) => new RateLimitedError(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));

/** Counts in this process only (also what `createApp` uses unless given a limiter). */
export function memoryRateLimiter(config: LimitSettings): RateLimiter {
  const { rateLimitPerSecond: perSecond, rateLimitBurst: burst } = config.auth;
  if (perSecond <= 0) return NO_LIMITS;
  const memory = new RateLimiterMemory(rateLimitWindow(perSecond, burst));
  return {
    take: (principal) => consume(memory, principal),
    close: async () => {},
  };
}

function keyOf(principal: Principal): string | null {
  return principal.keyId === null ? null : `${principal.tenant}:${principal.keyId}`;
}

async function consume(limiter: { consume(key: string): Promise<RateLimiterRes> }, principal: Principal): Promise<void> {
  const key = keyOf(principal);
  if (key === null) return;
  try {
    await limiter.consume(key);
  } catch (error) {
    throw error instanceof RateLimiterRes ? refused(error) : error;
  }
}

/**
 * The server's limiter: on Redis when REDIS_URL is set (connected before this resolves, or, if it
 * cannot be reached, counting in this process until it can), else in this process.
 */
export async function openRateLimiter(config: LimitSettings, logger: Logger): Promise<RateLimiter> {
  const { rateLimitPerSecond: perSecond, rateLimitBurst: burst } = config.auth;
  if (perSecond <= 0 || config.redisUrl === null) return memoryRateLimiter(config);
  // Loaded only when configured (see storage/open.ts).
  const { Redis } = await import('ioredis');
  const redis: Redis = new Redis(config.redisUrl, {
    lazyConnect: true,
    connectTimeout: 2000,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // While disconnected, a call fails at once (and the request is counted here) instead of
    // waiting in a queue for the reconnection.
    enableOfflineQueue: false,
  });
  const log = logger.child({ component: 'rate-limits' });
  // ioredis reconnects by itself; an outage is reported below, once.
  redis.on('error', () => {});
  const window = rateLimitWindow(perSecond, burst);
  const shared = new RateLimiterRedis({ ...window, storeClient: redis, keyPrefix: `${config.redisKeyPrefix}ratelimit` });
  const local = new RateLimiterMemory(window);
  let failedAt: number | null = null;
  const failed = (error: unknown) => {
    if (failedAt === null) {
      log.warn({ err: (error as Error)?.message ?? String(error) }, 'Redis is unreachable: each process counts rate limits on its own until it is back');
    }
    failedAt = performance.now();
  };
  const back = () => {
    if (failedAt !== null) log.info('Redis is back: rate limits are shared across processes again');
    failedAt = null;
  };
  redis.on('ready', back);
  try {
    await redis.connect();
  } catch (error) {
    failed(error);
  }
  return {
    async take(principal) {
      if (keyOf(principal) === null) return;
      if (failedAt === null || performance.now() - failedAt >= RETRY_REDIS_AFTER_MS) {
        try {
          await consume(shared, principal);
          back();
          return;
        } catch (error) {
          if (!(error instanceof RateLimitedError)) failed(error);
          else {
            back();
            throw error;
          }
        }
      }
      await consume(local, principal);
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
