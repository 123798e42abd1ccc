import { AgentStorageError } from './errors.js';
import {
  AddMessageDocument,
  AddMessagesDocument,
  ClearHistoryDocument,
  CreateSessionDocument,
  DeleteCacheEntryDocument,
  DeleteSessionDocument,
  DeleteStateDocument,
  ForkSessionDocument,
  GetCacheEntryDocument,
  GetMessageDocument,
  GetSessionDocument,
  GetStateDocument,
  StateHistoryDocument,
  HistoryDocument,
  HistoryPageDocument,
  HistoryWithinTokensDocument,
  SessionTokensDocument,
  PopMessageDocument,
  RewriteHistoryDocument,
  SupersededHistoryDocument,
  ListMetricsDocument,
  ListSessionsDocument,
  PatchStateDocument,
  RecordMetricDocument,
  RecordMetricsDocument,
  SessionForksDocument,
  SetCacheEntryDocument,
  SetStateDocument,
  UpdateSessionDocument,
  type ArtifactRecordFragment,
  type CacheEntryRecordFragment,
  type CreateSessionInput,
  type ForkSessionInput,
  type ListMetricsQueryVariables,
  type ListSessionsQueryVariables,
  type MessageRecordFragment,
  type MetricRecordFragment,
  type NewMessageInput,
  type OnConflict,
  type RewriteHistoryInput,
  type SupersededHistoryQuery,
  type RewriteHistoryMutation,
  type PageInfoRecordFragment,
  type RecordMetricInput,
  type SessionRecordFragment,
  type StateRecordFragment,
  type StateHistoryQuery,
  type UpdateSessionInput,
  type MessageRole,
} from './gql/graphql.js';
import { fromWire, json, toWire } from './rest-wire.js';
import type { CallOptions, Transport } from './transport.js';
import type { AnyDocument, ResultOf, VariablesOf } from './typed-document.js';

/**
 * The typed methods over the API, grouped as the service's modules are. Each is one operation of
 * operations.graphql and a line of shaping; whether it may be retried is decided by the client
 * (queries: yes; writes: only when `repeatable` says the server would answer a repeat with what it
 * stored the first time).
 */

export type Session = SessionRecordFragment;
export type Message = MessageRecordFragment;
export type State = StateRecordFragment;
/** A kept version of a state: what it was after that write (`StateApi.history`). */
export type StateVersion = NonNullable<NonNullable<StateHistoryQuery['session']>['state']>['history']['nodes'][number];
export type Artifact = ArtifactRecordFragment;
export type Metric = MetricRecordFragment;
export type CacheEntry = CacheEntryRecordFragment;
export type PageInfo = PageInfoRecordFragment;
/**
 * A message to append: `role`, `content` and/or a structured `item`, optional `metadata`, and `id`
 * or `idempotencyKey` to make the append safe to repeat.
 */
export type NewMessage = NewMessageInput;
/** A message as the REST door answers it (`HistoryApi.tail`, `.push`): every field but its idempotency key. */
export type HistoryEntry = Omit<Message, 'idempotencyKey'>;
/**
 * A history's version, as the ETag of its REST reads names it (`"h.<epoch>.<last_seq>"`,
 * docs/caching.md): `epoch` changes with every change that is not an append, `lastSeq` with every
 * append. The same version is the same history, on every replica.
 */
export interface HistoryVersion {
  epoch: string;
  lastSeq: number;
}
/** A tail read against a version the caller holds: `entries` null when the history is still at it. */
export interface HistoryTailAnswer {
  /** The history's version now; null from a service that does not tag its tails. */
  version: HistoryVersion | null;
  entries: HistoryEntry[] | null;
}
/** A message a pop, rewrite, compaction or replacement took out of the history, kept for audit. */
export type SupersededMessage = NonNullable<SupersededHistoryQuery['session']>['supersededHistory']['nodes'][number];
export type RewriteResult = RewriteHistoryMutation['rewriteHistory'];
/** A rewrite of the history's suffix: `RewriteHistoryInput` without the session. */
export type HistoryRewrite = Omit<RewriteHistoryInput, 'sessionId'>;

