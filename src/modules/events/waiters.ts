import type { EventTouch } from '../../domain/events.js';

/** A reader's wake-up: which sessions and agents got events (null: maybe any; see `EventTouch`). */
export type Wake = (touch: EventTouch | null) => void;

/**
 * How a backend hears of events appended by other processes (see `sqlite-poll.ts`,
 * `postgres-listen.ts`): started when the first reader waits, stopped when the last one leaves.
 */
export interface CrossProcessListener {
  start(): void;
  stop(): Promise<void>;
}

/**
 * The readers of one database's change feed waiting for events, and the wake-ups they get: at once
 * after this process commits events (the appender and the backends call `wake`), and soon after
 * another process does (the backend's cross-process listener, running only while anyone waits). A
 * wake-up carries no events — the reader reads them — only whom they concern, so that readers of
 * others need not look.
 */
export class EventWaiters {
  private readonly waiters = new Set<Wake>();
  private closed = false;

  /** `listener` is built over this set's `wake` (the backend owns the connection it uses). */
  private listener: CrossProcessListener | null = null;

  /** Sets how this database hears other processes; the backend calls it once, when it has its connections. */
  listenWith(listener: CrossProcessListener): void {
    this.listener = listener;
  }

  /** Calls `wake` whenever events may have been appended; returns the unsubscribe. */
  on(wake: Wake): () => void {
    if (this.closed) return () => {};
    this.waiters.add(wake);
    if (this.waiters.size === 1) this.listener?.start();
    return () => {
      if (!this.waiters.delete(wake) || this.waiters.size > 0) return;
      void this.listener?.stop();
    };
  }

  wake(touch: EventTouch | null): void {
    for (const wake of [...this.waiters]) wake(touch);
  }

  /** No more wake-ups: the database is closing. */
  async close(): Promise<void> {
    this.closed = true;
    this.waiters.clear();
    await this.listener?.stop();
  }
}
