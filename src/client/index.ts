/**
 * agent-storage/client: the typed client of the agent-storage service (docs/client.md). No runtime
 * dependencies; runs wherever `fetch` does (Node 20+, browsers, workers).
 */
export { AgentStorageClient, type AgentStorageClientOptions, type RequestArgs, type RequestOptions, type StorageEvent } from './client.js';
export { AgentStorageError, type AgentStorageErrorCode, type GraphQLErrorBody } from './errors.js';
export type { EventStreamOptions } from './events.js';
export type { DocumentTypeDecoration, ResultOf, VariablesOf } from './typed-document.js';
export { MemoryApi, type MemoryItem, type MemoryOperation, type MemoryResult } from './memory.js';
export type { RetryOptions } from './retry.js';
export type { CallOptions, FetchLike } from './transport.js';
export {
  ArtifactsApi,
  type ArtifactContent,
  type ContentData,
  type ContentOptions,
  type ContentStream,
  type LoadedContent,
  type SaveContentInput,
  type SavedContent,
  type StorageUsage,
} from './artifacts.js';
export {
  CacheApi,
  HistoryApi,
  MetricsApi,
  SessionsApi,
  StateApi,
  type AppendOptions,
  type Artifact,
  type CacheEntry,
  type HistoryEntry,
  type HistoryTailAnswer,
  type HistoryVersion,
  type HistoryRewrite,
  type Message,
  type Metric,
  type NewMessage,
  type Page,
  type PageArgs,
  type PageInfo,
  type RewriteResult,
  type Session,
  type State,
  type StateVersion,
  type StateWriteOptions,
  type SupersededMessage,
  type TokenTotal,
} from './resources.js';
export { SearchApi, type SearchHit, type SearchOptions, type SearchPage } from './search.js';
export { CheckpointsApi, type CheckpointFilter, type CheckpointPage, type PruneCounts, type StoredCheckpoint, type Thread, type ThreadEvent } from './checkpoints.js';
// The schema's types (inputs, enums, results of every operation above) and the documents, for
// `request` and for code that names them.
export * from './gql/graphql.js';
