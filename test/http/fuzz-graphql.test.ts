import fc from 'fast-check';
import {
  getNamedType,
  getNullableType,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLObjectType,
  isEnumType,
  isInputObjectType,
  isListType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
} from 'graphql';
import { schema } from '../../src/graphql/schema.js';
import { describe, expect, it, test, type TestServer } from '../support/server-fixture.js';

/**
 * Bad GraphQL, generated: random documents built from the schema's own field, argument and enum
 * names (mixed with wrong ones), broken syntax, and huge or mistyped variables. The answer is never
 * a 5xx or an "Unexpected error.", never holds a stack trace or SQL, every error carries one of the
 * documented codes — and a mutation that fails writes nothing.
 */

let sessionId = '';

const INTERNALS = /\bat [\w.<>]+ \(|\.ts:\d+|node_modules|SQLITE_|\bSELECT\b|\bINSERT INTO\b|\bUPDATE \w+ SET\b|\bDELETE FROM\b|ECONN|relation "|syntax error at|Unexpected error/;
const CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'MAX_DEPTH_EXCEEDED',
  'MAX_ALIASES_EXCEEDED',
  'MAX_DIRECTIVES_EXCEEDED',
  'MAX_TOKENS_EXCEEDED',
  'MAX_COST_EXCEEDED',
]);

test.beforeAll(async ({ server }) => {
  const created = await post(server, { query: 'mutation { createSession(input: {agentName: "fuzz"}) { id } }' });
  sessionId = created.body.data.createSession.id;
});

async function post(server: TestServer, payload: unknown, raw?: string) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: raw ?? JSON.stringify(payload),
  });
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

async function fingerprint(server: TestServer): Promise<string> {
  const { storage } = server;
  const [sessions, metrics, history, artifacts, state] = await Promise.all([
    storage.sessions.count({}),
    storage.metrics.count({}),
    storage.history.counts([sessionId]),
    storage.artifacts.counts([sessionId]),
    storage.state.bySessionIds([sessionId]),
  ]);
  return JSON.stringify({ sessions, metrics, history: [...history], artifacts: [...artifacts], state });
}

/** How many fields the operation selects at its root; null if it does not parse. */
function rootFields(query: string): number | null {
  try {
    const operation = parse(query).definitions[0];
    return operation?.kind === Kind.OPERATION_DEFINITION ? operation.selectionSet.selections.length : null;
  } catch {
    return null;
  }
}

/** The invariants every answer keeps. */
function checkAnswer(reply: Awaited<ReturnType<typeof post>>, what: string): void {
  const where = `${what.slice(0, 300)} → ${reply.text.slice(0, 300)}`;
  expect(reply.status, where).toBeLessThan(500);
  expect(reply.text, where).not.toMatch(INTERNALS);
  expect(reply.headers.get('x-request-id'), where).toBeTruthy();
  expect(reply.body, where).toBeTypeOf('object');
  for (const error of reply.body.errors ?? []) {
    expect(typeof error.message, where).toBe('string');
    expect(error.message, where).not.toMatch(/did you mean/i);
    expect(CODES, where).toContain(error.extensions?.code);
  }
}

// --- documents from the schema ------------------------------------------------------------------

type G = fc.GeneratorValue;

const allFieldNames = [
  ...new Set(
    Object.values(schema.getTypeMap())
      .filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'))
      .flatMap((t) => Object.keys(t.getFields())),
  ),
];
const oddStrings = ['', ' ', '\u0000', 'ünïcödé 😀', 'session_', "'; DROP TABLE sessions; --", '%00%zz', '\\', '"', '\u2028', 'x'.repeat(3000)];

/** A literal for an input type: usually of the right kind, sometimes not. */
function literal(g: G, type: GraphQLInputType, depth: number): string {
  const wrong = g(fc.integer, { min: 0, max: 9 }) === 0;
  const nullable = getNullableType(type);
  if (wrong || depth > 3) return g(fc.constantFrom, 'null', '1', '-1', '"x"', 'true', '[]', '{}', 'NOPE', '99999999999999999999', '1.5e308');
  if (isListType(nullable)) {
    const n = g(fc.integer, { min: 0, max: 3 });
    return `[${Array.from({ length: n }, () => literal(g, nullable.ofType, depth + 1)).join(', ')}]`;
  }
  if (isEnumType(nullable)) return g(fc.constantFrom, ...nullable.getValues().map((v) => v.name), 'ACTIV', 'active');
  if (isInputObjectType(nullable)) {
    const fields = Object.values(nullable.getFields());
    const chosen = fields.filter(() => g(fc.boolean));
    const extra = g(fc.boolean) ? [`${g(fc.constantFrom, ...allFieldNames)}: "x"`] : [];
    return `{${[...chosen.map((f) => `${f.name}: ${literal(g, f.type, depth + 1)}`), ...extra].join(', ')}}`;
  }
  if (isScalarType(nullable)) {
    switch (nullable.name) {
      case 'Int':
      case 'NonNegativeInt':
        return String(g(() => fc.oneof(fc.integer({ min: -5, max: 20 }), fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 10_001))));
      case 'Float':
        return String(g(fc.double, { noNaN: true, noDefaultInfinity: true }));
      case 'Boolean':
        return String(g(fc.boolean));
      case 'DateTime':
        return JSON.stringify(g(fc.constantFrom, '2026-01-01T00:00:00Z', '2026-02-30T00:00:00Z', 'yesterday', '1e10', ''));
      case 'JSON':
      case 'JSONObject':
        return g(fc.constantFrom, '{a: 1, b: [1, 2, {c: null}]}', '{}', '[1, 2]', '"s"', '{nested: {deeper: {deepest: "x"}}}');
      case 'ID':
        return JSON.stringify(g(() => fc.oneof(fc.constant(sessionId), fc.constantFrom(...oddStrings))));
      default:
        return JSON.stringify(g(() => fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom(...oddStrings))));
    }
  }
  return 'null';
}

