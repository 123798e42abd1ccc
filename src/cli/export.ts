import type { JsonObject } from '../domain/json.js';
import type { ContentToExport } from '../modules/artifacts/content-store.js';
import { hashedPieces } from '../modules/blobs/bytes.js';
import type { Artifact, Message, Session } from '../domain/records.js';
import type { MetricKey } from '../modules/metrics/store.js';
import type { StorageBackend } from '../storage/backend.js';
import { BLOB_CHUNK_BYTES, type SessionCounts, type Totals, zeroTotals } from './bundle.js';
import {
  artifactLine,
  blobChunkLine,
  blobLine,
  contentLine,
  footerLine,
  headerLine,
  messageLine,
  metricLine,
  sessionEndLine,
  sessionLine,
  stateLine,
} from './bundle-write.js';
import { CliFailure } from './streams.js';

/** Where bundle lines go; `write` resolves when the destination can take more (backpressure). */
export interface LineSink {
  write(text: string): Promise<void>;
}

export interface ExportOptions {
  /** Only this session (and the metrics recorded for it). */
  sessionId?: string | null;
  /** Only this agent's sessions (and the metrics recorded for them). */
  agentName?: string | null;
  /** Written into the header. */
  exportedAt: string;
  source: JsonObject;
  /** Rows fetched per query; memory is bounded by one page, whatever the size of the database. */
  pageSize?: number;
  /** Checked between pages: an interrupted export stops there. */
  signal?: AbortSignal;
}

export const DEFAULT_PAGE_SIZE = 1000;

/**
 * Streams a bundle: sessions page by page (keyset on id), each session's history page by page
 * (keyset on seq), its state and artifacts — each with its content versions, a blob's bytes read
 * from the tenant's blob store and written in chunks the first time a version names it — then
 * metrics (keyset on time and id). Nothing is held beyond the current page (and a chunk), and every
 * line waits for the sink, so memory stays flat; but for the sha256 of each blob written, kept so
 * that the bundle carries it once.
 * The session must exist when `sessionId` is given (the caller checks, before creating any output).
 */
export async function exportBundle(backend: StorageBackend, sink: LineSink, options: ExportOptions): Promise<Totals> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const totals = zeroTotals();
  const checkpoint = () => options.signal?.throwIfAborted();
  const filter = { sessionId: options.sessionId ?? null, agentName: options.agentName ?? null };
  const carried = new Set<string>();

  await sink.write(headerLine({ exportedAt: options.exportedAt, source: options.source, filter }));

  for await (const session of sessions(backend, filter, pageSize)) {
    checkpoint();
    const counts = await exportSession(backend, sink, session, pageSize, checkpoint, carried);
    totals.sessions++;
    for (const key of ['messages', 'states', 'artifacts', 'contents', 'blobs'] as const) totals[key] += counts[key];
  }

  // Metrics: all of them, or those recorded for the exported sessions (a second pass over the
  // sessions rather than a list of their ids, which could be long).
  if (filter.sessionId === null && filter.agentName === null) {
    totals.metrics += await exportMetrics(backend, sink, null, pageSize, checkpoint);
  } else {
    for await (const session of sessions(backend, filter, pageSize)) {
      totals.metrics += await exportMetrics(backend, sink, session.id, pageSize, checkpoint);
    }
  }

  await sink.write(footerLine(totals));
  return totals;
}

/** The sessions to export, page by page, newest first (their natural order). */
async function* sessions(
  backend: StorageBackend,
  filter: { sessionId: string | null; agentName: string | null },
  pageSize: number,
): AsyncGenerator<Session> {
  if (filter.sessionId !== null) {
    yield* await backend.stores.sessionMaintenance.byIdsIncludingExpired([filter.sessionId]);
    return;
  }
  let after: string | null = null;
  for (;;) {
    const page = await backend.stores.sessionMaintenance.listIncludingExpired({ agentName: filter.agentName }, { after, limit: pageSize });
    yield* page;
    if (page.length < pageSize) return;
    after = page.at(-1)!.id;
  }
}

