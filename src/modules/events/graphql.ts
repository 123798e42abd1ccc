import { type DomainError, ValidationError } from '../../domain/errors.js';
import { encodeEventCursor, type FeedScope, type EventType, type StoredEvent } from '../../domain/events.js';
import { shortText } from '../../domain/inputs.js';
import { endReason } from '../../http/event-streams.js';
import { builder } from '../../graphql/builder.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { ArtifactContent } from '../artifacts/content-graphql.js';
import { Artifact } from '../artifacts/graphql.js';
import { Message, RewriteReason } from '../history/graphql.js';
import { Metric } from '../metrics/graphql.js';
import { Session } from '../sessions/graphql.js';
import { State } from '../state/graphql.js';
import { parsed } from '../../graphql/validation.js';
import type { EventStream } from './stream.js';

/**
 * The change feed over GraphQL subscriptions, served over SSE by Yoga (`Accept: text/event-stream`,
 * e.g. the `graphql-sse` client) and over a WebSocket (the `graphql-ws` protocol,
 * http/graphql-ws.ts). Each event is one of the types below, all `StorageEvent`s.
 */

type Of<T extends EventType> = Extract<StoredEvent, { type: T }>;

export const StorageEvent = builder.interfaceRef<StoredEvent>('StorageEvent').implement({
  description: 'Something a write did, in the order of record. Pass `cursor` as `after` to resume right after it.',
  resolveType: (event) => event.type,
  fields: (t) => ({
    cursor: t.string({ description: 'Opaque; resume after this event with `after`.', resolve: (e) => encodeEventCursor(e.seq) }),
    seq: t.field({
      type: 'SafeInt',
      description: 'Position in the feed of this database: increasing in commit order (numbers may be skipped).',
      resolve: (e) => e.seq,
    }),
    time: t.expose('time', { type: 'DateTime', description: 'When the write was committed.' }),
    sessionId: t.exposeID('sessionId'),
    agentName: t.exposeString('agentName', { description: "The session's agent." }),
  }),
});

// One object type per event; `isTypeOf` is not needed: the interface resolves the type by name.

builder.objectRef<Of<'SessionCreated'>>('SessionCreated').implement({
  description: 'A session was created (or forked: its copied history, state and artifacts come with it).',
  interfaces: [StorageEvent],
  fields: (t) => ({
    session: t.field({ type: Session, description: 'As created.', resolve: (e) => e.session }),
  }),
});

builder.objectRef<Of<'SessionUpdated'>>('SessionUpdated').implement({
  description: 'A session was updated.',
  interfaces: [StorageEvent],
  fields: (t) => ({
    session: t.field({ type: Session, description: 'As updated.', resolve: (e) => e.session }),
  }),
});

builder.objectRef<Of<'SessionDeleted'>>('SessionDeleted').implement({
  description: 'A session was deleted, with its history, state and artifacts (they yield no events of their own).',
  interfaces: [StorageEvent],
  fields: (t) => ({
    session: t.field({ type: Session, description: 'As it was.', resolve: (e) => e.session }),
  }),
});

builder.objectRef<Of<'MessageAdded'>>('MessageAdded').implement({
  description: 'A message was appended (a repeated idempotent append adds none).',
  interfaces: [StorageEvent],
  fields: (t) => ({
    message: t.field({ type: Message, description: 'As appended, even if the history was cleared since.', resolve: (e) => e.message }),
  }),
});

builder.objectRef<Of<'HistoryCleared'>>('HistoryCleared').implement({
  description: 'The session\'s history was cleared.',
  interfaces: [StorageEvent],
  fields: (t) => ({
    deleted: t.field({ type: 'NonNegativeInt', description: 'How many messages were deleted.', resolve: (e) => e.deleted }),
  }),
});

builder.objectRef<Of<'MessagePopped'>>('MessagePopped').implement({
  description: 'The last message was popped; it stays readable as superseded history.',
  interfaces: [StorageEvent],
  fields: (t) => ({
    message: t.field({ type: Message, description: 'As it was.', resolve: (e) => e.message }),
  }),
});

