import { type Kysely, type RawBuilder, sql } from 'kysely';
import { codecs, type RowCodec } from '../../db/codec.js';
import { byGroup, countsByGroup, type Keyset, naturalOrder, pageOf, pagePerGroup, shapeOf, type SliceShape, sliceParams } from '../../db/paging.js';
import { inLiveSessions, isLive, liveOwner } from '../../db/live.js';
import { inList, isUniqueViolation, writeRows } from '../../db/portable.js';
import { type Runner, tx, type TxWork } from '../../db/runner.js';
import type { Database } from '../../db/schema.js';
import { defineStatementFamily, defineStatements, type Params, type Placeholders, type Statement } from '../../db/statements.js';
import { matchRepeats, mayRepeat, type OnConflict, type Replacement } from '../../domain/appends.js';
import { ConflictError, OperationReusedError } from '../../domain/errors.js';
import { jsonEqual } from '../../domain/json.js';
import { eventsOf } from '../../domain/events.js';
import type { Slice } from '../../domain/paging.js';
import type { Message } from '../../domain/records.js';
import { type WireFields, wireArrayJson } from '../../domain/wire.js';
import type { AppendEvents } from '../events/append.js';
import { AppendBatches } from './append-batch.js';
import { type HistoryCacheView, NO_HISTORY_CACHE } from './cache.js';
import { historyJsonStatement, withFieldNames } from './json-statements.js';
import { messageRow, rowStatements } from './rows.js';
import { type TokenTotal, tokenStatements } from './tokens.js';
import { ENTRY, type HistoryRewrite, type RewriteResult, type SupersededMessage, supersededOf, supersededPage, supersededStatements } from './superseded.js';
import { type HistoryTail, type HistoryVersion, VersionedHistoryReads, type WholeHistory } from './versioned-reads.js';
import { contentEncoding, encodeContent, itemColumn, messageColumns, messageOf, type NewMessage, newMessage, searchColumn } from './messages.js';

/**
 * A session's history: its messages, numbered by `seq` in the order of record. Serving methods see
 * only sessions live at `liveAt` (`expiresAt` null or later): an expired session reads and writes
 * as an unknown one, and the filter holds atomically with each write.
 */
