import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { createIdGenerator } from '../../src/domain/ids.js';
import { SqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import { messageContent, messageMetadata, messageRole } from './data.js';
import type { LargeSizes } from './options.js';

export interface LargeStore {
  /** The long session that is paged through. */
  bigId: string;
  seedSec: number;
  fileMb: number;
}

/**
 * Fills a SQLite file with `sizes.messages` messages across `sizes.sessions` sessions (one of them
 * holding `sizes.bigSession`) straight through better-sqlite3, before the service starts. The
 * schema comes from opening the service's own SqliteBackend once (its migrations run); rows are
 * inserted in key order in large transactions, and `sessions.last_seq` matches each history.
 */
export function seedLargeStore(filename: string, sizes: LargeSizes): LargeStore {
  const started = performance.now();
  void new SqliteBackend({ filename }).close();

  const db = new Database(filename);
  // Seeding only: nothing here has to survive a crash, the service reopens with its own pragmas.
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  // Time-ordered ids and timestamps, as if the store had been filled over the last 30 days.
  let clock = Date.now() - 30 * 24 * 3600 * 1000;
  const ids = createIdGenerator({ now: () => clock });
  const tick = () => (clock += 1);

  const insertSession = db.prepare(
    'INSERT INTO sessions (id, agent_name, user_id, created_at, updated_at, status, metadata, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertMessage = db.prepare('INSERT INTO history (id, session_id, seq, role, content, timestamp, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)');
  // Message texts repeat every 1,000 (generating 1M distinct strings would only slow the seeding).
  const contents = Array.from({ length: 1000 }, (_, i) => messageContent(i));
  const metadatas = Array.from({ length: 1000 }, (_, i) => JSON.stringify(messageMetadata(i)));

  const others = sizes.sessions - 1;
  const rest = sizes.messages - sizes.bigSession;
  const bigIndex = Math.floor(sizes.sessions / 2);
  let bigId = '';
  let written = 0;
  const flushEvery = 100_000;
  let inTransaction = false;
  const begin = () => {
    db.exec('BEGIN');
    inTransaction = true;
  };
  begin();
  for (let s = 0, other = 0; s < sizes.sessions; s++) {
    const count = s === bigIndex ? sizes.bigSession : Math.floor(rest / others) + (other++ < rest % others ? 1 : 0);
    const created = new Date(tick()).toISOString();
    const sessionId = ids.next('session');
    if (s === bigIndex) bigId = sessionId;
    insertSession.run(sessionId, `agent-${s % 20}`, `user_${s % 500}`, created, created, s % 10 === 0 ? 'ended' : 'active', JSON.stringify({ bench: true, s }), count);
    for (let i = 0; i < count; i++) {
      insertMessage.run(ids.next('message'), sessionId, i + 1, messageRole(i), contents[i % 1000]!, new Date(tick()).toISOString(), metadatas[i % 1000]!);
      if (++written % flushEvery === 0) {
        db.exec('COMMIT');
        begin();
      }
    }
  }
  if (inTransaction) db.exec('COMMIT');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { bigId, seedSec: (performance.now() - started) / 1000, fileMb: statSync(filename).size / 1024 / 1024 };
}
