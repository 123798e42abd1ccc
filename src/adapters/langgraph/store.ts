import {
  BaseStore,
  InvalidNamespaceError,
  type Item,
  type Operation,
  type OperationResults,
  type SearchItem,
  validateNamespace,
} from '@langchain/langgraph-checkpoint';
import { AgentStorageClient, type AgentStorageClientOptions, AgentStorageError, type MemoryOperation, type MemoryResult } from '../../client/index.js';
import { Embedder, fieldTexts, type StoreIndexConfig } from './store-index.js';
import { classify, type Classified, mergeConditions, requestRuns, type StoreOperation, toResult } from './store-ops.js';

export type { EmbedFunction, EmbeddingsLike, StoreIndexConfig } from './store-index.js';
export type { StoreGetOperation, StoreOperation, StorePutOperation, StoreSearchOperation } from './store-ops.js';

/** Python's `TTLConfig`: minutes, fractions honoured. */
export interface StoreTtlConfig {
  /** The TTL of a put that names none, in minutes; absent or null: items never expire. */
  defaultTtl?: number | null;
  /** Whether get and search move the expiry of what they return to now + its TTL, unless a call says otherwise. Default true, as in Python. */
  refreshOnRead?: boolean;
}

export interface AgentStorageStoreSettings {
  ttl?: StoreTtlConfig;
  /** Semantic search: the client embeds the `fields` of each put and each search's `query`. */
  index?: StoreIndexConfig;
}

export type AgentStorageStoreOptions = AgentStorageClientOptions & AgentStorageStoreSettings;

/** A store over a client of your own (`AgentStorageStore.fromClient`). */
export type AgentStorageStoreClientOptions = AgentStorageStoreSettings & { client: AgentStorageClient };

/** A search's options: LangGraph's, and `refreshTtl` (Python's `refresh_ttl`). */
export interface StoreSearchOptions {
  filter?: Record<string, unknown>;
  limit?: number;
  offset?: number;
  query?: string;
  refreshTtl?: boolean;
}

/** One vector of an item: the field path it embeds (`path`, or `path.i` for each of several texts). */
type ItemVector = { field: string; vector: number[] };

/** Where the server's input errors about namespaces are (paths of its BAD_USER_INPUT issues). */
const NAMESPACE_FIELDS = new Set(['namespace', 'namespacePrefix', 'prefix', 'suffix']);

/**
 * LangGraph's `BaseStore` — long-term memory shared across threads — kept by the agent-storage
 * service (docs/langgraph.md, "Long-term memory store"), with what LangGraph.js's own stores lack: per-item TTL in
 * minutes with refresh on read (Python's semantics), text search over the values on the server,
 * and semantic search with vectors computed here and ranked on the server.
 *
 *   const store = new AgentStorageStore({ url: 'http://127.0.0.1:8084', ttl: { defaultTtl: 60 * 24 } });
 *   const graph = builder.compile({ checkpointer, store });
 *
 * A `batch()` is one request, whatever it mixes, run in order in one transaction on the server
 * (a read sees an earlier put of the same batch); only one beyond the server's bounds of a request
 * (1000 operations, 10,000 rows of results) is sent in several, in order.
 */
export class AgentStorageStore extends BaseStore {
  readonly client: AgentStorageClient;
  private readonly defaultTtl: number | null;
  private readonly refreshOnRead: boolean;
  private readonly embedder: Embedder | null;

  constructor(options: AgentStorageStoreOptions | AgentStorageStoreClientOptions) {
    super();
    const { ttl, index } = options;
    if ('client' in options) {
      this.client = options.client;
    } else {
      const { ttl: _ttl, index: _index, ...clientOptions } = options;
      this.client = new AgentStorageClient(clientOptions);
    }
    this.defaultTtl = ttl?.defaultTtl ?? null;
    this.refreshOnRead = ttl?.refreshOnRead ?? true;
    this.embedder = index ? new Embedder(index) : null;
  }

  /** A store over an existing client (its URL, key, fetch, headers and retry settings). */
  static fromClient(client: AgentStorageClient, settings: AgentStorageStoreSettings = {}): AgentStorageStore {
    return new AgentStorageStore({ ...settings, client });
  }

  override async get(namespace: string[], key: string, options: { refreshTtl?: boolean } = {}): Promise<Item | null> {
    validateNamespace(namespace, { allowEmpty: true, allowReservedRoot: true });
    return (await this.batch([{ namespace, key, ...options }]))[0] as Item | null;
  }

  override async search(namespacePrefix: string[], options: StoreSearchOptions = {}): Promise<SearchItem[]> {
    validateNamespace(namespacePrefix, { allowEmpty: true, allowReservedRoot: true });
    const { filter, limit = 10, offset = 0, query, refreshTtl } = options;
    return (await this.batch([{ namespacePrefix, filter, limit, offset, query, refreshTtl }]))[0] as SearchItem[];
  }

  /**
   * Writes (replaces) an item. `index`: the fields to embed (default: the configured ones; `false`:
   * none; every put replaces the item's vectors). `ttl` in minutes, fractions honoured (`null`:
   * never expires; absent: the default TTL).
   */
  override async put(namespace: string[], key: string, value: Record<string, unknown>, index?: false | string[], options: { ttl?: number | null } = {}): Promise<void> {
    validateNamespace(namespace);
    await this.batch([{ namespace, key, value, index, ...options }]);
  }

