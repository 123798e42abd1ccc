import { type RawBuilder, sql } from 'kysely';
import { codecs, type RowCodec } from '../../db/codec.js';
import { typed, writeRows } from '../../db/portable.js';
import { driveAsync, type Row, type Runner, tx, type TxWork } from '../../db/runner.js';
import { defineStatementFamily, defineStatements, type Placeholders } from '../../db/statements.js';
import { type MemoryItem, memoryItemRecord } from '../../domain/records.js';
import { filterHolds } from './filter.js';
import { compareCodePoints, descendantRange, joinNamespace, splitNamespace } from './namespace.js';
import { fts5Match, tsQuery } from './text.js';

/**
 * Where memory items live: the tenant's database. The store runs statements and decodes rows; the
 * rules (TTL arithmetic, ranking, namespace matching) are the service's. Every read sees only the
 * items live at `now` (`expiresAt` null or later); expired ones wait for the sweeper
 * (`deleteExpired`). Reads and writes are generator steps (`TxWork`), so that a whole batch of
 * operations runs as one transaction (`run`).
 */
export interface MemoryStore {
  /** Runs a batch's work: one transaction when it `writes`, plain reads otherwise. */
  run<T>(work: () => TxWork<T>, writes: boolean): Promise<T>;
  get(namespace: readonly string[], key: string, now: string): TxWork<MemoryItem | null>;
  /** Writes the item (its `createdAt` kept if a live item was there) and replaces its vectors; the item as stored. */
  put(item: MemoryItem, searchText: string, vectors: readonly StoredVector[]): TxWork<MemoryItem>;
  delete(namespace: readonly string[], key: string): TxWork<boolean>;
  /** Moves the expiry of the given items (a refreshing read). */
  refresh(items: readonly { namespace: readonly string[]; key: string; expiresAt: string }[]): TxWork<void>;
  /** A page of the items below the prefix passing the filter: by text rank when `terms` are given, else newest update first. */
  search(query: StoreSearch, now: string): TxWork<ScoredRow[]>;
  /** Every item below the prefix passing the filter, newest update first, by name, with its vectors. */
  vectorCandidates(query: Omit<StoreSearch, 'terms' | 'limit' | 'offset'>, now: string): TxWork<{ item: ItemName; vectors: Uint8Array[] }[]>;
  /** The live items of these names (in no particular order; a missing one is left out). */
  byNames(names: readonly ItemName[], now: string): TxWork<MemoryItem[]>;
  /** The distinct namespaces of live items below `prefix` (all when empty). */
  namespaces(prefix: readonly string[], now: string): TxWork<string[][]>;
}

/** What the retention sweeper needs: it sees expired items. */
export interface MemoryMaintenance {
  countExpired(now: string): Promise<number>;
  /** Deletes up to `limit` items expired at `now`; how many. */
  deleteExpired(now: string, limit: number): Promise<number>;
}

export interface StoredVector {
  field: string;
  /** The float32 components as bytes (vectors.ts). */
  vector: Uint8Array;
}

export interface ItemName {
  namespace: string[];
  key: string;
}

export interface StoreSearch {
  prefix: readonly string[];
  /** The filter parameter (filter.ts), or null for none. */
  filter: string | null;
  /** The words of the text query (text.ts), or null for none. */
  terms: readonly string[] | null;
  limit: number;
  offset: number;
}

export interface ScoredRow {
  item: MemoryItem;
  score: number | null;
}

type ItemParams = {
  namespace: string;
  key: string;
  value: string;
  searchText: string;
  createdAt: string;
  updatedAt: string;
  ttlMinutes: number | null;
  expiresAt: string | null;
};

type Shape = { prefix: boolean; filter: boolean };
type SearchParams = { now: string; exact: string; from: string; to: string; filter: string; match: string; limit: number; offset: number };

const COLUMNS = ['namespace', 'key', 'value', 'created_at', 'updated_at', 'ttl_minutes', 'expires_at'] as const;

