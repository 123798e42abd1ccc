import type { Runner } from '../db/runner.js';
import { type ArtifactsMaintenance, type ArtifactStore, SqlArtifactStore } from '../modules/artifacts/store.js';
import type { AppendEvents } from '../modules/events/append.js';
import { SqlStateStore, type StateMaintenance, type StateStore } from '../modules/state/store.js';

/**
 * Each domain module's store over one database (one tenant's): the queries of that module, written
 * once, run by the database's runner. A backend opens them over its runner; `Storage` builds each
 * module's service over them.
 */
export interface Stores {
  /** Serving paths use `ArtifactStore`; the export CLI the maintenance side, which sees expired sessions. */
  artifacts: ArtifactStore & ArtifactsMaintenance;
  /** Serving paths use `StateStore`; the export CLI the maintenance side, which sees expired sessions. */
  state: StateStore & StateMaintenance;
}

export function openStores(runner: Runner, appendEvents: AppendEvents): Stores {
  return {
    artifacts: new SqlArtifactStore(runner, appendEvents),
    state: new SqlStateStore(runner, appendEvents),
  };
}
