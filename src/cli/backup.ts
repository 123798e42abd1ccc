import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import { blobFolderOf, blobPath, isSha256, syncDirectory } from '../modules/blobs/filesystem.js';
import { migrations } from '../storage/sqlite/migrations.js';
import { CliFailure, describeFsError, isFsError } from './streams.js';

/*
 * Backup and restore of one SQLite database and its blob folder (docs/backups.md).
 *
 * A backup is a database file in rollback-journal mode (one self-contained file) with the content
 * files it names in `<file>-blobs/`, laid out as the service lays out its own: the pair is itself a
 * database the service (or `sqlite3`) can open. Blobs are content-addressed and never change once
 * named, so copying them after the snapshot is consistent as long as they still exist; each copy is
 * checked against its name (sha256) and its row's size.
 */

/** Pages copied per step of the backup API: between steps an interrupt is noticed. */
const PAGES_PER_STEP = 1024;
/** How long to wait for the service's write lock when starting the snapshot (ms). */
const BUSY_TIMEOUT_MS = 5000;

export interface CopyReport {
  pages: number;
  pageSize: number;
  schemaVersion: number;
  /** Content files copied or already present and checked, and their bytes. */
  blobs: number;
  blobBytes: number;
  /** Content files already at the destination (checked, not copied again). */
  blobsPresent: number;
  elapsedMs: number;
}

interface FileBlob {
  sha256: string;
  size: number;
}

/** The newest schema this build serves. */
const LATEST_SCHEMA = migrations.at(-1)?.version ?? 0;

/** Everything staged under a hidden name beside `path`, removed again unless committed. */
const stagingName = (path: string, what: string) => join(dirname(path), `.${basename(path)}.${process.pid}.${what}`);

/**
 * Copies `source` (which the service may be writing) to `to`. The snapshot is one read transaction
 * held across the backup's steps: WAL readers do not block the service's writers, and the copy is
 * the database as of the moment it began, however many writes land meanwhile.
 */
export async function backupDatabase(source: string, to: string, options: { force: boolean; signal?: AbortSignal }): Promise<CopyReport> {
  const started = Date.now();
  source = resolve(source);
  to = resolve(to);
  if (to === source) throw new CliFailure('--to names the database itself; give another file');
  const existing = await stat(to).catch(() => null);
  if (existing?.isDirectory()) throw new CliFailure(`cannot write ${to}: it is a directory`);
  if (existing && !options.force) throw new CliFailure(`${to} exists; give --force to replace it`);
  await stat(dirname(to)).catch((error: Error) => {
    throw new CliFailure(`cannot write ${to}: ${describeFsError(error)}`);
  });

  const staged = stagingName(to, 'partial');
  const destinationBlobs = blobFolderOf(to);
  const hadBlobFolder = (await stat(destinationBlobs).catch(() => null)) !== null;
  try {
    const copied = await snapshotInto(source, staged, options.signal, 'snapshot');
    const blobs = await copyBlobs(copied.blobs, blobFolderOf(source), destinationBlobs, options.signal, (sha) =>
      `content file ${sha} is no longer in ${blobFolderOf(source)} (its content was deleted after the snapshot, or the file is lost); run the backup again`,
    );
    await commitFile(staged, to);
    // What an earlier backup at this name held and this one does not name.
    if (hadBlobFolder) await pruneBlobs(destinationBlobs, new Set(copied.blobs.map((b) => b.sha256)));
    return { ...copied.report, ...blobs, elapsedMs: Date.now() - started };
  } catch (error) {
    await removeStaged(staged);
    if (!hadBlobFolder) await rm(destinationBlobs, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Puts the backup `from` in place of the database `target`, which no process may have open: the
 * check is SQLite's own lock (see `lockUnused`), held until the new file is in place.
 */
export async function restoreDatabase(from: string, target: string, options: { force: boolean; signal?: AbortSignal }): Promise<CopyReport> {
  const started = Date.now();
  from = resolve(from);
  target = resolve(target);
  if (from === target) throw new CliFailure('--from names the database itself; give the backup file');
  const source = await stat(from).catch((error: Error) => {
    throw new CliFailure(`cannot read ${from}: ${describeFsError(error)}`);
  });
  if (source.isDirectory()) throw new CliFailure(`cannot read ${from}: it is a directory`);

  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) throw new CliFailure(`cannot replace ${target}: it is a directory`);
  // Before the lock, which changes the file's journal mode: a refused restore changes nothing.
  if (existing && !options.force) throw new CliFailure(`${target} exists; give --force to replace it with the backup`);
  const lock = existing ? lockUnused(target) : null;
  const staged = stagingName(target, 'restoring');
  try {
    await mkdir(dirname(target), { recursive: true });
    const copied = await snapshotInto(from, staged, options.signal, 'backup');
    const blobs = await copyBlobs(copied.blobs, blobFolderOf(from), blobFolderOf(target), options.signal, (sha) =>
      `the backup is incomplete: content file ${sha} is missing from ${blobFolderOf(from)}`,
    );
    // The old database's WAL and shared-memory index describe the old file: a new one must not see
    // them. Nobody else has the old file open (the lock), and nobody knows the staged one yet.
    for (const suffix of ['-wal', '-shm']) await unlink(target + suffix).catch(() => {});
    await commitFile(staged, target);
    return { ...copied.report, ...blobs, elapsedMs: Date.now() - started };
  } catch (error) {
    await removeStaged(staged);
    throw error;
  } finally {
    lock?.release();
  }
}

/**
 * Proves that no process has `path` open, and keeps it so until `release`: an exclusive-mode
 * connection must take SQLite's locks on the file itself and on its WAL index, which every open
 * connection of the service shares (and which the kernel drops when a process dies, so a crashed
 * service does not count). Converting it to rollback-journal mode checkpoints and removes a stale
 * WAL, so nothing of the old file is left to mistake for the new one's.
 */
function lockUnused(path: string): { release(): void } {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true, timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = DELETE');
    // In exclusive locking mode the lock of a write transaction outlives it, until close.
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
  } catch (error) {
    db?.close();
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new CliFailure(`${path} is open in another process (is the service running?); stop it before restoring`);
    }
    // Not a database (or a damaged one): nothing can be serving it, and it is being replaced.
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return { release() {} };
    throw error;
  }
  const held = db;
  return { release: () => held.close() };
}

