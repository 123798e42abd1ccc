/* eslint-disable */
import type { DocumentTypeDecoration } from '../typed-document.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO 8601 date-time. Output is always UTC with milliseconds (2026-01-31T12:00:00.000Z); input may carry an offset (converted to UTC) or none (taken as UTC). */
  DateTime: { input: string; output: string; }
  /** A file uploaded with the GraphQL multipart request spec (https://github.com/jaydenseric/graphql-multipart-request-spec): a `multipart/form-data` POST whose `operations` part holds the operation with the variable set to null, whose `map` part names the variable each file part fills, and which carries a CSRF header. Input only. */
  File: { input: File; output: File; }
  /** The `JSON` scalar type represents JSON values as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSON: { input: unknown; output: unknown; }
  /** The `JSONObject` scalar type represents JSON objects as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSONObject: { input: Record<string, unknown>; output: Record<string, unknown>; }
  /** Integers that will have a value of 0 or more. */
  NonNegativeInt: { input: number; output: number; }
  /** Integers that will have a value greater than 0. */
  PositiveInt: { input: number; output: number; }
  /** The `SafeInt` scalar type represents non-fractional signed whole numeric values that are considered safe as defined by the ECMAScript specification. */
  SafeInt: { input: number; output: number; }
};

export type AddMessageInput = {
  /** The text. Required unless `item` is given; then, when absent, the text read from the item. */
  content?: InputMaybe<Scalars['String']['input']>;
  /** Optional: the message's id, chosen by the client ("msg_" then letters, digits, "_" or "-"). Sending the same message again with it stores nothing new and answers the message stored the first time; another message with this id is a CONFLICT. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** Optional: a key for this append, unique within the session. Repeating the append with it stores nothing new and answers the message stored the first time; another message with this key is a CONFLICT. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** A structured item (a tool call, its output, a UI message with parts, ...), kept exactly as given. */
  item?: InputMaybe<Scalars['JSON']['input']>;
  /** Defaults to {}. */
  metadata?: InputMaybe<Scalars['JSONObject']['input']>;
  role: MessageRole;
  sessionId: Scalars['ID']['input'];
  /** The message's number of tokens, as the client counts them (budget reads: Session.history(lastTokens:)). */
  tokenCount?: InputMaybe<Scalars['Int']['input']>;
};

/** An API key as stored: never its secret, which is shown once, by createApiKey. */
export type ApiKey = {
  __typename?: 'ApiKey';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  name?: Maybe<Scalars['String']['output']>;
  /** Null while the key works. */
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  scopes: Array<ApiKeyScope>;
  /** The tenant whose data the key reads and writes. */
  tenant: Scalars['String']['output'];
};

/** What a key may do: READ every read, WRITE every write, ADMIN manage the API keys of its tenant. */
export type ApiKeyScope =
  | 'ADMIN'
  | 'READ'
  | 'WRITE';

/** A file an agent produced in a session: its record (name, type, path, size), and, when saved with its bytes, their versions (`content`, `versions`). */
export type Artifact = {
  __typename?: 'Artifact';
  /** A version of the bytes: the latest without `version`; null when there is none (no content, or no such version). */
  content?: Maybe<ArtifactContent>;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  metadata: Scalars['JSONObject']['output'];
  name: Scalars['String']['output'];
  path: Scalars['String']['output'];
  sessionId: Scalars['ID']['output'];
  /** In bytes. */
  size: Scalars['NonNegativeInt']['output'];
  type: Scalars['String']['output'];
  /** Every stored version of the bytes, oldest first; empty when the artifact has no content. */
  versions: Array<ArtifactContent>;
};


/** A file an agent produced in a session: its record (name, type, path, size), and, when saved with its bytes, their versions (`content`, `versions`). */
export type ArtifactContentArgs = {
  version?: InputMaybe<Scalars['Int']['input']>;
};

export type ArtifactConnection = {
  __typename?: 'ArtifactConnection';
  edges: Array<ArtifactEdge>;
  nodes: Array<Artifact>;
  pageInfo: PageInfo;
  /** How many items the connection has in all (with its filters), regardless of paging. */
  totalCount: Scalars['NonNegativeInt']['output'];
};

/** One stored version of an artifact's bytes. The bytes themselves are downloaded from `url` (REST). */
export type ArtifactContent = {
  __typename?: 'ArtifactContent';
  artifactId: Scalars['ID']['output'];
  contentType: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** The bytes' SHA-256, lower-case hex (the download's ETag). */
  sha256: Scalars['String']['output'];
  /** In bytes. */
  size: Scalars['NonNegativeInt']['output'];
  /** Where this version is downloaded: `GET /storage/artifacts/{id}/content?version=N` on the server that answered, with the same credentials (Range, ETag and HEAD as REST serves them). */
  url: Scalars['String']['output'];
  /** 0, 1, 2, … in the order saved; a deleted version's number is never reused. */
  version: Scalars['NonNegativeInt']['output'];
};

/** Versions of an artifact's content were deleted (deleting the artifact or its session yields ArtifactDeleted or SessionDeleted instead). */
export type ArtifactContentDeleted = StorageEvent & {
  __typename?: 'ArtifactContentDeleted';
  /** The session's agent. */
  agentName: Scalars['String']['output'];
  artifactId: Scalars['ID']['output'];
  /** Opaque; resume after this event with `after`. */
  cursor: Scalars['String']['output'];
  /** Position in the feed of this database: increasing in commit order (numbers may be skipped). */
  seq: Scalars['SafeInt']['output'];
  sessionId: Scalars['ID']['output'];
  /** When the write was committed. */
  time: Scalars['DateTime']['output'];
  /** The versions deleted. */
  versions: Array<Scalars['NonNegativeInt']['output']>;
};

/** A new version of an artifact's content was saved (its bytes are downloaded from `content.url`). */
export type ArtifactContentSaved = StorageEvent & {
  __typename?: 'ArtifactContentSaved';
  /** The session's agent. */
  agentName: Scalars['String']['output'];
  content: ArtifactContent;
  /** Opaque; resume after this event with `after`. */
  cursor: Scalars['String']['output'];
  /** Position in the feed of this database: increasing in commit order (numbers may be skipped). */
  seq: Scalars['SafeInt']['output'];
  sessionId: Scalars['ID']['output'];
  /** When the write was committed. */
  time: Scalars['DateTime']['output'];
};

/** An artifact record was created. */
export type ArtifactCreated = StorageEvent & {
  __typename?: 'ArtifactCreated';
  /** The session's agent. */
  agentName: Scalars['String']['output'];
  artifact: Artifact;
  /** Opaque; resume after this event with `after`. */
  cursor: Scalars['String']['output'];
  /** Position in the feed of this database: increasing in commit order (numbers may be skipped). */
  seq: Scalars['SafeInt']['output'];
  sessionId: Scalars['ID']['output'];
  /** When the write was committed. */
  time: Scalars['DateTime']['output'];
};

/** An artifact record was deleted. */
export type ArtifactDeleted = StorageEvent & {
  __typename?: 'ArtifactDeleted';
  /** The session's agent. */
  agentName: Scalars['String']['output'];
  /** As it was. */
  artifact: Artifact;
  /** Opaque; resume after this event with `after`. */
  cursor: Scalars['String']['output'];
  /** Position in the feed of this database: increasing in commit order (numbers may be skipped). */
  seq: Scalars['SafeInt']['output'];
  sessionId: Scalars['ID']['output'];
  /** When the write was committed. */
  time: Scalars['DateTime']['output'];
};

export type ArtifactEdge = {
  __typename?: 'ArtifactEdge';
  cursor: Scalars['String']['output'];
  node: Artifact;
};

export type ArtifactSearchConnection = {
  __typename?: 'ArtifactSearchConnection';
  edges: Array<ArtifactSearchEdge>;
  nodes: Array<ArtifactSearchHit>;
  pageInfo: PageInfo;
  /** How many items the connection has in all (with its filters), regardless of paging. */
  totalCount: Scalars['NonNegativeInt']['output'];
  /** True when more than 10000 results match: totalCount then says "at least". */
  totalCountIsEstimate: Scalars['Boolean']['output'];
};

export type ArtifactSearchEdge = {
  __typename?: 'ArtifactSearchEdge';
  cursor: Scalars['String']['output'];
  node: ArtifactSearchHit;
};

/** An artifact found by its name, type or metadata's values; the snippet is cut from those, joined by " · ". */
export type ArtifactSearchHit = SearchResult & {
  __typename?: 'ArtifactSearchHit';
  artifact: Artifact;
  highlights: Array<SearchHighlight>;
  /** Higher is better; comparable between the results of one search. */
  score: Scalars['Float']['output'];
  session: Session;
  /** A piece of the found text around its first match, plain text; "…" where it is cut. */
  snippet: Scalars['String']['output'];
};

/** A JSON value under a key, optionally expiring. */
export type CacheEntry = {
  __typename?: 'CacheEntry';
  accessedAt: Scalars['DateTime']['output'];
  createdAt: Scalars['DateTime']['output'];
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  key: Scalars['String']['output'];
  /** Seconds from createdAt to expiry; null: never expires. */
  ttl?: Maybe<Scalars['PositiveInt']['output']>;
  value?: Maybe<Scalars['JSON']['output']>;
};

/** A channel's value at one version, as the client's serializer wrote it. */
export type ChannelValue = {
  __typename?: 'ChannelValue';
  channel: Scalars['String']['output'];
  /** Base64; null for an empty channel. */
  data?: Maybe<Scalars['String']['output']>;
  /** The serializer's type; 'empty' when the channel had no value. */
  type: Scalars['String']['output'];
  /** The version as text (as in channelVersions). */
  version: Scalars['String']['output'];
};

export type ChannelValueInput = {
  channel: Scalars['String']['input'];
  /** Base64; null (or absent) with type 'empty'. */
  data?: InputMaybe<Scalars['String']['input']>;
  type: Scalars['String']['input'];
  /** A number or a string: the version channelVersions gives this channel. */
  version: Scalars['JSON']['input'];
};

/** A LangGraph checkpoint: its bytes (without channel values), metadata, channel versions and, on demand, values and pending writes. */
export type Checkpoint = {
  __typename?: 'Checkpoint';
  /** The values of the channels at the versions of channelVersions (those stored). */
  channelValues: Array<ChannelValue>;
  /** Channel → version (a number or a string, as put). */
  channelVersions: Scalars['JSONObject']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** The serialized checkpoint without its channel values, base64. */
  data: Scalars['String']['output'];
  id: Scalars['String']['output'];
  metadata: Scalars['JSONObject']['output'];
  /** The checkpoint namespace; '' for the root graph. */
  namespace: Scalars['String']['output'];
  parentId?: Maybe<Scalars['String']['output']>;
  /** Writes saved against this checkpoint, ordered by (taskPath, taskId, idx). */
  pendingWrites: Array<PendingWrite>;
  threadId: Scalars['String']['output'];
  type: Scalars['String']['output'];
};

export type CheckpointConnection = {
  __typename?: 'CheckpointConnection';
  edges: Array<CheckpointEdge>;
  nodes: Array<Checkpoint>;
  pageInfo: PageInfo;
  /** How many items the connection has in all (with its filters), regardless of paging. */
  totalCount: Scalars['NonNegativeInt']['output'];
};

export type CheckpointEdge = {
  __typename?: 'CheckpointEdge';
  cursor: Scalars['String']['output'];
  node: Checkpoint;
};

/** A LangGraph checkpoint was put (its bytes are read through Query.thread). */
export type CheckpointPut = StorageEvent & {
  __typename?: 'CheckpointPut';
  /** The session's agent. */
  agentName: Scalars['String']['output'];
  checkpointId: Scalars['String']['output'];
  /** Opaque; resume after this event with `after`. */
  cursor: Scalars['String']['output'];
  metadata: Scalars['JSONObject']['output'];
  namespace: Scalars['String']['output'];
  parentId?: Maybe<Scalars['String']['output']>;
  /** Position in the feed of this database: increasing in commit order (numbers may be skipped). */
  seq: Scalars['SafeInt']['output'];
  sessionId: Scalars['ID']['output'];
  threadId: Scalars['String']['output'];
  /** When the write was committed. */
  time: Scalars['DateTime']['output'];
};

export type CheckpointWriteInput = {
  channel: Scalars['String']['input'];
  /** Base64. */
  data: Scalars['String']['input'];
  /** Negative (special writes) overwrite; others are kept when already there. */
  idx: Scalars['Int']['input'];
  type: Scalars['String']['input'];
};

/** A task's writes against a LangGraph checkpoint were put. */
export type CheckpointWritesPut = StorageEvent & {
  __typename?: 'CheckpointWritesPut';
  /** The session's agent. */
  agentName: Scalars['String']['output'];
  checkpointId: Scalars['String']['output'];
  /** How many writes. */
  count: Scalars['NonNegativeInt']['output'];
  /** Opaque; resume after this event with `after`. */
  cursor: Scalars['String']['output'];
  namespace: Scalars['String']['output'];
  /** Position in the feed of this database: increasing in commit order (numbers may be skipped). */
  seq: Scalars['SafeInt']['output'];
  sessionId: Scalars['ID']['output'];
  taskId: Scalars['String']['output'];
  threadId: Scalars['String']['output'];
  /** When the write was committed. */
  time: Scalars['DateTime']['output'];
};

export type CreateArtifactInput = {
  /** Defaults to {}. */
  metadata?: InputMaybe<Scalars['JSONObject']['input']>;
  name: Scalars['String']['input'];
  path: Scalars['String']['input'];
  sessionId: Scalars['ID']['input'];
  /** In bytes. */
  size: Scalars['NonNegativeInt']['input'];
  type: Scalars['String']['input'];
};

export type CreateSessionInput = {
  agentName: Scalars['String']['input'];
  /** When the session expires (in the future). Not with ttlSeconds. Default: never. */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Defaults to {}. */
  metadata?: InputMaybe<Scalars['JSONObject']['input']>;
  /** Defaults to ACTIVE. */
  status?: InputMaybe<SessionStatus>;
  /** Expire the session this many seconds from now (1 to ten years). Not with expiresAt. */
  ttlSeconds?: InputMaybe<Scalars['Int']['input']>;
  userId?: InputMaybe<Scalars['String']['input']>;
};

/** A new key with its secret. The secret is not stored and cannot be shown again. */
export type CreatedApiKey = {
  __typename?: 'CreatedApiKey';
  apiKey: ApiKey;
  /** The secret, for `Authorization: Bearer <key>`. Shown only here, once. */
  key: Scalars['String']['output'];
};

/** What a fork changes from its parent: a field left out (or null) is copied from the parent. */
export type ForkSessionInput = {
  agentName?: InputMaybe<Scalars['String']['input']>;
  /** Replaces the parent's metadata as a whole. */
  metadata?: InputMaybe<Scalars['JSONObject']['input']>;
  userId?: InputMaybe<Scalars['String']['input']>;
};

/** The session's history was cleared. */
export type HistoryCleared = StorageEvent & {
  __typename?: 'HistoryCleared';
  /** The session's agent. */
  agentName: Scalars['String']['output'];
  /** Opaque; resume after this event with `after`. */
  cursor: Scalars['String']['output'];
  /** How many messages were deleted. */
  deleted: Scalars['NonNegativeInt']['output'];
  /** Position in the feed of this database: increasing in commit order (numbers may be skipped). */
  seq: Scalars['SafeInt']['output'];
  sessionId: Scalars['ID']['output'];
  /** When the write was committed. */
  time: Scalars['DateTime']['output'];
};

/** The last messages of the history were rewritten or compacted; the replacements follow as MessageAdded events, the originals stay readable as superseded history. */
export type HistoryRewritten = StorageEvent & {
  __typename?: 'HistoryRewritten';
  /** The session's agent. */
  agentName: Scalars['String']['output'];
  /** Opaque; resume after this event with `after`. */
  cursor: Scalars['String']['output'];
  operationId: Scalars['String']['output'];
  reason: RewriteReason;
  /** Position in the feed of this database: increasing in commit order (numbers may be skipped). */
  seq: Scalars['SafeInt']['output'];
  sessionId: Scalars['ID']['output'];
  /** The messages taken out of the history. */
  supersededIds: Array<Scalars['ID']['output']>;
  /** When the write was committed. */
  time: Scalars['DateTime']['output'];
};

export type MemoryGetInput = {
  key: Scalars['String']['input'];
  namespace: Array<Scalars['String']['input']>;
  /** Move the item’s expiry to now + its TTL. Default false. */
  refreshTtl?: InputMaybe<Scalars['Boolean']['input']>;
};

/** An item of the long-term memory store (LangGraph’s Item / SearchItem): a JSON object under a key in a namespace. */
export type MemoryItem = {
  __typename?: 'MemoryItem';
  createdAt: Scalars['DateTime']['output'];
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  key: Scalars['String']['output'];
  /** The namespace’s labels, outermost first. */
  namespace: Array<Scalars['String']['output']>;
  /** Search results only: cosine similarity (queryVector) or text relevance (query; comparable within one search only); null when unranked. */
  score?: Maybe<Scalars['Float']['output']>;
  /** Minutes from a write (or refreshing read) to expiry; null: never expires. */
  ttlMinutes?: Maybe<Scalars['Float']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  value: Scalars['JSONObject']['output'];
};

