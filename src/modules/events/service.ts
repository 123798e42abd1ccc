import { CursorExpiredError, ValidationError } from '../../domain/errors.js';
import { decodeEventCursor, type FeedScope, feedScope } from '../../domain/events.js';
import type { EventStore } from './store.js';
import { EventStream } from './stream.js';
import type { EventWaiters } from './waiters.js';

/**
 * The change feed's operations, shared by the REST (SSE) and GraphQL (subscription) doors, over
 * one tenant's database: opening a subscriber's stream, and pruning old events.
 */
export class EventService {
  constructor(
    private readonly store: EventStore,
    private readonly waiters: EventWaiters,
    /** Throws NOT_FOUND unless the session exists (and is live): a session's feed is opened only for one. */
    private readonly requireSession: (sessionId: string) => Promise<unknown>,
  ) {}

  /**
   * A stream of the events of a session, an agent or a LangGraph thread (see `EventStream`). With `after` (an event's
   * cursor) it first replays the events after it, then continues live; without, it starts with the
   * next event committed. Checked before anything streams: an unknown session is NOT_FOUND (an
   * agent needs no sessions yet, a LangGraph thread no checkpoints), a malformed cursor or one this
   * database never gave out is BAD_USER_INPUT, a cursor older than the retention window is
   * CURSOR_EXPIRED. The stream ends
   * when `signal` aborts or the consumer returns; `onFinish` is called then (also when refused).
   */
  async subscribe(
    scope: FeedScope,
    after: string | null,
    { signal, onFinish = () => {} }: { signal: AbortSignal; onFinish?: () => void },
  ): Promise<EventStream> {
    let stream: EventStream | undefined;
    try {
      const afterSeq = after === null ? null : decodeEventCursor(after);
      if (after !== null && afterSeq === null) throw new ValidationError([{ path: ['after'], message: 'is not an event cursor' }]);
      if ('sessionId' in scope) await this.requireSession(scope.sessionId);
      // Listening before the log is read: whatever commits after this point wakes the stream.
      // (A LangGraph thread's feed needs no thread yet: its first put creates it.)
      stream = new EventStream(this.store, this.waiters, feedScope(scope), 0, signal, onFinish);
      const log = await this.store.log();
      if (afterSeq !== null && afterSeq > log.lastSeq) {
        throw new ValidationError([{ path: ['after'], message: 'is not a cursor of this event feed' }]);
      }
      // Pruned events after the cursor would be skipped silently: refuse instead.
      if (afterSeq !== null && afterSeq < log.prunedThrough) throw new CursorExpiredError();
      stream.startAt(afterSeq ?? log.lastSeq);
      return stream;
    } catch (error) {
      if (stream) await stream.return();
      else onFinish();
      throw error;
    }
  }

  /**
   * Deletes events committed before `before`, in batches of `batchSize` (each its own short write,
   * so writers are never held up for long); how many. Cursors at or before the newest pruned event
   * are expired from then on.
   */
  async prune(before: string, batchSize = 1000): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.store.prune(before, batchSize);
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }
}
