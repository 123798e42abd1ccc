import { type Expression, type RawBuilder, sql } from 'kysely';
import { tx, type TxWork } from './runner.js';
import type { Dialect, Params, Statement } from './statements.js';

/**
 * The few pieces of SQL that differ between SQLite and PostgreSQL for every module alike; each
 * says why. A module's statements use these instead of branching on the dialect themselves.
 */

/**
 * `column` is one of a list parameter's values. PostgreSQL compares with an array (`= ANY`, which
 * its planner turns into index look-ups); SQLite has no arrays, so the list comes as JSON text (the
 * SQLite runner encodes list parameters so) and `json_each` reads it.
 */
export function inList(column: Expression<unknown> | string, list: RawBuilder<unknown>, dialect: Dialect, pgType: 'text[]' | 'bigint[]' = 'text[]'): RawBuilder<boolean> {
  const ref = typeof column === 'string' ? sql.ref(column) : column;
  return dialect === 'postgres' ? sql<boolean>`${ref} = ANY(${list}::${sql.raw(pgType)})` : sql<boolean>`${ref} IN (SELECT value FROM json_each(${list}))`;
}

/** PostgreSQL column types a parameter may need to be cast to where nothing around it gives its type. */
export type PgType = 'text' | 'bigint' | 'integer' | 'smallint' | 'float8' | 'json' | 'timestamptz' | 'text[]' | 'bigint[]' | 'json[]' | 'timestamptz[]' | 'float8[]' | 'smallint[]';

/**
 * A parameter with its PostgreSQL type where PostgreSQL cannot infer it (`$1 IS NULL`, `unnest`,
 * comparisons inside `CASE`); SQLite has no such types (its columns take what they are given), so
 * there the parameter stands as it is.
 */
export function typed<T>(value: RawBuilder<T>, type: PgType, dialect: Dialect): RawBuilder<T> {
  return dialect === 'postgres' ? sql<T>`${value}::${sql.raw(type)}` : value;
}

/** A unique constraint refused the write (SQLite: `SQLITE_CONSTRAINT_UNIQUE`/`_PRIMARYKEY`; PostgreSQL: 23505). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** A foreign key refused the write: the row it names is not there (SQLite: `SQLITE_CONSTRAINT_FOREIGNKEY`; PostgreSQL: 23503). */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** Which constraint (or, on SQLite, which columns) a violation names, for messages that say what was taken. */
export function violationDetail(error: unknown): string {
  const e = error as { constraint?: unknown; message?: unknown } | null;
  return `${String(e?.constraint ?? '')} ${String(e?.message ?? '')}`;
}

/**
 * Rows per multi-row INSERT on PostgreSQL (columns as arrays, `unnest`) when a transaction writes
 * many rows at once (forks, imports): bounds the size of one statement's parameters.
 */
export const ROWS_PER_INSERT = 1000;

/**
 * Part of a transaction's work: writes `rows`, and how many were written. SQLite runs `one` per row
 * (prepared, in process: nothing to save by batching); PostgreSQL runs `many` per ROWS_PER_INSERT
 * rows (their columns as arrays), as a round trip per row would make a big write crawl.
 */
export function* writeRows<R, P1 extends Params, P2 extends Params>(
  dialect: Dialect,
  rows: readonly R[],
  one: { statement: Statement<P1>; params: (row: R) => P1 },
  many: { statement: Statement<P2>; params: (chunk: readonly R[]) => P2 },
): TxWork<number> {
  let written = 0;
  if (dialect === 'sqlite') {
    for (const row of rows) written += yield* tx.write(one.statement, one.params(row));
    return written;
  }
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) written += yield* tx.write(many.statement, many.params(rows.slice(i, i + ROWS_PER_INSERT)));
  return written;
}
