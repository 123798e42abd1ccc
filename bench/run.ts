import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { agentTurnSection } from './agent-turn/run.js';
import { analyticsSection } from './analytics/run.js';
import { contentSection } from './content/run.js';
import type { RawInput, RawResult } from './baselines/sqlite-raw.js';
import { langgraphSection } from './langgraph/run.js';
import { BACKENDS } from './lib/backends.js';
import { APPEND_BODY, CACHE_BODY, METRIC_BODY } from './lib/data.js';
import { seedLargeStore } from './lib/large-store.js';
import { type LoadSpec, type MeasuredLoad, runLoad } from './lib/load.js';
import { type BenchOptions, parseOptions, ROOT, selected } from './lib/options.js';
import { rssMb, runCommand, runJsonChild, sampleRss, type ServerChild, startServer, stopAllChildren } from './lib/processes.js';
import { graphqlBody, HELLO, HISTORY_PAGE_QUERY, NESTED_SESSIONS_QUERY, SESSIONS_LIST_QUERY, WHOLE_SESSION_QUERY } from './lib/queries.js';
import { type BenchReport, check, type ColdStart, type LargeReport, ratio, render, type Row, writeReport } from './lib/report.js';
import { type Fixtures, graphql, seedService } from './lib/seed.js';
import { percentile } from './lib/stats.js';
import { countStatements } from './lib/statements.js';
import { transpileToBuild } from './lib/transpile.js';
import { MASTRA_ROW, peersSection } from './peers/run.js';
import { searchSection } from './search/run.js';

/*
 * `npm run bench`: starts the service (built JS by default) and the baselines as child processes,
 * drives each with autocannon from another child process, and prints one table plus the targets;
 * the same numbers go to bench/results/latest.json. See bench/lib/options.ts for flags.
 */

const options = parseOptions(process.argv.slice(2), process.env);
const work = mkdtempSync(join(tmpdir(), 'agent-storage-bench-'));
/**
 * Every server (service and Yoga baseline) runs as deployed: the Docker image sets
 * NODE_ENV=production, which also turns off graphql-js's development-only checks.
 */
const SERVER_ENV = { NODE_ENV: 'production' };

const began = performance.now();
const log = (message: string) => process.stderr.write(`[bench ${((performance.now() - began) / 1000).toFixed(1).padStart(5)}s] ${message}\n`);

const report: BenchReport = {
  meta: {
    date: new Date().toISOString(),
    commit: git(['rev-parse', '--short', 'HEAD']),
    dirty: git(['status', '--porcelain', '--', 'src']) !== '',
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    /** Other work on the machine skews everything: the 1/5/15-minute load averages at start and end. */
    loadAverageStart: loadavg(),
    quick: options.quick,
    durationSec: options.durationSec,
    warmupSec: options.warmupSec,
    connections: options.connections,
    serviceMode: options.serviceMode,
    serviceCommand: options.serviceMode === 'dist' ? 'node dist/main.js' : 'node --import tsx src/main.ts',
    serverEnv: SERVER_ENV,
    sizes: options.sizes,
    large: options.large,
    only: options.only,
  },
  rows: [],
  ratios: [],
  coldStart: [],
  statements: [],
  large: null,
  skipped: [],
};

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

// --- the processes under test ---------------------------------------------------------------

interface Command {
  command: string;
  args: string[];
}

const node = process.execPath;
const serviceCommands: Record<BenchOptions['serviceMode'], Command> = {
  dist: { command: node, args: ['dist/main.js'] },
  source: { command: node, args: ['--import', 'tsx', 'src/main.ts'] },
};

