import { ConflictError } from '../domain/errors.js';
import type { JsonObject } from '../domain/json.js';
import type { Metric } from '../domain/records.js';
import type { StorageBackend } from '../storage/backend.js';
import type { ParentLink } from '../modules/sessions/import.js';
import {
  BUNDLE_VERSION,
  BundleError,
  BundleReader,
  parseBundleLine,
  readLines,
  zeroTotals,
  type BundleLine,
  type BundleVersion,
  type Totals,
} from './bundle.js';

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
}

const DEFAULT_METRIC_BATCH = 1000;

/**
 * Reads a bundle line by line, validating each. Holds one session at a time and writes it with
 * `importSession` when its `session_end` arrives (all or nothing); metrics go in batches. Never
 * throws: whatever stops it is returned with the report of what was committed until then.
 *
 * Forks come before their parents in a bundle (newest first), and `importSession` links a fork to
 * its parent only when the parent is there: the links of every fork read are remembered (two ids
 * each) and made at the end with `linkParents`, once both sides are in. A fork whose parent is in
 * neither the bundle nor the target stays without a parent, as if the parent had been deleted.
 */
export async function importBundle(
  backend: StorageBackend,
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const batchSize = options.metricBatch ?? DEFAULT_METRIC_BATCH;
  const report: ImportReport = { header: null, imported: zeroTotals(), skipped: zeroTotals(), conflicts: [] };
  const reader = new BundleReader();
  const metrics: Metric[] = [];
  const links: ParentLink[] = [];
  let version: BundleVersion = BUNDLE_VERSION;

  const flushMetrics = async () => {
    if (metrics.length === 0) return;
    const added = await backend.stores.metrics.import(metrics);
    report.imported.metrics += added;
    report.skipped.metrics += metrics.length - added;
    metrics.length = 0;
  };

  try {
    for await (const { text, number, terminated } of readLines(input)) {
      if (text.trim() === '') continue;
      let line: BundleLine;
      try {
        line = parseBundleLine(text, number, version);
      } catch (error) {
        if (terminated || !(error instanceof BundleError)) throw error;
        // A last line that does not parse and has no newline was cut off: say so plainly.
        const open = reader.openSession;
        throw new BundleError(
          `the last line is incomplete: the file is truncated${open ? `, and session ${open.id} (line ${open.line}) was not imported` : ''}`,
          number,
        );
      }
      const event = reader.accept(line, number);
      switch (event?.kind) {
        case 'header':
          version = event.version;
          report.header = { exportedAt: event.exportedAt, source: event.source };
          break;
        case 'session': {
          options.signal?.throwIfAborted();
          const { bundle } = event;
          try {
            const counts = await backend.stores.sessionImport.importSession(bundle);
            if (bundle.session.parentId !== null) links.push({ id: bundle.session.id, parentId: bundle.session.parentId });
            report.imported.sessions += counts.sessions;
            report.imported.messages += counts.messages;
            report.imported.states += counts.states;
            report.imported.artifacts += counts.artifacts;
            report.skipped.sessions += 1 - counts.sessions;
            report.skipped.messages += bundle.messages.length - counts.messages;
            report.skipped.states += (bundle.state ? 1 : 0) - counts.states;
            report.skipped.artifacts += bundle.artifacts.length - counts.artifacts;
          } catch (error) {
            // One session that does not fit the target does not stop the others.
            if (!(error instanceof ConflictError)) throw error;
            report.conflicts.push({ sessionId: bundle.session.id, line: event.line, message: error.message });
          }
          break;
        }
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
  }
}
