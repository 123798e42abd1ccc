import { AgentStorageError, isTransient } from './errors.js';
import { nextDelay, type RetryOptions, retryPolicy, sleep } from './retry.js';
import { SseParser, type SseMessage } from './sse.js';
import { networkError, type Operation, resultOf, type Transport } from './transport.js';

/**
 * The change feed as an async iterator: a GraphQL subscription over SSE that, when its connection
 * drops (or the server ends it, as it does on shutdown), opens a new one after the cursor of the
 * last event it delivered — the server replays from there, so nothing is missed or repeated.
 */

export interface EventStreamOptions {
  /** Start after this event's `cursor` (replayed from the server, then live). Default: only new events. */
  after?: string;
  /** Ends the iteration (quietly: the loop just stops). `break` does the same. */
  signal?: AbortSignal;
  /**
   * Reconnecting: how many connection attempts in a row may fail or be refused (and for how long)
   * before the iterator throws the last failure; over the client's policy. A delivered event, or a
   * stream that was open until it dropped, starts the count again. `false`: never reconnect.
   */
  retry?: RetryOptions | false;
  /**
   * Called each time a connection's answer arrives. When the server accepted the subscription, the
   * stream is live from then on: events written afterwards will come. (A refusal arrives as the
   * stream's first message, and is thrown or retried; pass `after` to be exact across it.)
   */
  onConnect?: () => void;
}

/** An event as the stream yields it: every event type has a cursor. */
interface Positioned {
  cursor: string;
}

/** The messages of an SSE body, as they arrive; a broken connection is a NETWORK_ERROR. */
async function* sseMessages(response: Response, signal: AbortSignal): AsyncGenerator<SseMessage> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw networkError(error, signal, 'The event stream broke off', response);
      }
      if (chunk.done) return;
      yield* parser.push(decoder.decode(chunk.value, { stream: true }));
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** The stream ended without an error (the server completed it, e.g. while shutting down): reconnect. */
function ended(): AgentStorageError {
  return new AgentStorageError({ code: 'NETWORK_ERROR', message: 'The service ended the event stream' });
}

export interface FeedQuery<R, E> {
  operation: Operation;
  /** The subscription's variables for a start after `after`. */
  variables(after: string | undefined): unknown;
  /** The event out of a result's data. */
  event(data: R): E;
}

export async function* eventStream<R, E extends Positioned>(
  transport: Transport,
  feed: FeedQuery<R, E>,
  options: EventStreamOptions = {},
): AsyncGenerator<E, void, undefined> {
  const policy = retryPolicy(options.retry, transport.retry);
  // One controller for the whole iteration: the caller's abort, `break` and a thrown error all end
  // the connection that is open at the time.
  const controller = new AbortController();
  const stop = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) return;
  options.signal?.addEventListener('abort', stop, { once: true });
  let cursor = options.after;
  // Failures in a row: connections that could not be opened, or that the server refused at once
  // (UNAVAILABLE, RATE_LIMITED: too many streams). A stream that was open and then dropped is no
  // such failure: it is reopened after the first backoff step, however often that happens.
  let failures = 0;
  let failingSince = 0;
  try {
    for (;;) {
      let opened = false;
      try {
        const response = await transport.subscribe(feed.operation, feed.variables(cursor), { signal: controller.signal });
        opened = true;
        options.onConnect?.();
        for await (const message of sseMessages(response, controller.signal)) {
          if (message.event === 'complete') break;
          if (message.event !== 'next') continue;
          let payload: unknown;
          try {
            payload = JSON.parse(message.data);
          } catch {
            throw new AgentStorageError({ code: 'BAD_RESPONSE', message: 'An event of the stream is not JSON', status: response.status });
          }
          const event = feed.event(resultOf<R>(payload, response));
          cursor = event.cursor;
          failures = 0;
          yield event;
        }
        throw ended();
      } catch (error) {
        if (controller.signal.aborted) return;
        if (!isTransient(error)) throw error;
        if (opened && error.code === 'NETWORK_ERROR') failures = 0; // dropped: a fresh start
        if (failures++ === 0) failingSince = Date.now();
        const delay = nextDelay(policy, error, failures, Date.now() - failingSince);
        if (delay === null) throw error;
        await sleep(delay, controller.signal).catch(() => {});
        if (controller.signal.aborted) return;
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', stop);
    controller.abort();
  }
}