export type MemoryListNamespacesInput = {
  /** Default 100. */
  limit?: InputMaybe<Scalars['Int']['input']>;
  /** Cut deeper namespaces to this many labels. */
  maxDepth?: InputMaybe<Scalars['Int']['input']>;
  /** Default 0. */
  offset?: InputMaybe<Scalars['Int']['input']>;
  /** Labels the namespace starts with; "*" matches any label. */
  prefix?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Labels the namespace ends with; "*" matches any label. */
  suffix?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** One operation of a batch: exactly one of its fields. */
export type MemoryOperationInput = {
  get?: InputMaybe<MemoryGetInput>;
  listNamespaces?: InputMaybe<MemoryListNamespacesInput>;
  put?: InputMaybe<MemoryPutInput>;
  search?: InputMaybe<MemorySearchInput>;
};

export type MemoryOperationKind =
  | 'GET'
  | 'LIST_NAMESPACES'
  | 'PUT'
  | 'SEARCH';

/** The result of one operation of a batch, in the batch’s order. */
export type MemoryOperationResult = {
  __typename?: 'MemoryOperationResult';
  /** GET: the item, null when there is none (or it expired). */
  item?: Maybe<MemoryItem>;
  /** SEARCH: the page of items. */
  items?: Maybe<Array<MemoryItem>>;
  kind: MemoryOperationKind;
  /** LIST_NAMESPACES: the page of namespaces, each a list of labels. */
  namespaces?: Maybe<Array<Array<Scalars['String']['output']>>>;
};

export type MemoryPutInput = {
  key: Scalars['String']['input'];
  namespace: Array<Scalars['String']['input']>;
  /** Minutes until expiry (fractions allowed); absent or null: never expires. */
  ttlMinutes?: InputMaybe<Scalars['Float']['input']>;
  /** Required; null deletes the item. */
  value?: InputMaybe<Scalars['JSONObject']['input']>;
  /** The client’s embeddings, one per indexed field; replace the item’s earlier ones. */
  vectors?: InputMaybe<Array<MemoryVectorInput>>;
};

export type MemorySearchInput = {
  /** Conditions on top-level members of the value: a value (equality) or {$eq,$ne,$gt,$gte,$lt,$lte}. */
  filter?: InputMaybe<Scalars['JSONObject']['input']>;
  /** Default 10. */
  limit?: InputMaybe<Scalars['Int']['input']>;
  /** [] searches everything. */
  namespacePrefix: Array<Scalars['String']['input']>;
  /** Default 0. */
  offset?: InputMaybe<Scalars['Int']['input']>;
  /** Text to search the values for (ranked by relevance). */
  query?: InputMaybe<Scalars['String']['input']>;
  /** Rank by cosine similarity to this vector instead. */
  queryVector?: InputMaybe<Array<Scalars['Float']['input']>>;
  /** Move the found items’ expiry to now + their TTL. Default false. */
  refreshTtl?: InputMaybe<Scalars['Boolean']['input']>;
};

export type MemoryVectorInput = {
  /** The field path the vector embeds (LangGraph index fields). */
  field: Scalars['String']['input'];
  vector: Array<Scalars['Float']['input']>;
};

/** One message of a session's history. */
export type Message = {
  __typename?: 'Message';
  /** The text; for a structured item given without one, the text read from the item. */
  content: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** The key the client appended this message with, unique within the session; null when none was given. */
  idempotencyKey?: Maybe<Scalars['String']['output']>;
  /** A structured item (a tool call, its output, a UI message with parts, ...) exactly as appended; null for a plain message. */
  item?: Maybe<Scalars['JSON']['output']>;
  metadata: Scalars['JSONObject']['output'];
  role: MessageRole;
  /** Position in the conversation, from 1: the order of record. */
  seq: Scalars['Int']['output'];
  session: Session;
  sessionId: Scalars['ID']['output'];
  timestamp: Scalars['DateTime']['output'];
  /** How many tokens the message is, as the client counted it or the server estimated it when asked (countTokens); null when not known. */
  tokenCount?: Maybe<Scalars['Int']['output']>;
};

/** A message was appended (a repeated idempotent append adds none). */
export type MessageAdded = StorageEvent & {
  __typename?: 'MessageAdded';
  /** The session's agent. */
  agentName: Scalars['String']['output'];
  /** Opaque; resume after this event with `after`. */
  cursor: Scalars['String']['output'];
  /** As appended, even if the history was cleared since. */
  message: Message;
  /** Position in the feed of this database: increasing in commit order (numbers may be skipped). */
  seq: Scalars['SafeInt']['output'];
  sessionId: Scalars['ID']['output'];
  /** When the write was committed. */
  time: Scalars['DateTime']['output'];
};

export type MessageConnection = {
  __typename?: 'MessageConnection';
  edges: Array<MessageEdge>;
  nodes: Array<Message>;
  pageInfo: PageInfo;
  /** How many items the connection has in all (with its filters), regardless of paging. */
  totalCount: Scalars['NonNegativeInt']['output'];
};

export type MessageEdge = {
  __typename?: 'MessageEdge';
  cursor: Scalars['String']['output'];
  node: Message;
};

/** The last message was popped; it stays readable as superseded history. */
export type MessagePopped = StorageEvent & {
  __typename?: 'MessagePopped';
  /** The session's agent. */
  agentName: Scalars['String']['output'];
  /** Opaque; resume after this event with `after`. */
  cursor: Scalars['String']['output'];
  /** As it was. */
  message: Message;
  /** Position in the feed of this database: increasing in commit order (numbers may be skipped). */
  seq: Scalars['SafeInt']['output'];
  sessionId: Scalars['ID']['output'];
  /** When the write was committed. */
  time: Scalars['DateTime']['output'];
};

/** A message was replaced in place (same id and seq) by an append naming it; its previous version stays readable as superseded history. */
export type MessageReplaced = StorageEvent & {
  __typename?: 'MessageReplaced';
  /** The session's agent. */
  agentName: Scalars['String']['output'];
  /** Opaque; resume after this event with `after`. */
  cursor: Scalars['String']['output'];
  /** As replaced. */
  message: Message;
  /** Position in the feed of this database: increasing in commit order (numbers may be skipped). */
  seq: Scalars['SafeInt']['output'];
  sessionId: Scalars['ID']['output'];
  /** When the write was committed. */
  time: Scalars['DateTime']['output'];
};

export type MessageRole =
  | 'ASSISTANT'
  | 'SYSTEM'
  | 'TOOL'
  | 'USER';

/** One measurement about an entity (an agent, a tool, a model...), optionally tied to a session. */
export type Metric = {
  __typename?: 'Metric';
  entityName: Scalars['String']['output'];
  entityType: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  labels: Scalars['JSONObject']['output'];
  metricName: Scalars['String']['output'];
  sessionId?: Maybe<Scalars['ID']['output']>;
  timestamp: Scalars['DateTime']['output'];
  value: Scalars['Float']['output'];
};

export type MetricConnection = {
  __typename?: 'MetricConnection';
  edges: Array<MetricEdge>;
  nodes: Array<Metric>;
  pageInfo: PageInfo;
  /** How many items the connection has in all (with its filters), regardless of paging. */
  totalCount: Scalars['NonNegativeInt']['output'];
};

export type MetricEdge = {
  __typename?: 'MetricEdge';
  cursor: Scalars['String']['output'];
  node: Metric;
};

/** One time bucket of a series: the statistics asked for (the others are null). */
export type MetricPoint = {
  __typename?: 'MetricPoint';
  avg?: Maybe<Scalars['Float']['output']>;
  count?: Maybe<Scalars['Int']['output']>;
  max?: Maybe<Scalars['Float']['output']>;
  min?: Maybe<Scalars['Float']['output']>;
  p50?: Maybe<Scalars['Float']['output']>;
  p90?: Maybe<Scalars['Float']['output']>;
  p95?: Maybe<Scalars['Float']['output']>;
  p99?: Maybe<Scalars['Float']['output']>;
  sum?: Maybe<Scalars['Float']['output']>;
  /** The start of the bucket. */
  t: Scalars['DateTime']['output'];
};

/** A metric of the session was recorded. */
export type MetricRecorded = StorageEvent & {
  __typename?: 'MetricRecorded';
  /** The session's agent. */
  agentName: Scalars['String']['output'];
  /** Opaque; resume after this event with `after`. */
  cursor: Scalars['String']['output'];
  metric: Metric;
  /** Position in the feed of this database: increasing in commit order (numbers may be skipped). */
  seq: Scalars['SafeInt']['output'];
  sessionId: Scalars['ID']['output'];
  /** When the write was committed. */
  time: Scalars['DateTime']['output'];
};

/** The points of one group, oldest first; only buckets holding metrics have a point. */
export type MetricSeries = {
  __typename?: 'MetricSeries';
  /** The group's values: entity_type, entity_name, metric_name, session_id, or label:<key> (the label's JSON value, null when absent). */
  group: Scalars['JSONObject']['output'];
  points: Array<MetricPoint>;
};

/** A statistic of an aggregate point: percentiles are exact, by nearest rank (docs/analytics.md). */
export type MetricStat =
  | 'AVG'
  | 'COUNT'
  | 'MAX'
  | 'MIN'
  | 'P50'
  | 'P90'
  | 'P95'
  | 'P99'
  | 'SUM';

export type Mutation = {
  __typename?: 'Mutation';
  /** Appends one message to a session's history (idempotent with `input.id` or `input.idempotencyKey`). */
  addMessage: Message;
  /** Appends messages in order, all or nothing: if one is invalid or conflicts, or the session does not exist, none is stored. A message that repeats one stored before (same id or idempotency key, same role, content, item and metadata) is answered with it instead. */
  addMessages: Array<Message>;
  /** Deletes every expired entry; returns how many. */
  cleanupCache: Scalars['NonNegativeInt']['output'];
  /** Deletes all messages of a session; returns how many were deleted (0 for an unknown session). */
  clearHistory: Scalars['NonNegativeInt']['output'];
  /** A new thread holding copies of the source thread's checkpoints, values and writes. NOT_FOUND without a source; CONFLICT when the target exists. */
  copyThread: Thread;
  /** Creates an API key for a tenant; the answer is the only time its secret is shown. */
  createApiKey: CreatedApiKey;
  createArtifact: Artifact;
  createSession: Session;
  /** Deletes an artifact; returns its id. */
  deleteArtifact: Scalars['ID']['output'];
  /** Deletes a version of an artifact's content, or without `version` every version (the artifact record stays; deleteArtifact deletes both); returns the versions deleted. NOT_FOUND when there is no such artifact, version or content. */
  deleteArtifactContent: Array<Scalars['NonNegativeInt']['output']>;
  /** Deletes an entry; returns its key. */
  deleteCacheEntry: Scalars['String']['output'];
  /** Deletes the session with its history, state and artifacts (its metrics stay). Its forks stay too, without a parent. Returns the deleted id. */
  deleteSession: Scalars['ID']['output'];
  /** Deletes the state of a session; returns the session id. A state set again afterwards starts at version 1. */
  deleteState: Scalars['ID']['output'];
  /** Deletes a thread with its checkpoints, channel values and writes; false when there was none. */
  deleteThread: Scalars['Boolean']['output'];
  /** A new session (active, new id) that continues this one from `upToMessageId`, made in one transaction: copies of the history up to and including that message (new ids; the same seq, roles, contents, metadata and timestamps), of the state (version 1 again) and of the artifact records (new ids), with `parentId` and `forkedFromMessageId` set. NOT_FOUND for an unknown session; BAD_USER_INPUT when the message is not one of its messages. */
  forkSession: Session;
  /** Runs operations in order as one transaction (LangGraph’s batch): a put with value null deletes. */
  memoryBatch: Array<MemoryOperationResult>;
  /** Applies a JSON Merge Patch (RFC 7396) to the state, atomically: members set to null are removed, objects are merged recursively, anything else replaces. A session without state is patched as if it were {} (and gets a state). */
  patchState: State;
  /** Takes the last message out of the history, atomically, and returns it (null for an empty history); it stays readable in Session.supersededHistory. */
  popMessage?: Maybe<Message>;
  /** Keeps the newest `keep` checkpoints (default 1) of each namespace of each thread, with the values they reference; deletes the rest. */
  pruneThreads: PruneResult;
  /** Stores a checkpoint (replacing one with the same thread, namespace and id) and its new channel values; creates the thread. */
  putCheckpoint: Checkpoint;
  /** Stores a task's writes against a checkpoint; how many were given. */
  putCheckpointWrites: Scalars['Int']['output'];
  recordMetric: Metric;
  /** Records metrics in one transaction: all or nothing. */
  recordMetrics: Array<Metric>;
  /** Revokes a key at once (on other replicas within 5 seconds); revoking twice is harmless. */
  revokeApiKey: ApiKey;
  /** Replaces the last `replaceLast` messages with `messages` in one transaction, only if the history is as expected (`expectedLastSeq`, `expectedItems`), once per `operationId`. The replaced messages stay readable in Session.supersededHistory; the new ones take seqs after the session's last. */
  rewriteHistory: RewriteHistoryPayload;
  /** Applies the retention rules now: deletes expired sessions, ends idle ones and deletes long-ended ones, as configured; deletes expired and (as configured) idle LangGraph threads. With dryRun: true, writes nothing and reports what it would do. */
  runRetention: RetentionReport;
  /** Saves a file under a name in a session (ADK's save): a new version of the session's latest artifact of that name, or a new artifact (version 0) when it has none. The file comes as a part of a multipart request (see the File scalar), which is read whole within MAX_BODY_BYTES before anything runs: larger content goes over REST (PUT /storage/artifacts/{id}/content), which streams it up to MAX_ARTIFACT_BYTES. NOT_FOUND for an unknown session; otherwise as uploadArtifactContent. */
  saveArtifact: SavedArtifact;
  /** Sets (or replaces) an entry. Without ttl it never expires. */
  setCacheEntry: CacheEntry;
  /** Sets (or replaces) the state of a session. */
  setState: State;
  /** Sets a thread's TTL (it expires ttlSeconds after its last write, counting this one); null removes it. */
  setThreadTtl: Thread;
  updateSession: Session;
  /** Saves a file as the next version of an artifact's content. The file comes as a part of a multipart request (see the File scalar), which is read whole within MAX_BODY_BYTES before anything runs: larger content goes over REST (PUT /storage/artifacts/{id}/content), which streams it up to MAX_ARTIFACT_BYTES. NOT_FOUND for an unknown artifact, PAYLOAD_TOO_LARGE over MAX_ARTIFACT_BYTES, INSUFFICIENT_STORAGE over the tenant's quota, BAD_USER_INPUT when `sha256` is not the file's; nothing is stored then. */
  uploadArtifactContent: ArtifactContent;
};


export type MutationAddMessageArgs = {
  countTokens?: InputMaybe<Scalars['Boolean']['input']>;
  input: AddMessageInput;
  onConflict?: InputMaybe<OnConflict>;
};


export type MutationAddMessagesArgs = {
  countTokens?: InputMaybe<Scalars['Boolean']['input']>;
  messages: Array<NewMessageInput>;
  onConflict?: InputMaybe<OnConflict>;
  sessionId: Scalars['ID']['input'];
};


export type MutationClearHistoryArgs = {
  sessionId: Scalars['ID']['input'];
};


export type MutationCopyThreadArgs = {
  sourceThreadId: Scalars['String']['input'];
  targetThreadId: Scalars['String']['input'];
};


export type MutationCreateApiKeyArgs = {
  name?: InputMaybe<Scalars['String']['input']>;
  scopes: Array<ApiKeyScope>;
  tenant: Scalars['String']['input'];
};


export type MutationCreateArtifactArgs = {
  input: CreateArtifactInput;
};


export type MutationCreateSessionArgs = {
  input: CreateSessionInput;
};


export type MutationDeleteArtifactArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteArtifactContentArgs = {
  artifactId: Scalars['ID']['input'];
  version?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationDeleteCacheEntryArgs = {
  key: Scalars['String']['input'];
};


export type MutationDeleteSessionArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteStateArgs = {
  sessionId: Scalars['ID']['input'];
};


export type MutationDeleteThreadArgs = {
  id: Scalars['String']['input'];
};


export type MutationForkSessionArgs = {
  id: Scalars['ID']['input'];
  input?: InputMaybe<ForkSessionInput>;
  upToMessageId: Scalars['ID']['input'];
};


export type MutationMemoryBatchArgs = {
  operations: Array<MemoryOperationInput>;
};


export type MutationPatchStateArgs = {
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  patch: Scalars['JSON']['input'];
  sessionId: Scalars['ID']['input'];
};


export type MutationPopMessageArgs = {
  sessionId: Scalars['ID']['input'];
};


export type MutationPruneThreadsArgs = {
  keep?: InputMaybe<Scalars['Int']['input']>;
  threadIds: Array<Scalars['String']['input']>;
};


export type MutationPutCheckpointArgs = {
  input: PutCheckpointInput;
};


export type MutationPutCheckpointWritesArgs = {
  input: PutCheckpointWritesInput;
};


export type MutationRecordMetricArgs = {
  input: RecordMetricInput;
};


export type MutationRecordMetricsArgs = {
  inputs: Array<RecordMetricInput>;
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRewriteHistoryArgs = {
  input: RewriteHistoryInput;
};


export type MutationRunRetentionArgs = {
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
};


export type MutationSaveArtifactArgs = {
  contentType?: InputMaybe<Scalars['String']['input']>;
  file: Scalars['File']['input'];
  metadata?: InputMaybe<Scalars['JSONObject']['input']>;
  name: Scalars['String']['input'];
  path?: InputMaybe<Scalars['String']['input']>;
  sessionId: Scalars['ID']['input'];
  sha256?: InputMaybe<Scalars['String']['input']>;
  type?: InputMaybe<Scalars['String']['input']>;
};


export type MutationSetCacheEntryArgs = {
  key: Scalars['String']['input'];
  ttl?: InputMaybe<Scalars['Int']['input']>;
  value: Scalars['JSON']['input'];
};


export type MutationSetStateArgs = {
  data: Scalars['JSON']['input'];
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  sessionId: Scalars['ID']['input'];
};


export type MutationSetThreadTtlArgs = {
  id: Scalars['String']['input'];
  ttlSeconds?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationUpdateSessionArgs = {
  id: Scalars['ID']['input'];
  input: UpdateSessionInput;
};


export type MutationUploadArtifactContentArgs = {
  artifactId: Scalars['ID']['input'];
  contentType?: InputMaybe<Scalars['String']['input']>;
  file: Scalars['File']['input'];
  sha256?: InputMaybe<Scalars['String']['input']>;
};

export type NewMessageInput = {
  /** The text. Required unless `item` is given; then, when absent, the text read from the item. */
  content?: InputMaybe<Scalars['String']['input']>;
  /** Optional: the message's id, chosen by the client ("msg_" then letters, digits, "_" or "-"). Sending the same message again with it stores nothing new and answers the message stored the first time; another message with this id is a CONFLICT. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** Optional: a key for this append, unique within the session. Repeating the append with it stores nothing new and answers the message stored the first time; another message with this key is a CONFLICT. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** A structured item (a tool call, its output, a UI message with parts, ...), kept exactly as given. */
  item?: InputMaybe<Scalars['JSON']['input']>;
  /** Defaults to {}. */
  metadata?: InputMaybe<Scalars['JSONObject']['input']>;
  role: MessageRole;
  /** The message's number of tokens, as the client counts them (budget reads: Session.history(lastTokens:)). */
  tokenCount?: InputMaybe<Scalars['Int']['input']>;
};

/** What an append does with a message whose id or idempotency key names a stored message with a different body. */
export type OnConflict =
  /** A CONFLICT (the default): a retry must repeat the append exactly. */
  | 'ERROR'
  /** The stored message takes the new body in place (same id and seq); its previous version stays readable as superseded history. */
  | 'REPLACE';

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** A task's write against a checkpoint, not yet applied by a later checkpoint. */
export type PendingWrite = {
  __typename?: 'PendingWrite';
  channel: Scalars['String']['output'];
  /** Base64. */
  data: Scalars['String']['output'];
  /** The write's index in its task; negative for LangGraph's special writes (errors, interrupts…). */
  idx: Scalars['Int']['output'];
  taskId: Scalars['String']['output'];
  taskPath: Scalars['String']['output'];
  type: Scalars['String']['output'];
};

/** What a prune deleted. */
export type PruneResult = {
  __typename?: 'PruneResult';
  channelValues: Scalars['Int']['output'];
  checkpoints: Scalars['Int']['output'];
  writes: Scalars['Int']['output'];
};

export type PutCheckpointInput = {
  /** Only the channels this checkpoint changed (LangGraph's newVersions). */
  channelValues?: InputMaybe<Array<ChannelValueInput>>;
  /** Channel → version (number or string). */
  channelVersions?: InputMaybe<Scalars['JSONObject']['input']>;
  /** The serialized checkpoint without channel values, base64. */
  data: Scalars['String']['input'];
  id: Scalars['String']['input'];
  /** Defaults to {}. */
  metadata?: InputMaybe<Scalars['JSONObject']['input']>;
  /** Default ''. */
  namespace?: InputMaybe<Scalars['String']['input']>;
  parentId?: InputMaybe<Scalars['String']['input']>;
  threadId: Scalars['String']['input'];
  /** Sets the thread's TTL: it expires this many seconds after its last write. Omitted: unchanged; null: removed. */
  ttlSeconds?: InputMaybe<Scalars['Int']['input']>;
  type: Scalars['String']['input'];
};

export type PutCheckpointWritesInput = {
  checkpointId: Scalars['String']['input'];
  /** Default ''. */
  namespace?: InputMaybe<Scalars['String']['input']>;
  taskId: Scalars['String']['input'];
  /** Default ''. */
  taskPath?: InputMaybe<Scalars['String']['input']>;
  threadId: Scalars['String']['input'];
  writes: Array<CheckpointWriteInput>;
};

export type Query = {
  __typename?: 'Query';
  /** The API keys of a tenant (default: the caller’s own), revoked ones included. Only the bootstrap key (STORAGE_ADMIN_KEY) may name another tenant. */
  apiKeys: Array<ApiKey>;
  artifact?: Maybe<Artifact>;
  /** Reads an entry and moves its accessedAt. An expired entry reads as null (and is deleted). */
  cacheEntry?: Maybe<CacheEntry>;
  /** Checkpoints of one thread or of all, newest (highest id) first; 100 per page unless asked otherwise. */
  checkpoints: CheckpointConnection;
  /** One item; null when there is none (or it expired). */
  memoryItem?: Maybe<MemoryItem>;
  /** The namespaces of live items, matching prefix and suffix, cut to maxDepth, in order, paged. */
  memoryNamespaces: Array<Array<Scalars['String']['output']>>;
  /** Runs read operations (get, search, listNamespaces) in order; puts go through the memoryBatch mutation. */
  memoryRead: Array<MemoryOperationResult>;
  /** Items at or below a namespace prefix: filtered, ranked (queryVector, else query), paged. */
  memorySearch: Array<MemoryItem>;
  message?: Maybe<Message>;
  /** Statistics of the metrics the filter selects, per group and time bucket (docs/analytics.md): at most 10,000 points in all. */
  metricSeries: Array<MetricSeries>;
  /** Metrics, oldest first, filtered by every argument given; 100 per page unless asked otherwise. */
  metrics: MetricConnection;
  /** Full-text search over the messages of every session, best first (docs/search.md: the query syntax, filters, scores, snippets). */
  search: SearchConnection;
  /** Full-text search over artifacts by name, type and metadata's values, best first (filter: not roles; since/until: their creation). */
  searchArtifacts: ArtifactSearchConnection;
  /** Full-text search over sessions by their metadata's values, best first (filter: not roles or metadata; sessionMetadata is theirs; since/until: their creation). */
  searchSessions: SessionSearchConnection;
  session?: Maybe<Session>;
  /** Sessions, newest first; 100 per page unless asked otherwise. */
  sessions: SessionConnection;
  /** A LangGraph thread; null when there is none (or it expired). */
  thread?: Maybe<Thread>;
  /** The caller's tenant's content usage and limits. */
  usage: Usage;
};


export type QueryApiKeysArgs = {
  tenant?: InputMaybe<Scalars['String']['input']>;
};


export type QueryArtifactArgs = {
  id: Scalars['ID']['input'];
};


export type QueryCacheEntryArgs = {
  key: Scalars['String']['input'];
};


export type QueryCheckpointsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<Scalars['JSONObject']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  namespace?: InputMaybe<Scalars['String']['input']>;
  threadId?: InputMaybe<Scalars['String']['input']>;
};


export type QueryMemoryItemArgs = {
  input: MemoryGetInput;
};


export type QueryMemoryNamespacesArgs = {
  input?: InputMaybe<MemoryListNamespacesInput>;
};


export type QueryMemoryReadArgs = {
  operations: Array<MemoryOperationInput>;
};


export type QueryMemorySearchArgs = {
  input: MemorySearchInput;
};


export type QueryMessageArgs = {
  id: Scalars['ID']['input'];
};


export type QueryMetricSeriesArgs = {
  bucket: Scalars['String']['input'];
  entityName?: InputMaybe<Scalars['String']['input']>;
  entityType?: InputMaybe<Scalars['String']['input']>;
  groupBy?: InputMaybe<Array<Scalars['String']['input']>>;
  metricName?: InputMaybe<Scalars['String']['input']>;
  sessionId?: InputMaybe<Scalars['ID']['input']>;
  since: Scalars['DateTime']['input'];
  stats?: InputMaybe<Array<MetricStat>>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QueryMetricsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  entityName?: InputMaybe<Scalars['String']['input']>;
  entityType?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  metricName?: InputMaybe<Scalars['String']['input']>;
  sessionId?: InputMaybe<Scalars['ID']['input']>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QuerySearchArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<SearchFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  query: Scalars['String']['input'];
};


export type QuerySearchArtifactsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<SearchFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  query: Scalars['String']['input'];
};


export type QuerySearchSessionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<SearchFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  query: Scalars['String']['input'];
};


export type QuerySessionArgs = {
  id: Scalars['ID']['input'];
};


export type QuerySessionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  agentName?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  status?: InputMaybe<SessionStatus>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
  userId?: InputMaybe<Scalars['String']['input']>;
};


