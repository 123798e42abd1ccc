import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/http.js';
import { testDatabase } from '../support/postgres.js';
import { type Service, startService } from '../support/process.js';
import { openSse } from '../support/sse.js';

/**
 * The change feed across replicas: two real server processes on one PostgreSQL database. Events
 * written through one wake subscribers on the other through LISTEN/NOTIFY.
 */
describe('change feed across replicas on one PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let a: Service;
  let b: Service;

  beforeAll(async () => {
    db = await testDatabase();
    [a, b] = await Promise.all([startService({ DATABASE_URL: db.url }), startService({ DATABASE_URL: db.url })]);
  }, 60_000);

  afterAll(async () => {
    const exits = await Promise.all([a?.stop(), b?.stop()]);
    expect(exits.map((e) => e?.code)).toEqual([0, 0]); // graceful shutdown, open streams or not
    await db?.drop();
  });

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
