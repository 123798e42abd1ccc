import type { Config } from '../config.js';
import { EventStreams } from '../http/event-streams.js';
import type { Storage } from '../storage/storage.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface GraphQLContext {
  /** The domain operations: the only way resolvers read or write anything. */
  storage: Storage;
  config: Config;
  /** Fresh for every request, so that batches never mix requests. */
  loaders: Loaders;
  /** The server's open event streams (subscriptions take a place). */
  streams: EventStreams;
  /** The SSE `Last-Event-ID` header: where a reconnecting subscription resumes unless `after` says. */
  lastEventId: string | null;
  /** Whether the client takes SSE (`Accept: text/event-stream`), the one transport of subscriptions. */
  acceptsEventStream: boolean;
}

export function createGraphQLContext(
  storage: Storage,
  config: Config,
  { request, streams }: { request?: Request; streams?: EventStreams } = {},
): GraphQLContext {
  return {
    storage,
    config,
    loaders: createLoaders(storage),
    streams: streams ?? new EventStreams(config.events.maxStreams),
    lastEventId: request?.headers.get('last-event-id') || null,
    acceptsEventStream: /\btext\/event-stream\b/i.test(request?.headers.get('accept') ?? ''),
  };
}
