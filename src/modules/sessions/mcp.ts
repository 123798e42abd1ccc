import { z } from 'zod';
import { ValidationError } from '../../domain/errors.js';
import { createSessionInput, parseInput, sessionFilter, sessionStatus, shortText } from '../../domain/inputs.js';
import { pagedByDefault, wholeByDefault } from '../../domain/paging.js';
import { defineTool, jsonObjectArg, type McpResourceTemplate, type McpTool } from '../../mcp/tool.js';

/*
 * The sessions' MCP tools and the `session://{id}` resource: each calls one operation of the
 * tenant's session service (`storage.sessions`). Records are the domain's, with camelCase names as
 * on GraphQL.
 */

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/** A page size an MCP client asked for: the configured ceiling refuses more (never a silent cut), as on the other doors. */
export function pageSize(requested: number | undefined, sizes: { default: number; max: number }): number {
  if (requested === undefined) return sizes.default;
  if (requested > sizes.max) throw new ValidationError([{ path: ['limit'], message: `must be at most ${sizes.max}` }]);
  return requested;
}

const limitArg = z.number().int('must be a whole number').min(1, 'must be at least 1');
const offsetArg = z.number().int('must be a whole number').min(0, 'must not be negative').max(Number.MAX_SAFE_INTEGER);

export const sessionTools: McpTool[] = [
  defineTool({
    name: 'list_sessions',
    title: 'List Sessions',
    description:
      'List conversation sessions, newest first, optionally only those of one agent, user or status, or created in a time range (since/until, ISO 8601). Pages with `limit` (default 100) and `offset`.',
    inputSchema: {
      agentName: shortText.optional().describe('Only sessions of this agent'),
      userId: shortText.optional().describe('Only sessions of this user'),
      status: sessionStatus.optional().describe('Only sessions with this status'),
      // Checked with the rest of the filter below (sessionFilter: the format and since <= until).
      since: z.string().optional().describe('Only sessions created at or after this time (ISO 8601)'),
      until: z.string().optional().describe('Only sessions created before this time (ISO 8601)'),
      limit: limitArg.optional().describe('How many sessions at most (default 100, at most MAX_PAGE_SIZE)'),
      offset: offsetArg.optional().describe('How many sessions to skip first'),
    },
    annotations: READ,
    scope: 'read',
    run: async ({ storage, config }, { limit, offset, ...filter }) => {
      const sessions = await storage.sessions.list(parseInput(sessionFilter, filter), { limit: pageSize(limit, pagedByDefault(config.maxPageSize)), offset });
      return { structured: { sessions } };
    },
  }),
  defineTool({
    name: 'create_session',
    title: 'Create Session',
    description: 'Create a conversation session for an agent (and optionally a user). Answers the session, whose `id` the history and state tools take.',
    inputSchema: {
      agentName: shortText.describe('The agent the session belongs to'),
      userId: shortText.optional().describe('The user the session is with'),
      metadata: jsonObjectArg.optional().describe('Any JSON object to keep with the session'),
      ttlSeconds: z.number().int().min(1).optional().describe('Delete the session this many seconds from now (default: never)'),
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    scope: 'write',
    run: async ({ storage }, args) => {
      const session = await storage.sessions.create(parseInput(createSessionInput, args));
      return { structured: { session } };
    },
  }),
  defineTool({
    name: 'get_session',
    title: 'Get Session',
    description: 'Get one session by its id.',
    inputSchema: { sessionId: shortText.describe('The session id') },
    annotations: READ,
    scope: 'read',
    run: async ({ storage }, { sessionId }) => ({ structured: { session: await storage.sessions.get(sessionId) } }),
  }),
];

/** `session://{id}`: a session and its latest messages (up to MAX_PAGE_SIZE), in order, as JSON. */
export function sessionResource(): McpResourceTemplate {
  return {
    name: 'session',
    uriTemplate: 'session://{id}',
    title: 'Conversation session',
    description: 'A session with its latest messages (up to MAX_PAGE_SIZE, oldest first), to attach a conversation as context',
    mimeType: 'application/json',
    scope: 'read',
    async list({ storage, config }) {
      const sessions = await storage.sessions.list({}, { limit: pagedByDefault(config.maxPageSize).default });
      return sessions.map((s) => ({ uri: `session://${s.id}`, name: s.id, title: `${s.agentName} session ${s.id}`, mimeType: 'application/json' }));
    },
    async read({ storage, config }, { id }) {
      const sessionId = parseInput(shortText, id ?? '');
      const session = await storage.sessions.get(sessionId);
      const { max } = wholeByDefault(config.maxPageSize);
      const [messages, counts] = await Promise.all([
        storage.history.list(sessionId, { limit: max, fromEnd: true }),
        storage.history.counts([sessionId]),
      ]);
      const text = JSON.stringify({ session, messageCount: counts.get(sessionId) ?? 0, messages }, null, 2);
      return { uri: `session://${sessionId}`, mimeType: 'application/json', text };
    },
  };
}
