import type { z } from 'zod';

/**
 * The one camelCase ↔ snake_case codec between records (`domain/records.ts`) and the JSON the
 * service writes and reads outside GraphQL: REST responses, REST inputs' field names, bundle lines.
 * The wire names are the record's field names in snake_case, in the schema's order — derived, never
 * spelled out again.
 */

export const camelToSnake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const snakeToCamel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * A record's fields on a wire: `[name in the JSON, field of the record]`, in the order they are
 * written. A store that builds a wire's JSON itself (`HistoryStore.json`) follows them.
 */
export type WireFields<R> = readonly (readonly [name: string, field: keyof R & string])[];

/** A record as the plain object `fields` describe (what `JSON.stringify` then writes). */
export function wireObject<R>(record: R, fields: WireFields<R>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of fields) out[name] = record[field];
  return out;
}

/** Records as the JSON array of their `fields` objects. */
export function wireArrayJson<R>(records: readonly R[], fields: WireFields<R>): string {
  return JSON.stringify(records.map((record) => wireObject(record, fields)));
}

export interface WireCodec<R> {
  readonly fields: WireFields<R>;
  /** The record as the plain object its JSON is (what `JSON.stringify` then writes). */
  toWire(record: R): Record<string, unknown>;
}

/** Wire codec of a record schema; `omit` leaves fields out of the wire (e.g. a message's idempotency key on REST). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function wireCodec<S extends z.ZodObject<any>>(schema: S, options: { omit?: readonly (keyof z.output<S> & string)[] } = {}): WireCodec<z.output<S>> {
  type R = z.output<S>;
  const omitted = new Set<string>(options.omit ?? []);
  const fields = Object.keys(schema.shape)
    .filter((field) => !omitted.has(field))
    .map((field) => [camelToSnake(field), field] as const) as unknown as WireFields<R>;
  return {
    fields,
    toWire: (record) => wireObject(record, fields),
  };
}
