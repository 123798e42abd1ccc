import { existsSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../../src/domain/errors.js';
import { createIdGenerator } from '../../../src/domain/ids.js';
import { createSessionInput, parseInput, updateSessionInput } from '../../../src/domain/inputs.js';
import type { StorageBackend } from '../../../src/storage/backend.js';
import { PostgresBackend } from '../../../src/storage/postgres/postgres-backend.js';
import { DEFAULT_RETENTION_POLICY, type RetentionPolicy } from '../../../src/modules/retention/service.js';
import { SqliteBackend } from '../../../src/storage/sqlite/sqlite-backend.js';
import { Storage } from '../../../src/storage/storage.js';
import { ManualClock, tempDatabase } from '../../support/fixtures.js';
import { TEST_PG_URL, testSchema } from '../../support/postgres.js';

/*
 * Retention through `Storage` with a hand-moved clock, on both backends: session expiry from either
 * input, invisibility of expired sessions on every read and write path before any sweep, the
 * rules at their boundaries, dry runs, and batches.
 */

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const msg = (content: string) => ({ role: 'user' as const, content, metadata: {} });
const create = (input: Record<string, unknown> = {}) => parseInput(createSessionInput, { agentName: 'agent', ...input });
const update = (input: Record<string, unknown>) => parseInput(updateSessionInput, input);

describe('session expiry inputs', () => {
  it('refuses both expiresAt and ttlSeconds, and neverExpires with either', () => {
    expect(() => create({ expiresAt: '2030-01-01T00:00:00Z', ttlSeconds: 5 })).toThrow(ValidationError);
    expect(() => update({ neverExpires: true, ttlSeconds: 5 })).toThrow(ValidationError);
    expect(update({ neverExpires: false, ttlSeconds: 5 })).toMatchObject({ ttlSeconds: 5 });
  });

  it('accepts exactly the whole TTLs from 1 second to ten years', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, 1, 315_360_000, 315_360_001, -1, 1.5)), (ttl) => {
        const ok = Number.isInteger(ttl) && ttl >= 1 && ttl <= 315_360_000;
        if (ok) expect(create({ ttlSeconds: ttl }).ttlSeconds).toBe(ttl);
        else expect(() => create({ ttlSeconds: ttl })).toThrow(ValidationError);
      }),
    );
  });

  it('takes any valid ISO time as expiresAt and refuses other strings', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (d) => {
        expect(create({ expiresAt: d.toISOString() }).expiresAt).toBe(d.toISOString());
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        const parsed = (() => {
          try {
            return create({ expiresAt: s }).expiresAt;
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError);
            return undefined;
          }
        })();
        if (parsed !== undefined) expect(Number.isNaN(Date.parse(parsed!))).toBe(false);
      }),
    );
  });
});

