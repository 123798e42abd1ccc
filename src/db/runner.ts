import type { Params, Statement } from './statements.js';
import type { Dialect } from './statements.js';

export type Row = Record<string, unknown>;

/**
 * What a module's store needs from a database: run one compiled statement. The same interface on
 * both databases, so a store is written once; each runner keeps what its database needs —
 * SQLite (`db/sqlite/runner.ts`): statements prepared once, rows built by a per-statement row
 * builder, writes through the synchronous group commit; PostgreSQL (`db/postgres/runner.ts`): a
 * pool and named prepared statements. Both map driver failures to the domain's errors (busy →
 * 503, disk full → 507) and report every statement by name to `onQuery`.
 *
 * Multi-statement transactions are the next seam, not part of this interface yet. They will be a
 * `transaction(work)` whose `work` receives a runner bound to the transaction and whose type
 * differs per database, because SQLite's must not await:
 * - SQLite: `work` is synchronous (`(tx: SyncRunner) => T`) and runs inside one savepoint of the
 *   group commit (`SqliteRunner.inWrite`), so a transaction is never held open across an `await`
 *   — the rule that keeps a single-connection database from stalling every other caller.
 * - PostgreSQL: `work` is async on one pooled connection (`PostgresRunner.transaction`).
 * A store that needs one writes the work against a small interface both satisfy (sync calls on
 * SQLite, awaited on PostgreSQL), or keeps a branch per dialect next to its portable sibling.
 */
export interface Runner {
  readonly dialect: Dialect;
  /** The rows of a read. */
  all<P extends Params>(statement: Statement<P>, params: P): Promise<Row[]>;
  /** The first row of a read, if any. */
  one<P extends Params>(statement: Statement<P>, params: P): Promise<Row | undefined>;
  /**
   * A single-statement write, acknowledged once committed (on SQLite: with the other writes of
   * its group commit); how many rows it changed.
   */
  write<P extends Params>(statement: Statement<P>, params: P): Promise<number>;
}
