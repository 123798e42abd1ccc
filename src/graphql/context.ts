import type { ApiKeyService } from '../modules/keys/service.js';
import type { Principal } from '../auth/principal.js';
import type { Config } from '../config.js';
import { EventStreams } from '../http/event-streams.js';
import type { Storage } from '../storage/storage.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface GraphQLContext {
  /** The domain operations over the caller's tenant: the only way resolvers read or write data. */
  storage: Storage;
  config: Config;
  /** Who is asking (checked against each root field's scope before execution; see http/auth.ts). */
  principal: Principal;
  apiKeys: ApiKeyService;
  /** Fresh for every request, so that batches never mix requests. */
  loaders: Loaders;
  /** The server's open event streams (subscriptions take a place). */
  streams: EventStreams;
  /** The SSE `Last-Event-ID` header: where a reconnecting subscription resumes unless `after` says. */
  lastEventId: string | null;
  /**
   * Whether the transport carries a subscription's events: SSE (the client sends `Accept:
   * text/event-stream`) or a WebSocket (http/graphql-ws.ts).
   */
  canStream: boolean;
  /** The origin the request was sent to (`http://host:port`): download URLs point there. Empty without a request. */
  origin: string;
}

export function createGraphQLContext(
  deps: Omit<GraphQLContext, 'loaders' | 'streams' | 'lastEventId' | 'canStream' | 'origin'>,
  { request, streams, overWebSocket = false }: { request?: Request; streams?: EventStreams; overWebSocket?: boolean } = {},
): GraphQLContext {
  return {
    ...deps,
    loaders: createLoaders(deps.storage),
    streams: streams ?? new EventStreams(deps.config.events),
    lastEventId: request?.headers.get('last-event-id') || null,
    canStream: overWebSocket || /\btext\/event-stream\b/i.test(request?.headers.get('accept') ?? ''),
    origin: request ? new URL(request.url).origin : '',
  };
}
