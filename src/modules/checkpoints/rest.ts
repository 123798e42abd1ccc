import { z } from 'zod';
import { NotFoundError } from '../../domain/errors.js';
import { jsonObject } from '../../domain/json.js';
import { pagedByDefault } from '../../domain/paging.js';
import { wireCodec } from '../../domain/wire.js';
import { checkpointKeyset } from '../../graphql/pagination.js';
import { HttpError, json, parseWire, queryObject } from '../../rest/http.js';
import { queryInt, requireParam, type RestRequest, type Route, type RouteDeps } from '../../rest/routes.js';
import type { Storage } from '../../storage/storage.js';
import {
  type Checkpoint,
  checkpointId,
  checkpointKeyText,
  checkpointNamespace,
  checkpointRecord,
  channelValueRecord,
  copyThreadInput,
  listCheckpointsInput,
  pendingWriteRecord,
  pruneInput,
  putCheckpointInput,
  putWritesInput,
  setThreadTtlInput,
  threadRecord,
} from './model.js';

/** The records on the REST wire, in snake_case (`domain/wire.ts`); bytes as base64. */
const threadWire = wireCodec(threadRecord);
const checkpointWire = wireCodec(checkpointRecord);
const channelValueWire = wireCodec(channelValueRecord);
const pendingWriteWire = wireCodec(pendingWriteRecord);

const base64 = <T extends { data: Buffer | null }>(record: T) => ({ ...record, data: record.data?.toString('base64') ?? null }) as unknown as T;

/** Checkpoints as REST shows them: each with its channel values and pending writes (two statements for the whole list). */
async function withValues(storage: Storage, checkpoints: readonly Checkpoint[]) {
  const [values, writes] = await Promise.all([storage.checkpoints.channelValues(checkpoints), storage.checkpoints.pendingWrites(checkpoints)]);
  return checkpoints.map((c) => ({
    ...checkpointWire.toWire(base64(c)),
    channel_values: (values.get(checkpointKeyText(c)) ?? []).map((v) => channelValueWire.toWire(base64(v))),
    pending_writes: (writes.get(checkpointKeyText(c)) ?? []).map((w) => pendingWriteWire.toWire(base64(w))),
  }));
}

/** `filter` in a query string is a JSON object (URL-encoded). */
const filterQuery = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
      return z.NEVER;
    }
  })
  .pipe(jsonObject);

const namespaceQuery = z.object({ namespace: checkpointNamespace.default('') });

