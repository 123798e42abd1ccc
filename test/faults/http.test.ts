import { connect } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import { type RunningServer, startServer } from '../../src/server.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { SqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import { Storage } from '../../src/storage/storage.js';
import { ManualClock } from '../support/fixtures.js';
import { INTERNALS, request, sleep } from './support.js';

/**
 * The HTTP edge: slow clients are cut off, every response carries a request id that every log
 * line of the request carries too, the access log records no bodies or query strings, failures
 * leak nothing, and other web sites can neither read nor write (CORS closed, CSRF refused).
 */

interface Logged {
  server: RunningServer;
  url: string;
  lines: Record<string, any>[];
  close(): Promise<void>;
}

/** A real server on a free port whose log lines the test can read. */
async function loggedServer(env: Record<string, string> = {}, backend?: StorageBackend): Promise<Logged> {
  const lines: Record<string, any>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: 'sqlite::memory:', ...env });
  const store = backend ?? new SqliteBackend({ filename: ':memory:' });
  const clock = new ManualClock();
  const server = await startServer({ storage: new Storage(store, clock, createIdGenerator(clock)), config, logger });
  return {
    server,
    url: server.url,
    lines,
    close: async () => {
      await server.close(1000);
      await store.close();
    },
  };
}

/** A raw client that sends `head`, then `drip` every `everyMs` — never finishing its request. */
function slowClient(url: string, head: string, drip: string, everyMs: number) {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  const socket = connect(Number(port), hostname, () => socket.write(head));
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.on('error', () => {});
  const timer = setInterval(() => socket.writable && socket.write(drip), everyMs);
  return new Promise<{ afterMs: number; received: string }>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ afterMs: Date.now() - started, received });
    }),
  );
}

describe('slow clients (slowloris)', () => {
  let s: Logged;
  beforeAll(async () => {
    s = await loggedServer({ HTTP_HEADERS_TIMEOUT_MS: '600', HTTP_REQUEST_TIMEOUT_MS: '1200' });
  });
  afterAll(() => s.close());

  it('cuts off clients that send their headers too slowly (HTTP_HEADERS_TIMEOUT_MS), while serving others', async () => {
    const loris = Array.from({ length: 20 }, () => slowClient(s.url, 'GET /health HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n', 100));
    await sleep(200);
    expect((await request(s.url, 'GET', '/health')).status).toBe(200); // others are served meanwhile
    for (const { afterMs, received } of await Promise.all(loris)) {
      expect(afterMs).toBeGreaterThanOrEqual(550);
      expect(afterMs).toBeLessThan(2500);
      expect(received).toMatch(/^HTTP\/1\.1 408/);
    }
  });

  it('cuts off clients that send their body too slowly (HTTP_REQUEST_TIMEOUT_MS)', async () => {
    const head = 'POST /storage/sessions HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{';
    const { afterMs, received } = await slowClient(s.url, head, ' ', 100);
    expect(afterMs).toBeGreaterThanOrEqual(1100);
    expect(afterMs).toBeLessThan(3500);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });
});

/** Sends raw bytes; the raw answer. */
function raw(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('error', () => {});
    socket.on('close', () => resolve(received));
  });
}

describe('what the HTTP parser refuses', () => {
  let s: Logged;
  beforeAll(async () => {
    s = await loggedServer();
  });
  afterAll(() => s.close());

  it('is answered in JSON with a request id, and logged', async () => {
    const cases: [string, number][] = [
      ['NOT HTTP AT ALL\r\n\r\n', 400],
      [`GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
      [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`, 431],
      ['POST /storage/sessions HTTP/1.1\r\nHost: x\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\nhello', 400],
      ['POST /storage/sessions HTTP/1.1\r\nHost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n', 400],
    ];
    for (const [bytes, status] of cases) {
      const answer = await raw(s.url, bytes);
      expect(answer, bytes.slice(0, 40)).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      const id = /x-request-id: ([0-9a-f-]{36})/.exec(answer)?.[1];
      expect(id).toBeDefined();
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toHaveProperty('detail');
      await sleep(10);
      expect(s.lines.find((l) => l.reqId === id)).toMatchObject({ status, msg: 'request refused by the HTTP parser' });
    }
    expect((await request(s.url, 'GET', '/health')).status).toBe(200);
  });
});

