import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { migrations } from '../../src/storage/postgres/migrations.js';
import { PostgresBackend } from '../../src/storage/postgres/postgres-backend.js';
import { TEST_PG_URL, testSchema } from '../support/postgres.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import { Storage } from '../../src/storage/storage.js';
import { ManualClock } from '../support/fixtures.js';
import { describeEventContract } from './backend-contract-events.js';
import type { Message, Metric, Session } from '../../src/domain/records.js';
import type { NewMessage } from '../../src/modules/history/messages.js';

const T0 = '2026-01-01T00:00:00.000Z';

// The real PostgreSQL of the machine, one throwaway schema per test.
describeEventContract('PostgresBackend (throwaway schema)', async () => {
  const target = testSchema();
  const backend = await PostgresBackend.open({ connectionString: TEST_PG_URL, schema: target.schema, poolSize: 4 });
  return {
    backend,
    async cleanup() {
      await backend.close();
      await target.drop();
    },
  };
});

describe('PostgresBackend change feed order', () => {
  it('a reader polling while many connections commit never skips a seq: seq order is commit order', async () => {
    const target = testSchema();
    const backend = await PostgresBackend.open({ connectionString: TEST_PG_URL, schema: target.schema, poolSize: 10 });
    try {
      const clock = new ManualClock();
      const storage = new Storage(backend, clock, createIdGenerator(clock));
      const sessions = await Promise.all(
        Array.from({ length: 8 }, () => storage.sessions.create({ agentName: 'race', userId: null, status: 'active', metadata: {} })),
      );
      // A reader that only ever asks "what is after the last seq I saw", as a stream does.
      const seen: number[] = [];
      let cursor = (await backend.stores.events.log()).lastSeq;
      let writing = true;
      const writers = Promise.all(
        sessions.map(async (s, w) => {
          for (let i = 0; i < 40; i++) {
            if (i % 4 === 0) await storage.state.set(s.id, { i });
            else await storage.history.add({ sessionId: s.id, role: 'user', content: `${w}-${i}`, metadata: {} });
          }
        }),
      ).finally(() => (writing = false));
      const read = async () => {
        const page = await backend.stores.events.after({ agentName: 'race' }, cursor, 1000);
        for (const e of page) seen.push(e.seq);
        if (page.length) cursor = page.at(-1)!.seq;
      };
      while (writing) await read();
      await writers;
      await read();
      const truth = (await backend.stores.events.after({ agentName: 'race' }, 0, 10_000)).filter((e) => e.type !== 'SessionCreated').map((e) => e.seq);
      expect(truth).toHaveLength(8 * 40);
      expect(seen).toEqual(truth);
    } finally {
      await backend.close();
      await target.drop();
    }
  }, 60_000);
});

describe('PostgresBackend prepared statements', () => {
  it('keeps apart operations whose SQL text is the same (a session filter and a per-session page)', async () => {
    const target = testSchema();
    const backend = await PostgresBackend.open({ connectionString: TEST_PG_URL, schema: target.schema, poolSize: 1 });
    try {
      // On one connection, both build `... WHERE session_id = $1 ...`: they must not share a prepared name.
      expect(await backend.stores.metrics.list({ sessionId: 'session_x' }, { limit: 10 })).toEqual([]);
      expect(await backend.stores.metrics.pages(['session_x'], {}, { limit: 10 })).toEqual(new Map([['session_x', []]]));
    } finally {
      await backend.close();
      await target.drop();
    }
  });
});

