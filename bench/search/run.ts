import { join } from 'node:path';
import { BACKENDS, type PreparedDatabase } from '../lib/backends.js';
import { words } from '../../src/domain/words.js';
import { APPEND_BODY, messageContent } from '../lib/data.js';
import { type MeasuredLoad, runLoad } from '../lib/load.js';
import { type BenchOptions, selected } from '../lib/options.js';
import { runJsonChild, sampleRss, type ServerChild } from '../lib/processes.js';
import { type BenchReport, check, ratio, type Row } from '../lib/report.js';
import { inParallel } from '../lib/seed.js';
import type { ChildInput, ChildResult, Latency } from './child.js';
import { SEARCH_CASES } from './corpus.js';
import { type LoadedCorpus, loadPostgres, loadSqlite } from './seed.js';

/*
 * The search section of `npm run bench` (ids `search/…`, `--only=search`), on each backend:
 *
 *  - latency: a history of `sizes.sessions` × `sizes.perSession` messages (1M by default) loaded
 *    straight into a fresh database, the service started on it, then one search at a time, taking
 *    turns: `GET /storage/search` through the service against the very statements it runs, on a
 *    connection of the driver's own process to the same database (child.ts);
 *  - the cost of indexing appends: durable `POST /storage/history` throughput on two services on
 *    fresh databases, one with SEARCH_INDEX=true and one with SEARCH_INDEX=false, alternated.
 */

export interface SearchBench {
  options: BenchOptions;
  work: string;
  report: BenchReport;
  log(message: string): void;
  startService(databaseUrl: string, name: string, env?: Record<string, string>): Promise<ServerChild>;
}

/** Results a search page asks for (REST `limit`): the service's default page. */
const LIMIT = 20;

const CHILD = ['--import', 'tsx', 'bench/search/child.ts'];

async function prepare(bench: SearchBench, backend: string, file: string): Promise<PreparedDatabase | { skip: string }> {
  if (backend === 'sqlite') return { databaseUrl: `sqlite:${join(bench.work, file)}`, cleanup: async () => {} };
  return BACKENDS.find((b) => b.name === backend)!.prepare(bench.work, bench.options);
}

