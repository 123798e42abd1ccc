import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type Keyset, pageOf, type SliceShape } from '../../db/paging.js';
import { inList, typed } from '../../db/portable.js';
import type { Row } from '../../db/runner.js';
import type { Database } from '../../db/schema.js';
import { defineStatementFamily, defineStatements, type Dialect, type Params, type Placeholders } from '../../db/statements.js';
import type { JsonObject } from '../../domain/json.js';
import { type CheckpointKey, checkpointKeyText } from './model.js';

/**
 * The checkpoint store's statements, written once for both databases; the few pieces that differ
 * (reading JSON lists and objects) sit side by side below, each saying why.
 */

export interface CheckpointFilter {
  threadId: string | null;
  namespace: string | null;
  /** Only checkpoints with a lower id. */
  before: string | null;
  metadata: JsonObject | null;
}

/** Newest first; among equal ids (copies, namespaces) by thread then namespace: a total order. */
export const newestFirst: Keyset<CheckpointKey> = {
  columns: ['checkpoint_id', 'thread_id', 'checkpoint_ns'],
  pgTypes: ['text', 'text', 'text'],
  desc: true,
  values: (k) => [k.id, k.threadId, k.namespace],
};

/** The thread a row names (a column) exists and is live at `liveAt`. */
const liveThread = (column: string, liveAt: RawBuilder<unknown>) =>
  sql<boolean>`EXISTS (SELECT 1 FROM threads t_ WHERE t_.id = ${sql.ref(column)} AND (t_.expires_at IS NULL OR t_.expires_at > ${liveAt}))`;

/**
 * The checkpoints a JSON list parameter of [thread, namespace, id] triples names, as a table `k_`.
 * SQLite reads JSON with json_each, PostgreSQL with json_array_elements (it has no json_each over
 * an array).
 */
function keyTable(keys: RawBuilder<unknown>, dialect: Dialect): RawBuilder<unknown> {
  return dialect === 'sqlite'
    ? sql`(SELECT value ->> 0 AS thread_id, value ->> 1 AS checkpoint_ns, value ->> 2 AS checkpoint_id FROM json_each(${keys})) k_`
    : sql`(SELECT e ->> 0 AS thread_id, e ->> 1 AS checkpoint_ns, e ->> 2 AS checkpoint_id FROM json_array_elements(${keys}::json) e) k_`;
}

/**
 * A checkpoint `c_`'s channel versions as rows `v_` (the channel is `v_.key`), by a table function
 * that may name `c_` on both databases.
 */
const versionRows = (dialect: Dialect): RawBuilder<unknown> =>
  dialect === 'sqlite' ? sql`json_each(c_.channel_versions) v_` : sql`json_each_text(c_.channel_versions) v_`;
/**
 * A version as `versionText` (String() in JavaScript) wrote it beside its value. SQLite's json_each
 * gives a number as a REAL, whose text may have more digits than JavaScript's (2.930565014390394
 * reads back 2.9305650143903939): its JSON text (`->` at the member's path) is the number as
 * written. PostgreSQL's json_each_text over a `json` column keeps the text as written.
 */
const versionOf = (dialect: Dialect): RawBuilder<unknown> =>
  dialect === 'sqlite' ? sql`CASE WHEN v_.type = 'text' THEN v_.value ELSE c_.channel_versions -> v_.fullkey END` : sql`v_.value`;

/**
 * Metadata equal to a filter (JSON object parameter) on each of its top-level keys, compared as
 * JSON text: an object or array must match with its keys in the same order. SQLite walks both
 * objects with json_each (type and value); PostgreSQL's `json -> key` keeps a member's text, but
 * refuses to parse a string holding the escape \u0000 (its text type cannot hold NUL): both sides
 * are read with that escape written \ufffd, an escape JSON.stringify (which wrote both) never
 * writes, so equal texts stay equal and different ones different.
 */