describe('PostgresBackend group commit (appends, metrics)', () => {
  const session = (id: string, expiresAt: string | null): Session => ({
    id, agentName: `agent-${id}`, userId: null, createdAt: T0, updatedAt: T0, status: 'active', metadata: {}, parentId: null, forkedFromMessageId: null, expiresAt,
  });
  const message = (n: number, timestamp = T0): NewMessage => ({ id: `msg_${String(n).padStart(4, '0')}`, sessionId: '', role: 'user', content: `m${n}\u0000`, metadata: { n }, timestamp });
  /** A backend on a throwaway schema, with how many times it ran each named statement; closed and dropped after `work`. */
  const withBackend = async (work: (backend: PostgresBackend, ran: (name: string) => number) => Promise<void>) => {
    const target = testSchema();
    const names: string[] = [];
    const backend = await PostgresBackend.open({ connectionString: TEST_PG_URL, schema: target.schema, poolSize: 4, onQuery: (name) => void names.push(name) });
    try {
      await work(backend, (name) => names.filter((n) => n === name).length);
    } finally {
      await backend.close();
      await target.drop();
    }
  };

  it('appends issued together share statements, and each caller is answered as if it had appended alone', () =>
    withBackend(async (backend, ran) => {
      const live = ['session_a', 'session_b', 'session_c'];
      for (const id of live) await backend.stores.sessions.insert(session(id, null));
      await backend.stores.sessions.insert(session('session_gone', '2000-01-01T00:00:00.000Z'));
      const targets = [...live, 'session_gone', 'session_unknown'];
      // 120 appends of 1–3 messages, all issued in one turn of the event loop.
      let n = 0;
      const issued = Array.from({ length: 120 }, (_, i) => {
        const sessionId = targets[(i * 7) % targets.length]!;
        const messages = Array.from({ length: 1 + (i % 3) }, () => message(++n));
        return { sessionId, messages, answer: backend.stores.history.append(sessionId, messages, T0) };
      });
      const answers = await Promise.all(issued.map((a) => a.answer));

      expect(ran('appendMessages')).toBeGreaterThanOrEqual(1);
      expect(ran('appendMessages')).toBeLessThan(issued.length / 4);
      const expected = new Map(live.map((id) => [id, [] as Message[]]));
      issued.forEach(({ sessionId, messages }, i) => {
        const list = expected.get(sessionId);
        if (!list) return expect(answers[i]).toBeNull();
        // Seqs in the order the appends were issued, with no gap: exactly what appending alone would give.
        const mine = messages.map((m, k) => ({ ...m, sessionId, seq: list.length + k + 1, idempotencyKey: null, item: null, tokenCount: null }));
        expect(answers[i]).toEqual(mine);
        list.push(...mine);
      });
      const stored = await backend.stores.history.pages(live, { limit: 1000 }, T0);
      for (const id of live) expect(stored.get(id)).toEqual(expected.get(id));
      const events = (await backend.stores.events.after({ sessionId: 'session_b' }, 0, 1000)).filter((e) => e.type === 'MessageAdded');
      // Read in feed order: the events of one session follow its messages' order.
      expect(events.map((e) => e.message)).toEqual(expected.get('session_b'));
    }));

  it('metrics recorded together share statements; each metric of a known session gets its event, in order', () =>
    withBackend(async (backend, ran) => {
      await backend.stores.sessions.insert(session('session_a', null));
      await backend.stores.sessions.insert(session('session_b', null));
      const owners = ['session_a', 'session_b', null, 'session_unknown'];
      let n = 0;
      const metric = (sessionId: string | null): Metric => ({
        id: `metric_${String(++n).padStart(4, '0')}`, entityType: 'agent', entityName: 'bench', sessionId,
        metricName: 'latency', value: n / 3, timestamp: T0, labels: { n },
      });
      // 80 writes of 1–2 metrics, all issued in one turn of the event loop.
      const writes = Array.from({ length: 80 }, (_, i) => Array.from({ length: 1 + (i % 2) }, () => metric(owners[i % owners.length]!)));
      await Promise.all(writes.map((metrics) => backend.stores.metrics.insert(metrics)));

      expect(ran('insertMetrics')).toBeGreaterThanOrEqual(1);
      expect(ran('insertMetrics')).toBeLessThan(writes.length / 4);
      const all = writes.flat();
      const stored = await backend.stores.metrics.list({}, { limit: 1000 });
      expect(new Set(stored.map((m) => m.id))).toEqual(new Set(all.map((m) => m.id)));
      for (const id of ['session_a', 'session_b']) {
        const events = (await backend.stores.events.after({ sessionId: id }, 0, 1000)).filter((e) => e.type === 'MetricRecorded');
        expect(events.map((e) => e.metric)).toEqual(all.filter((m) => m.sessionId === id));
      }
      expect(await backend.stores.events.after({ sessionId: 'session_unknown' }, 0, 1000)).toEqual([]);
    }));

  it('one bad append fails alone: the others of its batch are stored and answered', () =>
    withBackend(async (backend) => {
      await backend.stores.sessions.insert(session('session_a', null));
      // A timestamp PostgreSQL cannot read: the domain never sends one, so it stands in for any
      // failure caused by one append's data.
      const answers = await Promise.allSettled([1, 2, 3, 4].map((n) => backend.stores.history.append('session_a', [message(n, n === 2 ? 'not a time' : T0)], T0)));
      expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect((await backend.stores.history.pages(['session_a'], { limit: 1000 }, T0)).get('session_a')!.map((m) => [m.id, m.seq])).toEqual([
        ['msg_0001', 1],
        ['msg_0003', 2],
        ['msg_0004', 3],
      ]);
    }));

  it('close() answers the appends still queued before it ends the pool', async () => {
    const target = testSchema();
    const backend = await PostgresBackend.open({ connectionString: TEST_PG_URL, schema: target.schema, poolSize: 2 });
    try {
      await backend.stores.sessions.insert(session('session_a', null));
      const appends = [1, 2, 3].map((n) => backend.stores.history.append('session_a', [message(n)], T0));
      await backend.close();
      expect((await Promise.all(appends)).map((added) => added?.[0]?.seq)).toEqual([1, 2, 3]);
    } finally {
      await target.drop();
    }
  });
});

