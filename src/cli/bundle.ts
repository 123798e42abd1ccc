import { z } from 'zod';
import { ID_PREFIXES, type IdKind } from '../domain/ids.js';
import {
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
import {
  type Artifact,
  artifactRecord,
  type Message,
  messageRecord,
  type Metric,
  metricRecord,
  type Session,
  sessionRecord,
  type State,
  stateRecord,
} from '../domain/records.js';
import { camelToSnake, snakeToCamel, wireCodec } from '../domain/wire.js';
import type { SessionBundle } from '../modules/sessions/bundle.js';

/**
 * The bundle: JSON Lines, one object per line, each with a `type`.
 *
 *   header                         {"type":"header","format":"agent-storage-bundle","version":2,...}
 *   per session:
 *     session                      {"type":"session","record":{...REST session...}}
 *     message*  (in seq order)     {"type":"message","record":{...REST message..., "seq": 1}}
 *     state?                       {"type":"state","record":{...REST state...}}
 *     artifact*                    {"type":"artifact","record":{...REST artifact...}}
 *     session_end                  {"type":"session_end","session_id":"...","messages":n,"states":0|1,"artifacts":n}
 *   metric*                        {"type":"metric","record":{...REST metric...}}
 *   footer                         {"type":"footer","sessions":n,"messages":n,"states":n,"artifacts":n,"metrics":n}
 *
 * Records use the REST wire shapes (snake_case), plus `seq` and `idempotency_key` on messages, so
 * that a bundle is readable by people and other tools. They sit under `record` because artifacts
 * have a `type` field of their own. `session_end` lets an importer commit a session only once all
 * of it has arrived; the footer's totals reveal a truncated file.
 *
 * Version 2 added `parent_id` and `forked_from_message_id` to sessions, `idempotency_key` to
 * messages and `version` to states; all are required in version 2. Version 1 bundles are still
 * read: their sessions are not forks, their messages have no key, their states are at version 1.
 */

export const BUNDLE_FORMAT = 'agent-storage-bundle';
/** The version this tool writes. */
export const BUNDLE_VERSION = 2;
/** The versions this tool reads. */
export const READABLE_VERSIONS = [1, 2] as const;
export type BundleVersion = (typeof READABLE_VERSIONS)[number];

export interface Totals {
  sessions: number;
  messages: number;
  states: number;
  artifacts: number;
  metrics: number;
}

export const zeroTotals = (): Totals => ({ sessions: 0, messages: 0, states: 0, artifacts: 0, metrics: 0 });

export interface SessionCounts {
  messages: number;
  states: number;
  artifacts: number;
}

/** Any problem with the content of a bundle; names the line (1-based) when there is one. */
export class BundleError extends Error {
  constructor(
    readonly detail: string,
    readonly line: number | null = null,
  ) {
    super(line === null ? detail : `line ${line}: ${detail}`);
  }
}

// --- writing ----------------------------------------------------------------------------------

/**
 * One line of JSON. U+2028 and U+2029 are legal inside JSON strings but many line readers
 * (Node's `readline` among them) split on them, so they are written escaped, as JSON allows.
 */
export function encodeLine(value: unknown): string {
  return `${JSON.stringify(value).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)}\n`;
}

export interface HeaderFields {
  exportedAt: string;
  source: JsonObject;
  filter: { sessionId: string | null; agentName: string | null };
}

export const headerLine = (h: HeaderFields) =>
  encodeLine({
    type: 'header',
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    exported_at: h.exportedAt,
    source: h.source,
    filter: { session_id: h.filter.sessionId, agent_name: h.filter.agentName },
  });

// Records in the REST wire shapes (one codec per record, `domain/wire.ts`); messages with every field
// (`seq`, `idempotency_key`), which the REST door leaves out.
const wire = {
  session: wireCodec(sessionRecord),
  message: wireCodec(messageRecord),
  state: wireCodec(stateRecord),
  artifact: wireCodec(artifactRecord),
  metric: wireCodec(metricRecord),
};

export const sessionLine = (s: Session) => encodeLine({ type: 'session', record: wire.session.toWire(s) });
export const messageLine = (m: Message) => encodeLine({ type: 'message', record: wire.message.toWire(m) });
export const stateLine = (s: State) => encodeLine({ type: 'state', record: wire.state.toWire(s) });
export const artifactLine = (a: Artifact) => encodeLine({ type: 'artifact', record: wire.artifact.toWire(a) });
export const metricLine = (m: Metric) => encodeLine({ type: 'metric', record: wire.metric.toWire(m) });

export const sessionEndLine = (sessionId: string, c: SessionCounts) =>
  encodeLine({ type: 'session_end', session_id: sessionId, messages: c.messages, states: c.states, artifacts: c.artifacts });

export const footerLine = (t: Totals) => encodeLine({ type: 'footer', ...t });

// --- reading: one line ------------------------------------------------------------------------

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
} satisfies Record<BundleVersion, unknown>;

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