/**
 * Copies the database at `source` (opened read-only) into a new file `staged` with the backup API
 * in one read transaction, then checks the copy and makes it a single file (rollback-journal mode).
 * Answers what it copied and the file blobs the copy names.
 */
async function snapshotInto(
  source: string,
  staged: string,
  signal: AbortSignal | undefined,
  what: 'snapshot' | 'backup',
): Promise<{ report: Pick<CopyReport, 'pages' | 'pageSize' | 'schemaVersion'>; blobs: FileBlob[] }> {
  let db: Database.Database;
  try {
    db = new Database(source, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new CliFailure(`cannot open ${source}: ${sqliteMessage(error)}`);
  }
  let pages: number;
  let pageSize: number;
  try {
    try {
      db.exec('BEGIN');
      // The first read starts the snapshot; the steps below all read it.
      schemaVersionOf(db, source);
      pageSize = Number(db.pragma('page_size', { simple: true }));
    } catch (error) {
      if (error instanceof CliFailure) throw error;
      throw new CliFailure(`cannot read ${source}: ${sqliteMessage(error)}`);
    }
    const result = await db.backup(staged, {
      progress: () => {
        signal?.throwIfAborted();
        return PAGES_PER_STEP;
      },
    });
    pages = result.totalPages;
    db.exec('COMMIT');
  } finally {
    db.close();
  }
  signal?.throwIfAborted();

  const copy = new Database(staged, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const problems = (copy.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (problems.join() !== 'ok') {
      const subject = what === 'snapshot' ? `the copy of ${source} (so the database itself)` : `the backup ${source}`;
      throw new CliFailure(`${subject} fails PRAGMA integrity_check: ${problems.slice(0, 3).join('; ')}`);
    }
    const schemaVersion = schemaVersionOf(copy, source);
    if (schemaVersion > LATEST_SCHEMA) {
      throw new CliFailure(
        `${source} has schema version ${schemaVersion}, newer than this version of agent-storage serves (${LATEST_SCHEMA}); use a newer one`,
      );
    }
    const hasBlobs = copy.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'blobs'").get() !== undefined;
    // chunk_size 0: the bytes are a file in the blob folder (chunks live in the database itself).
    const blobs = hasBlobs ? (copy.prepare('SELECT sha256, size FROM blobs WHERE chunk_size = 0 ORDER BY sha256').all() as FileBlob[]) : [];
    return { report: { pages, pageSize, schemaVersion }, blobs };
  } finally {
    copy.close();
  }
}

/** The schema version of an agent-storage database; anything else is refused. */
function schemaVersionOf(db: Database.Database, file: string): number {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (table === undefined) throw new CliFailure(`${file} is not an agent-storage database (it has no schema_migrations table)`);
  return (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
}

/**
 * Copies the blob files `blobs` from one blob folder to another, each written under tmp/, checked
 * against its sha256 and size, made durable and renamed into place. A file already there is
 * checked and kept (the same name is the same bytes), or replaced if it is damaged.
 */
async function copyBlobs(
  blobs: readonly FileBlob[],
  from: string,
  to: string,
  signal: AbortSignal | undefined,
  missing: (sha256: string) => string,
): Promise<Pick<CopyReport, 'blobs' | 'blobBytes' | 'blobsPresent'>> {
  let blobBytes = 0;
  let blobsPresent = 0;
  if (blobs.length === 0) return { blobs: 0, blobBytes, blobsPresent };
  const tmpDir = join(to, 'tmp');
  await mkdir(tmpDir, { recursive: true });
  const touched = new Set<string>([to]);
  try {
    for (const blob of blobs) {
      signal?.throwIfAborted();
      blobBytes += blob.size;
      const destination = blobPath(to, blob.sha256);
      if ((await digestOf(destination)) === `${blob.sha256}:${blob.size}`) {
        blobsPresent++;
        continue;
      }
      const source = blobPath(from, blob.sha256);
      const tmp = join(tmpDir, randomUUID());
      let digest: string;
      try {
        digest = await copyHashed(source, tmp);
      } catch (error) {
        await unlink(tmp).catch(() => {});
        if ((error as { code?: unknown }).code === 'ENOENT' && (await stat(source).catch(() => null)) === null) throw new CliFailure(missing(blob.sha256));
        throw error;
      }
      if (digest !== `${blob.sha256}:${blob.size}`) {
        await unlink(tmp);
        throw new CliFailure(`content file ${source} is damaged: its bytes do not match their sha256 and size`);
      }
      const dir = dirname(destination);
      if ((await mkdir(dir, { recursive: true })) !== undefined) touched.add(dirname(dir));
      await rename(tmp, destination);
      touched.add(dir);
    }
    for (const dir of touched) await syncDirectory(dir);
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
  return { blobs: blobs.length, blobBytes, blobsPresent };
}

/** Copies a file, fsyncs the copy, and answers `<sha256>:<size>` of the bytes copied. */
async function copyHashed(source: string, destination: string): Promise<string> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    createReadStream(source),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    },
    createWriteStream(destination, { flags: 'wx' }),
  );
  await syncFile(destination);
  return `${hash.digest('hex')}:${size}`;
}

/** `<sha256>:<size>` of a file, or null if there is none. */
async function digestOf(path: string): Promise<string | null> {
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
  } catch {
    return null;
  }
  return `${hash.digest('hex')}:${size}`;
}

