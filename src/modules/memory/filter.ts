import { type RawBuilder, sql } from 'kysely';
import { z } from 'zod';
import type { Dialect } from '../../db/statements.js';
import type { JsonObject } from '../../domain/json.js';

/**
 * A search's `filter` (LangGraph's): each key names a top-level member of the item's value, and
 * holds either a value (equality) or operators — `{ score: { $gte: 3, $lt: 5 }, color: 'red' }`.
 * Every condition must hold. The one definition of what they mean, on both databases:
 *
 * - `$eq` (and a plain value): the member exists, has the operand's JSON type and the same value
 *   (numbers by value: 1 and 1.0 are equal).
 * - `$ne`: not `$eq` — a missing member matches, as in LangGraph's in-memory stores.
 * - `$gt`, `$gte`, `$lt`, `$lte`: a number operand compares with numbers only, a string operand
 *   with strings only, in code point order; any other member does not match.
 *
 * Operands are JSON scalars: strings, finite numbers, booleans and null (`$gt` and friends: numbers
 * and strings). Anything else is refused rather than compared in a way one database cannot repeat.
 */

export const FILTER_OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export type Scalar = string | number | boolean | null;

export interface FilterCondition {
  key: string;
  op: FilterOperator;
  operand: Scalar;
}

export const FILTER_LIMITS = { conditions: 32, key: 256 } as const;

const RANGE = new Set<FilterOperator>(['$gt', '$gte', '$lt', '$lte']);

/** Strings as stored values' are (valid Unicode, no NUL): PostgreSQL's JSON operators refuse the others. */
function isScalar(v: unknown): v is Scalar {
  if (typeof v === 'string') return v.isWellFormed() && !v.includes('\u0000');
  return v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

/** A filter object as the doors receive it, parsed into its conditions (in the order given). */
export const searchFilter = z.custom<JsonObject>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), { message: 'must be a JSON object' }).transform((filter, ctx) => {
  const conditions: FilterCondition[] = [];
  for (const [key, spec] of Object.entries(filter)) {
    if (key.length === 0 || key.length > FILTER_LIMITS.key || key.includes('\u0000') || !key.isWellFormed()) {
      ctx.addIssue({ code: 'custom', path: [key], message: `filter keys must be 1 to ${FILTER_LIMITS.key} characters of valid text` });
      continue;
    }
    if (isScalar(spec)) {
      conditions.push({ key, op: '$eq', operand: spec });
      continue;
    }
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec) || Object.keys(spec).length === 0) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'must be a string (valid text, no NUL), number, boolean, null, or an object of operators ($eq, $ne, $gt, $gte, $lt, $lte)' });
      continue;
    }
    for (const [op, operand] of Object.entries(spec)) {
      if (!(FILTER_OPERATORS as readonly string[]).includes(op)) {
        ctx.addIssue({ code: 'custom', path: [key, op], message: `unknown operator; use one of ${FILTER_OPERATORS.join(', ')}` });
      } else if (!isScalar(operand)) {
        ctx.addIssue({ code: 'custom', path: [key, op], message: 'must be a string (valid text, no NUL), a finite number, a boolean or null' });
      } else if (RANGE.has(op as FilterOperator) && typeof operand !== 'number' && typeof operand !== 'string') {
        ctx.addIssue({ code: 'custom', path: [key, op], message: 'compares with a number or a string only' });
      } else {
        conditions.push({ key, op: op as FilterOperator, operand });
      }
    }
  }
  if (conditions.length > FILTER_LIMITS.conditions) {
    ctx.addIssue({ code: 'custom', path: [], message: `at most ${FILTER_LIMITS.conditions} conditions` });
  }
  return conditions;
});

/**
 * The conditions as the statements' one JSON parameter (`filter`): per condition its key `k`, its
 * operator `o` (without `$`), the operand's JSON type `t` (PostgreSQL's `json_typeof` names), the
 * operand as text `s` (strings; 'true'/'false' for booleans), as a number `n`, and as JSON text `j`.
 */
