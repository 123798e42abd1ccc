import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BundleError, type SessionCounts, type Totals } from '../../src/cli/bundle.js';
import { parseBundleLine } from '../../src/cli/bundle-lines.js';
import { BundleReader, readLines } from '../../src/cli/bundle-read.js';
import {
  artifactLine,
  blobChunkLine,
  blobLine,
  contentLine,
  encodeLine,
  footerLine,
  headerLine,
  messageLine,
  metricLine,
  sessionEndLine,
  sessionLine,
  stateLine,
} from '../../src/cli/bundle-write.js';
import { importBundle } from '../../src/cli/import.js';
import type { Json, JsonObject } from '../../src/domain/json.js';
import type { Artifact, ArtifactContent, Message, Metric, Session, State } from '../../src/domain/records.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import type { SessionBundle } from '../../src/modules/sessions/bundle.js';
import type { ImportCounts } from '../../src/modules/sessions/import.js';
import { viaJson } from '../storage/support.js';

// --- arbitraries of valid records -------------------------------------------------------------

const ULID_CHARS = '0123456789abcdefghjkmnpqrstvwxyz'.split('');
const idArb = (prefix: string) => fc.string({ unit: fc.constantFrom(...ULID_CHARS), minLength: 26, maxLength: 26 }).map((s) => prefix + s);
const timeArb = fc
  .date({ min: new Date('0001-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const AWKWARD = ['', 'line\nbreak\r\n', 'sep \u2028 \u2029', 'NUL \u0000', 'emoji 😀🧑‍🚀', '"quotes" \\ back', '{"type":"footer"}'];
const textArb = fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom(...AWKWARD), fc.string({ unit: 'grapheme-ascii' }));
const nameArb = fc
  .oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), fc.constantFrom('planner', 'sep \u2028', 'emoji 😀'))
  .filter((s) => s.length > 0 && s.length <= 256 && !s.includes('\u0000'));
const jsonArb = fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }) as fc.Arbitrary<Json>;
const jsonObjectArb = fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), jsonArb, { maxKeys: 5 }) as fc.Arbitrary<JsonObject>;

const sessionArb: fc.Arbitrary<Session> = fc.record({
  id: idArb('session_'),
  agentName: nameArb,
  userId: fc.option(nameArb, { nil: null }),
  status: fc.constantFrom('active' as const, 'paused' as const, 'ended' as const),
  createdAt: timeArb,
  updatedAt: timeArb,
  metadata: jsonObjectArb,
  parentId: fc.option(idArb('session_'), { nil: null }),
  forkedFromMessageId: fc.option(idArb('msg_'), { nil: null }),
  expiresAt: fc.option(timeArb, { nil: null }),
});
const messageArb = (sessionId: string, seq: number): fc.Arbitrary<Message> =>
  fc.record({
    id: idArb('msg_'),
    sessionId: fc.constant(sessionId),
    seq: fc.constant(seq),
    role: fc.constantFrom('user' as const, 'assistant' as const, 'system' as const, 'tool' as const),
    content: textArb,
    tokenCount: fc.option(fc.nat({ max: 1_000_000 }), { nil: null }),
    item: fc.option(fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, { nil: null }),
    timestamp: timeArb,
    metadata: jsonObjectArb,
    idempotencyKey: fc.option(nameArb, { nil: null }),
  });
const stateArb = (sessionId: string): fc.Arbitrary<State> =>
  fc.record({ sessionId: fc.constant(sessionId), data: jsonArb, updatedAt: timeArb, version: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }) });
const artifactArb = (sessionId: string): fc.Arbitrary<Artifact> =>
  fc.record({
    id: idArb('artifact_'),
    sessionId: fc.constant(sessionId),
    name: nameArb,
    type: nameArb,
    path: nameArb,
    size: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    createdAt: timeArb,
    metadata: jsonObjectArb,
  });
const metricArb: fc.Arbitrary<Metric> = fc.record({
  id: idArb('metric_'),
  entityType: nameArb,
  entityName: nameArb,
  sessionId: fc.option(idArb('session_'), { nil: null }),
  metricName: nameArb,
  value: fc.double({ noNaN: true, noDefaultInfinity: true }),
  timestamp: timeArb,
  labels: jsonObjectArb,
});

