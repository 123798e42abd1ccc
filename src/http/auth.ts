import {
  type DocumentNode,
  getOperationAST,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationTypeNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticate.js';
import { OPEN_ACCESS, type Principal } from '../auth/principal.js';
import type { RateLimiter } from '../auth/rate-limit.js';
import type { AuthConfig } from '../config.js';
import { DomainError, UnauthenticatedError } from '../domain/errors.js';
import { API_KEY_SCOPES, type ApiKeyScope } from '../domain/records.js';
import type { GraphQLContext } from '../graphql/context.js';
import type { Storage } from '../storage/storage.js';
import type { Tenants } from '../storage/tenants.js';
import { errorResponse, json } from '../rest/http.js';
import { requestLogger } from './request-context.js';

/**
 * Authentication at the edge, before either door: every request but `GET /health` (and CORS
 * preflights, which carry no credentials) must present a valid API key — unless AUTH_MODE=none,
 * which config allows on loopback only. The caller becomes a `Principal`, found again with
 * `callerOf(request)`; scopes are checked per REST route (rest/router.ts) and per GraphQL root
 * field (below).
 */

/** Who is calling, and the storage of their tenant (opened while authenticating, so that a failure is a clean 503). */
export interface Caller {
  principal: Principal;
  storage: Storage;
}

const callers = new WeakMap<Request, Caller>();

export function callerOf(request: Request): Caller {
  const caller = callers.get(request);
  // Only reachable if a route were served without the plugin: refuse rather than assume.
  if (!caller) throw new UnauthenticatedError('Missing API key: send the header "Authorization: Bearer <key>"');
  return caller;
}

export interface AuthDeps {
  auth: AuthConfig;
  tenants: Tenants;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  logger: Logger;
}

/**
 * What anyone may fetch: `GET /health`, and CORS preflights (browsers send them without
 * credentials). (Yoga serves the GraphiQL page, when enabled, before any plugin: it holds no data,
 * and the requests it makes carry the key the user types into its headers.)
 */
function isPublic(request: Request, url: URL): boolean {
  return request.method === 'OPTIONS' || (url.pathname === '/health' && (request.method === 'GET' || request.method === 'HEAD'));
}

/** A refused request, in the shape of the door it was meant for: `{detail}` or GraphQL `{errors}`. */
function refusal(error: unknown, graphql: boolean, logger: Logger): Response {
  const response = error instanceof DomainError ? errorResponse(error) : null;
  if (!response) {
    // E.g. a bug while looking a key up: logged with its request id; the client learns nothing.
    requestLogger(logger).error({ err: error }, 'unexpected error while authenticating');
    return graphql
      ? json(500, { errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] })
      : json(500, { detail: 'Internal Server Error' });
  }
  if (!graphql) return response;
  const { code, message } = error as DomainError;
  const retryAfter = response.headers.get('retry-after');
  const extensions = retryAfter ? { code, retryAfter: Number(retryAfter) } : { code };
  // The REST refusal's own headers (WWW-Authenticate, Retry-After), not those of its body.
  const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== 'content-length' && name !== 'content-type'));
  return json(response.status, { errors: [{ message, extensions }] }, headers);
}

export function authPlugin({ auth, tenants, authenticator, rateLimiter, logger }: AuthDeps): Plugin {
  async function authenticate(request: Request): Promise<Caller> {
    const principal = await authenticator.authenticate(request.headers.get('authorization'));
    if (principal.keyId !== null) rateLimiter.take(principal.keyId);
    return { principal, storage: await tenants.storageOf(principal.tenant) };
  }
  return {
    // Synchronous unless there is a key to check: an open server pays nothing per request.
    onRequest({ request, url, endResponse }) {
      if (isPublic(request, url)) return;
      if (auth.mode === 'none') {
        callers.set(request, { principal: OPEN_ACCESS, storage: tenants.defaultStorage });
        return;
      }
      return authenticate(request).then(
        (caller) => void callers.set(request, caller),
        (error: unknown) => endResponse(refusal(error, url.pathname === '/graphql', logger)),
      );
    },
  };
}

// --- GraphQL: scopes per root field ---------------------------------------------------------------

/** The names of the root fields an operation selects, through fragments. */
function rootFields(selectionSet: SelectionSetNode, document: DocumentNode, into: Set<string>): Set<string> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) into.add(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) rootFields(selection.selectionSet, document, into);
    else {
      const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) rootFields(fragment.selectionSet, document, into);
    }
  }
  return into;
}

const DEFAULT_SCOPE: Record<OperationTypeNode, ApiKeyScope> = { query: 'read', subscription: 'read', mutation: 'write' };

/**
 * The scope a root field needs: its own (`extensions: { requiredScope }` on the Pothos field, e.g.
 * the API key fields need `admin`), else `read` for queries and subscriptions, `write` for mutations.
 */
function requiredScopes(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): Set<ApiKeyScope> {
  const operation = getOperationAST(document, operationName);
  const needed = new Set<ApiKeyScope>();
  if (!operation) return needed;
  const type = schema.getRootType(operation.operation);
  for (const name of rootFields(operation.selectionSet, document, new Set())) {
    if (name.startsWith('__')) continue; // introspection: any valid key
    const own = type?.getFields()[name]?.extensions?.requiredScope;
    needed.add(API_KEY_SCOPES.includes(own as ApiKeyScope) ? (own as ApiKeyScope) : DEFAULT_SCOPE[operation.operation]);
  }
  return needed;
}

function missingScope(args: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  contextValue: unknown;
}): GraphQLError | null {
  const { principal } = args.contextValue as GraphQLContext;
  for (const scope of requiredScopes(args.schema, args.document, args.operationName)) {
    if (!principal.scopes.has(scope)) {
      return new GraphQLError(`This API key lacks the "${scope}" scope`, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
    }
  }
  return null;
}

/** Refuses an operation before any resolver runs when the key lacks a scope one of its root fields needs. */
export function useScopes(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = missingScope(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = missingScope(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
