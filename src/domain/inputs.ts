import { z } from 'zod';
import { batchIssues } from './appends.js';
import { ValidationError } from './errors.js';
import { isWellFormedText, jsonObject, jsonValue } from './json.js';
import { API_KEY_SCOPES, MESSAGE_ROLES, SESSION_STATUSES } from './records.js';

/**
 * Input schemas shared by both doors: REST validates request bodies and query strings with them,
 * GraphQL validates arguments with them through @pothos/plugin-zod. Names are camelCase; the REST
 * door maps its snake_case wire names onto them.
 */

export const LIMITS = {
  /** Names, kinds and identifiers given by clients (agent names, user ids, metric names, ...). */
  shortText: 256,
  path: 4096,
  cacheKey: 1024,
  /** Messages in one `addMessages` call (all-or-nothing, one transaction). */
  batch: 1000,
  /** Longest cache TTL: ten years, in seconds. */
  ttlSeconds: 10 * 365 * 24 * 3600,
  /** A message's token count: far above any model's context, within a 32-bit integer column. */
  tokenCount: 1_000_000_000,
  /** The largest token budget of a read (`max_tokens`). */
  maxTokens: 1_000_000_000,
} as const;

const wellFormed = (schema: z.ZodString) =>
  schema.refine(isWellFormedText, { message: 'must be valid Unicode text (no lone surrogates)' });

/**
 * Names and identifiers: no NUL characters, which no database index treats well (PostgreSQL
 * text cannot hold them at all). Free text (`content`) and JSON values may contain them.
 */
export const identifier = (max: number, min = 1) =>
  wellFormed(z.string().min(min, 'must not be empty').max(max)).refine((v) => !v.includes('\u0000'), {
    message: 'must not contain NUL characters',
  });

export const shortText = identifier(LIMITS.shortText);
/** An artifact content's media type (`type/subtype; param=value`), as uploads and bundles take it (at most 255 characters). */
export const CONTENT_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(\s*;\s*[\w!#$&^.+-]+=("[^"\\\r\n]*"|[\w!#$&^.+-]+))*$/;
/** Whether `text` may be a content's type: a media type such as `image/png` or `text/plain; charset=utf-8`, at most 255 characters. */
export function isMediaType(text: string): boolean {
  return text.length <= 255 && CONTENT_TYPE.test(text);
}
export const text = wellFormed(z.string());
export const sessionStatus = z.enum(SESSION_STATUSES);
export const messageRole = z.enum(MESSAGE_ROLES);

const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO 8601 date or date-time into the canonical form used everywhere
 * (`Date#toISOString`, UTC, milliseconds). A date-time without an offset is taken as UTC, as the
 * original Python clients send `datetime.utcnow().isoformat()`.
 */
export function parseTimestamp(value: string): string | null {
  const m = ISO_TIMESTAMP.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const ms = frac.padEnd(3, '0').slice(0, 3);
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${offset}`);
  if (Number.isNaN(date.getTime())) return null;
  // Reject calendar overflow such as February 30th (or 24:00), which Date would roll into the next
  // day. Checked on the fields as written, so that an explicit offset cannot hide it.
  if (new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`).getUTCDate() !== Number(d)) return null;
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) return null;
  return date.toISOString();
}

export const timestamp = z.string().transform((value, ctx) => {
  const parsed = parseTimestamp(value);
  if (parsed === null) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 date-time, e.g. 2025-01-31T12:00:00Z' });
    return z.NEVER;
  }
  return parsed;
});

// --- sessions ---------------------------------------------------------------------------------

/** A lifetime (a session's, a LangGraph thread's): whole seconds, 1 to ten years. */
export function lifetimeSeconds() {
  return z
    .number()
    .int('must be a whole number of seconds')
    .min(1, 'must be at least 1 second')
    .max(LIMITS.ttlSeconds, `must be at most ${LIMITS.ttlSeconds} seconds`);
}

/**
 * A session's expiry (retention), on create and update: a moment (`expiresAt`), or a lifetime from
 * now (`ttlSeconds`, a whole number of seconds, 1 to ten years) — not both. Whether the moment is
 * in the future is checked by `Storage`, which knows the time.
 */
const sessionExpiry = {
  expiresAt: timestamp.nullish(),
  ttlSeconds: lifetimeSeconds().nullish(),
};

