import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { RowCodec } from '../../db/codec.js';
import { liveOwner } from '../../db/live.js';
import { type Keyset, pageOf, type SliceShape } from '../../db/paging.js';
import { inList } from '../../db/portable.js';
import type { Row } from '../../db/runner.js';
import type { Database } from '../../db/schema.js';
import { defineStatementFamily, defineStatements, type Dialect, type Params, type Placeholders } from '../../db/statements.js';
import type { SupersededReason } from '../../domain/inputs.js';
import type { Json } from '../../domain/json.js';
import type { Message } from '../../domain/records.js';
import { messageOf, type NewMessage } from './messages.js';

/**
 * The history's record of what left it: the messages pops, rewrites, compactions and in-place
 * replacements took out (`history_superseded`, kept for audit), and the rewrites applied, by
 * operation id (`history_operations`). The history store writes both in the transaction of the
 * change (store.ts); these are their statements, written once for both databases.
 */

/** A message as a pop, rewrite, compaction or replacement took it out of the history. */
export interface SupersededMessage {
  message: Message;
  supersededAt: string;
  reason: SupersededReason;
  /** The rewrite's operation id; null for a pop or a replacement. */
  operationId: string | null;
  /** Position in the order messages were taken out of the session's history (the paging key). */
  entry: number;
}

export interface HistoryRewrite {
  operationId: string;
  /** sha256 of the request's canonical JSON: a repeat of the operation must have the same. */
  requestSha256: string;
  expectedLastSeq: number | null;
  replaceLast: number;
  expectedItems: Json[] | null;
  messages: readonly NewMessage[];
  reason: 'rewritten' | 'compacted';
}

export interface RewriteResult {
  operationId: string;
  /** The operation had been applied before: this is what it did then, nothing was done now. */
  replayed: boolean;
  supersededIds: string[];
  /** The replacements, as they are now. */
  messages: Message[];
}

/** Superseded messages in the order they were taken out. */
export const ENTRY: Keyset<number> = { columns: ['entry'], pgTypes: ['bigint'], desc: false, values: (entry) => [entry] };

/** The columns a superseded message copies from the history (PostgreSQL also has `content_encoding`). */
const ARCHIVED = ['session_id', 'id', 'seq', 'role', 'content', 'item', 'timestamp', 'metadata', 'idempotency_key', 'token_count'] as const;
const archivedColumns = (dialect: Dialect) => (dialect === 'postgres' ? [...ARCHIVED, 'content_encoding' as const] : [...ARCHIVED]);

type Superseding = { supersededAt: string; reason: SupersededReason; operationId: string | null };
type Live = { liveAt: string };

/**
 * Superseding copies history rows as they are (content encoding included), in the transaction that
 * then deletes or replaces them; `where` picks the rows.
 */
function archive(db: Kysely<Database>, p: Placeholders<Superseding>, dialect: Dialect, where: (q: ReturnType<typeof fromHistory>) => ReturnType<typeof fromHistory>) {
  return db
    .insertInto('history_superseded')
    .columns([...archivedColumns(dialect), 'superseded_at', 'reason', 'operation_id'])
    .expression(where(fromHistory(db, p, dialect)));
}

const fromHistory = (db: Kysely<Database>, p: Placeholders<Superseding>, dialect: Dialect) =>
  db.selectFrom('history').select([...archivedColumns(dialect), p('supersededAt').as('superseded_at'), p('reason').as('reason'), p('operationId').as('operation_id')]);

export const supersededStatements = defineStatements({
  /** The messages of a session from `fromSeq` on (a pop's last one, a rewrite's suffix). */
  archiveFrom: (db, p: Placeholders<{ sessionId: string; fromSeq: number } & Superseding>, dialect) =>
    archive(db, p, dialect, (q) => q.where('session_id', '=', p('sessionId')).where('seq', '>=', p('fromSeq')).orderBy('seq')),
  /** One message (replaced in place). */
  archiveById: (db, p: Placeholders<{ id: string } & Superseding>, dialect) => archive(db, p, dialect, (q) => q.where('id', '=', p('id'))),

  clearSuperseded: (db, p: Placeholders<{ sessionId: string } & Live>) =>
    db.deleteFrom('history_superseded').where('session_id', '=', p('sessionId')).where(liveOwner(p('sessionId'), p('liveAt'))),
  clearOperations: (db, p: Placeholders<{ sessionId: string } & Live>) =>
    db.deleteFrom('history_operations').where('session_id', '=', p('sessionId')).where(liveOwner(p('sessionId'), p('liveAt'))),

  findOperation: (db, p: Placeholders<{ sessionId: string; operationId: string }>) =>
    db.selectFrom('history_operations').selectAll().where('session_id', '=', p('sessionId')).where('operation_id', '=', p('operationId')),
  recordOperation: (db, p: Placeholders<{ sessionId: string; operationId: string; requestSha256: string; supersededIds: string; messageIds: string; createdAt: string }>) =>
    db.insertInto('history_operations').values({
      session_id: p('sessionId'),
      operation_id: p('operationId'),
      request_sha256: p('requestSha256'),
      superseded_ids: p('supersededIds'),
      message_ids: p('messageIds'),
      created_at: p('createdAt'),
    }),

  supersededCount: (db, p: Placeholders<{ sessionId: string } & Live>) =>
    db
      .selectFrom('history_superseded')
      .select(sql<number>`COUNT(*)`.as('n'))
      .where('session_id', '=', p('sessionId'))
      .where(liveOwner(p('sessionId'), p('liveAt'))),
  /** The latest superseded version of each of `ids` (a rewrite's replay, for replacements since taken out). */
  supersededByIds: (db, p: Placeholders<{ ids: string[] }>, dialect) =>
    db.selectFrom('history_superseded').selectAll().where(inList('id', p('ids'), dialect)).orderBy('entry', 'desc'),
});

/** A page of a session's superseded messages. */
export const supersededPage = defineStatementFamily('supersededPages', (shape: SliceShape) => (db, p: Placeholders<Params>, dialect) =>
  pageOf(
    db
      .selectFrom('history_superseded')
      .selectAll()
      .where('session_id', '=', p('sessionId') as RawBuilder<string>)
      .where(liveOwner(p('sessionId'), p('liveAt'))),
    ENTRY,
    shape,
    p,
    dialect,
  ));

/** A `history_superseded` row as a record, on either database. */
export function supersededOf(r: Row, codec: RowCodec): SupersededMessage {
  return {
    message: messageOf(r, codec),
    supersededAt: codec.time(r.superseded_at),
    reason: r.reason as SupersededReason,
    operationId: (r.operation_id as string | null) ?? null,
    entry: Number(r.entry),
  };
}
