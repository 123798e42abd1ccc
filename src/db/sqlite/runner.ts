import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { InsufficientStorageError, UnavailableError } from '../../domain/errors.js';
import { type DatabaseObserver, driveSync, observing, type Row, type Runner, type TxStep, type TxWork } from '../runner.js';
import { type Params, type ParamValue, type Statement, valuesOf } from '../statements.js';

/** SQLite takes no arrays: a list goes in as JSON text, read with `json_each` (see `db/lists.ts`). */
function sqliteValues<P extends Params>(statement: Statement<P>, params: P): ParamValue[] {
  const values = valuesOf(statement, params);
  for (let i = 0; i < values.length; i++) if (Array.isArray(values[i])) values[i] = JSON.stringify(values[i]);
  return values;
}

export interface SqliteConnectionOptions {
  /** A file path, or `:memory:`. */
  filename: string;
  /** How long a write waits for another connection's lock before giving up (ms). */
  busyTimeoutMs?: number;
  /**
   * SQLite's page cache for this connection, in MiB (default 2, SQLite's own default; better-sqlite3
   * would make it 16). The operating system caches the file as well, so a larger cache mostly saves
   * copying pages; what it holds counts in the process's RSS.
   */
  cacheMb?: number;
}

/**
 * Opens a connection with the settings every write relies on. WAL + synchronous=FULL: a write is
 * acknowledged only once it is on disk, and readers never block the writer.
 */
export function openSqliteConnection(options: SqliteConnectionOptions): Database.Database {
  const filename = options.filename === ':memory:' ? ':memory:' : resolve(options.filename);
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  for (;;) {
    const before = fileIdentity(filename);
    const db = new Database(filename);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma(`cache_size = ${-Math.max(1, Math.floor(options.cacheMb ?? 2)) * 1024}`);
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    } catch (error) {
      db.close();
      if (renamedSince(filename, before)) continue;
      throw error;
    }
    if (renamedSince(filename, before)) {
      db.close();
      continue;
    }
    return db;
  }
}

/**
 * Whether another file is at the path now. `agent-storage restore` renames a new database over the
 * path while it holds the old file's lock (src/cli/backup.ts): an open that waited for that lock
 * holds the replaced file, which SQLite then refuses to write (SQLITE_READONLY_DBMOVED) and nobody
 * would read again, so the path is opened anew.
 */
function renamedSince(filename: string, before: string | null): boolean {
  return before !== null && fileIdentity(filename) !== before;
}

/** Which file a path names now (device and inode); null for none (or `:memory:`). */
function fileIdentity(filename: string): string | null {
  if (filename === ':memory:') return null;
  const stats = statSync(filename, { throwIfNoEntry: false });
  return stats ? `${stats.dev}:${stats.ino}` : null;
}

export interface SqliteRunnerOptions {
  /** Told of every statement and group commit (metrics, traces). */
  observer?: DatabaseObserver;
  /** Called with the name and SQL of every statement executed (statement counting, query plans). */
  onQuery?: (name: string, sql: string) => void;
}

/** A prepared statement that returns rows, and the builder of one row from its values. */
interface Reader {
  statement: Database.Statement;
  toRow: (values: unknown[]) => Row;
}

interface PendingWrite {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs statements on one better-sqlite3 connection: each prepared once and reused, every failure a
 * client can only wait out mapped to the domain's errors, and every write through the group commit.
 * Everything happens synchronously inside a call: a transaction is never held open across an `await`.
 */
export class SqliteRunner implements Runner {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly readers = new Map<string, Reader>();
  private readonly pending: PendingWrite[] = [];
  readonly observer: DatabaseObserver;

  constructor(
    readonly db: Database.Database,
    options: SqliteRunnerOptions = {},
  ) {
    this.observer = observing(options.observer, options.onQuery);
  }

  // --- the portable interface (module stores) ---------------------------------------------------

  async all<P extends Params>(statement: Statement<P>, params: P): Promise<Row[]> {
    return this.select(statement.name, statement.sql, ...sqliteValues(statement, params));
  }

  async one<P extends Params>(statement: Statement<P>, params: P): Promise<Row | undefined> {
    return this.selectOne(statement.name, statement.sql, ...sqliteValues(statement, params));
  }

  write<P extends Params>(statement: Statement<P>, params: P): Promise<number> {
    const values = sqliteValues(statement, params);
    return this.inWrite(() => this.run(statement.name, statement.sql, ...values).changes);
  }

  /** The work runs synchronously inside one savepoint of the group commit (see `inWrite`). */
  async transaction<T>(work: () => TxWork<T>): Promise<T> {
    const afterCommit: (() => void)[] = [];
    const result = await this.inWrite(() => driveSync(work(), (step) => this.execute(step), afterCommit));
    for (const callback of afterCommit) callback();
    return result;
  }

  /** One statement of a transaction's work, synchronously. */
  execute(step: Exclude<TxStep, { kind: 'afterCommit' }>): unknown {
    const { name, sql } = step.statement;
    const values = sqliteValues(step.statement, step.params);
    if (step.kind === 'all') return this.select(name, sql, ...values);
    if (step.kind === 'one') return this.selectOne(name, sql, ...values);
    return this.run(name, sql, ...values).changes;
  }