/** One way to say when a session expires, not two; `neverExpires` (update only) clears it. */
function oneExpiry(input: { expiresAt?: string | null; ttlSeconds?: number | null; neverExpires?: boolean | null }, ctx: z.RefinementCtx): void {
  const given = (['expiresAt', 'ttlSeconds', 'neverExpires'] as const).filter((k) => input[k] != null && input[k] !== false);
  if (given.length > 1) {
    ctx.addIssue({ code: 'custom', path: [given[1]!], message: `give only one of ${given.join(', ')}` });
  }
}

export const createSessionInput = z
  .object({
    agentName: shortText,
    userId: shortText.nullish().transform((v) => v ?? null),
    status: sessionStatus.nullish().transform((v) => v ?? 'active'),
    metadata: jsonObject.nullish().transform((v) => v ?? {}),
    ...sessionExpiry,
  })
  .superRefine(oneExpiry);
export type CreateSessionInput = z.output<typeof createSessionInput>;

/**
 * Partial update: a field that is absent or null keeps its value (as in the original service).
 * So `expiresAt: null` keeps the expiry too; `neverExpires: true` is what removes it.
 */
export const updateSessionInput = z
  .object({
    agentName: shortText.nullish(),
    userId: shortText.nullish(),
    status: sessionStatus.nullish(),
    metadata: jsonObject.nullish(),
    ...sessionExpiry,
    neverExpires: z.boolean().nullish(),
  })
  .superRefine(oneExpiry);
export type UpdateSessionInput = z.output<typeof updateSessionInput>;

/**
 * Which sessions a list shows: of an agent, a user, a status, created in a time range. The range
 * is half-open, as search's: `since` (inclusive) to `until` (exclusive); one that ends before it
 * starts is refused (an empty one, since = until, is not).
 */
export const sessionFilter = z
  .object({
    agentName: shortText.nullish(),
    userId: shortText.nullish(),
    status: sessionStatus.nullish(),
    since: timestamp.nullish(),
    until: timestamp.nullish(),
  })
  // Both canonical (UTC, milliseconds, four-digit years): they compare as strings.
  .refine((f) => f.since == null || f.until == null || f.since <= f.until, { path: ['until'], message: 'must not be before since' });
export type SessionFilter = z.output<typeof sessionFilter>;

// --- history ----------------------------------------------------------------------------------

/** A message id chosen by the client: the service's prefix, then letters, digits, `_` or `-`. */
export const messageId = z
  .string()
  .max(LIMITS.shortText, `must be at most ${LIMITS.shortText} characters`)
  .regex(/^msg_[0-9A-Za-z_-]+$/, 'must be a message id: "msg_" followed by letters, digits, "_" or "-"');

/** A client's key for one append, unique within its session (see `domain/appends.ts`). */
export const idempotencyKey = identifier(LIMITS.shortText);

/** A budget read's token budget (`max_tokens`, `lastTokens`). */
export const maxTokens = z.number().int('must be a whole number').min(0, 'must not be negative').max(LIMITS.maxTokens, `must be at most ${LIMITS.maxTokens}`);

/** A message's number of tokens. */
export const tokenCount = z.number().int('must be a whole number').min(0, 'must not be negative').max(LIMITS.tokenCount, `must be at most ${LIMITS.tokenCount}`);

export const newMessageInput = z.object({
  /** Optional: the client's own id for the message; a repeated append with it is answered, not stored again. */
  id: messageId.nullish(),
  idempotencyKey: idempotencyKey.nullish(),
  role: messageRole,
  /** Required unless `item` is given: then, when absent, the item's text (domain/items.ts). */
  content: text.nullish(),
  /** A structured item kept as sent beside the text (a tool call, a UI message with parts, ...). */
  item: jsonValue.nullish(),
  metadata: jsonObject.nullish().transform((v) => v ?? {}),
  /** The client's count of the message's tokens (for budget reads); absent: unknown, or counted by the server when asked. */
  tokenCount: tokenCount.nullish(),
});
export type NewMessageInput = z.output<typeof newMessageInput>;

/** `content` is required unless the message has an `item` (then its text is read from the item). */
function contentOrItem(m: { content?: string | null; item?: unknown }, ctx: z.RefinementCtx, path: (string | number)[] = []): void {
  if (m.content == null && m.item == null) ctx.addIssue({ code: 'custom', path: [...path, 'content'], message: CONTENT_REQUIRED });
}

