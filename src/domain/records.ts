import { z } from 'zod';
import type { Json, JsonObject } from './json.js';

/**
 * Domain records: camelCase, shared by every door and every store, each described once here as a
 * zod schema (its type is the schema's output). The schemas state what a stored record always is —
 * types, enums, nullability — cheaply enough to check every row read back (`db/codec.ts`) and every
 * record read from a bundle; the rules of what a client may *send* (lengths, JSON depth, ids) are
 * the input schemas of `domain/inputs.ts`.
 * Timestamps are ISO 8601 UTC strings with millisecond precision (`Date#toISOString`), which sort
 * lexicographically in time order.
 */

export const SESSION_STATUSES = ['active', 'paused', 'ended'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const MESSAGE_ROLES = ['user', 'assistant', 'system', 'tool'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

export const API_KEY_SCOPES = ['read', 'write', 'admin'] as const;
/** `read`: every read; `write`: every write; `admin`: managing the API keys of its tenant. */
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** A JSON object as stored: the full check (depth, plain values) was made when it was written. */
const storedObject = z.custom<JsonObject>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), { message: 'must be a JSON object' });
/** Any JSON value as stored. */
const storedJson = z.custom<Json>((v) => v !== undefined, { message: 'must be a JSON value' });
const time = z.string();
const count = z.number().int().nonnegative();

export const sessionRecord = z.object({
  id: z.string(),
  agentName: z.string(),
  userId: z.string().nullable(),
  status: z.enum(SESSION_STATUSES),
  createdAt: time,
  updatedAt: time,
  metadata: storedObject,
  /**
   * The session this one was forked from; null for a session that is not a fork, and for a fork
   * whose parent has since been deleted (deleting a parent leaves its forks alone).
   */
  parentId: z.string().nullable(),
  /**
   * The parent's message the fork was cut at (its history was copied up to and including it); kept
   * as a record of where the fork came from even when that message or its session is gone.
   */
  forkedFromMessageId: z.string().nullable(),
  /**
   * When the session expires (retention): from then on it reads as if it did not exist — 404 by
   * id, absent from lists and counts, its history, state, artifacts and forks unreachable through
   * it, writes to it refused — until the sweeper deletes it. Null: it never expires.
   */
  expiresAt: time.nullable(),
});
export type Session = z.output<typeof sessionRecord>;

export const messageRecord = z.object({
  id: z.string(),
  sessionId: z.string(),
  /** Position in the session's conversation, 1-based, gap-free at insertion: the order of record. */
  seq: count,
  role: z.enum(MESSAGE_ROLES),
  content: z.string(),
  /**
   * A structured item (a tool call, its output, a reasoning item, a UI message with parts) kept
   * exactly as the client sent it, beside `content` (its text); null for a plain message.
   */
  item: storedJson.nullable(),
  timestamp: time,
  metadata: storedObject,
  /**
   * The client's key for this append, unique within the session: sending the same append again
   * (a retry) answers this message instead of storing another. Null when none was given.
   */
  idempotencyKey: z.string().nullable(),
  /**
   * How many tokens the message is, as the client counted it or, when asked to, the server
   * estimated it (modules/history/tokens.ts); null when not known.
   */
  tokenCount: count.nullable(),
});
export type Message = z.output<typeof messageRecord>;

export const stateRecord = z.object({
  sessionId: z.string(),
  data: storedJson,
  updatedAt: time,
  /**
   * 1 when the state is created, one more on every write: what compare-and-set compares. A deleted
   * state starts again at 1 when it is set again.
   */
  version: count,
});
export type State = z.output<typeof stateRecord>;

export const artifactRecord = z.object({
  id: z.string(),
  sessionId: z.string(),
  name: z.string(),
  type: z.string(),
  path: z.string(),
  size: count,
  createdAt: time,
  metadata: storedObject,
});
export type Artifact = z.output<typeof artifactRecord>;

/** One version of an artifact's bytes (modules/artifacts/content-store.ts); the bytes are the blob `sha256`. */
export const artifactContentRecord = z.object({
  artifactId: z.string(),
  /** 0, 1, 2, … in the order saved; never reused. */
  version: count,
  /** Lower-case hex: the blob's name, and the download's ETag. */
  sha256: z.string(),
  size: count,
  contentType: z.string(),
  createdAt: time,
});
export type ArtifactContent = z.output<typeof artifactContentRecord>;

export const metricRecord = z.object({
  id: z.string(),
  entityType: z.string(),
  entityName: z.string(),
  sessionId: z.string().nullable(),
  metricName: z.string(),
  value: z.number(),
  timestamp: time,
  labels: storedObject,
});
export type Metric = z.output<typeof metricRecord>;

export const cacheEntryRecord = z.object({
  key: z.string(),
  value: storedJson,
  /** Seconds from `createdAt` until the entry expires; null means it never does. */
  ttl: count.nullable(),
  createdAt: time,
  accessedAt: time,
  expiresAt: time.nullable(),
});
export type CacheEntry = z.output<typeof cacheEntryRecord>;

/**
 * An item of the long-term memory store (LangGraph's `Item`): a JSON object under a key in a
 * hierarchical namespace, optionally expiring `ttlMinutes` after it was written or last read with
 * a refresh (see modules/memory).
 */
export const memoryItemRecord = z.object({
  namespace: z.array(z.string()),
  key: z.string(),
  value: storedObject,
  createdAt: time,
  updatedAt: time,
  /** Minutes (fractions allowed) from a write, or a refreshing read, to expiry; null: never expires. */
  ttlMinutes: z.number().positive().nullable(),
  expiresAt: time.nullable(),
});
export type MemoryItem = z.output<typeof memoryItemRecord>;

/** An API key as stored and listed: never the secret itself (only its hash is kept). */
export const apiKeyRecord = z.object({
  id: z.string(),
  /** Whose data the key reads and writes: every record belongs to exactly one tenant. */
  tenant: z.string(),
  /** The holder's label for it, e.g. "billing agent" (optional). */
  name: z.string().nullable(),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  createdAt: time,
  revokedAt: time.nullable(),
});
export type ApiKey = z.output<typeof apiKeyRecord>;
