import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { createSessionInput, forkSessionInput, maxTokens, parseInput, seqCursor, sessionFilter, shortText, updateSessionInput } from '../../domain/inputs.js';
import { pagedByDefault, wholeByDefault } from '../../domain/paging.js';
import { SESSION_STATUSES, type Session as SessionRecord } from '../../domain/records.js';
import { builder, enumValues } from '../../graphql/builder.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { paceOf, streamsAny } from '../../graphql/incremental.js';
import { artifactKeyset, forkKeyset, messageKeyset, metricKeyset, PAGED_BY_DEFAULT, readPage, sessionKeyset, streamedConnection, toConnection } from '../../graphql/pagination.js';
import { READS_OTHER_RECORDS } from '../../graphql/scopes.js';
import { parsed } from '../../graphql/validation.js';
import { Artifact, ArtifactConnection } from '../artifacts/graphql.js';
import { Message, MessageConnection } from '../history/graphql.js';
import { Metric, MetricConnection } from '../metrics/graphql.js';
import { State } from '../state/graphql.js';

/** The fields of a connection a `@stream` can make incremental. */
const STREAMABLE = ['nodes', 'edges'];

export const SessionStatus = builder.enumType('SessionStatus', { values: enumValues(SESSION_STATUSES) });

export const Session = builder.objectRef<SessionRecord>('Session');

/**
 * The field of a record that belongs to a session (a message, a search result): its session, loaded
 * in the request's batch. Deleting a session deletes what it holds; only a concurrent delete gets
 * here without one.
 */
export const sessionOfRecord = {
  type: Session,
  extensions: READS_OTHER_RECORDS,
  resolve: async (record: { sessionId: string }, _args: unknown, { loaders }: GraphQLContext) => {
    const session = await loaders.session.load(record.sessionId);
    if (!session) throw new NotFoundError('Session');
    return session;
  },
};

export const SessionConnection = builder.connectionObject({ type: Session, name: 'SessionConnection' });

