import type { RunnableConfig } from '@langchain/core/runnables';
import {
  BaseCheckpointSaver,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  getCheckpointId,
  maxChannelVersion,
  type PendingWrite,
  type SerializerProtocol,
  TASKS,
  WRITES_IDX_MAP,
} from '@langchain/langgraph-checkpoint';
import type { PruneCounts, StoredCheckpoint, Thread } from '../../client/checkpoints.js';
import { AgentStorageClient, type AgentStorageClientOptions } from '../../client/client.js';
import { fromBase64, toBase64 } from './base64.js';

/**
 * LangGraph's checkpoint saver over the agent-storage service (docs/langgraph.md). Each call is one
 * request of the typed client: the server keeps LangGraph's model natively (docs/checkpoints.md),
 * so this class only serializes — the checkpoint without its channel values, the values of the
 * channels a put changed (`newVersions`), the writes — and reassembles tuples on the way back.
 * Values are the serializer's bytes, base64 on the wire; the server never decodes them.
 */

export interface AgentStorageSaverOptions extends AgentStorageClientOptions {
  /** How checkpoints, channel values and writes become bytes. Default: LangGraph's JsonPlusSerializer. */
  serde?: SerializerProtocol;
  /** Every put sets its thread's TTL: the thread expires this many seconds after its last write. Default: threads never expire. */
  ttlSeconds?: number;
}

/** A saver over a client of your own (`AgentStorageSaver.fromClient`). */
export interface AgentStorageSaverClientOptions {
  client: AgentStorageClient;
  serde?: SerializerProtocol;
  ttlSeconds?: number;
}

const textDecoder = new TextDecoder();

function missing(operation: string, field: string): Error {
  return new Error(
    `Failed to ${operation}: the RunnableConfig has no "${field}" in its "configurable" property. ` +
      `A checkpointer needs one, e.g. graph.invoke(input, { configurable: { thread_id: "my-thread" } }).`,
  );
}

/** Where a tuple sits: LangGraph's config of a checkpoint. */
const configOf = (threadId: string, namespace: string, checkpointId: string): RunnableConfig => ({
  configurable: { thread_id: threadId, checkpoint_ns: namespace, checkpoint_id: checkpointId },
});

export class AgentStorageSaver extends BaseCheckpointSaver<number> {
  /** The typed client this saver talks through (for the service's other operations). */
  readonly client: AgentStorageClient;
  private readonly ttlSeconds: number | undefined;

  constructor(options: AgentStorageSaverOptions | AgentStorageSaverClientOptions) {
    super(options.serde);
    if ('client' in options) {
      this.client = options.client;
    } else {
      const { serde: _serde, ttlSeconds: _ttl, ...clientOptions } = options;
      this.client = new AgentStorageClient(clientOptions);
    }
    this.ttlSeconds = options.ttlSeconds;
  }

  /** A saver over an existing client (its URL, key, fetch and retry policy). */
  static fromClient(client: AgentStorageClient, serde?: SerializerProtocol): AgentStorageSaver {
    return new AgentStorageSaver({ client, ...(serde && { serde }) });
  }