/** What an append does with a message whose id or key names a stored one with a different body. */
export interface AppendOptions extends CallOptions {
  /** 'ERROR' (default): a CONFLICT. 'REPLACE': the stored message takes the new body in place; its previous version is kept as superseded. */
  onConflict?: OnConflict;
  /** The server counts the tokens of messages given without a `tokenCount` (an estimate: OpenAI's o200k_base encoding). */
  countTokens?: boolean;
}

/** A session's tokens: the counts its messages carry plus an estimate for those without one (`estimatedMessages`). */
export interface TokenTotal {
  tokens: number;
  messages: number;
  estimatedMessages: number;
}

/** One page of a connection: Relay paging with `first`/`after` (or `last`/`before`). */
export interface Page<T> {
  totalCount: number;
  pageInfo: PageInfo;
  nodes: T[];
}

/** Paging arguments of a connection. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** What a group of methods needs of the client: one typed GraphQL call. */
export interface Caller {
  call<D extends AnyDocument>(document: D, variables: VariablesOf<D>, options: CallOptions | undefined, repeatable?: boolean): Promise<ResultOf<D>>;
}

/** A read under a session found no session: the same NOT_FOUND the service gives a write to it. */
function sessionOf<S>(session: S | null | undefined): S {
  if (session == null) throw new AgentStorageError({ code: 'NOT_FOUND', message: 'Session not found' });
  return session;
}

/** Whether the server answers a repeat of this append with the message it stored the first time. */
const idempotent = (message: NewMessage) => message.id != null || message.idempotencyKey != null;

/** The ETag that names `version` (`If-None-Match`), and the version an ETag names, if it is a history's. */
const historyTag = ({ epoch, lastSeq }: HistoryVersion) => `"h.${epoch}.${lastSeq}"`;

function historyVersionOf(etag: string | null): HistoryVersion | null {
  const match = etag && /^"h\.([0-9a-z]+)\.(\d+)"$/.exec(etag);
  return match ? { epoch: match[1]!, lastSeq: Number(match[2]) } : null;
}

/** Messages as the REST door answers them, with the client's names and roles. */
async function entriesOf(response: Response): Promise<HistoryEntry[]> {
  const records = await json(response);
  if (!Array.isArray(records)) throw new AgentStorageError({ code: 'BAD_RESPONSE', message: 'The service answered without the expected list of messages' });
  return records.map((record) => {
    const entry = fromWire<HistoryEntry>(record);
    return { ...entry, role: entry.role.toUpperCase() as MessageRole };
  });
}

export class SessionsApi {
  constructor(private readonly client: Caller) {}

  async create(input: CreateSessionInput, options?: CallOptions): Promise<Session> {
    return (await this.client.call(CreateSessionDocument, { input }, options)).createSession;
  }

  /** The session, or null when there is none with this id (or it expired). */
  async get(id: string, options?: CallOptions): Promise<Session | null> {
    return (await this.client.call(GetSessionDocument, { id }, options)).session ?? null;
  }

  /** Sessions, newest first, filtered by what is given; 100 per page unless `first` says otherwise. */
  async list(filter: ListSessionsQueryVariables = {}, options?: CallOptions): Promise<Page<Session>> {
    return (await this.client.call(ListSessionsDocument, filter, options)).sessions;
  }

  /** A partial update: what is left out keeps its value. */
  async update(id: string, input: UpdateSessionInput, options?: CallOptions): Promise<Session> {
    return (await this.client.call(UpdateSessionDocument, { id, input }, options)).updateSession;
  }

  /** Deletes the session with its history, state and artifacts; its id. */
  async delete(id: string, options?: CallOptions): Promise<string> {
    return (await this.client.call(DeleteSessionDocument, { id }, options)).deleteSession;
  }

