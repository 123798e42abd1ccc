import { AgentStorageError, codeOfStatus, type GraphQLErrorBody } from './errors.js';
import { parseRetryAfter, type RetryOptions, retryPolicy, type RetryPolicy, withRetries } from './retry.js';
import { SseParser } from './sse.js';

/**
 * The only code of the package that talks HTTP: a GraphQL request as a JSON POST to `/graphql`,
 * the answer decoded into data or an `AgentStorageError`, retried when the caller says that is
 * safe; the opening of an SSE subscription; and the REST requests that carry raw bytes (artifact
 * content), which GraphQL cannot. Only `fetch`, `Headers` and `AbortSignal`: it runs in Node 20+
 * and in browsers alike.
 */

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportOptions {
  /** The service's base URL, e.g. `http://127.0.0.1:8084` (GraphQL is at `/graphql` below it). */
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Another `fetch` (a proxy agent, a test double, an instrumented one). Default: the global one. */
  fetch?: FetchLike;
  /** Sent with every request. */
  headers?: Record<string, string>;
  /** The client's retry policy (see RetryOptions); `false` never retries. */
  retry?: RetryOptions | false;
  /**
   * Send operations by their sha256 instead of their text (docs/client.md):
   * - `'hash'`: the client's own operations by the hash of the manifest a server with
   *   PERSISTED_OPERATIONS=only accepts (documents without one — your own strings — as text);
   * - `'apq'`: Automatic Persisted Queries, every document — the hash alone, and hash and text once
   *   when the server has not seen it (PERSISTED_QUERY_NOT_FOUND), or texts from then on when the
   *   server does not speak APQ (PERSISTED_QUERY_NOT_SUPPORTED).
   * Default: the text.
   */
  persistedOperations?: 'hash' | 'apq';
}

/** A GraphQL operation to send: its text, and its sha256 when it is one of the client's own. */
export interface Operation {
  query: string;
  hash?: string;
}

/** What each call may add. */
export interface CallOptions {
  /** Aborts the call (and any wait before a retry); the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** This call's retry policy, over the client's; `false`: this call is not retried. */
  retry?: RetryOptions | false;
  /** Sent with this call only. */
  headers?: Record<string, string>;
}

/** The sha256 of query texts (Web Crypto: browsers and Node alike), remembered for the texts sent again and again. */
class TextHashes {
  private static readonly KEPT = 512;
  private readonly hashes = new Map<string, string>();

  async of(text: string): Promise<string> {
    const known = this.hashes.get(text);
    if (known !== undefined) return known;
    const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
    const hash = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
    if (this.hashes.size >= TextHashes.KEPT) this.hashes.clear(); // texts of the caller's own making: bounded
    this.hashes.set(text, hash);
    return hash;
  }
}

/** What a GraphQL request's body says of its operation: its text, its persisted query's hash, or both. */
interface OperationBody {
  query?: string;
  extensions?: { persistedQuery: { version: 1; sha256Hash: string } };
}

/** A request to a REST route of the service. */
export interface RestRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  /** Below the base URL, e.g. `/storage/artifacts/a1/content`; its segments already encoded. */
  path: string;
  /** Added as a query string; undefined members are left out. */
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  body?: Uint8Array | Blob | ReadableStream<Uint8Array>;
  /** Whether sending it again is safe (a POST that answers a repeat with what it stored): then retried as a GET is. */
  repeatable?: boolean;
}

/** A GraphQL response body, as far as the client relies on it. */
interface GraphQLResponseBody {
  data?: unknown;
  errors?: GraphQLErrorBody[];
  detail?: unknown;
  code?: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A REST `detail`: a sentence, or FastAPI's list of `{loc, msg}`; as one message. */
function detailMessage(detail: unknown): string {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((issue) => (isObject(issue) ? `${Array.isArray(issue.loc) ? `${issue.loc.join('.')}: ` : ''}${String(issue.msg)}` : String(issue)))
      .join('; ');
  }
  return JSON.stringify(detail);
}

/** The response facts every error carries. */
interface Answer {
  status: number;
  headers: Headers;
}

function answerFacts({ status, headers }: Answer) {
  const requestId = headers.get('x-request-id') ?? undefined;
  return { status, requestId, retryAfterMs: parseRetryAfter(headers.get('retry-after')) };
}

/** The error of a GraphQL result that has errors: the first one's code and message, all of them kept. */
export function graphqlError(errors: GraphQLErrorBody[], answer: Answer): AgentStorageError {
  const facts = answerFacts(answer);
  const first = errors[0]!;
  const extensions = isObject(first.extensions) ? first.extensions : {};
  const code = typeof extensions.code === 'string' ? extensions.code : answer.status >= 400 ? codeOfStatus(answer.status) : 'GRAPHQL_ERROR';
  const retryAfter = typeof extensions.retryAfter === 'number' ? extensions.retryAfter * 1000 : facts.retryAfterMs;
  return new AgentStorageError({ ...facts, code, message: String(first.message), extensions, errors, retryAfterMs: retryAfter });
}

