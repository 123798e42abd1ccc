import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { USAGE } from '../../src/cli/args.js';
import { AWKWARD_TEXT, expectRoundTrip, populate } from './roundtrip.js';
import { countsOf, linesOf, parseSummary, runCli, snapshot, withStorage, type Snapshot } from './support.js';

/* The real command, as a child process, on real SQLite files. */

let dir: string;
const sqlite = (name: string) => `sqlite:${join(dir, name)}`;
const file = (name: string) => join(dir, name);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agent-storage-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('round trip', { timeout: 300_000 }, () => {
  it('SQLite → SQLite → SQLite keeps every record exactly (ids, timestamps, JSON, order, seq)', async () => {
    const source = await expectRoundTrip([sqlite('a.db'), sqlite('b.db'), sqlite('c.db')], dir);
    // the fixture is what it claims to be
    const counts = countsOf(source);
    expect(counts).toMatchObject({ sessions: 12, states: 10, metrics: 2151 });
    expect(counts.messages).toBeGreaterThan(2500);
    expect(source.sessions.some((s) => s.messages[0]?.seq === 4)).toBe(true); // cleared then resumed
    // forks (listed before their parent), a fork of a fork, an orphan; versions; idempotency keys
    const ids = source.sessions.map((s) => s.session.id);
    const forks = source.sessions.filter((s) => s.session.forkedFromMessageId !== null);
    expect(forks).toHaveLength(3);
    expect(forks.filter((f) => f.session.parentId !== null && ids.indexOf(f.session.parentId) > ids.indexOf(f.session.id))).toHaveLength(2);
    expect(forks.filter((f) => f.session.parentId === null)).toHaveLength(1);
    expect(source.sessions.some((s) => (s.state?.version ?? 0) > 1)).toBe(true);
    expect(source.sessions.flatMap((s) => s.messages).filter((m) => m.idempotencyKey !== null).length).toBeGreaterThan(5);
    expect(source.sessions.flatMap((s) => s.messages.map((m) => m.content))).toEqual(expect.arrayContaining(AWKWARD_TEXT));
    // no temporary files left beside the bundles
    expect(readdirSync(dir).filter((name) => name.includes('partial'))).toEqual([]);
  });
});

