/**
 * agent-storage/langgraph: LangGraph.js persistence on the agent-storage service (docs/langgraph.md).
 * Needs `@langchain/langgraph-checkpoint` and `@langchain/core` (optional peer dependencies of
 * this package: only this entry point imports them).
 */
export { AgentStorageSaver, type AgentStorageSaverClientOptions, type AgentStorageSaverOptions } from './saver.js';
export { AgentStorageStore, type AgentStorageStoreClientOptions, type AgentStorageStoreOptions, type AgentStorageStoreSettings, type EmbedFunction, type EmbeddingsLike, type StoreGetOperation, type StoreIndexConfig, type StoreOperation, type StorePutOperation, type StoreSearchOperation, type StoreSearchOptions, type StoreTtlConfig } from './store.js';
