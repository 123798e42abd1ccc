import { isoTime } from '../domain/clock.js';
import type { RetentionKey, RetentionRule } from '../modules/retention/rules.js';
import type { StorageBackend } from './backend.js';

/**
 * Retention: which sessions the service ends or removes by itself, and when.
 *
 * Three rules, applied in this order on every run:
 * 1. expired sessions (`expiresAt` at or before now) are deleted — always;
 * 2. `active`/`paused` sessions idle for `idleHours` (no update of the session and no append since)
 *    are ended (status `ended`, `updatedAt` now) — when configured;
 * 3. `ended` sessions not updated for `deleteEndedDays` are deleted — when configured.
 * Deletion cascades as usual (history, state, artifacts; metrics stay; forks forget their parent).
 *
 * The work goes in bounded batches: a keyset walk through an index picks at most `batchSize`
 * sessions at a time, and each is ended or deleted by the backend's own `updateSession` /
 * `deleteSession` (so whatever those do besides — change events — happens here too), with the rule
 * re-checked inside the write: a session that a client touched since it was picked is left alone.
 * On SQLite a batch is one group-commit transaction, so no sweep holds the write lock for long.
 */
export interface RetentionPolicy {
  /** End `active`/`paused` sessions idle this many hours; null: never. */
  idleHours: number | null;
  /** Delete `ended` sessions last updated more than this many days ago; null: never. */
  deleteEndedDays: number | null;
  /** Sessions picked (and ended or deleted) per batch. */
  batchSize: number;
  /** Most session ids a report lists per rule (the counts are always complete). */
  reportIds: number;
}

export const DEFAULT_RETENTION_POLICY: RetentionPolicy = { idleHours: null, deleteEndedDays: null, batchSize: 100, reportIds: 1000 };

/** What one rule did (or, in a dry run, would do): how many sessions, and the first `reportIds` of them. */
export interface RetentionOutcome {
  count: number;
  ids: string[];
}

export interface RetentionReport {
  dryRun: boolean;
  /** The moment the rules were applied at. */
  ranAt: string;
  /** Expired sessions deleted. */
  expiredDeleted: RetentionOutcome;
  /** Idle sessions ended. */
  idleEnded: RetentionOutcome;
  /** Long-ended sessions deleted. */
  endedDeleted: RetentionOutcome;
}

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Applies the policy at `nowMs`; a dry run only reads. */
export async function runRetention(backend: StorageBackend, policy: RetentionPolicy, nowMs: number, dryRun: boolean): Promise<RetentionReport> {
  const at = isoTime(nowMs);
  const walk = (rule: RetentionRule, apply: (id: string) => Promise<boolean>) =>
    walkRule(backend, rule, dryRun ? async () => true : apply, policy);
  const expiredDeleted = await walk({ kind: 'expired', at }, (id) => backend.stores.sessionMaintenance.deleteIf(id, { kind: 'expired', at }));
  const idleEnded = none();
  if (policy.idleHours !== null) {
    const since = isoTime(nowMs - policy.idleHours * HOUR_MS);
    for (const status of ['active', 'paused'] as const) {
      const rule: RetentionRule = { kind: 'idle', status, at, since };
      merge(idleEnded, await walk(rule, async (id) => (await backend.stores.sessionMaintenance.updateIf(id, { status: 'ended', updatedAt: at }, rule)) !== null), policy);
    }
  }
  let endedDeleted = none();
  if (policy.deleteEndedDays !== null) {
    const rule: RetentionRule = { kind: 'ended', at, before: isoTime(nowMs - policy.deleteEndedDays * DAY_MS) };
    endedDeleted = await walk(rule, (id) => backend.stores.sessionMaintenance.deleteIf(id, rule));
  }
  return { dryRun, ranAt: at, expiredDeleted, idleEnded, endedDeleted };
}

const none = (): RetentionOutcome => ({ count: 0, ids: [] });

function merge(into: RetentionOutcome, more: RetentionOutcome, policy: RetentionPolicy): void {
  into.count += more.count;
  into.ids.push(...more.ids.slice(0, policy.reportIds - into.ids.length));
}

/** Walks the sessions `rule` selects, a batch at a time, applying `apply` to each; counts those it applied to. */
async function walkRule(
  backend: StorageBackend,
  rule: RetentionRule,
  apply: (id: string) => Promise<boolean>,
  policy: RetentionPolicy,
): Promise<RetentionOutcome> {
  const outcome = none();
  let after: RetentionKey | null = null;
  for (;;) {
    const batch = await backend.retentionCandidates(rule, after, policy.batchSize);
    // The batch's writes are issued together: on SQLite they share one group commit (one fsync).
    const applied = await Promise.all(batch.map((c) => apply(c.id)));
    batch.forEach((c, i) => {
      if (!applied[i]) return;
      outcome.count++;
      if (outcome.ids.length < policy.reportIds) outcome.ids.push(c.id);
    });
    if (batch.length < policy.batchSize) return outcome;
    after = batch.at(-1)!;
  }
}

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
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly run: () => Promise<TenantSweep[]>,
    private readonly intervalMs: number,
    private readonly logger: SweeperLogger,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.stopped) return;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.sweep().finally(() => {
        this.running = null;
        this.schedule();
      });
    }, this.intervalMs);
    // A pending sweep does not keep the process alive.
    this.timer.unref();
  }

  private async sweep(): Promise<void> {
    try {
      for (const { tenant, report } of await this.run()) {
        const { expiredDeleted, idleEnded, endedDeleted } = report;
        if (expiredDeleted.count + idleEnded.count + endedDeleted.count > 0) {
          this.logger.info(
            { tenant, expiredDeleted: expiredDeleted.count, idleEnded: idleEnded.count, endedDeleted: endedDeleted.count },
            'retention sweep',
          );
        }
      }
    } catch (error) {
      this.logger.error({ err: (error as Error)?.message ?? String(error) }, 'retention sweep failed; the next one will try again');
    }
  }

  /** Stops the schedule and waits for a sweep in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
