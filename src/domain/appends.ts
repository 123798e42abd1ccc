import { ConflictError, ValidationError, type FieldIssue } from './errors.js';
import { jsonEqual, type Json } from './json.js';
import type { Message } from './records.js';

/**
 * Idempotent appends. A client may name a message it appends — with its own `id` (`msg_…`), or with
 * an idempotency key unique within the session — so that it can safely send the append again when
 * it does not know whether the first one arrived. A repeated append is answered with the message
 * stored the first time (same id, seq and timestamp) and stores nothing.
 *
 * A repeat must be the same append: same role, content, item and metadata; the same id if it gives one
 * (a key that named message A cannot be repeated with id B); the same key if it gives one. Anything
 * else reusing a taken id or key is a conflict, never a silent overwrite or a second message.
 */

/** What the rules look at in an incoming message. */
export interface IncomingMessage extends Pick<Message, 'id' | 'role' | 'content' | 'metadata'> {
  /** Null or absent: a plain message. */
  item?: Json;
  idempotencyKey?: string | null;
  /** The client chose `id` (instead of the server): then a repeat must carry it too. */
  idFromClient?: boolean;
}

/** Whether any message of the batch can be a repeat, i.e. whether stored messages must be consulted. */
export function mayRepeat(incoming: readonly IncomingMessage[]): boolean {
  return incoming.some((m) => m.idFromClient || m.idempotencyKey != null);
}

/** Ids and keys must be distinct within one batch (a batch is one append, not its own retry). */
export function batchIssues(incoming: readonly IncomingMessage[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const ids = new Map<string, number>();
  const keys = new Map<string, number>();
  incoming.forEach((m, i) => {
    if (m.idFromClient) {
      const first = ids.get(m.id);
      if (first !== undefined) issues.push({ path: [i, 'id'], message: `repeats the id of message ${first} of the batch` });
      else ids.set(m.id, i);
    }
    if (m.idempotencyKey != null) {
      const first = keys.get(m.idempotencyKey);
      if (first !== undefined) issues.push({ path: [i, 'idempotencyKey'], message: `repeats the idempotency key of message ${first} of the batch` });
      else keys.set(m.idempotencyKey, i);
    }
  });
  return issues;
}

/**
 * What an append does when a message's id or key names a stored message with a different body:
 * `error`, a conflict (the default: a retry must repeat the append exactly); `replace`, the stored
 * message takes the new body in place (same id and seq), its previous version kept as superseded.
 */
export type OnConflict = 'error' | 'replace';

/** An incoming message that is to replace the stored one it names (`OnConflict` 'replace'). */
export interface Replacement {
  replaces: Message;
}

/** The same role, content, item and metadata: what makes a message a repeat of another. */
type Body = Pick<Message, 'role' | 'content' | 'metadata'> & { item?: Json };
export function sameBody(a: Body, b: Body): boolean {
  return a.role === b.role && a.content === b.content && jsonEqual(a.item ?? null, b.item ?? null) && jsonEqual(a.metadata, b.metadata);
}

/**
 * For each incoming message, the stored message it repeats, null when it is new, or (with
 * `onConflict` 'replace') the stored message it replaces. `stored` holds (at least) every stored
 * message with one of the incoming ids, and every message of the session with one of the incoming
 * keys, read in the same transaction as the write that follows.
 * Throws a ConflictError when an id or key is taken by a different message (of another session, or
 * named by the other of id and key), or by a different body unless it is to be replaced.
 */
export function matchRepeats(
  sessionId: string,
  incoming: readonly IncomingMessage[],
  stored: readonly Message[],
  onConflict: OnConflict = 'error',
): (Message | Replacement | null)[] {
  const issues = batchIssues(incoming);
  if (issues.length) throw new ValidationError(issues);
  const byId = new Map(stored.map((m) => [m.id, m]));
  const byKey = new Map(stored.filter((m) => m.sessionId === sessionId && m.idempotencyKey !== null).map((m) => [m.idempotencyKey!, m]));
  return incoming.map((m) => {
    const sameId = byId.get(m.id);
    const sameKey = m.idempotencyKey == null ? undefined : byKey.get(m.idempotencyKey);
    const original = sameId ?? sameKey;
    if (!original) return null;
    if (sameId && sameId.sessionId !== sessionId) {
      throw new ConflictError(`Message id ${m.id} is already taken by a message of another session`);
    }
    const key = JSON.stringify(m.idempotencyKey);
    if (sameId && sameKey && sameId.id !== sameKey.id) {
      throw new ConflictError(`Message id ${m.id} and idempotency key ${key} name two different messages of this session`);
    }
    if (m.idFromClient && original.id !== m.id) {
      throw new ConflictError(`Idempotency key ${key} already names message ${original.id} of this session, not ${m.id}`);
    }
    if (m.idempotencyKey != null && original.idempotencyKey !== m.idempotencyKey) {
      throw new ConflictError(`Message id ${m.id} was stored ${original.idempotencyKey === null ? 'without an idempotency key' : 'with another idempotency key'}`);
    }
    if (!sameBody(original, m)) {
      if (onConflict === 'replace') return { replaces: original };
      const named = m.idempotencyKey == null ? `Message id ${m.id}` : `Idempotency key ${key}`;
      throw new ConflictError(
        `${named} was already used for a different message (${original.id}): a repeated append must have the same role, content, item and metadata`,
      );
    }
    return original;
  });
}
