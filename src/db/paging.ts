import { type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Slice } from '../domain/paging.js';
import { type PgType, typed } from './portable.js';
import type { Row } from './runner.js';
import type { Dialect, Params, Placeholders } from './statements.js';
import type { Database } from './schema.js';

/**
 * Keyset pages, written once for both databases: a whole table's page (`pageOf`) and the same page
 * for each of many sessions in one statement (`pagePerGroup`), so that a nested GraphQL field costs
 * one statement however many sessions a query reaches.
 */

/** How one kind of row is ordered and paged. */
export interface Keyset<K> {
  /** The key columns, in order (a total order: the last is unique). */
  columns: readonly string[];
  /** Their PostgreSQL types (parameters compared as a row need them). */
  pgTypes: readonly PgType[];
  /** Natural order is newest first (sessions). */
  desc: boolean;
  /** The key's values, in column order. */
  values(key: K): (string | number)[];
}

/** Which parts a page's statement has: the statement text differs by these, never by values. */
export interface SliceShape extends Record<string, boolean> {
  after: boolean;
  before: boolean;
  fromEnd: boolean;
}

export function shapeOf(slice: Slice<unknown>): SliceShape {
  return { after: slice.after != null, before: slice.before != null, fromEnd: Boolean(slice.fromEnd) };
}

/** The parameters a slice gives its statement: bound keys, `limit`, `offset`, and `end` (offset + limit). */
export interface SliceParams extends Params {
  limit: number;
  offset: number;
  end: number;
}

export function sliceParams<K>(keyset: Keyset<K>, slice: Slice<K>): SliceParams {
  const params: SliceParams = { limit: slice.limit, offset: slice.offset ?? 0, end: (slice.offset ?? 0) + slice.limit };
  if (slice.after != null) keyset.values(slice.after).forEach((v, i) => (params[`after${i}`] = v));
  if (slice.before != null) keyset.values(slice.before).forEach((v, i) => (params[`before${i}`] = v));
  return params;
}

// A query whose table Kysely does not know statically (each module passes its own).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySelect = SelectQueryBuilder<any, any, any>;

/** The `WHERE` bounds of a slice: after and/or before the given keys in natural order. */
function bounds<K>(query: AnySelect, keyset: Keyset<K>, shape: SliceShape, p: Placeholders<Params>, dialect: Dialect): AnySelect {
  const bound = (side: 'after' | 'before', op: '<' | '>') => {
    const marks = keyset.columns.map((_, i) => typed(p(`${side}${i}`), keyset.pgTypes[i]!, dialect));
    const left = keyset.columns.length === 1 ? sql.ref(keyset.columns[0]!) : sql`(${sql.join(keyset.columns.map((c) => sql.ref(c)))})`;
    const right = marks.length === 1 ? marks[0]! : sql`(${sql.join(marks)})`;
    return sql<boolean>`${left} ${sql.raw(op)} ${right}`;
  };
  let q = query;
  if (shape.after) q = q.where(bound('after', keyset.desc ? '<' : '>'));
  if (shape.before) q = q.where(bound('before', keyset.desc ? '>' : '<'));
  return q;
}

function order<K>(keyset: Keyset<K>, shape: SliceShape) {
  const direction = sql.raw(keyset.desc !== shape.fromEnd ? 'DESC' : 'ASC');
  return sql.join(keyset.columns.map((c) => sql`${sql.ref(c)} ${direction}`));
}

/**
 * One page over a whole (filtered) table: `query` selects the rows and applies the filters; the
 * page's bounds, order, `LIMIT` and `OFFSET` are added. Read it with `readPage`.
 */
export function pageOf<K>(query: AnySelect, keyset: Keyset<K>, shape: SliceShape, p: Placeholders<Params>, dialect: Dialect): AnySelect {
  return bounds(query, keyset, shape, p, dialect)
    .orderBy(order(keyset, shape))
    .limit(typed(p('limit') as RawBuilder<number>, 'bigint', dialect))
    .offset(typed(p('offset') as RawBuilder<number>, 'bigint', dialect));
}

/**
 * The same page for each group (`group`: the session column) in one statement: a window function
 * numbers each group's rows in page order, and rows `offset < n <= end` are kept, ordered by group
 * then page order. `from` is the table (or, on SQLite, the table with an `INDEXED BY`); `filter`
 * applies the group's membership and the filters.
 *
 * On SQLite the window numbers rowids only (read from the group's index, which holds the key
 * columns), and only the rows inside the page are then read whole: numbering whole rows sorts
 * every column of every row along. PostgreSQL reads whole rows in the window: its planner fetches
 * them from the index scan either way.
 */
export function pagePerGroup<K>(
  db: Kysely<Database>,
  table: keyof Database & string,
  from: string,
  group: string,
  keyset: Keyset<K>,
  shape: SliceShape,
  p: Placeholders<Params>,
  dialect: Dialect,
  filter: (query: AnySelect) => AnySelect,
): AnySelect {
  const numbered = sql<number>`ROW_NUMBER() OVER (PARTITION BY ${sql.ref(group)} ORDER BY ${order(keyset, shape)})`.as('rn_');
  const windowed = (select: (query: AnySelect) => AnySelect) =>
    bounds(filter(select((db as Kysely<any>).selectFrom(sql.raw(from) as unknown as string))), keyset, shape, p, dialect); // eslint-disable-line @typescript-eslint/no-explicit-any
  const inPage = (rn: string) => sql<boolean>`${sql.ref(rn)} > ${typed(p('offset'), 'bigint', dialect)} AND ${sql.ref(rn)} <= ${typed(p('end'), 'bigint', dialect)}`;
  if (dialect === 'sqlite') {
    const w = windowed((q) => q.select([sql.ref('rowid').as('r_'), sql.ref(group).as('g_'), numbered])).as('w_');
    return (db as Kysely<any>) // eslint-disable-line @typescript-eslint/no-explicit-any
      .selectFrom(w)
      .innerJoin(`${table} as t_`, 't_.rowid', 'w_.r_')
      .selectAll('t_')
      .where(inPage('w_.rn_'))
      .orderBy('w_.g_')
      .orderBy('w_.rn_');
  }
  const w = windowed((q) => q.selectAll().select(numbered)).as('w_');
  return (db as Kysely<any>).selectFrom(w).selectAll().where(inPage('rn_')).orderBy(sql.ref(group)).orderBy('rn_'); // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Rows of a page in natural order (a `fromEnd` page is read backwards). */
export function naturalOrder(rows: Row[], shape: SliceShape): Row[] {
  return shape.fromEnd ? rows.reverse() : rows;
}

/** Rows of a per-group page, by group (each in natural order; every id present, maybe empty). */
export function byGroup(ids: readonly string[], rows: readonly Row[], group: string, shape: SliceShape): Map<string, Row[]> {
  const out = new Map<string, Row[]>(ids.map((id) => [id, []]));
  for (const row of rows) out.get(row[group] as string)?.push(row);
  if (shape.fromEnd) for (const list of out.values()) list.reverse();
  return out;
}

/** Counts read as `group_`/`n` rows, by group (every id present, 0 when it has none). */
export function countsByGroup(ids: readonly string[], rows: readonly Row[]): Map<string, number> {
  const out = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const row of rows) out.set(row.group_ as string, Number(row.n));
  return out;
}
