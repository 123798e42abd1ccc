import { inLiveSessions, isLive, liveOwner } from '../../db/live.js';
import { sql } from 'kysely';
import { codecs, type RowCodec } from '../../db/codec.js';
import { byGroup, countsByGroup, type Keyset, naturalOrder, pageOf, pagePerGroup, type SliceShape, shapeOf, sliceParams } from '../../db/paging.js';
import { inList, typed } from '../../db/portable.js';
import { type Row, type Runner, tx, type TxWork } from '../../db/runner.js';
import { type Dialect, defineStatementFamily, defineStatements, type Placeholders } from '../../db/statements.js';
import { eventsOf } from '../../domain/events.js';
import type { SessionFilter } from '../../domain/inputs.js';
import type { Slice } from '../../domain/paging.js';
import { type Session, sessionRecord } from '../../domain/records.js';
import { recordSearchText } from '../search/text.js';
import type { AppendEvents } from '../events/append.js';
import { type RetentionRule, type ScopeParams, type ScopeShape, type SessionScope, scopeFilter, scopeParams, scopeShape } from '../retention/rules.js';

/**
 * Where sessions live. Every serving method takes `liveAt`, the moment whose live sessions it may
 * see (`expiresAt` null or later): an expired session answers exactly like an unknown one, in the
 * same statement as the read or write (so the filter holds atomically with it).
 */
export interface SessionsStore {
  /** Writes a new session and its `SessionCreated` event; a taken id is refused (a unique violation). */
  insert(session: Session): Promise<void>;
  /** The live sessions among `ids` (unknown ones left out, each at most once). */
  byIds(ids: readonly string[], liveAt: string): Promise<Session[]>;
  /**
   * Applies the non-null fields of `patch` (and `expiresAt` when it is not undefined) atomically,
   * with its `SessionUpdated` event; null when the session does not exist or is not live.
   */
  update(id: string, patch: SessionPatch, liveAt: string): Promise<Session | null>;
  /**
   * Deletes a live session with its history, state and artifacts (metrics stay; forks forget their
   * parent), with its `SessionDeleted` event; false when it does not exist or is not live.
   */
  delete(id: string, liveAt: string): Promise<boolean>;
  /** Live sessions of `filter`, newest first (id descending). */
  list(filter: SessionFilter, slice: Slice<string>, liveAt: string): Promise<Session[]>;
  count(filter: SessionFilter, liveAt: string): Promise<number>;
  /** The forks of each session (sessions whose `parentId` it is), in creation order (by id); both ends live. */
  forkPages(sessionIds: readonly string[], slice: Slice<string>, liveAt: string): Promise<Map<string, Session[]>>;
  forkCounts(sessionIds: readonly string[], liveAt: string): Promise<Map<string, number>>;
}

/**
 * What only the export/import CLI and the retention sweeper may do: see expired sessions (to move
 * or remove them), and end or delete a session only while a retention rule still selects it.
 */
export interface SessionsMaintenance {
  /** The sessions among `ids`, expired or not. */
  byIdsIncludingExpired(ids: readonly string[]): Promise<Session[]>;
  /** Sessions of `filter`, expired or not, newest first. */
  listIncludingExpired(filter: SessionFilter, slice: Slice<string>): Promise<Session[]>;
  /** `update`, applied only while `rule` selects the session (re-checked inside the write); null otherwise. */
  updateIf(id: string, patch: SessionPatch, rule: RetentionRule): Promise<Session | null>;
  /** `delete`, applied only while `rule` selects the session; false otherwise. */
  deleteIf(id: string, rule: RetentionRule): Promise<boolean>;
}

export interface SessionPatch {
  agentName?: string | null;
  userId?: string | null;
  status?: Session['status'] | null;
  metadata?: Session['metadata'] | null;
  /** Unlike the fields above: undefined keeps the expiry, null removes it, a time sets it. */
  expiresAt?: string | null;
  updatedAt: string;
}

/** Sessions newest first; a session's forks in creation order. Both by id, which orders by creation. */
const newestFirst: Keyset<string> = { columns: ['id'], pgTypes: ['text'], desc: true, values: (id) => [id] };
const creationOrder: Keyset<string> = { columns: ['id'], pgTypes: ['text'], desc: false, values: (id) => [id] };