/**
 * A parsed answer into its data, or the error it is: GraphQL errors by their code, a REST-shaped
 * `{"detail"}` refusal (the edge answers so before GraphQL runs, e.g. 431) by its status, anything
 * else as BAD_RESPONSE (or by its status, for a proxy's error page).
 */
export function resultOf<R>(body: unknown, answer: Answer): R {
  const result = (isObject(body) ? body : {}) as GraphQLResponseBody;
  if (Array.isArray(result.errors) && result.errors.length > 0) throw graphqlError(result.errors, answer);
  if (answer.status >= 200 && answer.status < 300 && isObject(result.data)) return result.data as R;
  const facts = answerFacts(answer);
  if ('detail' in result) {
    const code = typeof result.code === 'string' ? result.code : codeOfStatus(answer.status);
    return throwError({ ...facts, code, message: detailMessage(result.detail), extensions: { detail: result.detail } });
  }
  const code = answer.status >= 200 && answer.status < 300 ? 'BAD_RESPONSE' : codeOfStatus(answer.status);
  return throwError({ ...facts, code, message: `Unexpected answer from the service (HTTP ${answer.status})` });
}

function throwError(init: ConstructorParameters<typeof AgentStorageError>[0]): never {
  throw new AgentStorageError(init);
}

/** A failure without an answer (or with half of one): NETWORK_ERROR, unless the caller aborted. */
export function networkError(error: unknown, signal: AbortSignal | undefined, what: string, answer?: Answer): unknown {
  if (signal?.aborted) return signal.reason;
  const reason = error instanceof Error ? error.message : String(error);
  return new AgentStorageError({ ...(answer ? answerFacts(answer) : {}), code: 'NETWORK_ERROR', message: `${what}: ${reason}`, cause: error });
}

/**
 * A refusal sent as an event stream (GraphQL errors that carry a status, e.g. a persisted query the
 * server does not know): its first result, decoded as a JSON answer would be.
 */
async function decodeRefusalStream(response: Response, signal: AbortSignal | undefined): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw networkError(error, signal, 'The answer was cut off', response);
  }
  const next = new SseParser().push(`${text}\n\n`).find((message) => message.event === 'next');
  let body: unknown;
  try {
    body = next === undefined ? undefined : JSON.parse(next.data);
  } catch {
    body = undefined;
  }
  return resultOf(body, response);
}

/** Reads a whole answer and decodes it (see resultOf). */
async function decode<R>(response: Response, signal: AbortSignal | undefined): Promise<R> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw networkError(error, signal, 'The answer was cut off', response);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined; // not JSON: judged by its status
  }
  return resultOf<R>(body, response);
}

export class Transport {
  /** The service's base URL, without a trailing slash. */
  readonly base: string;
  readonly endpoint: string;
  readonly retry: RetryPolicy;
  private readonly fetchFn: FetchLike;
  private readonly headers: Record<string, string>;
  private readonly persisted: 'hash' | 'apq' | undefined;
  /** The server answered PERSISTED_QUERY_NOT_SUPPORTED to APQ: texts from now on. */
  private apqRefused = false;
  private readonly textHashes = new TextHashes();

