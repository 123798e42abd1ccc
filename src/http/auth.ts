import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getNamedType,
  getOperationAST,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
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
import { refuseBeforeRunning } from './graphql-limits.js';
import { noteTenant, requestLogger } from './request-context.js';
import type { Metrics } from '../observability/metrics.js';

/**
 * Authentication at the edge, before either door: every request but `GET /health` (and CORS
 * preflights, which carry no credentials) must present a valid API key — unless AUTH_MODE=none,
 * which config allows on loopback only. The caller becomes a `Principal`, found again with
 * `callerOf(request)`; scopes are checked per REST route (rest/router.ts) and per GraphQL field
 * (below).
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
  /** Refusals are counted (`door="auth"`), callers by tenant. */
  metrics: Metrics;
}

/**
 * What anyone may fetch: `GET /health` and `GET /ready` (probes carry no key), and CORS preflights (browsers send them without
 * credentials). (Yoga serves the GraphiQL page, when enabled, before any plugin: it holds no data,
 * and the requests it makes carry the key the user types into its headers.)
 */
function isPublic(request: Request, url: URL): boolean {
  return request.method === 'OPTIONS' || ((url.pathname === '/health' || url.pathname === '/ready') && (request.method === 'GET' || request.method === 'HEAD'));
}

/** A refused request, in the shape of the door it was meant for: `{detail}` or GraphQL `{errors}`. */
function refusal(error: unknown, graphql: boolean, accept: string | null, logger: Logger): Response {
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
  // In the GraphQL-over-HTTP media type when the client takes it: clients (Apollo Client) read the
  // errors of a non-2xx answer only in that type, and report a bare status code otherwise.
  if (/\bapplication\/graphql-response\+json\b/i.test(accept ?? '')) headers['content-type'] = 'application/graphql-response+json; charset=utf-8';
  return json(response.status, { errors: [{ message, extensions }] }, headers);
}

/**
 * The caller presenting `authorization` (an `Authorization` header's value): the key checked,
 * counted against its rate limit, its tenant's storage opened. Every door's check: HTTP requests
 * (below) and each operation over a WebSocket (http/graphql-ws.ts).
 */
export function callerAuthenticator({ auth, tenants, authenticator, rateLimiter }: Omit<AuthDeps, 'logger' | 'metrics'>) {
  return async (authorization: string | null): Promise<Caller> => {
    if (auth.mode === 'none') return { principal: OPEN_ACCESS, storage: tenants.defaultStorage };
    const principal = await authenticator.authenticate(authorization);
    await rateLimiter.take(principal);
    return { principal, storage: await tenants.storageOf(principal.tenant) };
  };
}

/**
 * For a door that authenticates in its own way (a WebSocket, once per operation): the Request it
 * hands Yoga for one operation is made by `caller`.
 */
export function actingAs(request: Request, caller: Caller): Request {
  callers.set(request, caller);
  return request;
}

export function authPlugin(deps: AuthDeps): Plugin {
  const { auth, tenants, logger, metrics } = deps;
  const authenticate = callerAuthenticator(deps);
  return {
    // Synchronous unless there is a key to check: an open server pays nothing per request.
    onRequest({ request, url, endResponse }) {
      if (isPublic(request, url)) return;
      if (auth.mode === 'none') {
        callers.set(request, { principal: OPEN_ACCESS, storage: tenants.defaultStorage });
        noteTenant(OPEN_ACCESS.tenant);
        return;
      }
      return authenticate(request.headers.get('authorization')).then(
        (caller) => {
          callers.set(request, caller);
          noteTenant(caller.principal.tenant);
        },
        (error: unknown) => {
          metrics.errorAnswered('auth', error instanceof DomainError ? error.code : 'INTERNAL_SERVER_ERROR');
          endResponse(refusal(error, url.pathname === '/graphql', request.headers.get('accept'), logger));
        },
      );
    },
  };
}

// --- GraphQL: scopes per field ------------------------------------------------------------------

const DEFAULT_SCOPE: Record<OperationTypeNode, ApiKeyScope> = { query: 'read', subscription: 'read', mutation: 'write' };

/** The scope a field declares (`extensions: { requiredScope }` on the Pothos field; see graphql/scopes.ts). */
function declaredScope(field: GraphQLField<unknown, unknown> | undefined): ApiKeyScope | null {
  const own = field?.extensions?.requiredScope;
  return API_KEY_SCOPES.includes(own as ApiKeyScope) ? (own as ApiKeyScope) : null;
}

/** Each scope an operation needs, with the first field that needs it (`Type.field`, for the refusal). */
type Needs = Map<ApiKeyScope, string>;

/**
 * What an operation needs. A root field: its own scope, else `read` for queries and subscriptions,
 * `write` for mutations. Any field below it that declares a scope needs that scope too — so the
 * fields that read other records (a session's history, a message's session, ...) need `read` even
 * inside a mutation's result, and a write-only key cannot read through what it writes. The whole
 * selection is walked, through fragments, with the schema's types.
 */
function requiredScopes(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): Needs {
  const needs: Needs = new Map();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const need = (scope: ApiKeyScope, where: string) => void (needs.has(scope) || needs.set(scope, where));
  // Fragments already walked on a type: a fragment spread many times is walked once.
  const walked = new Set<string>();

  function walk(type: GraphQLNamedType | undefined, selectionSet: SelectionSetNode, root: boolean): void {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue; // introspection and __typename: any valid key
        const field = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[name] : undefined;
        const scope = declaredScope(field) ?? (root ? DEFAULT_SCOPE[operation.operation] : null);
        if (scope) need(scope, `${type?.name}.${name}`);
        if (selection.selectionSet) walk(field && getNamedType(field.type), selection.selectionSet, false);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        walk(on, selection.selectionSet, root);
      } else {
        const fragment = fragments.get(selection.name.value);
        const on = fragment && schema.getType(fragment.typeCondition.name.value);
        const key = `${selection.name.value} ${root}`;
        if (!fragment || walked.has(key)) continue;
        walked.add(key);
        walk(on ?? undefined, fragment.selectionSet, root);
      }
    }
  }
  walk(schema.getRootType(operation.operation) ?? undefined, operation.selectionSet, true);
  return needs;
}

/**
 * The needs of each operation of a document, kept as long as the document: Yoga reuses the parsed
 * document of a query string it has seen, so a repeated operation is walked once.
 */
const needsByDocument = new WeakMap<DocumentNode, Map<OperationDefinitionNode, Needs>>();

function needsOf(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): Needs | null {
  const operation = getOperationAST(document, operationName);
  if (!operation) return null;
  let byOperation = needsByDocument.get(document);
  if (!byOperation) needsByDocument.set(document, (byOperation = new Map()));
  let needs = byOperation.get(operation);
  if (!needs) byOperation.set(operation, (needs = requiredScopes(schema, document, operation)));
  return needs;
}

function missingScope(args: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  contextValue?: unknown;
}): GraphQLError | null {
  const { principal } = args.contextValue as GraphQLContext;
  for (const [scope, where] of needsOf(args.schema, args.document, args.operationName) ?? []) {
    if (!principal.scopes.has(scope)) {
      return new GraphQLError(`This API key lacks the "${scope}" scope (${where} needs it)`, {
        extensions: { code: 'FORBIDDEN', http: { status: 403 } },
      });
    }
  }
  return null;
}

/** Refuses an operation before any resolver runs when the key lacks a scope one of its fields needs. */
export function useScopes(): Plugin {
  return refuseBeforeRunning(missingScope);
}