Session.implement({
  description: "An agent's conversation with a user, with its history, state, artifacts and metrics.",
  fields: (t) => ({
    id: t.exposeID('id'),
    agentName: t.exposeString('agentName'),
    userId: t.exposeString('userId', { nullable: true }),
    status: t.expose('status', { type: SessionStatus }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    metadata: t.expose('metadata', { type: 'JSONObject' }),
    parentId: t.exposeID('parentId', {
      nullable: true,
      description: 'The session this one was forked from; null for a session that is not a fork, or whose parent was deleted.',
    }),
    forkedFromMessageId: t.exposeID('forkedFromMessageId', {
      nullable: true,
      description: 'The parent\'s message this fork was cut at (its history was copied up to and including it); kept when the parent is deleted.',
    }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the session expires: from then on it reads as if it did not exist, until retention deletes it. Null: never.',
    }),
    parent: t.field({
      type: Session,
      nullable: true,
      extensions: READS_OTHER_RECORDS,
      description: 'The session this one was forked from; null when it is not a fork, or its parent was deleted.',
      resolve: (session, _args, { loaders }) => (session.parentId === null ? null : loaders.session.load(session.parentId)),
    }),
    forks: t.connection(
      {
        type: Session,
        extensions: READS_OTHER_RECORDS,
        description: 'Sessions forked from this one, in creation order; without paging arguments all of them, up to the page ceiling.',
        resolve: async (session, args, { config, loaders }) => {
          const page = readPage(args, forkKeyset, wholeByDefault(config.maxPageSize));
          const rows = await loaders.forkPage(page.slice).load(session.id);
          return toConnection(rows, page, forkKeyset, () => loaders.forkCount.load(session.id));
        },
      },
      SessionConnection,
    ),
    history: t.connection(
      {
        type: Message,
        extensions: READS_OTHER_RECORDS,
        description:
          'The messages in conversation order. Without paging arguments: the whole history, up to the ' +
          'server\'s page ceiling (MAX_PAGE_SIZE); pageInfo.hasNextPage says whether more follow.',
        args: {
          afterSeq: t.arg.int({
            description: 'Only messages after this position (seq), e.g. the last one a client has: a cursor by number. Not with `after`.',
            validate: { schema: seqCursor },
          }),
          lastTokens: t.arg.int({
            description:
              'A budget read: the newest messages whose tokens add up to at most this (unknown counts estimated at a quarter of ' +
              'their characters), in conversation order. Not with the paging arguments.',
            validate: { schema: maxTokens },
          }),
        },
        resolve: async (session, args, context, info) => {
          const { config, loaders } = context;
          if (args.lastTokens != null) {
            const paging = (['first', 'last', 'after', 'before', 'afterSeq'] as const).filter((name) => args[name] != null);
            if (paging.length > 0) throw new ValidationError(paging.map((name) => ({ path: [name], message: 'cannot be combined with lastTokens' })));
            const rows = await loaders.historyWithinTokens(args.lastTokens).load(session.id);
            const whole = { slice: { after: null, before: null, limit: rows.length + 1, fromEnd: false }, size: rows.length, backward: false };
            return toConnection(rows, whole, messageKeyset, () => loaders.historyCount.load(session.id));
          }
          const page = readPage(args, messageKeyset, wholeByDefault(config.maxPageSize));
          if (args.afterSeq != null) {
            if (args.after != null) throw new ValidationError([{ path: ['afterSeq'], message: 'cannot be combined with after: both say where to start' }]);
            page.slice.after = args.afterSeq;
          }
          const totalCount = () => loaders.historyCount.load(session.id);
          // `nodes @stream` (or `edges`): the history is read page after page as it is sent.
          if (!page.backward && streamsAny(info, STREAMABLE)) {
            const read = (after: number | null, limit: number) => loaders.historyPage({ ...page.slice, after, limit }).load(session.id);
            return streamedConnection(read, page, messageKeyset, totalCount, paceOf(context));
          }
          const rows = await loaders.historyPage(page.slice).load(session.id);
          return toConnection(rows, page, messageKeyset, totalCount);
        },
      },
      MessageConnection,
    ),
    state: t.field({
      type: State,
      nullable: true,
      extensions: READS_OTHER_RECORDS,
      description: 'The state the agent saved for this session; null when none is set.',
      resolve: (session, _args, { loaders }) => loaders.state.load(session.id),
    }),
    artifacts: t.connection(
      {
        type: Artifact,
        extensions: READS_OTHER_RECORDS,
        description: 'Artifacts in creation order; without paging arguments all of them, up to the page ceiling.',
        resolve: async (session, args, { config, loaders }) => {
          const page = readPage(args, artifactKeyset, wholeByDefault(config.maxPageSize));
          const rows = await loaders.artifactPage(page.slice).load(session.id);
          return toConnection(rows, page, artifactKeyset, () => loaders.artifactCount.load(session.id));
        },
      },
      ArtifactConnection,
    ),
    metrics: t.connection(
      {
        type: Metric,
        extensions: { ...READS_OTHER_RECORDS, ...PAGED_BY_DEFAULT },
        description: 'Metrics recorded for this session, oldest first; 100 per page unless asked otherwise.',
        args: {
          metricName: t.arg.string({ validate: { schema: shortText } }),
          since: t.arg({ type: 'DateTime', description: 'Only metrics at or after this time.' }),
          until: t.arg({ type: 'DateTime', description: 'Only metrics at or before this time.' }),
        },
        resolve: async (session, args, { config, loaders }) => {
          const filter = { metricName: args.metricName, since: args.since, until: args.until };
          const page = readPage(args, metricKeyset, pagedByDefault(config.maxPageSize));
          const rows = await loaders.metricPage({ filter, slice: page.slice }).load(session.id);
          return toConnection(rows, page, metricKeyset, () => loaders.metricCount(filter).load(session.id));
        },
      },
      MetricConnection,
    ),
  }),
});

const CreateSessionInput = builder.inputType('CreateSessionInput', {
  fields: (t) => ({
    agentName: t.string({ required: true }),
    userId: t.string(),
    status: t.field({ type: SessionStatus, description: 'Defaults to ACTIVE.' }),
    metadata: t.field({ type: 'JSONObject', description: 'Defaults to {}.' }),
    expiresAt: t.field({ type: 'DateTime', description: 'When the session expires (in the future). Not with ttlSeconds. Default: never.' }),
    ttlSeconds: t.int({ description: 'Expire the session this many seconds from now (1 to ten years). Not with expiresAt.' }),
  }),
});

