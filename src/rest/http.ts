import { createHash } from 'node:crypto';
import { Response } from '@whatwg-node/fetch';
import { ifNoneMatch } from '../http/etag.js';
import type { z } from 'zod';
import {
  CursorExpiredError,
  DomainError,
  ForbiddenError,
  InsufficientStorageError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
  type FieldIssue,
} from '../domain/errors.js';
import { parseInput } from '../domain/inputs.js';
import { readBody } from '../http/body-limit.js';
import { isUtf8 } from '../http/utf8.js';
import { camelToSnake, snakeToCamel } from '../domain/wire.js';

/**
 * The REST door's plumbing: JSON responses, request parsing with the domain's schemas, and the
 * one mapping from domain errors to statuses. Bodies look like FastAPI's, which the original
 * service was: `{"detail": "Session not found"}`, and for invalid input
 * `{"detail": [{"loc": ["body", "role"], "msg": "...", "type": "value_error"}]}`.
 */

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof detail === 'string' ? detail : `HTTP ${status}`);
  }
}

/*
 * Responses are built with Yoga's own fetch implementation (the @whatwg-node ponyfill), not Node's
 * global `Response`: Yoga's Node adapter writes a ponyfill response's string or bytes straight to
 * the socket, while a global Response's body must be pumped out through a web ReadableStream (with
 * the body read below, that was about a fifth of the throughput of small REST requests: --cpu-prof
 * under the append benchmark, 1,730 → 2,100 req/s).
 */

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return jsonText(status, JSON.stringify(body), headers);
}

/** A response whose JSON text is already written (e.g. built by the database), as a string or in UTF-8. */
export function jsonText(status: number, text: string | Buffer, headers: Record<string, string> = {}): Response {
  // A Buffer is a Uint8Array, a body the ponyfill writes to the socket as it is (TypeScript's DOM
  // types ask for one over a plain ArrayBuffer, which a Buffer's pool may not be).
  return new Response(text as BodyInit, { status, headers: { 'content-type': 'application/json', ...headers } });
}

/**
 * A read's JSON text under its strong `etag`, or `304 Not Modified` (no body) when the request's
 * `If-None-Match` names that tag: a client that re-reads something unchanged gets nothing again.
 */
export function taggedJsonText(request: Request, text: string | Buffer | null, etag: string, headers: Record<string, string> = {}): Response {
  if (text === null || ifNoneMatch(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers: { ...headers, etag } });
  return jsonText(200, text, { ...headers, etag });
}

/** `value` as JSON with a strong ETag of its bytes (a digest: equal tags, equal bytes), or 304 (`taggedJsonText`). */
export function taggedJson(request: Request, value: unknown): Response {
  const text = JSON.stringify(value);
  return taggedJsonText(request, text, `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`);
}

/** Where a wire field lives, for `loc` in validation errors. */
type Location = 'body' | 'query' | 'path';

/**
 * Maps wire names (snake_case) onto domain names (camelCase). Keys that are already camelCase are
 * not part of the REST contract and are dropped, so that `agentName` is not silently accepted.
 * `aliases` renames wire fields whose domain name differs (e.g. `start_time` → `since`).
 */
function toDomainNames(source: Record<string, unknown>, aliases: Record<string, string>): Record<string, unknown> {
  // No prototype: a `__proto__` key from a client stays a plain (ignored) field.
  const out: Record<string, unknown> = Object.create(null);
  for (const [key, value] of Object.entries(source)) {
    if (/[A-Z]/.test(key)) continue;
    out[aliases[key] ?? snakeToCamel(key)] = value;
  }
  return out;
}

function toWireIssues(issues: FieldIssue[], where: Location, aliases: Record<string, string>) {
  const reverse = Object.fromEntries(Object.entries(aliases).map(([wire, domain]) => [domain, wire]));
  return issues.map((issue) => {
    const [head, ...rest] = issue.path;
    const field = typeof head === 'string' ? (reverse[head] ?? camelToSnake(head)) : head;
    return { loc: field === undefined ? [where] : [where, field, ...rest], msg: issue.message, type: 'value_error' };
  });
}

