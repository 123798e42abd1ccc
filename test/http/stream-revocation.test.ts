import { ADMIN_KEY, AUTH_ENV, keyed } from '../support/auth.js';
import { describe, expect, it, test } from '../support/server-fixture.js';
import { openSse, type SseStream } from '../support/sse.js';

/**
 * A revoked key's open event streams end, on both doors and on every replica: REST sends a final
 * `event: error` saying why and closes; a GraphQL subscription yields an UNAUTHENTICATED error and
 * completes. Over plain fetch, against real servers.
 */
const SESSION_EVENTS = 'subscription ($sessionId: ID!) { sessionEvents(sessionId: $sessionId) { __typename seq } }';
const CREATE_KEY = 'mutation ($tenant: String!, $scopes: [ApiKeyScope!]!) { createApiKey(tenant: $tenant, scopes: $scopes) { key apiKey { id } } }';
const REVOKE_KEY = 'mutation ($id: ID!) { revokeApiKey(id: $id) { revokedAt } }';
const ENDED = 'The API key was revoked: the stream has ended';
/** Longer than any test: streams are not looked up again, so only the revocation itself can end them. */
const NEVER = 3_600_000;

// The file's server never looks its streams' keys up again; its replica does so every 100 ms (the
// documented interval is 5 s, tested in event-streams.test.ts; shortened here to keep the test quick).
test.override({ env: AUTH_ENV, serverOptions: { streamKeyCheckMs: NEVER }, replicaOptions: { streamKeyCheckMs: 100 } });

async function newKey(url: string): Promise<{ key: string; id: string }> {
  const created = await keyed(url, ADMIN_KEY).gql(CREATE_KEY, { tenant: 'acme', scopes: ['READ', 'WRITE'] });
  const { key, apiKey } = created.body.data.createApiKey;
  return { key, id: apiKey.id };
}

const restStream = (url: string, key: string, session: string) =>
  openSse(`${url}/storage/sessions/${session}/events`, { authorization: `Bearer ${key}` });

const graphqlStream = (url: string, key: string, session: string) =>
  openSse(
    `${url}/graphql`,
    { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    { method: 'POST', body: JSON.stringify({ query: SESSION_EVENTS, variables: { sessionId: session } }) },
  );

async function write(url: string, key: string, session: string): Promise<void> {
  expect((await keyed(url, key).post('/storage/history', { session_id: session, role: 'user', content: 'hi' })).status).toBe(200);
}

/** Both streams are live: each gets the next write. */
async function expectLive(rest: SseStream, graphql: SseStream): Promise<void> {
  expect((await rest.next())?.event).toBe('MessageAdded');
  expect(JSON.parse((await graphql.next())!.data).data.sessionEvents.__typename).toBe('MessageAdded');
}

/** The REST stream's last message says why, then it closes; the subscription's last result is the error, then it completes. */
async function expectEnded(rest: SseStream, graphql: SseStream): Promise<void> {
  const last = await rest.next();
  expect(last?.event).toBe('error');
  expect(last?.id).toBeUndefined();
  expect(JSON.parse(last!.data)).toEqual({ detail: ENDED, code: 'UNAUTHENTICATED' });
  expect(await rest.next()).toBeNull();

  const result = await graphql.next();
  expect(result?.event).toBe('next');
  // The field is non-null: its error nulls the whole `data`.
  expect(JSON.parse(result!.data)).toEqual({
    data: null,
    errors: [{ message: ENDED, locations: expect.any(Array), path: ['sessionEvents'], extensions: { code: 'UNAUTHENTICATED' } }],
  });
  expect((await graphql.next())?.event).toBe('complete');
  expect(await graphql.next()).toBeNull();
}

describe('a revoked key’s open event streams', () => {
  it('end at once on the server that revoked it, with the reason, on both doors; other keys’ streams go on', async ({ server }) => {
    const { url } = server;
    const agent = await newKey(url);
    const colleague = await newKey(url);
    const session = (await keyed(url, agent.key).post('/storage/sessions', { agent_name: 'a' })).body.id as string;
    const rest = await restStream(url, agent.key, session);
    const graphql = await graphqlStream(url, agent.key, session);
    const other = await restStream(url, colleague.key, session);
    expect([rest.status, graphql.status, other.status]).toEqual([200, 200, 200]);
    await write(url, agent.key, session);
    await expectLive(rest, graphql);
    expect((await other.next())?.event).toBe('MessageAdded');

    const revoked = await keyed(url, ADMIN_KEY).gql(REVOKE_KEY, { id: agent.id });
    expect(revoked.body.data.revokeApiKey.revokedAt).toEqual(expect.any(String));
    await expectEnded(rest, graphql);

    await write(url, colleague.key, session);
    expect((await other.next())?.event).toBe('MessageAdded');
    other.close();
    expect((await restStream(url, agent.key, session)).status).toBe(401);
  });

  it('end on another replica sharing the database once it looks the key up again', async ({ server: a, replica: b }) => {
    const agent = await newKey(a.url);
    const session = (await keyed(a.url, agent.key).post('/storage/sessions', { agent_name: 'a' })).body.id as string;
    const rest = await restStream(b.url, agent.key, session);
    const graphql = await graphqlStream(b.url, agent.key, session);
    expect([rest.status, graphql.status]).toEqual([200, 200]);
    await write(a.url, agent.key, session);
    await expectLive(rest, graphql);

    // Revoked through A, which has no stream of the key: B learns it from the database.
    expect((await keyed(a.url, ADMIN_KEY).gql(REVOKE_KEY, { id: agent.id })).body.data.revokeApiKey.revokedAt).toEqual(expect.any(String));
    await expectEnded(rest, graphql);
    // The look-up that ended them also ended B's cached authentication of the key.
    expect((await keyed(b.url, agent.key).get('/storage/sessions')).status).toBe(401);
  });
});