const CONTENT_REQUIRED = 'is required unless an item is given';
export const addMessageInput = newMessageInput
  .extend({ sessionId: shortText })
  // Checked beside the other fields' issues (`when`), so that a message missing both role and content hears of both.
  .refine((m) => m.content != null || m.item != null, { path: ['content'], message: CONTENT_REQUIRED, when: () => true });
export type AddMessageInput = z.output<typeof addMessageInput>;

export const newMessagesInput = z
  .array(newMessageInput)
  .min(1, 'must contain at least one message')
  .max(LIMITS.batch, `must contain at most ${LIMITS.batch} messages`)
  .superRefine((messages, ctx) => {
    messages.forEach((m, i) => contentOrItem(m, ctx, [i]));
    for (const issue of batchIssues(messages.map((m) => ({ ...m, content: m.content ?? '', id: m.id ?? '', idFromClient: m.id != null })))) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
  });

/** A history position: only messages after it (`after_seq`, `afterSeq`). */
export const seqCursor = z.number().int('must be a whole number').min(0, 'must not be negative').max(Number.MAX_SAFE_INTEGER);

/** What an append does with a message whose id or key names a stored one with a different body (domain/appends.ts). */
export const onConflictInput = z.enum(['error', 'replace']);

export const SUPERSEDED_REASONS = ['popped', 'rewritten', 'compacted', 'replaced'] as const;
export type SupersededReason = (typeof SUPERSEDED_REASONS)[number];

/**
 * A rewrite of a history's suffix (modules/history): the last `replaceLast` messages are replaced
 * by `messages`, only if the history's last message is `expectedLastSeq` (null: the history is
 * empty) and, when given, the replaced messages' items are `expectedItems`. Once per `operationId`.
 */
export const rewriteHistoryInput = z
  .object({
    operationId: identifier(LIMITS.shortText),
    expectedLastSeq: seqCursor.nullable(),
    // Any number (a compaction replaces a whole history); what is compared item by item is bounded by `expectedItems`.
    replaceLast: z.number().int('must be a whole number').min(0, 'must not be negative').max(Number.MAX_SAFE_INTEGER),
    expectedItems: z.array(jsonValue).max(LIMITS.batch, `must contain at most ${LIMITS.batch} items`).nullish().transform((v) => v ?? null),
    messages: z.array(newMessageInput).max(LIMITS.batch, `must contain at most ${LIMITS.batch} messages`),
    reason: z.enum(['rewritten', 'compacted']).nullish().transform((v) => v ?? 'rewritten'),
  })
  .superRefine((input, ctx) => {
    if (input.expectedItems !== null && input.expectedItems.length !== input.replaceLast) {
      ctx.addIssue({ code: 'custom', path: ['expectedItems'], message: `must hold exactly replaceLast (${input.replaceLast}) items` });
    }
    input.messages.forEach((m, i) => contentOrItem(m, ctx, ['messages', i]));
    for (const issue of batchIssues(input.messages.map((m) => ({ ...m, content: m.content ?? '', id: m.id ?? '', idFromClient: m.id != null })))) {
      ctx.addIssue({ code: 'custom', path: ['messages', ...issue.path], message: issue.message });
    }
  });
export type RewriteHistoryInput = z.output<typeof rewriteHistoryInput>;


// --- state ------------------------------------------------------------------------------------

/**
 * The version a state write expects to replace (compare-and-set); 0 expects no state at all.
 * Absent: the write applies whatever the version.
 */
export const expectedVersion = z.number().int('must be a whole number').min(0, 'must not be negative').max(Number.MAX_SAFE_INTEGER);

export const setStateInput = z.object({ data: jsonValue });

/** A JSON Merge Patch (RFC 7396): any JSON value, `null` included (it replaces the state with null). */
export const statePatch = jsonValue;

// --- forks ------------------------------------------------------------------------------------

/** What a fork may change from its parent: absent or null fields are copied from the parent. */
export const forkSessionInput = z.object({
  agentName: shortText.nullish(),
  userId: shortText.nullish(),
  metadata: jsonObject.nullish(),
});
export type ForkSessionInput = z.output<typeof forkSessionInput>;

