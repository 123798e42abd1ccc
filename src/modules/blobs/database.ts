import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { type Runner, tx, type TxWork } from '../../db/runner.js';
import { defineStatements, type Placeholders } from '../../db/statements.js';
import { isoTime } from '../../domain/clock.js';
import { type BlobBytes, type ByteRange, hashedPieces, type StagedBlob, type StoredBlob, type UploadLimit } from './bytes.js';

/** Bytes per chunk row: a blob of 1 GiB is 1,024 rows; a range read starts at the chunk holding its first byte. */
export const CHUNK_BYTES = 1024 * 1024;
/** Chunks per read statement of a download on SQLite (each a Buffer of its own). */
const CHUNKS_PER_READ = 1;
/** Chunks per COPY of a download on PostgreSQL: how much of a blob one held connection streams. */
const COPY_CHUNKS = 16;
/** Chunks per transaction of an upload: two batches (4 MiB) in memory per upload at most. */
const CHUNKS_PER_WRITE = 2;

const statements = defineStatements({
  insertUpload: (db, p: Placeholders<{ id: string; startedAt: string }>) => db.insertInto('blob_uploads').values({ id: p('id'), started_at: p('startedAt') }),
  deleteUpload: (db, p: Placeholders<{ id: string }>) => db.deleteFrom('blob_uploads').where('id', '=', p('id')),
  staleUploads: (db, p: Placeholders<{ before: string }>) => db.selectFrom('blob_uploads').select('id').where('started_at', '<', p('before')),
  insertChunk: (db, p: Placeholders<{ owner: string; seq: number; data: Uint8Array }>) => db.insertInto('blob_chunks').values({ owner: p('owner'), seq: p('seq'), data: p('data') }),
  // The staged chunks become the blob's: on PostgreSQL an update that leaves `data` alone keeps its
  // out-of-line value as it is (no copy of the bytes).
  moveChunks: (db, p: Placeholders<{ from: string; to: string }>) => db.updateTable('blob_chunks').set({ owner: p('to') }).where('owner', '=', p('from')),
  deleteChunks: (db, p: Placeholders<{ owner: string }>) => db.deleteFrom('blob_chunks').where('owner', '=', p('owner')),
  // (PostgreSQL reads the same rows as a binary COPY: copiedChunks.)
  readChunks: (db, p: Placeholders<{ owner: string; from: number; to: number }>) =>
    db
      .selectFrom('blob_chunks')
      .select(['seq', 'data'])
      .where('owner', '=', p('owner'))
      .where('seq', '>=', p('from'))
      .where('seq', '<=', p('to'))
      .orderBy('seq'),
  // Staged chunks need not be on disk when their transaction returns: the transaction that makes
  // them a blob commits synchronously, which flushes the log up to and including them first.
  // (SQLite has no such setting per transaction; it is never run there.)
  stagedCommitNotFlushed: () => sql`SET LOCAL synchronous_commit TO OFF`,
});

/** A piece of a chunk: the whole chunk, or (from a COPY) part of it; `end` on its last piece. */
interface ChunkPiece {
  seq: number;
  bytes: Buffer;
  end: boolean;
}

const uploadOwner = (id: string) => `upload:${id}`;

/**
 * Blob bytes as rows of `blob_chunks` in the tenant's own database (BLOB_STORE=database, the default
 * with PostgreSQL): every replica reads every blob, with no shared disk. An upload's chunks are
 * written under `upload:<id>` as they arrive (a few per short transaction, so that an upload never
 * holds a transaction open), and handed to the blob — or dropped, when the blob was there — in the
 * transaction that writes the blob's row. `blob_uploads` remembers uploads in progress, so that the
 * sweep can drop the chunks of one a crash cut off.
 */
export class DatabaseBlobBytes implements BlobBytes {
  readonly chunkSize = CHUNK_BYTES;
  private readonly sql: ReturnType<typeof statements.for>;

  constructor(private readonly runner: Runner) {
    this.sql = statements.for(runner.dialect);
  }

