import { z } from 'zod';
import { ID_PREFIXES, type IdKind } from '../domain/ids.js';
import {
  isMediaType,
  createArtifactInput,
  idempotencyKey,
  LIMITS,
  messageRole,
  parseTimestamp,
  recordMetricInput,
  sessionStatus,
  shortText,
  text,
  tokenCount,
} from '../domain/inputs.js';
import { jsonObject, jsonValue } from '../domain/json.js';
import type { Artifact, ArtifactContent, Message, Metric, Session, State } from '../domain/records.js';
import { camelToSnake, snakeToCamel } from '../domain/wire.js';
import { BLOB_CHUNK_BYTES, BUNDLE_FORMAT, BUNDLE_VERSION, BundleError, type BundleVersion, READABLE_VERSIONS, type SessionCounts, type Totals } from './bundle.js';

/**
 * One line of a bundle (bundle.ts describes the format): its schema in each version, and
 * `parseBundleLine`, which parses a line and checks it against its version's rules. The order of
 * the lines is bundle-read.ts's.
 */

const idOf = (kind: IdKind) => {
  const prefix = ID_PREFIXES[kind];
  return z
    .string()
    .max(LIMITS.shortText, `must be at most ${LIMITS.shortText} characters`)
    .regex(new RegExp(`^${prefix}[0-9A-Za-z_-]+$`), `must be a ${kind} id ("${prefix}" followed by letters and digits)`);
};

/** Timestamps are stored as written and compared as strings, so only the canonical form is accepted. */
const canonicalTime = z.string().refine((v) => parseTimestamp(v) === v, {
  message: 'must be a canonical UTC timestamp with milliseconds, e.g. 2026-01-31T12:00:00.000Z',
});

const count = z.number().int('must be a whole number').min(0, 'must not be negative').max(Number.MAX_SAFE_INTEGER);
const seq = z.number().int('must be a whole number').min(1, 'must be at least 1').max(Number.MAX_SAFE_INTEGER);

/**
 * A record line's schema: the rules each field of record `R` must meet in a bundle (by the record's
 * field name; the wire name is derived), with `defaults` for fields an older version did not write.
 * The rules are those a client's write had to pass, so an import stores nothing the API would refuse.
 */
function recordWire<R>(rules: { [K in keyof R]?: z.ZodType<R[K] | undefined> }, defaults: Partial<R> = {}) {
  const wireRules = Object.fromEntries(Object.entries(rules).map(([field, rule]) => [camelToSnake(field), rule as z.ZodType]));
  return z.strictObject(wireRules).transform((w) => {
    const record: Record<string, unknown> = { ...defaults };
    for (const [name, value] of Object.entries(w)) if (value !== undefined) record[snakeToCamel(name)] = value;
    return record as R; // every field of R is either ruled above or defaulted
  });
}

// Version 1 records; version 2 adds fields to sessions, messages and states.
const sessionV1 = {
  id: idOf('session'),
  agentName: shortText,
  userId: shortText.nullable(),
  status: sessionStatus,
  createdAt: canonicalTime,
  updatedAt: canonicalTime,
  metadata: jsonObject,
};
const notForked = { parentId: null, forkedFromMessageId: null, expiresAt: null };
const messageV1 = {
  id: idOf('message'),
  sessionId: idOf('session'),
  seq,
  role: messageRole,
  content: text,
  timestamp: canonicalTime,
  metadata: jsonObject,
};
const stateV1 = { sessionId: idOf('session'), data: jsonValue, updatedAt: canonicalTime };
const ownParent = { message: 'a session cannot be its own parent', path: ['parent_id'] };

const RECORDS = {
  1: {
    session: recordWire<Session>(sessionV1, notForked),
    message: recordWire<Message>(messageV1, { idempotencyKey: null, item: null, tokenCount: null }),
    state: recordWire<State>(stateV1, { version: 1 }),
  },
  2: {
    session: recordWire<Session>(
      {
        ...sessionV1,
        parentId: idOf('session').nullable(),
        forkedFromMessageId: idOf('message').nullable(),
        // A session's expiry (retention), written since schema version 5: optional within bundle
        // version 2, so that bundles written before it still read (their sessions never expire).
        expiresAt: canonicalTime.nullable().optional(),
      },
      notForked,
    ).refine((s) => s.parentId !== s.id, ownParent),
    // A message's structured item (schema version 8) and token count (version 9): optional within
    // bundle version 2, so that bundles written before them still read (plain messages, counts unknown).
    message: recordWire<Message>(
      {
        ...messageV1,
        idempotencyKey: idempotencyKey.nullable(),
        item: jsonValue.nullable().optional(),
        tokenCount: tokenCount.nullable().optional(),
      },
      { item: null, tokenCount: null },
    ),
    state: recordWire<State>({ ...stateV1, version: z.number().int('must be a whole number').min(1, 'must be at least 1').max(Number.MAX_SAFE_INTEGER) }),
  },
} satisfies Record<Exclude<BundleVersion, 3>, unknown>;
// Version 3 added content lines; its sessions, messages and states are version 2's.
const recordsOf = (version: BundleVersion) => RECORDS[version === 3 ? 2 : version];

