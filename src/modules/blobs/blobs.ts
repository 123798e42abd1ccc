import type { Readable } from 'node:stream';
import { isForeignKeyViolation } from '../../db/portable.js';
import { type Runner, tx, type TxWork } from '../../db/runner.js';
import { InsufficientStorageError, PayloadTooLargeError } from '../../domain/errors.js';
import type { BlobBytes, ByteRange, StagedBlob, StoredBlob } from './bytes.js';
import { DatabaseBlobBytes } from './database.js';
import { FilesystemBlobBytes } from './filesystem.js';
import { BlobRows, type BlobUsage } from './store.js';

export interface BlobsOptions {
  /** Where new blobs go: files under `folder`, or chunk rows in the database. */
  store: 'filesystem' | 'database';
  /** The blob folder of this database (a SQLite file's `<file>-blobs`); null when it has none. */
  folder: string | null;
  /** The most bytes this database's blobs may occupy together (STORAGE_QUOTA_BYTES); null: no quota. */
  quotaBytes: number | null;
}

export class QuotaExceededError extends InsufficientStorageError {
  constructor(quotaBytes: number, usedBytes: number) {
    super(`Storage quota exceeded: this tenant may store ${quotaBytes} bytes and ${usedBytes} are in use; delete content or raise STORAGE_QUOTA_BYTES`, 0);
  }
}

/**
 * One database's blobs: content-addressed bytes (by sha256, stored once however many artifact
 * versions share them) in the bytes store of `BlobsOptions.store`, their rows, their usage and
 * quota. A blob row is written only after its bytes are durable, in the transaction of the first
 * reference to it; rows no reference names are deleted by `collect` (after a delete) and `sweep`.
 */
export class Blobs {
  readonly rows: BlobRows;
  private readonly files: FilesystemBlobBytes | null;
  private readonly chunks: DatabaseBlobBytes;
  private readonly writer: BlobBytes;

  constructor(
    runner: Runner,
    private readonly options: BlobsOptions,
    /** What a failed collection does: the delete that called it has committed, so it must not fail. */
    private readonly onCollectError: (error: unknown) => void = () => {},
  ) {
    this.rows = new BlobRows(runner);
    this.chunks = new DatabaseBlobBytes(runner);
    this.files = options.folder === null ? null : new FilesystemBlobBytes(options.folder, (shas) => this.rows.rowsOf(shas));
    if (options.store === 'filesystem' && !this.files) throw new Error('BLOB_STORE=filesystem needs a blob folder (a SQLite database file)');
    this.writer = options.store === 'filesystem' ? this.files! : this.chunks;
  }

  get quotaBytes(): number | null {
    return this.options.quotaBytes;
  }

  /**
   * Stages an upload: at most `maxBytes`, and at most what the quota has left (counted as the bytes
   * arrive, so an upload over either limit is cut off mid-stream with nothing kept). The bytes
   * become a blob in `commit`'s transaction. Bytes announced by their sha256 that are already stored
   * cost nothing, so the quota does not cut them off (the commit still counts them, should the blob
   * be gone by then).
   */
  async stage(source: AsyncIterable<Uint8Array>, maxBytes: number, announcedSha256?: string): Promise<StagedBlob> {
    const quota = this.options.quotaBytes;
    const stored = announcedSha256 !== undefined && (await this.rows.rowsOf([announcedSha256])).has(announcedSha256);
    if (quota === null || stored) return this.writer.stage(source, { maxBytes, tooLarge: () => new PayloadTooLargeError(maxBytes) });
    const used = (await this.rows.usage()).storedBytes;
    const left = Math.max(0, quota - used);
    return this.writer.stage(source, {
      maxBytes: Math.min(maxBytes, left),
      tooLarge: () => (left < maxBytes ? new QuotaExceededError(quota, used) : new PayloadTooLargeError(maxBytes)),
    });
  }

  /**
   * Part of the transaction that references the staged bytes: their blob row (unless the blob was
   * there), its usage — refused past the quota, which rolls the whole write back — and the bytes'
   * move into place.
   */
  *commit(staged: StagedBlob, createdAt: string): TxWork<void> {
    const { sql } = this.rows;
    const inserted = yield* tx.one(sql.insertBlob, { sha256: staged.sha256, size: staged.size, chunkSize: staged.chunkSize, createdAt });
    if (inserted) {
      const quota = this.options.quotaBytes;
      const counted = yield* tx.write(sql.addUsage, { size: staged.size, quota: quota ?? -1 });
      if (counted === 0) throw new QuotaExceededError(quota!, Number((yield* tx.one(sql.usage, {}))?.bytes ?? 0));
    }
    yield* staged.settle(inserted !== undefined);
  }

  open(blob: StoredBlob, range: ByteRange | null): Readable {
    if (blob.chunkSize > 0) return this.chunks.open(blob, range);
    if (!this.files) throw new Error(`blob ${blob.sha256} is a file, and this database has no blob folder`);
    return this.files.open(blob, range);
  }

  /**
   * Deletes the rows (and database-held bytes) of those of `shas` that nothing references any more,
   * each in its own transaction. A blob that an upload references at the same moment stays: the
   * delete finds its reference, or (PostgreSQL, the reference not yet committed) the foreign key
   * refuses it.
   */
  async collect(shas: Iterable<string>): Promise<number> {
    let deleted = 0;
    for (const sha256 of new Set(shas)) {
      try {
        const rows = this.rows;
        const drop = (sha: string, chunkSize: number) => this.dropBytes(sha, chunkSize);
        if (await this.rows.runner.transaction(() => rows.deleteIfUnreferenced(sha256, drop))) deleted++;
      } catch (error) {
        // Referenced again meanwhile (the foreign key): it stays. Any other failure leaves the blob to the sweep.
        if (!isForeignKeyViolation(error)) this.onCollectError(error);
      }
    }
    return deleted;
  }

  private *dropBytes(sha256: string, chunkSize: number): TxWork<void> {
    if (chunkSize > 0) yield* this.chunks.drop(sha256);
  }

  /**
   * The safety net: deletes every blob row nothing references (a cascade from a deleted session
   * leaves them), then what crashed or failed uploads left behind (staged chunks, files without a
   * row) older than `graceMs`. Safe while uploads run.
   */
  async sweep(graceMs: number, stopping: () => boolean = () => false): Promise<{ blobs: number; leftovers: number }> {
    let blobs = 0;
    let after = '';
    for (;;) {
      const shas = await this.rows.unreferenced(after, 500);
      if (shas.length === 0 || stopping()) break;
      blobs += await this.collect(shas);
      after = shas.at(-1)!;
    }
    let leftovers = await this.chunks.sweep(graceMs);
    if (this.files && !stopping()) leftovers += await this.files.sweep(graceMs);
    return { blobs, leftovers };
  }

  usage(): Promise<BlobUsage> {
    return this.rows.usage();
  }
}
