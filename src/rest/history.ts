import { addMessageInput } from '../domain/inputs.js';
import type { Message } from '../domain/records.js';
import { json, parseWire, queryObject } from './http.js';
import { ALL, pagingQuery, sessionIdQuery, type Route, type RouteDeps } from './routes.js';

export function messageToWire(m: Message) {
  return {
    id: m.id,
    session_id: m.sessionId,
    // Not in the original service: the message's position in its conversation (see README).
    seq: m.seq,
    role: m.role,
    content: m.content,
    timestamp: m.timestamp,
    metadata: m.metadata,
  };
}

export function historyRoutes({ storage, config }: RouteDeps): Route[] {
  const listQuery = sessionIdQuery.extend(pagingQuery(config).shape);
  return [
    {
      method: 'POST',
      path: '/storage/history',
      handler: async (req) => json(200, messageToWire(await storage.addMessage(parseWire(addMessageInput, await req.body(), 'body')))),
    },
    {
      // The whole conversation in order unless `limit`/`offset` page it; an unknown session has none.
      method: 'GET',
      path: '/storage/history',
      handler: async (req) => {
        const { sessionId, limit, offset } = parseWire(listQuery, queryObject(req.query), 'query');
        const messages = await storage.history(sessionId, { limit: limit ?? ALL, offset });
        return json(200, messages.map(messageToWire));
      },
    },
    {
      method: 'DELETE',
      path: '/storage/history',
      handler: async (req) => {
        const { sessionId } = parseWire(sessionIdQuery, queryObject(req.query), 'query');
        const deleted = await storage.clearHistory(sessionId);
        return json(200, { status: 'cleared', session_id: sessionId, deleted });
      },
    },
  ];
}
