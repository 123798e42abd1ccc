import type { Runner } from '../db/runner.js';
import type { AppendEvents } from '../modules/events/append.js';

/**
 * Each domain module's store over one database (one tenant's): the queries of that module, written
 * once, run by the database's runner. A backend opens them over its runner; `Storage` builds each
 * module's service over them.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Stores {}

export function openStores(_runner: Runner, _appendEvents: AppendEvents): Stores {
  return {};
}