const isLive = (now: RawBuilder<unknown>) => sql<boolean>`(memory_items.expires_at IS NULL OR memory_items.expires_at > ${now})`;

/** The conditions every search-like statement shares: live, below the prefix, passing the filter. */
function where(shape: Shape, p: Placeholders<SearchParams>, dialect: 'sqlite' | 'postgres'): RawBuilder<boolean> {
  const parts = [isLive(typed(p('now'), 'timestamptz', dialect))];
  // One index range, [exact, exact + '/'), then what in it is not the prefix or below it ('a-b' for 'a').
  if (shape.prefix) {
    parts.push(sql<boolean>`memory_items.namespace >= ${p('exact')} AND memory_items.namespace < ${p('to')} AND (memory_items.namespace = ${p('exact')} OR memory_items.namespace >= ${p('from')})`);
  }
  if (shape.filter) parts.push(filterHolds(p('filter'), dialect));
  return sql<boolean>`${sql.join(parts, sql` AND `)}`;
}

const columns = sql.join(COLUMNS.map((c) => sql.ref(`memory_items.${c}`)));
const newestFirst = sql`memory_items.updated_at DESC, memory_items.namespace, memory_items.key`;

const statements = defineStatements({
  getMemoryItem: (db, p: Placeholders<{ namespace: string; key: string; now: string }>, dialect) =>
    db
      .selectFrom('memory_items')
      .select(COLUMNS)
      .where('namespace', '=', p('namespace'))
      .where('key', '=', p('key'))
      .where(isLive(typed(p('now'), 'timestamptz', dialect))),

  // An upsert. An item that had expired but was not swept yet is replaced as a new one.
  putMemoryItem: (db, p: Placeholders<ItemParams>) =>
    db
      .insertInto('memory_items')
      .values({
        namespace: p('namespace'),
        key: p('key'),
        value: p('value'),
        search_text: p('searchText'),
        created_at: p('createdAt'),
        updated_at: p('updatedAt'),
        ttl_minutes: p('ttlMinutes'),
        expires_at: p('expiresAt'),
      })
      .onConflict((oc) =>
        oc.columns(['namespace', 'key']).doUpdateSet((eb) => ({
          value: eb.ref('excluded.value'),
          search_text: eb.ref('excluded.search_text'),
          created_at: sql`CASE WHEN memory_items.expires_at IS NOT NULL AND memory_items.expires_at <= excluded.updated_at THEN excluded.created_at ELSE memory_items.created_at END`,
          updated_at: eb.ref('excluded.updated_at'),
          ttl_minutes: eb.ref('excluded.ttl_minutes'),
          expires_at: eb.ref('excluded.expires_at'),
        })),
      )
      .returning('created_at'),

  deleteMemoryItem: (db, p: Placeholders<{ namespace: string; key: string }>) =>
    db.deleteFrom('memory_items').where('namespace', '=', p('namespace')).where('key', '=', p('key')),

  deleteMemoryVectors: (db, p: Placeholders<{ namespace: string; key: string }>) =>
    db.deleteFrom('memory_vectors').where('namespace', '=', p('namespace')).where('key', '=', p('key')),

  insertMemoryVector: (db, p: Placeholders<{ namespace: string; key: string; field: string; vector: Uint8Array }>) =>
    db.insertInto('memory_vectors').values({ namespace: p('namespace'), key: p('key'), field: p('field'), vector: p('vector') }),
  // PostgreSQL: every vector of a put in one statement (columns as arrays; see writeRows).
  insertMemoryVectors: (_db, p: Placeholders<{ namespaces: string[]; keys: string[]; fields: string[]; vectors: Uint8Array[] }>) =>
    sql`INSERT INTO memory_vectors (namespace, key, field, vector) SELECT * FROM unnest(${p('namespaces')}::text[], ${p('keys')}::text[], ${p('fields')}::text[], ${p('vectors')}::bytea[])`,

  // Items by (namespace, key), given as two lists of the same length: PostgreSQL zips its arrays with
  // unnest, SQLite its JSON arrays by position.
  memoryItemsByNames: (_db, p: Placeholders<{ namespaces: string[]; keys: string[]; now: string }>, dialect) =>
    sql`SELECT ${columns} FROM memory_items WHERE ${isLive(typed(p('now'), 'timestamptz', dialect))} AND (memory_items.namespace, memory_items.key) IN (${
      dialect === 'postgres'
        ? sql`SELECT * FROM unnest(${p('namespaces')}::text[], ${p('keys')}::text[])`
        : sql`SELECT n_.value, k_.value FROM json_each(${p('namespaces')}) n_ JOIN json_each(${p('keys')}) k_ ON k_.key = n_.key`
    })`,

  refreshMemoryItem: (db, p: Placeholders<{ namespace: string; key: string; expiresAt: string }>) =>
    db.updateTable('memory_items').set({ expires_at: p('expiresAt') }).where('namespace', '=', p('namespace')).where('key', '=', p('key')),
  refreshMemoryItems: (_db, p: Placeholders<{ namespaces: string[]; keys: string[]; expiresAts: string[] }>) =>
    sql`UPDATE memory_items SET expires_at = u.e FROM unnest(${p('namespaces')}::text[], ${p('keys')}::text[], ${p('expiresAts')}::timestamptz[]) AS u (ns, k, e)
      WHERE memory_items.namespace = u.ns AND memory_items.key = u.k`,

  countExpiredMemoryItems: (db, p: Placeholders<{ now: string }>, dialect) =>
    db
      .selectFrom('memory_items')
      .select(sql<number>`COUNT(*)`.as('n'))
      .where('expires_at', '<=', typed(p('now'), 'timestamptz', dialect)),

  // A bounded batch through the expiry index, so that a big sweep never holds the write lock long.
  deleteExpiredMemoryItems: (db, p: Placeholders<{ now: string; limit: number }>, dialect) =>
    db
      .deleteFrom('memory_items')
      .where(
        sql<boolean>`(namespace, key) IN (SELECT namespace, key FROM memory_items WHERE expires_at <= ${typed(p('now'), 'timestamptz', dialect)} ORDER BY expires_at LIMIT ${typed(p('limit'), 'bigint', dialect)})`,
      ),
});

