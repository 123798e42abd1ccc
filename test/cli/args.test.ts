import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../src/cli/args.js';
import { tenantName } from '../../src/domain/inputs.js';

describe('parseArgs', () => {
  it('reads export options in both spellings, with - meaning stdout', () => {
    expect(parseArgs(['export'])).toEqual({ kind: 'export', out: null, sessionId: null, agentName: null, tenant: 'default', database: null });
    expect(parseArgs(['export', '--out', 'b.jsonl', '--session', 'session_1', '--database', 'sqlite:a.db'])).toEqual({
      kind: 'export',
      out: 'b.jsonl',
      sessionId: 'session_1',
      agentName: null,
      tenant: 'default',
      database: 'sqlite:a.db',
    });
    expect(parseArgs(['export', '--tenant', 'acme-2'])).toMatchObject({ tenant: 'acme-2' });
    expect(parseArgs(['export', '-o', '-', '--agent=planner bot'])).toMatchObject({ out: null, agentName: 'planner bot' });
    expect(parseArgs(['export', '--out=x=y.jsonl'])).toMatchObject({ out: 'x=y.jsonl' });
  });

  it('reads import options, with - meaning stdin', () => {
    expect(parseArgs(['import'])).toEqual({ kind: 'import', in: null, tenant: 'default', database: null });
    expect(parseArgs(['import', '-i', 'b.jsonl', '--database=postgres://u@h/db', '--tenant=acme'])).toEqual({
      kind: 'import',
      in: 'b.jsonl',
      tenant: 'acme',
      database: 'postgres://u@h/db',
    });
    expect(parseArgs(['import', '--in', '-'])).toMatchObject({ in: null });
  });

  it('reads backup and restore: a file each (never a stream), --force, --tenant, --database', () => {
    expect(parseArgs(['backup', '--to', 'b.db'])).toEqual({ kind: 'backup', to: 'b.db', force: false, tenant: 'default', database: null });
    expect(parseArgs(['backup', '--force', '--to=b.db', '--tenant', 'acme', '--database', 'sqlite:a.db'])).toEqual({
      kind: 'backup',
      to: 'b.db',
      force: true,
      tenant: 'acme',
      database: 'sqlite:a.db',
    });
    expect(parseArgs(['restore', '--from', 'b.db'])).toEqual({ kind: 'restore', from: 'b.db', force: false, tenant: 'default', database: null });
    expect(parseArgs(['restore', '--from', 'b.db', '--force', '--database', 'data/storage.db'])).toMatchObject({ force: true, database: 'data/storage.db' });
  });

  it('reads keys create: repeated --scope, checked and put in canonical order by the domain input', () => {
    expect(parseArgs(['keys', 'create', '--tenant', 'acme', '--scope', 'write', '--scope', 'read', '--name', 'billing bot'])).toEqual({
      kind: 'keys-create',
      input: { tenant: 'acme', scopes: ['read', 'write'], name: 'billing bot' },
      json: false,
      database: null,
    });
    expect(parseArgs(['keys', 'create', '--json', '--tenant=default', '--scope=admin', '--database', 'sqlite:a.db'])).toEqual({
      kind: 'keys-create',
      input: { tenant: 'default', scopes: ['admin'], name: null },
      json: true,
      database: 'sqlite:a.db',
    });
  });

  it('reads keys list and keys revoke', () => {
    expect(parseArgs(['keys', 'list'])).toEqual({ kind: 'keys-list', tenant: null, json: false, database: null });
    expect(parseArgs(['keys', 'list', '--tenant', 'acme', '--json'])).toEqual({ kind: 'keys-list', tenant: 'acme', json: true, database: null });
    expect(parseArgs(['keys', 'revoke', 'key_1', '--json'])).toEqual({ kind: 'keys-revoke', id: 'key_1', json: true, database: null });
    expect(parseArgs(['keys', 'revoke', '--database', 'sqlite:a.db', 'key_1'])).toMatchObject({ id: 'key_1', database: 'sqlite:a.db' });
  });

  it('answers help and version', () => {
    expect(parseArgs(['--help'])).toEqual({ kind: 'help', topic: null });
    expect(parseArgs(['-h'])).toEqual({ kind: 'help', topic: null });
    expect(parseArgs(['help', 'import'])).toEqual({ kind: 'help', topic: 'import' });
    expect(parseArgs(['export', '--out', 'x', '--help'])).toEqual({ kind: 'help', topic: 'export' });
    expect(parseArgs(['--version'])).toEqual({ kind: 'version' });
    expect(parseArgs(['help', 'keys'])).toEqual({ kind: 'help', topic: 'keys' });
    expect(parseArgs(['help', 'backup'])).toEqual({ kind: 'help', topic: 'backup' });
    expect(parseArgs(['restore', '--from', 'x', '-h'])).toEqual({ kind: 'help', topic: 'restore' });
    expect(parseArgs(['keys', '--help'])).toEqual({ kind: 'help', topic: 'keys' });
    expect(parseArgs(['keys', 'create', '--tenant', 'NOT VALID', '--help'])).toEqual({ kind: 'help', topic: 'keys' });
  });

  it.each([
    [[], /no command given/, null],
    [['exprot'], /unknown command "exprot"/, null],
    [['-x'], /unknown option -x/, null],
    [['export', '--in', 'x'], /unknown option --in for export/, 'export'],
    [['import', '--out', 'x'], /unknown option --out for import/, 'import'],
    [['export', '--out'], /--out needs a value/, 'export'],
    [['export', '--out='], /--out needs a non-empty value/, 'export'],
    [['export', '--session', '--agent', 'x'], /--session needs a value/, 'export'],
    [['export', '--agent', 'a', '--agent', 'b'], /--agent given more than once/, 'export'],
    [['export', '--agent', 'a', '--session', 'b'], /cannot be combined/, 'export'],
    [['import', 'file.jsonl'], /unexpected argument "file.jsonl" for import/, 'import'],
    [['import', '--database', 'mysql://x'], /--database has unsupported scheme "mysql:"/, 'import'],
    [['import', '--database', 'sqlite:'], /--database names no file/, 'import'],
    [['export', '--tenant', 'Acme'], /--tenant must be 1 to 32 lower-case letters.* \(got "Acme"\)/, 'export'],
    [['import', '--tenant', '../etc'], /--tenant must be 1 to 32 lower-case letters/, 'import'],
    [['import', '--tenant', 'a', '--tenant', 'b'], /--tenant given more than once/, 'import'],
    [['backup'], /backup needs --to FILE/, 'backup'],
    [['backup', '--to', '-'], /--to needs a file name: a backup is a database file, not a stream/, 'backup'],
    [['backup', '--to'], /--to needs a value/, 'backup'],
    [['backup', '--to', 'a.db', '--force=yes'], /--force takes no value/, 'backup'],
    [['backup', '--out', 'a.db'], /unknown option --out for backup/, 'backup'],
    [['backup', 'a.db'], /unexpected argument "a.db" for backup/, 'backup'],
    [['restore', '--to', 'a.db'], /unknown option --to for restore/, 'restore'],
    [['restore', '--force'], /restore needs --from FILE/, 'restore'],
    [['restore', '--from', 'a.db', '--tenant', 'Acme'], /--tenant must be 1 to 32/, 'restore'],
    [['keys'], /keys needs a subcommand: create, list or revoke/, 'keys'],
    [['keys', 'delete'], /unknown keys subcommand "delete"/, 'keys'],
    [['keys', 'create', '--scope', 'read'], /--tenant is required/, 'keys'],
    [['keys', 'create', '--tenant', 'acme'], /give at least one --scope \(read, write or admin\)/, 'keys'],
    [['keys', 'create', '--tenant', 'acme', '--scope', 'read', '--scope', 'owner'], /--scope "owner" is not a scope \(expected read, write or admin\)/, 'keys'],
    [['keys', 'create', '--tenant', 'acme', '--scope', 'read,write'], /give --scope once per scope/, 'keys'],
    [['keys', 'create', '--tenant', 'a_b_c_d_e_f_g_h_i_j_k_l_m_n_o_p_q', '--scope', 'read'], /--tenant must be 1 to 32/, 'keys'],
    [['keys', 'create', '--tenant', 'acme', '--scope', 'read', '--name', 'x\u0000y'], /--name must not contain NUL characters/, 'keys'],
    [['keys', 'create', '--tenant', 'acme', '--scope', 'read', '--session', 'x'], /unknown option --session for keys create/, 'keys'],
    [['keys', 'list', '--tenant', 'A'], /--tenant must be 1 to 32/, 'keys'],
    [['keys', 'list', '--json=yes'], /--json takes no value/, 'keys'],
    [['keys', 'list', 'stray'], /unexpected argument "stray" for keys list/, 'keys'],
    [['keys', 'revoke'], /keys revoke needs the id of the key/, 'keys'],
    [['keys', 'revoke', 'key_1', 'key_2'], /unexpected argument "key_2" for keys revoke/, 'keys'],
    // Words that are also names of Object.prototype's properties are arguments like any other.
    [['import', '__proto__', 'x'], /unexpected argument "__proto__" for import/, 'import'],
    [['export', 'toString', 'y'], /unexpected argument "toString" for export/, 'export'],
    [['keys', 'revoke', 'constructor', 'key_1'], /unexpected argument "key_1" for keys revoke/, 'keys'],
  ])('%j is a UsageError', (argv, message, topic) => {
    let error: unknown;
    try {
      parseArgs(argv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(message);
    expect((error as UsageError).topic).toBe(topic);
  });
});

describe('--tenant', () => {
  it('takes exactly the names the domain accepts; any other is a usage error naming --tenant, never another failure', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,40}$/)), (name) => {
        fc.pre(name !== '' && !name.startsWith('-'));
        const valid = tenantName.safeParse(name).success;
        for (const argv of [
          ['export', '--tenant', name],
          ['import', '--tenant', name],
          ['keys', 'list', '--tenant', name],
          ['keys', 'create', '--tenant', name, '--scope', 'read'],
        ]) {
          let error: unknown = null;
          try {
            parseArgs(argv);
          } catch (e) {
            error = e;
          }
          if (valid) expect(error).toBeNull();
          else {
            expect(error).toBeInstanceOf(UsageError);
            expect((error as UsageError).message).toMatch(/^--tenant must be/);
          }
        }
      }),
    );
  });
});

