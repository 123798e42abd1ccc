import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_USAGE } from '../../src/cli/args.js';
import { blobPath } from '../../src/modules/blobs/filesystem.js';
import { client, type JsonClient } from '../support/http.js';
import { startService, type Service } from '../support/process.js';
import { runCli } from './support.js';

/*
 * `agent-storage backup` and `restore` as users run them (bin/agent-storage.mjs) beside the real
 * service (its own process, on a SQLite file with its blob folder).
 */

const WRITERS = 8;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'agent-storage-backup-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function upload(url: string, sessionId: string, name: string, bytes: Uint8Array): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}/storage/artifacts/content?session_id=${sessionId}&name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: bytes as BodyInit,
  });
  return { status: response.status, body: await response.json() };
}

async function download(url: string, artifactId: string): Promise<Buffer> {
  const response = await fetch(`${url}/storage/artifacts/${artifactId}/content`);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

async function newSession(api: JsonClient, agentName: string): Promise<string> {
  const created = await api.post('/storage/sessions', { agent_name: agentName });
  expect(created.status).toBe(200);
  return created.body.id as string;
}

/** The rows of a database file, read as it is on disk (no service). */
function readDatabase(file: string) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return {
      integrity: (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check),
      foreignKeys: db.pragma('foreign_key_check') as unknown[],
      history: db.prepare('SELECT id, session_id, seq, content FROM history ORDER BY session_id, seq').all() as {
        id: string;
        session_id: string;
        seq: number;
        content: string;
      }[],
      blobs: db.prepare('SELECT sha256 FROM blobs').all().map((r) => (r as { sha256: string }).sha256),
    };
  } finally {
    db.close();
  }
}

