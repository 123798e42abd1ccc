import type { ApiKeyScope } from '../domain/records.js';

/**
 * Scopes declared on fields, as Pothos field extensions; the one check that reads them is
 * `useScopes` (http/auth.ts), before anything runs. A root field without one needs `read` (queries,
 * subscriptions) or `write` (mutations); a field below the root needs only what it declares.
 */
export const requires = (scope: ApiKeyScope) => ({ requiredScope: scope }) as const;

/**
 * For a field that reads records other than the one it belongs to (a relation: a session's history,
 * state, artifacts, metrics, forks and parent; a message's session). A mutation returns what it
 * wrote; reading more through its result needs `read`, as a query would.
 */
export const READS_OTHER_RECORDS = requires('read');
