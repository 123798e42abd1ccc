import { HttpError, json, parseWire } from '../../rest/http.js';
import { queryInt, type Route, type RouteDeps } from '../../rest/routes.js';
import { messageWire } from '../history/rest.js';
import { SEARCH_LIMITS, searchInput, type SearchHit } from './service.js';

// Search's REST route (`/storage/search`, docs/search.md): the query string as the search's input.

/** The REST names of the search's fields (the rest are the snake_case of the domain's). */
const ALIASES = { q: 'query', session_id: 'sessionIds', role: 'roles' };
const LIST_PARAMS = new Set(['session_id', 'role']);

/**
 * `metadata.<key>=<value>`: the value as JSON when it is a JSON scalar (`3`, `true`, `null`,
 * `"3"`), else the text as it is (`gpt-4o`).
 */
function scalarOf(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value;
  } catch {
    // not JSON: text
  }
  return text;
}

/** The query string as the search's input: lists repeated or comma-separated, metadata by key. */
function searchQueryObject(params: URLSearchParams, maxLimit: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of params) {
    const meta = /^(metadata|session_metadata)\.(.+)$/s.exec(key);
    if (meta) {
      // No prototype: a `metadata.__proto__` parameter is a key like any other.
      const filter = (out[meta[1]!] ??= Object.create(null)) as Record<string, unknown>;
      filter[meta[2]!] = scalarOf(value);
    } else if (LIST_PARAMS.has(key)) {
      ((out[key] ??= []) as string[]).push(...value.split(',').filter((v) => v !== ''));
    } else if (!(key in out)) {
      out[key] = value;
    }
  }
  if (typeof out.limit === 'string') {
    const limit = queryInt(1, maxLimit).safeParse(out.limit);
    if (!limit.success) throw new HttpError(422, [{ loc: ['query', 'limit'], msg: limit.error.issues[0]!.message, type: 'value_error' }]);
    out.limit = limit.data;
  }
  return out;
}

function hitToWire(hit: SearchHit) {
  return { message: messageWire.toWire(hit.message), session_id: hit.sessionId, score: hit.score, snippet: hit.snippet, highlights: hit.highlights };
}

export function searchRoutes({ config }: RouteDeps): Route[] {
  // As every list, no longer than MAX_PAGE_SIZE.
  const maxLimit = Math.min(SEARCH_LIMITS.limit, config.maxPageSize);
  const defaultLimit = Math.min(SEARCH_LIMITS.defaultLimit, maxLimit);
  return [
    {
      method: 'GET',
      path: '/storage/search',
      handler: async (req) => {
        const input = parseWire(searchInput, searchQueryObject(req.query, maxLimit), 'query', ALIASES);
        const page = await req.storage.search.search({ ...input, limit: input.limit ?? defaultLimit });
        return json(200, {
          results: page.hits.map(hitToWire),
          next_cursor: page.nextCursor,
          total_count: page.totalCount,
          total_count_is_estimate: page.totalCountIsEstimate,
        });
      },
    },
  ];
}
