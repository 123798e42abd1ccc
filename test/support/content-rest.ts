import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test as base } from 'vitest';
import { client, type JsonClient } from './http.js';
import { startTestServer, type TestServer } from './server.js';

/*
 * Artifact content's black-box suites run every case on each place content can live — a SQLite file
 * with its blob folder, a SQLite file with the bytes as chunk rows (BLOB_STORE=database), and
 * PostgreSQL (chunk rows) — with a real server per place, whatever TEST_BACKEND says:
 *
 *   describeOnContentStores('artifact content', (it, store) => {
 *     it('…', async ({ server, api, serve }) => { … });
 *   });
 *
 * `server` is the block's server (started before its first test, closed after its last; its tests
 * share its database), `api` a JSON client of it, `serve(env)` another server of the same kind with
 * more configuration, closed when the test ends.
 */

export interface ContentStoreKind {
  name: string;
  backend: 'sqlite' | 'postgres';
  /** How the bytes are kept: files beside the SQLite file, or `blob_chunks` rows. */
  blobs: 'filesystem' | 'database';
  env: Record<string, string>;
}

export const CONTENT_STORES: readonly ContentStoreKind[] = [
  { name: 'sqlite, files', backend: 'sqlite', blobs: 'filesystem', env: {} },
  { name: 'sqlite, chunk rows', backend: 'sqlite', blobs: 'database', env: { BLOB_STORE: 'database' } },
  { name: 'postgres, chunk rows', backend: 'postgres', blobs: 'database', env: {} },
];

function contentTest(store: ContentStoreKind, blockServer: () => TestServer) {
  return base
    .extend('server', () => blockServer())
    .extend('api', ({ server }): JsonClient => client(server.url))
    .extend('serve', async ({}, { onCleanup }) => {
      const started: TestServer[] = [];
      onCleanup(async () => {
        for (const server of started.reverse()) await server.close();
      });
      return async (env: Record<string, string> = {}): Promise<TestServer> => {
        const server = await startTestServer({ ...store.env, ...env }, { backend: store.backend });
        started.push(server);
        return server;
      };
    });
}

export type ContentTest = ReturnType<typeof contentTest>;

/** `cases` once per content store, in a `describe` named `<name>: <store>`; `env` configures the blocks' servers. */
export function describeOnContentStores(name: string, cases: (it: ContentTest, store: ContentStoreKind) => void, env: Record<string, string> = {}): void {
  for (const store of CONTENT_STORES) {
    describe(`${name}: ${store.name}`, () => {
      let server: TestServer | undefined;
      beforeAll(async () => {
        server = await startTestServer({ ...store.env, ...env }, { backend: store.backend });
      });
      afterAll(async () => {
        await server?.close();
      });
      cases(
        contentTest(store, () => {
          if (!server) throw new Error('the block’s server did not start');
          return server;
        }),
        store,
      );
    });
  }
}

// --- requests --------------------------------------------------------------------------------

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A response with its whole body as bytes, and as JSON when it is JSON. */
export interface BytesResponse {
  status: number;
  headers: Headers;
  bytes: Buffer;
  body: any;
}

export async function send(url: string, init: RequestInit = {}): Promise<BytesResponse> {
  const response = await fetch(url, init);
  const bytes = Buffer.from(await response.arrayBuffer());
  let body: unknown;
  if (response.headers.get('content-type')?.startsWith('application/json')) {
    try {
      body = JSON.parse(bytes.toString('utf8'));
    } catch {
      body = undefined;
    }
  }
  return { status: response.status, headers: response.headers, bytes, body };
}

export const contentUrl = (server: { url: string }, artifactId: string, query = '') =>
  `${server.url}/storage/artifacts/${encodeURIComponent(artifactId)}/content${query}`;

/** `PUT …/content` with `bytes` (Content-Length known) and `headers`. */
export const putContent = (server: { url: string }, artifactId: string, bytes: Uint8Array | string, headers: Record<string, string> = {}) =>
  send(contentUrl(server, artifactId), { method: 'PUT', body: bytes as BodyInit, headers });