describe('request ids and the access log', () => {
  let s: Logged;
  beforeAll(async () => {
    s = await loggedServer();
  });
  afterAll(() => s.close());

  const accessLine = (id: string) => s.lines.find((l) => l.reqId === id && l.msg === 'request');

  it('echoes a sane x-request-id and logs the request under it (method, path, status, duration)', async () => {
    const reply = await request(s.url, 'GET', '/storage/sessions?agent_name=x', undefined, { 'x-request-id': 'client-abc_123.4' });
    expect(reply.headers.get('x-request-id')).toBe('client-abc_123.4');
    await sleep(20);
    const line = accessLine('client-abc_123.4');
    expect(line).toMatchObject({ level: 30, method: 'GET', path: '/storage/sessions', status: 200, msg: 'request' });
    expect(typeof line?.durationMs).toBe('number');
  });

  it('makes up an id when there is none or it is not sane, on every kind of response', async () => {
    const cases: [string, string, unknown, Record<string, string>][] = [
      ['GET', '/health', undefined, {}],
      ['GET', '/nowhere', undefined, { 'x-request-id': 'has spaces in it' }],
      ['PATCH', '/storage/sessions', undefined, { 'x-request-id': 'x'.repeat(200) }],
      ['POST', '/graphql', { query: '{ nope }' }, { 'x-request-id': '"quoted"' }],
      ['GET', '/graphql?query=%7B__typename%7D', undefined, {}], // CSRF refusal
      ['POST', '/storage/sessions', 'not json', {}],
    ];
    const ids = new Set<string>();
    for (const [method, path, body, headers] of cases) {
      const reply = await request(s.url, method, path, body, headers);
      const id = reply.headers.get('x-request-id');
      expect(id, `${method} ${path}`).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      ids.add(id!);
      await sleep(10);
      expect(accessLine(id!)?.status).toBe(reply.status);
    }
    expect(ids.size).toBe(cases.length);
  });

  it('never logs bodies, query strings or headers', async () => {
    await request(s.url, 'POST', '/storage/sessions?token=SECRET-IN-QUERY', { agent_name: 'SECRET-IN-BODY' }, { authorization: 'Bearer SECRET-IN-HEADER' });
    await request(s.url, 'POST', '/graphql', { query: 'mutation($i: CreateSessionInput!) { createSession(input: $i) { id } }', variables: { i: { agentName: 'SECRET-IN-VARIABLES' } } });
    await sleep(20);
    const all = JSON.stringify(s.lines);
    expect(all).not.toMatch(/SECRET/);
    expect(s.lines.filter((l) => l.msg === 'request').length).toBeGreaterThanOrEqual(2);
  });
});

/** A backend whose every call (and every call of its module stores) fails with an error full of internals. */
const brokenBackend = () => {
  const fail = async () => {
    const error = new Error('SQLITE_CORRUPT: SELECT * FROM secret_table WHERE token = 42 at /var/lib/agent/storage.db');
    (error as { code?: string }).code = 'SQLITE_CORRUPT';
    throw error;
  };
  const brokenStore = new Proxy({}, { get: () => fail });
  return new Proxy({} as StorageBackend, {
    get: (_target, name) => (name === 'close' ? async () => {} : name === 'stores' ? new Proxy({}, { get: () => brokenStore }) : fail),
  });
};

