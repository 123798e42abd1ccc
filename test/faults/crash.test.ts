import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { request, sleep, tempDir } from './support.js';
import { type Service, startService } from '../support/process.js';

/**
 * `kill -9` of the SQLite server while writers are busy, three times over on one file. What was
 * acknowledged must be there after each restart; what was not may be missing, but never in part:
 * an `addMessages` batch is all of its messages or none, a session's `seq` has no gaps, every
 * message and session has exactly its change-feed event, every message is in the search index exactly
 * once (and nothing else is), and the file passes `PRAGMA integrity_check` and FTS5's own check.
 */

const ROUNDS = 3;
const BATCH = 5;

const { dir, cleanup } = tempDir();
afterAll(cleanup);
const filename = join(dir, 'storage.db');

interface Ledger {
  /** Batches sent, by tag: acknowledged (with the ids the server gave) or not. */
  batches: Map<string, { sessionId: string; acked: string[] | null }>;
  /** Single messages acknowledged (REST), by id → content. */
  singles: Map<string, string>;
  /** Sessions acknowledged. */
  sessions: Set<string>;
  /** Per state writer: the last value acknowledged and the last value sent. */
  states: Map<string, { acked: number; sent: number }>;
}

const ledger: Ledger = { batches: new Map(), singles: new Map(), sessions: new Set(), states: new Map() };

const ADD_MESSAGES = 'mutation($s: ID!, $m: [NewMessageInput!]!) { addMessages(sessionId: $s, messages: $m) { id content } }';

/** Writers of every kind against `service` until `until` resolves; a dead server just fails them. */
async function load(service: Service, round: number, until: Promise<void>): Promise<void> {
  let done = false;
  void until.then(() => (done = true));
  const sessionIds: string[] = [];
  for (let i = 0; i < 4; i++) {
    const created = await request(service.url, 'POST', '/storage/sessions', { agent_name: `crash-${round}-${i}` });
    expect(created.status).toBe(200);
    sessionIds.push(created.body.id);
    ledger.sessions.add(created.body.id);
  }
  const batchWriter = async (w: number) => {
    for (let b = 0; !done; b++) {
      const tag = `r${round}-w${w}-b${b}`;
      const sessionId = sessionIds[(w + b) % sessionIds.length]!;
      ledger.batches.set(tag, { sessionId, acked: null });
      const messages = Array.from({ length: BATCH }, (_, i) => ({ role: 'USER', content: `${tag}-${i}`, metadata: { tag } }));
      const reply = await request(service.url, 'POST', '/graphql', { query: ADD_MESSAGES, variables: { s: sessionId, m: messages } });
      if (reply.status === 0) return;
      const added = reply.body?.data?.addMessages as { id: string; content: string }[] | undefined;
      if (added) ledger.batches.get(tag)!.acked = added.map((m) => m.id);
    }
  };
  const singleWriter = async (w: number) => {
    for (let i = 0; !done; i++) {
      const content = `r${round}-s${w}-${i}`;
      const reply = await request(service.url, 'POST', '/storage/history', { session_id: sessionIds[w % sessionIds.length], role: 'assistant', content });
      if (reply.status === 0) return;
      if (reply.status === 200) ledger.singles.set(reply.body.id, content);
    }
  };
  const sessionWriter = async () => {
    for (let i = 0; !done; i++) {
      const reply = await request(service.url, 'POST', '/storage/sessions', { agent_name: `crash-${round}-extra-${i}` });
      if (reply.status === 0) return;
      if (reply.status === 200) ledger.sessions.add(reply.body.id);
    }
  };
  const stateWriter = async (w: number) => {
    const sessionId = sessionIds[w]!;
    const entry = ledger.states.get(sessionId) ?? { acked: -1, sent: -1 };
    ledger.states.set(sessionId, entry);
    for (let n = entry.sent + 1; !done; n++) {
      entry.sent = n;
      const reply = await request(service.url, 'PUT', `/storage/state/${sessionId}`, { data: { n } });
      if (reply.status === 0) return;
      if (reply.status === 200) entry.acked = n;
    }
  };
  await Promise.all([
    ...Array.from({ length: 6 }, (_, w) => batchWriter(w)),
    ...Array.from({ length: 3 }, (_, w) => singleWriter(w)),
    sessionWriter(),
    stateWriter(0),
    stateWriter(1),
  ]);
}

