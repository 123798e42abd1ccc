import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * Keeps `npm run bench` working: runs it in quick mode (half a second per scenario, tiny data,
 * the service from source, no PostgreSQL, no peers: the Mastra peer's first `npm ci` alone takes
 * 40–45 s) and checks the JSON it writes. No timing assertions: the numbers of a one-second run on
 * a busy test machine mean nothing.
 */

const ROOT = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'agent-storage-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.once('error', reject);
    child.once('exit', (code) => resolveRun({ code, stdout, stderr }));
  });
}

const isNumberOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));

describe('npm run bench --quick', () => {
  it('completes and writes the results JSON with every scenario', { timeout: 420_000 }, async () => {
    const out = join(dir, 'result.json');
    const run = await runBench(['--quick', '--duration=0.5', '--source', '--no-postgres', '--no-peers', `--out=${out}`]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('req/s');
    expect(run.stdout).toContain('Targets');

    const report = JSON.parse(readFileSync(out, 'utf8'));
    const ids = report.rows.map((r: { id: string }) => r.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'baseline/yoga.hello',
        'baseline/yoga.hello.end',
        'baseline/sqlite.commit',
        'baseline/sqlite.select1000+stringify',
        'sqlite/rest.append.spread',
        'sqlite/rest.append.hot',
        'sqlite/rest.session.get',
        'baseline/raw-http.session.bytes',
        'baseline/raw-http.history.1000.bytes',
        'sqlite/rest.history.1000',
        'sqlite/gql.session.whole',
        'sqlite/gql.session.whole.c1',
        'sqlite/gql.nested.1',
        'sqlite/gql.nested.1.c1',
        'sqlite/gql.nested.50',
        'sqlite/gql.nested.50.c1',
        'sqlite/rest.cache.set',
        'sqlite/rest.cache.get',
        'sqlite/rest.metric.record',
        'large/rest.sessions.list',
        'large/gql.sessions.list',
        'langgraph/sqlite-saver',
        'langgraph/service.sqlite',
        'agent-turn/memory-session',
        'agent-turn/bare-http',
        'agent-turn/bare-http-durable',
        'agent-turn/bare-graphql',
        'agent-turn/service.sqlite',
        'agent-turn/service.sqlite.c8',
        'search/sqlite.append.index-off',
        'search/sqlite.append.index-on',
        'search/sqlite.latency.service.prefix',
        'search/sqlite.latency.direct.prefix',
        'search/sqlite.latency.service.rare',
        'search/sqlite.latency.direct.and-agent',
        'content/sqlite.copyFile',
        'content/sqlite.upload',
        'content/sqlite.download',
        'content/node-http.upload',
        'content/node-http.download',
      ]),
    );
    for (const row of report.rows) {
      expect(typeof row.reqPerSec, row.id).toBe('number');
      expect(row.errors, row.id).toBe(0);
      for (const field of ['p50Ms', 'p99Ms', 'rssMb']) expect(isNumberOrNull(row[field]), `${row.id} ${field}`).toBe(true);
    }

    // Statement counts are exact, not timings: nested sessions take the same number for 1 and 50.
    const nested = report.statements.filter((q: { backend: string; name: string }) => q.backend === 'sqlite' && q.name === 'nested sessions');
    expect(nested).toHaveLength(2);
    expect(nested[0].statements).toBeGreaterThan(0);
    expect(nested[1].statements).toBe(nested[0].statements);

    expect(report.large.paging.map((p: { messages: number }) => p.messages)).toEqual([report.large.bigSession, report.large.bigSession, report.large.bigSession]);
    expect(report.coldStart.length).toBeGreaterThan(0);
    for (const ratio of report.ratios) {
      expect(['MET', 'MISSED', 'INFO', 'N/A']).toContain(ratio.status);
      expect(isNumberOrNull(ratio.measured), ratio.id).toBe(true);
    }
    expect(report.ratios.map((r: { id: string }) => r.id)).toEqual(
      expect.arrayContaining(['sqlite.append.spread', 'sqlite.append.hot', 'sqlite.read.session.vs.bare', 'sqlite.cache.vs.session', 'sqlite.read.history.vs.ceiling', 'sqlite.whole.latency', 'sqlite.nested.latency', 'sqlite.nested.statements', 'large.rss.peak', 'large.rss.paging', 'coldstart.tsx', 'langgraph.service.sqlite', 'agent-turn.sqlite.p50', 'agent-turn.sqlite.p99', 'search.sqlite.p50', 'search.sqlite.p99', 'search.sqlite.append.cost', 'content.sqlite.upload', 'content.sqlite.download']),
    );
    // Each of these divides two rows of the run: a number says both rows are there under those ids.
    for (const id of ['sqlite.append.spread', 'sqlite.append.hot', 'sqlite.read.session.vs.bare', 'sqlite.cache.vs.session', 'sqlite.read.history.vs.ceiling', 'sqlite.whole.latency', 'content.sqlite.upload.vs.node-http', 'content.sqlite.download.vs.node-http', 'agent-turn.sqlite.p50.vs.durable', 'agent-turn.bare-graphql.p50']) {
      expect(report.ratios.find((r: { id: string }) => r.id === id)?.measured, id).toEqual(expect.any(Number));
    }
    // A peer that did not run says why, and its ratio shows no number.
    expect(report.skipped).toContain('peer/mastra.libsql.saveMessages: peers disabled (--no-peers / BENCH_PEERS=0)');
    expect(report.ratios.find((r: { id: string }) => r.id === 'sqlite.append.vs.mastra')).toMatchObject({ measured: null, status: 'N/A' });
    // The pruned thread's bytes are exact, not timings: no more than a thread of its latest checkpoint.
    expect(report.ratios.find((r: { id: string }) => r.id === 'langgraph.prune.sqlite')?.status).toBe('MET');
  });
});
