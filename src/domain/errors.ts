/**
 * The few expected failures of the service. Each door maps them once (REST: status + `detail`;
 * GraphQL: `extensions.code`); anything else is an unexpected error and is masked.
 */
export type Resource = 'Session' | 'Message' | 'State' | 'Artifact' | 'Artifact content' | 'Artifact version' | 'Metric' | 'Cache entry' | 'API key' | 'Memory item' | 'Thread' | 'Source thread' | 'Checkpoint' | 'Entity';

export interface FieldIssue {
  /** Where the problem is, e.g. `['role']` or `['messages', 3, 'content']` (domain, camelCase names). */
  path: (string | number)[];
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code:
    | 'NOT_FOUND'
    | 'BAD_USER_INPUT'
    | 'CONFLICT'
    | 'UNAVAILABLE'
    | 'INSUFFICIENT_STORAGE'
    | 'UNAUTHENTICATED'
    | 'FORBIDDEN'
    | 'RATE_LIMITED'
    | 'CURSOR_EXPIRED'
    | 'PAYLOAD_TOO_LARGE';
}

/** No credentials, or ones that do not open anything (unknown, revoked, malformed key). */
export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED';
}

/** Valid credentials that do not allow this (a missing scope, another tenant's keys). */
export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
}

/**
 * The key (or its tenant) has used up its share: of requests (the next is allowed after
 * `retryAfterSeconds`), or of open event streams (one must end first).
 */
export class RateLimitedError extends DomainError {
  readonly code = 'RATE_LIMITED';
  constructor(
    readonly retryAfterSeconds: number,
    message = `Too many requests for this API key: retry after ${retryAfterSeconds} s`,
  ) {
    super(message);
  }
}

/** A request body larger than MAX_BODY_BYTES (counted by http/body-limit.ts, for both doors). */
export class PayloadTooLargeError extends DomainError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  constructor(readonly maxBytes: number) {
    super(`Request body is larger than ${maxBytes} bytes`);
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(readonly resource: Resource) {
    super(`${resource} not found`);
  }
}

export class ValidationError extends DomainError {
  readonly code = 'BAD_USER_INPUT';
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
  }
}

export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
}

/** The backend cannot serve the request right now (locked, unreachable, read-only); retrying may help. */
export class UnavailableError extends DomainError {
  readonly code = 'UNAVAILABLE';
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
  }
}

/**
 * The database has no room for the write (disk or quota full). Nothing of the write was kept, reads
 * still work, and the same write succeeds once space is freed.
 */
export class InsufficientStorageError extends DomainError {
  readonly code = 'INSUFFICIENT_STORAGE';
  constructor(
    message = 'The database has no space left for this write',
    readonly retryAfterSeconds = 30,
  ) {
    super(message);
  }
}

/**
 * A history rewrite's operation id was already used for another request: not a race to retry, a
 * different operation (GraphQL says so with `extensions.operationReused`).
 */
export class OperationReusedError extends ConflictError {
  constructor(readonly operationId: string) {
    super(`Operation ${JSON.stringify(operationId)} was already applied to this session with a different request`);
  }
}

/**
 * A compare-and-set lost: the state is not at the version the writer expected (someone else wrote
 * first). `expectedVersion` is a version (0: no state), or `existing` for any state at all.
 * `currentVersion` is the state's version now, 0 when the session has no state; the writer
 * re-reads and tries again.
 */
export class VersionConflictError extends ConflictError {
  constructor(
    readonly expectedVersion: number | 'existing',
    readonly currentVersion: number,
  ) {
    const expected =
      expectedVersion === 'existing' ? 'a state' : expectedVersion === 0 ? 'no state' : `version ${expectedVersion}`;
    const current = currentVersion === 0 ? 'the session has no state' : `the state is at version ${currentVersion}`;
    super(`State version mismatch: expected ${expected}, but ${current}`);
  }
}

/**
 * A change-feed cursor older than the retention window: events after it have been pruned, so
 * resuming from it would silently skip them. The client starts over (without a cursor) instead.
 */
export class CursorExpiredError extends DomainError {
  readonly code = 'CURSOR_EXPIRED';
  constructor() {
    super('The cursor is older than the event retention window: events after it were pruned; subscribe again without one');
  }
}
