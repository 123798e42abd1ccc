import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseDatabaseUrl } from '../../src/config.js';
import { createIdGenerator } from '../../src/domain/ids.js';
import { createHash } from 'node:crypto';
import type { Artifact, ArtifactContent, Message, Metric, Session, State } from '../../src/domain/records.js';
import type { MetricKey } from '../../src/modules/metrics/store.js';
import type { StorageBackend } from '../../src/storage/backend.js';
import { openBackend } from '../../src/storage/open.js';
import { Storage } from '../../src/storage/storage.js';
import { ManualClock } from '../support/fixtures.js';

/* Running the real `agent-storage` command, and reading whole databases back for comparison. */

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/agent-storage.mjs', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/agent-storage.mjs ...args` as a child process, as a user would (from the repository,
 * without DATABASE_URL unless given), feeding `input` to its standard input.
 */
export function runCli(
  args: readonly string[],
  options: { input?: string | Buffer; env?: Record<string, string>; nodeOptions?: readonly string[]; timeoutMs?: number } = {},
): Promise<CliRun> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  if (!options.env?.DATABASE_URL) delete env.DATABASE_URL;
  const child = spawn(process.execPath, [...(options.nodeOptions ?? []), BIN, ...args], { cwd: REPO, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stdin.on('error', () => {}); // the CLI may stop reading early (e.g. a bad first line)
  child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

/** A backend for a DATABASE_URL, opened as the server and the CLI open it, with a Storage on a manual clock. */
export async function withStorage<T>(url: string, work: (storage: Storage, backend: StorageBackend, clock: ManualClock) => Promise<T>): Promise<T> {
  const backend = await openBackend(parseDatabaseUrl(url));
  const clock = new ManualClock();
  try {
    return await work(new Storage(backend, clock, createIdGenerator(clock)), backend, clock);
  } finally {
    await backend.close();
  }
}

export interface SessionSnapshot {
  session: Session;
  messages: Message[];
  state: State | null;
  artifacts: Artifact[];
  /** Of each artifact with content or a version number used: its next version and versions, with the sha256 of the bytes read back. */
  contents: Record<string, { nextVersion: number; versions: (ArtifactContent & { read: string })[] }>;
}

export interface Snapshot {
  /** Newest first, as listed. */
  sessions: SessionSnapshot[];
  /** By time, then id. */
  metrics: Metric[];
}

/** Every exported record of a database, in natural order, read through the backend interface. */
export async function snapshot(url: string): Promise<Snapshot> {
  return withStorage(url, async (_storage, backend) => {
    const sessions: SessionSnapshot[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await backend.stores.sessionMaintenance.listIncludingExpired({}, { after, limit: 500 });
      for (const session of page) {
        const [state] = await backend.stores.state.bySessionIdsIncludingExpired([session.id]);
        const artifacts = (await backend.stores.artifacts.pagesIncludingExpired([session.id], { limit: 1_000_000 })).get(session.id)!;
        const contents: SessionSnapshot['contents'] = {};
        for (const [id, { nextVersion, versions }] of await backend.stores.contents.versionsIncludingExpired(artifacts.map((a) => a.id))) {
          if (nextVersion === 0) continue;
          contents[id] = { nextVersion, versions: [] };
          for (const { blob, ...version } of versions) {
            const hash = createHash('sha256');
            for await (const chunk of backend.stores.blobs.open(blob, null)) hash.update(chunk as Buffer);
            contents[id].versions.push({ ...version, read: hash.digest('hex') });
          }
        }
        sessions.push({
          session,
          messages: (await backend.stores.history.pagesIncludingExpired([session.id], { limit: 1_000_000 })).get(session.id)!,
          state: state ?? null,
          artifacts,
          contents,
        });
      }
      if (page.length < 500) break;
      after = page.at(-1)!.id;
    }
    const metrics: Metric[] = [];
    let key: MetricKey | null = null;
    for (;;) {
      const page = await backend.stores.metrics.list({}, { after: key, limit: 1000 });
      metrics.push(...page);
      if (page.length < 1000) break;
      key = { timestamp: page.at(-1)!.timestamp, id: page.at(-1)!.id };
    }
    return { sessions, metrics };
  });
}

/** Record counts of a snapshot, for the summaries. */
export function countsOf(s: Snapshot) {
  return {
    sessions: s.sessions.length,
    messages: s.sessions.reduce((n, x) => n + x.messages.length, 0),
    states: s.sessions.filter((x) => x.state !== null).length,
    artifacts: s.sessions.reduce((n, x) => n + x.artifacts.length, 0),
    metrics: s.metrics.length,
    contents: s.sessions.reduce((n, x) => n + Object.values(x.contents).reduce((m, c) => m + c.versions.length, 0), 0),
    blobs: new Set(s.sessions.flatMap((x) => Object.values(x.contents).flatMap((c) => c.versions.map((v) => v.sha256)))).size,
  };
}

/** The lines of a bundle without its header (which carries the export time and source). */
export const bodyOf = (bundle: string) => bundle.split('\n').slice(1).join('\n');

/** A bundle's lines, parsed. */
export const linesOf = (bundle: string) =>
  bundle
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { type: string; record?: { id?: string; session_id?: string | null }; [key: string]: unknown });

/** The import summary's numbers, e.g. `{ messages: { imported: 3, present: 0 } }`. */
export function parseSummary(stdout: string): Record<string, { imported: number; present: number }> {
  const out: Record<string, { imported: number; present: number }> = {};
  for (const match of stdout.matchAll(/^\s+(\w+):\s+(\d+) imported,\s+(\d+) already present$/gm)) {
    out[match[1]!] = { imported: Number(match[2]), present: Number(match[3]) };
  }
  return out;
}