function argumentsOf(g: G, args: readonly GraphQLArgument[]): string {
  const chosen = args.filter((a) => getNullableType(a.type) !== a.type || g(fc.integer, { min: 0, max: 4 }) > 0 ? g(fc.boolean) || getNullableType(a.type) !== a.type : false);
  const parts = chosen.map((a) => `${a.name}: ${literal(g, a.type, 0)}`);
  if (g(fc.integer, { min: 0, max: 6 }) === 0) parts.push(`${g(fc.constantFrom, 'frist', 'limit', 'id', 'where')}: 1`);
  return parts.length ? `(${parts.join(', ')})` : '';
}

function selection(g: G, type: GraphQLObjectType, depth: number): string {
  const fields = Object.values(type.getFields());
  const n = g(fc.integer, { min: 1, max: 4 });
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    // Mostly a field of this type; sometimes any name of the schema, or nonsense.
    const pick = g(fc.integer, { min: 0, max: 9 });
    const alias = g(fc.integer, { min: 0, max: 5 }) === 0 ? `a${i}: ` : '';
    const directive = g(fc.integer, { min: 0, max: 7 }) === 0 ? g(fc.constantFrom, ' @include(if: true)', ' @skip(if: false)', ' @deprecated', ' @include') : '';
    if (pick === 0) {
      parts.push(`${alias}${g(fc.constantFrom, ...allFieldNames, 'password', '__typename', '__schema { types { name } }')}${directive}`);
      continue;
    }
    const field = fields[g(fc.integer, { min: 0, max: fields.length - 1 })]!;
    const named = getNamedType(field.type);
    const args = argumentsOf(g, field.args);
    const sub = isObjectType(named) ? (depth < 5 && g(fc.integer, { min: 0, max: 9 }) > 0 ? ` { ${selection(g, named, depth + 1)} }` : '') : g(fc.integer, { min: 0, max: 12 }) === 0 ? ' { id }' : '';
    parts.push(`${alias}${field.name}${args}${directive}${sub}`);
  }
  return parts.join(' ');
}

const document = fc.gen().map((g) => {
  const mutation = g(fc.integer, { min: 0, max: 2 }) === 0;
  const root = (mutation ? schema.getMutationType() : schema.getQueryType())!;
  return `${mutation ? 'mutation' : 'query'} { ${selection(g, root, 0)} }`;
});

/** Syntax broken in the ways a buggy client or an attacker breaks it. */
const broken = fc.oneof(
  fc.tuple(document, fc.nat()).map(([doc, n]) => doc.slice(0, n % doc.length)),
  fc.tuple(document, fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 5 })).map(([doc, n, junk]) => `${doc.slice(0, n % doc.length)}${junk}${doc.slice(n % doc.length)}`),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('{', '}', '{ sessions { totalCount }', 'query query { }', '{ "sessions" }', '{ sessions(first: ) { totalCount } }', '{ a'.repeat(3000), '#'.repeat(10_000), '{ __typename ' + '@skip(if: false) '.repeat(100) + '}', 'subscription { sessions { totalCount } }', 'fragment F on Session { ...F } { sessions { nodes { ...F } } }'),
);

// --- properties -------------------------------------------------------------------------------