type SessionRow = {
  id: string;
  agentName: string;
  userId: string | null;
  createdAt: string;
  updatedAt: string;
  status: string;
  metadata: string;
  parentId: string | null;
  forkedFromMessageId: string | null;
  expiresAt: string | null;
  /** The words it is found by (modules/search). */
  searchText: string;
};

const sessionColumns = (p: Placeholders<SessionRow>) => ({
  id: p('id'),
  agent_name: p('agentName'),
  user_id: p('userId'),
  created_at: p('createdAt'),
  updated_at: p('updatedAt'),
  status: p('status'),
  metadata: p('metadata'),
  parent_id: p('parentId'),
  forked_from_message_id: p('forkedFromMessageId'),
  expires_at: p('expiresAt'),
  search_text: p('searchText'),
});

/** A session as the parameters of its INSERT. */
function sessionRow(s: Session): SessionRow {
  const { metadata, ...fields } = s;
  return { ...fields, metadata: JSON.stringify(metadata), searchText: recordSearchText({ metadata }) };
}

const statements = defineStatements({
  insertSession: (db, p: Placeholders<SessionRow>) => db.insertInto('sessions').values(sessionColumns(p)),

  // Written exactly as given, with the `last_seq` of the history that comes with it: a fork (its
  // parent is locked, so it is there), and an import, which leaves a session that is there as it
  // is and names a parent only when that is there already (see `SessionImport.linkParents`).
  insertForkSession: (db, p: Placeholders<SessionRow & { lastSeq: number }>) =>
    db.insertInto('sessions').values({ ...sessionColumns(p), last_seq: p('lastSeq') }),
  importSession: (db, p: Placeholders<SessionRow & { lastSeq: number }>) =>
    db
      .insertInto('sessions')
      .values({ ...sessionColumns(p), last_seq: p('lastSeq'), parent_id: sql<string | null>`(SELECT id FROM sessions WHERE id = ${p('parentId')})` })
      .onConflict((oc) => oc.column('id').doNothing()),
  /** An imported history's seqs in a session that was there: later appends continue after them, never reuse one. */
  raiseLastSeq: (db, p: Placeholders<{ id: string; lastSeq: number }>) =>
    db.updateTable('sessions').set({ last_seq: p('lastSeq') }).where('id', '=', p('id')).where('last_seq', '<', p('lastSeq')),

  /**
   * A fork's parent, live. PostgreSQL locks it against deletion (`FOR KEY SHARE`, which appends and
   * updates do not wait for): the history up to the cut cannot change but by deletion, so the copy
   * is the prefix as it was cut. SQLite's transaction runs alone.
   */
  forkParent: (db, p: Placeholders<{ id: string; liveAt: string }>, dialect) =>
    db
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', p('id'))
      .where(isLive(p('liveAt')))
      .$if(dialect === 'postgres', (q) => q.forKeyShare()),

  forkCounts: (db, p: Placeholders<{ ids: string[]; liveAt: string }>, dialect) =>
    db
      .selectFrom('sessions')
      .select([sql.ref<string>('parent_id').as('group_'), sql<number>`COUNT(*)`.as('n')])
      .where(inLiveSessions('parent_id', p('ids'), p('liveAt'), dialect))
      .where(isLive(p('liveAt')))
      .groupBy('parent_id'),
});

type FilterShape = { live: boolean; agentName: boolean; userId: boolean; status: boolean; since: boolean; until: boolean };
type FilterParams = { liveAt: string; agentName: string; userId: string; status: string; since: string; until: string };

/**
 * The filters of a list. The creation time's range is half-open (`since` ≤ created_at < `until`);
 * `idx_sessions_created` serves a range alone (a narrow one, or its count), the other filters'
 * indexes and the id order the rest.
 */
