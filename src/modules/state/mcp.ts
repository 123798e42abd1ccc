import { z } from 'zod';
import { expectedVersion, shortText } from '../../domain/inputs.js';
import { pagedByDefault } from '../../domain/paging.js';
import { anyJson, defineTool, type McpTool } from '../../mcp/tool.js';
import { pageSize } from '../sessions/mcp.js';

/*
 * The state's MCP tools: each calls one operation of the tenant's state service (`storage.state`):
 * one JSON value per session, versioned, with compare-and-set and JSON Merge Patch.
 */

const sessionId = shortText.describe('The session id');
const expected = expectedVersion
  .optional()
  .describe('Write only if the state is at this version (0: only if the session has no state yet); otherwise the call fails with a conflict');

export const stateTools: McpTool[] = [
  defineTool({
    name: 'get_state',
    title: 'Get State',
    description: "Get a session's state: its JSON value (`data`) and `version`.",
    inputSchema: { sessionId },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    scope: 'read',
    run: async ({ storage }, args) => ({ structured: { state: await storage.state.get(args.sessionId) } }),
  }),
  defineTool({
    name: 'get_state_history',
    title: 'Get State History',
    description:
      "Earlier versions of a session's state, newest first, the current one included (the service keeps the last STATE_HISTORY_VERSIONS): `limit` of them (default 100), only those older than `beforeVersion` if given.",
    inputSchema: {
      sessionId,
      limit: z.number().int().min(1).optional().describe('How many versions at most (default 100; ceiling MAX_PAGE_SIZE)'),
      beforeVersion: z.number().int().min(1).optional().describe('Only versions older than this one (the oldest `version` you have)'),
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    scope: 'read',
    run: async ({ storage, config }, { sessionId, limit, beforeVersion }) => ({
      structured: { versions: await storage.state.history(sessionId, { after: beforeVersion ?? null, limit: pageSize(limit, pagedByDefault(config.maxPageSize)) }) },
    }),
  }),
  defineTool({
    name: 'set_state',
    title: 'Set State',
    description: "Replace a session's state with a JSON value. With `expectedVersion`, only if nobody wrote since you read that version.",
    inputSchema: { sessionId, data: anyJson.describe('The new state: any JSON value'), expectedVersion: expected },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    scope: 'write',
    run: async ({ storage }, args) => ({ structured: { state: await storage.state.set(args.sessionId, args.data, args.expectedVersion) } }),
  }),
  defineTool({
    name: 'merge_patch_state',
    title: 'Merge-Patch State',
    description:
      "Change members of a session's state with a JSON Merge Patch (RFC 7396): members given are set, members given as null are removed, others are kept. Concurrent patches of different members all apply.",
    inputSchema: { sessionId, patch: anyJson.describe('The merge patch'), expectedVersion: expected },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    scope: 'write',
    run: async ({ storage }, args) => ({ structured: { state: await storage.state.patch(args.sessionId, args.patch, args.expectedVersion) } }),
  }),
];
