import { codecs, type RowCodec } from '../../db/codec.js';
import { naturalOrder, shapeOf, sliceParams } from '../../db/paging.js';
import { writeRows } from '../../db/portable.js';
import { type Row, type Runner, tx, type TxWork } from '../../db/runner.js';
import { eventsOf } from '../../domain/events.js';
import type { Slice } from '../../domain/paging.js';
import type { AppendEvents } from '../events/append.js';
import { type CheckpointFilter, countCheckpoints, filterParams, filterShape, keysJson, listCheckpoints, newestFirst, rowKey, statements } from './sql.js';
import {
  type ChannelValue,
  channelValueRecord,
  type Checkpoint,
  type CheckpointKey,
  checkpointKeyText,
  checkpointRecord,
  type PendingWrite,
  pendingWriteRecord,
  type Thread,
  threadRecord,
} from './model.js';

export type { CheckpointFilter };

/**
 * Where LangGraph's checkpoints live: threads (named by the client) → namespaces → checkpoints,
 * channel values stored once per (thread, namespace, channel, version), and pending writes. A
 * thread's rows go with it (foreign keys, ON DELETE CASCADE). Serving reads see only threads live
 * at `liveAt`; an expired thread reads as absent, and a write to it starts it over.
 */
export interface CheckpointStore {
  threads(ids: readonly string[], liveAt: string): Promise<Thread[]>;
  /** Upserts the thread and stores the checkpoint with its new channel values, in one transaction. */
  putCheckpoint(checkpoint: Checkpoint, values: readonly ChannelValue[], write: ThreadWrite): Promise<Thread>;
  /** Upserts the thread and stores the writes: a negative idx overwrites, others are kept if already there. */
  putWrites(key: CheckpointKey, taskId: string, taskPath: string, writes: readonly Omit<PendingWrite, 'taskId' | 'taskPath'>[], write: ThreadWrite): Promise<Thread>;
  /** The checkpoint `id` of a thread's namespace, or its latest (highest id) when `id` is null. */
  checkpoint(threadId: string, namespace: string, id: string | null, liveAt: string): Promise<Checkpoint | undefined>;
  /** A page of checkpoints, newest (highest id) first. */
  list(filter: CheckpointFilter, slice: Slice<CheckpointKey>, liveAt: string): Promise<Checkpoint[]>;
  count(filter: CheckpointFilter, liveAt: string): Promise<number>;
  /** The values each checkpoint's channelVersions name, one statement for all (by checkpointKeyText). */
  channelValues(keys: readonly CheckpointKey[], liveAt: string): Promise<Map<string, ChannelValue[]>>;
  /** Each checkpoint's pending writes ordered by (taskPath, taskId, idx), one statement for all. */
  pendingWrites(keys: readonly CheckpointKey[], liveAt: string): Promise<Map<string, PendingWrite[]>>;
  /** Whether a live thread was deleted (an expired one goes too, but reads as absent). */
  deleteThread(id: string, liveAt: string): Promise<boolean>;
  /** A new thread `targetId` (created now, the source's TTL from now) with copies of all of the source's rows. */
  copyThread(sourceId: string, targetId: string, write: Omit<ThreadWrite, 'ttlSeconds'>): Promise<'copied' | 'no-source' | 'target-exists'>;
  /** Keeps the newest `keep` checkpoints of each namespace, their writes and the values they reference. */
  prune(threadIds: readonly string[], keep: number): Promise<PruneCounts>;
  /** The thread with its new TTL, or undefined when there is no live thread. */
  setTtl(id: string, ttlSeconds: number | null, at: string, expiresAt: string | null): Promise<Thread | undefined>;
}

/** A write's effect on its thread: the moment, and the TTL to set (undefined keeps the thread's). */
export interface ThreadWrite {
  at: string;
  ttlSeconds: number | null | undefined;
  /** The expiry for a TTL: `at` + seconds (the service's clock rule). */
  expiresAt: (ttlSeconds: number | null) => string | null;
}

export interface PruneCounts {
  checkpoints: number;
  writes: number;
  channelValues: number;
}

/** Checkpoints in a tenant's SQL database (SQLite or PostgreSQL, by its runner). */
export class SqlCheckpointStore implements CheckpointStore {
  private readonly sql: ReturnType<typeof statements.for>;
  private readonly codec: RowCodec;

  constructor(
    private readonly runner: Runner,
    private readonly appendEvents: AppendEvents,
  ) {
    this.sql = statements.for(runner.dialect);
    this.codec = codecs[runner.dialect];
  }

  async threads(ids: readonly string[], liveAt: string): Promise<Thread[]> {
    if (ids.length === 0) return [];
    return (await this.runner.all(this.sql.threadsByIds, { ids: [...ids], liveAt })).map((r) => this.toThread(r));
  }

