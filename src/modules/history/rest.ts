import { addMessageInput, idempotencyKey, parseInput } from '../../domain/inputs.js';
import { ValidationError } from '../../domain/errors.js';
import { wholeByDefault } from '../../domain/paging.js';
import { messageRecord } from '../../domain/records.js';
import { wireCodec } from '../../domain/wire.js';
import { HttpError, json, jsonText, parseWire, queryObject } from '../../rest/http.js';
import { nextPageLink, pagingQuery, queryInt, sessionIdQuery, type Route, type RouteDeps } from '../../rest/routes.js';

/**
 * A message on the REST wire: every field but the idempotency key (the original service's fields,
 * plus `seq`: the message's position in its conversation, docs/concurrency.md). Its fields are also
 * what the store follows when it writes a whole history as JSON itself (`HistoryStore.json`).
 */
export const messageWire = wireCodec(messageRecord, { omit: ['idempotencyKey'] });

/** The `Idempotency-Key` header, checked as the body's `idempotency_key` would be; null when absent. */
function idempotencyKeyHeader(request: Request): string | null {
  const value = request.headers.get('idempotency-key');
  if (value === null) return null;
  try {
    return parseInput(idempotencyKey, value);
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new HttpError(422, error.issues.map((i) => ({ loc: ['header', 'idempotency-key'], msg: i.message, type: 'value_error' })));
    }
    throw error;
  }
}

export function historyRoutes({ config }: RouteDeps): Route[] {
  const sizes = wholeByDefault(config.maxPageSize);
  const listQuery = sessionIdQuery.extend({ ...pagingQuery(sizes).shape, afterSeq: queryInt(0, Number.MAX_SAFE_INTEGER).optional() });
  return [
    {
      // A client's own `id` (msg_…) or an Idempotency-Key header makes the append safe to repeat:
      // a repeat answers the message stored the first time (docs/concurrency.md).
      method: 'POST',
      path: '/storage/history',
      handler: async (req) => {
        const key = idempotencyKeyHeader(req.request);
        const input = parseWire(addMessageInput, await req.body(), 'body');
        if (key !== null && input.idempotencyKey != null && input.idempotencyKey !== key) {
          throw new HttpError(422, [{ loc: ['body', 'idempotency_key'], msg: 'differs from the Idempotency-Key header', type: 'value_error' }]);
        }
        return json(200, messageWire.toWire(await req.storage.history.add({ ...input, idempotencyKey: key ?? input.idempotencyKey })));
      },
    },
    {
      // The whole conversation in order (up to MAX_PAGE_SIZE messages) unless `limit`/`offset` page
      // it; an unknown session has none. `after_seq` starts after that position (e.g. the last seq a
      // client has seen).
      method: 'GET',
      path: '/storage/history',
      handler: async (req) => {
        const { sessionId, limit, offset, afterSeq } = parseWire(listQuery, queryObject(req.query), 'query');
        // Built as JSON by the store: no record per row on the way (see HistoryStore.json).
        const page = await req.storage.history.json(sessionId, { after: afterSeq, limit: limit ?? sizes.default, offset }, messageWire.fields);
        if (limit !== undefined) return jsonText(200, page);
        // Cut short by the ceiling? As for the other lists (readListPage) a Link header says so; the
        // JSON is the database's, so one more message is looked for by a one-row read instead.
        const next = (offset ?? 0) + sizes.default;
        const beyond = await req.storage.history.json(sessionId, { after: afterSeq, limit: 1, offset: next }, [['seq', 'seq']]);
        return jsonText(200, page, beyond === '[]' ? {} : nextPageLink(req.request, next));
      },
    },
    {
      method: 'DELETE',
      path: '/storage/history',
      handler: async (req) => {
        const { sessionId } = parseWire(sessionIdQuery, queryObject(req.query), 'query');
        const deleted = await req.storage.history.clear(sessionId);
        return json(200, { status: 'cleared', session_id: sessionId, deleted });
      },
    },
  ];
}
