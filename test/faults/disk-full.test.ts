import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERNALS, mountTmpfs, request } from './support.js';
import { type Service, startService } from '../support/process.js';
import { ManualClock } from '../support/fixtures.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import { SqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import { Storage } from '../../src/storage/storage.js';

/**
 * A full disk, for real: the database lives on a tmpfs of its own, and the test fills that up.
 * Writes then fail with 507 (REST) / INSUFFICIENT_STORAGE (GraphQL), nothing of them is kept, the
 * process stays up, reads keep working, and once space is freed writes succeed again.
 */

let disk: ReturnType<typeof mountTmpfs>;
let service: Service;
let filename: string;
let sessionId: string;
const filler = () => join(disk.dir, 'filler');
const earlier: string[] = [];

/** Fills the file system to the last byte. */
function fill(): number {
  const fd = openSync(filler(), 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  let written = 0;
  try {
    for (;;) {
      try {
        written += writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        // The last, partial chunk.
        for (let size = chunk.length / 2; size >= 512; size /= 2) {
          try {
            written += writeSync(fd, chunk, 0, size);
          } catch {
            // smaller
          }
        }
        return written;
      }
    }
  } finally {
    closeSync(fd);
  }
}

const ADD_MESSAGES = 'mutation($s: ID!, $m: [NewMessageInput!]!) { addMessages(sessionId: $s, messages: $m) { id } }';
const big = (label: string, kib = 400) => `${label} ${'x'.repeat(kib * 1024)}`;

beforeAll(async () => {
  disk = mountTmpfs('16m');
  filename = join(disk.dir, 'storage.db');
  service = await startService({ DATABASE_URL: `sqlite:${filename}` });
  sessionId = (await request(service.url, 'POST', '/storage/sessions', { agent_name: 'disk-full' })).body.id;
  for (let i = 0; i < 20; i++) {
    const reply = await request(service.url, 'POST', '/storage/history', { session_id: sessionId, role: 'user', content: `earlier ${i}` });
    expect(reply.status).toBe(200);
    earlier.push(reply.body.id);
  }
}, 60_000);

afterAll(async () => {
  await service?.stop();
  disk?.unmount();
});

describe('disk full (SQLite on a tmpfs that fills up)', () => {
  it('refuses writes with 507 and a clear message, keeps nothing of them, serves reads, and recovers when space returns', async () => {
    const filled = fill();
    expect(filled).toBeGreaterThan(0);

    // REST writes: 507 with Retry-After, a clear message, no internals.
    const rest = [
      await request(service.url, 'POST', '/storage/history', { session_id: sessionId, role: 'user', content: big('rest-full') }),
      await request(service.url, 'PUT', `/storage/state/${sessionId}`, { data: { blob: big('state-full') } }),
      await request(service.url, 'PUT', '/storage/cache/full', { value: big('cache-full') }),
    ];
    for (const reply of rest) {
      expect(reply.status, reply.text).toBe(507);
      expect(reply.headers.get('retry-after')).toBe('30');
      expect(reply.body).toEqual({ detail: 'The database disk is full; the write was not stored' });
      expect(reply.text).not.toMatch(INTERNALS);
    }
    // GraphQL: INSUFFICIENT_STORAGE, and a batch is refused whole.
    const batch = Array.from({ length: 3 }, (_, i) => ({ role: 'USER', content: big(`batch-full-${i}`, 300) })); // within MAX_BODY_BYTES
    const graphql = await request(service.url, 'POST', '/graphql', { query: ADD_MESSAGES, variables: { s: sessionId, m: batch } });
    expect(graphql.body.errors[0]).toMatchObject({
      message: 'The database disk is full; the write was not stored',
      extensions: { code: 'INSUFFICIENT_STORAGE', retryAfter: 30 },
    });
    expect(graphql.text).not.toMatch(INTERNALS);

    // The process is up, and reads work: health, REST, GraphQL — earlier data intact.
    expect(service.child.exitCode).toBeNull();
    expect((await request(service.url, 'GET', '/health')).status).toBe(200);
    const history = await request(service.url, 'GET', `/storage/history?session_id=${sessionId}`);
    expect(history.status).toBe(200);
    expect(history.body.map((m: { id: string }) => m.id)).toEqual(earlier);
    const viaGraphql = await request(service.url, 'POST', '/graphql', {
      query: 'query($id: ID!) { session(id: $id) { history { totalCount } } }',
      variables: { id: sessionId },
    });
    expect(viaGraphql.body.data.session.history.totalCount).toBe(earlier.length);

    // Space returns: the same writes succeed.
    rmSync(filler());
    const again = await request(service.url, 'POST', '/storage/history', { session_id: sessionId, role: 'user', content: big('after') });
    expect(again.status, again.text).toBe(200);
    const batchAfter = batch.map((m, i) => ({ ...m, content: big(`batch-after-${i}`, 300) }));
    const batchAgain = await request(service.url, 'POST', '/graphql', { query: ADD_MESSAGES, variables: { s: sessionId, m: batchAfter } });
    expect(batchAgain.body.data.addMessages).toHaveLength(3);
    expect((await request(service.url, 'PUT', '/storage/cache/full', { value: 'fits now' })).status).toBe(200);

    // Nothing of the refused writes was kept; seq has no gap where they failed.
    const after = await request(service.url, 'GET', `/storage/history?session_id=${sessionId}`);
    const contents = after.body.map((m: { content: string }) => m.content.slice(0, 20));
    expect(contents.filter((c: string) => c.includes('full'))).toEqual([]);
    expect(after.body.map((m: { seq: number }) => m.seq)).toEqual(Array.from({ length: earlier.length + 4 }, (_, i) => i + 1));
    expect((await request(service.url, 'GET', `/storage/state/${sessionId}`)).status).toBe(404);

    // Expected failures, not bugs: nothing was logged as an error.
    expect(service.logs().filter((l) => Number(l.level) >= 50)).toEqual([]);
    // A clean stop, and a sound file.
    expect((await service.stop()).code).toBe(0);
    const db = new Database(filename, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    console.info(`disk full: filled ${(filled / 1024 / 1024).toFixed(1)} MiB; 3 REST writes → 507, 1 GraphQL batch → INSUFFICIENT_STORAGE; reads served; writes back after freeing space`);
  }, 60_000);
});

describe('disk full inside a group commit (SQLite, in process)', () => {
  it('a write that makes SQLite roll back the whole transaction takes the others of its batch with it: none acknowledged, none kept', async () => {
    const small = mountTmpfs('16m');
    const backend = new SqliteBackend({ filename: join(small.dir, 'storage.db') });
    try {
      const clock = new ManualClock();
      const storage = new Storage(backend, clock, createIdGenerator(clock));
      const session = await storage.sessions.create({ agentName: 'batch', userId: null, status: 'active', metadata: {} });
      const fd = openSync(join(small.dir, 'filler'), 'w');
      try {
        for (const size of [64 * 1024, 4096, 512]) {
          try {
            for (;;) writeSync(fd, Buffer.alloc(size, 1));
          } catch {
            // full at this size: go on with smaller writes
          }
        }
      } finally {
        closeSync(fd);
      }
      // Issued together, so one group commit: the small write fits in the page cache, the large one
      // (larger than the 2 MiB cache) fails while spilling pages, and SQLite rolls the whole transaction back.
      const [fits, tooLarge] = await Promise.allSettled([
        storage.history.add({ sessionId: session.id, role: 'user', content: 'small', metadata: {} }),
        storage.history.addMany(session.id, [0, 1, 2, 3].map((i) => ({ role: 'user', content: big(`large-${i}`, 800), metadata: {} }))),
      ]);
      expect(fits).toMatchObject({ status: 'rejected', reason: { code: 'INSUFFICIENT_STORAGE' } });
      expect(tooLarge).toMatchObject({ status: 'rejected', reason: { code: 'INSUFFICIENT_STORAGE' } });
      rmSync(join(small.dir, 'filler'));
      expect(await storage.history.list(session.id, { limit: 10 })).toEqual([]);
      const after = await storage.history.add({ sessionId: session.id, role: 'user', content: 'after', metadata: {} });
      expect(after.seq).toBe(1);
    } finally {
      await backend.close();
      small.unmount();
    }
  }, 60_000);
});
