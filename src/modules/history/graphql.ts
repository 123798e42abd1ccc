import { NotFoundError } from '../../domain/errors.js';
import { addMessageInput, newMessagesInput, shortText } from '../../domain/inputs.js';
import { MESSAGE_ROLES, type Message as MessageRecord } from '../../domain/records.js';
import { builder, enumValues } from '../../graphql/builder.js';
import { READS_OTHER_RECORDS } from '../../graphql/scopes.js';
import { parsed } from '../../graphql/validation.js';
import { Session } from '../sessions/graphql.js';

export const MessageRole = builder.enumType('MessageRole', { values: enumValues(MESSAGE_ROLES) });

export const Message = builder.objectRef<MessageRecord>('Message');

export const MessageConnection = builder.connectionObject({ type: Message, name: 'MessageConnection' });

Message.implement({
  description: 'One message of a session\'s history.',
  fields: (t) => ({
    id: t.exposeID('id'),
    sessionId: t.exposeID('sessionId'),
    seq: t.exposeInt('seq', { description: 'Position in the conversation, from 1: the order of record.' }),
    role: t.expose('role', { type: MessageRole }),
    content: t.exposeString('content'),
    timestamp: t.expose('timestamp', { type: 'DateTime' }),
    metadata: t.expose('metadata', { type: 'JSONObject' }),
    idempotencyKey: t.exposeString('idempotencyKey', {
      nullable: true,
      description: 'The key the client appended this message with, unique within the session; null when none was given.',
    }),
    session: t.field({
      type: Session,
      extensions: READS_OTHER_RECORDS,
      resolve: async (message, _args, { loaders }) => {
        const session = await loaders.session.load(message.sessionId);
        // Deleting a session deletes its messages; only a concurrent delete can get here.
        if (!session) throw new NotFoundError('Session');
        return session;
      },
    }),
  }),
});

const ID_FIELD = 'Optional: the message\'s id, chosen by the client ("msg_" then letters, digits, "_" or "-"). Sending the same message again with it stores nothing new and answers the message stored the first time; another message with this id is a CONFLICT.';
const KEY_FIELD = 'Optional: a key for this append, unique within the session. Repeating the append with it stores nothing new and answers the message stored the first time; another message with this key is a CONFLICT.';

const NewMessageInput = builder.inputType('NewMessageInput', {
  fields: (t) => ({
    id: t.id({ description: ID_FIELD }),
    idempotencyKey: t.string({ description: KEY_FIELD }),
    role: t.field({ type: MessageRole, required: true }),
    content: t.string({ required: true }),
    metadata: t.field({ type: 'JSONObject', description: 'Defaults to {}.' }),
  }),
});

const AddMessageInput = builder.inputType('AddMessageInput', {
  fields: (t) => ({
    sessionId: t.id({ required: true }),
    id: t.id({ description: ID_FIELD }),
    idempotencyKey: t.string({ description: KEY_FIELD }),
    role: t.field({ type: MessageRole, required: true }),
    content: t.string({ required: true }),
    metadata: t.field({ type: 'JSONObject', description: 'Defaults to {}.' }),
  }),
});

builder.queryFields((t) => ({
  message: t.field({
    type: Message,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { loaders }) => loaders.message.load(id),
  }),
}));

builder.mutationFields((t) => ({
  addMessage: t.field({
    type: Message,
    description: 'Appends one message to a session\'s history (idempotent with `input.id` or `input.idempotencyKey`).',
    args: { input: t.arg({ type: AddMessageInput, required: true, validate: { schema: addMessageInput } }) },
    resolve: (_root, args, { storage }) => storage.history.add(parsed(addMessageInput, args.input)),
  }),
  addMessages: t.field({
    type: [Message],
    description:
      'Appends messages in order, all or nothing: if one is invalid or conflicts, or the session does not exist, none is stored. ' +
      'A message that repeats one stored before (same id or idempotency key, same role, content and metadata) is answered with it instead.',
    args: {
      sessionId: t.arg.id({ required: true, validate: { schema: shortText } }),
      messages: t.arg({ type: [NewMessageInput], required: true, validate: { schema: newMessagesInput } }),
    },
    resolve: (_root, args, { storage }) => storage.history.addMany(args.sessionId, parsed(newMessagesInput, args.messages)),
  }),
  clearHistory: t.field({
    type: 'NonNegativeInt',
    description: 'Deletes all messages of a session; returns how many were deleted (0 for an unknown session).',
    args: { sessionId: t.arg.id({ required: true }) },
    resolve: (_root, { sessionId }, { storage }) => storage.history.clear(sessionId),
  }),
}));
