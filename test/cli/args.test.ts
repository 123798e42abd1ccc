import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../src/cli/args.js';

describe('parseArgs', () => {
  it('reads export options in both spellings, with - meaning stdout', () => {
    expect(parseArgs(['export'])).toEqual({ kind: 'export', out: null, sessionId: null, agentName: null, database: null });
    expect(parseArgs(['export', '--out', 'b.jsonl', '--session', 'session_1', '--database', 'sqlite:a.db'])).toEqual({
      kind: 'export',
      out: 'b.jsonl',
      sessionId: 'session_1',
      agentName: null,
      database: 'sqlite:a.db',
    });
    expect(parseArgs(['export', '-o', '-', '--agent=planner bot'])).toMatchObject({ out: null, agentName: 'planner bot' });
    expect(parseArgs(['export', '--out=x=y.jsonl'])).toMatchObject({ out: 'x=y.jsonl' });
  });

  it('reads import options, with - meaning stdin', () => {
    expect(parseArgs(['import'])).toEqual({ kind: 'import', in: null, database: null });
    expect(parseArgs(['import', '-i', 'b.jsonl', '--database=postgres://u@h/db'])).toEqual({ kind: 'import', in: 'b.jsonl', database: 'postgres://u@h/db' });
    expect(parseArgs(['import', '--in', '-'])).toMatchObject({ in: null });
  });

  it('answers help and version', () => {
    expect(parseArgs(['--help'])).toEqual({ kind: 'help', topic: null });
    expect(parseArgs(['-h'])).toEqual({ kind: 'help', topic: null });
    expect(parseArgs(['help', 'import'])).toEqual({ kind: 'help', topic: 'import' });
    expect(parseArgs(['export', '--out', 'x', '--help'])).toEqual({ kind: 'help', topic: 'export' });
    expect(parseArgs(['--version'])).toEqual({ kind: 'version' });
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