export interface HistoryStore {
  /**
   * Appends messages in one transaction, assigning consecutive `seq` numbers after the session's
   * last one; null (and nothing written) when the session does not exist or is not live.
   *
   * Idempotent for messages the client named (`idFromClient`, `idempotencyKey`): in the same
   * transaction as the write, the stored messages with those ids and keys are looked up and
   * matched with `matchRepeats` (domain/appends.ts). A repeat is answered with the stored message
   * and not written again; a conflict throws and writes nothing. Concurrent appends with the same
   * key store one message, and all of them answer it. Messages come back in the order given.
   */
  append(sessionId: string, messages: readonly NewMessage[], liveAt: string, onConflict?: OnConflict): Promise<Message[] | null>;
  /**
   * Takes the last message out of the history, atomically, keeping it as superseded ('popped');
   * `{ message: null }` for an empty history, null when the session does not exist or is not live.
   */
  pop(sessionId: string, liveAt: string): Promise<{ message: Message | null } | null>;
  /**
   * Replaces the last `replaceLast` messages by `messages` in one transaction, if the history is
   * as the rewrite expects (else a ConflictError, nothing written); once per operation id (a repeat
   * with the same request is answered from what the first did, a different request is a conflict).
   * The replaced messages are kept as superseded; the new ones take seqs after the session's last.
   * Null when the session does not exist or is not live.
   */
  rewrite(sessionId: string, rewrite: HistoryRewrite, liveAt: string): Promise<RewriteResult | null>;
  /** The messages taken out of a session's history, in the order they were taken out. */
  superseded(sessionId: string, slice: Slice<number>, liveAt: string): Promise<SupersededMessage[]>;
  supersededCount(sessionId: string, liveAt: string): Promise<number>;
  byIds(ids: readonly string[], liveAt: string): Promise<Message[]>;
  /** The same page of each session's history, in one statement (every id present, maybe empty). */
  pages(sessionIds: readonly string[], slice: Slice<number>, liveAt: string): Promise<Map<string, Message[]>>;
  counts(sessionIds: readonly string[], liveAt: string): Promise<Map<string, number>>;
  /** Each session's newest messages that fit in `maxTokens` (tokens.ts), oldest first (every id present, maybe empty). */
  withinTokens(sessionIds: readonly string[], maxTokens: number, liveAt: string): Promise<Map<string, Message[]>>;
  /** Each session's tokens in all (every id present). */
  tokenTotals(sessionIds: readonly string[], liveAt: string): Promise<Map<string, TokenTotal>>;
  /**
   * One session's messages of `slice` (as `pages` reads them) as a JSON array of objects with
   * `fields`: what `JSON.stringify` of those fields of the records would be (`wireArrayJson`). For
   * big reads a database may build the text itself instead of decoding every row into a record and
   * serializing it again (a 1,000-message history is ~420 KB).
   *
   * Text, not bytes: Node writes a string to the socket through a buffer it frees as soon as the
   * write is done, while a Buffer of the bytes lives until the garbage collector finds it, and the C
   * allocator keeps what those held. Paging through 100,000 messages by REST grew RSS by ~25 MB with
   * bytes and by ~3 MB with text, at the same speed.
   */
  json(sessionId: string, slice: Slice<number>, fields: WireFields<Message>, liveAt: string): Promise<string>;
  /**
   * A whole history of at most `ceiling` messages as `json` writes it, with its version (cache.ts):
   * served from the history cache when the session's version says it may be, extended by the
   * appended messages when only appends happened since. With `known`, a version the caller already
   * holds (an ETag): when it is still the session's, `json` is null and nothing is read but the
   * version. 'absent' for an unknown or expired session; 'too-long' beyond `ceiling` (then page it).
   */
  whole(sessionId: string, fields: WireFields<Message>, ceiling: number, liveAt: string, known?: HistoryVersion): Promise<WholeHistory | 'absent' | 'too-long'>;
  /**
   * A history's newest `count` messages (in order) as `json` writes them, with the history's version,
   * read together. With `known` (an ETag): when it is still the session's version, `json` is null and
   * nothing is read but the version — an agent re-reading its own conversation before each turn.
   * 'absent' for an unknown or expired session.
   */
  last(sessionId: string, count: number, fields: WireFields<Message>, liveAt: string, known?: HistoryVersion): Promise<HistoryTail | 'absent'>;
  /**
   * Deletes a session's messages, with its superseded messages and its record of rewrites (clearing
   * is deletion, not a rewrite); how many messages were deleted (0 for an unknown or expired session).
   */
  clear(sessionId: string, liveAt: string): Promise<number>;
  /** Resolves once every append accepted so far has been answered (closing waits for it). */
  idle(): Promise<void>;
}

export type { HistoryTail, HistoryVersion, WholeHistory } from './versioned-reads.js';

/** What the export/import CLI and the retention sweeper see: expired sessions' history too. */
export interface HistoryMaintenance {
  pagesIncludingExpired(sessionIds: readonly string[], slice: Slice<number>): Promise<Map<string, Message[]>>;
  countsIncludingExpired(sessionIds: readonly string[]): Promise<Map<string, number>>;
  byIdsIncludingExpired(ids: readonly string[]): Promise<Message[]>;
}

/** Live at the beginning of time: every session, expired or not (the maintenance reads). */
const ANY_TIME = '0001-01-01T00:00:00.000Z';

/** A session's messages in order of record. */
const SEQ: Keyset<number> = { columns: ['seq'], pgTypes: ['bigint'], desc: false, values: (seq) => [seq] };

type Live = { liveAt: string };


