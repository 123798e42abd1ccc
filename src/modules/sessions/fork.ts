import type { Runner } from '../../db/runner.js';
import { eventsOf } from '../../domain/events.js';
import type { Artifact, Message, Session, State } from '../../domain/records.js';
import type { SqlArtifactStore } from '../artifacts/store.js';
import type { SqlContentStore } from '../artifacts/content-store.js';
import type { AppendEvents } from '../events/append.js';
import type { SqlHistoryStore } from '../history/store.js';
import type { SqlStateStore } from '../state/store.js';
import { lastSeqOf, type SessionBundle } from './bundle.js';
import type { SqlSessionsStore } from './store.js';

/** What a fork is made from (see `ForkStore.fork`). */
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

export interface ForkStore {
  /**
   * Creates a fork of a session live at `liveAt` in one transaction: reads the parent, its history
   * up to and including `upToMessageId` (which must be one of its messages), its state and its
   * artifacts, hands them to `build` — the domain's copying rules, synchronous and pure: it is
   * called again when a database retries — and writes the session bundle it returns exactly as
   * given, with its `SessionCreated` event.
   */
  fork(parentId: string, upToMessageId: string, build: (source: ForkSource) => SessionBundle, liveAt: string): Promise<ForkOutcome>;
}

/** The tables a fork reads and writes, each through its own module's store. */
export interface ForkTables {
  sessions: SqlSessionsStore;
  history: SqlHistoryStore;
  state: SqlStateStore;
  artifacts: SqlArtifactStore;
  contents: SqlContentStore;
}

/** Forks in a tenant's SQL database (SQLite or PostgreSQL, by its runner). */
export class SqlForkStore implements ForkStore {
  constructor(
    private readonly runner: Runner,
    private readonly appendEvents: AppendEvents,
    private readonly tables: ForkTables,
  ) {}

  fork(parentId: string, upToMessageId: string, build: (source: ForkSource) => SessionBundle, liveAt: string): Promise<ForkOutcome> {
    const { sessions, history, state, artifacts, contents } = this.tables;
    const appendEvents = this.appendEvents;
    // One transaction: what is read and what is written are one snapshot (see `forkParent`).
    return this.runner.transaction(function* () {
      const parent = yield* sessions.forkParent(parentId, liveAt);
      if (!parent) return { missing: 'session' } as const;
      const prefix = yield* history.prefix(parentId, upToMessageId);
      if (!prefix) return { missing: 'message' } as const;
      const sourceArtifacts = yield* artifacts.ofSession(parentId);
      const fork = build({ parent, cut: prefix.cut, messages: prefix.messages, state: yield* state.ofSession(parentId), artifacts: sourceArtifacts });
      yield* sessions.insertExactly(fork.session, lastSeqOf(fork.messages), false);
      yield* history.insertExactly(fork.messages, false);
      if (fork.state) yield* state.insertExactly(fork.state);
      yield* artifacts.insertExactly(fork.artifacts, false);
      // `build` copies the artifacts in their order: each copy shares its source's content (the same blobs).
      yield* contents.copy(sourceArtifacts.map((a, i) => ({ from: a.id, to: fork.artifacts[i]!.id })));
      yield* appendEvents(eventsOf.sessionInserted(fork.session));
      return { fork };
    });
  }
}
