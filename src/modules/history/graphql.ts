import { addMessageInput, newMessagesInput, rewriteHistoryInput, shortText, SUPERSEDED_REASONS } from '../../domain/inputs.js';
import { readPage, supersededKeyset, toConnection } from '../../graphql/pagination.js';
import { wholeByDefault } from '../../domain/paging.js';
import type { RewriteResult, SupersededMessage as SupersededRecord } from './superseded.js';
import { MESSAGE_ROLES, type Message as MessageRecord } from '../../domain/records.js';
import { builder, enumValues } from '../../graphql/builder.js';
import { READS_OTHER_RECORDS } from '../../graphql/scopes.js';
import { parseArg, parsed } from '../../graphql/validation.js';
import { Session, sessionOfRecord } from '../sessions/graphql.js';
import { TOKENIZER, type TokenTotal as TokenTotalRecord } from './tokens.js';

export const MessageRole = builder.enumType('MessageRole', { values: enumValues(MESSAGE_ROLES) });

export const Message = builder.objectRef<MessageRecord>('Message');

export const MessageConnection = builder.connectionObject({ type: Message, name: 'MessageConnection' });

export const SupersededReason = builder.enumType('SupersededReason', { values: enumValues(SUPERSEDED_REASONS) });
export const RewriteReason = builder.enumType('RewriteReason', { values: enumValues(['rewritten', 'compacted'] as const) });
const OnConflict = builder.enumType('OnConflict', {
  description: 'What an append does with a message whose id or idempotency key names a stored message with a different body.',
  values: {
    ERROR: { value: 'error', description: 'A CONFLICT (the default): a retry must repeat the append exactly.' },
    REPLACE: { value: 'replace', description: 'The stored message takes the new body in place (same id and seq); its previous version stays readable as superseded history.' },
  } as const,
});

Message.implement({
  description: 'One message of a session\'s history.',
  fields: (t) => ({
    id: t.exposeID('id'),
    sessionId: t.exposeID('sessionId'),
    seq: t.exposeInt('seq', { description: 'Position in the conversation, from 1: the order of record.' }),
    role: t.expose('role', { type: MessageRole }),
    content: t.exposeString('content', { description: 'The text; for a structured item given without one, the text read from the item.' }),
    item: t.expose('item', {
      type: 'JSON',
      nullable: true,
      description: 'A structured item (a tool call, its output, a UI message with parts, ...) exactly as appended; null for a plain message.',
    }),
    timestamp: t.expose('timestamp', { type: 'DateTime' }),
    metadata: t.expose('metadata', { type: 'JSONObject' }),
    idempotencyKey: t.exposeString('idempotencyKey', {
      nullable: true,
      description: 'The key the client appended this message with, unique within the session; null when none was given.',
    }),
    tokenCount: t.exposeInt('tokenCount', {
      nullable: true,
      description: 'How many tokens the message is, as the client counted it or the server estimated it when asked (countTokens); null when not known.',
    }),
    session: t.field(sessionOfRecord),
  }),
});

const COUNT_TOKENS_ARG = `The server counts the tokens of each message given without a tokenCount (an estimate: OpenAI's ${TOKENIZER} encoding).`;
const TOKEN_COUNT_FIELD = 'The message\'s number of tokens, as the client counts them (budget reads: Session.history(lastTokens:)).';

const ID_FIELD = 'Optional: the message\'s id, chosen by the client ("msg_" then letters, digits, "_" or "-"). Sending the same message again with it stores nothing new and answers the message stored the first time; another message with this id is a CONFLICT.';
const KEY_FIELD = 'Optional: a key for this append, unique within the session. Repeating the append with it stores nothing new and answers the message stored the first time; another message with this key is a CONFLICT.';