export type QueryThreadArgs = {
  id: Scalars['String']['input'];
};

export type RecordMetricInput = {
  entityName: Scalars['String']['input'];
  entityType: Scalars['String']['input'];
  /** Defaults to {}. */
  labels?: InputMaybe<Scalars['JSONObject']['input']>;
  metricName: Scalars['String']['input'];
  sessionId?: InputMaybe<Scalars['ID']['input']>;
  /** Defaults to the time of recording. */
  timestamp?: InputMaybe<Scalars['DateTime']['input']>;
  value: Scalars['Float']['input'];
};

/** What one retention rule did (or, in a dry run, would do). */
export type RetentionOutcome = {
  __typename?: 'RetentionOutcome';
  /** How many sessions (threads, for threadsDeleted). */
  count: Scalars['NonNegativeInt']['output'];
  /** Their ids, the first RETENTION_REPORT_IDS of them. */
  ids: Array<Scalars['ID']['output']>;
};

/** One run of the retention rules (see docs/operations.md, Retention). */
export type RetentionReport = {
  __typename?: 'RetentionReport';
  /** Nothing was written: the report says what a run would do. */
  dryRun: Scalars['Boolean']['output'];
  /** Long-ended sessions deleted (RETENTION_DELETE_ENDED_DAYS). */
  endedDeleted: RetentionOutcome;
  /** Expired sessions deleted. */
  expiredDeleted: RetentionOutcome;
  /** Idle sessions ended (RETENTION_IDLE_HOURS). */
  idleEnded: RetentionOutcome;
  /** Expired memory store items deleted. */
  memoryItemsDeleted: Scalars['NonNegativeInt']['output'];
  /** The moment the rules were applied at. */
  ranAt: Scalars['DateTime']['output'];
  /** LangGraph threads deleted: expired by their TTL, or idle (RETENTION_THREAD_IDLE_DAYS). */
  threadsDeleted: RetentionOutcome;
};

export type RewriteHistoryInput = {
  /** Optional, replaceLast of them: the items the replaced messages must hold, null for a plain message (else a CONFLICT). */
  expectedItems?: InputMaybe<Array<InputMaybe<Scalars['JSON']['input']>>>;
  /** The seq of the history's last message as the caller saw it; null: the caller saw an empty history. Compare-and-set: otherwise a CONFLICT. */
  expectedLastSeq?: InputMaybe<Scalars['Int']['input']>;
  messages: Array<NewMessageInput>;
  /** Names this rewrite: applied once; a retry with the same request answers what the first did, another request with this id is a CONFLICT. */
  operationId: Scalars['String']['input'];
  /** Recorded on the replaced messages; defaults to rewritten. */
  reason?: InputMaybe<RewriteReason>;
  /** How many of the last messages the new ones replace (0: a pure append, once per operation id). */
  replaceLast: Scalars['Int']['input'];
  sessionId: Scalars['ID']['input'];
};

export type RewriteHistoryPayload = {
  __typename?: 'RewriteHistoryPayload';
  /** The replacements. */
  messages: Array<Message>;
  operationId: Scalars['String']['output'];
  /** The operation had been applied before: this is what it did then; nothing was done now. */
  replayed: Scalars['Boolean']['output'];
  /** The replaced messages (readable in Session.supersededHistory). */
  supersededIds: Array<Scalars['ID']['output']>;
};

export type RewriteReason =
  | 'COMPACTED'
  | 'REWRITTEN';

/** What `saveArtifact` did: the artifact it saved to (new, or the latest of that name) and the new version. */
export type SavedArtifact = {
  __typename?: 'SavedArtifact';
  artifact: Artifact;
  content: ArtifactContent;
  /** Whether the artifact was created by this save (its version is then 0). */
  createdArtifact: Scalars['Boolean']['output'];
};

export type SearchConnection = {
  __typename?: 'SearchConnection';
  edges: Array<SearchEdge>;
  nodes: Array<SearchHit>;
  pageInfo: PageInfo;
  /** How many items the connection has in all (with its filters), regardless of paging. */
  totalCount: Scalars['NonNegativeInt']['output'];
  /** True when more than 10000 results match: totalCount then says "at least". */
  totalCountIsEstimate: Scalars['Boolean']['output'];
};

export type SearchEdge = {
  __typename?: 'SearchEdge';
  cursor: Scalars['String']['output'];
  node: SearchHit;
};

/** What a search keeps to: every filter given must hold. */
export type SearchFilter = {
  agentName?: InputMaybe<Scalars['String']['input']>;
  /** Keys of the message's metadata and the scalar values they must hold (compared as JSON). */
  metadata?: InputMaybe<Scalars['JSONObject']['input']>;
  roles?: InputMaybe<Array<MessageRole>>;
  /** At most 100. */
  sessionIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Keys of the session's metadata and the scalar values they must hold. */
  sessionMetadata?: InputMaybe<Scalars['JSONObject']['input']>;
  /** Messages written at or after this time. */
  since?: InputMaybe<Scalars['DateTime']['input']>;
  /** The session's status. */
  status?: InputMaybe<SessionStatus>;
  /** Messages written before this time. */
  until?: InputMaybe<Scalars['DateTime']['input']>;
  userId?: InputMaybe<Scalars['String']['input']>;
};

/** Where a term of the query is in a snippet: [start, end) offsets in UTF-16 code units (JavaScript string indexes). */
export type SearchHighlight = {
  __typename?: 'SearchHighlight';
  end: Scalars['Int']['output'];
  start: Scalars['Int']['output'];
};

/** A message found by a search, with its score and a snippet of its text around the match. */
export type SearchHit = SearchResult & {
  __typename?: 'SearchHit';
  highlights: Array<SearchHighlight>;
  message: Message;
  /** Higher is better; comparable between the results of one search. */
  score: Scalars['Float']['output'];
  session: Session;
  /** A piece of the found text around its first match, plain text; "…" where it is cut. */
  snippet: Scalars['String']['output'];
};

/** A record found by a search, with its score and a snippet of its text around the match. */
export type SearchResult = {
  highlights: Array<SearchHighlight>;
  /** Higher is better; comparable between the results of one search. */
  score: Scalars['Float']['output'];
  /** A piece of the found text around its first match, plain text; "…" where it is cut. */
  snippet: Scalars['String']['output'];
};

/** An agent's conversation with a user, with its history, state, artifacts and metrics. */
export type Session = {
  __typename?: 'Session';
  agentName: Scalars['String']['output'];
  /** Artifacts in creation order; without paging arguments all of them, up to the page ceiling. */
  artifacts: ArtifactConnection;
  createdAt: Scalars['DateTime']['output'];
  /** When the session expires: from then on it reads as if it did not exist, until retention deletes it. Null: never. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** The parent's message this fork was cut at (its history was copied up to and including it); kept when the parent is deleted. */
  forkedFromMessageId?: Maybe<Scalars['ID']['output']>;
  /** Sessions forked from this one, in creation order; without paging arguments all of them, up to the page ceiling. */
  forks: SessionConnection;
  /** The messages in conversation order. Without paging arguments: the whole history, up to the server's page ceiling (MAX_PAGE_SIZE); pageInfo.hasNextPage says whether more follow. */
  history: MessageConnection;
  id: Scalars['ID']['output'];
  metadata: Scalars['JSONObject']['output'];
  /** Metrics recorded for this session, oldest first; 100 per page unless asked otherwise. */
  metrics: MetricConnection;
  /** The session this one was forked from; null when it is not a fork, or its parent was deleted. */
  parent?: Maybe<Session>;
  /** The session this one was forked from; null for a session that is not a fork, or whose parent was deleted. */
  parentId?: Maybe<Scalars['ID']['output']>;
  /** The state the agent saved for this session; null when none is set. */
  state?: Maybe<State>;
  status: SessionStatus;
  /** The messages pops, rewrites, compactions and replacements took out of the history, in that order (clearing the history deletes them). */
  supersededHistory: SupersededMessageConnection;
  /** The tokens of the whole history (see TokenTotal). */
  tokens: TokenTotal;
  updatedAt: Scalars['DateTime']['output'];
  userId?: Maybe<Scalars['String']['output']>;
};


