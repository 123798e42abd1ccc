import { createHash, type Hash } from 'node:crypto';
import type { JsonObject } from '../domain/json.js';
import type { Artifact, ArtifactContent, Message, Metric, Session, State } from '../domain/records.js';
import type { SessionBundle } from '../modules/sessions/bundle.js';
import { BLOB_CHUNK_BYTES, BUNDLE_FORMAT, BundleError, type BundleVersion, type SessionCounts, type Totals, zeroTotals } from './bundle.js';
import { type BundleLine, notAHeader } from './bundle-lines.js';

/**
 * Reading a bundle (bundle.ts describes it): the order of its lines checked and sessions
 * assembled (`BundleReader`, from lines parsed by bundle-lines.ts), and the lines of a byte stream
 * (`readLines`). What the import reads from.
 */

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
