import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { TxWork } from '../../db/runner.js';

/** A byte range of a blob, both ends included (as HTTP's `Range: bytes=start-end`). */
export interface ByteRange {
  start: number;
  end: number;
}

/** A blob as its row describes it. */
export interface StoredBlob {
  sha256: string;
  size: number;
  /** 0: a file; else the size of its `blob_chunks` rows. */
  chunkSize: number;
}

/** What an upload's limits say when it goes past them: the error to throw, by which limit. */
export interface UploadLimit {
  maxBytes: number;
  tooLarge: () => Error;
}

/** Bytes written to a store's staging place, hashed: not yet a blob until a transaction settles them. */
export interface StagedBlob {
  readonly sha256: string;
  readonly size: number;
  /** Where the bytes are: 0 a file, else the chunk size of `blob_chunks` rows. */
  readonly chunkSize: number;
  /**
   * Part of the transaction that writes the blob's row: `firstCopy` when this upload's row is the
   * blob's first (its bytes become the blob's), else the blob was there already (they are dropped).
   */
  settle(firstCopy: boolean): TxWork<void>;
  /**
   * Called once the transaction is over, whether it committed: drops what an upload that did not
   * commit staged (best effort: the sweep is the safety net).
   */
  release(committed: boolean): Promise<void>;
}

/**
 * Where blob bytes are kept (modules/blobs/): files under a folder (`filesystem.ts`) or chunk rows in
 * the database (`database.ts`). Writes stage the bytes first — durable before any row names them —
 * and reads open a stream of a blob (or of a range of it).
 */
export interface BlobBytes {
  /** 0 for files, else the chunk size new blobs are written with. */
  readonly chunkSize: number;
  stage(source: AsyncIterable<Uint8Array>, limit: UploadLimit): Promise<StagedBlob>;
  open(blob: StoredBlob, range: ByteRange | null): Readable;
  /** Part of the transaction that deletes a blob's row: its bytes, if they live in the database. */
  drop(sha256: string): TxWork<void>;
  /** Removes what crashed or failed uploads left behind, older than `graceMs`; how many leftovers. */
  sweep(graceMs: number): Promise<number>;
}

/**
 * `source` re-cut into pieces of `size` bytes (the last may be shorter), counted against `limit`
 * and hashed on the way; `done()` gives the sha256 and size once the source has ended.
 */
export function hashedPieces(source: AsyncIterable<Uint8Array>, size: number, limit: UploadLimit) {
  const hash = createHash('sha256');
  let total = 0;
  async function* pieces(): AsyncGenerator<Buffer> {
    let held: Buffer[] = [];
    let heldBytes = 0;
    for await (const chunk of source) {
      total += chunk.byteLength;
      if (total > limit.maxBytes) throw limit.tooLarge();
      hash.update(chunk);
      let rest = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      while (heldBytes + rest.byteLength >= size) {
        const take = size - heldBytes;
        held.push(rest.subarray(0, take));
        // Copied: the source may reuse its buffers once we yield.
        yield Buffer.concat(held, size);
        held = [];
        heldBytes = 0;
        rest = rest.subarray(take);
      }
      if (rest.byteLength > 0) {
        held.push(Buffer.from(rest));
        heldBytes += rest.byteLength;
      }
    }
    if (heldBytes > 0) yield Buffer.concat(held, heldBytes);
  }
  return { pieces: pieces(), done: () => ({ sha256: hash.digest('hex'), size: total }) };
}

/**
 * `source`'s chunks as they are (not copied), gathered into batches of at least `size` bytes (the
 * last may be smaller), counted against `limit` and hashed on the way; for a writer that takes
 * several buffers at once (`writev`). The source must not reuse a chunk's memory once it has
 * given it (an HTTP body does not).
 */
export function hashedBatches(source: AsyncIterable<Uint8Array>, size: number, limit: UploadLimit) {
  const hash = createHash('sha256');
  let total = 0;
  async function* batches(): AsyncGenerator<Uint8Array[]> {
    let held: Uint8Array[] = [];
    let heldBytes = 0;
    for await (const chunk of source) {
      total += chunk.byteLength;
      if (total > limit.maxBytes) throw limit.tooLarge();
      hash.update(chunk);
      held.push(chunk);
      heldBytes += chunk.byteLength;
      if (heldBytes >= size) {
        yield held;
        held = [];
        heldBytes = 0;
      }
    }
    if (heldBytes > 0) yield held;
  }
  return { batches: batches(), done: () => ({ sha256: hash.digest('hex'), size: total }) };
}
