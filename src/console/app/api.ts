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

export function clientFor(apiKey: string | null): AgentStorageClient {
  return new AgentStorageClient({
    url: location.origin,
    ...(apiKey ? { apiKey } : {}),
    // Its operations (src/console/gql/) by their sha256 alone: this service knows them whatever
    // its PERSISTED_OPERATIONS, `only` included (src/http/graphql-persisted.ts).
    persistedOperations: 'hash',
    // A person is waiting: one quick retry at most, then the error is shown.
    retry: { maxAttempts: 2 },
  });
}

export type Probe = { ok: true; client: AgentStorageClient } | { ok: false; message: string };

/**
 * Tries `apiKey` (or none) with the smallest read: the key is kept only if the service takes it and
 * it may read. Without a key, a success means the service runs without authentication (no prompt).
 */
export async function probe(apiKey: string | null): Promise<Probe> {
  const client = clientFor(apiKey);
  try {
    await client.request(ConsoleProbeDocument);
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
