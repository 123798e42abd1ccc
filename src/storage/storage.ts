import { type Clock, isoTime } from '../domain/clock.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { IdGenerator } from '../domain/ids.js';
import type {
  CreateSessionInput,
  ForkSessionInput,
  SessionFilter,
  UpdateSessionInput,
} from '../domain/inputs.js';
import type { Session } from '../domain/records.js';
import type { ForkSource, SessionBundle, Slice, StorageBackend } from './backend.js';
import { type RetentionPolicy, type RetentionReport, runRetention } from './retention.js';
import { CacheService } from '../modules/cache/service.js';
import { type CacheStore, SqlCacheStore } from '../modules/cache/store.js';
import { EventService } from '../modules/events/service.js';
import { MetricService } from '../modules/metrics/service.js';
import { HistoryService } from '../modules/history/service.js';
import { ArtifactService } from '../modules/artifacts/service.js';
import { StateService } from '../modules/state/service.js';

/**
 * The domain operations, shared by the REST and GraphQL doors. Inputs arrive already validated
 * (the doors parse them with the schemas in `domain/inputs.ts`); here live the rules: ids,
 * timestamps, existence checks, TTL expiry on read.
 *
 * Expired sessions: every call that reads or writes through a session passes the clock's now as
 * the backend's `liveAt`, so an expired session answers exactly like an unknown one, before the
 * retention sweeper (storage/retention.ts) has removed it.
 */
export class Storage {
  constructor(
    readonly backend: StorageBackend,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    /** Where cache entries live: the backend's database by default, or e.g. Redis. */
    cacheStore: CacheStore = new SqlCacheStore(backend.runner),
  ) {
    this.cache = new CacheService(cacheStore, clock);
    this.events = new EventService(backend.stores.events, backend.eventWaiters, (sessionId) => this.getSession(sessionId));
    this.metrics = new MetricService(backend.stores.metrics, clock, ids);
    this.history = new HistoryService(backend.stores.history, clock, ids);
    this.artifacts = new ArtifactService(backend.stores.artifacts, clock, ids);
    this.state = new StateService(backend.stores.state, clock);
  }

  /**
   * The operations of the domain modules moved out of this class so far (see src/modules/), over
   * this tenant's stores. The doors reach them through the tenant's `Storage`, e.g.
   * `storage.cache.get(key)`.
   */
  readonly cache: CacheService;
  readonly events: EventService;
  readonly metrics: MetricService;
  readonly history: HistoryService;
  readonly artifacts: ArtifactService;
  readonly state: StateService;

  private now(): string {
    return isoTime(this.clock.now());
  }

  // --- sessions -------------------------------------------------------------------------------

  async createSession(input: CreateSessionInput): Promise<Session> {
    const nowMs = this.clock.now();
    const now = isoTime(nowMs);
    const { expiresAt, ttlSeconds, ...fields } = input;
    const session: Session = {
      id: this.ids.next('session'),
      ...fields,
      createdAt: now,
      updatedAt: now,
      parentId: null,
      forkedFromMessageId: null,
      expiresAt: expiryOf({ expiresAt, ttlSeconds }, nowMs) ?? null,
    };
    await this.backend.insertSession(session);
    return session;
  }

  async getSession(id: string): Promise<Session> {
    const [session] = await this.backend.sessionsByIds([id], this.now());
    if (!session) throw new NotFoundError('Session');
    return session;
  }

  sessionsByIds(ids: readonly string[]): Promise<Session[]> {
    return this.backend.sessionsByIds(ids, this.now());
  }

  /** `expiresAt`/`ttlSeconds` set the expiry, `neverExpires` removes it; without them it stays. */
  async updateSession(id: string, input: UpdateSessionInput): Promise<Session> {
    const nowMs = this.clock.now();
    const now = isoTime(nowMs);
    const { expiresAt, ttlSeconds, neverExpires, ...fields } = input;
    const expiry = neverExpires ? null : expiryOf({ expiresAt, ttlSeconds }, nowMs);
    const session = await this.backend.updateSession(id, { ...fields, expiresAt: expiry, updatedAt: now }, { liveAt: now });
    if (!session) throw new NotFoundError('Session');
    return session;
  }

  async deleteSession(id: string): Promise<void> {
    if (!(await this.backend.deleteSession(id, { liveAt: this.now() }))) throw new NotFoundError('Session');
  }

  listSessions(filter: SessionFilter, slice: Slice<string>): Promise<Session[]> {
    return this.backend.listSessions(filter, slice, this.now());
  }

  countSessions(filter: SessionFilter): Promise<number> {
    return this.backend.countSessions(filter, this.now());
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
    const outcome = await this.backend.forkSession(parentId, upToMessageId, build, now);
    if ('fork' in outcome) return outcome.fork;
    if (outcome.missing === 'session') throw new NotFoundError('Session');
    throw new ValidationError([{ path: ['upToMessageId'], message: `must be the id of a message of session ${parentId}` }]);
  }

  forkPages(sessionIds: readonly string[], slice: Slice<string>): Promise<Map<string, Session[]>> {
    return this.backend.forkPages(sessionIds, slice, this.now());
  }

  forkCounts(sessionIds: readonly string[]): Promise<Map<string, number>> {
    return this.backend.forkCounts(sessionIds, this.now());
  }

  /** A session's forks in creation order; an unknown session has none. */
  async forks(sessionId: string, slice: Slice<string>): Promise<Session[]> {
    return (await this.backend.forkPages([sessionId], slice, this.now())).get(sessionId) ?? [];
  }

  // --- retention ------------------------------------------------------------------------------

  /** Applies the retention policy once (or, with `dryRun`, reports what it would do): see storage/retention.ts. */
  runRetention(policy: RetentionPolicy, options: { dryRun?: boolean } = {}): Promise<RetentionReport> {
    return runRetention(this.backend, policy, this.clock.now(), options.dryRun ?? false);
  }
}

/**
 * A session's expiry from the input: the moment given, or now + the TTL; undefined when neither is
 * given. The moment must be in the future: a session created or updated already expired would be
 * answered and then never seen again, which is surely a client's mistake.
 */
function expiryOf(input: { expiresAt?: string | null; ttlSeconds?: number | null }, nowMs: number): string | undefined {
  if (input.ttlSeconds != null) return isoTime(nowMs + input.ttlSeconds * 1000);
  if (input.expiresAt == null) return undefined;
  if (Date.parse(input.expiresAt) <= nowMs) {
    throw new ValidationError([{ path: ['expiresAt'], message: 'must be in the future (use ttlSeconds for a lifetime from now)' }]);
  }
  return input.expiresAt;
}
