import { type Clock, isoTime } from '../../domain/clock.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { IdGenerator } from '../../domain/ids.js';
import type { CreateSessionInput, SessionFilter, UpdateSessionInput } from '../../domain/inputs.js';
import type { Slice } from '../../domain/paging.js';
import type { Session } from '../../domain/records.js';
import type { ForkSessionInput } from '../../domain/inputs.js';
import type { SessionBundle } from './bundle.js';
import type { ForkSource, ForkStore } from './fork.js';
import type { SessionsStore } from './store.js';

/**
 * The sessions' operations, shared by the REST and GraphQL doors, over one tenant's store. Inputs
 * arrive validated by the doors (`createSessionInput`, `updateSessionInput`, `sessionFilter`); here
 * live the ids, the timestamps and the expiry rules. Every call passes the clock's now as the
 * store's `liveAt`, so an expired session answers exactly like an unknown one, before the
 * retention sweeper has removed it.
 */
export class SessionsService {
  constructor(
    readonly store: SessionsStore,
    private readonly forkStore: ForkStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  private now(): string {
    return isoTime(this.clock.now());
  }

  async create(input: CreateSessionInput): Promise<Session> {
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
    await this.store.insert(session);
    return session;
  }

  async get(id: string): Promise<Session> {
    const [session] = await this.store.byIds([id], this.now());
    if (!session) throw new NotFoundError('Session');
    return session;
  }

  byIds(ids: readonly string[]): Promise<Session[]> {
    return this.store.byIds(ids, this.now());
  }

  /** `expiresAt`/`ttlSeconds` set the expiry, `neverExpires` removes it; without them it stays. */
  async update(id: string, input: UpdateSessionInput): Promise<Session> {
    const nowMs = this.clock.now();
    const now = isoTime(nowMs);
    const { expiresAt, ttlSeconds, neverExpires, ...fields } = input;
    const expiry = neverExpires ? null : expiryOf({ expiresAt, ttlSeconds }, nowMs);
    const session = await this.store.update(id, { ...fields, expiresAt: expiry, updatedAt: now }, now);
    if (!session) throw new NotFoundError('Session');
    return session;
  }

  async delete(id: string): Promise<void> {
    if (!(await this.store.delete(id, this.now()))) throw new NotFoundError('Session');
  }

  list(filter: SessionFilter, slice: Slice<string>): Promise<Session[]> {
    return this.store.list(filter, slice, this.now());
  }

  count(filter: SessionFilter): Promise<number> {
    return this.store.count(filter, this.now());
  }

  forkPages(sessionIds: readonly string[], slice: Slice<string>): Promise<Map<string, Session[]>> {
    return this.store.forkPages(sessionIds, slice, this.now());
  }

  forkCounts(sessionIds: readonly string[]): Promise<Map<string, number>> {
    return this.store.forkCounts(sessionIds, this.now());
  }

  /** A session's forks in creation order; an unknown session has none. */
  async forks(sessionId: string, slice: Slice<string>): Promise<Session[]> {
    return (await this.store.forkPages([sessionId], slice, this.now())).get(sessionId) ?? [];
  }

  /**
   * A new session that continues `parentId` from one of its messages, made in one transaction: the
   * parent's history up to and including `upToMessageId` (new message ids; the same seq numbers,
   * roles, contents, metadata and timestamps; idempotency keys are not copied: they belong to the
   * parent's appends), its state as it is now (data kept, version 1 again) and its artifact records
   * (new ids, everything else kept). The fork is active, created now, with the parent's agent, user
   * and metadata unless `input` gives others. Its later appends continue after the copied seq.
   * An unknown parent is NOT_FOUND; a message that is not one of the parent's is BAD_USER_INPUT.
   */
  async fork(parentId: string, upToMessageId: string, input: ForkSessionInput = {}): Promise<SessionBundle> {
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
    const outcome = await this.forkStore.fork(parentId, upToMessageId, build, now);
    if ('fork' in outcome) return outcome.fork;
    if (outcome.missing === 'session') throw new NotFoundError('Session');
    throw new ValidationError([{ path: ['upToMessageId'], message: `must be the id of a message of session ${parentId}` }]);
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