/** A page of items, newest update first, with no score. */
const plainSearch = defineStatementFamily('memorySearch', (shape: Shape) => (_db, p: Placeholders<SearchParams>, dialect) =>
  sql`SELECT ${columns}, NULL AS score FROM memory_items WHERE ${where(shape, p, dialect)}
    ORDER BY ${newestFirst} LIMIT ${typed(p('limit'), 'bigint', dialect)} OFFSET ${typed(p('offset'), 'bigint', dialect)}`,
);

/**
 * A page of the items matching the text query, best first (ties newest first). What differs is the
 * full-text engine: SQLite's FTS5 table (bm25, lower is better: negated into a score) joined by
 * rowid, PostgreSQL's tsvector column through its GIN index (ts_rank).
 */
const textSearch = defineStatementFamily('memoryTextSearch', (shape: Shape) => (_db, p: Placeholders<SearchParams>, dialect) =>
  dialect === 'sqlite'
    ? sql`SELECT ${columns}, -bm25(memory_items_fts) AS score FROM memory_items_fts JOIN memory_items ON memory_items.id = memory_items_fts.rowid
        WHERE memory_items_fts MATCH ${p('match')} AND ${where(shape, p, dialect)}
        ORDER BY bm25(memory_items_fts), ${newestFirst} LIMIT ${p('limit')} OFFSET ${p('offset')}`
    : sql`SELECT ${columns}, ts_rank(memory_items.search_vector, q_.q) AS score FROM memory_items, to_tsquery('simple', ${p('match')}::text) AS q_ (q)
        WHERE memory_items.search_vector @@ q_.q AND ${where(shape, p, dialect)}
        ORDER BY score DESC, ${newestFirst} LIMIT ${p('limit')}::bigint OFFSET ${p('offset')}::bigint`,
);

