import { parseArgs as parseArgv, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import { parseDatabaseUrl } from '../config.js';
import { ValidationError } from '../domain/errors.js';
import { createApiKeyInput, DEFAULT_TENANT, parseInput, shortText, tenantName, type CreateApiKeyInput } from '../domain/inputs.js';

/**
 * Command-line arguments of `agent-storage`, parsed into one command. `node:util` `parseArgs` splits
 * each command's arguments into options and positionals (`-` is an ordinary value or positional
 * there, for stdin/stdout); the rules below put every mistake in words that name the option as typed.
 */

/** What `--help` can be about: the whole tool, or one command (the `keys` subcommands share one text). */
export type HelpTopic = 'export' | 'import' | 'backup' | 'restore' | 'keys' | null;

const TOPICS = ['export', 'import', 'backup', 'restore', 'keys'] as const;

export type Command =
  | { kind: 'help'; topic: HelpTopic }
  | { kind: 'version' }
  | {
      kind: 'export';
      /** Null: standard output. */
      out: string | null;
      sessionId: string | null;
      agentName: string | null;
      /** Whose database to read (`tenantDatabase`). */
      tenant: string;
      /** `--database`, overriding `DATABASE_URL`. */
      database: string | null;
    }
  | {
      kind: 'import';
      /** Null: standard input. */
      in: string | null;
      tenant: string;
      database: string | null;
    }
  | {
      kind: 'backup';
      to: string;
      /** Replace an existing backup at `to`. */
      force: boolean;
      tenant: string;
      database: string | null;
    }
  | {
      kind: 'restore';
      from: string;
      /** Replace an existing database. */
      force: boolean;
      tenant: string;
      database: string | null;
    }
  | { kind: 'keys-create'; input: CreateApiKeyInput; json: boolean; database: string | null }
  | {
      kind: 'keys-list';
      /** Null: every tenant's keys. */
      tenant: string | null;
      json: boolean;
      database: string | null;
    }
  | { kind: 'keys-revoke'; id: string; json: boolean; database: string | null };

/** A mistake in the command line: exit code 2 and the usage. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly topic: HelpTopic = null,
  ) {
    super(message);
  }
}

export const USAGE = `Usage: agent-storage <command> [options]

Move data between agent-storage databases as a portable JSON Lines bundle, back up and restore
SQLite databases, and manage API keys.

Commands:
  export        Write sessions (history, state, artifacts, content) and metrics as a bundle
  import        Read a bundle into a database; idempotent, all or nothing per session
  backup        Copy a SQLite database (and its content files) while the service runs
  restore       Put a backup in place of a SQLite database (the service must be stopped)
  keys create   Create an API key for a tenant and print its secret (once)
  keys list     List API keys (never their secrets)
  keys revoke   Revoke an API key

Options (every command):
  --database <url>   Database to use instead of DATABASE_URL
                     (sqlite:<path>, sqlite::memory:, a plain path, or postgres://...)
  -h, --help         Show help (also: agent-storage <command> --help)
  --version          Show the version

Run 'agent-storage <command> --help' (export, import, backup, restore, keys) for details.
`;

export const EXPORT_USAGE = `Usage: agent-storage export [--out FILE|-] [--session ID | --agent NAME] [--tenant T] [--database URL]

Writes a bundle: a header line, then per session its session line, its messages in order,
its state, its artifacts (each with its content versions, and the bytes of each blob once)
and a session_end line; then metrics; then a footer with totals. Memory stays flat however
large the database is.

Options:
  -o, --out <file>     Where to write the bundle; '-' or absent: standard output.
                       A file appears only once the export is complete.
  --session <id>       Only this session, and the metrics recorded for it
  --agent <name>       Only this agent's sessions, and the metrics recorded for them
  --tenant <name>      Export this tenant's database (default: ${DEFAULT_TENANT}, which is
                       DATABASE_URL itself; see docs/moving-data.md)
  --database <url>     Database to read instead of DATABASE_URL

The summary goes to standard error.
Exit codes: 0 done, 1 failed (e.g. unknown session, unwritable file), 2 bad arguments.
`;

export const IMPORT_USAGE = `Usage: agent-storage import [--in FILE|-] [--tenant T] [--database URL]

Reads a bundle line by line and writes each session with its history, state, artifacts and
content in one transaction when its session_end line arrives (all or nothing per session), and
metrics in batches. Content's bytes are streamed into the blob store and checked against their
sha256 before anything names them; MAX_ARTIFACT_BYTES and STORAGE_QUOTA_BYTES apply. Records keep their ids, timestamps and order. Importing the same bundle again adds
nothing: records that already exist (by id) are left as they are and counted as skipped.

Options:
  -i, --in <file>      The bundle to read; '-' or absent: standard input
  --tenant <name>      Import into this tenant's database (default: ${DEFAULT_TENANT}, which is
                       DATABASE_URL itself); created if it is new
  --database <url>     Database to write instead of DATABASE_URL (created if it is a new
                       SQLite file)

A summary goes to standard output.
Exit codes: 0 done, 1 the bundle is unreadable, invalid, corrupted or truncated, the quota is
exceeded, or a session conflicted with the target (sessions before the problem stay imported),
2 bad arguments.
`;

export const BACKUP_USAGE = `Usage: agent-storage backup --to FILE [--force] [--tenant T] [--database URL]

Copies a SQLite database with SQLite's online backup API: a consistent snapshot, taken while the
service keeps serving reads and writes. With BLOB_STORE=filesystem, the content files the copy
names are copied (and their sha256 checked) into FILE-blobs/ beside it. FILE appears only once
complete and checked (PRAGMA integrity_check); FILE plus FILE-blobs/ is itself a database the
service can open. One database per run: the default tenant's, or --tenant's.

Options:
  --to <file>          Where to write the backup (required)
  --force              Replace an existing backup at FILE (default: refuse)
  --tenant <name>      Back up this tenant's database (default: ${DEFAULT_TENANT}, which is
                       DATABASE_URL itself)
  --database <url>     Database to back up instead of DATABASE_URL (a SQLite file; for
                       PostgreSQL use pg_dump or export, see docs/backups.md)

A summary goes to standard output.
Exit codes: 0 done, 1 failed (no database there, a PostgreSQL database, FILE exists, a damaged
copy, a file that cannot be written), 2 bad arguments, 130 interrupted (nothing is left at FILE).
`;

export const RESTORE_USAGE = `Usage: agent-storage restore --from FILE [--force] [--tenant T] [--database URL]

Puts a backup made by 'agent-storage backup' in place of a SQLite database: checks it (PRAGMA
integrity_check, a schema this version can serve, every content file present with its sha256),
copies it beside the target, and renames it into place, removing the old database's -wal and
-shm files. Content files from FILE-blobs/ go into the target's blob folder. Refused while any
process (a running service) has the target database open.

Options:
  --from <file>        The backup to restore (required)
  --force              Replace an existing database (default: refuse if there is one)
  --tenant <name>      Restore this tenant's database (default: ${DEFAULT_TENANT}, which is
                       DATABASE_URL itself)
  --database <url>     Database to replace instead of DATABASE_URL (a SQLite file)

A summary goes to standard output.
Exit codes: 0 done, 1 failed (the target is in use or exists, the backup is damaged or newer
than this version), 2 bad arguments, 130 interrupted (the target is left as it was).
`;

export const KEYS_USAGE = `Usage: agent-storage keys create --tenant T --scope S [--scope S ...] [--name N] [--json] [--database URL]
       agent-storage keys list [--tenant T] [--json] [--database URL]
       agent-storage keys revoke ID [--json] [--database URL]

Manages the API keys that the server checks (AUTH_MODE=apikey), as the operator: whoever can open
the database may manage every tenant's keys. Keys live in the default tenant's database, the one
DATABASE_URL (or --database) names; give the same one the server uses. This is how to make the
first key without STORAGE_ADMIN_KEY.

keys create    Prints the new key's secret alone on one line of standard output, and what it is
               on standard error. The secret is not stored: it cannot be shown again.
  --tenant <name>    Whose data the key reads and writes (required; e.g. ${DEFAULT_TENANT})
  --scope <scope>    read, write or admin; once per scope (at least one)
  --name <text>      A label, e.g. the agent that will use it
  --json             Print one JSON object instead: the secret ("key") with the key's fields

keys list      Prints the keys (revoked ones too) as a table: id, tenant, scopes, created,
               revoked, name. Never their secrets.
  --tenant <name>    Only this tenant's keys (default: every tenant's)
  --json             Print a JSON array instead

keys revoke    Revokes the key with this id. Running servers refuse it within 5 seconds.
               Revoking a revoked key again changes nothing and succeeds.
  --json             Print the revoked key as JSON

Exit codes: 0 done, 1 failed (e.g. no such key, no database at that path), 2 bad arguments.
`;

const text = { type: 'string' } as const;
const bool = { type: 'boolean' } as const;

/** What each command accepts, in `parseArgs` terms; `-h`/`--help` is added to all. */
const OPTIONS = {
  export: { out: { type: 'string', short: 'o' }, session: text, agent: text, tenant: text, database: text },
  import: { in: { type: 'string', short: 'i' }, tenant: text, database: text },
  backup: { to: text, force: bool, tenant: text, database: text },
  restore: { from: text, force: bool, tenant: text, database: text },
  'keys create': { tenant: text, scope: { type: 'string', multiple: true }, name: text, database: text, json: bool },
  'keys list': { tenant: text, database: text, json: bool },
  'keys revoke': { database: text, json: bool },
} as const satisfies Record<string, NonNullable<ParseArgsConfig['options']>>;

type CommandName = keyof typeof OPTIONS;

const KEYS_SUBCOMMANDS = ['create', 'list', 'revoke'] as const;

export function parseArgs(argv: readonly string[]): Command {
  const args = [...argv];
  if (args.length === 0) throw new UsageError('no command given');
  const first = args[0]!;
  if (first === '-h' || first === '--help' || first === 'help') {
    const topic = args[1];
    return { kind: 'help', topic: (TOPICS as readonly string[]).includes(topic ?? '') ? (topic as HelpTopic) : null };
  }
  if (first === '--version' || first === '-v') return { kind: 'version' };
  if (!(TOPICS as readonly string[]).includes(first)) {
    if (first.startsWith('-')) throw new UsageError(`unknown option ${first} (the command comes first: ${TOPICS.join(', ')})`);
    throw new UsageError(`unknown command "${first}" (expected ${TOPICS.join(', ')})`);
  }
  if (first === 'keys') return parseKeys(args.slice(1));

  const command = first as Exclude<(typeof TOPICS)[number], 'keys'>;
  const read = readOptions(args.slice(1), command, command);
  if (read.help) return { kind: 'help', topic: command };
  const { values, switches } = read;
  const database = databaseOption(values.database, command);
  const tenant = values.tenant === undefined ? DEFAULT_TENANT : checked(tenantName, values.tenant, '--tenant', command);
  if (command === 'backup' || command === 'restore') {
    // A file, never a stream: the backup is a database (and a folder beside it), written in place.
    const flag = command === 'backup' ? '--to' : '--from';
    const file = values[flag.slice(2)];
    if (file === undefined) throw new UsageError(`${command} needs ${flag} FILE`, command);
    if (file === '-') throw new UsageError(`${flag} needs a file name: a backup is a database file, not a stream (use export for a stream)`, command);
    const force = switches.has('force');
    return command === 'backup' ? { kind: 'backup', to: file, force, tenant, database } : { kind: 'restore', from: file, force, tenant, database };
  }
  if (command === 'import') {
    return { kind: 'import', in: dashIsNull(values.in), tenant, database };
  }
  if (values.session !== undefined && values.agent !== undefined) {
    throw new UsageError('--session and --agent cannot be combined (a session belongs to one agent)', command);
  }
  return { kind: 'export', out: dashIsNull(values.out), sessionId: values.session ?? null, agentName: values.agent ?? null, tenant, database };
}

function parseKeys(args: readonly string[]): Command {
  const sub = args[0];
  if (sub === undefined) throw new UsageError('keys needs a subcommand: create, list or revoke', 'keys');
  if (sub === '-h' || sub === '--help') return { kind: 'help', topic: 'keys' };
  if (sub.startsWith('-')) throw new UsageError('keys needs a subcommand (create, list or revoke) before its options', 'keys');
  if (!(KEYS_SUBCOMMANDS as readonly string[]).includes(sub)) {
    throw new UsageError(`unknown keys subcommand "${sub}" (expected create, list or revoke)`, 'keys');
  }
  const command = `keys ${sub}` as CommandName;
  const read = readOptions(args.slice(1), command, 'keys');
  if (read.help) return { kind: 'help', topic: 'keys' };
  const { values, lists, switches, positional } = read;
  const database = databaseOption(values.database, 'keys');
  const json = switches.has('json');

  if (command === 'keys create') {
    // The domain's own rules for a new key, with each mistake put in terms of the flag that made it.
    const scopes = lists.scope ?? [];
    const comma = scopes.find((s) => s.includes(','));
    if (comma !== undefined) throw new UsageError(`--scope takes one scope; give --scope once per scope (not "${comma}")`, 'keys');
    let input: CreateApiKeyInput;
    try {
      input = parseInput(createApiKeyInput, { tenant: values.tenant, scopes, name: values.name });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const flags: Record<string, string> = { tenant: '--tenant', scopes: '--scope', name: '--name' };
      const issue = error.issues[0]!;
      const field = String(issue.path[0]);
      const flag = flags[field] ?? field;
      if (field === 'scopes' && typeof issue.path[1] === 'number') {
        throw new UsageError(`--scope "${scopes[issue.path[1]]}" is not a scope (expected read, write or admin)`, 'keys');
      }
      if (field === 'scopes') throw new UsageError('give at least one --scope (read, write or admin)', 'keys');
      if (issue.message === 'field required') throw new UsageError(`${flag} is required`, 'keys');
      throw new UsageError(`${flag} ${issue.message} (got "${field === 'tenant' ? values.tenant : values.name}")`, 'keys');
    }
    return { kind: 'keys-create', input, json, database };
  }
  if (command === 'keys list') {
    const tenant = values.tenant === undefined ? null : checked(tenantName, values.tenant, '--tenant', 'keys');
    return { kind: 'keys-list', tenant, json, database };
  }
  if (positional === undefined) throw new UsageError('keys revoke needs the id of the key (see: agent-storage keys list)', 'keys');
  return { kind: 'keys-revoke', id: checked(shortText, positional, 'the key id', 'keys'), json, database };
}

interface ReadOptions {
  /** `-h`/`--help` was given: nothing else matters. */
  help: boolean;
  values: Record<string, string>;
  lists: Record<string, string[]>;
  switches: Set<string>;
  positional: string | undefined;
}

/**
 * Reads the options of one command (`--name value`, `--name=value`, `-o value`, switches) and the
 * one positional argument that `keys revoke` takes. `parseArgs` runs leniently and its tokens are
 * checked here, in the order given: its strict errors do not say which spelling was typed, nor
 * catch a repeated or empty value, and they would outrank a `--help` that comes before the mistake.
 */
function readOptions(args: readonly string[], command: CommandName, topic: HelpTopic): ReadOptions {
  const options: NonNullable<ParseArgsConfig['options']> = OPTIONS[command];
  const { tokens } = parseArgv({
    args: [...args],
    options: { ...options, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const read: ReadOptions = { help: false, values: {}, lists: {}, switches: new Set(), positional: undefined };
  for (const token of tokens) {
    const arg = args[token.index]!;
    if (token.kind === 'positional') {
      if (command !== 'keys revoke' || read.positional !== undefined) throw new UsageError(`unexpected argument "${arg}" for ${command}`, topic);
      read.positional = arg;
      continue;
    }
    // One option per argument, as the usage shows: no `--` terminator, no `-ofile` or `-jh` groups.
    const flag = arg.startsWith('--') ? arg.split('=', 1)[0]! : arg;
    if (token.kind === 'option-terminator' || token.rawName !== flag) throw new UsageError(`unknown option ${flag} for ${command}`, topic);
    const { name, value, inlineValue } = token;
    if (name === 'help' && value === undefined) return { ...read, help: true };
    if (!Object.hasOwn(options, name)) throw new UsageError(`unknown option ${flag} for ${command}`, topic);
    const option = options[name]!;
    if (option.type === 'boolean') {
      if (value !== undefined) throw new UsageError(`${flag} takes no value`, topic);
      read.switches.add(name);
      continue;
    }
    // A value may be '-' but not another option: `--out --session x` forgot the file name.
    if (value === undefined || (!inlineValue && value.startsWith('-') && value !== '-')) throw new UsageError(`${flag} needs a value`, topic);
    if (value === '') throw new UsageError(`${flag} needs a non-empty value`, topic);
    if (option.multiple) {
      (read.lists[name] ??= []).push(value);
      continue;
    }
    if (name in read.values) throw new UsageError(`${flag} given more than once`, topic);
    read.values[name] = value;
  }
  return read;
}

function databaseOption(database: string | undefined, topic: HelpTopic): string | null {
  if (database === undefined) return null;
  try {
    parseDatabaseUrl(database);
  } catch (error) {
    throw new UsageError(`--database ${(error as Error).message}`, topic);
  }
  return database;
}

/** A value checked by the domain's schema; its first problem becomes a usage error naming `what`. */
function checked<S extends z.ZodType>(schema: S, value: string, what: string, topic: HelpTopic): z.output<S> {
  try {
    return parseInput(schema, value);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new UsageError(`${what} ${error.issues[0]!.message} (got "${value}")`, topic);
  }
}

const dashIsNull = (value: string | undefined): string | null => (value === undefined || value === '-' ? null : value);
