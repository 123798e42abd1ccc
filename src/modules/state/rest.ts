import { VersionConflictError } from '../../domain/errors.js';
import { parseInput, setStateInput, statePatch } from '../../domain/inputs.js';
import { type State, stateRecord } from '../../domain/records.js';
import { wireCodec } from '../../domain/wire.js';
import { z } from 'zod';
import { pagedByDefault } from '../../domain/paging.js';
import { HttpError, json, parseWire, queryObject } from '../../rest/http.js';
import { nextPageLink, queryInt, requireParam, type Route, type RouteDeps } from '../../rest/routes.js';
import type { ExpectedVersion } from './service.js';

/**
 * The state on the REST wire: every field of the record, in snake_case, in its order
 * (`domain/wire.ts`); `version` is not in the original service: the state's version, as in its ETag.
 */
export const stateWire = wireCodec(stateRecord);

/** The strong entity tag of a state version: `"3"`. */
export const etagOf = (version: number) => `"${version}"`;

const MERGE_PATCH = 'application/merge-patch+json';

/**
 * The version a conditional request expects, from `If-Match` (one strong entity tag as given by
 * `ETag`, or `*`: any state) or `If-None-Match: *` (no state yet: create only). Absent: none.
 */
function expectedVersionOf(request: Request): ExpectedVersion | null {
  const ifMatch = request.headers.get('if-match');
  const ifNoneMatch = request.headers.get('if-none-match');
  if (ifMatch !== null && ifNoneMatch !== null) throw new HttpError(400, 'Send If-Match or If-None-Match, not both');
  if (ifNoneMatch !== null) {
    if (ifNoneMatch.trim() !== '*') throw new HttpError(400, 'If-None-Match on a state write must be *: create the state only if there is none');
    return 0;
  }
  if (ifMatch === null) return null;
  const tag = ifMatch.trim();
  if (tag === '*') return 'existing';
  if (tag.includes(',')) throw new HttpError(400, 'If-Match must be one entity tag (as sent in ETag) or *');
  const strong = /^"([1-9]\d{0,14})"$/.exec(tag);
  // A weak or foreign tag never matches a strong comparison (RFC 9110, 13.1.1): the precondition fails.
  if (!strong) throw new HttpError(412, `If-Match ${tag.slice(0, 100)} names no version of this state: send the ETag it was read with`);
  return Number(strong[1]);
}

/** A failed compare-and-set is a failed precondition: 412 with the state's current ETag. */
async function conditional(work: () => Promise<State>): Promise<Response> {
  try {
    const state = await work();
    return json(200, stateWire.toWire(state), { etag: etagOf(state.version) });
  } catch (error) {
    if (error instanceof VersionConflictError) {
      throw new HttpError(412, error.message, error.currentVersion > 0 ? { etag: etagOf(error.currentVersion) } : {});
    }
    throw error;
  }
}

export function stateRoutes({ config }: RouteDeps): Route[] {
  const sizes = pagedByDefault(config.maxPageSize);
  const historyQuery = z.object({
    limit: queryInt(1, sizes.max).optional(),
    beforeVersion: queryInt(1, Number.MAX_SAFE_INTEGER).optional(),
  });
  return [
    {
      method: 'GET',
      path: '/storage/state/:session_id',
      handler: async (req) => {
        const state = await req.storage.state.get(requireParam(req.params, 'session_id'));
        return json(200, stateWire.toWire(state), { etag: etagOf(state.version) });
      },
    },
    {
      // The kept versions, newest first; a page cut short links to the next (`before_version`).
      method: 'GET',
      path: '/storage/state/:session_id/history',
      handler: async (req) => {
        const sessionId = requireParam(req.params, 'session_id');
        const { limit = sizes.default, beforeVersion } = parseWire(historyQuery, queryObject(req.query), 'query');
        const rows = await req.storage.state.history(sessionId, { after: beforeVersion ?? null, limit: limit + 1 });
        const page = rows.slice(0, limit);
        const more = rows.length > limit ? nextPageLink(req.request, page.at(-1)!.version, 'before_version') : {};
        return json(200, page.map(stateWire.toWire), more);
      },
    },
    {
      // If-Match / If-None-Match make it a compare-and-set (412 when someone else wrote first).
      method: 'PUT',
      path: '/storage/state/:session_id',
      handler: async (req) => {
        const sessionId = requireParam(req.params, 'session_id');
        const expected = expectedVersionOf(req.request);
        const { data } = parseWire(setStateInput, await req.body(), 'body');
        return conditional(() => req.storage.state.set(sessionId, data, expected));
      },
    },
    {
      // A JSON Merge Patch (RFC 7396), applied atomically; If-Match as for PUT.
      method: 'PATCH',
      path: '/storage/state/:session_id',
      handler: async (req) => {
        const sessionId = requireParam(req.params, 'session_id');
        const contentType = req.request.headers.get('content-type') ?? '';
        if (!/^application\/merge-patch\+json\s*(;|$)/i.test(contentType.trim())) {
          throw new HttpError(415, `PATCH takes a JSON Merge Patch (content-type: ${MERGE_PATCH})`, { 'accept-patch': MERGE_PATCH });
        }
        const expected = expectedVersionOf(req.request);
        const patch = parseInput(statePatch, await req.body());
        return conditional(() => req.storage.state.patch(sessionId, patch, expected));
      },
    },
    {
      method: 'DELETE',
      path: '/storage/state/:session_id',
      handler: async (req) => {
        const sessionId = requireParam(req.params, 'session_id');
        await req.storage.state.delete(sessionId);
        return json(200, { status: 'deleted', session_id: sessionId });
      },
    },
  ];
}
