import { z } from 'zod';
import { ValidationError } from '../../domain/errors.js';
import { idempotencyKey, LIMITS, messageRole, newMessagesInput, parseInput, seqCursor, shortText, text, tokenCount } from '../../domain/inputs.js';
import { wholeByDefault } from '../../domain/paging.js';
import { defineTool, jsonObjectArg, type McpTool } from '../../mcp/tool.js';
import { pageSize } from '../sessions/mcp.js';

/*
 * The history's MCP tools: each calls one operation of the tenant's history service
 * (`storage.history`). Messages are the domain's records (camelCase names, as on GraphQL).
 */

const message = z.object({
  role: messageRole.describe('Who said it'),
  content: text.describe('What was said'),
  metadata: jsonObjectArg.optional().describe('Any JSON object to keep with the message'),
  idempotencyKey: idempotencyKey.optional().describe('A key of your own, unique in the session: sending the same message with it again stores it once'),
  tokenCount: tokenCount.optional().describe("The message's size in tokens, if you know it (else the server estimates it for maxTokens reads)"),
});

export const historyTools: McpTool[] = [
  defineTool({
    name: 'append_messages',
    title: 'Append Messages',
    description: "Append messages to a session's history, in order, all or none. Answers the stored messages with their ids and positions (`seq`).",
    inputSchema: {
      sessionId: shortText.describe('The session id'),
      messages: z.array(message).min(1).max(LIMITS.batch).describe('The messages, oldest first'),
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    scope: 'write',
    run: async ({ storage }, { sessionId, messages }) => ({
      structured: { messages: await storage.history.addMany(sessionId, parseInput(newMessagesInput, messages)) },
    }),
  }),
  defineTool({
    name: 'read_history',
    title: 'Read History',
    description:
      "Read a session's messages in conversation order: all of them (up to MAX_PAGE_SIZE), or `limit` of them after position `afterSeq` (the `seq` of the last message you have), or the newest ones that fit in `maxTokens` tokens.",
    inputSchema: {
      sessionId: shortText.describe('The session id'),
      limit: z.number().int().min(1).optional().describe('How many messages at most (default and ceiling: MAX_PAGE_SIZE)'),
      afterSeq: seqCursor.optional().describe('Only messages after this position'),
      maxTokens: tokenCount.optional().describe('The newest messages whose tokens add up to at most this many (oldest first); not with limit or afterSeq'),
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    scope: 'read',
    run: async ({ storage, config }, { sessionId, limit, afterSeq, maxTokens }) => {
      if (maxTokens !== undefined && (limit !== undefined || afterSeq !== undefined)) {
        throw new ValidationError([{ path: ['maxTokens'], message: 'give either maxTokens or limit/afterSeq, not both' }]);
      }
      // An unknown session is an error here (the history of one is empty on REST): a model learns it mistyped the id.
      await storage.sessions.get(sessionId);
      const messages =
        maxTokens !== undefined
          ? await storage.history.latestWithinTokens(sessionId, maxTokens)
          : await storage.history.list(sessionId, { after: afterSeq, limit: pageSize(limit, wholeByDefault(config.maxPageSize)) });
      return { structured: { messages } };
    },
  }),
];
