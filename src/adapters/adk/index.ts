/**
 * agent-storage/adk: Google ADK sessions and artifacts on the agent-storage service (docs/adk.md). Needs
 * `@google/adk` (an optional peer dependency of this package: only this entry point imports it).
 */
export { AgentStorageSessionService, type AgentStorageSessionServiceClientOptions, type AgentStorageSessionServiceOptions } from './session-service.js';
export { AgentStorageArtifactService, type AgentStorageArtifactServiceClientOptions, type AgentStorageArtifactServiceOptions } from './artifact-service.js';
