import { Periodic } from '../../storage/periodic.js';
import type { Blobs } from './blobs.js';

export interface BlobSweepLogger {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/**
 * The blobs' safety net, over every tenant's database: deletes blobs nothing references any more
 * (a deleted session's content went by cascade) and what interrupted uploads left behind, older
 * than the grace period. Every `intervalMs`, the first pass soon after start-up (a crash's leftovers
 * go early). Safe while uploads run: see `Blobs.sweep`.
 */
export class BlobSweeper {
  private readonly job: Periodic;

  constructor(
    /** Runs `work` on every tenant's blobs, one after the other (`Tenants.sweepAll`). */
    private readonly tenants: (work: (blobs: Blobs) => Promise<{ blobs: number; leftovers: number }>) => Promise<{ tenant: string; report: { blobs: number; leftovers: number } }[]>,
    intervalMs: number,
    private readonly graceMs: number,
    private readonly logger: BlobSweepLogger,
  ) {
    this.job = new Periodic(() => this.pass(), intervalMs, Math.min(intervalMs, 10_000));
  }

  start(): void {
    this.job.start();
  }

  private async pass(): Promise<void> {
    try {
      for (const { tenant, report } of await this.tenants((blobs) => blobs.sweep(this.graceMs, () => this.job.stopping))) {
        if (report.blobs > 0 || report.leftovers > 0) this.logger.info({ tenant, ...report }, 'blob sweep: removed unreferenced content');
      }
    } catch (error) {
      this.logger.error({ err: (error as Error)?.message ?? String(error) }, 'blob sweep failed; the next pass will try again');
    }
  }

  stop(): Promise<void> {
    return this.job.stop();
  }
}
