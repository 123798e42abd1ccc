import { createSessionInput, forkSessionInput, sessionFilter, shortText, updateSessionInput } from '../../domain/inputs.js';
import { pagedByDefault, wholeByDefault } from '../../domain/paging.js';
import { sessionRecord } from '../../domain/records.js';
import { wireCodec } from '../../domain/wire.js';
import { json, parseWire, queryObject, taggedJson } from '../../rest/http.js';
import { pagingQuery, readListPage, requireParam, type Route, type RouteDeps } from '../../rest/routes.js';

/**
 * The session on the REST wire: every field of the record, in snake_case, in its order
 * (`domain/wire.ts`). Not in the original service: where a fork comes from (`parent_id`,
 * `forked_from_message_id`, docs/concurrency.md) and when it expires (`expires_at`, docs/operations.md).
 */
export const sessionWire = wireCodec(sessionRecord);

const forkBody = forkSessionInput.extend({ upToMessageId: shortText });

export function sessionRoutes({ config }: RouteDeps): Route[] {
  // Sessions a page at a time, newest first; a session's forks all at once (up to the ceiling).
  const listed = pagedByDefault(config.maxPageSize);
  const forked = wholeByDefault(config.maxPageSize);
  const listQuery = sessionFilter.safeExtend(pagingQuery(listed).shape);
  const forksQuery = pagingQuery(forked);
  return [
    {
      method: 'POST',
      path: '/storage/sessions',
      handler: async (req) => json(200, sessionWire.toWire(await req.storage.sessions.create(parseWire(createSessionInput, await req.body(), 'body')))),
    },
    {
      method: 'GET',
      path: '/storage/sessions',
      handler: async (req) => {
        const { limit, offset, ...filter } = parseWire(listQuery, queryObject(req.query), 'query');
        const page = await readListPage(req.request, listed, { limit, offset }, (slice) => req.storage.sessions.list(filter, slice));
        return json(200, page.rows.map(sessionWire.toWire), page.headers);
      },
    },
    {
      method: 'GET',
      path: '/storage/sessions/:id',
      // With a strong ETag: an agent re-reading an unchanged session gets a 304.
      handler: async (req) => taggedJson(req.request, sessionWire.toWire(await req.storage.sessions.get(requireParam(req.params, 'id')))),
    },
    {
      method: 'PUT',
      path: '/storage/sessions/:id',
      handler: async (req) => {
        const patch = parseWire(updateSessionInput, await req.body(), 'body');
        return json(200, sessionWire.toWire(await req.storage.sessions.update(requireParam(req.params, 'id'), patch)));
      },
    },
    {
      // A new session continuing this one from `up_to_message_id` (see Storage.forkSession).
      method: 'POST',
      path: '/storage/sessions/:id/fork',
      handler: async (req) => {
        const { upToMessageId, ...overrides } = parseWire(forkBody, await req.body(), 'body');
        const fork = await req.storage.sessions.fork(requireParam(req.params, 'id'), upToMessageId, overrides);
        return json(200, sessionWire.toWire(fork.session));
      },
    },
    {
      // A session's forks in creation order, all of them (up to MAX_PAGE_SIZE) unless `limit`/`offset` page them.
      method: 'GET',
      path: '/storage/sessions/:id/forks',
      handler: async (req) => {
        const id = requireParam(req.params, 'id');
        const { limit, offset } = parseWire(forksQuery, queryObject(req.query), 'query');
        await req.storage.sessions.get(id); // 404 for an unknown session, rather than an empty list
        const page = await readListPage(req.request, forked, { limit, offset }, (slice) => req.storage.sessions.forks(id, slice));
        return json(200, page.rows.map(sessionWire.toWire), page.headers);
      },
    },
    {
      method: 'DELETE',
      path: '/storage/sessions/:id',
      handler: async (req) => {
        const id = requireParam(req.params, 'id');
        await req.storage.sessions.delete(id);
        return json(200, { status: 'deleted', session_id: id });
      },
    },
  ];
}
