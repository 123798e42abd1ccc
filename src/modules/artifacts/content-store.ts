import { sql } from 'kysely';
import { codecs, type RowCodec } from '../../db/codec.js';
import { liveOwner } from '../../db/live.js';
import { inList } from '../../db/portable.js';
import { type Row, type Runner, tx, type TxWork } from '../../db/runner.js';
import { defineStatements, type Placeholders } from '../../db/statements.js';
import { eventsOf, type NewEvent } from '../../domain/events.js';
import { type Artifact, type ArtifactContent, artifactContentRecord } from '../../domain/records.js';
import type { Blobs } from '../blobs/blobs.js';
import type { StagedBlob, StoredBlob } from '../blobs/bytes.js';
import type { AppendEvents } from '../events/append.js';
import type { SqlArtifactStore } from './store.js';

/** A version of an artifact's content with what a download needs: where the bytes are, and the artifact's name. */
export type ContentToServe = ArtifactContent & { blob: StoredBlob; name: string };

/** What saving by name did: the artifact (new, or the latest of that name) and its new version. */
export interface SavedContent {
  artifact: Artifact;
  content: ArtifactContent;
  createdArtifact: boolean;
}

/**
 * Where artifacts' content versions live: `artifact_contents` rows naming blobs (modules/blobs/).
 * As for the artifact records, every method sees only the artifacts of sessions live at `liveAt`;
 * writes append their events in their own transaction.
 */
export interface ContentStore {
  /** The next version of an artifact; null (nothing written) when there is no such live artifact. */
  save(artifactId: string, staged: StagedBlob, contentType: string, createdAt: string): Promise<ArtifactContent | null>;
  /**
   * A new version of the session's latest artifact named `artifact.name`, or `artifact` itself (new)
   * with version 0 when the session has none of that name; null when the session is not live.
   */
  saveNamed(artifact: Artifact, staged: StagedBlob, contentType: string): Promise<SavedContent | null>;
  /** A version (the latest when `version` is null), or null. */
  content(artifactId: string, version: number | null, liveAt: string): Promise<ContentToServe | null>;
  /** Every version of each artifact, in version order; every id present. One statement. */
  versions(artifactIds: readonly string[], liveAt: string): Promise<Map<string, ArtifactContent[]>>;
  /**
   * Deletes a version (or every version when `version` is null); the versions deleted (none when
   * there was nothing to delete), or null when there is no such live artifact.
   */
  delete(artifactId: string, version: number | null, liveAt: string): Promise<number[] | null>;
}

type ContentParams = { artifactId: string; version: number; sha256: string; size: number; contentType: string; createdAt: string };

const contentColumns = ['artifact_contents.artifact_id', 'artifact_contents.version', 'artifact_contents.sha256', 'artifact_contents.size', 'artifact_contents.content_type', 'artifact_contents.created_at'] as const;

