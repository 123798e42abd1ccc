import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, UnavailableError } from '../../src/domain/errors.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import type { NewMessage } from '../../src/modules/history/messages.js';
import { SqlCacheStore } from '../../src/modules/cache/store.js';
import { migrations } from '../../src/storage/sqlite/migrations.js';
import { SqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import { Storage } from '../../src/storage/storage.js';
import { ManualClock, tempDatabase } from '../support/fixtures.js';

/** SQLite-only guarantees: pragmas, migrations, durability across reopen, concurrency and locking. */
describe('SqliteBackend on a file', () => {
  let db: ReturnType<typeof tempDatabase>;
  const opened: { close(): unknown }[] = [];
  const open = (options: { busyTimeoutMs?: number; cacheMb?: number } = {}) => {
    const backend = new SqliteBackend({ filename: db.filename, ...options });
    opened.push(backend);
    return backend;
  };
  const raw = () => {
    const connection = new Database(db.filename);
    opened.push(connection);
    return connection;
  };
  const latest = migrations.at(-1)!.version;

  beforeEach(() => {
    db = tempDatabase();
  });
  afterEach(async () => {
    for (const handle of opened.splice(0).reverse()) await handle.close();
    db.cleanup();
  });

  it('runs with WAL, synchronous=FULL, foreign keys on and a page cache of SQLITE_CACHE_MB (2 MiB unless set)', () => {
    expect(open().settings()).toEqual({ journalMode: 'wal', synchronous: 2, foreignKeys: 1, cacheKib: 2048, schemaVersion: latest });
    expect(open({ cacheMb: 64 }).settings().cacheKib).toBe(65_536);
  });

  it('creates the folder of the file if it is missing', async () => {
    const backend = new SqliteBackend({ filename: `${db.dir}/nested/deeper/storage.db` });
    opened.push(backend);
    await backend.ping();
    expect(backend.settings().schemaVersion).toBe(latest);
  });

  it('records every migration once; reopening changes nothing and keeps the data', async () => {
    const clock = new ManualClock();
    const first = open();
    const storage = new Storage(first, clock, createIdGenerator(clock));
    const session = await storage.sessions.create({ agentName: 'planner', userId: null, status: 'active', metadata: { a: 1 } });
    await first.close();

    for (let i = 0; i < 2; i++) {
      const again = open();
      expect(again.settings().schemaVersion).toBe(latest);
      expect(await again.stores.sessionMaintenance.byIdsIncludingExpired([session.id])).toEqual([session]);
      await again.close();
    }
    const rows = raw().prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })));
  });

  it('refuses to open a database migrated by a newer server, naming the file', async () => {
    await open().close();
    const connection = raw();
    connection.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', '2030-01-01T00:00:00.000Z')").run(latest + 1);
    connection.close();

    expect(() => open()).toThrow(db.filename);
    expect(() => open()).toThrow(/schema version \d+ is newer than this server supports/);
    // the failed opens closed their connections: the last one to close removes the WAL file
    expect(existsSync(`${db.filename}-wal`)).toBe(false);
    // and it did not touch the schema on its way out
    const versions = raw().prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number };
    expect(versions.v).toBe(latest + 1);
  });

  it('keeps every acknowledged write after close and reopen', async () => {
    const clock = new ManualClock();
    const backend = open();
    const storage = new Storage(backend, clock, createIdGenerator(clock));
    const session = await storage.sessions.create({ agentName: 'planner', userId: 'u', status: 'active', metadata: {} });
    const messages = await storage.history.addMany(session.id, [
      { role: 'user', content: 'hello', metadata: {} },
      { role: 'assistant', content: 'hi', metadata: {} },
    ]);
    const state = await storage.state.set(session.id, { step: 3 });
    const artifact = await storage.artifacts.create({ sessionId: session.id, name: 'n', type: 't', path: '/p', size: 1, metadata: {} });
    const metrics = await storage.metrics.record([
      { entityType: 'agent', entityName: 'planner', sessionId: session.id, metricName: 'm', value: 1.5, timestamp: null, labels: {} },
    ]);
    const entry = await storage.cache.set('k', { value: [1, 2], ttl: null });
    await backend.close();

    const reopened = open();
    expect(await reopened.stores.sessionMaintenance.byIdsIncludingExpired([session.id])).toEqual([session]);
    expect((await reopened.stores.history.pagesIncludingExpired([session.id], { limit: 10 })).get(session.id)).toEqual(messages);
    expect(await reopened.stores.state.bySessionIds([session.id], clock.iso())).toEqual([state]);
    expect(await reopened.stores.artifacts.byIds([artifact.id], clock.iso())).toEqual([artifact]);
    expect(await reopened.stores.metrics.list({}, { limit: 10 })).toEqual(metrics);
    expect(await new SqlCacheStore(reopened.runner).getCacheEntry('k')).toEqual(entry);
    // the per-session sequence survives too: no seq is handed out twice
    const next = await new Storage(reopened, clock, createIdGenerator(clock)).history.addMany(session.id, [{ role: 'user', content: 'again', metadata: {} }]);
    expect(next[0]!.seq).toBe(3);
  });

  it('a write is visible to another connection as soon as it is acknowledged', async () => {
    const clock = new ManualClock();
    const storage = new Storage(open(), clock, createIdGenerator(clock));
    const session = await storage.sessions.create({ agentName: 'planner', userId: null, status: 'active', metadata: {} });
    const row = raw().prepare('SELECT agent_name FROM sessions WHERE id = ?').get(session.id);
    expect(row).toEqual({ agent_name: 'planner' });
  });

  it('several processes opening a fresh file at once each see one schema, applied once', async () => {
    // Separate processes, as several servers or CLI runs on one file would be: each opens the
    // backend (which migrates) at the same moment.
    const script = `
      import { SqliteBackend } from ${JSON.stringify(new URL('../../src/storage/sqlite/sqlite-backend.ts', import.meta.url).pathname)};
      const b = new SqliteBackend({ filename: process.argv[1] });
      process.stdout.write(String(b.settings().schemaVersion));
      await b.close();`;
    const runs = Array.from({ length: 4 }, () =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, db.filename]);
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        child.on('close', (code) => resolve({ code, out, err }));
      }),
    );
    for (const run of await Promise.all(runs)) {
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
      expect(run.out).toBe(String(latest));
    }
    const check = raw();
    expect(check.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: migrations.length });
  });

  it('200 concurrent appends to one session get seq 1..200 without gaps or duplicates', async () => {
    const clock = new ManualClock();
    const ids = createIdGenerator(clock);
    const backend = open();
    const storage = new Storage(backend, clock, ids);
    const session = await storage.sessions.create({ agentName: 'planner', userId: null, status: 'active', metadata: {} });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const message: NewMessage = { id: ids.next('message'), sessionId: session.id, role: 'user', content: `#${i}`, timestamp: clock.iso(), metadata: {} };
        return backend.stores.history.append(session.id, [message], clock.iso());
      }),
    );
    const seqs = results.map((r) => r![0]!.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(await backend.stores.history.countsIncludingExpired([session.id])).toEqual(new Map([[session.id, 200]]));
    const page = (await backend.stores.history.pagesIncludingExpired([session.id], { limit: 1000 })).get(session.id)!;
    expect(page.map((m) => m.seq)).toEqual(seqs);
    expect(new Set(page.map((m) => m.content)).size).toBe(200);
    // each caller was told the seq its message was stored with
    const told = new Map(results.map((r) => [r![0]!.id, r![0]!.seq]));
    for (const m of page) expect(told.get(m.id)).toBe(m.seq);
  });

  describe('group commit', () => {
    it('concurrent writes share commits, yet a failing write undoes only itself', async () => {
      const clock = new ManualClock();
      const ids = createIdGenerator(clock);
      const backend = open();
      const storage = new Storage(backend, clock, ids);
      const session = await storage.sessions.create({ agentName: 'planner', userId: null, status: 'active', metadata: {} });
      const taken = (await storage.history.addMany(session.id, [{ role: 'user', content: 'first', metadata: {} }]))[0]!;
      // Issued in one turn of the event loop, so they land in one transaction: the import conflicts
      // (seq 1 is taken by another message) and must roll back alone, half-way through its rows.
      const results = await Promise.allSettled([
        storage.history.addMany(session.id, [{ role: 'user', content: 'a', metadata: {} }]),
        backend.stores.sessionImport.importSession({
          session,
          messages: [
            { ...taken, id: ids.next('message'), seq: 7, content: 'would be written before the conflict' },
            { ...taken, id: ids.next('message'), seq: 1, content: 'conflicts' },
          ],
          state: null,
          artifacts: [],
        }),
        storage.history.addMany(session.id, [{ role: 'assistant', content: 'b', metadata: {} }]),
        storage.state.set(session.id, { step: 2 }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
      const history = await storage.history.list(session.id, { limit: 100 });
      expect(history.map((m) => [m.seq, m.content])).toEqual([[1, 'first'], [2, 'a'], [3, 'b']]);
      expect((await storage.state.get(session.id)).data).toEqual({ step: 2 });
      // Acknowledged means committed: another connection sees all of it right away.
      expect(raw().prepare('SELECT COUNT(*) AS n FROM history').get()).toEqual({ n: 3 });
    });

    it('closing the backend commits writes that are still queued', async () => {
      const clock = new ManualClock();
      const backend = open();
      const storage = new Storage(backend, clock, createIdGenerator(clock));
      const pending = storage.sessions.create({ agentName: 'late', userId: null, status: 'active', metadata: {} });
      await backend.close();
      const session = await pending;
      const reopened = open();
      expect(await reopened.stores.sessionMaintenance.byIdsIncludingExpired([session.id])).toEqual([session]);
    });
  });

  describe('when another connection holds the write lock', () => {
    it('writes fail with UnavailableError (not a raw SqliteError) and succeed once the lock is released', async () => {
      const clock = new ManualClock();
      const backend = open({ busyTimeoutMs: 10 });
      const storage = new Storage(backend, clock, createIdGenerator(clock));
      const session = await storage.sessions.create({ agentName: 'planner', userId: null, status: 'active', metadata: {} });

      const locker = raw();
      locker.exec('BEGIN IMMEDIATE');
      try {
        // a single-statement write, a transactional write and an upsert
        const create = storage.sessions.create({ agentName: 'blocked', userId: null, status: 'active', metadata: {} });
        await expect(create).rejects.toBeInstanceOf(UnavailableError);
        await expect(create).rejects.toMatchObject({ code: 'UNAVAILABLE', retryAfterSeconds: expect.any(Number) });
        await expect(storage.history.addMany(session.id, [{ role: 'user', content: 'blocked', metadata: {} }])).rejects.toBeInstanceOf(UnavailableError);
        await expect(storage.cache.set('k', { value: 1, ttl: null })).rejects.toBeInstanceOf(UnavailableError);
        await expect(storage.metrics.record([{ entityType: 'a', entityName: 'b', sessionId: null, metricName: 'm', value: 1, timestamp: null, labels: {} }])).rejects.toBeInstanceOf(
          UnavailableError,
        );
        // readers are not blocked by a writer in WAL mode
        expect(await storage.sessions.get(session.id)).toEqual(session);
      } finally {
        locker.exec('ROLLBACK');
      }

      const added = await storage.history.addMany(session.id, [{ role: 'user', content: 'now it works', metadata: {} }]);
      expect(added[0]!.seq).toBe(1); // the failed append reserved no seq
      await storage.sessions.create({ agentName: 'unblocked', userId: null, status: 'active', metadata: {} });
      expect(await storage.sessions.count({})).toBe(2);
      expect(await storage.sessions.count({ agentName: 'blocked' })).toBe(0);
    });
  });
});