/** `GET …/content` (or another method) with `headers`. */
export const getContent = (server: { url: string }, artifactId: string, query = '', headers: Record<string, string> = {}, method = 'GET') =>
  send(contentUrl(server, artifactId, query), { method, headers });

/** `POST /storage/artifacts/content?session_id&name…` (save by name). */
export function saveNamed(server: { url: string }, params: Record<string, string>, bytes: Uint8Array | string, headers: Record<string, string> = {}) {
  return send(`${server.url}/storage/artifacts/content?${new URLSearchParams(params)}`, { method: 'POST', body: bytes as BodyInit, headers });
}

/** A body sent without a length (`Transfer-Encoding: chunked`), in pieces of `piece` bytes. */
export function chunked(bytes: Uint8Array, piece = 64 * 1024): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(at, at + piece));
      at += piece;
    },
  });
}

export const putChunked = (server: { url: string }, artifactId: string, bytes: Uint8Array, headers: Record<string, string> = {}) =>
  send(contentUrl(server, artifactId), { method: 'PUT', body: chunked(bytes), headers, duplex: 'half' } as RequestInit);

// --- records ---------------------------------------------------------------------------------

export async function newSession(api: JsonClient, agentName = 'content-tests'): Promise<string> {
  const res = await api.post('/storage/sessions', { agent_name: agentName });
  if (res.status !== 200) throw new Error(`create session: ${res.status} ${res.text}`);
  return res.body.id;
}

/** A new artifact record (no content yet) in `sessionId`, or in a new session. */
export async function newArtifact(api: JsonClient, fields: { sessionId?: string; name?: string } = {}): Promise<{ id: string; sessionId: string }> {
  const sessionId = fields.sessionId ?? (await newSession(api));
  const res = await api.post('/storage/artifacts', { session_id: sessionId, name: fields.name ?? 'report.pdf', type: 'document', path: '/files/report.pdf', size: 0 });
  if (res.status !== 200) throw new Error(`create artifact: ${res.status} ${res.text}`);
  return { id: res.body.id, sessionId };
}

export interface Usage {
  tenant: string;
  stored_bytes: number;
  content_bytes: number;
  blobs: number;
  versions: number;
  quota_bytes: number | null;
  max_artifact_bytes: number;
}

export async function usageOf(api: Pick<JsonClient, 'get'>): Promise<Usage> {
  const res = await api.get('/storage/usage');
  if (res.status !== 200) throw new Error(`usage: ${res.status} ${res.text}`);
  return res.body;
}

// --- what is stored, seen from below the API -------------------------------------------------

/** Rows of a portable SQL query on the server's (default tenant's) database. */
export const sqlRows = (server: TestServer, name: string, sql: string) => server.backend.runner.all({ name: `test_${name}`, sql, order: [] }, {});

/** The blob files of a SQLite server's folder (`<file>-blobs/ab/cd/<sha256>`), by name; none for another store. */
export function blobFiles(server: TestServer): string[] {
  if (server.config.database.kind !== 'sqlite') return [];
  const root = `${server.config.database.filename}-blobs`;
  const list = (path: string) => {
    try {
      return readdirSync(path);
    } catch {
      return [];
    }
  };
  const out: string[] = [];
  for (const a of list(root).filter((n) => /^[0-9a-f]{2}$/.test(n))) {
    for (const b of list(join(root, a))) out.push(...list(join(root, a, b)));
  }
  return out.sort();
}

/** How many `blob_chunks` rows each owner (a blob's sha256, or `upload:<id>` while staged) has. */
export async function chunkOwners(server: TestServer): Promise<Map<string, number>> {
  const rows = await sqlRows(server, 'chunk_owners', 'SELECT owner, COUNT(*) AS n FROM blob_chunks GROUP BY owner');
  return new Map(rows.map((r) => [String(r.owner), Number(r.n)]));
}

/** The sha256 of every blob row. */
export async function blobRows(server: TestServer): Promise<string[]> {
  return (await sqlRows(server, 'blob_rows', 'SELECT sha256 FROM blobs ORDER BY sha256')).map((r) => String(r.sha256));
}

/** Polls `check` until it holds (or fails after `timeoutMs`): for what happens after a response was sent. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