const statements = defineStatements({
  // Claims the artifact's next version number (a row lock on PostgreSQL: saves of one artifact take
  // turns) and makes its size the new content's.
  claimVersion: (db, p: Placeholders<{ id: string; size: number; liveAt: string }>) =>
    db
      .updateTable('artifacts')
      .set({ next_version: sql`next_version + 1`, size: p('size') })
      .where('id', '=', p('id'))
      .where(liveOwner(sql.ref('artifacts.session_id'), p('liveAt')))
      .returning([sql<number>`next_version - 1`.as('version'), 'session_id', sql<string>`(SELECT s.agent_name FROM sessions s WHERE s.id = artifacts.session_id)`.as('agent_name')]),

  insertContent: (db, p: Placeholders<ContentParams>) =>
    db.insertInto('artifact_contents').values({
      artifact_id: p('artifactId'),
      version: p('version'),
      sha256: p('sha256'),
      size: p('size'),
      content_type: p('contentType'),
      created_at: p('createdAt'),
    }),

  // Saves by name take turns per session (a row lock on PostgreSQL; SQLite writes one at a time), so
  // that two first saves of one name make one artifact, not two.
  lockSession: (db, p: Placeholders<{ sessionId: string; liveAt: string }>) =>
    db
      .updateTable('sessions')
      .set({ last_seq: sql`last_seq` })
      .where('id', '=', p('sessionId'))
      .where(liveOwner(p('sessionId'), p('liveAt')))
      .returning('agent_name'),

  latestNamed: (db, p: Placeholders<{ sessionId: string; name: string }>) =>
    db.selectFrom('artifacts').selectAll().where('session_id', '=', p('sessionId')).where('name', '=', p('name')).orderBy('id', 'desc').limit(sql.lit(1)),

  latestContent: (db, p: Placeholders<{ id: string; liveAt: string }>) =>
    db
      .selectFrom('artifact_contents')
      .innerJoin('artifacts', 'artifacts.id', 'artifact_contents.artifact_id')
      .innerJoin('blobs', 'blobs.sha256', 'artifact_contents.sha256')
      .select([...contentColumns, 'blobs.chunk_size', 'artifacts.name'])
      .where('artifact_contents.artifact_id', '=', p('id'))
      .where(liveOwner(sql.ref('artifacts.session_id'), p('liveAt')))
      .orderBy('artifact_contents.version', 'desc')
      .limit(sql.lit(1)),

  contentVersion: (db, p: Placeholders<{ id: string; version: number; liveAt: string }>) =>
    db
      .selectFrom('artifact_contents')
      .innerJoin('artifacts', 'artifacts.id', 'artifact_contents.artifact_id')
      .innerJoin('blobs', 'blobs.sha256', 'artifact_contents.sha256')
      .select([...contentColumns, 'blobs.chunk_size', 'artifacts.name'])
      .where('artifact_contents.artifact_id', '=', p('id'))
      .where('artifact_contents.version', '=', p('version'))
      .where(liveOwner(sql.ref('artifacts.session_id'), p('liveAt'))),

  versionsOf: (db, p: Placeholders<{ ids: string[]; liveAt: string }>, dialect) =>
    db
      .selectFrom('artifact_contents')
      .innerJoin('artifacts', 'artifacts.id', 'artifact_contents.artifact_id')
      .select(contentColumns)
      .where(inList('artifact_contents.artifact_id', p('ids'), dialect))
      .where(liveOwner(sql.ref('artifacts.session_id'), p('liveAt')))
      .orderBy('artifact_contents.artifact_id')
      .orderBy('artifact_contents.version'),

  liveArtifact: (db, p: Placeholders<{ id: string; liveAt: string }>) =>
    db
      .selectFrom('artifacts')
      .select(['session_id', sql<string>`(SELECT s.agent_name FROM sessions s WHERE s.id = artifacts.session_id)`.as('agent_name')])
      .where('id', '=', p('id'))
      .where(liveOwner(sql.ref('artifacts.session_id'), p('liveAt'))),

  deleteVersion: (db, p: Placeholders<{ id: string; version: number }>) =>
    db.deleteFrom('artifact_contents').where('artifact_id', '=', p('id')).where('version', '=', p('version')).returning(['version', 'sha256']),

  deleteVersions: (db, p: Placeholders<{ id: string }>) => db.deleteFrom('artifact_contents').where('artifact_id', '=', p('id')).returning(['version', 'sha256']),

  // The artifact's size stays its latest content's (or what it was, when no content is left).
  resize: (db, p: Placeholders<{ id: string }>) =>
    db
      .updateTable('artifacts')
      .set({
        size: sql`COALESCE((SELECT c.size FROM artifact_contents c WHERE c.artifact_id = artifacts.id ORDER BY c.version DESC LIMIT 1), artifacts.size)`,
      })
      .where('id', '=', p('id')),

  // A fork's copy of an artifact's versions: the same blobs, named by the copy.
  copyContents: (db, p: Placeholders<{ from: string; to: string }>) =>
    db
      .insertInto('artifact_contents')
      .columns(['artifact_id', 'version', 'sha256', 'size', 'content_type', 'created_at'])
      .expression(
        db
          .selectFrom('artifact_contents')
          .select([sql`${p('to')}`.as('artifact_id'), 'version', 'sha256', 'size', 'content_type', 'created_at'])
          .where('artifact_id', '=', p('from')),
      ),
  copyNextVersion: (db, p: Placeholders<{ from: string; to: string }>) =>
    db
      .updateTable('artifacts')
      .set({ next_version: sql`(SELECT a.next_version FROM artifacts a WHERE a.id = ${p('from')})` })
      .where('id', '=', p('to')),
});

/** Content versions in a tenant's SQL database (SQLite or PostgreSQL, by its runner). */
export class SqlContentStore implements ContentStore {
  private readonly sql: ReturnType<typeof statements.for>;
  private readonly codec: RowCodec;

  constructor(
    private readonly runner: Runner,
    private readonly appendEvents: AppendEvents,
    private readonly blobs: Blobs,
    private readonly artifacts: SqlArtifactStore,
  ) {
    this.sql = statements.for(runner.dialect);
    this.codec = codecs[runner.dialect];
  }

  async save(artifactId: string, staged: StagedBlob, contentType: string, createdAt: string): Promise<ArtifactContent | null> {
    const { sql } = this;
    const self = this;
    return this.settled(staged, () =>
      this.runner.transaction(function* () {
        const claim = yield* tx.one(sql.claimVersion, { id: artifactId, size: staged.size, liveAt: createdAt });
        if (!claim) return null;
        return yield* self.insertVersion(
          { id: String(claim.session_id), agentName: String(claim.agent_name) },
          { artifactId, version: Number(claim.version), sha256: staged.sha256, size: staged.size, contentType, createdAt },
          staged,
        );
      }),
    );
  }

