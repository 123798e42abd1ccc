import { type Clock, isoTime } from '../../domain/clock.js';
import type { CheckpointsMaintenance, ThreadRule } from '../checkpoints/maintenance.js';
import type { SessionsMaintenance } from '../sessions/store.js';
import type { RetentionKey, RetentionRule } from './rules.js';
import type { RetentionStore } from './store.js';

/**
 * Retention: which sessions the service ends or removes by itself, and when.
 *
 * Three rules, applied in this order on every run:
 * 1. expired sessions (`expiresAt` at or before now) are deleted — always;
 * 2. `active`/`paused` sessions idle for `idleHours` (no update of the session and no append since)
 *    are ended (status `ended`, `updatedAt` now) — when configured;
 * 3. `ended` sessions not updated for `deleteEndedDays` are deleted — when configured.
 * Deletion cascades as usual (history, state, artifacts; metrics stay; forks forget their parent).
 * 4. LangGraph threads (modules/checkpoints/) expired by their TTL are deleted — always — and so
 *    are threads not written for `threadIdleDays` — when configured.
 *
 * The work goes in bounded batches: a keyset walk through an index picks at most `batchSize`
 * sessions at a time, and each is ended or deleted by the sessions store's own guarded update /
 * delete (`updateIf` / `deleteIf`, so whatever those do besides — change events — happens here
 * too), with the rule re-checked inside the write: a session that a client touched since it was picked is left alone.
 * On SQLite a batch is one group-commit transaction, so no sweep holds the write lock for long.
 */
export interface RetentionPolicy {
  /** End `active`/`paused` sessions idle this many hours; null: never. */
  idleHours: number | null;
  /** Delete `ended` sessions last updated more than this many days ago; null: never. */
  deleteEndedDays: number | null;
  /** Delete LangGraph threads not written for this many days; null: never. */
  threadIdleDays: number | null;
  /** Sessions (threads) picked, and ended or deleted, per batch. */
  batchSize: number;
  /** Most session ids a report lists per rule (the counts are always complete). */
  reportIds: number;
}

export const DEFAULT_RETENTION_POLICY: RetentionPolicy = { idleHours: null, deleteEndedDays: null, threadIdleDays: null, batchSize: 100, reportIds: 1000 };

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
  /** LangGraph threads deleted: expired by their TTL, or idle. */
  threadsDeleted: RetentionOutcome;
}

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** The retention rules over one tenant's sessions: `run` applies a policy at the clock's now. */
export class RetentionService {
  constructor(
    readonly store: RetentionStore,
    private readonly sessions: SessionsMaintenance,
    private readonly threads: CheckpointsMaintenance,
    private readonly clock: Clock,
  ) {}

  /** Applies the policy once (or, with `dryRun`, only reads and reports what it would do). */
  async run(policy: RetentionPolicy, options: { dryRun?: boolean } = {}): Promise<RetentionReport> {
    const dryRun = options.dryRun ?? false;
    const nowMs = this.clock.now();
    const at = isoTime(nowMs);
    const walk = (rule: RetentionRule, apply: (id: string) => Promise<boolean>) => this.walk(rule, dryRun ? async () => true : apply, policy);
    const expired: RetentionRule = { kind: 'expired', at };
    const expiredDeleted = await walk(expired, (id) => this.sessions.deleteIf(id, expired));
    const idleEnded = none();
    if (policy.idleHours !== null) {
      const since = isoTime(nowMs - policy.idleHours * HOUR_MS);
      for (const status of ['active', 'paused'] as const) {
        const rule: RetentionRule = { kind: 'idle', status, at, since };
        merge(idleEnded, await walk(rule, async (id) => (await this.sessions.updateIf(id, { status: 'ended', updatedAt: at }, rule)) !== null), policy);
      }
    }
    let endedDeleted = none();
    if (policy.deleteEndedDays !== null) {
      const rule: RetentionRule = { kind: 'ended', at, before: isoTime(nowMs - policy.deleteEndedDays * DAY_MS) };
      endedDeleted = await walk(rule, (id) => this.sessions.deleteIf(id, rule));
    }
    const threadsDeleted = await this.threadRule({ kind: 'expired', at }, dryRun, policy);
    if (policy.threadIdleDays !== null) {
      merge(threadsDeleted, await this.threadRule({ kind: 'idle', at, before: isoTime(nowMs - policy.threadIdleDays * DAY_MS) }, dryRun, policy), policy);
    }
    return { dryRun, ranAt: at, expiredDeleted, idleEnded, endedDeleted, threadsDeleted };
  }

  /** Deletes the threads a rule selects, a batch per transaction (the rule is applied inside each delete); a dry run counts them. */
  private async threadRule(rule: ThreadRule, dryRun: boolean, policy: RetentionPolicy): Promise<RetentionOutcome> {
    if (dryRun) return this.threads.countThreads(rule, policy.reportIds);
    const outcome = none();
    for (;;) {
      const ids = await this.threads.deleteThreads(rule, policy.batchSize);
      merge(outcome, { count: ids.length, ids }, policy);
      if (ids.length < policy.batchSize) return outcome;
    }
  }

  /** Walks the sessions `rule` selects, a batch at a time, applying `apply` to each; counts those it applied to. */
  private async walk(rule: RetentionRule, apply: (id: string) => Promise<boolean>, policy: RetentionPolicy): Promise<RetentionOutcome> {
    const outcome = none();
    let after: RetentionKey | null = null;
    for (;;) {
      const batch = await this.store.candidates(rule, after, policy.batchSize);
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
}

const none = (): RetentionOutcome => ({ count: 0, ids: [] });

function merge(into: RetentionOutcome, more: RetentionOutcome, policy: RetentionPolicy): void {
  into.count += more.count;
  into.ids.push(...more.ids.slice(0, policy.reportIds - into.ids.length));
}
