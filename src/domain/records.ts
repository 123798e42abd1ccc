import type { Json, JsonObject } from './json.js';

/**
 * Domain records: camelCase, shared by both doors and every backend.
 * Timestamps are ISO 8601 UTC strings with millisecond precision (`Date#toISOString`), which sort
 * lexicographically in time order.
 */

export const SESSION_STATUSES = ['active', 'paused', 'ended'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const MESSAGE_ROLES = ['user', 'assistant', 'system', 'tool'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

export interface Session {
  id: string;
  agentName: string;
  userId: string | null;
  status: SessionStatus;
  createdAt: string;
  updatedAt: string;
  metadata: JsonObject;
  /**
   * The session this one was forked from; null for a session that is not a fork, and for a fork
   * whose parent has since been deleted (deleting a parent leaves its forks alone).
   */
  parentId: string | null;
  /**
   * The parent's message the fork was cut at (its history was copied up to and including it); kept
   * as a record of where the fork came from even when that message or its session is gone.
   */
  forkedFromMessageId: string | null;
  /**
   * When the session expires (retention): from then on it reads as if it did not exist — 404 by
   * id, absent from lists and counts, its history, state, artifacts and forks unreachable through
   * it, writes to it refused — until the sweeper deletes it. Null: it never expires.
   */
  expiresAt: string | null;
}

export interface Message {
  id: string;
  sessionId: string;
  /** Position in the session's conversation, 1-based, gap-free at insertion: the order of record. */
  seq: number;
  role: MessageRole;
  content: string;
  timestamp: string;
  metadata: JsonObject;
  /**
   * The client's key for this append, unique within the session: sending the same append again
   * (a retry) answers this message instead of storing another. Null when none was given.
   */
  idempotencyKey: string | null;
}

export interface State {
  sessionId: string;
  data: Json;
  updatedAt: string;
  /**
   * 1 when the state is created, one more on every write: what compare-and-set compares. A deleted
   * state starts again at 1 when it is set again.
   */
  version: number;
}

export interface Artifact {
  id: string;
  sessionId: string;
  name: string;
  type: string;
  path: string;
  size: number;
  createdAt: string;
  metadata: JsonObject;
}

export interface Metric {
  id: string;
  entityType: string;
  entityName: string;
  sessionId: string | null;
  metricName: string;
  value: number;
  timestamp: string;
  labels: JsonObject;
}

export interface CacheEntry {
  key: string;
  value: Json;
  /** Seconds from `createdAt` until the entry expires; null means it never does. */
  ttl: number | null;
  createdAt: string;
  accessedAt: string;
  expiresAt: string | null;
}

export const API_KEY_SCOPES = ['read', 'write', 'admin'] as const;
/** `read`: every read; `write`: every write; `admin`: managing the API keys of its tenant. */
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** An API key as stored and listed: never the secret itself (only its hash is kept). */
export interface ApiKey {
  id: string;
  /** Whose data the key reads and writes: every record belongs to exactly one tenant. */
  tenant: string;
  /** The holder's label for it, e.g. "billing agent" (optional). */
  name: string | null;
  scopes: ApiKeyScope[];
  createdAt: string;
  revokedAt: string | null;
}