const NewMessageInput = builder.inputType('NewMessageInput', {
  fields: (t) => ({
    id: t.id({ description: ID_FIELD }),
    idempotencyKey: t.string({ description: KEY_FIELD }),
    role: t.field({ type: MessageRole, required: true }),
    content: t.string({ description: CONTENT_FIELD }),
    item: t.field({ type: 'JSON', description: ITEM_FIELD }),
    metadata: t.field({ type: 'JSONObject', description: 'Defaults to {}.' }),
    tokenCount: t.int({ description: TOKEN_COUNT_FIELD }),
  }),
});

const CONTENT_FIELD = 'The text. Required unless `item` is given; then, when absent, the text read from the item.';
const ITEM_FIELD = 'A structured item (a tool call, its output, a UI message with parts, ...), kept exactly as given.';

const AddMessageInput = builder.inputType('AddMessageInput', {
  fields: (t) => ({
    sessionId: t.id({ required: true }),
    id: t.id({ description: ID_FIELD }),
    idempotencyKey: t.string({ description: KEY_FIELD }),
    role: t.field({ type: MessageRole, required: true }),
    content: t.string({ description: CONTENT_FIELD }),
    item: t.field({ type: 'JSON', description: ITEM_FIELD }),
    metadata: t.field({ type: 'JSONObject', description: 'Defaults to {}.' }),
    tokenCount: t.int({ description: TOKEN_COUNT_FIELD }),
  }),
});

const RewriteHistoryInput = builder.inputType('RewriteHistoryInput', {
  fields: (t) => ({
    sessionId: t.id({ required: true }),
    operationId: t.string({
      required: true,
      description: 'Names this rewrite: applied once; a retry with the same request answers what the first did, another request with this id is a CONFLICT.',
    }),
    expectedLastSeq: t.int({ description: 'The seq of the history\'s last message as the caller saw it; null: the caller saw an empty history. Compare-and-set: otherwise a CONFLICT.' }),
    replaceLast: t.int({ required: true, description: 'How many of the last messages the new ones replace (0: a pure append, once per operation id).' }),
    expectedItems: t.field({
      type: ['JSON'],
      required: { list: false, items: false },
      description: 'Optional, replaceLast of them: the items the replaced messages must hold, null for a plain message (else a CONFLICT).',
    }),
    messages: t.field({ type: [NewMessageInput], required: true }),
    reason: t.field({ type: RewriteReason, description: 'Recorded on the replaced messages; defaults to rewritten.' }),
  }),
});

const SupersededMessage = builder.objectRef<SupersededRecord>('SupersededMessage').implement({
  description: 'A message as a pop, a rewrite, a compaction or an in-place replacement took it out of the history: kept for audit.',
  fields: (t) => ({
    message: t.field({ type: Message, resolve: (s) => s.message }),
    supersededAt: t.expose('supersededAt', { type: 'DateTime' }),
    reason: t.field({ type: SupersededReason, resolve: (s) => s.reason }),
    operationId: t.exposeString('operationId', { nullable: true, description: 'The rewrite\'s operation id; null for a pop or a replacement.' }),
  }),
});

const SupersededMessageConnection = builder.connectionObject({ type: SupersededMessage, name: 'SupersededMessageConnection' });

const RewriteHistoryPayload = builder.objectRef<RewriteResult>('RewriteHistoryPayload').implement({
  fields: (t) => ({
    operationId: t.exposeString('operationId'),
    replayed: t.exposeBoolean('replayed', { description: 'The operation had been applied before: this is what it did then; nothing was done now.' }),
    supersededIds: t.exposeIDList('supersededIds', { description: 'The replaced messages (readable in Session.supersededHistory).' }),
    messages: t.field({ type: [Message], description: 'The replacements.', resolve: (r) => r.messages }),
  }),
});

const TokenTotal = builder.objectRef<TokenTotalRecord>('TokenTotal').implement({
  description: 'A session\'s tokens: the counts its messages carry, plus an estimate (a quarter of the characters) for those without one.',
  fields: (t) => ({
    tokens: t.exposeInt('tokens'),
    messages: t.exposeInt('messages'),
    estimatedMessages: t.exposeInt('estimatedMessages', { description: 'Messages without a count: their share of `tokens` is the estimate.' }),
  }),
});

