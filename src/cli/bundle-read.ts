import { createHash, type Hash } from 'node:crypto';
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
import { jsonObject, jsonValue, type JsonObject } from '../domain/json.js';
import type { Artifact, ArtifactContent, Message, Metric, Session, State } from '../domain/records.js';
import { camelToSnake, snakeToCamel } from '../domain/wire.js';
import type { SessionBundle } from '../modules/sessions/bundle.js';
import { BLOB_CHUNK_BYTES, BUNDLE_FORMAT, BUNDLE_VERSION, BundleError, type BundleVersion, READABLE_VERSIONS, type SessionCounts, type Totals, zeroTotals } from './bundle.js';

/**
 * Reading a bundle (bundle.ts describes it): each line parsed and checked against its version's
 * rules, the order of the lines checked and sessions assembled (`BundleReader`), and the lines of a
 * byte stream (`readLines`). What the import reads from.
 */

// --- one line --------------------------------------------------------------------------------

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

// --- the sequence of lines -------------------------------------------------------------------

/** A session's content versions, as its lines gave them. */
export interface SessionContent {
  /** Of the session's artifacts, each artifact's in version order. */
  versions: ArtifactContent[];
  /** Each artifact's next version number (absent: 0). */
  nextVersions: Map<string, number>;
}

export type BundleEvent =
  | { kind: 'header'; version: BundleVersion; exportedAt: string; source: JsonObject }
  | { kind: 'session'; bundle: SessionBundle; content: SessionContent; line: number }
  /** A blob's bytes begin: its `chunks` lines come next, each a `blob_chunk` event. */
  | { kind: 'blob'; sha256: string; size: number; chunks: number; line: number }
  /** The next bytes of the blob being read; `last` once they were all there, with their size and sha256 checked. */
  | { kind: 'blob_chunk'; data: Buffer; last: boolean }
  | { kind: 'metric'; metric: Metric }
  | { kind: 'footer'; totals: Totals };

interface OpenSession {
  session: Session;
  line: number;
  messages: Message[];
  state: State | null;
  artifacts: Artifact[];
  /** Idempotency keys of its messages so far: unique within a session. */
  keys: Set<string>;
  content: SessionContent;
  /** The artifact whose versions may follow, and its last version so far. */
  current: { id: string; nextVersion: number; lastVersion: number } | null;
  /** Blobs whose bytes came within this session. */
  blobs: number;
}

interface OpenBlob {
  sha256: string;
  size: number;
  chunks: number;
  line: number;
  /** The next chunk's seq, and the bytes and hash of those before it. */
  seq: number;
  bytes: number;
  hash: Hash;
}

/**
 * Checks the order of a bundle's lines and assembles sessions. Holds one session at a time: a
 * session is handed out only at its `session_end`, with counts checked, so that an importer
 * commits whole sessions only. `finish()` says whether the bundle ended properly.
 *
 * A blob's bytes are not held: each chunk is handed out as it comes, and the blob's size and
 * sha256 are checked at its last chunk, which throws when they do not match. The blobs carried so
 * far are remembered (a sha256 and a size each), so that every content version can be checked to
 * name one.
 */
export class BundleReader {
  private sawHeader = false;
  private sawFooter = false;
  private open: OpenSession | null = null;
  private blob: OpenBlob | null = null;
  /** Every blob carried so far: its size by sha256. */
  private readonly carried = new Map<string, number>();
  private lastLine = 0;
  /** Lines seen so far, for the footer's check. */
  readonly seen: Totals = zeroTotals();