/** A session with its records, seqs increasing with gaps. */
const sessionBundleArb: fc.Arbitrary<SessionBundle> = sessionArb.chain((session) =>
  fc
    .record({
      seqs: fc.uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { maxLength: 5 }).map((s) => s.sort((a, b) => a - b)),
      state: fc.option(stateArb(session.id), { nil: null }),
      artifacts: fc.array(artifactArb(session.id), { maxLength: 3 }),
    })
    .chain(({ seqs, state, artifacts }) =>
      fc
        .tuple(...seqs.map((seq) => messageArb(session.id, seq)))
        // idempotency keys are unique within a session
        .map((messages) => messages.map((m, i) => (messages.findIndex((o) => o.idempotencyKey === m.idempotencyKey) < i ? { ...m, idempotencyKey: null } : m)))
        .map((messages) => ({ session, messages, state, artifacts })),
    ),
);

/** Valid lines of any type, with what parsing must give back (records as JSON gives them: -0 is 0). */
const lineArb = fc.oneof(
  sessionArb.map((r) => [sessionLine(r), { type: 'session', record: viaJson(r) }] as const),
  idArb('session_').chain((id) => messageArb(id, 7)).map((r) => [messageLine(r), { type: 'message', record: viaJson(r) }] as const),
  idArb('session_').chain(stateArb).map((r) => [stateLine(r), { type: 'state', record: viaJson(r) }] as const),
  fc
    .tuple(idArb('session_').chain(artifactArb), fc.nat())
    .map(([r, next]) => [artifactLine(r, next), { type: 'artifact', record: viaJson(r), nextVersion: next }] as const),
  metricArb.map((r) => [metricLine(r), { type: 'metric', record: viaJson(r) }] as const),
);

function bundleText(sessions: readonly SessionBundle[], metrics: readonly Metric[]): string {
  const totals: Totals = { sessions: 0, messages: 0, states: 0, artifacts: 0, metrics: metrics.length, contents: 0, blobs: 0 };
  let text = headerLine({ exportedAt: '2026-01-01T00:00:00.000Z', source: { backend: 'test' }, filter: { sessionId: null, agentName: null } });
  for (const { session, messages, state, artifacts } of sessions) {
    text += sessionLine(session) + messages.map(messageLine).join('') + (state ? stateLine(state) : '') + artifacts.map((a) => artifactLine(a, 0)).join('');
    text += sessionEndLine(session.id, { messages: messages.length, states: state ? 1 : 0, artifacts: artifacts.length, contents: 0, blobs: 0 });
    totals.sessions++;
    totals.messages += messages.length;
    totals.states += state ? 1 : 0;
    totals.artifacts += artifacts.length;
  }
  return text + metrics.map(metricLine).join('') + footerLine(totals);
}

/** A backend that only records what an import hands it (the import logic, without a database). */
function recordingBackend() {
  const sessions: SessionBundle[] = [];
  const metrics: Metric[] = [];
  const backend = {
    stores: {
      sessionImport: {
        async importSession(bundle: SessionBundle): Promise<ImportCounts> {
          sessions.push(bundle);
          return { sessions: 1, messages: bundle.messages.length, states: bundle.state ? 1 : 0, artifacts: bundle.artifacts.length, contents: 0 };
        },
        async linkParents(): Promise<number> {
          return 0;
        },
      },
      metrics: {
        async import(batch: readonly Metric[]): Promise<number> {
          metrics.push(...batch);
          return batch.length;
        },
      } as Partial<StorageBackend['stores']['metrics']>,
    },
  } as unknown as StorageBackend;
  return { backend, sessions, metrics };
}

/** Chunks of a buffer split at the given positions (anywhere, also inside a UTF-8 character). */
function chunksOf(buffer: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buffer.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let start = 0;
  for (const p of [...points, buffer.length]) {
    out.push(buffer.subarray(start, p));
    start = p;
  }
  return out;
}

async function* iterate<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

// --- one line ----------------------------------------------------------------------------------

