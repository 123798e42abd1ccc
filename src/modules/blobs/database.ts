import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { type Runner, tx, type TxWork } from '../../db/runner.js';
import { defineStatements, type Placeholders } from '../../db/statements.js';
import { isoTime } from '../../domain/clock.js';
import { type BlobBytes, type ByteRange, hashedPieces, type StagedBlob, type StoredBlob, type UploadLimit } from './bytes.js';

/** Bytes per chunk row: a blob of 1 GiB is 1,024 rows; a range read starts at the chunk holding its first byte. */
export const CHUNK_BYTES = 1024 * 1024;
/** Chunks per read statement of a download: 4 MiB in memory per download at most. */
const CHUNKS_PER_READ = 4;
/** Chunks per transaction of an upload: two batches (4 MiB) in memory per upload at most. */
const CHUNKS_PER_WRITE = 2;
/** Bytes of a chunk per row PostgreSQL sends of it (see `readChunks`). */
const READ_SLICE_BYTES = 64 * 1024;

const statements = defineStatements({
  insertUpload: (db, p: Placeholders<{ id: string; startedAt: string }>) => db.insertInto('blob_uploads').values({ id: p('id'), started_at: p('startedAt') }),
  deleteUpload: (db, p: Placeholders<{ id: string }>) => db.deleteFrom('blob_uploads').where('id', '=', p('id')),
  staleUploads: (db, p: Placeholders<{ before: string }>) => db.selectFrom('blob_uploads').select('id').where('started_at', '<', p('before')),
  insertChunk: (db, p: Placeholders<{ owner: string; seq: number; data: Uint8Array }>) => db.insertInto('blob_chunks').values({ owner: p('owner'), seq: p('seq'), data: p('data') }),
  // The staged chunks become the blob's: on PostgreSQL an update that leaves `data` alone keeps its
  // out-of-line value as it is (no copy of the bytes).
  moveChunks: (db, p: Placeholders<{ from: string; to: string }>) => db.updateTable('blob_chunks').set({ owner: p('to') }).where('owner', '=', p('from')),
  deleteChunks: (db, p: Placeholders<{ owner: string }>) => db.deleteFrom('blob_chunks').where('owner', '=', p('owner')),
  // PostgreSQL's driver receives bytea as hex text — twice the bytes, decoded slowly in JavaScript —
  // and a whole chunk's text would be a string of megabytes, which only a full garbage collection
  // frees (the process's memory grew by 160 MB over a 1 GiB download). So PostgreSQL sends each
  // chunk as base64 slices of 64 KiB: strings small enough to die young, decoded natively; an
  // uncompressed (EXTERNAL) value is sliced without reading the rest of it.
  readChunks: (db, p: Placeholders<{ owner: string; from: number; to: number }>, dialect) =>
    dialect === 'postgres'
      ? sql`SELECT c.seq, s.o AS slice, encode(substring(c.data FROM s.o + 1 FOR ${sql.lit(READ_SLICE_BYTES)}), 'base64') AS data
          FROM blob_chunks c CROSS JOIN LATERAL generate_series(0, length(c.data) - 1, ${sql.lit(READ_SLICE_BYTES)}) AS s(o)
          WHERE c.owner = ${p('owner')} AND c.seq >= ${p('from')} AND c.seq <= ${p('to')}
          ORDER BY c.seq, s.o`
      : db
          .selectFrom('blob_chunks')
          .select(['seq', sql.lit(0).as('slice'), 'data'])
          .where('owner', '=', p('owner'))
          .where('seq', '>=', p('from'))
          .where('seq', '<=', p('to'))
          .orderBy('seq'),
  // Staged chunks need not be on disk when their transaction returns: the transaction that makes
  // them a blob commits synchronously, which flushes the log up to and including them first.
  // (SQLite has no such setting per transaction; it is never run there.)
  stagedCommitNotFlushed: () => sql`SET LOCAL synchronous_commit TO OFF`,
});

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
    const { runner, sql } = this;
    async function* bytes(): AsyncGenerator<Buffer> {
      if (end < start) return;
      const last = Math.floor(end / chunkSize);
      for (let from = Math.floor(start / chunkSize); from <= last; from += CHUNKS_PER_READ) {
        const to = Math.min(from + CHUNKS_PER_READ - 1, last);
        const rows = await runner.all(sql.readChunks, { owner: sha256, from, to });
        let expected = from;
        for (const row of rows) {
          const seq = Number(row.seq);
          if (Number(row.slice) === 0 && seq !== expected++) break;
          const data = typeof row.data === 'string' ? Buffer.from(row.data, 'base64') : (row.data as Buffer);
          const offset = seq * chunkSize + Number(row.slice);
          if (offset + data.byteLength <= start || offset > end) continue;
          yield data.subarray(Math.max(0, start - offset), Math.min(data.byteLength, end - offset + 1));
        }
        if (expected !== to + 1) throw new Error(`blob ${sha256} is missing chunks from ${expected} to ${to}`);
      }
    }
    return Readable.from(bytes(), { objectMode: false });
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
