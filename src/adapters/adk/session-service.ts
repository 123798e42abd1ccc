import {
  type AppendEventRequest,
  BaseSessionService,
  type CreateSessionRequest,
  createEvent,
  createSession,
  type DeleteSessionRequest,
  type Event,
  type GetSessionRequest,
  type ListSessionsRequest,
  type ListSessionsResponse,
  type Session,
} from '@google/adk';
import { AgentStorageClient, type AgentStorageClientOptions } from '../../client/client.js';
import { AgentStorageError } from '../../client/errors.js';
import type { Message, NewMessage, Session as StoredSession, State } from '../../client/resources.js';
import { applyDelta, isEmpty, mergeScopes, splitDelta, type StateRecord, withoutTemp } from './state.js';
import { adkIdOf, appScope, createHolder, findSession, listHolders, PAGE, type Scope, userScope } from './stored-sessions.js';

/**
 * Google ADK's session service (`BaseSessionService` of `@google/adk`) on the agent-storage
 * service (docs/adk.md), to the semantics of ADK's own DatabaseSessionService:
 *
 * - an ADK session is one service session (agentName = appName, userId = userId); its id is the
 *   service's (`session_…`), or the id the caller gave, kept in the session's metadata
 *   (`{ adk: { sessionId } }`) and found by listing the (app, user)'s sessions;
 * - an event is one history message, the event's JSON its `item`, appended under the event id as
 *   idempotency key (with replace-on-conflict: appending an event again updates it in place, as
 *   ADK does), so a retried append never stores twice;
 * - session-scoped state is the session's state record; `app:` and `user:` state are the state
 *   records of one holder session per app (agentName `adk-app:<appName>`) and per (app, user)
 *   (agentName `adk-user:<appName>`, userId). Every state write is a compare-and-set retried until
 *   it applies, so concurrent `appendEvent`s — from any number of tasks or processes, each with its
 *   own, possibly stale, `Session` — lose no event and no delta.
 */

interface ServiceSettings {
  /** How many times a state compare-and-set is tried before its CONFLICT is thrown. Default: 100. */
  maxStateAttempts?: number;
}

export interface AgentStorageSessionServiceOptions extends AgentStorageClientOptions, ServiceSettings {}

/** A service over a client of your own (its URL, key, fetch and retry policy). */
export interface AgentStorageSessionServiceClientOptions extends ServiceSettings {
  client: AgentStorageClient;
}

/** What this service knows of a `Session` object it handed out: where it is stored and how current it is. */
interface Tracked {
  storedId: string;
  /** The seq of the last history message the object's events include (0: none). */
  lastSeq: number;
  /** The session state record's version the object's state reflects. */
  stateVersion: number;
}

const isConflict = (error: unknown): error is AgentStorageError => error instanceof AgentStorageError && error.code === 'CONFLICT';
const isNotFound = (error: unknown): error is AgentStorageError => error instanceof AgentStorageError && error.code === 'NOT_FOUND';

const dataOf = (state: State | null): StateRecord => (state?.data && typeof state.data === 'object' && !Array.isArray(state.data) ? (state.data as StateRecord) : {});

/**
 * When an ADK session was last updated, as ADK dates it: the timestamp of its newest event (the
 * last message appended), or its creation while it has none.
 */
function lastUpdateOf(session: StoredSession, newest: Message | undefined): number {
  const timestamp = (newest?.item as { timestamp?: unknown } | null | undefined)?.timestamp;
  return typeof timestamp === 'number' ? timestamp : Date.parse(session.createdAt as string);
}

/** The text of an event's parts, as the message's `content` (what the service's search and token counts read). */
function textOf(event: Event): string {
  return (event.content?.parts ?? []).flatMap((part) => (typeof part.text === 'string' && !part.thought ? [part.text] : [])).join('\n');
}

function roleOf(event: Event): NewMessage['role'] {
  if (event.content?.parts?.some((part) => part.functionResponse)) return 'TOOL';
  return event.author === 'user' ? 'USER' : 'ASSISTANT';
}

/** The event as JSON (what is stored), without `undefined` members and symbols. */
const toItem = (event: Event): unknown => JSON.parse(JSON.stringify(event));

/** A stored event as ADK's `Event` again (its signature symbol restored). */
const toEvent = (message: Message): Event => createEvent(message.item as Event);

export class AgentStorageSessionService extends BaseSessionService {
  /** The typed client this service talks through (for the service's other operations). */
  readonly client: AgentStorageClient;
  private readonly maxStateAttempts: number;
  private readonly tracked = new WeakMap<Session, Tracked>();
  /** Holder sessions of app and user state, by holder key: found (or created) once per process. */
  private readonly holders = new Map<string, Promise<string | undefined>>();

