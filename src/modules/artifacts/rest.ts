import { wholeByDefault } from '../../domain/paging.js';
import type { Artifact } from '../../domain/records.js';
import { json, parseWire, queryObject } from '../../rest/http.js';
import { pagingQuery, readListPage, requireParam, sessionIdQuery, type Route, type RouteDeps } from '../../rest/routes.js';
import { createArtifactInput } from './service.js';

export function artifactToWire(a: Artifact) {
  return {
    id: a.id,
    session_id: a.sessionId,
    name: a.name,
    type: a.type,
    path: a.path,
    size: a.size,
    created_at: a.createdAt,
    metadata: a.metadata,
  };
}

export function artifactRoutes({ config }: RouteDeps): Route[] {
  // A session's artifacts all at once (up to the ceiling) unless `limit`/`offset` page them.
  const sizes = wholeByDefault(config.maxPageSize);
  const listQuery = sessionIdQuery.extend(pagingQuery(sizes).shape);
  return [
    {
      method: 'POST',
      path: '/storage/artifacts',
      handler: async (req) => json(200, artifactToWire(await req.storage.artifacts.create(parseWire(createArtifactInput, await req.body(), 'body')))),
    },
    {
      method: 'GET',
      path: '/storage/artifacts',
      handler: async (req) => {
        const { sessionId, limit, offset } = parseWire(listQuery, queryObject(req.query), 'query');
        const page = await readListPage(req.request, sizes, { limit, offset }, (slice) => req.storage.artifacts.list(sessionId, slice));
        return json(200, page.rows.map(artifactToWire), page.headers);
      },
    },
    {
      method: 'GET',
      path: '/storage/artifacts/:id',
      handler: async (req) => json(200, artifactToWire(await req.storage.artifacts.get(requireParam(req.params, 'id')))),
    },
    {
      method: 'DELETE',
      path: '/storage/artifacts/:id',
      handler: async (req) => {
        const id = requireParam(req.params, 'id');
        await req.storage.artifacts.delete(id);
        return json(200, { status: 'deleted', artifact_id: id });
      },
    },
  ];
}