/**
 * Every candidate of a semantic search by name, with its vectors (one row per vector; none: a null
 * vector). Not the values: only the page's items are read whole, afterwards (`memoryItemsByNames`).
 */
const vectorCandidates = defineStatementFamily('memoryVectorCandidates', (shape: Shape) => (_db, p: Placeholders<SearchParams>, dialect) =>
  // Unsorted: a database sorting the rows would copy every vector (a third of the time at 10,000 of 1536 dimensions).
  sql`SELECT memory_items.namespace, memory_items.key, memory_items.updated_at, v_.vector FROM memory_items LEFT JOIN memory_vectors v_ ON v_.namespace = memory_items.namespace AND v_.key = memory_items.key
    WHERE ${where(shape, p, dialect)}`,
);

const namespaces = defineStatementFamily('memoryNamespaces', (shape: { prefix: boolean }) => (_db, p: Placeholders<SearchParams>, dialect) =>
  sql`SELECT DISTINCT memory_items.namespace FROM memory_items WHERE ${where({ ...shape, filter: false }, p, dialect)}`,
);

/** Memory items in a tenant's SQL database (SQLite or PostgreSQL, by its runner). */
export class SqlMemoryStore implements MemoryStore, MemoryMaintenance {
  private readonly sql: ReturnType<typeof statements.for>;
  private readonly codec: RowCodec;

  constructor(private readonly runner: Runner) {
    this.sql = statements.for(runner.dialect);
    this.codec = codecs[runner.dialect];
  }

  run<T>(work: () => TxWork<T>, writes: boolean): Promise<T> {
    if (writes) return this.runner.transaction(work);
    // Reads alone need no transaction (on SQLite, no place in the group commit): each step runs as it comes.
    return driveAsync(
      work(),
      (step) => {
        if (step.kind === 'write') throw new Error('a read-only memory batch tried to write');
        return step.kind === 'all' ? this.runner.all(step.statement, step.params) : this.runner.one(step.statement, step.params);
      },
      [],
    );
  }

  *get(namespace: readonly string[], key: string, now: string): TxWork<MemoryItem | null> {
    const row = yield* tx.one(this.sql.getMemoryItem, { namespace: joinNamespace(namespace), key, now });
    return row ? this.toItem(row) : null;
  }

  *put(item: MemoryItem, searchText: string, vectors: readonly StoredVector[]): TxWork<MemoryItem> {
    const namespace = joinNamespace(item.namespace);
    const row = yield* tx.one(this.sql.putMemoryItem, {
      namespace,
      key: item.key,
      value: JSON.stringify(item.value),
      searchText,
      createdAt: item.createdAt,
      updatedAt: item.updatedAt,
      ttlMinutes: item.ttlMinutes,
      expiresAt: item.expiresAt,
    });
    yield* tx.write(this.sql.deleteMemoryVectors, { namespace, key: item.key });
    yield* writeRows(
      this.runner.dialect,
      vectors,
      { statement: this.sql.insertMemoryVector, params: (v) => ({ namespace, key: item.key, field: v.field, vector: v.vector }) },
      {
        statement: this.sql.insertMemoryVectors,
        params: (chunk) => ({ namespaces: chunk.map(() => namespace), keys: chunk.map(() => item.key), fields: chunk.map((v) => v.field), vectors: chunk.map((v) => v.vector) }),
      },
    );
    return { ...item, createdAt: this.codec.time(row!.created_at) };
  }

  *delete(namespace: readonly string[], key: string): TxWork<boolean> {
    return (yield* tx.write(this.sql.deleteMemoryItem, { namespace: joinNamespace(namespace), key })) > 0;
  }

  *refresh(items: readonly { namespace: readonly string[]; key: string; expiresAt: string }[]): TxWork<void> {
    yield* writeRows(
      this.runner.dialect,
      items,
      { statement: this.sql.refreshMemoryItem, params: (i) => ({ namespace: joinNamespace(i.namespace), key: i.key, expiresAt: i.expiresAt }) },
      {
        statement: this.sql.refreshMemoryItems,
        params: (chunk) => ({ namespaces: chunk.map((i) => joinNamespace(i.namespace)), keys: chunk.map((i) => i.key), expiresAts: chunk.map((i) => i.expiresAt) }),
      },
    );
  }