async function exportSession(
  backend: StorageBackend,
  sink: LineSink,
  session: Session,
  pageSize: number,
  checkpoint: () => void,
  carried: Set<string>,
): Promise<SessionCounts> {
  const counts: SessionCounts = { messages: 0, states: 0, artifacts: 0, contents: 0, blobs: 0 };
  await sink.write(sessionLine(session));

  let afterSeq: number | null = null;
  for (;;) {
    const page: Message[] = (await backend.stores.history.pagesIncludingExpired([session.id], { after: afterSeq, limit: pageSize })).get(session.id) ?? [];
    for (const message of page) await sink.write(messageLine(message));
    counts.messages += page.length;
    if (page.length < pageSize) break;
    afterSeq = page.at(-1)!.seq;
    checkpoint();
  }

  const [state] = await backend.stores.state.bySessionIdsIncludingExpired([session.id]);
  if (state) {
    await sink.write(stateLine(state));
    counts.states = 1;
  }

  let afterId: string | null = null;
  for (;;) {
    const page: Artifact[] = (await backend.stores.artifacts.pagesIncludingExpired([session.id], { after: afterId, limit: pageSize })).get(session.id) ?? [];
    const contents = await backend.stores.contents.versionsIncludingExpired(page.map((a) => a.id));
    for (const artifact of page) {
      const { nextVersion = 0, versions = [] } = contents.get(artifact.id) ?? {};
      await sink.write(artifactLine(artifact, nextVersion));
      for (const version of versions) {
        if (!carried.has(version.sha256)) {
          await exportBlob(backend, sink, version);
          carried.add(version.sha256);
          counts.blobs++;
        }
        await sink.write(contentLine(version));
        counts.contents++;
      }
    }
    counts.artifacts += page.length;
    if (page.length < pageSize) break;
    afterId = page.at(-1)!.id;
    checkpoint();
  }

  await sink.write(sessionEndLine(session.id, counts));
  return counts;
}

/**
 * A blob's line and its chunks, read from the blob store as a stream. Its bytes are checked on
 * the way (their size and sha256 against its row): a bundle never carries bytes that its import
 * would refuse.
 */
async function exportBlob(backend: StorageBackend, sink: LineSink, { blob, artifactId, version }: ContentToExport): Promise<void> {
  const { sha256, size } = blob;
  await sink.write(blobLine({ sha256, size, chunks: Math.ceil(size / BLOB_CHUNK_BYTES) }));
  const damaged = (what: string) => new CliFailure(`the content of artifact ${artifactId} version ${version} (blob ${sha256}) ${what} in the source database`);
  const { pieces, done } = hashedPieces(backend.stores.blobs.open(blob, null), BLOB_CHUNK_BYTES, { maxBytes: size, tooLarge: () => damaged(`has more than its ${size} bytes`) });
  for (let seq = 0; ; seq++) {
    let next: IteratorResult<Buffer>;
    try {
      next = await pieces.next();
    } catch (error) {
      throw error instanceof CliFailure ? error : damaged(`cannot be read (${(error as Error).message})`);
    }
    if (next.done) break;
    await sink.write(blobChunkLine(sha256, seq, next.value));
  }
  const read = done();
  if (read.size !== size) throw damaged(`has ${read.size} bytes, not ${size}`);
  if (read.sha256 !== sha256) throw damaged(`has the sha256 ${read.sha256}: its bytes are damaged`);
}

async function exportMetrics(
  backend: StorageBackend,
  sink: LineSink,
  sessionId: string | null,
  pageSize: number,
  checkpoint: () => void,
): Promise<number> {
  let written = 0;
  let after: MetricKey | null = null;
  for (;;) {
    const page = await backend.stores.metrics.list({ sessionId }, { after, limit: pageSize });
    for (const metric of page) await sink.write(metricLine(metric));
    written += page.length;
    if (page.length < pageSize) return written;
    const last = page.at(-1)!;
    after = { timestamp: last.timestamp, id: last.id };
    checkpoint();
  }
}
