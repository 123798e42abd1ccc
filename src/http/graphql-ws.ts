import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ExecutionArgs, type ExecutionResult, type FormattedExecutionResult, GraphQLError, type GraphQLFormattedError } from 'graphql';
import { CloseCode, type Context, handleProtocols, makeServer, type SubscribePayload } from 'graphql-ws';
import type { Logger } from 'pino';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Config } from '../config.js';
import { DomainError, RateLimitedError } from '../domain/errors.js';
import type { OperationRunner } from '../observability/requests.js';
import type { App } from '../server.js';
import { actingAs, type Caller } from './auth.js';
import { tokenLimitRefusal } from './graphql-limits.js';
import { readManifest } from './graphql-persisted.js';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-context.js';

/**
 * GraphQL over WebSocket: the `graphql-ws` protocol (subprotocol `graphql-transport-ws`, what Apollo
 * Client's GraphQLWsLink and urql's subscriptionExchange speak), on the HTTP server's port and path
 * (`/graphql`), beside SSE. Operations run through Yoga's envelop (`app.getEnveloped`, Yoga's
 * documented integration), so its plugins apply as over HTTP: the GraphQL limits (validation rules,
 * cost and response size at execution), scopes per field, domain error codes, error masking. What
 * Yoga does per HTTP request is done here per connection or per operation:
 *
 * - The Origin of a browser's upgrade must be the service's own or one of CORS_ORIGINS
 *   (WebSockets have no CORS): else closed 4403 before anything is read.
 * - The API key, from `connectionParams.authorization` ("Bearer <key>") or else the upgrade's
 *   `Authorization` header, is checked at `connection_init`; missing or invalid: closed 4401
 *   (UNAUTHENTICATED) before `connection_ack`. Rate-limited, or the tenant's database unavailable:
 *   closed 1013 (try again later), which clients retry.
 * - Each operation authenticates the key again (as each HTTP request does: a revoked key's next
 *   operation is refused, and the rate limit counts it), and is refused with an `error` message
 *   carrying `extensions.code`.
 * - Limits of the connection: `connection_init` within GRAPHQL_WS_INIT_TIMEOUT_MS (else 4408),
 *   messages of at most MAX_BODY_BYTES (else 1009), at most GRAPHQL_WS_MAX_SUBSCRIPTIONS operations
 *   running at once (one more gets an `error` message, TOO_MANY_SUBSCRIPTIONS: graphql-ws has no
 *   such limit, and closing would end the others too), a ping every EVENT_HEARTBEAT_SECONDS that
 *   must be answered within as long.
 * - Subscriptions take their place among the server's event streams (MAX_EVENT_STREAMS and the
 *   per-key and per-tenant shares) and end when their key is revoked, as over SSE (EventStreams).
 */

/** The connection's credentials, kept from `connection_init` for each of its operations. */
interface Connection {
  id: string;
  authorization: string | null;
}

interface Extra {
  socket: WebSocket;
  request: IncomingMessage;
}

/** Where the upgrade was sent (`http://host:port`); a made-up origin when it names no valid host. */
function originOf(request: IncomingMessage): string {
  try {
    return new URL(`http://${request.headers.host ?? ''}`).origin;
  } catch {
    return 'http://websocket.invalid';
  }
}

type WsContext = Context<Record<string, unknown> | undefined, Extra>;

export interface GraphQLWebSocketDeps {
  app: App;
  config: Config;
  logger: Logger;
  /** The one check of a caller's key (http/auth.ts `callerAuthenticator`). */
  authenticate: (authorization: string | null) => Promise<Caller>;
  /** Runs each operation (in a span of its own when tracing is on). */
  observeOperation: OperationRunner;
}

export interface GraphQLWebSockets {
  /** Refuses new sockets and closes the open ones with 1001 (going away): clients reconnect elsewhere. */
  close(): void;
  /** Cuts the sockets still open (the shutdown deadline). */
  terminate(): void;
  /** How many sockets are open (metrics). */
  readonly size: number;
}

/** The Requests made for WebSocket operations: their GraphQL context may stream (see `isWebSocketOperation`). */
const operations = new WeakSet<Request>();

/** Whether `request` stands for an operation over a WebSocket (made here; nothing a client sends can make one). */
export function isWebSocketOperation(request: Request): boolean {
  return operations.has(request);
}

/** The key a client presents: `connectionParams.authorization` (or `Authorization`), else the upgrade's header. */
function credentialOf(params: Record<string, unknown> | undefined, request: IncomingMessage): string | null {
  const given = params?.['authorization'] ?? params?.['Authorization'];
  if (typeof given === 'string') return given;
  return request.headers.authorization ?? null;
}