function metadataMatches(filter: RawBuilder<unknown>, dialect: Dialect): RawBuilder<boolean> {
  if (dialect === 'sqlite') {
    return sql<boolean>`NOT EXISTS (SELECT 1 FROM json_each(${filter}) f_ WHERE NOT EXISTS (
      SELECT 1 FROM json_each(thread_checkpoints.metadata) m_ WHERE m_.key = f_.key AND m_.type = f_.type AND m_.value IS f_.value))`;
  }
  const parsable = (text: RawBuilder<unknown>) => sql`replace(${text}, '\\u0000', '\\ufffd')::json`;
  return sql<boolean>`NOT EXISTS (SELECT 1 FROM json_each(${parsable(sql`${filter}::text`)}) f_
    WHERE (${parsable(sql`thread_checkpoints.metadata::text`)} -> f_.key)::text IS DISTINCT FROM f_.value::text)`;
}

type ThreadParams = { id: string; createdAt: string; updatedAt: string; ttlSeconds: number | null; expiresAt: string | null };
type CheckpointParams = {
  threadId: string; namespace: string; id: string; parentId: string | null; type: string;
  data: Uint8Array; metadata: string; channelVersions: string; createdAt: string;
};
type ValueParams = { threadId: string; namespace: string; channel: string; version: string; type: string; data: Uint8Array | null };
type ValueArrays = { threadId: string; namespace: string; channels: string[]; versions: string[]; types: string[]; data: (string | null)[] };
type WriteParams = { threadId: string; namespace: string; checkpointId: string; taskId: string; idx: number; channel: string; type: string; data: Uint8Array; taskPath: string };
type WriteArrays = { threadId: string; namespace: string; checkpointId: string; taskId: string; taskPath: string; idxs: number[]; channels: string[]; types: string[]; data: string[] };
type Copy = { source: string; target: string };

// LangGraph's special writes (negative idx) replace what is there; the others keep the first one.
const SPECIAL_WRITES_OVERWRITE = sql`ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) DO UPDATE
  SET channel = excluded.channel, type = excluded.type, value = excluded.value, task_path = excluded.task_path WHERE excluded.idx < 0`;

