import { AgentStorageClient, AgentStorageError, type EventStreamOptions } from '../../client/index.js';
import { ConsoleProbeDocument, ConsoleSessionEventsDocument } from '../gql/graphql.js';

/**
 * The console's connection to this service: the package's own client (src/client), on this origin,
 * with the key typed once and kept in the tab's session storage (gone when the tab closes; never
 * in local storage, cookies or URLs).
 */

const KEY = 'agent-storage.console.key';

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY);
}

/**
 * How the console sends its operations (src/console/gql/, each with its sha256): by hash, which a
 * service with PERSISTED_OPERATIONS=only accepts for the console's own (they are in its allow-list
 * whatever its manifest), or as text, which every other service wants.
 */
type Sending = 'hash' | 'text';

function clientFor(apiKey: string | null, sending: Sending): AgentStorageClient {
  // A person is waiting: one quick retry at most, then the error is shown.
  return new AgentStorageClient({
    url: location.origin,
    ...(apiKey ? { apiKey } : {}),
    ...(sending === 'hash' ? { persistedOperations: 'hash' as const } : {}),
    retry: { maxAttempts: 2 },
  });
}

/** The service does not take hashes (PERSISTED_OPERATIONS=off), or not these (apq, before anyone sent their texts). */
const WANTS_TEXT = new Set(['PERSISTED_QUERY_NOT_SUPPORTED', 'PERSISTED_QUERY_NOT_FOUND']);

export type Probe = { ok: true; client: AgentStorageClient } | { ok: false; message: string };

/**
 * Tries `apiKey` (or none) with the smallest read: the key is kept only if the service takes it and
 * it may read. Without a key, a success means the service runs without authentication (no prompt).
 * By hash first; a service that wants texts says so, and gets them from then on.
 */
export async function probe(apiKey: string | null): Promise<Probe> {
  let client = clientFor(apiKey, 'hash');
  try {
    try {
      await client.request(ConsoleProbeDocument);
    } catch (error) {
      if (!(error instanceof AgentStorageError && WANTS_TEXT.has(error.code))) throw error;
      client = clientFor(apiKey, 'text');
      await client.request(ConsoleProbeDocument);
    }
    if (apiKey) sessionStorage.setItem(KEY, apiKey);
    return { ok: true, client };
  } catch (error) {
    if (apiKey) forgetKey();
    if (error instanceof AgentStorageError && error.code === 'UNAUTHENTICATED') {
      return { ok: false, message: apiKey ? 'The service refused this key: it is unknown, revoked or mistyped.' : '' };
    }
    if (error instanceof AgentStorageError && error.code === 'FORBIDDEN') {
      return { ok: false, message: 'This key may not read (it lacks the "read" scope): the console needs one that may.' };
    }
    return { ok: false, message: describe(error) };
  }
}

/** A session's change feed, as the console selects it (one of its operations, sent as they all are). */
export function sessionEvents(client: AgentStorageClient, sessionId: string, options: EventStreamOptions) {
  return client.follow(ConsoleSessionEventsDocument, (after) => ({ sessionId, after }), (data) => data.sessionEvents, options);
}

/** An error as a sentence for the page (the code tells what kind; the request id finds it in the log). */
export function describe(error: unknown): string {
  if (error instanceof AgentStorageError) {
    const id = error.requestId ? ` (request ${error.requestId})` : '';
    return `${error.code}: ${error.message}${id}`;
  }
  return error instanceof Error ? error.message : String(error);
}
