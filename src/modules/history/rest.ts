import { z } from 'zod';
import { addMessageInput, idempotencyKey, LIMITS, newMessagesInput, onConflictInput, parseInput, rewriteHistoryInput } from '../../domain/inputs.js';
import { ValidationError } from '../../domain/errors.js';
import { wholeByDefault } from '../../domain/paging.js';
import { messageRecord } from '../../domain/records.js';
import { snakeToCamel, wireCodec } from '../../domain/wire.js';
import type { HistoryVersion } from './store.js';
import type { SupersededMessage } from './superseded.js';
import { HttpError, json, jsonText, parseWire, queryObject, taggedJsonText } from '../../rest/http.js';
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

/** A superseded message on the REST wire: the message as it was, and when and why it was taken out. */
function supersededToWire(s: SupersededMessage) {
  return { message: messageWire.toWire(s.message), superseded_at: s.supersededAt, reason: s.reason, operation_id: s.operationId, entry: s.entry };
}

/** A JSON object body without the member `name`, and that member's value. */
function takeMember(body: unknown, name: string): [unknown, unknown] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [body, undefined];
  const { [name]: value, ...rest } = body as Record<string, unknown>;
  return [rest, value];
}

/** Nested message objects of a body, with their wire names (snake_case) as the domain's. */
function messagesToDomainNames(messages: unknown): unknown {
  if (!Array.isArray(messages)) return messages;
  return messages.map((m) =>
    m !== null && typeof m === 'object' && !Array.isArray(m)
      ? Object.fromEntries(Object.entries(m).filter(([key]) => !/[A-Z]/.test(key)).map(([key, value]) => [snakeToCamel(key), value]))
      : m,
  );
}

/**
 * A whole history's strong ETag: its version (cache.ts), which changes with every change of the
 * history, so equal tags are equal bytes (the session is in the URL, the fields are the wire's).
 */
const historyEtag = ({ epoch, lastSeq }: HistoryVersion) => `"h.${epoch.toString(36)}.${lastSeq}"`;

/** The version an `If-None-Match` names, if it names one of ours: the read then needs no more than it. */
function knownVersion(header: string | null): HistoryVersion | undefined {
  for (const tag of header?.split(',') ?? []) {
    const match = /^(?:W\/)?"h\.([0-9a-z]{1,11})\.(\d{1,16})"$/.exec(tag.trim());
    if (match) return { epoch: parseInt(match[1]!, 36), lastSeq: Number(match[2]) };
  }
  return undefined;
}

