import { createSessionInput, shortText, updateSessionInput } from '../../domain/inputs.js';
import { SESSION_STATUSES, type Session as SessionRecord } from '../../domain/records.js';
import { builder, enumValues } from '../builder.js';
import {
  artifactKeyset,
  messageKeyset,
  metricKeyset,
  pagedByDefault,
  readPage,
  sessionKeyset,
  toConnection,
  wholeByDefault,
} from '../pagination.js';
import { parsed } from '../validation.js';
import { Artifact, ArtifactConnection } from './Artifact.js';
import { Message, MessageConnection } from './Message.js';
import { Metric, MetricConnection } from './Metric.js';
import { State } from './State.js';

export const SessionStatus = builder.enumType('SessionStatus', { values: enumValues(SESSION_STATUSES) });

export const Session = builder.objectRef<SessionRecord>('Session');

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
    history: t.connection(
      {
        type: Message,
        description:
          'The messages in conversation order. Without paging arguments: the whole history, up to the ' +
          'server\'s page ceiling (MAX_PAGE_SIZE); pageInfo.hasNextPage says whether more follow.',
        resolve: async (session, args, { config, loaders }) => {
          const page = readPage(args, messageKeyset, wholeByDefault(config));
          const rows = await loaders.historyPage(page.slice).load(session.id);
          return toConnection(rows, page, messageKeyset, () => loaders.historyCount.load(session.id));
        },
      },
      MessageConnection,
    ),
    state: t.field({
      type: State,
      nullable: true,
      description: 'The state the agent saved for this session; null when none is set.',
      resolve: (session, _args, { loaders }) => loaders.state.load(session.id),
    }),
    artifacts: t.connection(
      {
        type: Artifact,
        description: 'Artifacts in creation order; without paging arguments all of them, up to the page ceiling.',
        resolve: async (session, args, { config, loaders }) => {
          const page = readPage(args, artifactKeyset, wholeByDefault(config));
          const rows = await loaders.artifactPage(page.slice).load(session.id);
          return toConnection(rows, page, artifactKeyset, () => loaders.artifactCount.load(session.id));
        },
      },
      ArtifactConnection,
    ),
    metrics: t.connection(
      {
        type: Metric,
        description: 'Metrics recorded for this session, oldest first; 100 per page unless asked otherwise.',
        args: {
          metricName: t.arg.string({ validate: { schema: shortText } }),
          since: t.arg({ type: 'DateTime', description: 'Only metrics at or after this time.' }),
          until: t.arg({ type: 'DateTime', description: 'Only metrics at or before this time.' }),
        },
        resolve: async (session, args, { config, loaders }) => {
          const filter = { metricName: args.metricName, since: args.since, until: args.until };
          const page = readPage(args, metricKeyset, pagedByDefault(config));
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
  }),
});

const UpdateSessionInput = builder.inputType('UpdateSessionInput', {
  description: 'A partial update: a field left out (or null) keeps its value.',
  fields: (t) => ({
    agentName: t.string(),
    userId: t.string(),
    status: t.field({ type: SessionStatus }),
    metadata: t.field({ type: 'JSONObject', description: 'Replaces the whole metadata object.' }),
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
      description: 'Sessions, newest first; 100 per page unless asked otherwise.',
      args: {
        agentName: t.arg.string({ validate: { schema: shortText } }),
        userId: t.arg.string({ validate: { schema: shortText } }),
        status: t.arg({ type: SessionStatus }),
      },
      resolve: async (_root, args, { config, storage }) => {
        const filter = { agentName: args.agentName, userId: args.userId, status: args.status };
        const page = readPage(args, sessionKeyset, pagedByDefault(config));
        const rows = await storage.listSessions(filter, page.slice);
        return toConnection(rows, page, sessionKeyset, () => storage.countSessions(filter));
      },
    },
    SessionConnection,
  ),
}));

builder.mutationFields((t) => ({
  createSession: t.field({
    type: Session,
    args: { input: t.arg({ type: CreateSessionInput, required: true, validate: { schema: createSessionInput } }) },
    resolve: (_root, args, { storage }) => storage.createSession(parsed(createSessionInput, args.input)),
  }),
  updateSession: t.field({
    type: Session,
    args: {
      id: t.arg.id({ required: true }),
      input: t.arg({ type: UpdateSessionInput, required: true, validate: { schema: updateSessionInput } }),
    },
    resolve: (_root, args, { storage }) => storage.updateSession(args.id, parsed(updateSessionInput, args.input)),
  }),
  deleteSession: t.id({
    description: 'Deletes the session with its history, state and artifacts (its metrics stay). Returns the deleted id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { storage }) => {
      await storage.deleteSession(id);
      return id;
    },
  }),
}));
