import type { DatabaseConfig } from '../config.js';
import type { StorageBackend } from './backend.js';
import { SqliteBackend } from './sqlite/sqlite-backend.js';

export interface OpenOptions {
  sqliteBusyTimeoutMs?: number;
  onQuery?: (name: string) => void;
}

/** The one place that turns a `DATABASE_URL` into a backend. */
export async function openBackend(database: DatabaseConfig, options: OpenOptions = {}): Promise<StorageBackend> {
  switch (database.kind) {
    case 'sqlite':
      return new SqliteBackend({ filename: database.filename, busyTimeoutMs: options.sqliteBusyTimeoutMs, onQuery: options.onQuery });
    case 'postgres':
      throw new Error('DATABASE_URL names PostgreSQL, which this version does not support yet; use sqlite:<path>');
  }
}
