import { setStateInput } from '../domain/inputs.js';
import type { State } from '../domain/records.js';
import { json, parseWire } from './http.js';
import { requireParam, type Route, type RouteDeps } from './routes.js';

export function stateToWire(s: State) {
  // `version` is not in the original service: the state's version, as in its ETag (see README).
  return { session_id: s.sessionId, data: s.data, updated_at: s.updatedAt, version: s.version };
}

export function stateRoutes({ storage }: RouteDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/storage/state/:session_id',
      handler: async (req) => json(200, stateToWire(await storage.getState(requireParam(req.params, 'session_id')))),
    },
    {
      method: 'PUT',
      path: '/storage/state/:session_id',
      handler: async (req) => {
        const { data } = parseWire(setStateInput, await req.body(), 'body');
        return json(200, stateToWire(await storage.setState(requireParam(req.params, 'session_id'), data)));
      },
    },
    {
      method: 'DELETE',
      path: '/storage/state/:session_id',
      handler: async (req) => {
        const sessionId = requireParam(req.params, 'session_id');
        await storage.deleteState(sessionId);
        return json(200, { status: 'deleted', session_id: sessionId });
      },
    },
  ];
}
