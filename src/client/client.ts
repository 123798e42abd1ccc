import { CheckpointsApi, type ThreadEvent } from './checkpoints.js';
import { eventStream, type EventStreamOptions } from './events.js';
import { AgentEventsDocument, SessionEventsDocument, type SessionEventsSubscription, ThreadEventsDocument } from './gql/graphql.js';
import { MemoryApi } from './memory.js';
import { isReadOnly } from './operation.js';
import { ArtifactsApi } from './artifacts.js';
import { CacheApi, type Caller, HistoryApi, MetricsApi, SessionsApi, StateApi } from './resources.js';
import { SearchApi } from './search.js';
import { type CallOptions, type Operation, Transport, type TransportOptions } from './transport.js';
import type { AnyDocument, ResultOf, VariablesOf } from './typed-document.js';

export type AgentStorageClientOptions = TransportOptions;

/**
 * A document's text, and its sha256 when GraphQL Code Generator embedded one (the client's own
 * documents: `persistedDocuments` in codegen.ts, the manifest a server with
 * PERSISTED_OPERATIONS=only accepts).
 */
function operationOf(document: unknown): Operation {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  return typeof hash === 'string' ? { query: String(document), hash } : { query: String(document) };
}

/** One change-feed event: `__typename` tells which, `cursor` resumes after it. */
export type StorageEvent = SessionEventsSubscription['sessionEvents'];

export interface RequestOptions extends CallOptions {
  /**
   * The operation may be repeated without effect (e.g. a mutation that carries an idempotency key):
   * retry it on transient failures as a query is. Default: only documents of queries are retried.
   */
  idempotent?: boolean;
}

/** Variables may be left out exactly when the operation has no required ones. */
export type RequestArgs<V> = {} extends V ? [variables?: V, options?: RequestOptions] : [variables: V, options?: RequestOptions];

/**
 * A typed client for the agent-storage service, over its GraphQL API:
 *
 *   const client = new AgentStorageClient({ url: 'http://127.0.0.1:8084', apiKey });
 *   const session = await client.sessions.create({ agentName: 'researcher' });
 *   await client.history.append(session.id, { role: 'USER', content: 'Hello', idempotencyKey: 'turn-1' });
 *   for await (const event of client.sessionEvents(session.id)) { … }
 *
 * Every failure is an `AgentStorageError` with a stable `code`; see docs/client.md.
 */
export class AgentStorageClient {
  readonly sessions: SessionsApi;
  readonly history: HistoryApi;
  readonly state: StateApi;
  readonly artifacts: ArtifactsApi;
  readonly metrics: MetricsApi;
  readonly cache: CacheApi;
  readonly memory: MemoryApi;
  readonly checkpoints: CheckpointsApi;
  readonly search: SearchApi;
  private readonly transport: Transport;
  /** Documents already scanned for their operation kinds (they are module constants, sent again and again). */
  private readonly readOnly = new WeakMap<object, boolean>();

  constructor(options: AgentStorageClientOptions) {
    this.transport = new Transport(options);
    const caller: Caller = {
      call: (document, variables, options, repeatable) => this.run(document, variables, { ...options, idempotent: repeatable }),
    };
    this.sessions = new SessionsApi(caller);
    this.history = new HistoryApi(caller, this.transport);
    this.state = new StateApi(caller);
    this.artifacts = new ArtifactsApi(caller, this.transport);
    this.metrics = new MetricsApi(caller);
    this.cache = new CacheApi(caller);
    this.memory = new MemoryApi(caller);
    this.checkpoints = new CheckpointsApi(caller);
    this.search = new SearchApi(caller);
  }

  /**
   * Runs any operation of the schema, typed by its document (GraphQL Code Generator's client preset
   * with `documentMode: 'string'`): its variables are checked, its result typed. Queries are retried
   * on transient failures; mutations only with `{ idempotent: true }`.
   */
  request<D extends AnyDocument>(document: D, ...args: RequestArgs<VariablesOf<D>>): Promise<ResultOf<D>> {
    const [variables, options] = args as [unknown, RequestOptions | undefined];
    return this.run(document, variables, options);
  }

  /**
   * A session's change feed: the events after `options.after` (replayed), then live, for as long as
   * the loop runs. A dropped connection is reopened after the last event delivered: no event is
   * missed or repeated. Refusals (NOT_FOUND, CURSOR_EXPIRED, a revoked key) are thrown.
   */
  sessionEvents(sessionId: string, options?: EventStreamOptions): AsyncGenerator<StorageEvent, void, undefined> {
    return this.follow(SessionEventsDocument, (after) => ({ sessionId, after }), (data) => data.sessionEvents, options);
  }

  /** The change feed of every session of an agent (by the agent name of the session when each event was written); as sessionEvents. */
  agentEvents(agentName: string, options?: EventStreamOptions): AsyncGenerator<StorageEvent, void, undefined> {
    return this.follow(AgentEventsDocument, (after) => ({ agentName, after }), (data) => data.agentEvents, options);
  }

  /** A LangGraph thread's change feed (CheckpointPut, CheckpointWritesPut, ThreadDeleted); as sessionEvents. The thread need not exist yet. */
  threadEvents(threadId: string, options?: EventStreamOptions): AsyncGenerator<ThreadEvent, void, undefined> {
    return this.follow(ThreadEventsDocument, (after) => ({ threadId, after }), (data) => data.threadEvents, options);
  }

  /**
   * Follows any change-feed subscription of the schema, typed by its document, as sessionEvents
   * does: `variables` gives the variables for a connection that resumes after a cursor (undefined
   * for the first), `event` picks the event out of each result (an event type with a `cursor`).
   * For your own selection of the feed, e.g. a persisted document of your application.
   */
  follow<D extends AnyDocument, E extends { cursor: string }>(
    document: D,
    variables: (after: string | undefined) => VariablesOf<D>,
    event: (data: ResultOf<D>) => E,
    options: EventStreamOptions | undefined,
  ): AsyncGenerator<E, void, undefined> {
    return eventStream(this.transport, { operation: operationOf(document), variables, event }, options);
  }

  private run<D extends AnyDocument>(document: D, variables: unknown, options: RequestOptions = {}): Promise<ResultOf<D>> {
    // Typed document strings (a String object, or a plain string): a document AST would need a
    // GraphQL printer, which the client does not ship.
    const text: unknown = document;
    if (typeof text !== 'string' && !(text instanceof String)) {
      throw new TypeError('request() takes GraphQL documents as strings: generate them with documentMode "string" (GraphQL Code Generator)');
    }
    const { idempotent, ...call } = options;
    const operation = operationOf(text);
    return this.transport.execute(operation, variables, idempotent === true || this.isReadOnly(text, operation.query), call);
  }

  private isReadOnly(document: string | String, query: string): boolean {
    if (typeof document === 'string') return isReadOnly(query);
    let known = this.readOnly.get(document);
    if (known === undefined) this.readOnly.set(document, (known = isReadOnly(query)));
    return known;
  }
}
