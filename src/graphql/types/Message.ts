import { NotFoundError } from '../../domain/errors.js';
import { addMessageInput, newMessagesInput, shortText } from '../../domain/inputs.js';
import { MESSAGE_ROLES, type Message as MessageRecord } from '../../domain/records.js';
import { builder, enumValues } from '../builder.js';
import { parsed } from '../validation.js';
import { Session } from './Session.js';

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
    session: t.field({
      type: Session,
      resolve: async (message, _args, { loaders }) => {
        const session = await loaders.session.load(message.sessionId);
        // Deleting a session deletes its messages; only a concurrent delete can get here.
        if (!session) throw new NotFoundError('Session');
        return session;
      },
    }),
  }),
});

const NewMessageInput = builder.inputType('NewMessageInput', {
  fields: (t) => ({
    role: t.field({ type: MessageRole, required: true }),
    content: t.string({ required: true }),
    metadata: t.field({ type: 'JSONObject', description: 'Defaults to {}.' }),
  }),
});

const AddMessageInput = builder.inputType('AddMessageInput', {
  fields: (t) => ({
    sessionId: t.id({ required: true }),
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
    description: 'Appends one message to a session\'s history.',
    args: { input: t.arg({ type: AddMessageInput, required: true, validate: { schema: addMessageInput } }) },
    resolve: (_root, args, { storage }) => storage.addMessage(parsed(addMessageInput, args.input)),
  }),
  addMessages: t.field({
    type: [Message],
    description: 'Appends messages in order, all or nothing: if one is invalid, or the session does not exist, none is stored.',
    args: {
      sessionId: t.arg.id({ required: true, validate: { schema: shortText } }),
      messages: t.arg({ type: [NewMessageInput], required: true, validate: { schema: newMessagesInput } }),
    },
    resolve: (_root, args, { storage }) => storage.addMessages(args.sessionId, parsed(newMessagesInput, args.messages)),
  }),
  clearHistory: t.field({
    type: 'NonNegativeInt',
    description: 'Deletes all messages of a session; returns how many were deleted (0 for an unknown session).',
    args: { sessionId: t.arg.id({ required: true }) },
    resolve: (_root, { sessionId }, { storage }) => storage.clearHistory(sessionId),
  }),
}));