export function historyRoutes({ config }: RouteDeps): Route[] {
  const sizes = wholeByDefault(config.maxPageSize);
  const listQuery = sessionIdQuery.extend({
    ...pagingQuery(sizes).shape,
    afterSeq: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
    maxTokens: queryInt(0, LIMITS.maxTokens).optional(),
    last: queryInt(1, sizes.max).optional(),
  });
  const supersededQuery = sessionIdQuery.extend({ ...pagingQuery(sizes).shape, afterEntry: queryInt(0, Number.MAX_SAFE_INTEGER).optional() });
  const appendOptions = z.object({ onConflict: onConflictInput.optional(), countTokens: z.boolean().optional() });
  const batchBody = appendOptions.extend({ sessionId: sessionIdQuery.shape.sessionId, messages: newMessagesInput });
  return [
    {
      // A client's own `id` (msg_…) or an Idempotency-Key header makes the append safe to repeat:
      // a repeat answers the message stored the first time (docs/concurrency.md).
      method: 'POST',
      path: '/storage/history',
      handler: async (req) => {
        const key = idempotencyKeyHeader(req.request);
        // `on_conflict` and `count_tokens` say how to append the message, they are not part of it.
        const [body, onConflict] = takeMember(await req.body(), 'on_conflict');
        const [message, countTokens] = takeMember(body, 'count_tokens');
        const options = parseWire(appendOptions, { on_conflict: onConflict, count_tokens: countTokens }, 'body');
        const input = parseWire(addMessageInput, message, 'body');
        if (key !== null && input.idempotencyKey != null && input.idempotencyKey !== key) {
          throw new HttpError(422, [{ loc: ['body', 'idempotency_key'], msg: 'differs from the Idempotency-Key header', type: 'value_error' }]);
        }
        return json(200, messageWire.toWire(await req.storage.history.add({ ...input, idempotencyKey: key ?? input.idempotencyKey }, options)));
      },
    },
    {
      // Appends messages in order, all or nothing, as GraphQL's addMessages: {"session_id", "messages":
      // [...], "on_conflict"?, "count_tokens"?} -> the messages stored (or, for repeats, stored before).
      method: 'POST',
      path: '/storage/history/batch',
      handler: async (req) => {
        const [rest, messages] = takeMember(await req.body(), 'messages');
        const body = rest === null || typeof rest !== 'object' ? rest : { ...rest, messages: messagesToDomainNames(messages) };
        const { sessionId, messages: inputs, onConflict, countTokens } = parseWire(batchBody, body, 'body');
        const added = await req.storage.history.addMany(sessionId, inputs, { onConflict, countTokens });
        return json(200, added.map((m) => messageWire.toWire(m)));
      },
    },
    {
      // Takes the last message out, atomically (kept as superseded): {"message": …}, or null when the history is empty.
      method: 'POST',
      path: '/storage/history/pop',
      handler: async (req) => {
        const { sessionId } = parseWire(sessionIdQuery, queryObject(req.query), 'query');
        const message = await req.storage.history.pop(sessionId);
        return json(200, { message: message && messageWire.toWire(message) });
      },
    },
    {
      // Replaces the last `replace_last` messages, compare-and-set on `expected_last_seq` (and
      // `expected_items`), once per `operation_id` (docs/concurrency.md).
      method: 'POST',
      path: '/storage/history/rewrite',
      handler: async (req) => {
        const [body, sessionId] = takeMember(await req.body(), 'session_id');
        const { sessionId: id } = parseWire(sessionIdQuery, { session_id: sessionId }, 'body');
        const [rest, messages] = takeMember(body, 'messages');
        const input = parseWire(rewriteHistoryInput, rest === null || typeof rest !== 'object' ? rest : { ...rest, messages: messagesToDomainNames(messages) }, 'body');
        const result = await req.storage.history.rewrite(id, input);
        return json(200, {
          operation_id: result.operationId,
          replayed: result.replayed,
          superseded_ids: result.supersededIds,
          messages: result.messages.map((m) => messageWire.toWire(m)),
        });
      },
    },
    {
      // What pops, rewrites and replacements took out of the history, in that order; pages as the
      // history does (`limit`/`offset`, a Link when the default cut it short), or on from `after_entry`.
      method: 'GET',
      path: '/storage/history/superseded',
      handler: async (req) => {
        const { sessionId, limit, offset, afterEntry } = parseWire(supersededQuery, queryObject(req.query), 'query');
        const page = await req.storage.history.superseded(sessionId, { after: afterEntry, limit: (limit ?? sizes.default) + 1, offset });
        const more = limit === undefined && page.length > sizes.default;
        return json(200, page.slice(0, limit ?? sizes.default).map(supersededToWire), more ? nextPageLink(req.request, (offset ?? 0) + sizes.default) : {});
      },
    },
    {
      // The whole conversation in order (up to MAX_PAGE_SIZE messages) unless `limit`/`offset` page
      // it; an unknown session has none. `after_seq` starts after that position (e.g. the last seq a
      // client has seen).
      method: 'GET',
      path: '/storage/history',
      handler: async (req) => {
        const { sessionId, limit, offset, afterSeq, maxTokens, last } = parseWire(listQuery, queryObject(req.query), 'query');
        if (last !== undefined) {
          // The newest `last` messages, in order: a conversation's tail, what an agent reads before each turn.
          if (limit !== undefined || offset !== undefined || afterSeq !== undefined || maxTokens !== undefined) {
            throw new HttpError(422, [{ loc: ['query', 'last'], msg: 'cannot be combined with limit, offset, after_seq or max_tokens', type: 'value_error' }]);
          }
          // Unlike the whole history's `[]`, a tail tells a session that is not there (404) from an
          // empty one. Tagged with the history's version, as the whole history is: an agent that
          // re-reads its conversation gets a 304 while nobody else changed it.
          const known = knownVersion(req.request.headers.get('if-none-match'));
          const tail = await req.storage.history.last(sessionId, last, messageWire.fields, known);
          return taggedJsonText(req.request, tail.json, historyEtag(tail.version));
        }
        if (maxTokens !== undefined) {
          // A budget read: the newest messages that fit in `max_tokens` (docs/search.md, "Token budgets").
          if (limit !== undefined || offset !== undefined || afterSeq !== undefined) {
            throw new HttpError(422, [{ loc: ['query', 'max_tokens'], msg: 'cannot be combined with limit, offset or after_seq', type: 'value_error' }]);
          }
          return json(200, (await req.storage.history.latestWithinTokens(sessionId, maxTokens)).map((m) => messageWire.toWire(m)));
        }
        if (limit === undefined && offset === undefined && afterSeq === undefined) {
          // The common read, the whole history: through the history cache, with an ETag.
          const known = knownVersion(req.request.headers.get('if-none-match'));
          const whole = await req.storage.history.whole(sessionId, messageWire.fields, sizes.default, known);
          if (whole === 'absent') return jsonText(200, '[]');
          if (whole !== 'too-long') return taggedJsonText(req.request, whole.json, historyEtag(whole.version));
        }
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
      // A session's tokens in all: the counts known plus the estimate for messages without one.
      method: 'GET',
      path: '/storage/history/tokens',
      handler: async (req) => {
        const { sessionId } = parseWire(sessionIdQuery, queryObject(req.query), 'query');
        const total = (await req.storage.history.tokenTotals([sessionId])).get(sessionId)!;
        return json(200, { session_id: sessionId, token_count: total.tokens, messages: total.messages, estimated_messages: total.estimatedMessages });
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
