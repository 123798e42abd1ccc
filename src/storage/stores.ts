import type { Runner } from '../db/runner.js';
import type { AppendEvents } from '../modules/events/append.js';
import { type HistoryMaintenance, type HistoryStore, SqlHistoryStore } from '../modules/history/store.js';

/**
 * Each domain module's store over one database (one tenant's): the queries of that module, written
 * once, run by the database's runner. A backend opens them over its runner; `Storage` builds each
 * module's service over them.
 */
export interface Stores {
  history: HistoryStore & HistoryMaintenance;
}

export function openStores(runner: Runner, appendEvents: AppendEvents): Stores {
  return {
    history: new SqlHistoryStore(runner, appendEvents),
  };
}
