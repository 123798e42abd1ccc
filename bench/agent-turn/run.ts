import { join } from 'node:path';
import { BACKENDS, type PreparedDatabase } from '../lib/backends.js';
import { type BenchOptions, selected } from '../lib/options.js';
import { runJsonChild, sampleRss, type ServerChild, startServer } from '../lib/processes.js';
import { type BenchReport, ratio, type Row } from '../lib/report.js';
import { transpileToBuild } from '../lib/transpile.js';
import type { ChildInput, ChildResult } from './child.js';
import type { StoreItemsAs, StoreSpec } from './stores.js';
import { HISTORY_ITEMS, READ_ITEMS } from './workload.js';

/*
 * The agent-turn section of `npm run bench` (ids `agent-turn/…`, `--only=agent-turn`): the storage
 * work of one OpenAI Agents turn — getItems(50) of a conversation of ~200 items, then addItems of
 * the turn's 3 items — timed turn by turn, one at a time (p50, p99) and TURN_CONCURRENCY at a time
 * (turns/s). Each subject runs in its own process: the SDK's MemorySession in process, the same two
 * round trips to a bare node:http server answering from memory, and the service (started as the
 * rest of the bench starts it) on SQLite and on PostgreSQL.
 */

export interface AgentTurnBench {
  options: BenchOptions;
  work: string;
  report: BenchReport;
  log(message: string): void;
  startService(databaseUrl: string, name: string): Promise<ServerChild>;
}

/** Turns in flight at once in the throughput run (each on its own conversation). */
export const TURN_CONCURRENCY = 8;

const CHILD = ['--import', 'tsx', 'bench/agent-turn/child.ts'];

