/**
 * Versioned schema of the SQLite backend. Append new migrations; never edit an applied one.
 * Version 1 is the original service's six tables and indexes, plus what correctness needs:
 * a per-session message sequence (`history.seq`, fed by `sessions.last_seq`) so that history keeps
 * insertion order even within one millisecond, `cache.expires_at` so that expiry is one indexed
 * comparison, CHECK constraints for enums, and indexes that match the keyset queries.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        agent_name TEXT NOT NULL,
        user_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
        metadata TEXT NOT NULL DEFAULT '{}',
        last_seq INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX idx_sessions_agent ON sessions(agent_name, id);
      CREATE INDEX idx_sessions_status ON sessions(status, id);
      CREATE INDEX idx_sessions_user ON sessions(user_id, id);

      CREATE TABLE history (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system', 'tool')),
        content TEXT NOT NULL,
        timestamp TEXT NOT NULL,
        metadata TEXT NOT NULL DEFAULT '{}',
        UNIQUE (session_id, seq)
      );

      CREATE TABLE state (
        session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
        data TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE artifacts (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        path TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size >= 0),
        created_at TEXT NOT NULL,
        metadata TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX idx_artifacts_session ON artifacts(session_id, id);

      -- No foreign key: metrics outlive their session, as in the original service.
      CREATE TABLE metrics (
        id TEXT PRIMARY KEY,
        entity_type TEXT NOT NULL,
        entity_name TEXT NOT NULL,
        session_id TEXT,
        metric_name TEXT NOT NULL,
        value REAL NOT NULL,
        timestamp TEXT NOT NULL,
        labels TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX idx_metrics_entity ON metrics(entity_type, entity_name, timestamp, id);
      CREATE INDEX idx_metrics_session ON metrics(session_id, timestamp, id);
      CREATE INDEX idx_metrics_name ON metrics(metric_name, timestamp, id);
      CREATE INDEX idx_metrics_time ON metrics(timestamp, id);

      CREATE TABLE cache (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        ttl INTEGER,
        created_at TEXT NOT NULL,
        accessed_at TEXT NOT NULL,
        expires_at TEXT
      );
      CREATE INDEX idx_cache_expires ON cache(expires_at) WHERE expires_at IS NOT NULL;
    `,
  },
];
