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
}

export interface State {
  sessionId: string;
  data: Json;
  updatedAt: string;
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