/** An agent's conversation with a user, with its history, state, artifacts and metrics. */
export type SessionArtifactsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** An agent's conversation with a user, with its history, state, artifacts and metrics. */
export type SessionForksArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** An agent's conversation with a user, with its history, state, artifacts and metrics. */
export type SessionHistoryArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  afterSeq?: InputMaybe<Scalars['Int']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  lastTokens?: InputMaybe<Scalars['Int']['input']>;
};


/** An agent's conversation with a user, with its history, state, artifacts and metrics. */
export type SessionMetricsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  metricName?: InputMaybe<Scalars['String']['input']>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
};


/** An agent's conversation with a user, with its history, state, artifacts and metrics. */
export type SessionSupersededHistoryArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

export type SessionConnection = {
  __typename?: 'SessionConnection';
  edges: Array<SessionEdge>;
  nodes: Array<Session>;
  pageInfo: PageInfo;
  /** How many items the connection has in all (with its filters), regardless of paging. */
  totalCount: Scalars['NonNegativeInt']['output'];
};

/** A session was created (or forked: its copied history, state and artifacts come with it). */
export type SessionCreated = StorageEvent & {
  __typename?: 'SessionCreated';
  /** The session's agent. */
  agentName: Scalars['String']['output'];
  /** Opaque; resume after this event with `after`. */
  cursor: Scalars['String']['output'];
  /** Position in the feed of this database: increasing in commit order (numbers may be skipped). */
  seq: Scalars['SafeInt']['output'];
  /** As created. */
  session: Session;
  sessionId: Scalars['ID']['output'];
  /** When the write was committed. */
  time: Scalars['DateTime']['output'];
};

/** A session was deleted, with its history, state and artifacts (they yield no events of their own). */
export type SessionDeleted = StorageEvent & {
  __typename?: 'SessionDeleted';
  /** The session's agent. */
  agentName: Scalars['String']['output'];
  /** Opaque; resume after this event with `after`. */
  cursor: Scalars['String']['output'];
  /** Position in the feed of this database: increasing in commit order (numbers may be skipped). */
  seq: Scalars['SafeInt']['output'];
  /** As it was. */
  session: Session;
  sessionId: Scalars['ID']['output'];
  /** When the write was committed. */
  time: Scalars['DateTime']['output'];
};

export type SessionEdge = {
  __typename?: 'SessionEdge';
  cursor: Scalars['String']['output'];
  node: Session;
};

export type SessionSearchConnection = {
  __typename?: 'SessionSearchConnection';
  edges: Array<SessionSearchEdge>;
  nodes: Array<SessionSearchHit>;
  pageInfo: PageInfo;
  /** How many items the connection has in all (with its filters), regardless of paging. */
  totalCount: Scalars['NonNegativeInt']['output'];
  /** True when more than 10000 results match: totalCount then says "at least". */
  totalCountIsEstimate: Scalars['Boolean']['output'];
};

export type SessionSearchEdge = {
  __typename?: 'SessionSearchEdge';
  cursor: Scalars['String']['output'];
  node: SessionSearchHit;
};

/** A session found by its metadata's values; the snippet is cut from those values, joined by " · ". */
export type SessionSearchHit = SearchResult & {
  __typename?: 'SessionSearchHit';
  highlights: Array<SearchHighlight>;
  /** Higher is better; comparable between the results of one search. */
  score: Scalars['Float']['output'];
  session: Session;
  /** A piece of the found text around its first match, plain text; "…" where it is cut. */
  snippet: Scalars['String']['output'];
};

export type SessionStatus =
  | 'ACTIVE'
  | 'ENDED'
  | 'PAUSED';

/** A session was updated. */
export type SessionUpdated = StorageEvent & {
  __typename?: 'SessionUpdated';
  /** The session's agent. */
  agentName: Scalars['String']['output'];
  /** Opaque; resume after this event with `after`. */
  cursor: Scalars['String']['output'];
  /** Position in the feed of this database: increasing in commit order (numbers may be skipped). */
  seq: Scalars['SafeInt']['output'];
  /** As updated. */
  session: Session;
  sessionId: Scalars['ID']['output'];
  /** When the write was committed. */
  time: Scalars['DateTime']['output'];
};

/** Whatever an agent keeps between turns of a session: one JSON value per session. */
export type State = {
  __typename?: 'State';
  data?: Maybe<Scalars['JSON']['output']>;
  /** The state's kept versions, newest first, the current one included: the last STATE_HISTORY_VERSIONS writes (deleting the state deletes them; a fork or an import starts with its current version). */
  history: StateVersionConnection;
  sessionId: Scalars['ID']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /** 1 when the state is created, one more on every write. Pass it as `expectedVersion` to write only if nobody else wrote since. */
  version: Scalars['Int']['output'];
};


/** Whatever an agent keeps between turns of a session: one JSON value per session. */
export type StateHistoryArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** The state was set, replaced or patched. */
export type StateChanged = StorageEvent & {
  __typename?: 'StateChanged';
  /** The session's agent. */
  agentName: Scalars['String']['output'];
  /** Opaque; resume after this event with `after`. */
  cursor: Scalars['String']['output'];
  /** Position in the feed of this database: increasing in commit order (numbers may be skipped). */
  seq: Scalars['SafeInt']['output'];
  sessionId: Scalars['ID']['output'];
  /** As stored. */
  state: State;
  /** When the write was committed. */
  time: Scalars['DateTime']['output'];
};

/** The state was deleted. */
export type StateDeleted = StorageEvent & {
  __typename?: 'StateDeleted';
  /** The session's agent. */
  agentName: Scalars['String']['output'];
  /** Opaque; resume after this event with `after`. */
  cursor: Scalars['String']['output'];
  /** Position in the feed of this database: increasing in commit order (numbers may be skipped). */
  seq: Scalars['SafeInt']['output'];
  sessionId: Scalars['ID']['output'];
  /** When the write was committed. */
  time: Scalars['DateTime']['output'];
};

/** A version of a session's state as that write stored it (see State.history). */
export type StateVersion = {
  __typename?: 'StateVersion';
  data?: Maybe<Scalars['JSON']['output']>;
  sessionId: Scalars['ID']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /** 1 when the state is created, one more on every write. Pass it as `expectedVersion` to write only if nobody else wrote since. */
  version: Scalars['Int']['output'];
};

export type StateVersionConnection = {
  __typename?: 'StateVersionConnection';
  edges: Array<StateVersionEdge>;
  nodes: Array<StateVersion>;
  pageInfo: PageInfo;
  /** How many items the connection has in all (with its filters), regardless of paging. */
  totalCount: Scalars['NonNegativeInt']['output'];
};

export type StateVersionEdge = {
  __typename?: 'StateVersionEdge';
  cursor: Scalars['String']['output'];
  node: StateVersion;
};

/** Something a write did, in the order of record. Pass `cursor` as `after` to resume right after it. */
export type StorageEvent = {
  /** The session's agent. */
  agentName: Scalars['String']['output'];
  /** Opaque; resume after this event with `after`. */
  cursor: Scalars['String']['output'];
  /** Position in the feed of this database: increasing in commit order (numbers may be skipped). */
  seq: Scalars['SafeInt']['output'];
  sessionId: Scalars['ID']['output'];
  /** When the write was committed. */
  time: Scalars['DateTime']['output'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /** The events of every session of an agent (by the session's agent name when the event was written): replay after `after`, then live. */
  agentEvents: StorageEvent;
  /** A session's events: replay after `after`, then live. NOT_FOUND for an unknown session; CURSOR_EXPIRED for a cursor older than the retention window. */
  sessionEvents: StorageEvent;
  /** A LangGraph thread's events (CheckpointPut, CheckpointWritesPut, ThreadDeleted): replay after `after`, then live. The thread need not exist yet. */
  threadEvents: StorageEvent;
};


export type SubscriptionAgentEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  agentName: Scalars['String']['input'];
};


export type SubscriptionSessionEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  sessionId: Scalars['ID']['input'];
};


export type SubscriptionThreadEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  threadId: Scalars['String']['input'];
};

/** A message as a pop, a rewrite, a compaction or an in-place replacement took it out of the history: kept for audit. */
export type SupersededMessage = {
  __typename?: 'SupersededMessage';
  message: Message;
  /** The rewrite's operation id; null for a pop or a replacement. */
  operationId?: Maybe<Scalars['String']['output']>;
  reason: SupersededReason;
  supersededAt: Scalars['DateTime']['output'];
};

export type SupersededMessageConnection = {
  __typename?: 'SupersededMessageConnection';
  edges: Array<SupersededMessageEdge>;
  nodes: Array<SupersededMessage>;
  pageInfo: PageInfo;
  /** How many items the connection has in all (with its filters), regardless of paging. */
  totalCount: Scalars['NonNegativeInt']['output'];
};

export type SupersededMessageEdge = {
  __typename?: 'SupersededMessageEdge';
  cursor: Scalars['String']['output'];
  node: SupersededMessage;
};

export type SupersededReason =
  | 'COMPACTED'
  | 'POPPED'
  | 'REPLACED'
  | 'REWRITTEN';

/** A LangGraph thread: its checkpoints by namespace. Created by its first write; a thread with a TTL expires ttlSeconds after its last write. */
export type Thread = {
  __typename?: 'Thread';
  /** A checkpoint of a namespace: `id`'s, or the latest when `id` is omitted; null when there is none. */
  checkpoint?: Maybe<Checkpoint>;
  /** The thread's checkpoints, newest (highest id) first; 100 per page unless asked otherwise. */
  checkpoints: CheckpointConnection;
  createdAt: Scalars['DateTime']['output'];
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['String']['output'];
  ttlSeconds?: Maybe<Scalars['Int']['output']>;
  /** The last write. */
  updatedAt: Scalars['DateTime']['output'];
};


/** A LangGraph thread: its checkpoints by namespace. Created by its first write; a thread with a TTL expires ttlSeconds after its last write. */
export type ThreadCheckpointArgs = {
  id?: InputMaybe<Scalars['String']['input']>;
  namespace?: InputMaybe<Scalars['String']['input']>;
};


/** A LangGraph thread: its checkpoints by namespace. Created by its first write; a thread with a TTL expires ttlSeconds after its last write. */
export type ThreadCheckpointsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<Scalars['JSONObject']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  namespace?: InputMaybe<Scalars['String']['input']>;
};

/** A LangGraph thread was deleted with its checkpoints (by a client, or by retention). */
export type ThreadDeleted = StorageEvent & {
  __typename?: 'ThreadDeleted';
  /** The session's agent. */
  agentName: Scalars['String']['output'];
  /** Opaque; resume after this event with `after`. */
  cursor: Scalars['String']['output'];
  /** Position in the feed of this database: increasing in commit order (numbers may be skipped). */
  seq: Scalars['SafeInt']['output'];
  sessionId: Scalars['ID']['output'];
  threadId: Scalars['String']['output'];
  /** When the write was committed. */
  time: Scalars['DateTime']['output'];
};

/** A session's tokens: the counts its messages carry, plus an estimate (a quarter of the characters) for those without one. */
export type TokenTotal = {
  __typename?: 'TokenTotal';
  /** Messages without a count: their share of `tokens` is the estimate. */
  estimatedMessages: Scalars['Int']['output'];
  messages: Scalars['Int']['output'];
  tokens: Scalars['Int']['output'];
};

/** A partial update: a field left out (or null) keeps its value. */
export type UpdateSessionInput = {
  agentName?: InputMaybe<Scalars['String']['input']>;
  /** A new expiry (in the future). Only one of expiresAt, ttlSeconds, neverExpires. */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Replaces the whole metadata object. */
  metadata?: InputMaybe<Scalars['JSONObject']['input']>;
  /** true removes the expiry (null, like every field here, keeps it). */
  neverExpires?: InputMaybe<Scalars['Boolean']['input']>;
  status?: InputMaybe<SessionStatus>;
  /** Expire the session this many seconds from now (1 to ten years). */
  ttlSeconds?: InputMaybe<Scalars['Int']['input']>;
  userId?: InputMaybe<Scalars['String']['input']>;
};

/** What the caller's tenant's artifact content occupies, and its limits (REST: GET /storage/usage). */
export type Usage = {
  __typename?: 'Usage';
  /** Distinct contents stored. */
  blobs: Scalars['NonNegativeInt']['output'];
  /** The sizes of all versions added up (shared content counted each time). */
  contentBytes: Scalars['NonNegativeInt']['output'];
  /** The largest content one version may have (MAX_ARTIFACT_BYTES). */
  maxArtifactBytes: Scalars['NonNegativeInt']['output'];
  /** How many bytes the tenant may store (STORAGE_QUOTA_BYTES); null: no quota. */
  quotaBytes?: Maybe<Scalars['NonNegativeInt']['output']>;
  /** Bytes stored: each distinct content once, however many versions share it. */
  storedBytes: Scalars['NonNegativeInt']['output'];
  tenant: Scalars['String']['output'];
  /** Versions stored, of all artifacts. */
  versions: Scalars['NonNegativeInt']['output'];
};

export type ThreadRecordFragment = { __typename?: 'Thread', id: string, createdAt: string, updatedAt: string, ttlSeconds?: number | null, expiresAt?: string | null };

export type CheckpointRecordFragment = { __typename?: 'Checkpoint', threadId: string, namespace: string, id: string, parentId?: string | null, type: string, data: string, metadata: Record<string, unknown>, channelVersions: Record<string, unknown>, createdAt: string, channelValues: Array<{ __typename?: 'ChannelValue', channel: string, version: string, type: string, data?: string | null }>, pendingWrites: Array<{ __typename?: 'PendingWrite', taskId: string, idx: number, channel: string, type: string, data: string, taskPath: string }> };

export type GetThreadQueryVariables = Exact<{
  id: Scalars['String']['input'];
}>;


export type GetThreadQuery = { __typename?: 'Query', thread?: { __typename?: 'Thread', id: string, createdAt: string, updatedAt: string, ttlSeconds?: number | null, expiresAt?: string | null } | null };

export type GetCheckpointQueryVariables = Exact<{
  threadId: Scalars['String']['input'];
  namespace: Scalars['String']['input'];
  id?: InputMaybe<Scalars['String']['input']>;
}>;


export type GetCheckpointQuery = { __typename?: 'Query', thread?: { __typename?: 'Thread', checkpoint?: { __typename?: 'Checkpoint', threadId: string, namespace: string, id: string, parentId?: string | null, type: string, data: string, metadata: Record<string, unknown>, channelVersions: Record<string, unknown>, createdAt: string, channelValues: Array<{ __typename?: 'ChannelValue', channel: string, version: string, type: string, data?: string | null }>, pendingWrites: Array<{ __typename?: 'PendingWrite', taskId: string, idx: number, channel: string, type: string, data: string, taskPath: string }> } | null } | null };

export type ListCheckpointsQueryVariables = Exact<{
  threadId?: InputMaybe<Scalars['String']['input']>;
  namespace?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<Scalars['JSONObject']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ListCheckpointsQuery = { __typename?: 'Query', checkpoints: { __typename?: 'CheckpointConnection', pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'Checkpoint', threadId: string, namespace: string, id: string, parentId?: string | null, type: string, data: string, metadata: Record<string, unknown>, channelVersions: Record<string, unknown>, createdAt: string, channelValues: Array<{ __typename?: 'ChannelValue', channel: string, version: string, type: string, data?: string | null }>, pendingWrites: Array<{ __typename?: 'PendingWrite', taskId: string, idx: number, channel: string, type: string, data: string, taskPath: string }> }> } };

export type PutCheckpointMutationVariables = Exact<{
  input: PutCheckpointInput;
}>;


export type PutCheckpointMutation = { __typename?: 'Mutation', putCheckpoint: { __typename?: 'Checkpoint', threadId: string, namespace: string, id: string } };

export type PutCheckpointWritesMutationVariables = Exact<{
  input: PutCheckpointWritesInput;
}>;


export type PutCheckpointWritesMutation = { __typename?: 'Mutation', putCheckpointWrites: number };

export type DeleteThreadMutationVariables = Exact<{
  id: Scalars['String']['input'];
}>;


export type DeleteThreadMutation = { __typename?: 'Mutation', deleteThread: boolean };

export type CopyThreadMutationVariables = Exact<{
  sourceThreadId: Scalars['String']['input'];
  targetThreadId: Scalars['String']['input'];
}>;


export type CopyThreadMutation = { __typename?: 'Mutation', copyThread: { __typename?: 'Thread', id: string, createdAt: string, updatedAt: string, ttlSeconds?: number | null, expiresAt?: string | null } };

export type PruneThreadsMutationVariables = Exact<{
  threadIds: Array<Scalars['String']['input']> | Scalars['String']['input'];
  keep?: InputMaybe<Scalars['Int']['input']>;
}>;


export type PruneThreadsMutation = { __typename?: 'Mutation', pruneThreads: { __typename?: 'PruneResult', checkpoints: number, writes: number, channelValues: number } };

export type SetThreadTtlMutationVariables = Exact<{
  id: Scalars['String']['input'];
  ttlSeconds?: InputMaybe<Scalars['Int']['input']>;
}>;


export type SetThreadTtlMutation = { __typename?: 'Mutation', setThreadTtl: { __typename?: 'Thread', id: string, createdAt: string, updatedAt: string, ttlSeconds?: number | null, expiresAt?: string | null } };

