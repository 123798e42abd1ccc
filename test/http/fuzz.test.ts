import fc from 'fast-check';
import { describe, expect, it, test, type TestServer } from '../support/server-fixture.js';

/**
 * Bad input to every REST endpoint, generated: random and malformed bodies, query strings,
 * headers and ids (percent-encoding garbage, huge values, unicode, NUL). Whatever arrives, the
 * answer is never a 5xx, never carries a stack trace or SQL, always has a request id — and a
 * refused request changes nothing.
 */

const fixture: { sessionId: string; messageId: string; artifactId: string } = { sessionId: '', messageId: '', artifactId: '' };

/** What no response may contain: stack frames, SQL, driver or file-system internals. */
const INTERNALS = /\bat [\w.<>]+ \(|\.ts:\d+|node_modules|SQLITE_|\bSELECT\b|\bINSERT INTO\b|\bUPDATE \w+ SET\b|\bDELETE FROM\b|ECONN|relation "|syntax error at|Unexpected error/;

async function send(server: TestServer, method: string, path: string, body: string | Uint8Array | undefined, headers: Record<string, string>) {
  const payload = method === 'GET' || method === 'HEAD' ? undefined : (body as BodyInit | undefined);
  const response = await fetch(`${server.url}${path}`, { method, headers, body: payload });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text };
}

/** Everything a refused request could have touched, read from the storage directly. */
async function fingerprint(server: TestServer): Promise<string> {
  const { storage } = server;
  const [sessions, metrics, history, artifacts, state] = await Promise.all([
    storage.sessions.count({}),
    storage.metrics.count({}),
    storage.history.counts([fixture.sessionId]),
    storage.artifacts.counts([fixture.sessionId]),
    storage.state.bySessionIds([fixture.sessionId]),
  ]);
  const [sessionRows] = await Promise.all([storage.sessions.byIds([fixture.sessionId])]);
  return JSON.stringify({ sessions, metrics, history: [...history], artifacts: [...artifacts], state, sessionRows });
}

test.beforeAll(async ({ server }) => {
  const json = { 'content-type': 'application/json' };
  const session = JSON.parse((await send(server, 'POST', '/storage/sessions', JSON.stringify({ agent_name: 'fuzz' }), json)).text);
  fixture.sessionId = session.id;
  const message = JSON.parse((await send(server, 'POST', '/storage/history', JSON.stringify({ session_id: session.id, role: 'user', content: 'hi' }), json)).text);
  fixture.messageId = message.id;
  const artifact = JSON.parse(
    (await send(server, 'POST', '/storage/artifacts', JSON.stringify({ session_id: session.id, name: 'a', type: 't', path: '/p', size: 1 }), json)).text,
  );
  fixture.artifactId = artifact.id;
  await send(server, 'PUT', `/storage/state/${session.id}`, JSON.stringify({ data: { step: 1 } }), json);
});

// --- generators -------------------------------------------------------------------------------

const garbagePercent = fc.constantFrom('%', '%z', '%zz', '%G0', '%C0%AF', '%ED%A0%80', '%FF%FE', '%00', '%2F..%2F', '%25', '%%', '%E2%82', '%F0%9F%98');
const unicode = fc.string({ unit: 'grapheme', maxLength: 40 });
const binary = fc.string({ unit: 'binary', maxLength: 40 });
const huge = fc.integer({ min: 1000, max: 20_000 }).map((n) => 'x'.repeat(n));

/** An id segment: a real one, or anything a client could put there. */
const id = fc.oneof(
  fc.constantFrom(() => fixture.sessionId, () => fixture.messageId, () => fixture.artifactId).map((f) => encodeURIComponent(f())),
  unicode.map(encodeURIComponent),
  binary.map(encodeURIComponent),
  garbagePercent,
  fc.tuple(unicode, garbagePercent, unicode).map(([a, g, b]) => `${encodeURIComponent(a)}${g}${encodeURIComponent(b)}`),
  huge,
  fc.constantFrom('..', '.', 'session_', 'msg_0', 'null', 'undefined', '0', '-1', '1e309', '[]', '{}', '__proto__', 'constructor'),
);