  constructor(options: AgentStorageSessionServiceOptions | AgentStorageSessionServiceClientOptions) {
    super();
    if ('client' in options) {
      this.client = options.client;
      this.maxStateAttempts = options.maxStateAttempts ?? 100;
    } else {
      const { maxStateAttempts, ...clientOptions } = options;
      this.client = new AgentStorageClient(clientOptions);
      this.maxStateAttempts = maxStateAttempts ?? 100;
    }
  }

  async createSession({ appName, userId, state, sessionId }: CreateSessionRequest): Promise<Session> {
    if (sessionId !== undefined && sessionId !== '' && (await findSession(this.client, appName, userId, sessionId))) {
      // DatabaseSessionService's refusal, word for word.
      throw new Error(`Session with id ${sessionId} already exists.`);
    }
    const scoped = splitDelta(state);
    const stored = await this.client.sessions.create({
      agentName: appName,
      userId,
      ...(sessionId !== undefined && sessionId !== '' && { metadata: { adk: { sessionId } } }),
    });
    const [sessionState, app, user] = await Promise.all([
      // Every ADK session has a state record from the start: its version tells a stale Session object.
      this.client.state.set(stored.id, scoped.session, { expectedVersion: 0 }),
      this.updateScope(appScope(appName), scoped.app),
      this.updateScope(userScope(appName, userId), scoped.user),
    ]);
    const session = createSession({
      id: adkIdOf(stored),
      appName,
      userId,
      state: mergeScopes(app, user, dataOf(sessionState)),
      events: [],
      lastUpdateTime: lastUpdateOf(stored, undefined),
    });
    this.tracked.set(session, { storedId: stored.id, lastSeq: 0, stateVersion: sessionState.version });
    return session;
  }

  /**
   * The session with its events — the newest `numRecentEvents` (all when absent or 0), then only
   * those from `afterTimestamp` on (InMemorySessionService's order and bounds) — and its state
   * merged with the app's and the user's; undefined when there is none.
   */
  async getSession({ appName, userId, sessionId, config }: GetSessionRequest): Promise<Session | undefined> {
    const stored = await findSession(this.client, appName, userId, sessionId);
    if (!stored) return undefined;
    let messages: Message[];
    let sessionState: State | null;
    let app: StateRecord;
    let user: StateRecord;
    try {
      [messages, sessionState, app, user] = await Promise.all([
        this.client.history.latest(stored.id, config?.numRecentEvents || undefined),
        this.client.state.get(stored.id),
        this.readScope(appScope(appName)),
        this.readScope(userScope(appName, userId)),
      ]);
    } catch (error) {
      // Deleted between the lookup and the reads.
      if (isNotFound(error)) return undefined;
      throw error;
    }
    let events = messages.map(toEvent);
    const after = config?.afterTimestamp;
    if (after) {
      // From the event after the newest one older than `afterTimestamp` (all when there is none).
      let newestOlder = events.length - 1;
      while (newestOlder >= 0 && events[newestOlder]!.timestamp >= after) newestOlder--;
      if (newestOlder >= 0) events = events.slice(newestOlder + 1);
    }
    const session = createSession({
      id: adkIdOf(stored),
      appName,
      userId,
      state: mergeScopes(app, user, dataOf(sessionState)),
      events,
      lastUpdateTime: lastUpdateOf(stored, messages.at(-1)),
    });
    // A session read with only some of its events is not a base for appending in place: the
    // first append reloads it (as DatabaseSessionService reloads a stale one).
    const complete = !config?.numRecentEvents && !config?.afterTimestamp;
    this.tracked.set(session, { storedId: stored.id, lastSeq: complete ? (messages.at(-1)?.seq ?? 0) : -1, stateVersion: sessionState?.version ?? 0 });
    return session;
  }

