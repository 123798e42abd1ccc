import type { Principal } from '../auth/principal.js';
import type { EventsConfig } from '../config.js';
import { RateLimitedError, UnavailableError } from '../domain/errors.js';

/** Seconds a refused client is told to wait: about as long as a client takes to notice its stream ended. */
const RETRY_AFTER_SECONDS = 5;

type Limits = Pick<EventsConfig, 'maxStreams' | 'maxStreamsPerKey' | 'maxStreamsPerTenant'>;

interface OpenStream {
  controller: AbortController;
  principal: Principal;
}

/**
 * The event streams (REST SSE and GraphQL subscriptions) one server process has open, whatever
 * tenant's storage each reads: at most `maxStreams` at once — each holds a connection and wakes on
 * every commit — of which one API key holds at most `maxStreamsPerKey` and the keys of one tenant
 * at most `maxStreamsPerTenant`, so that nobody can take every place. All of them end at once when
 * the server shuts down, instead of keeping it waiting for SHUTDOWN_TIMEOUT_MS. One per server
 * (created by `createApp`), never module-global.
 */
export class EventStreams {
  private readonly open = new Set<OpenStream>();
  private readonly perKey = new Map<string, number>();
  private readonly perTenant = new Map<string, number>();
  private closed = false;

  constructor(private readonly limits: Limits) {}

  /** How many streams are open. */
  get size(): number {
    return this.open.size;
  }

  /**
   * A place for one more stream of `principal`: its `signal` aborts on shutdown, `release` frees
   * the place (call it when the stream ends, however it ends; twice is harmless). The key's or the
   * tenant's share used up: 429 (RATE_LIMITED) — the caller holds its places, other clients are
   * still served. The process full or shutting down: 503.
   */
  admit(principal: Principal): { signal: AbortSignal; release: () => void } {
    if (this.closed) throw new UnavailableError('The server is shutting down; reconnect to another replica', 1);
    // Without authentication (AUTH_MODE=none) there is one caller: only the process's cap applies.
    const keyed = principal.keyId !== null;
    if (keyed) {
      const { maxStreamsPerKey, maxStreamsPerTenant } = this.limits;
      if ((this.perKey.get(principal.keyId!) ?? 0) >= maxStreamsPerKey) {
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
    if (keyed) {
      add(this.perKey, principal.keyId!, 1);
      add(this.perTenant, principal.tenant, 1);
    }
    return { signal: stream.controller.signal, release: () => this.release(stream) };
  }

  /** Ends every open stream and admits no more. */
  closeAll(): void {
    this.closed = true;
    for (const stream of [...this.open]) {
      stream.controller.abort();
      this.release(stream);
    }
  }

  private release(stream: OpenStream): void {
    if (!this.open.delete(stream)) return;
    const { keyId, tenant } = stream.principal;
    if (keyId !== null) {
      add(this.perKey, keyId, -1);
      add(this.perTenant, tenant, -1);
    }
  }
}

/** Adds `delta` to a count, forgetting it at zero (so that the maps hold only current holders). */
function add(counts: Map<string, number>, name: string, delta: number): void {
  const count = (counts.get(name) ?? 0) + delta;
  if (count > 0) counts.set(name, count);
  else counts.delete(name);
}
