import { decodeCursor, encodeCursor } from './cursors.js';
import type { Json, JsonObject } from './json.js';
import type { Artifact, ArtifactContent, Message, Metric, Session, State } from './records.js';

/**
 * The change feed: every write appends events, in the same transaction as the write, numbered by
 * one monotonically increasing `seq` per database (per tenant). Readers page through them by seq
 * (`EventStore.after`) and wait for more (`EventWaiters`); see modules/events/.
 *
 * The rules "which write yields which event" live here, once: each backend calls the function named
 * after the write it just did, inside that write's transaction, and stores what it returns. A write
 * that changed nothing (deleting what is not there, clearing an empty history, a repeated append)
 * yields nothing.
 */

export const EVENT_TYPES = [
  'SessionCreated',
  'SessionUpdated',
  'SessionDeleted',
  'MessageAdded',
  'HistoryCleared',
  'MessagePopped',
  'MessageReplaced',
  'HistoryRewritten',
  'StateChanged',
  'StateDeleted',
  'ArtifactCreated',
  'ArtifactDeleted',
  'ArtifactContentSaved',
  'ArtifactContentDeleted',
  'MetricRecorded',
  'CheckpointPut',
  'CheckpointWritesPut',
  'ThreadDeleted',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * What an event says, by type: a snapshot of the record as written, so that the event can still be
 * answered after the record changed or is gone (a MessageAdded after the history was cleared).
 */
export type EventBody =
  | { type: 'SessionCreated'; session: Session }
  | { type: 'SessionUpdated'; session: Session }
  /** The session as it was; its history, state and artifacts went with it (no events of their own). */
  | { type: 'SessionDeleted'; session: Session }
  | { type: 'MessageAdded'; message: Message }
  | { type: 'HistoryCleared'; deleted: number }
  /** The last message was popped (it is kept as superseded). */
  | { type: 'MessagePopped'; message: Message }
  /** A message was replaced in place by an append naming it (its previous version is kept as superseded). */
  | { type: 'MessageReplaced'; message: Message }
  /** The last messages were rewritten (kept as superseded); the replacements follow as MessageAdded. */
  | { type: 'HistoryRewritten'; operationId: string; reason: 'rewritten' | 'compacted'; supersededIds: string[] }
  | { type: 'StateChanged'; state: State }
  | { type: 'StateDeleted' }
  | { type: 'ArtifactCreated'; artifact: Artifact }
  /** The artifact record as it was. */
  | { type: 'ArtifactDeleted'; artifact: Artifact }
  /** A new version of an artifact's content (the bytes are not in the event). */
  | { type: 'ArtifactContentSaved'; content: ArtifactContent }
  /** Versions of an artifact's content deleted by a client (not by deleting the artifact or its session). */
  | { type: 'ArtifactContentDeleted'; artifactId: string; versions: number[] }
  | { type: 'MetricRecorded'; metric: Metric }
  /** LangGraph checkpoints (modules/checkpoints/): what was put, without its bytes. */
  | { type: 'CheckpointPut'; threadId: string; namespace: string; checkpointId: string; parentId: string | null; metadata: JsonObject }
  | { type: 'CheckpointWritesPut'; threadId: string; namespace: string; checkpointId: string; taskId: string; count: number }
  /** The thread with its checkpoints, channel values and writes (by a client or by retention). */
  | { type: 'ThreadDeleted'; threadId: string };

/** An event before it is stored: the backend adds `seq` and `time` when it appends it. */
export type NewEvent = EventBody & {
  sessionId: string;
  /** The session's agent, for `agentEvents`. */
  agentName: string;
};

/** An event as stored. */
export type StoredEvent = NewEvent & {
  /** Position in the database's feed: increasing, in commit order (numbers may be skipped). */
  seq: number;
  /** When the write was committed (the database's clock), ISO 8601 UTC. */
  time: string;
};

/** Whose events a subscriber reads. */
export type EventScope = { sessionId: string } | { agentName: string };

/**
 * A LangGraph thread's events are stored under the key `thread:<id>` in the session column, with
 * no agent: session ids always start with `session_` and agent names are never empty, so neither
 * feed can reach them, and the session feed's machinery (index, waiters, NOTIFY) serves threads too.
 */
export const threadFeedKey = (threadId: string): string => `thread:${threadId}`;

/** What a subscriber asks for: a session's, an agent's or a LangGraph thread's events. */
export type FeedScope = EventScope | { threadId: string };

/** The feed's own scope of what a subscriber asks for. */
export const feedScope = (scope: FeedScope): EventScope => ('threadId' in scope ? { sessionId: threadFeedKey(scope.threadId) } : scope);

/**
 * What a wake-up says was written: the sessions and agents that got events. Null when it cannot
 * say (a reconnect, an announcement too large): then every reader looks.
 */
export interface EventTouch {
  sessionIds: ReadonlySet<string>;
  agentNames: ReadonlySet<string>;
}

/** Whether events described by `touch` may concern a reader of `scope`. */
export function touches(touch: EventTouch | null, scope: EventScope): boolean {
  if (touch === null) return true;
  return 'sessionId' in scope ? touch.sessionIds.has(scope.sessionId) : touch.agentNames.has(scope.agentName);
}

/** The touch of some events, accumulated into `into` when given. */
export function touchOf(events: readonly NewEvent[], into: { sessionIds: Set<string>; agentNames: Set<string> } = { sessionIds: new Set(), agentNames: new Set() }) {
  for (const e of events) {
    into.sessionIds.add(e.sessionId);
    into.agentNames.add(e.agentName);
  }
  return into;
}

/** The payload column: what the event says beyond its columns (type, session, agent). */
export function eventPayload({ type: _type, sessionId: _session, agentName: _agent, ...payload }: NewEvent): Json {
  return payload as unknown as Json;
}

/** An event read back from its columns. */
export function storedEvent(row: { seq: number; type: string; sessionId: string; agentName: string; time: string; payload: Json }): StoredEvent {
  return {
    ...(row.payload as object),
    type: row.type as EventType,
    seq: row.seq,
    sessionId: row.sessionId,
    agentName: row.agentName,
    time: row.time,
  } as StoredEvent;
}

// --- which write yields which events ----------------------------------------------------------

const about = (session: Pick<Session, 'id' | 'agentName'>) => ({ sessionId: session.id, agentName: session.agentName });

export const eventsOf = {
  /** A new session, and also a fork (whose copied history, state and artifacts are part of it). */
  sessionInserted: (session: Session): NewEvent[] => [{ type: 'SessionCreated', session, ...about(session) }],
  sessionUpdated: (session: Session): NewEvent[] => [{ type: 'SessionUpdated', session, ...about(session) }],
  sessionDeleted: (session: Session): NewEvent[] => [{ type: 'SessionDeleted', session, ...about(session) }],
  /** Only the messages stored by this append: a repeat answered from storage adds nothing. */
  messagesAppended: (agentName: string, added: readonly Message[]): NewEvent[] =>
    added.map((message) => ({ type: 'MessageAdded', message, sessionId: message.sessionId, agentName })),
  historyCleared: (session: Pick<Session, 'id' | 'agentName'>, deleted: number): NewEvent[] =>
    deleted > 0 ? [{ type: 'HistoryCleared', deleted, ...about(session) }] : [],
  messagePopped: (agentName: string, message: Message): NewEvent[] => [{ type: 'MessagePopped', message, sessionId: message.sessionId, agentName }],
  messagesReplaced: (agentName: string, replaced: readonly Message[]): NewEvent[] =>
    replaced.map((message) => ({ type: 'MessageReplaced', message, sessionId: message.sessionId, agentName })),
  /** The rewrite itself, then its replacements as appended messages. */
  historyRewritten: (
    session: Pick<Session, 'id' | 'agentName'>,
    rewrite: { operationId: string; reason: 'rewritten' | 'compacted'; supersededIds: string[] },
    added: readonly Message[],
  ): NewEvent[] => [
    ...(rewrite.supersededIds.length > 0 ? [{ type: 'HistoryRewritten' as const, ...rewrite, ...about(session) }] : []),
    ...eventsOf.messagesAppended(session.agentName, added),
  ],
  /** Set, replaced or patched. */
  stateWritten: (agentName: string, state: State): NewEvent[] => [{ type: 'StateChanged', state, sessionId: state.sessionId, agentName }],
  stateDeleted: (session: Pick<Session, 'id' | 'agentName'>): NewEvent[] => [{ type: 'StateDeleted', ...about(session) }],
  artifactInserted: (agentName: string, artifact: Artifact): NewEvent[] => [
    { type: 'ArtifactCreated', artifact, sessionId: artifact.sessionId, agentName },
  ],
  artifactDeleted: (agentName: string, artifact: Artifact): NewEvent[] => [
    { type: 'ArtifactDeleted', artifact, sessionId: artifact.sessionId, agentName },
  ],
  contentSaved: (session: Pick<Session, 'id' | 'agentName'>, content: ArtifactContent): NewEvent[] => [
    { type: 'ArtifactContentSaved', content, ...about(session) },
  ],
  contentDeleted: (session: Pick<Session, 'id' | 'agentName'>, artifactId: string, versions: number[]): NewEvent[] =>
    versions.length > 0 ? [{ type: 'ArtifactContentDeleted', artifactId, versions, ...about(session) }] : [],
  /**
   * A metric belongs to the feed of its session. Metrics without one, or whose session does not
   * exist (metrics have no foreign key), are in no session's feed and yield no event.
   */
  metricsInserted: (metrics: readonly Metric[], agentOf: ReadonlyMap<string, string>): NewEvent[] =>
    metrics.flatMap((metric): NewEvent[] => {
      const agentName = metric.sessionId === null ? undefined : agentOf.get(metric.sessionId);
      return agentName === undefined ? [] : [{ type: 'MetricRecorded', metric, sessionId: metric.sessionId!, agentName }];
    }),
  checkpointPut: (c: { threadId: string; namespace: string; id: string; parentId: string | null; metadata: JsonObject }): NewEvent[] => [
    {
      type: 'CheckpointPut',
      threadId: c.threadId,
      namespace: c.namespace,
      checkpointId: c.id,
      parentId: c.parentId,
      metadata: c.metadata,
      ...aboutThread(c.threadId),
    },
  ],
  checkpointWritesPut: (c: { threadId: string; namespace: string; id: string }, taskId: string, count: number): NewEvent[] =>
    count > 0 ? [{ type: 'CheckpointWritesPut', threadId: c.threadId, namespace: c.namespace, checkpointId: c.id, taskId, count, ...aboutThread(c.threadId) }] : [],
  threadDeleted: (threadId: string): NewEvent[] => [{ type: 'ThreadDeleted', threadId, ...aboutThread(threadId) }],
};

function aboutThread(threadId: string) {
  return { sessionId: threadFeedKey(threadId), agentName: '' };
}

// --- cursors -----------------------------------------------------------------------------------

/**
 * An event's cursor: `["event", seq]` in the form of every cursor (domain/cursors.ts), and the same
 * in both doors (REST's SSE `id:`).
 */
export function encodeEventCursor(seq: number): string {
  return encodeCursor('event', [seq]);
}

/** The seq a cursor stands for; null for anything `encodeEventCursor` did not make. */
export function decodeEventCursor(cursor: string): number | null {
  const parts = decodeCursor(cursor, 'event');
  if (parts?.length !== 1) return null;
  const seq = parts[0];
  return Number.isSafeInteger(seq) && (seq as number) >= 0 ? (seq as number) : null;
}
