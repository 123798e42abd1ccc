import type { Clock } from '../domain/clock.js';
import type { IdGenerator } from '../domain/ids.js';
import type { StorageBackend } from './backend.js';
import { ArtifactService } from '../modules/artifacts/service.js';
import { type CacheObserver, CacheService } from '../modules/cache/service.js';
import { CheckpointService } from '../modules/checkpoints/service.js';
import type { CacheStore } from '../modules/cache/store.js';
import { EventService } from '../modules/events/service.js';
import { GraphService } from '../modules/graph/service.js';
import { HistoryService } from '../modules/history/service.js';
import { MemoryService } from '../modules/memory/service.js';
import { MetricService } from '../modules/metrics/service.js';
import { RetentionService } from '../modules/retention/service.js';
import { SearchService } from '../modules/search/service.js';
import { SessionsService } from '../modules/sessions/service.js';
import { StateService } from '../modules/state/service.js';

/**
 * One tenant's domain operations, shared by the REST and GraphQL doors: each module's service over
 * this tenant's stores (see src/modules/), reached as `storage.sessions`, `storage.history`, … .
 * Inputs arrive already validated by the doors; the rules live in the services.
 *
 * Expired sessions: every serving call passes the clock's now as the stores' `liveAt`, so an
 * expired session answers exactly like an unknown one, before the retention sweeper
 * (modules/retention/) has removed it.
 */
export class Storage {
  readonly cache: CacheService;
  readonly sessions: SessionsService;
  readonly history: HistoryService;
  readonly state: StateService;
  readonly artifacts: ArtifactService;
  readonly metrics: MetricService;
  readonly events: EventService;
  readonly retention: RetentionService;
  readonly memory: MemoryService;
  readonly checkpoints: CheckpointService;
  readonly search: SearchService;
  readonly graph: GraphService;

  constructor(
    readonly backend: StorageBackend,
    clock: Clock,
    ids: IdGenerator,
    /** Where cache entries live: the backend's database by default, or e.g. Redis. */
    cacheStore: CacheStore = backend.stores.cache,
    /** Told of cache hits and misses (metrics). */
    observer?: CacheObserver,
  ) {
    const { stores } = backend;
    this.cache = new CacheService(cacheStore, clock, observer);
    this.sessions = new SessionsService(stores.sessions, stores.forks, clock, ids);
    this.history = new HistoryService(stores.history, clock, ids);
    this.state = new StateService(stores.state, clock);
    this.artifacts = new ArtifactService(stores.artifacts, stores.contents, stores.blobs, clock, ids);
    this.metrics = new MetricService(stores.metrics, clock, ids);
    this.events = new EventService(stores.events, backend.eventWaiters, (sessionId) => this.sessions.get(sessionId));
    this.memory = new MemoryService(stores.memory, clock);
    this.retention = new RetentionService(stores.retention, stores.sessionMaintenance, stores.checkpointMaintenance, clock, this.memory);
    this.checkpoints = new CheckpointService(stores.checkpoints, clock);
    this.search = new SearchService(stores.search, clock);
    this.graph = new GraphService(stores.graph, clock);
  }
}
