import { setImmediate as nextTurn } from 'node:timers/promises';
import { Periodic } from '../../storage/periodic.js';
import type { SearchService } from './service.js';

export interface IndexerLogger {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/**
 * Indexes, in the background, the messages that are not in the search index yet: those stored
 * before the index existed (a database migrated from schema version 8) or while SEARCH_INDEX was
 * off. A batch at a time (one short transaction each, a turn of the event loop between them), so
 * appends go on meanwhile; at start-up and then every `intervalMs`, over every tenant's database.
 * New messages need none of this: they are indexed in their own write.
 */
export class SearchIndexer {
  private readonly job: Periodic;

  constructor(
    // Again and again, not only at start-up: during a rolling upgrade, replicas of the previous version
    // still write records without their words.
    /** Runs `work` on every tenant's search, one after the other (`Tenants.sweepAll`). */
    private readonly tenants: (work: (search: SearchService) => Promise<number>) => Promise<{ tenant: string; report: number }[]>,
    intervalMs: number,
    private readonly logger: IndexerLogger,
  ) {
    this.job = new Periodic(() => this.pass(), intervalMs, 0);
  }

  start(): void {
    this.job.start();
  }

  private async pass(): Promise<void> {
    try {
      const passes = await this.tenants(async (search) => {
        let indexed = 0;
        for (let n = await search.indexPending(); n > 0 && !this.job.stopping; n = await search.indexPending()) {
          indexed += n;
          await nextTurn();
        }
        return indexed;
      });
      for (const { tenant, report: indexed } of passes) {
        if (indexed > 0) this.logger.info({ tenant, indexed }, 'search index: indexed records stored before it');
      }
    } catch (error) {
      this.logger.error({ err: (error as Error)?.message ?? String(error) }, 'search indexing failed; the next pass will try again');
    }
  }

  /** Stops the schedule and waits for a pass in progress (it stops after its current batch). */
  stop(): Promise<void> {
    return this.job.stop();
  }
}