const artifactWire = recordWire<Artifact>({
  id: idOf('artifact'),
  sessionId: idOf('session'),
  name: shortText,
  type: shortText,
  path: createArtifactInput.shape.path,
  size: createArtifactInput.shape.size,
  createdAt: canonicalTime,
  metadata: jsonObject,
});

const metricWire = recordWire<Metric>({
  id: idOf('metric'),
  entityType: shortText,
  entityName: shortText,
  // Metrics outlive their sessions and may name one that is not in the bundle; any text is kept.
  sessionId: shortText.nullable(),
  metricName: shortText,
  value: recordMetricInput.shape.value,
  timestamp: canonicalTime,
  labels: jsonObject,
});

const headerSchema = z
  .strictObject({
    type: z.literal('header'),
    format: z.literal(BUNDLE_FORMAT),
    version: z.union(READABLE_VERSIONS.map((v) => z.literal(v))),
    exported_at: canonicalTime,
    source: jsonObject,
    filter: z.strictObject({ session_id: idOf('session').nullable(), agent_name: shortText.nullable() }),
  })
  .transform((w) => ({
    type: 'header' as const,
    version: w.version as BundleVersion,
    exportedAt: w.exported_at,
    source: w.source,
    filter: { sessionId: w.filter.session_id, agentName: w.filter.agent_name },
  }));

const recordLine = <T extends string, S extends z.ZodType>(type: T, record: S) =>
  z.strictObject({ type: z.literal(type), record }).transform((w) => ({ type, record: (w as { record: unknown }).record as z.output<S> }));

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 (64 lower-case hex digits)');

const contentWire = recordWire<ArtifactContent>({
  artifactId: idOf('artifact'),
  version: count,
  sha256: sha256Hex,
  size: count,
  contentType: z.string().refine(isMediaType, 'must be a media type such as image/png (at most 255 characters)'),
  createdAt: canonicalTime,
});

/**
 * Strict base64 (padded, no line breaks or spaces), checked by encoding the decoded bytes again:
 * `Buffer.from` alone would skip what is not base64 without a word, and a regular expression over a
 * 1.4 MB string costs a hundred times more.
 */
const chunkData = z
  .string()
  .min(1, `must hold 1 to ${BLOB_CHUNK_BYTES} bytes`)
  .max(Math.ceil(BLOB_CHUNK_BYTES / 3) * 4, `must hold 1 to ${BLOB_CHUNK_BYTES} bytes`)
  .transform((data, ctx) => {
    const bytes = Buffer.from(data, 'base64');
    if (bytes.toString('base64') !== data) ctx.addIssue({ code: 'custom', message: 'must be base64 (A-Z a-z 0-9 + /, padded with =)' });
    else if (bytes.byteLength > BLOB_CHUNK_BYTES) ctx.addIssue({ code: 'custom', message: `must hold 1 to ${BLOB_CHUNK_BYTES} bytes` });
    return bytes;
  });

const blobSchema = z
  .strictObject({ type: z.literal('blob'), sha256: sha256Hex, size: count, chunks: count })
  .transform((w) => ({ type: 'blob' as const, sha256: w.sha256, size: w.size, chunks: w.chunks }));

const blobChunkSchema = z
  .strictObject({ type: z.literal('blob_chunk'), sha256: sha256Hex, seq: count, data: chunkData })
  .transform((w) => ({ type: 'blob_chunk' as const, sha256: w.sha256, seq: w.seq, data: w.data }));

const artifactSchema = (version: BundleVersion) =>
  version === 3
    ? z
        .strictObject({ type: z.literal('artifact'), record: artifactWire, next_version: count })
        .transform((w) => ({ type: 'artifact' as const, record: w.record, nextVersion: w.next_version }))
    : z.strictObject({ type: z.literal('artifact'), record: artifactWire }).transform((w) => ({ type: 'artifact' as const, record: w.record, nextVersion: 0 }));

// Versions 1 and 2 carry no content: their counts of it are 0.
const contentCounts = (version: BundleVersion) => (version === 3 ? { contents: count, blobs: count } : {});
const countOf = (w: Record<string, unknown>, key: 'contents' | 'blobs') => (typeof w[key] === 'number' ? w[key] : 0);

