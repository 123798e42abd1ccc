import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportBundle, type LineSink } from '../../src/cli/export.js';
import { importBundle } from '../../src/cli/import.js';
import { StreamSink } from '../../src/cli/streams.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import { SqliteBackend } from '../../src/storage/sqlite/sqlite-backend.js';
import { Storage } from '../../src/storage/storage.js';
import { ManualClock, tempDatabase } from '../support/fixtures.js';

/* Export in-process: paging must not change the bundle, and the writer must respect backpressure. */

const collect = (): LineSink & { text: string } => {
  const sink = {
    text: '',
    async write(line: string) {
      sink.text += line;
    },
  };
  return sink;
};
const options = { exportedAt: '2026-01-01T00:00:00.000Z', source: { backend: 'sqlite' } };

describe('exportBundle', () => {
  let db: ReturnType<typeof tempDatabase>;
  let backend: SqliteBackend;
  let storage: Storage;
  let sessionIds: string[];

  beforeEach(async () => {
    db = tempDatabase();
    backend = new SqliteBackend({ filename: db.filename });
    const clock = new ManualClock();
    storage = new Storage(backend, clock, createIdGenerator(clock));
    sessionIds = [];
    for (let i = 0; i < 7; i++) {
      const s = await storage.sessions.create({ agentName: i % 2 ? 'odd' : 'even', userId: null, status: 'active', metadata: { i } });
      sessionIds.push(s.id);
      if (i !== 3) await storage.history.addMany(s.id, Array.from({ length: i * 2 }, (_, j) => ({ role: 'user' as const, content: `${i}/${j}`, metadata: {} })));
      for (let j = 0; j < i % 4; j++) await storage.artifacts.create({ sessionId: s.id, name: `a${j}`, type: 't', path: '/p', size: j, metadata: {} });
      if (i % 2) await storage.state.set(s.id, { i });
      clock.advance(1);
      await storage.metrics.record(Array.from({ length: i }, (_, j) => ({ entityType: 'agent', entityName: 'x', sessionId: j % 3 ? s.id : null, metricName: 'm', value: j, timestamp: j % 2 ? '2025-01-01T00:00:00.000Z' : null, labels: {} })));
    }
  });
  afterEach(async () => {
    await backend.close();
    db.cleanup();
  });

  it.each([
    ['everything', {}],
    ['one agent', { agentName: 'odd' }],
    ['one session', { sessionId: 'pick' }],
  ])('pages of any size give the same bundle: %s', async (_name, filter) => {
    const f = 'sessionId' in filter ? { sessionId: sessionIds[5]! } : filter;
    const reference = collect();
    const totals = await exportBundle(backend, reference, { ...options, ...f });
    for (const pageSize of [1, 2, 3, 5]) {
      const paged = collect();
      expect(await exportBundle(backend, paged, { ...options, ...f, pageSize })).toEqual(totals);
      expect(paged.text).toBe(reference.text);
    }
    // and the bundle is complete and valid
    const recorded: string[] = [];
    const fake = {
      stores: {
        metrics: { import: async (m: readonly unknown[]) => m.length },
        sessionImport: {
          importSession: async (b: { session: { id: string } }) => (recorded.push(b.session.id), { sessions: 1, messages: 0, states: 0, artifacts: 0 }),
          linkParents: async () => 0,
        },
      },
    };
    const { error } = await importBundle(fake as never, [Buffer.from(reference.text)]);
    expect(error).toBeNull();
    expect(recorded.length).toBe(totals.sessions);
  });

  it('waits for a slow destination (backpressure) and loses nothing', async () => {
    const reference = collect();
    await exportBundle(backend, reference, options);
    const chunks: string[] = [];
    let pendingWrites = 0;
    let maxBuffered = 0;
    const slow = new Writable({
      highWaterMark: 64,
      write(chunk: Buffer, _encoding, callback) {
        pendingWrites++;
        chunks.push(chunk.toString('utf8'));
        setTimeout(() => {
          pendingWrites--;
          callback();
        }, 0);
      },
    });
    const sink = new StreamSink(slow, 'slow');
    const measuring: LineSink = {
      async write(line) {
        await sink.write(line);
        maxBuffered = Math.max(maxBuffered, slow.writableLength);
      },
    };
    await exportBundle(backend, measuring, { ...options, pageSize: 2 });
    await sink.flush();
    expect(chunks.join('')).toBe(reference.text);
    // never more than about one line waiting in the stream's buffer
    expect(maxBuffered).toBeLessThan(1000);
    expect(pendingWrites).toBe(0);
  });

  it('a destination that fails stops the export with its error', async () => {
    const broken = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('EPIPE'), { code: 'EPIPE' }));
      },
    });
    await expect(exportBundle(backend, new StreamSink(broken, 'standard output'), options)).rejects.toThrow(
      /cannot write standard output: the reader went away \(broken pipe\)/,
    );
  });

  it('an aborted export stops between pages', async () => {
    const controller = new AbortController();
    let lines = 0;
    const sink: LineSink = {
      async write() {
        if (++lines === 5) controller.abort();
      },
    };
    await expect(exportBundle(backend, sink, { ...options, pageSize: 2, signal: controller.signal })).rejects.toThrow();
    expect(lines).toBeLessThan(20);
  });
});
