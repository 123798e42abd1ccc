import type { EventScope, EventTouch, StoredEvent } from '../domain/events.js';
import type { MetricFilter } from '../domain/inputs.js';
import type { Json } from '../domain/json.js';
import type { Runner } from '../db/runner.js';
import type { AppendEvents } from '../modules/events/append.js';
import type { Stores } from './stores.js';
import type { Slice } from '../domain/paging.js';
import type { ApiKey, Artifact, Message, Metric, Session, State } from '../domain/records.js';

/**
 * The persistence seam. Backends speak in domain records and batch look-ups, never in SQL strings
 * or driver types; each owns its schema and migrations. Business rules (ids, timestamps, TTL,
 * defaults) are applied by `Storage` before a record reaches a backend.
 *
 * Expired sessions (retention): the methods that read or write through a session take `liveAt`,
 * the moment whose live sessions they may see — `expiresAt` null or later than it. Each backend
 * applies that filter inside its own statements (so it holds atomically with the write), and
 * `Storage` always passes its clock's now. Absent, every session is visible: the export/import CLI
 * and the retention sweeper, which must see expired sessions to remove them.
 */
export interface StorageBackend extends ApiKeyStore {
  /** Shown by `/health`. */
  readonly kind: 'sqlite' | 'postgres';
  /** Runs the statements of this database; the module stores (`store.ts` of each module) run theirs through it. */
  readonly runner: Runner;
  /** Appends events inside a transaction's work, and wakes this process's readers once it committed. */
  readonly appendEvents: AppendEvents;
  /** The modules' stores over this database (see `stores.ts`). */
  readonly stores: Stores;

  /** Cheap liveness probe of the database. */
  ping(): Promise<void>;
  close(): Promise<void>;

  // forks
  /**
   * Creates a fork of a session in one transaction: reads the parent, its history up to and
   * including `upToMessageId` (which must be one of its messages), its state and its artifacts,
   * hands them to `build` — the domain's copying rules, synchronous and pure: a backend may call it
   * again when it retries — and writes the session bundle it returns exactly as given.
   */
  forkSession(parentId: string, upToMessageId: string, build: (source: ForkSource) => SessionBundle, liveAt?: string): Promise<ForkOutcome>;

  // history
  /**
   * Appends messages in one transaction, assigning consecutive `seq` numbers after the session's
   * last one; null (and nothing written) when the session does not exist.
   *
   * Idempotent for messages the client named (`idFromClient`, `idempotencyKey`): in the same
   * transaction as the write, the stored messages with those ids and keys are looked up and
   * matched with `matchRepeats` (domain/appends.ts). A repeat is answered with the stored message
   * and not written again; a conflict throws and writes nothing. Concurrent appends with the same
   * key store one message, and all of them answer it. Messages come back in the order given.
   */
  appendMessages(sessionId: string, messages: readonly NewMessage[], liveAt?: string): Promise<Message[] | null>;
  messagesByIds(ids: readonly string[], liveAt?: string): Promise<Message[]>;
  historyPages(sessionIds: readonly string[], slice: Slice<number>, liveAt?: string): Promise<Map<string, Message[]>>;
  historyCounts(sessionIds: readonly string[], liveAt?: string): Promise<Map<string, number>>;
  /**
   * One session's messages of `slice` (as `historyPages` reads them) as a JSON array of objects with
   * `fields`: what `JSON.stringify` of those fields of the records would be. For big reads, a
   * backend may build the text in the database instead of decoding every row into a record and
   * serializing it again (a 1,000-message history is ~420 KB).
   *
   * Text, not bytes: Node writes a string to the socket through a buffer it frees as soon as the
   * write is done, while a Buffer of the bytes lives until the garbage collector finds it, and the C
   * allocator keeps what those held. Paging through 100,000 messages by REST grew RSS by ~25 MB with
   * bytes and by ~3 MB with text, at the same speed.
   */
  historyJson(sessionId: string, slice: Slice<number>, fields: JsonFields<Message>, liveAt?: string): Promise<string>;
  /** Deletes a session's messages; how many were deleted. */
  clearHistory(sessionId: string, liveAt?: string): Promise<number>;

