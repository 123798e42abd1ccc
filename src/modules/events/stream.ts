import { setImmediate as nextTurn } from 'node:timers/promises';
import { type EventScope, type StoredEvent, touches } from '../../domain/events.js';
import type { EventStore } from './store.js';
import type { EventWaiters } from './waiters.js';

/**
 * Events read per query while catching up; a stream keeps reading pages until it is level. It bounds
 * what one stream holds in memory and how long one read runs (on SQLite, synchronously).
 */
export const EVENT_PAGE_SIZE = 200;

/**
 * Streams share the event loop with every other request. Delivering a replay goes from event to
 * event in promise callbacks only (a SQLite read and an unblocked socket write never wait for I/O),
 * so a few large replays would hold the loop until they are done and `/health` or any other
 * request would wait that long. Every stream of the process therefore lets the loop turn (timers,
 * I/O, other requests) once the streams together have run this long without it. Process-wide on
 * purpose: the loop is, and a per-stream budget would grow with the number of streams.
 */
const TURN_BUDGET_MS = 10;
let turnStarted = performance.now();
let nextTurnPending: Promise<void> | null = null;

function yieldIfBusy(): Promise<void> | undefined {
  if (performance.now() - turnStarted < TURN_BUDGET_MS) return undefined;
  // One setImmediate for every stream that finds the budget spent: they all resume after the loop's poll phase.
  nextTurnPending ??= nextTurn().then(() => {
    turnStarted = performance.now();
    nextTurnPending = null;
  });
  return nextTurnPending;
}

/**
 * One subscriber's stream of events: replay, then live — from the database, the source of truth.
 *
 * It listens for wake-ups (`EventWaiters`) before it reads anything, then reads pages of events
 * after its cursor until it is level, then waits for a wake-up and reads again after the last event
 * it delivered. Whatever is committed while it reads either is in the page or wakes it afterwards,
 * and the store hands out seqs in commit order: nothing is skipped, nothing delivered twice.
 *
 * `return()` (a client going away) and the abort `signal` (server shutdown) end it at once, even
 * while it waits: it then stops listening and calls `onFinish` — exactly once.
 */
export class EventStream implements AsyncIterableIterator<StoredEvent> {
  private buffer: StoredEvent[] = [];
  /** Read before waiting: at first (the replay), and after every wake-up. */
  private stale = true;
  private wakeUp: (() => void) | null = null;
  private finished = false;
  private readonly stopListening: () => void;
  private readonly onAbort = () => this.finish();

  constructor(
    private readonly store: EventStore,
    waiters: EventWaiters,
    private readonly scope: EventScope,
    /** The seq of the last event delivered (or skipped by choice: the start of a live-only stream). */
    private cursor: number,
    private readonly signal: AbortSignal,
    private readonly onFinish: () => void = () => {},
  ) {
    this.stopListening = waiters.on((touch) => {
      if (!touches(touch, scope)) return; // another session's or agent's events
      this.stale = true;
      this.wakeUp?.();
    });
    if (signal.aborted) this.finish();
    else signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Where the stream starts, decided after it listens (see EventService.subscribe); before the first `next()`. */
  startAt(seq: number): void {
    this.cursor = seq;
  }

  async next(): Promise<IteratorResult<StoredEvent, undefined>> {
    try {
      while (!this.finished) {
        if (this.buffer.length === 0 && !this.stale) {
          await new Promise<void>((resolve) => {
            this.wakeUp = resolve;
          });
          this.wakeUp = null;
          continue;
        }
        // An event to deliver or a page to read: first let other requests through if streams held the loop long enough.
        await yieldIfBusy();
        if (this.finished) break;
        if (this.buffer.length > 0) return { value: this.buffer.shift()!, done: false };
        this.stale = false;
        const page = await this.store.after(this.scope, this.cursor, EVENT_PAGE_SIZE);
        if (this.finished) break;
        if (page.length > 0) {
          this.buffer = page;
          this.cursor = page.at(-1)!.seq;
          // A full page: more may follow without any wake-up.
          if (page.length === EVENT_PAGE_SIZE) this.stale = true;
        }
      }
    } catch (error) {
      // The database failed: the stream ends with the error; the client resumes from its cursor.
      this.finish();
      throw error;
    }
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<StoredEvent, undefined>> {
    this.finish();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.buffer = [];
    this.stopListening();
    this.signal.removeEventListener('abort', this.onAbort);
    this.wakeUp?.();
    this.onFinish();
  }
}
