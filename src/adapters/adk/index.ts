/**
 * agent-storage/adk: Google ADK sessions on the agent-storage service (docs/adk.md). Needs
 * `@google/adk` (an optional peer dependency of this package: only this entry point imports it).
 */
export { AgentStorageSessionService, type AgentStorageSessionServiceClientOptions, type AgentStorageSessionServiceOptions } from './session-service.js';
