import fc from 'fast-check';
import { AUTH_ENV, createKey, keyed } from '../support/auth.js';
import { describe, expect, it, test } from '../support/server-fixture.js';

/**
 * Tenant isolation, as a property: two tenants do random things through both doors, and neither
 * ever sees, changes or deletes anything of the other's — by id, by filter, nested, or by a cache
 * key they both use. Runs on SQLite and on PostgreSQL + Redis (the vitest projects).
 */

const TENANTS = ['acme', 'beta'] as const;
type Tenant = (typeof TENANTS)[number];
type Client = ReturnType<typeof keyed>;

interface Owned {
  sessions: Set<string>;
  messages: Set<string>;
  artifacts: Set<string>;
  metrics: Set<string>;
  cache: Map<string, unknown>;
}

const newOwned = (): Owned => ({ sessions: new Set(), messages: new Set(), artifacts: new Set(), metrics: new Set(), cache: new Map() });

/** Cache keys both tenants use: the same name must mean two different entries. */
const CACHE_KEYS = ['shared', 'config/agent', 'k'];

type Op =
  | { kind: 'createSession' | 'probe'; tenant: number }
  | { kind: 'addMessage' | 'setState' | 'createArtifact' | 'recordMetric' | 'deleteSession' | 'graphqlMessage'; tenant: number; pick: number }
  | { kind: 'setCache' | 'deleteCache'; tenant: number; key: number; value: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('createSession' as const, 'probe' as const), tenant: fc.nat(1) }),
  fc.record({
    kind: fc.constantFrom('addMessage' as const, 'setState' as const, 'createArtifact' as const, 'recordMetric' as const, 'deleteSession' as const, 'graphqlMessage' as const),
    tenant: fc.nat(1),
    pick: fc.nat(),
  }),
  fc.record({ kind: fc.constantFrom('setCache' as const, 'deleteCache' as const), tenant: fc.nat(1), key: fc.nat(CACHE_KEYS.length - 1), value: fc.integer() }),
);

test.override({ env: AUTH_ENV });

