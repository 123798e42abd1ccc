/* eslint-disable */
import type { DocumentTypeDecoration } from '../../client/typed-document.js';
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

export type ConsoleSessionFragment = { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null };

export type ConsoleMessageFragment = { __typename?: 'Message', id: string, seq: number, role: MessageRole, content: string, item?: unknown | null, metadata: Record<string, unknown>, timestamp: string, tokenCount?: number | null };

export type ConsolePageInfoFragment = { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null };

export type ConsoleSessionsQueryVariables = Exact<{
  agentName?: InputMaybe<Scalars['String']['input']>;
  userId?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<SessionStatus>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleSessionsQuery = { __typename?: 'Query', sessions: { __typename?: 'SessionConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null }> } };

export type ConsoleSearchQueryVariables = Exact<{
  query: Scalars['String']['input'];
  filter?: InputMaybe<SearchFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleSearchQuery = { __typename?: 'Query', search: { __typename?: 'SearchConnection', totalCount: number, totalCountIsEstimate: boolean, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'SearchHit', snippet: string, message: { __typename?: 'Message', id: string, seq: number, role: MessageRole }, session: { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null } }> } };

export type ConsoleSessionViewQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ConsoleSessionViewQuery = { __typename?: 'Query', session?: { __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null, tokens: { __typename?: 'TokenTotal', tokens: number, messages: number }, forks: { __typename?: 'SessionConnection', totalCount: number, nodes: Array<{ __typename?: 'Session', id: string, agentName: string, userId?: string | null, status: SessionStatus, metadata: Record<string, unknown>, createdAt: string, updatedAt: string, expiresAt?: string | null, parentId?: string | null, forkedFromMessageId?: string | null, forks: { __typename?: 'SessionConnection', totalCount: number } }> } } | null };

export type ConsoleSessionParentQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ConsoleSessionParentQuery = { __typename?: 'Query', session?: { __typename?: 'Session', id: string, agentName: string, parentId?: string | null } | null };

export type ConsoleHistoryQueryVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  last?: InputMaybe<Scalars['Int']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleHistoryQuery = { __typename?: 'Query', session?: { __typename?: 'Session', id: string, history: { __typename?: 'MessageConnection', pageInfo: { __typename?: 'PageInfo', hasPreviousPage: boolean, startCursor?: string | null }, nodes: Array<{ __typename?: 'Message', id: string, seq: number, role: MessageRole, content: string, item?: unknown | null, metadata: Record<string, unknown>, timestamp: string, tokenCount?: number | null }> } } | null };

export type ConsoleStateQueryVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleStateQuery = { __typename?: 'Query', session?: { __typename?: 'Session', id: string, state?: { __typename?: 'State', data?: unknown | null, version: number, updatedAt: string, history: { __typename?: 'StateVersionConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'StateVersion', data?: unknown | null, version: number, updatedAt: string }> } } | null } | null };

export type ConsoleArtifactsQueryVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleArtifactsQuery = { __typename?: 'Query', session?: { __typename?: 'Session', id: string, artifacts: { __typename?: 'ArtifactConnection', pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'Artifact', id: string, name: string, type: string, path: string, size: number, metadata: Record<string, unknown>, createdAt: string, versions: Array<{ __typename?: 'ArtifactContent', version: number, size: number, contentType: string, sha256: string, createdAt: string }> }> } } | null };

export type ConsoleMetricNamesQueryVariables = Exact<{
  sessionId?: InputMaybe<Scalars['ID']['input']>;
  since: Scalars['DateTime']['input'];
}>;


export type ConsoleMetricNamesQuery = { __typename?: 'Query', metricSeries: Array<{ __typename?: 'MetricSeries', group: Record<string, unknown>, points: Array<{ __typename?: 'MetricPoint', count?: number | null }> }> };

export type ConsoleMetricSeriesQueryVariables = Exact<{
  metricName?: InputMaybe<Scalars['String']['input']>;
  sessionId?: InputMaybe<Scalars['ID']['input']>;
  bucket: Scalars['String']['input'];
  since: Scalars['DateTime']['input'];
  until?: InputMaybe<Scalars['DateTime']['input']>;
  groupBy?: InputMaybe<Array<Scalars['String']['input']> | Scalars['String']['input']>;
}>;


export type ConsoleMetricSeriesQuery = { __typename?: 'Query', metricSeries: Array<{ __typename?: 'MetricSeries', group: Record<string, unknown>, points: Array<{ __typename?: 'MetricPoint', t: string, count?: number | null, sum?: number | null, avg?: number | null, min?: number | null, max?: number | null, p95?: number | null }> }> };

export type ConsoleRecentCheckpointsQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleRecentCheckpointsQuery = { __typename?: 'Query', checkpoints: { __typename?: 'CheckpointConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'Checkpoint', threadId: string, namespace: string, id: string, createdAt: string }> } };

export type ConsoleThreadQueryVariables = Exact<{
  id: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleThreadQuery = { __typename?: 'Query', thread?: { __typename?: 'Thread', id: string, createdAt: string, updatedAt: string, expiresAt?: string | null, checkpoints: { __typename?: 'CheckpointConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ __typename?: 'Checkpoint', id: string, parentId?: string | null, namespace: string, type: string, metadata: Record<string, unknown>, channelVersions: Record<string, unknown>, createdAt: string, pendingWrites: Array<{ __typename?: 'PendingWrite', taskId: string, channel: string }> }> } } | null };

export type ConsoleProbeQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleProbeQuery = { __typename?: 'Query', sessions: { __typename?: 'SessionConnection', totalCount: number } };

export type ConsoleSessionEventsSubscriptionVariables = Exact<{
  sessionId: Scalars['ID']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleSessionEventsSubscription = { __typename?: 'Subscription', sessionEvents:
    | { __typename: 'ArtifactContentDeleted', cursor: string }
    | { __typename: 'ArtifactContentSaved', cursor: string }
    | { __typename: 'ArtifactCreated', cursor: string }
    | { __typename: 'ArtifactDeleted', cursor: string }
    | { __typename: 'CheckpointPut', cursor: string }
    | { __typename: 'CheckpointWritesPut', cursor: string }
    | { __typename: 'HistoryCleared', cursor: string }
    | { __typename: 'HistoryRewritten', cursor: string }
    | { __typename: 'MessageAdded', cursor: string, message: { __typename?: 'Message', id: string, seq: number, role: MessageRole, content: string, item?: unknown | null, metadata: Record<string, unknown>, timestamp: string, tokenCount?: number | null } }
    | { __typename: 'MessagePopped', cursor: string }
    | { __typename: 'MessageReplaced', cursor: string }
    | { __typename: 'MetricRecorded', cursor: string }
    | { __typename: 'SessionCreated', cursor: string }
    | { __typename: 'SessionDeleted', cursor: string }
    | { __typename: 'SessionUpdated', cursor: string }
    | { __typename: 'StateChanged', cursor: string }
    | { __typename: 'StateDeleted', cursor: string }
    | { __typename: 'ThreadDeleted', cursor: string }
   };

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
export const ConsoleSessionFragmentDoc = new TypedDocumentString(`
    fragment ConsoleSession on Session {
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
    `, {"fragmentName":"ConsoleSession"}) as unknown as TypedDocumentString<ConsoleSessionFragment, unknown>;
export const ConsoleMessageFragmentDoc = new TypedDocumentString(`
    fragment ConsoleMessage on Message {
  id
  seq
  role
  content
  item
  metadata
  timestamp
  tokenCount
}
    `, {"fragmentName":"ConsoleMessage"}) as unknown as TypedDocumentString<ConsoleMessageFragment, unknown>;
export const ConsolePageInfoFragmentDoc = new TypedDocumentString(`
    fragment ConsolePageInfo on PageInfo {
  hasNextPage
  endCursor
}
    `, {"fragmentName":"ConsolePageInfo"}) as unknown as TypedDocumentString<ConsolePageInfoFragment, unknown>;
export const ConsoleSessionsDocument = new TypedDocumentString(`
    query ConsoleSessions($agentName: String, $userId: String, $status: SessionStatus, $since: DateTime, $until: DateTime, $first: Int, $after: String) {
  sessions(
    agentName: $agentName
    userId: $userId
    status: $status
    since: $since
    until: $until
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo {
      ...ConsolePageInfo
    }
    nodes {
      ...ConsoleSession
    }
  }
}
    fragment ConsoleSession on Session {
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
fragment ConsolePageInfo on PageInfo {
  hasNextPage
  endCursor
}`, {"hash":"3e8c98fd49380947c1e3daea73844d78a5183af06c4d84e83093d76aa9ce58b3"}) as unknown as TypedDocumentString<ConsoleSessionsQuery, ConsoleSessionsQueryVariables>;
export const ConsoleSearchDocument = new TypedDocumentString(`
    query ConsoleSearch($query: String!, $filter: SearchFilter, $first: Int, $after: String) {
  search(query: $query, filter: $filter, first: $first, after: $after) {
    totalCount
    totalCountIsEstimate
    pageInfo {
      ...ConsolePageInfo
    }
    nodes {
      snippet
      message {
        id
        seq
        role
      }
      session {
        ...ConsoleSession
      }
    }
  }
}
    fragment ConsoleSession on Session {
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
fragment ConsolePageInfo on PageInfo {
  hasNextPage
  endCursor
}`, {"hash":"65044980d56462073aa67950ccc078ebfa6236b8cd01e0b42c3ab0403d468a0f"}) as unknown as TypedDocumentString<ConsoleSearchQuery, ConsoleSearchQueryVariables>;
export const ConsoleSessionViewDocument = new TypedDocumentString(`
    query ConsoleSessionView($id: ID!) {
  session(id: $id) {
    ...ConsoleSession
    tokens {
      tokens
      messages
    }
    forks {
      totalCount
      nodes {
        ...ConsoleSession
        forks {
          totalCount
        }
      }
    }
  }
}
    fragment ConsoleSession on Session {
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
}`, {"hash":"22317e99598a9a0db0dade692b45c7cc3900fed2447b19b94fd22d7e2c055346"}) as unknown as TypedDocumentString<ConsoleSessionViewQuery, ConsoleSessionViewQueryVariables>;
export const ConsoleSessionParentDocument = new TypedDocumentString(`
    query ConsoleSessionParent($id: ID!) {
  session(id: $id) {
    id
    agentName
    parentId
  }
}
    `, {"hash":"e089ad93fd2639d8a7455438df8d61964b29682f88fd1365a6476b259283edfd"}) as unknown as TypedDocumentString<ConsoleSessionParentQuery, ConsoleSessionParentQueryVariables>;
export const ConsoleHistoryDocument = new TypedDocumentString(`
    query ConsoleHistory($sessionId: ID!, $last: Int, $before: String) {
  session(id: $sessionId) {
    id
    history(last: $last, before: $before) {
      pageInfo {
        hasPreviousPage
        startCursor
      }
      nodes {
        ...ConsoleMessage
      }
    }
  }
}
    fragment ConsoleMessage on Message {
  id
  seq
  role
  content
  item
  metadata
  timestamp
  tokenCount
}`, {"hash":"66d0981da98b85f99e15ec4cae6714210b00f726d9e5fe19aaed6c1b59cf33d3"}) as unknown as TypedDocumentString<ConsoleHistoryQuery, ConsoleHistoryQueryVariables>;
export const ConsoleStateDocument = new TypedDocumentString(`
    query ConsoleState($sessionId: ID!, $first: Int, $after: String) {
  session(id: $sessionId) {
    id
    state {
      data
      version
      updatedAt
      history(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          data
          version
          updatedAt
        }
      }
    }
  }
}
    `, {"hash":"fa1d79730ace8947450ae8175bf61a564373968ad016ca2678621562d78944e4"}) as unknown as TypedDocumentString<ConsoleStateQuery, ConsoleStateQueryVariables>;
export const ConsoleArtifactsDocument = new TypedDocumentString(`
    query ConsoleArtifacts($sessionId: ID!, $first: Int, $after: String) {
  session(id: $sessionId) {
    id
    artifacts(first: $first, after: $after) {
      pageInfo {
        ...ConsolePageInfo
      }
      nodes {
        id
        name
        type
        path
        size
        metadata
        createdAt
        versions {
          version
          size
          contentType
          sha256
          createdAt
        }
      }
    }
  }
}
    fragment ConsolePageInfo on PageInfo {
  hasNextPage
  endCursor
}`, {"hash":"82300d847aaf7c907c71c6d373f40f833975124d7e05dfad3e67810e59d26367"}) as unknown as TypedDocumentString<ConsoleArtifactsQuery, ConsoleArtifactsQueryVariables>;
export const ConsoleMetricNamesDocument = new TypedDocumentString(`
    query ConsoleMetricNames($sessionId: ID, $since: DateTime!) {
  metricSeries(
    bucket: "1d"
    since: $since
    sessionId: $sessionId
    groupBy: ["metric_name"]
    stats: [COUNT]
  ) {
    group
    points {
      count
    }
  }
}
    `, {"hash":"9a04909eaa603983e4203efa2bab56194291fcc1e2b7d825ab92b3ed9ef562cf"}) as unknown as TypedDocumentString<ConsoleMetricNamesQuery, ConsoleMetricNamesQueryVariables>;
export const ConsoleMetricSeriesDocument = new TypedDocumentString(`
    query ConsoleMetricSeries($metricName: String, $sessionId: ID, $bucket: String!, $since: DateTime!, $until: DateTime, $groupBy: [String!]) {
  metricSeries(
    metricName: $metricName
    sessionId: $sessionId
    bucket: $bucket
    since: $since
    until: $until
    groupBy: $groupBy
    stats: [COUNT, SUM, AVG, MIN, MAX, P95]
  ) {
    group
    points {
      t
      count
      sum
      avg
      min
      max
      p95
    }
  }
}
    `, {"hash":"f1965bd8dae55184b71f48355e61a0c6ac564cfaf2ea2e9478172ffb404d6ac8"}) as unknown as TypedDocumentString<ConsoleMetricSeriesQuery, ConsoleMetricSeriesQueryVariables>;
export const ConsoleRecentCheckpointsDocument = new TypedDocumentString(`
    query ConsoleRecentCheckpoints($first: Int, $after: String) {
  checkpoints(first: $first, after: $after) {
    totalCount
    pageInfo {
      ...ConsolePageInfo
    }
    nodes {
      threadId
      namespace
      id
      createdAt
    }
  }
}
    fragment ConsolePageInfo on PageInfo {
  hasNextPage
  endCursor
}`, {"hash":"ba5bd28d8e9c98d7b64bba62770656cb100070ca7f3856f290b91507b683d13c"}) as unknown as TypedDocumentString<ConsoleRecentCheckpointsQuery, ConsoleRecentCheckpointsQueryVariables>;
export const ConsoleThreadDocument = new TypedDocumentString(`
    query ConsoleThread($id: String!, $first: Int, $after: String) {
  thread(id: $id) {
    id
    createdAt
    updatedAt
    expiresAt
    checkpoints(first: $first, after: $after) {
      totalCount
      pageInfo {
        ...ConsolePageInfo
      }
      nodes {
        id
        parentId
        namespace
        type
        metadata
        channelVersions
        createdAt
        pendingWrites {
          taskId
          channel
        }
      }
    }
  }
}
    fragment ConsolePageInfo on PageInfo {
  hasNextPage
  endCursor
}`, {"hash":"2fc83558467a679e85b3d77183352662df103ae153025d1ff689c0355347231c"}) as unknown as TypedDocumentString<ConsoleThreadQuery, ConsoleThreadQueryVariables>;
export const ConsoleProbeDocument = new TypedDocumentString(`
    query ConsoleProbe {
  sessions(first: 1) {
    totalCount
  }
}
    `, {"hash":"7d33f03b1e2728b7040222b7fd91c8c71290e4cdc7eef87a6cdc6b06e2459fe3"}) as unknown as TypedDocumentString<ConsoleProbeQuery, ConsoleProbeQueryVariables>;
export const ConsoleSessionEventsDocument = new TypedDocumentString(`
    subscription ConsoleSessionEvents($sessionId: ID!, $after: String) {
  sessionEvents(sessionId: $sessionId, after: $after) {
    __typename
    cursor
    ... on MessageAdded {
      message {
        ...ConsoleMessage
      }
    }
  }
}
    fragment ConsoleMessage on Message {
  id
  seq
  role
  content
  item
  metadata
  timestamp
  tokenCount
}`, {"hash":"ffdefa3801081a8eabbe3592627c062addd48155584fdc79d8bcfcb74b36e0eb"}) as unknown as TypedDocumentString<ConsoleSessionEventsSubscription, ConsoleSessionEventsSubscriptionVariables>;