const routes: [string[], (id: string) => string][] = [
  [['GET', 'PUT', 'DELETE'], (i) => `/storage/sessions/${i}`],
  [['GET', 'PUT', 'DELETE'], (i) => `/storage/state/${i}`],
  [['GET', 'DELETE'], (i) => `/storage/artifacts/${i}`],
  [['GET', 'PUT', 'DELETE'], (i) => `/storage/cache/${i}`],
  [['GET', 'PUT', 'DELETE'], (i) => `/storage/cache/${i}/${i}`],
  [['GET', 'POST'], () => '/storage/sessions'],
  [['GET', 'POST', 'DELETE'], () => '/storage/history'],
  [['GET', 'POST'], () => '/storage/artifacts'],
  [['GET', 'POST'], () => '/storage/metrics'],
  [['POST'], () => '/storage/cache/cleanup'],
  [['GET'], () => '/health'],
  [['GET'], () => '/'],
];

const queryKeys = ['session_id', 'limit', 'offset', 'agent_name', 'user_id', 'status', 'entity_type', 'entity_name', 'metric_name', 'start_time', 'end_time'];
const queryValue = fc.oneof(
  fc.constantFrom(() => fixture.sessionId).map((f) => f()),
  fc.constantFrom('', '0', '-1', '1', '10', '10001', '1e309', '99999999999999999999999', 'NaN', '0x10', ' 5', 'active', 'ACTIVE', '2026-01-01T00:00:00Z', '2026-13-45', 'null'),
  unicode,
  binary,
  huge,
);
const query = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...queryKeys), unicode), queryValue), { maxLength: 6 })
  .chain((pairs) =>
    fc.constantFrom(
      pairs.length ? `?${new URLSearchParams(pairs).toString()}` : '',
      pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : '?', // raw, unencoded
    ),
  )
  .chain((q) => fc.oneof(fc.constant(q), garbagePercent.map((g) => `${q}${q.includes('?') ? '&' : '?'}session_id=${g}`)));

const wireKeys = ['agent_name', 'user_id', 'status', 'metadata', 'session_id', 'role', 'content', 'name', 'type', 'path', 'size', 'data', 'value', 'ttl', 'entity_type', 'entity_name', 'metric_name', 'timestamp', 'labels', '__proto__', 'agentName'];
const wireValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('user', 'assistant', 'active', 'paused', -1, 0, 1e308, -1e308, 2 ** 53 + 1, '2026-01-01T00:00:00Z', 'not a time', '\u0000', '\ud800'),
  fc.constantFrom(() => fixture.sessionId).map((f) => f()),
  unicode,
  huge,
);
const body = fc.oneof(
  { weight: 3, arbitrary: fc.dictionary(fc.constantFrom(...wireKeys), wireValue, { maxKeys: 8 }).map((o) => JSON.stringify(o)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      '{',
      '{"agent_name":',
      '{"agent_name": "a",}',
      "{'agent_name': 'a'}",
      'null',
      '[]',
      '"just a string"',
      '1e999999',
      '{"size": 1e999}',
      '{"agent_name": "\\ud800"}',
      '{"agent_name": "a\\u0000b"}',
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
      `{"metadata": ${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`,
      '{"__proto__": {"polluted": true}, "agent_name": "p"}',
    ),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
  { weight: 1, arbitrary: binary },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 });
const headers = fc.record(
  {
    'content-type': fc.oneof(
      fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/xml', 'application/vnd.api+json', ''),
      headerValue,
    ),
    'x-request-id': fc.oneof(headerValue, fc.constantFrom('ok-id', '', 'a'.repeat(500))),
    accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/graphql-response+json', 'image/png'),
    'content-encoding': fc.constantFrom('gzip', 'identity', 'br'),
  },
  { requiredKeys: [] },
);