  /**
   * LangGraph's operations in order, as one request to the service (`memoryRead` when none
   * writes, so a `read`-scoped key suffices). Namespaces are checked as LangGraph checks them
   * (InvalidNamespaceError); texts and queries are embedded first when an index is configured.
   */
  override async batch<Op extends Operation[]>(operations: Op): Promise<OperationResults<Op>> {
    const ops = (operations as StoreOperation[]).map(classify);
    ops.forEach(checkNamespaces);
    const planned = await this.plan(ops);
    const answers: MemoryResult[] = [];
    for (const run of requestRuns(planned.flatMap((p) => (p.op ? [p.op] : [])))) answers.push(...(await this.send(run)));
    let next = 0;
    return planned.map((p) => (p.op ? toResult(answers[next++]!) : p.local)) as OperationResults<Op>;
  }

  /**
   * The server's operation for each of LangGraph's, in order — or the answer itself (`local`) for a
   * listing whose conditions cannot match any namespace.
   */
  private async plan(ops: readonly Classified[]): Promise<({ op: MemoryOperation; local?: never } | { op?: never; local: string[][] })[]> {
    const { items, queries } = await this.embed(ops);
    return ops.map((c, i) => {
      switch (c.kind) {
        case 'get':
          return { op: { get: { namespace: c.op.namespace, key: c.op.key, refreshTtl: c.op.refreshTtl ?? this.refreshOnRead } } };
        case 'put': {
          const { namespace, key, value, ttl } = c.op;
          if (value === null) return { op: { put: { namespace, key, value: null } } };
          const ttlMinutes = ttl === undefined ? this.defaultTtl : ttl;
          const itemVectors = items.get(i);
          return { op: { put: { namespace, key, value, ttlMinutes, ...(itemVectors ? { vectors: itemVectors } : {}) } } };
        }
        case 'search': {
          const { namespacePrefix, filter, limit, offset, query, refreshTtl } = c.op;
          const search = { namespacePrefix, filter, limit, offset, refreshTtl: refreshTtl ?? this.refreshOnRead };
          // With an index the query is ranked by meaning (its vector), else by the server's text search.
          const queryVector = queries.get(i);
          return { op: { search: queryVector ? { ...search, queryVector } : { ...search, query } } };
        }
        case 'listNamespaces': {
          const { matchConditions, maxDepth, limit, offset } = c.op;
          const merged = mergeConditions(matchConditions);
          return merged ? { op: { listNamespaces: { ...merged, maxDepth, limit, offset } } } : { local: [] };
        }
      }
    });
  }

  /**
   * The vectors of each put (its indexed fields' texts) and of each search (its query), by
   * operation index: one call of the model for the documents, one for the queries. Without an
   * index, none.
   */
  private async embed(ops: readonly Classified[]): Promise<{ items: Map<number, ItemVector[]>; queries: Map<number, number[]> }> {
    const items = new Map<number, ItemVector[]>();
    const queries = new Map<number, number[]>();
    const embedder = this.embedder;
    if (!embedder) return { items, queries };
    const docs: { at: number; field: string; text: string }[] = [];
    const texts: { at: number; text: string }[] = [];
    ops.forEach((c, at) => {
      if (c.kind === 'put' && c.op.value !== null && c.op.index !== false) {
        for (const t of fieldTexts(c.op.value, c.op.index ?? embedder.fields)) docs.push({ at, ...t });
      } else if (c.kind === 'search' && c.op.query) {
        texts.push({ at, text: c.op.query });
      }
    });
    // Each distinct text once, as LangGraph's InMemoryStore does.
    const distinct = [...new Set(docs.map((d) => d.text))];
    const position = new Map(distinct.map((text, i) => [text, i]));
    const [embedded, queryVectors] = await Promise.all([embedder.documents(distinct), embedder.queries(texts.map((q) => q.text))]);
    for (const d of docs) {
      const vectors = items.get(d.at) ?? [];
      vectors.push({ field: d.field, vector: embedded[position.get(d.text)!]! });
      items.set(d.at, vectors);
    }
    texts.forEach((q, i) => queries.set(q.at, queryVectors[i]!));
    return { items, queries };
  }

  private async send(run: MemoryOperation[]): Promise<MemoryResult[]> {
    try {
      return run.some((op) => op.put) ? await this.client.memory.batch(run) : await this.client.memory.read(run);
    } catch (error) {
      throw asNamespaceError(error);
    }
  }
}

/** LangGraph's namespace rules, as its own stores apply them inside `batch`. */
function checkNamespaces(c: Classified): void {
  switch (c.kind) {
    case 'get':
    case 'put':
      return validateNamespace(c.op.namespace, { allowReservedRoot: true });
    case 'search':
      return validateNamespace(c.op.namespacePrefix, { allowEmpty: true, allowReservedRoot: true });
    case 'listNamespaces':
      for (const condition of c.op.matchConditions ?? []) validateNamespace(condition.path, { allowEmpty: true, allowReservedRoot: true });
  }
}

/**
 * The server's refusal of a namespace (a rule LangGraph has no check for: labels of at most 256
 * characters, at most 16 of them) as LangGraph's InvalidNamespaceError, the cause kept.
 */
function asNamespaceError(error: unknown): unknown {
  if (!(error instanceof AgentStorageError) || error.code !== 'BAD_USER_INPUT') return error;
  const issues = error.extensions.issues;
  if (!Array.isArray(issues) || !issues.length) return error;
  const aboutNamespaces = issues.every((issue: unknown) => {
    const path = (issue as { path?: unknown }).path;
    return Array.isArray(path) && path.some((p) => typeof p === 'string' && NAMESPACE_FIELDS.has(p));
  });
  if (!aboutNamespaces) return error;
  const namespaceError = new InvalidNamespaceError(error.message);
  (namespaceError as Error & { cause?: unknown }).cause = error;
  return namespaceError;
}