  async saveNamed(artifact: Artifact, staged: StagedBlob, contentType: string): Promise<SavedContent | null> {
    const { sql } = this;
    const self = this;
    const liveAt = artifact.createdAt;
    return this.settled(staged, () =>
      this.runner.transaction(function* () {
        const session = yield* tx.one(sql.lockSession, { sessionId: artifact.sessionId, liveAt });
        if (!session) return null;
        const about = { id: artifact.sessionId, agentName: String(session.agent_name) };
        const existing = yield* tx.one(sql.latestNamed, { sessionId: artifact.sessionId, name: artifact.name });
        let target = existing ? self.artifacts.fromRow(existing) : { ...artifact, size: staged.size };
        if (!existing && (yield* self.artifacts.insertRow(target, liveAt)) === null) return null;
        const claim = yield* tx.one(sql.claimVersion, { id: target.id, size: staged.size, liveAt });
        if (!claim) return null;
        target = { ...target, size: staged.size };
        const created = existing ? [] : eventsOf.artifactInserted(about.agentName, target);
        const content = yield* self.insertVersion(
          about,
          { artifactId: target.id, version: Number(claim.version), sha256: staged.sha256, size: staged.size, contentType, createdAt: liveAt },
          staged,
          created,
        );
        return { artifact: target, content, createdArtifact: !existing };
      }),
    );
  }

  /**
   * The version's rows, then its events (after `before`, a new artifact's) — last: the feed's
   * counter is the last lock a write takes (events/append.ts), after the blob usage row's, in
   * every transaction alike, or two saves could wait for each other.
   */
  private *insertVersion(session: { id: string; agentName: string }, params: ContentParams, staged: StagedBlob, before: NewEvent[] = []): TxWork<ArtifactContent> {
    yield* this.blobs.commit(staged, params.createdAt);
    yield* tx.write(this.sql.insertContent, params);
    const content: ArtifactContent = { ...params };
    yield* this.appendEvents([...before, ...eventsOf.contentSaved(session, content)]);
    return content;
  }

  /** Runs the transaction that settles `staged`, then lets the staged bytes go (dropped unless committed). */
  private async settled<T>(staged: StagedBlob, write: () => Promise<T | null>): Promise<T | null> {
    let result: T | null = null;
    try {
      result = await write();
      return result;
    } finally {
      await staged.release(result !== null);
    }
  }

  async content(artifactId: string, version: number | null, liveAt: string): Promise<ContentToServe | null> {
    const row =
      version === null
        ? await this.runner.one(this.sql.latestContent, { id: artifactId, liveAt })
        : await this.runner.one(this.sql.contentVersion, { id: artifactId, version, liveAt });
    if (!row) return null;
    const content = this.toContent(row);
    return { ...content, name: String(row.name), blob: { sha256: content.sha256, size: content.size, chunkSize: Number(row.chunk_size) } };
  }

  async versions(artifactIds: readonly string[], liveAt: string): Promise<Map<string, ArtifactContent[]>> {
    const out = new Map<string, ArtifactContent[]>(artifactIds.map((id) => [id, []]));
    if (artifactIds.length === 0) return out;
    for (const row of await this.runner.all(this.sql.versionsOf, { ids: [...artifactIds], liveAt })) {
      const content = this.toContent(row);
      out.get(content.artifactId)?.push(content);
    }
    return out;
  }

  async delete(artifactId: string, version: number | null, liveAt: string): Promise<number[] | null> {
    const { sql } = this;
    const appendEvents = this.appendEvents;
    const outcome = await this.runner.transaction(function* () {
      const artifact = yield* tx.one(sql.liveArtifact, { id: artifactId, liveAt });
      if (!artifact) return null;
      const rows = version === null ? yield* tx.all(sql.deleteVersions, { id: artifactId }) : yield* tx.all(sql.deleteVersion, { id: artifactId, version });
      const versions = rows.map((r) => Number(r.version)).sort((a, b) => a - b);
      if (versions.length > 0) {
        yield* tx.write(sql.resize, { id: artifactId });
        yield* appendEvents(eventsOf.contentDeleted({ id: String(artifact.session_id), agentName: String(artifact.agent_name) }, artifactId, versions));
      }
      return { versions, shas: rows.map((r) => String(r.sha256)) };
    });
    if (!outcome) return null;
    await this.blobs.collect(outcome.shas);
    return outcome.versions;
  }

  /** Part of a fork's transaction: each copy gets its source's versions (the same blobs) and next version number. */
  *copy(pairs: readonly { from: string; to: string }[]): TxWork<void> {
    for (const pair of pairs) {
      yield* tx.write(this.sql.copyContents, pair);
      yield* tx.write(this.sql.copyNextVersion, pair);
    }
  }

  private toContent(r: Row): ArtifactContent {
    return artifactContentRecord.parse({
      artifactId: r.artifact_id,
      version: Number(r.version),
      sha256: r.sha256,
      size: Number(r.size),
      contentType: r.content_type,
      createdAt: this.codec.time(r.created_at),
    });
  }
}
