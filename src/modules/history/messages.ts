import type { RowCodec } from '../../db/codec.js';
import type { Row } from '../../db/runner.js';
import type { Json } from '../../domain/json.js';
import { type Message, messageRecord } from '../../domain/records.js';
import { searchTextOf } from '../search/text.js';

/** A message as appended: the record without its `seq` (handed out by the store), with the append's bookkeeping. */
export type NewMessage = Omit<Message, 'seq' | 'idempotencyKey' | 'item' | 'tokenCount'> & {
  /** Null or absent: a plain message. */
  item?: Json;
  /** Null or absent: not known. */
  tokenCount?: number | null;
  /** Null or absent: none. */
  idempotencyKey?: string | null;
  /** The client chose `id`: a message stored under it may be a repeat (see `HistoryStore.append`). */
  idFromClient?: boolean;
};

/** A message as appended: its fields, nothing of the append's bookkeeping (`idFromClient`). */
export function newMessage(m: NewMessage, sessionId: string, seq: number): Message {
  return {
    id: m.id,
    sessionId,
    seq,
    role: m.role,
    content: m.content,
    item: m.item ?? null,
    timestamp: m.timestamp,
    metadata: m.metadata,
    idempotencyKey: m.idempotencyKey ?? null,
    tokenCount: m.tokenCount ?? null,
  };
}

/**
 * The words a message is found by, as written with it; null when the history is not indexed
 * (SEARCH_INDEX=off), and the search module's indexer has nothing to do either.
 */
export function searchColumn(m: Pick<Message, 'content'> & { item?: Json }, indexed: boolean): string | null {
  return indexed ? searchTextOf(m.content, m.item ?? null) : null;
}

/**
 * PostgreSQL text cannot hold NUL characters: content with one is stored JSON-encoded, marked by
 * `content_encoding = 1` (SQLite stores any text as it is and has no such column). These two and
 * `messageOf` are the only places that know it.
 */
export function encodeContent(content: string): string {
  return content.includes('\u0000') ? JSON.stringify(content) : content;
}

/** The `content_encoding` of a content (see `encodeContent`). */
export function contentEncoding(content: string): number {
  return content.includes('\u0000') ? 1 : 0;
}

/** Messages as the column arrays of a multi-row INSERT on PostgreSQL (`unnest`), content encoded. */
// A type, not an interface: statement parameters are a record of values (an index signature).
export type MessageColumns = {
  sessionIds: string[];
  ids: string[];
  roles: string[];
  contents: string[];
  encodings: number[];
  timestamps: string[];
  metadata: string[];
  keys: (string | null)[];
  items: (string | null)[];
  tokenCounts: (number | null)[];
  searchTexts: (string | null)[];
};

export function messageColumns(messages: readonly NewMessage[], indexed: boolean): MessageColumns {
  return {
    sessionIds: messages.map((m) => m.sessionId),
    ids: messages.map((m) => m.id),
    roles: messages.map((m) => m.role),
    contents: messages.map((m) => encodeContent(m.content)),
    encodings: messages.map((m) => contentEncoding(m.content)),
    timestamps: messages.map((m) => m.timestamp),
    metadata: messages.map((m) => JSON.stringify(m.metadata)),
    keys: messages.map((m) => m.idempotencyKey ?? null),
    items: messages.map((m) => itemColumn(m.item ?? null)),
    tokenCounts: messages.map((m) => m.tokenCount ?? null),
    searchTexts: messages.map((m) => searchColumn(m, indexed)),
  };
}

/** A `history` row's content as it was written (see `encodeContent`). */
export function contentOf(r: Row): string {
  // No `content_encoding` column on SQLite: undefined there, so the content is as stored.
  return Number(r.content_encoding) === 1 ? (JSON.parse(String(r.content)) as string) : (r.content as string);
}

/** A `history` row as a record, on either database (`codec`: what the database returns differently). */
export function messageOf(r: Row, codec: RowCodec): Message {
  return messageRecord.parse({
    id: r.id,
    sessionId: r.session_id,
    seq: Number(r.seq),
    role: r.role,
    content: contentOf(r),
    timestamp: codec.time(r.timestamp),
    item: r.item == null ? null : codec.json(r.item),
    metadata: codec.json(r.metadata),
    idempotencyKey: r.idempotency_key ?? null,
    tokenCount: r.token_count == null ? null : Number(r.token_count),
  });
}

/** A structured item as its column holds it (JSON text; null for a plain message). */
export function itemColumn(item: Json): string | null {
  return item === null ? null : JSON.stringify(item);
}
