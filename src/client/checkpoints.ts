import {
  CopyThreadDocument,
  DeleteThreadDocument,
  GetCheckpointDocument,
  GetThreadDocument,
  ListCheckpointsDocument,
  PruneThreadsDocument,
  PutCheckpointDocument,
  PutCheckpointWritesDocument,
  SetThreadTtlDocument,
  type CheckpointRecordFragment,
  type PruneThreadsMutation,
  type PutCheckpointInput,
  type PutCheckpointWritesInput,
  type ThreadEventsSubscription,
  type ThreadRecordFragment,
} from './gql/graphql.js';
import type { Caller } from './resources.js';
import type { CallOptions } from './transport.js';

/**
 * LangGraph's threads and checkpoints (docs/checkpoints.md): the operations of
 * operations/checkpoints.graphql as typed methods. Bytes (checkpoints, channel values, writes) are
 * base64 strings both ways; the server never decodes them.
 */

export type Thread = ThreadRecordFragment;
/** A stored checkpoint with the values of its channel versions and its pending writes. */
export type StoredCheckpoint = CheckpointRecordFragment;
export type PruneCounts = PruneThreadsMutation['pruneThreads'];
/** One event of a thread's change feed (CheckpointPut, CheckpointWritesPut, ThreadDeleted). */
export type ThreadEvent = ThreadEventsSubscription['threadEvents'];

/** Which checkpoints `list` reads: LangGraph's `list` arguments; what is left out is not filtered on. */
export interface CheckpointFilter {
  threadId?: string | null;
  namespace?: string | null;
  /** Only checkpoints with a lower (older) id. */
  before?: string | null;
  /** Metadata: each top-level key must hold an equal JSON value. */
  filter?: Record<string, unknown> | null;
}

export interface CheckpointPage {
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  nodes: StoredCheckpoint[];
}

export class CheckpointsApi {
  constructor(private readonly client: Caller) {}

  /**
   * Stores a checkpoint and the values of the channels it changed. Retried on transient failures: a
   * checkpoint is keyed by (thread, namespace, id) and a repeat replaces it with the same content,
   * and channel values are keyed by their version, so a second attempt stores nothing new.
   */
  async put(input: PutCheckpointInput, options?: CallOptions): Promise<{ threadId: string; namespace: string; id: string }> {
    return (await this.client.call(PutCheckpointDocument, { input }, options, true)).putCheckpoint;
  }

  /**
   * Stores a task's writes against a checkpoint; how many were given. Retried on transient failures:
   * writes are keyed by (checkpoint, task, idx), a repeated regular write is kept as first written
   * and a repeated special one (negative idx) overwrites with the same bytes.
   */
  async putWrites(input: PutCheckpointWritesInput, options?: CallOptions): Promise<number> {
    return (await this.client.call(PutCheckpointWritesDocument, { input }, options, true)).putCheckpointWrites;
  }

  /** A namespace's checkpoint `id`, or its latest without one; null when there is none (or the thread expired). */
  async get(threadId: string, which: { namespace?: string; id?: string | null } = {}, options?: CallOptions): Promise<StoredCheckpoint | null> {
    const { thread } = await this.client.call(GetCheckpointDocument, { threadId, namespace: which.namespace ?? '', id: which.id ?? null }, options);
    return thread?.checkpoint ?? null;
  }

  /** One page of checkpoints, newest (highest id) first, across threads and namespaces unless given; 100 per page unless `first` says otherwise. */
  async list(filter: CheckpointFilter & { first?: number | null; after?: string | null } = {}, options?: CallOptions): Promise<CheckpointPage> {
    return (await this.client.call(ListCheckpointsDocument, filter, options)).checkpoints;
  }

  /**
   * Every checkpoint the filter selects, newest first, read a page at a time as the loop asks for
   * them (`limit`: at most that many, each page no larger than what is still wanted).
   */
  async *iterate(filter: CheckpointFilter = {}, { limit, pageSize = 100, ...options }: CallOptions & { limit?: number; pageSize?: number } = {}): AsyncGenerator<StoredCheckpoint, void, undefined> {
    let remaining = limit ?? Number.POSITIVE_INFINITY;
    let after: string | null = null;
    while (remaining > 0) {
      const page: CheckpointPage = await this.list({ ...filter, first: Math.min(pageSize, remaining), after }, options);
      for (const node of page.nodes.slice(0, remaining)) yield node;
      remaining -= page.nodes.length;
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
      after = page.pageInfo.endCursor;
    }
  }

  /** The thread (id, TTL, expiry), or null when there is none or it expired. */
  async thread(id: string, options?: CallOptions): Promise<Thread | null> {
    return (await this.client.call(GetThreadDocument, { id }, options)).thread ?? null;
  }

  /** Deletes a thread with its checkpoints, values and writes; false when there was none. */
  async deleteThread(id: string, options?: CallOptions): Promise<boolean> {
    return (await this.client.call(DeleteThreadDocument, { id }, options)).deleteThread;
  }

  /** A new thread holding copies of the source's checkpoints, values and writes. NOT_FOUND without a source, CONFLICT when the target exists. */
  async copyThread(sourceThreadId: string, targetThreadId: string, options?: CallOptions): Promise<Thread> {
    return (await this.client.call(CopyThreadDocument, { sourceThreadId, targetThreadId }, options)).copyThread;
  }

  /** Keeps the newest `keep` checkpoints (`'latest'`, the default, is 1) of each namespace of each thread, with the values they reference; what was deleted. */
  async prune(threadIds: string[], { keep, ...options }: CallOptions & { keep?: 'latest' | number } = {}): Promise<PruneCounts> {
    return (await this.client.call(PruneThreadsDocument, { threadIds, keep: keep === 'latest' ? 1 : keep }, options)).pruneThreads;
  }

  /** The thread expires `ttlSeconds` after its last write (this one included); null: never. NOT_FOUND without a thread. */
  async setThreadTtl(id: string, ttlSeconds: number | null, options?: CallOptions): Promise<Thread> {
    return (await this.client.call(SetThreadTtlDocument, { id, ttlSeconds }, options)).setThreadTtl;
  }
}
