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
 *
 * Version 2 is safe concurrency: state versions (compare-and-set), idempotency keys of appends, and
 * forks (a session's parent and the message it was cut at).
 *
 * Version 3 is API keys; version 4 the change feed (events, appended in the transaction of each write);
 * version 5 retention (a session's expiry); version 6 the long-term memory store (modules/memory);
 * version 7 LangGraph checkpoints (modules/checkpoints/); version 8 structured items, superseded history and
 * history operations; version 9 search over the history (modules/search/) and messages' token counts;
 * version 10 the knowledge graph of the MCP memory tools (modules/graph/); version 14 the state's version
 * history (modules/state/).
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
  {
    version: 2,
    name: 'state versions, idempotent appends, forks',
    sql: `
      -- Existing states are at version 1: every write from now on adds one.
      ALTER TABLE state ADD COLUMN version bigint NOT NULL DEFAULT 1 CHECK (version >= 1);

      -- A client's key for an append, unique within its session; most messages have none.
      ALTER TABLE history ADD COLUMN idempotency_key text COLLATE "C";
      CREATE UNIQUE INDEX idx_history_idempotency ON history (session_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

      -- Deleting a parent leaves its forks, which forget it. The message is a record of where the fork
      -- was cut, not a reference: it may outlive its history (cleared) or its session (deleted).
      ALTER TABLE sessions ADD COLUMN parent_id text COLLATE "C" REFERENCES sessions (id) ON DELETE SET NULL;
      ALTER TABLE sessions ADD COLUMN forked_from_message_id text COLLATE "C";
      -- A session's forks (Session.forks), and the foreign key's own look-up when a session is deleted.
      CREATE INDEX idx_sessions_parent ON sessions (parent_id, id) WHERE parent_id IS NOT NULL;
    `,
  },
  {
    version: 3,
    name: 'api keys',
    sql: `
      -- Read only in the default tenant's schema (see storage/tenants.ts); only the hash of a key is kept.
      CREATE TABLE api_keys (
        id text COLLATE "C" PRIMARY KEY,
        tenant text COLLATE "C" NOT NULL,
        name text,
        scopes text[] NOT NULL,
        key_hash text COLLATE "C" NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX idx_api_keys_tenant ON api_keys (tenant, id);
    `,
  },
  {
    version: 4,
    name: 'change feed',
    sql: `
      -- One row per event, appended in the transaction of the write it describes; no foreign key:
      -- events outlive their session. seq is NOT a sequence: a sequence hands out numbers in call
      -- order, and transactions may commit in another, so a reader at seq N could miss a lower seq
      -- committed later. seq comes from event_log.last_seq, whose row stays locked until commit:
      -- the next writer gets its number only after, so seq order is commit order.
      CREATE TABLE events (
        seq bigint PRIMARY KEY,
        type text COLLATE "C" NOT NULL,
        session_id text COLLATE "C" NOT NULL,
        agent_name text COLLATE "C" NOT NULL,
        time timestamptz NOT NULL,
        payload json NOT NULL
      );
      CREATE INDEX idx_events_session ON events (session_id, seq);
      CREATE INDEX idx_events_agent ON events (agent_name, seq);
      CREATE INDEX idx_events_time ON events (time);

      -- last_seq: the counter (see above); pruned_through: the highest seq pruning may have removed.
      CREATE TABLE event_log (
        id integer PRIMARY KEY CHECK (id = 1),
        last_seq bigint NOT NULL DEFAULT 0,
        pruned_through bigint NOT NULL DEFAULT 0
      );
      INSERT INTO event_log (id) VALUES (1);
    `,
  },
  {
    version: 5,
    name: 'retention: session expiry',
    sql: `
      -- Null: the session never expires (every existing session).
      ALTER TABLE sessions ADD COLUMN expires_at timestamptz;
      -- The sweeper's walk through expired sessions, in (expires_at, id) order; most sessions have none.
      CREATE INDEX idx_sessions_expires ON sessions (expires_at, id) WHERE expires_at IS NOT NULL;
      -- The walk of the idle and ended rules: one status, in (updated_at, id) order.
      CREATE INDEX idx_sessions_status_updated ON sessions (status, updated_at, id);
    `,
  },
  {
    version: 6,
    name: 'memory store',
    sql: `
      -- LangGraph's store items. namespace: the labels joined by '.' (no label holds one), so the
      -- items below a prefix are one range of the primary key under COLLATE "C".
      -- search_vector: the words of the values (modules/memory/text.ts), derived in the row's own write.
      CREATE TABLE memory_items (
        namespace text COLLATE "C" NOT NULL,
        key text COLLATE "C" NOT NULL,
        value json NOT NULL,
        search_text text NOT NULL,
        search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        ttl_minutes double precision CHECK (ttl_minutes > 0),
        expires_at timestamptz,
        PRIMARY KEY (namespace, key)
      );
      CREATE INDEX idx_memory_items_expires ON memory_items (expires_at) WHERE expires_at IS NOT NULL;
      CREATE INDEX idx_memory_items_search ON memory_items USING GIN (search_vector);

      -- The client's embeddings of an item, one per field path; they go with the item.
      CREATE TABLE memory_vectors (
        namespace text COLLATE "C" NOT NULL,
        key text COLLATE "C" NOT NULL,
        field text NOT NULL,
        vector bytea NOT NULL,
        PRIMARY KEY (namespace, key, field),
        FOREIGN KEY (namespace, key) REFERENCES memory_items (namespace, key) ON DELETE CASCADE
      );
    `,
  },
  {
    version: 7,
    name: 'checkpoints',
    sql: `
      -- As SQLite's (see there); bytes are bytea, metadata and channel_versions json (exact text).
      CREATE TABLE threads (
        id text COLLATE "C" PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        ttl_seconds integer CHECK (ttl_seconds > 0),
        expires_at timestamptz
      );
      CREATE INDEX idx_threads_expires ON threads (expires_at, id) WHERE expires_at IS NOT NULL;
      CREATE INDEX idx_threads_updated ON threads (updated_at, id);

      CREATE TABLE thread_checkpoints (
        thread_id text COLLATE "C" NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        checkpoint_ns text COLLATE "C" NOT NULL DEFAULT '',
        checkpoint_id text COLLATE "C" NOT NULL,
        parent_checkpoint_id text COLLATE "C",
        type text NOT NULL,
        checkpoint bytea NOT NULL,
        metadata json NOT NULL,
        channel_versions json NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
      );
      CREATE INDEX idx_thread_checkpoints_id ON thread_checkpoints (checkpoint_id, thread_id, checkpoint_ns);
      CREATE INDEX idx_thread_checkpoints_thread ON thread_checkpoints (thread_id, checkpoint_id, checkpoint_ns);

      CREATE TABLE thread_channel_values (
        thread_id text COLLATE "C" NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        checkpoint_ns text COLLATE "C" NOT NULL,
        channel text COLLATE "C" NOT NULL,
        version text COLLATE "C" NOT NULL,
        type text NOT NULL,
        value bytea,
        PRIMARY KEY (thread_id, checkpoint_ns, channel, version)
      );

      CREATE TABLE thread_writes (
        thread_id text COLLATE "C" NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        checkpoint_ns text COLLATE "C" NOT NULL,
        checkpoint_id text COLLATE "C" NOT NULL,
        task_id text COLLATE "C" NOT NULL,
        idx integer NOT NULL,
        channel text NOT NULL,
        type text NOT NULL,
        value bytea NOT NULL,
        task_path text COLLATE "C" NOT NULL DEFAULT '',
        PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
      );
    `,
  },
  {
    version: 8,
    name: 'structured items, superseded history, history operations',
    sql: `
      -- As SQLite's (see there); the item is json (its exact text), times timestamptz.
      ALTER TABLE history ADD COLUMN item json;

      CREATE TABLE history_superseded (
        entry bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        id text COLLATE "C" NOT NULL,
        seq bigint NOT NULL,
        role text NOT NULL,
        content text NOT NULL,
        content_encoding smallint NOT NULL DEFAULT 0,
        item json,
        timestamp timestamptz NOT NULL,
        metadata json NOT NULL,
        idempotency_key text COLLATE "C",
        superseded_at timestamptz NOT NULL,
        reason text NOT NULL CHECK (reason IN ('popped', 'rewritten', 'compacted', 'replaced')),
        operation_id text COLLATE "C"
      );
      CREATE INDEX idx_history_superseded_session ON history_superseded (session_id, entry);

      CREATE TABLE history_operations (
        session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        operation_id text COLLATE "C" NOT NULL,
        request_sha256 text NOT NULL,
        superseded_ids text NOT NULL,
        message_ids text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (session_id, operation_id)
      );
    `,
  },
  {
    version: 9,
    name: 'history search, token counts',
    sql: `
      -- As SQLite's (see there): token counts, and the words a message is found by.
      ALTER TABLE history ADD COLUMN token_count integer CHECK (token_count >= 0);
      ALTER TABLE history_superseded ADD COLUMN token_count integer;
      ALTER TABLE history ADD COLUMN search_text text;
      -- The tsvector of search_text, set by a trigger rather than a generated column: adding a stored
      -- generated column rewrites the whole table under an exclusive lock, adding a plain column does
      -- not — messages stored before this version are indexed afterwards, in small batches, by the
      -- search module's indexer, while writes go on.
      ALTER TABLE history ADD COLUMN search_vector tsvector;
      CREATE FUNCTION history_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_vector := to_tsvector('simple', NEW.search_text);
        RETURN NEW;
      END
      $$;
      CREATE TRIGGER history_search_vector BEFORE INSERT OR UPDATE OF search_text ON history
        FOR EACH ROW EXECUTE FUNCTION history_search_vector();
      CREATE INDEX idx_history_search ON history USING GIN (search_vector);
      CREATE INDEX idx_history_unindexed ON history (id) WHERE search_text IS NULL;
    `,
  },
  {
    version: 10,
    name: 'knowledge graph',
    sql: `
      -- As SQLite's (see there); seq is an identity column, times timestamptz.
      CREATE TABLE graph_entities (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text COLLATE "C" NOT NULL UNIQUE,
        entity_type text COLLATE "C" NOT NULL,
        name_folded text COLLATE "C" NOT NULL,
        type_folded text COLLATE "C" NOT NULL,
        created_at timestamptz NOT NULL
      );

      CREATE TABLE graph_observations (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        entity_name text COLLATE "C" NOT NULL REFERENCES graph_entities (name) ON DELETE CASCADE,
        content text NOT NULL,
        content_folded text COLLATE "C" NOT NULL,
        content_sha256 text COLLATE "C" NOT NULL,
        created_at timestamptz NOT NULL,
        UNIQUE (entity_name, content_sha256)
      );

      CREATE TABLE graph_relations (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        from_name text COLLATE "C" NOT NULL,
        to_name text COLLATE "C" NOT NULL,
        relation_type text COLLATE "C" NOT NULL,
        relation_sha256 text COLLATE "C" NOT NULL UNIQUE,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX idx_graph_relations_from ON graph_relations (from_name);
      CREATE INDEX idx_graph_relations_to ON graph_relations (to_name);
    `,
  },
  {
    version: 11,
    name: 'session and artifact search',
    sql: `
      -- As the history's (version 9), for sessions (their metadata) and artifacts (name, type, metadata).
      CREATE FUNCTION search_vector_of_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_vector := to_tsvector('simple', NEW.search_text);
        RETURN NEW;
      END
      $$;
      ALTER TABLE sessions ADD COLUMN search_text text, ADD COLUMN search_vector tsvector;
      CREATE TRIGGER sessions_search_vector BEFORE INSERT OR UPDATE OF search_text ON sessions
        FOR EACH ROW EXECUTE FUNCTION search_vector_of_row();
      CREATE INDEX idx_sessions_search ON sessions USING GIN (search_vector);
      CREATE INDEX idx_sessions_unindexed ON sessions (id) WHERE search_text IS NULL;
      ALTER TABLE artifacts ADD COLUMN search_text text, ADD COLUMN search_vector tsvector;
      CREATE TRIGGER artifacts_search_vector BEFORE INSERT OR UPDATE OF search_text ON artifacts
        FOR EACH ROW EXECUTE FUNCTION search_vector_of_row();
      CREATE INDEX idx_artifacts_search ON artifacts USING GIN (search_vector);
      CREATE INDEX idx_artifacts_unindexed ON artifacts (id) WHERE search_text IS NULL;
    `,
  },
  {
    version: 12,
    name: 'artifact content',
    sql: `
      -- As SQLite's (version 12): blobs by sha256, a file each (chunk_size 0) or chunks in
      -- blob_chunks, which is where every replica finds them with BLOB_STORE=database (the default here).
      ALTER TABLE artifacts ADD COLUMN next_version integer NOT NULL DEFAULT 0;
      CREATE TABLE blobs (
        sha256 text COLLATE "C" PRIMARY KEY,
        size bigint NOT NULL CHECK (size >= 0),
        chunk_size integer NOT NULL CHECK (chunk_size >= 0),
        created_at timestamptz NOT NULL
      );
      CREATE TABLE artifact_contents (
        artifact_id text COLLATE "C" NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
        version integer NOT NULL CHECK (version >= 0),
        sha256 text COLLATE "C" NOT NULL REFERENCES blobs (sha256),
        size bigint NOT NULL CHECK (size >= 0),
        content_type text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (artifact_id, version)
      );
      CREATE INDEX idx_artifact_contents_sha256 ON artifact_contents (sha256);
      CREATE TABLE blob_chunks (
        owner text COLLATE "C" NOT NULL,
        seq integer NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (owner, seq)
      );
      -- The bytes are already compressed more often than not (images, PDFs, archives).
      ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
      CREATE TABLE blob_uploads (
        id text COLLATE "C" PRIMARY KEY,
        started_at timestamptz NOT NULL
      );
      CREATE TABLE blob_usage (
        id integer PRIMARY KEY CHECK (id = 1),
        bytes bigint NOT NULL,
        blobs bigint NOT NULL
      );
      INSERT INTO blob_usage (id, bytes, blobs) VALUES (1, 0, 0);
    `,
  },
  {
    version: 13,
    name: 'history epoch',
    sql: `
      -- As SQLite's (version 13): with last_seq, the version of a session's history that replicas'
      -- history caches check; a random start per session (a volatile default: each row its own).
      ALTER TABLE sessions ADD COLUMN history_epoch bigint NOT NULL DEFAULT floor(random() * 4503599627370496)::bigint;
    `,
  },
  {
    version: 14,
    name: 'state version history',
    sql: `
      -- As SQLite's (version 14): each state's last STATE_HISTORY_VERSIONS versions, the current one included.
      CREATE TABLE state_versions (
        session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        version bigint NOT NULL CHECK (version >= 1),
        data json NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (session_id, version)
      );
      INSERT INTO state_versions (session_id, version, data, updated_at) SELECT session_id, version, data, updated_at FROM state;
    `,
  },
  {
    version: 15,
    name: 'sessions by creation time',
    sql: `
      -- As SQLite's (version 15): the sessions list's time range on their creation.
      CREATE INDEX idx_sessions_created ON sessions (created_at, id);
    `,
  },
];
