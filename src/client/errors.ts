/**
 * The client's one error class. Whatever failed — the server refused (a GraphQL error's
 * `extensions.code`, or a `{"detail"}` body mapped from its status), the network, or an answer the
 * client cannot read — the caller catches an `AgentStorageError` and branches on `code`. (An aborted
 * call rejects with its signal's reason instead, as `fetch` does.)
 */

/** The codes the service sends (docs/graphql.md, docs/rest-api.md), and the client's own. */
export type AgentStorageErrorCode =
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'BAD_REQUEST'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INSUFFICIENT_STORAGE'
  | 'CURSOR_EXPIRED'
  | 'PAYLOAD_TOO_LARGE'
  | 'INTERNAL_SERVER_ERROR'
  /** No answer: the connection failed, or broke before the answer was complete. */
  | 'NETWORK_ERROR'
  /** An answer that is neither a GraphQL result nor a `{"detail"}` error (e.g. a proxy's HTML page). */
  | 'BAD_RESPONSE'
  /** A GraphQL error without a code (this service gives every error one; a proxy or gateway may not). */
  | 'GRAPHQL_ERROR'
  // A code this version of the client does not know (a newer server): still passed through.
  | (string & {});

/** One error of a GraphQL response, as the server sent it. */
export interface GraphQLErrorBody {
  message: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  extensions?: Record<string, unknown>;
}

export interface AgentStorageErrorInit {
  code: AgentStorageErrorCode;
  message: string;
  /** The HTTP status; absent when no answer came. */
  status?: number;
  requestId?: string;
  /** How long the server asked to wait before retrying (Retry-After, or `extensions.retryAfter`), in ms. */
  retryAfterMs?: number;
  extensions?: Record<string, unknown>;
  errors?: readonly GraphQLErrorBody[];
  cause?: unknown;
}

export class AgentStorageError extends Error {
  override readonly name = 'AgentStorageError';
  /** Stable: branch on this, never on the message. */
  readonly code: AgentStorageErrorCode;
  readonly status: number | undefined;
  /** The server's `x-request-id` for this request: quote it when asking about a failure (it is in the server's log). */
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;
  /**
   * The GraphQL error's extensions, e.g. `currentVersion` on a lost compare-and-set (CONFLICT) or
   * `issues` on BAD_USER_INPUT; for a REST-shaped answer, its `detail`.
   */
  readonly extensions: Record<string, unknown>;
  /** Every GraphQL error of the response (the first one is this error's code and message). */
  readonly errors: readonly GraphQLErrorBody[];

  constructor(init: AgentStorageErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
    this.extensions = init.extensions ?? {};
    this.errors = init.errors ?? [];
  }
}

/** A REST-shaped refusal (`{"detail": …}`, or a body that is not JSON at all) by its status. */
export function codeOfStatus(status: number): AgentStorageErrorCode {
  const byStatus: Record<number, AgentStorageErrorCode> = {
    400: 'BAD_REQUEST',
    401: 'UNAUTHENTICATED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    409: 'CONFLICT',
    410: 'CURSOR_EXPIRED',
    412: 'CONFLICT',
    413: 'PAYLOAD_TOO_LARGE',
    422: 'BAD_USER_INPUT',
    429: 'RATE_LIMITED',
    502: 'UNAVAILABLE',
    503: 'UNAVAILABLE',
    504: 'UNAVAILABLE',
    507: 'INSUFFICIENT_STORAGE',
  };
  return byStatus[status] ?? (status >= 500 ? 'INTERNAL_SERVER_ERROR' : status >= 400 ? 'BAD_REQUEST' : 'BAD_RESPONSE');
}

/** What the service answers when it cannot serve now, and retrying later may succeed. */
const TRANSIENT: ReadonlySet<string> = new Set(['NETWORK_ERROR', 'UNAVAILABLE', 'RATE_LIMITED']);

/** Whether trying the same request again later may succeed (for a request that is safe to repeat). */
export function isTransient(error: unknown): error is AgentStorageError {
  return error instanceof AgentStorageError && TRANSIENT.has(error.code);
}