const statements = defineStatements({
  messagesByIds: (db, p: Placeholders<{ ids: string[] } & Live>, dialect) =>
    db.selectFrom('history').selectAll().where(inList('id', p('ids'), dialect)).where(liveOwner(sql.ref('history.session_id'), p('liveAt'))),

  historyCounts: (db, p: Placeholders<{ sessionIds: string[] } & Live>, dialect) =>
    db
      .selectFrom('history')
      .select([sql.ref('session_id').as('group_'), sql<number>`COUNT(*)`.as('n')])
      .where(inLiveSessions('session_id', p('sessionIds'), p('liveAt'), dialect))
      .groupBy('session_id'),

  clearHistory: (db, p: Placeholders<{ sessionId: string } & Live>) =>
    db.deleteFrom('history').where('session_id', '=', p('sessionId')).where(liveOwner(p('sessionId'), p('liveAt'))),

  clearedSession: (db, p: Placeholders<{ sessionId: string }>) => db.selectFrom('sessions').select('agent_name').where('id', '=', p('sessionId')),

  /** The last `count` messages, newest first. */
  lastMessages: (db, p: Placeholders<{ sessionId: string; count: number }>) =>
    db.selectFrom('history').selectAll().where('session_id', '=', p('sessionId')).orderBy('seq', 'desc').limit(p('count') as RawBuilder<number>),
  /** The ids and seqs of the last `count` messages, newest first (a rewrite's suffix, which may be a whole history). */
  lastPlaces: (db, p: Placeholders<{ sessionId: string; count: number }>) =>
    db.selectFrom('history').select(['id', 'seq']).where('session_id', '=', p('sessionId')).orderBy('seq', 'desc').limit(p('count') as RawBuilder<number>),

  deleteFrom: (db, p: Placeholders<{ sessionId: string; fromSeq: number }>) =>
    db.deleteFrom('history').where('session_id', '=', p('sessionId')).where('seq', '>=', p('fromSeq')),
  /** A message's body replaced in place: same id, seq, key and timestamp. */
  replaceMessage: (
    db,
    p: Placeholders<{ id: string; role: string; content: string; encoding: number; item: string | null; metadata: string; tokenCount: number | null; searchText: string | null }>,
    dialect,
  ) =>
    db
      .updateTable('history')
      .set({
        role: p('role'),
        content: p('content'),
        item: p('item'),
        metadata: p('metadata'),
        token_count: p('tokenCount'),
        search_text: p('searchText'),
        ...(dialect === 'postgres' ? { content_encoding: p('encoding') } : {}),
      })
      .where('id', '=', p('id')),


  // The session row is locked first (PostgreSQL; SQLite has one writer at a time, and SQLite has no
  // FOR UPDATE): every append to it waits, so the look-up of repeats that follows sees every append
  // committed before, and the writes after it see the session as nobody else can change it.
  lockSessionForAppend: (db, p: Placeholders<{ sessionId: string } & Live>, dialect) => {
    const query = db
      .selectFrom('sessions')
      .select(['last_seq', 'agent_name'])
      .where('id', '=', p('sessionId'))
      .where(isLive(p('liveAt')));
    return dialect === 'postgres' ? query.forUpdate() : query;
  },

  /** The stored messages an append may repeat: those with its client ids, and those of the session with its keys. */
  storedRepeats: (db, p: Placeholders<{ ids: string[]; sessionId: string; keys: string[] }>, dialect) =>
    db
      .selectFrom('history')
      .selectAll()
      .where(inList('id', p('ids'), dialect))
      .unionAll(db.selectFrom('history').selectAll().where('session_id', '=', p('sessionId')).where(inList('idempotency_key', p('keys'), dialect))),

  /**
   * Every change of a history but an append moves its epoch on (cache.ts), in the transaction of
   * the change: a replica's cached copy of the history is then never taken for the current one.
   */
  bumpHistoryEpoch: (db, p: Placeholders<{ sessionId: string }>) =>
    db.updateTable('sessions').set({ history_epoch: sql`history_epoch + 1` }).where('id', '=', p('sessionId')),

  // Reserving the seq range on the session row makes the order of record the commit order.
  reserveSeq: (db, p: Placeholders<{ sessionId: string; count: number } & Live>) =>
    db
      .updateTable('sessions')
      .set({ last_seq: sql`last_seq + ${p('count')}` })
      .where('id', '=', p('sessionId'))
      .where(isLive(p('liveAt')))
      .returning(['last_seq', 'agent_name']),

  /** The messages of a session that hold any of `seqs` or `keys` (an import looks before it writes). */
  takenPlaces: (db, p: Placeholders<{ sessionId: string; seqs: number[]; keys: string[] }>, dialect) =>
    db
      .selectFrom('history')
      .select(['id', 'seq', 'idempotency_key'])
      .where('session_id', '=', p('sessionId'))
      .where(sql<boolean>`(${inList('seq', p('seqs'), dialect, 'bigint[]')} OR ${inList('idempotency_key', p('keys'), dialect)})`),

  // A fork's source: the message it is cut at (of that session), then the history up to it.
  forkCut: (db, p: Placeholders<{ id: string; sessionId: string }>) =>
    db.selectFrom('history').select('seq').where('id', '=', p('id')).where('session_id', '=', p('sessionId')),
  forkHistory: (db, p: Placeholders<{ sessionId: string; seq: number }>) =>
    db.selectFrom('history').selectAll().where('session_id', '=', p('sessionId')).where('seq', '<=', p('seq')).orderBy('seq'),
});

