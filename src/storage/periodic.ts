/**
 * A background job of the server over its databases (the retention sweep, the search indexer): a
 * pass after `firstDelayMs`, then one `intervalMs` after each pass ends — passes never overlap —
 * until `stop`, which waits for a pass in progress, so that the databases are closed only after it.
 * Its timers never keep the process alive. A pass handles its own failures (it logs them).
 */
export class Periodic {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly firstDelayMs = intervalMs,
  ) {}

  /** Whether `stop` was called: a long pass checks it between its steps. */
  get stopping(): boolean {
    return this.stopped;
  }

  start(): void {
    this.schedule(this.firstDelayMs);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.pass().finally(() => {
        this.running = null;
        this.schedule(this.intervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
