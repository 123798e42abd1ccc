import type { ApiKeys } from '../auth/api-keys.js';
import type { Principal } from '../auth/principal.js';
import type { Config } from '../config.js';
import type { Storage } from '../storage/storage.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface GraphQLContext {
  /** The domain operations over the caller's tenant: the only way resolvers read or write data. */
  storage: Storage;
  config: Config;
  /** Who is asking (checked against each root field's scope before execution; see http/auth.ts). */
  principal: Principal;
  apiKeys: ApiKeys;
  /** Fresh for every request, so that batches never mix requests. */
  loaders: Loaders;
}

export function createGraphQLContext(deps: Omit<GraphQLContext, 'loaders'>): GraphQLContext {
  return { ...deps, loaders: createLoaders(deps.storage) };
}
