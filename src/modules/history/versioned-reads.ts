import { sql } from 'kysely';
import { codecs, type RowCodec } from '../../db/codec.js';
import { isLive } from '../../db/live.js';
import type { Runner } from '../../db/runner.js';
import { defineStatements, type Placeholders, type Statement } from '../../db/statements.js';
import type { Message } from '../../domain/records.js';
import { type WireFields, wireArrayJson } from '../../domain/wire.js';
import { type CachedHistory, extendJsonArray, type HistoryCacheView, recordBytes } from './cache.js';
import { historyTailStatement, withFieldNames } from './json-statements.js';
import { messageOf } from './messages.js';

/**
 * The history's reads that go with its version (cache.ts): a version and the messages it names
 * come from one statement, so that the history cache can extend what it holds by the messages
 * appended since, and a caller holding a version (an ETag) is answered by a look at the session
 * row. Part of the history store (store.ts), which serves them.
 */

type Live = { liveAt: string };

/** A history's version (cache.ts): the session's `history_epoch` and `last_seq`. */
export interface HistoryVersion {
  epoch: number;
  lastSeq: number;
}

export interface WholeHistory {
  version: HistoryVersion;
  /** The JSON array in UTF-8; null when the version is the one the caller said it knows. */
  json: Buffer | null;
}

export interface HistoryTail {
  version: HistoryVersion;
  /** The JSON array; null when the version is the one the caller said it knows. */
  json: string | null;
}

const versionOf = (row: Record<string, unknown>): HistoryVersion => ({ epoch: Number(row.epoch_), lastSeq: Number(row.last_seq_) });
const sameVersion = (a: HistoryVersion, b: HistoryVersion) => a.epoch === b.epoch && a.lastSeq === b.lastSeq;

type TailParams = { sessionId: string; after: number; limit: number } & Live;
type EndParams = Omit<TailParams, 'after'>;

const tailStatements = defineStatements({
  // The session's row once with each message after `after` (or alone, with nulls, when there is
  // none): one statement, so that the version and the messages are of the same moment. SQLite's
  // whole reads have their JSON built in the statement instead (json-statements.ts).
  historyTailRows: (_db, p: Placeholders<TailParams>) =>
    sql`SELECT s.history_epoch AS epoch_, s.last_seq AS last_seq_, h.*
      FROM sessions s
      LEFT JOIN (SELECT * FROM history WHERE session_id = ${p('sessionId')} AND seq > ${p('after')} ORDER BY seq LIMIT ${p('limit')}) h ON true
      WHERE s.id = ${p('sessionId')} AND ${isLive(p('liveAt'), 's')}
      ORDER BY h.seq`,
  // The same with the newest `limit` messages (a tail read with its ETag).
  historyEndRows: (_db, p: Placeholders<EndParams>) =>
    sql`SELECT s.history_epoch AS epoch_, s.last_seq AS last_seq_, h.*
      FROM sessions s
      LEFT JOIN (SELECT * FROM history WHERE session_id = ${p('sessionId')} ORDER BY seq DESC LIMIT ${p('limit')}) h ON true
      WHERE s.id = ${p('sessionId')} AND ${isLive(p('liveAt'), 's')}
      ORDER BY h.seq`,
  // A history's version alone (a conditional read's look at the session row).
  historyVersion: (_db, p: Placeholders<{ sessionId: string } & Live>) =>
    sql`SELECT s.history_epoch AS epoch_, s.last_seq AS last_seq_ FROM sessions s WHERE s.id = ${p('sessionId')} AND ${isLive(p('liveAt'), 's')}`,
});

/** The version of a tail read and the JSON of its messages (`HistoryStore.whole`). */
interface Tail {
  version: HistoryVersion;
  json: Buffer;
  count: number;
}

interface TailShape {
  key: string;
  statement: Statement | null;
  endStatement: Statement | null;
}

/** The versioned reads of one tenant's history (SQLite or PostgreSQL, by its runner). */
export class VersionedHistoryReads {
  private readonly codec: RowCodec;
  private readonly tails: ReturnType<typeof tailStatements.for>;
  /** Each field list's key in the history cache and its SQLite tail statements. */
  private readonly tailsByFields = new WeakMap<WireFields<Message>, TailShape>();

  constructor(
    private readonly runner: Runner,
    private readonly cache: HistoryCacheView,
  ) {
    this.codec = codecs[runner.dialect];
    this.tails = tailStatements.for(runner.dialect);
  }

