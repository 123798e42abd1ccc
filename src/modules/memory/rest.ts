import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { parseInput } from '../../domain/inputs.js';
import { memoryItemRecord } from '../../domain/records.js';
import { camelToSnake, snakeToCamel, wireCodec } from '../../domain/wire.js';
import { HttpError, json, parseWire, queryObject } from '../../rest/http.js';
import { queryInt, requireParam, type RestRequest, type Route } from '../../rest/routes.js';
import { NAMESPACE_LIMITS, namespacePath, splitNamespace } from './namespace.js';
import {
  listNamespacesOf,
  listNamespacesOperation,
  MEMORY_LIMITS,
  type MemoryOperation,
  memoryBatchInput,
  type MemoryResult,
  memoryReadInput,
  putOperation,
  type ScoredItem,
  searchOperation,
} from './service.js';

// The memory store's REST routes (`/storage/memory/...`), snake_case on the wire. A namespace in a
// path or query string is its labels joined by '.' (`users.u1.memories`), which no label contains.

/** The item on the REST wire: every field of the record, in snake_case, in its order (`domain/wire.ts`). */
export const memoryItemWire = wireCodec(memoryItemRecord);

const scoredWire = (item: ScoredItem) => ({ ...memoryItemWire.toWire(item), score: item.score });

function resultWire(r: MemoryResult) {
  switch (r.kind) {
    case 'get':
      return { kind: 'get', item: r.item && memoryItemWire.toWire(r.item) };
    case 'put':
      return { kind: 'put' };
    case 'search':
      return { kind: 'search', items: r.items.map(scoredWire) };
    case 'listNamespaces':
      return { kind: 'list_namespaces', namespaces: r.namespaces };
  }
}

const itemPath = putOperation.pick({ namespace: true, key: true });

/** The item a path names: `/storage/memory/items/{namespace}/{key}` (the key may hold '/'). */
function itemOf(req: RestRequest): { namespace: string[]; key: string } {
  return parseWire(itemPath, { namespace: splitNamespace(requireParam(req.params, 'namespace')), key: requireParam(req.params, 'key') }, 'path');
}

const boolQuery = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .optional()
  .transform((v) => v === 'true');

const getQuery = z.object({ refreshTtl: boolQuery });

/** A namespace (path) in a query string: its labels joined by '.'. */
const dotted = z
  .string()
  .optional()
  .transform((v) => (v ? splitNamespace(v) : undefined))
  .pipe(namespacePath.optional());

/** The query string's options; `listNamespacesOperation` then fills in the defaults. */
const namespacesQuery = z.object({
  prefix: dotted,
  suffix: dotted,
  maxDepth: queryInt(1, NAMESPACE_LIMITS.depth).optional(),
  limit: queryInt(1, MEMORY_LIMITS.namespacesLimit).optional(),
  offset: queryInt(0, MEMORY_LIMITS.offset).optional(),
});

/**
 * A batch's entries with their snake_case names made camelCase: the entry's kind and the names of
 * its fields (one level: a filter's keys and a value's members are the client's data, left as sent).
 * camelCase names are not part of the wire and are dropped, as `parseWire` does.
 */
function batchFromWire(body: unknown): unknown {
  const operations = (body as { operations?: unknown } | null)?.operations;
  if (!Array.isArray(operations)) return { operations };
  const rename = (o: unknown) =>
    o !== null && typeof o === 'object' && !Array.isArray(o)
      ? Object.fromEntries(Object.entries(o).filter(([k]) => !/[A-Z]/.test(k)).map(([k, v]) => [snakeToCamel(k), v]))
      : o;
  return { operations: operations.map((entry) => Object.fromEntries(Object.entries(rename(entry) as object).map(([k, v]) => [k, rename(v)]))) };
}

/** Parses a batch body; issues name wire fields (`operations.0.put.ttl_minutes`). */
function parseBatch(schema: typeof memoryBatchInput | typeof memoryReadInput, body: unknown): MemoryOperation[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(422, [{ loc: ['body'], msg: 'must be a JSON object', type: 'value_error' }]);
  }
  try {
    return parseInput(schema, batchFromWire(body)).operations;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // The entry's kind and field: the wire's names (deeper segments are the client's own keys).
    throw new ValidationError(error.issues.map((i) => ({ ...i, path: i.path.map((p, n) => (typeof p === 'string' && n < 4 ? camelToSnake(p) : p)) })));
  }
}

export function memoryRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: '/storage/memory/items/:namespace/:key*',
      handler: async (req) => {
        const { refreshTtl } = parseWire(getQuery, queryObject(req.query), 'query');
        const [result] = await req.storage.memory.batch([{ kind: 'get', ...itemOf(req), refreshTtl }]);
        if (result?.kind !== 'get' || !result.item) throw new NotFoundError('Memory item');
        return json(200, memoryItemWire.toWire(result.item));
      },
    },
    {
      method: 'PUT',
      path: '/storage/memory/items/:namespace/:key*',
      handler: async (req) => {
        const body = await req.body();
        const fields = parseWire(putOperation.omit({ namespace: true, key: true }), body, 'body');
        const { namespace, key } = itemOf(req);
        await req.storage.memory.batch([{ kind: 'put', namespace, key, ...fields }]);
        return json(200, { status: fields.value === null ? 'deleted' : 'stored', namespace, key });
      },
    },
    {
      method: 'DELETE',
      path: '/storage/memory/items/:namespace/:key*',
      handler: async (req) => {
        const { namespace, key } = itemOf(req);
        await req.storage.memory.batch([{ kind: 'put', namespace, key, value: null, ttlMinutes: null, vectors: [] }]);
        return json(200, { status: 'deleted', namespace, key });
      },
    },
    {
      method: 'POST',
      path: '/storage/memory/search',
      // A read with a body (a filter, a query vector): the `read` scope.
      scope: 'read',
      handler: async (req) => {
        const op = parseWire(searchOperation, await req.body(), 'body');
        const [result] = await req.storage.memory.batch([{ kind: 'search', ...op }]);
        return json(200, result?.kind === 'search' ? result.items.map(scoredWire) : []);
      },
    },
    {
      method: 'GET',
      path: '/storage/memory/namespaces',
      handler: async (req) => {
        const options = parseWire(namespacesQuery, queryObject(req.query), 'query');
        const op = listNamespacesOf(parseInput(listNamespacesOperation, options));
        const [result] = await req.storage.memory.batch([op]);
        return json(200, result?.kind === 'listNamespaces' ? result.namespaces : []);
      },
    },
    {
      method: 'POST',
      path: '/storage/memory/batch',
      handler: async (req) => json(200, (await req.storage.memory.batch(parseBatch(memoryBatchInput, await req.body()))).map(resultWire)),
    },
    {
      method: 'POST',
      path: '/storage/memory/read',
      scope: 'read',
      handler: async (req) => json(200, (await req.storage.memory.batch(parseBatch(memoryReadInput, await req.body()))).map(resultWire)),
    },
  ];
}
