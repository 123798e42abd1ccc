import { existsSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { ConfigError, loadConfig, type Config, type DatabaseConfig } from '../config.js';
import { DomainError } from '../domain/errors.js';
import { DEFAULT_TENANT } from '../domain/inputs.js';
import { blobFolderOf } from '../modules/blobs/filesystem.js';
import type { StorageBackend } from '../storage/backend.js';
import { openBackend } from '../storage/open.js';
import { tenantDatabase } from '../storage/tenants.js';
import { SERVICE } from '../version.js';
import { BACKUP_USAGE, EXPORT_USAGE, IMPORT_USAGE, KEYS_USAGE, RESTORE_USAGE, parseArgs, USAGE, UsageError, type Command, type HelpTopic } from './args.js';
import { backupDatabase, restoreDatabase, type CopyReport } from './backup.js';
import { BundleError, type Totals } from './bundle.js';
import { exportBundle } from './export.js';
import { importBundle, type ImportReport } from './import.js';
import { createKey, listKeys, revokeKey } from './keys.js';
import { CliFailure, describeFsError, fileInput, fileOutput, isFsError, stdoutOutput, type Output } from './streams.js';

/** What the CLI talks to; the process entry passes the real ones, tests their own. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
  /** Aborted on SIGINT/SIGTERM: the command stops at the next page or session, cleanly. */
  signal?: AbortSignal;
}

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

const USAGES = { export: EXPORT_USAGE, import: IMPORT_USAGE, backup: BACKUP_USAGE, restore: RESTORE_USAGE, keys: KEYS_USAGE } as const;
const usageOf = (topic: HelpTopic) => (topic === null ? USAGE : USAGES[topic]);

/** Runs one command and says the exit code. Expected failures are one clear line on stderr, never a stack. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: Command;
  try {
    command = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`agent-storage: ${error.message}\n\n${usageOf(error.topic)}`);
    return EXIT.usage;
  }
  if (command.kind === 'help') {
    io.stdout.write(usageOf(command.topic));
    return EXIT.ok;
  }
  if (command.kind === 'version') {
    io.stdout.write(`${SERVICE.name} ${SERVICE.version}\n`);
    return EXIT.ok;
  }
  if (command.kind === 'import' && command.in === null && io.stdin.isTTY) {
    io.stderr.write(`agent-storage: import reads the bundle from standard input, which is a terminal; give --in FILE or pipe a bundle in\n\n${IMPORT_USAGE}`);
    return EXIT.usage;
  }

  // Configured exactly as the server is; `--database` stands in for DATABASE_URL.
  let config: Config;
  try {
    config = loadConfig(command.database === null ? io.env : { ...io.env, DATABASE_URL: command.database });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`agent-storage: ${error.message}\n`);
    return EXIT.usage;
  }

  const name = command.kind.replace('-', ' ');
  try {
    switch (command.kind) {
      case 'export':
        return await runExport(command, config, io);
      case 'import':
        return await runImport(command, config, io);
      case 'backup':
      case 'restore':
        return await runBackupOrRestore(command, config, io);
      default:
        return await runKeys(command, config, io);
    }
  } catch (error) {
    if (io.signal?.aborted) {
      io.stderr.write(`agent-storage ${name}: interrupted\n`);
      return EXIT.interrupted;
    }
    io.stderr.write(`agent-storage ${name}: ${describeError(error)}\n`);
    return EXIT.failed;
  }
}

type ExportCommand = Extract<Command, { kind: 'export' }>;
type ImportCommand = Extract<Command, { kind: 'import' }>;
type BackupCommand = Extract<Command, { kind: 'backup' | 'restore' }>;
type KeysCommand = Extract<Command, { kind: 'keys-create' | 'keys-list' | 'keys-revoke' }>;

async function runExport(command: ExportCommand, config: Config, io: CliIo): Promise<number> {
  const database = tenantDatabase(config.database, command.tenant);
  requireExisting(database, command.tenant);
  return withBackend(config, database, async (backend) => {
    if (command.sessionId !== null && (await backend.stores.sessionMaintenance.byIdsIncludingExpired([command.sessionId])).length === 0) {
      throw new CliFailure(`session ${command.sessionId} not found in ${describeDatabase(database)}`);
    }
    const destination = command.out ?? 'standard output';
    const output: Output = command.out === null ? stdoutOutput(io.stdout) : await fileOutput(command.out);
    let totals: Totals;
    try {
      totals = await exportBundle(backend, output.sink, {
        sessionId: command.sessionId,
        agentName: command.agentName,
        exportedAt: new Date().toISOString(),
        source: { service: SERVICE.name, version: SERVICE.version, backend: backend.kind },
        signal: io.signal,
      });
      await output.commit();
    } catch (error) {
      await output.abort();
      throw error;
    }
    io.stderr.write(
      `Exported ${plural(totals.sessions, 'session')} (${plural(totals.messages, 'message')}, ${plural(totals.states, 'state')}, ` +
        `${plural(totals.artifacts, 'artifact')}, ${plural(totals.contents, 'content version')}, ${plural(totals.blobs, 'blob')}) ` +
        `and ${plural(totals.metrics, 'metric')} from ${describeDatabase(database)} to ${destination}\n`,
    );
    return EXIT.ok;
  });
}

async function runImport(command: ImportCommand, config: Config, io: CliIo): Promise<number> {
  const source = command.in ?? 'standard input';
  // Open the bundle first: a mistyped file name must not create an empty database.
  const input = command.in === null ? io.stdin : await fileInput(command.in);
  const database = tenantDatabase(config.database, command.tenant);
  try {
    return await withBackend(config, database, async (backend) => {
      const { report, error } = await importBundle(backend, input, { signal: io.signal, maxBlobBytes: config.blobs.maxArtifactBytes });
      io.stdout.write(formatImportReport(report, source, describeDatabase(database)));
      for (const conflict of report.conflicts) {
        io.stderr.write(`agent-storage import: session ${conflict.sessionId} (line ${conflict.line}) was not imported: ${conflict.message}\n`);
      }
      if (error !== null) {
        if (io.signal?.aborted) {
          io.stderr.write('agent-storage import: interrupted; the sessions listed as new above are imported\n');
          return EXIT.interrupted;
        }
        const where = error instanceof BundleError ? `in ${source}, ` : '';
        io.stderr.write(`agent-storage import: ${where}${describeError(error, source)}\n`);
        return EXIT.failed;
      }
      return report.conflicts.length > 0 ? EXIT.failed : EXIT.ok;
    });
  } finally {
    if (input !== io.stdin) input.destroy();
  }
}

/**
 * Backup and restore work on a SQLite file and its blob folder, beside a running service (backup)
 * or in place of a stopped one's database (restore); PostgreSQL has its own tools (docs/backups.md).
 */
