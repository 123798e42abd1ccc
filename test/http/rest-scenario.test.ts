import { describe, expect, it } from '../support/server-fixture.js';

/** The original service's 16-step integration test, replayed against this one, in order. */
describe('REST: the original 16-step scenario', () => {
  let sessionId: string;
  let artifactId: string;

  it('1. health check', async ({ server, api }) => {
    const r = await api.get('/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'healthy', backend: server.backend.kind });
    expect(typeof r.body.version).toBe('string');
  });

  it('2. create session', async ({ api }) => {
    const r = await api.post('/storage/sessions', { agent_name: 'research_orchestrator', user_id: 'user_123' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ agent_name: 'research_orchestrator', user_id: 'user_123', status: 'active', metadata: {} });
    expect(r.body.id).toMatch(/^session_[0-9a-z]{26}$/);
    expect(r.body.created_at).toBe(r.body.updated_at);
    expect(new Date(r.body.created_at).toISOString()).toBe(r.body.created_at);
    sessionId = r.body.id;
  });

  it('3. get session', async ({ api }) => {
    const r = await api.get(`/storage/sessions/${sessionId}`);
    expect(r.status).toBe(200);
    expect(r.body.id).toBe(sessionId);
    // the original fields, plus where a fork comes from (null here: not a fork)
    expect(Object.keys(r.body).sort()).toEqual(['agent_name', 'created_at', 'expires_at', 'forked_from_message_id', 'id', 'metadata', 'parent_id', 'status', 'updated_at', 'user_id']);
    expect(r.body).toMatchObject({ parent_id: null, forked_from_message_id: null, expires_at: null });
  });

  it('4. add messages (3)', async ({ api }) => {
    for (const [role, content] of [
      ['user', 'What is quantum computing?'],
      ['assistant', 'Quantum computing uses qubits...'],
      ['user', 'Tell me more'],
    ] as const) {
      const r = await api.post('/storage/history', { session_id: sessionId, role, content });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ session_id: sessionId, role, content, metadata: {} });
      expect(r.body.id).toMatch(/^msg_/);
    }
  });

  it('5. get conversation history', async ({ api }) => {
    const r = await api.get(`/storage/history?session_id=${sessionId}`);
    expect(r.status).toBe(200);
    expect(Array.isArray(r.body)).toBe(true);
    expect(r.body.map((m: { content: string }) => m.content)).toEqual([
      'What is quantum computing?',
      'Quantum computing uses qubits...',
      'Tell me more',
    ]);
  });

  it('6. update agent state', async ({ api }) => {
    const r = await api.put(`/storage/state/${sessionId}`, { data: { context: 'quantum computing', depth: 3 } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ session_id: sessionId, data: { context: 'quantum computing', depth: 3 } });
  });

  it('7. get agent state', async ({ api }) => {
    const r = await api.get(`/storage/state/${sessionId}`);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ context: 'quantum computing', depth: 3 });
  });

  it('8. create artifact', async ({ api }) => {
    const r = await api.post('/storage/artifacts', {
      session_id: sessionId,
      name: 'report.pdf',
      type: 'pdf',
      path: '/artifacts/report.pdf',
      size: 1024,
      metadata: { pages: 10 },
    });
    expect(r.status).toBe(200);
    expect(r.body.id).toMatch(/^artifact_/);
    expect(r.body).toMatchObject({ name: 'report.pdf', size: 1024, metadata: { pages: 10 } });
    artifactId = r.body.id;
  });

  it('9. list artifacts', async ({ api }) => {
    const r = await api.get(`/storage/artifacts?session_id=${sessionId}`);
    expect(r.status).toBe(200);
    expect(r.body.map((a: { id: string }) => a.id)).toEqual([artifactId]);
  });

  it('10. record metrics (2)', async ({ api }) => {
    for (const value of [1.5, 2.5]) {
      const r = await api.post('/storage/metrics', {
        entity_type: 'agent',
        entity_name: 'research_orchestrator',
        session_id: sessionId,
        metric_name: 'execution_time',
        value,
        labels: { model: 'x' },
      });
      expect(r.status).toBe(200);
      expect(r.body.id).toMatch(/^metric_/);
    }
  });

  it('11. query metrics', async ({ api }) => {
    const r = await api.get('/storage/metrics?entity_type=agent&entity_name=research_orchestrator');
    expect(r.status).toBe(200);
    expect(r.body.map((m: { value: number }) => m.value)).toEqual([1.5, 2.5]);
  });

  it('12. set cache with TTL', async ({ api }) => {
    const r = await api.put('/storage/cache/test_key', { value: { cached: 'data' }, ttl: 60 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ key: 'test_key', value: { cached: 'data' }, ttl: 60 });
  });

  it('13. get cache', async ({ api }) => {
    const r = await api.get('/storage/cache/test_key');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ key: 'test_key', value: { cached: 'data' }, ttl: 60 });
    for (const field of ['created_at', 'accessed_at']) expect(typeof r.body[field]).toBe('string');
  });

  it('14. list sessions with filters', async ({ api }) => {
    const r = await api.get('/storage/sessions?agent_name=research_orchestrator&status=active');
    expect(r.status).toBe(200);
    expect(r.body.map((s: { id: string }) => s.id)).toEqual([sessionId]);
  });

  it('15. update session status', async ({ server, api }) => {
    server.clock.advance(1000);
    const r = await api.put(`/storage/sessions/${sessionId}`, { status: 'ended' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ended', agent_name: 'research_orchestrator', user_id: 'user_123' });
    expect(r.body.updated_at > r.body.created_at).toBe(true);
  });

  it('16. delete session (cascade cleanup)', async ({ api }) => {
    expect((await api.del(`/storage/sessions/${sessionId}`)).status).toBe(200);
    expect((await api.get(`/storage/sessions/${sessionId}`)).body).toEqual({ detail: 'Session not found' });
    expect((await api.get(`/storage/history?session_id=${sessionId}`)).body).toEqual([]);
    expect((await api.get(`/storage/state/${sessionId}`)).status).toBe(404);
    expect((await api.get(`/storage/artifacts?session_id=${sessionId}`)).body).toEqual([]);
    expect((await api.get(`/storage/artifacts/${artifactId}`)).status).toBe(404);
    // Metrics outlive their session, as in the original service.
    expect((await api.get(`/storage/metrics?session_id=${sessionId}`)).body).toHaveLength(2);
  });
});
