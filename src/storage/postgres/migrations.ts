import type { Migration } from '../sqlite/migrations.js';

/**
 * Versioned schema of the PostgreSQL backend: the same tables as SQLite's, in PostgreSQL's types.
 * Append new migrations; never edit an applied one.
 *
 * - Ids and names use `COLLATE "C"`, so that keyset order is byte order, as in SQLite, whatever
 *   the database's default collation.
 * - JSON columns are `json`, not `jsonb`: `json` keeps the exact text (key order, `\u0000` and
 *   lone-surrogate escapes), which `jsonb` rewrites or refuses.
 * - `text` cannot hold NUL characters, so message content holding one is stored JSON-encoded and
 *   flagged by `content_encoding = 1`; every other content is stored as is.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE sessions (
        id text COLLATE "C" PRIMARY KEY,
        agent_name text COLLATE "C" NOT NULL,
        user_id text COLLATE "C",
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
        metadata json NOT NULL DEFAULT '{}',
        last_seq bigint NOT NULL DEFAULT 0
      );
      CREATE INDEX idx_sessions_agent ON sessions (agent_name, id);
      CREATE INDEX idx_sessions_status ON sessions (status, id);
      CREATE INDEX idx_sessions_user ON sessions (user_id, id);

      CREATE TABLE history (
        id text COLLATE "C" PRIMARY KEY,
        session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        role text NOT NULL CHECK (role IN ('user', 'assistant', 'system', 'tool')),
        content text NOT NULL,
        content_encoding smallint NOT NULL DEFAULT 0,
        timestamp timestamptz NOT NULL,
        metadata json NOT NULL DEFAULT '{}',
        UNIQUE (session_id, seq)
      );

      CREATE TABLE state (
        session_id text COLLATE "C" PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
        data json NOT NULL,
        updated_at timestamptz NOT NULL
      );

      CREATE TABLE artifacts (
        id text COLLATE "C" PRIMARY KEY,
        session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        name text NOT NULL,
        type text NOT NULL,
        path text NOT NULL,
        size bigint NOT NULL CHECK (size >= 0),
        created_at timestamptz NOT NULL,
        metadata json NOT NULL DEFAULT '{}'
      );
      CREATE INDEX idx_artifacts_session ON artifacts (session_id, id);

      -- No foreign key: metrics outlive their session, as in the original service.
      CREATE TABLE metrics (
        id text COLLATE "C" PRIMARY KEY,
        entity_type text COLLATE "C" NOT NULL,
        entity_name text COLLATE "C" NOT NULL,
        session_id text COLLATE "C",
        metric_name text COLLATE "C" NOT NULL,
        value double precision NOT NULL,
        timestamp timestamptz NOT NULL,
        labels json NOT NULL DEFAULT '{}'
      );
      CREATE INDEX idx_metrics_entity ON metrics (entity_type, entity_name, timestamp, id);
      CREATE INDEX idx_metrics_session ON metrics (session_id, timestamp, id);
      CREATE INDEX idx_metrics_name ON metrics (metric_name, timestamp, id);
      CREATE INDEX idx_metrics_time ON metrics (timestamp, id);

      CREATE TABLE cache (
        key text COLLATE "C" PRIMARY KEY,
        value json NOT NULL,
        ttl integer,
        created_at timestamptz NOT NULL,
        accessed_at timestamptz NOT NULL,
        expires_at timestamptz
      );
      CREATE INDEX idx_cache_expires ON cache (expires_at) WHERE expires_at IS NOT NULL;
    `,
  },
];