describe('backup under load, then restore', { timeout: 600_000 }, () => {
  it(`a backup taken while ${WRITERS} writers append holds every write acknowledged before it began, its content included, and restores to a database that passes integrity_check`, async () => {
    const live = join(dir, 'live', 'storage.db');
    const file = join(dir, 'backups', 'storage.db');
    const restored = join(dir, 'restored', 'storage.db');
    mkdirSync(join(dir, 'backups')); // backup writes into a folder that exists (as export does)

    interface Ack {
      id: string;
      content: string;
      at: number;
    }
    const sent: string[][] = Array.from({ length: WRITERS }, () => []);
    const acked: Ack[][] = Array.from({ length: WRITERS }, () => []);
    const uploads: { artifactId: string; sha: string; at: number }[] = [];
    const sessions: string[] = [];
    const preloaded: { artifactId: string; bytes: Buffer }[] = [];
    let backupBegan = 0;
    let backupEnded = 0;

    const service = await startService({ DATABASE_URL: `sqlite:${live}` });
    try {
      const api = client(service.url);
      // Content before the load: several files, one over a MiB, one the same bytes twice (one file).
      const owner = await newSession(api, 'content');
      for (const [name, bytes] of [
        ['big.bin', randomBytes(1024 * 1024 + 17)],
        ['small.txt', Buffer.from('hello, backup')],
        ['again.txt', Buffer.from('hello, backup')],
      ] as const) {
        const reply = await upload(service.url, owner, name, bytes);
        expect(reply.status).toBe(201);
        preloaded.push({ artifactId: reply.body.artifact.id, bytes });
      }
      for (let w = 0; w < WRITERS; w++) sessions.push(await newSession(api, `writer-${w}`));

      let stop = false;
      const writer = async (w: number) => {
        for (let i = 0; !stop; i++) {
          const content = `w${w}-${i}`;
          sent[w]!.push(content);
          const reply = await api.post('/storage/history', { session_id: sessions[w], role: 'user', content });
          expect(reply.status, reply.text).toBe(200);
          acked[w]!.push({ id: reply.body.id, content, at: performance.now() });
        }
      };
      // Besides the appends, new content keeps arriving: its files must follow the rows that name them.
      const uploader = async () => {
        for (let i = 0; !stop; i++) {
          const bytes = randomBytes(4096 + i);
          const reply = await upload(service.url, owner, `load-${i}.bin`, bytes);
          expect(reply.status).toBe(201);
          uploads.push({ artifactId: reply.body.artifact.id, sha: sha256(bytes), at: performance.now() });
        }
      };
      const load = Promise.all([...sessions.map((_, w) => writer(w)), uploader()]);
      try {
        while (acked.some((a) => a.length < 20) || uploads.length < 3) await new Promise((r) => setTimeout(r, 20));
        backupBegan = performance.now();
        const run = await runCli(['backup', '--database', `sqlite:${live}`, '--to', file]);
        backupEnded = performance.now();
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect(run.stdout).toMatch(/^Backed up sqlite:\S+storage\.db to \S+storage\.db: \d+ pages of \d+ bytes .* schema version \d+, \d+ content files .* integrity_check ok, in [\d.]+ s\n$/);
      } finally {
        stop = true;
        await load;
      }
    } finally {
      await service.stop();
    }
    // The service kept answering writes while the backup ran.
    expect(acked.flat().filter((a) => a.at > backupBegan && a.at < backupEnded).length).toBeGreaterThan(0);
    expect(readdirSync(join(dir, 'backups')).sort()).toEqual(['storage.db', 'storage.db-blobs']); // a single file beside its blobs

    const restore = await runCli(['restore', '--from', file, '--database', `sqlite:${restored}`]);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/^Restored \S+ to sqlite:\S+restored\/storage\.db: .* integrity_check ok/);

    const copy = readDatabase(restored);
    expect(copy.integrity).toEqual(['ok']);
    expect(copy.foreignKeys).toEqual([]);
    let before = 0;
    let after = 0;
    for (let w = 0; w < WRITERS; w++) {
      const stored = copy.history.filter((m) => m.session_id === sessions[w]);
      // A snapshot: each writer's messages up to some point, in order, none missing in between.
      expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));
      expect(stored.map((m) => m.content)).toEqual(sent[w]!.slice(0, stored.length));
      for (const ack of acked[w]!) {
        if (ack.at < backupBegan) {
          before++;
          expect(stored.find((m) => m.id === ack.id)?.content, `${ack.content}, acknowledged before the backup began`).toBe(ack.content);
        } else if (!stored.some((m) => m.id === ack.id)) after++;
      }
    }
    expect(before).toBeGreaterThanOrEqual(WRITERS * 20);
    expect(after).toBeGreaterThan(0); // and the writes after the snapshot are not in it

    // The restored database serves the content's bytes from its own blob folder.
    const server = await startService({ DATABASE_URL: `sqlite:${restored}` });
    try {
      for (const { artifactId, bytes } of preloaded) expect(sha256(await download(server.url, artifactId))).toBe(sha256(bytes));
      const early = uploads.filter((u) => u.at < backupBegan);
      expect(early.length).toBeGreaterThanOrEqual(3);
      for (const { artifactId, sha } of early) expect(sha256(await download(server.url, artifactId))).toBe(sha);
    } finally {
      await server.stop();
    }
    for (const sha of copy.blobs) expect(existsSync(blobPath(`${restored}-blobs`, sha)), sha).toBe(true);
  });
});