export function checkpointRoutes({ config }: RouteDeps): Route[] {
  const sizes = pagedByDefault(config.maxPageSize);
  const listQuery = listCheckpointsInput.extend({
    filter: filterQuery.optional().transform((v) => (v && Object.keys(v).length > 0 ? v : null)),
    limit: queryInt(1, sizes.max).optional(),
    after: z.string().optional(),
  });

  /** A page of checkpoints, newest first; a `Link: rel="next"` header (with `after`) when more follow. */
  async function list(req: RestRequest, threadId: string | null) {
    const query = parseWire(listQuery, { ...queryObject(req.query), ...(threadId !== null && { thread_id: threadId }) }, 'query');
    const after = query.after === undefined ? null : checkpointKeyset.decode(query.after);
    if (query.after !== undefined && after === null) throw new HttpError(422, [{ loc: ['query', 'after'], msg: 'is not a cursor of this list', type: 'value_error' }]);
    const size = query.limit ?? sizes.default;
    const rows = await req.storage.checkpoints.list(query, { after, limit: size + 1 });
    const page = rows.slice(0, size);
    const headers: Record<string, string> = {};
    if (rows.length > size) {
      const url = new URL(req.request.url);
      url.searchParams.set('after', checkpointKeyset.encode(checkpointKeyset.keyOf(page.at(-1)!)));
      headers.link = `<${url.pathname}${url.search}>; rel="next"`;
    }
    return json(200, await withValues(req.storage, page), headers);
  }

  async function one(req: RestRequest, id: string | null) {
    const { namespace } = parseWire(namespaceQuery, queryObject(req.query), 'query');
    const checkpoint = await req.storage.checkpoints.checkpoint(requireParam(req.params, 'id'), namespace, id);
    if (!checkpoint) throw new NotFoundError('Checkpoint');
    return json(200, (await withValues(req.storage, [checkpoint]))[0]);
  }

  const checkpointPath = (req: RestRequest) => parseWire(z.object({ checkpointId }), { checkpoint_id: requireParam(req.params, 'checkpointId') }, 'path').checkpointId;

  return [
    { method: 'GET', path: '/storage/checkpoints', handler: (req) => list(req, null) },
    {
      method: 'POST',
      path: '/storage/threads/prune',
      handler: async (req) => {
        const counts = await req.storage.checkpoints.prune(parseWire(pruneInput, await req.body(), 'body'));
        return json(200, { checkpoints_deleted: counts.checkpoints, writes_deleted: counts.writes, channel_values_deleted: counts.channelValues });
      },
    },
    {
      method: 'GET',
      path: '/storage/threads/:id',
      handler: async (req) => json(200, threadWire.toWire(await req.storage.checkpoints.thread(requireParam(req.params, 'id')))),
    },
    {
      method: 'PATCH',
      path: '/storage/threads/:id',
      handler: async (req) => {
        const { ttlSeconds } = parseWire(setThreadTtlInput, await req.body(), 'body');
        return json(200, threadWire.toWire(await req.storage.checkpoints.setTtl(requireParam(req.params, 'id'), ttlSeconds)));
      },
    },
    {
      method: 'DELETE',
      path: '/storage/threads/:id',
      handler: async (req) => {
        const id = requireParam(req.params, 'id');
        if (!(await req.storage.checkpoints.deleteThread(id))) throw new NotFoundError('Thread');
        return json(200, { status: 'deleted', thread_id: id });
      },
    },
    {
      method: 'POST',
      path: '/storage/threads/:id/copy',
      handler: async (req) => {
        const body = { ...(await objectBody(req)), source_thread_id: requireParam(req.params, 'id') };
        const { sourceThreadId, targetThreadId } = parseWire(copyThreadInput, body, 'body');
        return json(201, threadWire.toWire(await req.storage.checkpoints.copyThread(sourceThreadId, targetThreadId)));
      },
    },
    { method: 'GET', path: '/storage/threads/:id/checkpoints', handler: (req) => list(req, requireParam(req.params, 'id')) },
    { method: 'GET', path: '/storage/threads/:id/checkpoints/latest', handler: (req) => one(req, null) },
    { method: 'GET', path: '/storage/threads/:id/checkpoints/:checkpointId', handler: (req) => one(req, checkpointPath(req)) },
    {
      method: 'PUT',
      path: '/storage/threads/:id/checkpoints/:checkpointId',
      handler: async (req) => {
        const body = { ...(await objectBody(req)), thread_id: requireParam(req.params, 'id'), id: checkpointPath(req) };
        const checkpoint = await req.storage.checkpoints.putCheckpoint(parseWire(putCheckpointInput, body, 'body'));
        return json(200, checkpointWire.toWire(base64(checkpoint)));
      },
    },
    {
      method: 'PUT',
      path: '/storage/threads/:id/checkpoints/:checkpointId/writes',
      handler: async (req) => {
        const body = { ...(await objectBody(req)), thread_id: requireParam(req.params, 'id'), checkpoint_id: checkpointPath(req) };
        return json(200, { written: await req.storage.checkpoints.putWrites(parseWire(putWritesInput, body, 'body')) });
      },
    },
  ];
}

/** A JSON object body (the path's ids are merged into it); anything else is refused as parseWire would. */
async function objectBody(req: RestRequest): Promise<Record<string, unknown>> {
  const body = await req.body();
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(422, [{ loc: ['body'], msg: 'must be a JSON object', type: 'value_error' }]);
  return body as Record<string, unknown>;
}

