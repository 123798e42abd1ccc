/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
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

export type SessionFieldsFragment = { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, createdAt: string, updatedAt: string, metadata: Record<string, unknown> };

export type PageInfoFieldsFragment = { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null };

export type CreateSessionMutationVariables = Exact<{
  input: CreateSessionInput;
}>;


export type CreateSessionMutation = { __typename?: 'Mutation', createSession: { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, createdAt: string, updatedAt: string, metadata: Record<string, unknown> } };

export type UpdateSessionMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  input: UpdateSessionInput;
}>;


export type UpdateSessionMutation = { __typename?: 'Mutation', updateSession: { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, createdAt: string, updatedAt: string, metadata: Record<string, unknown> } };

export type DeleteSessionMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DeleteSessionMutation = { __typename?: 'Mutation', deleteSession: string };

export type GetSessionQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type GetSessionQuery = { __typename?: 'Query', session?: { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, createdAt: string, updatedAt: string, metadata: Record<string, unknown> } | null };

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


export type ListSessionsQuery = { __typename?: 'Query', sessions: { __typename?: 'SessionConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null }, edges: Array<{ __typename?: 'SessionEdge', cursor: string, node: { __typename?: 'Session', id: string, agentName: string, status: SessionStatus } }>, nodes: Array<{ __typename?: 'Session', id: string }> } };

export type SessionsWithEverythingQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  perSession?: InputMaybe<Scalars['Int']['input']>;
}>;


export type SessionsWithEverythingQuery = { __typename?: 'Query', sessions: { __typename?: 'SessionConnection', totalCount: number, nodes: Array<{ __typename?: 'Session', id: string, state?: { __typename?: 'State', data?: unknown | null, history: { __typename?: 'StateVersionConnection', totalCount: number, nodes: Array<{ __typename?: 'StateVersion', version: number }> } } | null, history: { __typename?: 'MessageConnection', totalCount: number, nodes: Array<{ __typename?: 'Message', seq: number, session: { __typename?: 'Session', id: string } }> }, artifacts: { __typename?: 'ArtifactConnection', totalCount: number, nodes: Array<{ __typename?: 'Artifact', id: string }> }, metrics: { __typename?: 'MetricConnection', totalCount: number, nodes: Array<{ __typename?: 'Metric', value: number }> } }> } };

export type AddMessageMutationVariables = Exact<{
  input: AddMessageInput;
}>;


export type AddMessageMutation = { __typename?: 'Mutation', addMessage: { __typename?: 'Message', id: string, sessionId: string, seq: number, role: MessageRole, content: string, timestamp: string, metadata: Record<string, unknown>, session: { __typename?: 'Session', id: string } } };

export type AddMessagesMutationVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  messages: Array<NewMessageInput> | NewMessageInput;
}>;


export type AddMessagesMutation = { __typename?: 'Mutation', addMessages: Array<{ __typename?: 'Message', id: string, seq: number, role: MessageRole, content: string, metadata: Record<string, unknown> }> };

export type ClearHistoryMutationVariables = Exact<{
  sessionId: Scalars['ID']['input'];
}>;


export type ClearHistoryMutation = { __typename?: 'Mutation', clearHistory: number };

export type GetMessageQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type GetMessageQuery = { __typename?: 'Query', message?: { __typename?: 'Message', id: string, sessionId: string, seq: number, role: MessageRole, content: string, timestamp: string, metadata: Record<string, unknown>, session: { __typename?: 'Session', id: string, agentName: string } } | null };

export type HistoryQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
}>;


