import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Params, Placeholders } from '../../db/statements.js';
import type { MetricFilter } from '../../domain/inputs.js';

// The metric filter's pieces of SQL, shared by the list statements (store.ts) and the aggregates
// (aggregate.ts).

/** Which of a filter's fields are given: the statement's text differs by these, never by values. */
export interface FilterShape extends Record<string, boolean> {
  entityType: boolean;
  entityName: boolean;
  sessionId: boolean;
  metricName: boolean;
  since: boolean;
  until: boolean;
}

export function filterShape(filter: MetricFilter, withSession: boolean): FilterShape {
  return {
    entityType: filter.entityType != null,
    entityName: filter.entityName != null,
    sessionId: withSession && filter.sessionId != null,
    metricName: filter.metricName != null,
    since: filter.since != null,
    until: filter.until != null,
  };
}

/** The given fields of a filter, as statement parameters. */
export function filterParams(filter: MetricFilter): Params {
  const params: Params = {};
  for (const field of ['entityType', 'entityName', 'sessionId', 'metricName', 'since', 'until'] as const) {
    const value = filter[field];
    if (value != null) params[field] = value;
  }
  return params;
}

// A query over `metrics` whose source Kysely cannot type (the SQLite `INDEXED BY` of store.ts).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MetricSelect = SelectQueryBuilder<any, any, any>;

/**
 * The read statements' parameters: the filter's given fields (`entityType`, …, `since`, `until`),
 * the slice's (`sliceParams`), and the sessions asked about (`session`, or the list `ids`).
 */
export type ReadPlaceholders = Placeholders<Params>;

export function filtered(query: MetricSelect, shape: FilterShape, p: ReadPlaceholders): MetricSelect {
  let q = query;
  if (shape.entityType) q = q.where('entity_type', '=', p('entityType'));
  if (shape.entityName) q = q.where('entity_name', '=', p('entityName'));
  if (shape.sessionId) q = q.where('session_id', '=', p('sessionId'));
  if (shape.metricName) q = q.where('metric_name', '=', p('metricName'));
  if (shape.since) q = q.where('timestamp', '>=', p('since'));
  if (shape.until) q = q.where('timestamp', '<=', p('until'));
  return q;
}

/** A select from `source`: `metrics`, or `metrics` with an index hint. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const from = (db: Kysely<Database>, source: string): MetricSelect => (db as Kysely<any>).selectFrom(sql.raw(source) as unknown as string);
