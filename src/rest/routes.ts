import { z } from 'zod';
import type { Config } from '../config.js';
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
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
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

/** A whole number in a query string, e.g. `limit=20`. */
export function queryInt(min: number, max: number) {
  return z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

/** REST's limit/offset paging, bounded by the configured page size. */
export function pagingQuery(config: Config) {
  return z.object({
    limit: queryInt(1, config.maxPageSize).optional(),
    offset: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
  });
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

/** "No limit" for reads that return everything by default, as the original service did. */
export const ALL = Number.MAX_SAFE_INTEGER;
