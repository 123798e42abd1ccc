import { ValidationError } from '../../domain/errors.js';
import { parseInput } from '../../domain/inputs.js';
import { cacheEntryRecord } from '../../domain/records.js';
import { wireCodec } from '../../domain/wire.js';
import { HttpError, json, parseWire } from '../../rest/http.js';
import { requireParam, type Route } from '../../rest/routes.js';
import { cacheKey, setCacheInput } from './service.js';

// The cache's REST routes (`/storage/cache/...`): each parses the request and calls one operation
// of the tenant's cache service (`storage.cache`).

/** The cache entry on the REST wire: every field of the record, in snake_case, in its order (`domain/wire.ts`). */
export const cacheEntryWire = wireCodec(cacheEntryRecord);

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
      handler: async (req) => json(200, { status: 'cleaned', deleted: await req.storage.cache.cleanup() }),
    },
    {
      method: 'GET',
      path: '/storage/cache/:key*',
      handler: async (req) => json(200, cacheEntryWire.toWire(await req.storage.cache.get(keyOf(req.params)))),
    },
    {
      method: 'PUT',
      path: '/storage/cache/:key*',
      handler: async (req) => {
        const key = keyOf(req.params);
        return json(200, cacheEntryWire.toWire(await req.storage.cache.set(key, parseWire(setCacheInput, await req.body(), 'body'))));
      },
    },
    {
      method: 'DELETE',
      path: '/storage/cache/:key*',
      handler: async (req) => {
        const key = keyOf(req.params);
        await req.storage.cache.delete(key);
        return json(200, { status: 'deleted', key });
      },
    },
  ];
}