/** Validates wire data with a domain schema; a failure becomes a 422 that names the wire field. */
export function parseWire<S extends z.ZodType>(
  schema: S,
  data: unknown,
  where: Location,
  aliases: Record<string, string> = {},
): z.output<S> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new HttpError(422, [{ loc: [where], msg: 'must be a JSON object', type: 'value_error' }]);
  }
  try {
    return parseInput(schema, toDomainNames(data as Record<string, unknown>, aliases));
  } catch (error) {
    if (error instanceof ValidationError) throw new HttpError(422, toWireIssues(error.issues, where, aliases));
    throw error;
  }
}

/** Query parameters as an object of their first values (repeated parameters: the first wins). */
export function queryObject(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of params) if (!(key in out)) out[key] = value;
  return out;
}

/**
 * Reading a request body fails only when its connection broke before the body's end: the client
 * went away. Not a failure of ours (no 500, no error in the log); the access log notes the abort.
 */
function cutOff(): never {
  throw new HttpError(400, 'The request body ended before it was complete (the connection was closed)');
}

/** Reads a JSON body of at most `maxBytes` (counted by http/body-limit.ts, as for GraphQL). */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  // A body labelled as something else than JSON is refused, as FastAPI (the original service) did:
  // a cross-site HTML form or a no-cors fetch can send text/plain or form data without a CORS
  // preflight, but never application/json — so this is what keeps other web pages from writing.
  const contentType = request.headers.get('content-type');
  if (contentType !== null && !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType.trim())) {
    throw new HttpError(415, `Request body must be JSON (content-type: application/json), not ${contentType.slice(0, 100)}`);
  }
  const bytes = await readBody(request, maxBytes).catch((error: unknown) => {
    if (error instanceof PayloadTooLargeError) throw error;
    return cutOff();
  });
  return parseJsonText(utf8Text(bytes));
}

/** The body's text, if it is UTF-8 (see http/utf8.ts): never with U+FFFD in place of bad bytes. */
function utf8Text(bytes: Buffer): string {
  if (!isUtf8(bytes)) throw new HttpError(400, 'Request body is not valid UTF-8');
  return bytes.toString('utf8');
}

function parseJsonText(text: string): unknown {
  if (text.trim() === '') throw new HttpError(422, [{ loc: ['body'], msg: 'field required', type: 'missing' }]);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, `Request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** The single place where failures become REST statuses. Unknown errors are the caller's to log. */
export function errorResponse(error: unknown): Response | null {
  if (error instanceof HttpError) return json(error.status, { detail: error.detail }, error.headers);
  if (error instanceof DomainError) {
    if (error instanceof NotFoundError) return json(404, { detail: error.message });
    if (error instanceof ValidationError) return json(422, { detail: toWireIssues(error.issues, 'body', {}) });
    if (error instanceof UnavailableError) {
      return json(503, { detail: error.message }, { 'retry-after': String(error.retryAfterSeconds) });
    }
    // Gone: the events after the cursor were pruned (see EVENT_RETENTION_HOURS).
    if (error instanceof CursorExpiredError) return json(410, { detail: error.message });
    if (error instanceof InsufficientStorageError) {
      // A full disk may have room again soon; a quota does not change by waiting (no Retry-After).
      return json(507, { detail: error.message }, error.retryAfterSeconds > 0 ? { 'retry-after': String(error.retryAfterSeconds) } : {});
    }
    if (error instanceof UnauthenticatedError) return json(401, { detail: error.message }, { 'www-authenticate': 'Bearer' });
    if (error instanceof ForbiddenError) return json(403, { detail: error.message });
    if (error instanceof PayloadTooLargeError) return json(413, { detail: error.message });
    if (error instanceof RateLimitedError) return json(429, { detail: error.message }, { 'retry-after': String(error.retryAfterSeconds) });
    return json(409, { detail: error.message });
  }
  return null;
}
