import { type Kysely, type RawBuilder, sql } from 'kysely';
import { codecs, type RowCodec } from '../../db/codec.js';
import { isLive } from '../../db/live.js';
import { inList, typed } from '../../db/portable.js';
import { type Row, type Runner, tx } from '../../db/runner.js';
import type { Database } from '../../db/schema.js';
import { defineStatementFamily, defineStatements, type Dialect, type Params, type Placeholders, type Statement } from '../../db/statements.js';
import type { JsonObject, JsonScalar } from '../../domain/json.js';
import type { Artifact, Message, Session } from '../../domain/records.js';
import { artifactFromRow } from '../artifacts/store.js';
import { sessionFromRow } from '../sessions/store.js';
import { recordSearchText, searchTextOf } from './text.js';
import { fts5Match, positiveTerms, type SearchQuery, tsQuery } from './query.js';
import { contentOf, messageOf } from '../history/messages.js';

/**
 * The full-text indexes (of messages, sessions and artifacts), read. What truly differs between the databases is the engine:
 * SQLite's FTS5 table (contentless, joined through its document numbers) and PostgreSQL's tsvector
 * column through its GIN index; the filters around it are the same SQL.
 *
 * The score is each message's own (the same message scores the same whatever else is stored), so
 * that a cursor — the last result's score and id — stays valid while messages are added: PostgreSQL's
 * `ts_rank`; on SQLite `search_score` (sqlite-functions.ts), as FTS5's bm25 weighs terms by how rare
 * they are in the whole index and so moves every score at each insert.
 */

/** Which filters a search has: each one a variant of the statement (compiled on first use). */
// A type, not an interface: a family's shape is a record of flags (an index signature).
export type SearchShape = {
  agent: boolean;
  user: boolean;
  sessions: boolean;
  roles: boolean;
  status: boolean;
  since: boolean;
  until: boolean;
  metadata: boolean;
  sessionMetadata: boolean;
  after: boolean;
};

export type SearchParams = {
  /** FTS5 MATCH text, or tsquery text (query.ts). */
  match: string;
  /** JSON: the terms `search_score` ranks by (SQLite only). */
  terms: string;
  liveAt: string;
  agentName: string;
  userId: string;
  sessionIds: string[];
  roles: string[];
  status: string;
  since: string;
  until: string;
  /** JSON arrays of [key, JSON text of the value] pairs. */
  metadata: string;
  sessionMetadata: string;
  afterScore: number;
  afterId: string;
  limit: number;
};

export interface ScoredMessage {
  message: Message;
  score: number;
}

/** What a search keeps to: the sessions' and the messages' filters (all given ones must hold). */
export interface SearchFilter {
  agentName?: string;
  userId?: string;
  sessionIds?: readonly string[];
  roles?: readonly string[];
  status?: string;
  /** The message's time: from (inclusive) and until (exclusive). */
  since?: string;
  until?: string;
  /** Keys of the message's metadata and the values they must hold. */
  metadata?: Readonly<Record<string, JsonScalar>>;
  sessionMetadata?: Readonly<Record<string, JsonScalar>>;
}

/** Where a page starts: after the result with this score and id. */
export interface SearchAfter {
  score: number;
  id: string;
}

