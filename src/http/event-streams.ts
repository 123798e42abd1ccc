import { UnavailableError } from '../domain/errors.js';

/**
 * The event streams (REST SSE and GraphQL subscriptions) one server process has open, whatever
 * tenant's storage each reads: at most `max` at once — each holds a connection and wakes on every
 * commit — and all of them ended at once when the server shuts down, instead of keeping it waiting
 * for SHUTDOWN_TIMEOUT_MS. One per server (created by `createApp`), never module-global.
 */
export class EventStreams {
  private readonly open = new Set<AbortController>();
  private closed = false;

  constructor(private readonly max: number) {}

  /** How many streams are open. */
  get size(): number {
    return this.open.size;
  }

  /**
   * A place for one more stream: its `signal` aborts on shutdown, `release` frees the place (call
   * it when the stream ends, however it ends; twice is harmless). Full or shutting down: 503.
   */
  admit(): { signal: AbortSignal; release: () => void } {
    if (this.closed) throw new UnavailableError('The server is shutting down; reconnect to another replica', 1);
    if (this.open.size >= this.max) {
      throw new UnavailableError(`Too many open event streams (${this.max}, MAX_EVENT_STREAMS); retry later`, 5);
    }
    const controller = new AbortController();
    this.open.add(controller);
    return { signal: controller.signal, release: () => void this.open.delete(controller) };
  }

  /** Ends every open stream and admits no more. */
  closeAll(): void {
    this.closed = true;
    for (const controller of [...this.open]) controller.abort();
    this.open.clear();
  }
}