  /**
   * The first `limit` messages of a history (none for a session that is not live), from the cached
   * records when the session's version says they are still its first ones (cache.ts), extended by
   * the messages appended since. A history longer than `limit` is not kept.
   */
  async firstRecords(sessionId: string, limit: number, liveAt: string): Promise<Message[]> {
    const cached = this.cache.getRecords(sessionId);
    const read = (after: number, max: number) => this.tailRecords({ sessionId, after, limit: max, liveAt });
    let tail = await read(cached?.lastSeq ?? 0, Math.max(0, limit - (cached?.count ?? 0)));
    if (!tail) {
      this.cache.deleteRecords(sessionId);
      return [];
    }
    let messages: Message[];
    let bytes: number;
    const added = (list: readonly Message[]) => list.reduce((sum, m) => sum + recordBytes(m), 0);
    if (cached && cached.epoch === tail.version.epoch && cached.lastSeq <= tail.version.lastSeq) {
      // Appends only since: the cached messages are still the first ones.
      if (cached.count >= limit) return cached.messages.slice(0, limit);
      messages = [...cached.messages, ...tail.messages];
      bytes = cached.bytes + added(tail.messages);
    } else {
      // Rewritten since (or never read): from the start.
      if (cached) tail = await read(0, limit);
      if (!tail) {
        this.cache.deleteRecords(sessionId);
        return [];
      }
      messages = tail.messages;
      bytes = added(messages);
    }
    if (messages.length >= limit) {
      // More than the page: not a whole history, not kept.
      this.cache.deleteRecords(sessionId);
      return messages.slice(0, limit);
    }
    this.cache.setRecords(sessionId, { ...tail.version, count: messages.length, messages, bytes });
    return messages;
  }


  async whole(sessionId: string, fields: WireFields<Message>, ceiling: number, liveAt: string, known?: HistoryVersion): Promise<WholeHistory | 'absent' | 'too-long'> {
    const shape = this.tailShape(fields);
    const key = `${shape.key}\0${sessionId}`;
    const cached = this.cache.get(key);
    // From what the caller or the cache holds, only the messages after it are needed, if any.
    const base = cached ?? (known && { ...known, count: 0, json: null });
    const tail = await this.tail(shape.statement, fields, { sessionId, after: base?.lastSeq ?? 0, limit: ceiling - (cached?.count ?? 0) + 1, liveAt });
    if (!tail) {
      this.cache.delete(key);
      return 'absent';
    }
    const { version } = tail;
    if (known && sameVersion(version, known)) return { version, json: null };
    let whole: CachedHistory;
    if (cached && cached.epoch === version.epoch && cached.lastSeq <= version.lastSeq) {
      // Only appends since: the cached messages, then the new ones.
      whole = { ...version, count: cached.count + tail.count, json: extendJsonArray(cached.json, tail.json) };
    } else if (!base) {
      whole = { ...version, count: tail.count, json: tail.json };
    } else {
      // Rewritten since (or the caller's version was not the session's): read whole.
      const all = await this.tail(shape.statement, fields, { sessionId, after: 0, limit: ceiling + 1, liveAt });
      if (!all) {
        this.cache.delete(key);
        return 'absent';
      }
      whole = { ...all.version, count: all.count, json: all.json };
    }
    if (whole.count > ceiling) {
      this.cache.delete(key);
      return 'too-long';
    }
    this.cache.set(key, whole);
    return { version: { epoch: whole.epoch, lastSeq: whole.lastSeq }, json: whole.json };
  }

  async last(sessionId: string, count: number, fields: WireFields<Message>, liveAt: string, known?: HistoryVersion): Promise<HistoryTail | 'absent'> {
    const shape = this.tailShape(fields);
    if (known) {
      const row = await this.runner.one(this.tails.historyVersion, { sessionId, liveAt });
      if (!row) return 'absent';
      const version = versionOf(row);
      if (sameVersion(version, known)) return { version, json: null };
    }
    if (shape.endStatement) {
      const row = await this.runner.one(shape.endStatement, withFieldNames({ sessionId, limit: count, liveAt }, fields));
      return row ? { version: versionOf(row), json: row.json as string } : 'absent';
    }
    const rows = await this.runner.all(this.tails.historyEndRows, { sessionId, limit: count, liveAt });
    if (rows.length === 0) return 'absent';
    const messages = rows.flatMap((row) => (row.id == null ? [] : [messageOf(row, this.codec)]));
    return { version: versionOf(rows[0]!), json: wireArrayJson(messages, fields) };
  }

  /** The statements of tail reads with `fields` (SQLite builds their JSON itself; PostgreSQL: none, records). */
  private tailShape(fields: WireFields<Message>): TailShape {
    let shape = this.tailsByFields.get(fields);
    if (!shape) {
      const sqlite = this.runner.dialect === 'sqlite';
      shape = { key: JSON.stringify(fields), statement: sqlite ? historyTailStatement(fields) : null, endStatement: sqlite ? historyTailStatement(fields, true) : null };
      this.tailsByFields.set(fields, shape);
    }
    return shape;
  }

  private async tail(statement: Statement | null, fields: WireFields<Message>, params: TailParams): Promise<Tail | null> {
    if (statement) {
      const row = await this.runner.one(statement, withFieldNames(params, fields));
      return row ? { version: versionOf(row), json: Buffer.from(row.json as string), count: Number(row.n) } : null;
    }
    const tail = await this.tailRecords(params);
    return tail && { version: tail.version, json: Buffer.from(wireArrayJson(tail.messages, fields)), count: tail.messages.length };
  }

  /** A history's version and its messages after `after` as records (`historyTailRows`); null for an unknown or expired session. */
  private async tailRecords(params: TailParams): Promise<{ version: HistoryVersion; messages: Message[] } | null> {
    const rows = await this.runner.all(this.tails.historyTailRows, params);
    if (rows.length === 0) return null;
    // A session with no message after `after` is one row whose message columns are null.
    return { version: versionOf(rows[0]!), messages: rows.flatMap((row) => (row.id == null ? [] : [messageOf(row, this.codec)])) };
  }
}