  constructor(options: TransportOptions) {
    let base: URL | undefined;
    try {
      base = new URL(options.url);
    } catch {
      base = undefined;
    }
    if (base?.protocol !== 'http:' && base?.protocol !== 'https:') {
      throw new TypeError(`url must be an http(s) URL, e.g. http://127.0.0.1:8084 (got ${JSON.stringify(options.url)})`);
    }
    this.base = base.href.replace(/\/+$/, '');
    this.endpoint = `${this.base}/graphql`;
    this.retry = retryPolicy(options.retry);
    // Called as a plain function: a browser's fetch refuses to run with another object as `this`.
    const custom = options.fetch;
    this.fetchFn = custom ? (input, init) => custom(input, init) : (input, init) => globalThis.fetch(input, init);
    this.headers = { ...options.headers, ...(options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` }) };
    if (options.persistedOperations !== undefined && options.persistedOperations !== 'hash' && options.persistedOperations !== 'apq') {
      throw new TypeError(`persistedOperations must be 'hash' or 'apq' (got ${JSON.stringify(options.persistedOperations)})`);
    }
    this.persisted = options.persistedOperations;
  }

  /** Runs one GraphQL operation; a `repeatable` one is retried on transient failures. */
  execute<R>(operation: Operation, variables: unknown, repeatable: boolean, options: CallOptions = {}): Promise<R> {
    const policy = repeatable ? retryPolicy(options.retry, this.retry) : retryPolicy(false);
    return withRetries(policy, options.signal, () =>
      this.persistedFirst(operation, (send) => this.post(send, variables, 'application/graphql-response+json, application/json;q=0.9', options).then((response) => decode<R>(response, options.signal))),
    );
  }

  /**
   * Opens a subscription over SSE: the response, once the server answered with a stream. A refusal
   * before streaming (a status: 401, 429 …) is thrown as the error it is; one the stream carries as
   * its first message (NOT_FOUND, CURSOR_EXPIRED …) is for the reader of the stream.
   */
  subscribe(operation: Operation, variables: unknown, options: CallOptions): Promise<Response> {
    return this.persistedFirst(operation, async (send) => {
      const response = await this.post(send, variables, 'text/event-stream', options);
      const streamed = response.headers.get('content-type')?.startsWith('text/event-stream') === true;
      if (response.ok && response.body && streamed) return response;
      await (streamed ? decodeRefusalStream(response, options.signal) : decode(response, options.signal));
      throw new AgentStorageError({ ...answerFacts(response), code: 'BAD_RESPONSE', message: 'The service answered a subscription without an event stream' });
    });
  }

  /**
   * Sends `operation` as `persistedOperations` says: with APQ, the hash alone first, then hash and
   * text when the server asks for the text. (A request the server turned down for want of the text
   * did not run: sending it again is safe, a mutation included.)
   */
  private async persistedFirst<T>(operation: Operation, send: (body: OperationBody) => Promise<T>): Promise<T> {
    const { query } = operation;
    if (this.persisted === 'hash') {
      return send(operation.hash === undefined ? { query } : { extensions: { persistedQuery: { version: 1, sha256Hash: operation.hash } } });
    }
    if (this.persisted !== 'apq' || this.apqRefused) return send({ query });
    // The hash of the very text that would be sent: the server checks that the two match.
    const persistedQuery = { version: 1 as const, sha256Hash: await this.textHashes.of(query) };
    try {
      return await send({ extensions: { persistedQuery } });
    } catch (error) {
      if (!(error instanceof AgentStorageError)) throw error;
      if (error.code === 'PERSISTED_QUERY_NOT_SUPPORTED') this.apqRefused = true;
      else if (error.code !== 'PERSISTED_QUERY_NOT_FOUND') throw error;
      return send(this.apqRefused ? { query } : { query, extensions: { persistedQuery } });
    }
  }

  /**
   * Sends a REST request and hands a successful answer (2xx, or 304) to `read`; any other answer
   * is thrown as its `AgentStorageError` (a `{"detail"}` body's message, the code of its status).
   * GET and HEAD are retried on transient failures, a failure of `read` included (a body cut off
   * is read again); nothing else is unless it says it is `repeatable` (a PUT or POST would store
   * another version).
   */
  rest<T>(request: RestRequest, read: (response: Response) => Promise<T>, options: CallOptions = {}): Promise<T> {
    const repeatable = request.repeatable ?? (request.method === 'GET' || request.method === 'HEAD');
    const policy = repeatable ? retryPolicy(options.retry, this.retry) : retryPolicy(false);
    return withRetries(policy, options.signal, async () => {
      const response = await this.send(request, options);
      if (!response.ok && response.status !== 304) {
        await decode(response, options.signal);
        throw new AgentStorageError({ ...answerFacts(response), code: codeOfStatus(response.status), message: `HTTP ${response.status}` });
      }
      return read(response);
    });
  }

  private async send({ method, path, query, headers, body }: RestRequest, options: CallOptions): Promise<Response> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) search.set(name, String(value));
    const queryString = search.toString();
    const url = `${this.base}${path}${queryString === '' ? '' : `?${queryString}`}`;
    const init: RequestInit & { duplex?: 'half' } = { method, headers: { accept: 'application/json', ...this.headers, ...headers, ...options.headers } };
    if (body !== undefined) init.body = body as BodyInit;
    // A stream as a request body: fetch requires saying it is sent while the answer may start.
    if (body instanceof ReadableStream) init.duplex = 'half';
    if (options.signal) init.signal = options.signal;
    try {
      return await this.fetchFn(url, init);
    } catch (error) {
      throw networkError(error, options.signal, `Could not reach ${url}`);
    }
  }

  private async post(operation: OperationBody, variables: unknown, accept: string, options: CallOptions): Promise<Response> {
    const init: RequestInit = {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept, ...this.headers, ...options.headers },
      body: JSON.stringify({ ...operation, variables }),
    };
    if (options.signal) init.signal = options.signal;
    try {
      return await this.fetchFn(this.endpoint, init);
    } catch (error) {
      throw networkError(error, options.signal, `Could not reach ${this.endpoint}`);
    }
  }
}
