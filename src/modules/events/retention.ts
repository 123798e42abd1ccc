import type { Logger } from 'pino';
import { type Clock, isoTime } from '../../domain/clock.js';
import type { Tenants } from '../../storage/tenants.js';

/** How often the pruner looks for events older than the retention window. */
export const PRUNE_INTERVAL_MS = 10 * 60_000;

/**
 * Prunes the events of every tenant's database older than `retentionMs` in the background: at
 * start, then every `intervalMs`, in bounded batches (EventService.prune). Event
 * times are the database's commit times, so `clock` is the wall clock in production. Returns the
 * stop function; a failed round is logged and tried again at the next tick.
 */
export function startEventPruning(
  tenants: Pick<Tenants, 'sweepAll'>,
  { retentionMs, clock, logger, intervalMs = PRUNE_INTERVAL_MS }: { retentionMs: number; clock: Clock; logger: Logger; intervalMs?: number },
): () => void {
  let running: Promise<void> | null = null;
  const round = () => {
    if (running) return;
    const before = isoTime(clock.now() - retentionMs);
    running = tenants
      .sweepAll((storage) => storage.events.prune(before))
      .then((rounds) => {
        for (const { tenant, report: pruned } of rounds) if (pruned > 0) logger.info({ tenant, pruned, retentionMs }, 'pruned old events');
      })
      .catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'pruning old events failed; retrying later'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(round, intervalMs);
  timer.unref();
  round();
  return () => clearInterval(timer);
}
