import type { ArgBuilder, SchemaTypes } from '@pothos/core';
import { z } from 'zod';
import { builder } from '../../graphql/builder.js';
import { checkpointKeyset, PAGED_BY_DEFAULT, readPage, toConnection } from '../../graphql/pagination.js';
import { READS_OTHER_RECORDS } from '../../graphql/scopes.js';
import { parseArg, parsed } from '../../graphql/validation.js';
import { pagedByDefault } from '../../domain/paging.js';
import type { GraphQLContext } from '../../graphql/context.js';
import {
  type ChannelValue as ChannelValueRecord,
  type Checkpoint as CheckpointRecord,
  checkpointId,
  checkpointNamespace,
  copyThreadInput,
  listCheckpointsInput,
  type ListCheckpointsInput,
  type PendingWrite as PendingWriteRecord,
  pruneInput,
  putCheckpointInput,
  putWritesInput,
  setThreadTtlInput,
  type Thread as ThreadRecord,
  threadId,
} from './model.js';
import type { PruneCounts } from './store.js';

// LangGraph's checkpoints over GraphQL, shaped so that each call of a checkpoint saver is one
// request: getTuple is `thread { checkpoint { … channelValues pendingWrites } }`, list is the root
// `checkpoints` connection with the same nested fields (batched per request: a constant number of
// statements however many checkpoints), put and putWrites are one mutation each. Bytes are base64.

export const Thread = builder.objectRef<ThreadRecord>('Thread');
export const Checkpoint = builder.objectRef<CheckpointRecord>('Checkpoint');
const ChannelValue = builder.objectRef<ChannelValueRecord>('ChannelValue');
const PendingWrite = builder.objectRef<PendingWriteRecord>('PendingWrite');
const PruneResult = builder.objectRef<PruneCounts>('PruneResult');

export const CheckpointConnection = builder.connectionObject({ type: Checkpoint, name: 'CheckpointConnection' });

const base64 = (bytes: Buffer) => bytes.toString('base64');

ChannelValue.implement({
  description: "A channel's value at one version, as the client's serializer wrote it.",
  fields: (t) => ({
    channel: t.exposeString('channel'),
    version: t.exposeString('version', { description: 'The version as text (as in channelVersions).' }),
    type: t.exposeString('type', { description: "The serializer's type; 'empty' when the channel had no value." }),
    data: t.string({ nullable: true, description: 'Base64; null for an empty channel.', resolve: (v) => (v.data ? base64(v.data) : null) }),
  }),
});

PendingWrite.implement({
  description: "A task's write against a checkpoint, not yet applied by a later checkpoint.",
  fields: (t) => ({
    taskId: t.exposeString('taskId'),
    idx: t.exposeInt('idx', { description: "The write's index in its task; negative for LangGraph's special writes (errors, interrupts…)." }),
    channel: t.exposeString('channel'),
    type: t.exposeString('type'),
    data: t.string({ description: 'Base64.', resolve: (w) => base64(w.data) }),
    taskPath: t.exposeString('taskPath'),
  }),
});

Checkpoint.implement({
  description: 'A LangGraph checkpoint: its bytes (without channel values), metadata, channel versions and, on demand, values and pending writes.',
  fields: (t) => ({
    threadId: t.exposeString('threadId'),
    namespace: t.exposeString('namespace', { description: "The checkpoint namespace; '' for the root graph." }),
    id: t.exposeString('id'),
    parentId: t.exposeString('parentId', { nullable: true }),
    type: t.exposeString('type'),
    data: t.string({ description: 'The serialized checkpoint without its channel values, base64.', resolve: (c) => base64(c.data) }),
    metadata: t.expose('metadata', { type: 'JSONObject' }),
    channelVersions: t.expose('channelVersions', { type: 'JSONObject', description: 'Channel → version (a number or a string, as put).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    channelValues: t.field({
      type: [ChannelValue],
      extensions: READS_OTHER_RECORDS,
      description: 'The values of the channels at the versions of channelVersions (those stored).',
      resolve: (c, _args, { loaders }) => loaders.channelValues.load(c),
    }),
    pendingWrites: t.field({
      type: [PendingWrite],
      extensions: READS_OTHER_RECORDS,
      description: 'Writes saved against this checkpoint, ordered by (taskPath, taskId, idx).',
      resolve: (c, _args, { loaders }) => loaders.pendingWrites.load(c),
    }),
  }),
});

