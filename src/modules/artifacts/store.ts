import { type RawBuilder, sql } from 'kysely';
import { codecs, type RowCodec } from '../../db/codec.js';
import { inLiveSessions, liveOwner } from '../../db/live.js';
import { byGroup, countsByGroup, type Keyset, naturalOrder, pageOf, pagePerGroup, shapeOf, type SliceShape, sliceParams } from '../../db/paging.js';
import { inList, isForeignKeyViolation, writeRows } from '../../db/portable.js';
import { type Row, type Runner, tx, type TxWork } from '../../db/runner.js';
import { defineStatementFamily, defineStatements, type Placeholders } from '../../db/statements.js';
import { eventsOf } from '../../domain/events.js';
import type { Slice } from '../../domain/paging.js';
import { type Artifact, artifactRecord } from '../../domain/records.js';
import { recordSearchText } from '../search/text.js';
import type { Blobs } from '../blobs/blobs.js';
import type { AppendEvents } from '../events/append.js';

/**
 * Where artifact records live. Every method sees only the artifacts of sessions live at `liveAt`
 * (an expired session's artifacts answer like an unknown session's); writes append their events in
 * the same transaction.
 */
export interface ArtifactStore {
  /** False (nothing written) when the session does not exist or is not live. */
  insert(artifact: Artifact, liveAt: string): Promise<boolean>;
  /** One statement however many ids. */
  byIds(ids: readonly string[], liveAt: string): Promise<Artifact[]>;
  /** The same page (by id) of each session's artifacts, in one statement; every id present. */
  pages(sessionIds: readonly string[], slice: Slice<string>, liveAt: string): Promise<Map<string, Artifact[]>>;
  counts(sessionIds: readonly string[], liveAt: string): Promise<Map<string, number>>;
  /** False when there is no such artifact of a live session. */
  delete(id: string, liveAt: string): Promise<boolean>;
}

/** What the export CLI reads: expired sessions' artifacts too. */
export interface ArtifactsMaintenance {
  pagesIncludingExpired(sessionIds: readonly string[], slice: Slice<string>): Promise<Map<string, Artifact[]>>;
}

/** Artifacts are listed in creation order: by id (ids grow with time). */
const byId: Keyset<string> = { columns: ['id'], pgTypes: ['text'], desc: false, values: (id) => [id] };

type ArtifactParams = { id: string; sessionId: string; name: string; type: string; path: string; size: number; createdAt: string; metadata: string; searchText: string };

type ArtifactArrays = {
  ids: string[];
  sessionIds: string[];
  names: string[];
  types: string[];
  paths: string[];
  sizes: number[];
  createdAts: string[];
  metadata: string[];
  searchTexts: string[];
};

const artifactColumns = (p: Placeholders<ArtifactParams>) => ({
  id: p('id'),
  session_id: p('sessionId'),
  name: p('name'),
  type: p('type'),
  path: p('path'),
  size: p('size'),
  created_at: p('createdAt'),
  metadata: p('metadata'),
  search_text: p('searchText'),
});

const insertArtifactArrays = (p: Placeholders<ArtifactArrays>, onConflict: RawBuilder<unknown>) =>
  sql`INSERT INTO artifacts (id, session_id, name, type, path, size, created_at, metadata, search_text)
    SELECT * FROM unnest(${p('ids')}::text[], ${p('sessionIds')}::text[], ${p('names')}::text[], ${p('types')}::text[], ${p('paths')}::text[],
      ${p('sizes')}::bigint[], ${p('createdAts')}::timestamptz[], ${p('metadata')}::json[], ${p('searchTexts')}::text[])
    ${onConflict}`;