  /** A new session continuing this one: its history up to and including `upToMessageId`, its state and artifacts. */
  async fork(id: string, upToMessageId: string, input?: ForkSessionInput, options?: CallOptions): Promise<Session> {
    return (await this.client.call(ForkSessionDocument, { id, upToMessageId, input }, options)).forkSession;
  }

  /** The sessions forked from this one, in creation order. */
  async forks(id: string, page: PageArgs = {}, options?: CallOptions): Promise<Page<Session>> {
    return sessionOf((await this.client.call(SessionForksDocument, { id, ...page }, options)).session).forks;
  }
}

export class HistoryApi {
  constructor(
    private readonly client: Caller,
    private readonly transport: Transport,
  ) {}

  /** Appends a message; with an `id` or `idempotencyKey` it is retried on transient failures, never stored twice. */
  async append(sessionId: string, message: NewMessage, options: AppendOptions = {}): Promise<Message> {
    const { onConflict, countTokens, ...call } = options;
    return (await this.client.call(AddMessageDocument, { input: { ...message, sessionId }, onConflict, countTokens }, call, idempotent(message))).addMessage;
  }

  /**
   * Appends messages in order, all or nothing; retried only when every one has an `id` or
   * `idempotencyKey`. With `onConflict: 'REPLACE'` and keys, an upsert by the client's message ids.
   */
  async appendMany(sessionId: string, messages: NewMessage[], options: AppendOptions = {}): Promise<Message[]> {
    const { onConflict, countTokens, ...call } = options;
    const repeatable = messages.length > 0 && messages.every(idempotent);
    return (await this.client.call(AddMessagesDocument, { sessionId, messages, onConflict, countTokens }, call, repeatable)).addMessages;
  }

  /**
   * `appendMany` in one REST round trip (`POST /storage/history/batch`), without a GraphQL request
   * to parse and execute: what an agent framework's adapter sends after each turn. The same append,
   * errors by their status (a message's field problems: BAD_USER_INPUT with the `detail`), and
   * retried, as `appendMany`, only when every message has an `id` or `idempotencyKey`.
   */
  async push(sessionId: string, messages: NewMessage[], options: AppendOptions = {}): Promise<HistoryEntry[]> {
    const { onConflict, countTokens, ...call } = options;
    const body = {
      session_id: sessionId,
      messages: messages.map((message) => toWire({ ...message, role: message.role.toLowerCase() })),
      on_conflict: onConflict?.toLowerCase(),
      count_tokens: countTokens ?? undefined,
    };
    const request = { method: 'POST', path: '/storage/history/batch', headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode(JSON.stringify(body)) } as const;
    return this.transport.rest({ ...request, repeatable: messages.length > 0 && messages.every(idempotent) }, entriesOf, call);
  }

  /**
   * The newest `count` messages in conversation order, in one REST round trip
   * (`GET /storage/history?last=`), without a GraphQL request to parse and execute: what an agent
   * framework's adapter reads before each turn. NOT_FOUND for a session that is not there.
   */
  async tail(sessionId: string, count: number, options?: CallOptions): Promise<HistoryEntry[]> {
    return this.transport.rest({ method: 'GET', path: '/storage/history', query: { session_id: sessionId, last: count } }, entriesOf, options);
  }

  /**
   * `tail`, unless the history is still at `known` (a version an earlier read answered, or one the
   * caller worked out from its own appends, see `HistoryVersion`): then `entries` is null, and the
   * service looked at nothing but the session's row (`If-None-Match` → 304).
   */
  async tailIfChanged(sessionId: string, count: number, known: HistoryVersion | null, options?: CallOptions): Promise<HistoryTailAnswer> {
    const headers: Record<string, string> = known ? { 'if-none-match': historyTag(known) } : {};
    const request = { method: 'GET', path: '/storage/history', query: { session_id: sessionId, last: count }, headers } as const;
    return this.transport.rest(
      request,
      async (response) => {
        const version = historyVersionOf(response.headers.get('etag'));
        if (response.status !== 304) return { version, entries: await entriesOf(response) };
        if (!known) throw new AgentStorageError({ status: 304, code: 'BAD_RESPONSE', message: 'The service answered 304 to a read that named no version' });
        return { version: version ?? known, entries: null };
      },
      options,
    );
  }

