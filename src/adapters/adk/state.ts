/**
 * ADK's state scopes (`app:`, `user:`, `temp:` key prefixes, `State` of `@google/adk`), as its
 * DatabaseSessionService splits and merges them: a delta's `app:` keys go to the app's state,
 * `user:` keys to the user's, `temp:` keys nowhere, the rest to the session's; a session is read
 * with its own state plus the app's and the user's under their prefixes. (ADK exports neither
 * helper, so they are written here, to the same rules.)
 */

export const APP_PREFIX = 'app:';
export const USER_PREFIX = 'user:';
export const TEMP_PREFIX = 'temp:';

export type StateRecord = Record<string, unknown>;

export interface ScopedDeltas {
  app: StateRecord;
  user: StateRecord;
  session: StateRecord;
}

/**
 * A null-prototype copy: state keys come from callers (a dev server passes request bodies
 * through), and `__proto__` as an own key must stay a key, not re-parent the object.
 */
const record = (): StateRecord => Object.create(null) as StateRecord;

function put(target: StateRecord, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** A delta (or a new session's initial state) split by scope, `temp:` keys dropped. */
export function splitDelta(delta: StateRecord | undefined): ScopedDeltas {
  const scoped: ScopedDeltas = { app: record(), user: record(), session: record() };
  for (const [key, value] of Object.entries(delta ?? {})) {
    if (key.startsWith(APP_PREFIX)) put(scoped.app, key.slice(APP_PREFIX.length), value);
    else if (key.startsWith(USER_PREFIX)) put(scoped.user, key.slice(USER_PREFIX.length), value);
    else if (!key.startsWith(TEMP_PREFIX)) put(scoped.session, key, value);
  }
  return scoped;
}

/** The delta without its `temp:` keys (ADK's `trimTempDeltaState`: what is stored with the event). */
export function withoutTemp(delta: StateRecord): StateRecord {
  const kept = record();
  for (const [key, value] of Object.entries(delta)) if (!key.startsWith(TEMP_PREFIX)) put(kept, key, value);
  return kept;
}

/**
 * A session's state as ADK reads it: its own keys, then the app's and the user's under their
 * prefixes. (The records are fresh from the server on every read: nothing is shared to copy.)
 */
export function mergeScopes(app: StateRecord, user: StateRecord, session: StateRecord): StateRecord {
  const merged = record();
  for (const [key, value] of Object.entries(session)) put(merged, key, value);
  for (const [key, value] of Object.entries(app)) put(merged, APP_PREFIX + key, value);
  for (const [key, value] of Object.entries(user)) put(merged, USER_PREFIX + key, value);
  return merged;
}

/** `base` with `delta`'s keys set (ADK replaces a key's value whole: no deep merge, null is a value). */
export function applyDelta(base: StateRecord, delta: StateRecord): StateRecord {
  const next = record();
  for (const [key, value] of Object.entries(base)) put(next, key, value);
  for (const [key, value] of Object.entries(delta)) put(next, key, value);
  return next;
}

export const isEmpty = (delta: StateRecord) => Object.keys(delta).length === 0;