describe('bundle lines', () => {
  it('every record written as a line parses back to the same record (property)', () => {
    fc.assert(
      fc.property(lineArb, fc.integer({ min: 1, max: 1e9 }), ([line, expected], n) => {
        expect(line.endsWith('\n')).toBe(true);
        expect(line.slice(0, -1)).not.toMatch(/[\n\u2028\u2029]/);
        expect(parseBundleLine(line.slice(0, -1), n)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  const MUTATIONS = ['drop a field', 'wrong id prefix', 'non-canonical time', 'unknown field', 'wrong type'] as const;

  it('a damaged line is refused with an error that names its line and field (property)', () => {
    fc.assert(
      fc.property(lineArb, fc.constantFrom(...MUTATIONS), fc.nat(), fc.integer({ min: 1, max: 1e9 }), ([line], mutation, pick, n) => {
        const value = JSON.parse(line) as { type: string; record: Record<string, unknown> };
        // `expires_at`, `item` and `token_count` are optional (bundles written before retention, structured items or token counts lack them).
        const keys = Object.keys(value.record).filter((k) => k !== 'expires_at' && k !== 'item' && k !== 'token_count');
        const key = keys[pick % keys.length]!;
        const idKey = keys.find((k) => k === 'id') ?? 'session_id';
        const timeKey = keys.find((k) => ['created_at', 'updated_at', 'timestamp'].includes(k))!;
        let field = key;
        switch (mutation) {
          case 'drop a field':
            delete value.record[key];
            break;
          case 'wrong id prefix':
            field = idKey;
            value.record[idKey] = `x${String(value.record[idKey])}`;
            break;
          case 'non-canonical time':
            field = timeKey;
            value.record[timeKey] = String(value.record[timeKey]).replace(/\.\d{3}Z$/, 'Z');
            break;
          case 'unknown field':
            field = '';
            value.record.agentName = 'camelCase is not the wire shape';
            break;
          case 'wrong type':
            // every field of every record is a string, number, null or JSON; an array fits none but JSON
            if (['metadata', 'labels', 'data', 'item'].includes(key)) return;
            value.record[key] = [1];
            break;
        }
        let error: unknown;
        try {
          parseBundleLine(JSON.stringify(value), n);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(BundleError);
        expect((error as BundleError).line).toBe(n);
        expect((error as BundleError).message).toMatch(new RegExp(`^line ${n}: invalid ${value.type} line: `));
        if (field) expect((error as BundleError).message).toContain(`record.${field}`);
      }),
      { numRuns: 300 },
    );
  });

  it('any input line either parses or is refused with a BundleError, never anything else (property)', () => {
    const objectish = fc
      .record({ type: fc.constantFrom('header', 'session', 'message', 'state', 'artifact', 'metric', 'session_end', 'footer', 'other'), rest: fc.jsonValue() })
      .map(({ type, rest }) => JSON.stringify({ type, record: rest, ...(typeof rest === 'object' && rest !== null && !Array.isArray(rest) ? rest : {}) }));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.json(), objectish), (text) => {
        try {
          parseBundleLine(text, 1);
        } catch (error) {
          expect(error).toBeInstanceOf(BundleError);
          expect((error as BundleError).message).toMatch(/^line 1: /);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('timestamps must be canonical, ids must carry their prefix', () => {
    const good = {
      id: 'session_01',
      agent_name: 'a',
      user_id: null,
      status: 'active',
      created_at: '2026-01-31T12:00:00.000Z',
      updated_at: '2026-01-31T12:00:00.000Z',
      metadata: {},
      parent_id: null,
      forked_from_message_id: null,
    };
    const parse = (record: object) => () => parseBundleLine(JSON.stringify({ type: 'session', record }), 3);
    expect(parse(good)()).toMatchObject({ type: 'session', record: { id: 'session_01' } });
    for (const time of ['2026-01-31T12:00:00Z', '2026-01-31T12:00:00.000+00:00', '2026-01-31 12:00:00.000Z', '2026-02-30T12:00:00.000Z', '2026-01-31']) {
      expect(parse({ ...good, created_at: time })).toThrow(/^line 3: invalid session line: record\.created_at: must be a canonical UTC timestamp/);
    }
    for (const id of ['msg_01', 'session_', 'session_ space', 'SESSION_01']) {
      expect(parse({ ...good, id })).toThrow(/record\.id: must be a session id/);
    }
    expect(parse({ ...good, status: 'archived' })).toThrow(/record\.status/);
    expect(parse({ ...good, agent_name: undefined })).toThrow(/record\.agent_name: field required/);
    expect(parse({ ...good, parent_id: 'session_01' })).toThrow(/record\.parent_id: a session cannot be its own parent/);
    expect(parse({ ...good, forked_from_message_id: 'session_02' })).toThrow(/record\.forked_from_message_id: must be a message id/);
  });

  it('reads version 1 lines with the defaults of what version 2 added, and refuses them in version 2', () => {
    const v1 = {
      session: { id: 'session_01', agent_name: 'a', user_id: null, status: 'active', created_at: '2026-01-31T12:00:00.000Z', updated_at: '2026-01-31T12:00:00.000Z', metadata: {} },
      message: { id: 'msg_01', session_id: 'session_01', seq: 1, role: 'user', content: 'hi', timestamp: '2026-01-31T12:00:00.000Z', metadata: {} },
      state: { session_id: 'session_01', data: { a: 1 }, updated_at: '2026-01-31T12:00:00.000Z' },
    };
    const line = (type: keyof typeof v1, extra: object = {}) => JSON.stringify({ type, record: { ...v1[type], ...extra } });
    expect(parseBundleLine(line('session'), 1, 1)).toMatchObject({ record: { id: 'session_01', parentId: null, forkedFromMessageId: null } });
    expect(parseBundleLine(line('message'), 1, 1)).toMatchObject({ record: { id: 'msg_01', idempotencyKey: null } });
    expect(parseBundleLine(line('state'), 1, 1)).toMatchObject({ record: { data: { a: 1 }, version: 1 } });
    expect(() => parseBundleLine(line('session'), 2)).toThrow(/^line 2: invalid session line: record\.parent_id: field required/);
    expect(() => parseBundleLine(line('message'), 2)).toThrow(/record\.idempotency_key: field required/);
    expect(() => parseBundleLine(line('state'), 2)).toThrow(/record\.version: field required/);
    // and version 2's fields are unknown to version 1
    expect(() => parseBundleLine(line('state', { version: 2 }), 3, 1)).toThrow(/^line 3: invalid state line/);
    expect(() => parseBundleLine(line('state', { version: 0 }), 3)).toThrow(/record\.version: must be at least 1/);
  });
});

// --- the sequence of lines ---------------------------------------------------------------------

describe('bundle reader', () => {
  it('a whole bundle gives back every session and metric, in order (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(sessionBundleArb, { maxLength: 4 }), fc.array(metricArb, { maxLength: 4 }), async (sessions, metrics) => {
        const { backend, sessions: got, metrics: gotMetrics } = recordingBackend();
        const result = await importBundle(backend, iterate([bundleText(sessions, metrics)]), { metricBatch: 2 });
        expect(result.error).toBeNull();
        expect(got).toEqual(viaJson(sessions));
        expect(gotMetrics).toEqual(viaJson(metrics));
      }),
      { numRuns: 100 },
    );
  });

  it('a bundle cut anywhere is reported as broken, and only sessions complete before the cut are handed over (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(sessionBundleArb, { minLength: 1, maxLength: 3 }),
        fc.array(metricArb, { maxLength: 3 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (sessions, metrics, where, cuts) => {
          const whole = Buffer.from(bundleText(sessions, metrics));
          // at least one byte of the footer goes (without only its final newline, the bundle is whole)
          const length = Math.min(whole.length - 2, Math.floor(where * whole.length));
          const truncated = whole.subarray(0, length);
          const { backend, sessions: got } = recordingBackend();
          const result = await importBundle(backend, iterate(chunksOf(truncated, cuts)));
          expect(result.error).toBeInstanceOf(BundleError);
          // exactly the sessions whose session_end line is complete (newline included) in the cut
          const text = truncated.toString('utf8');
          const complete = sessions.filter((s) => text.includes(sessionEndLine(s.session.id, { messages: s.messages.length, states: s.state ? 1 : 0, artifacts: s.artifacts.length, contents: 0, blobs: 0 })));
          expect(got).toEqual(viaJson(complete));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('checks the order and counts of lines', () => {
    const s = viaJson<Session>({
      id: 'session_a',
      agentName: 'a',
      userId: null,
      status: 'active',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      metadata: {},
      parentId: null,
      forkedFromMessageId: null,
      expiresAt: null,
    });
    const m = (seq: number, sessionId = s.id, idempotencyKey: string | null = null): Message => ({
      id: `msg_${seq}`,
      sessionId,
      seq,
      role: 'user',
      content: 'x',
      item: null,
      timestamp: s.createdAt,
      metadata: {},
      idempotencyKey,
      tokenCount: null,
    });
    const header = headerLine({ exportedAt: s.createdAt, source: {}, filter: { sessionId: null, agentName: null } });
    const run = (...lines: string[]) => {
      const reader = new BundleReader();
      lines.forEach((line, i) => reader.accept(parseBundleLine(line.trimEnd(), i + 1), i + 1));
      reader.finish();
    };
    const end = (c: Partial<SessionCounts> = {}) => sessionEndLine(s.id, { messages: 0, states: 0, artifacts: 0, contents: 0, blobs: 0, ...c });
    const footer = (t: Partial<Totals> = {}) => footerLine({ sessions: 1, messages: 0, states: 0, artifacts: 0, metrics: 0, contents: 0, blobs: 0, ...t });

    expect(() => run(header, sessionLine(s), messageLine(m(1)), messageLine(m(5)), end({ messages: 2 }), footer({ messages: 2 }))).not.toThrow();
    expect(() => run(sessionLine(s))).toThrow(/^line 1: the first line must be the header/);
    expect(() => run(header, header)).toThrow(/^line 2: a second header/);
    expect(() => run(header, messageLine(m(1)))).toThrow(/^line 2: a message line outside a session/);
    expect(() => run(header, sessionLine(s), messageLine(m(2)), messageLine(m(2)))).toThrow(/^line 4: messages must be in increasing seq order/);
    expect(() => run(header, sessionLine(s), messageLine(m(1, 'session_b')))).toThrow(/^line 3: a message line of session session_b inside session session_a/);
    expect(() => run(header, sessionLine(s), end({ messages: 1 }))).toThrow(/^line 3: session_end of session_a counts 1 messages but the session has 0/);
    expect(() => run(header, sessionLine(s), sessionLine(s))).toThrow(/^line 3: a session line before the session_end of session session_a \(line 2\)/);
    expect(() => run(header, sessionLine(s), end(), footer({ sessions: 2 }))).toThrow(/^line 4: the footer counts 2 sessions but the bundle has 1/);
    expect(() => run(header, sessionLine(s), end(), footer(), footer())).toThrow(/^line 5: content after the footer/);
    expect(() => run(header, sessionLine(s), messageLine(m(1)))).toThrow(/ends inside session session_a \(line 2\) before its session_end: the file is truncated/);
    expect(() => run(header, sessionLine(s), end())).toThrow(/ends after line 3 without its footer/);
    expect(() =>
      run(header, sessionLine(s), stateLine({ sessionId: s.id, data: 1, updatedAt: s.createdAt, version: 1 }), stateLine({ sessionId: s.id, data: 2, updatedAt: s.createdAt, version: 2 })),
    ).toThrow(/^line 4: a second state/);
    expect(() => run(header, sessionLine(s), messageLine(m(1, s.id, 'k')), messageLine(m(2, s.id, 'k')))).toThrow(
      /^line 4: a second message with idempotency key "k" in session session_a/,
    );
  });
});

describe('content lines', () => {
  const time = '2026-01-31T12:00:00.000Z';
  const s = viaJson<Session>({ id: 'session_a', agentName: 'a', userId: null, status: 'active', createdAt: time, updatedAt: time, metadata: {}, parentId: null, forkedFromMessageId: null, expiresAt: null });
  const artifact = (id: string): Artifact => ({ id, sessionId: s.id, name: 'n', type: 't', path: '/p', size: 5, createdAt: time, metadata: {} });
  const hello = Buffer.from('hello');
  const sha = createHash('sha256').update(hello).digest('hex');
  const content = (artifactId: string, version: number, extra: Partial<ArtifactContent> = {}): ArtifactContent => ({
    artifactId,
    version,
    sha256: sha,
    size: 5,
    contentType: 'text/plain',
    createdAt: time,
    ...extra,
  });
  const header = headerLine({ exportedAt: time, source: {}, filter: { sessionId: null, agentName: null } });
  const blob = blobLine({ sha256: sha, size: 5, chunks: 1 });
  const chunk = (data: Buffer = hello, seq = 0) => blobChunkLine(sha, seq, data);
  const end = (c: Partial<SessionCounts> = {}) => sessionEndLine(s.id, { messages: 0, states: 0, artifacts: 1, contents: 0, blobs: 0, ...c });
  /** The reader's events of these lines (after the header); throws what the reader throws. */
  const run = (...lines: string[]) => {
    const reader = new BundleReader();
    return [header, sessionLine(s), ...lines].map((line, i) => reader.accept(parseBundleLine(line.trimEnd(), i + 1), i + 1)).slice(2);
  };

  it('hands a blob out chunk by chunk, then the session with its versions and next version numbers', () => {
    const events = run(artifactLine(artifact('artifact_a'), 3), blob, chunk(), contentLine(content('artifact_a', 0)), contentLine(content('artifact_a', 2)), end({ contents: 2, blobs: 1 }));
    expect(events[1]).toEqual({ kind: 'blob', sha256: sha, size: 5, chunks: 1, line: 4 });
    expect(events[2]).toEqual({ kind: 'blob_chunk', data: hello, last: true });
    expect(events.at(-1)).toMatchObject({ kind: 'session', content: { versions: [content('artifact_a', 0), content('artifact_a', 2)], nextVersions: new Map([['artifact_a', 3]]) } });
  });

  it('refuses bytes that are not the blob’s, naming the blob’s line', () => {
    const a = artifactLine(artifact('artifact_a'), 1);
    expect(() => run(a, blob, chunk(Buffer.from('hellO')))).toThrow(new RegExp(`^line 5: the bytes of blob ${sha} \\(line 4\\) have the sha256 [0-9a-f]{64}: the bundle is corrupted`));
    expect(() => run(a, blobLine({ sha256: sha, size: 6, chunks: 1 }), chunk())).toThrow(/^line 5: the chunks of blob \w+ \(line 4\) hold 5 bytes, not 6/);
    expect(() => run(a, blobLine({ sha256: sha, size: 4, chunks: 1 }), chunk())).toThrow(/^line 5: the chunks of blob \w+ \(line 4\) hold more than its 4 bytes/);
    expect(() => run(a, blobLine({ sha256: sha, size: 5, chunks: 2 }), chunk(hello.subarray(0, 2)), chunk(hello.subarray(2), 2))).toThrow(/^line 6: blob_chunk seq 2 where seq 1 of blob/);
    expect(() => run(a, blobLine({ sha256: sha, size: 5, chunks: 2 }), chunk(hello.subarray(0, 2)), end())).toThrow(/^line 6: a session_end line after 1 of the 2 blob_chunk lines of blob/);
    expect(() => run(a, chunk())).toThrow(/^line 4: a blob_chunk line of blob \w+ without its blob line before it/);
    expect(() => run(a, blobLine({ sha256: sha, size: 5, chunks: 6 }))).toThrow(/^line 4: a blob of 5 bytes cannot come in 6 chunks/);
    expect(() => run(a, blobLine({ sha256: sha, size: 2 * 1024 * 1024 + 1, chunks: 2 }))).toThrow(/cannot come in 2 chunks of 1 to 1048576 bytes/);
    expect(() => run(a, blob, chunk(), blob)).toThrow(/^line 6: blob \w+ is carried a second time/);
  });

  it('refuses versions that name no blob carried before them, or come out of place', () => {
    const a = artifactLine(artifact('artifact_a'), 2);
    expect(() => run(a, contentLine(content('artifact_a', 0)))).toThrow(/^line 4: version 0 names blob \w+, whose bytes the bundle has not carried before it/);
    expect(() => run(a, blob, chunk(), contentLine(content('artifact_a', 0, { size: 4 })))).toThrow(/^line 6: version 0 is 4 bytes, but its blob \w+ is 5/);
    expect(() => run(a, blob, chunk(), contentLine(content('artifact_a', 1)), contentLine(content('artifact_a', 0)))).toThrow(/^line 7: versions must be in increasing order/);
    expect(() => run(a, blob, chunk(), contentLine(content('artifact_a', 2)))).toThrow(/^line 6: version 2 is not below the artifact's next_version 2/);
    expect(() => run(a, artifactLine(artifact('artifact_b'), 1), blob, chunk(), contentLine(content('artifact_a', 0)))).toThrow(/^line 7: an artifact_content line of artifact artifact_a must follow that artifact's line/);
    expect(() => run(a, blob, chunk(), contentLine(content('artifact_a', 0)), end({ contents: 1 }))).toThrow(/^line 7: session_end of session_a counts 0 blobs but the session has 1/);
  });

  it('parses chunk data as strict base64 of 1 to 1 MiB, and knows content lines in version 3 only', () => {
    const line = (data: string) => JSON.stringify({ type: 'blob_chunk', sha256: sha, seq: 0, data });
    expect(parseBundleLine(line('aGVsbG8='), 1)).toEqual({ type: 'blob_chunk', sha256: sha, seq: 0, data: hello });
    for (const data of ['', 'aGVsbG8', 'aGVs bG8=', 'aGVsbG8=\n', '!!!!', 'aGVsbG8==']) expect(() => parseBundleLine(line(data), 2)).toThrow(/^line 2: invalid blob_chunk line: data: must/);
    expect(() => parseBundleLine(line(Buffer.alloc(1024 * 1024 + 1).toString('base64')), 2)).toThrow(/data: must hold 1 to 1048576 bytes/);
    expect(parseBundleLine(line(Buffer.alloc(1024 * 1024).toString('base64')), 2)).toMatchObject({ type: 'blob_chunk' });
    expect(() => parseBundleLine(blob.trimEnd(), 3, 2)).toThrow(/^line 3: unknown line type "blob" \(expected one of header, session, message, state, artifact, session_end, metric, footer\)/);
    expect(() => parseBundleLine(contentLine({ ...content('artifact_a', 0), contentType: 'not a type' }).trimEnd(), 4)).toThrow(/record\.content_type: must be a media type/);
    expect(() => parseBundleLine(contentLine({ ...content('artifact_a', 0), sha256: sha.toUpperCase() }).trimEnd(), 4)).toThrow(/record\.sha256: must be a sha256/);
  });
});

// --- lines from bytes --------------------------------------------------------------------------

describe('readLines', () => {
  it('splits on \\n only, whatever the chunking, and keeps \\r, U+2028 and multi-byte characters inside lines (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom('a\rb', 'sep\u2028x\u2029', '😀', 'é')).map((s) => s.replace(/\n/g, '')), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (lines, crlf, cuts) => {
          const text = lines.join(crlf ? '\r\n' : '\n') + '\n';
          const got = [];
          for await (const line of readLines(iterate(chunksOf(Buffer.from(text), cuts)))) got.push(line);
          // a line's own trailing \r is taken for a CRLF ending
          expect(got.map((l) => l.text)).toEqual(lines.map((l) => l.replace(/\r$/, '')));
          expect(got.map((l) => l.number)).toEqual(lines.map((_, i) => i + 1));
          expect(got.every((l) => l.terminated)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reports a last line without newline, and refuses invalid UTF-8 with its line', async () => {
    const lines = [];
    for await (const line of readLines(iterate([Buffer.from('one\ntw'), Buffer.from('o')]))) lines.push(line);
    expect(lines).toEqual([
      { text: 'one', number: 1, terminated: true },
      { text: 'two', number: 2, terminated: false },
    ]);
    const bad = async () => {
      for await (const _ of readLines(iterate([Buffer.from('ok\n'), Buffer.from([0x61, 0xc3, 0x28, 0x0a])]))) void _;
    };
    await expect(bad()).rejects.toThrow(/^line 2: not valid UTF-8/);
  });

  it('encodeLine escapes U+2028 and U+2029 and stays valid JSON', () => {
    const line = encodeLine({ text: 'a\u2028b\u2029c' });
    expect(line).toBe('{"text":"a\\u2028b\\u2029c"}\n');
    expect(JSON.parse(line)).toEqual({ text: 'a\u2028b\u2029c' });
  });
});