export type HistoryQuery = { __typename?: 'Query', session?: { __typename?: 'Session', history: { __typename?: 'MessageConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null }, edges: Array<{ __typename?: 'MessageEdge', cursor: string, node: { __typename?: 'Message', id: string, seq: number, role: MessageRole, content: string, metadata: Record<string, unknown> } }>, nodes: Array<{ __typename?: 'Message', seq: number }> } } | null };

export type SetStateMutationVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  data: Scalars['JSON']['input'];
}>;


export type SetStateMutation = { __typename?: 'Mutation', setState: { __typename?: 'State', sessionId: string, data?: unknown | null, updatedAt: string } };

export type DeleteStateMutationVariables = Exact<{
  sessionId: Scalars['ID']['input'];
}>;


export type DeleteStateMutation = { __typename?: 'Mutation', deleteState: string };

export type GetStateQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type GetStateQuery = { __typename?: 'Query', session?: { __typename?: 'Session', state?: { __typename?: 'State', sessionId: string, data?: unknown | null, updatedAt: string } | null } | null };

export type CreateArtifactMutationVariables = Exact<{
  input: CreateArtifactInput;
}>;


export type CreateArtifactMutation = { __typename?: 'Mutation', createArtifact: { __typename?: 'Artifact', id: string, sessionId: string, name: string, type: string, path: string, size: number, createdAt: string, metadata: Record<string, unknown> } };

export type DeleteArtifactMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DeleteArtifactMutation = { __typename?: 'Mutation', deleteArtifact: string };

export type GetArtifactQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type GetArtifactQuery = { __typename?: 'Query', artifact?: { __typename?: 'Artifact', id: string, sessionId: string, name: string, size: number, metadata: Record<string, unknown> } | null };

export type SessionArtifactsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
}>;


export type SessionArtifactsQuery = { __typename?: 'Query', session?: { __typename?: 'Session', artifacts: { __typename?: 'ArtifactConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null }, edges: Array<{ __typename?: 'ArtifactEdge', cursor: string, node: { __typename?: 'Artifact', id: string, name: string } }> } } | null };

export type ContentFieldsFragment = { __typename?: 'ArtifactContent', artifactId: string, version: number, sha256: string, size: number, contentType: string, createdAt: string, url: string };

export type UploadArtifactContentMutationVariables = Exact<{
  artifactId: Scalars['ID']['input'];
  file: Scalars['File']['input'];
  sha256?: InputMaybe<Scalars['String']['input']>;
  contentType?: InputMaybe<Scalars['String']['input']>;
}>;


export type UploadArtifactContentMutation = { __typename?: 'Mutation', uploadArtifactContent: { __typename?: 'ArtifactContent', artifactId: string, version: number, sha256: string, size: number, contentType: string, createdAt: string, url: string } };

export type SaveArtifactMutationVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  name: Scalars['String']['input'];
  file: Scalars['File']['input'];
  type?: InputMaybe<Scalars['String']['input']>;
  path?: InputMaybe<Scalars['String']['input']>;
  metadata?: InputMaybe<Scalars['JSONObject']['input']>;
  sha256?: InputMaybe<Scalars['String']['input']>;
}>;


export type SaveArtifactMutation = { __typename?: 'Mutation', saveArtifact: { __typename?: 'SavedArtifact', createdArtifact: boolean, artifact: { __typename?: 'Artifact', id: string, sessionId: string, name: string, type: string, path: string, size: number, metadata: Record<string, unknown> }, content: { __typename?: 'ArtifactContent', artifactId: string, version: number, sha256: string, size: number, contentType: string, createdAt: string, url: string } } };

export type SaveArtifactReadingVersionsMutationVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  name: Scalars['String']['input'];
  file: Scalars['File']['input'];
}>;


export type SaveArtifactReadingVersionsMutation = { __typename?: 'Mutation', saveArtifact: { __typename?: 'SavedArtifact', artifact: { __typename?: 'Artifact', versions: Array<{ __typename?: 'ArtifactContent', sha256: string }> } } };

export type DeleteArtifactContentMutationVariables = Exact<{
  artifactId: Scalars['ID']['input'];
  version?: InputMaybe<Scalars['Int']['input']>;
}>;


export type DeleteArtifactContentMutation = { __typename?: 'Mutation', deleteArtifactContent: Array<number> };

export type ArtifactContentQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  version?: InputMaybe<Scalars['Int']['input']>;
}>;


export type ArtifactContentQuery = { __typename?: 'Query', artifact?: { __typename?: 'Artifact', id: string, size: number, content?: { __typename?: 'ArtifactContent', artifactId: string, version: number, sha256: string, size: number, contentType: string, createdAt: string, url: string } | null, pinned?: { __typename?: 'ArtifactContent', version: number, sha256: string } | null, versions: Array<{ __typename?: 'ArtifactContent', artifactId: string, version: number, sha256: string, size: number, contentType: string, createdAt: string, url: string }> } | null };

export type SessionsWithArtifactContentQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
}>;


export type SessionsWithArtifactContentQuery = { __typename?: 'Query', sessions: { __typename?: 'SessionConnection', nodes: Array<{ __typename?: 'Session', artifacts: { __typename?: 'ArtifactConnection', nodes: Array<{ __typename?: 'Artifact', id: string, content?: { __typename?: 'ArtifactContent', version: number, size: number } | null, first?: { __typename?: 'ArtifactContent', version: number } | null, versions: Array<{ __typename?: 'ArtifactContent', version: number }> }> } }> } };

export type UsageQueryVariables = Exact<{ [key: string]: never; }>;


export type UsageQuery = { __typename?: 'Query', usage: { __typename?: 'Usage', tenant: string, storedBytes: number, contentBytes: number, blobs: number, versions: number, quotaBytes?: number | null, maxArtifactBytes: number } };

export type RecordMetricMutationVariables = Exact<{
  input: RecordMetricInput;
}>;


export type RecordMetricMutation = { __typename?: 'Mutation', recordMetric: { __typename?: 'Metric', id: string, entityType: string, entityName: string, sessionId?: string | null, metricName: string, value: number, timestamp: string, labels: Record<string, unknown> } };

export type RecordMetricsMutationVariables = Exact<{
  inputs: Array<RecordMetricInput> | RecordMetricInput;
}>;


export type RecordMetricsMutation = { __typename?: 'Mutation', recordMetrics: Array<{ __typename?: 'Metric', id: string, timestamp: string }> };

