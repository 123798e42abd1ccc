import { type Clock, isoTime } from '../../domain/clock.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { Slice } from '../../domain/paging.js';
import {
  type ChannelValue,
  type Checkpoint,
  type CheckpointKey,
  type ListCheckpointsInput,
  type PendingWrite,
  type PruneInput,
  type PutCheckpointInput,
  type PutWritesInput,
  type Thread,
  versionText,
} from './model.js';
import type { CheckpointFilter, CheckpointStore, PruneCounts, ThreadWrite } from './store.js';

/**
 * LangGraph's checkpoint operations (what `BaseCheckpointSaver` needs, and more: TTL, prune, copy),
 * shared by the REST and GraphQL doors, over one tenant's store. A thread is created by its first
 * write; every write counts as activity: a thread with a TTL expires `ttlSeconds` after its last
 * write, and from then on reads as absent (a write to it starts it over) until retention deletes it.
 */
export class CheckpointService {
  constructor(
    readonly store: CheckpointStore,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return isoTime(this.clock.now());
  }

  /** A write at the clock's now; the one home of "expiry = last write + TTL". */
  private write(ttlSeconds: number | null | undefined): ThreadWrite {
    const ms = this.clock.now();
    return { at: isoTime(ms), ttlSeconds, expiresAt: (ttl) => (ttl === null ? null : new Date(ms + ttl * 1000).toISOString()) };
  }

  /** Stores a checkpoint (replacing one with the same id) and the channel values it changed. */
  async putCheckpoint(input: PutCheckpointInput): Promise<Checkpoint> {
    const write = this.write(input.ttlSeconds);
    const checkpoint: Checkpoint = {
      threadId: input.threadId,
      namespace: input.namespace,
      id: input.id,
      parentId: input.parentId,
      type: input.type,
      data: input.data,
      metadata: input.metadata,
      channelVersions: input.channelVersions,
      createdAt: write.at,
    };
    const values: ChannelValue[] = input.channelValues.map((v) => ({ channel: v.channel, version: versionText(v.version), type: v.type, data: v.data }));
    await this.store.putCheckpoint(checkpoint, values, write);
    return checkpoint;
  }

  /**
   * Stores a task's writes for a checkpoint. The checkpoint need not be there yet: LangGraph does
   * not wait for a checkpoint's put before saving the writes made against it.
   */
  async putWrites(input: PutWritesInput): Promise<number> {
    const key = { threadId: input.threadId, namespace: input.namespace, id: input.checkpointId };
    await this.store.putWrites(key, input.taskId, input.taskPath, input.writes, this.write(undefined));
    return input.writes.length;
  }

  async thread(id: string): Promise<Thread> {
    const [thread] = await this.store.threads([id], this.now());
    if (!thread) throw new NotFoundError('Thread');
    return thread;
  }

  threads(ids: readonly string[]): Promise<Thread[]> {
    return this.store.threads(ids, this.now());
  }

  /** A checkpoint of a thread's namespace, or its latest when `id` is null; null when there is none. */
  async checkpoint(threadId: string, namespace: string, id: string | null): Promise<Checkpoint | null> {
    return (await this.store.checkpoint(threadId, namespace, id, this.now())) ?? null;
  }

  /** Checkpoints newest (highest id) first, of one thread or all, one namespace or all. */
  list(input: ListCheckpointsInput, slice: Slice<CheckpointKey>): Promise<Checkpoint[]> {
    return this.store.list(filterOf(input), slice, this.now());
  }

  /** How many checkpoints `list` would page through. */
  count(input: ListCheckpointsInput): Promise<number> {
    return this.store.count(filterOf(input), this.now());
  }

  channelValues(keys: readonly CheckpointKey[]): Promise<Map<string, ChannelValue[]>> {
    return this.store.channelValues(keys, this.now());
  }

  pendingWrites(keys: readonly CheckpointKey[]): Promise<Map<string, PendingWrite[]>> {
    return this.store.pendingWrites(keys, this.now());
  }

  /** Deletes a thread with everything in it; false when there was no (live) thread. */
  deleteThread(id: string): Promise<boolean> {
    return this.store.deleteThread(id, this.now());
  }

  /** A new thread `targetId` holding copies of the source's checkpoints, values and writes. */
  async copyThread(sourceId: string, targetId: string): Promise<Thread> {
    const { at, expiresAt } = this.write(undefined);
    const outcome = await this.store.copyThread(sourceId, targetId, { at, expiresAt });
    if (outcome === 'no-source') throw new NotFoundError('Source thread');
    if (outcome === 'target-exists') throw new ConflictError(`Thread ${JSON.stringify(targetId)} already exists`);
    return this.thread(targetId);
  }

  /**
   * Keeps the newest `keep` checkpoints of each namespace of each thread and the channel values
   * they reference; deletes the other checkpoints, their writes and the values nothing references.
   */
  prune(input: PruneInput): Promise<PruneCounts> {
    return this.store.prune(input.threadIds, input.keep);
  }

  /** Sets (or, with null, removes) a thread's TTL, counted from now. */
  async setTtl(id: string, ttlSeconds: number | null): Promise<Thread> {
    const { at, expiresAt } = this.write(ttlSeconds);
    const thread = await this.store.setTtl(id, ttlSeconds, at, expiresAt(ttlSeconds));
    if (!thread) throw new NotFoundError('Thread');
    return thread;
  }
}

const filterOf = (input: ListCheckpointsInput): CheckpointFilter => ({
  threadId: input.threadId,
  namespace: input.namespace,
  before: input.before,
  metadata: input.filter,
});