export function filterParam(conditions: readonly FilterCondition[]): string {
  return JSON.stringify(
    conditions.map(({ key, op, operand }) => ({
      k: key,
      o: op.slice(1),
      t: operand === null ? 'null' : typeof operand,
      s: typeof operand === 'string' ? operand : typeof operand === 'boolean' ? String(operand) : null,
      n: typeof operand === 'number' ? operand : null,
      j: JSON.stringify(operand),
    })),
  );
}

/** `a <op> b` for the condition's range operator `o`. */
function compare(o: RawBuilder<unknown>, a: RawBuilder<unknown>, b: RawBuilder<unknown>): RawBuilder<boolean> {
  return sql<boolean>`CASE ${o} WHEN 'gt' THEN ${a} > ${b} WHEN 'gte' THEN ${a} >= ${b} WHEN 'lt' THEN ${a} < ${b} WHEN 'lte' THEN ${a} <= ${b} ELSE FALSE END`;
}

/**
 * Every condition of the `filter` parameter holds for the row's `value` column (of `memory_items`).
 * One fragment per database, because JSON is read differently: SQLite walks the value's members
 * with `json_each` (a member's `type` is SQLite's: 'integer'/'real', 'text', 'true'/'false',
 * 'null'), PostgreSQL takes the member with `->` and its type with `json_typeof`, and compares
 * JSON text for equality (both sides are JSON.stringify's canonical text) and `->>` text under
 * `COLLATE "C"` (code point order, as SQLite's BINARY) for ranges. A CASE, not AND, guards each
 * cast on PostgreSQL, which does not promise to evaluate AND from left to right.
 */
export function filterHolds(filter: RawBuilder<unknown>, dialect: Dialect): RawBuilder<boolean> {
  if (dialect === 'sqlite') {
    const o = sql`(f.value ->> 'o')`;
    const t = sql`(f.value ->> 't')`;
    const s = sql`(f.value ->> 's')`;
    const n = sql`(f.value ->> 'n')`;
    const isNumber = sql`v.type IN ('integer', 'real')`;
    const equal = sql`CASE ${t} WHEN 'string' THEN v.type = 'text' AND v.value = ${s} WHEN 'number' THEN ${isNumber} AND v.value = ${n} WHEN 'boolean' THEN v.type = ${s} ELSE v.type = 'null' END`;
    const range = sql`CASE ${t} WHEN 'number' THEN ${isNumber} AND ${compare(o, sql`v.value`, n)} WHEN 'string' THEN v.type = 'text' AND ${compare(o, sql`v.value`, s)} ELSE FALSE END`;
    const member = sql`(SELECT CASE ${o} WHEN 'eq' THEN ${equal} WHEN 'ne' THEN NOT (${equal}) ELSE ${range} END FROM json_each(memory_items.value) v WHERE v.key = (f.value ->> 'k'))`;
    return sql<boolean>`NOT EXISTS (SELECT 1 FROM json_each(${filter}) f WHERE NOT COALESCE(${member}, ${o} = 'ne'))`;
  }
  const o = sql`(f ->> 'o')`;
  const m = sql`(memory_items.value -> (f ->> 'k'))`;
  const equal = sql`(json_typeof(${m}) = (f ->> 't') AND ${m}::text = (f ->> 'j'))`;
  const range = sql`CASE WHEN (f ->> 't') = 'number' AND json_typeof(${m}) = 'number' THEN ${compare(o, sql`(${m}::text)::float8`, sql`(f ->> 'n')::float8`)} WHEN (f ->> 't') = 'string' AND json_typeof(${m}) = 'string' THEN ${compare(o, sql`(memory_items.value ->> (f ->> 'k')) COLLATE "C"`, sql`(f ->> 's') COLLATE "C"`)} ELSE FALSE END`;
  const member = sql`CASE WHEN ${m} IS NULL THEN ${o} = 'ne' WHEN ${o} = 'eq' THEN ${equal} WHEN ${o} = 'ne' THEN NOT ${equal} ELSE ${range} END`;
  return sql<boolean>`NOT EXISTS (SELECT 1 FROM json_array_elements(${filter}::json) f WHERE NOT (${member}))`;
}
