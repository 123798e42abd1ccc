import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createIdGenerator } from '../../src/domain/ids.js';
import { startEventPruning } from '../../src/storage/event-retention.js';
import { Tenants } from '../../src/storage/tenants.js';
import { SqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import { Storage } from '../../src/storage/storage.js';
import { ManualClock, tempDatabase } from '../support/fixtures.js';

describe('event retention (background pruning)', () => {
  it('prunes at start, then every interval, only what is older than the retention window', async () => {
    const db = tempDatabase();
    const backend = new SqliteBackend({ filename: db.filename });
    const clock = new ManualClock(Date.now());
    const storage = new Storage(backend, clock, createIdGenerator(clock));
    const logged: unknown[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    try {
      const s = await storage.sessions.create({ agentName: 'a', userId: null, status: 'active', metadata: {} });
      await storage.addMessage({ sessionId: s.id, role: 'user', content: 'x', metadata: {} });
      const hour = 3_600_000;
      // Events are an hour old by the pruner's clock: a day's retention keeps them.
      clock.advance(hour);
      let stop = startEventPruning(Tenants.only(storage), { retentionMs: 24 * hour, clock, logger, intervalMs: 20 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      stop();
      expect(await backend.eventsAfter({ sessionId: s.id }, 0, 10)).toHaveLength(2);
      // Two days later they are past it.
      clock.advance(48 * hour);
      stop = startEventPruning(Tenants.only(storage), { retentionMs: 24 * hour, clock, logger, intervalMs: 20 });
      for (let i = 0; i < 200 && (await backend.eventLog()).prunedThrough === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      stop();
      expect(await backend.eventsAfter({ sessionId: s.id }, 0, 10)).toEqual([]);
      expect(logged).toContainEqual(expect.objectContaining({ msg: 'pruned old events', pruned: 2 }));
    } finally {
      await backend.close();
      db.cleanup();
    }
  });
});
