import { RateLimitedError } from '../domain/errors.js';

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept at most; idle ones are full anyway, so dropping them changes nothing. */
const MAX_BUCKETS = 100_000;

/**
 * Per-key request budgets (token buckets): `perSecond` requests per second on average, up to
 * `burst` at once. Kept in this process: with N replicas a key gets up to N times the rate.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one request from the key's budget, or throws `RateLimitedError` saying when to retry. */
  take(keyId: string): void {
    if (this.perSecond <= 0) return;
    const now = this.now();
    let bucket = this.buckets.get(keyId);
    if (!bucket) {
      if (this.buckets.size >= MAX_BUCKETS) this.dropFull(now);
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(keyId, bucket);
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      throw new RateLimitedError(Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond)));
    }
    bucket.tokens -= 1;
  }

  private dropFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(key);
    }
    if (this.buckets.size >= MAX_BUCKETS) this.buckets.clear();
  }
}
