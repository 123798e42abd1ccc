import { z } from 'zod';
import { messageRole, parseInput, sessionStatus, shortText } from '../../domain/inputs.js';
import { defineTool, type McpTool } from '../../mcp/tool.js';
import { SEARCH_KINDS, SEARCH_LIMITS, searchInput } from './service.js';

/*
 * The search's MCP tool: one call of the tenant's search service (`storage.search`). Its arguments
 * are plain strings and numbers (the query and times are parsed by the domain's `searchInput`
 * inside: a transform has no JSON Schema of its own to list).
 */

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const searchTools: McpTool[] = [
  defineTool({
    name: 'search',
    title: 'Search',
    description: [
      'Full-text search over the messages of every session (best first), with a snippet of each; with `kind`, over sessions (by their metadata) or artifacts (by name, type, metadata).',
      'Query syntax: `refund policy` (both words), `"refund policy"` (the phrase), `refun*` (a prefix), `refund OR return`, `-draft` (without).',
      'Narrow it with agentName, userId, sessionIds, roles, status, since/until (ISO 8601) and metadata; page with `limit` and the `nextCursor` of the previous answer.',
    ].join(' '),
    inputSchema: {
      query: z.string().describe('What to look for (see the syntax above)'),
      kind: z.enum(SEARCH_KINDS).optional().describe('What to find: messages (the default), sessions or artifacts'),
      agentName: shortText.optional().describe("Only this agent's sessions"),
      userId: shortText.optional().describe("Only this user's sessions"),
      sessionIds: z.array(shortText).optional().describe('Only these sessions'),
      roles: z.array(messageRole).optional().describe('Only messages of these roles'),
      status: sessionStatus.optional().describe('Only sessions with this status'),
      since: z.string().optional().describe('Only messages at or after this time (ISO 8601)'),
      until: z.string().optional().describe('Only messages at or before this time (ISO 8601)'),
      metadata: z.record(z.string(), scalar).optional().describe("Only messages whose metadata has each of these keys with this value"),
      limit: z.number().int().optional().describe(`How many results at most (default ${SEARCH_LIMITS.defaultLimit}, at most ${SEARCH_LIMITS.limit})`),
      cursor: z.string().optional().describe('The nextCursor of the previous page'),
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    scope: 'read',
    run: async ({ storage }, { kind = 'messages', ...args }) => {
      const input = parseInput(searchInput, args);
      const { search } = storage;
      const [{ hits, nextCursor }, { totalCount, totalCountIsEstimate }] = await Promise.all([
        kind === 'messages' ? search.page(input) : kind === 'sessions' ? search.sessions(input) : search.artifacts(input),
        search.count(input, kind),
      ]);
      return { structured: { hits, nextCursor, totalCount, totalCountIsEstimate } };
    },
  }),
];