  // --- synchronous plumbing (the backend, and transactions inside `inWrite`) --------------------

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * A statement that returns rows, in raw mode (arrays of values) with a row builder made for its
   * columns: better-sqlite3 builds each row object property by property, an object literal of one
   * fixed shape costs a fraction of that.
   */
  private reader(sql: string): Reader {
    let reader = this.readers.get(sql);
    if (!reader) {
      const statement = this.db.prepare(sql).raw(true);
      const fields = statement.columns().map((column, i) => `${JSON.stringify(column.name)}: values[${i}]`);
      // The column names come from our own SQL; JSON.stringify quotes them as property names.
      const toRow = new Function('values', `return { ${fields.join(', ')} };`) as Reader['toRow'];
      reader = { statement, toRow };
      this.readers.set(sql, reader);
    }
    return reader;
  }

  /** The rows of a statement named `name` (the name is sent as a `/* name *\/` comment). */
  select(name: string, sql: string, ...params: ParamValue[]): Row[] {
    return this.observed(name, sql, () => {
      const { statement, toRow } = this.reader(`/* ${name} */ ${sql}`);
      return (statement.all(...params) as unknown[][]).map(toRow);
    });
  }

  selectOne(name: string, sql: string, ...params: ParamValue[]): Row | undefined {
    return this.observed(name, sql, () => {
      const { statement, toRow } = this.reader(`/* ${name} */ ${sql}`);
      const values = statement.get(...params) as unknown[] | undefined;
      return values && toRow(values);
    });
  }

  run(name: string, sql: string, ...params: ParamValue[]): Database.RunResult {
    return this.observed(name, sql, () => this.prepare(`/* ${name} */ ${sql}`).run(...params));
  }

  /** Runs one statement under `guard`, told to the observer (its time, and how it failed). */
  private observed<T>(name: string, sql: string, work: () => T): T {
    const token = this.observer.statementStarted(name, sql);
    let result: T;
    try {
      result = this.guard(work);
    } catch (error) {
      this.observer.statementEnded(token, name, error);
      throw error;
    }
    this.observer.statementEnded(token, name, undefined);
    return result;
  }

  /**
   * Group commit. Writes that arrive in the same turn of the event loop share one transaction and
   * so one fsync: with synchronous=FULL that fsync, not SQL, is the price of a write. Each write
   * runs in its own savepoint — all of it or none of it, and one failing write does not undo the
   * others — and every caller's promise settles only after the COMMIT that contains its write
   * (acknowledged still means on disk). The work runs synchronously inside `flush`, never across
   * an await, so reads never see a write before it is committed. Several statements in one `work`
   * are one transaction.
   */
  inWrite<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  /** Commits the queued writes now (also on close, so that callers are answered first). */
  flush(): void {
    const batch = this.pending.splice(0);
    if (batch.length === 0) return;
    const outcomes: { value?: unknown; error?: unknown; failed: boolean }[] = [];
    this.observer.groupCommitted(batch.length);
    try {
      // IMMEDIATE takes the write lock up front: a busy database fails here, before any work.
      this.observed('begin', 'BEGIN IMMEDIATE', () => this.db.exec('BEGIN IMMEDIATE'));
      // A write alone needs no savepoint: its failure rolls back a transaction that is only its own.
      // A savepoint journals each page the write changes (some 30 for an append of three messages),
      // and past 64 KiB SQLite spills that journal to a temporary file, written on every commit.
      const alone = batch.length === 1;
      try {
        for (const { work } of batch) {
          if (!alone) this.guard(() => this.db.exec('SAVEPOINT write'));
          try {
            outcomes.push({ value: work(), failed: false });
            if (!alone) this.guard(() => this.db.exec('RELEASE write'));
          } catch (error) {
            // After a full disk or an I/O error SQLite may have rolled back the whole transaction
            // (it does when a write larger than the page cache fails while spilling pages): then
            // nothing of this batch is kept, and every caller is told so.
            if (alone || !this.db.inTransaction) throw error;
            this.db.exec('ROLLBACK TO write');
            this.db.exec('RELEASE write');
            outcomes.push({ error, failed: true });
          }
        }
        // Observed as a statement: with synchronous=FULL its fsync is most of a write's time.
        this.observed('commit', 'COMMIT', () => this.db.exec('COMMIT'));
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    } catch (error) {
      for (const { reject } of batch) reject(error);
      return;
    }
    batch.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i]!;
      if (outcome.failed) reject(outcome.error);
      else resolve(outcome.value);
    });
  }

  /**
   * Maps the failures a client can do nothing about but wait into `UnavailableError` (503), and a
   * full disk into `InsufficientStorageError` (507).
   */
  guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      // better-sqlite3 reports extended codes (SQLITE_BUSY_RECOVERY, SQLITE_READONLY_DBMOVED, ...).
      const code = String((error as { code?: unknown }).code ?? '');
      const is = (primary: string) => code === primary || code.startsWith(`${primary}_`);
      if (is('SQLITE_BUSY') || is('SQLITE_LOCKED')) {
        throw new UnavailableError('The database is busy; retry shortly', 1);
      }
      // The disk (or a quota) is full: nothing of the write was kept; it succeeds again once space is freed.
      if (is('SQLITE_FULL')) throw new InsufficientStorageError('The database disk is full; the write was not stored', 30);
      if (is('SQLITE_READONLY')) throw new UnavailableError('The database is read-only', 30);
      if (is('SQLITE_IOERR')) throw new UnavailableError('The database could not be written', 5);
      throw error;
    }
  }
}
