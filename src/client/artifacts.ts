import { AgentStorageError } from './errors.js';
import { CreateArtifactDocument, DeleteArtifactDocument, GetArtifactDocument, SessionArtifactsDocument, type CreateArtifactInput } from './gql/graphql.js';
import type { Artifact, Caller, Page, PageArgs } from './resources.js';
import { fromWire, json } from './rest-wire.js';
import type { CallOptions, RestRequest, Transport } from './transport.js';

/**
 * Artifacts: their records over GraphQL, their content (the bytes, in numbered versions) over the
 * REST routes of docs/rest-api.md — GraphQL carries no raw bytes. Content records come back in
 * camelCase, as every other record of the client.
 */

/** One stored version of an artifact's bytes. Versions are numbered 0, 1, 2 … in save order and never reused. */
export interface ArtifactContent {
  artifactId: string;
  version: number;
  /** The SHA-256 of the bytes, in hex (also the `ETag` of a download). */
  sha256: string;
  size: number;
  contentType: string;
  createdAt: string;
}

/** A version read whole. */
export interface LoadedContent {
  /** Its record, as the download's headers give it (`createdAt` from `Last-Modified`: to the second). */
  content: ArtifactContent;
  bytes: Uint8Array;
}

/** A version being read: the body streams as the caller reads it (see `streamContent`). */
export interface ContentStream {
  content: ArtifactContent;
  body: ReadableStream<Uint8Array>;
}

/**
 * Bytes to store. In memory (`Uint8Array`, `ArrayBuffer`, `string` as UTF-8) they are sent with
 * their SHA-256, which the service checks: bytes changed on the way are refused, never stored. A
 * `Blob` or `ReadableStream` is streamed as it is read (the service still computes its digest).
 */
export type ContentData = Uint8Array | ArrayBuffer | string | Blob | ReadableStream<Uint8Array>;

export interface ContentOptions extends CallOptions {
  /** Default: a Blob's own type, `text/plain; charset=utf-8` for a string, else `application/octet-stream`. */
  contentType?: string;
}

/** What `saveContent` stores: a new version of the session's artifact named `name`, created when there is none. */
export interface SaveContentInput {
  sessionId: string;
  name: string;
  data: ContentData;
  contentType?: string;
  /** For a new artifact: its `type` (default: the content type), `path` (default: its content URL) and `metadata`. */
  type?: string;
  path?: string;
  metadata?: Record<string, unknown>;
}

export interface SavedContent {
  /** The artifact the version belongs to (as it was when first created: its `size` may be older). */
  artifact: Artifact;
  content: ArtifactContent;
  /** Whether this save created the artifact (its version is then 0). */
  createdArtifact: boolean;
}

/** The tenant's stored bytes (`GET /storage/usage`). */
export interface StorageUsage {
  tenant: string;
  /** Each distinct blob counted once: versions with the same bytes share one. */
  storedBytes: number;
  /** Every version counted. */
  contentBytes: number;
  blobs: number;
  versions: number;
  /** The tenant's quota (STORAGE_QUOTA_BYTES), null when none. */
  quotaBytes: number | null;
  /** The largest version the service accepts (MAX_ARTIFACT_BYTES). */
  maxArtifactBytes: number;
}

const hex = (digest: ArrayBuffer) => Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');

/** The SHA-256 of bytes in hex, by Web Crypto (Node 20+, browsers in secure contexts); undefined where there is none. */
async function sha256(bytes: Uint8Array): Promise<string | undefined> {
  const subtle = globalThis.crypto?.subtle;
  return subtle ? hex(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)) : undefined;
}

/** The body and headers of an upload. */
async function upload(data: ContentData, contentType: string | undefined): Promise<Pick<RestRequest, 'body' | 'headers'>> {
  let body: Uint8Array | Blob | ReadableStream<Uint8Array>;
  let type = contentType;
  if (typeof data === 'string') {
    body = new TextEncoder().encode(data);
    type ??= 'text/plain; charset=utf-8';
  } else if (data instanceof ArrayBuffer) {
    body = new Uint8Array(data);
  } else {
    body = data;
    if (data instanceof Blob && data.type !== '') type ??= data.type;
  }
  const headers: Record<string, string> = { 'content-type': type ?? 'application/octet-stream' };
  if (body instanceof Uint8Array) {
    const digest = await sha256(body);
    if (digest !== undefined) headers['content-sha256'] = digest;
  }
  return { body, headers };
}

/** A download's record, from its headers. */
function contentOf(artifactId: string, response: Response): ArtifactContent {
  const { headers } = response;
  const lastModified = headers.get('last-modified');
  return {
    artifactId,
    version: Number(headers.get('artifact-version')),
    sha256: (headers.get('etag') ?? '').replace(/^(W\/)?"|"$/g, ''),
    size: Number(headers.get('content-length')),
    contentType: headers.get('content-type') ?? 'application/octet-stream',
    createdAt: lastModified === null ? '' : new Date(lastModified).toISOString(),
  };
}

/** A 404 (no such artifact, version, or no content at all) as null. */
function nullWhenMissing(error: unknown): null {
  if (error instanceof AgentStorageError && error.status === 404) return null;
  throw error;
}

const contentPath = (artifactId: string) => `/storage/artifacts/${encodeURIComponent(artifactId)}/content`;

export class ArtifactsApi {
  constructor(
    private readonly client: Caller,
    private readonly transport: Transport,
  ) {}

  async create(input: CreateArtifactInput, options?: CallOptions): Promise<Artifact> {
    return (await this.client.call(CreateArtifactDocument, { input }, options)).createArtifact;
  }