type PageShape = SliceShape & { many: boolean };

/**
 * A page of history. Of one session, a plain `LIMIT` walking the session's index, which stops
 * early (long histories); of several, `pagePerGroup` (one statement however many sessions).
 */
const historyPage = defineStatementFamily('historyPages', ({ many, ...shape }: PageShape) => (db, p: Placeholders<Params>, dialect) =>
  many
    ? pagePerGroup(db, 'history', 'history', 'session_id', SEQ, shape, p, dialect, (q) =>
        q.where(inLiveSessions('session_id', p('sessionIds'), p('liveAt'), dialect)))
    : pageOf(onePage(db, p), SEQ, shape, p, dialect));

const onePage = (db: Kysely<Database>, p: Placeholders<Params>) =>
  db
    .selectFrom('history')
    .selectAll()
    .where('session_id', '=', p('sessionId') as RawBuilder<string>)
    .where(liveOwner(p('sessionId'), p('liveAt')));

/** History in a tenant's SQL database (SQLite or PostgreSQL, by its runner). */
export class SqlHistoryStore implements HistoryStore, HistoryMaintenance {
  private readonly sql: ReturnType<typeof statements.for> & ReturnType<typeof supersededStatements.for> & ReturnType<typeof rowStatements.for>;
  private readonly codec: RowCodec;
  private readonly tokens: ReturnType<typeof tokenStatements.for>;
  /** PostgreSQL: appends that cannot repeat stored messages are group-committed. */
  private readonly batches: AppendBatches | null;
  /** SQLite's JSON statements, by fields and page shape (the doors use a few constant field lists). */
  private readonly jsonStatements = new Map<string, Statement>();
  /** Reads that go with the history's version: through the history cache, and with ETags. */
  private readonly versioned: VersionedHistoryReads;

  constructor(
    private readonly runner: Runner,
    private readonly appendEvents: AppendEvents,
    /** Whether messages are written with the words they are found by (SEARCH_INDEX; see modules/search). */
    private readonly indexed = true,
    /** This database's share of the process's history cache (cache.ts). */
    private readonly cache: HistoryCacheView = NO_HISTORY_CACHE,
  ) {
    this.sql = { ...statements.for(runner.dialect), ...supersededStatements.for(runner.dialect), ...rowStatements.for(runner.dialect) };
    this.codec = codecs[runner.dialect];
    this.tokens = tokenStatements.for(runner.dialect);
    this.versioned = new VersionedHistoryReads(runner, cache);
    this.batches = runner.dialect === 'postgres' ? new AppendBatches(runner, appendEvents.sink, indexed) : null;
  }

  // --- appends ----------------------------------------------------------------------------------

  async append(sessionId: string, messages: readonly NewMessage[], liveAt: string, onConflict: OnConflict = 'error'): Promise<Message[] | null> {
    try {
      if (this.batches) {
        if (!mayRepeat(messages)) return await this.batches.add({ sessionId, messages, liveAt });
        try {
          // Most named appends are not repeats: the one-statement append is tried first, alone (a taken
          // id or key must fail only this append). It fails as a whole (nothing reserved, nothing
          // written); then the transaction below decides.
          return await this.batches.alone({ sessionId, messages, liveAt });
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
        }
      }
      return await this.runner.transaction(() => this.appendWork(sessionId, messages, liveAt, onConflict));
    } catch (error) {
      // An id that no look-up of repeats matched: one the server chose (a clash), or, on PostgreSQL,
      // one another session's append took meanwhile (keys are only ever taken under the session's
      // lock, so a repeated key is always found).
      if (isUniqueViolation(error)) throw new ConflictError('A message id of this append is already taken by another message');
      throw error;
    }
  }