describe('parseArgs on any arguments (property)', () => {
  const outcome = (argv: string[]) => {
    try {
      return { command: parseArgs(argv) };
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      return { usage: error.message, topic: error.topic };
    }
  };
  const heads = [['export'], ['import'], ['backup'], ['restore'], ['keys'], ['keys', 'create'], ['keys', 'list'], ['keys', 'revoke']];
  // Words the parser treats specially, glued together at random, and any string.
  const word = fc.oneof(
    fc
      .array(fc.constantFrom('-', '--', '=', 'h', 'o', 'i', 'j', 'out', 'in', 'to', 'from', 'force', 'json', 'help', 'tenant', 'scope', 'name', 'database', 'session', 'agent', 'read', 'acme', 'constructor'), {
        maxLength: 4,
      })
      .map((parts) => parts.join('')),
    fc.string({ maxLength: 8 }),
  );

  it('ends in a command or a usage error about that command; never another exception', () => {
    fc.assert(
      fc.property(fc.constantFrom(...heads), fc.array(word, { maxLength: 8 }), (head, rest) => {
        const result = outcome([...head, ...rest]);
        if ('usage' in result) expect(result.topic).toBe(head[0]);
        else expect(typeof result.command.kind).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });

  it('the spelling and order of options do not matter: --name value, --name=value and -o value are one option', () => {
    const value = fc.oneof(fc.constantFrom('-', 'acme', 'x=y', 'sqlite:a.db', 'postgres://u@h/db'), fc.string({ minLength: 1 }).filter((v) => !v.startsWith('-')));
    const spellings: Record<string, string[]> = { out: ['--out', '-o'], in: ['--in', '-i'], session: ['--session'], agent: ['--agent'], tenant: ['--tenant'], database: ['--database'] };
    const commands = { export: ['out', 'session', 'agent', 'tenant', 'database'], import: ['in', 'tenant', 'database'], 'keys list': ['tenant', 'database'] };
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(commands) as (keyof typeof commands)[])).chain((command) =>
          fc.record({
            command: fc.constant(command),
            given: fc.uniqueArray(fc.tuple(fc.constantFrom(...commands[command]), value, fc.nat(), fc.boolean()), { selector: ([name]) => name }),
            json: command === 'keys list' ? fc.boolean() : fc.constant(false),
          }),
        ),
        ({ command, given, json }) => {
          const head = command.split(' ');
          const canonical = [...given].sort(([a], [b]) => a.localeCompare(b)).map(([name, v]) => `--${name}=${v}`);
          const spelled = given.flatMap(([name, v, which, inline]) => {
            const flag = spellings[name]![which % spellings[name]!.length]!;
            return inline && flag.startsWith('--') ? [`${flag}=${v}`] : [flag, v];
          });
          const switches = json ? ['--json'] : [];
          expect(outcome([...head, ...switches, ...spelled])).toEqual(outcome([...head, ...canonical, ...switches]));
        },
      ),
      { numRuns: 500 },
    );
  });
});
