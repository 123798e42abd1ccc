import { z } from 'zod';
import { parseInput } from '../../domain/inputs.js';
import { builder } from '../../graphql/builder.js';
import {
  getOperation,
  listNamespacesOf,
  listNamespacesOptions,
  type MemoryOperation,
  type MemoryResult,
  type MemoryService,
  memoryBatchInput,
  memoryReadInput,
  type ScoredItem,
  searchOperation,
} from './service.js';

// The memory store's GraphQL types and root fields. A LangGraph `batch()` is one request: the
// `memoryBatch` mutation (any operations), or the `memoryRead` query (no puts: the `read` scope is
// enough). `memoryItem`, `memorySearch` and `memoryNamespaces` are the single operations as queries.

type ItemShape = Omit<ScoredItem, 'score'> & { score?: number | null };

export const MemoryItem = builder.objectRef<ItemShape>('MemoryItem');

MemoryItem.implement({
  description: 'An item of the long-term memory store (LangGraph’s Item / SearchItem): a JSON object under a key in a namespace.',
  fields: (t) => ({
    namespace: t.exposeStringList('namespace', { description: 'The namespace’s labels, outermost first.' }),
    key: t.exposeString('key'),
    value: t.expose('value', { type: 'JSONObject' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    ttlMinutes: t.exposeFloat('ttlMinutes', { nullable: true, description: 'Minutes from a write (or refreshing read) to expiry; null: never expires.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    score: t.float({
      nullable: true,
      description: 'Search results only: cosine similarity (queryVector) or text relevance (query; comparable within one search only); null when unranked.',
      resolve: (item) => item.score ?? null,
    }),
  }),
});

const MemoryOperationKind = builder.enumType('MemoryOperationKind', {
  values: { GET: { value: 'get' }, PUT: { value: 'put' }, SEARCH: { value: 'search' }, LIST_NAMESPACES: { value: 'listNamespaces' } } as const,
});

export const MemoryOperationResult = builder.objectRef<MemoryResult>('MemoryOperationResult');

MemoryOperationResult.implement({
  description: 'The result of one operation of a batch, in the batch’s order.',
  fields: (t) => ({
    kind: t.field({ type: MemoryOperationKind, resolve: (r) => r.kind }),
    item: t.field({ type: MemoryItem, nullable: true, description: 'GET: the item, null when there is none (or it expired).', resolve: (r) => (r.kind === 'get' ? r.item : null) }),
    items: t.field({ type: [MemoryItem], nullable: true, description: 'SEARCH: the page of items.', resolve: (r) => (r.kind === 'search' ? r.items : null) }),
    namespaces: t.field({
      type: t.listRef(t.listRef('String')),
      nullable: true,
      description: 'LIST_NAMESPACES: the page of namespaces, each a list of labels.',
      resolve: (r) => (r.kind === 'listNamespaces' ? r.namespaces : null),
    }),
  }),
});

const MemoryVectorInput = builder.inputType('MemoryVectorInput', {
  fields: (t) => ({
    field: t.string({ required: true, description: 'The field path the vector embeds (LangGraph index fields).' }),
    vector: t.floatList({ required: true }),
  }),
});

const MemoryGetInput = builder.inputType('MemoryGetInput', {
  fields: (t) => ({
    namespace: t.stringList({ required: true }),
    key: t.string({ required: true }),
    refreshTtl: t.boolean({ description: 'Move the item’s expiry to now + its TTL. Default false.' }),
  }),
});

const MemoryPutInput = builder.inputType('MemoryPutInput', {
  fields: (t) => ({
    namespace: t.stringList({ required: true }),
    key: t.string({ required: true }),
    value: t.field({ type: 'JSONObject', description: 'Required; null deletes the item.' }),
    ttlMinutes: t.float({ description: 'Minutes until expiry (fractions allowed); absent or null: never expires.' }),
    vectors: t.field({ type: [MemoryVectorInput], description: 'The client’s embeddings, one per indexed field; replace the item’s earlier ones.' }),
  }),
});

const MemorySearchInput = builder.inputType('MemorySearchInput', {
  fields: (t) => ({
    namespacePrefix: t.stringList({ required: true, description: '[] searches everything.' }),
    filter: t.field({ type: 'JSONObject', description: 'Conditions on top-level members of the value: a value (equality) or {$eq,$ne,$gt,$gte,$lt,$lte}.' }),
    limit: t.int({ description: 'Default 10.' }),
    offset: t.int({ description: 'Default 0.' }),
    query: t.string({ description: 'Text to search the values for (ranked by relevance).' }),
    queryVector: t.floatList({ description: 'Rank by cosine similarity to this vector instead.' }),
    refreshTtl: t.boolean({ description: 'Move the found items’ expiry to now + their TTL. Default false.' }),
  }),
});

const MemoryListNamespacesInput = builder.inputType('MemoryListNamespacesInput', {
  fields: (t) => ({
    prefix: t.stringList({ description: 'Labels the namespace starts with; "*" matches any label.' }),
    suffix: t.stringList({ description: 'Labels the namespace ends with; "*" matches any label.' }),
    maxDepth: t.int({ description: 'Cut deeper namespaces to this many labels.' }),
    limit: t.int({ description: 'Default 100.' }),
    offset: t.int({ description: 'Default 0.' }),
  }),
});

const MemoryOperationInput = builder.inputType('MemoryOperationInput', {
  description: 'One operation of a batch: exactly one of its fields.',
  fields: (t) => ({
    get: t.field({ type: MemoryGetInput }),
    put: t.field({ type: MemoryPutInput }),
    search: t.field({ type: MemorySearchInput }),
    listNamespaces: t.field({ type: MemoryListNamespacesInput }),
  }),
});

/** One operation, as a batch of one. */
const run = (memory: MemoryService, op: MemoryOperation) => memory.batch([op]).then(([result]) => result!);

// The arguments are parsed in the resolvers, not by plugin-zod's `validate`: their parsed form
// differs from what GraphQL types (a filter becomes its conditions, an entry its operation, an
// absent input its defaults), which `validate` does not allow, and it skips an absent argument.
// A failure is the same BAD_USER_INPUT, with the argument's path.
const itemArgs = z.object({ input: getOperation });
const searchArgs = z.object({ input: searchOperation });
const namespacesArgs = z.object({ input: listNamespacesOptions });

builder.queryFields((t) => ({
  memoryItem: t.field({
    type: MemoryItem,
    nullable: true,
    description: 'One item; null when there is none (or it expired).',
    args: { input: t.arg({ type: MemoryGetInput, required: true }) },
    resolve: async (_root, args, { storage }) => {
      const result = await run(storage.memory, { kind: 'get', ...parseInput(itemArgs, args).input });
      return result.kind === 'get' ? result.item : null;
    },
  }),
  memorySearch: t.field({
    type: [MemoryItem],
    description: 'Items at or below a namespace prefix: filtered, ranked (queryVector, else query), paged.',
    args: { input: t.arg({ type: MemorySearchInput, required: true }) },
    resolve: async (_root, args, { storage }) => {
      const result = await run(storage.memory, { kind: 'search', ...parseInput(searchArgs, args).input });
      return result.kind === 'search' ? result.items : [];
    },
  }),
  memoryNamespaces: t.field({
    type: t.listRef(t.listRef('String')),
    description: 'The namespaces of live items, matching prefix and suffix, cut to maxDepth, in order, paged.',
    args: { input: t.arg({ type: MemoryListNamespacesInput, description: 'Absent: every namespace (the first 100).' }) },
    resolve: async (_root, args, { storage }) => {
      const result = await run(storage.memory, listNamespacesOf(parseInput(namespacesArgs, args).input));
      return result.kind === 'listNamespaces' ? result.namespaces : [];
    },
  }),
  memoryRead: t.field({
    type: [MemoryOperationResult],
    description: 'Runs read operations (get, search, listNamespaces) in order; puts go through the memoryBatch mutation.',
    args: { operations: t.arg({ type: [MemoryOperationInput], required: true }) },
    resolve: (_root, args, { storage }) => storage.memory.batch(parseInput(memoryReadInput, args).operations),
  }),
}));

builder.mutationFields((t) => ({
  memoryBatch: t.field({
    type: [MemoryOperationResult],
    description: 'Runs operations in order as one transaction (LangGraph’s batch): a put with value null deletes.',
    args: { operations: t.arg({ type: [MemoryOperationInput], required: true }) },
    resolve: (_root, args, { storage }) => storage.memory.batch(parseInput(memoryBatchInput, args).operations),
  }),
}));
