import type { AgentStorageClient } from '../../client/client.js';
import { AgentStorageError } from '../../client/errors.js';
import type { Session as StoredSession } from '../../client/resources.js';

/**
 * Where ADK's keys live among the service's sessions, for the session service and the artifact
 * service alike: an ADK session is a service session (agentName = appName, userId = userId) found
 * by its id, or by the id the caller chose, kept in its metadata; what belongs to an app or to an
 * (app, user) rather than to one session (`app:`/`user:` state, `user:` artifacts) is held by
 * holder sessions with reserved agent names.
 */

const APP_HOLDER = 'adk-app:';
const USER_HOLDER = 'adk-user:';
/** The service's page ceiling is at least this (MAX_PAGE_SIZE defaults higher): sessions are listed a page at a time. */
export const PAGE = 100;

/** The ADK id of a stored session: the id the caller chose, else the service's own. */
export function adkIdOf(session: StoredSession): string {
  const adk = (session.metadata as { adk?: { sessionId?: unknown } }).adk;
  return typeof adk?.sessionId === 'string' ? adk.sessionId : session.id;
}

/** The stored session behind an ADK session key, or undefined. */
export async function findSession(client: AgentStorageClient, appName: string, userId: string, sessionId: string): Promise<StoredSession | undefined> {
  const matches = (s: StoredSession) => s.agentName === appName && (s.userId ?? '') === userId;
  if (sessionId.startsWith('session_')) {
    const stored = await client.sessions.get(sessionId).catch((error: unknown) => {
      // A caller's id that is not one of the service's is refused as input: look it up instead.
      if (error instanceof AgentStorageError && (error.code === 'BAD_USER_INPUT' || error.code === 'NOT_FOUND')) return null;
      throw error;
    });
    if (stored && matches(stored) && adkIdOf(stored) === sessionId) return stored;
  }
  // An id the caller chose: in the metadata of one of the (app, user)'s sessions.
  for (let after: string | null | undefined; ; ) {
    const page = await client.sessions.list({ agentName: appName, userId, first: PAGE, after });
    const found = page.nodes.find((s) => matches(s) && adkIdOf(s) === sessionId);
    if (found) return found;
    if (!page.pageInfo.hasNextPage) return undefined;
    after = page.pageInfo.endCursor;
  }
}

/** The holders of an app's state (`agentName` `adk-app:<appName>`) or of a user's (`adk-user:<appName>`, the user). */
export interface Scope {
  agentName: string;
  userId?: string;
}

export const appScope = (appName: string): Scope => ({ agentName: APP_HOLDER + appName });
export const userScope = (appName: string, userId: string): Scope => ({ agentName: USER_HOLDER + appName, userId });

/**
 * A scope's holder sessions, oldest first: the oldest is the one in use; younger ones are left by
 * processes that raced to create the first.
 */
export async function listHolders(client: AgentStorageClient, scope: Scope): Promise<StoredSession[]> {
  // Newest first: the oldest are on the last page.
  const page = await client.sessions.list({ agentName: scope.agentName, ...(scope.userId !== undefined && { userId: scope.userId }), last: PAGE });
  const holders = page.nodes.filter((s) => scope.userId !== undefined || s.userId == null);
  return holders.sort((a, b) => Date.parse(a.createdAt as string) - Date.parse(b.createdAt as string) || a.id.localeCompare(b.id));
}

/** Creates a holder session for the scope (the caller then lists the holders and takes the oldest). */
export async function createHolder(client: AgentStorageClient, scope: Scope): Promise<void> {
  await client.sessions.create({
    agentName: scope.agentName,
    ...(scope.userId !== undefined && { userId: scope.userId }),
    metadata: { adk: { holds: scope.userId === undefined ? 'app state' : 'user state' } },
  });
}
