import { graphTools } from '../modules/graph/mcp.js';
import { historyTools } from '../modules/history/mcp.js';
import { searchTools } from '../modules/search/mcp.js';
import { sessionResource, sessionTools } from '../modules/sessions/mcp.js';
import { stateTools } from '../modules/state/mcp.js';
import type { McpResourceTemplate, McpTool } from './tool.js';

/** Every tool the MCP door serves, each module's in turn (the order of `tools/list`). */
export const mcpTools: readonly McpTool[] = [...sessionTools, ...historyTools, ...searchTools, ...stateTools, ...graphTools];

/** The resource templates the MCP door serves. */
export const mcpResources: readonly McpResourceTemplate[] = [sessionResource()];
