import { type Clock, isoTime } from '../../domain/clock.js';
import { NotFoundError } from '../../domain/errors.js';
import type { IdGenerator } from '../../domain/ids.js';
import type { CreateArtifactInput } from '../../domain/inputs.js';
import type { Slice } from '../../domain/paging.js';
import type { Artifact } from '../../domain/records.js';
import type { ArtifactStore } from './store.js';

export { type CreateArtifactInput, createArtifactInput } from '../../domain/inputs.js';

/**
 * The artifacts' operations, shared by the REST and GraphQL doors, over one tenant's store. Every
 * call sees the sessions live by this clock: an expired session's artifacts answer like an unknown
 * session's.
 */
export class ArtifactService {
  constructor(
    readonly store: ArtifactStore,
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
}
