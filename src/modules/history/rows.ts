import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { defineStatements, type Placeholders } from '../../db/statements.js';
import type { Message } from '../../domain/records.js';
import { itemColumn, type MessageColumns, searchColumn } from './messages.js';

/**
 * A message as the `history` rows written exactly as given (an append's, a fork's copy, an
 * import's): the one place that lists the columns a message is written with.
 */

export const rowStatements = defineStatements({
  // SQLite: one prepared INSERT per message (in-process, nothing to save by batching; its table has
  // no `content_encoding`). PostgreSQL: one INSERT of many rows, its columns as arrays: a statement
  // per message would be a round trip each. An import's variants leave a message whose id is there as it is.
  insertMessage: (db, p: Placeholders<MessageRow>) => insertMessageRow(db, p),
  importMessage: (db, p: Placeholders<MessageRow>) => insertMessageRow(db, p).onConflict((oc) => oc.column('id').doNothing()),
  insertMessages: (_db, p: Placeholders<MessageColumns & { seqs: number[] }>) => insertMessageArrays(p, sql``),
  importMessages: (_db, p: Placeholders<MessageColumns & { seqs: number[] }>) => insertMessageArrays(p, sql`ON CONFLICT (id) DO NOTHING`),
});

const insertMessageRow = (db: Kysely<Database>, p: Placeholders<MessageRow>) =>
  db.insertInto('history').values({
    id: p('id'),
    session_id: p('sessionId'),
    seq: p('seq'),
    role: p('role'),
    content: p('content'),
    timestamp: p('timestamp'),
    metadata: p('metadata'),
    idempotency_key: p('idempotencyKey'),
    item: p('item'),
    token_count: p('tokenCount'),
    search_text: p('searchText'),
  });

const insertMessageArrays = (p: Placeholders<MessageColumns & { seqs: number[] }>, onConflict: RawBuilder<unknown>) =>
  sql`INSERT INTO history (id, session_id, seq, role, content, content_encoding, timestamp, metadata, idempotency_key, item, token_count, search_text)
    SELECT * FROM unnest(${p('ids')}::text[], ${p('sessionIds')}::text[], ${p('seqs')}::bigint[], ${p('roles')}::text[], ${p('contents')}::text[],
      ${p('encodings')}::smallint[], ${p('timestamps')}::timestamptz[], ${p('metadata')}::json[], ${p('keys')}::text[], ${p('items')}::json[],
      ${p('tokenCounts')}::integer[], ${p('searchTexts')}::text[])
    ${onConflict}`;

/** A message as the parameters of SQLite's one-row INSERT. */
export function messageRow(m: Message, indexed: boolean): MessageRow {
  return {
    id: m.id,
    sessionId: m.sessionId,
    seq: m.seq,
    role: m.role,
    content: m.content,
    timestamp: m.timestamp,
    metadata: JSON.stringify(m.metadata),
    idempotencyKey: m.idempotencyKey,
    item: itemColumn(m.item),
    tokenCount: m.tokenCount,
    searchText: searchColumn(m, indexed),
  };
}

type MessageRow = {
  id: string;
  sessionId: string;
  seq: number;
  role: string;
  content: string;
  timestamp: string;
  metadata: string;
  idempotencyKey: string | null;
  item: string | null;
  tokenCount: number | null;
  searchText: string | null;
};
