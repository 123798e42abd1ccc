import { type RawBuilder, sql } from 'kysely';
import { codecs, type RowCodec } from '../../db/codec.js';
import { isLive } from '../../db/live.js';
import { inList, typed } from '../../db/portable.js';
import { type Row, type Runner, tx } from '../../db/runner.js';
import { defineStatementFamily, defineStatements, type Dialect, type Params, type Placeholders } from '../../db/statements.js';
import type { JsonScalar } from '../../domain/json.js';
import type { Message } from '../../domain/records.js';
import { fts5Match, positiveTerms, type SearchQuery, tsQuery } from './query.js';
import { contentOf, messageOf } from '../history/messages.js';

/**
 * The history's full-text index, read. What truly differs between the databases is the engine:
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

export interface SearchStore {
  /** Whether messages are indexed as they are written (SEARCH_INDEX). */
  readonly indexed: boolean;
  /** Up to `limit` messages of sessions live at `liveAt` that match, best first (score, then id), after `after`. */
  search(query: SearchQuery, filter: SearchFilter, after: SearchAfter | null, limit: number, liveAt: string): Promise<ScoredMessage[]>;
  /** How many match, counting no further than `bound` (more: `bound`). */
  count(query: SearchQuery, filter: SearchFilter, bound: number, liveAt: string): Promise<number>;
  /** Messages not yet indexed (stored before search existed, or while it was off), by id. */
  unindexed(limit: number): Promise<Pick<Message, 'id' | 'content' | 'item'>[]>;
  /** Sets the words of messages still unindexed (one transaction); how many were set. */
  setSearchText(rows: readonly { id: string; searchText: string }[]): Promise<number>;
}

type P = Placeholders<Params>;

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

/** The conditions of a search but the text match: live sessions, then each filter the shape has. */
function filters(shape: SearchShape, p: P, dialect: Dialect): RawBuilder<boolean> {
  const conditions: RawBuilder<boolean>[] = [isLive(p('liveAt'), 's')];
  if (shape.agent) conditions.push(sql`s.agent_name = ${p('agentName')}`);
  if (shape.user) conditions.push(sql`s.user_id = ${p('userId')}`);
  if (shape.status) conditions.push(sql`s.status = ${p('status')}`);
  if (shape.sessions) conditions.push(inList('h.session_id', p('sessionIds'), dialect));
  if (shape.roles) conditions.push(inList('h.role', p('roles'), dialect));
  if (shape.since) conditions.push(sql`h.timestamp >= ${typed(p('since'), 'timestamptz', dialect)}`);
  if (shape.until) conditions.push(sql`h.timestamp < ${typed(p('until'), 'timestamptz', dialect)}`);
  if (shape.metadata) conditions.push(hasPairs('h.metadata', p('metadata'), dialect));
  if (shape.sessionMetadata) conditions.push(hasPairs('s.metadata', p('sessionMetadata'), dialect));
  return sql.join(conditions, sql` AND `) as RawBuilder<boolean>;
}

/** The matching messages with their scores (SQLite: through the FTS5 table's document numbers). */
function matches(shape: SearchShape, p: P, dialect: Dialect): RawBuilder<unknown> {
  return dialect === 'sqlite'
    ? sql`SELECT h.*, search_score(h.search_text, ${p('terms')}) AS score_
        FROM history_fts JOIN history_search_docs d_ ON d_.doc = history_fts.rowid
        JOIN history h ON h.id = d_.message_id JOIN sessions s ON s.id = h.session_id
        WHERE history_fts MATCH ${p('match')} AND ${filters(shape, p, dialect)}`
    : sql`SELECT h.*, ts_rank(h.search_vector, q_.q)::float8 AS score_
        FROM history h JOIN sessions s ON s.id = h.session_id, to_tsquery('simple', ${p('match')}::text) AS q_ (q)
        WHERE h.search_vector @@ q_.q AND ${filters(shape, p, dialect)}`;
}

const searchPage = defineStatementFamily('searchHistory', (shape: SearchShape) => (_db, p: P, dialect) => {
  const afterScore = typed(p('afterScore'), 'float8', dialect);
  const after = shape.after ? sql`WHERE m_.score_ < ${afterScore} OR (m_.score_ = ${afterScore} AND m_.id > ${p('afterId')})` : sql``;
  return sql`SELECT * FROM (${matches(shape, p, dialect)}) m_ ${after} ORDER BY m_.score_ DESC, m_.id LIMIT ${p('limit')}`;
});

const searchCount = defineStatementFamily('searchCount', (shape: SearchShape) => (_db, p: P, dialect) =>
  sql`SELECT count(*) AS n FROM (SELECT 1 FROM (${matches(shape, p, dialect)}) m_ LIMIT ${p('bound')}) c_`,
);

const statements = defineStatements({
  unindexedMessages: (db, p: Placeholders<{ limit: number }>, dialect) =>
    db
      .selectFrom('history')
      .select(['id', 'content', 'item', ...(dialect === 'postgres' ? (['content_encoding'] as const) : [])])
      .where('search_text', 'is', null)
      .orderBy('id')
      .limit(p('limit') as RawBuilder<number>),
  setSearchText: (db, p: Placeholders<{ id: string; searchText: string }>) =>
    db.updateTable('history').set({ search_text: p('searchText') }).where('id', '=', p('id')).where('search_text', 'is', null),
});

export class SqlSearchStore implements SearchStore {
  private readonly codec: RowCodec;
  private readonly sql: ReturnType<typeof statements.for>;

  constructor(
    private readonly runner: Runner,
    readonly indexed: boolean,
  ) {
    this.codec = codecs[runner.dialect];
    this.sql = statements.for(runner.dialect);
  }

  async search(query: SearchQuery, filter: SearchFilter, after: SearchAfter | null, limit: number, liveAt: string): Promise<ScoredMessage[]> {
    const shape = { ...shapeOf(filter), after: after !== null };
    const params = { ...this.paramsOf(query, filter, liveAt), afterScore: after?.score ?? 0, afterId: after?.id ?? '', limit };
    const rows = await this.runner.all(searchPage(this.runner.dialect, shape), params);
    return rows.map((r: Row) => ({ message: messageOf(r, this.codec), score: Number(r.score_) }));
  }

  async count(query: SearchQuery, filter: SearchFilter, bound: number, liveAt: string): Promise<number> {
    const shape = { ...shapeOf(filter), after: false };
    const row = await this.runner.one(searchCount(this.runner.dialect, shape), { ...this.paramsOf(query, filter, liveAt), bound });
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

  async unindexed(limit: number): Promise<Pick<Message, 'id' | 'content' | 'item'>[]> {
    const rows = await this.runner.all(this.sql.unindexedMessages, { limit });
    return rows.map((r) => ({
      id: r.id as string,
      content: contentOf(r),
      item: r.item == null ? null : this.codec.json(r.item),
    }));
  }

  async setSearchText(rows: readonly { id: string; searchText: string }[]): Promise<number> {
    const { setSearchText } = this.sql;
    return this.runner.transaction(function* () {
      let set = 0;
      for (const row of rows) set += yield* tx.write(setSearchText, row);
      return set;
    });
  }
}
