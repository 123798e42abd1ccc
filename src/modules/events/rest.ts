import { type DomainError, ValidationError } from '../../domain/errors.js';
import { encodeEventCursor, type FeedScope, type StoredEvent } from '../../domain/events.js';
import { callerOf } from '../../http/auth.js';
import { endReason, type EventStreams } from '../../http/event-streams.js';
import { artifactContentWire } from '../artifacts/content-rest.js';
import { artifactWire } from '../artifacts/rest.js';
import { messageWire } from '../history/rest.js';
import { HttpError } from '../../rest/http.js';
import { metricWire } from '../metrics/rest.js';
import { requireParam, type RestRequest, type Route, type RouteDeps } from '../../rest/routes.js';
import { sessionWire } from '../sessions/rest.js';
import { stateWire } from '../state/rest.js';

/**
 * An event in the REST wire format: snake_case, the records as the other REST routes show them.
 * `type` is the GraphQL type name (`MessageAdded`), also the SSE `event:` field.
 */
export function eventToWire(e: StoredEvent) {
  const base = { seq: e.seq, cursor: encodeEventCursor(e.seq), type: e.type, session_id: e.sessionId, agent_name: e.agentName, time: e.time };
  switch (e.type) {
    case 'SessionCreated':
    case 'SessionUpdated':
    case 'SessionDeleted':
      return { ...base, session: sessionWire.toWire(e.session) };
    case 'MessageAdded':
      return { ...base, message: messageWire.toWire(e.message) };
    case 'HistoryCleared':
      return { ...base, deleted: e.deleted };
    case 'MessagePopped':
    case 'MessageReplaced':
      return { ...base, message: messageWire.toWire(e.message) };
    case 'HistoryRewritten':
      return { ...base, operation_id: e.operationId, reason: e.reason, superseded_ids: e.supersededIds };
    case 'StateChanged':
      return { ...base, state: stateWire.toWire(e.state) };
    case 'StateDeleted':
      return base;
    case 'ArtifactCreated':
    case 'ArtifactDeleted':
      return { ...base, artifact: artifactWire.toWire(e.artifact) };
    case 'ArtifactContentSaved':
      return { ...base, content: artifactContentWire.toWire(e.content) };
    case 'ArtifactContentDeleted':
      return { ...base, artifact_id: e.artifactId, versions: e.versions };
    case 'MetricRecorded':
      return { ...base, metric: metricWire.toWire(e.metric) };
    case 'CheckpointPut':
      return { ...base, thread_id: e.threadId, namespace: e.namespace, checkpoint_id: e.checkpointId, parent_id: e.parentId, metadata: e.metadata };
    case 'CheckpointWritesPut':
      return { ...base, thread_id: e.threadId, namespace: e.namespace, checkpoint_id: e.checkpointId, task_id: e.taskId, count: e.count };
    case 'ThreadDeleted':
      return { ...base, thread_id: e.threadId };
  }
}

const encoder = new TextEncoder();

/** One SSE message: `id` is the cursor, so a reconnecting EventSource resumes with `Last-Event-ID`. */
function frame(e: StoredEvent): Uint8Array {
  return encoder.encode(`id: ${encodeEventCursor(e.seq)}\nevent: ${e.type}\ndata: ${JSON.stringify(eventToWire(e))}\n\n`);
}

/**
 * The last message of a stream the server ended (its key was revoked or may no longer read):
 * `event: error`, data `{"detail", "code"}` as in a refused request's body plus the code GraphQL
 * would give. No `id`: the client's `Last-Event-ID` stays its last event's cursor.
 */
function endFrame(reason: DomainError): Uint8Array {
  return encoder.encode(`event: error\ndata: ${JSON.stringify({ detail: reason.message, code: reason.code })}\n\n`);
}

export function eventRoutes({ config, streams }: RouteDeps & { streams: EventStreams }): Route[] {
  /** Takes a place among the server's streams, then streams the scope's events as SSE. */
  async function open(req: RestRequest, scope: FeedScope): Promise<Response> {
    const fromQuery = req.query.get('after');
    const fromHeader = req.request.headers.get('last-event-id');
    const after = fromQuery || fromHeader || null;
    const ticket = streams.admit(callerOf(req.request).principal);
    let stream;
    try {
      stream = await req.storage.events.subscribe(scope, after, { signal: ticket.signal, onFinish: ticket.release });
    } catch (error) {
      if (error instanceof ValidationError) {
        const loc = fromQuery ? ['query', 'after'] : ['header', 'last-event-id'];
        throw new HttpError(400, error.issues.map((i) => ({ loc, msg: i.message, type: 'value_error' })));
      }
      throw error;
    }
    return sseResponse(stream, ticket.signal, config.events.heartbeatMs);
  }

  return [
    {
      // Server-sent events of one session: replay after `?after=` (or `Last-Event-ID`), then live.
      method: 'GET',
      path: '/storage/sessions/:id/events',
      handler: (req) => open(req, { sessionId: requireParam(req.params, 'id') }),
    },
    {
      // The same for a LangGraph thread (modules/checkpoints/).
      method: 'GET',
      path: '/storage/threads/:id/events',
      handler: (req) => open(req, { threadId: requireParam(req.params, 'id') }),
    },
  ];
}

/**
 * The stream as `text/event-stream`, pulled at the client's pace (backpressure: a slow client
 * holds one page in memory, not the feed). A quiet stream gets a comment every `heartbeatMs`;
 * a client that goes away cancels the body, which ends the stream and frees its place. A stream
 * the server ends (`signal`) says why, if for a reason of the client's own, then closes.
 */
function sseResponse(stream: AsyncIterableIterator<StoredEvent>, signal: AbortSignal, heartbeatMs: number): Response {
  let pending: Promise<IteratorResult<StoredEvent>> | null = null;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // Sent at once: the client sees the response (and its status) before the first event.
      controller.enqueue(encoder.encode(': stream open\nretry: 1000\n\n'));
    },
    async pull(controller) {
      pending ??= stream.next();
      let timer: NodeJS.Timeout | undefined;
      const beat = new Promise<'beat'>((resolve) => {
        timer = setTimeout(() => resolve('beat'), heartbeatMs);
      });
      let result: IteratorResult<StoredEvent> | 'beat';
      try {
        result = await Promise.race([pending, beat]);
      } catch {
        // The database failed mid-stream: end it; the client resumes from its last id.
        controller.close();
        return;
      } finally {
        clearTimeout(timer);
      }
      if (result === 'beat') {
        controller.enqueue(encoder.encode(': heartbeat\n\n'));
        return;
      }
      pending = null;
      if (!result.done) {
        controller.enqueue(frame(result.value));
        return;
      }
      const reason = endReason(signal);
      if (reason) controller.enqueue(endFrame(reason));
      controller.close();
    },
    async cancel() {
      await stream.return?.();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' },
  });
}