// --- artifacts --------------------------------------------------------------------------------

export const createArtifactInput = z.object({
  sessionId: shortText,
  name: shortText,
  type: shortText,
  path: identifier(LIMITS.path),
  size: z.number().int('must be an integer').min(0, 'must not be negative').max(Number.MAX_SAFE_INTEGER),
  metadata: jsonObject.nullish().transform((v) => v ?? {}),
});
export type CreateArtifactInput = z.output<typeof createArtifactInput>;

// --- metrics ----------------------------------------------------------------------------------

export const recordMetricInput = z.object({
  entityType: shortText,
  entityName: shortText,
  sessionId: shortText.nullish().transform((v) => v ?? null),
  metricName: shortText,
  value: z.number().finite('must be a finite number'),
  timestamp: timestamp.nullish().transform((v) => v ?? null),
  labels: jsonObject.nullish().transform((v) => v ?? {}),
});
export type RecordMetricInput = z.output<typeof recordMetricInput>;

export const recordMetricsInput = z
  .array(recordMetricInput)
  .min(1, 'must contain at least one metric')
  .max(LIMITS.batch, `must contain at most ${LIMITS.batch} metrics`);

export const metricFilter = z.object({
  entityType: shortText.nullish(),
  entityName: shortText.nullish(),
  sessionId: shortText.nullish(),
  metricName: shortText.nullish(),
  since: timestamp.nullish(),
  until: timestamp.nullish(),
});
export type MetricFilter = z.output<typeof metricFilter>;

/** What an aggregate point can hold, in the order a point lists them (docs/analytics.md). */
export const METRIC_STATS = ['count', 'sum', 'avg', 'min', 'max', 'p50', 'p90', 'p95', 'p99'] as const;
export type MetricStat = (typeof METRIC_STATS)[number];

/** The bucket sizes with a name; any other is a whole number of seconds. */
export const METRIC_BUCKETS: Readonly<Record<string, number>> = { '1m': 60, '5m': 300, '1h': 3600, '1d': 86400 };

/** The metric columns a series can be grouped by (`label:<key>` groups by a label's value). */
export const METRIC_GROUP_COLUMNS = ['entity_type', 'entity_name', 'metric_name', 'session_id'] as const;
export type MetricGroupColumn = (typeof METRIC_GROUP_COLUMNS)[number];

/** The names `group_by` takes, and the columns each one stands for. */
const GROUP_NAMES: Readonly<Record<string, readonly MetricGroupColumn[]>> = {
  entity: ['entity_type', 'entity_name'],
  entity_type: ['entity_type'],
  entity_name: ['entity_name'],
  metric_name: ['metric_name'],
  session: ['session_id'],
};

/** Label keys one aggregate may group by: each is one more expression in the statements' GROUP BY. */
export const MAX_GROUP_LABELS = 3;

/** A series' grouping: columns in table order (whatever order they were asked in), then label keys as asked. */
export interface MetricGrouping {
  columns: MetricGroupColumn[];
  labels: string[];
}

/** A list in a query string is comma-separated (`stats=count,p95`); GraphQL gives a list. */
const listOf = (item: (value: string, ctx: z.RefinementCtx) => void) =>
  z.union([z.string(), z.array(z.string())]).transform((value, ctx) => {
    const items = (typeof value === 'string' ? value.split(',') : value).map((v) => v.trim());
    for (const v of items) item(v, ctx);
    return [...new Set(items)];
  });

export const metricStats = listOf((v, ctx) => {
  if (!(METRIC_STATS as readonly string[]).includes(v)) {
    ctx.addIssue({ code: 'custom', message: `unknown statistic ${JSON.stringify(v)}: must be among ${METRIC_STATS.join(', ')}` });
  }
}).transform((stats) => METRIC_STATS.filter((s) => stats.includes(s)));

/**
 * A label key to group by. SQLite reads it through a JSON path (`$."key"`), in which a `"` or a
 * `\` cannot be written; refused on both databases so that they answer alike.
 */