/** Removes blob files that `keep` does not name (what an older backup at the same place held). */
async function pruneBlobs(root: string, keep: ReadonlySet<string>): Promise<void> {
  const entries = (path: string) => readdir(path).catch(() => [] as string[]);
  for (const a of await entries(root)) {
    if (!/^[0-9a-f]{2}$/.test(a)) continue;
    for (const b of await entries(join(root, a))) {
      if (!/^[0-9a-f]{2}$/.test(b)) continue;
      const dir = join(root, a, b);
      for (const name of await entries(dir)) if (isSha256(name) && !keep.has(name)) await unlink(join(dir, name));
      await rmdir(dir).catch(() => {}); // only when empty
    }
    await rmdir(join(root, a)).catch(() => {});
  }
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes the staged file durable and moves it into place: `path` is never a half-written file. */
async function commitFile(staged: string, path: string): Promise<void> {
  try {
    await syncFile(staged);
    await rename(staged, path);
    await syncDirectory(dirname(path));
  } catch (error) {
    if (isFsError(error)) throw new CliFailure(`cannot write ${path}: ${describeFsError(error)}`);
    throw error;
  }
}

async function removeStaged(staged: string): Promise<void> {
  for (const suffix of ['', '-journal', '-wal', '-shm']) await unlink(staged + suffix).catch(() => {});
}

/** A driver error in words (its code says what kind: not a database, no permission, …). */
function sqliteMessage(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_NOTADB') return 'it is not a SQLite database';
  if (isFsError(error)) return describeFsError(error);
  return error instanceof Error ? error.message : String(error);
}
