import { VersionConflictError } from './errors.js';
import type { State } from './records.js';

/**
 * What a conditional state write expects to find: the version the writer read (0: it read no
 * state, so the write may only create one), or `existing`: any state, as long as there is one
 * (HTTP's `If-Match: *`). Absent (null or undefined), the write applies whatever the version.
 */
export type ExpectedVersion = number | 'existing';

/**
 * The compare-and-set rule of state writes. The backends apply it inside the write, to the state
 * as it is at that moment, so that no other write can come between the check and the write.
 */
export function checkVersion(current: State | null, expected: ExpectedVersion | null | undefined): void {
  if (expected == null) return;
  const actual = current?.version ?? 0;
  const matches = expected === 'existing' ? actual > 0 : actual === expected;
  if (!matches) throw new VersionConflictError(expected, actual);
}
