import { z } from 'zod';
import { identifier, lifetimeSeconds, shortText } from '../../domain/inputs.js';
import { jsonObject, type JsonObject } from '../../domain/json.js';

/**
 * LangGraph's checkpoint model, as records (what the store returns and the doors show) and as the
 * inputs both doors validate. The server never decodes a checkpoint, a channel value or a write:
 * they are bytes of the client's serializer (`serde.dumpsTyped` → [type, bytes]), base64 on the wire.
 */

export const CHECKPOINT_LIMITS = {
  /** Namespaces and task paths of nested subgraphs grow with their depth. */
  namespace: 1024,
  taskPath: 1024,
  /** A serializer's type tag ("json", "bytes", "empty", …). */
  type: 64,
  /** Channel values of one put, writes of one putWrites. */
  batch: 1000,
  /** Threads in one prune. */
  pruneThreads: 1000,
  /** Most checkpoints a prune keeps per namespace. */
  keep: 10_000,
} as const;

export const threadId = shortText;
export const checkpointId = shortText;
/** '' is the root graph's namespace. */
export const checkpointNamespace = identifier(CHECKPOINT_LIMITS.namespace, 0);
const channelName = shortText;
const typeTag = identifier(CHECKPOINT_LIMITS.type);

/** A channel's version: LangGraph's are numbers or strings, kept with their JSON type. */
export const channelVersion = z.union([z.number().refine(Number.isFinite, 'must be a finite number'), shortText]);
export type ChannelVersion = z.output<typeof channelVersion>;

/** How a version is stored next to its channel value (and matched against `channelVersions`). */
export const versionText = (version: ChannelVersion): string => String(version);

/**
 * Standard base64 with padding, decoded. Node's decoder skips what is not base64 and ignores stray
 * bits, so only the exact encoding of the bytes it gives is accepted: nothing is decoded loosely.
 */
export const base64Bytes = z.string().transform((text, ctx) => {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') === text) return bytes;
  ctx.addIssue({ code: 'custom', message: 'must be standard base64 (A-Z, a-z, 0-9, +, /, padded with =)' });
  return z.NEVER;
});

export const ttlSeconds = lifetimeSeconds();

// --- records ---------------------------------------------------------------------------------
// Each record described once: the store checks its rows with these, REST derives its wire names.

const bytes = z.instanceof(Buffer);
const time = z.string();
/** Metadata as stored (checked as JSON when it was put). */
const storedObject = z.custom<JsonObject>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), { message: 'must be a JSON object' });

export const threadRecord = z.object({
  id: z.string(),
  createdAt: time,
  /** The last write (a put, writes, a TTL change): what the TTL and the idle rule count from. */
  updatedAt: time,
  ttlSeconds: z.number().int().nullable(),
  /** updatedAt + ttlSeconds; from then on the thread reads as absent. Null: never. */
  expiresAt: time.nullable(),
});
export type Thread = z.output<typeof threadRecord>;

/** A checkpoint's place: its thread, namespace and id. */
export interface CheckpointKey {
  threadId: string;
  namespace: string;
  id: string;
}

export const checkpointRecord = z.object({
  threadId: z.string(),
  namespace: z.string(),
  id: z.string(),
  parentId: z.string().nullable(),
  type: z.string(),
  /** The checkpoint without its channel values. */
  data: bytes,
  metadata: storedObject,
  channelVersions: z.record(z.string(), z.union([z.number(), z.string()])),
  createdAt: time,
});
export type Checkpoint = z.output<typeof checkpointRecord>;

export const channelValueRecord = z.object({
  channel: z.string(),
  version: z.string(),
  /** 'empty' (and no data) when the channel had no value at this version. */
  type: z.string(),
  data: bytes.nullable(),
});
export type ChannelValue = z.output<typeof channelValueRecord>;

export const pendingWriteRecord = z.object({
  taskId: z.string(),
  /** Negative for LangGraph's special writes (WRITES_IDX_MAP), which overwrite. */
  idx: z.number().int(),
  channel: z.string(),
  type: z.string(),
  data: bytes,
  taskPath: z.string(),
});
export type PendingWrite = z.output<typeof pendingWriteRecord>;