  /** An append as one transaction: SQLite's every append, PostgreSQL's appends that may repeat stored messages. */
  private *appendWork(sessionId: string, messages: readonly NewMessage[], liveAt: string, onConflict: OnConflict): TxWork<Message[] | null> {
    const repeats = mayRepeat(messages);
    let originals: (Message | Replacement | null)[] = messages.map(() => null);
    if (repeats) {
      const session = yield* tx.one(this.sql.lockSessionForAppend, { sessionId, liveAt });
      if (!session) return null;
      const ids = messages.filter((m) => m.idFromClient).map((m) => m.id);
      const keys = messages.flatMap((m) => (m.idempotencyKey == null ? [] : [m.idempotencyKey]));
      const stored = yield* tx.all(this.sql.storedRepeats, { ids, sessionId, keys });
      originals = matchRepeats(sessionId, messages, stored.map((r) => messageOf(r, this.codec)), onConflict);
      const replaced: Message[] = [];
      for (const [i, original] of originals.entries()) {
        if (original === null || !('replaces' in original)) continue;
        originals[i] = yield* this.replaceWork(original.replaces, messages[i]!, liveAt);
        replaced.push(originals[i] as Message);
      }
      if (replaced.length > 0) yield* tx.write(this.sql.bumpHistoryEpoch, { sessionId });
      yield* this.appendEvents(eventsOf.messagesReplaced(session.agent_name as string, replaced));
    }
    const fresh = messages.filter((_, i) => originals[i] === null);
    if (repeats && fresh.length === 0) return originals as Message[];
    const reserved = yield* tx.one(this.sql.reserveSeq, { sessionId, count: fresh.length, liveAt });
    if (!reserved) return null;
    let seq = Number(reserved.last_seq) - fresh.length;
    const added = fresh.map((m) => newMessage(m, sessionId, ++seq));
    yield* this.insertExactly(added, false);
    yield* this.appendEvents(eventsOf.messagesAppended(reserved.agent_name as string, added));
    let next = 0;
    return originals.map((original) => (original as Message | null) ?? added[next++]!);
  }

  /** Part of an append's transaction: `stored` takes the body of `incoming` in place, its previous version kept as superseded. */
  private *replaceWork(stored: Message, incoming: NewMessage, liveAt: string): TxWork<Message> {
    const next: Message = {
      ...stored,
      role: incoming.role,
      content: incoming.content,
      item: incoming.item ?? null,
      metadata: incoming.metadata,
      tokenCount: incoming.tokenCount ?? null,
    };
    yield* tx.write(this.sql.archiveById, { id: stored.id, supersededAt: liveAt, reason: 'replaced', operationId: null });
    yield* tx.write(this.sql.replaceMessage, {
      id: next.id,
      role: next.role,
      content: this.runner.dialect === 'postgres' ? encodeContent(next.content) : next.content,
      encoding: contentEncoding(next.content),
      item: itemColumn(next.item),
      metadata: JSON.stringify(next.metadata),
      tokenCount: next.tokenCount,
      searchText: searchColumn(next, this.indexed),
    });
    return next;
  }

  // --- pops and rewrites --------------------------------------------------------------------------

  pop(sessionId: string, liveAt: string): Promise<{ message: Message | null } | null> {
    const { sql: statements, codec, appendEvents } = this;
    return this.runner.transaction(function* () {
      const session = yield* tx.one(statements.lockSessionForAppend, { sessionId, liveAt });
      if (!session) return null;
      const [last] = yield* tx.all(statements.lastMessages, { sessionId, count: 1 });
      if (!last) return { message: null };
      const message = messageOf(last, codec);
      yield* tx.write(statements.archiveFrom, { sessionId, fromSeq: message.seq, supersededAt: liveAt, reason: 'popped', operationId: null });
      yield* tx.write(statements.deleteFrom, { sessionId, fromSeq: message.seq });
      yield* tx.write(statements.bumpHistoryEpoch, { sessionId });
      yield* appendEvents(eventsOf.messagePopped(session.agent_name as string, message));
      return { message };
    });
  }

  async rewrite(sessionId: string, rewrite: HistoryRewrite, liveAt: string): Promise<RewriteResult | null> {
    try {
      return await this.runner.transaction(() => this.rewriteWork(sessionId, rewrite, liveAt));
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('A message id or idempotency key of the replacement is already taken by another message');
      throw error;
    }
  }

