import { describe, expect, it } from 'vitest';
import { memoryRateLimiter, rateLimitWindow } from '../../src/auth/rate-limit.js';
import { OPEN_ACCESS, type Principal } from '../../src/auth/principal.js';
import { RateLimitedError } from '../../src/domain/errors.js';

const settings = (perSecond: number, burst: number) => ({
  redisUrl: null,
  redisKeyPrefix: 'agent-storage:',
  auth: { rateLimitPerSecond: perSecond, rateLimitBurst: burst },
});
const key = (keyId: string, tenant = 'acme'): Principal => ({ ...OPEN_ACCESS, keyId, tenant, operator: false });

describe('rate limit windows (RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST)', () => {
  it('admit the burst per window, never more than the rate on average', () => {
    expect(rateLimitWindow(1, 3)).toEqual({ points: 3, duration: 3 });
    expect(rateLimitWindow(50, 100)).toEqual({ points: 100, duration: 2 }); // the default burst: twice the rate
    expect(rateLimitWindow(2, 3)).toEqual({ points: 3, duration: 2 }); // 1.5 a second on average
    expect(rateLimitWindow(50, 5)).toEqual({ points: 50, duration: 1 }); // a burst below the rate counts as the rate
    for (const [rate, burst] of [[1, 1], [3, 7], [10, 25], [1000, 1], [7, 7000]] as const) {
      const { points, duration } = rateLimitWindow(rate, burst);
      expect(Number.isInteger(duration) && duration >= 1).toBe(true);
      expect(points / duration).toBeLessThanOrEqual(rate);
      expect(points).toBe(Math.max(rate, burst));
    }
  });

  it('count per key, and refuse with a Retry-After of the window left', async () => {
    const limiter = memoryRateLimiter(settings(1, 3));
    for (let i = 0; i < 3; i++) await limiter.take(key('k1'));
    const refused = await limiter.take(key('k1')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBe(3);
    await limiter.take(key('k2')); // a budget of its own
    for (let i = 0; i < 10; i++) await limiter.take(OPEN_ACCESS); // no key (AUTH_MODE=none): no limit
  });

  it('are off at RATE_LIMIT_PER_SECOND=0', async () => {
    const limiter = memoryRateLimiter(settings(0, 1));
    for (let i = 0; i < 100; i++) await limiter.take(key('k1'));
  });
});
