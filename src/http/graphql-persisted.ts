import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { ByteLru } from '../lib/byte-lru.js';
// Written by `npm run codegen` from src/console/app/operations.graphql; bundled with the service.
import consoleOperations from '../console/gql/persisted-documents.json' with { type: 'json' };

/**
 * Persisted operations (PERSISTED_OPERATIONS), run on a request's parameters before any limit
 * reads them: the text a hash stands for is then parsed, counted and costed like a text sent.
 *
 * - `off`: query text only. A hash-only request (a client with Apollo's persisted-query link)
 *   answers PERSISTED_QUERY_NOT_SUPPORTED, which makes that link send the text from then on.
 *   (In every mode, the web console's operations are known by hash: see CONSOLE_OPERATIONS.)
 * - `apq`: Automatic Persisted Queries, Apollo's protocol: `extensions.persistedQuery`
 *   `{ version: 1, sha256Hash }`. A hash the server knows stands for its text; an unknown one
 *   answers PERSISTED_QUERY_NOT_FOUND, and the client sends hash and text, which is checked (the
 *   hash must be the text's) and kept. Kept in this process only, in a least-recently-used map
 *   bounded by the bytes of text (APQ_CACHE_BYTES): a replica that has not seen a text, or has
 *   dropped it, costs the client one more round trip, never an error.
 * - `only`: nothing but the operations of the manifest (PERSISTED_OPERATIONS_MANIFEST) and the web
 *   console's, by hash; query text is refused with PERSISTED_QUERY_ONLY, an unknown hash with
 *   PERSISTED_QUERY_NOT_IN_LIST (both 403). Yoga's persisted-operations plugin does this.
 *
 * Why APQ is not Yoga's APQ plugin (@graphql-yoga/plugin-apq): its releases need
 * @graphql-tools/utils 10, and this server has 11. Nor Yoga's persisted-operations plugin: it
 * reads from a store and never writes to it, while APQ stores what clients send (after checking).
 */

/** How many bytes of query text APQ keeps per process (least recently used dropped first). */
export const APQ_CACHE_BYTES = 16 * 1024 * 1024;

const refusal = (message: string, code: string, status: number) => new GraphQLError(message, { extensions: { code, http: { status, spec: false } } });

interface PersistedQuery {
  version: unknown;
  sha256Hash: unknown;
}

function persistedQueryOf(extensions: unknown): PersistedQuery | null {
  if (extensions === null || typeof extensions !== 'object') return null;
  const value = (extensions as Record<string, unknown>)['persistedQuery'];
  return value !== null && typeof value === 'object' ? (value as PersistedQuery) : null;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Query texts by their sha256, least recently used first, at most `maxBytes` of text (UTF-8) in all. */
export class QueryTextCache extends ByteLru<string> {
  constructor(maxBytes: number) {
    super(maxBytes, (_hash, text) => Buffer.byteLength(text, 'utf8'));
  }
}

/** The hash of a request's `persistedQuery` extension; null without one; refused when malformed. */
function hashOf(persisted: PersistedQuery): string {
  if (persisted.version !== 1) {
    throw refusal(`Unsupported persisted query version ${JSON.stringify(persisted.version)}: this server speaks version 1.`, 'PERSISTED_QUERY_VERSION_NOT_SUPPORTED', 400);
  }
  if (typeof persisted.sha256Hash !== 'string' || !SHA256_HEX.test(persisted.sha256Hash)) {
    throw refusal('persistedQuery.sha256Hash must be the sha256 of the query, in 64 lower-case hex digits.', 'BAD_REQUEST', 400);
  }
  return persisted.sha256Hash;
}

/** APQ: hashes stand for texts sent with them before (see above). */
function useAutomaticPersistedQueries(cache: QueryTextCache): Plugin {
  return {
    onParams({ params, setParams }) {
      const persisted = persistedQueryOf(params.extensions);
      if (!persisted) return;
      const hash = hashOf(persisted);
      if (typeof params.query === 'string') {
        if (sha256(params.query) !== hash) {
          throw refusal('persistedQuery.sha256Hash is not the sha256 of the query sent with it.', 'PERSISTED_QUERY_HASH_MISMATCH', 400);
        }
        cache.set(hash, params.query);
        return;
      }
      const query = cache.get(hash) ?? CONSOLE_OPERATIONS.get(hash);
      // Apollo's link looks for this message or this code, then sends the text with the hash.
      if (query === undefined) throw refusal('PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND', 404);
      setParams({ ...params, query });
    },
  };
}

/**
 * Without persisted queries: a hash-only request is told so, and Apollo's link stops sending
 * hashes; but for the console's operations.
 */
function useNoPersistedQueries(): Plugin {
  return {
    onParams({ params, setParams }) {
      const persisted = persistedQueryOf(params.extensions);
      if (typeof params.query === 'string' || !persisted) return;
      const query = persisted.version === 1 && typeof persisted.sha256Hash === 'string' ? CONSOLE_OPERATIONS.get(persisted.sha256Hash) : undefined;
      if (query === undefined) throw refusal('PersistedQueryNotSupported', 'PERSISTED_QUERY_NOT_SUPPORTED', 400);
      setParams({ ...params, query });
    },
  };
}

/**
 * A manifest, as GraphQL Code Generator's client preset writes it (`persistedDocuments`): a JSON
 * object of sha256 hashes to operation texts. Every hash is checked against its text, so that an
 * edited manifest cannot make a hash stand for another operation than a client hashed.
 */
export function readManifest(path: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`PERSISTED_OPERATIONS_MANIFEST ${path} cannot be read as JSON: ${(error as Error).message}`);
  }
  return manifestOperations(parsed, `PERSISTED_OPERATIONS_MANIFEST ${path}`);
}

