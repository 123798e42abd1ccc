import type { Config } from '../config.js';
import type { Storage } from '../storage/storage.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface GraphQLContext {
  /** The domain operations: the only way resolvers read or write anything. */
  storage: Storage;
  config: Config;
  /** Fresh for every request, so that batches never mix requests. */
  loaders: Loaders;
}

export function createGraphQLContext(storage: Storage, config: Config): GraphQLContext {
  return { storage, config, loaders: createLoaders(storage) };
}