  /**
   * The app's sessions (of one user, or of all), without events or state, as ADK pages them:
   * `limit` with `page` (1-based) or `offset`; ordered by `lastUpdateTime` when `order` is given,
   * else newest created first.
   */
  async listSessions({ appName, userId, limit, offset, page, order }: ListSessionsRequest): Promise<ListSessionsResponse> {
    const stored: StoredSession[] = [];
    for (let after: string | null | undefined; ; ) {
      const result = await this.client.sessions.list({ agentName: appName, ...(userId !== undefined && { userId }), first: PAGE, after });
      stored.push(...result.nodes);
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor;
    }
    // lastUpdateTime is the newest event's: one read of one message per session, in parallel.
    const newest = await Promise.all(
      stored.map((s) => this.client.history.latest(s.id, 1).then((messages) => messages[0], (error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error)))),
    );
    const all = stored.map((s, i) => createSession({ id: adkIdOf(s), appName, userId: s.userId ?? '', state: {}, events: [], lastUpdateTime: lastUpdateOf(s, newest[i]) }));
    if (order === 'asc') all.sort((a, b) => a.lastUpdateTime - b.lastUpdateTime || a.id.localeCompare(b.id));
    else if (order === 'desc') all.sort((a, b) => b.lastUpdateTime - a.lastUpdateTime || a.id.localeCompare(b.id));
    const totalItems = all.length;
    if (limit === undefined) {
      return { sessions: offset ? all.slice(offset) : all, page: 1, limit: totalItems, totalItems, totalPages: totalItems === 0 ? 0 : 1 };
    }
    const start = page !== undefined ? (page - 1) * limit : (offset ?? 0);
    return {
      sessions: all.slice(start, start + limit),
      page: page ?? (limit === 0 ? 1 : Math.floor(start / limit) + 1),
      limit,
      totalItems,
      totalPages: limit === 0 ? 0 : Math.ceil(totalItems / limit),
    };
  }

  /** Deletes the session with its events and state (nothing when there is none); app and user state stay. */
  async deleteSession({ appName, userId, sessionId }: DeleteSessionRequest): Promise<void> {
    const stored = await findSession(this.client, appName, userId, sessionId);
    if (!stored) return;
    await this.client.sessions.delete(stored.id).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
  }

  /**
   * Stores the event (a partial one: nothing) and applies its state delta, `temp:` keys dropped,
   * each scope by compare-and-set; then brings `session` up to date as DatabaseSessionService
   * does: when nothing else was written to the session since the object was read, the event is
   * added to it; else its events are read again. Its state becomes the stored state, merged.
   *
   * The event is stored first, then the deltas: a failure in between leaves the event without
   * its delta applied, and appending the same event again (same id) completes it without storing
   * it twice.
   */
  override async appendEvent({ session, event }: AppendEventRequest): Promise<Event> {
    if (event.partial) return event;
    if (event.actions?.stateDelta) event.actions.stateDelta = withoutTemp(event.actions.stateDelta);
    const tracked = this.tracked.get(session);
    const storedId = tracked?.storedId ?? (await findSession(this.client, session.appName, session.userId, session.id))?.id;
    if (storedId === undefined) throw new Error(`Session ${session.id} not found for appendEvent`);

    const content = textOf(event);
    const message = await this.client.history.append(
      storedId,
      { role: roleOf(event), item: toItem(event), idempotencyKey: event.id, ...(content !== '' && { content }) },
      { onConflict: 'REPLACE' },
    );
    const scoped = splitDelta(event.actions?.stateDelta);
    const [written, app, user] = await Promise.all([
      // Written even without a delta: its version tells the next append through this object
      // whether anyone else wrote in between.
      this.casState(storedId, (data) => applyDelta(data, scoped.session)),
      this.updateScope(appScope(session.appName), scoped.app),
      this.updateScope(userScope(session.appName, session.userId), scoped.user),
    ]);

    const inStep = tracked !== undefined && tracked.lastSeq >= 0 && written.attempts === 1 && written.state.version === tracked.stateVersion + 1;
    const index = session.events.findIndex((e) => e.id === event.id);
    let lastSeq: number;
    if (inStep && (message.seq === tracked.lastSeq + 1 || (index >= 0 && message.seq <= tracked.lastSeq))) {
      if (index >= 0) session.events[index] = event;
      else session.events.push(event);
      lastSeq = Math.max(message.seq, tracked.lastSeq);
    } else {
      // Someone else appended or wrote since this object was read (or it holds only some events):
      // its events are read again, as DatabaseSessionService does with a stale session.
      const messages = await this.client.history.latest(storedId);
      session.events = messages.map((m) => (m.idempotencyKey === event.id ? event : toEvent(m)));
      lastSeq = messages.at(-1)?.seq ?? 0;
    }
    session.state = mergeScopes(app, user, dataOf(written.state));
    session.lastUpdateTime = event.timestamp;
    this.tracked.set(session, { storedId, lastSeq, stateVersion: written.state.version });
    return event;
  }

  /**
   * Applies `change` to a state record by compare-and-set: read, change, write only if nobody
   * wrote since, else again. Each lost round means another writer's change applied, so every
   * change lands; `attempts` says whether anyone got in between.
   */
  private async casState(storedId: string, change: (data: StateRecord) => StateRecord): Promise<{ state: State; attempts: number }> {
    for (let attempts = 1; ; attempts++) {
      const current = await this.client.state.get(storedId);
      try {
        const state = await this.client.state.set(storedId, change(dataOf(current)), { expectedVersion: current?.version ?? 0 });
        return { state, attempts };
      } catch (error) {
        if (!isConflict(error) || attempts >= this.maxStateAttempts) throw error;
      }
    }
  }

  /** App or user state after setting the delta's keys (read only when there is nothing to set). */
  private async updateScope(scope: Scope, delta: StateRecord): Promise<StateRecord> {
    if (isEmpty(delta)) return this.readScope(scope);
    for (;;) {
      const found = this.holder(scope, true);
      const id = (await found)!;
      try {
        return dataOf((await this.casState(id, (data) => (MOVED in data ? moved() : applyDelta(data, delta)))).state);
      } catch (error) {
        // The holder was retired (or deleted) since this process found it: find the one in use.
        if (!(error instanceof Moved) && !isNotFound(error)) throw error;
        this.forget(scope, found);
      }
    }
  }

  /** App or user state as stored; {} while it has no holder (nothing is created to read). */
  private async readScope(scope: Scope): Promise<StateRecord> {
    for (;;) {
      const found = this.holder(scope, false);
      const id = await found;
      if (id === undefined) return {};
      const state = await this.client.state.get(id).catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error)));
      const data = state === undefined ? undefined : dataOf(state);
      if (data !== undefined && !(MOVED in data)) return data;
      this.forget(scope, found);
    }
  }

  /** Drops a found holder from the cache (unless another lookup already replaced it). */
  private forget(scope: Scope, found: Promise<string | undefined>): void {
    const key = holderKey(scope);
    if (this.holders.get(key) === found) this.holders.delete(key);
  }

  /**
   * The session holding app (or user) state: the oldest with the scope's agent name (and user),
   * created when there is none and `create` says so; found once per process. Holders made by
   * processes racing to create the first each read the holders back after creating theirs and
   * take the oldest. A younger holder — written by a process that found it before the oldest was
   * visible — is retired into the oldest by whoever sees both (see `retire`).
   */
  private holder(scope: Scope, create: boolean): Promise<string | undefined> {
    const key = holderKey(scope);
    const cached = this.holders.get(key);
    if (cached) return cached;
    const found = (async () => {
      const existing = await this.resolveHolder(scope);
      if (existing !== undefined || !create) return existing;
      await createHolder(this.client, scope);
      return this.resolveHolder(scope);
    })();
    this.holders.set(key, found);
    // Neither a failure nor "none yet" is remembered: the next call looks again.
    void found.then(
      (id) => id === undefined && this.holders.get(key) === found && this.holders.delete(key),
      () => this.holders.get(key) === found && this.holders.delete(key),
    );
    return found;
  }

  private async resolveHolder(scope: Scope): Promise<string | undefined> {
    const [oldest, ...younger] = await listHolders(this.client, scope);
    if (oldest === undefined) return undefined;
    for (const holder of younger) await this.retire(holder.id, oldest.id);
    return oldest.id;
  }

  /**
   * Moves a younger holder's state into the oldest and marks it moved, in that order and by
   * compare-and-set, so no write to it is lost: a write that lands after the copy makes the mark
   * fail and the copy is made again; once marked, writers find the mark and go to the oldest.
   * (Keys both hold take the younger's value: those writes raced, either may win.)
   */
  private async retire(youngerId: string, oldestId: string): Promise<void> {
    for (let attempts = 1; ; attempts++) {
      const current = await this.client.state.get(youngerId).catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error)));
      if (current === undefined) return;
      const data = dataOf(current);
      if (MOVED in data) return;
      if (!isEmpty(data)) await this.casState(oldestId, (into) => applyDelta(into, data));
      try {
        await this.client.state.set(youngerId, { [MOVED]: oldestId }, { expectedVersion: current?.version ?? 0 });
        return;
      } catch (error) {
        if (!isConflict(error) || attempts >= this.maxStateAttempts) throw error;
      }
    }
  }
}

/** The member of a retired holder's state naming the holder in use (reserved: not an app or user key). */
const MOVED = '$adk:movedTo';

class Moved extends Error {}
const moved = (): never => {
  throw new Moved('holder retired');
};

const holderKey = (scope: Scope) => JSON.stringify([scope.agentName, scope.userId ?? null]);
