import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { request, sleep, tempDir } from './support.js';
import { startService } from '../support/process.js';

/**
 * Graceful shutdown of the real process: on SIGTERM/SIGINT it stops accepting connections,
 * finishes the requests in flight (at most SHUTDOWN_TIMEOUT_MS), closes the database and exits 0.
 */

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
});

function database(): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  return join(dir, 'storage.db');
}

/** A raw HTTP/1.1 request whose body the test sends when it wants to; the response as text. */
function slowRequest(url: string, method: string, path: string, body: string) {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  socket.on('error', () => {});
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const bytes = Buffer.from(body);
  return {
    /** Sends the headers and the first `part` bytes of the body. */
    async start(part: number) {
      await connected;
      socket.write(`${method} ${path} HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: application/json\r\ncontent-length: ${bytes.length}\r\n\r\n`);
      socket.write(bytes.subarray(0, part));
    },
    finish(part: number) {
      socket.write(bytes.subarray(part));
    },
    closed,
  };
}

const connectionRefused = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });

describe('graceful shutdown (SIGTERM, SIGINT)', () => {
  it('finishes in-flight requests, keeps every acknowledged write, closes the database and exits 0', async () => {
    const filename = database();
    const service = await startService({ DATABASE_URL: `sqlite:${filename}` });
    const sessionId = (await request(service.url, 'POST', '/storage/sessions', { agent_name: 'shutdown' })).body.id as string;
    // A long history, so that reading all of it takes a while.
    for (let b = 0; b < 4; b++) {
      const messages = Array.from({ length: 1000 }, (_, i) => ({ role: 'USER', content: `history ${b}-${i} ${'x'.repeat(200)}` }));
      const added = await request(service.url, 'POST', '/graphql', {
        query: 'mutation($s: ID!, $m: [NewMessageInput!]!) { addMessages(sessionId: $s, messages: $m) { id } }',
        variables: { s: sessionId, m: messages },
      });
      expect(added.body.data.addMessages).toHaveLength(1000);
    }

    // Writers that keep writing until the server is gone.
    const acknowledged: string[] = [];
    const failures: number[] = [];
    let stop = false;
    const writers = Array.from({ length: 6 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const reply = await request(service.url, 'POST', '/storage/history', { session_id: sessionId, role: 'assistant', content: `w${w}-${i}` });
        if (reply.status === 200) acknowledged.push(reply.body.id as string);
        else {
          failures.push(reply.status);
          if (reply.status === 0) return; // connection refused or closed: the server is gone
        }
      }
    });
    // A request in flight across the signal: its body is only half sent when SIGTERM arrives.
    const slow = slowRequest(service.url, 'POST', '/storage/history', JSON.stringify({ session_id: sessionId, role: 'user', content: 'in flight across SIGTERM' }));
    await slow.start(20);
    for (let waited = 0; acknowledged.length < 100 && waited < 20_000; waited += 50) await sleep(50);
    // Readers of the whole history (~1 MB each), started just before the signal.
    const reads = Array.from({ length: 3 }, () => request(service.url, 'GET', `/storage/history?session_id=${sessionId}`));
    await sleep(20);

    const signalled = Date.now();
    service.child.kill('SIGTERM');
    // Once the signal is handled (it says so in the log; a busy event loop may take a moment)...
    for (let waited = 0; !service.output().includes('shutting down') && waited < 10_000; waited += 20) await sleep(20);
    expect(service.output()).toContain('shutting down: finishing in-flight requests');
    // ...it accepts no more connections: a new one is refused while the slow request is still open.
    expect(await connectionRefused(service.url)).toBe(true);
    expect(service.child.exitCode).toBeNull();
    slow.finish(20);
    const answer = await slow.closed;
    const { code, signal } = await service.exited;
    const shutdownMs = Date.now() - signalled;
    stop = true;
    await Promise.all(writers);

    // The slow request was answered in full (and its connection closed after it: `closed` resolved).
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    const slowId = /"id":"(msg_[^"]+)"/.exec(answer)?.[1];
    expect(slowId).toBeDefined();
    for (const read of await Promise.all(reads)) {
      // Either answered completely before the end, or never started (refused): never cut short.
      if (read.status !== 0) expect(read.body.length, read.text.slice(-200)).toBeGreaterThanOrEqual(4000);
    }
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(shutdownMs).toBeLessThan(5000);
    expect(failures.filter((s) => s !== 0)).toEqual([]); // no 5xx, no 503 while draining
    const logs = service.logs();
    expect(logs.some((l) => l.msg === 'shutting down: finishing in-flight requests' && l.signal === 'SIGTERM')).toBe(true);
    expect(logs.at(-1)).toMatchObject({ msg: 'stopped', forced: 0 });

    // Every acknowledged write is there, the file is sound and was closed cleanly (no WAL left).
    const db = new Database(filename, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const ids = new Set((db.prepare('SELECT id FROM history WHERE session_id = ?').all(sessionId) as { id: string }[]).map((r) => r.id));
      const missing = [...acknowledged, slowId!].filter((id) => !ids.has(id));
      expect(missing).toEqual([]);
      expect(acknowledged.length).toBeGreaterThanOrEqual(100);
      // Nothing was written that was not acknowledged: every row is the history, an ack, or the slow one.
      expect(ids.size).toBe(4000 + acknowledged.length + 1);
    } finally {
      db.close();
    }
  }, 90_000);

  it('does not wait longer than SHUTDOWN_TIMEOUT_MS for a client that never finishes, nor for idle connections', async () => {
    const filename = database();
    const service = await startService({ DATABASE_URL: `sqlite:${filename}`, SHUTDOWN_TIMEOUT_MS: '1500' });
    // An idle kept-alive connection...
    expect((await request(service.url, 'GET', '/health')).status).toBe(200);
    // ...and a request whose body never comes.
    const stuck = slowRequest(service.url, 'POST', '/storage/sessions', JSON.stringify({ agent_name: 'never finished' }));
    await stuck.start(5);
    await sleep(200);

    const signalled = Date.now();
    service.child.kill('SIGINT');
    const { code } = await service.exited;
    const elapsed = Date.now() - signalled;
    expect(code).toBe(0);
    expect(elapsed).toBeGreaterThanOrEqual(1400);
    expect(elapsed).toBeLessThan(4000);
    expect(await stuck.closed).toBe(''); // cut off without an answer
    const logs = service.logs();
    expect(logs.some((l) => l.msg === 'shutdown deadline reached: cutting the requests still running')).toBe(true);
    expect(logs.at(-1)).toMatchObject({ msg: 'stopped', forced: 1 });
  }, 60_000);

  it('with nothing in flight, an idle kept-alive connection does not delay the exit', async () => {
    const service = await startService({ DATABASE_URL: `sqlite:${database()}` });
    expect((await request(service.url, 'GET', '/health')).status).toBe(200); // leaves a kept-alive socket
    const signalled = Date.now();
    const { code } = await service.stop('SIGTERM');
    expect(code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(1500);
  }, 60_000);
});
