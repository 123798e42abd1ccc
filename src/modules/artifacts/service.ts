import { type Clock, isoTime } from '../../domain/clock.js';
import type { Readable } from 'node:stream';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { IdGenerator } from '../../domain/ids.js';
import type { CreateArtifactInput } from '../../domain/inputs.js';
import type { Slice } from '../../domain/paging.js';
import type { Artifact, ArtifactContent } from '../../domain/records.js';
import type { Blobs } from '../blobs/blobs.js';
import type { ByteRange, StagedBlob } from '../blobs/bytes.js';
import type { BlobUsage } from '../blobs/store.js';
import type { ContentStore, ContentToServe, SavedContent } from './content-store.js';
import type { ArtifactStore } from './store.js';

/** How an upload arrives: its bytes, their type, its size limit, and optionally the sha256 the client computed. */
export interface Upload {
  body: AsyncIterable<Uint8Array>;
  contentType: string;
  maxBytes: number;
  /** Lower-case hex; the upload is refused (nothing kept) when the bytes hash otherwise. */
  expectedSha256?: string | undefined;
  /** Where the expected hash came from, for the error (e.g. `['header', 'content-sha256']`). */
  expectedFrom?: string[];
}

/** `saveNamed`'s artifact fields besides the session and name: the rest default from the upload. */
export interface NamedArtifactInput {
  sessionId: string;
  name: string;
  type?: string | undefined;
  path?: string | undefined;
  metadata?: Artifact['metadata'] | undefined;
}

export { type CreateArtifactInput, createArtifactInput } from '../../domain/inputs.js';

/**
 * The artifacts' operations, shared by the REST and GraphQL doors, over one tenant's store. Every
 * call sees the sessions live by this clock: an expired session's artifacts answer like an unknown
 * session's.
 */
export class ArtifactService {
  constructor(
    readonly store: ArtifactStore,
    private readonly contents: ContentStore,
    private readonly blobs: Blobs,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  private now(): string {
    return isoTime(this.clock.now());
  }

  /** A new artifact record of a session, created now; an unknown (or expired) session is NOT_FOUND. */
  async create(input: CreateArtifactInput): Promise<Artifact> {
    const artifact: Artifact = { id: this.ids.next('artifact'), ...input, createdAt: this.now() };
    if (!(await this.store.insert(artifact, artifact.createdAt))) throw new NotFoundError('Session');
    return artifact;
  }

  async get(id: string): Promise<Artifact> {
    const [artifact] = await this.store.byIds([id], this.now());
    if (!artifact) throw new NotFoundError('Artifact');
    return artifact;
  }

  byIds(ids: readonly string[]): Promise<Artifact[]> {
    return this.store.byIds(ids, this.now());
  }

  /** A session's artifacts in creation order; an unknown (or expired) session has none. */
  async list(sessionId: string, slice: Slice<string>): Promise<Artifact[]> {
    return (await this.store.pages([sessionId], slice, this.now())).get(sessionId) ?? [];
  }

  pages(sessionIds: readonly string[], slice: Slice<string>): Promise<Map<string, Artifact[]>> {
    return this.store.pages(sessionIds, slice, this.now());
  }

  counts(sessionIds: readonly string[]): Promise<Map<string, number>> {
    return this.store.counts(sessionIds, this.now());
  }

  async delete(id: string): Promise<void> {
    if (!(await this.store.delete(id, this.now()))) throw new NotFoundError('Artifact');
  }

  // --- content ------------------------------------------------------------------------------

  /** A new version of an artifact's content; NOT_FOUND (nothing kept) when there is no such artifact. */
  async saveContent(artifactId: string, upload: Upload): Promise<ArtifactContent> {
    // Refused before a byte is read when the artifact is not there (the stage would be wasted).
    await this.get(artifactId);
    const staged = await this.stage(upload);
    const content = await this.contents.save(artifactId, staged, upload.contentType, this.now());
    if (!content) throw new NotFoundError('Artifact');
    return content;
  }

  /**
   * Saves content under a name (ADK's save): a new version of the session's latest artifact of that
   * name, or a new artifact (version 0) when it has none.
   */
  async saveNamed(input: NamedArtifactInput, upload: Upload): Promise<SavedContent> {
    const staged = await this.stage(upload);
    const id = this.ids.next('artifact');
    const artifact: Artifact = {
      id,
      sessionId: input.sessionId,
      name: input.name,
      type: input.type ?? upload.contentType,
      path: input.path ?? contentPath(id),
      size: staged.size,
      createdAt: this.now(),
      metadata: input.metadata ?? {},
    };
    const saved = await this.contents.saveNamed(artifact, staged, upload.contentType);
    if (!saved) throw new NotFoundError('Session');
    return saved;
  }

  private async stage(upload: Upload): Promise<StagedBlob> {
    const staged = await this.blobs.stage(upload.body, upload.maxBytes, upload.expectedSha256);
    if (upload.expectedSha256 !== undefined && upload.expectedSha256 !== staged.sha256) {
      await staged.release(false);
      throw new ValidationError([
        { path: upload.expectedFrom ?? ['sha256'], message: `the content's sha256 is ${staged.sha256}, not ${upload.expectedSha256}: nothing was stored` },
      ]);
    }
    return staged;
  }

  /** A version of an artifact's content (the latest when `version` is null), with what a download needs. */
  async content(artifactId: string, version: number | null = null): Promise<ContentToServe> {
    const content = await this.contents.content(artifactId, version, this.now());
    if (content) return content;
    await this.get(artifactId); // NOT_FOUND when the artifact itself is not there
    throw new NotFoundError(version === null ? 'Artifact content' : 'Artifact version');
  }

  /** The bytes of a version (or of a range of them), streamed. */
  open(content: ContentToServe, range: ByteRange | null): Readable {
    return this.blobs.open(content.blob, range);
  }

  /** An artifact's versions, oldest first (none when it has no content); NOT_FOUND when there is no such artifact. */
  async versions(artifactId: string): Promise<ArtifactContent[]> {
    const versions = (await this.contents.versions([artifactId], this.now())).get(artifactId) ?? [];
    if (versions.length === 0) await this.get(artifactId);
    return versions;
  }

  /** Each artifact's versions in one statement (DataLoader). */
  versionsOf(artifactIds: readonly string[]): Promise<Map<string, ArtifactContent[]>> {
    return this.contents.versions(artifactIds, this.now());
  }

  /** Deletes a version, or every version when `version` is null; the versions deleted. */
  async deleteContent(artifactId: string, version: number | null = null): Promise<number[]> {
    const deleted = await this.contents.delete(artifactId, version, this.now());
    if (deleted === null) throw new NotFoundError('Artifact');
    if (deleted.length === 0) throw new NotFoundError(version === null ? 'Artifact content' : 'Artifact version');
    return deleted;
  }

  /** What this tenant's content occupies, and its quota. */
  async usage(): Promise<BlobUsage & { quotaBytes: number | null }> {
    return { ...(await this.blobs.usage()), quotaBytes: this.blobs.quotaBytes };
  }
}

/** Where an artifact's content is downloaded from (the default `path` of an artifact saved with content). */
export function contentPath(artifactId: string): string {
  return `/storage/artifacts/${encodeURIComponent(artifactId)}/content`;
}