describe('unexpected failures leak nothing, and are logged under the request id', () => {
  let s: Logged;
  beforeAll(async () => {
    s = await loggedServer({}, brokenBackend());
  });
  afterAll(() => s.close());

  it('REST: 500 "Internal Server Error" and nothing else; the log has the details and the request id', async () => {
    const reply = await request(s.url, 'GET', '/storage/sessions/session_x', undefined, { 'x-request-id': 'rest-500' });
    expect(reply.status).toBe(500);
    expect(reply.body).toEqual({ detail: 'Internal Server Error' });
    expect(reply.text).not.toMatch(INTERNALS);
    await sleep(20);
    const error = s.lines.find((l) => l.reqId === 'rest-500' && l.level === 50);
    expect(error?.msg).toBe('unexpected error in REST handler');
    expect(error?.err).toMatchObject({ type: 'Error', message: expect.stringContaining('secret_table'), stack: expect.stringMatching(/^Error: SQLITE_CORRUPT[^\n]*\n\s+at /) });
  });

  it('GraphQL: "Unexpected error." and nothing else; the log has the details and the request id', async () => {
    const reply = await request(s.url, 'POST', '/graphql', { query: '{ session(id: "s") { id } }' }, { 'x-request-id': 'graphql-500' });
    expect(reply.body.errors).toEqual([{ message: 'Unexpected error.', locations: [{ line: 1, column: 3 }], path: ['session'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    expect(reply.text).not.toMatch(INTERNALS);
    await sleep(20);
    // The error the resolver met — its type, message and stack — and where in the operation.
    const error = s.lines.find((l) => l.reqId === 'graphql-500' && l.level === 50);
    expect(error).toMatchObject({ msg: 'unexpected error in a GraphQL request', graphqlPath: 'session' });
    expect(error?.err).toMatchObject({ type: 'Error', message: expect.stringContaining('secret_table'), stack: expect.stringMatching(/^Error: SQLITE_CORRUPT[^\n]*\n\s+at /) });
  });

  it('GraphQL: a resolver\'s own error type is logged too (a TypeError from a storage method)', async () => {
    const clock = new ManualClock();
    const storage = new Storage(new SqliteBackend({ filename: ':memory:' }), clock, createIdGenerator(clock));
    storage.sessions.create = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'agentName')");
    };
    const lines: Record<string, any>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: 'sqlite::memory:' });
    const server = await startServer({ storage, config, logger });
    try {
      const query = 'mutation { createSession(input: { agentName: "a" }) { id } }';
      const reply = await request(server.url, 'POST', '/graphql', { query }, { 'x-request-id': 'typeerror-500' });
      expect(reply.body.errors[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      const rest = await request(server.url, 'POST', '/storage/sessions', { agent_name: 'a' }, { 'x-request-id': 'typeerror-rest-500' });
      expect(rest.status).toBe(500);
      await sleep(20);
      for (const [id, msg] of [['typeerror-500', 'unexpected error in a GraphQL request'], ['typeerror-rest-500', 'unexpected error in REST handler']]) {
        const error = lines.find((l) => l.reqId === id && l.level === 50);
        expect(error?.msg, id).toBe(msg);
        expect(error?.err, id).toMatchObject({ type: 'TypeError', message: "Cannot read properties of undefined (reading 'agentName')" });
        expect(error?.err.stack, id).toMatch(/^TypeError: [^\n]+\n\s+at .*storage\.sessions\.create/);
      }
    } finally {
      await server.close(1000);
    }
  });

  it('even with NODE_ENV=development (where Yoga would otherwise add the message and stack trace)', async () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    let dev: Logged | undefined;
    try {
      dev = await loggedServer({ NODE_ENV: 'development' }, brokenBackend());
      const reply = await request(dev.url, 'POST', '/graphql', { query: '{ sessions { totalCount } }' });
      expect(reply.text).not.toMatch(INTERNALS);
      expect(reply.body.errors[0].message).toBe('Unexpected error.');
      expect(reply.body.errors[0].extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    } finally {
      process.env.NODE_ENV = saved;
      await dev?.close();
    }
  });
});

describe('a client that goes away mid-body', () => {
  let s: Logged;
  beforeAll(async () => {
    s = await loggedServer();
  });
  afterAll(() => s.close());

  /** Sends the head and half of a body, waits for the server to be reading it, and leaves. */
  function leaveMidBody(path: string, id: string, how: 'close' | 'reset', chunked: boolean): Promise<void> {
    const { hostname, port } = new URL(s.url);
    return new Promise((resolve) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(
          `POST ${path} HTTP/1.1\r\nHost: x\r\nx-request-id: ${id}\r\ncontent-type: application/json\r\n` +
            (chunked ? 'transfer-encoding: chunked\r\n\r\n5\r\n{"que\r\n' : 'content-length: 100\r\n\r\n{"que'),
        );
        setTimeout(() => (how === 'reset' ? socket.resetAndDestroy() : socket.end()), 100);
        // Gone for good, whether or not the server closes its side.
        setTimeout(() => socket.destroy(), 3000);
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve());
    });
  }

  it('is not an error: nothing above info in the log, and the access log says the request was aborted', async () => {
    const from = s.lines.length;
    const ids: string[] = [];
    for (const path of ['/storage/sessions', '/graphql']) {
      for (const how of ['close', 'reset'] as const) {
        for (const chunked of [false, true]) {
          const id = `leaves-${path.slice(1).replace('/', '-')}-${how}-${chunked ? 'chunked' : 'length'}`;
          ids.push(id);
          await leaveMidBody(path, id, how, chunked);
        }
      }
    }
    await sleep(50);
    const logged = s.lines.slice(from);
    expect(logged.filter((l) => l.level > 30)).toEqual([]);
    // Not mistaken for a malformed request either.
    expect(logged.filter((l) => l.msg === 'request refused by the HTTP parser')).toEqual([]);
    for (const id of ids) expect(logged.find((l) => l.reqId === id && l.msg === 'request aborted'), id).toMatchObject({ level: 30, aborted: true });
    expect((await request(s.url, 'GET', '/health')).status).toBe(200);
  });
});

