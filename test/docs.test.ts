import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../src/domain/inputs.js';
import { MAX_JSON_DEPTH } from '../src/domain/json.js';
import { DEFAULT_PAGE_SIZE } from '../src/domain/paging.js';
import { schema } from '../src/graphql/schema.js';
import { REPO, runCli } from './cli/support.js';

/* What the README and docs/ tell a new user holds against the code they describe. */

const read = (path: string) => readFileSync(join(REPO, path), 'utf8');
const README = read('README.md');
const DOCS = readdirSync(join(REPO, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`);

/** Every GraphQL document of a Markdown text: ```graphql blocks (each one-line operation on its own) and inline `query|mutation|subscription …`. */
function graphqlExamples(markdown: string): string[] {
  const documents: string[] = [];
  for (const [, block] of markdown.matchAll(/```graphql\n([\s\S]*?)```/g)) {
    const lines = block!.trim().split('\n');
    const oneLiners = lines.every((line) => /^(query|mutation|subscription)\b.*\}$/.test(line.trim()));
    documents.push(...(oneLiners ? lines : [block!]));
  }
  for (const [, inline] of markdown.matchAll(/`((?:query|mutation|subscription)\b[^`]*)`/g)) documents.push(inline!);
  return documents;
}

describe('documentation', () => {
  it('every GraphQL example is valid against the schema', () => {
    const examples = [README, ...DOCS.map(read)].flatMap(graphqlExamples);
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const example of examples) {
      // "…" stands for an id or a cursor in the examples.
      const errors = validate(schema, parse(example.replaceAll('…', 'x')));
      expect(errors.map((e) => e.message), example).toEqual([]);
    }
  });

  it('docs/limits.md states every input limit the code enforces, and the README links it', () => {
    const limits = read('docs/limits.md').replaceAll(',', '');
    for (const [name, value] of Object.entries({ ...LIMITS, MAX_JSON_DEPTH, DEFAULT_PAGE_SIZE })) {
      expect(limits, name).toMatch(new RegExp(`\\b${value}\\b`));
    }
    expect(README).toContain('](docs/limits.md)');
  });

  it('the quick start\'s key can read and write', async () => {
    const quickStart = README.slice(README.indexOf('## Quick start'), README.indexOf('## Configuration'));
    const command = /\$\(npx agent-storage (keys create [^)]*)\)/.exec(quickStart);
    expect(command, 'the quick start creates a key with the command line').not.toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'agent-storage-docs-'));
    try {
      const database = `sqlite:${join(dir, 'storage.db')}`;
      const created = await runCli([...command![1]!.split(/\s+/), '--database', database]);
      expect(created.code, created.stderr).toBe(0);
      const listed = await runCli(['keys', 'list', '--json', '--database', database]);
      const [key] = JSON.parse(listed.stdout) as { scopes: string[] }[];
      expect(key!.scopes).toEqual(expect.arrayContaining(['read', 'write']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