  // state
  statesBySessionIds(sessionIds: readonly string[], liveAt?: string): Promise<State[]>;
  /**
   * Inserts (version 1) or replaces (version + 1) unconditionally; the state as stored, or null
   * (nothing written) when the session does not exist.
   */
  putState(state: NewState, liveAt?: string): Promise<State | null>;
  /**
   * Read-modify-write of a session's state, atomically: `change` gets the state as it is (null when
   * there is none) and returns the data to store, or throws to store nothing. No other write of
   * that state can come between the two. `change` must be synchronous and pure: a backend may call
   * it again when it retries. The state as stored (version 1 when created, else one more), or null
   * (nothing written, `change` not called) when the session does not exist.
   */
  modifyState(sessionId: string, change: (current: State | null) => Json, updatedAt: string, liveAt?: string): Promise<State | null>;
  deleteState(sessionId: string, liveAt?: string): Promise<boolean>;

  // artifacts
  /** False (nothing written) when the session does not exist. */
  insertArtifact(artifact: Artifact, liveAt?: string): Promise<boolean>;
  artifactsByIds(ids: readonly string[], liveAt?: string): Promise<Artifact[]>;
  artifactPages(sessionIds: readonly string[], slice: Slice<string>, liveAt?: string): Promise<Map<string, Artifact[]>>;
  artifactCounts(sessionIds: readonly string[], liveAt?: string): Promise<Map<string, number>>;
  deleteArtifact(id: string, liveAt?: string): Promise<boolean>;

  // metrics
  insertMetrics(metrics: readonly Metric[]): Promise<void>;
  listMetrics(filter: MetricFilter, slice: Slice<MetricKey>): Promise<Metric[]>;
  countMetrics(filter: MetricFilter): Promise<number>;
  /** Per-session metric pages; `filter.sessionId` is ignored (the session ids are the filter). */
  metricPages(sessionIds: readonly string[], filter: MetricFilter, slice: Slice<MetricKey>): Promise<Map<string, Metric[]>>;
  metricCounts(sessionIds: readonly string[], filter: MetricFilter): Promise<Map<string, number>>;

  // the change feed (domain/events.ts)
  /**
   * Every write method above appends its events (`eventsOf`) in the same transaction as the write:
   * a committed write has its events, a failed one has none. Seqs are handed out in commit order —
   * once a reader has seen seq N, no event below N can appear later — so "everything after the last
   * seq I saw" never misses one.
   */
  /** Events of `scope` with seq above `afterSeq`, in seq order, at most `limit`. */
  eventsAfter(scope: EventScope, afterSeq: number, limit: number): Promise<StoredEvent[]>;
  /** The highest seq handed out so far, and the highest seq pruning may have removed (0: none). */
  eventLog(): Promise<EventLog>;
  /**
   * Deletes up to `limit` events committed before `before` (ISO time), oldest first, and moves
   * `prunedThrough`; how many were deleted.
   */
  pruneEvents(before: string, limit: number): Promise<number>;
  /**
   * Calls `wake` whenever events may have been appended: at once after this backend commits, and
   * soon after another process does (PostgreSQL: LISTEN/NOTIFY; SQLite: a poll while someone
   * listens). A wake-up carries no events — the listener reads them — only which sessions and
   * agents got some (null: maybe any), so that readers of others need not look. Returns the
   * unsubscribe.
   */
  onEvents(wake: (touch: EventTouch | null) => void): () => void;