export type ThreadEventsSubscriptionVariables = Exact<{
  threadId: Scalars['String']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ThreadEventsSubscription = { __typename?: 'Subscription', threadEvents:
    | { __typename: 'ArtifactContentDeleted', cursor: string, seq: number, time: string }
    | { __typename: 'ArtifactContentSaved', cursor: string, seq: number, time: string }
    | { __typename: 'ArtifactCreated', cursor: string, seq: number, time: string }
    | { __typename: 'ArtifactDeleted', cursor: string, seq: number, time: string }
    | { __typename: 'CheckpointPut', threadId: string, namespace: string, checkpointId: string, parentId?: string | null, metadata: Record<string, unknown>, cursor: string, seq: number, time: string }
    | { __typename: 'CheckpointWritesPut', threadId: string, namespace: string, checkpointId: string, taskId: string, count: number, cursor: string, seq: number, time: string }
    | { __typename: 'HistoryCleared', cursor: string, seq: number, time: string }
    | { __typename: 'HistoryRewritten', cursor: string, seq: number, time: string }
    | { __typename: 'MessageAdded', cursor: string, seq: number, time: string }
    | { __typename: 'MessagePopped', cursor: string, seq: number, time: string }
    | { __typename: 'MessageReplaced', cursor: string, seq: number, time: string }
    | { __typename: 'MetricRecorded', cursor: string, seq: number, time: string }
    | { __typename: 'SessionCreated', cursor: string, seq: number, time: string }
    | { __typename: 'SessionDeleted', cursor: string, seq: number, time: string }
    | { __typename: 'SessionUpdated', cursor: string, seq: number, time: string }
    | { __typename: 'StateChanged', cursor: string, seq: number, time: string }
    | { __typename: 'StateDeleted', cursor: string, seq: number, time: string }
    | { __typename: 'ThreadDeleted', threadId: string, cursor: string, seq: number, time: string }
   };

export type PageInfoRecordFragment = { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null };

export type SessionRecordFragment = { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null };

export type MessageRecordFragment = { __typename?: 'Message', id: string, sessionId: string, seq: number, role: MessageRole, content: string, item?: unknown | null, metadata: Record<string, unknown>, timestamp: string, idempotencyKey?: string | null, tokenCount?: number | null };

export type StateRecordFragment = { __typename?: 'State', sessionId: string, data?: unknown | null, version: number, updatedAt: string };

export type ArtifactRecordFragment = { __typename?: 'Artifact', id: string, sessionId: string, name: string, type: string, path: string, size: number, metadata: Record<string, unknown>, createdAt: string };

export type ArtifactContentRecordFragment = { __typename?: 'ArtifactContent', artifactId: string, version: number, sha256: string, size: number, contentType: string, createdAt: string, url: string };

export type MetricRecordFragment = { __typename?: 'Metric', id: string, entityType: string, entityName: string, metricName: string, value: number, sessionId?: string | null, labels: Record<string, unknown>, timestamp: string };

export type CacheEntryRecordFragment = { __typename?: 'CacheEntry', key: string, value?: unknown | null, ttl?: number | null, createdAt: string, accessedAt: string, expiresAt?: string | null };

export type CreateSessionMutationVariables = Exact<{
  input: CreateSessionInput;
}>;


export type CreateSessionMutation = { __typename?: 'Mutation', createSession: { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null } };

export type GetSessionQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type GetSessionQuery = { __typename?: 'Query', session?: { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null } | null };

export type ListSessionsQueryVariables = Exact<{
  agentName?: InputMaybe<Scalars['String']['input']>;
  userId?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<SessionStatus>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
}>;


export type ListSessionsQuery = { __typename?: 'Query', sessions: { __typename?: 'SessionConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null }, nodes: Array<{ __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null }> } };

export type UpdateSessionMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  input: UpdateSessionInput;
}>;


export type UpdateSessionMutation = { __typename?: 'Mutation', updateSession: { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null } };

export type DeleteSessionMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DeleteSessionMutation = { __typename?: 'Mutation', deleteSession: string };

export type ForkSessionMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  upToMessageId: Scalars['ID']['input'];
  input?: InputMaybe<ForkSessionInput>;
}>;


export type ForkSessionMutation = { __typename?: 'Mutation', forkSession: { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null } };

export type SessionForksQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
}>;


export type SessionForksQuery = { __typename?: 'Query', session?: { __typename?: 'Session', forks: { __typename?: 'SessionConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null }, nodes: Array<{ __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null }> } } | null };

export type AddMessageMutationVariables = Exact<{
  input: AddMessageInput;
  onConflict?: InputMaybe<OnConflict>;
  countTokens?: InputMaybe<Scalars['Boolean']['input']>;
}>;


export type AddMessageMutation = { __typename?: 'Mutation', addMessage: { __typename?: 'Message', id: string, sessionId: string, seq: number, role: MessageRole, content: string, item?: unknown | null, metadata: Record<string, unknown>, timestamp: string, idempotencyKey?: string | null, tokenCount?: number | null } };

export type AddMessagesMutationVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  messages: Array<NewMessageInput> | NewMessageInput;
  onConflict?: InputMaybe<OnConflict>;
  countTokens?: InputMaybe<Scalars['Boolean']['input']>;
}>;


export type AddMessagesMutation = { __typename?: 'Mutation', addMessages: Array<{ __typename?: 'Message', id: string, sessionId: string, seq: number, role: MessageRole, content: string, item?: unknown | null, metadata: Record<string, unknown>, timestamp: string, idempotencyKey?: string | null, tokenCount?: number | null }> };

export type HistoryWithinTokensQueryVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  maxTokens: Scalars['Int']['input'];
}>;


export type HistoryWithinTokensQuery = { __typename?: 'Query', session?: { __typename?: 'Session', history: { __typename?: 'MessageConnection', nodes: Array<{ __typename?: 'Message', id: string, sessionId: string, seq: number, role: MessageRole, content: string, item?: unknown | null, metadata: Record<string, unknown>, timestamp: string, idempotencyKey?: string | null, tokenCount?: number | null }> } } | null };

export type SessionTokensQueryVariables = Exact<{
  sessionId: Scalars['ID']['input'];
}>;


export type SessionTokensQuery = { __typename?: 'Query', session?: { __typename?: 'Session', tokens: { __typename?: 'TokenTotal', tokens: number, messages: number, estimatedMessages: number } } | null };

export type HistoryPageQueryVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
}>;


export type HistoryPageQuery = { __typename?: 'Query', session?: { __typename?: 'Session', history: { __typename?: 'MessageConnection', pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null }, nodes: Array<{ __typename?: 'Message', id: string, sessionId: string, seq: number, role: MessageRole, content: string, item?: unknown | null, metadata: Record<string, unknown>, timestamp: string, idempotencyKey?: string | null, tokenCount?: number | null }> } } | null };

export type PopMessageMutationVariables = Exact<{
  sessionId: Scalars['ID']['input'];
}>;


export type PopMessageMutation = { __typename?: 'Mutation', popMessage?: { __typename?: 'Message', id: string, sessionId: string, seq: number, role: MessageRole, content: string, item?: unknown | null, metadata: Record<string, unknown>, timestamp: string, idempotencyKey?: string | null, tokenCount?: number | null } | null };

export type RewriteHistoryMutationVariables = Exact<{
  input: RewriteHistoryInput;
}>;


export type RewriteHistoryMutation = { __typename?: 'Mutation', rewriteHistory: { __typename?: 'RewriteHistoryPayload', operationId: string, replayed: boolean, supersededIds: Array<string>, messages: Array<{ __typename?: 'Message', id: string, sessionId: string, seq: number, role: MessageRole, content: string, item?: unknown | null, metadata: Record<string, unknown>, timestamp: string, idempotencyKey?: string | null, tokenCount?: number | null }> } };

export type SupersededHistoryQueryVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
}>;