describe('other web sites', () => {
  let s: Logged;
  beforeAll(async () => {
    s = await loggedServer();
  });
  afterAll(() => s.close());

  it('get no CORS grant by default: neither preflight nor response allows their origin', async () => {
    const preflight = await request(s.url, 'OPTIONS', '/storage/sessions', undefined, {
      origin: 'https://evil.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const graphqlPreflight = await request(s.url, 'OPTIONS', '/graphql', undefined, { origin: 'https://evil.example', 'access-control-request-method': 'POST' });
    expect(graphqlPreflight.headers.get('access-control-allow-origin')).toBeNull();
    const read = await request(s.url, 'GET', '/storage/sessions', undefined, { origin: 'https://evil.example' });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('CORS_ORIGINS grants the listed origins', async () => {
    const open = await loggedServer({ CORS_ORIGINS: 'https://app.example' });
    try {
      const preflight = await request(open.url, 'OPTIONS', '/graphql', undefined, { origin: 'https://app.example', 'access-control-request-method': 'POST' });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
      const read = await request(open.url, 'GET', '/health', undefined, { origin: 'https://app.example' });
      expect(read.headers.get('access-control-allow-origin')).toBe('https://app.example');
      expect(read.headers.get('access-control-expose-headers')).toContain('x-request-id');
    } finally {
      await open.close();
    }
  });

  it('cannot write through REST with what a form or a no-cors fetch can send (text/plain, form data): 415', async () => {
    const body = JSON.stringify({ agent_name: 'csrf' });
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const reply = await fetch(`${s.url}/storage/sessions`, { method: 'POST', headers: { 'content-type': type }, body });
      expect(reply.status, type).toBe(415);
      expect(((await reply.json()) as { detail: string }).detail).toMatch(/^Request body must be JSON \(content-type: application\/json\)/);
    }
    const list = await request(s.url, 'GET', '/storage/sessions?agent_name=csrf');
    expect(list.body).toEqual([]);
    // JSON in any of its spellings, or no content-type at all (curl --data-binary, raw clients), is fine.
    const spellings: Record<string, string>[] = [{ 'content-type': 'application/json; charset=utf-8' }, { 'content-type': 'application/vnd.api+json' }, {}];
    for (const headers of spellings) {
      const reply = await fetch(`${s.url}/storage/sessions`, { method: 'POST', headers, body: new TextEncoder().encode(body) });
      expect(reply.status, JSON.stringify(headers)).toBe(200);
    }
  });
});

interface RawReply {
  /** The socket error the client met (EPIPE, ECONNRESET: its body could not all be sent), if any. */
  error?: string;
  sent: number;
  status?: number;
  headers: Record<string, string>;
  body: any;
}

/**
 * A client that sends its whole body before it reads the answer, as curl and most HTTP/1.1
 * libraries do, and fails as they do if the body cannot all be sent. The body goes out in 64 KiB
 * pieces, one every few milliseconds: the server answers long before the last one.
 */
function sendWholeBodyThenRead(url: string, head: string, bodyBytes: number, { chunked = false, everyMs = 4 } = {}): Promise<RawReply> {
  const { hostname, port } = new URL(url);
  const piece = Buffer.alloc(64 * 1024, 'a');
  return new Promise((resolve) => {
    const socket = connect({ port: Number(port), host: hostname, allowHalfOpen: true });
    socket.pause(); // nothing is read before the body is sent
    let sent = 0;
    let error: string | undefined;
    let received = Buffer.alloc(0);
    const write = (data: Buffer | string) => new Promise<void>((done) => socket.write(data, () => done()));
    socket.on('error', (e: NodeJS.ErrnoException) => (error ??= e.code ?? e.message));
    socket.on('connect', async () => {
      await write(head);
      while (sent < bodyBytes && !socket.destroyed) {
        await write(chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece);
        sent += piece.length;
        await sleep(everyMs);
      }
      if (chunked && !socket.destroyed) await write('0\r\n\r\n');
      socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
      socket.on('end', () => socket.end());
      socket.resume();
    });
    socket.on('close', () => {
      const text = received.toString();
      const split = text.indexOf('\r\n\r\n');
      const lines = text.slice(0, Math.max(split, 0)).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
      let body: unknown;
      try {
        body = JSON.parse(text.slice(split + 4));
      } catch {
        body = undefined;
      }
      resolve({ error, sent, status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(lines[0] ?? '')?.[1]) || undefined, headers, body });
    });
  });
}

describe('a refusal sent before the request body is read (lingering close)', () => {
  let s: Logged;
  beforeAll(async () => {
    s = await loggedServer();
  });
  afterAll(() => s.close());

  const MiB = 1024 * 1024;
  const head = (method: string, path: string, length: number | 'chunked', type = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json') =>
    `${method} ${path} HTTP/1.1\r\nHost: x\r\ncontent-type: ${type}\r\n` +
    (length === 'chunked' ? 'transfer-encoding: chunked\r\n' : `content-length: ${length}\r\n`) +
    '\r\n';

  it('reaches a client that keeps sending a 3 MiB body: REST 413 with its detail, declared or chunked, on every method', async () => {
    for (const [method, path] of [['POST', '/storage/sessions'], ['PUT', '/storage/sessions/session_x'], ['PATCH', '/storage/state/session_x']]) {
      for (const length of [3 * MiB, 'chunked'] as const) {
        const reply = await sendWholeBodyThenRead(s.url, head(method!, path!, length), 3 * MiB, { chunked: length === 'chunked' });
        const what = `${method} ${path} ${length}`;
        expect(reply.error, what).toBeUndefined();
        expect(reply.sent, what).toBe(3 * MiB);
        expect(reply.status, what).toBe(413);
        expect(reply.headers.connection, what).toBe('close');
        expect(reply.body, what).toEqual({ detail: `Request body is larger than ${MiB} bytes` });
      }
    }
  });

  it('reaches a client that keeps sending a 3 MiB body: GraphQL 413 PAYLOAD_TOO_LARGE, declared or chunked', async () => {
    for (const length of [3 * MiB, 'chunked'] as const) {
      const reply = await sendWholeBodyThenRead(s.url, head('POST', '/graphql', length), 3 * MiB, { chunked: length === 'chunked' });
      expect(reply.error, String(length)).toBeUndefined();
      expect(reply.status, String(length)).toBe(413);
      expect(reply.body?.errors?.[0]?.extensions?.code, String(length)).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('reaches it for any answer given before the body is read (404, 415)', async () => {
    const notFound = await sendWholeBodyThenRead(s.url, head('POST', '/nowhere', 2 * MiB), 2 * MiB);
    expect(notFound).toMatchObject({ error: undefined, status: 404, body: { detail: 'Not Found' } });
    const notJson = await sendWholeBodyThenRead(s.url, head('POST', '/storage/sessions', 2 * MiB, 'text/plain'), 2 * MiB);
    expect(notJson).toMatchObject({ error: undefined, status: 415 });
    expect(notJson.body.detail).toMatch(/^Request body must be JSON/);
  });

  it('reaches fetch streaming a body', async () => {
    for (const path of ['/storage/sessions', '/graphql']) {
      let left = 3 * MiB;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (left <= 0) return controller.close();
          left -= 64 * 1024;
          controller.enqueue(new Uint8Array(64 * 1024).fill(32));
        },
      });
      const reply = await fetch(s.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
      expect(reply.status, path).toBe(413);
      const answer = (await reply.json()) as any;
      expect(answer.detail ?? answer.errors[0].extensions.code, path).toMatch(/^Request body is larger|^PAYLOAD_TOO_LARGE$/);
    }
  });

  it('drains a bounded amount: a client that would send 64 MiB is cut off, and others are served meanwhile', async () => {
    const endless = sendWholeBodyThenRead(s.url, head('POST', '/storage/sessions', 64 * MiB), 64 * MiB, { everyMs: 0 });
    expect((await request(s.url, 'GET', '/health')).status).toBe(200);
    const reply = await endless;
    expect(reply.error).toMatch(/^(EPIPE|ECONNRESET)$/);
    expect(reply.sent).toBeLessThan(64 * MiB);
  });
});