async function runBackupOrRestore(command: BackupCommand, config: Config, io: CliIo): Promise<number> {
  const database = tenantDatabase(config.database, command.tenant);
  if (database.kind === 'postgres') {
    throw new CliFailure(
      `${command.kind} copies SQLite databases; for PostgreSQL (${describeDatabase(database)}) use pg_dump and pg_restore, ` +
        'or agent-storage export and import for a portable bundle (see docs/backups.md)',
    );
  }
  if (database.filename === ':memory:') throw new CliFailure(`an in-memory database has nothing to ${command.kind}`);
  const options = { force: command.force, signal: io.signal };
  if (command.kind === 'backup') {
    requireExisting(database, command.tenant);
    const report = await backupDatabase(database.filename, command.to, options);
    io.stdout.write(`Backed up ${describeDatabase(database)} to ${command.to}: ${describeCopy(report, blobFolderOf(command.to))}\n`);
  } else {
    const report = await restoreDatabase(command.from, database.filename, options);
    io.stdout.write(`Restored ${command.from} to ${describeDatabase(database)}: ${describeCopy(report, blobFolderOf(database.filename))}\n`);
  }
  return EXIT.ok;
}

function describeCopy(report: CopyReport, blobFolder: string): string {
  const bytes = report.pages * report.pageSize;
  const blobs =
    report.blobs === 0
      ? 'no content files'
      : `${plural(report.blobs, 'content file')} (${sizeOf(report.blobBytes)}) in ${blobFolder}${report.blobsPresent > 0 ? `, ${report.blobsPresent} already there` : ''}`;
  return (
    `${plural(report.pages, 'page')} of ${report.pageSize} bytes (${sizeOf(bytes)}), schema version ${report.schemaVersion}, ` +
    `${blobs}, integrity_check ok, in ${(report.elapsedMs / 1000).toFixed(1)} s`
  );
}

