import { batchIssues } from '../domain/appends.js';
import { type Clock, isoTime } from '../domain/clock.js';
import { CursorExpiredError, NotFoundError, ValidationError } from '../domain/errors.js';
import { decodeEventCursor, type EventScope } from '../domain/events.js';
import type { IdGenerator } from '../domain/ids.js';
import type {
  AddMessageInput,
  CreateArtifactInput,
  CreateSessionInput,
  ForkSessionInput,
  MetricFilter,
  NewMessageInput,
  RecordMetricInput,
  SessionFilter,
  UpdateSessionInput,
} from '../domain/inputs.js';
import type { Json } from '../domain/json.js';
import { applyMergePatch } from '../domain/merge-patch.js';
import type { Artifact, Message, Metric, Session, State } from '../domain/records.js';
import { checkVersion, type ExpectedVersion } from '../domain/state.js';
import type { ForkSource, JsonFields, MetricKey, NewMessage, SessionBundle, Slice, StorageBackend } from './backend.js';
import { EventStream } from './event-feed.js';
import { CacheService } from '../modules/cache/service.js';
import { type CacheStore, SqlCacheStore } from '../modules/cache/store.js';
import { RetentionService } from '../modules/retention/service.js';
import { SessionsService } from '../modules/sessions/service.js';

