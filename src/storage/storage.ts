import { type Clock, isoTime } from '../domain/clock.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { IdGenerator } from '../domain/ids.js';
import type { ForkSessionInput } from '../domain/inputs.js';
import type { StorageBackend } from './backend.js';
import type { SessionBundle } from '../modules/sessions/bundle.js';
import type { ForkSource } from '../modules/sessions/fork.js';
import { ArtifactService } from '../modules/artifacts/service.js';
import { CacheService } from '../modules/cache/service.js';
import { type CacheStore, SqlCacheStore } from '../modules/cache/store.js';
import { EventService } from '../modules/events/service.js';
import { HistoryService } from '../modules/history/service.js';
import { MetricService } from '../modules/metrics/service.js';
import { RetentionService } from '../modules/retention/service.js';
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

  constructor(
    readonly backend: StorageBackend,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    /** Where cache entries live: the backend's database by default, or e.g. Redis. */
    cacheStore: CacheStore = new SqlCacheStore(backend.runner),
  ) {
    const { stores } = backend;
    this.cache = new CacheService(cacheStore, clock);
    this.sessions = new SessionsService(stores.sessions, clock, ids);
    this.history = new HistoryService(stores.history, clock, ids);
    this.state = new StateService(stores.state, clock);
    this.artifacts = new ArtifactService(stores.artifacts, clock, ids);
    this.metrics = new MetricService(stores.metrics, clock, ids);
    this.events = new EventService(stores.events, backend.eventWaiters, (sessionId) => this.sessions.get(sessionId));
    this.retention = new RetentionService(stores.retention, stores.sessionMaintenance, clock);
  }

  private now(): string {
    return isoTime(this.clock.now());
  }

  // --- forks ----------------------------------------------------------------------------------

  /**
   * A new session that continues `parentId` from one of its messages, made in one transaction: the
   * parent's history up to and including `upToMessageId` (new message ids; the same seq numbers,
   * roles, contents, metadata and timestamps; idempotency keys are not copied: they belong to the
   * parent's appends), its state as it is now (data kept, version 1 again) and its artifact records
   * (new ids, everything else kept). The fork is active, created now, with the parent's agent, user
   * and metadata unless `input` gives others. Its later appends continue after the copied seq.
   * An unknown parent is NOT_FOUND; a message that is not one of the parent's is BAD_USER_INPUT.
   */
  async forkSession(parentId: string, upToMessageId: string, input: ForkSessionInput = {}): Promise<SessionBundle> {
    const now = this.now();
    const build = ({ parent, cut, messages, state, artifacts }: ForkSource): SessionBundle => {
      const id = this.ids.next('session');
      return {
        session: {
          id,
          agentName: input.agentName ?? parent.agentName,
          userId: input.userId ?? parent.userId,
          status: 'active',
          createdAt: now,
          updatedAt: now,
          metadata: input.metadata ?? parent.metadata,
          parentId: parent.id,
          forkedFromMessageId: cut.id,
          // A fork is a new session: it does not inherit its parent's expiry.
          expiresAt: null,
        },
        messages: messages.map((m) => ({ ...m, id: this.ids.next('message'), sessionId: id, idempotencyKey: null })),
        state: state && { ...state, sessionId: id, version: 1 },
        artifacts: artifacts.map((a) => ({ ...a, id: this.ids.next('artifact'), sessionId: id })),
      };
    };
    const outcome = await this.backend.stores.forks.fork(parentId, upToMessageId, build, now);
    if ('fork' in outcome) return outcome.fork;
    if (outcome.missing === 'session') throw new NotFoundError('Session');
    throw new ValidationError([{ path: ['upToMessageId'], message: `must be the id of a message of session ${parentId}` }]);
  }
}
