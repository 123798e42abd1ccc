import type { Generated } from 'kysely';

/**
 * The tables as the statement builder sees them (Kysely's `Database` type), one interface per
 * table, added as modules move their queries here. Column types are what a statement is given as a
 * parameter — the same on both databases (JSON as text, times as ISO strings); what comes back
 * differs per dialect and is decoded by `codec.ts`. The tables themselves are made by the
 * migrations in `storage/<dialect>/migrations.ts`.
 */
export interface Database {
  sessions: SessionsTable;
  history: HistoryTable;
  history_superseded: HistorySupersededTable;
  history_operations: HistoryOperationsTable;
  history_search_docs: HistorySearchDocsTable;
  state: StateTable;
  state_versions: StateTable;
  artifacts: ArtifactsTable;
  metrics: MetricsTable;
  events: EventsTable;
  event_log: EventLogTable;
  api_keys: ApiKeysTable;
  cache: CacheTable;
  memory_items: MemoryItemsTable;
  memory_vectors: MemoryVectorsTable;
  threads: ThreadsTable;
  thread_checkpoints: ThreadCheckpointsTable;
  thread_channel_values: ThreadChannelValuesTable;
  thread_writes: ThreadWritesTable;
  graph_entities: GraphEntitiesTable;
  graph_observations: GraphObservationsTable;
  graph_relations: GraphRelationsTable;
  blobs: BlobsTable;
  blob_chunks: BlobChunksTable;
  blob_uploads: BlobUploadsTable;
  blob_usage: BlobUsageTable;
  artifact_contents: ArtifactContentsTable;
}

export interface SessionsTable {
  id: string;
  agent_name: string;
  user_id: string | null;
  created_at: string;
  updated_at: string;
  status: string;
  /** JSON text. */
  metadata: string;
  /** The highest `seq` handed out in this session (appends continue after it). */
  last_seq: Generated<number>;
  /** With `last_seq`, the version of the session's history: moved on by every change but an append (modules/history/cache.ts). */
  history_epoch: Generated<number>;
  parent_id: string | null;
  forked_from_message_id: string | null;
  expires_at: string | null;
  /** The words the session is found by (modules/search/text.ts); null: not indexed yet. */
  search_text: string | null;
}

export interface HistoryTable {
  id: string;
  session_id: string;
  seq: number;
  role: string;
  content: string;
  /** PostgreSQL only: 1 when `content` holds a JSON string because the text has NUL characters (see the history module). */
  content_encoding: Generated<number>;
  timestamp: string;
  /** JSON text. */
  metadata: string;
  idempotency_key: string | null;
  /** JSON text; null for a plain message. */
  item: string | null;
  token_count: number | null;
  /** The words the message is found by (modules/search/text.ts); null: not indexed yet. */
  search_text: string | null;
}

/** A message as it was when a pop, rewrite, compaction or replacement took it out of the history. */
export interface HistorySupersededTable extends Omit<HistoryTable, 'search_text'> {
  entry: Generated<number>;
  superseded_at: string;
  /** 'popped' | 'rewritten' | 'compacted' | 'replaced'. */
  reason: string;
  operation_id: string | null;
}

/** SQLite only: the FTS5 document number of each indexed message (see the migration). */
export interface HistorySearchDocsTable {
  doc: number;
  message_id: string;
}

export interface HistoryOperationsTable {
  session_id: string;
  operation_id: string;
  /** sha256 of the request's canonical JSON: what a retry must repeat. */
  request_sha256: string;
  /** JSON arrays of message ids (text on both databases). */
  superseded_ids: string;
  message_ids: string;
  created_at: string;
}

export interface StateTable {
  session_id: string;
  /** JSON text. */
  data: string;
  updated_at: string;
  version: number;
}
// state_versions has the same columns: one row per kept version (modules/state/store.ts).

export interface ArtifactsTable {
  id: string;
  session_id: string;
  name: string;
  type: string;
  path: string;
  size: number;
  created_at: string;
  /** JSON text. */
  metadata: string;
  /** The words the artifact is found by (modules/search/text.ts); null: not indexed yet. */
  search_text: string | null;
  /** The version number its next content gets (versions are never reused). */
  next_version: Generated<number>;
}

