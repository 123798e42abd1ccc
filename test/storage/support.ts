import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/domain/clock.js';
import type { Slice } from '../../src/storage/backend.js';

/*
 * Helpers for the storage and domain tests. They deliberately do not import test/support/server.ts:
 * that module pulls in the HTTP server (GraphQL schema, REST router), and a storage test must not
 * fail because of a door.
 */

/** A clock the test moves by hand: TTL and ordering are tested without sleeping. */
export class ManualClock implements Clock {
  constructor(private ms = Date.parse('2026-01-01T00:00:00.000Z')) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
  iso(): string {
    return new Date(this.ms).toISOString();
  }
}

/** A fresh SQLite file in its own temporary folder; `cleanup` removes the folder (WAL files too). */
export function tempDatabase(): { dir: string; filename: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'agent-storage-test-'));
  return { dir, filename: join(dir, 'storage.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The reference semantics of `Slice`, over rows already in natural order: keep rows strictly
 * between the bounds, then skip `offset` and take `limit` from the front — or, with `fromEnd`, from
 * the back (the mirror image) — and return them in natural order.
 * `compare` orders keys in the natural order of the resource (e.g. descending ids for sessions).
 */
export function modelSlice<T, K>(rows: readonly T[], keyOf: (row: T) => K, compare: (a: K, b: K) => number, slice: Slice<K>): T[] {
  const window = rows.filter(
    (row) =>
      (slice.after == null || compare(keyOf(row), slice.after) > 0) &&
      (slice.before == null || compare(keyOf(row), slice.before) < 0),
  );
  const offset = slice.offset ?? 0;
  if (slice.fromEnd) return [...window].reverse().slice(offset, offset + slice.limit).reverse();
  return window.slice(offset, offset + slice.limit);
}

/** Code-unit order, which is byte order for the ASCII ids and ISO timestamps compared here. */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A value as it comes back from JSON: what every backend must return for a stored JSON value. */
export const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
