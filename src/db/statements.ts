import {
  type Compilable,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type RawBuilder,
  sql,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { Database } from './schema.js';

/**
 * Named statements, written once with Kysely and compiled once per dialect.
 *
 * Kysely is used only as a query compiler (its "splitting build and execution"): a `Kysely` over
 * `DummyDriver` never connects, `.compile()` turns a query into `{ sql, parameters }` in the
 * dialect's syntax (`?` or `$1`), and our own runners (`db/sqlite`, `db/postgres`) execute it.
 *
 * A statement's parameters are placeholders, not values: a builder writes `p('key')` where a value
 * goes, the query is compiled with a marker object in that place, and the compiled parameter list
 * becomes the order in which a call's named arguments are passed. So each statement is built and
 * compiled once, when its module first asks for a dialect, and never on a request.
 */

export type Dialect = 'sqlite' | 'postgres';

/**
 * What a statement parameter may be on both databases (JSON is passed as text). A list is a
 * PostgreSQL array (`= ANY($1::text[])`) and JSON text on SQLite (`IN (SELECT value FROM json_each(?))`):
 * the SQLite runner encodes it (see `db/lists.ts` for the matching SQL).
 */
// A list may hold nulls: the column arrays of a multi-row write (`unnest`) carry nullable columns.
// Bytes (a BLOB on SQLite, bytea on PostgreSQL) go to both drivers as they are.
export type ParamValue = string | number | null | Uint8Array | readonly (string | number | null)[];
export type Params = Record<string, ParamValue>;

/** Stands for the named parameter while a statement is compiled. */
class Placeholder {
  constructor(readonly name: string) {}
}

/** Makes the placeholder of a named parameter, typed as the value it stands for. */
export type Placeholders<P extends Params> = <K extends keyof P & string>(name: K) => RawBuilder<P[K]>;

const placeholder = (name: string): RawBuilder<never> => sql<never>`${new Placeholder(name)}`;

/** A compiled statement: its name (in logs, statement counts and `/* name *\/` comments), SQL and parameter order. */
export interface Statement<P extends Params = Params> {
  readonly name: string;
  readonly sql: string;
  /** The parameter for each `?` / `$n`, in order (a name may repeat). */
  readonly order: readonly (keyof P & string)[];
}

/** The values of a call in the statement's parameter order. */
export function valuesOf<P extends Params>(statement: Statement<P>, params: P): ParamValue[] {
  const { order } = statement;
  const values = new Array<ParamValue>(order.length);
  for (let i = 0; i < order.length; i++) values[i] = params[order[i]!]!;
  return values;
}

/**
 * Builds one statement. The dialect is given for the few statements that truly differ between
 * the databases; such a statement says why next to its branch.
 */
export type StatementBuilder<P extends Params> = (db: Kysely<Database>, p: Placeholders<P>, dialect: Dialect) => Compilable<unknown> | RawBuilder<unknown>;

type ParamsOf<B> = B extends StatementBuilder<infer P> ? P : never;
export type Compiled<T> = { readonly [K in keyof T]: Statement<ParamsOf<T[K]>> };

/** A module's statements, by name; `for(dialect)` compiles all of them on first use and keeps them. */
export interface StatementSet<T> {
  for(dialect: Dialect): Compiled<T>;
}

/**
 * Declares a module's statements. Each key is the statement's name; its builder's placeholder
 * type names its parameters, e.g. `getEntry: (db, p: Placeholders<{ key: string }>) => …`.
 */
// `any`: each builder has its own parameter type, and a parameter type is contravariant.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function defineStatements<T extends Record<string, StatementBuilder<any>>>(builders: T): StatementSet<T> {
  const compiled = new Map<Dialect, Compiled<T>>();
  return {
    for(dialect) {
      let set = compiled.get(dialect);
      if (!set) {
        const out: Record<string, Statement> = {};
        for (const [name, build] of Object.entries(builders)) out[name] = compileStatement(name, build, dialect);
        set = out as Compiled<T>;
        compiled.set(dialect, set);
      }
      return set;
    },
  };
}

export function compileStatement<P extends Params>(name: string, build: StatementBuilder<P>, dialect: Dialect): Statement<P> {
  const db = builderOf(dialect);
  const built = build(db, placeholder as Placeholders<P>, dialect);
  // A statement Kysely's builder cannot say (a CTE chain of one dialect) is written with `sql`.
  const query = isRaw(built) ? built.compile(db) : built.compile();
  const order = query.parameters.map((parameter) => {
    // A value compiled into a statement would be frozen into it for every later call: values
    // are placeholders, constants are written with `sql.lit`.
    if (!(parameter instanceof Placeholder)) {
      throw new Error(`statement ${name}: parameter ${JSON.stringify(parameter)} is not a placeholder (use p(name), or sql.lit for a constant)`);
    }
    return parameter.name as keyof P & string;
  });
  return { name, sql: query.sql, order };
}

function isRaw(built: Compilable<unknown> | RawBuilder<unknown>): built is RawBuilder<unknown> {
  return (built as RawBuilder<unknown>).isRawBuilder === true;
}

const builders = new Map<Dialect, Kysely<Database>>();

/** Kysely over a driver that never connects: it only compiles. */
function builderOf(dialect: Dialect): Kysely<Database> {
  let db = builders.get(dialect);
  if (!db) {
    db = new Kysely<Database>({
      dialect:
        dialect === 'sqlite'
          ? {
              createAdapter: () => new SqliteAdapter(),
              createDriver: () => new DummyDriver(),
              createIntrospector: (k) => new SqliteIntrospector(k),
              createQueryCompiler: () => new SqliteQueryCompiler(),
            }
          : {
              createAdapter: () => new PostgresAdapter(),
              createDriver: () => new DummyDriver(),
              createIntrospector: (k) => new PostgresIntrospector(k),
              createQueryCompiler: () => new PostgresQueryCompiler(),
            },
    });
    builders.set(dialect, db);
  }
  return db;
}

/**
 * A statement whose text depends on a small shape (which optional filters are given, which bounds
 * a page has): compiled once per dialect and shape, on first use, and kept. The shape must be a
 * finite set of flags — never a value — so the number of compiled statements stays small.
 */
export function defineStatementFamily<S extends Record<string, boolean>, P extends Params>(
  name: string,
  build: (shape: S) => StatementBuilder<P>,
): (dialect: Dialect, shape: S) => Statement<P> {
  const compiled = new Map<string, Statement<P>>();
  return (dialect, shape) => {
    let key = dialect;
    for (const flag of Object.keys(shape).sort()) if (shape[flag]) key += `|${flag}`;
    let statement = compiled.get(key);
    if (!statement) {
      statement = compileStatement(name, build(shape), dialect);
      compiled.set(key, statement);
    }
    return statement;
  };
}
