import { z } from 'zod';
import { HttpError, json, parseWire } from '../../rest/http.js';
import { queryInt, type Route, type RouteDeps } from '../../rest/routes.js';
import { messageWire } from '../history/rest.js';
import { SEARCH_KINDS, SEARCH_LIMITS, searchInput } from './service.js';
import { artifactWire } from '../artifacts/rest.js';
import { sessionWire } from '../sessions/rest.js';

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

/** What every kind of result carries besides its record. */
const common = (hit: { sessionId: string; score: number; snippet: string; highlights: [number, number][] }) => ({
  session_id: hit.sessionId,
  score: hit.score,
  snippet: hit.snippet,
  highlights: hit.highlights,
});

const kindQuery = z.object({ kind: z.enum(SEARCH_KINDS).optional() });

export function searchRoutes({ config }: RouteDeps): Route[] {
  // As every list, no longer than MAX_PAGE_SIZE.
  const maxLimit = Math.min(SEARCH_LIMITS.limit, config.maxPageSize);
  const defaultLimit = Math.min(SEARCH_LIMITS.defaultLimit, maxLimit);
  return [
    {
      method: 'GET',
      path: '/storage/search',
      handler: async (req) => {
        const { kind: kindParam, ...query } = searchQueryObject(req.query, maxLimit);
        const { kind = 'messages' } = parseWire(kindQuery, { kind: kindParam }, 'query');
        const parsed = parseWire(searchInput, query, 'query', ALIASES);
        const input = { ...parsed, limit: parsed.limit ?? defaultLimit };
        const { search } = req.storage;
        const [results, count] = await Promise.all([
          kind === 'messages'
            ? search.page(input).then((page) => ({ ...page, hits: page.hits.map((hit) => ({ message: messageWire.toWire(hit.message), ...common(hit) })) }))
            : kind === 'sessions'
              ? search.sessions(input).then((page) => ({ ...page, hits: page.hits.map((hit) => ({ session: sessionWire.toWire(hit.session), ...common(hit) })) }))
              : search.artifacts(input).then((page) => ({ ...page, hits: page.hits.map((hit) => ({ artifact: artifactWire.toWire(hit.artifact), ...common(hit) })) })),
          search.count(input, kind),
        ]);
        return json(200, {
          results: results.hits,
          next_cursor: results.nextCursor,
          total_count: count.totalCount,
          total_count_is_estimate: count.totalCountIsEstimate,
        });
      },
    },
  ];
}
