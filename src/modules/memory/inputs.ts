import { z } from 'zod';
import { jsonObject, type JsonObject } from '../../domain/json.js';
import { type FilterCondition, searchFilter } from './filter.js';
import { type MatchCondition, NAMESPACE_LIMITS, itemKey, namespace, namespacePath, namespacePrefix } from './namespace.js';
import { type ItemVector, itemVectors, queryVector } from './vectors.js';

/**
 * The memory store's operations as both doors receive them (camelCase; REST maps its snake_case
 * names onto these): a batch is a list of entries, each holding exactly one of `get`, `put`,
 * `search`, `listNamespaces`. Parsed here into `MemoryOperation`s, which the service runs in order.
 */

export const MEMORY_LIMITS = {
  /** Operations in one batch (one transaction). */
  batch: 1000,
  /** The `limit`s of one batch's searches and listings, added up. */
  batchRows: 10_000,
  /** Items a search returns at most; its default is LangGraph's 10. */
  searchLimit: 1000,
  /** Namespaces a listNamespaces returns at most; its default is LangGraph's 100. */
  namespacesLimit: 1000,
  /** Rows a page may skip. */
  offset: 100_000,
  /** Characters of a text query. */
  query: 2000,
  /** Longest TTL: ten years, in minutes. */
  ttlMinutes: 10 * 365 * 24 * 60,
} as const;

/** Every string of a value (keys too) is valid Unicode without NUL: PostgreSQL's JSON operators refuse those, and they are searched as text. */
function isCleanText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.isWellFormed() && !value.includes('\u0000');
  if (value === null || typeof value !== 'object' || depth > 64) return true;
  if (Array.isArray(value)) return value.every((v) => isCleanText(v, depth + 1));
  return Object.entries(value).every(([k, v]) => isCleanText(k) && isCleanText(v, depth + 1));
}

export const memoryValue = jsonObject.refine(isCleanText, { message: 'strings in a memory value (and its keys) must be valid Unicode text without NUL characters' });

const count = (max: number, fallback: number, min = 0) =>
  z
    .number()
    .int('must be a whole number')
    .min(min, min === 0 ? 'must not be negative' : `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .nullish()
    .transform((v) => v ?? fallback);

const flag = z
  .boolean()
  .nullish()
  .transform((v) => v ?? false);

export const ttlMinutes = z
  .number()
  .finite()
  .positive('must be more than 0 minutes (omit it for an item that never expires)')
  .max(MEMORY_LIMITS.ttlMinutes, `must be at most ${MEMORY_LIMITS.ttlMinutes} minutes`);

export const getOperation = z.object({
  namespace,
  key: itemKey,
  /** Move the item's expiry to now + its TTL (LangGraph's refresh_ttl). */
  refreshTtl: flag,
});

export const putOperation = z.object({
  namespace,
  key: itemKey,
  /** The item's value; null deletes the item. */
  value: memoryValue.nullable(),
  ttlMinutes: ttlMinutes.nullish().transform((v) => v ?? null),
  vectors: itemVectors.nullish().transform((v) => v ?? []),
});

export const searchOperation = z.object({
  namespacePrefix,
  filter: searchFilter.nullish().transform((v): FilterCondition[] => v ?? []),
  limit: count(MEMORY_LIMITS.searchLimit, 10, 1),
  offset: count(MEMORY_LIMITS.offset, 0),
  query: z.string().max(MEMORY_LIMITS.query).nullish().transform((v) => v ?? null),
  queryVector: queryVector.nullish().transform((v) => v ?? null),
  refreshTtl: flag,
});

export const listNamespacesOperation = z.object({
  prefix: namespacePath.nullish(),
  suffix: namespacePath.nullish(),
  maxDepth: count(NAMESPACE_LIMITS.depth, 0, 1).transform((v) => (v === 0 ? null : v)),
  limit: count(MEMORY_LIMITS.namespacesLimit, 100, 1),
  offset: count(MEMORY_LIMITS.offset, 0),
});

/** listNamespaces where the whole input may be absent too (GraphQL's `memoryNamespaces`). */
export const listNamespacesOptions = z.preprocess((v) => v ?? {}, listNamespacesOperation);

export type MemoryOperation =
  | ({ kind: 'get' } & z.output<typeof getOperation>)
  | { kind: 'put'; namespace: string[]; key: string; value: JsonObject | null; ttlMinutes: number | null; vectors: ItemVector[] }
  | ({ kind: 'search' } & z.output<typeof searchOperation>)
  | { kind: 'listNamespaces'; matchConditions: MatchCondition[]; maxDepth: number | null; limit: number; offset: number };

const KINDS = ['get', 'put', 'search', 'listNamespaces'] as const;

export const memoryOperation = z
  .object({
    get: getOperation.nullish(),
    put: putOperation.nullish(),
    search: searchOperation.nullish(),
    listNamespaces: listNamespacesOperation.nullish(),
  })
  .superRefine((entry, ctx) => {
    const given = KINDS.filter((k) => entry[k] != null);
    if (given.length !== 1) ctx.addIssue({ code: 'custom', path: [], message: `give exactly one of ${KINDS.join(', ')} (got ${given.length ? given.join(', ') : 'none'})` });
  })
  .transform((entry): MemoryOperation => {
    if (entry.get) return { kind: 'get', ...entry.get };
    if (entry.put) return { kind: 'put', ...entry.put };
    if (entry.search) return { kind: 'search', ...entry.search };
    return listNamespacesOf(entry.listNamespaces!);
  });

/** A parsed listNamespaces input as its operation: prefix and suffix become LangGraph's match conditions. */
export function listNamespacesOf({ prefix, suffix, ...rest }: z.output<typeof listNamespacesOperation>): MemoryOperation {
  const matchConditions: MatchCondition[] = [];
  if (prefix?.length) matchConditions.push({ matchType: 'prefix', path: prefix });
  if (suffix?.length) matchConditions.push({ matchType: 'suffix', path: suffix });
  return { kind: 'listNamespaces', matchConditions, ...rest };
}

export const memoryOperations = z
  .array(memoryOperation)
  .min(1, 'must contain at least one operation')
  .max(MEMORY_LIMITS.batch, `must contain at most ${MEMORY_LIMITS.batch} operations`)
  .superRefine((ops, ctx) => {
    // One answer stays bounded however the pages of its operations add up.
    const rows = ops.reduce((sum, op) => sum + (op.kind === 'search' || op.kind === 'listNamespaces' ? op.limit : 0), 0);
    if (rows > MEMORY_LIMITS.batchRows) ctx.addIssue({ code: 'custom', path: [], message: `the limits of a batch's searches and listings add up to at most ${MEMORY_LIMITS.batchRows}` });
  });

/** A batch that only reads (no put): what the read doors (GraphQL query, REST with `read`) accept. */
export const memoryReads = memoryOperations.superRefine((ops, ctx) => {
  ops.forEach((op, i) => {
    if (op.kind === 'put') ctx.addIssue({ code: 'custom', path: [i, 'put'], message: 'puts are writes: send them through the memoryBatch mutation (or POST /storage/memory/batch)' });
  });
});

/** The body of a batch (both doors): `{ operations }`. */
export const memoryBatchInput = z.object({ operations: memoryOperations });
/** The body of a read-only batch. */
export const memoryReadInput = z.object({ operations: memoryReads });
