import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { pseudoRandomBytes, sha256OfPseudoRandom, streamDownload, streamUpload, waitUntil } from '../support/content.js';
import { client } from '../support/http.js';
import { testDatabase } from '../support/postgres.js';
import { startService } from '../support/process.js';
import { tempDir } from './support.js';

/**
 * `kill -9` of the service while 8 uploads of artifact content are streaming in, on SQLite with
 * the filesystem store and on PostgreSQL with the database store. What was acknowledged (201)
 * downloads after the restart with its sha256; no content row names a blob without its bytes;
 * and once the sweep has run (grace 0 after the restart) nothing the cut-off uploads left is left:
 * no staged file, no blob file without a row, no staged chunks, no upload in progress, and the
 * usage counter is the sum of the blobs.
 */

const WRITERS = 8;
const MiB = 1024 * 1024;
/** Uploads acknowledged before the kill, at least (about two per writer). */
const ACKED_BEFORE_KILL = 16;

interface Upload {
  artifactId: string;
  seed: string;
  size: number;
  /** Bytes handed to the socket so far. */
  sent: number;
  /** The version the server acknowledged; null while in flight or when cut off. */
  version: number | null;
  done: boolean;
}

/**
 * Not a multiple of a chunk (the database store's last chunk is short), different per upload; the
 * second of every three is the same bytes for every writer (one blob, several versions: the shared-blob path).
 */
function uploadShape(writer: number, n: number): { seed: string; size: number } {
  if (n % 3 === 1) return { seed: 'shared', size: 3 * MiB + 1 };
  return { seed: `w${writer}-u${n}`, size: 2 * MiB + writer * 7919 + n * 104_729 };
}

const shas = new Map<string, Promise<string>>();
const expectedSha = (seed: string, size: number) => {
  const key = `${seed}/${size}`;
  if (!shas.has(key)) shas.set(key, sha256OfPseudoRandom(seed, size));
  return shas.get(key)!;
};

