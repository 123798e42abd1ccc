import type { z } from 'zod';
import { parseDatabaseUrl } from '../config.js';
import { ValidationError } from '../domain/errors.js';
import { createApiKeyInput, DEFAULT_TENANT, parseInput, shortText, tenantName, type CreateApiKeyInput } from '../domain/inputs.js';

/**
 * Command-line arguments of `agent-storage`, parsed into one command. Hand-written rather than
 * `node:util` `parseArgs` so that `-` is an ordinary value (stdin/stdout) and every mistake gets a
 * message that names the option.
 */

/** What `--help` can be about: the whole tool, or one command (the `keys` subcommands share one text). */
export type HelpTopic = 'export' | 'import' | 'keys' | null;

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

Move data between agent-storage databases as a portable JSON Lines bundle, and manage API keys.

Commands:
  export        Write sessions (with history, state, artifacts) and metrics as a bundle
  import        Read a bundle into a database; idempotent, all or nothing per session
  keys create   Create an API key for a tenant and print its secret (once)
  keys list     List API keys (never their secrets)
  keys revoke   Revoke an API key

Options (every command):
  --database <url>   Database to use instead of DATABASE_URL
                     (sqlite:<path>, sqlite::memory:, a plain path, or postgres://...)
  -h, --help         Show help (also: agent-storage <command> --help)
  --version          Show the version

Run 'agent-storage export --help', 'agent-storage import --help' or 'agent-storage keys --help'
for details.
`;

export const EXPORT_USAGE = `Usage: agent-storage export [--out FILE|-] [--session ID | --agent NAME] [--tenant T] [--database URL]

Writes a bundle: a header line, then per session its session line, its messages in order,
its state, its artifacts and a session_end line; then metrics; then a footer with totals.
Memory stays flat however large the database is.

Options:
  -o, --out <file>     Where to write the bundle; '-' or absent: standard output.
                       A file appears only once the export is complete.
  --session <id>       Only this session, and the metrics recorded for it
  --agent <name>       Only this agent's sessions, and the metrics recorded for them
  --tenant <name>      Export this tenant's database (default: ${DEFAULT_TENANT}, which is
                       DATABASE_URL itself; see 'Tenants' in the README)
  --database <url>     Database to read instead of DATABASE_URL

The summary goes to standard error.
Exit codes: 0 done, 1 failed (e.g. unknown session, unwritable file), 2 bad arguments.
`;

export const IMPORT_USAGE = `Usage: agent-storage import [--in FILE|-] [--tenant T] [--database URL]

Reads a bundle line by line and writes each session with its history, state and artifacts in
one transaction when its session_end line arrives (all or nothing per session), and metrics in
batches. Records keep their ids, timestamps and order. Importing the same bundle again adds
nothing: records that already exist (by id) are left as they are and counted as skipped.

Options:
  -i, --in <file>      The bundle to read; '-' or absent: standard input
  --tenant <name>      Import into this tenant's database (default: ${DEFAULT_TENANT}, which is
                       DATABASE_URL itself); created if it is new
  --database <url>     Database to write instead of DATABASE_URL (created if it is a new
                       SQLite file)

A summary goes to standard output.
Exit codes: 0 done, 1 the bundle is unreadable, invalid or truncated, or a session conflicted
with the target (sessions before the problem stay imported), 2 bad arguments.
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

/** What a command accepts: options with a value (by flag, to their name), which of them may repeat, flags without one. */
interface Spec {
  values: Readonly<Record<string, string>>;
  repeatable?: readonly string[];
  switches?: Readonly<Record<string, string>>;
  /** The name of its one positional argument, if it takes one. */
  positional?: string;
}

const SPECS = {
  export: { values: { '--out': 'out', '-o': 'out', '--session': 'session', '--agent': 'agent', '--tenant': 'tenant', '--database': 'database' } },
  import: { values: { '--in': 'in', '-i': 'in', '--tenant': 'tenant', '--database': 'database' } },
  'keys create': {
    values: { '--tenant': 'tenant', '--scope': 'scope', '--name': 'name', '--database': 'database' },
    repeatable: ['scope'],
    switches: { '--json': 'json' },
  },
  'keys list': { values: { '--tenant': 'tenant', '--database': 'database' }, switches: { '--json': 'json' } },
  'keys revoke': { values: { '--database': 'database' }, switches: { '--json': 'json' }, positional: 'id' },
} as const satisfies Record<string, Spec>;

type CommandName = keyof typeof SPECS;

const KEYS_SUBCOMMANDS = ['create', 'list', 'revoke'] as const;

export function parseArgs(argv: readonly string[]): Command {
  const args = [...argv];
  if (args.length === 0) throw new UsageError('no command given');
  const first = args[0]!;
  if (first === '-h' || first === '--help' || first === 'help') {
    const topic = args[1];
    return { kind: 'help', topic: topic === 'export' || topic === 'import' || topic === 'keys' ? topic : null };
  }
  if (first === '--version' || first === '-v') return { kind: 'version' };
  if (first !== 'export' && first !== 'import' && first !== 'keys') {
    if (first.startsWith('-')) throw new UsageError(`unknown option ${first} (the command comes first: export, import or keys)`);
    throw new UsageError(`unknown command "${first}" (expected export, import or keys)`);
  }
  if (first === 'keys') return parseKeys(args.slice(1));

  const command = first;
  const read = readOptions(args.slice(1), command, command, SPECS[command]);
  if (read.help) return { kind: 'help', topic: command };
  const { values } = read;
  const database = databaseOption(values.database, command);
  const tenant = values.tenant === undefined ? DEFAULT_TENANT : checked(tenantName, values.tenant, '--tenant', command);
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
  const read = readOptions(args.slice(1), command, 'keys', SPECS[command]);
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

/** Reads `--name value`, `--name=value`, switches and the positional argument of one command. */
function readOptions(args: readonly string[], command: string, topic: HelpTopic, spec: Spec): ReadOptions {
  const read: ReadOptions = { help: false, values: {}, lists: {}, switches: new Set(), positional: undefined };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-h' || arg === '--help') return { ...read, help: true };
    // `--name=value` or `--name value`
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    // Own properties only: a bare `constructor` or `__proto__` is an argument, not an option.
    const switchName = spec.switches !== undefined && Object.hasOwn(spec.switches, flag) ? spec.switches[flag] : undefined;
    if (switchName !== undefined) {
      if (eq !== -1) throw new UsageError(`${flag} takes no value`, topic);
      read.switches.add(switchName);
      continue;
    }
    const name = Object.hasOwn(spec.values, flag) ? spec.values[flag] : undefined;
    if (name === undefined) {
      if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${flag} for ${command}`, topic);
      if (spec.positional !== undefined && read.positional === undefined) {
        read.positional = arg;
        continue;
      }
      throw new UsageError(`unexpected argument "${arg}" for ${command}`, topic);
    }
    let value: string;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      const next = args[i + 1];
      // A value may be '-' but not another option: `--out --session x` forgot the file name.
      if (next === undefined || (next.startsWith('-') && next !== '-')) throw new UsageError(`${flag} needs a value`, topic);
      value = next;
      i++;
    }
    if (value === '') throw new UsageError(`${flag} needs a non-empty value`, topic);
    if (spec.repeatable?.includes(name)) {
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
