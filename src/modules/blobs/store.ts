import { sql } from 'kysely';
import { inList, typed } from '../../db/portable.js';
import { type Runner, tx, type TxWork } from '../../db/runner.js';
import { defineStatements, type Placeholders } from '../../db/statements.js';

/**
 * The blob rows of one database: which bytes exist (by sha256), where (a file, or chunks), and what
 * they occupy. A row is written in the transaction that first references its blob, once the bytes
 * are durable, and deleted in a transaction that finds no reference left — so that a reference
 * never names missing bytes, and `blob_usage` is always the sum of the rows.
 */
export const blobStatements = defineStatements({
  // Nothing when the blob is already there (its bytes were stored by an earlier upload).
  insertBlob: (db, p: Placeholders<{ sha256: string; size: number; chunkSize: number; createdAt: string }>) =>
    db
      .insertInto('blobs')
      .values({ sha256: p('sha256'), size: p('size'), chunk_size: p('chunkSize'), created_at: p('createdAt') })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .returning('sha256'),

  // The quota is checked by the same statement that counts the blob: a row lock on PostgreSQL, so
  // that concurrent uploads cannot both fit in the last free bytes. A negative quota: none.
  addUsage: (db, p: Placeholders<{ size: number; quota: number }>, dialect) => {
    const quota = typed(p('quota'), 'bigint', dialect);
    return db
      .updateTable('blob_usage')
      .set({ bytes: sql`bytes + ${typed(p('size'), 'bigint', dialect)}`, blobs: sql`blobs + 1` })
      .where('id', '=', sql.lit(1))
      .where(sql<boolean>`(${quota} < 0 OR bytes + ${typed(p('size'), 'bigint', dialect)} <= ${quota})`);
  },

  subtractUsage: (db, p: Placeholders<{ size: number }>) =>
    db
      .updateTable('blob_usage')
      .set({ bytes: sql`bytes - ${p('size')}`, blobs: sql`blobs - 1` })
      .where('id', '=', sql.lit(1)),

  usage: (db) => db.selectFrom('blob_usage').select(['bytes', 'blobs']).where('id', '=', sql.lit(1)),

  contentTotals: (db) => db.selectFrom('artifact_contents').select([sql<number>`COUNT(*)`.as('versions'), sql<number>`COALESCE(SUM(size), 0)`.as('bytes')]),

  // Deleted only while nothing references it: the look and the delete are one statement.
  deleteUnreferenced: (db, p: Placeholders<{ sha256: string }>) =>
    db
      .deleteFrom('blobs')
      .where('sha256', '=', p('sha256'))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('artifact_contents').select(sql.lit(1).as('one')).whereRef('artifact_contents.sha256', '=', 'blobs.sha256'))))
      .returning(['size', 'chunk_size']),

  unreferenced: (db, p: Placeholders<{ after: string; limit: number }>) =>
    db
      .selectFrom('blobs')
      .select('sha256')
      .where('sha256', '>', p('after'))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('artifact_contents').select(sql.lit(1).as('one')).whereRef('artifact_contents.sha256', '=', 'blobs.sha256'))))
      .orderBy('sha256')
      .limit(p('limit')),

  blobsIn: (db, p: Placeholders<{ shas: string[] }>, dialect) => db.selectFrom('blobs').select(['sha256', 'chunk_size']).where(inList('sha256', p('shas'), dialect)),
});

export interface BlobUsage {
  /** Bytes of the distinct blobs (each once, however many versions share it). */
  storedBytes: number;
  blobs: number;
  /** Bytes of every version of every artifact's content. */
  contentBytes: number;
  versions: number;
}

/** A blob row's statements over one database. */
export class BlobRows {
  readonly sql: ReturnType<typeof blobStatements.for>;

  constructor(readonly runner: Runner) {
    this.sql = blobStatements.for(runner.dialect);
  }

  async usage(): Promise<BlobUsage> {
    const [blobs, contents] = await Promise.all([this.runner.one(this.sql.usage, {}), this.runner.one(this.sql.contentTotals, {})]);
    return {
      storedBytes: Number(blobs?.bytes ?? 0),
      blobs: Number(blobs?.blobs ?? 0),
      contentBytes: Number(contents?.bytes ?? 0),
      versions: Number(contents?.versions ?? 0),
    };
  }

  /** The blobs no content references, in sha256 order after `after`. */
  async unreferenced(after: string, limit: number): Promise<string[]> {
    return (await this.runner.all(this.sql.unreferenced, { after, limit })).map((r) => String(r.sha256));
  }

  /** Which of `shas` have a row (and where their bytes are). */
  async rowsOf(shas: readonly string[]): Promise<Map<string, number>> {
    if (shas.length === 0) return new Map();
    const rows = await this.runner.all(this.sql.blobsIn, { shas: [...shas] });
    return new Map(rows.map((r) => [String(r.sha256), Number(r.chunk_size)]));
  }

  /**
   * Part of a transaction: deletes the blob's row if nothing references it any more, with its usage
   * and (via `dropBytes`) its chunks; whether it was deleted.
   */
  *deleteIfUnreferenced(sha256: string, dropBytes: (sha256: string, chunkSize: number) => TxWork<void>): TxWork<boolean> {
    const row = yield* tx.one(this.sql.deleteUnreferenced, { sha256 });
    if (!row) return false;
    yield* tx.write(this.sql.subtractUsage, { size: Number(row.size) });
    yield* dropBytes(sha256, Number(row.chunk_size));
    return true;
  }
}