  private *rewriteWork(sessionId: string, r: HistoryRewrite, liveAt: string): TxWork<RewriteResult | null> {
    const session = yield* tx.one(this.sql.lockSessionForAppend, { sessionId, liveAt });
    if (!session) return null;
    const done = yield* tx.one(this.sql.findOperation, { sessionId, operationId: r.operationId });
    if (done) {
      if (done.request_sha256 !== r.requestSha256) {
        throw new OperationReusedError(r.operationId);
      }
      const messageIds = JSON.parse(done.message_ids as string) as string[];
      return { operationId: r.operationId, replayed: true, supersededIds: JSON.parse(done.superseded_ids as string) as string[], messages: yield* this.latestVersions(messageIds) };
    }
    // Newest first; at least one row, to know the last seq. Only ids and seqs: a compaction's suffix is a whole history.
    const tail = (yield* tx.all(this.sql.lastPlaces, { sessionId, count: Math.max(r.replaceLast, 1) })).map((row) => ({ id: row.id as string, seq: Number(row.seq) }));
    const lastSeq = tail[0]?.seq ?? null;
    if (lastSeq !== r.expectedLastSeq) {
      const expected = r.expectedLastSeq === null ? 'an empty history' : `the last message at seq ${r.expectedLastSeq}`;
      throw new ConflictError(`The history changed: expected ${expected}, but ${lastSeq === null ? 'it is empty' : `its last message is at seq ${lastSeq}`}`);
    }
    if (tail.length < r.replaceLast) throw new ConflictError(`Cannot replace the last ${r.replaceLast} messages: the history has ${tail.length}`);
    const suffix = tail.slice(0, r.replaceLast).reverse();
    if (r.expectedItems !== null) {
      // As many as `expectedItems` (bounded): the whole messages, to compare their items.
      const stored = (yield* tx.all(this.sql.lastMessages, { sessionId, count: r.replaceLast })).map((row) => messageOf(row, this.codec)).reverse();
      const i = stored.findIndex((m, i) => !jsonEqual(m.item, r.expectedItems![i]!));
      if (i >= 0) throw new ConflictError(`The history's suffix is not the expected one: its message ${stored[i]!.id} (seq ${stored[i]!.seq}) holds another item`);
    }
    if (suffix.length > 0) {
      const fromSeq = suffix[0]!.seq;
      yield* tx.write(this.sql.archiveFrom, { sessionId, fromSeq, supersededAt: liveAt, reason: r.reason, operationId: r.operationId });
      yield* tx.write(this.sql.deleteFrom, { sessionId, fromSeq });
    }
    let added: Message[] = [];
    if (r.messages.length > 0) {
      const reserved = yield* tx.one(this.sql.reserveSeq, { sessionId, count: r.messages.length, liveAt });
      let seq = Number(reserved!.last_seq) - r.messages.length;
      added = r.messages.map((m) => newMessage(m, sessionId, ++seq));
      yield* this.insertExactly(added, false);
    }
    const supersededIds = suffix.map((m) => m.id);
    yield* tx.write(this.sql.bumpHistoryEpoch, { sessionId });
    yield* tx.write(this.sql.recordOperation, {
      sessionId,
      operationId: r.operationId,
      requestSha256: r.requestSha256,
      supersededIds: JSON.stringify(supersededIds),
      messageIds: JSON.stringify(added.map((m) => m.id)),
      createdAt: liveAt,
    });
    yield* this.appendEvents(eventsOf.historyRewritten({ id: sessionId, agentName: session.agent_name as string }, { operationId: r.operationId, reason: r.reason, supersededIds }, added));
    return { operationId: r.operationId, replayed: false, supersededIds, messages: added };
  }

  /** Messages by id as they are now: in the history, or else their latest superseded version; in the order of `ids`. */
  private *latestVersions(ids: readonly string[]): TxWork<Message[]> {
    if (ids.length === 0) return [];
    const found = new Map<string, Message>();
    for (const row of yield* tx.all(this.sql.messagesByIds, { ids: [...ids], liveAt: ANY_TIME })) found.set(row.id as string, messageOf(row, this.codec));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      for (const row of yield* tx.all(this.sql.supersededByIds, { ids: missing })) if (!found.has(row.id as string)) found.set(row.id as string, messageOf(row, this.codec));
    }
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  async supersededCount(sessionId: string, liveAt: string): Promise<number> {
    return Number((await this.runner.one(this.sql.supersededCount, { sessionId, liveAt }))!.n);
  }

  async superseded(sessionId: string, slice: Slice<number>, liveAt: string): Promise<SupersededMessage[]> {
    const shape = shapeOf(slice);
    const rows = await this.runner.all(supersededPage(this.runner.dialect, shape), { ...sliceParams(ENTRY, slice), sessionId, liveAt });
    return naturalOrder(rows, shape).map((r) => supersededOf(r, this.codec));
  }