  accept(line: BundleLine, n: number): BundleEvent | null {
    this.lastLine = n;
    if (this.sawFooter) throw new BundleError('content after the footer', n);
    if (!this.sawHeader) {
      if (line.type !== 'header') throw notAHeader(line.type, n);
      this.sawHeader = true;
      return { kind: 'header', version: line.version, exportedAt: line.exportedAt, source: line.source };
    }
    if (this.blob && line.type !== 'blob_chunk') {
      const { sha256, chunks, seq, line: at } = this.blob;
      throw new BundleError(`a ${line.type} line after ${seq} of the ${chunks} blob_chunk lines of blob ${sha256} (line ${at})`, n);
    }
    switch (line.type) {
      case 'header':
        throw new BundleError('a second header', n);
      case 'session':
        if (this.open) throw this.unfinished(n, 'session');
        this.open = {
          session: line.record,
          line: n,
          messages: [],
          state: null,
          artifacts: [],
          keys: new Set(),
          content: { versions: [], nextVersions: new Map() },
          current: null,
          blobs: 0,
        };
        return null;
      case 'message': {
        const open = this.member(line.record.sessionId, 'message', n);
        const previous = open.messages.at(-1);
        if (previous && line.record.seq <= previous.seq) {
          throw new BundleError(`messages must be in increasing seq order (seq ${line.record.seq} after ${previous.seq})`, n);
        }
        const key = line.record.idempotencyKey;
        if (key !== null) {
          if (open.keys.has(key)) throw new BundleError(`a second message with idempotency key ${JSON.stringify(key)} in session ${open.session.id}`, n);
          open.keys.add(key);
        }
        open.messages.push(line.record);
        return null;
      }
      case 'state': {
        const open = this.member(line.record.sessionId, 'state', n);
        if (open.state) throw new BundleError(`a second state for session ${open.session.id}`, n);
        open.state = line.record;
        return null;
      }
      case 'artifact': {
        const open = this.member(line.record.sessionId, 'artifact', n);
        open.artifacts.push(line.record);
        open.current = { id: line.record.id, nextVersion: line.nextVersion, lastVersion: -1 };
        if (line.nextVersion > 0) open.content.nextVersions.set(line.record.id, line.nextVersion);
        return null;
      }
      case 'blob': {
        if (!this.open) throw new BundleError('a blob line outside a session (no session line before it)', n);
        const { sha256, size, chunks } = line;
        if (this.carried.has(sha256)) throw new BundleError(`blob ${sha256} is carried a second time (a bundle carries each blob once)`, n);
        if (chunks < Math.ceil(size / BLOB_CHUNK_BYTES) || chunks > size) {
          throw new BundleError(`a blob of ${size} bytes cannot come in ${chunks} chunks of 1 to ${BLOB_CHUNK_BYTES} bytes`, n);
        }
        this.blob = { sha256, size, chunks, line: n, seq: 0, bytes: 0, hash: createHash('sha256') };
        this.open.blobs++;
        if (chunks === 0) this.closeBlob(n);
        return { kind: 'blob', sha256, size, chunks, line: n };
      }
      case 'blob_chunk': {
        const blob = this.blob;
        if (!blob) throw new BundleError(`a blob_chunk line of blob ${line.sha256} without its blob line before it`, n);
        if (line.sha256 !== blob.sha256) throw new BundleError(`a blob_chunk line of blob ${line.sha256} among those of blob ${blob.sha256} (line ${blob.line})`, n);
        if (line.seq !== blob.seq) throw new BundleError(`blob_chunk seq ${line.seq} where seq ${blob.seq} of blob ${blob.sha256} (line ${blob.line}) was due`, n);
        blob.bytes += line.data.byteLength;
        if (blob.bytes > blob.size) throw new BundleError(`the chunks of blob ${blob.sha256} (line ${blob.line}) hold more than its ${blob.size} bytes`, n);
        blob.hash.update(line.data);
        blob.seq++;
        const last = blob.seq === blob.chunks;
        if (last) this.closeBlob(n);
        return { kind: 'blob_chunk', data: line.data, last };
      }
      case 'artifact_content': {
        const open = this.open;
        const content = line.record;
        if (!open) throw new BundleError('an artifact_content line outside a session (no session line before it)', n);
        const current = open.current;
        if (current?.id !== content.artifactId) {
          throw new BundleError(`an artifact_content line of artifact ${content.artifactId} must follow that artifact's line (or its earlier versions) in its session`, n);
        }
        if (content.version <= current.lastVersion) throw new BundleError(`versions must be in increasing order (version ${content.version} after ${current.lastVersion})`, n);
        if (content.version >= current.nextVersion) {
          throw new BundleError(`version ${content.version} is not below the artifact's next_version ${current.nextVersion}`, n);
        }
        const size = this.carried.get(content.sha256);
        if (size === undefined) throw new BundleError(`version ${content.version} names blob ${content.sha256}, whose bytes the bundle has not carried before it`, n);
        if (size !== content.size) throw new BundleError(`version ${content.version} is ${content.size} bytes, but its blob ${content.sha256} is ${size}`, n);
        current.lastVersion = content.version;
        open.content.versions.push(content);
        return null;
      }
      case 'session_end': {
        const open = this.member(line.sessionId, 'session_end', n);
        const actual: SessionCounts = {
          messages: open.messages.length,
          states: open.state ? 1 : 0,
          artifacts: open.artifacts.length,
          contents: open.content.versions.length,
          blobs: open.blobs,
        };
        for (const key of ['messages', 'states', 'artifacts', 'contents', 'blobs'] as const) {
          if (line.counts[key] !== actual[key]) {
            throw new BundleError(`session_end of ${open.session.id} counts ${line.counts[key]} ${key} but the session has ${actual[key]}`, n);
          }
        }
        this.open = null;
        this.seen.sessions++;
        for (const key of ['messages', 'states', 'artifacts', 'contents', 'blobs'] as const) this.seen[key] += actual[key];
        const { session, messages, state, artifacts, content } = open;
        return { kind: 'session', bundle: { session, messages, state, artifacts }, content, line: open.line };
      }
      case 'metric':
        if (this.open) throw this.unfinished(n, 'metric');
        this.seen.metrics++;
        return { kind: 'metric', metric: line.record };
      case 'footer': {
        if (this.open) throw this.unfinished(n, 'footer');
        for (const key of ['sessions', 'messages', 'states', 'artifacts', 'metrics', 'contents', 'blobs'] as const) {
          if (line.totals[key] !== this.seen[key]) {
            throw new BundleError(`the footer counts ${line.totals[key]} ${key} but the bundle has ${this.seen[key]}`, n);
          }
        }
        this.sawFooter = true;
        return { kind: 'footer', totals: line.totals };
      }
    }
  }