// `any`: the filters apply to a select of `sessions` whatever it selects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function filtered<Q extends { where: (...args: any[]) => Q }>(query: Q, shape: FilterShape, p: Placeholders<FilterParams>, dialect: Dialect): Q {
  let q = query;
  if (shape.live) q = q.where(isLive(p('liveAt')));
  if (shape.agentName) q = q.where('agent_name', '=', p('agentName'));
  if (shape.userId) q = q.where('user_id', '=', p('userId'));
  if (shape.status) q = q.where('status', '=', p('status'));
  if (shape.since) q = q.where('created_at', '>=', typed(p('since'), 'timestamptz', dialect));
  if (shape.until) q = q.where('created_at', '<', typed(p('until'), 'timestamptz', dialect));
  return q;
}

/** One session by id (`one`: a plain equality, the common case), or many (a list parameter), optionally live only. */
const sessionsByIds = defineStatementFamily('sessionsByIds', (shape: { one: boolean; live: boolean }) => (db, p: Placeholders<{ id: string; ids: string[]; liveAt: string }>, dialect) => {
  let q = db.selectFrom('sessions').selectAll().where(shape.one ? sql<boolean>`id = ${p('id')}` : inList('id', p('ids'), dialect));
  if (shape.live) q = q.where(isLive(p('liveAt')));
  return q;
});

const listSessions = defineStatementFamily('listSessions', (shape: SliceShape & FilterShape) => (db, p: Placeholders<FilterParams>, dialect) =>
  pageOf(filtered(db.selectFrom('sessions').selectAll(), shape, p, dialect), newestFirst, shape, p as never, dialect));

const countSessions = defineStatementFamily('countSessions', (shape: FilterShape) => (db, p: Placeholders<FilterParams>, dialect) =>
  filtered(db.selectFrom('sessions').select(sql<number>`COUNT(*)`.as('n')), shape, p, dialect));

type PatchParams = {
  id: string;
  agentName: string | null;
  userId: string | null;
  status: string | null;
  metadata: string | null;
  /** The new metadata's words (with `metadata`). */
  searchText: string | null;
  updatedAt: string;
  expiresAt: string | null;
};

/**
 * A by-id update in its scope (live, and/or selected by a retention rule). COALESCE keeps a field
 * the patch leaves null; the expiry is set only by the statement of a patch that has one (`setExpiry`).
 */
const updateSession = defineStatementFamily('updateSession', (shape: ScopeShape & { setExpiry: boolean }) => (db, p: Placeholders<PatchParams & ScopeParams>, dialect) => {
  const keep = (param: 'agentName' | 'userId' | 'status', column: string) => sql<string>`COALESCE(${typed(p(param), 'text', dialect)}, ${sql.ref(column)})`;
  let q = db
    .updateTable('sessions')
    .set({
      agent_name: keep('agentName', 'agent_name'),
      user_id: keep('userId', 'user_id'),
      status: keep('status', 'status'),
      metadata: sql<string>`COALESCE(${typed(p('metadata'), 'json', dialect)}, metadata)`,
      search_text: sql<string>`COALESCE(${typed(p('searchText'), 'text', dialect)}, search_text)`,
      updated_at: typed(p('updatedAt'), 'timestamptz', dialect),
    })
    .where('id', '=', p('id'));
  if (shape.setExpiry) q = q.set({ expires_at: typed(p('expiresAt'), 'timestamptz', dialect) });
  for (const condition of scopeFilter(shape, p, dialect)) q = q.where(condition);
  return q.returningAll();
});

const deleteSession = defineStatementFamily('deleteSession', (shape: ScopeShape) => (db, p: Placeholders<{ id: string } & ScopeParams>, dialect) => {
  let q = db.deleteFrom('sessions').where('id', '=', p('id'));
  for (const condition of scopeFilter(shape, p, dialect)) q = q.where(condition);
  return q.returningAll();
});

/**
 * The forks of sessions, both ends live: the parent (the forks are reached through it) and each fork.
 * One parent (`one`): a plain page through the parent index that stops early, the parent's liveness
 * one uncorrelated sub-query (evaluated once). Many: the same page for each in one statement.
 */
const forkPages = defineStatementFamily('forkPages', (shape: SliceShape & { one: boolean }) => (db, p: Placeholders<{ id: string; ids: string[]; liveAt: string }>, dialect) => {
  if (shape.one) {
    const parentLive = liveOwner(typed(p('id'), 'text', dialect), p('liveAt'));
    const q = db.selectFrom('sessions').selectAll().where('parent_id', '=', p('id')).where(parentLive).where(isLive(p('liveAt')));
    return pageOf(q, creationOrder, shape, p as never, dialect);
  }
  return pagePerGroup(db, 'sessions', 'sessions', 'parent_id', creationOrder, shape, p as never, dialect, (q) =>
    q.where(inLiveSessions('parent_id', p('ids'), p('liveAt'), dialect)).where(isLive(p('liveAt'))),
  );
});

