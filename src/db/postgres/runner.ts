import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { type CopyValuePiece, copyBinaryValues } from './copy-binary.js';
import { InsufficientStorageError, UnavailableError, ValidationError } from '../../domain/errors.js';
import { type DatabaseObserver, driveAsync, observing, type Row, type Runner, type TxStep, type TxWork } from '../runner.js';
import { type Params, type Statement, valuesOf } from '../statements.js';

export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

export interface PostgresRunnerOptions {
  /** Told of every statement and group commit (metrics, traces). */
  observer?: DatabaseObserver;
  /** Called with the name of every SQL statement executed (statement counting in tests). */
  onQuery?: (name: string) => void;
}

// PostgreSQL error classes and codes a client can do nothing about but wait.
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53200', '53300', '40001', '40P01']);
/** disk_full: nothing of the write was kept; it succeeds again once space is freed (507, not 503). */
const DISK_FULL = '53100';
const NUL_IN_TEXT = '22021';
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);

export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08') || NETWORK_CODES.has(code))) return true;
  const message = (error as Error).message ?? '';
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message);
}

/**
 * Runs statements on a node-postgres pool: each as a named prepared statement (parsed once per
 * connection), failures mapped to the domain's errors without driver details.
 */
export class PostgresRunner implements Runner {
  readonly dialect = 'postgres' as const;
  private readonly statementNames = new Map<string, string>();
  readonly observer: DatabaseObserver;

  constructor(
    readonly pool: pg.Pool,
    options: PostgresRunnerOptions = {},
  ) {
    this.observer = observing(options.observer, options.onQuery);
  }

  // --- the portable interface (module stores) ---------------------------------------------------

  async all<P extends Params>(statement: Statement<P>, params: P): Promise<Row[]> {
    return (await this.query(statement.name, statement.sql, valuesOf(statement, params))).rows;
  }

  async one<P extends Params>(statement: Statement<P>, params: P): Promise<Row | undefined> {
    return (await this.query(statement.name, statement.sql, valuesOf(statement, params))).rows[0];
  }

  /** One statement is its own transaction: PostgreSQL commits it before answering. */
  async write<P extends Params>(statement: Statement<P>, params: P): Promise<number> {
    return (await this.query(statement.name, statement.sql, valuesOf(statement, params))).rowCount ?? 0;
  }

  /** The work runs on one pooled connection, each statement awaited (see `clientTransaction`). */
  async transaction<T>(work: () => TxWork<T>): Promise<T> {
    const afterCommit: (() => void)[] = [];
    const result = await this.clientTransaction((client) => driveAsync(work(), (step) => this.execute(step, client), afterCommit));
    for (const callback of afterCommit) callback();
    return result;
  }

  private async execute(step: Exclude<TxStep, { kind: 'afterCommit' }>, client: pg.PoolClient): Promise<unknown> {
    const result = await this.query(step.statement.name, step.statement.sql, valuesOf(step.statement, step.params), client);
    if (step.kind === 'all') return result.rows;
    if (step.kind === 'one') return result.rows[0];
    return result.rowCount ?? 0;
  }

  async *copyOut(name: string, select: string): AsyncGenerator<CopyValuePiece> {
    const text = `COPY (${select}) TO STDOUT (FORMAT binary)`;
    const client = await this.connect();
    // Observed from start to end of the output: its time is the reader's as much as the database's.
    const token = this.observer.statementStarted(name, text);
    const output = client.query(copyTo(`/* ${name} */ ${text}`));
    let ended = false;
    let failure: unknown;
    try {
      yield* copyBinaryValues(output as AsyncIterable<Buffer>);
      ended = true;
    } catch (error) {
      failure = error;
      throw mapError(error);
    } finally {
      this.observer.statementEnded(token, name, failure);
      if (!ended) output.destroy();
      client.release(!ended);
    }
  }

  // --- plumbing (the backend, and transactions) -------------------------------------------------

  /** Runs one statement named `name` (sent as a `/* name *\/` comment and as the prepared statement's name). */
  async query(name: string, text: string, values: unknown[], on: Queryable = this.pool): Promise<pg.QueryResult<Row>> {
    const sql = `/* ${name} */ ${text}`;
    let statement = this.statementNames.get(sql);
    if (!statement) {
      statement = `${name}_${this.statementNames.size}`;
      this.statementNames.set(sql, statement);
    }
    const token = this.observer.statementStarted(name, text);
    let result: pg.QueryResult<Row>;
    try {
      result = await on.query<Row>({ name: statement, text: sql, values });
    } catch (error) {
      this.observer.statementEnded(token, name, error);
      throw mapError(error);
    }
    this.observer.statementEnded(token, name, undefined);
    return result;
  }

  /** Runs `work` in one transaction on one pooled connection; rolls back on any failure. */
  async clientTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    let broken = false;
    try {
      await this.query('begin', 'BEGIN', [], client);
      const result = await work(client);
      await this.query('commit', 'COMMIT', [], client);
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true; // the connection is gone: do not return it to the pool
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      if (isUnavailable(error)) throw new UnavailableError('The database is unavailable; retry shortly', 2);
      throw error;
    }
  }
}

/** Failures the client can only wait out become `UnavailableError`; a full disk, `InsufficientStorageError`. */
function mapError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === DISK_FULL) return new InsufficientStorageError('The database disk is full; the write was not stored', 30);
  // character_not_in_repertoire: a NUL character in a text parameter (an id, a cursor), which
  // PostgreSQL text cannot hold — so nothing stored could match it. Bad input, not a failure.
  if (code === NUL_IN_TEXT) return new ValidationError([{ path: [], message: 'must not contain NUL characters' }]);
  if (isUnavailable(error)) return new UnavailableError('The database is unavailable; retry shortly', 2);
  return error;
}