function startService(command: Command, databaseUrl: string, name = 'service', env: Record<string, string> = {}): Promise<ServerChild> {
  return startServer({ name, ...command, env: { ...SERVER_ENV, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', ...env }, healthPath: '/health' });
}

// --- load runs --------------------------------------------------------------------------------

interface Scenario {
  scenario: string;
  description: string;
  connections: number;
  method: LoadSpec['method'];
  path: string;
  body?: string;
  values?: string[];
}

async function load(group: string, server: ServerChild, s: Scenario): Promise<MeasuredLoad> {
  log(`${group}/${s.scenario}: ${s.connections} connections, ${options.durationSec} s`);
  const spec: LoadSpec = {
    url: server.url,
    connections: s.connections,
    durationSec: options.durationSec,
    warmupSec: options.warmupSec,
    method: s.method,
    path: s.path,
    settlePath: '/health',
    ...(s.body !== undefined && { body: s.body }),
    ...(s.values !== undefined && { values: s.values }),
  };
  const result = await runLoad(spec, server.pid);
  report.rows.push({
    id: `${group}/${s.scenario}`,
    group,
    scenario: s.scenario,
    description: s.description,
    connections: s.connections,
    reqPerSec: result.reqPerSec,
    mbPerSec: result.mbPerSec,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    rssMb: result.rssPeakMb,
    errors: result.non2xx + result.errors,
  });
  if (result.non2xx + result.errors > 0) log(`  ! ${result.non2xx} non-2xx, ${result.errors} errors: ${JSON.stringify(result.statusCodes)}`);
  return result;
}

const c = options.connections;
const nested = (first: number) => (fx: Fixtures) => graphqlBody(NESTED_SESSIONS_QUERY, { agentName: fx.nestedAgent, first });

/** The service scenarios, in the order they run (reads first, then writes). */
function serviceScenarios(fx: Fixtures): Scenario[] {
  const whole = graphqlBody(WHOLE_SESSION_QUERY, { id: fx.bigId });
  const n = options.sizes.nestedSessions;
  const h = options.sizes.bigHistory;
  return [
    { scenario: 'rest.session.get', description: `GET /storage/sessions/{id}, over ${fx.spreadIds.length} sessions`, connections: c, method: 'GET', path: '/storage/sessions/{v}', values: fx.spreadIds },
    { scenario: `rest.history.${h}`, description: `GET /storage/history?session_id= of ${h} messages`, connections: c, method: 'GET', path: `/storage/history?session_id=${fx.bigId}` },
    { scenario: 'gql.session.whole', description: `GraphQL session with ${h} messages, state, artifacts, metrics`, connections: c, method: 'POST', path: '/graphql', body: whole },
    { scenario: 'gql.session.whole.c1', description: 'the same, one connection (latency)', connections: 1, method: 'POST', path: '/graphql', body: whole },
    { scenario: 'gql.nested.1', description: 'GraphQL sessions(first: 1) with nested fields', connections: c, method: 'POST', path: '/graphql', body: nested(1)(fx) },
    { scenario: 'gql.nested.1.c1', description: 'the same, one connection (latency)', connections: 1, method: 'POST', path: '/graphql', body: nested(1)(fx) },
    { scenario: `gql.nested.${n}`, description: `GraphQL sessions(first: ${n}) with nested fields`, connections: c, method: 'POST', path: '/graphql', body: nested(n)(fx) },
    { scenario: `gql.nested.${n}.c1`, description: 'the same, one connection (latency)', connections: 1, method: 'POST', path: '/graphql', body: nested(n)(fx) },
    { scenario: 'rest.cache.get', description: `GET /storage/cache/{key}, over ${fx.cacheKeys.length} keys (moves accessed_at: a durable write)`, connections: c, method: 'GET', path: '/storage/cache/{v}', values: fx.cacheKeys },
    { scenario: 'rest.cache.set', description: `PUT /storage/cache/{key}, over ${fx.cacheKeys.length} keys`, connections: c, method: 'PUT', path: '/storage/cache/{v}', body: CACHE_BODY, values: fx.cacheKeys },
    { scenario: 'rest.metric.record', description: 'POST /storage/metrics', connections: c, method: 'POST', path: '/storage/metrics', body: METRIC_BODY, values: fx.spreadIds },
    { scenario: 'rest.append.spread', description: `POST /storage/history, durable, over ${fx.spreadIds.length} sessions`, connections: c, method: 'POST', path: '/storage/history', body: APPEND_BODY, values: fx.spreadIds },
    { scenario: 'rest.append.hot', description: 'POST /storage/history, durable, all to one session', connections: c, method: 'POST', path: '/storage/history', body: APPEND_BODY, values: [fx.hotId] },
  ];
}

/** GraphQL answers errors with 200: check once that each query returns what it should. */
async function verifyFixtures(base: string, fx: Fixtures): Promise<void> {
  const whole = await graphql(base, WHOLE_SESSION_QUERY, { id: fx.bigId });
  if (whole.session?.history?.nodes?.length !== options.sizes.bigHistory) throw new Error('whole-session query did not return the whole history');
  const many = await graphql(base, NESTED_SESSIONS_QUERY, { agentName: fx.nestedAgent, first: options.sizes.nestedSessions });
  if (many.sessions?.nodes?.length !== options.sizes.nestedSessions) throw new Error('nested query did not return every session');
  if (many.sessions.nodes.some((s: any) => s.history.nodes.length !== options.sizes.nestedMessages || s.state === null)) {
    throw new Error('nested query returned incomplete sessions');
  }
}

// --- phases -------------------------------------------------------------------------------------

async function coldStarts(yogaJs: string): Promise<void> {
  const yogaSpec = (cmd: Command) => ({ ...cmd, env: SERVER_ENV, healthPath: '/health' });
  const servers: { server: string; description: string; start: (i: number) => Promise<ServerChild> }[] = [
    { server: 'yoga-hello (node, plain JS)', description: 'bare Yoga { hello }, transpiled JS', start: () => startServer({ name: 'yoga-hello', ...yogaSpec({ command: node, args: [yogaJs] }) }) },
    { server: 'yoga-hello (tsx)', description: 'bare Yoga { hello }, node --import tsx', start: () => startServer({ name: 'yoga-hello', ...yogaSpec({ command: node, args: ['--import', 'tsx', 'bench/servers/yoga-hello.ts'] }) }) },
    { server: 'service (tsx src/main.ts)', description: 'service from source, fresh SQLite file (migrations run)', start: (i) => startService(serviceCommands.source, `sqlite:${join(work, `cold-src-${i}.db`)}`) },
  ];
  if (options.serviceMode === 'dist') {
    servers.splice(1, 0, { server: 'service (node dist/main.js)', description: 'built service, fresh SQLite file (migrations run)', start: (i) => startService(serviceCommands.dist, `sqlite:${join(work, `cold-dist-${i}.db`)}`) });
  }
  for (const s of servers) {
    const runs: number[] = [];
    // Each start is a fresh process; an unmeasured first start warms the OS file cache (not in --quick).
    for (let i = options.quick ? 1 : 0; i <= options.coldStartRuns; i++) {
      const child = await s.start(i);
      if (i > 0) runs.push(child.startMs);
      await child.stop();
    }
    const sorted = [...runs].sort((a, b) => a - b);
    report.coldStart.push({ server: s.server, description: s.description, runs, medianMs: percentile(sorted, 50), minMs: sorted[0]!, maxMs: sorted.at(-1)! });
    log(`cold start ${s.server}: median ${percentile(sorted, 50).toFixed(0)} ms`);
  }
}

/**
 * The Yoga baseline runs at the start and again at the end: the ratios use the mean of the two, and
 * the difference between them shows how much the machine drifted during the run.
 */
async function yogaBaseline(yogaJs: string, scenario: string, description: string): Promise<void> {
  const yoga = await startServer({ name: 'yoga-hello', command: node, args: [yogaJs], env: SERVER_ENV, healthPath: '/health' });
  try {
    await load('baseline', yoga, { scenario, description, connections: c, method: 'POST', path: '/graphql', body: HELLO });
  } finally {
    await yoga.stop();
  }
}

async function baselines(yogaJs: string): Promise<RawResult | null> {
  await yogaBaseline(yogaJs, 'yoga.hello', 'bare graphql-yoga POST { hello } (start of the run)');
  if (!selected(options, 'baseline/sqlite.raw')) return null;

  log(`baseline/sqlite.raw: ${options.durationSec} s of durable commits, select + stringify x${options.sizes.selectIterations}`);
  const input: RawInput = { dir: work, durationSec: options.durationSec, selectIterations: options.sizes.selectIterations, messages: options.sizes.bigHistory };
  let sampler: ReturnType<typeof sampleRss> | undefined;
  const raw = await runJsonChild<RawResult>(['--import', 'tsx', 'bench/baselines/sqlite-raw.ts'], input, (pid) => (sampler = sampleRss(pid)));
  const peak = sampler?.stop().peakMb ?? raw.rssMb;
  report.rows.push(
    {
      id: 'baseline/sqlite.commit', group: 'baseline', scenario: 'sqlite.commit',
      description: 'raw better-sqlite3: the append transaction (seq + 1 row), synchronous=FULL, one commit at a time',
      connections: null, reqPerSec: raw.commits.perSec, mbPerSec: null, p50Ms: raw.commits.p50Ms, p99Ms: raw.commits.p99Ms, rssMb: peak, errors: 0,
    },
    {
      id: `baseline/sqlite.select${raw.select.rows}+stringify`, group: 'baseline', scenario: 'sqlite.select+stringify',
      description: `raw better-sqlite3: SELECT the ${raw.select.rows} rows of one session + JSON.stringify (${Math.round(raw.select.bytes / 1024)} KiB), in process`,
      connections: null, reqPerSec: 1000 / raw.select.meanMs, mbPerSec: null, p50Ms: raw.select.p50Ms, p99Ms: raw.select.p99Ms, rssMb: peak, errors: 0,
    },
  );
  return raw;
}

/**
 * The honest limit of a big REST history read: bare node:http over raw better-sqlite3 on the
 * database the service just used (stopped by now), serving the same session's history — once with
 * select + JSON.stringify, once with the JSON written by SQLite. A 420 KB response cannot keep pace
 * with Yoga's 30-byte `{ hello }`; this says how far the service is from what the bytes allow.
 */
async function rawHistoryBaseline(databaseUrl: string, fx: Fixtures): Promise<void> {
  const file = databaseUrl.replace(/^sqlite:/, '');
  const server = await startServer({
    name: 'sqlite-history', command: node, args: [transpileToBuild('bench/servers/sqlite-history.ts')], env: { ...SERVER_ENV, DATABASE_FILE: file }, healthPath: '/health',
  });
  try {
    const h = options.sizes.bigHistory;
    await load('baseline', server, { scenario: `raw-http.history.${h}.stringify`, description: `node:http + better-sqlite3: ${h} rows, select + JSON.stringify`, connections: c, method: 'GET', path: `/history?session_id=${fx.bigId}` });
    await load('baseline', server, { scenario: `raw-http.history.${h}.sqljson`, description: `node:http + better-sqlite3: ${h} rows, JSON built by SQLite`, connections: c, method: 'GET', path: `/history-json?session_id=${fx.bigId}` });
    await load('baseline', server, { scenario: `raw-http.history.${h}.bytes`, description: `node:http: the same ${h}-message JSON sent again from memory (no reading)`, connections: c, method: 'GET', path: `/history-bytes?session_id=${fx.bigId}` });
  } finally {
    await server.stop();
  }
}

const SESSION_BYTES_ROW = 'baseline/raw-http.session.bytes';

/**
 * The ceiling of a REST session read: what the service answered for each session, fetched once from
 * it (before the load runs change anything), written where the bare server reads it.
 */
async function fetchSessionBytes(base: string, fx: Fixtures): Promise<string> {
  const bodies: Record<string, string> = {};
  let contentType = '';
  for (const id of fx.spreadIds) {
    const response = await fetch(`${base}/storage/sessions/${id}`);
    if (!response.ok) throw new Error(`GET /storage/sessions/${id} answered ${response.status}`);
    contentType = response.headers.get('content-type') ?? 'application/json';
    bodies[id] = await response.text();
  }
  const file = join(work, 'session-bytes.json');
  writeFileSync(file, JSON.stringify({ contentType, bodies }));
  return file;
}

async function sessionBytesBaseline(sessionsFile: string, fx: Fixtures): Promise<void> {
  const server = await startServer({
    name: 'session-bytes', command: node, args: [transpileToBuild('bench/servers/session-bytes.ts')], env: { ...SERVER_ENV, SESSIONS_FILE: sessionsFile }, healthPath: '/health',
  });
  try {
    await load('baseline', server, {
      scenario: SESSION_BYTES_ROW.slice('baseline/'.length),
      description: `node:http: GET /storage/sessions/{id} answered with the service's bytes from memory, over ${fx.spreadIds.length} sessions`,
      connections: c, method: 'GET', path: '/storage/sessions/{v}', values: fx.spreadIds,
    });
  } finally {
    await server.stop();
  }
}

async function backendRuns(): Promise<string[]> {
  const ran: string[] = [];
  // Only the names matter here: which backends have a scenario selected by --only.
  const names = serviceScenarios({ spreadIds: [], hotId: '', bigId: '', nestedAgent: '', cacheKeys: [] }).map((s) => s.scenario);
  for (const backend of BACKENDS) {
    if (!names.some((name) => selected(options, `${backend.name}/${name}`))) {
      report.skipped.push(`${backend.name}: no scenario selected (--only)`);
      continue;
    }
    const prepared = await backend.prepare(work, options);
    if ('skip' in prepared) {
      report.skipped.push(prepared.skip);
      log(`skip ${prepared.skip}`);
      continue;
    }
    let service: ServerChild | undefined;
    try {
      try {
        service = await startService(serviceCommands[options.serviceMode], prepared.databaseUrl, `service on ${backend.name}`);
      } catch (error) {
        const first = (error as Error).message.split('\n').slice(0, 3).join(' ').slice(0, 300);
        report.skipped.push(`${backend.name}: the service did not start (${first})`);
        log(`skip ${backend.name}: ${first}`);
        continue;
      }
      log(`${backend.name}: seeding through the API`);
      const fx = await seedService(service.url, options.sizes);
      await verifyFixtures(service.url, fx);
      // Once, from the first backend that runs: the bare server answers the bytes of either alike.
      const sessionsFile = selected(options, SESSION_BYTES_ROW) && !row(SESSION_BYTES_ROW) ? await fetchSessionBytes(service.url, fx) : null;
      for (const s of serviceScenarios(fx)) if (selected(options, `${backend.name}/${s.scenario}`)) await load(backend.name, service, s);
      await service.stop();
      if (sessionsFile) await sessionBytesBaseline(sessionsFile, fx);
      if (backend.name === 'sqlite' && selected(options, 'baseline/raw-http.history')) await rawHistoryBaseline(prepared.databaseUrl, fx);
      if (selected(options, `${backend.name}/statements`) || selected(options, `${backend.name}/gql.nested`)) {
        log(`${backend.name}: counting SQL statements per GraphQL request (in process)`);
        report.statements.push(...(await countStatements(backend.name, prepared.databaseUrl, fx, options.sizes)));
      }
      ran.push(backend.name);
    } catch (error) {
      report.skipped.push(`${backend.name}: failed during the run (${(error as Error).message.slice(0, 300)})`);
      log(`${backend.name} failed: ${(error as Error).stack}`);
    } finally {
      await service?.stop();
      await prepared.cleanup().catch((error: unknown) => log(`cleanup of ${backend.name} failed: ${(error as Error).message}`));
    }
  }
  return ran;
}

async function largeStore(): Promise<void> {
  const sizes = options.large!;
  const file = join(work, 'large.db');
  log(`large: seeding ${sizes.messages} messages in ${sizes.sessions} sessions`);
  const seeded = seedLargeStore(file, sizes);
  log(`large: seeded in ${seeded.seedSec.toFixed(1)} s (${seeded.fileMb.toFixed(0)} MB)`);
  const service = await startService(serviceCommands[options.serviceMode], `sqlite:${file}`, 'service on the large store');
  const peak = sampleRss(service.pid, 100);
  try {
    const idle = rssMb(service.pid);
    await load('large', service, { scenario: 'rest.sessions.list', description: 'GET /storage/sessions?limit=100 (newest first) over the large store', connections: c, method: 'GET', path: '/storage/sessions?limit=100' });
    await load('large', service, { scenario: 'gql.sessions.list', description: 'GraphQL sessions(first: 100) over the large store', connections: c, method: 'POST', path: '/graphql', body: graphqlBody(SESSIONS_LIST_QUERY, { first: 100 }) });
    const beforePaging = rssMb(service.pid);

    const paging: LargeReport['paging'] = [];
    const pageThrough = async (via: string, fetchPage: (cursor: string | null, page: number) => Promise<{ count: number; next: string | null; firstSeq: number }>) => {
      log(`large: paging through ${sizes.bigSession} messages via ${via}`);
      const sampler = sampleRss(service.pid, 50);
      const times: number[] = [];
      let cursor: string | null = null;
      let messages = 0;
      const started = performance.now();
      for (let page = 0; ; page++) {
        const t = performance.now();
        const { count, next, firstSeq } = await fetchPage(cursor, page);
        times.push(performance.now() - t);
        if (count > 0 && firstSeq !== messages + 1) throw new Error(`${via}: page ${page} starts at seq ${firstSeq}, expected ${messages + 1}`);
        messages += count;
        if (next === null) break;
        cursor = next;
      }
      if (messages !== sizes.bigSession) throw new Error(`${via}: paged ${messages} messages, expected ${sizes.bigSession}`);
      const sorted = times.sort((a, b) => a - b);
      paging.push({ via, pages: times.length, messages, totalSec: (performance.now() - started) / 1000, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), rssPeakMb: sampler.stop().peakMb });
    };

    const graphqlPage = async (after: string | null) => {
      const data = await graphql(service.url, HISTORY_PAGE_QUERY, { id: seeded.bigId, first: sizes.pageSize, after });
      const history = data.session.history;
      return { count: history.nodes.length, next: history.pageInfo.hasNextPage ? history.pageInfo.endCursor : null, firstSeq: history.nodes[0]?.seq ?? 0 };
    };
    await pageThrough('GraphQL history(first, after)', graphqlPage);
    const afterGraphqlPaging = rssMb(service.pid);
    let seq = 0;
    await pageThrough('REST limit/offset', async (_cursor, page) => {
      const response = await fetch(`${service.url}/storage/history?session_id=${seeded.bigId}&limit=${sizes.pageSize}&offset=${page * sizes.pageSize}`);
      if (!response.ok) throw new Error(`REST history page answered ${response.status}`);
      const rows = (await response.json()) as unknown[];
      const firstSeq = seq + 1; // REST messages carry no seq: count them instead
      seq += rows.length;
      return { count: rows.length, next: rows.length === sizes.pageSize ? 'more' : null, firstSeq };
    });
    const afterRestPaging = rssMb(service.pid);
    // Once more: growth on a second pass would be a leak; none means the heap just sized itself.
    await pageThrough('GraphQL history(first, after), again', graphqlPage);
    const afterSecondPass = rssMb(service.pid);
    report.large = {
      ...sizes,
      seedSec: seeded.seedSec,
      fileMb: seeded.fileMb,
      rssMb: { idle, peak: peak.stop().peakMb, beforePaging, afterGraphqlPaging, afterRestPaging, afterSecondPass },
      paging,
    };
  } finally {
    peak.stop();
    await service.stop();
  }
}

// --- targets ------------------------------------------------------------------------------------

function row(id: string): Row | undefined {
  return report.rows.find((r) => r.id === id);
}

/** The targets that differ by backend: PostgreSQL pays a network round trip and a server process. */
const BACKEND_TARGETS: Record<string, { appendVsYoga: number; historyVsCeiling: number; wholeVsRaw: number }> = {
  sqlite: { appendVsYoga: 2.0, historyVsCeiling: 0.5, wholeVsRaw: 1.5 },
  postgres: { appendVsYoga: 1.8, historyVsCeiling: 0.3, wholeVsRaw: 2.0 },
};

function targets(ranBackends: string[], raw: RawResult | null): void {
  const yogaRuns = [row('baseline/yoga.hello')?.reqPerSec, row('baseline/yoga.hello.end')?.reqPerSec].filter((v): v is number => v != null);
  const yoga = yogaRuns.length ? yogaRuns.reduce((a, b) => a + b, 0) / yogaRuns.length : null;
  const vsYoga = `${c} connections each; Yoga = mean of its runs at the start and end (${yogaRuns.map((v) => v.toFixed(0)).join(', ')} req/s)`;
  const n = options.sizes.nestedSessions;
  const h = options.sizes.bigHistory;
  if (yogaRuns.length === 2) {
    report.ratios.push(ratio('yoga.drift', 'Yoga hello req/s, end of run / start (info: machine drift)', yogaRuns[1], yogaRuns[0], 'info', null, 'far from 1: the machine was busy with other work'));
  }
  const nestedCount = (b: string, sessions: number) => report.statements.find((x) => x.backend === b && x.name === 'nested sessions' && x.sessions === sessions);
  const statements = (b: string, sessions: number) => nestedCount(b, sessions)?.statements;
  const backendMs = (b: string, sessions: number) => nestedCount(b, sessions)?.backendMs;
  const mastra = row(MASTRA_ROW);
  for (const b of ranBackends) {
    const r = (s: string) => row(`${b}/${s}`);
    const goal = BACKEND_TARGETS[b]!;
    report.ratios.push(
      ratio(`${b}.append.spread`, `${b}: durable REST append (${options.sizes.spreadSessions} sessions) / Yoga { hello }, req/s`, r('rest.append.spread')?.reqPerSec, yoga, '>=', goal.appendVsYoga, vsYoga),
      ratio(`${b}.append.hot`, `${b}: durable REST append (one hot session) / Yoga { hello }, req/s`, r('rest.append.hot')?.reqPerSec, yoga, '>=', goal.appendVsYoga, vsYoga),
      ratio(
        `${b}.append.vs.mastra`, `${b}: durable REST append over HTTP (${options.sizes.spreadSessions} sessions, req/s) / Mastra LibSQLStore.saveMessages in process, one message per call (messages/s)`,
        r('rest.append.spread')?.reqPerSec, mastra?.reqPerSec, '>=', 1.5,
        mastra ? `${c} connections against one call at a time in one process (${MASTRA_ROW}: WAL, synchronous=FULL)` : `no ${MASTRA_ROW} row (see Skipped)`,
      ),
      ratio(`${b}.read.session.vs.bare`, `${b}: REST GET session / bare node:http answering the same bytes from memory, req/s`, r('rest.session.get')?.reqPerSec, row(SESSION_BYTES_ROW)?.reqPerSec, '>=', 0.25, `${c} connections each, the same ${options.sizes.spreadSessions} sessions (${SESSION_BYTES_ROW})`),
      ratio(`${b}.read.session`, `${b}: REST GET session / Yoga { hello }, req/s (info)`, r('rest.session.get')?.reqPerSec, yoga, 'info', null, vsYoga),
      ratio(`${b}.cache.vs.session`, `${b}: REST GET cache / REST GET session, req/s`, r('rest.cache.get')?.reqPerSec, r('rest.session.get')?.reqPerSec, '>=', 0.8, `${c} connections each; a cache GET also moves accessed_at`),
      ratio(
        `${b}.read.history.vs.ceiling`, `${b}: REST GET history (${h} msgs) / bare node:http sending the same bytes from memory, req/s`,
        r(`rest.history.${h}`)?.reqPerSec, row(`baseline/raw-http.history.${h}.bytes`)?.reqPerSec, '>=', goal.historyVsCeiling, `${c} connections each; the transfer ceiling of a ${h}-message response`,
      ),
      ratio(`${b}.read.history.vs.raw`, `${b}: REST GET history (${h} msgs) / raw node:http select+stringify, req/s (info)`, r(`rest.history.${h}`)?.reqPerSec, row(`baseline/raw-http.history.${h}.stringify`)?.reqPerSec, 'info', null, `${c} connections each; bare node:http over the same database file`),
      ratio(`${b}.read.history.vs.sqljson`, `${b}: REST GET history (${h} msgs) / raw node:http SQL-built JSON, req/s (info)`, r(`rest.history.${h}`)?.reqPerSec, row(`baseline/raw-http.history.${h}.sqljson`)?.reqPerSec, 'info', null, `${c} connections each`),
      ratio(
        `${b}.whole.latency`, `${b}: GraphQL whole session (${h} msgs) p50, one connection / raw better-sqlite3 select + JSON.stringify p50 in process, ms`,
        r('gql.session.whole.c1')?.p50Ms, raw?.select.p50Ms, '<=', goal.wholeVsRaw, 'p50 latency, one connection vs in-process loop',
      ),
      ratio(`${b}.nested.statements`, `${b}: SQL statements, nested ${n} sessions / 1 session`, statements(b, n), statements(b, 1), '<=', 1, 'in-process statement count'),
      ratio(`${b}.nested.latency`, `${b}: nested ${n} sessions p50 / nested 1 session p50`, r(`gql.nested.${n}.c1`)?.p50Ms, r('gql.nested.1.c1')?.p50Ms, '<=', 3, 'p50 latency, one connection'),
      ratio(`${b}.nested.backend`, `${b}: time in the backend, nested ${n} / nested 1 (info)`, backendMs(b, n), backendMs(b, 1), 'info', null, `in process: the SQL and row decoding alone grow with the ${n}x rows`),
      ratio(`${b}.nested.backend.vs.served`, `${b}: time in the backend for nested ${n} / served p50 of nested 1 (info)`, backendMs(b, n), r('gql.nested.1.c1')?.p50Ms, 'info', null, 'above 3: the nested latency target is out of reach with this SQL'),
      ratio(`${b}.nested.latency.c${c}`, `${b}: nested ${n} / nested 1, p50 at ${c} connections (info)`, r(`gql.nested.${n}`)?.p50Ms, r('gql.nested.1')?.p50Ms, 'info', null, `p50 latency, ${c} connections`),
      ratio(`${b}.append.vs.raw`, `${b}: durable append / raw sqlite commits/s (info)`, r('rest.append.spread')?.reqPerSec, raw?.commits.perSec, 'info', null, 'how close appends are to the fsync-bound floor'),
    );
  }
  if (row(`baseline/raw-http.history.${h}.bytes`)) {
    report.ratios.push(
      ratio('history.ceiling', `bare node:http sending the ${h}-message JSON from memory / Yoga { hello }, req/s (info)`, row(`baseline/raw-http.history.${h}.bytes`)?.reqPerSec, yoga, 'info', null, 'what a response of that size costs to send, against a 30-byte one'),
    );
  }
  if (report.large) {
    const l = report.large;
    const full = l.messages >= 1_000_000;
    report.ratios.push(
      check('large.rss.peak', `large store: peak server RSS MB (${(l.messages / 1e6).toFixed(2)}M messages${full ? '' : ', scaled down'})`, l.rssMb.peak, '<=', 250, 'VmRSS sampled every 100 ms while serving'),
      ratio('large.rss.paging', `large store: RSS after paging / before paging (${l.bigSession} msgs, GraphQL + REST)`, l.rssMb.afterRestPaging, l.rssMb.beforePaging, '<=', 1.1, 'VmRSS; 10% allowance for GC noise'),
      ratio('large.rss.repeat', 'large store: RSS after a second GraphQL pass / after the first passes (info)', l.rssMb.afterSecondPass, l.rssMb.afterRestPaging, 'info', null, 'above 1: memory still grows'),
    );
  }
  const cold = (server: string) => report.coldStart.find((x) => x.server === server)?.medianMs;
  if (options.serviceMode === 'dist') {
    report.ratios.push(ratio('coldstart.dist', 'cold start: service (dist) / bare Yoga (plain JS), median', cold('service (node dist/main.js)'), cold('yoga-hello (node, plain JS)'), '<=', 1.5, 'spawn to first 200'));
    report.ratios.push(ratio('coldstart.tsx', 'cold start: service (tsx) / bare Yoga (tsx), median (info)', cold('service (tsx src/main.ts)'), cold('yoga-hello (tsx)'), 'info', null, 'spawn to first 200'));
  } else {
    report.ratios.push(ratio('coldstart.tsx', 'cold start: service (tsx) / bare Yoga (tsx), median', cold('service (tsx src/main.ts)'), cold('yoga-hello (tsx)'), '<=', 1.5, 'spawn to first 200'));
  }
}

// --- main ---------------------------------------------------------------------------------------

process.on('SIGINT', () => {
  void stopAllChildren().finally(() => {
    rmSync(work, { recursive: true, force: true });
    process.exit(130);
  });
});

let raw: RawResult | null = null;
let ran: string[] = [];
let failure: unknown = null;
try {
  if (options.serviceMode === 'dist') {
    log('building dist/ (npm run build)');
    await runCommand(node, [join(ROOT, 'scripts/build.mjs')]);
  }
  const [load1] = loadavg();
  if (load1! > 1) log(`warning: load average ${load1!.toFixed(2)} before the run: other work on the machine will skew the numbers`);
  const yogaJs = transpileToBuild('bench/servers/yoga-hello.ts');
  if (selected(options, 'coldstart')) await coldStarts(yogaJs);
  else report.skipped.push('cold start: not selected (--only)');
  raw = await baselines(yogaJs);
  await peersSection({ options, work, report, log });
  ran = await backendRuns();
  await langgraphSection({ options, work, report, log, startService: (url, name) => startService(serviceCommands[options.serviceMode], url, name) });
  await agentTurnSection({ options, work, report, log, startService: (url, name) => startService(serviceCommands[options.serviceMode], url, name) });
  await analyticsSection({ options, work, report, log, startService: (url, name) => startService(serviceCommands[options.serviceMode], url, name) });
  await searchSection({ options, work, report, log, startService: (url, name, env) => startService(serviceCommands[options.serviceMode], url, name, env) });
  await contentSection({ options, work, report, log, startService: (url, name, env) => startService(serviceCommands[options.serviceMode], url, name, env) });
  if (options.large) await largeStore();
  else report.skipped.push(`large store: ${options.only.length ? 'not selected (--only) or ' : ''}disabled (--no-large / BENCH_LARGE=0)`);
  await yogaBaseline(yogaJs, 'yoga.hello.end', 'bare graphql-yoga POST { hello } again (end of the run)');
} catch (error) {
  failure = error;
} finally {
  await stopAllChildren();
  rmSync(work, { recursive: true, force: true });
}

report.meta.loadAverageEnd = loadavg();
targets(ran, raw);
process.stdout.write(`${render(report)}\n`);
writeReport(options.outFile, report);
log(`wrote ${options.outFile}`);
if (failure) {
  process.stderr.write(`bench failed: ${(failure as Error).stack ?? String(failure)}\n`);
  process.exit(1);
}