export const statements = defineStatements({
  threadsByIds: (db, p: Placeholders<{ ids: string[]; liveAt: string }>, dialect) =>
    db.selectFrom('threads').selectAll().where(inList('id', p('ids'), dialect)).where(sql<boolean>`(expires_at IS NULL OR expires_at > ${p('liveAt')})`),
  /** A write's look at its thread, expired or not. */
  threadForWrite: (db, p: Placeholders<{ id: string }>) => db.selectFrom('threads').selectAll().where('id', '=', p('id')),
  deleteThreadRow: (db, p: Placeholders<{ id: string }>) => db.deleteFrom('threads').where('id', '=', p('id')),
  upsertThread: (db, p: Placeholders<ThreadParams>) =>
    db
      .insertInto('threads')
      .values({ id: p('id'), created_at: p('createdAt'), updated_at: p('updatedAt'), ttl_seconds: p('ttlSeconds'), expires_at: p('expiresAt') })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          updated_at: eb.ref('excluded.updated_at'),
          ttl_seconds: eb.ref('excluded.ttl_seconds'),
          expires_at: eb.ref('excluded.expires_at'),
        })),
      )
      .returningAll(),

  upsertCheckpoint: (db, p: Placeholders<CheckpointParams>) =>
    db
      .insertInto('thread_checkpoints')
      .values({
        thread_id: p('threadId'), checkpoint_ns: p('namespace'), checkpoint_id: p('id'), parent_checkpoint_id: p('parentId'), type: p('type'),
        checkpoint: p('data'), metadata: p('metadata'), channel_versions: p('channelVersions'), created_at: p('createdAt'),
      })
      .onConflict((oc) =>
        oc.columns(['thread_id', 'checkpoint_ns', 'checkpoint_id']).doUpdateSet((eb) => ({
          parent_checkpoint_id: eb.ref('excluded.parent_checkpoint_id'),
          type: eb.ref('excluded.type'),
          checkpoint: eb.ref('excluded.checkpoint'),
          metadata: eb.ref('excluded.metadata'),
          channel_versions: eb.ref('excluded.channel_versions'),
        })),
      ),

  // A channel's value at a version never changes: a second put of it keeps the first.
  insertChannelValue: (db, p: Placeholders<ValueParams>) =>
    db
      .insertInto('thread_channel_values')
      .values({ thread_id: p('threadId'), checkpoint_ns: p('namespace'), channel: p('channel'), version: p('version'), type: p('type'), value: p('data') })
      .onConflict((oc) => oc.doNothing()),
  insertChannelValues: (_db, p: Placeholders<ValueArrays>) =>
    sql`INSERT INTO thread_channel_values (thread_id, checkpoint_ns, channel, version, type, value)
      SELECT ${p('threadId')}::text, ${p('namespace')}::text, v.channel, v.version, v.type, decode(v.data, 'base64')
      FROM unnest(${p('channels')}::text[], ${p('versions')}::text[], ${p('types')}::text[], ${p('data')}::text[]) AS v(channel, version, type, data)
      ON CONFLICT DO NOTHING`,

  insertWrite: (db, p: Placeholders<WriteParams>) =>
    sql`INSERT INTO thread_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, task_path)
      VALUES (${p('threadId')}, ${p('namespace')}, ${p('checkpointId')}, ${p('taskId')}, ${p('idx')}, ${p('channel')}, ${p('type')}, ${p('data')}, ${p('taskPath')})
      ${SPECIAL_WRITES_OVERWRITE}`,
  insertWrites: (_db, p: Placeholders<WriteArrays>) =>
    sql`INSERT INTO thread_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, task_path)
      SELECT ${p('threadId')}::text, ${p('namespace')}::text, ${p('checkpointId')}::text, ${p('taskId')}::text, w.idx, w.channel, w.type, decode(w.data, 'base64'), ${p('taskPath')}::text
      FROM unnest(${p('idxs')}::integer[], ${p('channels')}::text[], ${p('types')}::text[], ${p('data')}::text[]) AS w(idx, channel, type, data)
      ${SPECIAL_WRITES_OVERWRITE}`,

  checkpointById: (db, p: Placeholders<{ threadId: string; namespace: string; id: string; liveAt: string }>) =>
    db
      .selectFrom('thread_checkpoints')
      .selectAll()
      .where('thread_id', '=', p('threadId'))
      .where('checkpoint_ns', '=', p('namespace'))
      .where('checkpoint_id', '=', p('id'))
      .where(liveThread('thread_checkpoints.thread_id', p('liveAt'))),
  latestCheckpoint: (db, p: Placeholders<{ threadId: string; namespace: string; liveAt: string }>) =>
    db
      .selectFrom('thread_checkpoints')
      .selectAll()
      .where('thread_id', '=', p('threadId'))
      .where('checkpoint_ns', '=', p('namespace'))
      .where(liveThread('thread_checkpoints.thread_id', p('liveAt')))
      .orderBy('checkpoint_id', 'desc')
      .limit(sql.lit(1)),

  // Joined as CROSS JOINs, which SQLite takes in the order written (PostgreSQL plans them freely):
  // each checkpoint, then each of its channel versions, then that version's value by its key.
  // Left to itself SQLite reads every value of the namespace for each checkpoint instead.
  channelValuesOf: (_db, p: Placeholders<{ keys: string; liveAt: string }>, dialect) =>
    sql`SELECT c_.thread_id, c_.checkpoint_ns, c_.checkpoint_id, b_.channel, b_.version, b_.type, b_.value
      FROM ${keyTable(p('keys'), dialect)}
      CROSS JOIN thread_checkpoints c_
      CROSS JOIN ${versionRows(dialect)}
      CROSS JOIN thread_channel_values b_
      WHERE c_.thread_id = k_.thread_id AND c_.checkpoint_ns = k_.checkpoint_ns AND c_.checkpoint_id = k_.checkpoint_id
        AND b_.thread_id = c_.thread_id AND b_.checkpoint_ns = c_.checkpoint_ns AND b_.channel = v_.key AND b_.version = ${versionOf(dialect)}
        AND ${liveThread('c_.thread_id', p('liveAt'))}
      ORDER BY b_.channel`,
  pendingWritesOf: (_db, p: Placeholders<{ keys: string; liveAt: string }>, dialect) =>
    sql`SELECT pw_.* FROM ${keyTable(p('keys'), dialect)}
      JOIN thread_writes pw_ ON pw_.thread_id = k_.thread_id AND pw_.checkpoint_ns = k_.checkpoint_ns AND pw_.checkpoint_id = k_.checkpoint_id
      WHERE ${liveThread('pw_.thread_id', p('liveAt'))}
      ORDER BY pw_.task_path, pw_.task_id, pw_.idx`,

  deleteThread: (db, p: Placeholders<{ id: string; liveAt: string }>) =>
    db
      .deleteFrom('threads')
      .where('id', '=', p('id'))
      .returning(sql<boolean>`CASE WHEN expires_at IS NULL OR expires_at > ${p('liveAt')} THEN 1 ELSE 0 END`.as('live')),

  copyThreadRow: (_db, p: Placeholders<ThreadParams>) =>
    sql`INSERT INTO threads (id, created_at, updated_at, ttl_seconds, expires_at)
      VALUES (${p('id')}, ${p('createdAt')}, ${p('updatedAt')}, ${p('ttlSeconds')}, ${p('expiresAt')}) ON CONFLICT (id) DO NOTHING`,
  copyCheckpoints: (_db, p: Placeholders<Copy>) =>
    sql`INSERT INTO thread_checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata, channel_versions, created_at)
      SELECT ${p('target')}, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata, channel_versions, created_at
      FROM thread_checkpoints WHERE thread_id = ${p('source')}`,
  copyChannelValues: (_db, p: Placeholders<Copy>) =>
    sql`INSERT INTO thread_channel_values (thread_id, checkpoint_ns, channel, version, type, value)
      SELECT ${p('target')}, checkpoint_ns, channel, version, type, value FROM thread_channel_values WHERE thread_id = ${p('source')}`,
  copyWrites: (_db, p: Placeholders<Copy>) =>
    sql`INSERT INTO thread_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, task_path)
      SELECT ${p('target')}, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, task_path FROM thread_writes WHERE thread_id = ${p('source')}`,

  pruneCheckpoints: (_db, p: Placeholders<{ ids: string[]; keep: number }>, dialect) =>
    sql`DELETE FROM thread_checkpoints WHERE ${inList('thread_id', p('ids'), dialect)} AND (thread_id, checkpoint_ns, checkpoint_id) IN (
      SELECT thread_id, checkpoint_ns, checkpoint_id FROM (
        SELECT thread_id, checkpoint_ns, checkpoint_id,
          ROW_NUMBER() OVER (PARTITION BY thread_id, checkpoint_ns ORDER BY checkpoint_id DESC) AS rn_
        FROM thread_checkpoints WHERE ${inList('thread_id', p('ids'), dialect)}) r_
      WHERE rn_ > ${typed(p('keep'), 'bigint', dialect)})`,
  // Writes of checkpoints that are gone; writes newer than every checkpoint of their namespace
  // stay: their checkpoint's put may still be on its way.
  pruneWrites: (_db, p: Placeholders<{ ids: string[] }>, dialect) =>
    sql`DELETE FROM thread_writes WHERE ${inList('thread_id', p('ids'), dialect)}
      AND NOT EXISTS (SELECT 1 FROM thread_checkpoints c_ WHERE c_.thread_id = thread_writes.thread_id
        AND c_.checkpoint_ns = thread_writes.checkpoint_ns AND c_.checkpoint_id = thread_writes.checkpoint_id)
      AND thread_writes.checkpoint_id < (SELECT MAX(c_.checkpoint_id) FROM thread_checkpoints c_
        WHERE c_.thread_id = thread_writes.thread_id AND c_.checkpoint_ns = thread_writes.checkpoint_ns)`,
  pruneChannelValues: (_db, p: Placeholders<{ ids: string[] }>, dialect) =>
    sql`DELETE FROM thread_channel_values WHERE ${inList('thread_id', p('ids'), dialect)}
      AND NOT EXISTS (SELECT 1 FROM thread_checkpoints c_ CROSS JOIN ${versionRows(dialect)}
        WHERE c_.thread_id = thread_channel_values.thread_id AND c_.checkpoint_ns = thread_channel_values.checkpoint_ns
          AND v_.key = thread_channel_values.channel AND ${versionOf(dialect)} = thread_channel_values.version)`,

  setThreadTtl: (db, p: Placeholders<{ id: string; ttlSeconds: number | null; at: string; expiresAt: string | null }>) =>
    db
      .updateTable('threads')
      .set({ ttl_seconds: p('ttlSeconds'), updated_at: p('at'), expires_at: p('expiresAt') })
      .where('id', '=', p('id'))
      .where(sql<boolean>`(expires_at IS NULL OR expires_at > ${p('at')})`)
      .returningAll(),

});