  /** The session being read (not yet committed), if any. */
  get openSession(): { id: string; line: number } | null {
    return this.open && { id: this.open.session.id, line: this.open.line };
  }

  /** Throws unless the bundle ended with its footer. */
  finish(): void {
    if (!this.sawHeader) throw new BundleError(`empty input: not an ${BUNDLE_FORMAT}`);
    if (this.open) {
      throw new BundleError(
        `the bundle ends inside session ${this.open.session.id} (line ${this.open.line}) before its session_end: ` +
          'the file is truncated, and that session was not imported',
      );
    }
    if (!this.sawFooter) throw new BundleError(`the bundle ends after line ${this.lastLine} without its footer: the file is truncated`);
  }

  /** A blob's bytes are all there: they must be its size and hash to its sha256. */
  private closeBlob(n: number): void {
    const blob = this.blob!;
    this.blob = null;
    if (blob.bytes !== blob.size) throw new BundleError(`the chunks of blob ${blob.sha256} (line ${blob.line}) hold ${blob.bytes} bytes, not ${blob.size}`, n);
    const actual = blob.hash.digest('hex');
    if (actual !== blob.sha256) {
      throw new BundleError(`the bytes of blob ${blob.sha256} (line ${blob.line}) have the sha256 ${actual}: the bundle is corrupted`, n);
    }
    this.carried.set(blob.sha256, blob.size);
  }

  /** The session being read, which a message/state/artifact/session_end line must belong to. */
  private member(sessionId: string, type: string, n: number): OpenSession {
    if (!this.open) throw new BundleError(`a ${type} line outside a session (no session line before it)`, n);
    if (sessionId !== this.open.session.id) {
      throw new BundleError(`a ${type} line of session ${sessionId} inside session ${this.open.session.id}`, n);
    }
    return this.open;
  }

  private unfinished(n: number, type: string): BundleError {
    return new BundleError(`a ${type} line before the session_end of session ${this.open!.session.id} (line ${this.open!.line})`, n);
  }
}

// --- lines from a stream ---------------------------------------------------------------------

export interface BundleTextLine {
  text: string;
  /** 1-based. */
  number: number;
  /** False for a last line without a newline: complete or cut off, only parsing can tell. */
  terminated: boolean;
}

/**
 * The lines of a byte stream, numbered from 1. Splits on `\n` only (a trailing `\r` is dropped):
 * `readline` would also split on `\r`, U+2028 and U+2029, which may appear raw inside JSON strings.
 * Invalid UTF-8 is an error rather than silently replaced.
 */
export async function* readLines(input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): AsyncGenerator<BundleTextLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  let number = 0;
  const decode = (chunk: Buffer | string | undefined, stream: boolean) => {
    try {
      return typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream });
    } catch {
      throw new BundleError('not valid UTF-8 text', number + 1);
    }
  };
  for await (const chunk of input) {
    // `pending` holds no newline, so only the new text needs searching (long lines stay linear).
    const searchFrom = pending.length;
    pending += decode(chunk, true);
    let start = 0;
    for (let end = pending.indexOf('\n', searchFrom); end !== -1; end = pending.indexOf('\n', start)) {
      const text = pending.slice(start, end);
      start = end + 1;
      yield { text: text.endsWith('\r') ? text.slice(0, -1) : text, number: ++number, terminated: true };
    }
    pending = pending.slice(start);
  }
  pending += decode(undefined, false);
  if (pending !== '') yield { text: pending.endsWith('\r') ? pending.slice(0, -1) : pending, number: ++number, terminated: false };
}
