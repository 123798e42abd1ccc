import { type Kysely, sql } from 'kysely';
import { isLive } from '../../db/live.js';
import type { AnySelect } from '../../db/paging.js';
import type { Database } from '../../db/schema.js';
import { compileStatement, type Dialect, type Params, type Placeholders, type Statement } from '../../db/statements.js';
import type { Message } from '../../domain/records.js';
import type { WireFields } from '../../domain/wire.js';

/**
 * SQLite writes a history's JSON itself (json_group_array of json_object) and hands it over as one
 * string: no row becomes a JS object and no metadata is parsed and stringified again. The field
 * names are parameters (`name0`, …: `withFieldNames`). PostgreSQL serializes from the records
 * instead (`wireArrayJson`): its driver parses every row anyway. The history store (store.ts) runs
 * these statements.
 */

/**
 * Each field of a message as a JSON value in SQLite: what `messageOf` makes of the column, so that
 * the JSON built in SQL is what `wireArrayJson` of the records would be (metadata is stored JSON
 * text, embedded as JSON, not as a string).
 */
const MESSAGE_JSON_COLUMNS: Record<keyof Message, string> = {
  id: 'id',
  sessionId: 'session_id',
  seq: 'seq',
  role: 'role',
  content: 'content',
  item: 'json(item)',
  timestamp: 'timestamp',
  metadata: 'json(metadata)',
  idempotencyKey: 'idempotency_key',
  tokenCount: 'token_count',
};

/** The JSON array of the messages of a row source (ordered by seq), with `fields`. */
function jsonArrayOf(fields: WireFields<Message>, p: Placeholders<Params>) {
  const pairs = fields.map(([, field], i) => sql`${p(`name${i}`)}, ${sql.raw(MESSAGE_JSON_COLUMNS[field])}`);
  return sql`json_group_array(json_object(${sql.join(pairs)}) ORDER BY seq)`;
}

/** `params` with the names of `fields`, as the statements below take them. */
export function withFieldNames(params: Params, fields: WireFields<Message>): Params {
  const named: Params = { ...params };
  fields.forEach(([name], i) => (named[`name${i}`] = name));
  return named;
}

/** A page of one session's messages, as the store reads it. */
export type HistoryPageQuery = (db: Kysely<Database>, p: Placeholders<Params>, dialect: Dialect) => AnySelect;

/** The JSON of a page of a history (`HistoryStore.json`): one row, `json`. */
export function historyJsonStatement(fields: WireFields<Message>, page: HistoryPageQuery): Statement {
  return compileStatement(
    'historyJson',
    (db, p: Placeholders<Params>, dialect) => db.selectFrom(page(db, p, dialect).as('page_')).select(jsonArrayOf(fields, p).as('json')),
    'sqlite',
  );
}

/**
 * A history's version and the JSON of its messages after `after` (at most `limit`), in one
 * statement, so that the two agree (cache.ts): one row (`epoch_`, `last_seq_`, `json`, `n`), none
 * when the session is unknown or not live. `fromEnd`: its newest `limit` messages instead (in
 * order; `after` is not a parameter then) — a tail read with its ETag.
 */
export function historyTailStatement(fields: WireFields<Message>, fromEnd = false): Statement {
  return compileStatement(
    fromEnd ? 'historyEndJson' : 'historyTailJson',
    (_db, p: Placeholders<Params>) => {
      const messages = fromEnd
        ? sql`SELECT * FROM history WHERE session_id = ${p('sessionId')} ORDER BY seq DESC LIMIT ${p('limit')}`
        : sql`SELECT * FROM history WHERE session_id = ${p('sessionId')} AND seq > ${p('after')} ORDER BY seq LIMIT ${p('limit')}`;
      return sql`SELECT s.history_epoch AS epoch_, s.last_seq AS last_seq_, t_.json, t_.n
        FROM sessions s, (SELECT ${jsonArrayOf(fields, p)} AS json, COUNT(*) AS n FROM (${messages})) t_
        WHERE s.id = ${p('sessionId')} AND ${isLive(p('liveAt'), 's')}`;
    },
    'sqlite',
  );
}