  putCheckpoint(c: Checkpoint, values: readonly ChannelValue[], write: ThreadWrite): Promise<Thread> {
    const { sql: s, runner } = this;
    const self = this;
    const base = { threadId: c.threadId, namespace: c.namespace };
    return runner.transaction(function* () {
      const thread = yield* self.touchThread(c.threadId, write);
      yield* writeRows(
        runner.dialect,
        values,
        { statement: s.insertChannelValue, params: (v) => ({ ...base, channel: v.channel, version: v.version, type: v.type, data: v.data }) },
        {
          statement: s.insertChannelValues,
          params: (chunk) => ({
            ...base,
            channels: chunk.map((v) => v.channel),
            versions: chunk.map((v) => v.version),
            types: chunk.map((v) => v.type),
            data: chunk.map((v) => v.data?.toString('base64') ?? null),
          }),
        },
      );
      yield* tx.write(s.upsertCheckpoint, {
        ...base, id: c.id, parentId: c.parentId, type: c.type, data: c.data,
        metadata: JSON.stringify(c.metadata), channelVersions: JSON.stringify(c.channelVersions), createdAt: c.createdAt,
      });
      yield* self.appendEvents(eventsOf.checkpointPut(c));
      return thread;
    });
  }

  putWrites(key: CheckpointKey, taskId: string, taskPath: string, writes: readonly Omit<PendingWrite, 'taskId' | 'taskPath'>[], write: ThreadWrite): Promise<Thread> {
    const { sql: s, runner } = this;
    const self = this;
    const base = { threadId: key.threadId, namespace: key.namespace, checkpointId: key.id, taskId, taskPath };
    return runner.transaction(function* () {
      const thread = yield* self.touchThread(key.threadId, write);
      yield* writeRows(
        runner.dialect,
        writes,
        { statement: s.insertWrite, params: (w) => ({ ...base, idx: w.idx, channel: w.channel, type: w.type, data: w.data }) },
        {
          statement: s.insertWrites,
          params: (chunk) => ({
            ...base,
            idxs: chunk.map((w) => w.idx),
            channels: chunk.map((w) => w.channel),
            types: chunk.map((w) => w.type),
            data: chunk.map((w) => w.data.toString('base64')),
          }),
        },
      );
      yield* self.appendEvents(eventsOf.checkpointWritesPut(key, taskId, writes.length));
      return thread;
    });
  }

  /** Part of a write: the thread as the write leaves it. An expired thread is gone first: the write starts it over. */
  private *touchThread(id: string, write: ThreadWrite): TxWork<Thread> {
    const row = yield* tx.one(this.sql.threadForWrite, { id });
    let existing = row && this.toThread(row);
    if (existing?.expiresAt != null && existing.expiresAt <= write.at) {
      yield* tx.write(this.sql.deleteThreadRow, { id });
      existing = undefined;
    }
    const ttlSeconds = write.ttlSeconds === undefined ? (existing?.ttlSeconds ?? null) : write.ttlSeconds;
    const params = { id, createdAt: existing?.createdAt ?? write.at, updatedAt: write.at, ttlSeconds, expiresAt: write.expiresAt(ttlSeconds) };
    return this.toThread((yield* tx.one(this.sql.upsertThread, params))!);
  }

  async checkpoint(threadId: string, namespace: string, id: string | null, liveAt: string): Promise<Checkpoint | undefined> {
    const row =
      id === null
        ? await this.runner.one(this.sql.latestCheckpoint, { threadId, namespace, liveAt })
        : await this.runner.one(this.sql.checkpointById, { threadId, namespace, id, liveAt });
    return row && this.toCheckpoint(row);
  }

  async list(filter: CheckpointFilter, slice: Slice<CheckpointKey>, liveAt: string): Promise<Checkpoint[]> {
    const shape = { ...shapeOf(slice), ...filterShape(filter) };
    const params = { ...sliceParams(newestFirst, slice), ...filterParams(filter, liveAt) };
    const rows = await this.runner.all(listCheckpoints(this.runner.dialect, shape), params);
    return naturalOrder(rows, shape).map((r) => this.toCheckpoint(r));
  }

  async count(filter: CheckpointFilter, liveAt: string): Promise<number> {
    const row = await this.runner.one(countCheckpoints(this.runner.dialect, filterShape(filter)), filterParams(filter, liveAt));
    return Number(row?.n ?? 0);
  }

