/**
 * Versioned schema of the SQLite backend. Append new migrations; never edit an applied one.
 * Version 1 is the original service's six tables and indexes, plus what correctness needs:
 * a per-session message sequence (`history.seq`, fed by `sessions.last_seq`) so that history keeps
 * insertion order even within one millisecond, `cache.expires_at` so that expiry is one indexed
 * comparison, CHECK constraints for enums, and indexes that match the keyset queries.
 * Version 2 is safe concurrency: state versions (compare-and-set), idempotency keys of appends, and
 * forks (a session's parent and the message it was cut at).
 * Version 3 is API keys (read only in the default tenant's database; see storage/tenants.ts).
 * Version 4 is the change feed (events, appended in the transaction of each write).
 * Version 5 is retention: a session's expiry, and the indexes the sweeper walks.
 * Version 6 is the long-term memory store (modules/memory): items, their full-text index and vectors.
 * Version 7 is LangGraph checkpoints (modules/checkpoints/): threads, checkpoints, channel values, pending writes.
 * Version 8 is structured items, superseded history and history operations (modules/history/).
 * Version 9 is search over the history (modules/search/) and messages' token counts.
 * Version 10 is the knowledge graph of the MCP memory tools (modules/graph/): entities, observations, relations.
 * Version 11 is search over sessions' metadata and artifacts (modules/search/), as version 9's over the history.
 * Version 12 is artifact content (modules/blobs/, modules/artifacts/content-store.ts): blobs, their chunks, versions.
 * Version 13 is the history's epoch (modules/history/cache.ts): what, with `last_seq`, names a history's state.
 * Version 14 is the state's version history (modules/state/): the last STATE_HISTORY_VERSIONS versions of each state.
 * Version 15 is the index of the sessions list's time range (their creation).
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
  {
    version: 2,
    name: 'state versions, idempotent appends, forks',
    sql: `
      -- Existing states are at version 1: every write from now on adds one.
      ALTER TABLE state ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);

      -- A client's key for an append, unique within its session; most messages have none.
      ALTER TABLE history ADD COLUMN idempotency_key TEXT;
      CREATE UNIQUE INDEX idx_history_idempotency ON history(session_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

      -- Deleting a parent leaves its forks, which forget it. The message is a record of where the fork
      -- was cut, not a reference: it may outlive its history (cleared) or its session (deleted).
      ALTER TABLE sessions ADD COLUMN parent_id TEXT REFERENCES sessions(id) ON DELETE SET NULL;
      ALTER TABLE sessions ADD COLUMN forked_from_message_id TEXT;
      -- A session's forks (Session.forks), and the foreign key's own look-up when a session is deleted.
      CREATE INDEX idx_sessions_parent ON sessions(parent_id, id) WHERE parent_id IS NOT NULL;
    `,
  },
  {
    version: 3,
    name: 'api keys',
    sql: `
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        name TEXT,
        scopes TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );
      CREATE INDEX idx_api_keys_tenant ON api_keys (tenant, id);
    `,
  },
  {
    version: 4,
    name: 'change feed',
    sql: `
      -- One row per event, appended in the transaction of the write it describes. AUTOINCREMENT:
      -- a seq is never handed out twice, even after the newest events were pruned (cursors stay
      -- unambiguous). SQLite has one writer at a time, so seq order is commit order.
      -- No foreign key: events outlive their session (SessionDeleted, replay after deletion).
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        type TEXT NOT NULL,
        session_id TEXT NOT NULL,
        agent_name TEXT NOT NULL,
        time TEXT NOT NULL,
        payload TEXT NOT NULL
      );
      CREATE INDEX idx_events_session ON events(session_id, seq);
      CREATE INDEX idx_events_agent ON events(agent_name, seq);
      CREATE INDEX idx_events_time ON events(time);

      -- The highest seq pruning may have removed: a cursor below it may have missed events (expired).
      CREATE TABLE event_log (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        pruned_through INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO event_log (id) VALUES (1);
    `,
  },
  {
    version: 5,
    name: 'retention: session expiry',
    sql: `
      -- Null: the session never expires (every existing session). Compared as canonical ISO text.
      ALTER TABLE sessions ADD COLUMN expires_at TEXT;
      -- The sweeper's walk through expired sessions, in (expires_at, id) order; most sessions have none.
      CREATE INDEX idx_sessions_expires ON sessions(expires_at, id) WHERE expires_at IS NOT NULL;
      -- The walk of the idle and ended rules: one status, in (updated_at, id) order.
      CREATE INDEX idx_sessions_status_updated ON sessions(status, updated_at, id);
    `,
  },
  {
    version: 6,
    name: 'memory store',
    sql: `
      -- LangGraph's store items. namespace: the labels joined by '.' (no label holds one), so the
      -- items below a prefix are one range of the unique index. id: FTS5's rowid, stable (an
      -- INTEGER PRIMARY KEY survives VACUUM, an implicit rowid may not).
      CREATE TABLE memory_items (
        id INTEGER PRIMARY KEY,
        namespace TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        search_text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        ttl_minutes REAL CHECK (ttl_minutes > 0),
        expires_at TEXT,
        UNIQUE (namespace, key)
      );
      CREATE INDEX idx_memory_items_expires ON memory_items (expires_at) WHERE expires_at IS NOT NULL;

      -- The words of the values (external content: the text is kept once, in memory_items), kept
      -- in step by triggers inside each write's own transaction.
      CREATE VIRTUAL TABLE memory_items_fts USING fts5 (
        search_text, content = 'memory_items', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 0'
      );
      CREATE TRIGGER memory_items_fts_insert AFTER INSERT ON memory_items BEGIN
        INSERT INTO memory_items_fts (rowid, search_text) VALUES (new.id, new.search_text);
      END;
      CREATE TRIGGER memory_items_fts_delete AFTER DELETE ON memory_items BEGIN
        INSERT INTO memory_items_fts (memory_items_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
      END;
      CREATE TRIGGER memory_items_fts_update AFTER UPDATE OF search_text ON memory_items BEGIN
        INSERT INTO memory_items_fts (memory_items_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO memory_items_fts (rowid, search_text) VALUES (new.id, new.search_text);
      END;

      -- The client's embeddings of an item, one per field path; they go with the item.
      CREATE TABLE memory_vectors (
        namespace TEXT NOT NULL,
        key TEXT NOT NULL,
        field TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (namespace, key, field),
        FOREIGN KEY (namespace, key) REFERENCES memory_items (namespace, key) ON DELETE CASCADE
      );
    `,
  },
  {
    version: 7,
    name: 'checkpoints',
    sql: `
      -- A thread is named by its client (LangGraph's thread_id). expires_at: updated_at + ttl_seconds,
      -- null when the thread has no TTL.
      CREATE TABLE threads (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        ttl_seconds INTEGER CHECK (ttl_seconds > 0),
        expires_at TEXT
      );
      CREATE INDEX idx_threads_expires ON threads(expires_at, id) WHERE expires_at IS NOT NULL;
      CREATE INDEX idx_threads_updated ON threads(updated_at, id);

      -- The checkpoint without its channel values (bytes of the client's serializer, typed by type);
      -- channel_versions is JSON whose values keep their JSON types (number or string).
      CREATE TABLE thread_checkpoints (
        thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
        checkpoint_ns TEXT NOT NULL DEFAULT '',
        checkpoint_id TEXT NOT NULL,
        parent_checkpoint_id TEXT,
        type TEXT NOT NULL,
        checkpoint BLOB NOT NULL,
        metadata TEXT NOT NULL,
        channel_versions TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
      );
      -- Listing across threads, newest (highest id) first.
      CREATE INDEX idx_thread_checkpoints_id ON thread_checkpoints(checkpoint_id, thread_id, checkpoint_ns);
      -- A thread's checkpoints across its namespaces, newest first (LangGraph's list without a namespace).
      CREATE INDEX idx_thread_checkpoints_thread ON thread_checkpoints(thread_id, checkpoint_id, checkpoint_ns);

      -- Channel values, stored once per version; type 'empty' with no value: the channel had none.
      CREATE TABLE thread_channel_values (
        thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
        checkpoint_ns TEXT NOT NULL,
        channel TEXT NOT NULL,
        version TEXT NOT NULL,
        type TEXT NOT NULL,
        value BLOB,
        PRIMARY KEY (thread_id, checkpoint_ns, channel, version)
      );

      -- No foreign key to checkpoints: LangGraph may save a task's writes before the put of their
      -- checkpoint has landed (the two are not ordered on the client).
      CREATE TABLE thread_writes (
        thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
        checkpoint_ns TEXT NOT NULL,
        checkpoint_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        idx INTEGER NOT NULL,
        channel TEXT NOT NULL,
        type TEXT NOT NULL,
        value BLOB NOT NULL,
        task_path TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
      );
    `,
  },
  {
    version: 8,
    name: 'structured items, superseded history, history operations',
    sql: `
      -- A structured history item (JSON text) beside the message's text; null for a plain message.
      ALTER TABLE history ADD COLUMN item TEXT;

      -- Messages taken out of a session's history by a pop, a rewrite of its suffix, a compaction or
      -- an in-place replacement: kept, as they were, for audit. entry: the order they were taken out.
      CREATE TABLE history_superseded (
        entry INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        role TEXT NOT NULL,
        content TEXT NOT NULL,
        item TEXT,
        timestamp TEXT NOT NULL,
        metadata TEXT NOT NULL,
        idempotency_key TEXT,
        superseded_at TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('popped', 'rewritten', 'compacted', 'replaced')),
        operation_id TEXT
      );
      CREATE INDEX idx_history_superseded_session ON history_superseded(session_id, entry);

      -- Rewrites already applied, by the client's operation id: a retry is answered, not applied again.
      CREATE TABLE history_operations (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        operation_id TEXT NOT NULL,
        request_sha256 TEXT NOT NULL,
        superseded_ids TEXT NOT NULL,
        message_ids TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (session_id, operation_id)
      );
    `,
  },
  {
    version: 9,
    name: 'history search, token counts',
    sql: `
      -- The client's (or the server's estimate of the) number of tokens of a message; null: not known.
      ALTER TABLE history ADD COLUMN token_count INTEGER CHECK (token_count >= 0);
      ALTER TABLE history_superseded ADD COLUMN token_count INTEGER;
      -- The words a message is found by (modules/search/text.ts), written with the message. Null: not
      -- indexed yet (messages stored before this version, or while SEARCH_INDEX=off); the search
      -- module's indexer fills them in, in small batches, through the update trigger below.
      ALTER TABLE history ADD COLUMN search_text TEXT;
      CREATE INDEX idx_history_unindexed ON history(id) WHERE search_text IS NULL;

      -- The full-text index of the messages: contentless (the text is the history's; snippets are cut
      -- from the message, not from the index), rows deletable. Its rowid is a document number from
      -- history_search_docs, whose INTEGER PRIMARY KEY survives VACUUM — history's implicit rowid may not.
      CREATE TABLE history_search_docs (
        doc INTEGER PRIMARY KEY,
        message_id TEXT NOT NULL UNIQUE
      );
      CREATE VIRTUAL TABLE history_fts USING fts5 (
        search_text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
      );
      -- Kept in step inside each write's own transaction, whatever the write (append, replace, fork,
      -- import, pop, rewrite, clear, cascade of a session's deletion, retention).
      CREATE TRIGGER history_search_insert AFTER INSERT ON history WHEN new.search_text IS NOT NULL BEGIN
        INSERT INTO history_search_docs (message_id) VALUES (new.id);
        INSERT INTO history_fts (rowid, search_text) VALUES (last_insert_rowid(), new.search_text);
      END;
      CREATE TRIGGER history_search_delete AFTER DELETE ON history BEGIN
        DELETE FROM history_fts WHERE rowid = (SELECT doc FROM history_search_docs WHERE message_id = old.id);
        DELETE FROM history_search_docs WHERE message_id = old.id;
      END;
      CREATE TRIGGER history_search_update AFTER UPDATE OF search_text ON history BEGIN
        DELETE FROM history_fts WHERE rowid = (SELECT doc FROM history_search_docs WHERE message_id = old.id);
        DELETE FROM history_search_docs WHERE message_id = old.id;
        INSERT INTO history_search_docs (message_id) SELECT new.id WHERE new.search_text IS NOT NULL;
        INSERT INTO history_fts (rowid, search_text) SELECT last_insert_rowid(), new.search_text WHERE new.search_text IS NOT NULL;
      END;
    `,
  },
  {
    version: 10,
    name: 'knowledge graph',
    sql: `
      -- The MCP memory tools' knowledge graph (modules/graph/): a row per entity, per observation and
      -- per relation, so that concurrent writers each add rows (a unique key makes a repeat a no-op)
      -- instead of rewriting one document. seq keeps the order things were added in, which is the
      -- order the reference server lists them in.
      -- *_folded: the text lower-cased by JavaScript's toLowerCase, which search_nodes matches
      -- against (the reference's rule; SQLite's lower() folds ASCII only).
      CREATE TABLE graph_entities (
        seq INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        entity_type TEXT NOT NULL,
        name_folded TEXT NOT NULL,
        type_folded TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      -- Unique by the content's sha256, not the content: PostgreSQL cannot index long text, and both
      -- databases keep the same key.
      CREATE TABLE graph_observations (
        seq INTEGER PRIMARY KEY,
        entity_name TEXT NOT NULL REFERENCES graph_entities(name) ON DELETE CASCADE,
        content TEXT NOT NULL,
        content_folded TEXT NOT NULL,
        content_sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (entity_name, content_sha256)
      );

      -- No foreign keys: the reference lets a relation name entities that do not exist (yet).
      -- Unique by the sha256 of [from, to, type] (three names may be too long for one index entry).
      CREATE TABLE graph_relations (
        seq INTEGER PRIMARY KEY,
        from_name TEXT NOT NULL,
        to_name TEXT NOT NULL,
        relation_type TEXT NOT NULL,
        relation_sha256 TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      );
      CREATE INDEX idx_graph_relations_from ON graph_relations(from_name);
      CREATE INDEX idx_graph_relations_to ON graph_relations(to_name);
    `,
  },
  {
    version: 11,
    name: 'session and artifact search',
    sql: `
      -- As the history's (version 9): the words a session (its metadata) and an artifact (its name,
      -- type and metadata) are found by, written with the row; a contentless FTS5 index of each,
      -- numbered by its own table, kept in step by triggers in each write's own transaction.
      ALTER TABLE sessions ADD COLUMN search_text TEXT;
      CREATE INDEX idx_sessions_unindexed ON sessions(id) WHERE search_text IS NULL;
      CREATE TABLE session_search_docs (
        doc INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL UNIQUE
      );
      CREATE VIRTUAL TABLE session_fts USING fts5 (
        search_text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
      );
      CREATE TRIGGER session_search_insert AFTER INSERT ON sessions WHEN new.search_text IS NOT NULL BEGIN
        INSERT INTO session_search_docs (session_id) VALUES (new.id);
        INSERT INTO session_fts (rowid, search_text) VALUES (last_insert_rowid(), new.search_text);
      END;
      CREATE TRIGGER session_search_delete AFTER DELETE ON sessions BEGIN
        DELETE FROM session_fts WHERE rowid = (SELECT doc FROM session_search_docs WHERE session_id = old.id);
        DELETE FROM session_search_docs WHERE session_id = old.id;
      END;
      CREATE TRIGGER session_search_update AFTER UPDATE OF search_text ON sessions BEGIN
        DELETE FROM session_fts WHERE rowid = (SELECT doc FROM session_search_docs WHERE session_id = old.id);
        DELETE FROM session_search_docs WHERE session_id = old.id;
        INSERT INTO session_search_docs (session_id) SELECT new.id WHERE new.search_text IS NOT NULL;
        INSERT INTO session_fts (rowid, search_text) SELECT last_insert_rowid(), new.search_text WHERE new.search_text IS NOT NULL;
      END;
      ALTER TABLE artifacts ADD COLUMN search_text TEXT;
      CREATE INDEX idx_artifacts_unindexed ON artifacts(id) WHERE search_text IS NULL;
      CREATE TABLE artifact_search_docs (
        doc INTEGER PRIMARY KEY,
        artifact_id TEXT NOT NULL UNIQUE
      );
      CREATE VIRTUAL TABLE artifact_fts USING fts5 (
        search_text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
      );
      CREATE TRIGGER artifact_search_insert AFTER INSERT ON artifacts WHEN new.search_text IS NOT NULL BEGIN
        INSERT INTO artifact_search_docs (artifact_id) VALUES (new.id);
        INSERT INTO artifact_fts (rowid, search_text) VALUES (last_insert_rowid(), new.search_text);
      END;
      CREATE TRIGGER artifact_search_delete AFTER DELETE ON artifacts BEGIN
        DELETE FROM artifact_fts WHERE rowid = (SELECT doc FROM artifact_search_docs WHERE artifact_id = old.id);
        DELETE FROM artifact_search_docs WHERE artifact_id = old.id;
      END;
      CREATE TRIGGER artifact_search_update AFTER UPDATE OF search_text ON artifacts BEGIN
        DELETE FROM artifact_fts WHERE rowid = (SELECT doc FROM artifact_search_docs WHERE artifact_id = old.id);
        DELETE FROM artifact_search_docs WHERE artifact_id = old.id;
        INSERT INTO artifact_search_docs (artifact_id) SELECT new.id WHERE new.search_text IS NOT NULL;
        INSERT INTO artifact_fts (rowid, search_text) SELECT last_insert_rowid(), new.search_text WHERE new.search_text IS NOT NULL;
      END;
    `,
  },
  {
    version: 12,
    name: 'artifact content',
    sql: `
      -- An artifact's versions of content. The bytes are blobs named by their sha256 (one per
      -- distinct content in this database, however many versions share it): a file under the
      -- database's blob folder when chunk_size is 0, else rows of blob_chunks (BLOB_STORE=database).
      -- A blob row exists only once its bytes are durable; blob_usage counts what they occupy.
      ALTER TABLE artifacts ADD COLUMN next_version INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL CHECK (size >= 0),
        chunk_size INTEGER NOT NULL CHECK (chunk_size >= 0),
        created_at TEXT NOT NULL
      );
      CREATE TABLE artifact_contents (
        artifact_id TEXT NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
        version INTEGER NOT NULL CHECK (version >= 0),
        sha256 TEXT NOT NULL REFERENCES blobs (sha256),
        size INTEGER NOT NULL CHECK (size >= 0),
        content_type TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (artifact_id, version)
      );
      CREATE INDEX idx_artifact_contents_sha256 ON artifact_contents (sha256);
      -- owner: a blob's sha256, or 'upload:<id>' while an upload is staged (blob_uploads).
      CREATE TABLE blob_chunks (
        owner TEXT NOT NULL,
        seq INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (owner, seq)
      );
      CREATE TABLE blob_uploads (
        id TEXT PRIMARY KEY,
        started_at TEXT NOT NULL
      );
      CREATE TABLE blob_usage (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        bytes INTEGER NOT NULL,
        blobs INTEGER NOT NULL
      );
      INSERT INTO blob_usage (id, bytes, blobs) VALUES (1, 0, 0);
    `,
  },
  {
    version: 13,
    name: 'history epoch',
    sql: `
      -- With last_seq, the version of a session's history that replicas' history caches check
      -- (modules/history/cache.ts): appends raise last_seq; every other change of the history (pop,
      -- rewrite, replacement, clearing, import) moves history_epoch on by one. A session starts at a
      -- random epoch, so that a session deleted and created again under the same id is not taken for
      -- the old one (53 bits, as a JS number holds them exactly).
      ALTER TABLE sessions ADD COLUMN history_epoch INTEGER NOT NULL DEFAULT 0;
      UPDATE sessions SET history_epoch = abs(random() % 4503599627370496);
      CREATE TRIGGER sessions_history_epoch AFTER INSERT ON sessions BEGIN
        UPDATE sessions SET history_epoch = abs(random() % 4503599627370496) WHERE id = NEW.id;
      END;
    `,
  },
  {
    version: 14,
    name: 'state version history',
    sql: `
      -- Each state's recent versions, the current one included, written in the transaction of the
      -- write and pruned there to the last STATE_HISTORY_VERSIONS. Deleting the state deletes them
      -- (its next write starts again at version 1); deleting the session too.
      CREATE TABLE state_versions (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        version INTEGER NOT NULL CHECK (version >= 1),
        data TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (session_id, version)
      );
      -- Existing states: their current version is the first of their history.
      INSERT INTO state_versions (session_id, version, data, updated_at) SELECT session_id, version, data, updated_at FROM state;
    `,
  },
  {
    version: 15,
    name: 'sessions by creation time',
    sql: `
      -- The sessions list's time range on their creation (modules/sessions/store.ts): a range read
      -- (or counted) alone, without a scan of every newer session.
      CREATE INDEX idx_sessions_created ON sessions(created_at, id);
    `,
  },
];
