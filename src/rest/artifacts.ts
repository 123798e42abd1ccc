import { createArtifactInput } from '../domain/inputs.js';
import type { Artifact } from '../domain/records.js';
import { json, parseWire, queryObject } from './http.js';
import { ALL, pagingQuery, requireParam, sessionIdQuery, type Route, type RouteDeps } from './routes.js';

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
  const listQuery = sessionIdQuery.extend(pagingQuery(config).shape);
  return [
    {
      method: 'POST',
      path: '/storage/artifacts',
      handler: async (req) => json(200, artifactToWire(await req.storage.createArtifact(parseWire(createArtifactInput, await req.body(), 'body')))),
    },
    {
      method: 'GET',
      path: '/storage/artifacts',
      handler: async (req) => {
        const { sessionId, limit, offset } = parseWire(listQuery, queryObject(req.query), 'query');
        return json(200, (await req.storage.artifacts(sessionId, { limit: limit ?? ALL, offset })).map(artifactToWire));
      },
    },
    {
      method: 'GET',
      path: '/storage/artifacts/:id',
      handler: async (req) => json(200, artifactToWire(await req.storage.getArtifact(requireParam(req.params, 'id')))),
    },
    {
      method: 'DELETE',
      path: '/storage/artifacts/:id',
      handler: async (req) => {
        const id = requireParam(req.params, 'id');
        await req.storage.deleteArtifact(id);
        return json(200, { status: 'deleted', artifact_id: id });
      },
    },
  ];
}
