import { Periodic } from '../../storage/periodic.js';
import type { RetentionReport } from './service.js';

/** The few logger methods the sweeper uses (pino's). */
export interface SweeperLogger {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** What one sweep did in one tenant's database. */
export interface TenantSweep {
  tenant: string;
  report: RetentionReport;
}

/**
 * Runs the retention rules every `intervalMs`, in the background, over every tenant's database
 * (`run` sweeps them one after the other); runs never overlap (the next is scheduled when one
 * ends), a failed run is logged and the next one tries again, and `stop` waits for a run in
 * progress so that the databases are closed only after it.
 */
export class RetentionSweeper {
  private readonly job: Periodic;

  constructor(
    private readonly run: () => Promise<TenantSweep[]>,
    private readonly intervalMs: number,
    private readonly logger: SweeperLogger,
  ) {
    this.job = new Periodic(() => this.sweep(), intervalMs);
  }

  start(): void {
    if (this.intervalMs > 0) this.job.start();
  }

  private async sweep(): Promise<void> {
    try {
      for (const { tenant, report } of await this.run()) {
        const { expiredDeleted, idleEnded, endedDeleted, threadsDeleted, memoryItemsDeleted } = report;
        if (expiredDeleted.count + idleEnded.count + endedDeleted.count + threadsDeleted.count + memoryItemsDeleted > 0) {
          this.logger.info(
            { tenant, expiredDeleted: expiredDeleted.count, idleEnded: idleEnded.count, endedDeleted: endedDeleted.count, threadsDeleted: threadsDeleted.count, memoryItemsDeleted },
            'retention sweep',
          );
        }
      }
    } catch (error) {
      this.logger.error({ err: (error as Error)?.message ?? String(error) }, 'retention sweep failed; the next one will try again');
    }
  }

  /** Stops the schedule and waits for a sweep in progress. */
  stop(): Promise<void> {
    return this.job.stop();
  }
}