/** Checks the file against the ledger: every acknowledged write present, nothing half-written. */
function verify(): { messages: number; ackedBatches: number; unackedBatchesPresent: number; unackedBatchesAbsent: number } {
  // Read-write, as the next start opens it: SQLite recovers the WAL index of a crashed writer.
  const db = new Database(filename);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const rows = db.prepare('SELECT id, session_id, seq, content, metadata FROM history ORDER BY session_id, seq').all() as {
      id: string;
      session_id: string;
      seq: number;
      content: string;
      metadata: string;
    }[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    // Gap-free seq per session: no message was half-assigned.
    const bySession = new Map<string, number[]>();
    for (const r of rows) bySession.set(r.session_id, [...(bySession.get(r.session_id) ?? []), r.seq]);
    for (const seqs of bySession.values()) expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    // Batches: acknowledged ones complete (the very ids acknowledged), the others all or nothing.
    let ackedBatches = 0;
    let unackedBatchesPresent = 0;
    let unackedBatchesAbsent = 0;
    const byTag = new Map<string, typeof rows>();
    for (const r of rows) {
      const tag = (JSON.parse(r.metadata) as { tag?: string }).tag;
      if (tag) byTag.set(tag, [...(byTag.get(tag) ?? []), r]);
    }
    for (const [tag, batch] of ledger.batches) {
      const stored = byTag.get(tag) ?? [];
      expect([0, BATCH], `batch ${tag}`).toContain(stored.length);
      if (batch.acked) {
        ackedBatches++;
        expect(stored.map((r) => r.id).sort(), `acknowledged batch ${tag}`).toEqual([...batch.acked].sort());
      } else if (stored.length) unackedBatchesPresent++;
      else unackedBatchesAbsent++;
      // In one batch, consecutive seqs in the order sent.
      if (stored.length) {
        const seqs = stored.map((r) => r.seq);
        expect(seqs, tag).toEqual(seqs.map((_, i) => seqs[0]! + i));
        expect(stored.map((r) => r.content)).toEqual(Array.from({ length: BATCH }, (_, i) => `${tag}-${i}`));
      }
    }
    for (const tag of byTag.keys()) expect(ledger.batches.has(tag), `unknown batch ${tag}`).toBe(true);
    for (const [id, content] of ledger.singles) expect(byId.get(id)?.content, `acknowledged message ${id}`).toBe(content);
    const sessions = new Set((db.prepare('SELECT id FROM sessions').all() as { id: string }[]).map((r) => r.id));
    for (const id of ledger.sessions) expect(sessions.has(id), `acknowledged session ${id}`).toBe(true);
    // The change feed: every write with its event and every event with its write (one transaction).
    const eventIds = (type: string, field: string) =>
      (db.prepare('SELECT payload FROM events WHERE type = ? ORDER BY seq').all(type) as { payload: string }[]).map(
        (r) => (JSON.parse(r.payload) as Record<string, { id: string }>)[field]!.id,
      );
    expect(eventIds('MessageAdded', 'message').sort()).toEqual([...byId.keys()].sort());
    expect(eventIds('SessionCreated', 'session').sort()).toEqual([...sessions].sort());
    // The search index: written in the same transactions, so exactly the messages there are.
    db.prepare("INSERT INTO history_fts (history_fts) VALUES ('integrity-check')").run();
    const indexed = (db.prepare('SELECT d.message_id AS id FROM history_fts JOIN history_search_docs d ON d.doc = history_fts.rowid').all() as { id: string }[]).map((r) => r.id);
    expect(indexed.sort()).toEqual([...byId.keys()].sort());
    const find = db.prepare('SELECT d.message_id AS id FROM history_fts JOIN history_search_docs d ON d.doc = history_fts.rowid WHERE history_fts MATCH ?');
    for (const [id, content] of [...ledger.singles].slice(-20)) {
      expect((find.all(`"${content.replaceAll('-', ' ')}"`) as { id: string }[]).map((r) => r.id)).toEqual([id]);
    }
    // State: at least the last acknowledged value, at most the last one sent.
    for (const [sessionId, { acked, sent }] of ledger.states) {
      const row = db.prepare('SELECT data FROM state WHERE session_id = ?').get(sessionId) as { data: string } | undefined;
      const n = row ? (JSON.parse(row.data) as { n: number }).n : -1;
      expect(n).toBeGreaterThanOrEqual(acked);
      expect(n).toBeLessThanOrEqual(sent);
    }
    return { messages: rows.length, ackedBatches, unackedBatchesPresent, unackedBatchesAbsent };
  } finally {
    db.close();
  }
}

describe('kill -9 during concurrent writes (SQLite, real process, real file)', () => {
  it(`keeps every acknowledged write and nothing half-written, ${ROUNDS} crashes in a row`, async () => {
    const summary: unknown[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const service = await startService({ DATABASE_URL: `sqlite:${filename}` });
      // The restart recovered the previous crash: everything acknowledged so far is served again.
      const health = await request(service.url, 'GET', '/health');
      expect(health.status).toBe(200);
      let kill!: () => void;
      const killed = new Promise<void>((resolve) => (kill = resolve));
      const writing = load(service, round, killed);
      // Let the writers get going (at least some batches acknowledged), then pull the plug.
      const target = [...ledger.batches.values()].filter((b) => b.acked).length + 30;
      for (let waited = 0; [...ledger.batches.values()].filter((b) => b.acked).length < target && waited < 20_000; waited += 25) await sleep(25);
      await sleep(100 + round * 70);
      service.child.kill('SIGKILL');
      const { signal } = await service.exited;
      kill();
      await writing;
      expect(signal).toBe('SIGKILL');
      summary.push({ round, ...verify() });
    }
    const ackedSingles = ledger.singles.size;
    console.info(`kill -9 x${ROUNDS}: ${JSON.stringify(summary)}; acknowledged single messages ${ackedSingles}, sessions ${ledger.sessions.size}`);
    // And the service starts on the crashed file and serves what was acknowledged.
    const service = await startService({ DATABASE_URL: `sqlite:${filename}` });
    try {
      const [anyId, content] = [...ledger.singles.entries()].at(-1)!;
      const sessionId = [...ledger.batches.values()].find((b) => b.acked)!.sessionId;
      const history = await request(service.url, 'GET', `/storage/history?session_id=${sessionId}`);
      expect(history.status).toBe(200);
      expect(history.body.length).toBeGreaterThan(0);
      const found = await request(service.url, 'GET', `/storage/search?q=${encodeURIComponent(`"${content.replaceAll('-', ' ')}"`)}`);
      expect(found.body.results.map((r: { message: { id: string } }) => r.message.id)).toEqual([anyId]);
      expect(anyId).toMatch(/^msg_/);
      expect(content).toMatch(/^r\d-s\d-\d+$/);
    } finally {
      expect((await service.stop()).code).toBe(0);
    }
    expect(verify().messages).toBeGreaterThan(0);
  }, 180_000);
});
