import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERNALS, request, tempDir } from './support.js';
import { type Service, startService } from '../support/process.js';

/**
 * The database locked by another process (here: the test's own connection, holding the write lock
 * in an open transaction) for longer than SQLITE_BUSY_TIMEOUT_MS: writes answer 503 with
 * Retry-After shortly after the timeout — not a hang, not a 500 — reads keep working (WAL), and
 * writes succeed again once the lock is gone.
 */

const BUSY_TIMEOUT_MS = 300;
const { dir, cleanup } = tempDir();
const filename = join(dir, 'storage.db');
let service: Service;
let sessionId: string;

beforeAll(async () => {
  service = await startService({ DATABASE_URL: `sqlite:${filename}`, SQLITE_BUSY_TIMEOUT_MS: String(BUSY_TIMEOUT_MS) });
  sessionId = (await request(service.url, 'POST', '/storage/sessions', { agent_name: 'locked' })).body.id;
  expect((await request(service.url, 'POST', '/storage/history', { session_id: sessionId, role: 'user', content: 'before' })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await service?.stop();
  cleanup();
});

describe('database locked by another process beyond the busy timeout', () => {
  it('answers writes 503 with Retry-After within about the busy timeout, serves reads, and recovers', async () => {
    const holder = new Database(filename);
    holder.pragma(`busy_timeout = 5000`);
    holder.exec('BEGIN IMMEDIATE'); // the write lock, held until ROLLBACK
    holder.prepare("INSERT INTO cache (key, value, ttl, created_at, accessed_at, expires_at) VALUES ('held', '1', NULL, 'x', 'x', NULL)").run();
    try {
      const timings: number[] = [];
      const timed = async <T>(work: () => Promise<T>) => {
        const started = Date.now();
        const result = await work();
        timings.push(Date.now() - started);
        return result;
      };
      const writes = [
        await timed(() => request(service.url, 'POST', '/storage/history', { session_id: sessionId, role: 'user', content: 'while locked' })),
        await timed(() => request(service.url, 'POST', '/storage/sessions', { agent_name: 'while locked' })),
        await timed(() => request(service.url, 'PUT', `/storage/state/${sessionId}`, { data: { locked: true } })),
      ];
      for (const reply of writes) {
        expect(reply.status, reply.text).toBe(503);
        expect(reply.headers.get('retry-after')).toBe('1');
        expect(reply.body).toEqual({ detail: 'The database is busy; retry shortly' });
        expect(reply.text).not.toMatch(INTERNALS);
      }
      const graphql = await timed(() =>
        request(service.url, 'POST', '/graphql', { query: 'mutation { createSession(input: {agentName: "while locked"}) { id } }' }),
      );
      expect(graphql.body.errors[0]).toMatchObject({ message: 'The database is busy; retry shortly', extensions: { code: 'UNAVAILABLE', retryAfter: 1 } });
      // Not a hang: each answer comes right after the busy timeout.
      for (const ms of timings) {
        expect(ms).toBeGreaterThanOrEqual(BUSY_TIMEOUT_MS - 50);
        expect(ms).toBeLessThan(BUSY_TIMEOUT_MS + 2000);
      }
      // Reads are not blocked by a writer (WAL).
      const history = await request(service.url, 'GET', `/storage/history?session_id=${sessionId}`);
      expect(history.status).toBe(200);
      expect(history.body.map((m: { content: string }) => m.content)).toEqual(['before']);
      expect((await request(service.url, 'GET', '/health')).status).toBe(200);
      console.info(`locked: ${writes.length + 1} writes refused in ${timings.join('/')} ms (busy timeout ${BUSY_TIMEOUT_MS} ms)`);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    // The lock is gone: writes work again, and none of the refused ones was kept.
    const after = await request(service.url, 'POST', '/storage/history', { session_id: sessionId, role: 'user', content: 'after' });
    expect(after.status).toBe(200);
    expect(after.body.seq).toBe(2);
    const sessions = await request(service.url, 'GET', '/storage/sessions?agent_name=while%20locked');
    expect(sessions.body).toEqual([]);
    expect(service.logs().filter((l) => Number(l.level) >= 50)).toEqual([]);
  }, 60_000);
});