function manifestOperations(parsed: unknown, name: string): Map<string, string> {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${name} must be a JSON object of sha256 hashes to operation texts`);
  }
  const operations = new Map<string, string>();
  for (const [hash, text] of Object.entries(parsed)) {
    if (typeof text !== 'string' || sha256(text) !== hash) {
      throw new Error(`${name}: the entry ${JSON.stringify(hash.slice(0, 80))} is not the sha256 of its operation text`);
    }
    operations.set(hash, text);
  }
  return operations;
}

/**
 * The web console's operations (docs/console.md), known by hash in every mode, `only` included
 * whatever its manifest holds: the console ships in this package and always sends them by hash.
 * They are reads only, each checked by the scopes and limits of the key that sends it, as any
 * other request.
 */
const CONSOLE_OPERATIONS = manifestOperations(consoleOperations, "The console's persisted operations");

/** Only the manifest's operations, by hash (Yoga's plugin, with this server's codes and statuses). */
function useAllowList(operations: ReadonlyMap<string, string>): Plugin {
  const forbidden = (message: string, code: string) => ({ message, extensions: { code, http: { status: 403, spec: false } } });
  return usePersistedOperations({
    getPersistedOperation: (hash) => operations.get(hash) ?? null,
    allowArbitraryOperations: false,
    customErrors: {
      persistedQueryOnly: forbidden('This server accepts only persisted operations: send extensions.persistedQuery { version: 1, sha256Hash } without the query text.', 'PERSISTED_QUERY_ONLY'),
      keyNotFound: forbidden('This server accepts only persisted operations: send extensions.persistedQuery { version: 1, sha256Hash }.', 'PERSISTED_QUERY_ONLY'),
      notFound: forbidden("The operation is not in this server's list of persisted operations.", 'PERSISTED_QUERY_NOT_IN_LIST'),
    },
  }) as Plugin;
}

/** The persisted-operations plugin of PERSISTED_OPERATIONS; the manifest is read here, once. */
export function persistedOperationsPlugin({ mode, manifest }: Config['persistedOperations']): Plugin {
  if (mode === 'apq') return useAutomaticPersistedQueries(new QueryTextCache(APQ_CACHE_BYTES));
  if (mode === 'only') {
    if (manifest === null) throw new Error('PERSISTED_OPERATIONS=only needs PERSISTED_OPERATIONS_MANIFEST');
    return useAllowList(new Map([...CONSOLE_OPERATIONS, ...readManifest(manifest)]));
  }
  return useNoPersistedQueries();
}
