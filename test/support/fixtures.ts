import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/domain/clock.js';

/*
 * Fixtures shared by every test. This module imports no door (GraphQL, REST), so that storage and
 * domain tests never fail because of one.
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