describe('restore and the running service', { timeout: 600_000 }, () => {
  it('refuses a database a service has open and an existing one without --force; replaces it once the service is stopped', async () => {
    const live = join(dir, 'swap', 'storage.db');
    const file = join(dir, 'swap.backup.db');
    let service: Service = await startService({ DATABASE_URL: `sqlite:${live}` });
    let sessionId: string;
    try {
      const api = client(service.url);
      sessionId = await newSession(api, 'swap');
      expect((await api.post('/storage/history', { session_id: sessionId, role: 'user', content: 'before the backup' })).status).toBe(200);
      expect((await runCli(['backup', '--database', `sqlite:${live}`, '--to', file])).code).toBe(0);
      expect((await api.post('/storage/history', { session_id: sessionId, role: 'user', content: 'after the backup' })).status).toBe(200);

      // An existing backup is not replaced without --force.
      const saved = readFileSync(file);
      const again = await runCli(['backup', '--database', `sqlite:${live}`, '--to', file]);
      expect(again.code).toBe(1);
      expect(again.stderr).toBe(`agent-storage backup: ${file} exists; give --force to replace it\n`);
      expect(readFileSync(file).equals(saved)).toBe(true);

      // The service has the database open: restore refuses, whatever --force says, and changes nothing.
      const refused = await runCli(['restore', '--from', file, '--database', `sqlite:${live}`, '--force']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(`agent-storage restore: ${live} is open in another process (is the service running?); stop it before restoring\n`);
      const history = await api.get(`/storage/history?session_id=${sessionId}`);
      expect(history.body.map((m: { content: string }) => m.content)).toEqual(['before the backup', 'after the backup']);
      expect((await api.post('/storage/history', { session_id: sessionId, role: 'user', content: 'still serving' })).status).toBe(200);
    } finally {
      await service.stop();
    }

    const unforced = await runCli(['restore', '--from', file, '--database', `sqlite:${live}`]);
    expect(unforced.code).toBe(1);
    expect(unforced.stderr).toBe(`agent-storage restore: ${live} exists; give --force to replace it with the backup\n`);

    // A crashed service's leftovers do not count as a running one, and do not survive the restore.
    appendFileSync(`${live}-wal`, '');
    const restored = await runCli(['restore', '--from', file, '--database', `sqlite:${live}`, '--force']);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(existsSync(`${live}-wal`)).toBe(false);
    expect(existsSync(`${live}-shm`)).toBe(false);
    expect(readdirSync(join(dir, 'swap')).filter((name) => name.startsWith('.'))).toEqual([]); // no staged file left

    service = await startService({ DATABASE_URL: `sqlite:${live}` });
    try {
      const history = await client(service.url).get(`/storage/history?session_id=${sessionId}`);
      expect(history.body.map((m: { content: string }) => m.content)).toEqual(['before the backup']);
    } finally {
      await service.stop();
    }
    expect(readDatabase(live).integrity).toEqual(['ok']);

    const forced = await runCli(['backup', '--database', `sqlite:${live}`, '--to', file, '--force']);
    expect(forced.code).toBe(0);
  });
});

describe('what backup and restore refuse', { timeout: 600_000 }, () => {
  let good: string;
  let blobSha: string;

  beforeAll(async () => {
    // A backup with one content file, made from a database written by the service.
    const live = join(dir, 'refusals', 'storage.db');
    const service = await startService({ DATABASE_URL: `sqlite:${live}` });
    try {
      const sessionId = await newSession(client(service.url), 'refusals');
      const bytes = Buffer.from('the only content');
      blobSha = sha256(bytes);
      expect((await upload(service.url, sessionId, 'a.txt', bytes)).status).toBe(201);
    } finally {
      await service.stop();
    }
    good = join(dir, 'refusals', 'good.db');
    const run = await runCli(['backup', '--database', live, '--to', good]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/1 content file \(16 bytes\)/);
  });

  /** A copy of the good backup (and its blob folder) to spoil. */
  function copyOfGood(name: string): string {
    const file = join(dir, 'refusals', name);
    writeFileSync(file, readFileSync(good));
    const from = blobPath(`${good}-blobs`, blobSha);
    const to = blobPath(`${file}-blobs`, blobSha);
    mkdirSync(join(to, '..'), { recursive: true });
    writeFileSync(to, readFileSync(from));
    return file;
  }

  it('bad arguments: exit 2 with the usage; --help: the usage on stdout', async () => {
    const help = await runCli(['backup', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(BACKUP_USAGE);
    const none = await runCli(['backup']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^agent-storage: backup needs --to FILE\n\nUsage: agent-storage backup --to FILE/);
    const stream = await runCli(['restore', '--from', '-']);
    expect(stream.code).toBe(2);
    expect(stream.stderr).toMatch(/^agent-storage: --from needs a file name: a backup is a database file, not a stream/);
  });

  it('PostgreSQL, a missing database or tenant: exit 1, one line, no file written', async () => {
    const target = join(dir, 'refusals', 'never.db');
    const pg = await runCli(['backup', '--database', 'postgres://postgres@127.0.0.1:5432/test', '--to', target]);
    expect(pg.code).toBe(1);
    expect(pg.stderr).toMatch(/^agent-storage backup: backup copies SQLite databases; for PostgreSQL \(postgres:\/\/postgres@127\.0\.0\.1:5432\/test\) use pg_dump and pg_restore, or agent-storage export and import .*docs\/backups\.md\)\n$/);
    const missing = await runCli(['backup', '--database', join(dir, 'nothing.db'), '--to', target]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no database at .*nothing\.db/);
    const folder = await runCli(['backup', '--database', join(dir, 'refusals', 'storage.db'), '--to', join(dir, 'no', 'such', 'folder.db')]);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toMatch(/^agent-storage backup: cannot write .*folder\.db: no such file or directory\n$/);
    const tenant = await runCli(['backup', '--database', join(dir, 'refusals', 'storage.db'), '--tenant', 'acme', '--to', target]);
    expect(tenant.code).toBe(1);
    expect(tenant.stderr).toMatch(/tenant "acme" has no data there/);
    expect(existsSync(target)).toBe(false);
  });

  it('a backup that is not a database, is damaged, is newer than this build or lacks content: the target is not touched', async () => {
    const target = join(dir, 'refusals', 'target', 'storage.db');
    const attempt = async (from: string) => {
      const run = await runCli(['restore', '--from', from, '--database', target]);
      expect(run.code).toBe(1);
      expect(existsSync(target)).toBe(false);
      return run.stderr;
    };

    const text = join(dir, 'refusals', 'notes.txt');
    writeFileSync(text, 'not a database at all, but long enough to look like one might be. '.repeat(20));
    expect(await attempt(text)).toMatch(/^agent-storage restore: cannot (open|read) .*notes\.txt: it is not a SQLite database\n$/);

    const newer = copyOfGood('newer.db');
    const db = new Database(newer);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', '2030-01-01')").run();
    db.close();
    expect(await attempt(newer)).toMatch(/has schema version 9999, newer than this version of agent-storage serves \(\d+\); use a newer one/);

    const damaged = copyOfGood('damaged.db');
    const bytes = readFileSync(damaged);
    const pageSize = bytes.readUInt16BE(16);
    bytes.fill(0xa5, pageSize, bytes.length - pageSize); // every page but the first (the schema) and the last
    writeFileSync(damaged, bytes);
    expect(await attempt(damaged)).toMatch(/^agent-storage restore: .*(fails PRAGMA integrity_check|malformed)/);

    const lost = copyOfGood('lost.db');
    unlinkSync(blobPath(`${lost}-blobs`, blobSha));
    expect(await attempt(lost)).toBe(`agent-storage restore: the backup is incomplete: content file ${blobSha} is missing from ${lost}-blobs\n`);

    const spoiled = copyOfGood('spoiled.db');
    writeFileSync(blobPath(`${spoiled}-blobs`, blobSha), 'the only c0ntent');
    expect(await attempt(spoiled)).toMatch(/content file .* is damaged: its bytes do not match their sha256 and size/);

    // The good one restores, with its content file.
    const run = await runCli(['restore', '--from', good, '--database', target]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(blobPath(`${target}-blobs`, blobSha), 'utf8')).toBe('the only content');
  });
});