PruneResult.implement({
  description: 'What a prune deleted.',
  fields: (t) => ({
    checkpoints: t.exposeInt('checkpoints'),
    writes: t.exposeInt('writes'),
    channelValues: t.exposeInt('channelValues'),
  }),
});

type SchemaTypesOf<B> = B extends PothosSchemaTypes.SchemaBuilder<infer T extends SchemaTypes> ? T : never;

/** LangGraph's `list` arguments, paged forward with first/after (checked by readPage). */
const listArgsSchema = listCheckpointsInput.extend({ first: z.number().nullish(), after: z.string().nullish() });
const threadListArgsSchema = listArgsSchema.omit({ threadId: true });

/** Checkpoints listed newest first: LangGraph's `list` arguments, paged forward with first/after. */
function listArgs(t: ArgBuilder<SchemaTypesOf<typeof builder>>) {
  return {
    namespace: t.string({ description: 'Only this namespace (default: all).' }),
    before: t.string({ description: 'Only checkpoints with a lower (older) id than this one.' }),
    filter: t({ type: 'JSONObject', description: 'Only checkpoints whose metadata has each of these top-level keys with an equal JSON value.' }),
    first: t.int({ description: 'Page size (default 100, at most the page ceiling).' }),
    after: t.string({ description: 'A cursor of this connection: the page after it.' }),
  };
}

async function checkpointPage(input: ListCheckpointsInput, args: { first?: number | null; after?: string | null }, { config, storage }: GraphQLContext) {
  const page = readPage({ first: args.first, after: args.after }, checkpointKeyset, pagedByDefault(config.maxPageSize));
  const rows = await storage.checkpoints.list(input, page.slice);
  return toConnection(rows, page, checkpointKeyset, () => storage.checkpoints.count(input));
}

Thread.implement({
  description: 'A LangGraph thread: its checkpoints by namespace. Created by its first write; a thread with a TTL expires ttlSeconds after its last write.',
  fields: (t) => ({
    id: t.exposeString('id'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'The last write.' }),
    ttlSeconds: t.exposeInt('ttlSeconds', { nullable: true }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    checkpoint: t.field({
      type: Checkpoint,
      nullable: true,
      extensions: READS_OTHER_RECORDS,
      description: "A checkpoint of a namespace: `id`'s, or the latest when `id` is omitted; null when there is none.",
      args: {
        namespace: t.arg.string({ defaultValue: '', validate: { schema: checkpointNamespace } }),
        id: t.arg.string({ validate: { schema: checkpointId } }),
      },
      resolve: (thread, args, { storage }) => storage.checkpoints.checkpoint(thread.id, args.namespace ?? '', args.id ?? null),
    }),
    checkpoints: t.field({
      type: CheckpointConnection,
      extensions: { ...READS_OTHER_RECORDS, ...PAGED_BY_DEFAULT },
      description: "The thread's checkpoints, newest (highest id) first; 100 per page unless asked otherwise.",
      args: listArgs(t.arg),
      validate: { schema: threadListArgsSchema },
      resolve: (thread, args, ctx) => checkpointPage({ ...parsed(threadListArgsSchema, args), threadId: thread.id }, args, ctx),
    }),
  }),
});

const ChannelValueInput = builder.inputType('ChannelValueInput', {
  fields: (t) => ({
    channel: t.string({ required: true }),
    version: t.field({ type: 'JSON', required: true, description: 'A number or a string: the version channelVersions gives this channel.' }),
    type: t.string({ required: true }),
    data: t.string({ description: "Base64; null (or absent) with type 'empty'." }),
  }),
});

const PutCheckpointInput = builder.inputType('PutCheckpointInput', {
  fields: (t) => ({
    threadId: t.string({ required: true }),
    namespace: t.string({ description: "Default ''." }),
    id: t.string({ required: true }),
    parentId: t.string(),
    type: t.string({ required: true }),
    data: t.string({ required: true, description: 'The serialized checkpoint without channel values, base64.' }),
    metadata: t.field({ type: 'JSONObject', description: 'Defaults to {}.' }),
    channelVersions: t.field({ type: 'JSONObject', description: 'Channel → version (number or string).' }),
    channelValues: t.field({ type: [ChannelValueInput], description: "Only the channels this checkpoint changed (LangGraph's newVersions)." }),
    ttlSeconds: t.int({ description: "Sets the thread's TTL: it expires this many seconds after its last write. Omitted: unchanged; null: removed." }),
  }),
});

