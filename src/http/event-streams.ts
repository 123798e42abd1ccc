import { REVOCATION_DELAY_MS } from '../auth/authenticate.js';
import type { Principal } from '../auth/principal.js';
import type { EventsConfig } from '../config.js';
import { DomainError, ForbiddenError, RateLimitedError, UnauthenticatedError, UnavailableError } from '../domain/errors.js';

/** Seconds a refused client is told to wait: about as long as a client takes to notice its stream ended. */
const RETRY_AFTER_SECONDS = 5;

type Limits = Pick<EventsConfig, 'maxStreams' | 'maxStreamsPerKey' | 'maxStreamsPerTenant'>;

export interface KeyChecks {
  /**
   * What the key of a principal admitted earlier allows now, looked up afresh; null once it is
   * revoked (Authenticator.current). Default: keys never change.
   */
  current?: (principal: Principal) => Promise<Principal | null>;
  /** How often open streams have their key looked up again (default: the revocation delay, 5 s). */
  intervalMs?: number;
}

export interface Ticket {
  /**
   * Aborts when the stream must end: on shutdown (no reason of ours), or when its key may no
   * longer read — with that reason as a DomainError (see `endReason`), which the door tells the
   * client before it closes.
   */
  signal: AbortSignal;
  /** Frees the place: call it when the stream ends, however it ends (twice is harmless). */
  release: () => void;
}

interface OpenStream {
  controller: AbortController;
  principal: Principal;
}

/** Why the server ended a stream, for the client to learn (a revoked key); null when it was not ended so. */
export function endReason(signal: AbortSignal): DomainError | null {
  return signal.aborted && signal.reason instanceof DomainError ? signal.reason : null;
}

/**
 * The event streams (REST SSE and GraphQL subscriptions) one server process has open, whatever
 * tenant's storage each reads, and the rules they live by — the same for both doors:
 *
 * - At most `maxStreams` at once (each holds a connection and wakes on every commit), of which
 *   one API key holds at most `maxStreamsPerKey` and the keys of one tenant at most
 *   `maxStreamsPerTenant`, so that nobody can take every place.
 * - A stream lasts only as long as its key may read. A request is authenticated once, but a
 *   stream goes on: the keys of open streams are looked up again every `intervalMs` (the
 *   documented revocation delay), and a revocation made in this process ends them at once
 *   (`endKey`). Ended so, its signal aborts with the reason.
 * - All of them end at once when the server shuts down, instead of keeping it waiting for
 *   SHUTDOWN_TIMEOUT_MS.
 *
 * One per server (created by `createApp`), never module-global.
 */
export class EventStreams {
  private readonly open = new Set<OpenStream>();
  private readonly perKey = new Map<string, number>();
  private readonly perTenant = new Map<string, number>();
  private readonly current: (principal: Principal) => Promise<Principal | null>;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private checking = false;
  private closed = false;

  constructor(
    private readonly limits: Limits,
    { current = async (principal) => principal, intervalMs = REVOCATION_DELAY_MS }: KeyChecks = {},
  ) {
    this.current = current;
    this.intervalMs = intervalMs;
  }

  /** How many streams are open. */
  get size(): number {
    return this.open.size;
  }

  /**
   * A place for one more stream of `principal` (see `Ticket`). The key's or the tenant's share
   * used up: 429 (RATE_LIMITED) — the caller holds its places, other clients are still served.
   * The process full or shutting down: 503.
   */
  admit(principal: Principal): Ticket {
    if (this.closed) throw new UnavailableError('The server is shutting down; reconnect to another replica', 1);
    // Without authentication (AUTH_MODE=none) there is one caller: only the process's cap applies.
    const keyId = principal.keyId;
    if (keyId !== null) {
      const { maxStreamsPerKey, maxStreamsPerTenant } = this.limits;
      if ((this.perKey.get(keyId) ?? 0) >= maxStreamsPerKey) {
        throw new RateLimitedError(
          RETRY_AFTER_SECONDS,
          `Too many open event streams for this API key (${maxStreamsPerKey}, MAX_EVENT_STREAMS_PER_KEY): close one of them first`,
        );
      }
      if ((this.perTenant.get(principal.tenant) ?? 0) >= maxStreamsPerTenant) {
        throw new RateLimitedError(
          RETRY_AFTER_SECONDS,
          `Too many open event streams for tenant "${principal.tenant}" (${maxStreamsPerTenant}, MAX_EVENT_STREAMS_PER_TENANT): close one of them first`,
        );
      }
    }
    if (this.open.size >= this.limits.maxStreams) {
      throw new UnavailableError(`Too many open event streams (${this.limits.maxStreams}, MAX_EVENT_STREAMS); retry later`, RETRY_AFTER_SECONDS);
    }
    const stream: OpenStream = { controller: new AbortController(), principal };
    this.open.add(stream);
    if (keyId !== null) {
      add(this.perKey, keyId, 1);
      add(this.perTenant, principal.tenant, 1);
      this.timer ??= setInterval(() => void this.recheck(), this.intervalMs).unref();
    }
    return { signal: stream.controller.signal, release: () => this.release(stream) };
  }

  /** Ends the streams of a key revoked in this process, at once. */
  endKey(keyId: string): void {
    for (const stream of [...this.open]) if (stream.principal.keyId === keyId) this.end(stream, revoked());
  }

  /** Ends every open stream and admits no more. */
  closeAll(): void {
    this.closed = true;
    for (const stream of [...this.open]) this.end(stream);
  }

  /** Looks up the key of every open stream again (once per key), and ends the streams of those that may no longer read. */
  private async recheck(): Promise<void> {
    // A look-up slower than the interval: the next tick comes after it, not beside it.
    if (this.checking) return;
    this.checking = true;
    try {
      const byKey = new Map<string, OpenStream[]>();
      for (const stream of this.open) {
        const { keyId } = stream.principal;
        if (keyId === null) continue;
        const streams = byKey.get(keyId);
        if (streams) streams.push(stream);
        else byKey.set(keyId, [stream]);
      }
      for (const streams of byKey.values()) {
        const then = streams[0]!.principal;
        let now: Principal | null;
        try {
          now = await this.current(then);
        } catch {
          // The database did not answer: that revokes nothing (the streams, reading the same
          // database, fail by themselves if it stays away); the next tick asks again.
          continue;
        }
        const reason = now === null || now.tenant !== then.tenant ? revoked() : now.scopes.has('read') ? null : unreadable();
        if (reason) for (const stream of streams) this.end(stream, reason);
      }
    } finally {
      this.checking = false;
    }
  }

  private end(stream: OpenStream, reason?: DomainError): void {
    stream.controller.abort(reason);
    this.release(stream);
  }

  private release(stream: OpenStream): void {
    if (!this.open.delete(stream)) return;
    const { keyId, tenant } = stream.principal;
    if (keyId === null) return;
    add(this.perKey, keyId, -1);
    add(this.perTenant, tenant, -1);
    if (this.perKey.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}

// The key authenticated the request that opened the stream, so saying why it ended tells its
// holder nothing new (unlike a refused request, which says only "Invalid API key").
const revoked = () => new UnauthenticatedError('The API key was revoked: the stream has ended');
const unreadable = () => new ForbiddenError('The API key no longer has the "read" scope: the stream has ended');

/** Adds `delta` to a count, forgetting it at zero (so that the maps hold only current holders). */
function add(counts: Map<string, number>, name: string, delta: number): void {
  const count = (counts.get(name) ?? 0) + delta;
  if (count > 0) counts.set(name, count);
  else counts.delete(name);
}