export type MetricsQueryVariables = Exact<{
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


export type MetricsQuery = { __typename?: 'Query', metrics: { __typename?: 'MetricConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null }, edges: Array<{ __typename?: 'MetricEdge', cursor: string, node: { __typename?: 'Metric', id: string, metricName: string, value: number, timestamp: string, labels: Record<string, unknown> } }> } };

export type SessionMetricsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  metricName?: InputMaybe<Scalars['String']['input']>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type SessionMetricsQuery = { __typename?: 'Query', session?: { __typename?: 'Session', metrics: { __typename?: 'MetricConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null }, nodes: Array<{ __typename?: 'Metric', id: string, metricName: string, value: number, timestamp: string }> } } | null };

export type SetCacheEntryMutationVariables = Exact<{
  key: Scalars['String']['input'];
  value: Scalars['JSON']['input'];
  ttl?: InputMaybe<Scalars['Int']['input']>;
}>;


export type SetCacheEntryMutation = { __typename?: 'Mutation', setCacheEntry: { __typename?: 'CacheEntry', key: string, value?: unknown | null, ttl?: number | null, createdAt: string, accessedAt: string, expiresAt?: string | null } };

export type GetCacheEntryQueryVariables = Exact<{
  key: Scalars['String']['input'];
}>;


export type GetCacheEntryQuery = { __typename?: 'Query', cacheEntry?: { __typename?: 'CacheEntry', key: string, value?: unknown | null, ttl?: number | null, createdAt: string, accessedAt: string, expiresAt?: string | null } | null };

export type DeleteCacheEntryMutationVariables = Exact<{
  key: Scalars['String']['input'];
}>;


export type DeleteCacheEntryMutation = { __typename?: 'Mutation', deleteCacheEntry: string };

export type CleanupCacheMutationVariables = Exact<{ [key: string]: never; }>;


export type CleanupCacheMutation = { __typename?: 'Mutation', cleanupCache: number };

export type SetStateVersionedMutationVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  data: Scalars['JSON']['input'];
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
}>;


export type SetStateVersionedMutation = { __typename?: 'Mutation', setState: { __typename?: 'State', sessionId: string, data?: unknown | null, updatedAt: string, version: number } };

export type PatchStateMutationVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  patch: Scalars['JSON']['input'];
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
}>;


export type PatchStateMutation = { __typename?: 'Mutation', patchState: { __typename?: 'State', sessionId: string, data?: unknown | null, updatedAt: string, version: number } };

export type StateVersionQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type StateVersionQuery = { __typename?: 'Query', session?: { __typename?: 'Session', state?: { __typename?: 'State', data?: unknown | null, version: number } | null } | null };

export type AddMessageIdempotentMutationVariables = Exact<{
  input: AddMessageInput;
}>;


export type AddMessageIdempotentMutation = { __typename?: 'Mutation', addMessage: { __typename?: 'Message', id: string, sessionId: string, seq: number, role: MessageRole, content: string, timestamp: string, metadata: Record<string, unknown>, idempotencyKey?: string | null } };

export type AddMessagesIdempotentMutationVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  messages: Array<NewMessageInput> | NewMessageInput;
}>;


export type AddMessagesIdempotentMutation = { __typename?: 'Mutation', addMessages: Array<{ __typename?: 'Message', id: string, seq: number, content: string, timestamp: string, idempotencyKey?: string | null }> };

export type HistoryAfterSeqQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  afterSeq?: InputMaybe<Scalars['Int']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type HistoryAfterSeqQuery = { __typename?: 'Query', session?: { __typename?: 'Session', history: { __typename?: 'MessageConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null }, nodes: Array<{ __typename?: 'Message', id: string, seq: number, content: string }> } } | null };

export type ForkSessionMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  upToMessageId: Scalars['ID']['input'];
  input?: InputMaybe<ForkSessionInput>;
}>;


export type ForkSessionMutation = { __typename?: 'Mutation', forkSession: { __typename?: 'Session', parentId?: string | null, forkedFromMessageId?: string | null, id: string, agentName: string, userId?: string | null, status: SessionStatus, createdAt: string, updatedAt: string, metadata: Record<string, unknown>, parent?: { __typename?: 'Session', id: string } | null, state?: { __typename?: 'State', data?: unknown | null, version: number } | null, history: { __typename?: 'MessageConnection', totalCount: number, nodes: Array<{ __typename?: 'Message', id: string, seq: number, role: MessageRole, content: string, timestamp: string, metadata: Record<string, unknown>, idempotencyKey?: string | null }> }, artifacts: { __typename?: 'ArtifactConnection', nodes: Array<{ __typename?: 'Artifact', id: string, name: string }> } } };

export type SessionTreeQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
}>;


export type SessionTreeQuery = { __typename?: 'Query', session?: { __typename?: 'Session', id: string, parentId?: string | null, forkedFromMessageId?: string | null, parent?: { __typename?: 'Session', id: string } | null, forks: { __typename?: 'SessionConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null }, nodes: Array<{ __typename?: 'Session', id: string, parentId?: string | null, forkedFromMessageId?: string | null }> } } | null };

export type SessionsWithForksQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  perSession?: InputMaybe<Scalars['Int']['input']>;
}>;


export type SessionsWithForksQuery = { __typename?: 'Query', sessions: { __typename?: 'SessionConnection', nodes: Array<{ __typename?: 'Session', id: string, parent?: { __typename?: 'Session', id: string } | null, forks: { __typename?: 'SessionConnection', totalCount: number, nodes: Array<{ __typename?: 'Session', id: string, parent?: { __typename?: 'Session', id: string } | null }> } }> } };

export type CheckpointTupleFragment = { __typename?: 'Checkpoint', threadId: string, namespace: string, id: string, parentId?: string | null, type: string, data: string, metadata: Record<string, unknown>, channelVersions: Record<string, unknown>, createdAt: string, channelValues: Array<{ __typename?: 'ChannelValue', channel: string, version: string, type: string, data?: string | null }>, pendingWrites: Array<{ __typename?: 'PendingWrite', taskId: string, idx: number, channel: string, type: string, data: string, taskPath: string }> };

export type PutCheckpointMutationVariables = Exact<{
  input: PutCheckpointInput;
}>;


export type PutCheckpointMutation = { __typename?: 'Mutation', putCheckpoint: { __typename?: 'Checkpoint', threadId: string, namespace: string, id: string, createdAt: string } };

export type PutCheckpointWritesMutationVariables = Exact<{
  input: PutCheckpointWritesInput;
}>;


export type PutCheckpointWritesMutation = { __typename?: 'Mutation', putCheckpointWrites: number };

export type GetCheckpointTupleQueryVariables = Exact<{
  threadId: Scalars['String']['input'];
  namespace?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['String']['input']>;
}>;


export type GetCheckpointTupleQuery = { __typename?: 'Query', thread?: { __typename?: 'Thread', id: string, ttlSeconds?: number | null, expiresAt?: string | null, checkpoint?: { __typename?: 'Checkpoint', threadId: string, namespace: string, id: string, parentId?: string | null, type: string, data: string, metadata: Record<string, unknown>, channelVersions: Record<string, unknown>, createdAt: string, channelValues: Array<{ __typename?: 'ChannelValue', channel: string, version: string, type: string, data?: string | null }>, pendingWrites: Array<{ __typename?: 'PendingWrite', taskId: string, idx: number, channel: string, type: string, data: string, taskPath: string }> } | null } | null };

export type ListCheckpointsQueryVariables = Exact<{
  threadId?: InputMaybe<Scalars['String']['input']>;
  namespace?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<Scalars['JSONObject']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ListCheckpointsQuery = { __typename?: 'Query', checkpoints: { __typename?: 'CheckpointConnection', nodes: Array<{ __typename?: 'Checkpoint', threadId: string, namespace: string, id: string, parentId?: string | null, type: string, data: string, metadata: Record<string, unknown>, channelVersions: Record<string, unknown>, createdAt: string, channelValues: Array<{ __typename?: 'ChannelValue', channel: string, version: string, type: string, data?: string | null }>, pendingWrites: Array<{ __typename?: 'PendingWrite', taskId: string, idx: number, channel: string, type: string, data: string, taskPath: string }> }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null } } };

export type ThreadCheckpointsQueryVariables = Exact<{
  threadId: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
}>;


export type ThreadCheckpointsQuery = { __typename?: 'Query', thread?: { __typename?: 'Thread', id: string, checkpoints: { __typename?: 'CheckpointConnection', totalCount: number, nodes: Array<{ __typename?: 'Checkpoint', id: string, pendingWrites: Array<{ __typename?: 'PendingWrite', taskId: string, idx: number }>, channelValues: Array<{ __typename?: 'ChannelValue', channel: string }> }> } } | null };

export type DeleteThreadMutationVariables = Exact<{
  id: Scalars['String']['input'];
}>;


export type DeleteThreadMutation = { __typename?: 'Mutation', deleteThread: boolean };

export type CopyThreadMutationVariables = Exact<{
  source: Scalars['String']['input'];
  target: Scalars['String']['input'];
}>;


export type CopyThreadMutation = { __typename?: 'Mutation', copyThread: { __typename?: 'Thread', id: string, ttlSeconds?: number | null } };

export type PruneThreadsMutationVariables = Exact<{
  threadIds: Array<Scalars['String']['input']> | Scalars['String']['input'];
  keep?: InputMaybe<Scalars['Int']['input']>;
}>;


export type PruneThreadsMutation = { __typename?: 'Mutation', pruneThreads: { __typename?: 'PruneResult', checkpoints: number, writes: number, channelValues: number } };

export type SetThreadTtlMutationVariables = Exact<{
  id: Scalars['String']['input'];
  ttlSeconds?: InputMaybe<Scalars['Int']['input']>;
}>;


export type SetThreadTtlMutation = { __typename?: 'Mutation', setThreadTtl: { __typename?: 'Thread', id: string, ttlSeconds?: number | null, expiresAt?: string | null } };

export const SessionFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SessionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Session"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"agentName"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}}]}}]} as unknown as DocumentNode<SessionFieldsFragment, unknown>;
export const PageInfoFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]} as unknown as DocumentNode<PageInfoFieldsFragment, unknown>;
export const ContentFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ArtifactContent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"artifactId"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]} as unknown as DocumentNode<ContentFieldsFragment, unknown>;
export const CheckpointTupleFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CheckpointTuple"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Checkpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"threadId"}},{"kind":"Field","name":{"kind":"Name","value":"namespace"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"parentId"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"channelVersions"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"channelValues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"data"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pendingWrites"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"idx"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"taskPath"}}]}}]}}]} as unknown as DocumentNode<CheckpointTupleFragment, unknown>;
export const CreateSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateSessionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SessionFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SessionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Session"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"agentName"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}}]}}]} as unknown as DocumentNode<CreateSessionMutation, CreateSessionMutationVariables>;
export const UpdateSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateSessionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SessionFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SessionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Session"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"agentName"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}}]}}]} as unknown as DocumentNode<UpdateSessionMutation, UpdateSessionMutationVariables>;
export const DeleteSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<DeleteSessionMutation, DeleteSessionMutationVariables>;
export const GetSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GetSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"session"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SessionFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SessionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Session"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"agentName"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}}]}}]} as unknown as DocumentNode<GetSessionQuery, GetSessionQueryVariables>;
export const ListSessionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ListSessions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"agentName"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SessionStatus"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"since"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"until"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sessions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"agentName"},"value":{"kind":"Variable","name":{"kind":"Name","value":"agentName"}}},{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}},{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}},{"kind":"Argument","name":{"kind":"Name","value":"since"},"value":{"kind":"Variable","name":{"kind":"Name","value":"since"}}},{"kind":"Argument","name":{"kind":"Name","value":"until"},"value":{"kind":"Variable","name":{"kind":"Name","value":"until"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"agentName"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]} as unknown as DocumentNode<ListSessionsQuery, ListSessionsQueryVariables>;
export const SessionsWithEverythingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SessionsWithEverything"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"perSession"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sessions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"history"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"perSession"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"history"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"perSession"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"session"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"artifacts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"perSession"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"metrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"metricName"},"value":{"kind":"StringValue","value":"latency","block":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<SessionsWithEverythingQuery, SessionsWithEverythingQueryVariables>;
export const AddMessageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddMessage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AddMessageInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addMessage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"session"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<AddMessageMutation, AddMessageMutationVariables>;
export const AddMessagesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddMessages"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"messages"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"NewMessageInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addMessages"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}}},{"kind":"Argument","name":{"kind":"Name","value":"messages"},"value":{"kind":"Variable","name":{"kind":"Name","value":"messages"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}}]}}]}}]} as unknown as DocumentNode<AddMessagesMutation, AddMessagesMutationVariables>;
export const ClearHistoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ClearHistory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clearHistory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}}}]}]}}]} as unknown as DocumentNode<ClearHistoryMutation, ClearHistoryMutationVariables>;
export const GetMessageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GetMessage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"session"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"agentName"}}]}}]}}]}}]} as unknown as DocumentNode<GetMessageQuery, GetMessageQueryVariables>;
export const HistoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"History"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"session"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"history"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]} as unknown as DocumentNode<HistoryQuery, HistoryQueryVariables>;
export const SetStateDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetState"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"data"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setState"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}}},{"kind":"Argument","name":{"kind":"Name","value":"data"},"value":{"kind":"Variable","name":{"kind":"Name","value":"data"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]}}]} as unknown as DocumentNode<SetStateMutation, SetStateMutationVariables>;
export const DeleteStateDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteState"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteState"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}}}]}]}}]} as unknown as DocumentNode<DeleteStateMutation, DeleteStateMutationVariables>;
export const GetStateDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GetState"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"session"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]}}]}}]} as unknown as DocumentNode<GetStateQuery, GetStateQueryVariables>;
export const CreateArtifactDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateArtifact"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateArtifactInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createArtifact"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}}]}}]}}]} as unknown as DocumentNode<CreateArtifactMutation, CreateArtifactMutationVariables>;
export const DeleteArtifactDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteArtifact"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteArtifact"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<DeleteArtifactMutation, DeleteArtifactMutationVariables>;
export const GetArtifactDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GetArtifact"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"artifact"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}}]}}]}}]} as unknown as DocumentNode<GetArtifactQuery, GetArtifactQueryVariables>;
export const SessionArtifactsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SessionArtifacts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"session"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"artifacts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]} as unknown as DocumentNode<SessionArtifactsQuery, SessionArtifactsQueryVariables>;
export const UploadArtifactContentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UploadArtifactContent"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"artifactId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"file"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"File"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sha256"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"contentType"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uploadArtifactContent"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"artifactId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"artifactId"}}},{"kind":"Argument","name":{"kind":"Name","value":"file"},"value":{"kind":"Variable","name":{"kind":"Name","value":"file"}}},{"kind":"Argument","name":{"kind":"Name","value":"sha256"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sha256"}}},{"kind":"Argument","name":{"kind":"Name","value":"contentType"},"value":{"kind":"Variable","name":{"kind":"Name","value":"contentType"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContentFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ArtifactContent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"artifactId"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]} as unknown as DocumentNode<UploadArtifactContentMutation, UploadArtifactContentMutationVariables>;
export const SaveArtifactDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SaveArtifact"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"file"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"File"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"type"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"path"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"metadata"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"JSONObject"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sha256"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"saveArtifact"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"file"},"value":{"kind":"Variable","name":{"kind":"Name","value":"file"}}},{"kind":"Argument","name":{"kind":"Name","value":"type"},"value":{"kind":"Variable","name":{"kind":"Name","value":"type"}}},{"kind":"Argument","name":{"kind":"Name","value":"path"},"value":{"kind":"Variable","name":{"kind":"Name","value":"path"}}},{"kind":"Argument","name":{"kind":"Name","value":"metadata"},"value":{"kind":"Variable","name":{"kind":"Name","value":"metadata"}}},{"kind":"Argument","name":{"kind":"Name","value":"sha256"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sha256"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createdArtifact"}},{"kind":"Field","name":{"kind":"Name","value":"artifact"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}}]}},{"kind":"Field","name":{"kind":"Name","value":"content"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContentFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ArtifactContent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"artifactId"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]} as unknown as DocumentNode<SaveArtifactMutation, SaveArtifactMutationVariables>;
export const SaveArtifactReadingVersionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SaveArtifactReadingVersions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"file"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"File"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"saveArtifact"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"file"},"value":{"kind":"Variable","name":{"kind":"Name","value":"file"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"artifact"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"versions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sha256"}}]}}]}}]}}]}}]} as unknown as DocumentNode<SaveArtifactReadingVersionsMutation, SaveArtifactReadingVersionsMutationVariables>;
export const DeleteArtifactContentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteArtifactContent"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"artifactId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"version"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteArtifactContent"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"artifactId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"artifactId"}}},{"kind":"Argument","name":{"kind":"Name","value":"version"},"value":{"kind":"Variable","name":{"kind":"Name","value":"version"}}}]}]}}]} as unknown as DocumentNode<DeleteArtifactContentMutation, DeleteArtifactContentMutationVariables>;
export const ArtifactContentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ArtifactContent"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"version"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"artifact"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"content"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContentFields"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"pinned"},"name":{"kind":"Name","value":"content"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"version"},"value":{"kind":"Variable","name":{"kind":"Name","value":"version"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}}]}},{"kind":"Field","name":{"kind":"Name","value":"versions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContentFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ArtifactContent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"artifactId"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]} as unknown as DocumentNode<ArtifactContentQuery, ArtifactContentQueryVariables>;
export const SessionsWithArtifactContentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SessionsWithArtifactContent"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sessions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"agentName"},"value":{"kind":"StringValue","value":"with-content","block":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"artifacts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"content"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"size"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"first"},"name":{"kind":"Name","value":"content"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"version"},"value":{"kind":"IntValue","value":"0"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}}]}},{"kind":"Field","name":{"kind":"Name","value":"versions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<SessionsWithArtifactContentQuery, SessionsWithArtifactContentQueryVariables>;
export const UsageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tenant"}},{"kind":"Field","name":{"kind":"Name","value":"storedBytes"}},{"kind":"Field","name":{"kind":"Name","value":"contentBytes"}},{"kind":"Field","name":{"kind":"Name","value":"blobs"}},{"kind":"Field","name":{"kind":"Name","value":"versions"}},{"kind":"Field","name":{"kind":"Name","value":"quotaBytes"}},{"kind":"Field","name":{"kind":"Name","value":"maxArtifactBytes"}}]}}]}}]} as unknown as DocumentNode<UsageQuery, UsageQueryVariables>;
export const RecordMetricDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RecordMetric"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RecordMetricInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordMetric"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"entityType"}},{"kind":"Field","name":{"kind":"Name","value":"entityName"}},{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"metricName"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}},{"kind":"Field","name":{"kind":"Name","value":"labels"}}]}}]}}]} as unknown as DocumentNode<RecordMetricMutation, RecordMetricMutationVariables>;
export const RecordMetricsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RecordMetrics"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"inputs"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RecordMetricInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"inputs"},"value":{"kind":"Variable","name":{"kind":"Name","value":"inputs"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}}]}}]}}]} as unknown as DocumentNode<RecordMetricsMutation, RecordMetricsMutationVariables>;
export const MetricsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Metrics"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"entityType"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"entityName"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"metricName"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"since"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"until"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"entityType"},"value":{"kind":"Variable","name":{"kind":"Name","value":"entityType"}}},{"kind":"Argument","name":{"kind":"Name","value":"entityName"},"value":{"kind":"Variable","name":{"kind":"Name","value":"entityName"}}},{"kind":"Argument","name":{"kind":"Name","value":"sessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}}},{"kind":"Argument","name":{"kind":"Name","value":"metricName"},"value":{"kind":"Variable","name":{"kind":"Name","value":"metricName"}}},{"kind":"Argument","name":{"kind":"Name","value":"since"},"value":{"kind":"Variable","name":{"kind":"Name","value":"since"}}},{"kind":"Argument","name":{"kind":"Name","value":"until"},"value":{"kind":"Variable","name":{"kind":"Name","value":"until"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"metricName"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}},{"kind":"Field","name":{"kind":"Name","value":"labels"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]} as unknown as DocumentNode<MetricsQuery, MetricsQueryVariables>;
export const SessionMetricsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SessionMetrics"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"metricName"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"since"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"until"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"session"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"metricName"},"value":{"kind":"Variable","name":{"kind":"Name","value":"metricName"}}},{"kind":"Argument","name":{"kind":"Name","value":"since"},"value":{"kind":"Variable","name":{"kind":"Name","value":"since"}}},{"kind":"Argument","name":{"kind":"Name","value":"until"},"value":{"kind":"Variable","name":{"kind":"Name","value":"until"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"metricName"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]} as unknown as DocumentNode<SessionMetricsQuery, SessionMetricsQueryVariables>;
export const SetCacheEntryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetCacheEntry"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"key"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"value"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ttl"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setCacheEntry"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"key"},"value":{"kind":"Variable","name":{"kind":"Name","value":"key"}}},{"kind":"Argument","name":{"kind":"Name","value":"value"},"value":{"kind":"Variable","name":{"kind":"Name","value":"value"}}},{"kind":"Argument","name":{"kind":"Name","value":"ttl"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ttl"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"ttl"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"accessedAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<SetCacheEntryMutation, SetCacheEntryMutationVariables>;
export const GetCacheEntryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GetCacheEntry"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"key"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cacheEntry"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"key"},"value":{"kind":"Variable","name":{"kind":"Name","value":"key"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"ttl"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"accessedAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<GetCacheEntryQuery, GetCacheEntryQueryVariables>;
export const DeleteCacheEntryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteCacheEntry"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"key"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteCacheEntry"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"key"},"value":{"kind":"Variable","name":{"kind":"Name","value":"key"}}}]}]}}]} as unknown as DocumentNode<DeleteCacheEntryMutation, DeleteCacheEntryMutationVariables>;
export const CleanupCacheDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CleanupCache"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cleanupCache"}}]}}]} as unknown as DocumentNode<CleanupCacheMutation, CleanupCacheMutationVariables>;
export const SetStateVersionedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetStateVersioned"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"data"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"expectedVersion"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setState"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}}},{"kind":"Argument","name":{"kind":"Name","value":"data"},"value":{"kind":"Variable","name":{"kind":"Name","value":"data"}}},{"kind":"Argument","name":{"kind":"Name","value":"expectedVersion"},"value":{"kind":"Variable","name":{"kind":"Name","value":"expectedVersion"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]} as unknown as DocumentNode<SetStateVersionedMutation, SetStateVersionedMutationVariables>;
export const PatchStateDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PatchState"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"patch"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"expectedVersion"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"patchState"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}}},{"kind":"Argument","name":{"kind":"Name","value":"patch"},"value":{"kind":"Variable","name":{"kind":"Name","value":"patch"}}},{"kind":"Argument","name":{"kind":"Name","value":"expectedVersion"},"value":{"kind":"Variable","name":{"kind":"Name","value":"expectedVersion"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]} as unknown as DocumentNode<PatchStateMutation, PatchStateMutationVariables>;
export const StateVersionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StateVersion"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"session"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]}}]} as unknown as DocumentNode<StateVersionQuery, StateVersionQueryVariables>;
export const AddMessageIdempotentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddMessageIdempotent"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AddMessageInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addMessage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"idempotencyKey"}}]}}]}}]} as unknown as DocumentNode<AddMessageIdempotentMutation, AddMessageIdempotentMutationVariables>;
export const AddMessagesIdempotentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddMessagesIdempotent"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"messages"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"NewMessageInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addMessages"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}}},{"kind":"Argument","name":{"kind":"Name","value":"messages"},"value":{"kind":"Variable","name":{"kind":"Name","value":"messages"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}},{"kind":"Field","name":{"kind":"Name","value":"idempotencyKey"}}]}}]}}]} as unknown as DocumentNode<AddMessagesIdempotentMutation, AddMessagesIdempotentMutationVariables>;
export const HistoryAfterSeqDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"HistoryAfterSeq"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"afterSeq"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"session"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"history"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"afterSeq"},"value":{"kind":"Variable","name":{"kind":"Name","value":"afterSeq"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"content"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]} as unknown as DocumentNode<HistoryAfterSeqQuery, HistoryAfterSeqQueryVariables>;
export const ForkSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ForkSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"upToMessageId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ForkSessionInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"forkSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"upToMessageId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"upToMessageId"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SessionFields"}},{"kind":"Field","name":{"kind":"Name","value":"parentId"}},{"kind":"Field","name":{"kind":"Name","value":"forkedFromMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"parent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"state"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}},{"kind":"Field","name":{"kind":"Name","value":"history"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"idempotencyKey"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"artifacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SessionFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Session"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"agentName"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}}]}}]} as unknown as DocumentNode<ForkSessionMutation, ForkSessionMutationVariables>;
export const SessionTreeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SessionTree"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"session"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"parentId"}},{"kind":"Field","name":{"kind":"Name","value":"forkedFromMessageId"}},{"kind":"Field","name":{"kind":"Name","value":"parent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"forks"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"parentId"}},{"kind":"Field","name":{"kind":"Name","value":"forkedFromMessageId"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]} as unknown as DocumentNode<SessionTreeQuery, SessionTreeQueryVariables>;
export const SessionsWithForksDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SessionsWithForks"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"perSession"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sessions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"parent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"forks"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"perSession"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"parent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<SessionsWithForksQuery, SessionsWithForksQueryVariables>;
export const PutCheckpointDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PutCheckpoint"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PutCheckpointInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"putCheckpoint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"threadId"}},{"kind":"Field","name":{"kind":"Name","value":"namespace"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]} as unknown as DocumentNode<PutCheckpointMutation, PutCheckpointMutationVariables>;
export const PutCheckpointWritesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PutCheckpointWrites"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PutCheckpointWritesInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"putCheckpointWrites"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}]}]}}]} as unknown as DocumentNode<PutCheckpointWritesMutation, PutCheckpointWritesMutationVariables>;
export const GetCheckpointTupleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GetCheckpointTuple"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"threadId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"namespace"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}},"defaultValue":{"kind":"StringValue","value":"","block":false}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"thread"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"threadId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"ttlSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"checkpoint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"namespace"},"value":{"kind":"Variable","name":{"kind":"Name","value":"namespace"}}},{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CheckpointTuple"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CheckpointTuple"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Checkpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"threadId"}},{"kind":"Field","name":{"kind":"Name","value":"namespace"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"parentId"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"channelVersions"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"channelValues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"data"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pendingWrites"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"idx"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"taskPath"}}]}}]}}]} as unknown as DocumentNode<GetCheckpointTupleQuery, GetCheckpointTupleQueryVariables>;
export const ListCheckpointsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ListCheckpoints"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"threadId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"namespace"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"JSONObject"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"checkpoints"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"threadId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"threadId"}}},{"kind":"Argument","name":{"kind":"Name","value":"namespace"},"value":{"kind":"Variable","name":{"kind":"Name","value":"namespace"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CheckpointTuple"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CheckpointTuple"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Checkpoint"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"threadId"}},{"kind":"Field","name":{"kind":"Name","value":"namespace"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"parentId"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"channelVersions"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"channelValues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"data"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pendingWrites"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"idx"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"taskPath"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]} as unknown as DocumentNode<ListCheckpointsQuery, ListCheckpointsQueryVariables>;
export const ThreadCheckpointsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ThreadCheckpoints"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"threadId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"thread"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"threadId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"checkpoints"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"pendingWrites"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"idx"}}]}},{"kind":"Field","name":{"kind":"Name","value":"channelValues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"channel"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ThreadCheckpointsQuery, ThreadCheckpointsQueryVariables>;
export const DeleteThreadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteThread"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteThread"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<DeleteThreadMutation, DeleteThreadMutationVariables>;
export const CopyThreadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CopyThread"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"source"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"target"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"copyThread"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sourceThreadId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"source"}}},{"kind":"Argument","name":{"kind":"Name","value":"targetThreadId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"target"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"ttlSeconds"}}]}}]}}]} as unknown as DocumentNode<CopyThreadMutation, CopyThreadMutationVariables>;
export const PruneThreadsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PruneThreads"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"threadIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"keep"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pruneThreads"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"threadIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"threadIds"}}},{"kind":"Argument","name":{"kind":"Name","value":"keep"},"value":{"kind":"Variable","name":{"kind":"Name","value":"keep"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"checkpoints"}},{"kind":"Field","name":{"kind":"Name","value":"writes"}},{"kind":"Field","name":{"kind":"Name","value":"channelValues"}}]}}]}}]} as unknown as DocumentNode<PruneThreadsMutation, PruneThreadsMutationVariables>;
export const SetThreadTtlDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetThreadTtl"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ttlSeconds"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setThreadTtl"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"ttlSeconds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ttlSeconds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"ttlSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<SetThreadTtlMutation, SetThreadTtlMutationVariables>;