/** The one text key of a checkpoint, for maps and loaders (NUL cannot occur in any part). */
export const checkpointKeyText = (k: CheckpointKey): string => `${k.threadId}\u0000${k.namespace}\u0000${k.id}`;

// --- inputs -------------------------------------------------------------------------------------

const channelValueInput = z.object({
  channel: channelName,
  version: channelVersion,
  type: typeTag,
  /** Null (or absent) with type 'empty': no value at this version. */
  data: base64Bytes.nullish().transform((v) => v ?? null),
});

export const putCheckpointInput = z
  .object({
    threadId,
    namespace: checkpointNamespace.default(''),
    id: checkpointId,
    parentId: checkpointId.nullish().transform((v) => v ?? null),
    type: typeTag,
    data: base64Bytes,
    metadata: jsonObject.default({}),
    channelVersions: z.record(channelName, channelVersion).default({}),
    /** Only the channels whose version this checkpoint changed (LangGraph's `newVersions`). */
    channelValues: z.array(channelValueInput).max(CHECKPOINT_LIMITS.batch).default([]),
    /** Sets the thread's TTL (seconds from each write); absent keeps the thread's, null removes it. */
    ttlSeconds: ttlSeconds.nullish(),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    input.channelValues.forEach((value, i) => {
      if (seen.has(value.channel)) ctx.addIssue({ code: 'custom', path: ['channelValues', i, 'channel'], message: 'appears twice' });
      seen.add(value.channel);
      const version = input.channelVersions[value.channel];
      // A value stored under another version than the checkpoint's would never be read back.
      if (version === undefined || versionText(version) !== versionText(value.version)) {
        ctx.addIssue({ code: 'custom', path: ['channelValues', i, 'version'], message: 'must be the version channelVersions gives this channel' });
      }
    });
  });
export type PutCheckpointInput = z.output<typeof putCheckpointInput>;

const writeInput = z.object({
  idx: z.number().int('must be a whole number').min(-(2 ** 31)).max(2 ** 31 - 1),
  channel: channelName,
  type: typeTag,
  data: base64Bytes,
});

export const putWritesInput = z
  .object({
    threadId,
    namespace: checkpointNamespace.default(''),
    checkpointId,
    taskId: shortText,
    taskPath: identifier(CHECKPOINT_LIMITS.taskPath, 0).default(''),
    writes: z.array(writeInput).max(CHECKPOINT_LIMITS.batch),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<number>();
    input.writes.forEach((w, i) => {
      if (seen.has(w.idx)) ctx.addIssue({ code: 'custom', path: ['writes', i, 'idx'], message: 'appears twice' });
      seen.add(w.idx);
    });
  });
export type PutWritesInput = z.output<typeof putWritesInput>;

/** Top-level metadata keys and the JSON each must equal. */
export const metadataFilter = jsonObject;

export const listCheckpointsInput = z.object({
  /** Absent: every thread. */
  threadId: threadId.nullish().transform((v) => v ?? null),
  /** Absent: every namespace. */
  namespace: checkpointNamespace.nullish().transform((v) => v ?? null),
  /** Only checkpoints whose id is lower (older). */
  before: checkpointId.nullish().transform((v) => v ?? null),
  filter: metadataFilter.nullish().transform((v) => (v && Object.keys(v).length > 0 ? v : null)),
});
export type ListCheckpointsInput = z.output<typeof listCheckpointsInput>;

export const pruneInput = z.object({
  threadIds: z.array(threadId).min(1, 'must not be empty').max(CHECKPOINT_LIMITS.pruneThreads),
  /** How many of the newest checkpoints of each namespace stay; 1 is "latest". */
  keep: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(CHECKPOINT_LIMITS.keep)
    .nullish()
    .transform((v) => v ?? 1),
});
export type PruneInput = z.output<typeof pruneInput>;

export const copyThreadInput = z.object({ sourceThreadId: threadId, targetThreadId: threadId });

export const setThreadTtlInput = z.object({
  /** Null: the thread never expires. */
  ttlSeconds: ttlSeconds.nullable(),
});
