import { ConflictError, DomainError, InsufficientStorageError } from '../domain/errors.js';
import type { JsonObject } from '../domain/json.js';
import type { Metric } from '../domain/records.js';
import type { StorageBackend } from '../storage/backend.js';
import type { StagedBlob } from '../modules/blobs/bytes.js';
import type { SessionBundle } from '../modules/sessions/bundle.js';
import type { ImportCounts, ParentLink } from '../modules/sessions/import.js';
import { BUNDLE_VERSION, BundleError, type BundleVersion, type Totals, zeroTotals } from './bundle.js';
import { type BundleLine, notAHeader, parseBundleLine } from './bundle-lines.js';
import { type BundleEvent, BundleReader, readLines, type SessionContent } from './bundle-read.js';

export interface ImportReport {
  header: { exportedAt: string; source: JsonObject } | null;
  /** Records written by this import. */
  imported: Totals;
  /** Records of committed sessions (and metrics) that were already present. */
  skipped: Totals;
  /** Sessions refused by the target (a seq taken by another message); nothing of them was written. */
  conflicts: { sessionId: string; line: number; message: string }[];
}

export interface ImportResult {
  report: ImportReport;
  /**
   * Why the import stopped before the end of a complete bundle (a bad or missing line, a
   * truncated file, an unreadable input, the database, an interruption); null when it did not.
   * Sessions committed before it stay imported.
   */
  error: unknown;
}

export interface ImportOptions {
  /** Metrics written per transaction. */
  metricBatch?: number;
  /** Checked between sessions and metric batches. */
  signal?: AbortSignal;
  /** The largest blob taken (MAX_ARTIFACT_BYTES); default: no limit but the quota. */
  maxBlobBytes?: number;
}

const DEFAULT_METRIC_BATCH = 1000;

/** A blob of the bundle: bytes staged in the target and not yet referenced, or already a blob there. */
type CarriedBlob = { staged: StagedBlob } | 'in the target';

/**
 * Reads a bundle line by line, validating each. Holds one session at a time and writes it with
 * `importSession` when its `session_end` arrives (all or nothing); metrics go in batches. Never
 * throws: whatever stops it is returned with the report of what was committed until then.
 *
 * Forks come before their parents in a bundle (newest first), and `importSession` links a fork to
 * its parent only when the parent is there: the links of every fork read are remembered (two ids
 * each) and made at the end with `linkParents`, once both sides are in. A fork whose parent is in
 * neither the bundle nor the target stays without a parent, as if the parent had been deleted.
 *
 * Content: a blob's chunks are streamed into the target's blob store (`Blobs.stage`) as they are
 * read, never held whole, and refused — nothing kept — unless their size and sha256 are the blob's
 * (the reader checks them at the last chunk, inside the stage). A blob the target already has is
 * only checked. The staged bytes become a blob in the transaction of the first session whose
 * versions name them, so that no version ever names missing bytes; those of a session that was not
 * written stay staged for a later session of the bundle, and are dropped at the end.
 */
