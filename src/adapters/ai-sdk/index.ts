/**
 * agent-storage/ai-sdk: chat persistence for the Vercel AI SDK on the agent-storage service
 * (docs/ai-sdk.md). Needs `ai` (an optional peer dependency of this package: only this entry point
 * imports it).
 */
export { createChatStore, type ChatStore, type ChatStoreOptions, type ChatStoreSettings, type CreateChatOptions } from './chat-store.js';
export { planChatSave, type ChatSavePlan, type StoredChatMessage } from './chat-diff.js';