describe('export and import', { timeout: 180_000 }, () => {
  // One populated source for the cases below (populating takes a moment).
  let sourceDir: string;
  let source: string;
  let all: Snapshot;
  let bundle: string;

  beforeAll(async () => {
    sourceDir = mkdtempSync(join(tmpdir(), 'agent-storage-cli-source-'));
    source = `sqlite:${join(sourceDir, 'source.db')}`;
    await populate(source);
    all = await snapshot(source);
    const exported = await runCli(['export', '--database', source]);
    expect(exported.code).toBe(0);
    bundle = exported.stdout;
  }, 180_000);
  afterAll(() => {
    rmSync(sourceDir, { recursive: true, force: true });
  });

  it('export writes the bundle alone to stdout (summary on stderr), with header, sessions, metrics and footer', () => {
    const lines = linesOf(bundle);
    expect(lines[0]).toMatchObject({ type: 'header', format: 'agent-storage-bundle', version: 3, source: { backend: 'sqlite' } });
    expect(lines.at(-1)).toEqual({ type: 'footer', ...countsOf(all) });
    expect(lines.filter((l) => l.type === 'session').map((l) => l.record!.id)).toEqual(all.sessions.map((s) => s.session.id));
    expect(lines.filter((l) => l.type === 'session_end')).toHaveLength(all.sessions.length);
    // messages carry seq and keep the REST shape
    const message = lines.find((l) => l.type === 'message')!.record!;
    expect(Object.keys(message).sort()).toEqual(['content', 'id', 'idempotency_key', 'item', 'metadata', 'role', 'seq', 'session_id', 'timestamp', 'token_count']);
    // U+2028/U+2029 are escaped, so that no line reader splits a record
    expect(bundle).not.toMatch(/[\u2028\u2029]/);
  });

  it('import from stdin, then again: nothing is duplicated, and the summary says what was already there', async () => {
    const first = await runCli(['import', '--database', sqlite('t.db')], { input: bundle });
    expect(first.code).toBe(0);
    const counts = countsOf(all);
    expect(parseSummary(first.stdout)).toEqual(Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, { imported: n, present: 0 }])));

    const second = await runCli(['import', '--database', sqlite('t.db'), '--in', '-'], { input: bundle });
    expect(second.code).toBe(0);
    expect(parseSummary(second.stdout)).toEqual(Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, { imported: 0, present: n }])));
    expect(await snapshot(sqlite('t.db'))).toEqual(all);
  });

  it('--session exports one session and its metrics', async () => {
    const chosen = all.sessions[2]!;
    const out = file('one.jsonl');
    const run = await runCli(['export', '--database', source, '--session', chosen.session.id, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^Exported 1 session /);
    const lines = linesOf(readFileSync(out, 'utf8'));
    expect(lines[0]).toMatchObject({ type: 'header', filter: { session_id: chosen.session.id, agent_name: null } });
    expect(lines.filter((l) => l.type === 'metric').every((l) => l.record!.session_id === chosen.session.id)).toBe(true);

    expect((await runCli(['import', '--database', sqlite('t.db'), '--in', out])).code).toBe(0);
    const target = await snapshot(sqlite('t.db'));
    expect(target.sessions).toEqual([chosen]);
    const expectedMetrics = all.metrics.filter((m) => m.sessionId === chosen.session.id);
    expect(expectedMetrics.length).toBeGreaterThan(0);
    expect(target.metrics).toEqual(expectedMetrics);
  });

  it('--agent exports that agent’s sessions and their metrics', async () => {
    const agent = 'researcher 😀';
    const run = await runCli(['export', '--database', source, `--agent=${agent}`]);
    expect(run.code).toBe(0);
    expect((await runCli(['import', '--database', sqlite('t.db')], { input: run.stdout })).code).toBe(0);
    const target = await snapshot(sqlite('t.db'));
    const sessions = all.sessions.filter((s) => s.session.agentName === agent);
    expect(sessions.length).toBe(3);
    expect(target.sessions).toEqual(sessions);
    const ids = new Set(sessions.map((s) => s.session.id));
    expect(target.metrics).toEqual(all.metrics.filter((m) => m.sessionId !== null && ids.has(m.sessionId)));
  });

  it('an agent without sessions exports an empty (but complete) bundle', async () => {
    const run = await runCli(['export', '--database', source, '--agent', 'nobody']);
    expect(run.code).toBe(0);
    expect(linesOf(run.stdout).map((l) => l.type)).toEqual(['header', 'footer']);
  });

  it('a truncated bundle: complete sessions are imported, the cut one not at all, and the exit code is 1', async () => {
    const lines = bundle.split('\n');
    const firstEnd = lines.findIndex((l) => l.includes('"type":"session_end"'));
    const secondSession = lines.findIndex((l, i) => i > firstEnd && l.includes('"type":"session"'));
    // cut at a line boundary inside the second session: its session line and 2 messages
    const truncated = lines.slice(0, secondSession + 3).join('\n') + '\n';

    const run = await runCli(['import', '--database', sqlite('t.db')], { input: truncated });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/truncated/);
    expect(run.stderr).toContain(all.sessions[1]!.session.id);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(parseSummary(run.stdout).sessions).toEqual({ imported: 1, present: 0 });
    const partial = await snapshot(sqlite('t.db'));
    expect(partial.sessions).toEqual([all.sessions[0]]);
    expect(partial.metrics).toEqual([]);

    // cut in the middle of a line: the same, and the message says the last line is incomplete
    const midLine = truncated + lines[secondSession + 3]!.slice(0, 40);
    const again = await runCli(['import', '--database', sqlite('t.db')], { input: midLine });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(new RegExp(`line ${secondSession + 4}: the last line is incomplete: the file is truncated`));
    expect((await snapshot(sqlite('t.db'))).sessions).toEqual([all.sessions[0]]);

    // the whole bundle afterwards completes the import
    const rest = await runCli(['import', '--database', sqlite('t.db')], { input: bundle });
    expect(rest.code).toBe(0);
    expect(parseSummary(rest.stdout).sessions).toEqual({ imported: all.sessions.length - 1, present: 1 });
    expect(await snapshot(sqlite('t.db'))).toEqual(all);
  });

  it('a bundle without its footer imports what it has but fails: the file is truncated', async () => {
    const withoutFooter = bundle.split('\n').slice(0, -2).join('\n') + '\n';
    const run = await runCli(['import', '--database', sqlite('t.db')], { input: withoutFooter });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/without its footer: the file is truncated/);
    expect(await snapshot(sqlite('t.db'))).toEqual(all);
  });

  it('carries each blob once, in chunks of at most 1 MiB, before the first version that names it', () => {
    const lines = linesOf(bundle);
    const counts = countsOf(all);
    // the fixture shares blobs between versions, artifacts and sessions (a fork's copy)
    expect(counts.contents).toBeGreaterThan(counts.blobs);
    const blobs = lines.filter((l) => l.type === 'blob') as unknown as { sha256: string; size: number; chunks: number }[];
    expect(blobs.map((b) => b.sha256).sort()).toEqual([...new Set(all.sessions.flatMap((s) => Object.values(s.contents).flatMap((c) => c.versions.map((v) => v.sha256))))].sort());
    expect(blobs.some((b) => b.size === 0 && b.chunks === 0)).toBe(true);
    expect(blobs.some((b) => b.chunks === 3)).toBe(true); // 2.5 MiB
    const carried = new Set<string>();
    for (const [i, line] of lines.entries()) {
      if (line.type === 'blob_chunk') expect(Buffer.from(line.data as string, 'base64').byteLength).toBeLessThanOrEqual(1024 * 1024);
      if (line.type === 'blob') carried.add(line.sha256 as string);
      if (line.type === 'artifact_content') expect(carried.has((line.record as { sha256: string }).sha256), `line ${i + 1}`).toBe(true);
    }
  });

  /**
   * The target's content is whole: every version's bytes are there, and no blob (row or file) is
   * left that nothing names. `swept`: bytes staged for a session that was not written may stay as
   * files until the blob sweep (which removes files without a row), so sweep first.
   */
  const expectNoLooseBlobs = async (url: string, dbFile: string, swept = false) => {
    await withStorage(url, async (_storage, backend) => {
      if (swept) await backend.stores.blobs.sweep(0);
      const usage = await backend.stores.blobs.usage();
      const target = await snapshot(url); // reads every version's bytes back
      const named = new Set(target.sessions.flatMap((s) => Object.values(s.contents).flatMap((c) => c.versions.map((v) => v.sha256))));
      expect(usage.blobs).toBe(named.size);
      const files = readdirSync(`${dbFile}-blobs`, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      expect(files.map((f) => f.name).sort()).toEqual([...named].sort());
    });
  };

  it('a corrupted blob_chunk line stops the import at its blob: that session is not written, and no bytes are left behind', async () => {
    const lines = bundle.split('\n');
    const firstEnd = lines.findIndex((l) => l.includes('"type":"session_end"'));
    const chunk = lines.findIndex((l, i) => i > firstEnd && l.includes('"type":"blob_chunk"'));
    expect(chunk).toBeGreaterThan(0);
    const parsed = JSON.parse(lines[chunk]!) as { data: string };
    const bytes = Buffer.from(parsed.data, 'base64');
    bytes.writeUInt8(bytes.readUInt8(bytes.length >> 1) ^ 0x01, bytes.length >> 1);
    lines[chunk] = JSON.stringify({ ...parsed, data: bytes.toString('base64') });
    const sessionLine = lines.findLastIndex((l, i) => i < chunk && l.includes('"type":"session"'));
    const victim = (JSON.parse(lines[sessionLine]!) as { record: { id: string } }).record.id;

    const run = await runCli(['import', '--database', sqlite('t.db')], { input: lines.join('\n') });
    expect(run.code).toBe(1);
    const blobLine = lines.findLastIndex((l, i) => i < chunk && l.includes('"type":"blob"'));
    expect(run.stderr).toMatch(new RegExp(`line \\d+: the bytes of blob [0-9a-f]{64} \\(line ${blobLine + 1}\\) have the sha256 [0-9a-f]{64}: the bundle is corrupted`));
    const target = await snapshot(sqlite('t.db'));
    expect(target.sessions.map((s) => s.session.id)).not.toContain(victim);
    expect(target.sessions).toEqual(all.sessions.slice(0, target.sessions.length));
    await expectNoLooseBlobs(sqlite('t.db'), file('t.db'));

    // the same with a chunk line cut short (a truncated bundle), and with a chunk missing
    const cut = lines.slice(0, chunk).join('\n') + '\n';
    const truncated = await runCli(['import', '--database', sqlite('u.db')], { input: cut });
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toMatch(/the bundle ends inside blob [0-9a-f]{64} \(line \d+\): the file is truncated/);
    const missing = [...lines.slice(0, chunk), ...lines.slice(chunk + 1)].join('\n');
    const refused = await runCli(['import', '--database', sqlite('u.db')], { input: missing });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/blob_chunk lines of blob|where seq \d+ of blob/);
    await expectNoLooseBlobs(sqlite('u.db'), file('u.db'));

    // the whole bundle afterwards completes the import
    expect((await runCli(['import', '--database', sqlite('t.db')], { input: bundle })).code).toBe(0);
    expect(await snapshot(sqlite('t.db'))).toEqual(all);
    await expectNoLooseBlobs(sqlite('t.db'), file('t.db'));
  });

  it('the quota holds on import: the session whose blob does not fit is not written, those before it are', async () => {
    const counts = countsOf(all);
    expect(counts.blobs).toBeGreaterThan(1);
    const run = await runCli(['import', '--database', sqlite('t.db')], { input: bundle, env: { STORAGE_QUOTA_BYTES: String(1024 * 1024) } });
    expect(run.code).toBe(1);
    // refused as its bytes arrive, or (several blobs of one session) when the session is written
    expect(run.stderr).toMatch(/(line \d+: blob [0-9a-f]{64} \(\d+ bytes\)|session session_\w+ \(line \d+\)) was not imported: Storage quota exceeded: this tenant may store 1048576 bytes/);
    const target = await snapshot(sqlite('t.db'));
    expect(target.sessions).toEqual(all.sessions.slice(0, target.sessions.length));
    expect(target.sessions.length).toBeLessThan(all.sessions.length);
    await withStorage(sqlite('t.db'), async (_storage, backend) => expect((await backend.stores.blobs.usage()).storedBytes).toBeLessThanOrEqual(1024 * 1024));
    await expectNoLooseBlobs(sqlite('t.db'), file('t.db'), true);
  });

  it('a session that conflicts with the target is refused whole; the others are imported', async () => {
    const victim = all.sessions[2]!;
    // the target already has this session, with a different message at seq 1
    await withStorage(sqlite('t.db'), async (_storage, backend) => {
      await backend.stores.sessions.insert(victim.session);
      await backend.stores.history.append(victim.session.id, [{ ...victim.messages[0]!, id: 'msg_00000000000000000000000000' }], new Date().toISOString());
    });
    const run = await runCli(['import', '--database', sqlite('t.db')], { input: bundle });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`session ${victim.session.id} \\(line \\d+\\) was not imported: .*seq 1`));
    const target = await snapshot(sqlite('t.db'));
    expect(target.sessions.filter((s) => s.session.id !== victim.session.id)).toEqual(all.sessions.filter((s) => s.session.id !== victim.session.id));
    const kept = target.sessions.find((s) => s.session.id === victim.session.id)!;
    expect(kept.messages.map((m) => m.id)).toEqual(['msg_00000000000000000000000000']);
    expect(kept.artifacts).toEqual([]);
    expect(target.metrics).toEqual(all.metrics);
  });

  it('an invalid line stops the import with its line number and the field; sessions before it stay', async () => {
    const lines = bundle.split('\n');
    const firstEnd = lines.findIndex((l) => l.includes('"type":"session_end"'));
    const bad = lines.findIndex((l, i) => i > firstEnd && l.includes('"type":"message"'));
    lines[bad] = lines[bad]!.replace('"id":"msg_', '"id":"message_').replace(/"timestamp":"([^"]+)\.\d{3}Z"/, '"timestamp":"$1Z"');
    const run = await runCli(['import', '--database', sqlite('t.db')], { input: lines.join('\n') });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`line ${bad + 1}: invalid message line: record.id: must be a message id ("msg_"`);
    expect(run.stderr).toContain('record.timestamp: must be a canonical UTC timestamp');
    expect((await snapshot(sqlite('t.db'))).sessions).toEqual([all.sessions[0]]);
  });

  /** This bundle as an older version wrote it: without what later versions added. */
  const olderBundle = (version: 1 | 2) =>
    linesOf(bundle)
      .filter((line) => !['blob', 'blob_chunk', 'artifact_content'].includes(line.type))
      .map((line) => {
        const record = line.record as Record<string, unknown> | undefined;
        if (line.type === 'header') return { ...line, version };
        if (line.type === 'artifact') delete line.next_version;
        if (line.type === 'session_end' || line.type === 'footer') delete line.contents, delete line.blobs;
        if (version > 1) return line;
        if (line.type === 'session') delete record!.parent_id, delete record!.forked_from_message_id, delete record!.expires_at;
        if (line.type === 'message') delete record!.idempotency_key, delete record!.item, delete record!.token_count;
        if (line.type === 'state') delete record!.version;
        return line;
      })
      .map((line) => `${JSON.stringify(line)}\n`)
      .join('');
  const withoutContent = (s: Snapshot): Snapshot => ({ ...s, sessions: s.sessions.map((x) => ({ ...x, contents: {} })) });

  it('reads a version 2 bundle: everything but content', async () => {
    expect(all.sessions.some((s) => Object.keys(s.contents).length > 0)).toBe(true);
    const run = await runCli(['import', '--database', sqlite('t.db')], { input: olderBundle(2) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(parseSummary(run.stdout)).toMatchObject({ contents: { imported: 0, present: 0 }, blobs: { imported: 0, present: 0 } });
    expect(await snapshot(sqlite('t.db'))).toEqual(withoutContent(all));
    // and refuses content lines in a version 2 bundle
    const refused = await runCli(['import', '--database', sqlite('u.db')], { input: bundle.replace('"version":3', '"version":2') });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/invalid artifact line: Unrecognized key: "next_version"/);
  });

  it('reads a version 1 bundle: its sessions are not forks, its messages have no key, its states are at version 1', async () => {
    const run = await runCli(['import', '--database', sqlite('t.db')], { input: olderBundle(1) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await snapshot(sqlite('t.db'))).toEqual({
      ...all,
      sessions: all.sessions.map(({ session, messages, state, artifacts }) => ({
        session: { ...session, parentId: null, forkedFromMessageId: null },
        messages: messages.map((m) => ({ ...m, idempotencyKey: null })),
        state: state && { ...state, version: 1 },
        artifacts,
        contents: {},
      })),
    });
    // and refuses a version 1 line in a version 2 bundle
    const mixed = olderBundle(2).replace(/,"parent_id":(null|"[^"]*"),"forked_from_message_id":(null|"[^"]*")/, '');
    const refused = await runCli(['import', '--database', sqlite('u.db')], { input: mixed });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/invalid session line: record\.parent_id: field required/);
  });

  it('a fork imported without its parent has no parent until it is imported again with the parent there', async () => {
    const fork = all.sessions.find((s) => s.session.parentId !== null)!;
    const exportOne = async (id: string) => (await runCli(['export', '--database', source, '--session', id])).stdout;
    const forkBundle = await exportOne(fork.session.id);
    expect((await runCli(['import', '--database', sqlite('t.db')], { input: forkBundle })).code).toBe(0);
    expect((await snapshot(sqlite('t.db'))).sessions).toEqual([{ ...fork, session: { ...fork.session, parentId: null } }]);
    expect((await runCli(['import', '--database', sqlite('t.db')], { input: await exportOne(fork.session.parentId!) })).code).toBe(0);
    expect((await runCli(['import', '--database', sqlite('t.db')], { input: forkBundle })).code).toBe(0);
    const linked = (await snapshot(sqlite('t.db'))).sessions.find((s) => s.session.id === fork.session.id);
    expect(linked).toEqual(fork);
  });

  it('exports to a file only once complete, and never leaves partial files behind', async () => {
    const out = file('full.jsonl');
    writeFileSync(out, 'old content');
    const run = await runCli(['export', '--database', source, '-o', out]);
    expect(run.code).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n').slice(1).join('\n')).toBe(bundle.split('\n').slice(1).join('\n'));
    expect(readdirSync(dir)).toEqual(['full.jsonl']);
  });
});

