import { describe, expect, it } from '../support/server-fixture.js';

/* Retention through both doors, black-box, on a real server (whose clock the test moves). */

describe('retention over REST and GraphQL', () => {
  it('sets expires_at from ttl_seconds, refuses both inputs, clears with never_expires', async ({ server, api }) => {
    const r = await api.post('/storage/sessions', { agent_name: 'a', ttl_seconds: 60 });
    expect(r.status).toBe(200);
    expect(r.body.expires_at).toBe(new Date(server.clock.now() + 60_000).toISOString());
    const both = await api.post('/storage/sessions', { agent_name: 'a', ttl_seconds: 60, expires_at: '2099-01-01T00:00:00Z' });
    expect(both.status).toBe(422);
    expect(both.body.detail[0].loc).toEqual(['body', 'ttl_seconds']);
    const past = await api.post('/storage/sessions', { agent_name: 'a', expires_at: '2000-01-01T00:00:00Z' });
    expect(past.status).toBe(422);
    expect((await api.post('/storage/sessions', { agent_name: 'a', ttl_seconds: 0 })).status).toBe(422);
    const cleared = await api.put(`/storage/sessions/${r.body.id}`, { never_expires: true });
    expect(cleared.body.expires_at).toBeNull();
    const plain = await api.post('/storage/sessions', { agent_name: 'a' });
    expect(plain.body.expires_at).toBeNull();
  });

  it('answers an expired session like an unknown one, then the sweep removes it', async ({ server, api }) => {
    const id = (await api.post('/storage/sessions', { agent_name: 'expiring', ttl_seconds: 5 })).body.id as string;
    await api.post('/storage/history', { session_id: id, role: 'user', content: 'hi' });
    server.clock.advance(5000);
    expect((await api.get(`/storage/sessions/${id}`)).status).toBe(404);
    expect((await api.get(`/storage/history?session_id=${id}`)).body).toEqual([]);
    expect((await api.get(`/storage/sessions?agent_name=expiring`)).body).toEqual([]);
    expect((await api.post('/storage/history', { session_id: id, role: 'user', content: 'late' })).status).toBe(404);
    expect((await api.put(`/storage/state/${id}`, { data: 1 })).status).toBe(404);
    expect((await api.put(`/storage/sessions/${id}`, { status: 'ended' })).status).toBe(404);
    const g = await api.gql('query($id: ID!) { session(id: $id) { id expiresAt } }', { id });
    expect(g.body.data.session).toBeNull();

    const dry = await api.post('/storage/retention/run?dry_run=true');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dry_run: true, expired_deleted: { ids: expect.arrayContaining([id]) } });
    const viaGraphql = await api.gql('mutation { runRetention(dryRun: true) { dryRun expiredDeleted { count ids } idleEnded { count } } }');
    expect(viaGraphql.body.data.runRetention.expiredDeleted.ids).toContain(id);
    expect(await server.storage.backend.stores.sessionMaintenance.byIdsIncludingExpired([id])).toHaveLength(1); // dry runs wrote nothing

    const run = await api.post('/storage/retention/run');
    expect(run.body).toMatchObject({ dry_run: false, expired_deleted: { ids: expect.arrayContaining([id]) } });
    expect(await server.storage.backend.stores.sessionMaintenance.byIdsIncludingExpired([id])).toEqual([]);
    expect((await api.post('/storage/retention/run?dry_run=maybe')).status).toBe(422);
  });

  it('GraphQL takes expiresAt / ttlSeconds / neverExpires and refuses two at once', async ({ server, api }) => {
    const created = await api.gql('mutation { createSession(input: { agentName: "g", ttlSeconds: 30 }) { id expiresAt } }');
    expect(created.body.data.createSession.expiresAt).toBe(new Date(server.clock.now() + 30_000).toISOString());
    const bad = await api.gql('mutation { createSession(input: { agentName: "g", ttlSeconds: 30, expiresAt: "2099-01-01T00:00:00Z" }) { id } }');
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const id = created.body.data.createSession.id;
    const cleared = await api.gql('mutation($id: ID!) { updateSession(id: $id, input: { neverExpires: true }) { expiresAt } }', { id });
    expect(cleared.body.data.updateSession.expiresAt).toBeNull();
  });
});
