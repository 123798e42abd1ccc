import { describe, expect, it } from 'vitest';
import { createIdGenerator } from '../../src/domain/ids.js';
import { SqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import { Storage } from '../../src/storage/storage.js';
import { describeBackendContract } from './backend-contract.js';
import { describeEventContract } from './backend-contract-events.js';
import { ManualClock, tempDatabase } from '../support/fixtures.js';

// A real file, not :memory:, so that the contract runs with the production pragmas (WAL, FULL sync).
describeBackendContract('SqliteBackend (temp file)', async () => {
  const db = tempDatabase();
  const backend = new SqliteBackend({ filename: db.filename });
  return {
    backend,
    async cleanup() {
      await backend.close();
      db.cleanup();
    },
  };
});

describeEventContract('SqliteBackend (temp file)', async () => {
  const db = tempDatabase();
  const backend = new SqliteBackend({ filename: db.filename });
  return {
    backend,
    async cleanup() {
      await backend.close();
      db.cleanup();
    },
  };
});

describe('SqliteBackend change feed across processes on one file', () => {
  it('a stream of one connection sees events written through another (the poll), every one once', async () => {
    const db = tempDatabase();
    const reader = new SqliteBackend({ filename: db.filename, eventPollMs: 20 });
    const writer = new SqliteBackend({ filename: db.filename });
    try {
      const clock = new ManualClock();
      const writes = new Storage(writer, clock, createIdGenerator(clock));
      const reads = new Storage(reader, clock, createIdGenerator(clock));
      const s = await writes.sessions.create({ agentName: 'a', userId: null, status: 'active', metadata: {} });
      const stream = await reads.subscribeEvents({ sessionId: s.id }, null, { signal: new AbortController().signal });
      const received: number[] = [];
      const reading = (async () => {
        for await (const event of stream) if (received.push(event.seq) === 30) break;
      })();
      // Written through the other connection: this one hears of them only by polling.
      for (let i = 0; i < 30; i++) await writes.addMessage({ sessionId: s.id, role: 'user', content: `m${i}`, metadata: {} });
      await reading;
      const truth = (await writer.eventsAfter({ sessionId: s.id }, 0, 100)).filter((e) => e.type === 'MessageAdded').map((e) => e.seq);
      expect(received).toEqual(truth);
    } finally {
      await reader.close();
      await writer.close();
      db.cleanup();
    }
  });
});
