import { ValidationError } from '../../domain/errors.js';
import type { Artifact, Message, Session, State } from '../../domain/records.js';

/** A session with everything of it: what a fork writes, and what the export/import CLI carries. */
export interface SessionBundle {
  session: Session;
  /** In `seq` order. */
  messages: readonly Message[];
  state: State | null;
  artifacts: readonly Artifact[];
}

/** The largest seq of a bundle's history (0 without messages): the `last_seq` its session is written with. */
export function lastSeqOf(messages: readonly Message[]): number {
  return messages.reduce((max, m) => Math.max(max, m.seq), 0);
}

/**
 * A session bundle's messages, state and artifacts must all belong to its session: an import
 * checks this before it writes anything, so no import can attach rows to another session, whoever
 * calls it.
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
