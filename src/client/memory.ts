import {
  MemoryBatchDocument,
  MemoryReadDocument,
  type MemoryItemRecordFragment,
  type MemoryOperationInput,
  type MemoryResultRecordFragment,
} from './gql/graphql.js';
import type { Caller } from './resources.js';
import type { CallOptions } from './transport.js';

/** An item of the memory store; `score` is set on search results (null when unranked). */
export type MemoryItem = MemoryItemRecordFragment;
/** One operation of a batch: exactly one of `get`, `put`, `search`, `listNamespaces`. */
export type MemoryOperation = MemoryOperationInput;
/** One operation's result, in the batch's order: `item` (get), `items` (search) or `namespaces` (listNamespaces). */
export type MemoryResult = MemoryResultRecordFragment;

/**
 * The long-term memory store (LangGraph's `BaseStore` on the server, docs/memory-store.md): a list
 * of operations runs in order as one request. Both methods are retried on transient failures:
 * `read` is a query, and `batch` is safe to repeat too — a put writes the item's whole value (an
 * upsert, never an increment), a put of null deletes, and a refreshing read sets the expiry to
 * now + TTL: running the batch a second time leaves what the first run left, as if it had simply
 * arrived a moment later.
 */
export class MemoryApi {
  constructor(private readonly client: Caller) {}

  /** Runs any operations (puts too: scope `write`) in order, in one transaction. */
  async batch(operations: MemoryOperation[], options?: CallOptions): Promise<MemoryResult[]> {
    return (await this.client.call(MemoryBatchDocument, { operations }, options, true)).memoryBatch;
  }

  /** Runs read operations (get, search, listNamespaces; no put) in order: scope `read` is enough. */
  async read(operations: MemoryOperation[], options?: CallOptions): Promise<MemoryResult[]> {
    return (await this.client.call(MemoryReadDocument, { operations }, options)).memoryRead;
  }
}