type FilterShape = { thread: boolean; namespace: boolean; olderThan: boolean; metadata: boolean };

/** Checkpoints of live threads, of one thread or all, one namespace or all, before an id, matching metadata. */
function filtered(db: Kysely<Database>, shape: FilterShape, p: Placeholders<Params>, dialect: Dialect) {
  let query = db.selectFrom('thread_checkpoints').where(liveThread('thread_checkpoints.thread_id', p('liveAt')));
  if (shape.thread) query = query.where('thread_id', '=', p('threadId') as RawBuilder<string>);
  if (shape.namespace) query = query.where('checkpoint_ns', '=', p('namespace') as RawBuilder<string>);
  if (shape.olderThan) query = query.where('checkpoint_id', '<', p('olderThan') as RawBuilder<string>);
  if (shape.metadata) query = query.where(metadataMatches(p('metadata'), dialect));
  return query;
}

export const listCheckpoints = defineStatementFamily('listCheckpoints', (shape: SliceShape & FilterShape) => (db, p, dialect) =>
  pageOf(filtered(db, shape, p, dialect).selectAll(), newestFirst, shape, p, dialect),
);
export const countCheckpoints = defineStatementFamily('countCheckpoints', (shape: FilterShape) => (db, p, dialect) =>
  filtered(db, shape, p, dialect).select(sql<number>`COUNT(*)`.as('n')),
);


export const filterShape = (f: CheckpointFilter): FilterShape => ({
  thread: f.threadId !== null,
  namespace: f.namespace !== null,
  olderThan: f.before !== null,
  metadata: f.metadata !== null,
});

export function filterParams(f: CheckpointFilter, liveAt: string): Params {
  return {
    liveAt,
    ...(f.threadId !== null && { threadId: f.threadId }),
    ...(f.namespace !== null && { namespace: f.namespace }),
    ...(f.before !== null && { olderThan: f.before }),
    ...(f.metadata !== null && { metadata: JSON.stringify(f.metadata) }),
  };
}

/** Each checkpoint once (a request may ask for one twice), as the JSON triples `keyTable` reads. */
export const keysJson = (keys: readonly CheckpointKey[]): string =>
  JSON.stringify([...new Map(keys.map((k) => [checkpointKeyText(k), [k.threadId, k.namespace, k.id]])).values()]);

export const rowKey = (r: Row): string => checkpointKeyText({ threadId: r.thread_id as string, namespace: r.checkpoint_ns as string, id: r.checkpoint_id as string });
