import Database from 'better-sqlite3';
import pg from 'pg';

/**
 * The space a LangGraph thread takes in the service's database: the bytes of its rows in every
 * table that holds a thread (the thread, its checkpoints, channel values and pending writes).
 * SQLite: the stored length of each column (blobs and text as bytes); PostgreSQL: pg_column_size of
 * each row. Indexes and page slack are left out: they follow the rows.
 */

const TABLES: { table: string; key: string }[] = [
  { table: 'threads', key: 'id' },
  { table: 'thread_checkpoints', key: 'thread_id' },
  { table: 'thread_channel_values', key: 'thread_id' },
  { table: 'thread_writes', key: 'thread_id' },
];

export interface ThreadSpace {
  bytes: number;
  rows: number;
}

export async function threadSpace(databaseUrl: string, threadId: string): Promise<ThreadSpace> {
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new Database(databaseUrl.slice('sqlite:'.length), { readonly: true });
    try {
      let bytes = 0;
      let rows = 0;
      for (const { table, key } of TABLES) {
        const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => `coalesce(length(CAST(${c.name} AS BLOB)), 0)`);
        const r = db.prepare(`SELECT coalesce(sum(${columns.join(' + ')}), 0) AS bytes, count(*) AS rows FROM ${table} WHERE ${key} = ?`).get(threadId) as ThreadSpace;
        bytes += r.bytes;
        rows += r.rows;
      }
      return { bytes, rows };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    let bytes = 0;
    let rows = 0;
    for (const { table, key } of TABLES) {
      const r = await client.query<{ bytes: string; rows: string }>(`SELECT coalesce(sum(pg_column_size(t.*)), 0) AS bytes, count(*) AS rows FROM ${table} t WHERE ${key} = $1`, [threadId]);
      bytes += Number(r.rows[0]!.bytes);
      rows += Number(r.rows[0]!.rows);
    }
    return { bytes, rows };
  } finally {
    await client.end();
  }
}