builder.objectField(Session, 'tokens', (t) =>
  t.field({
    type: TokenTotal,
    extensions: READS_OTHER_RECORDS,
    description: 'The tokens of the whole history (see TokenTotal).',
    resolve: (session, _args, { loaders }) => loaders.tokenTotal.load(session.id),
  }),
);

builder.objectField(Session, 'supersededHistory', (t) =>
  t.connection(
    {
      type: SupersededMessage,
      extensions: READS_OTHER_RECORDS,
      description: 'The messages pops, rewrites, compactions and replacements took out of the history, in that order (clearing the history deletes them).',
      resolve: async (session, args, { config, storage }) => {
        const page = readPage(args, supersededKeyset, wholeByDefault(config.maxPageSize));
        const rows = await storage.history.superseded(session.id, page.slice);
        return toConnection(rows, page, supersededKeyset, () => storage.history.supersededCount(session.id));
      },
    },
    SupersededMessageConnection,
  ),
);

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
    args: {
      input: t.arg({ type: AddMessageInput, required: true, validate: { schema: addMessageInput } }),
      onConflict: t.arg({ type: OnConflict }),
      countTokens: t.arg.boolean({ description: COUNT_TOKENS_ARG }),
    },
    resolve: (_root, args, { storage }) =>
      storage.history.add(parsed(addMessageInput, args.input), { onConflict: args.onConflict ?? 'error', countTokens: args.countTokens ?? false }),
  }),
  addMessages: t.field({
    type: [Message],
    description:
      'Appends messages in order, all or nothing: if one is invalid or conflicts, or the session does not exist, none is stored. ' +
      'A message that repeats one stored before (same id or idempotency key, same role, content, item and metadata) is answered with it instead.',
    args: {
      sessionId: t.arg.id({ required: true, validate: { schema: shortText } }),
      messages: t.arg({ type: [NewMessageInput], required: true, validate: { schema: newMessagesInput } }),
      onConflict: t.arg({ type: OnConflict }),
      countTokens: t.arg.boolean({ description: COUNT_TOKENS_ARG }),
    },
    resolve: (_root, args, { storage }) =>
      storage.history.addMany(args.sessionId, parsed(newMessagesInput, args.messages), { onConflict: args.onConflict ?? 'error', countTokens: args.countTokens ?? false }),
  }),
  popMessage: t.field({
    type: Message,
    nullable: true,
    description: 'Takes the last message out of the history, atomically, and returns it (null for an empty history); it stays readable in Session.supersededHistory.',
    args: { sessionId: t.arg.id({ required: true, validate: { schema: shortText } }) },
    resolve: (_root, { sessionId }, { storage }) => storage.history.pop(sessionId),
  }),
  rewriteHistory: t.field({
    type: RewriteHistoryPayload,
    description:
      'Replaces the last `replaceLast` messages with `messages` in one transaction, only if the history is as expected (`expectedLastSeq`, `expectedItems`), ' +
      'once per `operationId`. The replaced messages stay readable in Session.supersededHistory; the new ones take seqs after the session\'s last.',
    args: { input: t.arg({ type: RewriteHistoryInput, required: true }) },
    resolve: (_root, { input }, { storage }) => {
      const { sessionId, ...rewrite } = input;
      return storage.history.rewrite(parseArg(shortText, sessionId, 'sessionId'), parseArg(rewriteHistoryInput, rewrite, 'input'));
    },
  }),
  clearHistory: t.field({
    type: 'NonNegativeInt',
    description: 'Deletes all messages of a session; returns how many were deleted (0 for an unknown session).',
    args: { sessionId: t.arg.id({ required: true }) },
    resolve: (_root, { sessionId }, { storage }) => storage.history.clear(sessionId),
  }),
}));
