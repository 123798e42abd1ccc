import { parseDatabaseUrl } from '../config.js';

/**
 * Command-line arguments of `agent-storage`, parsed into one command. Hand-written rather than
 * `node:util` `parseArgs` so that `-` is an ordinary value (stdin/stdout) and every mistake gets a
 * message that names the option.
 */

export type Command =
  | { kind: 'help'; topic: 'export' | 'import' | null }
  | { kind: 'version' }
  | {
      kind: 'export';
      /** Null: standard output. */
      out: string | null;
      sessionId: string | null;
      agentName: string | null;
      /** `--database`, overriding `DATABASE_URL`. */
      database: string | null;
    }
  | {
      kind: 'import';
      /** Null: standard input. */
      in: string | null;
      database: string | null;
    };

/** A mistake in the command line: exit code 2 and the usage. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly topic: 'export' | 'import' | null = null,
  ) {
    super(message);
  }
}

export const USAGE = `Usage: agent-storage <command> [options]

Move data between agent-storage databases as a portable JSON Lines bundle.

Commands:
  export   Write sessions (with history, state, artifacts) and metrics as a bundle
  import   Read a bundle into a database; idempotent, all or nothing per session

Options (both commands):
  --database <url>   Database to use instead of DATABASE_URL
                     (sqlite:<path>, sqlite::memory:, a plain path, or postgres://...)
  -h, --help         Show help (also: agent-storage <command> --help)
  --version          Show the version

Run 'agent-storage export --help' or 'agent-storage import --help' for details.
`;

export const EXPORT_USAGE = `Usage: agent-storage export [--out FILE|-] [--session ID | --agent NAME] [--database URL]

Writes a bundle: a header line, then per session its session line, its messages in order,
its state, its artifacts and a session_end line; then metrics; then a footer with totals.
Memory stays flat however large the database is.

Options:
  -o, --out <file>     Where to write the bundle; '-' or absent: standard output.
                       A file appears only once the export is complete.
  --session <id>       Only this session, and the metrics recorded for it
  --agent <name>       Only this agent's sessions, and the metrics recorded for them
  --database <url>     Database to read instead of DATABASE_URL

The summary goes to standard error.
Exit codes: 0 done, 1 failed (e.g. unknown session, unwritable file), 2 bad arguments.
`;

export const IMPORT_USAGE = `Usage: agent-storage import [--in FILE|-] [--database URL]

Reads a bundle line by line and writes each session with its history, state and artifacts in
one transaction when its session_end line arrives (all or nothing per session), and metrics in
batches. Records keep their ids, timestamps and order. Importing the same bundle again adds
nothing: records that already exist (by id) are left as they are and counted as skipped.

Options:
  -i, --in <file>      The bundle to read; '-' or absent: standard input
  --database <url>     Database to write instead of DATABASE_URL (created if it is a new
                       SQLite file)

A summary goes to standard output.
Exit codes: 0 done, 1 the bundle is unreadable, invalid or truncated, or a session conflicted
with the target (sessions before the problem stay imported), 2 bad arguments.
`;

const OPTIONS = {
  export: { '--out': 'out', '-o': 'out', '--session': 'session', '--agent': 'agent', '--database': 'database' },
  import: { '--in': 'in', '-i': 'in', '--database': 'database' },
} as const;

export function parseArgs(argv: readonly string[]): Command {
  const args = [...argv];
  if (args.length === 0) throw new UsageError('no command given');
  const first = args[0]!;
  if (first === '-h' || first === '--help' || first === 'help') {
    const topic = args[1];
    return { kind: 'help', topic: topic === 'export' || topic === 'import' ? topic : null };
  }
  if (first === '--version' || first === '-v') return { kind: 'version' };
  if (first !== 'export' && first !== 'import') {
    if (first.startsWith('-')) throw new UsageError(`unknown option ${first} (the command comes first: export or import)`);
    throw new UsageError(`unknown command "${first}" (expected export or import)`);
  }
  const command = first;
  const known: Record<string, string> = OPTIONS[command];
  const values: Record<string, string> = {};

  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-h' || arg === '--help') return { kind: 'help', topic: command };
    // `--name=value` or `--name value`
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const name = known[flag];
    if (name === undefined) {
      if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${flag} for ${command}`, command);
      throw new UsageError(`unexpected argument "${arg}" for ${command}`, command);
    }
    let value: string;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      const next = args[i + 1];
      // A value may be '-' but not another option: `--out --session x` forgot the file name.
      if (next === undefined || (next.startsWith('-') && next !== '-')) throw new UsageError(`${flag} needs a value`, command);
      value = next;
      i++;
    }
    if (value === '') throw new UsageError(`${flag} needs a non-empty value`, command);
    if (name in values) throw new UsageError(`${flag} given more than once`, command);
    values[name] = value;
  }

  const database = values.database ?? null;
  if (database !== null) {
    try {
      parseDatabaseUrl(database);
    } catch (error) {
      throw new UsageError(`--database ${(error as Error).message}`, command);
    }
  }
  if (command === 'import') {
    return { kind: 'import', in: dashIsNull(values.in), database };
  }
  if (values.session !== undefined && values.agent !== undefined) {
    throw new UsageError('--session and --agent cannot be combined (a session belongs to one agent)', command);
  }
  return { kind: 'export', out: dashIsNull(values.out), sessionId: values.session ?? null, agentName: values.agent ?? null, database };
}

const dashIsNull = (value: string | undefined): string | null => (value === undefined || value === '-' ? null : value);
