/**
 * agent-storage/openai-agents: OpenAI Agents SDK sessions on the agent-storage service
 * (docs/openai-agents.md). Needs `@openai/agents-core` (an optional peer dependency of this
 * package, brought by `@openai/agents`: only this entry point imports it).
 */
export { AgentStorageSession, type AgentStorageSessionClientOptions, type AgentStorageSessionOptions } from './session.js';