describe('tenant isolation (two tenants, random operations)', () => {
  const clients = {} as Record<Tenant, Client>;
  const owned: Record<Tenant, Owned> = { acme: newOwned(), beta: newOwned() };
  /** Everything ever created, by anyone (ids of deleted sessions included: they must stay unreachable). */
  const everySession: string[] = [];

  test.beforeAll(async ({ server }) => {
    for (const tenant of TENANTS) clients[tenant] = keyed(server.url, await createKey(server.url, tenant, ['READ', 'WRITE']));
  });

  const otherOf = (tenant: Tenant): Tenant => (tenant === 'acme' ? 'beta' : 'acme');
  const pickSession = (pick: number) => (everySession.length ? everySession[pick % everySession.length]! : 'session_none');

  async function apply(o: Op): Promise<void> {
    const tenant = TENANTS[o.tenant]!;
    const mine = owned[tenant];
    const api = clients[tenant];
    switch (o.kind) {
      case 'createSession': {
        const res = await api.post('/storage/sessions', { agent_name: `agent-${tenant}`, metadata: { tenant } });
        expect(res.status).toBe(200);
        mine.sessions.add(res.body.id);
        everySession.push(res.body.id);
        return;
      }
      case 'addMessage': {
        const session = pickSession(o.pick);
        const res = await api.post('/storage/history', { session_id: session, role: 'user', content: `from ${tenant}` });
        expect(res.status).toBe(mine.sessions.has(session) ? 200 : 404);
        if (res.status === 200) mine.messages.add(res.body.id);
        return;
      }
      case 'setState': {
        const session = pickSession(o.pick);
        const res = await api.put(`/storage/state/${session}`, { data: { by: tenant } });
        expect(res.status).toBe(mine.sessions.has(session) ? 200 : 404);
        return;
      }
      case 'createArtifact': {
        const session = pickSession(o.pick);
        const res = await api.post('/storage/artifacts', { session_id: session, name: 'a', type: 'file', path: `/${tenant}`, size: 1 });
        expect(res.status).toBe(mine.sessions.has(session) ? 200 : 404);
        if (res.status === 200) mine.artifacts.add(res.body.id);
        return;
      }
      case 'recordMetric': {
        // A metric may name any session id (metrics outlive sessions); it still belongs to its writer.
        const res = await api.post('/storage/metrics', {
          entity_type: 'agent', entity_name: tenant, metric_name: 'steps', value: 1, session_id: pickSession(o.pick),
        });
        expect(res.status).toBe(200);
        mine.metrics.add(res.body.id);
        return;
      }
      case 'deleteSession': {
        const session = pickSession(o.pick);
        const res = await api.del(`/storage/sessions/${session}`);
        expect(res.status).toBe(mine.sessions.has(session) ? 200 : 404);
        mine.sessions.delete(session);
        return;
      }
      case 'graphqlMessage': {
        const session = pickSession(o.pick);
        const res = await api.gql('mutation ($s: ID!) { addMessage(input: { sessionId: $s, role: USER, content: "gql" }) { id } }', { s: session });
        if (mine.sessions.has(session)) mine.messages.add(res.body.data.addMessage.id);
        else expect(res.body.errors[0].extensions.code).toBe('NOT_FOUND');
        return;
      }
      case 'setCache': {
        const key = CACHE_KEYS[o.key]!;
        expect((await api.put(`/storage/cache/${key}`, { value: { tenant, value: o.value } })).status).toBe(200);
        mine.cache.set(key, { tenant, value: o.value });
        return;
      }
      case 'deleteCache': {
        const key = CACHE_KEYS[o.key]!;
        expect((await api.del(`/storage/cache/${key}`)).status).toBe(mine.cache.has(key) ? 200 : 404);
        mine.cache.delete(key);
        return;
      }
      case 'probe':
        return checkIsolation(tenant);
    }
  }

  /** What `tenant` can see is exactly its own, and nothing of the other tenant's answers. */
  async function checkIsolation(tenant: Tenant): Promise<void> {
    const api = clients[tenant];
    const mine = owned[tenant];
    const theirs = owned[otherOf(tenant)];

    const listed = await api.get('/storage/sessions?limit=10000');
    expect(new Set(listed.body.map((s: { id: string }) => s.id))).toEqual(mine.sessions);
    const metrics = await api.get('/storage/metrics?limit=10000');
    expect(new Set(metrics.body.map((m: { id: string }) => m.id))).toEqual(mine.metrics);
    // Nested fields of the newest sessions (one query under the default cost limit), counts of all.
    const everything = await api.gql(`{
      sessions(first: 5) { totalCount nodes { id history(first: 10) { nodes { id } } artifacts(first: 10) { nodes { id } } } }
      metrics(first: 1) { totalCount }
    }`);
    expect(everything.body.errors, JSON.stringify(everything.body.errors)).toBeUndefined();
    const nodes = everything.body.data.sessions.nodes as { id: string; history: { nodes: { id: string }[] }; artifacts: { nodes: { id: string }[] } }[];
    expect(everything.body.data.sessions.totalCount).toBe(mine.sessions.size);
    expect(everything.body.data.metrics.totalCount).toBe(mine.metrics.size);
    for (const node of nodes) {
      expect(mine.sessions.has(node.id)).toBe(true);
      for (const m of node.history.nodes) expect(mine.messages.has(m.id)).toBe(true);
      for (const a of node.artifacts.nodes) expect(mine.artifacts.has(a.id)).toBe(true);
    }

    for (const id of theirs.sessions) {
      expect((await api.get(`/storage/sessions/${id}`)).status).toBe(404);
      expect((await api.get(`/storage/history?session_id=${id}`)).body).toEqual([]);
      expect((await api.get(`/storage/state/${id}`)).status).toBe(404);
      expect((await api.get(`/storage/artifacts?session_id=${id}`)).body).toEqual([]);
      expect((await api.put(`/storage/sessions/${id}`, { status: 'ended' })).status).toBe(404);
      expect((await api.gql('query ($id: ID!) { session(id: $id) { id } }', { id })).body.data.session).toBeNull();
    }
    for (const id of theirs.messages) {
      expect((await api.gql('query ($id: ID!) { message(id: $id) { id } }', { id })).body.data.message).toBeNull();
    }
    for (const id of theirs.artifacts) {
      expect((await api.get(`/storage/artifacts/${id}`)).status).toBe(404);
      expect((await api.del(`/storage/artifacts/${id}`)).status).toBe(404);
    }
    for (const key of CACHE_KEYS) {
      const res = await api.get(`/storage/cache/${key}`);
      if (mine.cache.has(key)) expect(res.body.value).toEqual(mine.cache.get(key));
      else expect(res.status).toBe(404);
    }
  }

  it('never lets one tenant read, list, count, change or delete the other’s records', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        for (const o of ops) await apply(o);
        for (const tenant of TENANTS) await checkIsolation(tenant);
      }),
      { numRuns: 15 },
    );
  });

  it('keeps each tenant in a database of its own', async ({ server }) => {
    // The default tenant (the bootstrap key's) sees neither.
    const sessions = await server.storage.sessions.list({}, { limit: 10_000 });
    const foreign = new Set([...owned.acme.sessions, ...owned.beta.sessions]);
    expect(sessions.filter((s) => foreign.has(s.id))).toEqual([]);
  });
});