const ForkSessionInput = builder.inputType('ForkSessionInput', {
  description: 'What a fork changes from its parent: a field left out (or null) is copied from the parent.',
  fields: (t) => ({
    agentName: t.string(),
    userId: t.string(),
    metadata: t.field({ type: 'JSONObject', description: 'Replaces the parent\'s metadata as a whole.' }),
  }),
});

const UpdateSessionInput = builder.inputType('UpdateSessionInput', {
  description: 'A partial update: a field left out (or null) keeps its value.',
  fields: (t) => ({
    agentName: t.string(),
    userId: t.string(),
    status: t.field({ type: SessionStatus }),
    metadata: t.field({ type: 'JSONObject', description: 'Replaces the whole metadata object.' }),
    expiresAt: t.field({ type: 'DateTime', description: 'A new expiry (in the future). Only one of expiresAt, ttlSeconds, neverExpires.' }),
    ttlSeconds: t.int({ description: 'Expire the session this many seconds from now (1 to ten years).' }),
    neverExpires: t.boolean({ description: 'true removes the expiry (null, like every field here, keeps it).' }),
  }),
});

builder.queryFields((t) => ({
  session: t.field({
    type: Session,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { loaders }) => loaders.session.load(id),
  }),
  sessions: t.connection(
    {
      type: Session,
      extensions: PAGED_BY_DEFAULT,
      description: 'Sessions, newest first; 100 per page unless asked otherwise.',
      args: {
        agentName: t.arg.string(),
        userId: t.arg.string(),
        status: t.arg({ type: SessionStatus }),
        since: t.arg({ type: 'DateTime', description: 'Only sessions created at or after this time.' }),
        until: t.arg({ type: 'DateTime', description: 'Only sessions created before this time (not at it); not before since.' }),
      },
      resolve: async (_root, args, { config, storage }) => {
        const { agentName, userId, status, since, until } = args;
        const filter = parseInput(sessionFilter, { agentName, userId, status, since, until });
        const page = readPage(args, sessionKeyset, pagedByDefault(config.maxPageSize));
        const rows = await storage.sessions.list(filter, page.slice);
        return toConnection(rows, page, sessionKeyset, () => storage.sessions.count(filter));
      },
    },
    SessionConnection,
  ),
}));

builder.mutationFields((t) => ({
  createSession: t.field({
    type: Session,
    args: { input: t.arg({ type: CreateSessionInput, required: true, validate: { schema: createSessionInput } }) },
    resolve: (_root, args, { storage }) => storage.sessions.create(parsed(createSessionInput, args.input)),
  }),
  updateSession: t.field({
    type: Session,
    args: {
      id: t.arg.id({ required: true }),
      input: t.arg({ type: UpdateSessionInput, required: true, validate: { schema: updateSessionInput } }),
    },
    resolve: (_root, args, { storage }) => storage.sessions.update(args.id, parsed(updateSessionInput, args.input)),
  }),
  forkSession: t.field({
    type: Session,
    description:
      'A new session (active, new id) that continues this one from `upToMessageId`, made in one transaction: copies of the ' +
      'history up to and including that message (new ids; the same seq, roles, contents, metadata and timestamps), of the ' +
      'state (version 1 again) and of the artifact records (new ids), with `parentId` and `forkedFromMessageId` set. ' +
      'NOT_FOUND for an unknown session; BAD_USER_INPUT when the message is not one of its messages.',
    args: {
      id: t.arg.id({ required: true, validate: { schema: shortText } }),
      upToMessageId: t.arg.id({ required: true, validate: { schema: shortText } }),
      input: t.arg({ type: ForkSessionInput, validate: { schema: forkSessionInput } }),
    },
    resolve: async (_root, args, { storage }) =>
      (await storage.sessions.fork(args.id, args.upToMessageId, args.input ? parsed(forkSessionInput, args.input) : {})).session,
  }),
  deleteSession: t.id({
    description:
      'Deletes the session with its history, state and artifacts (its metrics stay). Its forks stay too, without a parent. Returns the deleted id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { storage }) => {
      await storage.sessions.delete(id);
      return id;
    },
  }),
}));