function sizeOf(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let unit = 0;
  while (bytes >= 1024 && unit < units.length - 1) {
    bytes /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${bytes.toFixed(1)} ${units[unit]}`;
}

/** Keys live in the default tenant's database: the one DATABASE_URL (or `--database`) names. */
async function runKeys(command: KeysCommand, config: Config, io: CliIo): Promise<number> {
  const out = { stdout: io.stdout, stderr: io.stderr, json: command.json };
  // Creating the first key may well come before the server ever ran: it creates the database.
  // Listing and revoking must not create an empty one at a mistyped path.
  if (command.kind !== 'keys-create') requireExisting(config.database, null);
  return withBackend(config, config.database, async (backend) => {
    if (command.kind === 'keys-create') await createKey(backend.stores.keys, command.input, out);
    else if (command.kind === 'keys-list') await listKeys(backend.stores.keys, command.tenant, out);
    else await revokeKey(backend.stores.keys, command.id, out);
    return EXIT.ok;
  });
}

/** Reading must not create an empty database at a mistyped path (or for a mistyped tenant). */
function requireExisting(database: DatabaseConfig, tenant: string | null): void {
  if (database.kind === 'sqlite' && database.filename !== ':memory:' && !existsSync(database.filename)) {
    const check =
      tenant === null || tenant === DEFAULT_TENANT
        ? 'check --database or DATABASE_URL'
        : `tenant "${tenant}" has no data there; check --tenant, --database or DATABASE_URL`;
    throw new CliFailure(`no database at ${database.filename} (${check})`);
  }
}

async function withBackend<T>(config: Config, database: DatabaseConfig, work: (backend: StorageBackend) => Promise<T>): Promise<T> {
  let backend: StorageBackend;
  try {
    // Content as the server keeps it: in the same blob store (BLOB_STORE), under the same quota.
    backend = await openBackend(database, {
      sqliteBusyTimeoutMs: config.sqliteBusyTimeoutMs,
      sqliteCacheMb: config.sqliteCacheMb,
      stateHistoryVersions: config.stateHistoryVersions,
      blobStore: config.blobs.store,
      quotaBytes: config.blobs.quotaBytes,
    });
  } catch (error) {
    throw new CliFailure(`cannot open the database: ${(error as Error).message}`);
  }
  try {
    return await work(backend);
  } finally {
    await backend.close();
  }
}

function formatImportReport(report: ImportReport, source: string, target: string): string {
  const origin = report.header
    ? ` (exported ${report.header.exportedAt}${typeof report.header.source.backend === 'string' ? ` from ${report.header.source.backend}` : ''})`
    : '';
  const rows = (['sessions', 'messages', 'states', 'artifacts', 'contents', 'blobs', 'metrics'] as const).map(
    (key) => `  ${`${key}:`.padEnd(11)}${String(report.imported[key]).padStart(8)} imported, ${String(report.skipped[key]).padStart(8)} already present`,
  );
  return `Imported ${source}${origin} into ${target}:\n${rows.join('\n')}\n`;
}

/** The expected failures as one line; anything else is a bug and keeps its stack. */
function describeError(error: unknown, inputName?: string): string {
  if (error instanceof CliFailure || error instanceof BundleError || error instanceof DomainError) return error.message;
  if (isFsError(error)) return inputName ? `cannot read ${inputName}: ${describeFsError(error)}` : describeFsError(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === 'string' && code.startsWith('SQLITE_')) return `database error: ${error.message}`;
  return `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}

/**
 * Where the data is, without credentials: the URL as given but for its passwords, with the schema
 * (taken out of the driver's URL by parseDatabaseUrl) put back, since it says which data it is.
 */
export function describeDatabase(database: DatabaseConfig): string {
  if (database.kind === 'sqlite') return `sqlite:${database.filename}`;
  try {
    const url = new URL(database.url);
    url.password = '';
    // The driver reads query parameters as connection settings, password= and sslpassword= too.
    for (const name of [...url.searchParams.keys()]) if (/password/i.test(name)) url.searchParams.delete(name);
    if (database.schema !== undefined) url.searchParams.set('schema', database.schema);
    return url.toString();
  } catch {
    return 'postgres';
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