export interface MetricsTable {
  id: string;
  entity_type: string;
  entity_name: string;
  session_id: string | null;
  metric_name: string;
  value: number;
  timestamp: string;
  /** JSON text. */
  labels: string;
}

export interface EventsTable {
  /** SQLite: AUTOINCREMENT; PostgreSQL: given, from the `event_log` counter. */
  seq: Generated<number>;
  type: string;
  session_id: string;
  agent_name: string;
  time: string;
  /** JSON text. */
  payload: string;
}

export interface EventLogTable {
  id: number;
  /** PostgreSQL only: the seq counter (SQLite numbers events with AUTOINCREMENT). */
  last_seq: number;
  pruned_through: number;
}

export interface ApiKeysTable {
  id: string;
  tenant: string;
  name: string | null;
  /** Given as a list parameter: SQLite stores it as JSON text, PostgreSQL as `text[]`. */
  scopes: readonly string[];
  key_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface CacheTable {
  key: string;
  /** JSON text. */
  value: string;
  ttl: number | null;
  created_at: string;
  accessed_at: string;
  expires_at: string | null;
}

export interface MemoryItemsTable {
  /** The namespace's labels joined by '.' (see modules/memory/namespace.ts). */
  namespace: string;
  key: string;
  /** JSON text (an object). */
  value: string;
  /** The words the item is found by (modules/memory/text.ts): FTS5's content on SQLite, the tsvector's source on PostgreSQL. */
  search_text: string;
  created_at: string;
  updated_at: string;
  ttl_minutes: number | null;
  expires_at: string | null;
}

export interface MemoryVectorsTable {
  namespace: string;
  key: string;
  /** The field path the vector embeds. */
  field: string;
  /** The float32 components, little-endian (a BLOB, a `bytea`). */
  vector: Uint8Array;
}

/** LangGraph threads (modules/checkpoints/); the id is the client's thread_id. */
export interface ThreadsTable {
  id: string;
  created_at: string;
  updated_at: string;
  ttl_seconds: number | null;
  expires_at: string | null;
}

export interface ThreadCheckpointsTable {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  parent_checkpoint_id: string | null;
  type: string;
  checkpoint: Uint8Array;
  /** JSON text. */
  metadata: string;
  /** JSON text. */
  channel_versions: string;
  created_at: string;
}

export interface ThreadChannelValuesTable {
  thread_id: string;
  checkpoint_ns: string;
  channel: string;
  version: string;
  type: string;
  value: Uint8Array | null;
}

export interface ThreadWritesTable {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  task_id: string;
  idx: number;
  channel: string;
  type: string;
  value: Uint8Array;
  task_path: string;
}

/** The MCP memory tools' knowledge graph (modules/graph/); `seq`: the order of creation. */
export interface GraphEntitiesTable {
  seq: Generated<number>;
  name: string;
  entity_type: string;
  /** `name` and `entity_type` lower-cased by JavaScript (what search_nodes matches). */
  name_folded: string;
  type_folded: string;
  created_at: string;
}

export interface GraphObservationsTable {
  seq: Generated<number>;
  entity_name: string;
  content: string;
  content_folded: string;
  /** sha256 (hex) of `content`: the observation's key within its entity. */
  content_sha256: string;
  created_at: string;
}

export interface GraphRelationsTable {
  seq: Generated<number>;
  from_name: string;
  to_name: string;
  relation_type: string;
  /** sha256 (hex) of the JSON array [from, to, type]: the relation's key. */
  relation_sha256: string;
  created_at: string;
}

/** Content by sha256 (modules/blobs/): a file when `chunk_size` is 0, else `blob_chunks` rows of that size. */
export interface BlobsTable {
  sha256: string;
  size: number;
  chunk_size: number;
  created_at: string;
}

/** `owner`: the blob's sha256, or `upload:<id>` while staged. `data`: bytes (Buffer). */
export interface BlobChunksTable {
  owner: string;
  seq: number;
  data: Uint8Array;
}

export interface BlobUploadsTable {
  id: string;
  started_at: string;
}

/** One row (id 1): the bytes and count of this database's blobs, kept with every blob row written or deleted. */
export interface BlobUsageTable {
  id: number;
  bytes: number;
  blobs: number;
}

export interface ArtifactContentsTable {
  artifact_id: string;
  version: number;
  sha256: string;
  size: number;
  content_type: string;
  created_at: string;
}