/** What a search finds: messages (the default), sessions (by their metadata), artifacts (by name, type, metadata). */
export const SEARCH_KINDS = ['messages', 'sessions', 'artifacts'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** The record each kind of search finds. */
export interface Found {
  messages: Message;
  sessions: Session;
  artifacts: Artifact;
}

export interface Scored<T> {
  record: T;
  score: number;
}

export interface SearchStore {
  /** Whether messages are indexed as they are written (SEARCH_INDEX). */
  readonly indexed: boolean;
  /** Up to `limit` records of sessions live at `liveAt` that match, best first (score, then id), after `after`. */
  search<K extends SearchKind>(kind: K, query: SearchQuery, filter: SearchFilter, after: SearchAfter | null, limit: number, liveAt: string): Promise<Scored<Found[K]>[]>;
  /** How many match, counting no further than `bound` (more: `bound`). */
  count(kind: SearchKind, query: SearchQuery, filter: SearchFilter, bound: number, liveAt: string): Promise<number>;
  /**
   * Indexes up to `limit` records of a kind not yet indexed (stored before the index existed, or
   * messages written while it was off), in one transaction; how many.
   */
  indexPending(kind: SearchKind, limit: number): Promise<number>;
}

type P = Placeholders<Params>;

/** The tables of a kind: what is searched, its index on SQLite, and where its filters look. */
interface KindTables {
  /** The searched table, and its alias in the statements (`s` is always the session). */
  table: 'history' | 'sessions' | 'artifacts';
  alias: 'h' | 's' | 'a';
  /** SQLite: the FTS5 table, and the table numbering its documents (with the column naming the row). */
  fts: string;
  docs: string;
  docOf: string;
  /** The session of a row (the sessions filter), its time (since/until), its own metadata (none: a session's is `sessionMetadata`). */
  session: string;
  time: string;
  metadata: string | null;
  /** The columns its record is read from (not its words, nor PostgreSQL's tsvector: neither goes to the service). */
  columns: readonly string[];
}

const KINDS: Record<SearchKind, KindTables> = {
  messages: {
    table: 'history',
    alias: 'h',
    fts: 'history_fts',
    docs: 'history_search_docs',
    docOf: 'message_id',
    session: 'h.session_id',
    time: 'h.timestamp',
    metadata: 'h.metadata',
    columns: ['id', 'session_id', 'seq', 'role', 'content', 'item', 'timestamp', 'metadata', 'idempotency_key', 'token_count'],
  },
  sessions: {
    table: 'sessions',
    alias: 's',
    fts: 'session_fts',
    docs: 'session_search_docs',
    docOf: 'session_id',
    session: 's.id',
    time: 's.created_at',
    metadata: null,
    columns: ['id', 'agent_name', 'user_id', 'created_at', 'updated_at', 'status', 'metadata', 'parent_id', 'forked_from_message_id', 'expires_at'],
  },
  artifacts: {
    table: 'artifacts',
    alias: 'a',
    fts: 'artifact_fts',
    docs: 'artifact_search_docs',
    docOf: 'artifact_id',
    session: 'a.session_id',
    time: 'a.created_at',
    metadata: 'a.metadata',
    columns: ['id', 'session_id', 'name', 'type', 'path', 'size', 'created_at', 'metadata'],
  },
};

/** A metadata object has every [key, value] of the pairs parameter (values compared as JSON text). */
function hasPairs(column: string, pairs: RawBuilder<unknown>, dialect: Dialect): RawBuilder<boolean> {
  const ref = sql.ref(column);
  return dialect === 'sqlite'
    ? sql<boolean>`NOT EXISTS (SELECT 1 FROM json_each(${pairs}) f_ WHERE (${ref} -> ('$."' || (f_.value ->> 0) || '"')) IS NOT (f_.value ->> 1))`
    : sql<boolean>`NOT EXISTS (SELECT 1 FROM json_array_elements(${pairs}::json) f_ (e) WHERE (${ref} -> (f_.e ->> 0))::text IS DISTINCT FROM (f_.e ->> 1))`;
}

function shapeOf(f: SearchFilter): Omit<SearchShape, 'after'> & Record<string, boolean> {
  return {
    agent: f.agentName != null,
    user: f.userId != null,
    sessions: f.sessionIds != null,
    roles: f.roles != null,
    status: f.status != null,
    since: f.since != null,
    until: f.until != null,
    metadata: f.metadata != null && Object.keys(f.metadata).length > 0,
    sessionMetadata: f.sessionMetadata != null && Object.keys(f.sessionMetadata).length > 0,
  };
}

/** The conditions of a search but the text match: live sessions, then each filter the shape has (the service checks which a kind takes). */
function filters(kind: KindTables, shape: SearchShape, p: P, dialect: Dialect): RawBuilder<boolean> {
  const conditions: RawBuilder<boolean>[] = [isLive(p('liveAt'), 's')];
  if (shape.agent) conditions.push(sql`s.agent_name = ${p('agentName')}`);
  if (shape.user) conditions.push(sql`s.user_id = ${p('userId')}`);
  if (shape.status) conditions.push(sql`s.status = ${p('status')}`);
  if (shape.sessions) conditions.push(inList(kind.session, p('sessionIds'), dialect));
  if (shape.roles) conditions.push(inList('h.role', p('roles'), dialect));
  if (shape.since) conditions.push(sql`${sql.ref(kind.time)} >= ${typed(p('since'), 'timestamptz', dialect)}`);
  if (shape.until) conditions.push(sql`${sql.ref(kind.time)} < ${typed(p('until'), 'timestamptz', dialect)}`);
  if (shape.metadata && kind.metadata) conditions.push(hasPairs(kind.metadata, p('metadata'), dialect));
  if (shape.sessionMetadata) conditions.push(hasPairs('s.metadata', p('sessionMetadata'), dialect));
  return sql.join(conditions, sql` AND `) as RawBuilder<boolean>;
}

/** The matching rows with their scores (SQLite: through the FTS5 table's document numbers). */
function matches(kind: KindTables, shape: SearchShape, p: P, dialect: Dialect): RawBuilder<unknown> {
  const row = sql.raw(kind.alias);
  const table = sql.raw(`${kind.table} ${kind.alias}`);
  // PostgreSQL's history also says how its content is encoded (history/messages.ts).
  const names = dialect === 'postgres' && kind.table === 'history' ? [...kind.columns, 'content_encoding'] : kind.columns;
  const columns = sql.join(names.map((c) => sql.ref(`${kind.alias}.${c}`)));
  const withSession = kind.alias === 's' ? sql`` : sql`JOIN sessions s ON s.id = ${sql.ref(kind.session)}`;
  if (dialect === 'sqlite') {
    const fts = sql.raw(kind.fts);
    return sql`SELECT ${columns}, search_score(${row}.search_text, ${p('terms')}) AS score_
      FROM ${fts} JOIN ${sql.raw(kind.docs)} d_ ON d_.doc = ${fts}.rowid
      JOIN ${table} ON ${row}.id = d_.${sql.raw(kind.docOf)} ${withSession}
      WHERE ${fts} MATCH ${p('match')} AND ${filters(kind, shape, p, dialect)}`;
  }
  return sql`SELECT ${columns}, ts_rank(${row}.search_vector, q_.q)::float8 AS score_
    FROM ${table} ${withSession} CROSS JOIN to_tsquery('simple', ${p('match')}::text) AS q_ (q)
    WHERE ${row}.search_vector @@ q_.q AND ${filters(kind, shape, p, dialect)}`;
}

const searchPages = Object.fromEntries(
  SEARCH_KINDS.map((name) => [
    name,
    defineStatementFamily(`search_${name}`, (shape: SearchShape) => (_db, p: P, dialect) => {
      const afterScore = typed(p('afterScore'), 'float8', dialect);
      const after = shape.after ? sql`WHERE m_.score_ < ${afterScore} OR (m_.score_ = ${afterScore} AND m_.id > ${p('afterId')})` : sql``;
      return sql`SELECT * FROM (${matches(KINDS[name], shape, p, dialect)}) m_ ${after} ORDER BY m_.score_ DESC, m_.id LIMIT ${p('limit')}`;
    }),
  ]),
) as Record<SearchKind, (dialect: Dialect, shape: SearchShape) => Statement<Params>>;

const searchCounts = Object.fromEntries(
  SEARCH_KINDS.map((name) => [
    name,
    defineStatementFamily(`search_${name}_count`, (shape: SearchShape) => (_db, p: P, dialect) =>
      sql`SELECT count(*) AS n FROM (SELECT 1 FROM (${matches(KINDS[name], shape, p, dialect)}) m_ LIMIT ${p('bound')}) c_`,
    ),
  ]),
) as Record<SearchKind, (dialect: Dialect, shape: SearchShape) => Statement<Params>>;

/** What a row of each kind is found by (text.ts), from the columns `unindexed` reads. */
const TEXT_OF: Record<SearchKind, (r: Row, codec: RowCodec) => string> = {
  messages: (r, codec) => searchTextOf(contentOf(r), r.item == null ? null : codec.json(r.item)),
  sessions: (r, codec) => recordSearchText({ metadata: codec.json(r.metadata) as JsonObject }),
  artifacts: (r, codec) => recordSearchText({ name: r.name as string, type: r.type as string, metadata: codec.json(r.metadata) as JsonObject }),
};

const DECODE: { [K in SearchKind]: (r: Row, codec: RowCodec) => Found[K] } = {
  messages: messageOf,
  sessions: sessionFromRow,
  artifacts: artifactFromRow,
};

/** The rows of a table not yet indexed (by id), and the setting of one's words (if still unset). */
const unindexedIn = (db: Kysely<Database>, table: KindTables['table'], p: Placeholders<{ limit: number }>) =>
  db.selectFrom(table).selectAll().where('search_text', 'is', null).orderBy('id').limit(p('limit') as RawBuilder<number>);
const setTextIn = (db: Kysely<Database>, table: KindTables['table'], p: Placeholders<{ id: string; searchText: string }>) =>
  db.updateTable(table).set({ search_text: p('searchText') }).where('id', '=', p('id')).where('search_text', 'is', null);

const indexing = defineStatements({
  unindexedMessages: (db, p: Placeholders<{ limit: number }>) => unindexedIn(db, 'history', p),
  unindexedSessions: (db, p: Placeholders<{ limit: number }>) => unindexedIn(db, 'sessions', p),
  unindexedArtifacts: (db, p: Placeholders<{ limit: number }>) => unindexedIn(db, 'artifacts', p),
  setMessageText: (db, p: Placeholders<{ id: string; searchText: string }>) => setTextIn(db, 'history', p),
  setSessionText: (db, p: Placeholders<{ id: string; searchText: string }>) => setTextIn(db, 'sessions', p),
  setArtifactText: (db, p: Placeholders<{ id: string; searchText: string }>) => setTextIn(db, 'artifacts', p),
});

const INDEXING = {
  messages: ['unindexedMessages', 'setMessageText'],
  sessions: ['unindexedSessions', 'setSessionText'],
  artifacts: ['unindexedArtifacts', 'setArtifactText'],
} as const;

export class SqlSearchStore implements SearchStore {
  private readonly codec: RowCodec;

  constructor(
    private readonly runner: Runner,
    readonly indexed: boolean,
  ) {
    this.codec = codecs[runner.dialect];
  }

  async search<K extends SearchKind>(kind: K, query: SearchQuery, filter: SearchFilter, after: SearchAfter | null, limit: number, liveAt: string): Promise<Scored<Found[K]>[]> {
    const shape = { ...shapeOf(filter), after: after !== null };
    const params = { ...this.paramsOf(query, filter, liveAt), afterScore: after?.score ?? 0, afterId: after?.id ?? '', limit };
    const rows = await this.runner.all(searchPages[kind](this.runner.dialect, shape), params);
    const decode = DECODE[kind] as (r: Row, codec: RowCodec) => Found[K];
    return rows.map((r) => ({ record: decode(r, this.codec), score: Number(r.score_) }));
  }

  async count(kind: SearchKind, query: SearchQuery, filter: SearchFilter, bound: number, liveAt: string): Promise<number> {
    const shape = { ...shapeOf(filter), after: false };
    const row = await this.runner.one(searchCounts[kind](this.runner.dialect, shape), { ...this.paramsOf(query, filter, liveAt), bound });
    return Number(row?.n ?? 0);
  }

  /** Every parameter a search statement may have; those its shape does not use are left out of its SQL. */
  private paramsOf(query: SearchQuery, filter: SearchFilter, liveAt: string): Omit<SearchParams, 'afterScore' | 'afterId' | 'limit'> {
    const pairs = (o: Readonly<Record<string, JsonScalar>> | undefined) => JSON.stringify(Object.entries(o ?? {}).map(([k, v]) => [k, JSON.stringify(v)]));
    return {
      match: this.runner.dialect === 'sqlite' ? fts5Match(query) : tsQuery(query),
      terms: JSON.stringify(positiveTerms(query)),
      liveAt,
      agentName: filter.agentName ?? '',
      userId: filter.userId ?? '',
      sessionIds: [...(filter.sessionIds ?? [])],
      roles: [...(filter.roles ?? [])],
      status: filter.status ?? '',
      since: filter.since ?? '',
      until: filter.until ?? '',
      metadata: pairs(filter.metadata),
      sessionMetadata: pairs(filter.sessionMetadata),
    };
  }

  async indexPending(kind: SearchKind, limit: number): Promise<number> {
    // Messages only while indexing is on (SEARCH_INDEX); sessions and artifacts are few and always indexed.
    if (kind === 'messages' && !this.indexed) return 0;
    const statements = indexing.for(this.runner.dialect);
    const [unindexed, setSearchText] = INDEXING[kind].map((name) => statements[name]) as [(typeof statements)['unindexedMessages'], (typeof statements)['setMessageText']];
    const rows = await this.runner.all(unindexed, { limit });
    if (rows.length === 0) return 0;
    const texts = rows.map((r) => ({ id: r.id as string, searchText: TEXT_OF[kind](r, this.codec) }));
    await this.runner.transaction(function* () {
      for (const row of texts) yield* tx.write(setSearchText, row);
    });
    return rows.length;
  }
}