function filterShape(filter: SessionFilter, live: boolean): FilterShape {
  return {
    live,
    agentName: filter.agentName != null,
    userId: filter.userId != null,
    status: filter.status != null,
    since: filter.since != null,
    until: filter.until != null,
  };
}

function filterParams(filter: SessionFilter, liveAt: string): FilterParams {
  return {
    liveAt,
    agentName: filter.agentName ?? '',
    userId: filter.userId ?? '',
    status: filter.status ?? '',
    since: filter.since ?? '',
    until: filter.until ?? '',
  };
}

/** Sessions in a tenant's SQL database (SQLite or PostgreSQL, by its runner). */
export class SqlSessionsStore implements SessionsStore, SessionsMaintenance {
  private readonly sql: ReturnType<typeof statements.for>;
  private readonly codec: RowCodec;

  constructor(
    private readonly runner: Runner,
    private readonly appendEvents: AppendEvents,
  ) {
    this.sql = statements.for(runner.dialect);
    this.codec = codecs[runner.dialect];
  }

  async insert(s: Session): Promise<void> {
    const { insertSession } = this.sql;
    const appendEvents = this.appendEvents;
    const row = sessionRow(s);
    await this.runner.transaction(function* () {
      yield* tx.write(insertSession, row);
      yield* appendEvents(eventsOf.sessionInserted(s));
    });
  }

  byIds(ids: readonly string[], liveAt: string): Promise<Session[]> {
    return this.readByIds(ids, liveAt);
  }

  byIdsIncludingExpired(ids: readonly string[]): Promise<Session[]> {
    return this.readByIds(ids, undefined);
  }

  private async readByIds(ids: readonly string[], liveAt: string | undefined): Promise<Session[]> {
    if (ids.length === 0) return [];
    const statement = sessionsByIds(this.runner.dialect, { one: ids.length === 1, live: liveAt !== undefined });
    const rows = await this.runner.all(statement, { id: ids[0]!, ids: [...ids], liveAt: liveAt ?? '' });
    return rows.map((r) => this.toSession(r));
  }

  update(id: string, patch: SessionPatch, liveAt: string): Promise<Session | null> {
    return this.updateIn(id, patch, { liveAt });
  }

  updateIf(id: string, patch: SessionPatch, rule: RetentionRule): Promise<Session | null> {
    return this.updateIn(id, patch, { rule });
  }

  private updateIn(id: string, patch: SessionPatch, scope: SessionScope): Promise<Session | null> {
    const statement = updateSession(this.runner.dialect, { ...scopeShape(scope), setExpiry: patch.expiresAt !== undefined });
    const params = {
      ...scopeParams(scope),
      id,
      agentName: patch.agentName ?? null,
      userId: patch.userId ?? null,
      status: patch.status ?? null,
      metadata: patch.metadata == null ? null : JSON.stringify(patch.metadata),
      searchText: patch.metadata == null ? null : recordSearchText({ metadata: patch.metadata }),
      updatedAt: patch.updatedAt,
      expiresAt: patch.expiresAt ?? null,
    };
    const appendEvents = this.appendEvents;
    const decode = (row: Row) => this.toSession(row);
    return this.runner.transaction(function* () {
      const row = yield* tx.one(statement, params);
      if (!row) return null;
      const session = decode(row);
      yield* appendEvents(eventsOf.sessionUpdated(session));
      return session;
    });
  }

  delete(id: string, liveAt: string): Promise<boolean> {
    return this.deleteIn(id, { liveAt });
  }

  deleteIf(id: string, rule: RetentionRule): Promise<boolean> {
    return this.deleteIn(id, { rule });
  }

