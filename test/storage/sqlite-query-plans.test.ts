import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdGenerator } from '../../src/domain/ids.js';
import { parseInput } from '../../src/domain/inputs.js';
import { memoryOperations } from '../../src/modules/memory/service.js';
import { listCheckpointsInput, putCheckpointInput, putWritesInput } from '../../src/modules/checkpoints/model.js';
import { SqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import { Storage } from '../../src/storage/storage.js';
import { ManualClock, tempDatabase } from '../support/fixtures.js';

/**
 * Every statement the backend runs must find its rows through an index: a full scan of history,
 * metrics or artifacts costs time proportional to the whole store, which the benchmarks would only
 * show at a size the tests never reach. The workload below exercises every operation; each distinct
 * statement is then explained with SQLite's EXPLAIN QUERY PLAN.
 */
describe('SQLite query plans', () => {
  const db = tempDatabase();
  const statements = new Map<string, string>();
  let backend: SqliteBackend;

  beforeAll(async () => {
    backend = new SqliteBackend({ filename: db.filename, onQuery: (name, sql) => void statements.set(sql, name) });
    const clock = new ManualClock();
    const storage = new Storage(backend, clock, createIdGenerator(clock));
    const sessions = [];
    for (let i = 0; i < 3; i++) {
      const s = await storage.sessions.create({ agentName: `agent${i % 2}`, userId: `u${i}`, status: 'active', metadata: {} });
      sessions.push(s);
      const [m] = await storage.history.addMany(s.id, [{ role: 'user', content: 'hi', metadata: {} }, { role: 'assistant', content: 'yo', metadata: {} }]);
      await storage.history.get(m!.id);
      await storage.state.set(s.id, { i });
      const a = await storage.artifacts.create({ sessionId: s.id, name: 'a', type: 't', path: '/p', size: 1, metadata: {} });
      await storage.artifacts.get(a.id);
      await storage.metrics.record([{ entityType: 'agent', entityName: `agent${i}`, sessionId: s.id, metricName: 'latency', value: i, timestamp: null, labels: {} }]);
    }
    const ids = sessions.map((s) => s.id);
    const key = { timestamp: clock.iso(), id: 'metric_0' };
    for (const slice of [{ limit: 10 }, { limit: 10, after: 1, before: 5 }, { limit: 10, fromEnd: true }, { limit: 10, offset: 1 }]) {
      await storage.history.list(ids[0]!, slice);
      await storage.history.pages(ids, slice);
    }
    await storage.history.counts(ids);
    await storage.state.bySessionIds(ids);
    await storage.artifacts.pages(ids, { limit: 10, after: 'artifact_0' });
    await storage.artifacts.list(ids[0]!, { limit: 10 });
    await storage.artifacts.counts(ids);
    const range = { since: '2025-01-01T00:00:00.000Z', until: '2027-01-01T00:00:00.000Z' };
    for (const filter of [{}, { agentName: 'agent0' }, { userId: 'u1' }, { status: 'active' as const }, { agentName: 'agent1', status: 'ended' as const }, range, { since: range.since }]) {
      await storage.sessions.list(filter, { limit: 10, after: ids[2] });
      await storage.sessions.count(filter);
    }
    for (const filter of [
      {},
      { entityType: 'agent', entityName: 'agent1' },
      { sessionId: ids[0] },
      { metricName: 'latency' },
      { since: '2025-01-01T00:00:00.000Z', until: '2027-01-01T00:00:00.000Z' },
    ]) {
      await storage.metrics.list(filter, { limit: 10, after: key });
      await storage.metrics.count(filter);
      await storage.metrics.pages(ids, filter, { limit: 10 });
      await storage.metrics.counts(ids, filter);
    }
    // safe concurrency: named appends and their repeats, versioned state, merge patches, forks
    const named = { role: 'user' as const, content: 'named', metadata: {}, id: 'msg_named', idempotencyKey: 'k1' };
    await storage.history.addMany(ids[0]!, [named]);
    await storage.history.addMany(ids[0]!, [named, { ...named, id: null, idempotencyKey: 'k2' }]);
    await storage.state.set(ids[0]!, { v: 2 }, 1);
    await storage.state.patch(ids[0]!, { w: 1 });
    const fork = await storage.sessions.fork(ids[0]!, 'msg_named');
    for (const slice of [{ limit: 10 }, { limit: 10, after: 'session_0' }, { limit: 10, fromEnd: true }]) {
      await storage.sessions.forkPages(ids, slice);
      await storage.sessions.forks(ids[0]!, slice);
    }
    await storage.sessions.forkCounts(ids);
    await backend.stores.sessionImport.linkParents([{ id: fork.session.id, parentId: ids[1]! }]);
    await storage.sessions.update(ids[0]!, { status: 'paused' });
    await storage.cache.set('k', { value: 1, ttl: 1 });
    await storage.cache.get('k');
    clock.advance(5000);
    await storage.cache.cleanup();
    await storage.history.clear(ids[1]!);
    await storage.artifacts.delete((await storage.artifacts.list(ids[2]!, { limit: 1 }))[0]!.id);
    await storage.state.delete(ids[2]!);
    await storage.sessions.delete(ids[2]!);
    // LangGraph checkpoints: puts, writes, reads by key and in batches, lists with each filter, prune, copy, TTL
    const cps = storage.checkpoints;
    for (const [thread, id] of [['t1', '1'], ['t1', '2'], ['t2', '1']] as const) {
      await cps.putCheckpoint(parseInput(putCheckpointInput, {
        threadId: thread, id, type: 'json', data: 'e30=', metadata: { step: 1 }, channelVersions: { a: Number(id) }, channelValues: [{ channel: 'a', version: Number(id), type: 'json', data: 'e30=' }],
      }));
      await cps.putWrites(parseInput(putWritesInput, { threadId: thread, checkpointId: id, taskId: 'task', writes: [{ idx: 0, channel: 'a', type: 'json', data: 'e30=' }, { idx: -1, channel: 'e', type: 'json', data: 'e30=' }] }));
    }
    const keys = [{ threadId: 't1', namespace: '', id: '1' }, { threadId: 't2', namespace: '', id: '1' }];
    await cps.channelValues(keys);
    await cps.pendingWrites(keys);
    await cps.checkpoint('t1', '', null);
    await cps.checkpoint('t1', '', '1');
    await cps.threads(['t1', 't2']);
    for (const filter of [{}, { threadId: 't1' }, { threadId: 't1', namespace: '' }, { before: '2' }, { filter: { step: 1 } }]) {
      const input = parseInput(listCheckpointsInput, filter);
      await cps.list(input, { limit: 10, after: { threadId: 't1', namespace: '', id: '3' } });
      await cps.count(input);
    }
    await cps.copyThread('t1', 't3');
    await cps.prune({ threadIds: ['t1', 't3'], keep: 1 });
    await cps.setTtl('t3', 1);
    await cps.deleteThread('t2');
    // retention: the sweeper's walks (first batch and a later one) and its guarded writes
    await storage.sessions.update(ids[1]!, { ttlSeconds: 1 });
    const policy = { idleHours: 1, deleteEndedDays: 1, threadIdleDays: 1, batchSize: 1, reportIds: 10 };
    await storage.retention.run(policy, { dryRun: true });
    clock.advance(3 * 24 * 3600 * 1000);
    await storage.retention.run(policy);
    // the memory store: its prefix searches walk one range of the (namespace, key) index
    const put = (namespace: string[], key: string) => ({ put: { namespace, key, value: { t: 'words here' }, ttlMinutes: 1, vectors: [{ field: 'f', vector: [1, 0] }] } });
    await storage.memory.batch(parseInput(memoryOperations, [put(['m', 'a'], 'k'), put(['m', 'b'], 'k')]));
    await storage.memory.batch(
      parseInput(memoryOperations, [
        { get: { namespace: ['m', 'a'], key: 'k', refreshTtl: true } },
        { search: { namespacePrefix: ['m'], filter: { t: 'x' }, refreshTtl: true } },
        { search: { namespacePrefix: ['m'], query: 'words' } },
        { search: { namespacePrefix: ['m'], queryVector: [1, 0] } },
        { listNamespaces: { prefix: ['m'] } },
        { put: { namespace: ['m', 'a'], key: 'k', value: null } },
      ]),
    );
    clock.advance(120_000);
    await storage.retention.run(policy);
  });

  afterAll(async () => {
    await backend.close();
    db.cleanup();
  });

  it('finds rows through indexes: no full scan of history, metrics, artifacts, state or cache', () => {
    expect(statements.size).toBeGreaterThan(30);
    const raw = new Database(db.filename, { readonly: true });
    try {
      const fullScans: string[] = [];
      for (const [sql, name] of statements) {
        const params = (sql.match(/\?/g) ?? []).map(() => null);
        const plan = raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
        if (process.env.SHOW_PLANS) console.log(name, plan.map((p) => p.detail).join(" / "));
        for (const { detail } of plan) {
          // `t_`: the table a per-session window joins back to (slicesBySession).
          // Counting every checkpoint of a tenant (an unfiltered totalCount, computed only when asked for) reads them all.
          if (name === 'countCheckpoints' && detail === 'SCAN thread_checkpoints') continue;
          if (/^SCAN (t_|history|metrics|artifacts|state|cache|threads|thread_checkpoints|thread_channel_values|thread_writes|c_|pw_|b_)\b(?! USING)/.test(detail)) {
            fullScans.push(`${name}: ${detail}`);
          }
        }
        // A session's metrics are found through the session index, whatever else filters them.
        if (/^metric(Pages|Counts)$/.test(name) && !plan.some((p) => p.detail.includes('idx_metrics_session'))) {
          fullScans.push(`${name} does not use idx_metrics_session: ${plan.map((p) => p.detail).join(' / ')}`);
        }
        // A time range alone is counted through the creation-time index, not by reading every session.
        if (name === 'countSessions' && sql.includes('created_at') && !/agent_name|user_id|status/.test(sql) && !plan.some((p) => p.detail.includes('idx_sessions_created'))) {
          fullScans.push(`${name} by time does not use idx_sessions_created: ${plan.map((p) => p.detail).join(' / ')}`);
        }
        // Sessions are found by id, or a session's forks by their parent: never by scanning sessions.
        if (plan.some((p) => /^SCAN sessions\b(?! USING)/.test(p.detail)) && name !== 'countSessions' && name !== 'listSessions') {
          fullScans.push(`${name}: ${plan.map((p) => p.detail).join(' / ')}`);
        }
        if (/^fork(Pages|Counts)$/.test(name) && !plan.some((p) => p.detail.includes('idx_sessions_parent'))) {
          fullScans.push(`${name} does not use idx_sessions_parent: ${plan.map((p) => p.detail).join(' / ')}`);
        }
        // The retention walks go through their own indexes, never through every session.
        if (/^retention_expired$/.test(name) && !plan.some((p) => p.detail.includes('idx_sessions_expires'))) {
          fullScans.push(`${name} does not use idx_sessions_expires: ${plan.map((p) => p.detail).join(' / ')}`);
        }
        if (/^retention_(idle|ended)$/.test(name) && !plan.some((p) => p.detail.includes('idx_sessions_status_updated'))) {
          fullScans.push(`${name} does not use idx_sessions_status_updated: ${plan.map((p) => p.detail).join(' / ')}`);
        }
        // A memory search below a prefix reads one range of the item index, not every item.
        if (/^memory/.test(name) && sql.includes('memory_items.namespace >=') && plan.some((p) => /^SCAN memory_items\b(?! USING)/.test(p.detail))) {
          fullScans.push(`${name}: ${plan.map((p) => p.detail).join(' / ')}`);
        }
        if (/^deleteExpiredMemoryItems$/.test(name) && !plan.some((p) => p.detail.includes('idx_memory_items_expires'))) {
          fullScans.push(`${name} does not use idx_memory_items_expires: ${plan.map((p) => p.detail).join(' / ')}`);
        }
        if (/^repeatsByKey$/.test(name) && !plan.some((p) => p.detail.includes('idx_history_idempotency'))) {
          fullScans.push(`${name} does not use idx_history_idempotency: ${plan.map((p) => p.detail).join(' / ')}`);
        }
      }
      expect(fullScans).toEqual([]);
    } finally {
      raw.close();
    }
  });
});