builder.objectRef<Of<'MessageReplaced'>>('MessageReplaced').implement({
  description: 'A message was replaced in place (same id and seq) by an append naming it; its previous version stays readable as superseded history.',
  interfaces: [StorageEvent],
  fields: (t) => ({
    message: t.field({ type: Message, description: 'As replaced.', resolve: (e) => e.message }),
  }),
});

builder.objectRef<Of<'HistoryRewritten'>>('HistoryRewritten').implement({
  description: 'The last messages of the history were rewritten or compacted; the replacements follow as MessageAdded events, the originals stay readable as superseded history.',
  interfaces: [StorageEvent],
  fields: (t) => ({
    operationId: t.exposeString('operationId'),
    reason: t.field({ type: RewriteReason, resolve: (e) => e.reason }),
    supersededIds: t.field({ type: ['ID'], description: 'The messages taken out of the history.', resolve: (e) => e.supersededIds }),
  }),
});

builder.objectRef<Of<'StateChanged'>>('StateChanged').implement({
  description: 'The state was set, replaced or patched.',
  interfaces: [StorageEvent],
  fields: (t) => ({
    state: t.field({ type: State, description: 'As stored.', resolve: (e) => e.state }),
  }),
});

builder.objectRef<Of<'StateDeleted'>>('StateDeleted').implement({
  description: 'The state was deleted.',
  interfaces: [StorageEvent],
  fields: () => ({}),
});

builder.objectRef<Of<'ArtifactCreated'>>('ArtifactCreated').implement({
  description: 'An artifact record was created.',
  interfaces: [StorageEvent],
  fields: (t) => ({
    artifact: t.field({ type: Artifact, resolve: (e) => e.artifact }),
  }),
});

builder.objectRef<Of<'ArtifactDeleted'>>('ArtifactDeleted').implement({
  description: 'An artifact record was deleted.',
  interfaces: [StorageEvent],
  fields: (t) => ({
    artifact: t.field({ type: Artifact, description: 'As it was.', resolve: (e) => e.artifact }),
  }),
});

builder.objectRef<Of<'ArtifactContentSaved'>>('ArtifactContentSaved').implement({
  description: "A new version of an artifact's content was saved (its bytes are downloaded from `content.url`).",
  interfaces: [StorageEvent],
  fields: (t) => ({
    content: t.field({ type: ArtifactContent, resolve: (e) => e.content }),
  }),
});

builder.objectRef<Of<'ArtifactContentDeleted'>>('ArtifactContentDeleted').implement({
  description: "Versions of an artifact's content were deleted (deleting the artifact or its session yields ArtifactDeleted or SessionDeleted instead).",
  interfaces: [StorageEvent],
  fields: (t) => ({
    artifactId: t.exposeID('artifactId'),
    versions: t.field({ type: ['NonNegativeInt'], description: 'The versions deleted.', resolve: (e) => e.versions }),
  }),
});

builder.objectRef<Of<'MetricRecorded'>>('MetricRecorded').implement({
  description: 'A metric of the session was recorded.',
  interfaces: [StorageEvent],
  fields: (t) => ({
    metric: t.field({ type: Metric, resolve: (e) => e.metric }),
  }),
});

// LangGraph threads' events (modules/checkpoints/); their sessionId is the feed's key of the
// thread (`thread:<id>`) and their agentName is empty.

builder.objectRef<Of<'CheckpointPut'>>('CheckpointPut').implement({
  description: 'A LangGraph checkpoint was put (its bytes are read through Query.thread).',
  interfaces: [StorageEvent],
  fields: (t) => ({
    threadId: t.exposeString('threadId'),
    namespace: t.exposeString('namespace'),
    checkpointId: t.exposeString('checkpointId'),
    parentId: t.exposeString('parentId', { nullable: true }),
    metadata: t.expose('metadata', { type: 'JSONObject' }),
  }),
});

builder.objectRef<Of<'CheckpointWritesPut'>>('CheckpointWritesPut').implement({
  description: "A task's writes against a LangGraph checkpoint were put.",
  interfaces: [StorageEvent],
  fields: (t) => ({
    threadId: t.exposeString('threadId'),
    namespace: t.exposeString('namespace'),
    checkpointId: t.exposeString('checkpointId'),
    taskId: t.exposeString('taskId'),
    count: t.expose('count', { type: 'NonNegativeInt', description: 'How many writes.' }),
  }),
});

