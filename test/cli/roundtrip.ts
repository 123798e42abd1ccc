import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { JsonObject } from '../../src/domain/json.js';
import type { MessageRole, Session, SessionStatus } from '../../src/domain/records.js';
import type { Storage } from '../../src/storage/storage.js';
import { parseInput } from '../../src/domain/inputs.js';
import { searchInput } from '../../src/modules/search/service.js';
import { bodyOf, countsOf, parseSummary, runCli, snapshot, withStorage, type Snapshot } from './support.js';

/**
 * The round trip, reusable for any chain of databases: fill the first (through `Storage`, as the
 * service would), then export each database with the real CLI and import the bundle into the next.
 * Every database must end up with exactly the same records — ids, timestamps, JSON, order, seq —
 * and every export must be the same bundle, line for line. E.g. sqlite → postgres → sqlite:
 *
 *   await expectRoundTrip(['sqlite:/tmp/a.db', pgUrl, 'sqlite:/tmp/c.db'], dir);
 *
 * `dir` is a scratch folder for the bundles. Returns the source snapshot for further checks.
 */
export async function expectRoundTrip(urls: readonly string[], dir: string): Promise<Snapshot> {
  expect(urls.length).toBeGreaterThanOrEqual(2);
  await populate(urls[0]!);
  const source = await snapshot(urls[0]!);
  const bundles: string[] = [];

  for (let i = 0; i + 1 < urls.length; i++) {
    const file = join(dir, `hop-${i}.jsonl`);
    const exported = await runCli(['export', '--database', urls[i]!, '--out', file]);
    expect(exported.stderr).toMatch(/^Exported \d+ sessions/);
    expect(exported.code).toBe(0);
    bundles.push(readFileSync(file, 'utf8'));

    const imported = await runCli(['import', '--database', urls[i + 1]!, '--in', file]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const counts = countsOf(source);
    expect(parseSummary(imported.stdout)).toEqual(
      Object.fromEntries(Object.entries(counts).map(([key, n]) => [key, { imported: n, present: 0 }])),
    );
    expect(await snapshot(urls[i + 1]!)).toEqual(source);
    await expectSearchable(urls[i + 1]!, source);
  }

  // Exporting the last database gives the very same bundle (bar the header's time and source).
  const last = await runCli(['export', '--database', urls.at(-1)!]);
  expect(last.code).toBe(0);
  for (const bundle of bundles) expect(bodyOf(last.stdout)).toBe(bodyOf(bundle));

  // Importing again anywhere adds nothing.
  const again = await runCli(['import', '--database', urls.at(-1)!], { input: last.stdout });
  expect(again.code).toBe(0);
  expect(Object.values(parseSummary(again.stdout)).every((row) => row.imported === 0)).toBe(true);
  expect(await snapshot(urls.at(-1)!)).toEqual(source);

  // The imported sessions go on: new messages continue each session's sequence.
  await withStorage(urls.at(-1)!, async (storage) => {
    for (const { session, messages } of source.sessions) {
      const [added] = await storage.history.addMany(session.id, [{ role: 'user', content: 'after the move', metadata: {} }]);
      expect(added!.seq).toBeGreaterThan(messages.at(-1)?.seq ?? 0);
      if (messages.length > 0) expect(added!.seq).toBe(messages.at(-1)!.seq + 1);
    }
  });
  return source;
}

/** Text and JSON that tend to break storage layers and line-based formats. */
export const AWKWARD_TEXT = [
  '',
  'plain',
  'quote " apostrophe \' backslash \\ \\u0041 literally',
  'line\nbreak\r\nCR\r only and tab\t',
  'line separators \u2028 and \u2029 inside',
  'NUL \u0000 inside',
  'emoji 😀🧑‍🚀👍🏽 RTL مرحبا עברית CJK 漢字 한국어 combining e\u0301',
  '{"type":"footer","sessions":0}',
  `${'long '.repeat(30_000)}end`,
];
export const AWKWARD_JSON: JsonObject = {
  text: AWKWARD_TEXT.slice(0, -1),
  'key with \u2028 and "quotes"': { '': 'empty key', nested: [[[{ deep: [1, [2, [3]]] }]]] },
  numbers: [0, -1, 0.1, 0.30000000000000004, 1e21, 1.7976931348623157e308, 5e-324, 9007199254740991, -2.5e-8],
  literals: [true, false, null],
  empty: { object: {}, array: [] },
  lone: '\ud800 lone surrogate',
};

/**
 * A database worth moving: several agents and users, every status, every role, long histories that
 * span export pages, a history cleared and resumed (seq starting above 1), sessions without
 * messages, state or artifacts, state of every JSON kind, awkward text everywhere, metrics with and
 * without a session, metrics of a deleted session, metrics sharing a timestamp; states written more
 * than once (version above 1), messages with idempotency keys (awkward ones too) and client ids;
 * forks listed before their parent, a fork of a fork, and a fork whose parent was deleted.
 */
export async function populate(url: string): Promise<void> {
  await withStorage(url, async (storage, _backend, clock) => {
    const roles: MessageRole[] = ['user', 'assistant', 'system', 'tool'];
    const statuses: SessionStatus[] = ['active', 'paused', 'ended'];
    const agents = ['planner', 'writer', 'researcher 😀'];
    const sessions: Session[] = [];
    for (let i = 0; i < 9; i++) {
      clock.advance(i % 3 === 0 ? 0 : 1_000); // some created in the same millisecond
      sessions.push(
        await storage.sessions.create({
          agentName: agents[i % 3]!,
          userId: i % 4 === 0 ? null : `user-${i % 2}`,
          status: statuses[i % 3]!,
          metadata: i === 0 ? AWKWARD_JSON : { index: i, tags: ['a', 'b'] },
        }),
      );
      if (i === 0) await forks(storage, sessions[0]!);
    }
    const [long, cleared, awkward, , empty, ...rest] = sessions;

    // more messages than one export page (1000), in batches, some in the same millisecond
    for (let batch = 0; batch < 3; batch++) {
      clock.advance(batch === 1 ? 0 : 5);
      const size = batch === 2 ? 500 : 1000;
      await storage.history.addMany(long!.id, Array.from({ length: size }, (_, i) => ({ role: roles[i % 4]!, content: `message ${batch}:${i}`, metadata: (i % 100 === 0 ? { i } : {}) as JsonObject })));
    }
    // named appends: a client's id, and idempotency keys (awkward ones where they are valid keys)
    await storage.history.addMany(long!.id, [{ role: 'user', content: 'named', metadata: {}, id: 'msg_client-chosen_0001', idempotencyKey: 'plain key' }]);
    // a cleared history continues its sequence
    await storage.history.addMany(cleared!.id, [1, 2, 3].map((i) => ({ role: 'user' as const, content: `gone ${i}`, metadata: {} })));
    await storage.history.clear(cleared!.id);
    clock.advance(10);
    await storage.history.addMany(cleared!.id, [{ role: 'assistant', content: 'after the clear', metadata: {} }]);
    // awkward text in every field that takes it
    await storage.history.addMany(awkward!.id, AWKWARD_TEXT.map((content, i) => ({
        role: roles[i % 4]!,
        content,
        metadata: i === 0 ? AWKWARD_JSON : { i },
        idempotencyKey: content.length > 0 && content.length <= 256 && !content.includes('\u0000') ? content : null,
      })));
    for (const [i, s] of rest.entries()) {
      clock.advance(3);
      await storage.history.addMany(s.id, Array.from({ length: i + 1 }, (_, j) => ({ role: roles[j % 4]!, content: `m${j}`, metadata: {} })));
    }

    // state of every JSON kind; `empty` has none; `long` had one before (version 2 now)
    const states = [AWKWARD_JSON, null, 'a string', 42.5, [1, 'two', null], true, { step: 3 }];
    for (const [i, s] of [long, cleared, awkward, ...rest].entries()) {
      clock.advance(1);
      if (i < states.length) await storage.state.set(s!.id, states[i]!);
    }

    // artifacts; `empty` has none
    for (const [i, s] of [long, awkward, ...rest].entries()) {
      for (let j = 0; j <= i % 3; j++) {
        clock.advance(j === 0 ? 0 : 2);
        await storage.artifacts.create({
          sessionId: s!.id,
          name: j === 0 && i === 1 ? AWKWARD_TEXT[6]! : `file-${j}.txt`,
          type: 'document',
          path: `/files/${i}/${j} \u2028 "q".txt`,
          size: j === 2 ? Number.MAX_SAFE_INTEGER : j * 1024,
          metadata: j === 1 ? AWKWARD_JSON : {},
        });
      }
    }

    await contents(storage, clock, [long!, awkward!, rest[0]!]);

    // metrics: more than a page, with and without sessions, equal timestamps, given and defaulted times
    const fixedTime = '2025-06-01T12:00:00.000Z';
    for (let batch = 0; batch < 3; batch++) {
      clock.advance(7);
      await storage.metrics.record(
        Array.from({ length: batch === 2 ? 150 : 1000 }, (_, i) => ({
          entityType: i % 2 ? 'agent' : 'tool',
          entityName: agents[i % 3]!,
          sessionId: i % 5 === 0 ? null : sessions[i % sessions.length]!.id,
          metricName: i % 3 ? 'latency_ms' : 'tokens',
          value: i % 7 === 0 ? -0.000123 : i * 1.5,
          timestamp: i % 10 === 0 ? fixedTime : null,
          labels: i === 0 ? AWKWARD_JSON : { i },
        })),
      );
    }
    // a deleted session's metrics stay (and are exported with everything)
    const doomed = await storage.sessions.create({ agentName: 'planner', userId: null, status: 'ended', metadata: {} });
    await storage.metrics.record([{ entityType: 'agent', entityName: 'planner', sessionId: doomed.id, metricName: 'orphan', value: 1, timestamp: null, labels: {} }]);
    await storage.sessions.delete(doomed.id);
    void empty;
  });
}

/** Bytes of any length that are not all alike (so that a misplaced chunk shows). */
export function bytesOf(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

async function* body(bytes: Buffer): AsyncGenerator<Uint8Array> {
  // in pieces, as a request body arrives
  for (let i = 0; i < bytes.length; i += 65_536) yield bytes.subarray(i, i + 65_536);
}

/** Saves `bytes` as a new version of an artifact. */
export const saveBytes = (storage: Storage, artifactId: string, bytes: Buffer, contentType = 'application/octet-stream') =>
  storage.artifacts.saveContent(artifactId, { body: body(bytes), contentType, maxBytes: Number.MAX_SAFE_INTEGER });

/**
 * Artifact content: versions of several artifacts and sessions sharing blobs (written once in a
 * bundle), a blob of several chunks (2.5 MiB), an empty one, a deleted latest version (its number
 * is not reused), content saved by name, and artifacts without content.
 */
async function contents(storage: Storage, clock: { advance(ms: number): void }, [first, second, third]: Session[]): Promise<void> {
  const shared = Buffer.from('shared bytes \u2028 "quoted" 😀\n');
  const big = bytesOf(2.5 * 1024 * 1024, 7);
  const [a] = await storage.artifacts.list(first!.id, { limit: 1 });
  clock.advance(1);
  await saveBytes(storage, a!.id, shared, 'text/plain; charset=utf-8');
  clock.advance(1);
  await saveBytes(storage, a!.id, big);
  clock.advance(1);
  await saveBytes(storage, a!.id, shared, 'text/plain; charset=utf-8');
  await saveBytes(storage, a!.id, bytesOf(10, 3)); // version 3, deleted: next_version stays 4
  await storage.artifacts.deleteContent(a!.id, 3);
  const [b] = await storage.artifacts.list(second!.id, { limit: 1 });
  await saveBytes(storage, b!.id, Buffer.alloc(0), 'application/x-empty');
  await saveBytes(storage, b!.id, shared);
  clock.advance(1);
  await storage.artifacts.saveNamed(
    { sessionId: third!.id, name: 'named.bin', metadata: { by: 'name' } },
    { body: body(bytesOf(1024 * 1024, 11)), contentType: 'image/png', maxBytes: Number.MAX_SAFE_INTEGER },
  );
}

/**
 * Forks, made right after their parent (the first session) so that they are listed among the other
 * sessions, before their parent: an import meets each fork before its parent.
 */
async function forks(storage: Storage, parent: Session): Promise<void> {
  const cut = await storage.history.addMany(parent.id, [
    { role: 'user', content: 'before the fork', metadata: { fork: true }, idempotencyKey: 'fork-point' },
    { role: 'assistant', content: 'the fork point', metadata: {} },
  ]);
  await storage.state.set(parent.id, { before: 'the fork' });
  const artifact = await storage.artifacts.create({ sessionId: parent.id, name: 'forked.txt', type: 'document', path: '/forked.txt', size: 0, metadata: {} });
  await saveBytes(storage, artifact.id, Buffer.from('copied by the fork'), 'text/plain');
  const fork = await storage.sessions.fork(parent.id, cut[1]!.id, { agentName: 'forker', metadata: { branch: 1 } });
  await storage.state.set(fork.session.id, { branch: 1, step: 2 });
  await storage.sessions.fork(fork.session.id, fork.messages[0]!.id, { agentName: 'forker' });
  // an orphan: its parent is deleted, it keeps the id of the message it was cut at
  const doomed = await storage.sessions.create({ agentName: 'forker', userId: null, status: 'active', metadata: {} });
  const [m] = await storage.history.addMany(doomed.id, [{ role: 'user', content: 'gone', metadata: {} }]);
  await storage.state.set(doomed.id, 'doomed state');
  await storage.sessions.fork(doomed.id, m!.id, { userId: 'orphan' });
  await storage.sessions.delete(doomed.id);
}

/** An import writes messages as any write does: each (of live sessions) is found by its own words. */
async function expectSearchable(url: string, source: Snapshot): Promise<void> {
  await withStorage(url, async (storage, _backend, clock) => {
    let checked = 0;
    for (const { session, messages } of source.sessions) {
      if (session.expiresAt !== null && session.expiresAt <= clock.iso()) continue;
      for (const message of messages) {
        const words = message.content.toLowerCase().match(/[\p{L}\p{M}\p{N}]+/gu)?.filter((w) => w.length <= 64).slice(0, 8);
        if (!words?.length) continue;
        const page = await storage.search.search(parseInput(searchInput, { query: `"${words.join(' ')}"`, sessionIds: [session.id], limit: 100 }));
        expect(page.hits.map((h) => h.message.id), `message ${message.id} is found after the import`).toContain(message.id);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
}
