import type { Runner } from '../db/runner.js';
import type { AppendEvents } from '../modules/events/append.js';
import { type RetentionStore, SqlRetentionStore } from '../modules/retention/store.js';
import { type SessionsMaintenance, type SessionsStore, SqlSessionsStore } from '../modules/sessions/store.js';

/**
 * Each domain module's store over one database (one tenant's): the queries of that module, written
 * once, run by the database's runner. A backend opens them over its runner; `Storage` builds each
 * module's service over them.
 */
export interface Stores {
  sessions: SessionsStore;
  /** The same sessions, as the export/import CLI and the retention sweeper see them: expired ones too. */
  sessionMaintenance: SessionsMaintenance;
  retention: RetentionStore;
}

export function openStores(runner: Runner, appendEvents: AppendEvents): Stores {
  const sessions = new SqlSessionsStore(runner, appendEvents);
  return { sessions, sessionMaintenance: sessions, retention: new SqlRetentionStore(runner) };
}