const WriteInput = builder.inputType('CheckpointWriteInput', {
  fields: (t) => ({
    idx: t.int({ required: true, description: 'Negative (special writes) overwrite; others are kept when already there.' }),
    channel: t.string({ required: true }),
    type: t.string({ required: true }),
    data: t.string({ required: true, description: 'Base64.' }),
  }),
});

const PutCheckpointWritesInput = builder.inputType('PutCheckpointWritesInput', {
  fields: (t) => ({
    threadId: t.string({ required: true }),
    namespace: t.string({ description: "Default ''." }),
    checkpointId: t.string({ required: true }),
    taskId: t.string({ required: true }),
    taskPath: t.string({ description: "Default ''." }),
    writes: t.field({ type: [WriteInput], required: true }),
  }),
});

builder.queryFields((t) => ({
  thread: t.field({
    type: Thread,
    nullable: true,
    description: 'A LangGraph thread; null when there is none (or it expired).',
    args: { id: t.arg.string({ required: true, validate: { schema: threadId } }) },
    resolve: (_root, { id }, { loaders }) => loaders.thread.load(id),
  }),
  checkpoints: t.field({
    type: CheckpointConnection,
    extensions: PAGED_BY_DEFAULT,
    description: 'Checkpoints of one thread or of all, newest (highest id) first; 100 per page unless asked otherwise.',
    args: { threadId: t.arg.string({ description: 'Only this thread (default: all).' }), ...listArgs(t.arg) },
    validate: { schema: listArgsSchema },
    resolve: (_root, args, ctx) => checkpointPage(parsed(listArgsSchema, args), args, ctx),
  }),
}));

builder.mutationFields((t) => ({
  putCheckpoint: t.field({
    type: Checkpoint,
    description: 'Stores a checkpoint (replacing one with the same thread, namespace and id) and its new channel values; creates the thread.',
    args: { input: t.arg({ type: PutCheckpointInput, required: true }) },
    resolve: (_root, args, { storage }) => storage.checkpoints.putCheckpoint(parseArg(putCheckpointInput, args.input, 'input')),
  }),
  putCheckpointWrites: t.int({
    description: "Stores a task's writes against a checkpoint; how many were given.",
    args: { input: t.arg({ type: PutCheckpointWritesInput, required: true }) },
    resolve: (_root, args, { storage }) => storage.checkpoints.putWrites(parseArg(putWritesInput, args.input, 'input')),
  }),
  deleteThread: t.boolean({
    description: 'Deletes a thread with its checkpoints, channel values and writes; false when there was none.',
    args: { id: t.arg.string({ required: true, validate: { schema: threadId } }) },
    resolve: (_root, { id }, { storage }) => storage.checkpoints.deleteThread(id),
  }),
  copyThread: t.field({
    type: Thread,
    description: 'A new thread holding copies of the source thread\'s checkpoints, values and writes. NOT_FOUND without a source; CONFLICT when the target exists.',
    args: {
      sourceThreadId: t.arg.string({ required: true }),
      targetThreadId: t.arg.string({ required: true }),
    },
    validate: { schema: copyThreadInput },
    resolve: (_root, args, { storage }) => storage.checkpoints.copyThread(args.sourceThreadId, args.targetThreadId),
  }),
  pruneThreads: t.field({
    type: PruneResult,
    description: 'Keeps the newest `keep` checkpoints (default 1) of each namespace of each thread, with the values they reference; deletes the rest.',
    args: {
      threadIds: t.arg.stringList({ required: true }),
      keep: t.arg.int({ description: 'Checkpoints kept per namespace; default 1 (the latest).' }),
    },
    validate: { schema: pruneInput },
    resolve: (_root, args, { storage }) => storage.checkpoints.prune(parsed(pruneInput, args)),
  }),
  setThreadTtl: t.field({
    type: Thread,
    description: 'Sets a thread\'s TTL (it expires ttlSeconds after its last write, counting this one); null removes it.',
    args: {
      id: t.arg.string({ required: true, validate: { schema: threadId } }),
      ttlSeconds: t.arg.int({ description: 'Null: never expires.' }),
    },
    validate: { schema: setThreadTtlInput.extend({ id: threadId }) },
    resolve: (_root, args, { storage }) => storage.checkpoints.setTtl(args.id, args.ttlSeconds ?? null),
  }),
}));
