import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type RequestListener, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { lingerAfterResponse } from './lingering-close.js';

/**
 * Every request gets an id: the client's own `x-request-id` when it is a sane token, else a fresh
 * UUID. It is echoed on the response and carried by every log line written while the request is
 * served (through AsyncLocalStorage, so that code deep down — a REST handler, Yoga's masked-error
 * log — needs no parameter for it). When the response is done, one access-log line says what
 * happened: method, path, status, duration. Never bodies, query strings or headers: those may hold
 * data and secrets.
 */

export const REQUEST_ID_HEADER = 'x-request-id';

/** What a client may choose as its request id: short, and harmless in a header and a log. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

/** What is known of the request being served; `route` and `tenant` are filled in as they become known. */
export interface RequestScope {
  requestId: string;
  logger: Logger;
  /** The REST route's template (`/storage/sessions/:id`) once the router matched one (metrics, traces). */
  route: string | null;
  /** The caller's tenant once authenticated (metrics). */
  tenant: string | null;
}

/**
 * Watches every request (observability/requests.ts: metrics, and traces when on): `serve` runs the
 * request (calling `next` once, e.g. inside a span), `finished` is told when its response is done
 * or aborted, with its duration.
 */
export interface RequestObserver {
  serve(req: IncomingMessage, scope: RequestScope, next: () => void): void;
  finished(req: IncomingMessage, res: ServerResponse, scope: RequestScope, seconds: number): void;
}

const scope = new AsyncLocalStorage<RequestScope>();

/** The logger of the request being served (it adds `reqId`), or `fallback` outside of one. */
export function requestLogger(fallback: Logger): Logger {
  return scope.getStore()?.logger ?? fallback;
}

/** The id of the request being served, if any. */
export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}

/** Records the route template that serves the current request (the REST router). */
export function noteRoute(route: string): void {
  const current = scope.getStore();
  if (current) current.route = route;
}

/** Records the tenant of the current request's caller (authentication). */
export function noteTenant(tenant: string): void {
  const current = scope.getStore();
  if (current) current.tenant = tenant;
}

/** The path without its query string, and bounded: what the access log records of the URL. */
function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?', 1)[0]!;
  return path.length > 512 ? `${path.slice(0, 512)}…` : path;
}

/**
 * Wraps a Node request listener: request id in and out, a request-scoped logger, an access log.
 * `onRequest` may decorate the response first (e.g. `connection: close` while draining).
 */
export function withRequestContext(
  logger: Logger,
  listener: RequestListener,
  onRequest?: (req: IncomingMessage, res: ServerResponse) => void,
  observer?: RequestObserver,
): RequestListener {
  return (req, res) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    // Set before anything is written: every response carries it, whichever layer answers.
    res.setHeader(REQUEST_ID_HEADER, requestId);
    onRequest?.(req, res);
    const log = logger.child({ reqId: requestId });
    const current: RequestScope = { requestId, logger: log, route: null, tenant: null };
    // Answered before the body was read to its end (a 413, or a refusal that never looked at it):
    // say that the connection closes after this response. Otherwise the client would send its
    // next request behind a body nobody reads any more, and wait for an answer that never comes.
    // The rest of the body is drained before the connection closes, so that the client gets to
    // read the answer (see lingering-close.ts).
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      if (!req.complete && !this.headersSent) {
        this.setHeader('connection', 'close');
        lingerAfterResponse(req, this);
      }
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as typeof res.writeHead;
    res.once('close', () => {
      const elapsed = Number(process.hrtime.bigint() - started);
      const entry = {
        method: req.method,
        path: pathOf(req.url),
        status: res.headersSent ? res.statusCode : undefined,
        durationMs: Math.round(elapsed / 1e5) / 10,
      };
      observer?.finished(req, res, current, elapsed / 1e9);
      // A response that never finished: the client went away, or the connection was cut (which
      // the server, when it cuts, logs at warn itself). A client that leaves is not a fault here.
      if (!res.writableFinished) log.info({ ...entry, aborted: true }, 'request aborted');
      else log.info(entry, 'request');
    });
    scope.run(current, observer ? () => observer.serve(req, current, () => listener(req, res)) : () => listener(req, res));
  };
}

type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Yoga's `logging` hooks, written by the request's logger (so with its reqId). Yoga logs an
 * unexpected error as the bare error (`logger.error(error)`), which pino would write as `{}` if it
 * were put anywhere but under `err`: there, pino's serializer writes its type, message and stack.
 * The error logged is the one a resolver threw, not the GraphQLError Yoga wrapped it in; where in
 * the operation it happened goes beside it.
 */
export function yogaLogging(logger: Logger): Record<LogLevel, (...args: unknown[]) => void> {
  const write =
    (level: LogLevel) =>
    (...args: unknown[]) => {
      const log = requestLogger(logger);
      const [first] = args;
      if (!(first instanceof Error)) return log[level]({ args }, 'yoga');
      const { originalError, path } = first as { originalError?: unknown; path?: readonly (string | number)[] };
      const err = originalError instanceof Error ? originalError : first;
      log[level]({ err, ...(path ? { graphqlPath: path.join('.') } : {}) }, level === 'error' ? 'unexpected error in a GraphQL request' : err.message);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** Statuses for what Node's HTTP parser refuses before any handler runs. */
function clientErrorStatus(code: string | undefined): [number, string] {
  if (code === 'HPE_HEADER_OVERFLOW') return [431, 'Request headers (or URL) too large'];
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'Request not received in time'];
  return [400, 'Malformed HTTP request'];
}

/**
 * Requests that Node's parser refuses (malformed, headers or URL too large, too slow): answered
 * like everything else — JSON `detail`, an `x-request-id` — and logged, instead of Node's bare
 * default answer.
 */
export function answerClientErrors(server: Server, logger: Logger): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const code = error.code;
    // The client is gone (reset, or closed its side before its request's end), or a response is
    // already under way: nothing to answer, and nothing to log but the access log's abort.
    if (code === 'ECONNRESET' || code === 'HPE_INVALID_EOF_STATE' || !socket.writable || (socket as { _httpMessage?: ServerResponse })._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, detail] = clientErrorStatus(code);
    const requestId = randomUUID();
    const body = JSON.stringify({ detail });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `${REQUEST_ID_HEADER}: ${requestId}\r\nconnection: close\r\n\r\n${body}`,
    );
    logger.info({ reqId: requestId, status, code }, 'request refused by the HTTP parser');
  });
}