  async stage(source: AsyncIterable<Uint8Array>, limit: UploadLimit): Promise<StagedBlob> {
    const id = randomUUID();
    const owner = uploadOwner(id);
    await this.runner.write(this.sql.insertUpload, { id, startedAt: isoTime(Date.now()) });
    const { pieces, done } = hashedPieces(source, CHUNK_BYTES, limit);
    const sql = this.sql;
    const runner = this.runner;
    const forget = async () => {
      await runner.transaction(function* () {
        yield* tx.write(sql.deleteChunks, { owner });
        yield* tx.write(sql.deleteUpload, { id });
      });
    };
    // A few chunks per transaction, and the next ones read from the client while they commit.
    const writeBatch = (batch: { seq: number; data: Buffer }[]) =>
      runner.transaction(function* () {
        if (runner.dialect === 'postgres') yield* tx.write(sql.stagedCommitNotFlushed, {});
        for (const chunk of batch) yield* tx.write(sql.insertChunk, { owner, ...chunk });
      });
    let writing: Promise<void> = Promise.resolve();
    try {
      let seq = 0;
      let batch: { seq: number; data: Buffer }[] = [];
      for await (const piece of pieces) {
        batch.push({ seq: seq++, data: piece });
        if (batch.length < CHUNKS_PER_WRITE) continue;
        await writing;
        writing = writeBatch(batch);
        batch = [];
      }
      await writing;
      if (batch.length > 0) await writeBatch(batch);
    } catch (error) {
      await writing.catch(() => {});
      await forget().catch(() => {});
      throw error;
    }
    const { sha256, size } = done();
    return {
      sha256,
      size,
      chunkSize: CHUNK_BYTES,
      *settle(firstCopy: boolean): TxWork<void> {
        if (firstCopy) yield* tx.write(sql.moveChunks, { from: owner, to: sha256 });
        else yield* tx.write(sql.deleteChunks, { owner });
        yield* tx.write(sql.deleteUpload, { id });
      },
      release: async (committed) => {
        if (!committed) await forget().catch(() => {});
      },
    };
  }

  open({ sha256, size, chunkSize }: StoredBlob, range: ByteRange | null): Readable {
    const start = range?.start ?? 0;
    const end = range?.end ?? size - 1;
    if (end < start) return Readable.from([]);
    const first = Math.floor(start / chunkSize);
    const last = Math.floor(end / chunkSize);
    const chunks = this.runner.copyOut ? this.copiedChunks(sha256, first, last) : this.selectedChunks(sha256, first, last);
    async function* bytes(): AsyncGenerator<Buffer> {
      let seq = first;
      let offset = first * chunkSize; // of the piece's first byte in the blob
      for await (const piece of chunks) {
        if (piece.seq !== seq) throw new Error(`blob ${sha256} is missing chunk ${seq}`);
        const from = Math.max(0, start - offset);
        const to = Math.min(piece.bytes.byteLength, end - offset + 1);
        if (from < to) yield piece.bytes.subarray(from, to);
        offset += piece.bytes.byteLength;
        if (piece.end) seq += 1;
      }
      if (seq !== last + 1) throw new Error(`blob ${sha256} is missing chunks ${seq}–${last}`);
    }
    return Readable.from(bytes(), { objectMode: false });
  }

  /** Chunks `first`–`last` a statement at a time, each whole. */
  private async *selectedChunks(owner: string, first: number, last: number): AsyncGenerator<ChunkPiece> {
    for (let from = first; from <= last; from += CHUNKS_PER_READ) {
      const to = Math.min(from + CHUNKS_PER_READ - 1, last);
      for (const row of await this.runner.all(this.sql.readChunks, { owner, from, to })) {
        yield { seq: Number(row.seq), bytes: row.data as Buffer, end: true };
      }
    }
  }

  /**
   * Chunks `first`–`last` on PostgreSQL, as a binary COPY: the bytes come as the socket's buffers
   * (node-postgres would hand each chunk over as a string of hex or base64, garbage as soon as it is
   * decoded: at download speed, a hundred MB and more of it). One COPY holds a connection while the
   * client reads, so it covers COPY_CHUNKS chunks and the next one takes a connection again.
   */
  private async *copiedChunks(owner: string, first: number, last: number): AsyncGenerator<ChunkPiece> {
    // The owner is a sha256 read from the database: the one value quoted into the statement.
    if (!/^[0-9a-f]{64}$/.test(owner)) throw new Error(`not a blob's sha256: ${owner}`);
    for (let from = first; from <= last; from += COPY_CHUNKS) {
      const to = Math.min(from + COPY_CHUNKS - 1, last);
      const select = `SELECT data FROM blob_chunks WHERE owner = '${owner}' AND seq BETWEEN ${from} AND ${to} ORDER BY seq`;
      for await (const { row, bytes, end } of this.runner.copyOut!('readChunksCopy', select)) {
        yield { seq: from + row, bytes, end };
      }
    }
  }

  *drop(sha256: string): TxWork<void> {
    yield* tx.write(this.sql.deleteChunks, { owner: sha256 });
  }

  async sweep(graceMs: number): Promise<number> {
    const stale = await this.runner.all(this.sql.staleUploads, { before: isoTime(Date.now() - graceMs) });
    const { sql } = this;
    for (const row of stale) {
      const id = String(row.id);
      await this.runner.transaction(function* () {
        yield* tx.write(sql.deleteChunks, { owner: uploadOwner(id) });
        yield* tx.write(sql.deleteUpload, { id });
      });
    }
    return stale.length;
  }
}
