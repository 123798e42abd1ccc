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

  // forks
  /**
   * Creates a fork of a session in one transaction: reads the parent, its history up to and
   * including `upToMessageId` (which must be one of its messages), its state and its artifacts,
   * hands them to `build` — the domain's copying rules, synchronous and pure: a backend may call it
   * again when it retries — and writes the session bundle it returns exactly as given.
   */
  forkSession(parentId: string, upToMessageId: string, build: (source: ForkSource) => SessionBundle, liveAt?: string): Promise<ForkOutcome>;


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