/**
 * The domain operations, shared by the REST and GraphQL doors. Inputs arrive already validated
 * (the doors parse them with the schemas in `domain/inputs.ts`); here live the rules: ids,
 * timestamps, existence checks, TTL expiry on read.
 *
 * Expired sessions: every call that reads or writes through a session passes the clock's now as
 * the backend's `liveAt`, so an expired session answers exactly like an unknown one, before the
 * retention sweeper (modules/retention/) has removed it.
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
    this.sessions = new SessionsService(backend.stores.sessions, clock, ids);
    this.retention = new RetentionService(backend.stores.retention, backend.stores.sessionMaintenance, clock);
  }

  /**
   * The operations of the domain modules moved out of this class so far (see src/modules/), over
   * this tenant's stores. The doors reach them through the tenant's `Storage`, e.g.
   * `storage.cache.get(key)`.
   */
  readonly cache: CacheService;
  readonly sessions: SessionsService;
  readonly retention: RetentionService;

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
    const outcome = await this.backend.forkSession(parentId, upToMessageId, build, now);
    if ('fork' in outcome) return outcome.fork;
    if (outcome.missing === 'session') throw new NotFoundError('Session');
    throw new ValidationError([{ path: ['upToMessageId'], message: `must be the id of a message of session ${parentId}` }]);
  }

  // --- history --------------------------------------------------------------------------------

  async addMessage(input: AddMessageInput): Promise<Message> {
    const { sessionId, ...message } = input;
    const [added] = await this.addMessages(sessionId, [message]);
    return added!;
  }

  /**
   * All or nothing: one transaction, consecutive `seq` numbers. A message with the client's own
   * `id` or an `idempotencyKey` that repeats one stored before is answered with the stored message
   * (its id, seq and timestamp) instead of being stored again; one that reuses the id or key for
   * something else is a CONFLICT (see `domain/appends.ts`).
   */
  async addMessages(sessionId: string, inputs: readonly NewMessageInput[]): Promise<Message[]> {
    const timestamp = this.now();
    const messages = inputs.map(
      ({ id, idempotencyKey, role, content, metadata }): NewMessage => ({
        id: id ?? this.ids.next('message'),
        idFromClient: id != null,
        idempotencyKey: idempotencyKey ?? null,
        sessionId,
        role,
        content,
        metadata,
        timestamp,
      }),
    );
    const issues = batchIssues(messages);
    if (issues.length) throw new ValidationError(issues.map((issue) => ({ ...issue, path: ['messages', ...issue.path] })));
    const added = await this.backend.appendMessages(sessionId, messages, timestamp);
    if (!added) throw new NotFoundError('Session');
    return added;
  }

  async getMessage(id: string): Promise<Message> {
    const [message] = await this.backend.messagesByIds([id], this.now());
    if (!message) throw new NotFoundError('Message');
    return message;
  }

  messagesByIds(ids: readonly string[]): Promise<Message[]> {
    return this.backend.messagesByIds(ids, this.now());
  }

  /** A session's messages in conversation order; an unknown (or expired) session simply has none. */
  async history(sessionId: string, slice: Slice<number>): Promise<Message[]> {
    return (await this.backend.historyPages([sessionId], slice, this.now())).get(sessionId) ?? [];
  }

  /** One session's messages of `slice` as JSON (see StorageBackend.historyJson); an unknown or expired session has none: `[]`. */
  historyJson(sessionId: string, slice: Slice<number>, fields: JsonFields<Message>): Promise<string> {
    return this.backend.historyJson(sessionId, slice, fields, this.now());
  }

  historyPages(sessionIds: readonly string[], slice: Slice<number>): Promise<Map<string, Message[]>> {
    return this.backend.historyPages(sessionIds, slice, this.now());
  }

  historyCounts(sessionIds: readonly string[]): Promise<Map<string, number>> {
    return this.backend.historyCounts(sessionIds, this.now());
  }

  /** Deletes a session's messages and says how many; an unknown (or expired) session has none to delete. */
  clearHistory(sessionId: string): Promise<number> {
    return this.backend.clearHistory(sessionId, this.now());
  }

  // --- state ----------------------------------------------------------------------------------

  async getState(sessionId: string): Promise<State> {
    const [state] = await this.backend.statesBySessionIds([sessionId], this.now());
    if (!state) throw new NotFoundError('State');
    return state;
  }

  statesBySessionIds(sessionIds: readonly string[]): Promise<State[]> {
    return this.backend.statesBySessionIds(sessionIds, this.now());
  }

  /**
   * Sets (or replaces) the state. With `expectedVersion` it is a compare-and-set: it applies only
   * if the state is at that version (0: only if there is no state; `existing`: if there is one),
   * else a CONFLICT carrying the current version (`VersionConflictError`). The check and the write
   * are one atomic step.
   */
  async setState(sessionId: string, data: Json, expectedVersion?: ExpectedVersion | null): Promise<State> {
    const updatedAt = this.now();
    const stored =
      expectedVersion == null
        ? await this.backend.putState({ sessionId, data, updatedAt }, updatedAt)
        : await this.backend.modifyState(
            sessionId,
            (current) => {
              checkVersion(current, expectedVersion);
              return data;
            },
            updatedAt,
            updatedAt,
          );
    if (!stored) throw new NotFoundError('Session');
    return stored;
  }

  /**
   * Applies a JSON Merge Patch (RFC 7396) to the state, atomically: the patch is applied to the
   * state as it is at the moment of the write, so concurrent patches of different members all take
   * effect. A session without state is patched as if its state were `{}` and gets one (version 1) —
   * unless an `expectedVersion` other than 0 says it must exist. `expectedVersion` works as in
   * `setState`.
   */
  async patchState(sessionId: string, patch: Json, expectedVersion?: ExpectedVersion | null): Promise<State> {
    const now = this.now();
    const stored = await this.backend.modifyState(
      sessionId,
      (current) => {
        checkVersion(current, expectedVersion);
        return applyMergePatch(current?.data, patch);
      },
      now,
      now,
    );
    if (!stored) throw new NotFoundError('Session');
    return stored;
  }

  async deleteState(sessionId: string): Promise<void> {
    if (!(await this.backend.deleteState(sessionId, this.now()))) throw new NotFoundError('State');
  }

  // --- artifacts ------------------------------------------------------------------------------

  async createArtifact(input: CreateArtifactInput): Promise<Artifact> {
    const artifact: Artifact = { id: this.ids.next('artifact'), ...input, createdAt: this.now() };
    if (!(await this.backend.insertArtifact(artifact, artifact.createdAt))) throw new NotFoundError('Session');
    return artifact;
  }

  async getArtifact(id: string): Promise<Artifact> {
    const [artifact] = await this.backend.artifactsByIds([id], this.now());
    if (!artifact) throw new NotFoundError('Artifact');
    return artifact;
  }

  artifactsByIds(ids: readonly string[]): Promise<Artifact[]> {
    return this.backend.artifactsByIds(ids, this.now());
  }

  async artifacts(sessionId: string, slice: Slice<string>): Promise<Artifact[]> {
    return (await this.backend.artifactPages([sessionId], slice, this.now())).get(sessionId) ?? [];
  }

  artifactPages(sessionIds: readonly string[], slice: Slice<string>): Promise<Map<string, Artifact[]>> {
    return this.backend.artifactPages(sessionIds, slice, this.now());
  }

  artifactCounts(sessionIds: readonly string[]): Promise<Map<string, number>> {
    return this.backend.artifactCounts(sessionIds, this.now());
  }

  async deleteArtifact(id: string): Promise<void> {
    if (!(await this.backend.deleteArtifact(id, this.now()))) throw new NotFoundError('Artifact');
  }

  // --- metrics --------------------------------------------------------------------------------

  async recordMetrics(inputs: readonly RecordMetricInput[]): Promise<Metric[]> {
    const now = this.now();
    const metrics = inputs.map((m): Metric => ({ ...m, id: this.ids.next('metric'), timestamp: m.timestamp ?? now }));
    await this.backend.insertMetrics(metrics);
    return metrics;
  }

  listMetrics(filter: MetricFilter, slice: Slice<MetricKey>): Promise<Metric[]> {
    return this.backend.listMetrics(filter, slice);
  }

  countMetrics(filter: MetricFilter): Promise<number> {
    return this.backend.countMetrics(filter);
  }

  metricPages(sessionIds: readonly string[], filter: MetricFilter, slice: Slice<MetricKey>): Promise<Map<string, Metric[]>> {
    return this.backend.metricPages(sessionIds, filter, slice);
  }

  metricCounts(sessionIds: readonly string[], filter: MetricFilter): Promise<Map<string, number>> {
    return this.backend.metricCounts(sessionIds, filter);
  }

  // --- change feed ----------------------------------------------------------------------------

  /**
   * A stream of the events of a session or an agent (see `EventStream`). With `after` (an event's
   * cursor) it first replays the events after it, then continues live; without, it starts with the
   * next event committed. Checked before anything streams: an unknown session is NOT_FOUND (an
   * agent needs no sessions yet), a malformed cursor or one this database never gave out is
   * BAD_USER_INPUT, a cursor older than the retention window is CURSOR_EXPIRED. The stream ends
   * when `signal` aborts or the consumer returns; `onFinish` is called then (also when refused).
   */
  async subscribeEvents(
    scope: EventScope,
    after: string | null,
    { signal, onFinish = () => {} }: { signal: AbortSignal; onFinish?: () => void },
  ): Promise<EventStream> {
    let stream: EventStream | undefined;
    try {
      const afterSeq = after === null ? null : decodeEventCursor(after);
      if (after !== null && afterSeq === null) throw new ValidationError([{ path: ['after'], message: 'is not an event cursor' }]);
      if ('sessionId' in scope) await this.sessions.get(scope.sessionId);
      // Listening before the log is read: whatever commits after this point wakes the stream.
      stream = new EventStream(this.backend, scope, 0, signal, onFinish);
      const log = await this.backend.eventLog();
      if (afterSeq !== null && afterSeq > log.lastSeq) {
        throw new ValidationError([{ path: ['after'], message: 'is not a cursor of this event feed' }]);
      }
      // Pruned events after the cursor would be skipped silently: refuse instead.
      if (afterSeq !== null && afterSeq < log.prunedThrough) throw new CursorExpiredError();
      stream.startAt(afterSeq ?? log.lastSeq);
      return stream;
    } catch (error) {
      if (stream) await stream.return();
      else onFinish();
      throw error;
    }
  }

  /**
   * Deletes events committed before `before`, in batches of `batchSize` (each its own short write,
   * so writers are never held up for long); how many. Cursors at or before the newest pruned event
   * are expired from then on.
   */
  async pruneEvents(before: string, batchSize = 1000): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.backend.pruneEvents(before, batchSize);
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }
}