builder.objectRef<Of<'ThreadDeleted'>>('ThreadDeleted').implement({
  description: 'A LangGraph thread was deleted with its checkpoints (by a client, or by retention).',
  interfaces: [StorageEvent],
  fields: (t) => ({
    threadId: t.exposeString('threadId'),
  }),
});

/** The last item of a stream the server ended for a reason the client must learn: its field resolves to that error. */
class StreamEnded {
  constructor(readonly reason: DomainError) {}
}

/** The stream's events, then — if the server ended it (a revoked key) — one `StreamEnded`. */
function withEndReason(stream: EventStream, signal: AbortSignal): AsyncIterableIterator<StoredEvent | StreamEnded> {
  let told = false;
  return {
    async next() {
      const result = await stream.next();
      const reason = result.done && !told ? endReason(signal) : null;
      if (!reason) return result;
      told = true;
      return { value: new StreamEnded(reason), done: false };
    },
    // Straight to the stream, also while a `next()` waits: the client went away, its place is freed now.
    return: () => stream.return(),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** An event as the subscription field's value; the reason a stream was ended as the field's error (then it completes). */
function resolveEvent(item: StoredEvent | StreamEnded): StoredEvent {
  if (item instanceof StreamEnded) throw item.reason;
  return item;
}

/** Takes a place among the server's streams, then opens the stream (which gives it back when it ends). */
async function openStream(ctx: GraphQLContext, scope: FeedScope, after: string | null | undefined) {
  // Over any other transport Yoga refuses the result (406) without ever ending the stream, which
  // would then hold its place forever: refuse before opening one.
  if (!ctx.canStream) {
    throw new ValidationError([{ path: [], message: 'subscriptions are served over SSE (send Accept: text/event-stream) or a WebSocket (graphql-ws)' }]);
  }
  const ticket = ctx.streams.admit(ctx.principal);
  const stream = await ctx.storage.events.subscribe(scope, after ?? ctx.lastEventId, { signal: ticket.signal, onFinish: ticket.release });
  return withEndReason(stream, ticket.signal);
}

const AFTER = 'A `cursor` of an earlier event: first replay the events after it, then continue live. Default: the `Last-Event-ID` header; without either, only new events.';

builder.subscriptionField('sessionEvents', (t) =>
  t.field({
    type: StorageEvent,
    description: "A session's events: replay after `after`, then live. NOT_FOUND for an unknown session; CURSOR_EXPIRED for a cursor older than the retention window.",
    args: {
      sessionId: t.arg.id({ required: true }),
      after: t.arg.string({ description: AFTER }),
    },
    subscribe: (_root, args, ctx) => openStream(ctx, { sessionId: String(args.sessionId) }, args.after),
    resolve: resolveEvent,
  }),
);

builder.subscriptionField('agentEvents', (t) =>
  t.field({
    type: StorageEvent,
    description: "The events of every session of an agent (by the session's agent name when the event was written): replay after `after`, then live.",
    args: {
      agentName: t.arg.string({ required: true, validate: { schema: shortText } }),
      after: t.arg.string({ description: AFTER }),
    },
    subscribe: (_root, args, ctx) => openStream(ctx, { agentName: parsed(shortText, args.agentName) }, args.after),
    resolve: resolveEvent,
  }),
);

builder.subscriptionField('threadEvents', (t) =>
  t.field({
    type: StorageEvent,
    description: "A LangGraph thread's events (CheckpointPut, CheckpointWritesPut, ThreadDeleted): replay after `after`, then live. The thread need not exist yet.",
    args: {
      threadId: t.arg.string({ required: true, validate: { schema: shortText } }),
      after: t.arg.string({ description: AFTER }),
    },
    subscribe: (_root, args, ctx) => openStream(ctx, { threadId: parsed(shortText, args.threadId) }, args.after),
    resolve: resolveEvent,
  }),
);