function retentionCases(name: string, open: () => Promise<{ backend: StorageBackend; cleanup: () => Promise<void>; blobFolder?: string }>) {
  describe(`retention on ${name}`, () => {
    let backend: StorageBackend;
    let cleanup: () => Promise<void>;
    let blobFolder: string | undefined;
    const clock = new ManualClock();
    let storage: Storage;
    const policy = (p: Partial<RetentionPolicy> = {}): RetentionPolicy => ({ ...DEFAULT_RETENTION_POLICY, ...p });

    beforeAll(async () => {
      ({ backend, cleanup, blobFolder } = await open());
      storage = new Storage(backend, clock, createIdGenerator(clock));
    });
    afterAll(async () => {
      await backend.close();
      await cleanup();
    });

    it('sets the expiry from a TTL or a moment, moves it, and clears it', async () => {
      const t0 = clock.now();
      const byTtl = await storage.sessions.create(create({ ttlSeconds: 60 }));
      expect(byTtl.expiresAt).toBe(new Date(t0 + 60_000).toISOString());
      const at = new Date(t0 + DAY).toISOString();
      const byMoment = await storage.sessions.create(create({ expiresAt: at }));
      expect(await storage.sessions.get(byMoment.id)).toMatchObject({ expiresAt: at });
      expect((await storage.sessions.create(create())).expiresAt).toBeNull();
      expect((await storage.sessions.update(byTtl.id, update({ ttlSeconds: 120 }))).expiresAt).toBe(new Date(t0 + 120_000).toISOString());
      expect((await storage.sessions.update(byTtl.id, update({ expiresAt: null, status: 'paused' }))).expiresAt).toBe(new Date(t0 + 120_000).toISOString());
      expect((await storage.sessions.update(byTtl.id, update({ neverExpires: true }))).expiresAt).toBeNull();
      await expect(storage.sessions.create(create({ expiresAt: clock.iso() }))).rejects.toThrow(ValidationError);
      await expect(storage.sessions.update(byMoment.id, update({ expiresAt: '2000-01-01T00:00:00Z' }))).rejects.toThrow(ValidationError);
    });

    it('hides an expired session on every read and refuses every write, before any sweep', async () => {
      const s = await storage.sessions.create(create({ agentName: 'hidden-agent', ttlSeconds: 10 }));
      const [m] = await storage.history.addMany(s.id, [msg('one')]);
      await storage.state.set(s.id, { a: 1 });
      const a = await storage.artifacts.create({ sessionId: s.id, name: 'n', type: 't', path: '/p', size: 1, metadata: {} });
      const fork = await storage.sessions.fork(s.id, m!.id);
      const child = await storage.sessions.fork(fork.session.id, fork.messages[0]!.id);
      await storage.sessions.update(child.session.id, update({ ttlSeconds: 10 }));
      await storage.metrics.record([{ entityType: 'agent', entityName: 'x', sessionId: s.id, metricName: 'm', value: 1, timestamp: null, labels: {} }]);
      expect((await storage.sessions.forks(fork.session.id, { limit: 10 })).map((f) => f.id)).toEqual([child.session.id]);

      clock.advance(10_000); // exactly at expiresAt: expired
      const all = { limit: 100 };
      await expect(storage.sessions.get(s.id)).rejects.toThrow(NotFoundError);
      expect(await storage.sessions.byIds([s.id, fork.session.id])).toEqual([expect.objectContaining({ id: fork.session.id })]);
      expect((await storage.sessions.list({ agentName: 'hidden-agent' }, all)).map((x) => x.id)).toEqual([fork.session.id]);
      expect(await storage.sessions.count({ agentName: 'hidden-agent' })).toBe(1);
      expect(await storage.history.list(s.id, all)).toEqual([]);
      expect(await storage.history.json(s.id, all, [['id', 'id']])).toBe('[]');
      expect(JSON.parse(await storage.history.json(fork.session.id, all, [['id', 'id']]))).toEqual([{ id: fork.messages[0]!.id }]);
      expect((await storage.history.pages([s.id, fork.session.id], all)).get(s.id)).toEqual([]);
      expect((await storage.history.counts([s.id])).get(s.id)).toBe(0);
      await expect(storage.history.get(m!.id)).rejects.toThrow(NotFoundError);
      await expect(storage.state.get(s.id)).rejects.toThrow(NotFoundError);
      expect(await storage.state.bySessionIds([s.id])).toEqual([]);
      await expect(storage.artifacts.get(a.id)).rejects.toThrow(NotFoundError);
      expect(await storage.artifacts.list(s.id, all)).toEqual([]);
      expect((await storage.artifacts.counts([s.id])).get(s.id)).toBe(0);
      expect(await storage.sessions.forks(s.id, all)).toEqual([]);
      expect((await storage.sessions.forkPages([s.id, fork.session.id], all)).get(fork.session.id)).toEqual([]); // its only fork expired
      expect((await storage.sessions.forkCounts([fork.session.id])).get(fork.session.id)).toBe(0);

      await expect(storage.history.addMany(s.id, [msg('two')])).rejects.toThrow(NotFoundError);
      await expect(storage.history.addMany(s.id, [{ ...msg('k'), idempotencyKey: 'k' }])).rejects.toThrow(NotFoundError);
      await expect(storage.state.set(s.id, { a: 2 })).rejects.toThrow(NotFoundError);
      await expect(storage.state.set(s.id, { a: 2 }, 1)).rejects.toThrow(NotFoundError);
      await expect(storage.state.patch(s.id, { b: 1 })).rejects.toThrow(NotFoundError);
      await expect(storage.state.delete(s.id)).rejects.toThrow(NotFoundError);
      await expect(storage.artifacts.create({ sessionId: s.id, name: 'n', type: 't', path: '/p', size: 1, metadata: {} })).rejects.toThrow(NotFoundError);
      await expect(storage.artifacts.delete(a.id)).rejects.toThrow(NotFoundError);
      await expect(storage.sessions.update(s.id, update({ neverExpires: true }))).rejects.toThrow(NotFoundError);
      await expect(storage.sessions.fork(s.id, m!.id)).rejects.toThrow(NotFoundError);
      await expect(storage.sessions.delete(s.id)).rejects.toThrow(NotFoundError);
      expect(await storage.history.clear(s.id)).toBe(0);

      // Nothing was written: the rows are all still there, for the sweeper to remove.
      expect((await backend.stores.history.countsIncludingExpired([s.id])).get(s.id)).toBe(1);
      expect(await backend.stores.state.bySessionIdsIncludingExpired([s.id])).toMatchObject([{ data: { a: 1 }, version: 1 }]);
      expect((await backend.stores.artifacts.pagesIncludingExpired([s.id], { limit: 10 })).get(s.id)).toEqual([a]);

      // The sweep deletes both expired sessions, cascading; metrics stay; the live fork forgets its parent.
      const report = await storage.retention.run(policy());
      expect(report.expiredDeleted.ids).toEqual(expect.arrayContaining([s.id, child.session.id]));
      expect(await backend.stores.sessionMaintenance.byIdsIncludingExpired([s.id, child.session.id])).toEqual([]);
      expect(await backend.stores.history.byIdsIncludingExpired([m!.id])).toEqual([]);
      expect(await storage.metrics.count({ sessionId: s.id })).toBe(1);
      expect(await storage.sessions.get(fork.session.id)).toMatchObject({ parentId: null });
    });

    it('a session deleted by retention (or by a delete) takes its content; its blobs go at the next sweep, but those still named', async () => {
      const save = (artifactId: string, text: string) =>
        storage.artifacts.saveContent(artifactId, {
          body: (async function* () {
            yield Buffer.from(text);
          })(),
          contentType: 'text/plain',
          maxBytes: 1024,
        });
      const artifactOf = async (sessionId: string) => storage.artifacts.create({ sessionId, name: 'n', type: 't', path: '/p', size: 0, metadata: {} });
      const expiring = await storage.sessions.create(create({ agentName: 'content-expiring', ttlSeconds: 10 }));
      const deleted = await storage.sessions.create(create({ agentName: 'content-deleted' }));
      const live = await storage.sessions.create(create({ agentName: 'content-live' }));
      const [a, d, l] = [await artifactOf(expiring.id), await artifactOf(deleted.id), await artifactOf(live.id)];
      const own = await save(a.id, `only the expiring session's ${name}`);
      const shared = await save(a.id, `shared ${name}`);
      await save(l.id, `shared ${name}`);
      const gone = await save(d.id, `only the deleted session's ${name}`);
      const shas = [own.sha256, shared.sha256, gone.sha256];
      const usage = await storage.artifacts.usage();

      clock.advance(10_000);
      await storage.sessions.delete(deleted.id);
      expect((await storage.retention.run(policy())).expiredDeleted.ids).toContain(expiring.id);
      // Their versions went with them; their blobs stay until the sweep.
      expect(await backend.stores.contents.versionsIncludingExpired([a.id, d.id])).toEqual(new Map());
      expect([...(await backend.stores.blobs.rows.rowsOf(shas)).keys()].sort()).toEqual([...shas].sort());
      expect(await storage.artifacts.usage()).toMatchObject({ storedBytes: usage.storedBytes, versions: usage.versions - 3 });

      // Files are swept once older than the grace period: make them so.
      const fileOf = (sha: string) => blobFolder && join(blobFolder, sha.slice(0, 2), sha.slice(2, 4), sha);
      for (const sha of shas) if (blobFolder) utimesSync(fileOf(sha)!, new Date(0), new Date(0));
      await backend.stores.blobs.sweep(0);
      expect([...(await backend.stores.blobs.rows.rowsOf(shas)).keys()]).toEqual([shared.sha256]);
      expect(await storage.artifacts.usage()).toMatchObject({ storedBytes: usage.storedBytes - own.size - gone.size, blobs: usage.blobs - 2 });
      if (blobFolder) expect(shas.map((sha) => existsSync(fileOf(sha)!))).toEqual([false, true, false]);
      // What a live session names is whole.
      const content = await storage.artifacts.content(l.id);
      const bytes: Buffer[] = [];
      for await (const chunk of storage.artifacts.open(content, null)) bytes.push(chunk as Buffer);
      expect(Buffer.concat(bytes).toString()).toBe(`shared ${name}`);
    });

    it('ends idle sessions and deletes long-ended ones exactly at their boundaries; a dry run writes nothing', async () => {
      await storage.retention.run(policy()); // start clean of expired sessions
      const p = policy({ idleHours: 2, deleteEndedDays: 3 });
      const quiet = await storage.sessions.create(create({ agentName: 'idle-quiet' }));
      const paused = await storage.sessions.create(create({ agentName: 'idle-paused', status: 'paused' }));
      const chatty = await storage.sessions.create(create({ agentName: 'idle-chatty' }));
      const ended = await storage.sessions.create(create({ agentName: 'idle-ended', status: 'ended' }));
      clock.advance(HOUR);
      await storage.history.addMany(chatty.id, [msg('still here')]); // an append is activity

      clock.advance(HOUR); // quiet: idle for exactly 2 h — not more than 2 h yet
      const before = await storage.retention.run(p); // (ends the idle sessions of the tests above)
      expect(before.idleEnded.ids).not.toContain(quiet.id);
      expect(before.idleEnded.ids).not.toContain(paused.id);

      clock.advance(1); // 2 h and 1 ms: idle
      const mine = (ids: string[]) => ids.filter((id) => [quiet.id, paused.id, chatty.id, ended.id].includes(id)).sort();
      const dry = await storage.retention.run(p, { dryRun: true });
      expect(dry.dryRun).toBe(true);
      expect(mine(dry.idleEnded.ids)).toEqual([quiet.id, paused.id].sort());
      expect((await storage.sessions.get(quiet.id)).status).toBe('active'); // the dry run wrote nothing

      const run = await storage.retention.run(p);
      expect(mine(run.idleEnded.ids)).toEqual([quiet.id, paused.id].sort());
      expect(await storage.sessions.get(quiet.id)).toMatchObject({ status: 'ended', updatedAt: clock.iso() });
      expect((await storage.sessions.get(chatty.id)).status).toBe('active');

      // `ended` was last updated 2 h and 1 ms ago: deleted once more than 3 days have passed since.
      clock.advance(3 * DAY - 2 * HOUR - 1);
      expect(mine((await storage.retention.run(p, { dryRun: true })).endedDeleted.ids)).toEqual([]);
      clock.advance(1);
      const dryEnded = await storage.retention.run(p, { dryRun: true });
      expect(mine(dryEnded.endedDeleted.ids)).toEqual([ended.id]);
      expect(await storage.sessions.get(ended.id)).toMatchObject({ status: 'ended' });
      expect(mine((await storage.retention.run(p)).endedDeleted.ids)).toEqual([ended.id]);
      await expect(storage.sessions.get(ended.id)).rejects.toThrow(NotFoundError);
    });

    it('works through many sessions in small batches, and reports a bounded list of ids', async () => {
      await storage.retention.run(policy());
      const made = [];
      for (let i = 0; i < 7; i++) made.push(await storage.sessions.create(create({ agentName: 'batch', ttlSeconds: 1 + (i % 3) })));
      clock.advance(5000);
      const p = policy({ batchSize: 2, reportIds: 3 });
      const dry = await storage.retention.run(p, { dryRun: true });
      expect(dry.expiredDeleted.count).toBe(7);
      expect(dry.expiredDeleted.ids).toHaveLength(3);
      expect(await backend.stores.sessionMaintenance.listIncludingExpired({ agentName: 'batch' }, { limit: 100 })).toHaveLength(7);
      const run = await storage.retention.run(p);
      expect(run.expiredDeleted.count).toBe(7);
      expect(await backend.stores.sessionMaintenance.listIncludingExpired({ agentName: 'batch' }, { limit: 100 })).toHaveLength(0);
      expect((await storage.retention.run(p)).expiredDeleted.count).toBe(0);
    });

    it('leaves a session alone when it no longer matches at the moment of the write', async () => {
      const s = await storage.sessions.create(create({ agentName: 'raced', ttlSeconds: 1 }));
      clock.advance(2000);
      // The sweeper picked it as expired; meanwhile (say) an import gave it a later expiry.
      const expired = { kind: 'expired', at: clock.iso() } as const;
      await backend.stores.sessionMaintenance.updateIf(s.id, { expiresAt: new Date(clock.now() + HOUR).toISOString(), updatedAt: clock.iso() }, expired);
      expect(await backend.stores.sessionMaintenance.deleteIf(s.id, expired)).toBe(false);
      expect(await storage.sessions.get(s.id)).toMatchObject({ id: s.id });
    });
  });
}

retentionCases('SQLite', async () => {
  const db = tempDatabase();
  return { backend: new SqliteBackend({ filename: db.filename }), cleanup: async () => db.cleanup(), blobFolder: `${db.filename}-blobs` };
});

retentionCases('PostgreSQL', async () => {
  const target = testSchema();
  const backend = await PostgresBackend.open({ connectionString: TEST_PG_URL, schema: target.schema, poolSize: 3 });
  return { backend, cleanup: () => target.drop() };
});