const statements = defineStatements({
  // Written only when the session is live: no row, no artifact. Its agent comes back for the event.
  insertArtifact: (db, p: Placeholders<ArtifactParams & { liveAt: string }>) =>
    db
      .insertInto('artifacts')
      .columns(['id', 'session_id', 'name', 'type', 'path', 'size', 'created_at', 'metadata', 'search_text'])
      .expression(
        db
          .selectNoFrom([
            p('id').as('id'),
            p('sessionId').as('session_id'),
            p('name').as('name'),
            p('type').as('type'),
            p('path').as('path'),
            p('size').as('size'),
            p('createdAt').as('created_at'),
            p('metadata').as('metadata'),
            p('searchText').as('search_text'),
          ])
          .where(liveOwner(p('sessionId'), p('liveAt'))),
      )
      .returning(sql<string>`(SELECT agent_name FROM sessions WHERE id = ${p('sessionId')})`.as('agent_name')),

  // Rows written exactly as given (a fork's copy, an import's): SQLite one prepared INSERT per
  // artifact (in process), PostgreSQL many rows a statement (columns as arrays), a round trip each
  // otherwise. An import's variants leave an artifact whose id is there as it is.
  insertArtifactRow: (db, p: Placeholders<ArtifactParams>) => db.insertInto('artifacts').values(artifactColumns(p)),
  importArtifact: (db, p: Placeholders<ArtifactParams>) =>
    db
      .insertInto('artifacts')
      .values(artifactColumns(p))
      .onConflict((oc) => oc.column('id').doNothing()),
  insertArtifacts: (_db, p: Placeholders<ArtifactArrays>) => insertArtifactArrays(p, sql``),
  importArtifacts: (_db, p: Placeholders<ArtifactArrays>) => insertArtifactArrays(p, sql`ON CONFLICT (id) DO NOTHING`),

  /** A fork's source: every artifact of a session, in creation order. */
  forkArtifacts: (db, p: Placeholders<{ sessionId: string }>) => db.selectFrom('artifacts').selectAll().where('session_id', '=', p('sessionId')).orderBy('id'),

  artifactsByIds: (db, p: Placeholders<{ ids: string[]; liveAt: string }>, dialect) =>
    db
      .selectFrom('artifacts')
      .selectAll()
      .where(inList('id', p('ids'), dialect))
      .where(liveOwner(sql.ref('artifacts.session_id'), p('liveAt'))),

  artifactCounts: (db, p: Placeholders<{ ids: string[]; liveAt: string }>, dialect) =>
    db
      .selectFrom('artifacts')
      .select([sql.ref('session_id').as('group_'), sql<number>`COUNT(*)`.as('n')])
      .where(inLiveSessions('session_id', p('ids'), p('liveAt'), dialect))
      .groupBy('session_id'),

  /** The blobs an artifact's content versions name (what deleting it may leave unreferenced). */
  contentShas: (db, p: Placeholders<{ id: string }>) => db.selectFrom('artifact_contents').select('sha256').distinct().where('artifact_id', '=', p('id')),

  deleteArtifact: (db, p: Placeholders<{ id: string; liveAt: string }>) =>
    db
      .deleteFrom('artifacts')
      .where('id', '=', p('id'))
      .where(liveOwner(sql.ref('artifacts.session_id'), p('liveAt')))
      .returningAll()
      .returning(sql<string>`(SELECT s.agent_name FROM sessions s WHERE s.id = artifacts.session_id)`.as('agent_name')),
});

/**
 * A page of artifacts: of one session (`many` false: a plain `LIMIT` that walks the session's index
 * and stops early, the session's liveness one constant sub-query) or of each of many sessions in
 * one statement (`pagePerGroup`); of live sessions only, or (`live` false, the export) of any.
 */
const artifactPages = defineStatementFamily('artifactPages', (shape: SliceShape & { many: boolean; live: boolean }) => (db, p, dialect) => {
  // The family's parameters vary by shape: `sessionId` or `ids`, `liveAt` when live, the slice's.
  const sessionId = p('sessionId') as RawBuilder<string>;
  const liveAt = p('liveAt') as RawBuilder<string>;
  if (!shape.many) {
    let query = db.selectFrom('artifacts').selectAll().where('session_id', '=', sessionId);
    if (shape.live) query = query.where(liveOwner(sessionId, liveAt));
    return pageOf(query, byId, shape, p, dialect);
  }
  return pagePerGroup(db, 'artifacts', 'artifacts', 'session_id', byId, shape, p, dialect, (q) =>
    q.where(shape.live ? inLiveSessions('session_id', p('ids'), liveAt, dialect) : inList('session_id', p('ids'), dialect)),
  );
});

/** Artifacts in a tenant's SQL database (SQLite or PostgreSQL, by its runner). */
export class SqlArtifactStore implements ArtifactStore, ArtifactsMaintenance {
  private readonly sql: ReturnType<typeof statements.for>;
  private readonly codec: RowCodec;

  constructor(
    private readonly runner: Runner,
    private readonly appendEvents: AppendEvents,
    private readonly blobs: Blobs,
  ) {
    this.sql = statements.for(runner.dialect);
    this.codec = codecs[runner.dialect];
  }

  async insert(a: Artifact, liveAt: string): Promise<boolean> {
    try {
      return await this.runner.transaction(() => this.insertWork(a, liveAt));
    } catch (error) {
      // The session was deleted between the statement's look and its write (PostgreSQL).
      if (isForeignKeyViolation(error)) return false;
      throw error;
    }
  }

  /** Part of a transaction: `insert`'s write (false when the session is not live). */
  *insertWork(a: Artifact, liveAt: string): TxWork<boolean> {
    const agentName = yield* this.insertRow(a, liveAt);
    if (agentName === null) return false;
    yield* this.appendEvents(eventsOf.artifactInserted(agentName, a));
    return true;
  }

  /**
   * Part of a transaction: the row only, the session's agent (null when the session is not live) —
   * for a transaction that appends the event itself, last (the feed's counter is the last lock a
   * write takes: events/append.ts).
   */
  *insertRow(a: Artifact, liveAt: string): TxWork<string | null> {
    const row = yield* tx.one(this.sql.insertArtifact, { ...artifactParams(a), liveAt });
    return row ? String(row.agent_name) : null;
  }