export async function agentTurnSection(bench: AgentTurnBench): Promise<void> {
  const { options, report, log } = bench;
  const services = ['service.sqlite', 'service.postgres'].filter((id) => selected(options, `agent-turn/${id}`));
  if (services.length === 0 && !['memory-session', 'bare-http'].some((id) => selected(options, `agent-turn/${id}`))) {
    report.skipped.push('agent-turn: not selected (--only)');
    return;
  }
  const storeAs = storeItemsAs(process.env.BENCH_AGENT_TURN_ITEMS);
  const conversations = options.quick ? 16 : 100;
  const results: Record<string, ChildResult> = {};

  /** One subject's turns in its own process; `rssPid`: the process holding the data (the server's, when there is one). */
  async function subject(id: string, description: string, store: StoreSpec, rssPid?: number): Promise<void> {
    log(`agent-turn/${id}: ${options.durationSec} s of turns one at a time, then ${options.durationSec} s ${TURN_CONCURRENCY} at a time`);
    let sampler: ReturnType<typeof sampleRss> | undefined;
    const input: ChildInput = { store, conversations, durationMs: options.durationSec * 1000, warmupMs: options.warmupSec * 1000, concurrency: TURN_CONCURRENCY };
    const result = await runJsonChild<ChildResult>(CHILD, input, (pid) => (sampler = sampleRss(rssPid ?? pid)));
    const rssMb = sampler?.stop().peakMb ?? null;
    results[id] = result;
    const turnRow = (suffix: string, connections: number, stats: ChildResult['sequential'], what: string): Row => ({
      id: `agent-turn/${id}${suffix}`, group: 'agent-turn', scenario: `${id}${suffix}`, description: `${description}: ${what}`,
      connections, reqPerSec: stats.turnsPerSec, mbPerSec: null, p50Ms: stats.p50Ms, p99Ms: stats.p99Ms, rssMb, errors: 0,
    });
    report.rows.push(
      turnRow('', 1, result.sequential, `turns/s of getItems(${READ_ITEMS}) + addItems(3), one at a time`),
      turnRow(`.c${TURN_CONCURRENCY}`, TURN_CONCURRENCY, result.concurrent, `the same, ${TURN_CONCURRENCY} turns at a time`),
    );
  }

  /** The service on a fresh database, driven as the adapter drives it. */
  async function service(backend: string, database: PreparedDatabase): Promise<void> {
    const server = await bench.startService(database.databaseUrl, `service on ${backend} (agent-turn)`);
    try {
      await subject(`service.${backend}`, `AgentStorageClient over HTTP, service on ${backend} (items as ${storeAs})`, { kind: 'service', url: server.url, storeAs }, server.pid);
    } finally {
      await server.stop();
    }
  }

  await subject('memory-session', '@openai/agents-core MemorySession in process', { kind: 'memory-session' });
  const bare = await startServer({ name: 'bare-http (agent-turn)', command: process.execPath, args: [transpileToBuild('bench/agent-turn/bare-server.ts')], healthPath: '/health' });
  try {
    await subject('bare-http', 'the same two round trips to bare node:http answering from memory', { kind: 'bare-http', url: bare.url }, bare.pid);
  } finally {
    await bare.stop();
  }
  for (const id of services) {
    const backend = id.slice('service.'.length);
    const database = backend === 'sqlite'
      ? { databaseUrl: `sqlite:${join(bench.work, 'agent-turn.db')}`, cleanup: async () => {} }
      : await BACKENDS.find((b) => b.name === backend)!.prepare(bench.work, options);
    if ('skip' in database) {
      report.skipped.push(`agent-turn on ${backend}: ${database.skip}`);
      continue;
    }
    try {
      await service(backend, database);
    } finally {
      await database.cleanup().catch((error: unknown) => log(`agent-turn: cleanup of ${backend} failed: ${(error as Error).message}`));
    }
  }

  const bareRun = results['bare-http'];
  const memoryRun = results['memory-session'];
  const basis = (what: string) => `${what}; each subject in its own process, ${conversations} conversations of ${HISTORY_ITEMS} items at the start`;
  for (const id of services.filter((s) => results[s])) {
    const backend = id.slice('service.'.length);
    const run = results[id];
    report.ratios.push(
      ratio(`agent-turn.${backend}.p50`, `agent turn: service (${backend}) / bare node:http from memory, p50 latency`, run?.sequential.p50Ms, bareRun?.sequential.p50Ms, '<=', 2, basis('one turn at a time')),
      ratio(`agent-turn.${backend}.p99`, `agent turn: service (${backend}) / bare node:http from memory, p99 latency`, run?.sequential.p99Ms, bareRun?.sequential.p99Ms, '<=', 2, basis('one turn at a time')),
      ratio(`agent-turn.${backend}.read`, `agent turn: service (${backend}) / bare node:http, p50 of getItems(${READ_ITEMS}) alone (info)`, run?.sequential.read.p50Ms, bareRun?.sequential.read.p50Ms, 'info', null, basis('the reading half of a turn')),
      ratio(`agent-turn.${backend}.write`, `agent turn: service (${backend}) / bare node:http, p50 of addItems(3) alone (info)`, run?.sequential.write.p50Ms, bareRun?.sequential.write.p50Ms, 'info', null, basis('the writing half of a turn: durable on the service, memory on the floor')),
      ratio(`agent-turn.${backend}.throughput`, `agent turn: service (${backend}) / bare node:http, turns/s at ${TURN_CONCURRENCY} at a time (info)`, run?.concurrent.turnsPerSec, bareRun?.concurrent.turnsPerSec, 'info', null, basis(`${TURN_CONCURRENCY} turns at a time`)),
      ratio(`agent-turn.${backend}.vs.memory`, `agent turn: service (${backend}) / MemorySession in process, p50 latency (info)`, run?.sequential.p50Ms, memoryRun?.sequential.p50Ms, 'info', null, basis('one turn at a time')),
    );
  }
  const commit = report.rows.find((r) => r.id === 'baseline/sqlite.commit');
  if (results['service.sqlite'] && commit) {
    report.ratios.push(
      ratio('agent-turn.sqlite.write.vs.commit', 'agent turn: service (sqlite) addItems(3) p50 / one raw durable SQLite commit p50 (info)', results['service.sqlite'].sequential.write.p50Ms, commit.p50Ms, 'info', null, 'with --only=…,baseline/sqlite.raw: how much of the write is the fsync-bound commit'),
    );
  }
  report.meta.agentTurn = {
    storeItemsAs: storeAs,
    conversations,
    concurrency: TURN_CONCURRENCY,
    itemsAtStart: HISTORY_ITEMS,
    meanItemsAtEnd: Object.fromEntries(Object.entries(results).map(([id, r]) => [id, Math.round(r.meanItemsAtEnd)])),
    /** Each subject's turns split into getItems and addItems (one turn at a time), ms. */
    halves: Object.fromEntries(Object.entries(results).map(([id, r]) => [id, { read: r.sequential.read, write: r.sequential.write }])),
  };
}

/** BENCH_AGENT_TURN_ITEMS: how the service stores an item (`item`; `content`, the item as a JSON string, to compare). */
function storeItemsAs(raw: string | undefined): StoreItemsAs {
  const value = raw?.trim() || 'item';
  if (value !== 'item' && value !== 'content') throw new Error(`BENCH_AGENT_TURN_ITEMS must be "item" or "content", got "${raw}"`);
  return value;
}
