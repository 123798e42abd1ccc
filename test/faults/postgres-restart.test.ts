import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivatePostgres, privatePostgres } from './private-postgres.js';
import { INTERNALS, request, sleep } from './support.js';
import { type Service, startService } from '../support/process.js';

/**
 * PostgreSQL restarted while the service (a real process) is under write load: during the outage
 * writes answer 503 with Retry-After and nothing of the internals; once PostgreSQL is back the
 * service recovers by itself within seconds; no acknowledged write is lost and batches stay whole.
 */

let postgres: PrivatePostgres;
let service: Service;

beforeAll(async () => {
  postgres = await privatePostgres();
  service = await startService({ DATABASE_URL: postgres.url, PG_POOL_SIZE: '4' });
}, 120_000);

afterAll(async () => {
  const exit = await service?.stop();
  await postgres?.destroy();
  expect(exit?.code).toBe(0);
});

interface Attempt {
  at: number;
  status: number;
  text: string;
  retryAfter: string | null;
}

const ADD_MESSAGES = 'mutation($s: ID!, $m: [NewMessageInput!]!) { addMessages(sessionId: $s, messages: $m) { id } }';

describe('PostgreSQL restarted under load', () => {
  it('answers 503 while it is down, recovers within seconds after it returns, and loses no acknowledged write', async () => {
    const sessionId = (await request(service.url, 'POST', '/storage/sessions', { agent_name: 'pg-restart' })).body.id as string;
    const attempts: Attempt[] = [];
    const acknowledged = new Map<string, string>(); // message id → content
    const batches = new Map<string, string[] | null>(); // tag → acknowledged ids, or null
    let done = false;
    const record = (reply: Awaited<ReturnType<typeof request>>) =>
      attempts.push({ at: Date.now(), status: reply.status, text: reply.text, retryAfter: reply.headers.get('retry-after') });

    const singles = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; !done; i++) {
        const content = `w${w}-${i}`;
        const reply = await request(service.url, 'POST', '/storage/history', { session_id: sessionId, role: 'user', content });
        record(reply);
        if (reply.status === 200) acknowledged.set(reply.body.id, content);
        else await sleep(50);
      }
    });
    const batchers = Array.from({ length: 2 }, async (_, w) => {
      for (let b = 0; !done; b++) {
        const tag = `b${w}-${b}`;
        batches.set(tag, null);
        const messages = Array.from({ length: 4 }, (_, i) => ({ role: 'ASSISTANT', content: `${tag}-${i}`, metadata: { tag } }));
        const reply = await request(service.url, 'POST', '/graphql', { query: ADD_MESSAGES, variables: { s: sessionId, m: messages } });
        const ids = reply.body?.data?.addMessages?.map((m: { id: string }) => m.id) as string[] | undefined;
        if (ids) batches.set(tag, ids);
        else {
          expect(reply.body?.errors?.[0]?.extensions?.code, reply.text).toBe('UNAVAILABLE');
          expect(reply.text).not.toMatch(INTERNALS);
          await sleep(50);
        }
      }
    });

    await sleep(1500);
    const stopping = Date.now();
    await postgres.stop('fast');
    const down = Date.now();
    await sleep(2000);
    const restarting = Date.now();
    await postgres.start(); // returns once PostgreSQL accepts connections
    const up = Date.now();
    // Recovery: the first write acknowledged after PostgreSQL was started again.
    let recovered: number | null = null;
    for (let waited = 0; recovered === null && waited < 30_000; waited += 20) {
      recovered = attempts.find((a) => a.at > restarting && a.status === 200)?.at ?? null;
      if (recovered === null) await sleep(20);
    }
    await sleep(1000);
    done = true;
    await Promise.all([...singles, ...batchers]);

    const during = attempts.filter((a) => a.at > down && a.at < restarting);
    const refused = attempts.filter((a) => a.status !== 200);
    const ackedBefore = attempts.filter((a) => a.at < stopping && a.status === 200).length;
    const ackedAfter = attempts.filter((a) => a.at > up && a.status === 200).length;
    console.info(
      `PostgreSQL restart: ${ackedBefore} writes acknowledged before, ${during.length} attempts while down (statuses ${[...new Set(during.map((a) => a.status))]}), ` +
        `first write acknowledged ${recovered === null ? 'never' : `${recovered - restarting} ms after the restart began (PostgreSQL took ${up - restarting} ms to accept connections)`}, ` +
        `${ackedAfter} acknowledged after; ` +
        `${acknowledged.size} single and ${[...batches.values()].filter(Boolean).length} batch writes acknowledged in all`,
    );

    expect(recovered, 'no write succeeded after PostgreSQL came back').not.toBeNull();
    expect(recovered! - up).toBeLessThan(5000); // within seconds of PostgreSQL accepting connections
    expect(during.length).toBeGreaterThan(0);
    // Every failure is a clean 503 with Retry-After: no 500, no hang, no internals.
    for (const attempt of refused) {
      expect(attempt.status, attempt.text).toBe(503);
      expect(attempt.retryAfter).toBe('2');
      expect(JSON.parse(attempt.text)).toEqual({ detail: 'The database is unavailable; retry shortly' });
      expect(attempt.text).not.toMatch(INTERNALS);
    }
    expect(during.every((a) => a.status === 503)).toBe(true);

    // Nothing acknowledged was lost; batches are all or nothing; seq has no gaps.
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string; seq: string; content: string; metadata: string }>(
        'SELECT id, seq, content, metadata::text AS metadata FROM history WHERE session_id = $1 ORDER BY seq',
        [sessionId],
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const [id, content] of acknowledged) expect(byId.get(id)?.content, id).toBe(content);
      expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
      const byTag = new Map<string, string[]>();
      for (const r of rows) {
        const tag = (JSON.parse(r.metadata) as { tag?: string }).tag;
        if (tag) byTag.set(tag, [...(byTag.get(tag) ?? []), r.id]);
      }
      for (const [tag, ids] of batches) {
        const stored = byTag.get(tag) ?? [];
        expect([0, 4], tag).toContain(stored.length);
        if (ids) expect(stored.sort()).toEqual([...ids].sort());
      }
    } finally {
      await client.end();
    }
    // The service is healthy again, and said what happened in its log without crashing.
    expect((await request(service.url, 'GET', '/health')).status).toBe(200);
    expect(service.child.exitCode).toBeNull();
  }, 120_000);
});
