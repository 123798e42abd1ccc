import type { RowCodec } from '../../db/codec.js';
import type { Row } from '../../db/runner.js';
import type { Json } from '../../domain/json.js';
import { type Message, messageRecord } from '../../domain/records.js';

/** A message as appended: the record without its `seq` (handed out by the store), with the append's bookkeeping. */
export type NewMessage = Omit<Message, 'seq' | 'idempotencyKey' | 'item'> & {
  /** Null or absent: a plain message. */
  item?: Json;
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
  };
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
};

export function messageColumns(messages: readonly NewMessage[]): MessageColumns {
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
  };
}

/** A `history` row as a record, on either database (`codec`: what the database returns differently). */
export function messageOf(r: Row, codec: RowCodec): Message {
  return messageRecord.parse({
    id: r.id,
    sessionId: r.session_id,
    seq: Number(r.seq),
    role: r.role,
    // No `content_encoding` column on SQLite: undefined there, so the content is as stored.
    content: Number(r.content_encoding) === 1 ? JSON.parse(String(r.content)) : r.content,
    timestamp: codec.time(r.timestamp),
    item: r.item == null ? null : codec.json(r.item),
    metadata: codec.json(r.metadata),
    idempotencyKey: r.idempotency_key ?? null,
  });
}

/** A structured item as its column holds it (JSON text; null for a plain message). */
export function itemColumn(item: Json): string | null {
  return item === null ? null : JSON.stringify(item);
}