const sessionEndSchema = (version: BundleVersion) =>
  z
    .strictObject({
      type: z.literal('session_end'),
      session_id: idOf('session'),
      messages: count,
      states: z.union([z.literal(0), z.literal(1)], { error: 'must be 0 or 1' }),
      artifacts: count,
      ...contentCounts(version),
    })
    .transform((w) => ({
      type: 'session_end' as const,
      sessionId: w.session_id,
      counts: { messages: w.messages, states: w.states, artifacts: w.artifacts, contents: countOf(w, 'contents'), blobs: countOf(w, 'blobs') } satisfies SessionCounts,
    }));

const footerSchema = (version: BundleVersion) =>
  z
    .strictObject({ type: z.literal('footer'), sessions: count, messages: count, states: count, artifacts: count, metrics: count, ...contentCounts(version) })
    .transform((w) => ({
      type: 'footer' as const,
      totals: { sessions: w.sessions, messages: w.messages, states: w.states, artifacts: w.artifacts, metrics: w.metrics, contents: countOf(w, 'contents'), blobs: countOf(w, 'blobs') } satisfies Totals,
    }));

const allLineSchemas = (version: BundleVersion) => ({
  header: headerSchema,
  session: recordLine('session', recordsOf(version).session),
  message: recordLine('message', recordsOf(version).message),
  state: recordLine('state', recordsOf(version).state),
  artifact: artifactSchema(version),
  artifact_content: recordLine('artifact_content', contentWire),
  blob: blobSchema,
  blob_chunk: blobChunkSchema,
  session_end: sessionEndSchema(version),
  metric: recordLine('metric', metricWire),
  footer: footerSchema(version),
});
const CONTENT_LINES = ['artifact_content', 'blob', 'blob_chunk'];
/** The line types of a version, by type: versions before 3 know no content lines. */
const lineSchemas = (version: BundleVersion): Record<string, z.ZodType> =>
  Object.fromEntries(Object.entries(allLineSchemas(version)).filter(([type]) => version === 3 || !CONTENT_LINES.includes(type)));
const LINE_SCHEMAS = { 1: lineSchemas(1), 2: lineSchemas(2), 3: lineSchemas(3) } satisfies Record<BundleVersion, unknown>;

type AllLineSchemas = ReturnType<typeof allLineSchemas>;
type LineType = keyof AllLineSchemas;
export type BundleLine = { [T in LineType]: z.output<AllLineSchemas[T]> }[LineType];

/**
 * Parses and validates one line of a bundle of the given version (the header's, which any version
 * reads alike); a `BundleError` names the line and the field.
 */
export function parseBundleLine(line: string, lineNumber: number, version: BundleVersion = BUNDLE_VERSION): BundleLine {
  const schemas = LINE_SCHEMAS[version];
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new BundleError(`not valid JSON (${(error as Error).message})`, lineNumber);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BundleError('must be a JSON object with a "type"', lineNumber);
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(schemas, type)) {
    throw new BundleError(
      type === undefined ? 'has no "type"' : `unknown line type ${JSON.stringify(type)} (expected one of ${Object.keys(schemas).join(', ')})`,
      lineNumber,
    );
  }
  if (type === 'header') checkHeaderIdentity(value as Record<string, unknown>, lineNumber);
  const result = schemas[type]!.safeParse(value, { reportInput: true });
  if (result.success) return result.data as BundleLine;
  const issues = result.error.issues.map((issue) => {
    const path = issue.path.filter((p) => typeof p !== 'symbol').join('.');
    const message = issue.input === undefined && issue.code === 'invalid_type' ? 'field required' : issue.message;
    return path ? `${path}: ${message}` : message;
  });
  throw new BundleError(`invalid ${type} line: ${issues.join('; ')}`, lineNumber);
}

/** A clear word for files that are not bundles at all, or bundles of another version. */
function checkHeaderIdentity(header: Record<string, unknown>, lineNumber: number): void {
  if (header.format !== BUNDLE_FORMAT) {
    throw new BundleError(`not an ${BUNDLE_FORMAT} (header format is ${JSON.stringify(header.format) ?? 'missing'})`, lineNumber);
  }
  if (!(READABLE_VERSIONS as readonly unknown[]).includes(header.version)) {
    throw new BundleError(
      `bundle version ${JSON.stringify(header.version) ?? 'missing'} is not supported; this tool reads versions ${READABLE_VERSIONS.slice(0, -1).join(', ')} and ${READABLE_VERSIONS.at(-1)}`,
      lineNumber,
    );
  }
}

/** What a first line that is not the header is told (whether or not it is a valid line of this version). */
export const notAHeader = (type: string, n: number) => new BundleError(`the first line must be the header, not a ${type} line (is this an ${BUNDLE_FORMAT}?)`, n);
