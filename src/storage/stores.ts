import type { Runner } from '../db/runner.js';
import { type CheckpointsMaintenance, SqlCheckpointsMaintenance } from '../modules/checkpoints/maintenance.js';
import { type CheckpointStore, SqlCheckpointStore } from '../modules/checkpoints/store.js';
import { type ArtifactsMaintenance, type ArtifactStore, SqlArtifactStore } from '../modules/artifacts/store.js';
import type { AppendEvents } from '../modules/events/append.js';
import { type ContentMaintenance, type ContentStore, SqlContentStore } from '../modules/artifacts/content-store.js';
import { Blobs, type BlobsOptions } from '../modules/blobs/blobs.js';
import { type EventStore, SqlEventStore } from '../modules/events/store.js';
import { type ApiKeyStore, SqlApiKeyStore } from '../modules/keys/store.js';
import { type MetricMaintenance, type MetricStore, SqlMetricStore } from '../modules/metrics/store.js';
import { type GraphStore, SqlGraphStore } from '../modules/graph/store.js';
import { DeferredTouches } from '../modules/cache/deferred-touches.js';
import { SqlCacheStore } from '../modules/cache/store.js';
import type { HistoryCache } from '../modules/history/cache.js';
import { type HistoryMaintenance, type HistoryStore, SqlHistoryStore } from '../modules/history/store.js';
import { SqlStateStore, type StateMaintenance, type StateStore } from '../modules/state/store.js';
import { type MemoryMaintenance, type MemoryStore, SqlMemoryStore } from '../modules/memory/store.js';
import { type RetentionStore, SqlRetentionStore } from '../modules/retention/store.js';
import { type SessionsMaintenance, type SessionsStore, SqlSessionsStore } from '../modules/sessions/store.js';
import { type SearchStore, SqlSearchStore } from '../modules/search/store.js';
import { type ForkStore, SqlForkStore } from '../modules/sessions/fork.js';
import { type SessionImport, SqlSessionImport } from '../modules/sessions/import.js';

/**
 * Each domain module's store over one database (one tenant's): the queries of that module, written
 * once, run by the database's runner. A backend opens them over its runner; `Storage` builds each
 * module's service over them.
 */
export interface Stores {
  /** The cache's entries in this database (the default cache store), with deferred touches. */
  cache: DeferredTouches;
  sessions: SessionsStore;
  /** The same sessions, as the export/import CLI and the retention sweeper see them: expired ones too. */
  sessionMaintenance: SessionsMaintenance;
  /** Forks: a session with its history, state and artifacts copied in one transaction. */
  forks: ForkStore;
  /** The export/import CLI's writes: sessions exactly as exported. */
  sessionImport: SessionImport;
  retention: RetentionStore;
  events: EventStore;
  metrics: MetricStore & MetricMaintenance;
  /** Used on the default tenant's database only (every replica's keys live there). */
  keys: ApiKeyStore;
  history: HistoryStore & HistoryMaintenance;
  /** Serving paths use `ArtifactStore`; the export CLI the maintenance side, which sees expired sessions. */
  artifacts: ArtifactStore & ArtifactsMaintenance;
  /** Artifacts' content versions (modules/artifacts/content-store.ts); the export/import CLI uses the maintenance side. */
  contents: ContentStore & ContentMaintenance;
  /** The bytes of that content, their rows, usage and sweep (modules/blobs/). */
  blobs: Blobs;
  /** Serving paths use `StateStore`; the export CLI the maintenance side, which sees expired sessions. */
  state: StateStore & StateMaintenance;
  /** The long-term memory store's items; the retention sweeper deletes the expired ones. */
  memory: MemoryStore & MemoryMaintenance;
  /** The history's full-text index, read (it is written with the history). */
  search: SearchStore;
  /** LangGraph threads and checkpoints. */
  checkpoints: CheckpointStore;
  /** The knowledge graph of the MCP memory tools. */
  graph: GraphStore;
  /** What retention deletes of them. */
  checkpointMaintenance: CheckpointsMaintenance;
}

export interface StoresOptions {
  /** Whether messages are written with their search words (SEARCH_INDEX); default true. */
  searchIndex?: boolean;
  /** The process's history cache; this database takes its own share of it. Default none. */
  historyCache?: HistoryCache;
  /** How many versions of each state are kept (STATE_HISTORY_VERSIONS); default 100, 0: none. */
  stateHistoryVersions?: number;
  /** Where this database's artifact content goes (BLOB_STORE, its folder, STORAGE_QUOTA_BYTES). */
  blobs: BlobsOptions;
}

export function openStores(runner: Runner, appendEvents: AppendEvents, { searchIndex = true, historyCache, stateHistoryVersions = 100, blobs: blobOptions }: StoresOptions): Stores {
  const blobs = new Blobs(runner, blobOptions);
  const sessions = new SqlSessionsStore(runner, appendEvents);
  const history = new SqlHistoryStore(runner, appendEvents, searchIndex, historyCache?.forStore());
  const artifacts = new SqlArtifactStore(runner, appendEvents, blobs);
  const contents = new SqlContentStore(runner, appendEvents, blobs, artifacts);
  const state = new SqlStateStore(runner, appendEvents, stateHistoryVersions);
  const tables = { sessions, history, state, artifacts, contents };
  return {
    cache: new DeferredTouches(new SqlCacheStore(runner)),
    blobs,
    contents,
    sessions,
    sessionMaintenance: sessions,
    forks: new SqlForkStore(runner, appendEvents, tables),
    sessionImport: new SqlSessionImport(runner, tables),
    retention: new SqlRetentionStore(runner),
    events: new SqlEventStore(runner),
    metrics: new SqlMetricStore(runner, appendEvents),
    keys: new SqlApiKeyStore(runner),
    history,
    artifacts,
    state,
    memory: new SqlMemoryStore(runner),
    search: new SqlSearchStore(runner, searchIndex),
    checkpoints: new SqlCheckpointStore(runner, appendEvents),
    checkpointMaintenance: new SqlCheckpointsMaintenance(runner, appendEvents),
    graph: new SqlGraphStore(runner),
  };
}