  async get(id: string, options?: CallOptions): Promise<Artifact | null> {
    return (await this.client.call(GetArtifactDocument, { id }, options)).artifact ?? null;
  }

  /** A session's artifacts in creation order. NOT_FOUND for an unknown session. */
  async list(sessionId: string, page: PageArgs = {}, options?: CallOptions): Promise<Page<Artifact>> {
    const session = (await this.client.call(SessionArtifactsDocument, { sessionId, ...page }, options)).session;
    if (session == null) throw new AgentStorageError({ code: 'NOT_FOUND', message: 'Session not found' });
    return session.artifacts;
  }

  /** Deletes the artifact with all its content; its id. */
  async delete(id: string, options?: CallOptions): Promise<string> {
    return (await this.client.call(DeleteArtifactDocument, { id }, options)).deleteArtifact;
  }

  /**
   * Saves bytes by name in one request: a new version of the session's artifact named `name` (the
   * most recently created one), or, when it has none, a new artifact with version 0. NOT_FOUND for
   * an unknown session, PAYLOAD_TOO_LARGE over MAX_ARTIFACT_BYTES, INSUFFICIENT_STORAGE over the
   * tenant's quota, BAD_REQUEST when the bytes do not match their digest. Never retried (a repeat
   * would store another version).
   */
  async saveContent(input: SaveContentInput, options?: CallOptions): Promise<SavedContent> {
    const { sessionId, name, data, contentType, type, path, metadata } = input;
    const request: RestRequest = {
      method: 'POST',
      path: '/storage/artifacts/content',
      query: { session_id: sessionId, name, type, path, metadata: metadata === undefined ? undefined : JSON.stringify(metadata) },
      ...(await upload(data, contentType)),
    };
    return this.transport.rest(
      request,
      async (response) => {
        const saved = fromWire<{ artifact: unknown; content: unknown; createdArtifact?: unknown }>(await json(response));
        return { artifact: fromWire<Artifact>(saved.artifact), content: fromWire<ArtifactContent>(saved.content), createdArtifact: saved.createdArtifact === true };
      },
      options,
    );
  }

  /** Stores bytes as the artifact's next version. Errors as `saveContent` (NOT_FOUND: no such artifact). Never retried. */
  async putContent(artifactId: string, data: ContentData, options: ContentOptions = {}): Promise<ArtifactContent> {
    const { contentType, ...call } = options;
    const request: RestRequest = { method: 'PUT', path: contentPath(artifactId), ...(await upload(data, contentType)) };
    return this.transport.rest(request, async (response) => fromWire<ArtifactContent>(await json(response)), call);
  }

  /**
   * A version's bytes (the latest unless `version` says which), checked against their SHA-256; null
   * when there is no such artifact, no such version, or no content at all (as `get` gives null).
   * Retried on transient failures, a download cut off included.
   */
  async loadContent(artifactId: string, options: CallOptions & { version?: number } = {}): Promise<LoadedContent | null> {
    const { version, ...call } = options;
    return this.transport
      .rest(
        { method: 'GET', path: contentPath(artifactId), query: { version } },
        async (response) => {
          const content = contentOf(artifactId, response);
          const bytes = new Uint8Array(await response.arrayBuffer());
          const digest = await sha256(bytes);
          if (digest !== undefined && content.sha256 !== '' && digest !== content.sha256) {
            throw new AgentStorageError({ status: response.status, code: 'BAD_RESPONSE', message: `The bytes read do not match their SHA-256 (${content.sha256})` });
          }
          return { content: { ...content, size: bytes.length }, bytes };
        },
        call,
      )
      .catch(nullWhenMissing);
  }

  /**
   * A version's bytes as a stream, for content too large to hold in memory; null as for
   * `loadContent`. Only opening it is retried: a stream that breaks while read errors its reader.
   */
  async streamContent(artifactId: string, options: CallOptions & { version?: number } = {}): Promise<ContentStream | null> {
    const { version, ...call } = options;
    return this.transport
      .rest({ method: 'GET', path: contentPath(artifactId), query: { version } }, async (response) => ({ content: contentOf(artifactId, response), body: response.body ?? new Blob([]).stream() }), call)
      .catch(nullWhenMissing);
  }

  /** The artifact's stored versions, oldest first (empty when it has no content). NOT_FOUND for an unknown artifact. */
  async contentVersions(artifactId: string, options?: CallOptions): Promise<ArtifactContent[]> {
    return this.transport.rest(
      { method: 'GET', path: `/storage/artifacts/${encodeURIComponent(artifactId)}/versions` },
      async (response) => {
        const records = await json(response);
        if (!Array.isArray(records)) throw new AgentStorageError({ code: 'BAD_RESPONSE', message: 'The service answered without a list of versions' });
        return records.map((record) => fromWire<ArtifactContent>(record));
      },
      options,
    );
  }

  /**
   * Deletes one version, or (without `version`) all of them — the artifact record stays; `delete`
   * removes both. The numbers deleted; NOT_FOUND when there is no such version (or no content).
   * Never retried: a repeat would find nothing and say NOT_FOUND.
   */
  async deleteContent(artifactId: string, options: CallOptions & { version?: number } = {}): Promise<number[]> {
    const { version, ...call } = options;
    return this.transport.rest(
      { method: 'DELETE', path: contentPath(artifactId), query: { version } },
      async (response) => fromWire<{ versions: number[] }>(await json(response)).versions,
      call,
    );
  }

  /** The tenant's stored bytes, its quota and the largest version accepted. */
  async usage(options?: CallOptions): Promise<StorageUsage> {
    return this.transport.rest({ method: 'GET', path: '/storage/usage' }, async (response) => fromWire<StorageUsage>(await json(response)), options);
  }
}