  /**
   * Part of a transaction's work (an append's rows, a fork's copy, an import): writes messages
   * exactly as given — ids, seqs, keys, timestamps. With `skipExisting`, a message whose id is
   * already there is left as it is. How many rows were written. A seq or key of the session that a
   * different message holds is a unique violation.
   */
  *insertExactly(messages: readonly Message[], skipExisting: boolean): TxWork<number> {
    return yield* writeRows(
      this.runner.dialect,
      messages,
      { statement: skipExisting ? this.sql.importMessage : this.sql.insertMessage, params: (m) => messageRow(m, this.indexed) },
      {
        statement: skipExisting ? this.sql.importMessages : this.sql.insertMessages,
        params: (chunk) => ({ ...messageColumns(chunk, this.indexed), seqs: chunk.map((m) => m.seq) }),
      },
    );
  }

  /**
   * Part of a transaction that changed a session's history otherwise than by appending (an import
   * into a session that was there): its cached copies are not to be used again (cache.ts).
   */
  *historyChanged(sessionId: string): TxWork<void> {
    yield* tx.write(this.sql.bumpHistoryEpoch, { sessionId });
  }

  /**
   * Part of an import's transaction, before `insertExactly`: the first of `messages` (of one session)
   * whose seq or idempotency key a different message holds — stored, or earlier in `messages` —
   * and which of the two; null when none. Looked up first, as a violation would abort a PostgreSQL
   * transaction and could not say which message it was.
   */
  *firstTaken(sessionId: string, messages: readonly Message[]): TxWork<{ message: Message; taken: 'seq' | 'key' } | null> {
    if (messages.length === 0) return null;
    const keys = messages.flatMap((m) => (m.idempotencyKey == null ? [] : [m.idempotencyKey]));
    const stored = yield* tx.all(this.sql.takenPlaces, { sessionId, seqs: messages.map((m) => m.seq), keys });
    const seqs = new Map(stored.map((r) => [Number(r.seq), String(r.id)]));
    const keyHolders = new Map(stored.flatMap((r) => (r.idempotency_key == null ? [] : [[String(r.idempotency_key), String(r.id)] as const])));
    for (const m of messages) {
      const seqHolder = seqs.get(m.seq) ?? m.id;
      if (seqHolder !== m.id) return { message: m, taken: 'seq' };
      seqs.set(m.seq, seqHolder);
      if (m.idempotencyKey == null) continue;
      const keyHolder = keyHolders.get(m.idempotencyKey) ?? m.id;
      if (keyHolder !== m.id) return { message: m, taken: 'key' };
      keyHolders.set(m.idempotencyKey, keyHolder);
    }
    return null;
  }

  /**
   * Part of a fork's transaction: a session's history up to and including its message
   * `upToMessageId`, in seq order, with that message (`cut`); null when it is not one of the session's.
   */
  *prefix(sessionId: string, upToMessageId: string): TxWork<{ cut: Message; messages: Message[] } | null> {
    const cut = yield* tx.one(this.sql.forkCut, { id: upToMessageId, sessionId });
    if (!cut) return null;
    const messages = (yield* tx.all(this.sql.forkHistory, { sessionId, seq: Number(cut.seq) })).map((r) => messageOf(r, this.codec));
    return { cut: messages.at(-1)!, messages };
  }

  idle(): Promise<void> {
    return this.batches ? this.batches.idle() : Promise.resolve();
  }

  // --- reads --------------------------------------------------------------------------------------

  async byIds(ids: readonly string[], liveAt: string): Promise<Message[]> {
    if (ids.length === 0) return [];
    return (await this.runner.all(this.sql.messagesByIds, { ids: [...ids], liveAt })).map((r) => messageOf(r, this.codec));
  }

  async pages(sessionIds: readonly string[], slice: Slice<number>, liveAt: string): Promise<Map<string, Message[]>> {
    const out = new Map<string, Message[]>();
    if (sessionIds.length === 0) return out;
    const shape = shapeOf(slice);
    if (sessionIds.length === 1) {
      const [sessionId] = sessionIds as [string];
      // A history from its start (a whole read, or its first page): through the history cache.
      if (!shape.after && !shape.before && !shape.fromEnd && !slice.offset && this.cache !== NO_HISTORY_CACHE) {
        return out.set(sessionId, await this.versioned.firstRecords(sessionId, slice.limit, liveAt));
      }
      const rows = await this.runner.all(historyPage(this.runner.dialect, { ...shape, many: false }), { ...sliceParams(SEQ, slice), sessionId, liveAt });
      return out.set(sessionId, naturalOrder(rows, shape).map((r) => messageOf(r, this.codec)));
    }
    const rows = await this.runner.all(historyPage(this.runner.dialect, { ...shape, many: true }), { ...sliceParams(SEQ, slice), sessionIds: [...sessionIds], liveAt });
    for (const [id, list] of byGroup(sessionIds, rows, 'session_id', shape)) out.set(id, list.map((r) => messageOf(r, this.codec)));
    return out;
  }

