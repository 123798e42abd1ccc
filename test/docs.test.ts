import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../src/domain/inputs.js';
import { MAX_JSON_DEPTH } from '../src/domain/json.js';
import { DEFAULT_PAGE_SIZE } from '../src/domain/paging.js';
import { schema } from '../src/graphql/schema.js';
import { REPO, runCli } from './cli/support.js';
import { startTestServer } from './support/server.js';
import { configVariables } from '../src/config.js';

/* What the README and docs/ tell a new user holds against the code they describe. */

const read = (path: string) => readFileSync(join(REPO, path), 'utf8');
const README = read('README.md');
const DOCS = readdirSync(join(REPO, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`);
/** Every Markdown page a reader is sent to: the README, docs/ and the benchmarks' README. */
const PAGES = ['README.md', ...DOCS, 'bench/README.md'];

/** The text of one `## heading` section of a Markdown text, up to the next `## ` heading. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  expect(start, `a "## ${heading}" section`).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end === -1 ? undefined : end);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown text's headings (outside code blocks), as GitHub makes them. */
function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  const counts = new Map<string, number>();
  for (const [, heading] of markdown.replace(/```[\s\S]*?```/g, '').matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(heading!);
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    found.add(n === 0 ? base : `${base}-${n}`);
  }
  return found;
}

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
    const quickStart = section(README, 'Quick start');
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
  it('every relative link in the README, docs/ and bench/README.md points to a file (and heading) that exists', () => {
    const broken: string[] = [];
    let links = 0;
    for (const page of PAGES) {
      const text = read(page).replace(/```[\s\S]*?```/g, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue; // https:, mailto:, …
        links++;
        const [path, anchor] = target!.split('#') as [string, string | undefined];
        const file = path === '' ? page : normalize(join(dirname(page), path));
        if (!existsSync(join(REPO, file))) {
          broken.push(`${page}: ${target} (no file ${file})`);
          continue;
        }
        if (anchor !== undefined && !statSync(join(REPO, file)).isDirectory()) {
          if (!file.endsWith('.md') || !anchors(read(file)).has(anchor)) broken.push(`${page}: ${target} (no heading #${anchor} in ${file})`);
        }
      }
    }
    expect(links).toBeGreaterThan(50);
    expect(broken).toEqual([]);
  });

  it('docs/configuration.md has a row for every environment variable of the configuration schema', () => {
    const variables = configVariables.map((v) => v.name);
    expect(variables.length).toBeGreaterThanOrEqual(30);
    const documented = read('docs/configuration.md');
    expect(variables.filter((name) => !documented.includes(`| \`${name}\` |`))).toEqual([]);
  });

  it("the README's REST example runs as written", { timeout: 60_000 }, async () => {
    const block = /```bash\n([\s\S]*?)```/.exec(section(README, 'A REST example'))?.[1];
    expect(block, 'a bash block in "## A REST example"').toBeDefined();
    const server = await startTestServer();
    try {
      const script = block!.replaceAll('localhost:8084', new URL(server.url).host);
      const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { cwd: REPO });
      const history = JSON.parse(stdout.trim().split('\n').at(-1)!) as { session_id: string; role: string; content: string; seq: number }[];
      expect(history).toEqual([expect.objectContaining({ role: 'user', content: 'What is quantum computing?', seq: 1 })]);
      expect(history[0]!.session_id).toMatch(/^session_/);
    } finally {
      await server.close();
    }
  });
});