describe('failures', { timeout: 60_000 }, () => {
  const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);

  it.each([
    [[], /no command given/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['--out', 'x'], /unknown option --out \(the command comes first/],
    [['export', '--bogus'], /unknown option --bogus for export/],
    [['export', '--out'], /--out needs a value/],
    [['export', '--out', '--session', 'x'], /--out needs a value/],
    [['export', '--session', 'session_a', '--agent', 'b'], /--session and --agent cannot be combined/],
    [['export', '--session', 'a', '--session', 'b'], /--session given more than once/],
    [['export', 'stray'], /unexpected argument "stray" for export/],
    [['import', '--in'], /--in needs a value/],
    [['import', '--session', 'x'], /unknown option --session for import/],
    [['export', '--database', 'http://example.com/db'], /--database has unsupported scheme "http:"/],
  ])('%j is a usage error: exit 2 with the usage', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/Usage: agent-storage/);
    expect(run.stdout).toBe('');
  });

  it('a bad DATABASE_URL in the environment is a configuration error: exit 2', async () => {
    const run = await runCli(['export'], { env: { DATABASE_URL: 'ftp://nowhere' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/DATABASE_URL: has unsupported scheme "ftp:"/);
  });

  it('--help and --version answer on stdout with exit 0', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(USAGE);
    const exportHelp = await runCli(['export', '--help']);
    expect(exportHelp.stdout).toMatch(/^Usage: agent-storage export/);
    const version = await runCli(['--version']);
    expect(version.stdout).toMatch(/^agent-storage \d+\.\d+\.\d+\n$/);
  });

  describe('expected failures are one clear line, exit 1, never a stack trace', () => {
    beforeEach(async () => {
      await withStorage(sqlite('a.db'), async (storage) => {
        await storage.sessions.create({ agentName: 'a', userId: null, status: 'active', metadata: {} });
      });
    });
    const at = (name: string) => `sqlite:${join(dir, name)}`;
    const cases: [string, () => string[], RegExp, (string | Buffer)?][] = [
      ['export from a missing database', () => ['export', '--database', at('missing.db')], /no database at .*missing\.db/],
      ['export of an unknown session', () => ['export', '--database', at('a.db'), '--session', 'session_unknown'], /session session_unknown not found/],
      ['export into a missing folder', () => ['export', '--database', at('a.db'), '--out', join(dir, 'no', 'dir', 'b.jsonl')], /cannot write .*b\.jsonl: no such file or directory/],
      ['export onto a directory', () => ['export', '--database', at('a.db'), '--out', dir], /cannot write .*: it is a directory/],
      ['import of a missing file', () => ['import', '--database', at('b.db'), '--in', join(dir, 'missing.jsonl')], /cannot read .*missing\.jsonl: no such file or directory/],
      ['import of a directory', () => ['import', '--database', at('b.db'), '--in', dir], /cannot read .*: it is a directory/],
      ['import of text that is not JSON', () => ['import', '--database', at('b.db')], /line 1: not valid JSON/, 'this is not json\n'],
      ['import of a bundle without header', () => ['import', '--database', at('b.db')], /line 1: the first line must be the header/, '{"type":"footer","sessions":0,"messages":0,"states":0,"artifacts":0,"metrics":0}\n'],
      ['import of another format', () => ['import', '--database', at('b.db')], /not an agent-storage-bundle/, '{"type":"header","format":"something-else"}\n'],
      ['import of a newer version', () => ['import', '--database', at('b.db')], /bundle version 4 is not supported; this tool reads versions 1, 2 and 3/, '{"type":"header","format":"agent-storage-bundle","version":4}\n'],
      ['import of nothing', () => ['import', '--database', at('b.db')], /empty input/, ''],
      ['import of invalid UTF-8', () => ['import', '--database', at('b.db')], /line 1: not valid UTF-8/, Buffer.from([0xff, 0xfe, 0x0a])],
    ];
    it.each(cases)('%s', async (_name, args, message, input) => {
      const run = await runCli(args(), { input });
      expect(run.stderr).toMatch(message);
      expect(run.code).toBe(1);
      noStack(run.stderr);
      // neither a mistyped import file nor a mistyped export database creates a database
      expect(existsSync(join(dir, 'missing.db'))).toBe(false);
      if (args()[0] === 'import' && args().includes('--in')) expect(existsSync(join(dir, 'b.db'))).toBe(false);
    });
  });
});
