import { AgentStorageClient, AgentStorageError } from '../../client/index.js';
import { ConsoleProbeDocument } from '../gql/graphql.js';

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
  // A person is waiting: one quick retry at most, then the error is shown.
  return new AgentStorageClient({ url: location.origin, ...(apiKey ? { apiKey } : {}), retry: { maxAttempts: 2 } });
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

/** An error as a sentence for the page (the code tells what kind; the request id finds it in the log). */
export function describe(error: unknown): string {
  if (error instanceof AgentStorageError) {
    const id = error.requestId ? ` (request ${error.requestId})` : '';
    return `${error.code}: ${error.message}${id}`;
  }
  return error instanceof Error ? error.message : String(error);
}
