import { type AgentStorageError, isTransient } from './errors.js';

/**
 * When a call is tried again. Only calls that are safe to repeat are retried at all: queries, and
 * writes that carry an idempotency key (the server answers a repeat with what it stored the first
 * time). Only transient failures are retried: no answer (NETWORK_ERROR), or UNAVAILABLE /
 * RATE_LIMITED (HTTP 503/429, or the GraphQL codes). The wait is what the server asked for
 * (`Retry-After`, `extensions.retryAfter`), else exponential backoff with jitter.
 */
export interface RetryOptions {
  /** Tries in all, the first included (default 4; 1 means never retry). */
  maxAttempts?: number;
  /** The first backoff step, in ms (default 200); each further one doubles, up to `maxDelayMs`. */
  baseDelayMs?: number;
  /** The longest backoff step, in ms (default 5,000). A longer `Retry-After` is still honoured, within the deadline. */
  maxDelayMs?: number;
  /** No retry starts later than this many ms after the call began (default 30,000): the last failure is thrown instead. */
  deadlineMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5_000, deadlineMs: 30_000 };

/** `false`: never retry; an object: its fields over `base`. A value out of range is a RangeError, at once. */
export function retryPolicy(options: RetryOptions | false | undefined, base: RetryPolicy = DEFAULT_RETRY): RetryPolicy {
  if (options === false) return { ...base, maxAttempts: 1 };
  const policy: RetryPolicy = {
    maxAttempts: options?.maxAttempts ?? base.maxAttempts,
    baseDelayMs: options?.baseDelayMs ?? base.baseDelayMs,
    maxDelayMs: options?.maxDelayMs ?? base.maxDelayMs,
    deadlineMs: options?.deadlineMs ?? base.deadlineMs,
  };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw new RangeError('retry.maxAttempts must be an integer of at least 1');
  for (const name of ['baseDelayMs', 'maxDelayMs', 'deadlineMs'] as const) {
    if (!(policy[name] >= 0) || !Number.isFinite(policy[name])) throw new RangeError(`retry.${name} must be a finite number of at least 0`);
  }
  return policy;
}

/**
 * A `Retry-After` header in ms: delay-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when
 * absent or unreadable. `now` is the client's clock (a date in the past means: now).
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only a date with a weekday or month name: Date.parse would also accept "1.5" or "2" as years.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The backoff before retry number `retry` (1 for the first): the exponential step, of which the
 * second half is random ("equal jitter": clients that failed together spread out, and none retries
 * at once — a server that accepts and drops a stream at once is no busy loop).
 */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(retry - 1, 30));
  return Math.floor(step / 2 + random() * (step / 2));
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** How long to wait before the next try, or null to give up and throw `error`. */
export function nextDelay(policy: RetryPolicy, error: AgentStorageError, failures: number, elapsedMs: number): number | null {
  if (failures >= policy.maxAttempts) return null;
  const delay = error.retryAfterMs ?? backoffMs(policy, failures);
  return elapsedMs + delay > policy.deadlineMs ? null : delay;
}

/**
 * Runs `attempt` until it succeeds, a failure is not transient, or the policy gives up (the last
 * failure is thrown). An abort ends the wait at once.
 */
export async function withRetries<T>(policy: RetryPolicy, signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let failures = 1; ; failures++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isTransient(error)) throw error;
      const delay = nextDelay(policy, error, failures, Date.now() - started);
      if (delay === null) throw error;
      await sleep(delay, signal);
    }
  }
}