export async function importBundle(
  backend: StorageBackend,
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const batchSize = options.metricBatch ?? DEFAULT_METRIC_BATCH;
  const maxBlobBytes = options.maxBlobBytes ?? Number.MAX_SAFE_INTEGER;
  const report: ImportReport = { header: null, imported: zeroTotals(), skipped: zeroTotals(), conflicts: [] };
  const reader = new BundleReader();
  const metrics: Metric[] = [];
  const links: ParentLink[] = [];
  const blobs = new Map<string, CarriedBlob>();
  let version: BundleVersion = BUNDLE_VERSION;
  const lines = readLines(input)[Symbol.asyncIterator]();

  /** The next line's event (null for lines that only add to the open session); undefined at the end of the input. */
  const nextEvent = async (): Promise<{ event: BundleEvent | null; number: number } | undefined> => {
    for (;;) {
      const next = await lines.next();
      if (next.done) return undefined;
      const { text, number, terminated } = next.value;
      if (text.trim() === '') continue;
      let line: BundleLine;
      try {
        line = parseBundleLine(text, number, version);
      } catch (error) {
        // Before the header, the version is unknown: a line of another type says that first.
        const type = report.header === null && error instanceof BundleError ? typeOf(text) : undefined;
        if (type !== undefined && type !== 'header') throw notAHeader(type, number);
        if (terminated || !(error instanceof BundleError)) throw error;
        // A last line that does not parse and has no newline was cut off: say so plainly.
        const open = reader.openSession;
        throw new BundleError(
          `the last line is incomplete: the file is truncated${open ? `, and session ${open.id} (line ${open.line}) was not imported` : ''}`,
          number,
        );
      }
      return { event: reader.accept(line, number), number };
    }
  };

  /** The bytes of the blob whose line was just read, from its chunk lines (checked by the reader). */
  async function* chunksOf(blob: { sha256: string; chunks: number; line: number }): AsyncGenerator<Buffer> {
    for (let seq = 0; seq < blob.chunks; seq++) {
      const next = await nextEvent();
      if (!next) throw new BundleError(`the bundle ends inside blob ${blob.sha256} (line ${blob.line}): the file is truncated`);
      // The reader refuses any other line while a blob's chunks are due.
      if (next.event?.kind === 'blob_chunk') yield next.event.data;
    }
  }

  const readBlob = async (blob: { sha256: string; size: number; chunks: number; line: number }) => {
    if (blob.size > maxBlobBytes) {
      throw new BundleError(`blob ${blob.sha256} is ${blob.size} bytes, more than this server takes (MAX_ARTIFACT_BYTES ${maxBlobBytes})`, blob.line);
    }
    if ((await backend.stores.blobs.rows.rowsOf([blob.sha256])).has(blob.sha256)) {
      for await (const _ of chunksOf(blob)); // checked, not stored again
      blobs.set(blob.sha256, 'in the target');
      report.skipped.blobs++;
      return;
    }
    try {
      blobs.set(blob.sha256, { staged: await backend.stores.blobs.stage(chunksOf(blob), maxBlobBytes) });
    } catch (error) {
      if (error instanceof DomainError) throw new BundleError(`blob ${blob.sha256} (${blob.size} bytes) was not imported: ${error.message}`, blob.line);
      throw error;
    }
  };

  const flushMetrics = async () => {
    if (metrics.length === 0) return;
    const added = await backend.stores.metrics.import(metrics);
    report.imported.metrics += added;
    report.skipped.metrics += metrics.length - added;
    metrics.length = 0;
  };

  const importSession = async (bundle: SessionBundle, content: SessionContent, line: number) => {
    // The bytes this session's versions are the first to name, each with its first version's time.
    const staged = new Map<string, { staged: StagedBlob; createdAt: string }>();
    for (const v of content.versions) {
      const blob = blobs.get(v.sha256);
      if (blob !== undefined && blob !== 'in the target' && !staged.has(v.sha256)) staged.set(v.sha256, { staged: blob.staged, createdAt: v.createdAt });
    }
    let counts: ImportCounts;
    try {
      counts = await backend.stores.sessionImport.importSession(bundle, { versions: content.versions, nextVersions: content.nextVersions, staged: [...staged.values()] });
    } catch (error) {
      // One session that does not fit the target does not stop the others (its blobs stay staged).
      if (!(error instanceof ConflictError)) {
        if (error instanceof InsufficientStorageError) throw new BundleError(`session ${bundle.session.id} (line ${line}) was not imported: ${error.message}`);
        throw error;
      }
      report.conflicts.push({ sessionId: bundle.session.id, line, message: error.message });
      return;
    }
    for (const [sha256, { staged: bytes }] of staged) {
      blobs.set(sha256, 'in the target');
      await bytes.release(true);
    }
    if (bundle.session.parentId !== null) links.push({ id: bundle.session.id, parentId: bundle.session.parentId });
    const carried = { sessions: 1, messages: bundle.messages.length, states: bundle.state ? 1 : 0, artifacts: bundle.artifacts.length, contents: content.versions.length };
    for (const key of ['sessions', 'messages', 'states', 'artifacts', 'contents'] as const) {
      report.imported[key] += counts[key];
      report.skipped[key] += carried[key] - counts[key];
    }
    report.imported.blobs += staged.size;
  };

  try {
    for (let next = await nextEvent(); next; next = await nextEvent()) {
      const { event } = next;
      switch (event?.kind) {
        case 'header':
          version = event.version;
          report.header = { exportedAt: event.exportedAt, source: event.source };
          break;
        case 'blob':
          await readBlob(event);
          break;
        case 'session':
          options.signal?.throwIfAborted();
          await importSession(event.bundle, event.content, event.line);
          break;
        case 'metric':
          metrics.push(event.metric);
          if (metrics.length >= batchSize) {
            options.signal?.throwIfAborted();
            await flushMetrics();
          }
          break;
      }
    }
    await flushMetrics();
    await backend.stores.sessionImport.linkParents(links);
    reader.finish();
    return { report, error: null };
  } catch (error) {
    // Metric lines read before the problem are complete and valid on their own: keep them. And the
    // sessions committed before it are linked to their parents as far as both are in.
    try {
      await flushMetrics();
      await backend.stores.sessionImport.linkParents(links);
    } catch {
      // the original error says more
    }
    return { report, error };
  } finally {
    // Bytes staged for sessions that were not written (refused, or cut off) are dropped.
    for (const blob of blobs.values()) if (blob !== 'in the target') await blob.staged.release(false).catch(() => {});
  }
}

/** The `type` of a line that is a JSON object with a string `type`, if it is one. */
function typeOf(text: string): string | undefined {
  try {
    const type = (JSON.parse(text) as { type?: unknown } | null)?.type;
    return typeof type === 'string' ? type : undefined;
  } catch {
    return undefined;
  }
}