  /** Takes the last message out of the history and returns it (null when empty); it stays readable in `superseded`. Never retried. */
  async pop(sessionId: string, options?: CallOptions): Promise<Message | null> {
    return (await this.client.call(PopMessageDocument, { sessionId }, options)).popMessage ?? null;
  }

  /**
   * Replaces the last `replaceLast` messages with `messages`, only if the history's last message is
   * `expectedLastSeq` (and the replaced items are `expectedItems`), else CONFLICT; once per
   * `operationId`, so it is retried on transient failures.
   */
  async rewrite(sessionId: string, rewrite: HistoryRewrite, options?: CallOptions): Promise<RewriteResult> {
    return (await this.client.call(RewriteHistoryDocument, { input: { ...rewrite, sessionId } }, options, true)).rewriteHistory;
  }

  /** What pops, rewrites, compactions and replacements took out of the history, in that order. */
  async superseded(sessionId: string, page: PageArgs = {}, options?: CallOptions): Promise<Page<SupersededMessage>> {
    return sessionOf((await this.client.call(SupersededHistoryDocument, { sessionId, ...page }, options)).session).supersededHistory;
  }

  /**
   * The conversation in order: without paging, all of it (up to the server's page ceiling; then
   * `pageInfo.hasNextPage`); `afterSeq` starts after a position. NOT_FOUND for an unknown session.
   */
  async list(sessionId: string, page: PageArgs & { afterSeq?: number | null } = {}, options?: CallOptions): Promise<Page<Message>> {
    return sessionOf((await this.client.call(HistoryDocument, { sessionId, ...page }, options)).session).history;
  }

  /**
   * The newest `count` messages in conversation order (all of them when undefined), a page of up to
   * `pageSize` at a time, without counting the history: what an agent loads before a turn.
   * NOT_FOUND for an unknown session.
   */
  async latest(sessionId: string, count?: number, options: CallOptions & { pageSize?: number } = {}): Promise<Message[]> {
    const { pageSize = 1000, ...call } = options;
    const page = async (args: PageArgs) => sessionOf((await this.client.call(HistoryPageDocument, { sessionId, ...args }, call)).session).history;
    let messages: Message[] = [];
    if (count === undefined) {
      for (let after: string | null | undefined; ; ) {
        const { nodes, pageInfo } = await page({ first: pageSize, after });
        messages.push(...nodes);
        if (!pageInfo.hasNextPage) return messages;
        after = pageInfo.endCursor;
      }
    }
    for (let before: string | null | undefined; messages.length < count; ) {
      const { nodes, pageInfo } = await page({ last: Math.min(count - messages.length, pageSize), before });
      messages = [...nodes, ...messages];
      if (!pageInfo.hasPreviousPage) break;
      before = pageInfo.startCursor;
    }
    return messages;
  }

  /**
   * The newest messages whose tokens add up to at most `maxTokens`, in conversation order (a message
   * without a count weighs a quarter of its characters): what an agent sends to the model. NOT_FOUND
   * for an unknown session.
   */
  async withinTokens(sessionId: string, maxTokens: number, options?: CallOptions): Promise<Message[]> {
    return sessionOf((await this.client.call(HistoryWithinTokensDocument, { sessionId, maxTokens }, options)).session).history.nodes;
  }

  /** The session's tokens in all. NOT_FOUND for an unknown session. */
  async tokens(sessionId: string, options?: CallOptions): Promise<TokenTotal> {
    return sessionOf((await this.client.call(SessionTokensDocument, { sessionId }, options)).session).tokens;
  }

  async get(id: string, options?: CallOptions): Promise<Message | null> {
    return (await this.client.call(GetMessageDocument, { id }, options)).message ?? null;
  }