/** Whether a browser on the upgrade's Origin may connect: its own origin, or one of CORS_ORIGINS. Non-browser clients send none. */
function originAllowed(request: IncomingMessage, corsOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined || corsOrigins.includes('*') || corsOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** A close reason must fit in 123 bytes. */
function reason(text: string): string {
  const bytes = Buffer.from(text);
  return bytes.length <= 123 ? text : `${bytes.subarray(0, 120).toString('utf8').replace(/\uFFFD+$/, '')}...`;
}

/** How a refused `connection_init` closes: the code, and a reason that starts with the error code. */
function closeFor(error: unknown): [number, string] {
  if (!(error instanceof DomainError)) return [CloseCode.InternalServerError, 'Internal server error'];
  const text = reason(`${error.code}: ${error.message}`);
  switch (error.code) {
    case 'UNAUTHENTICATED':
      return [CloseCode.Unauthorized, text];
    case 'FORBIDDEN':
      return [CloseCode.Forbidden, text];
    default:
      // RATE_LIMITED, UNAVAILABLE: 1013 "try again later", which graphql-ws clients retry (4429
      // means "too many connection_init messages" in graphql-ws, and is not retried).
      return [1013, text];
  }
}

/** A refusal of one operation, as an `error` message with the code the HTTP door would give. */
function operationError(message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions });
}

function domainRefusal(error: unknown, logger: Logger): GraphQLError {
  if (error instanceof DomainError) {
    const retryAfter = (error as Partial<RateLimitedError>).retryAfterSeconds;
    return operationError(error.message, retryAfter === undefined ? { code: error.code } : { code: error.code, retryAfter });
  }
  logger.error({ err: error }, 'unexpected error while authenticating a WebSocket operation');
  return operationError('Unexpected error.', { code: 'INTERNAL_SERVER_ERROR' });
}

/** An error as the client gets it: without Yoga's internal `extensions.http` (status hints for HTTP). */
function formatted(error: GraphQLError | GraphQLFormattedError): GraphQLFormattedError {
  const { extensions: all, ...rest } = error instanceof GraphQLError ? error.toJSON() : error;
  const { http: _internal, ...extensions } = all ?? {};
  return Object.keys(extensions).length ? { ...rest, extensions } : rest;
}

/** Answers an upgrade it will not take, as the HTTP door would: JSON `detail`, a request id. */
function refuseUpgrade(socket: Duplex, status: number, detail: string): void {
  const body = JSON.stringify({ detail });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `${REQUEST_ID_HEADER}: ${randomUUID()}\r\nconnection: close\r\n\r\n${body}`,
  );
}

type Enveloped = ReturnType<App['getEnveloped']>;