  override async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const threadId = config.configurable?.thread_id as string | undefined;
    if (threadId === undefined) return undefined;
    const namespace = (config.configurable?.checkpoint_ns as string | undefined) ?? '';
    const stored = await this.client.checkpoints.get(threadId, { namespace, id: getCheckpointId(config) || null });
    return stored ? this.toTuple(stored) : undefined;
  }

  override async *list(config: RunnableConfig, options: CheckpointListOptions = {}): AsyncGenerator<CheckpointTuple> {
    const { limit, before, filter } = options;
    const wanted = getCheckpointId(config);
    const stored = this.client.checkpoints.iterate(
      {
        threadId: (config.configurable?.thread_id as string | undefined) ?? null,
        namespace: (config.configurable?.checkpoint_ns as string | undefined) ?? null,
        before: getCheckpointId(before ?? {}) || null,
        filter: filter ?? null,
      },
      // With a checkpoint id in the config only that one can match: found by reading, not by limit.
      { limit: wanted ? undefined : limit },
    );
    let left = limit ?? Number.POSITIVE_INFINITY;
    for await (const checkpoint of stored) {
      if (left <= 0) return;
      if (wanted && checkpoint.id !== wanted) continue;
      left--;
      yield await this.toTuple(checkpoint);
    }
  }

  override async put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Promise<RunnableConfig> {
    if (config.configurable === undefined) throw missing('put a checkpoint', 'configurable');
    const threadId = config.configurable.thread_id as string | undefined;
    if (threadId === undefined) throw missing('put a checkpoint', 'thread_id');
    const namespace = (config.configurable.checkpoint_ns as string | undefined) ?? '';
    const { channel_values: values, ...withoutValues } = checkpoint;
    const [[type, data], channelValues, storedMetadata] = await Promise.all([
      this.serde.dumpsTyped(withoutValues),
      // Only what changed: the other channels' values are stored already, at the version
      // channel_versions names, and are found there on read.
      Promise.all(
        Object.entries(newVersions).map(async ([channel, version]) => {
          if (!Object.hasOwn(values, channel)) return { channel, version, type: 'empty', data: null };
          const [valueType, bytes] = await this.serde.dumpsTyped(values[channel as keyof typeof values]);
          return { channel, version, type: valueType, data: toBase64(bytes) };
        }),
      ),
      this.metadataJson(metadata),
    ]);
    await this.client.checkpoints.put({
      threadId,
      namespace,
      id: checkpoint.id,
      parentId: (config.configurable.checkpoint_id as string | undefined) ?? null,
      type,
      data: toBase64(data),
      metadata: storedMetadata,
      channelVersions: checkpoint.channel_versions,
      channelValues,
      ...(this.ttlSeconds !== undefined && { ttlSeconds: this.ttlSeconds }),
    });
    return configOf(threadId, namespace, checkpoint.id);
  }

  override async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath?: string): Promise<void> {
    const threadId = config.configurable?.thread_id as string | undefined;
    if (threadId === undefined) throw missing('put writes', 'thread_id');
    const checkpointId = config.configurable?.checkpoint_id as string | undefined;
    if (checkpointId === undefined) throw missing('put writes', 'checkpoint_id');
    // LangGraph's special writes (errors, interrupts…) take fixed negative indexes and replace what
    // is stored at theirs; of two in one call, the later one stands, as it would if written in turn.
    const byIdx = new Map<number, PendingWrite>();
    // (Own keys only: a channel may be called `constructor`.)
    writes.forEach((write, i) => byIdx.set(Object.hasOwn(WRITES_IDX_MAP, write[0]) ? WRITES_IDX_MAP[write[0]]! : i, write));
    const serialized = await Promise.all(
      [...byIdx].map(async ([idx, [channel, value]]) => {
        const [type, bytes] = await this.serde.dumpsTyped(value);
        return { idx, channel, type, data: toBase64(bytes) };
      }),
    );
    await this.client.checkpoints.putWrites({
      threadId,
      namespace: (config.configurable?.checkpoint_ns as string | undefined) ?? '',
      checkpointId,
      taskId,
      taskPath: taskPath ?? '',
      writes: serialized,
    });
  }

  override async deleteThread(threadId: string): Promise<void> {
    await this.client.checkpoints.deleteThread(threadId);
  }

  /**
   * A channel's next version: the counter, zero-padded so that versions order as text, and a random
   * suffix, as LangGraph's Python savers make them and for the same reason. Values are stored once
   * per (thread, namespace, channel, version), so a fork (updateState on an older checkpoint) must
   * not reuse a version its original branch already stored with another value: with LangGraph's
   * plain counters the fork would read the original's value.
   *
   * The result is a string typed as a number: LangGraph.js's `compile({ checkpointer })` accepts
   * only a `BaseCheckpointSaver<number>`, while its channels take `number | string` versions (their
   * `getNextVersion` is typed so) and compare them as LangGraph's own `compareChannelVersions` does.
   */
  override getNextVersion(current: number | undefined): number {
    const counter = current === undefined ? 0 : Math.floor(Number.parseFloat(String(current)));
    return `${String(counter + 1).padStart(32, '0')}.${Math.random().toFixed(16).slice(2)}` as unknown as number;
  }

  // --- beyond LangGraph's savers ------------------------------------------------------------------

  /** Keeps the newest `keep` checkpoints (`'latest'`, the default, or n) of each namespace of each thread, with the values they use; deletes the rest. */
  prune(threadIds: string[], options: { keep?: 'latest' | number } = {}): Promise<PruneCounts> {
    return this.client.checkpoints.prune(threadIds, options);
  }

  /** A new thread holding a copy of every checkpoint of the source (CONFLICT when the target exists). */
  copyThread(sourceThreadId: string, targetThreadId: string): Promise<Thread> {
    return this.client.checkpoints.copyThread(sourceThreadId, targetThreadId);
  }

  /** The thread expires `ttlSeconds` after its last write; null: never. NOT_FOUND when there is no such thread. */
  setThreadTtl(threadId: string, ttlSeconds: number | null): Promise<Thread> {
    return this.client.checkpoints.setThreadTtl(threadId, ttlSeconds);
  }

  /** The thread's TTL and expiry, or null when there is none. */
  thread(threadId: string): Promise<Thread | null> {
    return this.client.checkpoints.thread(threadId);
  }

  // --- serialization ------------------------------------------------------------------------------

  /** Metadata is stored as JSON (the server filters on it): the serializer's JSON, read as such. */
  private async metadataJson(metadata: CheckpointMetadata): Promise<Record<string, unknown>> {
    const [type, bytes] = await this.serde.dumpsTyped(metadata);
    if (type !== 'json') throw new Error(`Checkpoint metadata must serialize to JSON; the serializer gave "${type}"`);
    return JSON.parse(textDecoder.decode(bytes)) as Record<string, unknown>;
  }

  private async toTuple(stored: StoredCheckpoint): Promise<CheckpointTuple> {
    const { threadId, namespace, id, parentId } = stored;
    const load = (type: string, data: string) => this.serde.loadsTyped(type, fromBase64(data));
    const [checkpoint, channelValues, metadata, pendingWrites] = await Promise.all([
      load(stored.type, stored.data) as Promise<Checkpoint>,
      Promise.all(stored.channelValues.filter((v) => v.type !== 'empty' && v.data != null).map(async (v) => [v.channel, await load(v.type, v.data!)] as const)),
      this.serde.loadsTyped('json', JSON.stringify(stored.metadata)) as Promise<CheckpointMetadata>,
      Promise.all(stored.pendingWrites.map(async (w): Promise<CheckpointPendingWrite> => [w.taskId, w.channel, await load(w.type, w.data)])),
    ]);
    checkpoint.channel_values = Object.fromEntries(channelValues);
    if (checkpoint.v < 4 && parentId) await this.migratePendingSends(checkpoint, threadId, namespace, parentId);
    return {
      config: configOf(threadId, namespace, id),
      checkpoint,
      metadata,
      pendingWrites,
      ...(parentId && { parentConfig: configOf(threadId, namespace, parentId) }),
    };
  }

  /**
   * Checkpoints of format < 4 kept the sends of a step as the parent's writes to TASKS; since v4
   * they are a channel value. LangGraph's savers move them over on read, and so does this one.
   */
  private async migratePendingSends(checkpoint: Checkpoint, threadId: string, namespace: string, parentId: string): Promise<void> {
    const parent = await this.client.checkpoints.get(threadId, { namespace, id: parentId });
    const sends = await Promise.all(
      (parent?.pendingWrites ?? []).filter((w) => w.channel === TASKS).map((w) => this.serde.loadsTyped(w.type, fromBase64(w.data))),
    );
    const versions = Object.values(checkpoint.channel_versions);
    checkpoint.channel_values = { ...checkpoint.channel_values, [TASKS]: sends };
    checkpoint.channel_versions = { ...checkpoint.channel_versions, [TASKS]: versions.length > 0 ? maxChannelVersion(...versions) : this.getNextVersion(undefined) };
  }
}
