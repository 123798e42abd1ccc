import { wholeByDefault } from '../../domain/paging.js';
import { artifactRecord } from '../../domain/records.js';
import { wireCodec } from '../../domain/wire.js';
import { json, parseWire, queryObject } from '../../rest/http.js';
import { pagingQuery, readListPage, requireParam, sessionIdQuery, type Route, type RouteDeps } from '../../rest/routes.js';
import { createArtifactInput } from './service.js';

/** The artifact on the REST wire: every field of the record, in snake_case, in its order (`domain/wire.ts`). */
export const artifactWire = wireCodec(artifactRecord);

export function artifactRoutes({ config }: RouteDeps): Route[] {
  // A session's artifacts all at once (up to the ceiling) unless `limit`/`offset` page them.
  const sizes = wholeByDefault(config.maxPageSize);
  const listQuery = sessionIdQuery.extend(pagingQuery(sizes).shape);
  return [
    {
      method: 'POST',
      path: '/storage/artifacts',
      handler: async (req) => json(200, artifactWire.toWire(await req.storage.artifacts.create(parseWire(createArtifactInput, await req.body(), 'body')))),
    },
    {
      method: 'GET',
      path: '/storage/artifacts',
      handler: async (req) => {
        const { sessionId, limit, offset } = parseWire(listQuery, queryObject(req.query), 'query');
        const page = await readListPage(req.request, sizes, { limit, offset }, (slice) => req.storage.artifacts.list(sessionId, slice));
        return json(200, page.rows.map(artifactWire.toWire), page.headers);
      },
    },
    {
      method: 'GET',
      path: '/storage/artifacts/:id',
      handler: async (req) => json(200, artifactWire.toWire(await req.storage.artifacts.get(requireParam(req.params, 'id')))),
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