/** Serves the `graphql-ws` protocol on `server`'s upgrades to `/graphql`. */
export function serveGraphQLOverWebSocket(server: Server, { app, config, logger, authenticate, observeOperation }: GraphQLWebSocketDeps): GraphQLWebSockets {
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxBodyBytes, handleProtocols });
  const connections = new WeakMap<object, Connection>();
  // The enveloped execute and subscribe of each operation, by its context (Yoga's example passes
  // them as the root value instead, which the resolvers would then see as their parent).
  const envelopes = new WeakMap<object, Enveloped>();
  let closing = false;
  // PERSISTED_OPERATIONS=only holds here too: graphql-ws sends texts, so a text must be one of the manifest's.
  const allowedTexts =
    config.persistedOperations.mode === 'only' && config.persistedOperations.manifest !== null
      ? new Set(readManifest(config.persistedOperations.manifest).values())
      : null;

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '/').split('?', 1)[0];
    if (path !== app.graphqlEndpoint) return refuseUpgrade(socket, 404, `WebSocket connections are served at ${app.graphqlEndpoint} only`);
    if (closing) return refuseUpgrade(socket, 503, 'The server is shutting down; reconnect to another replica');
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  const refuse = (ctx: WsContext, [code, text]: [number, string]) => {
    ctx.extra.socket.close(code, text);
    // graphql-ws closes with 4403 on `false`: the socket closes with the code above, given first.
    return false;
  };

  /** One operation's arguments, or its refusal. */
  async function prepare(ctx: WsContext, payload: SubscribePayload): Promise<ExecutionArgs | GraphQLError[]> {
    const connection = connections.get(ctx.extra.socket)!;
    const running = Object.keys(ctx.subscriptions).length; // this one included
    if (running > config.graphqlWs.maxSubscriptions) {
      return [
        operationError(
          `Too many operations running on this connection (${config.graphqlWs.maxSubscriptions}, GRAPHQL_WS_MAX_SUBSCRIPTIONS): complete one first, or open another connection`,
          { code: 'TOO_MANY_SUBSCRIPTIONS' },
        ),
      ];
    }
    let caller: Caller;
    try {
      caller = await authenticate(connection.authorization);
    } catch (error) {
      return [domainRefusal(error, logger)];
    }
    if (allowedTexts && !allowedTexts.has(payload.query)) {
      return [operationError("The operation is not in this server's list of persisted operations.", { code: 'PERSISTED_QUERY_NOT_IN_LIST' })];
    }
    const tooLong = tokenLimitRefusal(payload.query, config.graphqlLimits.tokens);
    if (tooLong) return [tooLong];
    const request = actingAs(
      // A POST: Yoga refuses mutations from GETs (usePreventMutationViaGET), which a WebSocket's operations are not.
      // Its URL is the upgrade's (its host, for download URLs in answers).
      new Request(new URL(app.graphqlEndpoint, originOf(ctx.extra.request)), { method: 'POST', headers: { [REQUEST_ID_HEADER]: connection.id } }),
      caller,
    );
    operations.add(request);
    const params = { query: payload.query, operationName: payload.operationName ?? undefined, variables: payload.variables ?? undefined, extensions: payload.extensions ?? undefined };
    const enveloped = app.getEnveloped({ request, params } as Parameters<App['getEnveloped']>[0]);
    let document;
    try {
      document = enveloped.parse(payload.query);
    } catch (error) {
      if (error instanceof GraphQLError) return [error];
      throw error;
    }
    const errors = enveloped.validate(enveloped.schema, document);
    if (errors.length) return [...errors];
    const contextValue = await enveloped.contextFactory();
    envelopes.set(contextValue, enveloped);
    return {
      schema: enveloped.schema,
      document,
      operationName: payload.operationName,
      variableValues: payload.variables,
      contextValue,
    };
  }

  /** Runs an operation through its envelope; what it throws (not a GraphQL result) is masked, as Yoga does over HTTP. */
  const run = (kind: 'execute' | 'subscribe') => (args: ExecutionArgs) =>
    observeOperation(args, async () => {
      try {
        return await envelopes.get(args.contextValue as object)![kind](args);
      } catch (error) {
        if (error instanceof GraphQLError && !error.originalError) return { errors: [error] } satisfies ExecutionResult;
        logger.error({ err: error }, 'unexpected error in a GraphQL operation over WebSocket');
        return { errors: [operationError('Unexpected error.', { code: 'INTERNAL_SERVER_ERROR' })] } satisfies ExecutionResult;
      }
    });

  const protocol = makeServer<Record<string, unknown> | undefined, Extra>({
    connectionInitWaitTimeout: config.graphqlWs.initTimeoutMs,
    execute: run('execute'),
    subscribe: run('subscribe'),
    onConnect: async (ctx) => {
      const { request } = ctx.extra;
      if (!originAllowed(request, config.corsOrigins)) {
        return refuse(ctx, [CloseCode.Forbidden, reason(`FORBIDDEN: origin ${request.headers.origin} is not allowed (CORS_ORIGINS)`)]);
      }
      const authorization = credentialOf(ctx.connectionParams, request);
      try {
        await authenticate(authorization);
      } catch (error) {
        if (!(error instanceof DomainError)) logger.error({ err: error }, 'unexpected error while authenticating a WebSocket');
        return refuse(ctx, closeFor(error));
      }
      connections.get(ctx.extra.socket)!.authorization = authorization;
      return true;
    },
    onSubscribe: async (ctx, _id, payload) => {
      try {
        return await prepare(ctx, payload);
      } catch (error) {
        // Thrown out of here, it would close the whole connection (4500).
        logger.error({ err: error }, 'unexpected error while preparing a GraphQL operation over WebSocket');
        return [operationError('Unexpected error.', { code: 'INTERNAL_SERVER_ERROR' })];
      }
    },
    onNext: (_ctx, _id, _payload, _args, result): FormattedExecutionResult | void => {
      if (!result.errors?.length) return;
      return { ...result, errors: result.errors.map(formatted) } as FormattedExecutionResult;
    },
    onError: (_ctx, _id, _payload, errors) => errors.map(formatted),
  });

  // graphql-ws's own `useServer` (graphql-ws/use/ws), adapted: its errors go to our log instead of
  // the console (a client's oversized message is not "an internal error"), with the socket's id.
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const id = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
    const log = logger.child({ reqId: id });
    const opened = Date.now();
    connections.set(socket, { id, authorization: null });
    log.info({ path: app.graphqlEndpoint, protocol: socket.protocol }, 'websocket opened');
    // ws closes the socket itself on a protocol error (1002), bad UTF-8 (1007), a message over
    // MAX_BODY_BYTES (1009): the client's doing, noted only.
    socket.on('error', (error) => log.info({ err: error }, 'websocket error'));
    // A peer that no longer answers pings (gone without closing) is cut.
    let answered = true;
    socket.on('pong', () => (answered = true));
    const heartbeat = setInterval(() => {
      if (!answered) return socket.terminate();
      answered = false;
      socket.ping();
    }, config.events.heartbeatMs);
    const closed = protocol.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, why) => socket.close(code, why),
        onMessage: (handle) =>
          socket.on('message', async (data) => {
            try {
              await handle(String(data));
            } catch (error) {
              log.error({ err: error }, 'unexpected error in a WebSocket message');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            }
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, why) => {
      clearInterval(heartbeat);
      log.info({ code, reason: why.toString(), durationMs: Date.now() - opened }, 'websocket closed');
      // Returns its operations' streams, which frees their places among the event streams.
      void closed(code, why.toString());
    });
  });

  return {
    close() {
      closing = true;
      for (const socket of wss.clients) socket.close(1001, 'Going away');
    },
    terminate() {
      for (const socket of wss.clients) socket.terminate();
    },
    get size() {
      return wss.clients.size;
    },
  };
}
