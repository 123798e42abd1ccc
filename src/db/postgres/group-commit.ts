import { type DatabaseObserver, NO_OBSERVER } from '../runner.js';

/**
 * Group commit for PostgreSQL. Every statement that writes events takes the `event_log` counter
 * row until it commits (see the migration of version 4), so writes with events commit one at a
 * time, each waiting for its own WAL flush; under concurrent writes that flush, not SQL, is the
 * price of a write. Writes of one kind that arrive while a batch of that kind is running wait and
 * then go together as one statement: one transaction, one counter update, one flush. Every caller
 * is answered only after that statement (an implicit transaction) committed: acknowledged still
 * means on disk.
 *
 * One batch runs at a time per queue and process, so writes to one session keep their arrival order.
 */
export class GroupCommitQueue<I, R> {
  private queue: Pending<I, R>[] = [];
  private running: Promise<void> | null = null;

  /**
   * @param run runs one batch and settles each of its writes (should it reject, see `aloneAfter`).
   * @param weight what a write counts towards `maxWeight` (rows, say).
   * @param maxWeight a batch stops growing at this weight (bounds one statement's parameters); a
   *   heavier write still goes, alone.
   * @param aloneAfter whether a batch that failed with this error is run again one write at a time,
   *   so that one bad write fails alone (not when the database itself failed: every write would
   *   only fail again). Without it, or when it says no, every write of the batch is refused with
   *   the error. Either way the queue goes on.
   * @param observer told the size of each batch (the runner's: `runner.observer`).
   */
  constructor(
    private readonly run: (batch: Pending<I, R>[]) => Promise<void>,
    private readonly weight: (item: I) => number,
    private readonly maxWeight: number,
    private readonly aloneAfter: (error: unknown) => boolean = () => false,
    private readonly observer: Pick<DatabaseObserver, 'groupCommitted'> = NO_OBSERVER,
  ) {}

  add(item: I): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      // Started on the next turn, not now: writes read from the same burst of sockets join the first batch too.
      this.running ??= new Promise((started) => setImmediate(started)).then(() => this.drainQueue());
    });
  }

  /** Resolves once every write queued so far has been answered. */
  async idle(): Promise<void> {
    await this.running;
  }

  private async drainQueue(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.take();
      this.observer.groupCommitted(batch.length);
      await this.run(batch).catch(async (error: unknown) => {
        if (batch.length > 1 && this.aloneAfter(error)) {
          for (const write of batch) await this.run([write]).catch((alone: unknown) => write.reject(alone));
        } else {
          for (const write of batch) write.reject(error);
        }
      });
    }
    this.running = null;
  }

  private take(): Pending<I, R>[] {
    let total = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || total + this.weight(this.queue[n]!.item) <= this.maxWeight)) {
      total += this.weight(this.queue[n]!.item);
      n++;
    }
    return this.queue.splice(0, n);
  }
}

/** One caller's write, waiting for the statement (and so the commit) that contains it. */
export interface Pending<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/** Rows (messages, metrics) per group-committed statement: bounds one statement's parameters. */
export const BATCH_ROWS = 1000;
