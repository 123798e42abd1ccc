import type { Json } from '../domain/json.js';
import type { Dialect } from './statements.js';

/**
 * How a column read back differs between the databases — the one place that knows it: SQLite
 * returns JSON as text and times as the ISO strings written; node-postgres parses `json` columns
 * and returns `timestamptz` as `Date`.
 */
export interface RowCodec {
  json(value: unknown): Json;
  time(value: unknown): string;
  timeOrNull(value: unknown): string | null;
  /** A list of strings: a JSON array in text on SQLite (it has no arrays), a `text[]` on PostgreSQL. */
  strings(value: unknown): string[];
}

const sqlite: RowCodec = {
  json: (value) => JSON.parse(value as string) as Json,
  time: (value) => value as string,
  timeOrNull: (value) => (value as string | null) ?? null,
  strings: (value) => JSON.parse(value as string) as string[],
};

const postgres: RowCodec = {
  json: (value) => value as Json,
  time: (value) => (value as Date).toISOString(),
  timeOrNull: (value) => (value == null ? null : (value as Date).toISOString()),
  strings: (value) => value as string[],
};

export const codecs: Record<Dialect, RowCodec> = { sqlite, postgres };
