import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/http.js';
import { testDatabase } from '../support/postgres.js';
import { type Service, startService } from '../support/process.js';
import { openSse } from '../support/sse.js';

/**
 * Two real server processes sharing one PostgreSQL database, as behind a load balancer: writes,
 * appends and the change feed (events written through one wake subscribers on the other through
 * LISTEN/NOTIFY).
 */
describe('replicas on one PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let a: Service;
  let b: Service;

  beforeAll(async () => {
    db = await testDatabase();
    // Started at the same moment: the migration's advisory lock makes them take turns.
    [a, b] = await Promise.all([startService({ DATABASE_URL: db.url }), startService({ DATABASE_URL: db.url })]);
  }, 60_000);

  afterAll(async () => {
    const exits = await Promise.all([a?.stop(), b?.stop()]);
    expect(exits.map((e) => e?.code)).toEqual([0, 0]); // graceful shutdown, open event streams or not
    await db?.drop();
  });

  it('a write acknowledged by one replica is immediately readable through the other', async () => {
    const [ra, rb] = [client(a.url), client(b.url)];
    for (let i = 0; i < 20; i++) {
      const created = await ra.post('/storage/sessions', { agent_name: 'replicated', metadata: { i } });
      expect(created.status).toBe(200);
      const read = await rb.get(`/storage/sessions/${created.body.id}`);
      expect(read.body).toEqual(created.body);
      const state = await rb.put(`/storage/state/${created.body.id}`, { data: { step: i } });
      expect(state.status).toBe(200);
      expect((await ra.get(`/storage/state/${created.body.id}`)).body.data).toEqual({ step: i });
    }
  });

  it('1,000 concurrent appends to one session over both replicas are stored once each, in one total order', async () => {
    const [ra, rb] = [client(a.url), client(b.url)];
    const sessionId = (await ra.post('/storage/sessions', { agent_name: 'hot' })).body.id as string;
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        (i % 2 ? rb : ra).post('/storage/history', { session_id: sessionId, role: 'user', content: `m${i}` }),
      ),
    );
    expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);

    const viaA = (await ra.get(`/storage/history?session_id=${sessionId}`)).body as { id: string; seq: number; content: string }[];
    const viaB = (await rb.get(`/storage/history?session_id=${sessionId}`)).body as typeof viaA;
    expect(viaA).toHaveLength(1000);
    expect(viaB).toEqual(viaA); // one order, whichever replica is asked
    expect(viaA.map((m) => m.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(new Set(viaA.map((m) => m.content)).size).toBe(1000); // each append exactly once
    const acknowledged = new Map(results.map((r) => [r.body.id as string, r.body.seq as number]));
    for (const m of viaA) expect(acknowledged.get(m.id)).toBe(m.seq);
  }, 60_000);

  it('events written through one replica reach subscribers on the other, every one once and in order', async () => {
    const [ra, rb] = [client(a.url), client(b.url)];
    const id = (await ra.post('/storage/sessions', { agent_name: 'replicated' })).body.id as string;
    const onB = await openSse(`${b.url}/storage/sessions/${id}/events`);
    const onA = await openSse(`${a.url}/storage/sessions/${id}/events`);
    const N = 100;
    const writes = await Promise.all(
      Array.from({ length: N }, (_, i) => (i % 2 ? rb : ra).post('/storage/history', { session_id: id, role: 'user', content: `m${i}` })),
    );
    expect(writes.every((r) => r.status === 200)).toBe(true);
    const seqs = async (stream: Awaited<ReturnType<typeof openSse>>) => (await stream.take(N)).map((m) => JSON.parse(m.data).seq as number);
    const [fromB, fromA] = await Promise.all([seqs(onB), seqs(onA)]);
    expect(new Set(fromB).size).toBe(N);
    expect(fromB).toEqual([...fromB].sort((x, y) => x - y));
    expect(fromA).toEqual(fromB);

    // One write on A, nothing else going on: B's subscriber is woken by the notification alone.
    await ra.put(`/storage/state/${id}`, { data: { from: 'a' } });
    const next = await onB.next();
    expect(next?.event).toBe('StateChanged');
    expect(JSON.parse(next!.data).state.data).toEqual({ from: 'a' });
    onA.close();
    // Left open on purpose: shutdown must end it (see afterAll).
    void onB;
  }, 60_000);
});