  async byIds(ids: readonly string[], liveAt: string): Promise<Artifact[]> {
    if (ids.length === 0) return [];
    return (await this.runner.all(this.sql.artifactsByIds, { ids: [...ids], liveAt })).map((r) => this.fromRow(r));
  }

  pages(sessionIds: readonly string[], slice: Slice<string>, liveAt: string): Promise<Map<string, Artifact[]>> {
    return this.readPages(sessionIds, slice, liveAt);
  }

  pagesIncludingExpired(sessionIds: readonly string[], slice: Slice<string>): Promise<Map<string, Artifact[]>> {
    return this.readPages(sessionIds, slice, null);
  }

  async counts(sessionIds: readonly string[], liveAt: string): Promise<Map<string, number>> {
    if (sessionIds.length === 0) return new Map();
    return countsByGroup(sessionIds, await this.runner.all(this.sql.artifactCounts, { ids: [...sessionIds], liveAt }));
  }

  async delete(id: string, liveAt: string): Promise<boolean> {
    const { deleteArtifact, contentShas } = this.sql;
    const appendEvents = this.appendEvents;
    const toArtifact = (r: Row) => this.fromRow(r);
    const shas = await this.runner.transaction(function* () {
      const named = (yield* tx.all(contentShas, { id })).map((r) => String(r.sha256));
      const row = yield* tx.one(deleteArtifact, { id, liveAt });
      if (!row) return null;
      yield* appendEvents(eventsOf.artifactDeleted(row.agent_name as string, toArtifact(row)));
      return named;
    });
    if (shas === null) return false;
    // Its content went with it (a cascade): the blobs no other version names go too.
    await this.blobs.collect(shas);
    return true;
  }

  /** Part of a fork's transaction: every artifact of a session (expired or not), in creation order. */
  *ofSession(sessionId: string): TxWork<Artifact[]> {
    return (yield* tx.all(this.sql.forkArtifacts, { sessionId })).map((r) => this.fromRow(r));
  }

  /**
   * Part of a transaction's work (a fork's copy, an import): writes artifacts exactly as given.
   * With `skipExisting`, an artifact whose id is already there is left as it is. How many rows were written.
   */
  *insertExactly(artifacts: readonly Artifact[], skipExisting: boolean): TxWork<number> {
    return yield* writeRows(
      this.runner.dialect,
      artifacts,
      { statement: skipExisting ? this.sql.importArtifact : this.sql.insertArtifactRow, params: artifactParams },
      { statement: skipExisting ? this.sql.importArtifacts : this.sql.insertArtifacts, params: artifactArrays },
    );
  }

  private async readPages(sessionIds: readonly string[], slice: Slice<string>, liveAt: string | null): Promise<Map<string, Artifact[]>> {
    const out = new Map<string, Artifact[]>();
    if (sessionIds.length === 0) return out;
    const shape = { ...shapeOf(slice), many: sessionIds.length > 1, live: liveAt !== null };
    const statement = artifactPages(this.runner.dialect, shape);
    const params = { ...sliceParams(byId, slice), ...(liveAt === null ? {} : { liveAt }) };
    if (!shape.many) {
      const rows = naturalOrder(await this.runner.all(statement, { ...params, sessionId: sessionIds[0]! }), shape);
      return out.set(sessionIds[0]!, rows.map((r) => this.fromRow(r)));
    }
    const rows = await this.runner.all(statement, { ...params, ids: [...sessionIds] });
    for (const [id, group] of byGroup(sessionIds, rows, 'session_id', shape)) out.set(id, group.map((r) => this.fromRow(r)));
    return out;
  }

  /** An artifact from its row as this database returns it. */
  fromRow(r: Row): Artifact {
    return artifactFromRow(r, this.codec);
  }
}

/** An artifact from its row as `codec`'s database returns it. */
export function artifactFromRow(r: Row, codec: RowCodec): Artifact {
  return artifactRecord.parse({
    id: r.id,
    sessionId: r.session_id,
    name: r.name,
    type: r.type,
    path: r.path,
    size: Number(r.size),
    createdAt: codec.time(r.created_at),
    metadata: codec.json(r.metadata),
  });
}

function artifactArrays(chunk: readonly Artifact[]): ArtifactArrays {
  return {
    ids: chunk.map((a) => a.id),
    sessionIds: chunk.map((a) => a.sessionId),
    names: chunk.map((a) => a.name),
    types: chunk.map((a) => a.type),
    paths: chunk.map((a) => a.path),
    sizes: chunk.map((a) => a.size),
    createdAts: chunk.map((a) => a.createdAt),
    metadata: chunk.map((a) => JSON.stringify(a.metadata)),
    searchTexts: chunk.map((a) => recordSearchText(a)),
  };
}

function artifactParams(a: Artifact): ArtifactParams {
  return {
    id: a.id,
    sessionId: a.sessionId,
    name: a.name,
    type: a.type,
    path: a.path,
    size: a.size,
    createdAt: a.createdAt,
    metadata: JSON.stringify(a.metadata),
    searchText: recordSearchText(a),
  };
}