const labelKey = identifier(LIMITS.shortText).refine((k) => !/["\\]/.test(k), { message: 'must not contain " or \\' });

export const metricGroupBy = listOf((v, ctx) => {
  if (Object.hasOwn(GROUP_NAMES, v)) return;
  if (v.startsWith('label:')) {
    const issue = labelKey.safeParse(v.slice('label:'.length)).error?.issues[0];
    if (issue) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)}: the label key ${issue.message}` });
    return;
  }
  ctx.addIssue({ code: 'custom', message: `unknown grouping ${JSON.stringify(v)}: must be among ${Object.keys(GROUP_NAMES).join(', ')}, label:<key>` });
}).transform((names, ctx): MetricGrouping => {
  const labels = names.filter((n) => n.startsWith('label:')).map((n) => n.slice('label:'.length));
  if (labels.length > MAX_GROUP_LABELS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_GROUP_LABELS} label keys` });
  const columns = new Set(names.flatMap((n) => (Object.hasOwn(GROUP_NAMES, n) ? GROUP_NAMES[n]! : [])));
  return { columns: METRIC_GROUP_COLUMNS.filter((c) => columns.has(c)), labels };
});

export const metricBucket = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const name = typeof value === 'string' ? value.trim() : '';
  const seconds = typeof value === 'number' ? value : Object.hasOwn(METRIC_BUCKETS, name) ? METRIC_BUCKETS[name]! : /^\d+$/.test(name) ? Number(name) : NaN;
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > LIMITS.ttlSeconds) {
    ctx.addIssue({ code: 'custom', message: `must be ${Object.keys(METRIC_BUCKETS).join(', ')} or a whole number of seconds from 1 to ${LIMITS.ttlSeconds}` });
    return z.NEVER;
  }
  return seconds;
});

/** Count, sum, mean, minimum and maximum: what an aggregate answers unless asked for other statistics. */
export const DEFAULT_METRIC_STATS: readonly MetricStat[] = ['count', 'sum', 'avg', 'min', 'max'];

/**
 * An aggregate over metrics (docs/analytics.md): the list filter, with a start required (the scan
 * is bounded by the time range; the end defaults to now), a bucket size in seconds, the statistics
 * and the grouping.
 */
export const metricAggregateInput = metricFilter.extend({
  since: timestamp,
  bucket: metricBucket,
  stats: metricStats.nullish().transform((v) => (v?.length ? v : [...DEFAULT_METRIC_STATS])),
  groupBy: metricGroupBy.nullish().transform((v): MetricGrouping => v ?? { columns: [], labels: [] }),
});
export type MetricAggregateInput = z.output<typeof metricAggregateInput>;

// --- cache ------------------------------------------------------------------------------------

export const cacheKey = identifier(LIMITS.cacheKey);

export const setCacheInput = z.object({
  value: jsonValue,
  ttl: z
    .number()
    .int('must be a whole number of seconds')
    .min(1, 'must be at least 1 second (omit it for an entry that never expires)')
    .max(LIMITS.ttlSeconds, `must be at most ${LIMITS.ttlSeconds} seconds`)
    .nullish()
    .transform((v) => v ?? null),
});
export type SetCacheInput = z.output<typeof setCacheInput>;

// --- helpers ----------------------------------------------------------------------------------

// --- tenants and API keys ---------------------------------------------------------------------

/** The tenant everything belongs to without API keys (AUTH_MODE=none), and the bootstrap key's. */
export const DEFAULT_TENANT = 'default';

/**
 * Tenant names become file and schema names (one database per tenant), so they are kept to what
 * is safe everywhere: lower-case letters, digits, `-` and `_`, starting with a letter or digit.
 */
export const tenantName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be 1 to 32 lower-case letters, digits, - or _, starting with a letter or digit');

export const createApiKeyInput = z.object({
  tenant: tenantName,
  scopes: z
    .array(z.enum(API_KEY_SCOPES))
    .min(1, 'must name at least one scope')
    .transform((scopes) => API_KEY_SCOPES.filter((s) => scopes.includes(s))),
  name: shortText.nullish().transform((v) => v ?? null),
});
export type CreateApiKeyInput = z.output<typeof createApiKeyInput>;

/** Parses with a schema, turning zod's issues into the domain's ValidationError. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  // zod 4 leaves `input` out of issues unless asked; without it every issue would look like a
  // missing field. (The input is only inspected here, never reported back.)
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({
      path: issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
      // Absent, whatever the expected type (string, enum, JSON): say so, as the original service did.
      message: issue.input === undefined ? 'field required' : issue.message,
    })),
  );
}
