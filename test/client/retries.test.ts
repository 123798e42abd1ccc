import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentStorageClient, AgentStorageError, CreateSessionDocument, GetSessionDocument } from '../../src/client/index.js';
import { backoffMs, DEFAULT_RETRY, parseRetryAfter, retryPolicy } from '../../src/client/retry.js';

/*
 * Which calls are retried, against a real local HTTP server that answers from a script: 503 / 429
 * with Retry-After, GraphQL UNAVAILABLE, dropped connections, then success. Assertions are on the
 * attempts the server saw (how many, in which order, with which body), never on timings: every
 * Retry-After here is 0 or a date in the past, and backoff steps are 1 ms.
 */

type Reply = (res: ServerResponse) => void;

interface Scripted {
  url: string;
  /** The body of each request received, in order. */
  requests: { query: string; variables: Record<string, unknown> }[];
}

const open: Server[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A server answering its n-th request with `replies[n]` (the last one again once they run out). */
async function scripted(...replies: Reply[]): Promise<Scripted> {
  const requests: Scripted['requests'] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push(JSON.parse(body));
      replies[Math.min(requests.length, replies.length) - 1]!(res);
    });
  });
  open.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req-${status}`, ...headers });
    res.end(JSON.stringify(body));
  };
const unavailable = (retryAfter = '0') => json(503, { errors: [{ message: 'busy', extensions: { code: 'UNAVAILABLE' } }] }, { 'retry-after': retryAfter });
const rateLimited = (retryAfter: string) => json(429, { errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED' } }] }, { 'retry-after': retryAfter });
/** The connection is cut before any answer. */
const dropped: Reply = (res) => res.socket?.destroy();

const SESSION = { id: 'session_1', agentName: 'a', userId: null, status: 'ACTIVE', metadata: {}, createdAt: 'x', updatedAt: 'x', expiresAt: null, parentId: null, forkedFromMessageId: null };
const MESSAGE = { id: 'msg_1', sessionId: 'session_1', seq: 1, role: 'USER', content: 'hi', metadata: {}, timestamp: 'x', idempotencyKey: 'k-1' };

const fast = { baseDelayMs: 1, maxDelayMs: 1 };

async function failure(call: Promise<unknown>): Promise<AgentStorageError> {
  const error = await call.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(AgentStorageError);
  return error as AgentStorageError;
}

describe('retries', () => {
  it('retries a query after 503 and 429, honouring Retry-After in seconds and as an HTTP date', async () => {
    const past = new Date(Date.now() - 60_000).toUTCString();
    const server = await scripted(unavailable('0'), rateLimited(past), json(200, { data: { session: SESSION } }));
    const client = new AgentStorageClient({ url: server.url, retry: fast });
    expect(await client.sessions.get('session_1')).toEqual(SESSION);
    expect(server.requests.map((r) => r.variables)).toEqual([{ id: 'session_1' }, { id: 'session_1' }, { id: 'session_1' }]);
  });

  it('retries a query after a GraphQL UNAVAILABLE (status 200, extensions.retryAfter) and after a dropped connection', async () => {
    const server = await scripted(
      json(200, { data: null, errors: [{ message: 'The database is busy; retry shortly', extensions: { code: 'UNAVAILABLE', retryAfter: 0 } }] }),
      dropped,
      json(200, { data: { session: SESSION } }),
    );
    const client = new AgentStorageClient({ url: server.url, retry: fast });
    expect(await client.request(GetSessionDocument, { id: 'session_1' })).toEqual({ session: SESSION });
    expect(server.requests).toHaveLength(3);
  });

  it('never retries a plain mutation: the first failure is thrown', async () => {
    for (const reply of [unavailable('0'), rateLimited('0'), dropped]) {
      const server = await scripted(reply, json(200, { data: { createSession: SESSION } }));
      const client = new AgentStorageClient({ url: server.url, retry: fast });
      const error = await failure(client.sessions.create({ agentName: 'a' }));
      expect(['UNAVAILABLE', 'RATE_LIMITED', 'NETWORK_ERROR']).toContain(error.code);
      expect(server.requests).toHaveLength(1);
    }
    // Nor an append without an idempotency key or id: a repeat would store the message twice.
    const server = await scripted(unavailable('0'), json(200, { data: { addMessage: MESSAGE } }));
    const client = new AgentStorageClient({ url: server.url, retry: fast });
    expect((await failure(client.history.append('session_1', { role: 'USER', content: 'hi' }))).code).toBe('UNAVAILABLE');
    expect(server.requests).toHaveLength(1);
  });

  it('retries an append that carries an idempotency key, with the same key each time', async () => {
    const server = await scripted(dropped, unavailable('0'), json(200, { data: { addMessage: MESSAGE } }));
    const client = new AgentStorageClient({ url: server.url, retry: fast });
    expect(await client.history.append('session_1', { role: 'USER', content: 'hi', idempotencyKey: 'k-1' })).toEqual(MESSAGE);
    expect(server.requests.map((r) => r.variables)).toEqual(
      Array(3).fill({ input: { sessionId: 'session_1', role: 'USER', content: 'hi', idempotencyKey: 'k-1' } }),
    );

    // appendMany only when every message has one.
    const batch = await scripted(unavailable('0'), unavailable('0'), json(200, { data: { addMessages: [MESSAGE] } }));
    const batchClient = new AgentStorageClient({ url: batch.url, retry: fast });
    await failure(batchClient.history.appendMany('session_1', [{ role: 'USER', content: 'a', idempotencyKey: 'k-a' }, { role: 'USER', content: 'b' }]));
    expect(batch.requests).toHaveLength(1);
    await batchClient.history.appendMany('session_1', [{ role: 'USER', content: 'a', idempotencyKey: 'k-a' }, { role: 'USER', content: 'b', id: 'msg_b' }]);
    expect(batch.requests).toHaveLength(3);
  });

  it('request retries a mutation only when the caller says it is idempotent', async () => {
    const server = await scripted(unavailable('0'), unavailable('0'), json(200, { data: { createSession: SESSION } }));
    const client = new AgentStorageClient({ url: server.url, retry: fast });
    await failure(client.request(CreateSessionDocument, { input: { agentName: 'a' } }));
    expect(server.requests).toHaveLength(1);
    expect(await client.request(CreateSessionDocument, { input: { agentName: 'a' } }, { idempotent: true })).toEqual({ createSession: SESSION });
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after maxAttempts, and at once when Retry-After is beyond the deadline; the last failure is thrown', async () => {
    const busy = await scripted(unavailable('0'));
    const client = new AgentStorageClient({ url: busy.url, retry: { ...fast, maxAttempts: 3 } });
    const error = await failure(client.sessions.get('session_1'));
    expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 503, requestId: 'req-503', retryAfterMs: 0 });
    expect(busy.requests).toHaveLength(3);

    const later = await scripted(unavailable('120'), json(200, { data: { session: SESSION } }));
    const patient = new AgentStorageClient({ url: later.url, retry: { ...fast, deadlineMs: 30_000 } });
    expect(await failure(patient.sessions.get('session_1'))).toMatchObject({ code: 'UNAVAILABLE', retryAfterMs: 120_000 });
    expect(later.requests).toHaveLength(1);

    // Per call: `retry: false` overrides the client's policy.
    const once = await scripted(unavailable('0'), json(200, { data: { session: SESSION } }));
    await failure(new AgentStorageClient({ url: once.url, retry: fast }).sessions.get('session_1', { retry: false }));
    expect(once.requests).toHaveLength(1);
  });

  it('does not retry what a retry cannot fix', async () => {
    const server = await scripted(json(200, { data: null, errors: [{ message: 'Session not found', extensions: { code: 'NOT_FOUND' } }] }));
    const client = new AgentStorageClient({ url: server.url, retry: fast });
    expect((await failure(client.request(GetSessionDocument, { id: 'x' }))).code).toBe('NOT_FOUND');
    // A REST-shaped refusal from the edge, by its status.
    const edge = await scripted(json(431, { detail: 'Request headers (or URL) too large' }));
    const refused = await failure(new AgentStorageClient({ url: edge.url, retry: fast }).sessions.get('x'));
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', status: 431, message: 'Request headers (or URL) too large' });
    const html = await scripted((res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login</html>');
    });
    expect((await failure(new AgentStorageClient({ url: html.url, retry: fast }).sessions.get('x'))).code).toBe('BAD_RESPONSE');
    expect(server.requests.length + edge.requests.length + html.requests.length).toBe(3);
  });

  it('an abort ends the wait before a retry: the call rejects with the abort reason, nothing more is sent', async () => {
    const server = await scripted(unavailable('60'), json(200, { data: { session: SESSION } }));
    const controller = new AbortController();
    const client = new AgentStorageClient({
      url: server.url,
      retry: { deadlineMs: 120_000 },
      // Aborts as soon as the first answer is read: the client is then waiting out the Retry-After.
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const text = await response.text();
        controller.abort(new Error('caller gave up'));
        return new Response(text, { status: response.status, headers: response.headers });
      },
    });
    await expect(client.sessions.get('session_1', { signal: controller.signal })).rejects.toThrow('caller gave up');
    expect(server.requests).toHaveLength(1);
  });
});

describe('retry rules', () => {
  it('Retry-After: delay-seconds or an HTTP date, anything else unreadable', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    fc.assert(
      fc.property(fc.nat({ max: 10 ** 7 }), (seconds) => {
        expect(parseRetryAfter(String(seconds), now)).toBe(seconds * 1000);
        expect(parseRetryAfter(new Date(now + seconds * 1000).toUTCString(), now)).toBe(seconds * 1000);
        expect(parseRetryAfter(new Date(now - seconds * 1000 - 1000).toUTCString(), now)).toBe(0);
      }),
    );
    for (const value of [null, undefined, '', '-1', '1.5', 'soon', '2']) {
      if (value === '2') expect(parseRetryAfter(value, now)).toBe(2000);
      else expect(parseRetryAfter(value, now)).toBeUndefined();
    }
  });

  it('backoff grows exponentially up to maxDelayMs, never below half its step', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (retry, random) => {
        const step = Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** (retry - 1));
        const delay = backoffMs(DEFAULT_RETRY, retry, () => random);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(step / 2));
        expect(delay).toBeLessThanOrEqual(step);
      }),
    );
  });

  it('a policy out of range is refused when the client is made', () => {
    expect(() => retryPolicy({ maxAttempts: 0 })).toThrow(RangeError);
    expect(() => retryPolicy({ deadlineMs: -1 })).toThrow(RangeError);
    expect(() => new AgentStorageClient({ url: 'http://localhost', retry: { baseDelayMs: Number.NaN } })).toThrow(RangeError);
    expect(() => new AgentStorageClient({ url: 'localhost:8084' })).toThrow(TypeError); // a URL, of scheme "localhost:"
    expect(() => new AgentStorageClient({ url: '/relative' })).toThrow(TypeError);
    expect(retryPolicy(false).maxAttempts).toBe(1);
  });
});