  *search(query: StoreSearch, now: string): TxWork<ScoredRow[]> {
    const shape = shapeOf(query);
    const statement = (query.terms === null ? plainSearch : textSearch)(this.runner.dialect, shape);
    // The words as this database's text query: both forms quote every word (text.ts).
    const match = query.terms === null ? '' : this.runner.dialect === 'sqlite' ? fts5Match(query.terms) : tsQuery(query.terms);
    const rows = yield* tx.all(statement, { ...this.searchParams(query, now), match, limit: query.limit, offset: query.offset });
    return rows.map((r) => ({ item: this.toItem(r), score: r.score == null ? null : Number(r.score) }));
  }

  *vectorCandidates(query: Omit<StoreSearch, 'terms' | 'limit' | 'offset'>, now: string): TxWork<{ item: ItemName; vectors: Uint8Array[] }[]> {
    const rows = yield* tx.all(vectorCandidates(this.runner.dialect, shapeOf(query)), { ...this.searchParams(query, now), match: '', limit: 0, offset: 0 });
    // One candidate per item, newest update first (then by namespace and key, in code point order, as the SQL orders).
    const byItem = new Map<string, { item: ItemName; vectors: Uint8Array[]; at: string; namespace: string }>();
    for (const r of rows) {
      const namespace = String(r.namespace);
      const key = String(r.key);
      const id = `${namespace}\u0000${key}`;
      let candidate = byItem.get(id);
      if (!candidate) byItem.set(id, (candidate = { item: { namespace: splitNamespace(namespace), key }, vectors: [], at: this.codec.time(r.updated_at), namespace }));
      if (r.vector != null) candidate.vectors.push(r.vector as Uint8Array);
    }
    const sorted = [...byItem.values()].sort(
      (a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : compareCodePoints(a.namespace, b.namespace) || compareCodePoints(a.item.key, b.item.key)),
    );
    return sorted.map(({ item, vectors }) => ({ item, vectors }));
  }

  *byNames(names: readonly ItemName[], now: string): TxWork<MemoryItem[]> {
    if (names.length === 0) return [];
    const rows = yield* tx.all(this.sql.memoryItemsByNames, { namespaces: names.map((n) => joinNamespace(n.namespace)), keys: names.map((n) => n.key), now });
    return rows.map((r) => this.toItem(r));
  }

  *namespaces(prefix: readonly string[], now: string): TxWork<string[][]> {
    const statement = namespaces(this.runner.dialect, { prefix: prefix.length > 0 });
    const rows = yield* tx.all(statement, { ...this.searchParams({ prefix, filter: null }, now), match: '', limit: 0, offset: 0 });
    return rows.map((r) => splitNamespace(String(r.namespace)));
  }

  async countExpired(now: string): Promise<number> {
    return Number((await this.runner.one(this.sql.countExpiredMemoryItems, { now }))?.n ?? 0);
  }

  deleteExpired(now: string, limit: number): Promise<number> {
    return this.runner.write(this.sql.deleteExpiredMemoryItems, { now, limit });
  }

  private searchParams(query: { prefix: readonly string[]; filter: string | null }, now: string) {
    return { now, ...descendantRange(query.prefix), filter: query.filter ?? '[]' };
  }

  private toItem(r: Row): MemoryItem {
    return memoryItemRecord.parse({
      namespace: splitNamespace(String(r.namespace)),
      key: r.key,
      value: this.codec.json(r.value),
      createdAt: this.codec.time(r.created_at),
      updatedAt: this.codec.time(r.updated_at),
      ttlMinutes: r.ttl_minutes == null ? null : Number(r.ttl_minutes),
      expiresAt: this.codec.timeOrNull(r.expires_at),
    });
  }
}

function shapeOf(query: { prefix: readonly string[]; filter: string | null }): Shape {
  return { prefix: query.prefix.length > 0, filter: query.filter !== null };
}
