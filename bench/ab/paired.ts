import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';

/*
 * A/B of two builds that a busy machine does not blur: both services run at once (pinned to the
 * second core, the load to the first), and the load takes turns between them in short bursts, so
 * that each pair of bursts sees the same machine. Per burst: the server's CPU time (utime+stime from
 * /proc) per request; per round: B's over A's; the answer: the median of those ratios.
 *
 *   npx tsx bench/ab/paired.ts TREE_A TREE_B PATH BODY_FILE [ROUNDS] [BURST_SECONDS]
 *   e.g. npx tsx bench/ab/paired.ts /work/wt/base . /graphql bench/ab/graphql-session.json
 *
 * Each TREE must hold a built `dist/main.js`. BODY_FILE's SESSION is replaced by a session's id.
 */

const [treeA, treeB, path, bodyFile, roundsArg, burstArg] = process.argv.slice(2);
if (!treeA || !treeB || !path || !bodyFile) throw new Error('usage: paired.ts TREE_A TREE_B PATH BODY_FILE [ROUNDS] [BURST_SECONDS]');
const rounds = Number(roundsArg ?? 20);
const burst = Number(burstArg ?? 2);
const ticks = 100; // CLK_TCK on Linux

interface Server {
  child: ChildProcess;
  url: string;
  body: string;
}

async function start(tree: string, port: number): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'ab-paired-'));
  const child = spawn('taskset', ['-c', '1', process.execPath, join(resolve(tree), 'dist/main.js')], {
    cwd: resolve(tree),
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` },
    stdio: 'ignore',
  });
  child.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      if (i > 200) throw new Error(`${tree} did not start`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const session = (await (await fetch(`${url}/storage/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"agent_name":"ab"}' })).json()) as { id: string };
  return { child, url, body: readFileSync(bodyFile!, 'utf8').replaceAll('SESSION', session.id) };
}

function cpuTicks(child: ChildProcess): number {
  // `taskset` execs node: the child's pid is the server's.
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function load(server: Server, seconds: number): Promise<number> {
  const result = await autocannon({ url: server.url + path, method: 'POST', headers: { 'content-type': 'application/json' }, body: server.body, connections: 50, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${server.url}${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.total;
}

async function measure(server: Server): Promise<number> {
  const before = cpuTicks(server.child);
  const requests = await load(server, burst);
  return ((cpuTicks(server.child) - before) * (1000 / ticks)) / requests;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const port = 20000 + Math.floor(Math.random() * 10000);
const [a, b] = await Promise.all([start(treeA, port), start(treeB, port + 1)]);
try {
  await load(a, 3);
  await load(b, 3);
  const ratios: number[] = [];
  const msA: number[] = [];
  const msB: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first, so that neither always follows the other.
    const [first, second] = round % 2 === 0 ? [a, b] : [b, a];
    const x = await measure(first);
    const y = await measure(second);
    const [cpuA, cpuB] = first === a ? [x, y] : [y, x];
    msA.push(cpuA);
    msB.push(cpuB);
    ratios.push(cpuB / cpuA);
  }
  console.log(
    JSON.stringify({
      path,
      rounds,
      burstSeconds: burst,
      cpuMsPerRequest: { A: median(msA), B: median(msB) },
      ratioBOverA: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) },
    }),
  );
} finally {
  a.child.kill('SIGINT');
  b.child.kill('SIGINT');
}
