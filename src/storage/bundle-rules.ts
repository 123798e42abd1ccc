import { ValidationError } from '../domain/errors.js';
import type { SessionBundle } from './backend.js';

/**
 * A session bundle's messages, state and artifacts must all belong to its session: every backend
 * checks this before `importSession` writes anything, so no import can attach rows to another
 * session, whoever calls it.
 */
export function checkSessionBundle({ session, messages, state, artifacts }: SessionBundle): void {
  const issues = [
    ...messages.map((m, i) => [m.sessionId, ['messages', i, 'sessionId']] as const),
    ...(state ? [[state.sessionId, ['state', 'sessionId']] as const] : []),
    ...artifacts.map((a, i) => [a.sessionId, ['artifacts', i, 'sessionId']] as const),
  ]
    .filter(([sessionId]) => sessionId !== session.id)
    .map(([, path]) => ({ path: [...path], message: `must be the bundle's session ${session.id}` }));
  if (issues.length) throw new ValidationError(issues);
}
