import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { noteRoute, requestLogger } from '../http/request-context.js';
import { observabilityRoutes, type ObservabilityRouteDeps } from '../observability/rest.js';
import { DomainError } from '../domain/errors.js';
import { isPercentEncodedUtf8 } from '../http/utf8.js';
import type { ApiKeyScope } from '../domain/records.js';
import type { Storage } from '../storage/storage.js';
import { artifactContentRoutes } from '../modules/artifacts/content-rest.js';
import { artifactRoutes } from '../modules/artifacts/rest.js';
import { cacheRoutes } from '../modules/cache/rest.js';
import { checkpointRoutes } from '../modules/checkpoints/rest.js';
import { historyRoutes } from '../modules/history/rest.js';
import type { EventStreams } from '../http/event-streams.js';
import { eventRoutes } from '../modules/events/rest.js';
import { errorResponse, HttpError, json, readJsonBody } from './http.js';
import { memoryRoutes } from '../modules/memory/rest.js';
import { metricRoutes } from '../modules/metrics/rest.js';
import { retentionRoutes } from '../modules/retention/rest.js';
import type { Route } from './routes.js';
import { searchRoutes } from '../modules/search/rest.js';
import { serviceRoutes } from './service.js';
import { sessionRoutes } from '../modules/sessions/rest.js';
import { stateRoutes } from '../modules/state/rest.js';

interface CompiledRoute {
  route: Route;
  segments: string[];
}

function compile(route: Route): CompiledRoute {
  return { route, segments: route.path.split('/').filter(Boolean) };
}

/** Matches decoded path segments against a route; its parameters, or null. */
function match(compiled: CompiledRoute, segments: readonly string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < compiled.segments.length; i++) {
    const pattern = compiled.segments[i]!;
    if (pattern.startsWith(':') && pattern.endsWith('*')) {
      if (i >= segments.length) return null;
      params[pattern.slice(1, -1)] = segments.slice(i).join('/');
      return params;
    }
    const segment = segments[i];
    if (segment === undefined) return null;
    if (pattern.startsWith(':')) params[pattern.slice(1)] = segment;
    else if (pattern !== segment) return null;
  }
  return segments.length === compiled.segments.length ? params : null;
}

function decodeSegments(pathname: string): string[] {
  try {
    return pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new HttpError(400, 'The path is not valid percent-encoded UTF-8');
  }
}

/**
 * No id, key, filter or cursor can hold a NUL character (names refuse it, ids are generated, and
 * PostgreSQL text cannot store one): one anywhere in the path or the query is bad input, answered
 * the same on every backend — not a lookup that SQLite answers 404 and PostgreSQL fails on.
 */
function refuseNul(params: Record<string, string>, query: URLSearchParams): void {
  const issues: { loc: string[]; msg: string; type: string }[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value.includes('\u0000')) issues.push({ loc: ['path', name], msg: 'must not contain NUL characters', type: 'value_error' });
  }
  for (const [name, value] of query) {
    if (name.includes('\u0000') || value.includes('\u0000')) {
      issues.push({ loc: ['query', name.replaceAll('\u0000', '\\0')], msg: 'must not contain NUL characters', type: 'value_error' });
    }
  }
  if (issues.length) throw new HttpError(422, issues);
}

/** Reads need `read`, every other method `write`, unless the route says otherwise. */
const defaultScope = (method: string): ApiKeyScope => (method === 'GET' || method === 'HEAD' ? 'read' : 'write');

export interface RestDeps {
  /** What `/health` checks and public routes see. */
  storage: Storage;
  /** The storage of the caller's tenant, if the caller has `scope`; throws to refuse the request. */
  authorize(request: Request, scope: ApiKeyScope): Promise<Storage>;
  config: Config;
  logger: Logger;
  /** The server's open event streams (its cap, and shutdown). */
  streams: EventStreams;
  /** /metrics and /ready; REST errors are counted into the metrics. */
  observability: ObservabilityRouteDeps;
}

/**
 * The REST compatibility API as a Yoga plugin: every path but `/graphql` is answered here, in the
 * same process and on the same port, from the same `Storage`.
 */
export function restPlugin({ storage, authorize, config, logger, streams, observability }: RestDeps): Plugin {
  const { metrics } = observability;
  const routes: CompiledRoute[] = [];
  const deps = { config };
  for (const route of [
    ...serviceRoutes(storage, () => routes.map((r) => r.route)),
    ...observabilityRoutes(observability),
    ...sessionRoutes(deps),
    ...historyRoutes(deps),
    ...stateRoutes(deps),
    ...artifactRoutes(deps),
    ...artifactContentRoutes(deps),
    ...metricRoutes(deps),
    ...cacheRoutes(),
    ...memoryRoutes(),
    ...searchRoutes(deps),
    ...retentionRoutes(deps),
    ...checkpointRoutes(deps),
    ...eventRoutes({ config, streams }),
  ]) {
    routes.push(compile(route));
  }

  async function handle(request: Request, url: URL): Promise<Response> {
    try {
      const segments = decodeSegments(url.pathname);
      if (!isPercentEncodedUtf8(url.search)) throw new HttpError(400, 'The query string is not valid percent-encoded UTF-8');
      const allowed: string[] = [];
      for (const compiled of routes) {
        const params = match(compiled, segments);
        if (!params) continue;
        if (compiled.route.method !== request.method) {
          allowed.push(compiled.route.method);
          continue;
        }
        noteRoute(compiled.route.path);
        refuseNul(params, url.searchParams);
        return await compiled.route.handler({
          request,
          storage: compiled.route.public ? storage : await authorize(request, compiled.route.scope ?? defaultScope(request.method)),
          params,
          query: url.searchParams,
          body: () => readJsonBody(request, config.maxBodyBytes),
        });
      }
      if (allowed.length) {
        metrics.errorAnswered('rest', 'METHOD_NOT_ALLOWED');
        return json(405, { detail: 'Method Not Allowed' }, { allow: allowed.join(', ') });
      }
      metrics.errorAnswered('rest', 'NOT_FOUND');
      return json(404, { detail: 'Not Found' });
    } catch (error) {
      const response = errorResponse(error);
      if (response) {
        // The domain's code; HTTP-level refusals (a malformed path or body) by their status.
        metrics.errorAnswered('rest', error instanceof DomainError ? error.code : `HTTP_${response.status}`);
        return response;
      }
      metrics.errorAnswered('rest', 'INTERNAL_SERVER_ERROR');
      // The request's own logger (with its reqId); the client learns nothing of the details.
      requestLogger(logger).error({ err: error, method: request.method, path: url.pathname }, 'unexpected error in REST handler');
      return json(500, { detail: 'Internal Server Error' });
    }
  }

  return {
    onRequest({ request, url, endResponse }) {
      // GraphQL's own door; its bodies are limited as these are (http/body-limit.ts).
      if (url.pathname === '/graphql') return;
      if (url.pathname.startsWith('/__yoga/')) return;
      return handle(request, url).then(endResponse);
    },
  };
}