  // moving data (the export/import CLI)
  /**
   * Writes a session exactly as exported — ids, timestamps and `seq` kept — in one transaction:
   * all of it or nothing. Idempotent: rows that already exist (by id) are left as they are, so
   * importing the same bundle twice creates no duplicates. A message whose `seq` is taken by a
   * different message in the target is a `ConflictError` (and nothing of the session is written).
   */
  importSession(bundle: SessionBundle): Promise<ImportCounts>;
  /** Inserts metrics with their ids; ones that already exist are skipped. How many were new. */
  importMetrics(metrics: readonly Metric[]): Promise<number>;
  /**
   * `importSession` writes a fork's `parentId` only when its parent is already there (bundles list
   * forks before their parents, and a bundle may lack the parent): this restores those links once
   * both sessions exist. A link is made only for a fork without a parent; how many were made.
   */
  linkParents(links: readonly ParentLink[]): Promise<number>;
}

/**
 * API keys, kept in the default tenant's database (the one `DATABASE_URL` names), which every
 * replica shares. Only a key's SHA-256 hash is stored; the secret is shown once, at creation.
 */
export interface ApiKeyStore {
  insertApiKey(key: ApiKey, hash: string): Promise<void>;
  /** The key with this hash, revoked or not; null when there is none. */
  apiKeyByHash(hash: string): Promise<ApiKey | null>;
  apiKeyById(id: string): Promise<ApiKey | null>;
  /** In creation order; `tenant` null: every tenant's. */
  listApiKeys(tenant: string | null): Promise<ApiKey[]>;
  /** Marks the key revoked (a key revoked before keeps its time); false when there is no such key. */
  revokeApiKey(id: string, revokedAt: string): Promise<boolean>;
}

export type { Slice } from '../domain/paging.js';

export interface EventLog {
  lastSeq: number;
  prunedThrough: number;
}

export interface SessionBundle {
  session: Session;
  /** In `seq` order. */
  messages: readonly Message[];
  state: State | null;
  artifacts: readonly Artifact[];
}

export interface ImportCounts {
  /** 1 when the session row was new, else 0. */
  sessions: number;
  messages: number;
  states: number;
  artifacts: number;
}

/** A message as appended: its fields, nothing of the append's bookkeeping (`idFromClient`). */
export function newMessage(m: NewMessage, sessionId: string, seq: number): Message {
  return {
    id: m.id,
    sessionId,
    seq,
    role: m.role,
    content: m.content,
    timestamp: m.timestamp,
    metadata: m.metadata,
    idempotencyKey: m.idempotencyKey ?? null,
  };
}

export type NewMessage = Omit<Message, 'seq' | 'idempotencyKey'> & {
  /** Null or absent: none. */
  idempotencyKey?: string | null;
  /** The client chose `id`: a message stored under it may be a repeat (see `appendMessages`). */
  idFromClient?: boolean;
};

export type NewState = Omit<State, 'version'>;

/** What a fork is made from (see `forkSession`). */
export interface ForkSource {
  parent: Session;
  /** The parent's message the fork is cut at. */
  cut: Message;
  /** The parent's history up to and including `cut`, in seq order. */
  messages: readonly Message[];
  state: State | null;
  /** In creation order. */
  artifacts: readonly Artifact[];
}

/** The fork as written, or what was missing: the parent session, or the message in it. */
export type ForkOutcome = { fork: SessionBundle } | { missing: 'session' | 'message' };

export interface ParentLink {
  id: string;
  parentId: string;
}

/** Sort key of metrics: time, then id for a total order among equal timestamps. */
export interface MetricKey {
  timestamp: string;
  id: string;
}

/**
 * The JSON shape of a record on a wire: `[name in the JSON, field of the record]` pairs, in the
 * order they are written. The door that owns the wire format defines it; a backend that builds JSON
 * itself follows it (see `historyJson`).
 */
export type JsonFields<R> = readonly (readonly [name: string, field: keyof R & string])[];

/** A record as the plain object `fields` describe (what `JSON.stringify` then writes). */
export function toJsonObject<R>(record: R, fields: JsonFields<R>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of fields) out[name] = record[field];
  return out;
}

/** Records as the JSON array of `fields` objects: the reference for a backend's own JSON. */
export function recordsToJson<R>(records: readonly R[], fields: JsonFields<R>): string {
  return JSON.stringify(records.map((record) => toJsonObject(record, fields)));
}