const sessionEndSchema = z
  .strictObject({
    type: z.literal('session_end'),
    session_id: idOf('session'),
    messages: count,
    states: z.union([z.literal(0), z.literal(1)], { error: 'must be 0 or 1' }),
    artifacts: count,
  })
  .transform((w) => ({
    type: 'session_end' as const,
    sessionId: w.session_id,
    counts: { messages: w.messages, states: w.states, artifacts: w.artifacts } satisfies SessionCounts,
  }));

const footerSchema = z
  .strictObject({ type: z.literal('footer'), sessions: count, messages: count, states: count, artifacts: count, metrics: count })
  .transform(({ type: _type, ...totals }) => ({ type: 'footer' as const, totals: totals satisfies Totals }));

const lineSchemas = (version: BundleVersion) => ({
  header: headerSchema,
  session: recordLine('session', RECORDS[version].session),
  message: recordLine('message', RECORDS[version].message),
  state: recordLine('state', RECORDS[version].state),
  artifact: recordLine('artifact', artifactWire),
  session_end: sessionEndSchema,
  metric: recordLine('metric', metricWire),
  footer: footerSchema,
});
const LINE_SCHEMAS = { 1: lineSchemas(1), 2: lineSchemas(2) } satisfies Record<BundleVersion, unknown>;

type LineType = keyof (typeof LINE_SCHEMAS)[2];
export type BundleLine = { [T in LineType]: z.output<(typeof LINE_SCHEMAS)[2][T]> }[LineType];

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
  const result = schemas[type as LineType].safeParse(value, { reportInput: true });
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
      `bundle version ${JSON.stringify(header.version) ?? 'missing'} is not supported; this tool reads versions ${READABLE_VERSIONS.join(' and ')}`,
      lineNumber,
    );
  }
}

// --- reading: the sequence of lines -----------------------------------------------------------

export type BundleEvent =
  | { kind: 'header'; version: BundleVersion; exportedAt: string; source: JsonObject }
  | { kind: 'session'; bundle: SessionBundle; line: number }
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
}

/**
 * Checks the order of a bundle's lines and assembles sessions. Holds one session at a time: a
 * session is handed out only at its `session_end`, with counts checked, so that an importer
 * commits whole sessions only. `finish()` says whether the bundle ended properly.
 */
export class BundleReader {
  private sawHeader = false;
  private sawFooter = false;
  private open: OpenSession | null = null;
  private lastLine = 0;
  /** Lines seen so far, for the footer's check. */
  readonly seen: Totals = zeroTotals();

  accept(line: BundleLine, n: number): BundleEvent | null {
    this.lastLine = n;
    if (this.sawFooter) throw new BundleError('content after the footer', n);
    if (!this.sawHeader) {
      if (line.type !== 'header') throw new BundleError(`the first line must be the header, not a ${line.type} line (is this an ${BUNDLE_FORMAT}?)`, n);
      this.sawHeader = true;
      return { kind: 'header', version: line.version, exportedAt: line.exportedAt, source: line.source };
    }
    switch (line.type) {
      case 'header':
        throw new BundleError('a second header', n);
      case 'session':
        if (this.open) throw this.unfinished(n, 'session');
        this.open = { session: line.record, line: n, messages: [], state: null, artifacts: [], keys: new Set() };
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
      case 'artifact':
        this.member(line.record.sessionId, 'artifact', n).artifacts.push(line.record);
        return null;
      case 'session_end': {
        const open = this.member(line.sessionId, 'session_end', n);
        const actual: SessionCounts = { messages: open.messages.length, states: open.state ? 1 : 0, artifacts: open.artifacts.length };
        for (const key of ['messages', 'states', 'artifacts'] as const) {
          if (line.counts[key] !== actual[key]) {
            throw new BundleError(`session_end of ${open.session.id} counts ${line.counts[key]} ${key} but the session has ${actual[key]}`, n);
          }
        }
        this.open = null;
        this.seen.sessions++;
        this.seen.messages += actual.messages;
        this.seen.states += actual.states;
        this.seen.artifacts += actual.artifacts;
        const { session, messages, state, artifacts } = open;
        return { kind: 'session', bundle: { session, messages, state, artifacts }, line: open.line };
      }
      case 'metric':
        if (this.open) throw this.unfinished(n, 'metric');
        this.seen.metrics++;
        return { kind: 'metric', metric: line.record };
      case 'footer': {
        if (this.open) throw this.unfinished(n, 'footer');
        for (const key of ['sessions', 'messages', 'states', 'artifacts', 'metrics'] as const) {
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

// --- reading: lines from a stream -------------------------------------------------------------

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
