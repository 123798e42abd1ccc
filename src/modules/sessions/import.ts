import { sql } from 'kysely';
import { isUniqueViolation, writeRows } from '../../db/portable.js';
import type { Runner } from '../../db/runner.js';
import { defineStatements, type Placeholders } from '../../db/statements.js';
import { ConflictError, ValidationError } from '../../domain/errors.js';
import type { ArtifactContent } from '../../domain/records.js';
import type { StagedBlob } from '../blobs/bytes.js';
import { checkSessionBundle, lastSeqOf, type SessionBundle } from './bundle.js';
import type { ForkTables } from './fork.js';

export interface ImportCounts {
  /** 1 when the session row was new, else 0. */
  sessions: number;
  messages: number;
  states: number;
  artifacts: number;
  /** Content versions. */
  contents: number;
}

/** A session's content as exported: its versions, its artifacts' next version numbers, and the blobs it brings. */
export interface ImportedContent {
  versions: readonly ArtifactContent[];
  nextVersions: ReadonlyMap<string, number>;
  /**
   * Bytes staged (`Blobs.stage`) for blobs the versions name that the target did not have: their
   * rows are written in the session's transaction (and count against the quota there).
   */
  staged: readonly { staged: StagedBlob; createdAt: string }[];
}

const NO_CONTENT: ImportedContent = { versions: [], nextVersions: new Map(), staged: [] };

export interface ParentLink {
  id: string;
  parentId: string;
}

/** What only the export/import CLI does: write sessions exactly as exported. */
export interface SessionImport {
  /**
   * Writes a session exactly as exported — ids, timestamps and `seq` kept — in one transaction:
   * all of it or nothing. Idempotent: rows that already exist (by id) are left as they are, so
   * importing the same bundle twice creates no duplicates; an existing session's `last_seq` is
   * raised to the imported history's, so later appends never reuse an imported seq. A message
   * whose `seq` or idempotency key is taken by a different message in the target (or in the
   * bundle) is a `ConflictError`, and nothing of the session is written. Records of another
   * session than the bundle's are a `ValidationError`. Its content goes in the same transaction:
   * staged blobs, then versions (a version already there, by artifact and number, is left as it is).
   */
  importSession(bundle: SessionBundle, content?: ImportedContent): Promise<ImportCounts>;
  /**
   * `importSession` writes a fork's `parentId` only when its parent is already there (bundles list
   * forks before their parents, and a bundle may lack the parent): this restores those links once
   * both sessions exist, in one transaction. A link is made only for a fork without a parent; how
   * many were made.
   */
  linkParents(links: readonly ParentLink[]): Promise<number>;
}

/**
 * Links of forks to parents. SQLite: one prepared UPDATE per link (in process, no round trip).
 * PostgreSQL: many links a statement, as arrays (a round trip per fork would make a big import crawl).
 */
const statements = defineStatements({
  linkParent: (db, p: Placeholders<{ id: string; parentId: string }>) =>
    db
      .updateTable('sessions')
      .set({ parent_id: p('parentId') })
      .where('id', '=', p('id'))
      .where('parent_id', 'is', null)
      .where('id', '<>', p('parentId'))
      .where(sql<boolean>`EXISTS (SELECT 1 FROM sessions p_ WHERE p_.id = ${p('parentId')})`),
  linkParents: (_db, p: Placeholders<{ ids: string[]; parentIds: string[] }>) =>
    sql`UPDATE sessions s SET parent_id = l.parent_id
      FROM unnest(${p('ids')}::text[], ${p('parentIds')}::text[]) AS l(id, parent_id)
      WHERE s.id = l.id AND s.parent_id IS NULL AND l.parent_id <> l.id
        AND EXISTS (SELECT 1 FROM sessions p_ WHERE p_.id = l.parent_id)`,
});

/** Imports into a tenant's SQL database (SQLite or PostgreSQL, by its runner); each table written by its own module's store. */
export class SqlSessionImport implements SessionImport {
  private readonly sql: ReturnType<typeof statements.for>;

  constructor(
    private readonly runner: Runner,
    private readonly tables: ForkTables,
  ) {
    this.sql = statements.for(runner.dialect);
  }

  async importSession(bundle: SessionBundle, content: ImportedContent = NO_CONTENT): Promise<ImportCounts> {
    checkSessionBundle(bundle);
    const ownArtifacts = new Set(bundle.artifacts.map((a) => a.id));
    const strangers = [...content.versions.map((v) => v.artifactId), ...content.nextVersions.keys()].filter((id) => !ownArtifacts.has(id));
    if (strangers.length) throw new ValidationError([{ path: ['content', 'artifactId'], message: `artifact ${strangers[0]} is not one of the session's` }]);
    const { sessions: sessionsStore, history, state, artifacts, contents } = this.tables;
    const sessionId = bundle.session.id;
    try {
      return await this.runner.transaction(function* () {
        const sessions = yield* sessionsStore.insertExactly(bundle.session, lastSeqOf(bundle.messages), true);
        const clash = yield* history.firstTaken(sessionId, bundle.messages);
        if (clash) {
          const { message: m, taken } = clash;
          const what = taken === 'seq' ? `seq ${m.seq}` : `its idempotency key ${JSON.stringify(m.idempotencyKey)}`;
          throw new ConflictError(`Message ${m.id} cannot be imported: ${what} of session ${sessionId} is taken by another message`);
        }
        const messages = yield* history.insertExactly(bundle.messages, true);
        // Into a session that was there, imported messages may sit between its own: not an append.
        if (messages > 0 && sessions === 0) yield* history.historyChanged(sessionId);
        return {
          sessions,
          messages,
          states: bundle.state ? yield* state.insertExactly(bundle.state) : 0,
          artifacts: yield* artifacts.insertExactly(bundle.artifacts, true),
          contents: yield* contents.importVersions(content.versions, content.nextVersions, content.staged),
        };
      });
    } catch (error) {
      // Only an append that took one of the seqs or keys since the look above (PostgreSQL) gets here.
      if (isUniqueViolation(error)) throw new ConflictError(`Session ${sessionId} cannot be imported: a seq or idempotency key of its messages was taken meanwhile`);
      throw error;
    }
  }

  async linkParents(links: readonly ParentLink[]): Promise<number> {
    if (links.length === 0) return 0;
    const { linkParent, linkParents } = this.sql;
    const dialect = this.runner.dialect;
    return this.runner.transaction(() =>
      writeRows(dialect, links, { statement: linkParent, params: (link) => link }, { statement: linkParents, params: (chunk) => ({ ids: chunk.map((l) => l.id), parentIds: chunk.map((l) => l.parentId) }) }),
    );
  }
}