  async counts(sessionIds: readonly string[], liveAt: string): Promise<Map<string, number>> {
    if (sessionIds.length === 0) return new Map();
    return countsByGroup(sessionIds, await this.runner.all(this.sql.historyCounts, { sessionIds: [...sessionIds], liveAt }));
  }

  async withinTokens(sessionIds: readonly string[], maxTokens: number, liveAt: string): Promise<Map<string, Message[]>> {
    const out = new Map(sessionIds.map((id) => [id, [] as Message[]]));
    if (sessionIds.length === 0) return out;
    const rows = await this.runner.all(this.tokens.withinTokens, { sessionIds: [...sessionIds], maxTokens, liveAt });
    for (const row of rows) out.get(row.session_id as string)?.push(messageOf(row, this.codec));
    return out;
  }

  async tokenTotals(sessionIds: readonly string[], liveAt: string): Promise<Map<string, TokenTotal>> {
    const out = new Map(sessionIds.map((id): [string, TokenTotal] => [id, { tokens: 0, messages: 0, estimatedMessages: 0 }]));
    if (sessionIds.length === 0) return out;
    for (const row of await this.runner.all(this.tokens.tokenTotals, { sessionIds: [...sessionIds], liveAt })) {
      out.set(row.group_ as string, { tokens: Number(row.tokens), messages: Number(row.messages), estimatedMessages: Number(row.estimated) });
    }
    return out;
  }

  async json(sessionId: string, slice: Slice<number>, fields: WireFields<Message>, liveAt: string): Promise<string> {
    if (this.runner.dialect === 'postgres') return wireArrayJson((await this.pages([sessionId], slice, liveAt)).get(sessionId) ?? [], fields);
    const shape = shapeOf(slice);
    const key = `${JSON.stringify(fields)}|${shape.after}|${shape.before}|${shape.fromEnd}`;
    let statement = this.jsonStatements.get(key);
    if (!statement) this.jsonStatements.set(key, (statement = historyJsonStatement(fields, (db, p, dialect) => pageOf(onePage(db, p), SEQ, shape, p, dialect))));
    const row = await this.runner.one(statement, withFieldNames({ ...sliceParams(SEQ, slice), sessionId, liveAt }, fields));
    return row!.json as string;
  }

  whole(sessionId: string, fields: WireFields<Message>, ceiling: number, liveAt: string, known?: HistoryVersion): Promise<WholeHistory | 'absent' | 'too-long'> {
    return this.versioned.whole(sessionId, fields, ceiling, liveAt, known);
  }

  last(sessionId: string, count: number, fields: WireFields<Message>, liveAt: string, known?: HistoryVersion): Promise<HistoryTail | 'absent'> {
    return this.versioned.last(sessionId, count, fields, liveAt, known);
  }

  // --- clearing -----------------------------------------------------------------------------------

  clear(sessionId: string, liveAt: string): Promise<number> {
    const { clearHistory, clearedSession, clearSuperseded, clearOperations, bumpHistoryEpoch } = this.sql;
    const appendEvents = this.appendEvents;
    return this.runner.transaction(function* () {
      const deleted = yield* tx.write(clearHistory, { sessionId, liveAt });
      yield* tx.write(clearSuperseded, { sessionId, liveAt });
      yield* tx.write(clearOperations, { sessionId, liveAt });
      if (deleted === 0) return 0;
      yield* tx.write(bumpHistoryEpoch, { sessionId });
      const session = yield* tx.one(clearedSession, { sessionId });
      if (session) yield* appendEvents(eventsOf.historyCleared({ id: sessionId, agentName: session.agent_name as string }, deleted));
      return deleted;
    });
  }

  // --- maintenance --------------------------------------------------------------------------------

  pagesIncludingExpired(sessionIds: readonly string[], slice: Slice<number>): Promise<Map<string, Message[]>> {
    return this.pages(sessionIds, slice, ANY_TIME);
  }

  countsIncludingExpired(sessionIds: readonly string[]): Promise<Map<string, number>> {
    return this.counts(sessionIds, ANY_TIME);
  }

  byIdsIncludingExpired(ids: readonly string[]): Promise<Message[]> {
    return this.byIds(ids, ANY_TIME);
  }
}