const request = fc
  .constantFrom(...routes)
  .chain(([methods, path]) =>
    fc.record({
      method: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...methods) }, { weight: 1, arbitrary: fc.constantFrom('PATCH', 'OPTIONS', 'HEAD', 'GET', 'POST', 'PUT', 'DELETE') }),
      path: id.map(path),
      query,
      body,
      headers,
    }),
  );

// --- properties -------------------------------------------------------------------------------

async function check(server: TestServer, method: string, path: string, payload: string | Uint8Array | undefined, headers: Record<string, string>): Promise<number> {
  const before = await fingerprint(server);
  let reply;
  try {
    reply = await send(server, method, path, payload, headers);
  } catch (error) {
    // Requests fetch itself refuses to send (an invalid URL or header) never reach the server.
    if (/Invalid URL|invalid header|Headers|ByteString|not a legal HTTP/i.test(String((error as Error).message))) return -1;
    throw error;
  }
  const where = `${method} ${path.slice(0, 200)}`;
  expect(reply.status, `${where}: ${reply.text.slice(0, 300)}`).toBeLessThan(500);
  expect(reply.text, where).not.toMatch(INTERNALS);
  expect(reply.headers.get('x-request-id'), where).toBeTruthy();
  if (method !== 'HEAD' && reply.status !== 204) expect(reply.headers.get('content-type'), where).toMatch(/application\/json/);
  // A refused request writes nothing.
  if (reply.status >= 400) expect(await fingerprint(server), `${where} → ${reply.status} changed the data`).toBe(before);
  return reply.status;
}

describe('REST fuzzing: never a 5xx, never internals, never a partial write', () => {
  it('random requests to every endpoint (methods, ids, query strings, headers, bodies)', async ({ server }) => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const status = await check(server, r.method, `${r.path}${r.query}`, r.body, r.headers as Record<string, string>);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }),
      { numRuns: 200 },
    );
    // The generators reach far: refusals of every kind, and some successes.
    expect([...statuses.keys()].filter((s) => s >= 400).length).toBeGreaterThanOrEqual(4);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
  });

  it('a NUL character in an id, key or query value is bad input (422) on every backend, not a lookup', async ({ server }) => {
    const cases: [string, string, string[]][] = [
      ['GET', '/storage/sessions/a%00b', ['path', 'id']],
      ['PUT', '/storage/state/%00', ['path', 'session_id']],
      ['DELETE', '/storage/artifacts/%00', ['path', 'id']],
      ['GET', '/storage/cache/k%00', ['path', 'key']],
      ['GET', '/storage/history?session_id=%00', ['query', 'session_id']],
      ['DELETE', '/storage/history?session_id=x%00', ['query', 'session_id']],
      ['GET', '/storage/metrics?entity_name=%00', ['query', 'entity_name']],
    ];
    for (const [method, path, loc] of cases) {
      const reply = await send(server, method, path, method === 'PUT' ? JSON.stringify({ data: 1 }) : undefined, { 'content-type': 'application/json' });
      expect(reply.status, `${method} ${path}`).toBe(422);
      expect(JSON.parse(reply.text).detail[0]).toEqual({ loc, msg: 'must not contain NUL characters', type: 'value_error' });
    }
  });

  it('malformed bodies to every write, as JSON', async ({ server }) => {
    const writes: [string, string][] = [
      ['POST', '/storage/sessions'],
      ['PUT', `/storage/sessions/{s}`],
      ['POST', '/storage/history'],
      ['PUT', '/storage/state/{s}'],
      ['POST', '/storage/artifacts'],
      ['POST', '/storage/metrics'],
      ['PUT', '/storage/cache/fuzz'],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...writes), body, async ([method, path], payload) => {
        const status = await check(server, method, path.replace('{s}', fixture.sessionId), payload, { 'content-type': 'application/json' });
        expect([200, 400, 404, 413, 422], `${method} ${path}`).toContain(status);
      }),
      { numRuns: 80 },
    );
  });
});
