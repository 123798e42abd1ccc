import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { TxWork } from '../../db/runner.js';
import { type BlobBytes, type ByteRange, hashedBatches, type StagedBlob, type StoredBlob, type UploadLimit } from './bytes.js';

/** Bytes per write to the file: few system calls per upload, little memory per upload. */
const WRITE_BYTES = 1024 * 1024;

/** A directory's entries made durable: what a rename into it, or a new file in it, needs. */
export async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export const isSha256 = (name: string) => /^[0-9a-f]{64}$/.test(name);

/** The blob folder of a SQLite database file: its content's bytes live beside it. */
export const blobFolderOf = (databaseFile: string): string => `${databaseFile}-blobs`;

/** Where the bytes of a blob are in a blob folder (see `FilesystemBlobBytes`). */
export const blobPath = (root: string, sha256: string): string => join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);

/**
 * Blob bytes as files: `<root>/<ab>/<cd>/<sha256>`, where `ab` and `cd` are the hash's first two
 * byte pairs (no directory grows past 65,536 entries). An upload is written to `<root>/tmp/`,
 * fsynced, then renamed to its name and the directory fsynced — only then may a row name it; a
 * crash leaves at most a file in tmp/ or a file without a row, which `sweep` removes once older than
 * the grace period (a file that an upload is about to name is fresh: a rename keeps the staged
 * file's new mtime, also when it replaces an identical older copy).
 *
 * The sweep also leaves the blobs this process is settling. Another process on the same folder (the
 * import CLI beside a server) is covered by the grace period alone: its sweep could race only an
 * upload whose rename and commit are further apart than that.
 */
export class FilesystemBlobBytes implements BlobBytes {
  readonly chunkSize = 0;
  /** Blobs this process has renamed into place and not yet committed a row for: the sweep leaves them. */
  private readonly settling = new Map<string, number>();

  constructor(
    private readonly root: string,
    /** Which of these blobs have a row (the others are leftovers). */
    private readonly rowsOf: (shas: readonly string[]) => Promise<Map<string, number>>,
  ) {}

  private pathOf(sha256: string): string {
    return blobPath(this.root, sha256);
  }

  async stage(source: AsyncIterable<Uint8Array>, limit: UploadLimit): Promise<StagedBlob> {
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, randomUUID());
    const { batches, done } = hashedBatches(source, WRITE_BYTES, limit);
    const file = await open(tmp, 'wx');
    // The next batch is read from the client while the last one is written.
    let writing: Promise<unknown> = Promise.resolve();
    try {
      for await (const batch of batches) {
        await writing;
        writing = file.writev(batch);
      }
      await writing;
      await file.sync();
    } catch (error) {
      await writing.catch(() => {});
      await file.close().catch(() => {});
      await unlink(tmp).catch(() => {});
      throw error;
    }
    await file.close();
    const { sha256, size } = done();
    const path = this.pathOf(sha256);
    const dir = join(this.root, sha256.slice(0, 2), sha256.slice(2, 4));
    // A new directory's own entry must be durable too: sync the parents of what mkdir created.
    const created = await mkdir(dir, { recursive: true });
    this.settling.set(sha256, (this.settling.get(sha256) ?? 0) + 1);
    const release = async () => {
      const n = (this.settling.get(sha256) ?? 1) - 1;
      if (n > 0) this.settling.set(sha256, n);
      else this.settling.delete(sha256);
    };
    try {
      await rename(tmp, path);
      await syncDirectory(dir);
      if (created !== undefined) {
        await syncDirectory(join(this.root, sha256.slice(0, 2)));
        await syncDirectory(this.root);
      }
    } catch (error) {
      await release();
      await unlink(tmp).catch(() => {});
      throw error;
    }
    return {
      sha256,
      size,
      chunkSize: 0,
      // The file is in place before the transaction: nothing to do in it. An unused copy (the blob's row
      // was there) is the same bytes under the same name.
      *settle(): TxWork<void> {},
      // Never unlinked here: another upload of the same bytes may be about to name the same file. The
      // sweep removes it once it is old and still has no row.
      release,
    };
  }

  open({ sha256 }: StoredBlob, range: ByteRange | null): Readable {
    return createReadStream(this.pathOf(sha256), { highWaterMark: WRITE_BYTES, ...(range ? { start: range.start, end: range.end } : {}) });
  }

  // Files are removed by the sweep, never inside a transaction (which could still roll back).
  *drop(): TxWork<void> {}

  async sweep(graceMs: number): Promise<number> {
    const before = Date.now() - graceMs;
    let removed = 0;
    const old = async (path: string) => {
      try {
        return (await stat(path)).mtimeMs < before;
      } catch {
        return false;
      }
    };
    const entries = async (path: string) => readdir(path).catch(() => [] as string[]);
    for (const name of await entries(join(this.root, 'tmp'))) {
      const path = join(this.root, 'tmp', name);
      if ((await old(path)) && (await unlink(path).then(() => true, () => false))) removed++;
    }
    for (const a of await entries(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(a)) continue;
      for (const b of await entries(join(this.root, a))) {
        if (!/^[0-9a-f]{2}$/.test(b)) continue;
        const names = (await entries(join(this.root, a, b))).filter(isSha256);
        if (names.length === 0) continue;
        const rows = await this.rowsOf(names);
        for (const name of names) {
          if (rows.has(name) || this.settling.has(name)) continue;
          const path = join(this.root, a, b, name);
          if ((await old(path)) && (await unlink(path).then(() => true, () => false))) removed++;
        }
      }
    }
    return removed;
  }
}