/** The upload's bytes, paced a little (so that several bodies are half-sent at any moment), counted. */
async function* counted(upload: Upload): AsyncGenerator<Buffer> {
  for await (const piece of pseudoRandomBytes(upload.seed, upload.size)) {
    upload.sent += piece.byteLength;
    yield piece;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The database's side, whichever it is: the same SQL on both. */
interface Inspector {
  all(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

function sqliteInspector(file: string): Inspector {
  return {
    all: async (sql) => {
      // Read-write, as the next start opens it: SQLite recovers the WAL of a crashed writer.
      const db = new Database(file);
      try {
        return db.prepare(sql).all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
    close: async () => {},
  };
}

async function postgresInspector(url: string): Promise<Inspector> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  return { all: async (sql) => (await db.query(sql)).rows, close: () => db.end() };
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of createReadStream(path)) hash.update(piece as Buffer);
  return hash.digest('hex');
}

/** The blob folder's files: staged ones (tmp/) and named ones (`ab/cd/<sha256>`). */
function blobFiles(folder: string): { staged: string[]; named: Map<string, string> } {
  const list = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);
  const staged = list(join(folder, 'tmp'));
  const named = new Map<string, string>();
  for (const a of list(folder).filter((n) => /^[0-9a-f]{2}$/.test(n))) {
    for (const b of list(join(folder, a)).filter((n) => /^[0-9a-f]{2}$/.test(n))) {
      for (const name of list(join(folder, a, b))) named.set(name, join(folder, a, b, name));
    }
  }
  return { staged, named };
}

/** No content without its bytes: every version names a blob row, and every blob row has all its bytes. */
async function checkEveryContentHasItsBlob(db: Inspector, folder: string | null): Promise<{ blobs: number; versions: number }> {
  expect(await db.all('SELECT c.artifact_id, c.version FROM artifact_contents c LEFT JOIN blobs b ON b.sha256 = c.sha256 WHERE b.sha256 IS NULL')).toEqual([]);
  const blobs = await db.all('SELECT b.sha256, b.size, b.chunk_size, (SELECT COUNT(*) FROM blob_chunks k WHERE k.owner = b.sha256) AS chunks FROM blobs b');
  for (const blob of blobs) {
    const [sha256, size, chunkSize, chunks] = [String(blob.sha256), Number(blob.size), Number(blob.chunk_size), Number(blob.chunks)];
    if (chunkSize === 0) {
      expect(folder, 'a file blob in a database without a blob folder').not.toBeNull();
      const path = join(folder!, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
      expect(existsSync(path), `the file of blob ${sha256}`).toBe(true);
      expect(statSync(path).size).toBe(size);
      expect(await sha256OfFile(path), `the bytes of blob ${sha256}`).toBe(sha256);
    } else {
      expect(chunks, `the chunks of blob ${sha256} (${size} bytes)`).toBe(Math.ceil(size / chunkSize));
    }
  }
  const versions = await db.all('SELECT COUNT(*) AS n FROM artifact_contents');
  return { blobs: blobs.length, versions: Number(versions[0]!.n) };
}

/** What interrupted uploads left (and blobs nothing references): all zero once the sweep is done. */
async function leftovers(db: Inspector, folder: string | null) {
  const rows = async (sql: string) => Number((await db.all(sql))[0]!.n);
  const files = folder ? blobFiles(folder) : { staged: [], named: new Map<string, string>() };
  const blobShas = new Set((await db.all('SELECT sha256 FROM blobs')).map((r) => String(r.sha256)));
  const usage = (await db.all('SELECT bytes, blobs FROM blob_usage'))[0]!;
  const totals = (await db.all('SELECT COALESCE(SUM(size), 0) AS bytes, COUNT(*) AS blobs FROM blobs'))[0]!;
  return {
    stagedFiles: files.staged.length,
    filesWithoutRow: [...files.named.keys()].filter((name) => !blobShas.has(name)).length,
    stagedChunks: await rows("SELECT COUNT(*) AS n FROM blob_chunks WHERE owner LIKE 'upload:%'"),
    uploadsInProgress: await rows('SELECT COUNT(*) AS n FROM blob_uploads'),
    unreferencedBlobs: await rows('SELECT COUNT(*) AS n FROM blobs WHERE NOT EXISTS (SELECT 1 FROM artifact_contents c WHERE c.sha256 = blobs.sha256)'),
    usageOff: Number(usage.bytes) !== Number(totals.bytes) || Number(usage.blobs) !== Number(totals.blobs),
  };
}

const NOTHING_LEFT = { stagedFiles: 0, filesWithoutRow: 0, stagedChunks: 0, uploadsInProgress: 0, unreferencedBlobs: 0, usageOff: false };

interface Target {
  label: string;
  env: Record<string, string>;
  folder: string | null;
  inspector(): Promise<Inspector>;
}

async function crashDuringUploads(target: Target): Promise<void> {
  const uploads: Upload[] = [];
  const service = await startService({ ...target.env, BLOB_SWEEP_INTERVAL_SECONDS: '0' });
  let stopped = false;
  try {
    const api = client(service.url);
    const session = (await api.post('/storage/sessions', { agent_name: 'content-crash' })).body.id as string;
    const artifacts: string[] = [];
    for (let w = 0; w < WRITERS; w++) {
      const created = await api.post('/storage/artifacts', { session_id: session, name: `file-${w}.bin`, type: 'application/octet-stream', path: `/file-${w}.bin`, size: 0 });
      expect(created.status).toBe(200);
      artifacts.push(created.body.id);
    }
    // Each writer uploads version after version of its artifact until the server is gone.
    const writer = async (w: number) => {
      for (let n = 0; ; n++) {
        const upload: Upload = { artifactId: artifacts[w]!, ...uploadShape(w, n), sent: 0, version: null, done: false };
        uploads.push(upload);
        const sha256 = await expectedSha(upload.seed, upload.size);
        const reply = await streamUpload(service.url, 'PUT', `/storage/artifacts/${upload.artifactId}/content`, counted(upload), { 'content-sha256': sha256 });
        upload.done = true;
        if (reply.status === 0) return;
        expect(reply.status, reply.text).toBe(201);
        expect(reply.body.sha256).toBe(sha256);
        upload.version = reply.body.version;
      }
    };
    const writing = Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    // Pull the plug once enough are acknowledged and most writers are mid-way through a body.
    const midway = () => uploads.filter((u) => !u.done && u.sent >= MiB && u.sent < u.size).length;
    const ready = await waitUntil(() => uploads.filter((u) => u.version !== null).length >= ACKED_BEFORE_KILL && midway() >= 3, 120_000, 5);
    expect(ready, 'uploads acknowledged and in flight before the kill').toBe(true);
    const inFlight = midway();
    service.child.kill('SIGKILL');
    expect((await service.exited).signal).toBe('SIGKILL');
    stopped = true;
    await writing;

    const acked = uploads.filter((u) => u.version !== null);
    const db = await target.inspector();
    try {
      // Straight after the crash, before anything repaired it.
      const stored = await checkEveryContentHasItsBlob(db, target.folder);
      const left = await leftovers(db, target.folder);
      // Cut-off uploads left something behind: otherwise the sweep below would prove nothing.
      expect(left.stagedFiles + left.filesWithoutRow + left.stagedChunks + left.uploadsInProgress, JSON.stringify(left)).toBeGreaterThan(0);
      expect(stored.versions).toBeGreaterThanOrEqual(acked.length);

      const restarted = await startService({ ...target.env, BLOB_SWEEP_INTERVAL_SECONDS: '1', BLOB_SWEEP_GRACE_SECONDS: '0' });
      try {
        let last = left;
        const swept = await waitUntil(async () => {
          last = await leftovers(db, target.folder);
          return JSON.stringify(last) === JSON.stringify(NOTHING_LEFT);
        }, 60_000, 250);
        expect(last).toEqual(NOTHING_LEFT);
        expect(swept).toBe(true);
        const after = await checkEveryContentHasItsBlob(db, target.folder);
        expect(after.versions).toBe(stored.versions); // the sweep took nothing that was referenced

        for (const upload of acked) {
          const got = await streamDownload(restarted.url, `/storage/artifacts/${upload.artifactId}/content?version=${upload.version}`);
          expect(got.status).toBe(200);
          expect(got.bytes).toBe(upload.size);
          expect(got.sha256, `${upload.artifactId} v${upload.version}`).toBe(await expectedSha(upload.seed, upload.size));
        }
        // And each artifact's versions are listed without gaps up to the last acknowledged one.
        for (const id of artifacts) {
          const versions = (await client(restarted.url).get(`/storage/artifacts/${id}/versions`)).body as { version: number }[];
          const ackedVersions = acked.filter((u) => u.artifactId === id).map((u) => u.version!);
          for (const v of ackedVersions) expect(versions.map((x) => x.version)).toContain(v);
        }
        console.info(
          `kill -9 during ${WRITERS} uploads (${target.label}): ${acked.length} acknowledged, ${inFlight} cut off mid-body; ` +
            `after the crash ${stored.versions} versions, ${stored.blobs} blobs, leftovers ${JSON.stringify(left)}; swept clean`,
        );
      } finally {
        await restarted.stop();
      }
    } finally {
      await db.close();
    }
  } finally {
    if (!stopped) await service.stop('SIGKILL');
  }
}

describe('kill -9 during 8 concurrent uploads of artifact content', () => {
  const { dir, cleanup } = tempDir('agent-storage-content-crash-');
  afterAll(cleanup);

  it('SQLite, filesystem store: acknowledged content intact, nothing half-stored, the sweep leaves no orphan', async () => {
    const file = join(dir, 'storage.db');
    await crashDuringUploads({
      label: 'SQLite/filesystem',
      env: { DATABASE_URL: `sqlite:${file}`, BLOB_STORE: 'filesystem' },
      folder: `${file}-blobs`,
      inspector: async () => sqliteInspector(file),
    });
  }, 240_000);

  it('PostgreSQL, database store: acknowledged content intact, nothing half-stored, the sweep leaves no orphan', async () => {
    const db = await testDatabase();
    try {
      await crashDuringUploads({
        label: 'PostgreSQL/database',
        env: { DATABASE_URL: db.url, BLOB_STORE: 'database' },
        folder: null,
        inspector: () => postgresInspector(db.url),
      });
    } finally {
      await db.drop();
    }
  }, 240_000);
});
