import { hashSecret } from '../../src/modules/keys/service.js';
import { ADMIN_KEY, AUTH_ENV, createKey, keyed } from '../support/auth.js';
import { describe, expect, it, test } from '../support/server-fixture.js';

const SESSION = { agent_name: 'planner' };
const CREATE_KEY = `mutation ($tenant: String!, $scopes: [ApiKeyScope!]!, $name: String) {
  createApiKey(tenant: $tenant, scopes: $scopes, name: $name) { key apiKey { id tenant name scopes createdAt revokedAt } }
}`;

// The file's server checks API keys; the other servers here are started by their tests.
test.override({ env: AUTH_ENV });

describe('API keys (AUTH_MODE=apikey)', () => {

  it('refuses requests without a valid key with 401 and a JSON body, on both doors', async ({ server }) => {
    for (const key of [null, 'ask_not-a-key', `${ADMIN_KEY}x`]) {
      const anon = keyed(server.url, key);
      for (const res of [await anon.get('/storage/sessions'), await anon.post('/storage/sessions', SESSION), await anon.get('/'), await anon.get('/nope')]) {
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
        expect(typeof res.body.detail).toBe('string');
      }
      const gql = await anon.gql('{ sessions { totalCount } }');
      expect(gql.status).toBe(401);
      expect(gql.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    // GraphQL clients that take the GraphQL-over-HTTP media type (Apollo Client) read a non-2xx
    // answer's errors only in it: the refusal comes in it when accepted.
    for (const accept of ['application/graphql-response+json, application/json;q=0.9', 'application/json']) {
      const res = await keyed(server.url, 'ask_not-a-key').post('/graphql', { query: '{ sessions { totalCount } }' }, { accept });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(accept.startsWith('application/graphql-response+json') ? /^application\/graphql-response\+json/ : /^application\/json/);
      expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const malformed = await keyed(server.url, null).get('/storage/sessions', { authorization: `Basic ${ADMIN_KEY}` });
    expect(malformed.status).toBe(401);
    expect(malformed.body.detail).toMatch(/Bearer/);
    // Nothing was written by the refused requests.
    expect(await server.storage.sessions.count({})).toBe(0);
  });

  it('serves GET /health and the GraphiQL page (no data in it) to anyone', async ({ server }) => {
    const anon = keyed(server.url, null);
    const res = await anon.get('/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('healthy');
    const page = await anon.get('/graphql', { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/graphiql/i);
    // A query over GET is a request like any other.
    const query = await anon.get('/graphql?query=%7Bsessions%7BtotalCount%7D%7D', { accept: 'application/json', 'x-graphql-yoga-csrf': '1' });
    expect(query.status).toBe(401);
  });

  it('shows a new key once and stores only its hash', async ({ server }) => {
    const admin = keyed(server.url, ADMIN_KEY);
    const res = await admin.gql(CREATE_KEY, { tenant: 'acme', scopes: ['WRITE', 'READ', 'READ'], name: 'planner agent' });
    const created = res.body.data.createApiKey;
    expect(created.key).toMatch(/^ask_[A-Za-z0-9_-]{43}$/);
    expect(created.apiKey).toMatchObject({ tenant: 'acme', name: 'planner agent', scopes: ['READ', 'WRITE'], revokedAt: null });
    expect(created.apiKey.id).toMatch(/^key_/);

    const listed = await admin.gql('{ apiKeys(tenant: "acme") { id tenant scopes } }');
    expect(listed.body.data.apiKeys).toContainEqual({ id: created.apiKey.id, tenant: 'acme', scopes: ['READ', 'WRITE'] });
    expect(listed.text).not.toContain(created.key);
    const stored = JSON.stringify(await server.backend.stores.keys.list(null));
    expect(stored).not.toContain(created.key);
    expect(await server.backend.stores.keys.byHash(hashSecret(created.key))).toMatchObject({ id: created.apiKey.id });

    const agent = keyed(server.url, created.key);
    expect((await agent.post('/storage/sessions', SESSION)).status).toBe(200);
  });

  it('enforces scopes: read, write and admin, on every door', async ({ server }) => {
    const reader = keyed(server.url, await createKey(server.url, 'acme', ['READ']));
    const writer = keyed(server.url, await createKey(server.url, 'acme', ['WRITE']));
    expect((await reader.get('/storage/sessions')).status).toBe(200);
    const refused = await reader.post('/storage/sessions', SESSION);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/"write" scope/);
    const mutation = await reader.gql('mutation { createSession(input: { agentName: "x" }) { id } }');
    expect(mutation.status).toBe(403);
    expect(mutation.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(mutation.body.data ?? null).toBeNull();

    expect((await writer.post('/storage/sessions', SESSION)).status).toBe(200);
    expect((await writer.get('/storage/sessions')).status).toBe(403);
    expect((await writer.gql('{ sessions { totalCount } }')).body.errors[0].extensions.code).toBe('FORBIDDEN');
    // Through a fragment, too: the check reads the operation's root fields.
    const viaFragment = await writer.gql('query { ...F } fragment F on Query { sessions { totalCount } }');
    expect(viaFragment.body.errors[0].extensions.code).toBe('FORBIDDEN');

    // Managing keys needs `admin`, not `write`.
    const notAdmin = await writer.gql(CREATE_KEY, { tenant: 'acme', scopes: ['READ'] });
    expect(notAdmin.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await reader.gql('{ apiKeys { id } }')).body.errors[0].extensions.code).toBe('FORBIDDEN');
    // So does running retention (it deletes by the operator's policy).
    expect((await writer.post('/storage/retention/run?dry_run=true')).status).toBe(403);
    expect((await writer.gql('mutation { runRetention(dryRun: true) { dryRun } }')).body.errors[0].extensions.code).toBe('FORBIDDEN');
    const tenantAdmin = keyed(server.url, await createKey(server.url, 'acme', ['ADMIN']));
    expect((await tenantAdmin.post('/storage/retention/run?dry_run=true')).status).toBe(200);
  });

  it('a write-only key cannot read through a mutation’s result: relations need `read`, refused before anything runs', async ({ server }) => {
    const writer = keyed(server.url, await createKey(server.url, 'acme', ['WRITE']));
    const both = keyed(server.url, await createKey(server.url, 'acme', ['READ', 'WRITE']));
    const created = await writer.gql('mutation { createSession(input: { agentName: "vault", metadata: { v: 1 } }) { id } }');
    const id = created.body.data.createSession.id as string;
    const added = await writer.gql('mutation ($id: ID!) { addMessages(sessionId: $id, messages: [{ role: USER, content: "the secret plan" }]) { id seq } }', { id });
    const messageId = added.body.data.addMessages[0].id as string;
    expect((await writer.gql('mutation ($id: ID!) { setState(sessionId: $id, data: { secret: 42 }) { version } }', { id })).body.data.setState.version).toBe(1);

    const readThrough = [
      // The issue's own example, with a change that must not be written.
      `mutation { updateSession(id: "${id}", input: { metadata: { v: 2 } }) { metadata history { nodes { content } } state { data } } }`,
      `mutation { updateSession(id: "${id}", input: { metadata: { v: 2 } }) { artifacts { totalCount } } }`,
      `mutation { updateSession(id: "${id}", input: { metadata: { v: 2 } }) { metrics { nodes { value } } } }`,
      `mutation { updateSession(id: "${id}", input: { metadata: { v: 2 } }) { forks { nodes { id } } parent { id } } }`,
      `mutation { addMessage(input: { sessionId: "${id}", role: USER, content: "x" }) { id session { metadata } } }`,
      // Through fragments and inline fragments too.
      `mutation { addMessage(input: { sessionId: "${id}", role: USER, content: "x" }) { ...M } } fragment M on Message { session { id } }`,
      `mutation { forkSession(id: "${id}", upToMessageId: "${messageId}") { ... on Session { history { nodes { content } } } } }`,
    ];
    for (const query of readThrough) {
      const refused = await writer.gql(query);
      expect(refused.status, query).toBe(403);
      expect(refused.body.errors, query).toEqual([
        { message: expect.stringMatching(/^This API key lacks the "read" scope \((Session|Message)\.\w+ needs it\)$/), extensions: { code: 'FORBIDDEN' } },
      ]);
      expect(refused.body.data ?? null).toBeNull();
      expect(refused.text).not.toContain('the secret plan');
    }
    // Nothing ran: no update, no message, no fork.
    const seen = await both.gql('query ($id: ID!) { session(id: $id) { metadata history { totalCount } forks { totalCount } } }', { id });
    expect(seen.body.data.session).toEqual({ metadata: { v: 1 }, history: { totalCount: 1 }, forks: { totalCount: 0 } });

    // What the write itself returns stays readable with `write` alone.
    const own = await writer.gql(`mutation { updateSession(id: "${id}", input: { metadata: { v: 3 } }) { id metadata status parentId } }`);
    expect(own.body).toEqual({ data: { updateSession: { id, metadata: { v: 3 }, status: 'ACTIVE', parentId: null } } });
    const message = await writer.gql(`mutation { addMessage(input: { sessionId: "${id}", role: USER, content: "y" }) { id sessionId seq content } }`);
    expect(message.body.data.addMessage).toMatchObject({ sessionId: id, seq: 2, content: 'y' });
    // And a key with both scopes reads through the result as before.
    const full = await both.gql(`mutation { updateSession(id: "${id}", input: {}) { metadata history { nodes { content } } state { data } } }`);
    expect(full.body.data.updateSession).toEqual({ metadata: { v: 3 }, history: { nodes: [{ content: 'the secret plan' }, { content: 'y' }] }, state: { data: { secret: 42 } } });
  });

  it('lets a tenant admin manage its own tenant’s keys only', async ({ server }) => {
    const acmeAdmin = keyed(server.url, await createKey(server.url, 'acme', ['ADMIN']));
    const betaKey = await keyed(server.url, ADMIN_KEY).gql(CREATE_KEY, { tenant: 'beta', scopes: ['READ'] });
    const betaId = betaKey.body.data.createApiKey.apiKey.id;

    const own = await acmeAdmin.gql(CREATE_KEY, { tenant: 'acme', scopes: ['READ'] });
    expect(own.body.data.createApiKey.apiKey.tenant).toBe('acme');
    const other = await acmeAdmin.gql(CREATE_KEY, { tenant: 'beta', scopes: ['READ'] });
    expect(other.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await acmeAdmin.gql('{ apiKeys(tenant: "beta") { id } }')).body.errors[0].extensions.code).toBe('FORBIDDEN');
    const listed = await acmeAdmin.gql('{ apiKeys { tenant } }');
    expect(new Set(listed.body.data.apiKeys.map((k: { tenant: string }) => k.tenant))).toEqual(new Set(['acme']));
    // Another tenant's key reads as missing, like any other record of another tenant.
    const revokeOther = await acmeAdmin.gql('mutation ($id: ID!) { revokeApiKey(id: $id) { id } }', { id: betaId });
    expect(revokeOther.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('refuses bad key requests with BAD_USER_INPUT', async ({ server }) => {
    const admin = keyed(server.url, ADMIN_KEY);
    for (const variables of [
      { tenant: 'Acme', scopes: ['READ'] },
      { tenant: '', scopes: ['READ'] },
      { tenant: '../etc', scopes: ['READ'] },
      { tenant: 'x'.repeat(33), scopes: ['READ'] },
      { tenant: 'acme', scopes: [] },
    ]) {
      const res = await admin.gql(CREATE_KEY, variables);
      expect(res.body.errors[0].extensions.code, JSON.stringify(variables)).toBe('BAD_USER_INPUT');
    }
    const unknownScope = await admin.gql(CREATE_KEY, { tenant: 'acme', scopes: ['ROOT'] });
    expect(unknownScope.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('ends a revoked key at once', async ({ server }) => {
    const admin = keyed(server.url, ADMIN_KEY);
    const res = await admin.gql(CREATE_KEY, { tenant: 'acme', scopes: ['READ'] });
    const { key, apiKey } = res.body.data.createApiKey;
    const agent = keyed(server.url, key);
    expect((await agent.get('/storage/sessions')).status).toBe(200);
    const revoked = await admin.gql('mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }', { id: apiKey.id });
    expect(revoked.body.data.revokeApiKey.revokedAt).toEqual(expect.any(String));
    const after = await agent.get('/storage/sessions');
    expect(after.status).toBe(401);
    expect(after.body.detail).toBe('Invalid API key');
    // Revoking again is harmless and keeps the first time.
    const again = await admin.gql('mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: apiKey.id });
    expect(again.body.data.revokeApiKey.revokedAt).toBe(revoked.body.data.revokeApiKey.revokedAt);
  });
});

describe('servers reachable from other machines', () => {
  it('require API keys by default', async ({ serve }) => {
    const server = await serve({ HOST: '0.0.0.0' });
    expect(server.config.auth.mode).toBe('apikey');
    expect((await keyed(server.url, null).get('/storage/sessions')).status).toBe(401);
    expect((await keyed(server.url, null).get('/health')).status).toBe(200);
  });
});

describe('per-key rate limits', () => {
  it('answer 429 with Retry-After once a key’s budget is spent, on both doors', async ({ serve }) => {
    const server = await serve({ ...AUTH_ENV, RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '3' });
    const agent = keyed(server.url, await createKey(server.url, 'acme', ['READ']));
    // 10 at once against a budget of 3 (+1 a second): some must be refused, whatever the load.
    const rest = await Promise.all(Array.from({ length: 10 }, () => agent.get('/storage/sessions')));
    expect(rest.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(3);
    const limited = rest.find((r) => r.status === 429);
    expect(limited?.body.detail).toMatch(/Too many requests/);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const graphql = await Promise.all(Array.from({ length: 10 }, () => agent.gql('{ sessions { totalCount } }')));
    const limitedGql = graphql.find((r) => r.status === 429);
    expect(limitedGql?.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    // Another key has a budget of its own.
    const other = keyed(server.url, await createKey(server.url, 'acme', ['READ']));
    expect((await other.get('/storage/sessions')).status).toBe(200);
  });
});