  private deleteIn(id: string, scope: SessionScope): Promise<boolean> {
    const statement = deleteSession(this.runner.dialect, scopeShape(scope));
    const params = { ...scopeParams(scope), id };
    const appendEvents = this.appendEvents;
    const decode = (row: Row) => this.toSession(row);
    return this.runner.transaction(function* () {
      const row = yield* tx.one(statement, params);
      if (!row) return false;
      yield* appendEvents(eventsOf.sessionDeleted(decode(row)));
      return true;
    });
  }

  list(filter: SessionFilter, slice: Slice<string>, liveAt: string): Promise<Session[]> {
    return this.page(filter, slice, liveAt);
  }

  listIncludingExpired(filter: SessionFilter, slice: Slice<string>): Promise<Session[]> {
    return this.page(filter, slice, undefined);
  }

  private async page(filter: SessionFilter, slice: Slice<string>, liveAt: string | undefined): Promise<Session[]> {
    const shape = shapeOf(slice);
    const statement = listSessions(this.runner.dialect, { ...shape, ...filterShape(filter, liveAt !== undefined) });
    const rows = await this.runner.all(statement, { ...sliceParams(newestFirst, slice), ...filterParams(filter, liveAt ?? '') });
    return naturalOrder(rows, shape).map((r) => this.toSession(r));
  }

  async count(filter: SessionFilter, liveAt: string): Promise<number> {
    const row = await this.runner.one(countSessions(this.runner.dialect, filterShape(filter, true)), filterParams(filter, liveAt));
    return Number(row?.n ?? 0);
  }

  async forkPages(sessionIds: readonly string[], slice: Slice<string>, liveAt: string): Promise<Map<string, Session[]>> {
    if (sessionIds.length === 0) return new Map();
    const shape = shapeOf(slice);
    const statement = forkPages(this.runner.dialect, { ...shape, one: sessionIds.length === 1 });
    const rows = await this.runner.all(statement, { ...sliceParams(creationOrder, slice), id: sessionIds[0]!, ids: [...sessionIds], liveAt });
    const pages = new Map<string, Session[]>();
    for (const [id, forks] of byGroup(sessionIds, rows, 'parent_id', shape)) pages.set(id, forks.map((r) => this.toSession(r)));
    return pages;
  }

  async forkCounts(sessionIds: readonly string[], liveAt: string): Promise<Map<string, number>> {
    if (sessionIds.length === 0) return new Map();
    return countsByGroup(sessionIds, await this.runner.all(this.sql.forkCounts, { ids: [...sessionIds], liveAt }));
  }

  // --- parts of the fork and import transactions (fork.ts, import.ts) ------------------------------

  /** A fork's parent, live at `liveAt` and locked against deletion (see `forkParent`), or null. */
  *forkParent(id: string, liveAt: string): TxWork<Session | null> {
    const row = yield* tx.one(this.sql.forkParent, { id, liveAt });
    return row ? this.toSession(row) : null;
  }

  /**
   * Writes a session exactly as given, its `last_seq` the largest of `seqs` (its history's). A fork's
   * (`importing` false) is new. An import's leaves a session that is there as it is but raises its
   * `last_seq` to the imported one, and names the parent only when it is there. How many sessions
   * were written (0 or 1).
   */
  *insertExactly(s: Session, lastSeq: number, importing: boolean): TxWork<number> {
    const row = { ...sessionRow(s), lastSeq };
    if (!importing) return yield* tx.write(this.sql.insertForkSession, row);
    const written = yield* tx.write(this.sql.importSession, row);
    if (written === 0 && lastSeq > 0) yield* tx.write(this.sql.raiseLastSeq, { id: s.id, lastSeq });
    return written;
  }

  private toSession(r: Row): Session {
    return sessionFromRow(r, this.codec);
  }

}

/** A `sessions` row as a record, on either database. */
export function sessionFromRow(r: Row, codec: RowCodec): Session {
  return sessionRecord.parse({
    id: r.id,
    agentName: r.agent_name,
    userId: r.user_id ?? null,
    status: r.status,
    createdAt: codec.time(r.created_at),
    updatedAt: codec.time(r.updated_at),
    metadata: codec.json(r.metadata),
    parentId: r.parent_id ?? null,
    forkedFromMessageId: r.forked_from_message_id ?? null,
    expiresAt: codec.timeOrNull(r.expires_at),
  });
}
