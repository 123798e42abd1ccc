import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import Database from 'better-sqlite3';
import { systemClock } from '../../src/domain/clock.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import { migrations } from '../../src/storage/sqlite/migrations.js';
import { messageContent, messageMetadata, messageRole } from '../lib/data.js';
import { percentile } from '../lib/stats.js';

/*
 * Baseline: raw better-sqlite3 in its own process, no HTTP, no GraphQL — the floor the service
 * stands on. Same schema (the service's migrations) and the same pragmas (WAL, synchronous=FULL,
 * foreign_keys=ON, busy_timeout).
 *
 *  1. select + JSON.stringify: the 1,000 rows of one session, read with the service's own history
 *     query shape, then serialised; latency per iteration.
 *  2. durable commits: the service's append transaction (reserve the seq on the session row,
 *     insert one message) committed one at a time, in a loop, for the duration; commits/s.
 *
 * Input (stdin JSON): { dir, durationSec, selectIterations, messages }. Output (stdout): RawResult.
 */

export interface RawInput {
  dir: string;
  durationSec: number;
  selectIterations: number;
  messages: number;
}

export interface RawResult {
  select: { rows: number; bytes: number; iterations: number; p50Ms: number; p99Ms: number; meanMs: number };
  commits: { count: number; durationSec: number; perSec: number; p50Ms: number; p99Ms: number };
  rssMb: number;
}

const input = JSON.parse(await text(process.stdin)) as RawInput;
const db = new Database(join(input.dir, 'raw.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
for (const m of migrations) db.exec(m.sql);

const ids = createIdGenerator(systemClock);
const now = new Date().toISOString();
const sessionId = ids.next('session');
db.prepare('INSERT INTO sessions (id, agent_name, user_id, created_at, updated_at, status, metadata, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
  sessionId, 'bench-big', 'user_0', now, now, 'active', JSON.stringify({ bench: true, i: 0 }), input.messages,
);
const insertMessage = db.prepare('INSERT INTO history (id, session_id, seq, role, content, timestamp, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)');
db.transaction(() => {
  for (let i = 0; i < input.messages; i++) {
    insertMessage.run(ids.next('message'), sessionId, i + 1, messageRole(i), messageContent(i), now, JSON.stringify(messageMetadata(i)));
  }
})();

// 1. select + JSON.stringify (the service's statement: SELECT * ... ORDER BY seq LIMIT ? OFFSET ?)
const select = db.prepare('SELECT * FROM history WHERE session_id = ? ORDER BY seq ASC LIMIT ? OFFSET ?');
let bytes = 0;
let rows = 0;
const once = () => {
  const result = select.all(sessionId, 10_001, 0);
  rows = result.length;
  bytes = JSON.stringify(result).length;
};
for (let i = 0; i < 20; i++) once();
const selectTimes: number[] = [];
for (let i = 0; i < input.selectIterations; i++) {
  const t = performance.now();
  once();
  selectTimes.push(performance.now() - t);
}
selectTimes.sort((a, b) => a - b);

// 2. durable single-row commits, as the service appends a message
const reserve = db.prepare('UPDATE sessions SET last_seq = last_seq + ? WHERE id = ? RETURNING last_seq');
const append = db.transaction((content: string, metadata: string) => {
  const row = reserve.get(1, sessionId) as { last_seq: number };
  insertMessage.run(ids.next('message'), sessionId, row.last_seq, 'user', content, new Date().toISOString(), metadata);
});
const content = messageContent(1);
const metadata = JSON.stringify(messageMetadata(1));
const commitTimes: number[] = [];
const start = performance.now();
const end = start + input.durationSec * 1000;
for (let t = start; t < end; ) {
  append.immediate(content, metadata);
  const after = performance.now();
  commitTimes.push(after - t);
  t = after;
}
const elapsedSec = (performance.now() - start) / 1000;
commitTimes.sort((a, b) => a - b);
db.close();

const result: RawResult = {
  select: {
    rows,
    bytes,
    iterations: selectTimes.length,
    p50Ms: percentile(selectTimes, 50),
    p99Ms: percentile(selectTimes, 99),
    meanMs: selectTimes.reduce((a, b) => a + b, 0) / selectTimes.length,
  },
  commits: {
    count: commitTimes.length,
    durationSec: elapsedSec,
    perSec: commitTimes.length / elapsedSec,
    p50Ms: percentile(commitTimes, 50),
    p99Ms: percentile(commitTimes, 99),
  },
  rssMb: process.memoryUsage().rss / 1024 / 1024,
};
process.stdout.write(JSON.stringify(result));
