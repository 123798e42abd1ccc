import { closeSync, fsyncSync, openSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import { searchTextOf } from '../../src/modules/search/text.js';
import { openBackend } from '../../src/storage/open.js';
import { type CorpusSizes, messageText, sessionOf } from './corpus.js';

export interface LoadedCorpus {
  sessions: number;
  messages: number;
  /** Wall time of the load: schema, rows and their index (PostgreSQL: and ANALYZE). */
  loadSec: number;
  /** SQLite: the file's size; PostgreSQL: pg_database_size. */
  sizeMb: number;
}

interface SessionRow {
  id: string;
  agentName: string;
  userId: string;
  createdAt: string;
  lastSeq: number;
}

interface MessageRow {
  id: string;
  sessionId: string;
  seq: number;
  role: string;
  content: string;
  timestamp: string;
  searchText: string;
}

/**
 * The corpus, a session at a time: ids and timestamps in time order, as if written over the last
 * 30 days; each message with the `search_text` the service would write with it (`searchTextOf`),
 * so that the database's own triggers (FTS5, tsvector) index it exactly as on an append.
 */
function* corpus(sizes: CorpusSizes): Generator<{ session: SessionRow; messages: MessageRow[] }> {
  let clock = Date.now() - 30 * 24 * 3600 * 1000;
  const ids = createIdGenerator({ now: () => clock });
  const total = sizes.sessions * sizes.perSession;
  for (let s = 0; s < sizes.sessions; s++) {
    const { agentName, userId } = sessionOf(s);
    const createdAt = new Date((clock += 1)).toISOString();
    const session = { id: ids.next('session'), agentName, userId, createdAt, lastSeq: sizes.perSession };
    const messages: MessageRow[] = [];
    for (let i = 0; i < sizes.perSession; i++) {
      const content = messageText(s * sizes.perSession + i, total);
      messages.push({
        id: ids.next('message'),
        sessionId: session.id,
        seq: i + 1,
        role: i % 2 === 0 ? 'user' : 'assistant',
        content,
        timestamp: new Date((clock += 1)).toISOString(),
        searchText: searchTextOf(content, null),
      });
    }
    yield { session, messages };
  }
}

/** The schema at the service's current version: its own migrations, run by opening it once. */
async function migrate(databaseUrl: string): Promise<void> {
  const config = loadConfig({ PORT: '0', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
  const backend = await openBackend(config.database);
  await backend.close();
}

const SQLITE_ROWS_PER_INSERT = 500;
const SQLITE_ROWS_PER_TRANSACTION = 50_000;

/** Straight into the file with better-sqlite3, multi-row INSERTs in large transactions. */
export async function loadSqlite(filename: string, sizes: CorpusSizes): Promise<LoadedCorpus> {
  const started = performance.now();
  await migrate(`sqlite:${filename}`);
  const db = new Database(filename);
  try {
    // Loading only: nothing here has to survive a crash; the service reopens with its own pragmas.
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    const insertSession = db.prepare('INSERT INTO sessions (id, agent_name, user_id, created_at, updated_at, status, metadata, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const historyColumns = '(id, session_id, seq, role, content, timestamp, metadata, search_text)';
    const rowMarks = (n: number) => Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    const insertMany = db.prepare(`INSERT INTO history ${historyColumns} VALUES ${rowMarks(SQLITE_ROWS_PER_INSERT)}`);
    const insertRows = (rows: MessageRow[]) => {
      const values = rows.flatMap((m) => [m.id, m.sessionId, m.seq, m.role, m.content, m.timestamp, '{}', m.searchText]);
      if (rows.length === SQLITE_ROWS_PER_INSERT) insertMany.run(values);
      else db.prepare(`INSERT INTO history ${historyColumns} VALUES ${rowMarks(rows.length)}`).run(values);
    };
    let pending: MessageRow[] = [];
    let inTransaction = 0;
    db.exec('BEGIN');
    for (const { session, messages } of corpus(sizes)) {
      insertSession.run(session.id, session.agentName, session.userId, session.createdAt, session.createdAt, 'active', '{}', session.lastSeq);
      for (const m of messages) {
        pending.push(m);
        if (pending.length === SQLITE_ROWS_PER_INSERT) {
          insertRows(pending);
          pending = [];
          inTransaction += SQLITE_ROWS_PER_INSERT;
          if (inTransaction >= SQLITE_ROWS_PER_TRANSACTION) {
            db.exec('COMMIT');
            db.exec('BEGIN');
            inTransaction = 0;
          }
        }
      }
    }
    if (pending.length > 0) insertRows(pending);
    db.exec('COMMIT');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  // Loaded without fsyncs: the file goes to disk now, not while the next rows are being timed.
  const fd = openSync(filename, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { sessions: sizes.sessions, messages: sizes.sessions * sizes.perSession, loadSec: (performance.now() - started) / 1000, sizeMb: statSync(filename).size / 2 ** 20 };
}

const PG_ROWS_PER_INSERT = 5000;
/** Loading connections: the tsvector trigger and the GIN index cost CPU, spread over a few backends. */
const PG_LOADERS = 3;

/** Through `pg`: multi-row INSERTs of column arrays (`unnest`), a few connections at once. */
export async function loadPostgres(databaseUrl: string, sizes: CorpusSizes): Promise<LoadedCorpus> {
  const started = performance.now();
  await migrate(databaseUrl);
  // Loading only: a crash would just mean loading again.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: PG_LOADERS, options: '-c synchronous_commit=off' });
  try {
    const insertSessions = `INSERT INTO sessions (id, agent_name, user_id, created_at, updated_at, status, metadata, last_seq)
      SELECT id, agent, u, t, t, 'active', '{}', n FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::bigint[]) AS r (id, agent, u, t, n)`;
    const insertHistory = `INSERT INTO history (id, session_id, seq, role, content, timestamp, metadata, search_text)
      SELECT id, sid, seq, role, content, ts, '{}', st FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::timestamptz[], $7::text[]) AS r (id, sid, seq, role, content, ts, st)`;
    const inFlight = new Set<Promise<unknown>>();
    const run = async (text: string, values: unknown[]) => {
      while (inFlight.size >= PG_LOADERS) await Promise.race(inFlight);
      const p = pool.query(text, values).finally(() => inFlight.delete(p));
      inFlight.add(p);
    };
    // Sessions a chunk at a time, each chunk's sessions committed before its messages (the foreign key).
    const flushChunk = async (chunk: { session: SessionRow; messages: MessageRow[] }[]) => {
      const ss = chunk.map((b) => b.session);
      await pool.query(insertSessions, [ss.map((x) => x.id), ss.map((x) => x.agentName), ss.map((x) => x.userId), ss.map((x) => x.createdAt), ss.map((x) => x.lastSeq)]);
      const ms = chunk.flatMap((b) => b.messages);
      for (let i = 0; i < ms.length; i += PG_ROWS_PER_INSERT) {
        const rows = ms.slice(i, i + PG_ROWS_PER_INSERT);
        await run(insertHistory, [rows.map((m) => m.id), rows.map((m) => m.sessionId), rows.map((m) => m.seq), rows.map((m) => m.role), rows.map((m) => m.content), rows.map((m) => m.timestamp), rows.map((m) => m.searchText)]);
      }
    };
    let chunk: { session: SessionRow; messages: MessageRow[] }[] = [];
    for (const batch of corpus(sizes)) {
      chunk.push(batch);
      if (chunk.length * sizes.perSession >= PG_ROWS_PER_INSERT) {
        await flushChunk(chunk);
        chunk = [];
      }
    }
    if (chunk.length > 0) await flushChunk(chunk);
    await Promise.all(inFlight);
    // As autovacuum would after such a load: the planner's statistics and the visibility map.
    await pool.query('VACUUM ANALYZE sessions');
    await pool.query('VACUUM ANALYZE history');
    // The load's pages are written back now, not by a checkpoint during the timed runs.
    await pool.query('CHECKPOINT');
    const size = await pool.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
    return { sessions: sizes.sessions, messages: sizes.sessions * sizes.perSession, loadSec: (performance.now() - started) / 1000, sizeMb: Number(size.rows[0]!.bytes) / 2 ** 20 };
  } finally {
    await pool.end();
  }
}