describe('GraphQL fuzzing: never a 5xx, never internals, never a partial write', () => {
  it('random documents built from the schema', async ({ server }) => {
    const seen = { data: 0, errors: 0 };
    await fc.assert(
      fc.asyncProperty(document, async (query) => {
        const before = await fingerprint(server);
        const reply = await post(server, { query });
        checkAnswer(reply, query);
        if (reply.body.errors?.length) seen.errors++;
        else seen.data++;
        // A mutation of one field that failed wrote nothing. (With several, the ones before the
        // failing one stand: GraphQL runs them one after the other, each its own write.)
        if (query.startsWith('mutation') && rootFields(query) === 1 && reply.body.errors?.length && reply.body.data == null) {
          expect(await fingerprint(server), `${query.slice(0, 300)} failed but wrote`).toBe(before);
        }
      }),
      { numRuns: 150 },
    );
    expect(seen.data).toBeGreaterThan(0);
    expect(seen.errors).toBeGreaterThan(0);
  });

  it('broken syntax', async ({ server }) => {
    await fc.assert(
      fc.asyncProperty(broken, async (query) => {
        const before = await fingerprint(server);
        const reply = await post(server, { query });
        checkAnswer(reply, query);
        if (rootFields(query) === null) expect(await fingerprint(server)).toBe(before); // never ran
      }),
      { numRuns: 60 },
    );
  });

  it('huge, deep and mistyped variables, and request bodies of every shape', async ({ server }) => {
    const deep = (n: number): unknown => (n === 0 ? 'bottom' : { d: deep(n - 1) });
    const variables = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom(
        { id: 'x'.repeat(900 * 1024) },
        { id: sessionId, data: deep(2000) },
        { id: sessionId, data: Array.from({ length: 50_000 }, (_, i) => i) },
        { id: ['a', 'b'] },
        { id: { nested: true } },
        { id: 12 },
        { id: null },
        { m: Array.from({ length: 1001 }, () => ({ role: 'USER', content: 'x' })) },
        { m: Array.from({ length: 3 }, () => ({ role: 'USER', content: 'x', metadata: deep(500) })) },
      ),
    );
    const query = fc.constantFrom(
      'query($id: ID!) { session(id: $id) { id } }',
      'mutation($id: ID!, $data: JSON!) { setState(sessionId: $id, data: $data) { updatedAt } }',
      `mutation($m: [NewMessageInput!]!) { addMessages(sessionId: "${'{s}'}", messages: $m) { id } }`,
      'query($n: Int) { sessions(first: $n) { totalCount } }',
    );
    const envelope = fc.oneof(
      fc.record({ query, variables }).map((b) => JSON.stringify({ ...b, query: b.query.replace('{s}', sessionId) })),
      fc.record({ query, variables: fc.string() }).map((b) => JSON.stringify(b)),
      fc.record({ query, operationName: fc.oneof(fc.string(), fc.constant(null), fc.integer()) }).map((b) => JSON.stringify(b)),
      fc.record({ query, extensions: fc.jsonValue({ maxDepth: 2 }) }).map((b) => JSON.stringify(b)),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.constantFrom('', 'null', '[]', '"query"', '{"query": null}', '{"query": 1}', '{"query": ["{ a }"]}', '{"query": "{ __typename }", "variables": "{"}', '{'),
    );
    await fc.assert(
      fc.asyncProperty(envelope, async (raw) => {
        const before = await fingerprint(server);
        const reply = await post(server, undefined, raw);
        checkAnswer(reply, raw.slice(0, 300));
        if (reply.body.errors?.length && reply.body.data == null) expect(await fingerprint(server)).toBe(before);
      }),
      { numRuns: 60 },
    );
  });

  it('a NUL character in an id or a cursor is never a failure of the server', async ({ server }) => {
    const cursor = Buffer.from(JSON.stringify(['session', 'a\u0000'])).toString('base64url');
    const reply = await post(server, {
      query: `query($id: ID!) { session(id: $id) { id } message(id: $id) { id } artifact(id: $id) { id } sessions(after: "${cursor}") { totalCount } }`,
      variables: { id: 'session_\u0000' },
    });
    checkAnswer(reply, 'NUL ids');
    // SQLite finds nothing; PostgreSQL cannot compare NUL at all and says it is bad input.
    expect(reply.body.data?.session ?? null).toBeNull();
    for (const error of reply.body.errors ?? []) expect(error.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('addMessages is all or nothing, whatever the batch holds', async ({ server }) => {
    const good = fc.record({ role: fc.constantFrom('USER', 'ASSISTANT', 'SYSTEM', 'TOOL'), content: fc.string({ unit: 'grapheme', maxLength: 50 }) });
    const bad = fc.oneof(
      fc.record({ role: fc.constantFrom('user', 'ROBOT', ''), content: fc.string() }),
      fc.record({ role: fc.constant('USER'), content: fc.constantFrom(null, 1, ['x']) }),
      fc.record({ role: fc.constant('USER'), content: fc.constant('x'), metadata: fc.constantFrom('not an object', [1], 5) }),
      fc.record({ role: fc.constant('USER') }),
      fc.constant({ role: 'USER', content: 'x', extra: true }),
      fc.constant({ role: 'USER', content: 'x'.repeat(2_000_000).slice(0, 600_000) }),
    );
    const batch = fc.array(fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: bad }), { minLength: 1, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(batch, async (messages) => {
        const before = (await server.storage.history.counts([sessionId])).get(sessionId) ?? 0;
        const reply = await post(server, {
          query: 'mutation($s: ID!, $m: [NewMessageInput!]!) { addMessages(sessionId: $s, messages: $m) { id seq } }',
          variables: { s: sessionId, m: messages },
        });
        checkAnswer(reply, JSON.stringify(messages).slice(0, 300));
        const after = (await server.storage.history.counts([sessionId])).get(sessionId) ?? 0;
        if (reply.body.data?.addMessages) {
          expect(reply.body.data.addMessages).toHaveLength(messages.length);
          expect(after).toBe(before + messages.length);
        } else {
          expect(reply.body.errors.length).toBeGreaterThan(0);
          expect(after).toBe(before);
        }
      }),
      { numRuns: 50 },
    );
  });
});
