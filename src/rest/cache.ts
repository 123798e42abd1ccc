import { cacheKey, parseInput, setCacheInput } from '../domain/inputs.js';
import type { CacheEntry } from '../domain/records.js';
import { ValidationError } from '../domain/errors.js';
import { HttpError, json, parseWire } from './http.js';
import { requireParam, type Route, type RouteDeps } from './routes.js';

export function cacheEntryToWire(e: CacheEntry) {
  return {
    key: e.key,
    value: e.value,
    ttl: e.ttl,
    created_at: e.createdAt,
    accessed_at: e.accessedAt,
    expires_at: e.expiresAt,
  };
}

function keyOf(params: Record<string, string>): string {
  try {
    return parseInput(cacheKey, requireParam(params, 'key'));
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new HttpError(422, error.issues.map((i) => ({ loc: ['path', 'key'], msg: i.message, type: 'value_error' })));
    }
    throw error;
  }
}

export function cacheRoutes(): Route[] {
  return [
    {
      method: 'POST',
      path: '/storage/cache/cleanup',
      handler: async (req) => json(200, { status: 'cleaned', deleted: await req.storage.cleanupCache() }),
    },
    {
      method: 'GET',
      path: '/storage/cache/:key*',
      handler: async (req) => json(200, cacheEntryToWire(await req.storage.getCacheEntry(keyOf(req.params)))),
    },
    {
      method: 'PUT',
      path: '/storage/cache/:key*',
      handler: async (req) => {
        const key = keyOf(req.params);
        return json(200, cacheEntryToWire(await req.storage.setCacheEntry(key, parseWire(setCacheInput, await req.body(), 'body'))));
      },
    },
    {
      method: 'DELETE',
      path: '/storage/cache/:key*',
      handler: async (req) => {
        const key = keyOf(req.params);
        await req.storage.deleteCacheEntry(key);
        return json(200, { status: 'deleted', key });
      },
    },
  ];
}