  async channelValues(keys: readonly CheckpointKey[], liveAt: string): Promise<Map<string, ChannelValue[]>> {
    const out = new Map<string, ChannelValue[]>(keys.map((k) => [checkpointKeyText(k), []]));
    if (keys.length === 0) return out;
    for (const r of await this.runner.all(this.sql.channelValuesOf, { keys: keysJson(keys), liveAt })) {
      out.get(rowKey(r))?.push(channelValueRecord.parse({ channel: r.channel, version: r.version, type: r.type, data: bytesOrNull(r.value) }));
    }
    return out;
  }

  async pendingWrites(keys: readonly CheckpointKey[], liveAt: string): Promise<Map<string, PendingWrite[]>> {
    const out = new Map<string, PendingWrite[]>(keys.map((k) => [checkpointKeyText(k), []]));
    if (keys.length === 0) return out;
    for (const r of await this.runner.all(this.sql.pendingWritesOf, { keys: keysJson(keys), liveAt })) {
      out.get(rowKey(r))?.push(
        pendingWriteRecord.parse({ taskId: r.task_id, idx: Number(r.idx), channel: r.channel, type: r.type, data: bytesOrNull(r.value), taskPath: r.task_path }),
      );
    }
    return out;
  }

  deleteThread(id: string, liveAt: string): Promise<boolean> {
    const { sql: s } = this;
    const appendEvents = this.appendEvents;
    return this.runner.transaction(function* () {
      const row = yield* tx.one(s.deleteThread, { id, liveAt });
      if (!row || !Number(row.live)) return false;
      yield* appendEvents(eventsOf.threadDeleted(id));
      return true;
    });
  }

  copyThread(source: string, target: string, { at, expiresAt }: Omit<ThreadWrite, 'ttlSeconds'>): Promise<'copied' | 'no-source' | 'target-exists'> {
    const { sql: s } = this;
    const self = this;
    return this.runner.transaction(function* () {
      const row = yield* tx.one(s.threadForWrite, { id: source });
      const from = row && self.toThread(row);
      if (!from || (from.expiresAt !== null && from.expiresAt <= at)) return 'no-source';
      const existing = yield* tx.one(s.threadForWrite, { id: target });
      if (existing) {
        const t = self.toThread(existing);
        if (t.expiresAt === null || t.expiresAt > at) return 'target-exists';
        yield* tx.write(s.deleteThreadRow, { id: target });
      }
      const copy = { source, target };
      const thread = { id: target, createdAt: at, updatedAt: at, ttlSeconds: from.ttlSeconds, expiresAt: expiresAt(from.ttlSeconds) };
      // A copy that lost a race for the target id (PostgreSQL) writes nothing.
      if ((yield* tx.write(s.copyThreadRow, thread)) === 0) return 'target-exists';
      yield* tx.write(s.copyCheckpoints, copy);
      yield* tx.write(s.copyChannelValues, copy);
      yield* tx.write(s.copyWrites, copy);
      return 'copied';
    });
  }

  prune(threadIds: readonly string[], keep: number): Promise<PruneCounts> {
    const { sql: s } = this;
    const ids = [...new Set(threadIds)];
    return this.runner.transaction(function* () {
      const checkpoints = yield* tx.write(s.pruneCheckpoints, { ids, keep });
      const writes = yield* tx.write(s.pruneWrites, { ids });
      const channelValues = yield* tx.write(s.pruneChannelValues, { ids });
      return { checkpoints, writes, channelValues };
    });
  }

  async setTtl(id: string, ttlSeconds: number | null, at: string, expiresAt: string | null): Promise<Thread | undefined> {
    const { sql: s } = this;
    const row = await this.runner.transaction(function* () {
      return yield* tx.one(s.setThreadTtl, { id, ttlSeconds, at, expiresAt });
    });
    return row && this.toThread(row);
  }

  private toThread(r: Row): Thread {
    return threadRecord.parse({
      id: r.id,
      createdAt: this.codec.time(r.created_at),
      updatedAt: this.codec.time(r.updated_at),
      ttlSeconds: r.ttl_seconds == null ? null : Number(r.ttl_seconds),
      expiresAt: this.codec.timeOrNull(r.expires_at),
    });
  }

  private toCheckpoint(r: Row): Checkpoint {
    return checkpointRecord.parse({
      threadId: r.thread_id,
      namespace: r.checkpoint_ns,
      id: r.checkpoint_id,
      parentId: r.parent_checkpoint_id ?? null,
      type: r.type,
      data: bytesOrNull(r.checkpoint),
      metadata: this.codec.json(r.metadata),
      channelVersions: this.codec.json(r.channel_versions),
      createdAt: this.codec.time(r.created_at),
    });
  }
}

/** Both drivers return bytes as a Buffer (better-sqlite3 for a BLOB, node-postgres for bytea). */
function bytesOrNull(value: unknown): Buffer | null {
  if (value == null) return null;
  return Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array);
}