describe('PostgresBackend start-up', () => {
  it('several replicas migrating one fresh schema at once take turns: one schema, applied once', async () => {
    const target = testSchema();
    const backends = await Promise.all(
      Array.from({ length: 4 }, () => PostgresBackend.open({ connectionString: TEST_PG_URL, schema: target.schema, poolSize: 1 })),
    );
    try {
      for (const backend of backends) expect(await backend.schemaVersion()).toBe(migrations.at(-1)!.version);
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      const { rows } = await client.query(`SELECT COUNT(*)::int AS n FROM "${target.schema}".schema_migrations`);
      await client.end();
      expect(rows[0].n).toBe(migrations.length);
    } finally {
      await Promise.all(backends.map((b) => b.close()));
      await target.drop();
    }
  });

  it('refuses a schema migrated by a newer server, and an unreachable server, with clear messages', async () => {
    const target = testSchema();
    const first = await PostgresBackend.open({ connectionString: TEST_PG_URL, schema: target.schema, poolSize: 1 });
    await first.close();
    const client = new pg.Client({ connectionString: TEST_PG_URL });
    await client.connect();
    await client.query(`INSERT INTO "${target.schema}".schema_migrations (version, name) VALUES (999, 'from the future')`);
    await client.end();
    try {
      await expect(PostgresBackend.open({ connectionString: TEST_PG_URL, schema: target.schema })).rejects.toThrow(
        new RegExp(`Cannot open PostgreSQL database 127\\.0\\.0\\.1:5432/test \\(schema ${target.schema}\\): database schema version 999 is newer`),
      );
    } finally {
      await target.drop();
    }
    await expect(PostgresBackend.open({ connectionString: 'postgres://postgres:secret@127.0.0.1:1/nowhere' })).rejects.toThrow(
      /^Cannot open PostgreSQL database 127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/,
    );
  });
});