export async function searchSection(bench: SearchBench): Promise<void> {
  const { options, report, log } = bench;
  const backends = ['sqlite', 'postgres'];
  const latencyOn = backends.filter((b) => selected(options, `search/${b}.latency`));
  const appendOn = backends.filter((b) => selected(options, `search/${b}.append`));
  if (latencyOn.length + appendOn.length === 0) {
    report.skipped.push('search: not selected (--only)');
    return;
  }
  const sizes = options.search;
  const meta: Record<string, unknown> = {
    corpus: { sessions: sizes.sessions, messagesPerSession: sizes.perSession, messages: sizes.sessions * sizes.perSession, cases: SEARCH_CASES, limit: LIMIT },
    load: {},
    matches: {},
    appendRuns: {},
  };
  report.meta.search = meta;
  for (const backend of backends) {
    const started = performance.now();
    // Appends first: on small fresh databases, before the large load's writes reach the disk.
    if (appendOn.includes(backend)) await appendCost(bench, backend, meta);
    if (latencyOn.includes(backend)) await latency(bench, backend, meta);
    log(`search/${backend}: section took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}

async function latency(bench: SearchBench, backend: string, meta: Record<string, any>): Promise<void> {
  const { options, report, log } = bench;
  const sizes = options.search;
  const database = await prepare(bench, backend, 'search.db');
  if ('skip' in database) {
    report.skipped.push(`search latency on ${backend}: ${database.skip}`);
    return;
  }
  let service: ServerChild | undefined;
  try {
    log(`search/${backend}: loading ${sizes.sessions * sizes.perSession} messages (${sizes.sessions} sessions × ${sizes.perSession})`);
    const loaded: LoadedCorpus =
      backend === 'sqlite' ? await loadSqlite(database.databaseUrl.replace(/^sqlite:/, ''), sizes) : await loadPostgres(database.databaseUrl, sizes);
    meta.load[backend] = loaded;
    log(`search/${backend}: loaded in ${loaded.loadSec.toFixed(1)} s (${loaded.sizeMb.toFixed(0)} MB)`);

    service = await bench.startService(database.databaseUrl, `service on ${backend} (search)`);
    const rss = sampleRss(service.pid);
    log(`search/${backend}: ${SEARCH_CASES.length} queries in turn, one at a time, service and direct statements alternating, ${2 * options.durationSec} s`);
    const input: ChildInput = {
      dialect: backend as ChildInput['dialect'],
      databaseUrl: database.databaseUrl,
      serviceUrl: service.url,
      cases: [...SEARCH_CASES],
      limit: LIMIT,
      // Two subjects share the time: each gets about the duration of one load run.
      durationMs: 2 * options.durationSec * 1000,
      warmupMs: 2 * options.warmupSec * 1000,
    };
    const result = await runJsonChild<ChildResult>(CHILD, input);
    const peak = rss.stop().peakMb;
    meta.matches[backend] = result.matches;

    const row = (subject: 'service' | 'in-process', id: string, l: Latency, what: string): Row => ({
      id: `search/${backend}.latency.${subject === 'service' ? 'service' : 'direct'}.${id}`,
      group: 'search',
      scenario: `${backend}.latency.${subject === 'service' ? 'service' : 'direct'}.${id}`,
      description: subject === 'service' ? `GET /storage/search?limit=${LIMIT}, ${what}, service on ${backend}` : `the same statements on a direct ${backend} connection, in process: ${what}`,
      connections: subject === 'service' ? 1 : null,
      reqPerSec: l.meanMs > 0 ? 1000 / l.meanMs : null,
      mbPerSec: null,
      p50Ms: l.p50Ms,
      p99Ms: l.p99Ms,
      rssMb: subject === 'service' ? peak : null,
      errors: 0,
    });
    for (const c of SEARCH_CASES) {
      const m = result.matches[c.id];
      const what = m ? `${c.description}, ${m.totalCount}${m.estimate ? '+' : ''} matches` : c.description;
      report.rows.push(row('service', c.id, result.latency.service[c.id]!, what), row('in-process', c.id, result.latency['in-process'][c.id]!, what));
    }
    const basis = `${(loaded.messages / 1e6).toFixed(2)}M messages; one search at a time, service and direct statements taking turns; ${SEARCH_CASES.map((c) => c.id).join(', ')} in turn`;
    const s = result.latency.service;
    const d = result.latency['in-process'];
    // The mix's ratio is the geometric mean of each query's own ratio: every query weighs the same,
    // however slow it is. (A percentile of all samples pooled would fall in the gap between a fast
    // and a slow query and compare whichever side of it each subject happened to land on.)
    const mixRatio = (p: 'p50Ms' | 'p99Ms') => {
      const ratios = SEARCH_CASES.map((c) => (s[c.id]?.[p] ?? NaN) / (d[c.id]?.[p] ?? NaN));
      return ratios.every((r) => Number.isFinite(r) && r > 0) ? Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length) : null;
    };
    const worst = (p: 'p50Ms' | 'p99Ms') => Math.max(...SEARCH_CASES.map((c) => (s[c.id]?.[p] ?? NaN) / (d[c.id]?.[p] ?? NaN)));
    report.ratios.push(
      check(`search.${backend}.p50`, `search (${backend}): service / the same SQL in process, p50 (geometric mean over the mix)`, mixRatio('p50Ms'), '<=', 3, `${basis}; the worst query: ${worst('p50Ms').toFixed(2)}`),
      check(`search.${backend}.p99`, `search (${backend}): service / the same SQL in process, p99 (geometric mean over the mix)`, mixRatio('p99Ms'), '<=', 3, `${basis}; the worst query: ${worst('p99Ms').toFixed(2)}`),
    );
    for (const c of SEARCH_CASES) {
      report.ratios.push(ratio(`search.${backend}.${c.id}.p50`, `search (${backend}): service / in process, p50 of ${c.id} (info)`, s[c.id]?.p50Ms, d[c.id]?.p50Ms, 'info', null, basis));
      report.ratios.push(ratio(`search.${backend}.${c.id}.p99`, `search (${backend}): service / in process, p99 of ${c.id} (info)`, s[c.id]?.p99Ms, d[c.id]?.p99Ms, 'info', null, basis));
    }
  } catch (error) {
    report.skipped.push(`search latency on ${backend}: failed (${(error as Error).message.slice(0, 300)})`);
    log(`search/${backend} failed: ${(error as Error).stack}`);
  } finally {
    await service?.stop();
    await database.cleanup().catch((error: unknown) => log(`search: cleanup of ${backend} failed: ${(error as Error).message}`));
  }
}

async function createSessions(base: string, n: number): Promise<string[]> {
  return inParallel(n, 16, async (i) => {
    const response = await fetch(`${base}/storage/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agent_name: 'bench-search-append', user_id: `user_${i % 100}` }),
    });
    if (!response.ok) throw new Error(`POST /storage/sessions answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { id: string }).id;
  });
}

async function appendCost(bench: SearchBench, backend: string, meta: Record<string, any>): Promise<void> {
  const { options, report, log } = bench;
  const databases: PreparedDatabase[] = [];
  const servers: ServerChild[] = [];
  try {
    const subjects: { index: 'on' | 'off'; server: ServerChild; sessions: string[] }[] = [];
    for (const index of ['off', 'on'] as const) {
      const database = await prepare(bench, backend, `search-append-${index}.db`);
      if ('skip' in database) {
        report.skipped.push(`search appends on ${backend}: ${database.skip}`);
        return;
      }
      databases.push(database);
      const server = await bench.startService(database.databaseUrl, `service on ${backend}, SEARCH_INDEX=${index === 'on'}`, { SEARCH_INDEX: String(index === 'on') });
      servers.push(server);
      subjects.push({ index, server, sessions: await createSessions(server.url, options.sizes.spreadSessions) });
    }
    // Alternated off, on, on, off: a drift of the machine during the four runs weighs on both alike.
    const runs: Record<'on' | 'off', MeasuredLoad[]> = { on: [], off: [] };
    for (const k of [0, 1, 1, 0]) {
      const { index, server, sessions } = subjects[k]!;
      log(`search/${backend}.append.index-${index}: ${options.connections} connections, ${options.durationSec} s`);
      const result = await runLoad(
        { url: server.url, connections: options.connections, durationSec: options.durationSec, warmupSec: options.warmupSec, method: 'POST', path: '/storage/history', body: APPEND_BODY, values: sessions, settlePath: '/health' },
        server.pid,
      );
      if (result.non2xx + result.errors > 0) log(`  ! ${result.non2xx} non-2xx, ${result.errors} errors: ${JSON.stringify(result.statusCodes)}`);
      runs[index].push(result);
    }
    // Each server did what its flag says: the indexed one finds what was appended, the other refuses to search.
    const word = words(messageContent(1)).at(-1)!;
    for (const { index, server } of subjects) {
      const response = await fetch(`${server.url}/storage/search?q=${encodeURIComponent(word)}&limit=1`);
      const body = (await response.json()) as { total_count?: number };
      if (index === 'on' ? response.status !== 200 || !body.total_count : response.status !== 503) {
        throw new Error(`search bench: the SEARCH_INDEX=${index === 'on'} server answered a search with ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
      }
    }
    meta.appendRuns[backend] = Object.fromEntries(Object.entries(runs).map(([k, rs]) => [k, rs.map((r) => ({ reqPerSec: r.reqPerSec, p50Ms: r.p50Ms, p99Ms: r.p99Ms, errors: r.non2xx + r.errors }))]));
    const mean = (rs: MeasuredLoad[], f: (r: MeasuredLoad) => number | null) => rs.reduce((a, r) => a + (f(r) ?? 0), 0) / rs.length;
    for (const index of ['off', 'on'] as const) {
      const rs = runs[index];
      report.rows.push({
        id: `search/${backend}.append.index-${index}`,
        group: 'search',
        scenario: `${backend}.append.index-${index}`,
        description: `POST /storage/history, durable, over ${options.sizes.spreadSessions} sessions, SEARCH_INDEX=${index === 'on'} (mean of 2 runs)`,
        connections: options.connections,
        reqPerSec: mean(rs, (r) => r.reqPerSec),
        mbPerSec: mean(rs, (r) => r.mbPerSec),
        p50Ms: mean(rs, (r) => r.p50Ms),
        p99Ms: mean(rs, (r) => r.p99Ms),
        rssMb: Math.max(...rs.map((r) => r.rssPeakMb ?? 0)) || null,
        errors: rs.reduce((a, r) => a + r.non2xx + r.errors, 0),
      });
    }
    const off = mean(runs.off, (r) => r.reqPerSec);
    const on = mean(runs.on, (r) => r.reqPerSec);
    const basis = `${options.connections} connections, ${options.sizes.spreadSessions} sessions each, fresh databases; runs off, on, on, off (means: off ${off.toFixed(0)}, on ${on.toFixed(0)} req/s)`;
    report.ratios.push(
      check(`search.${backend}.append.cost`, `search (${backend}): cost of indexing on durable appends, 1 - on/off req/s`, off > 0 ? 1 - on / off : null, '<=', 0.25, basis),
      ratio(`search.${backend}.append.on-off`, `search (${backend}): durable append req/s, SEARCH_INDEX on / off (info)`, on, off, 'info', null, basis),
    );
  } catch (error) {
    report.skipped.push(`search appends on ${backend}: failed (${(error as Error).message.slice(0, 300)})`);
    log(`search/${backend}.append failed: ${(error as Error).stack}`);
  } finally {
    for (const server of servers) await server.stop();
    for (const database of databases) await database.cleanup().catch((error: unknown) => log(`search: cleanup of ${backend} failed: ${(error as Error).message}`));
  }
}
