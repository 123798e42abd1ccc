import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { UnavailableError } from '../../src/domain/errors.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import { createApp } from '../../src/server.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { Storage } from '../../src/storage/storage.js';
import { ManualClock } from '../support/fixtures.js';
import { describe, expect, it, test, type TestServer } from '../support/server-fixture.js';
import {
  CreateSessionDocument,
  GetSessionDocument,
  HistoryDocument,
  ListSessionsDocument,
  SetCacheEntryDocument,
  SetStateDocument,
} from './gql/graphql.js';

let sessionId: string;

test.beforeAll(async ({ gql }) => {
  sessionId = (await gql.data(CreateSessionDocument, { input: { agentName: 'errors' } })).createSession.id;
});

describe('error codes', () => {
  it('BAD_USER_INPUT for an enum value that does not exist (in variables)', async ({ gql }) => {
    const result = await gql.raw('mutation($s: SessionStatus) { createSession(input: {agentName: "a", status: $s}) { id } }', { s: 'SLEEPING' });
    expect(result.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors![0]!.message).toContain('"SLEEPING" does not exist in "SessionStatus" enum');
  });

  it('a validation error for a wrong literal or an unknown field in the document', async ({ gql }) => {
    const literal = await gql.raw('mutation { createSession(input: {agentName: "a", status: SLEEPING}) { id } }');
    expect(literal.errors![0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const unknownField = await gql.raw('{ sessions { nodes { id password } } }');
    expect(unknownField.errors![0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(unknownField.errors![0]!.message).toBe('Cannot query field "password" on type "Session".');
    const unknownInput = await gql.raw('mutation { createSession(input: {agentName: "a", owner: "me"}) { id } }');
    expect(unknownInput.errors![0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('BAD_USER_INPUT for paging arguments out of bounds, combined, or with a foreign cursor', async ({ gql }) => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ first: 10_001 }, 'first', 'must be at most 10000'],
      [{ last: 10_001 }, 'last', 'must be at most 10000'],
      [{ first: -1 }, 'first', 'must not be negative'],
      [{ first: 1, last: 1 }, 'last', 'cannot be combined with first'],
      [{ after: 'not-a-cursor' }, 'after', 'is not a cursor of this connection'],
      [{ before: 'WyJtZXNzYWdlIiwxXQ' }, 'before', 'is not a cursor of this connection'],
      [{ after: '' }, 'after', 'is not a cursor of this connection'],
    ];
    for (const [paging, field, message] of cases) {
      const [error] = await gql.errors(ListSessionsDocument, paging);
      expect(error!.extensions?.code, JSON.stringify(paging)).toBe('BAD_USER_INPUT');
      expect(error!.extensions?.issues?.[0]?.path).toEqual([field]);
      expect(error!.message).toContain(message);
      expect(error!.path).toEqual(['sessions']);
    }
    // A cursor of one session's history is fine for another's (same keyset), but not for sessions.
    const [wrong] = await gql.errors(HistoryDocument, { id: sessionId, after: Buffer.from('["session","x"]').toString('base64url') });
    expect(wrong!.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('BAD_USER_INPUT for an Int out of range or a negative NonNegativeInt (in variables)', async ({ gql }) => {
    const tooLarge = await gql.raw('query($n: Int) { sessions(first: $n) { totalCount } }', { n: 2 ** 31 });
    expect(tooLarge.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    const negative = await gql.raw('mutation($size: NonNegativeInt!) { createArtifact(input: {sessionId: "s", name: "n", type: "t", path: "p", size: $size}) { id } }', { size: -1 });
    expect(negative.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(negative.errors![0]!.message).toContain('not a non-negative number');
  });

  it('NOT_FOUND is an error for operations on a missing thing, null for look-ups', async ({ gql }) => {
    expect((await gql.data(GetSessionDocument, { id: 'session_missing' })).session).toBeNull();
    const [error] = await gql.errors(SetStateDocument, { sessionId: 'session_missing', data: {} });
    expect(error).toMatchObject({ message: 'Session not found', path: ['setState'], extensions: { code: 'NOT_FOUND' } });
    // Where in the document: kept through the compiled executor and the error mapping.
    expect(error!.locations).toEqual([{ line: expect.any(Number), column: expect.any(Number) }]);
  });

  it('UNAVAILABLE with retryAfter when the backend cannot serve the request', async () => {
    // A backend that is always busy, behind the real schema, loaders and error mapping: every
    // method of it, and of each of its module stores, fails.
    const fail = async () => {
      throw new UnavailableError('The database is busy; retry shortly', 2);
    };
    const busyStore = new Proxy({}, { get: () => fail });
    const busy = new Proxy({} as StorageBackend, {
      get: (_target, name) => (name === 'stores' ? new Proxy({}, { get: () => busyStore }) : fail),
    });
    const clock = new ManualClock();
    const app = createApp({
      storage: new Storage(busy, clock, createIdGenerator(clock)),
      config: loadConfig({ DATABASE_URL: 'sqlite::memory:' }),
      logger: pino({ level: 'silent' }),
    });
    for (const query of ['{ session(id: "s") { id } }', '{ sessions { totalCount } }']) {
      const response = await app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]!.message).toBe('The database is busy; retry shortly');
      expect(body.errors[0]!.extensions).toEqual({ code: 'UNAVAILABLE', retryAfter: 2 });
    }
  });

  it('masks unexpected errors', async () => {
    const broken = new Proxy({} as StorageBackend, {
      get: () => async () => {
        throw new Error('disk on fire at /var/lib/secret');
      },
    });
    const clock = new ManualClock();
    const app = createApp({
      storage: new Storage(broken, clock, createIdGenerator(clock)),
      config: loadConfig({ DATABASE_URL: 'sqlite::memory:' }),
      logger: pino({ level: 'silent' }),
    });
    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ session(id: "s") { id } }' }),
    });
    const text = await response.text();
    expect(text).not.toContain('secret');
    expect(JSON.parse(text).errors[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});

describe('JSON values', () => {
  const odd = {
    unicode: 'ünïcödé 😀 \u0000 \u2028',
    numbers: [0, -0.5, 1e21, 5e-324, Number.MAX_SAFE_INTEGER, -(2 ** 53)],
    empty: { object: {}, array: [], string: '' },
    nulls: [null, { null: null }],
    'key with "quotes" and \\': true,
    __proto__x: 'not special',
  };

  it('round-trips odd values exactly through state and cache', async ({ gql }) => {
    expect((await gql.data(SetStateDocument, { sessionId, data: odd })).setState.data).toEqual(odd);
    expect((await gql.data(SetCacheEntryDocument, { key: 'odd', value: odd })).setCacheEntry.value).toEqual(odd);
  });

  it('round-trips 64 levels of nesting and refuses 65', async ({ gql }) => {
    const nest = (depth: number): unknown => (depth === 0 ? 'bottom' : depth % 2 ? [nest(depth - 1)] : { d: nest(depth - 1) });
    expect((await gql.data(SetStateDocument, { sessionId, data: nest(64) })).setState.data).toEqual(nest(64));
    const [error] = await gql.errors(SetStateDocument, { sessionId, data: nest(65) });
    expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ path: ['data'], message: 'JSON nesting must not exceed 64 levels' }] });
  });

  it('keeps variables inside literal objects and lists (compiled documents parse literals without them)', async ({ gql }) => {
    const result = await gql.raw(
      'mutation($v: JSON, $n: JSON) { createSession(input: {agentName: "a", metadata: {k: $v, list: [1, $n, {deep: $v}]}}) { metadata } }',
      { v: 'from a variable', n: { nested: true } },
    );
    expect(result.errors).toBeUndefined();
    expect((result.data as { createSession: { metadata: unknown } }).createSession.metadata).toEqual({
      k: 'from a variable',
      list: [1, { nested: true }, { deep: 'from a variable' }],
    });
  });

  it('refuses a metadata value that is not an object', async ({ gql }) => {
    const result = await gql.raw('mutation($m: JSONObject) { createSession(input: {agentName: "a", metadata: $m}) { id } }', { m: [1, 2] });
    expect(result.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('bytes that are not UTF-8', () => {
  const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => Buffer.from(p as string)));
  /** The body a byte at a time, chunked: every multi-byte sequence is cut across pieces. */
  const pieces = (body: Buffer) => new ReadableStream<Uint8Array>({ start: (c) => (body.forEach((b) => c.enqueue(Uint8Array.of(b))), c.close()) });
  const post = (server: TestServer, body: Buffer | ReadableStream<Uint8Array>, type = 'application/json') =>
    fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': type, 'x-graphql-yoga-csrf': '1' }, body, duplex: 'half' } as RequestInit);
  const refused = async (response: Response, message: string) => {
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: unknown[] }).errors).toEqual([{ message, extensions: { code: 'BAD_REQUEST' } }]);
  };
  const create = (name: (string | number[])[]) => bytes('{"query":"mutation { createSession(input: {agentName: \\"', ...name, '\\"}) { agentName } }"}');

  it('BAD_REQUEST for a body that is not UTF-8, sent whole or in pieces, cut short too; nothing is stored', async ({ server }) => {
    const sessions = await server.storage.sessions.count({});
    for (const body of [create(['a', [0xff, 0xfe]]), create([[0xed, 0xa0, 0x80]]), create(['caf', [0xc3]]), bytes('{"query":"{ __typename }","x":"', [0xe2, 0x82])]) {
      await refused(await post(server, body), 'Request body is not valid UTF-8');
      await refused(await post(server, pieces(body)), 'Request body is not valid UTF-8');
    }
    // A form body's fields are percent-decoded: their bytes are checked too.
    await refused(await post(server, Buffer.from('query=mutation%7BcreateSession(input%3A%7BagentName%3A%22a%FF%22%7D)%7Bid%7D%7D'), 'application/x-www-form-urlencoded'), 'Request body is not valid UTF-8');
    expect(await server.storage.sessions.count({})).toBe(sessions);

    // Valid text with multi-byte characters cut across pieces is fine.
    const ok = await post(server, pieces(create(['€ 😀'])));
    expect(((await ok.json()) as { data: unknown }).data).toEqual({ createSession: { agentName: '€ 😀' } });
  });

  it('BAD_REQUEST for a GET whose query string is not percent-encoded UTF-8', async ({ server }) => {
    const get = (search: string) => fetch(`${server.url}/graphql?${search}`, { headers: { 'x-graphql-yoga-csrf': '1' } });
    await refused(await get('query=%7B__typename%FF%7D'), "The URL's query string is not valid percent-encoded UTF-8");
    await refused(await get('query=%7B__typename%7D&variables=%7B%22a%22%3A%22%C3%22%7D'), "The URL's query string is not valid percent-encoded UTF-8");
    const euro = await get('query=%7B__typename%7D&variables=%7B%22a%22%3A%22%E2%82%AC%22%7D');
    expect(((await euro.json()) as { data: unknown }).data).toEqual({ __typename: 'Query' });
  });
});
