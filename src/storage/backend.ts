import type { MetricFilter, SessionFilter } from '../domain/inputs.js';
import type { Json } from '../domain/json.js';
import type { Runner } from '../db/runner.js';
import type { AppendEvents } from '../modules/events/append.js';
import type { EventWaiters } from '../modules/events/waiters.js';
import type { Stores } from './stores.js';
import type { Slice } from '../domain/paging.js';
import type { Artifact, Message, Session, State } from '../domain/records.js';

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
export interface StorageBackend {
  /** Shown by `/health`. */
  readonly kind: 'sqlite' | 'postgres';
  /** Runs the statements of this database; the module stores (`store.ts` of each module) run theirs through it. */
  readonly runner: Runner;
  /** Appends events inside a transaction's work, and wakes this process's readers once it committed. */
  readonly appendEvents: AppendEvents;
  /**
   * The change feed's waiting readers: woken at once after this backend commits events, and soon
   * after another process does (PostgreSQL: LISTEN/NOTIFY; SQLite: a poll while someone listens).
   */
  readonly eventWaiters: EventWaiters;
  /** The modules' stores over this database (see `stores.ts`). */
  readonly stores: Stores;

  /** Cheap liveness probe of the database. */
  ping(): Promise<void>;
  close(): Promise<void>;

  // sessions
  insertSession(session: Session): Promise<void>;
  sessionsByIds(ids: readonly string[], liveAt?: string): Promise<Session[]>;
  /**
   * Applies the non-null fields of `patch` (and `expiresAt` when it is not undefined) atomically;
   * null when the session does not exist — or is not in `scope`.
   */
  updateSession(id: string, patch: SessionPatch, scope?: SessionScope): Promise<Session | null>;
  /** Deletes the session with its history, state and artifacts (metrics stay); false when it does not exist or is not in `scope`. */
  deleteSession(id: string, scope?: SessionScope): Promise<boolean>;
  listSessions(filter: SessionFilter, slice: Slice<string>, liveAt?: string): Promise<Session[]>;
  countSessions(filter: SessionFilter, liveAt?: string): Promise<number>;

  // retention
  /**
   * Up to `limit` sessions that `rule` selects, in the order of its time column (`expiresAt` for
   * `expired`, `updatedAt` otherwise) then id, strictly after `after`: a keyset walk through an
   * index, so a huge sweep is a series of small, bounded reads.
   */
  retentionCandidates(rule: RetentionRule, after: RetentionKey | null, limit: number): Promise<RetentionKey[]>;

  // forks
  /**
   * Creates a fork of a session in one transaction: reads the parent, its history up to and
   * including `upToMessageId` (which must be one of its messages), its state and its artifacts,
   * hands them to `build` — the domain's copying rules, synchronous and pure: a backend may call it
   * again when it retries — and writes the session bundle it returns exactly as given.
   */
  forkSession(parentId: string, upToMessageId: string, build: (source: ForkSource) => SessionBundle, liveAt?: string): Promise<ForkOutcome>;
  /** The forks of each session (sessions whose `parentId` it is), in creation order (by id). */
  forkPages(sessionIds: readonly string[], slice: Slice<string>, liveAt?: string): Promise<Map<string, Session[]>>;
  forkCounts(sessionIds: readonly string[], liveAt?: string): Promise<Map<string, number>>;


  // moving data (the export/import CLI)
  /**
   * Writes a session exactly as exported — ids, timestamps and `seq` kept — in one transaction:
   * all of it or nothing. Idempotent: rows that already exist (by id) are left as they are, so
   * importing the same bundle twice creates no duplicates. A message whose `seq` is taken by a
   * different message in the target is a `ConflictError` (and nothing of the session is written).
   */
  importSession(bundle: SessionBundle): Promise<ImportCounts>;
  /**
   * `importSession` writes a fork's `parentId` only when its parent is already there (bundles list
   * forks before their parents, and a bundle may lack the parent): this restores those links once
   * both sessions exist. A link is made only for a fork without a parent; how many were made.
   */
  linkParents(links: readonly ParentLink[]): Promise<number>;
}

export type { Slice } from '../domain/paging.js';

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

export interface SessionPatch {
  agentName?: string | null;
  userId?: string | null;
  status?: Session['status'] | null;
  metadata?: Session['metadata'] | null;
  /** Unlike the fields above: undefined keeps the expiry, null removes it, a time sets it. */
  expiresAt?: string | null;
  updatedAt: string;
}

/**
 * The retention rules, each a condition on a session at a moment (see `storage/retention.ts`).
 * A backend turns one into a `WHERE` fragment, used both to pick candidates and inside the write
 * that ends or deletes one: a session changed since it was picked (its expiry moved, a client
 * touched it) no longer matches, and is left alone.
 */
export type RetentionRule =
  /** `expiresAt` at or before `at`. */
  | { kind: 'expired'; at: string }
  /**
   * Live at `at`, of `status` (`active` or `paused`: one at a time, so that the walk follows one
   * index range in order), and neither updated nor appended to since `since`.
   */
  | { kind: 'idle'; status: 'active' | 'paused'; at: string; since: string }
  /** Live at `at`, `ended`, and not updated since `before`. */
  | { kind: 'ended'; at: string; before: string };

/** Where a retention walk is: the rule's time column and the session id. */
export interface RetentionKey {
  id: string;
  at: string;
}

/** Which sessions a by-id write may touch: those live at `liveAt`, and/or those `rule` selects. Empty: any. */
export interface SessionScope {
  liveAt?: string;
  rule?: RetentionRule;
}

/**
 * The JSON shape of a record on a wire: `[name in the JSON, field of the record]` pairs, in the
 * order they are written. The door that owns the wire format defines it; a backend that builds JSON
 * itself follows it (see `HistoryStore.json`).
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