export type SupersededHistoryQuery = { __typename?: 'Query', session?: { __typename?: 'Session', supersededHistory: { __typename?: 'SupersededMessageConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null }, nodes: Array<{ __typename?: 'SupersededMessage', supersededAt: string, reason: SupersededReason, operationId?: string | null, message: { __typename?: 'Message', id: string, sessionId: string, seq: number, role: MessageRole, content: string, item?: unknown | null, metadata: Record<string, unknown>, timestamp: string, idempotencyKey?: string | null, tokenCount?: number | null } }> } } | null };

export type HistoryQueryVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  afterSeq?: InputMaybe<Scalars['Int']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
}>;


export type HistoryQuery = { __typename?: 'Query', session?: { __typename?: 'Session', history: { __typename?: 'MessageConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null }, nodes: Array<{ __typename?: 'Message', id: string, sessionId: string, seq: number, role: MessageRole, content: string, item?: unknown | null, metadata: Record<string, unknown>, timestamp: string, idempotencyKey?: string | null, tokenCount?: number | null }> } } | null };

export type GetMessageQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type GetMessageQuery = { __typename?: 'Query', message?: { __typename?: 'Message', id: string, sessionId: string, seq: number, role: MessageRole, content: string, item?: unknown | null, metadata: Record<string, unknown>, timestamp: string, idempotencyKey?: string | null, tokenCount?: number | null } | null };

export type ClearHistoryMutationVariables = Exact<{
  sessionId: Scalars['ID']['input'];
}>;


export type ClearHistoryMutation = { __typename?: 'Mutation', clearHistory: number };

export type GetStateQueryVariables = Exact<{
  sessionId: Scalars['ID']['input'];
}>;


export type GetStateQuery = { __typename?: 'Query', session?: { __typename?: 'Session', state?: { __typename?: 'State', sessionId: string, data?: unknown | null, version: number, updatedAt: string } | null } | null };

export type StateHistoryQueryVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
}>;


export type StateHistoryQuery = { __typename?: 'Query', session?: { __typename?: 'Session', state?: { __typename?: 'State', history: { __typename?: 'StateVersionConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null }, nodes: Array<{ __typename?: 'StateVersion', sessionId: string, data?: unknown | null, version: number, updatedAt: string }> } } | null } | null };

export type SetStateMutationVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  data: Scalars['JSON']['input'];
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
}>;


export type SetStateMutation = { __typename?: 'Mutation', setState: { __typename?: 'State', sessionId: string, data?: unknown | null, version: number, updatedAt: string } };

export type PatchStateMutationVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  patch: Scalars['JSON']['input'];
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
}>;


export type PatchStateMutation = { __typename?: 'Mutation', patchState: { __typename?: 'State', sessionId: string, data?: unknown | null, version: number, updatedAt: string } };

export type DeleteStateMutationVariables = Exact<{
  sessionId: Scalars['ID']['input'];
}>;


export type DeleteStateMutation = { __typename?: 'Mutation', deleteState: string };

export type CreateArtifactMutationVariables = Exact<{
  input: CreateArtifactInput;
}>;


export type CreateArtifactMutation = { __typename?: 'Mutation', createArtifact: { __typename?: 'Artifact', id: string, sessionId: string, name: string, type: string, path: string, size: number, metadata: Record<string, unknown>, createdAt: string } };

export type GetArtifactQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type GetArtifactQuery = { __typename?: 'Query', artifact?: { __typename?: 'Artifact', id: string, sessionId: string, name: string, type: string, path: string, size: number, metadata: Record<string, unknown>, createdAt: string } | null };

export type SessionArtifactsQueryVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
}>;


export type SessionArtifactsQuery = { __typename?: 'Query', session?: { __typename?: 'Session', artifacts: { __typename?: 'ArtifactConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null }, nodes: Array<{ __typename?: 'Artifact', id: string, sessionId: string, name: string, type: string, path: string, size: number, metadata: Record<string, unknown>, createdAt: string }> } } | null };

export type DeleteArtifactMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DeleteArtifactMutation = { __typename?: 'Mutation', deleteArtifact: string };

export type RecordMetricMutationVariables = Exact<{
  input: RecordMetricInput;
}>;


export type RecordMetricMutation = { __typename?: 'Mutation', recordMetric: { __typename?: 'Metric', id: string, entityType: string, entityName: string, metricName: string, value: number, sessionId?: string | null, labels: Record<string, unknown>, timestamp: string } };

export type RecordMetricsMutationVariables = Exact<{
  inputs: Array<RecordMetricInput> | RecordMetricInput;
}>;


export type RecordMetricsMutation = { __typename?: 'Mutation', recordMetrics: Array<{ __typename?: 'Metric', id: string, entityType: string, entityName: string, metricName: string, value: number, sessionId?: string | null, labels: Record<string, unknown>, timestamp: string }> };

export type ListMetricsQueryVariables = Exact<{
  entityType?: InputMaybe<Scalars['String']['input']>;
  entityName?: InputMaybe<Scalars['String']['input']>;
  sessionId?: InputMaybe<Scalars['ID']['input']>;
  metricName?: InputMaybe<Scalars['String']['input']>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
}>;


export type ListMetricsQuery = { __typename?: 'Query', metrics: { __typename?: 'MetricConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null }, nodes: Array<{ __typename?: 'Metric', id: string, entityType: string, entityName: string, metricName: string, value: number, sessionId?: string | null, labels: Record<string, unknown>, timestamp: string }> } };

export type GetCacheEntryQueryVariables = Exact<{
  key: Scalars['String']['input'];
}>;


export type GetCacheEntryQuery = { __typename?: 'Query', cacheEntry?: { __typename?: 'CacheEntry', key: string, value?: unknown | null, ttl?: number | null, createdAt: string, accessedAt: string, expiresAt?: string | null } | null };

export type SetCacheEntryMutationVariables = Exact<{
  key: Scalars['String']['input'];
  value: Scalars['JSON']['input'];
  ttl?: InputMaybe<Scalars['Int']['input']>;
}>;


export type SetCacheEntryMutation = { __typename?: 'Mutation', setCacheEntry: { __typename?: 'CacheEntry', key: string, value?: unknown | null, ttl?: number | null, createdAt: string, accessedAt: string, expiresAt?: string | null } };

export type DeleteCacheEntryMutationVariables = Exact<{
  key: Scalars['String']['input'];
}>;


export type DeleteCacheEntryMutation = { __typename?: 'Mutation', deleteCacheEntry: string };

type StorageEventRecord_ArtifactContentDeleted_Fragment = { __typename: 'ArtifactContentDeleted', artifactId: string, versions: Array<number>, cursor: string, seq: number, time: string, sessionId: string, agentName: string };

type StorageEventRecord_ArtifactContentSaved_Fragment = { __typename: 'ArtifactContentSaved', cursor: string, seq: number, time: string, sessionId: string, agentName: string, content: { __typename?: 'ArtifactContent', artifactId: string, version: number, sha256: string, size: number, contentType: string, createdAt: string, url: string } };

type StorageEventRecord_ArtifactCreated_Fragment = { __typename: 'ArtifactCreated', cursor: string, seq: number, time: string, sessionId: string, agentName: string, artifact: { __typename?: 'Artifact', id: string, sessionId: string, name: string, type: string, path: string, size: number, metadata: Record<string, unknown>, createdAt: string } };

type StorageEventRecord_ArtifactDeleted_Fragment = { __typename: 'ArtifactDeleted', cursor: string, seq: number, time: string, sessionId: string, agentName: string, artifact: { __typename?: 'Artifact', id: string, sessionId: string, name: string, type: string, path: string, size: number, metadata: Record<string, unknown>, createdAt: string } };

type StorageEventRecord_CheckpointPut_Fragment = { __typename: 'CheckpointPut', cursor: string, seq: number, time: string, sessionId: string, agentName: string };

type StorageEventRecord_CheckpointWritesPut_Fragment = { __typename: 'CheckpointWritesPut', cursor: string, seq: number, time: string, sessionId: string, agentName: string };

type StorageEventRecord_HistoryCleared_Fragment = { __typename: 'HistoryCleared', deleted: number, cursor: string, seq: number, time: string, sessionId: string, agentName: string };

type StorageEventRecord_HistoryRewritten_Fragment = { __typename: 'HistoryRewritten', cursor: string, seq: number, time: string, sessionId: string, agentName: string };

type StorageEventRecord_MessageAdded_Fragment = { __typename: 'MessageAdded', cursor: string, seq: number, time: string, sessionId: string, agentName: string, message: { __typename?: 'Message', id: string, sessionId: string, seq: number, role: MessageRole, content: string, item?: unknown | null, metadata: Record<string, unknown>, timestamp: string, idempotencyKey?: string | null, tokenCount?: number | null } };

type StorageEventRecord_MessagePopped_Fragment = { __typename: 'MessagePopped', cursor: string, seq: number, time: string, sessionId: string, agentName: string };

type StorageEventRecord_MessageReplaced_Fragment = { __typename: 'MessageReplaced', cursor: string, seq: number, time: string, sessionId: string, agentName: string };

type StorageEventRecord_MetricRecorded_Fragment = { __typename: 'MetricRecorded', cursor: string, seq: number, time: string, sessionId: string, agentName: string, metric: { __typename?: 'Metric', id: string, entityType: string, entityName: string, metricName: string, value: number, sessionId?: string | null, labels: Record<string, unknown>, timestamp: string } };

type StorageEventRecord_SessionCreated_Fragment = { __typename: 'SessionCreated', cursor: string, seq: number, time: string, sessionId: string, agentName: string, session: { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null } };

type StorageEventRecord_SessionDeleted_Fragment = { __typename: 'SessionDeleted', cursor: string, seq: number, time: string, sessionId: string, agentName: string, session: { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null } };

type StorageEventRecord_SessionUpdated_Fragment = { __typename: 'SessionUpdated', cursor: string, seq: number, time: string, sessionId: string, agentName: string, session: { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null } };

type StorageEventRecord_StateChanged_Fragment = { __typename: 'StateChanged', cursor: string, seq: number, time: string, sessionId: string, agentName: string, state: { __typename?: 'State', sessionId: string, data?: unknown | null, version: number, updatedAt: string } };

type StorageEventRecord_StateDeleted_Fragment = { __typename: 'StateDeleted', cursor: string, seq: number, time: string, sessionId: string, agentName: string };

type StorageEventRecord_ThreadDeleted_Fragment = { __typename: 'ThreadDeleted', cursor: string, seq: number, time: string, sessionId: string, agentName: string };

export type StorageEventRecordFragment =
  | StorageEventRecord_ArtifactContentDeleted_Fragment
  | StorageEventRecord_ArtifactContentSaved_Fragment
  | StorageEventRecord_ArtifactCreated_Fragment
  | StorageEventRecord_ArtifactDeleted_Fragment
  | StorageEventRecord_CheckpointPut_Fragment
  | StorageEventRecord_CheckpointWritesPut_Fragment
  | StorageEventRecord_HistoryCleared_Fragment
  | StorageEventRecord_HistoryRewritten_Fragment
  | StorageEventRecord_MessageAdded_Fragment
  | StorageEventRecord_MessagePopped_Fragment
  | StorageEventRecord_MessageReplaced_Fragment
  | StorageEventRecord_MetricRecorded_Fragment
  | StorageEventRecord_SessionCreated_Fragment
  | StorageEventRecord_SessionDeleted_Fragment
  | StorageEventRecord_SessionUpdated_Fragment
  | StorageEventRecord_StateChanged_Fragment
  | StorageEventRecord_StateDeleted_Fragment
  | StorageEventRecord_ThreadDeleted_Fragment
;

export type SessionEventsSubscriptionVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type SessionEventsSubscription = { __typename?: 'Subscription', sessionEvents:
    | { __typename: 'ArtifactContentDeleted', artifactId: string, versions: Array<number>, cursor: string, seq: number, time: string, sessionId: string, agentName: string }
    | { __typename: 'ArtifactContentSaved', cursor: string, seq: number, time: string, sessionId: string, agentName: string, content: { __typename?: 'ArtifactContent', artifactId: string, version: number, sha256: string, size: number, contentType: string, createdAt: string, url: string } }
    | { __typename: 'ArtifactCreated', cursor: string, seq: number, time: string, sessionId: string, agentName: string, artifact: { __typename?: 'Artifact', id: string, sessionId: string, name: string, type: string, path: string, size: number, metadata: Record<string, unknown>, createdAt: string } }
    | { __typename: 'ArtifactDeleted', cursor: string, seq: number, time: string, sessionId: string, agentName: string, artifact: { __typename?: 'Artifact', id: string, sessionId: string, name: string, type: string, path: string, size: number, metadata: Record<string, unknown>, createdAt: string } }
    | { __typename: 'CheckpointPut', cursor: string, seq: number, time: string, sessionId: string, agentName: string }
    | { __typename: 'CheckpointWritesPut', cursor: string, seq: number, time: string, sessionId: string, agentName: string }
    | { __typename: 'HistoryCleared', deleted: number, cursor: string, seq: number, time: string, sessionId: string, agentName: string }
    | { __typename: 'HistoryRewritten', cursor: string, seq: number, time: string, sessionId: string, agentName: string }
    | { __typename: 'MessageAdded', cursor: string, seq: number, time: string, sessionId: string, agentName: string, message: { __typename?: 'Message', id: string, sessionId: string, seq: number, role: MessageRole, content: string, item?: unknown | null, metadata: Record<string, unknown>, timestamp: string, idempotencyKey?: string | null, tokenCount?: number | null } }
    | { __typename: 'MessagePopped', cursor: string, seq: number, time: string, sessionId: string, agentName: string }
    | { __typename: 'MessageReplaced', cursor: string, seq: number, time: string, sessionId: string, agentName: string }
    | { __typename: 'MetricRecorded', cursor: string, seq: number, time: string, sessionId: string, agentName: string, metric: { __typename?: 'Metric', id: string, entityType: string, entityName: string, metricName: string, value: number, sessionId?: string | null, labels: Record<string, unknown>, timestamp: string } }
    | { __typename: 'SessionCreated', cursor: string, seq: number, time: string, sessionId: string, agentName: string, session: { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null } }
    | { __typename: 'SessionDeleted', cursor: string, seq: number, time: string, sessionId: string, agentName: string, session: { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null } }
    | { __typename: 'SessionUpdated', cursor: string, seq: number, time: string, sessionId: string, agentName: string, session: { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null } }
    | { __typename: 'StateChanged', cursor: string, seq: number, time: string, sessionId: string, agentName: string, state: { __typename?: 'State', sessionId: string, data?: unknown | null, version: number, updatedAt: string } }
    | { __typename: 'StateDeleted', cursor: string, seq: number, time: string, sessionId: string, agentName: string }
    | { __typename: 'ThreadDeleted', cursor: string, seq: number, time: string, sessionId: string, agentName: string }
   };

export type AgentEventsSubscriptionVariables = Exact<{
  agentName: Scalars['String']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type AgentEventsSubscription = { __typename?: 'Subscription', agentEvents:
    | { __typename: 'ArtifactContentDeleted', artifactId: string, versions: Array<number>, cursor: string, seq: number, time: string, sessionId: string, agentName: string }
    | { __typename: 'ArtifactContentSaved', cursor: string, seq: number, time: string, sessionId: string, agentName: string, content: { __typename?: 'ArtifactContent', artifactId: string, version: number, sha256: string, size: number, contentType: string, createdAt: string, url: string } }
    | { __typename: 'ArtifactCreated', cursor: string, seq: number, time: string, sessionId: string, agentName: string, artifact: { __typename?: 'Artifact', id: string, sessionId: string, name: string, type: string, path: string, size: number, metadata: Record<string, unknown>, createdAt: string } }
    | { __typename: 'ArtifactDeleted', cursor: string, seq: number, time: string, sessionId: string, agentName: string, artifact: { __typename?: 'Artifact', id: string, sessionId: string, name: string, type: string, path: string, size: number, metadata: Record<string, unknown>, createdAt: string } }
    | { __typename: 'CheckpointPut', cursor: string, seq: number, time: string, sessionId: string, agentName: string }
    | { __typename: 'CheckpointWritesPut', cursor: string, seq: number, time: string, sessionId: string, agentName: string }
    | { __typename: 'HistoryCleared', deleted: number, cursor: string, seq: number, time: string, sessionId: string, agentName: string }
    | { __typename: 'HistoryRewritten', cursor: string, seq: number, time: string, sessionId: string, agentName: string }
    | { __typename: 'MessageAdded', cursor: string, seq: number, time: string, sessionId: string, agentName: string, message: { __typename?: 'Message', id: string, sessionId: string, seq: number, role: MessageRole, content: string, item?: unknown | null, metadata: Record<string, unknown>, timestamp: string, idempotencyKey?: string | null, tokenCount?: number | null } }
    | { __typename: 'MessagePopped', cursor: string, seq: number, time: string, sessionId: string, agentName: string }
    | { __typename: 'MessageReplaced', cursor: string, seq: number, time: string, sessionId: string, agentName: string }
    | { __typename: 'MetricRecorded', cursor: string, seq: number, time: string, sessionId: string, agentName: string, metric: { __typename?: 'Metric', id: string, entityType: string, entityName: string, metricName: string, value: number, sessionId?: string | null, labels: Record<string, unknown>, timestamp: string } }
    | { __typename: 'SessionCreated', cursor: string, seq: number, time: string, sessionId: string, agentName: string, session: { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null } }
    | { __typename: 'SessionDeleted', cursor: string, seq: number, time: string, sessionId: string, agentName: string, session: { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null } }
    | { __typename: 'SessionUpdated', cursor: string, seq: number, time: string, sessionId: string, agentName: string, session: { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null } }
    | { __typename: 'StateChanged', cursor: string, seq: number, time: string, sessionId: string, agentName: string, state: { __typename?: 'State', sessionId: string, data?: unknown | null, version: number, updatedAt: string } }
    | { __typename: 'StateDeleted', cursor: string, seq: number, time: string, sessionId: string, agentName: string }
    | { __typename: 'ThreadDeleted', cursor: string, seq: number, time: string, sessionId: string, agentName: string }
   };

export type MemoryItemRecordFragment = { __typename?: 'MemoryItem', namespace: Array<string>, key: string, value: Record<string, unknown>, createdAt: string, updatedAt: string, ttlMinutes?: number | null, expiresAt?: string | null, score?: number | null };

export type MemoryResultRecordFragment = { __typename?: 'MemoryOperationResult', kind: MemoryOperationKind, namespaces?: Array<Array<string>> | null, item?: { __typename?: 'MemoryItem', namespace: Array<string>, key: string, value: Record<string, unknown>, createdAt: string, updatedAt: string, ttlMinutes?: number | null, expiresAt?: string | null, score?: number | null } | null, items?: Array<{ __typename?: 'MemoryItem', namespace: Array<string>, key: string, value: Record<string, unknown>, createdAt: string, updatedAt: string, ttlMinutes?: number | null, expiresAt?: string | null, score?: number | null }> | null };

export type MemoryBatchMutationVariables = Exact<{
  operations: Array<MemoryOperationInput> | MemoryOperationInput;
}>;


export type MemoryBatchMutation = { __typename?: 'Mutation', memoryBatch: Array<{ __typename?: 'MemoryOperationResult', kind: MemoryOperationKind, namespaces?: Array<Array<string>> | null, item?: { __typename?: 'MemoryItem', namespace: Array<string>, key: string, value: Record<string, unknown>, createdAt: string, updatedAt: string, ttlMinutes?: number | null, expiresAt?: string | null, score?: number | null } | null, items?: Array<{ __typename?: 'MemoryItem', namespace: Array<string>, key: string, value: Record<string, unknown>, createdAt: string, updatedAt: string, ttlMinutes?: number | null, expiresAt?: string | null, score?: number | null }> | null }> };

export type MemoryReadQueryVariables = Exact<{
  operations: Array<MemoryOperationInput> | MemoryOperationInput;
}>;


export type MemoryReadQuery = { __typename?: 'Query', memoryRead: Array<{ __typename?: 'MemoryOperationResult', kind: MemoryOperationKind, namespaces?: Array<Array<string>> | null, item?: { __typename?: 'MemoryItem', namespace: Array<string>, key: string, value: Record<string, unknown>, createdAt: string, updatedAt: string, ttlMinutes?: number | null, expiresAt?: string | null, score?: number | null } | null, items?: Array<{ __typename?: 'MemoryItem', namespace: Array<string>, key: string, value: Record<string, unknown>, createdAt: string, updatedAt: string, ttlMinutes?: number | null, expiresAt?: string | null, score?: number | null }> | null }> };

export type SearchQueryVariables = Exact<{
  query: Scalars['String']['input'];
  filter?: InputMaybe<SearchFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type SearchQuery = { __typename?: 'Query', search: { __typename?: 'SearchConnection', totalCount: number, totalCountIsEstimate: boolean, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'SearchEdge', node: { __typename?: 'SearchHit', score: number, snippet: string, highlights: Array<{ __typename?: 'SearchHighlight', start: number, end: number }>, message: { __typename?: 'Message', id: string, sessionId: string, seq: number, role: MessageRole, content: string, item?: unknown | null, metadata: Record<string, unknown>, timestamp: string, idempotencyKey?: string | null, tokenCount?: number | null } } }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ThreadRecordFragmentDoc = new TypedDocumentString(`
    fragment ThreadRecord on Thread {
  id
  createdAt
  updatedAt
  ttlSeconds
  expiresAt
}
    `, {"fragmentName":"ThreadRecord"}) as unknown as TypedDocumentString<ThreadRecordFragment, unknown>;
export const CheckpointRecordFragmentDoc = new TypedDocumentString(`
    fragment CheckpointRecord on Checkpoint {
  threadId
  namespace
  id
  parentId
  type
  data
  metadata
  channelVersions
  createdAt
  channelValues {
    channel
    version
    type
    data
  }
  pendingWrites {
    taskId
    idx
    channel
    type
    data
    taskPath
  }
}
    `, {"fragmentName":"CheckpointRecord"}) as unknown as TypedDocumentString<CheckpointRecordFragment, unknown>;
export const PageInfoRecordFragmentDoc = new TypedDocumentString(`
    fragment PageInfoRecord on PageInfo {
  hasNextPage
  hasPreviousPage
  startCursor
  endCursor
}
    `, {"fragmentName":"PageInfoRecord"}) as unknown as TypedDocumentString<PageInfoRecordFragment, unknown>;
export const CacheEntryRecordFragmentDoc = new TypedDocumentString(`
    fragment CacheEntryRecord on CacheEntry {
  key
  value
  ttl
  createdAt
  accessedAt
  expiresAt
}
    `, {"fragmentName":"CacheEntryRecord"}) as unknown as TypedDocumentString<CacheEntryRecordFragment, unknown>;
export const SessionRecordFragmentDoc = new TypedDocumentString(`
    fragment SessionRecord on Session {
  id
  agentName
  userId
  status
  metadata
  createdAt
  updatedAt
  expiresAt
  parentId
  forkedFromMessageId
}
    `, {"fragmentName":"SessionRecord"}) as unknown as TypedDocumentString<SessionRecordFragment, unknown>;
export const MessageRecordFragmentDoc = new TypedDocumentString(`
    fragment MessageRecord on Message {
  id
  sessionId
  seq
  role
  content
  item
  metadata
  timestamp
  idempotencyKey
  tokenCount
}
    `, {"fragmentName":"MessageRecord"}) as unknown as TypedDocumentString<MessageRecordFragment, unknown>;
export const StateRecordFragmentDoc = new TypedDocumentString(`
    fragment StateRecord on State {
  sessionId
  data
  version
  updatedAt
}
    `, {"fragmentName":"StateRecord"}) as unknown as TypedDocumentString<StateRecordFragment, unknown>;
export const ArtifactRecordFragmentDoc = new TypedDocumentString(`
    fragment ArtifactRecord on Artifact {
  id
  sessionId
  name
  type
  path
  size
  metadata
  createdAt
}
    `, {"fragmentName":"ArtifactRecord"}) as unknown as TypedDocumentString<ArtifactRecordFragment, unknown>;
export const ArtifactContentRecordFragmentDoc = new TypedDocumentString(`
    fragment ArtifactContentRecord on ArtifactContent {
  artifactId
  version
  sha256
  size
  contentType
  createdAt
  url
}
    `, {"fragmentName":"ArtifactContentRecord"}) as unknown as TypedDocumentString<ArtifactContentRecordFragment, unknown>;
export const MetricRecordFragmentDoc = new TypedDocumentString(`
    fragment MetricRecord on Metric {
  id
  entityType
  entityName
  metricName
  value
  sessionId
  labels
  timestamp
}
    `, {"fragmentName":"MetricRecord"}) as unknown as TypedDocumentString<MetricRecordFragment, unknown>;
export const StorageEventRecordFragmentDoc = new TypedDocumentString(`
    fragment StorageEventRecord on StorageEvent {
  __typename
  cursor
  seq
  time
  sessionId
  agentName
  ... on SessionCreated {
    session {
      ...SessionRecord
    }
  }
  ... on SessionUpdated {
    session {
      ...SessionRecord
    }
  }
  ... on SessionDeleted {
    session {
      ...SessionRecord
    }
  }
  ... on MessageAdded {
    message {
      ...MessageRecord
    }
  }
  ... on HistoryCleared {
    deleted
  }
  ... on StateChanged {
    state {
      ...StateRecord
    }
  }
  ... on ArtifactCreated {
    artifact {
      ...ArtifactRecord
    }
  }
  ... on ArtifactDeleted {
    artifact {
      ...ArtifactRecord
    }
  }
  ... on ArtifactContentSaved {
    content {
      ...ArtifactContentRecord
    }
  }
  ... on ArtifactContentDeleted {
    artifactId
    versions
  }
  ... on MetricRecorded {
    metric {
      ...MetricRecord
    }
  }
}
    fragment SessionRecord on Session {
  id
  agentName
  userId
  status
  metadata
  createdAt
  updatedAt
  expiresAt
  parentId
  forkedFromMessageId
}
fragment MessageRecord on Message {
  id
  sessionId
  seq
  role
  content
  item
  metadata
  timestamp
  idempotencyKey
  tokenCount
}
fragment StateRecord on State {
  sessionId
  data
  version
  updatedAt
}
fragment ArtifactRecord on Artifact {
  id
  sessionId
  name
  type
  path
  size
  metadata
  createdAt
}
fragment ArtifactContentRecord on ArtifactContent {
  artifactId
  version
  sha256
  size
  contentType
  createdAt
  url
}
fragment MetricRecord on Metric {
  id
  entityType
  entityName
  metricName
  value
  sessionId
  labels
  timestamp
}`, {"fragmentName":"StorageEventRecord"}) as unknown as TypedDocumentString<StorageEventRecordFragment, unknown>;
export const MemoryItemRecordFragmentDoc = new TypedDocumentString(`
    fragment MemoryItemRecord on MemoryItem {
  namespace
  key
  value
  createdAt
  updatedAt
  ttlMinutes
  expiresAt
  score
}
    `, {"fragmentName":"MemoryItemRecord"}) as unknown as TypedDocumentString<MemoryItemRecordFragment, unknown>;
export const MemoryResultRecordFragmentDoc = new TypedDocumentString(`
    fragment MemoryResultRecord on MemoryOperationResult {
  kind
  item {
    ...MemoryItemRecord
  }
  items {
    ...MemoryItemRecord
  }
  namespaces
}
    fragment MemoryItemRecord on MemoryItem {
  namespace
  key
  value
  createdAt
  updatedAt
  ttlMinutes
  expiresAt
  score
}`, {"fragmentName":"MemoryResultRecord"}) as unknown as TypedDocumentString<MemoryResultRecordFragment, unknown>;
export const GetThreadDocument = new TypedDocumentString(`
    query GetThread($id: String!) {
  thread(id: $id) {
    ...ThreadRecord
  }
}
    fragment ThreadRecord on Thread {
  id
  createdAt
  updatedAt
  ttlSeconds
  expiresAt
}`, {"hash":"a975dfdd420ab1ac1055fc928a7271cba17b87403e0acf116f85066adcfd9a4f"}) as unknown as TypedDocumentString<GetThreadQuery, GetThreadQueryVariables>;
export const GetCheckpointDocument = new TypedDocumentString(`
    query GetCheckpoint($threadId: String!, $namespace: String!, $id: String) {
  thread(id: $threadId) {
    checkpoint(namespace: $namespace, id: $id) {
      ...CheckpointRecord
    }
  }
}
    fragment CheckpointRecord on Checkpoint {
  threadId
  namespace
  id
  parentId
  type
  data
  metadata
  channelVersions
  createdAt
  channelValues {
    channel
    version
    type
    data
  }
  pendingWrites {
    taskId
    idx
    channel
    type
    data
    taskPath
  }
}`, {"hash":"26fac4c328e1f1bcb86c4575711b3f4add5c3d765c3b1ea85e5e7a4cbfe57646"}) as unknown as TypedDocumentString<GetCheckpointQuery, GetCheckpointQueryVariables>;
export const ListCheckpointsDocument = new TypedDocumentString(`
    query ListCheckpoints($threadId: String, $namespace: String, $before: String, $filter: JSONObject, $first: Int, $after: String) {
  checkpoints(
    threadId: $threadId
    namespace: $namespace
    before: $before
    filter: $filter
    first: $first
    after: $after
  ) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...CheckpointRecord
    }
  }
}
    fragment CheckpointRecord on Checkpoint {
  threadId
  namespace
  id
  parentId
  type
  data
  metadata
  channelVersions
  createdAt
  channelValues {
    channel
    version
    type
    data
  }
  pendingWrites {
    taskId
    idx
    channel
    type
    data
    taskPath
  }
}`, {"hash":"28d18570960b2067ce496ebd9b0cbc40ea832a665427fff77409bbac4bfa698b"}) as unknown as TypedDocumentString<ListCheckpointsQuery, ListCheckpointsQueryVariables>;
export const PutCheckpointDocument = new TypedDocumentString(`
    mutation PutCheckpoint($input: PutCheckpointInput!) {
  putCheckpoint(input: $input) {
    threadId
    namespace
    id
  }
}
    `, {"hash":"f40e9ced8f7f4a07d844a51c673dc09d28d204a185867b8153973f4edbd050b8"}) as unknown as TypedDocumentString<PutCheckpointMutation, PutCheckpointMutationVariables>;
export const PutCheckpointWritesDocument = new TypedDocumentString(`
    mutation PutCheckpointWrites($input: PutCheckpointWritesInput!) {
  putCheckpointWrites(input: $input)
}
    `, {"hash":"fcdb7703df6539828d45794951df2837536e48c5637f4c9aa05c401f086c0525"}) as unknown as TypedDocumentString<PutCheckpointWritesMutation, PutCheckpointWritesMutationVariables>;
export const DeleteThreadDocument = new TypedDocumentString(`
    mutation DeleteThread($id: String!) {
  deleteThread(id: $id)
}
    `, {"hash":"f549ecd9a75cc3688d287d5f2ec9d5161dda55ed16b764a956c7113f53d6c3cf"}) as unknown as TypedDocumentString<DeleteThreadMutation, DeleteThreadMutationVariables>;
export const CopyThreadDocument = new TypedDocumentString(`
    mutation CopyThread($sourceThreadId: String!, $targetThreadId: String!) {
  copyThread(sourceThreadId: $sourceThreadId, targetThreadId: $targetThreadId) {
    ...ThreadRecord
  }
}
    fragment ThreadRecord on Thread {
  id
  createdAt
  updatedAt
  ttlSeconds
  expiresAt
}`, {"hash":"d71a039de16ecd2e1ca91e5935489959e5a99708679e220c21d247e53d210363"}) as unknown as TypedDocumentString<CopyThreadMutation, CopyThreadMutationVariables>;
export const PruneThreadsDocument = new TypedDocumentString(`
    mutation PruneThreads($threadIds: [String!]!, $keep: Int) {
  pruneThreads(threadIds: $threadIds, keep: $keep) {
    checkpoints
    writes
    channelValues
  }
}
    `, {"hash":"7e8d49b1fe02df7d21074ae01f76820676103275c1c83f95e9f7ee0d2bf3b902"}) as unknown as TypedDocumentString<PruneThreadsMutation, PruneThreadsMutationVariables>;
export const SetThreadTtlDocument = new TypedDocumentString(`
    mutation SetThreadTtl($id: String!, $ttlSeconds: Int) {
  setThreadTtl(id: $id, ttlSeconds: $ttlSeconds) {
    ...ThreadRecord
  }
}
    fragment ThreadRecord on Thread {
  id
  createdAt
  updatedAt
  ttlSeconds
  expiresAt
}`, {"hash":"bd68d58da84e1deefde7e7f9cd4f596f1171afd60d5a9537f78e4b3c0924dc46"}) as unknown as TypedDocumentString<SetThreadTtlMutation, SetThreadTtlMutationVariables>;
export const ThreadEventsDocument = new TypedDocumentString(`
    subscription ThreadEvents($threadId: String!, $after: String) {
  threadEvents(threadId: $threadId, after: $after) {
    __typename
    cursor
    seq
    time
    ... on CheckpointPut {
      threadId
      namespace
      checkpointId
      parentId
      metadata
    }
    ... on CheckpointWritesPut {
      threadId
      namespace
      checkpointId
      taskId
      count
    }
    ... on ThreadDeleted {
      threadId
    }
  }
}
    `, {"hash":"0b9ba8d960a90f073f9fe7ddcb3e80593fbd0400780364b0e071cd2f2495c9d5"}) as unknown as TypedDocumentString<ThreadEventsSubscription, ThreadEventsSubscriptionVariables>;
export const CreateSessionDocument = new TypedDocumentString(`
    mutation CreateSession($input: CreateSessionInput!) {
  createSession(input: $input) {
    ...SessionRecord
  }
}
    fragment SessionRecord on Session {
  id
  agentName
  userId
  status
  metadata
  createdAt
  updatedAt
  expiresAt
  parentId
  forkedFromMessageId
}`, {"hash":"360f08ba85d26d1a0ccb332eefe3a4e28bea4c04c09ea19e8aee9d74005e1eec"}) as unknown as TypedDocumentString<CreateSessionMutation, CreateSessionMutationVariables>;
export const GetSessionDocument = new TypedDocumentString(`
    query GetSession($id: ID!) {
  session(id: $id) {
    ...SessionRecord
  }
}
    fragment SessionRecord on Session {
  id
  agentName
  userId
  status
  metadata
  createdAt
  updatedAt
  expiresAt
  parentId
  forkedFromMessageId
}`, {"hash":"3d51b39832e46a9eb77dfc19f609dd517b200d9ea87df7d46b8b54c1c62375f3"}) as unknown as TypedDocumentString<GetSessionQuery, GetSessionQueryVariables>;
export const ListSessionsDocument = new TypedDocumentString(`
    query ListSessions($agentName: String, $userId: String, $status: SessionStatus, $since: DateTime, $until: DateTime, $first: Int, $after: String, $last: Int, $before: String) {
  sessions(
    agentName: $agentName
    userId: $userId
    status: $status
    since: $since
    until: $until
    first: $first
    after: $after
    last: $last
    before: $before
  ) {
    totalCount
    pageInfo {
      ...PageInfoRecord
    }
    nodes {
      ...SessionRecord
    }
  }
}
    fragment PageInfoRecord on PageInfo {
  hasNextPage
  hasPreviousPage
  startCursor
  endCursor
}
fragment SessionRecord on Session {
  id
  agentName
  userId
  status
  metadata
  createdAt
  updatedAt
  expiresAt
  parentId
  forkedFromMessageId
}`, {"hash":"50180512888b4e103a274b78c983c2e8330443e8ac90522a19ceb26b949a188f"}) as unknown as TypedDocumentString<ListSessionsQuery, ListSessionsQueryVariables>;
export const UpdateSessionDocument = new TypedDocumentString(`
    mutation UpdateSession($id: ID!, $input: UpdateSessionInput!) {
  updateSession(id: $id, input: $input) {
    ...SessionRecord
  }
}
    fragment SessionRecord on Session {
  id
  agentName
  userId
  status
  metadata
  createdAt
  updatedAt
  expiresAt
  parentId
  forkedFromMessageId
}`, {"hash":"149d3226fe0ba97865c094254bfc83c510423656db91c47a44914940fd2932e8"}) as unknown as TypedDocumentString<UpdateSessionMutation, UpdateSessionMutationVariables>;
export const DeleteSessionDocument = new TypedDocumentString(`
    mutation DeleteSession($id: ID!) {
  deleteSession(id: $id)
}
    `, {"hash":"995ea5a75a33d08b59c444453d8e89f921d6d10d707e90583cb62e33a682bed1"}) as unknown as TypedDocumentString<DeleteSessionMutation, DeleteSessionMutationVariables>;
export const ForkSessionDocument = new TypedDocumentString(`
    mutation ForkSession($id: ID!, $upToMessageId: ID!, $input: ForkSessionInput) {
  forkSession(id: $id, upToMessageId: $upToMessageId, input: $input) {
    ...SessionRecord
  }
}
    fragment SessionRecord on Session {
  id
  agentName
  userId
  status
  metadata
  createdAt
  updatedAt
  expiresAt
  parentId
  forkedFromMessageId
}`, {"hash":"9d60b0b0c7806ef8f4ac4ba3d482f740cbc53d471fa1cf3826f9979d2161b5d0"}) as unknown as TypedDocumentString<ForkSessionMutation, ForkSessionMutationVariables>;
export const SessionForksDocument = new TypedDocumentString(`
    query SessionForks($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  session(id: $id) {
    forks(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo {
        ...PageInfoRecord
      }
      nodes {
        ...SessionRecord
      }
    }
  }
}
    fragment PageInfoRecord on PageInfo {
  hasNextPage
  hasPreviousPage
  startCursor
  endCursor
}
fragment SessionRecord on Session {
  id
  agentName
  userId
  status
  metadata
  createdAt
  updatedAt
  expiresAt
  parentId
  forkedFromMessageId
}`, {"hash":"584166d02ca7aa1c6ac1bf2034ba7e16214ea7937388426b738924483fc1bb83"}) as unknown as TypedDocumentString<SessionForksQuery, SessionForksQueryVariables>;
export const AddMessageDocument = new TypedDocumentString(`
    mutation AddMessage($input: AddMessageInput!, $onConflict: OnConflict, $countTokens: Boolean) {
  addMessage(input: $input, onConflict: $onConflict, countTokens: $countTokens) {
    ...MessageRecord
  }
}
    fragment MessageRecord on Message {
  id
  sessionId
  seq
  role
  content
  item
  metadata
  timestamp
  idempotencyKey
  tokenCount
}`, {"hash":"3044bb6d4cab4e007c0e40607c35821b260906c4256826884ad5efec2218fbb1"}) as unknown as TypedDocumentString<AddMessageMutation, AddMessageMutationVariables>;
export const AddMessagesDocument = new TypedDocumentString(`
    mutation AddMessages($sessionId: ID!, $messages: [NewMessageInput!]!, $onConflict: OnConflict, $countTokens: Boolean) {
  addMessages(
    sessionId: $sessionId
    messages: $messages
    onConflict: $onConflict
    countTokens: $countTokens
  ) {
    ...MessageRecord
  }
}
    fragment MessageRecord on Message {
  id
  sessionId
  seq
  role
  content
  item
  metadata
  timestamp
  idempotencyKey
  tokenCount
}`, {"hash":"b5e815622e36214b79344a3fad1fcf98b6cb308e50772f29634eecd912617aea"}) as unknown as TypedDocumentString<AddMessagesMutation, AddMessagesMutationVariables>;
export const HistoryWithinTokensDocument = new TypedDocumentString(`
    query HistoryWithinTokens($sessionId: ID!, $maxTokens: Int!) {
  session(id: $sessionId) {
    history(lastTokens: $maxTokens) {
      nodes {
        ...MessageRecord
      }
    }
  }
}
    fragment MessageRecord on Message {
  id
  sessionId
  seq
  role
  content
  item
  metadata
  timestamp
  idempotencyKey
  tokenCount
}`, {"hash":"31865bb2e201f58ac5ddb2cce8b1886a6d2060a588f87a21f769a25424a3ff32"}) as unknown as TypedDocumentString<HistoryWithinTokensQuery, HistoryWithinTokensQueryVariables>;
export const SessionTokensDocument = new TypedDocumentString(`
    query SessionTokens($sessionId: ID!) {
  session(id: $sessionId) {
    tokens {
      tokens
      messages
      estimatedMessages
    }
  }
}
    `, {"hash":"10f86b6ef98f321f7ed197b999418dd7e86099c48bfc760f9d52ad5a16acb26e"}) as unknown as TypedDocumentString<SessionTokensQuery, SessionTokensQueryVariables>;
export const HistoryPageDocument = new TypedDocumentString(`
    query HistoryPage($sessionId: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  session(id: $sessionId) {
    history(first: $first, after: $after, last: $last, before: $before) {
      pageInfo {
        ...PageInfoRecord
      }
      nodes {
        ...MessageRecord
      }
    }
  }
}
    fragment PageInfoRecord on PageInfo {
  hasNextPage
  hasPreviousPage
  startCursor
  endCursor
}
fragment MessageRecord on Message {
  id
  sessionId
  seq
  role
  content
  item
  metadata
  timestamp
  idempotencyKey
  tokenCount
}`, {"hash":"de98b4c14df45d6a690d7361a379c51abe1650b1fa21f19a0555effa7122512e"}) as unknown as TypedDocumentString<HistoryPageQuery, HistoryPageQueryVariables>;
export const PopMessageDocument = new TypedDocumentString(`
    mutation PopMessage($sessionId: ID!) {
  popMessage(sessionId: $sessionId) {
    ...MessageRecord
  }
}
    fragment MessageRecord on Message {
  id
  sessionId
  seq
  role
  content
  item
  metadata
  timestamp
  idempotencyKey
  tokenCount
}`, {"hash":"17d181ae55ae7b18ca0b86de375ae0fc5540e605015311f8b97a7cf494345a3c"}) as unknown as TypedDocumentString<PopMessageMutation, PopMessageMutationVariables>;
export const RewriteHistoryDocument = new TypedDocumentString(`
    mutation RewriteHistory($input: RewriteHistoryInput!) {
  rewriteHistory(input: $input) {
    operationId
    replayed
    supersededIds
    messages {
      ...MessageRecord
    }
  }
}
    fragment MessageRecord on Message {
  id
  sessionId
  seq
  role
  content
  item
  metadata
  timestamp
  idempotencyKey
  tokenCount
}`, {"hash":"3968ddfad0fb7dc52e9d3986fe5b511823e704b56f2b2300b3d66c3c9357bd75"}) as unknown as TypedDocumentString<RewriteHistoryMutation, RewriteHistoryMutationVariables>;
export const SupersededHistoryDocument = new TypedDocumentString(`
    query SupersededHistory($sessionId: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  session(id: $sessionId) {
    supersededHistory(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo {
        ...PageInfoRecord
      }
      nodes {
        message {
          ...MessageRecord
        }
        supersededAt
        reason
        operationId
      }
    }
  }
}
    fragment PageInfoRecord on PageInfo {
  hasNextPage
  hasPreviousPage
  startCursor
  endCursor
}
fragment MessageRecord on Message {
  id
  sessionId
  seq
  role
  content
  item
  metadata
  timestamp
  idempotencyKey
  tokenCount
}`, {"hash":"89a9a9779688ee7c39d8d8dad3aeb1060925ed3de287a5736e4208384b281865"}) as unknown as TypedDocumentString<SupersededHistoryQuery, SupersededHistoryQueryVariables>;
export const HistoryDocument = new TypedDocumentString(`
    query History($sessionId: ID!, $afterSeq: Int, $first: Int, $after: String, $last: Int, $before: String) {
  session(id: $sessionId) {
    history(
      afterSeq: $afterSeq
      first: $first
      after: $after
      last: $last
      before: $before
    ) {
      totalCount
      pageInfo {
        ...PageInfoRecord
      }
      nodes {
        ...MessageRecord
      }
    }
  }
}
    fragment PageInfoRecord on PageInfo {
  hasNextPage
  hasPreviousPage
  startCursor
  endCursor
}
fragment MessageRecord on Message {
  id
  sessionId
  seq
  role
  content
  item
  metadata
  timestamp
  idempotencyKey
  tokenCount
}`, {"hash":"dc840f351c01f4c157dd7919d41ad3f833c20e4e358eff69f19d979fddd25486"}) as unknown as TypedDocumentString<HistoryQuery, HistoryQueryVariables>;
export const GetMessageDocument = new TypedDocumentString(`
    query GetMessage($id: ID!) {
  message(id: $id) {
    ...MessageRecord
  }
}
    fragment MessageRecord on Message {
  id
  sessionId
  seq
  role
  content
  item
  metadata
  timestamp
  idempotencyKey
  tokenCount
}`, {"hash":"4571533e73278741af84257c1933009b5835aae373e13e157a7afb13e07c3646"}) as unknown as TypedDocumentString<GetMessageQuery, GetMessageQueryVariables>;
export const ClearHistoryDocument = new TypedDocumentString(`
    mutation ClearHistory($sessionId: ID!) {
  clearHistory(sessionId: $sessionId)
}
    `, {"hash":"529f119edb41a9266792847b4bdb024189dc9ff8cf7a8807658e667922706ff9"}) as unknown as TypedDocumentString<ClearHistoryMutation, ClearHistoryMutationVariables>;
export const GetStateDocument = new TypedDocumentString(`
    query GetState($sessionId: ID!) {
  session(id: $sessionId) {
    state {
      ...StateRecord
    }
  }
}
    fragment StateRecord on State {
  sessionId
  data
  version
  updatedAt
}`, {"hash":"139492380028e8d3a98db3d4985d373af762ad8c2e5071d63a09e45cab24e368"}) as unknown as TypedDocumentString<GetStateQuery, GetStateQueryVariables>;
export const StateHistoryDocument = new TypedDocumentString(`
    query StateHistory($sessionId: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  session(id: $sessionId) {
    state {
      history(first: $first, after: $after, last: $last, before: $before) {
        totalCount
        pageInfo {
          ...PageInfoRecord
        }
        nodes {
          sessionId
          data
          version
          updatedAt
        }
      }
    }
  }
}
    fragment PageInfoRecord on PageInfo {
  hasNextPage
  hasPreviousPage
  startCursor
  endCursor
}`, {"hash":"65eaa0f38caf0b54812b57e59b0b5453e4aabaee0afcac2a9c39d549d5834b7c"}) as unknown as TypedDocumentString<StateHistoryQuery, StateHistoryQueryVariables>;
export const SetStateDocument = new TypedDocumentString(`
    mutation SetState($sessionId: ID!, $data: JSON!, $expectedVersion: Int) {
  setState(sessionId: $sessionId, data: $data, expectedVersion: $expectedVersion) {
    ...StateRecord
  }
}
    fragment StateRecord on State {
  sessionId
  data
  version
  updatedAt
}`, {"hash":"b4b5afaafb51416915a49c21f85d472cd9af9b8e6c0eca49aa2234bbe60c0153"}) as unknown as TypedDocumentString<SetStateMutation, SetStateMutationVariables>;
export const PatchStateDocument = new TypedDocumentString(`
    mutation PatchState($sessionId: ID!, $patch: JSON!, $expectedVersion: Int) {
  patchState(
    sessionId: $sessionId
    patch: $patch
    expectedVersion: $expectedVersion
  ) {
    ...StateRecord
  }
}
    fragment StateRecord on State {
  sessionId
  data
  version
  updatedAt
}`, {"hash":"32421e2ad545834d9fc3fcf5138b4ba218668e1fe782edc109e2ae24395dfd04"}) as unknown as TypedDocumentString<PatchStateMutation, PatchStateMutationVariables>;
export const DeleteStateDocument = new TypedDocumentString(`
    mutation DeleteState($sessionId: ID!) {
  deleteState(sessionId: $sessionId)
}
    `, {"hash":"ff2bbcf2e3b0912f96e0f0d09a6ed3fb45f8b388ab62aa9f2b9537dc77e20992"}) as unknown as TypedDocumentString<DeleteStateMutation, DeleteStateMutationVariables>;
export const CreateArtifactDocument = new TypedDocumentString(`
    mutation CreateArtifact($input: CreateArtifactInput!) {
  createArtifact(input: $input) {
    ...ArtifactRecord
  }
}
    fragment ArtifactRecord on Artifact {
  id
  sessionId
  name
  type
  path
  size
  metadata
  createdAt
}`, {"hash":"c6c32b6ec3f07575a3753c84bd344edb1af283ba312b2ce3ed08ba3cfc6f11cc"}) as unknown as TypedDocumentString<CreateArtifactMutation, CreateArtifactMutationVariables>;
export const GetArtifactDocument = new TypedDocumentString(`
    query GetArtifact($id: ID!) {
  artifact(id: $id) {
    ...ArtifactRecord
  }
}
    fragment ArtifactRecord on Artifact {
  id
  sessionId
  name
  type
  path
  size
  metadata
  createdAt
}`, {"hash":"315187da0ee97d5a1fbc8740c5f2f5f54c3fa64fca4372c815066f6e3479f023"}) as unknown as TypedDocumentString<GetArtifactQuery, GetArtifactQueryVariables>;
export const SessionArtifactsDocument = new TypedDocumentString(`
    query SessionArtifacts($sessionId: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  session(id: $sessionId) {
    artifacts(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo {
        ...PageInfoRecord
      }
      nodes {
        ...ArtifactRecord
      }
    }
  }
}
    fragment PageInfoRecord on PageInfo {
  hasNextPage
  hasPreviousPage
  startCursor
  endCursor
}
fragment ArtifactRecord on Artifact {
  id
  sessionId
  name
  type
  path
  size
  metadata
  createdAt
}`, {"hash":"d943413257443e2fb1883c1da1a245028d5210a792f5291b2d63a849b863b7d4"}) as unknown as TypedDocumentString<SessionArtifactsQuery, SessionArtifactsQueryVariables>;
export const DeleteArtifactDocument = new TypedDocumentString(`
    mutation DeleteArtifact($id: ID!) {
  deleteArtifact(id: $id)
}
    `, {"hash":"8d466d27d038a0f4b8136a9d1d325bb28176493ed53ea788d8dc43b884f15495"}) as unknown as TypedDocumentString<DeleteArtifactMutation, DeleteArtifactMutationVariables>;
export const RecordMetricDocument = new TypedDocumentString(`
    mutation RecordMetric($input: RecordMetricInput!) {
  recordMetric(input: $input) {
    ...MetricRecord
  }
}
    fragment MetricRecord on Metric {
  id
  entityType
  entityName
  metricName
  value
  sessionId
  labels
  timestamp
}`, {"hash":"68bf016834e735c1621b06f3fbbeacfccc099b22055fb7cc6b2127614ecf45b9"}) as unknown as TypedDocumentString<RecordMetricMutation, RecordMetricMutationVariables>;
export const RecordMetricsDocument = new TypedDocumentString(`
    mutation RecordMetrics($inputs: [RecordMetricInput!]!) {
  recordMetrics(inputs: $inputs) {
    ...MetricRecord
  }
}
    fragment MetricRecord on Metric {
  id
  entityType
  entityName
  metricName
  value
  sessionId
  labels
  timestamp
}`, {"hash":"8335f6d76eb016f203e8ec9d8988abc88704c60361106f6ab68d3bb43023dd40"}) as unknown as TypedDocumentString<RecordMetricsMutation, RecordMetricsMutationVariables>;
export const ListMetricsDocument = new TypedDocumentString(`
    query ListMetrics($entityType: String, $entityName: String, $sessionId: ID, $metricName: String, $since: DateTime, $until: DateTime, $first: Int, $after: String, $last: Int, $before: String) {
  metrics(
    entityType: $entityType
    entityName: $entityName
    sessionId: $sessionId
    metricName: $metricName
    since: $since
    until: $until
    first: $first
    after: $after
    last: $last
    before: $before
  ) {
    totalCount
    pageInfo {
      ...PageInfoRecord
    }
    nodes {
      ...MetricRecord
    }
  }
}
    fragment PageInfoRecord on PageInfo {
  hasNextPage
  hasPreviousPage
  startCursor
  endCursor
}
fragment MetricRecord on Metric {
  id
  entityType
  entityName
  metricName
  value
  sessionId
  labels
  timestamp
}`, {"hash":"20c19885ef2874df349fecbcc46b7750d1b1882bb2d47c341e392408983676ee"}) as unknown as TypedDocumentString<ListMetricsQuery, ListMetricsQueryVariables>;
export const GetCacheEntryDocument = new TypedDocumentString(`
    query GetCacheEntry($key: String!) {
  cacheEntry(key: $key) {
    ...CacheEntryRecord
  }
}
    fragment CacheEntryRecord on CacheEntry {
  key
  value
  ttl
  createdAt
  accessedAt
  expiresAt
}`, {"hash":"f36d30373507b5a7cd5c61f39847558c779f9c46e3c2818e33dffbfd04bd6605"}) as unknown as TypedDocumentString<GetCacheEntryQuery, GetCacheEntryQueryVariables>;
export const SetCacheEntryDocument = new TypedDocumentString(`
    mutation SetCacheEntry($key: String!, $value: JSON!, $ttl: Int) {
  setCacheEntry(key: $key, value: $value, ttl: $ttl) {
    ...CacheEntryRecord
  }
}
    fragment CacheEntryRecord on CacheEntry {
  key
  value
  ttl
  createdAt
  accessedAt
  expiresAt
}`, {"hash":"f6d5b2b82922305a344a43b03e9189d8dba4b14f2961c347ec6a51576ecc279e"}) as unknown as TypedDocumentString<SetCacheEntryMutation, SetCacheEntryMutationVariables>;
export const DeleteCacheEntryDocument = new TypedDocumentString(`
    mutation DeleteCacheEntry($key: String!) {
  deleteCacheEntry(key: $key)
}
    `, {"hash":"21d01a6c970d18632733d7373ad480e64a5548cd05437daf5e91d8e41253f28c"}) as unknown as TypedDocumentString<DeleteCacheEntryMutation, DeleteCacheEntryMutationVariables>;
export const SessionEventsDocument = new TypedDocumentString(`
    subscription SessionEvents($sessionId: ID!, $after: String) {
  sessionEvents(sessionId: $sessionId, after: $after) {
    ...StorageEventRecord
  }
}
    fragment SessionRecord on Session {
  id
  agentName
  userId
  status
  metadata
  createdAt
  updatedAt
  expiresAt
  parentId
  forkedFromMessageId
}
fragment MessageRecord on Message {
  id
  sessionId
  seq
  role
  content
  item
  metadata
  timestamp
  idempotencyKey
  tokenCount
}
fragment StateRecord on State {
  sessionId
  data
  version
  updatedAt
}
fragment ArtifactRecord on Artifact {
  id
  sessionId
  name
  type
  path
  size
  metadata
  createdAt
}
fragment ArtifactContentRecord on ArtifactContent {
  artifactId
  version
  sha256
  size
  contentType
  createdAt
  url
}
fragment MetricRecord on Metric {
  id
  entityType
  entityName
  metricName
  value
  sessionId
  labels
  timestamp
}
fragment StorageEventRecord on StorageEvent {
  __typename
  cursor
  seq
  time
  sessionId
  agentName
  ... on SessionCreated {
    session {
      ...SessionRecord
    }
  }
  ... on SessionUpdated {
    session {
      ...SessionRecord
    }
  }
  ... on SessionDeleted {
    session {
      ...SessionRecord
    }
  }
  ... on MessageAdded {
    message {
      ...MessageRecord
    }
  }
  ... on HistoryCleared {
    deleted
  }
  ... on StateChanged {
    state {
      ...StateRecord
    }
  }
  ... on ArtifactCreated {
    artifact {
      ...ArtifactRecord
    }
  }
  ... on ArtifactDeleted {
    artifact {
      ...ArtifactRecord
    }
  }
  ... on ArtifactContentSaved {
    content {
      ...ArtifactContentRecord
    }
  }
  ... on ArtifactContentDeleted {
    artifactId
    versions
  }
  ... on MetricRecorded {
    metric {
      ...MetricRecord
    }
  }
}`, {"hash":"e0f056f5cd5d604c3191c405213e92878ff08359e86f6920acddb9e55851e841"}) as unknown as TypedDocumentString<SessionEventsSubscription, SessionEventsSubscriptionVariables>;
export const AgentEventsDocument = new TypedDocumentString(`
    subscription AgentEvents($agentName: String!, $after: String) {
  agentEvents(agentName: $agentName, after: $after) {
    ...StorageEventRecord
  }
}
    fragment SessionRecord on Session {
  id
  agentName
  userId
  status
  metadata
  createdAt
  updatedAt
  expiresAt
  parentId
  forkedFromMessageId
}
fragment MessageRecord on Message {
  id
  sessionId
  seq
  role
  content
  item
  metadata
  timestamp
  idempotencyKey
  tokenCount
}
fragment StateRecord on State {
  sessionId
  data
  version
  updatedAt
}
fragment ArtifactRecord on Artifact {
  id
  sessionId
  name
  type
  path
  size
  metadata
  createdAt
}
fragment ArtifactContentRecord on ArtifactContent {
  artifactId
  version
  sha256
  size
  contentType
  createdAt
  url
}
fragment MetricRecord on Metric {
  id
  entityType
  entityName
  metricName
  value
  sessionId
  labels
  timestamp
}
fragment StorageEventRecord on StorageEvent {
  __typename
  cursor
  seq
  time
  sessionId
  agentName
  ... on SessionCreated {
    session {
      ...SessionRecord
    }
  }
  ... on SessionUpdated {
    session {
      ...SessionRecord
    }
  }
  ... on SessionDeleted {
    session {
      ...SessionRecord
    }
  }
  ... on MessageAdded {
    message {
      ...MessageRecord
    }
  }
  ... on HistoryCleared {
    deleted
  }
  ... on StateChanged {
    state {
      ...StateRecord
    }
  }
  ... on ArtifactCreated {
    artifact {
      ...ArtifactRecord
    }
  }
  ... on ArtifactDeleted {
    artifact {
      ...ArtifactRecord
    }
  }
  ... on ArtifactContentSaved {
    content {
      ...ArtifactContentRecord
    }
  }
  ... on ArtifactContentDeleted {
    artifactId
    versions
  }
  ... on MetricRecorded {
    metric {
      ...MetricRecord
    }
  }
}`, {"hash":"99f078fb315615ae1520315e99e18ab5c1af42c673fa2dd2592168a0a39b14c4"}) as unknown as TypedDocumentString<AgentEventsSubscription, AgentEventsSubscriptionVariables>;
export const MemoryBatchDocument = new TypedDocumentString(`
    mutation MemoryBatch($operations: [MemoryOperationInput!]!) {
  memoryBatch(operations: $operations) {
    ...MemoryResultRecord
  }
}
    fragment MemoryItemRecord on MemoryItem {
  namespace
  key
  value
  createdAt
  updatedAt
  ttlMinutes
  expiresAt
  score
}
fragment MemoryResultRecord on MemoryOperationResult {
  kind
  item {
    ...MemoryItemRecord
  }
  items {
    ...MemoryItemRecord
  }
  namespaces
}`, {"hash":"258b186e3f5af7fdfa3e614b0d6783dd6d47ee8233d9c62ea71a9a0fc12fc541"}) as unknown as TypedDocumentString<MemoryBatchMutation, MemoryBatchMutationVariables>;
export const MemoryReadDocument = new TypedDocumentString(`
    query MemoryRead($operations: [MemoryOperationInput!]!) {
  memoryRead(operations: $operations) {
    ...MemoryResultRecord
  }
}
    fragment MemoryItemRecord on MemoryItem {
  namespace
  key
  value
  createdAt
  updatedAt
  ttlMinutes
  expiresAt
  score
}
fragment MemoryResultRecord on MemoryOperationResult {
  kind
  item {
    ...MemoryItemRecord
  }
  items {
    ...MemoryItemRecord
  }
  namespaces
}`, {"hash":"d5180cefeb64f7951bb8ddfa04fefafef6d566dbd9dab69fc2be6542cd545218"}) as unknown as TypedDocumentString<MemoryReadQuery, MemoryReadQueryVariables>;
export const SearchDocument = new TypedDocumentString(`
    query Search($query: String!, $filter: SearchFilter, $first: Int, $after: String) {
  search(query: $query, filter: $filter, first: $first, after: $after) {
    totalCount
    totalCountIsEstimate
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        score
        snippet
        highlights {
          start
          end
        }
        message {
          ...MessageRecord
        }
      }
    }
  }
}
    fragment MessageRecord on Message {
  id
  sessionId
  seq
  role
  content
  item
  metadata
  timestamp
  idempotencyKey
  tokenCount
}`, {"hash":"31ec54e6b930da213d21b862e0ae4704aa1dc61d38323abbac703bef7068e61e"}) as unknown as TypedDocumentString<SearchQuery, SearchQueryVariables>;