import { z } from 'zod';
import type { Config } from '../config.js';
import type { PageSizes } from '../domain/paging.js';
import type { ApiKeyScope } from '../domain/records.js';
import type { Storage } from '../storage/storage.js';
import { HttpError } from './http.js';

/** What a handler gets: the caller's storage, decoded path parameters, the query, the body on demand. */
export interface RestRequest {
  request: Request;
  /** The storage this request may see and change (its tenant's). */
  storage: Storage;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body (400 if malformed, 413 if too large). */
  body(): Promise<unknown>;
}

export interface Route {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Segments; `:name` matches one segment, `:name*` the rest of the path (one or more segments). */
  path: string;
  handler: (req: RestRequest) => Promise<Response> | Response;
  /** Served to anyone (no credentials), with the default storage: `/health`. */
  public?: boolean;
  /** What the caller's key needs; by default `read` for GET, `write` for the other methods. */
  scope?: ApiKeyScope;
}

export interface RouteDeps {
  config: Config;
}

/**
 * A whole number in a query string, e.g. `limit=20`. A negative one is a whole number too: it is
 * refused for being out of range ("must be at least 1"), which says what to send instead.
 */
export function queryInt(min: number, max: number) {
  return z
    .string()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform((digits) => Number(digits) + 0) // + 0: "-0" is 0, not -0
    .pipe(z.number().min(min, min === 0 ? 'must not be negative' : `must be at least ${min}`).max(max, `must be at most ${max}`));
}

/** REST's limit/offset paging: `limit` up to the ceiling of `sizes`; absent, the page has the default size. */
export function pagingQuery(sizes: PageSizes) {
  return z.object({
    limit: queryInt(1, sizes.max).optional(),
    offset: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
  });
}

/** The `Link` header pointing at the same list from `offset` on (or another paging parameter: RFC 8288, as GitHub's API pages). */
export function nextPageLink(request: Request, offset: number, parameter = 'offset'): Record<string, string> {
  const url = new URL(request.url);
  url.searchParams.set(parameter, String(offset));
  return { link: `<${url.pathname}${url.search}>; rel="next"` };
}

/**
 * One page of a list: `limit` rows when the client gave one, else the default size of `sizes`.
 * A list that the default cut short says so with a `Link: <…>; rel="next"` header, so that a
 * client that asked for everything can tell it did not get everything. One row more than the page
 * is read to know.
 */
export async function readListPage<T>(
  request: Request,
  sizes: PageSizes,
  { limit, offset }: { limit?: number | undefined; offset?: number | undefined },
  read: (slice: { limit: number; offset?: number | undefined }) => Promise<T[]>,
): Promise<{ rows: T[]; headers: Record<string, string> }> {
  if (limit !== undefined) return { rows: await read({ limit, offset }), headers: {} };
  const rows = await read({ limit: sizes.default + 1, offset });
  if (rows.length <= sizes.default) return { rows, headers: {} };
  return { rows: rows.slice(0, sizes.default), headers: nextPageLink(request, (offset ?? 0) + sizes.default) };
}

/** A required query parameter that names a session (`?session_id=`). */
export const sessionIdQuery = z.object({
  sessionId: z.string({ error: 'field required' }).min(1, 'must not be empty'),
});

export function requireParam(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined) throw new HttpError(404, 'Not Found');
  return value;
}
