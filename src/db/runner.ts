import type { CopyValuePiece } from './postgres/copy-binary.js';
import type { Dialect, Params, Statement } from './statements.js';

export type Row = Record<string, unknown>;

/**
 * What a module's store needs from a database: run compiled statements, alone or as one
 * transaction. The same interface on both databases, so a store is written once; each runner keeps
 * what its database needs — SQLite (`db/sqlite/runner.ts`): statements prepared once, rows built by
 * a per-statement row builder, writes through the synchronous group commit; PostgreSQL
 * (`db/postgres/runner.ts`): a pool and named prepared statements. Both map driver failures to the
 * domain's errors (busy → 503, disk full → 507) and report every statement, by name, and every group
 * commit to their `observer`.
 */
export interface Runner {
  readonly dialect: Dialect;
  /** Told of every statement and group commit of this database (metrics, traces, statement counts). */
  readonly observer: DatabaseObserver;
  /** The rows of a read. */
  all<P extends Params>(statement: Statement<P>, params: P): Promise<Row[]>;
  /** The first row of a read, if any. */
  one<P extends Params>(statement: Statement<P>, params: P): Promise<Row | undefined>;
  /**
   * A single-statement write, acknowledged once committed (on SQLite: with the other writes of
   * its group commit); how many rows it changed.
   */
  write<P extends Params>(statement: Statement<P>, params: P): Promise<number>;
  /**
   * Runs `work` as one transaction — all of its statements or none — acknowledged once committed.
   * A failure thrown by `work` (or by a statement it did not catch) rolls everything back.
   *
   * `work` is a generator that yields its statements through `tx` (`const rows = yield* tx.all(…)`)
   * instead of awaiting them, so the same code runs on both databases: SQLite drives it
   * synchronously inside one savepoint of its group commit — a transaction is never held open across
   * an `await`, the rule that keeps a single-connection database from stalling every other caller —
   * and PostgreSQL drives it on one pooled connection, awaiting each statement. `work` may be run
   * again from the start when a database retries, so it must not have effects outside `tx`.
   *
   * A statement that fails inside a PostgreSQL transaction aborts it: catching its error inside
   * `work` and going on is not portable. Catch outside `transaction` instead (`db/errors.ts` tells
   * the violations apart on both databases).
   */
  transaction<T>(work: () => TxWork<T>): Promise<T>;
  /**
   * PostgreSQL only: the values `select` reads, as `COPY (select) TO STDOUT (FORMAT binary)` sends
   * them — in pieces that are the socket's own buffers, on one connection held until the output
   * ends or the reader stops (then the connection is closed rather than reused mid-COPY). For
   * bytes too big for the driver's rows, which hand every value over as a string. `select` takes
   * no parameters: quote nothing into it that did not come from the database.
   */
  copyOut?(name: string, select: string): AsyncIterable<CopyValuePiece>;
}

/**
 * Watches a database's work: both runners call it around every statement they execute (the
 * modules' statements and their own BEGIN/COMMIT) and once per group commit. One hook for every
 * use — statement timings for /metrics, a span per statement for traces, statement counting in
 * tests — so a runner stays unaware of them. It must be cheap and must not throw: it runs on every
 * statement, inside SQLite's synchronous group commit.
 */
export interface DatabaseObserver<T = unknown> {
  /** The statement named `name` (`sql` without its name comment) is about to run; the result is handed to `statementEnded`. */
  statementStarted(name: string, sql: string): T;
  /** It ended: `error` is what it failed with (as the driver threw it), or undefined. */
  statementEnded(token: T, name: string, error: unknown): void;
  /** A group commit is about to commit `size` writes together (SQLite's flush, PostgreSQL's batched statements). */
  groupCommitted(size: number): void;
}

/** Watches nothing (a database opened without an observer). */
export const NO_OBSERVER: DatabaseObserver = {
  statementStarted: () => undefined,
  statementEnded: () => {},
  groupCommitted: () => {},
};

/**
 * `observer`, also telling `onQuery` the name and SQL of every statement as it starts (tests count
 * statements and read query plans with it). Without `onQuery`, `observer` itself: a service pays
 * for no extra call.
 */
export function observing(observer: DatabaseObserver | undefined, onQuery?: (name: string, sql: string) => void): DatabaseObserver {
  const base = observer ?? NO_OBSERVER;
  if (!onQuery) return base;
  return {
    statementStarted(name, sql) {
      onQuery(name, sql);
      return base.statementStarted(name, sql);
    },
    statementEnded: (token, name, error) => base.statementEnded(token, name, error),
    groupCommitted: (size) => base.groupCommitted(size),
  };
}

/** One request of a transaction's work to its runner (see `tx`). */
export type TxStep =
  | { kind: 'all' | 'one' | 'write'; statement: Statement; params: Params }
  /** Call `callback` once the transaction has committed (never when it rolls back). */
  | { kind: 'afterCommit'; callback: () => void };

/** The work of a transaction: a generator of steps whose result is the transaction's. */
export type TxWork<T> = Generator<TxStep, T, unknown>;

/** The statements a transaction's work yields (`yield* tx.one(statement, params)`). */
export const tx = {
  *all<P extends Params>(statement: Statement<P>, params: P): TxWork<Row[]> {
    return (yield { kind: 'all', statement: statement as Statement, params }) as Row[];
  },
  *one<P extends Params>(statement: Statement<P>, params: P): TxWork<Row | undefined> {
    return (yield { kind: 'one', statement: statement as Statement, params }) as Row | undefined;
  },
  /** How many rows the statement changed. */
  *write<P extends Params>(statement: Statement<P>, params: P): TxWork<number> {
    return (yield { kind: 'write', statement: statement as Statement, params }) as number;
  },
  *afterCommit(callback: () => void): TxWork<void> {
    yield { kind: 'afterCommit', callback };
  },
};

/**
 * Runs a transaction's work, handing each statement step to `execute` and collecting the
 * after-commit callbacks. The same loop twice on purpose: SQLite's must stay synchronous (no
 * `await`, so the savepoint is never held across a turn of the event loop), PostgreSQL's awaits
 * each statement; one generic loop would make SQLite's asynchronous.
 */
export function driveSync<T>(work: TxWork<T>, execute: (step: Exclude<TxStep, { kind: 'afterCommit' }>) => unknown, afterCommit: (() => void)[]): T {
  let next = work.next();
  while (!next.done) {
    const step = next.value;
    if (step.kind === 'afterCommit') {
      afterCommit.push(step.callback);
      next = work.next();
      continue;
    }
    let result: unknown;
    try {
      result = execute(step);
    } catch (error) {
      next = work.throw(error);
      continue;
    }
    next = work.next(result);
  }
  return next.value;
}

export async function driveAsync<T>(
  work: TxWork<T>,
  execute: (step: Exclude<TxStep, { kind: 'afterCommit' }>) => Promise<unknown>,
  afterCommit: (() => void)[],
): Promise<T> {
  let next = work.next();
  while (!next.done) {
    const step = next.value;
    if (step.kind === 'afterCommit') {
      afterCommit.push(step.callback);
      next = work.next();
      continue;
    }
    let result: unknown;
    try {
      result = await execute(step);
    } catch (error) {
      next = work.throw(error);
      continue;
    }
    next = work.next(result);
  }
  return next.value;
}