  /** Deletes every message of the session, with its superseded messages; how many (live) messages. */
  async clear(sessionId: string, options?: CallOptions): Promise<number> {
    return (await this.client.call(ClearHistoryDocument, { sessionId }, options)).clearHistory;
  }
}

/** A compare-and-set: write only if the state is at this version (0: only if there is none yet), else CONFLICT with `extensions.currentVersion`. */
export interface StateWriteOptions extends CallOptions {
  expectedVersion?: number;
}

export class StateApi {
  constructor(private readonly client: Caller) {}

  /** The session's state, or null when it has none. NOT_FOUND for an unknown session. */
  async get(sessionId: string, options?: CallOptions): Promise<State | null> {
    return sessionOf((await this.client.call(GetStateDocument, { sessionId }, options)).session).state ?? null;
  }

  /**
   * The state's kept versions (the last STATE_HISTORY_VERSIONS writes), newest first, 100 a page
   * unless `first` says otherwise; an empty page when the session has no state. NOT_FOUND for an unknown session.
   */
  async history(sessionId: string, page: PageArgs = {}, options?: CallOptions): Promise<Page<StateVersion>> {
    const { state } = sessionOf((await this.client.call(StateHistoryDocument, { sessionId, ...page }, options)).session);
    return state?.history ?? { totalCount: 0, pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null }, nodes: [] };
  }

  async set(sessionId: string, data: unknown, options: StateWriteOptions = {}): Promise<State> {
    const { expectedVersion, ...call } = options;
    return (await this.client.call(SetStateDocument, { sessionId, data, expectedVersion }, call)).setState;
  }

  /** A JSON Merge Patch (RFC 7396) applied atomically: null removes a member, objects merge. */
  async patch(sessionId: string, patch: unknown, options: StateWriteOptions = {}): Promise<State> {
    const { expectedVersion, ...call } = options;
    return (await this.client.call(PatchStateDocument, { sessionId, patch, expectedVersion }, call)).patchState;
  }

  async delete(sessionId: string, options?: CallOptions): Promise<string> {
    return (await this.client.call(DeleteStateDocument, { sessionId }, options)).deleteState;
  }
}

export class MetricsApi {
  constructor(private readonly client: Caller) {}

  async record(input: RecordMetricInput, options?: CallOptions): Promise<Metric> {
    return (await this.client.call(RecordMetricDocument, { input }, options)).recordMetric;
  }

  /** Records metrics in one transaction: all or nothing. */
  async recordMany(inputs: RecordMetricInput[], options?: CallOptions): Promise<Metric[]> {
    return (await this.client.call(RecordMetricsDocument, { inputs }, options)).recordMetrics;
  }

  /** Metrics, oldest first, filtered by what is given (`since`/`until` inclusive); 100 per page unless `first` says otherwise. */
  async list(filter: ListMetricsQueryVariables = {}, options?: CallOptions): Promise<Page<Metric>> {
    return (await this.client.call(ListMetricsDocument, filter, options)).metrics;
  }
}

export class CacheApi {
  constructor(private readonly client: Caller) {}

  /** The entry (and its `accessedAt` moves), or null when there is none or it expired. */
  async get(key: string, options?: CallOptions): Promise<CacheEntry | null> {
    return (await this.client.call(GetCacheEntryDocument, { key }, options)).cacheEntry ?? null;
  }

  /** Sets (or replaces) an entry; `ttl` in seconds, none: it never expires. */
  async set(key: string, value: unknown, options: CallOptions & { ttl?: number } = {}): Promise<CacheEntry> {
    const { ttl, ...call } = options;
    return (await this.client.call(SetCacheEntryDocument, { key, value, ttl }, call)).setCacheEntry;
  }

  async delete(key: string, options?: CallOptions): Promise<string> {
    return (await this.client.call(DeleteCacheEntryDocument, { key }, options)).deleteCacheEntry;
  }
}
