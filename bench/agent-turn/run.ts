import { join } from 'node:path';
import { BACKENDS, type PreparedDatabase } from '../lib/backends.js';
import { type BenchOptions, selected } from '../lib/options.js';
import { runJsonChild, sampleRss, type ServerChild, startServer } from '../lib/processes.js';
import { type BenchReport, ratio, type Row } from '../lib/report.js';
import { transpileToBuild } from '../lib/transpile.js';
import type { ChildInput, SubjectResult } from './child.js';
import { HISTORY_ITEMS, READ_ITEMS, type TurnStats } from './workload.js';

/*
 * The agent-turn section of `npm run bench` (ids `agent-turn/…`, `--only=agent-turn`): the storage
 * work of one OpenAI Agents turn — getItems(50) of a conversation of ~200 items, then addItems of
 * the turn's 3 items — timed turn by turn, one at a time (p50, p99) and TURN_CONCURRENCY at a time
 * (turns/s). Subjects: the SDK's MemorySession, in a driver process of its own; then, from one more
 * driver, the same two round trips to a bare node:http server answering from memory, to the same
 * server saving each POST's items durably to SQLite first (the floor of any store that keeps what
 * it acknowledged), as GraphQL requests to a bare graphql-yoga server answering from memory (what
 * the GraphQL stack alone costs), and to the service (started as the rest of the bench starts it) on SQLite and
 * on PostgreSQL, each server a process of its own.
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
  const backends = ['sqlite', 'postgres'].filter((backend) => selected(options, `agent-turn/service.${backend}`));
  if (backends.length === 0 && !['memory-session', 'bare-http'].some((id) => selected(options, `agent-turn/${id}`))) {
    report.skipped.push('agent-turn: not selected (--only)');
    return;
  }
  const conversations = options.quick ? 16 : 100;
  const results: Record<string, SubjectResult> = {};
  const descriptions: Record<string, string> = {};
  const rss: Record<string, number | null> = {};

  /** Subjects driven by one process; `rssPids`: whose memory to sample for each (default: the driver's). */
  async function drive(subjects: ChildInput['subjects'], rssPids: Record<string, number> = {}): Promise<void> {
    log(`agent-turn/${subjects.map((s) => s.id).join(' + ')}: ${options.durationSec} s each of turns one at a time (taking turns), then ${options.durationSec} s each ${TURN_CONCURRENCY} at a time`);
    const samplers: Record<string, ReturnType<typeof sampleRss>> = {};
    for (const { id } of subjects) if (rssPids[id] !== undefined) samplers[id] = sampleRss(rssPids[id]);
    const input: ChildInput = { subjects, conversations, durationMs: options.durationSec * 1000, warmupMs: options.warmupSec * 1000, concurrency: TURN_CONCURRENCY };
    try {
      Object.assign(results, await runJsonChild<Record<string, SubjectResult>>(CHILD, input, (pid) => {
        for (const { id } of subjects) samplers[id] ??= sampleRss(pid);
      }));
    } finally {
      for (const [id, sampler] of Object.entries(samplers)) rss[id] = sampler.stop().peakMb;
    }
  }

  descriptions['memory-session'] = '@openai/agents-core MemorySession in process';
  await drive([{ id: 'memory-session', store: { kind: 'memory-session' } }]);

  // The floor and the services are driven together, taking turns: their latencies are measured
  // under the same load, whatever else the machine does meanwhile.
  const servers: ServerChild[] = [];
  const databases: PreparedDatabase[] = [];
  try {
    const bare = await startServer({ name: 'bare-http (agent-turn)', command: process.execPath, args: [transpileToBuild('bench/agent-turn/bare-server.ts')], healthPath: '/health' });
    servers.push(bare);
    descriptions['bare-http'] = 'the same two round trips to bare node:http answering from memory';
    const durable = await startServer({
      name: 'bare-http-durable (agent-turn)', command: process.execPath, args: [transpileToBuild('bench/agent-turn/bare-server.ts')],
      env: { DURABLE_FILE: join(bench.work, 'agent-turn-floor.db') }, healthPath: '/health',
    });
    servers.push(durable);
    descriptions['bare-http-durable'] = 'the same, the items also inserted into SQLite (synchronous=FULL) before the POST answers';
    const graphql = await startServer({ name: 'bare-graphql (agent-turn)', command: process.execPath, args: [transpileToBuild('bench/agent-turn/bare-graphql-server.ts')], healthPath: '/health' });
    servers.push(graphql);
    descriptions['bare-graphql'] = 'the same two round trips as GraphQL requests to a bare graphql-yoga server answering from memory';
    const subjects: ChildInput['subjects'] = [
      { id: 'bare-http', store: { kind: 'bare-http', url: bare.url } },
      { id: 'bare-http-durable', store: { kind: 'bare-http', url: durable.url } },
      { id: 'bare-graphql', store: { kind: 'bare-graphql', url: graphql.url } },
    ];
    const rssPids: Record<string, number> = { 'bare-http': bare.pid, 'bare-http-durable': durable.pid, 'bare-graphql': graphql.pid };
    for (const backend of backends) {
      const database = backend === 'sqlite'
        ? { databaseUrl: `sqlite:${join(bench.work, 'agent-turn.db')}`, cleanup: async () => {} }
        : await BACKENDS.find((b) => b.name === backend)!.prepare(bench.work, options);
      if ('skip' in database) {
        report.skipped.push(`agent-turn on ${backend}: ${database.skip}`);
        continue;
      }
      databases.push(database);
      const server = await bench.startService(database.databaseUrl, `service on ${backend} (agent-turn)`);
      servers.push(server);
      const id = `service.${backend}`;
      descriptions[id] = `AgentStorageSession (agent-storage/openai-agents) over HTTP, service on ${backend}`;
      subjects.push({ id, store: { kind: 'service', url: server.url } });
      rssPids[id] = server.pid;
    }
    await drive(subjects, rssPids);
  } finally {
    for (const server of servers) await server.stop();
    for (const database of databases) await database.cleanup().catch((error: unknown) => log(`agent-turn: database cleanup failed: ${(error as Error).message}`));
  }

  for (const [id, result] of Object.entries(results)) {
    const turnRow = (suffix: string, connections: number, stats: TurnStats, what: string): Row => ({
      id: `agent-turn/${id}${suffix}`, group: 'agent-turn', scenario: `${id}${suffix}`, description: `${descriptions[id]}: ${what}`,
      connections, reqPerSec: stats.turnsPerSec, mbPerSec: null, p50Ms: stats.p50Ms, p99Ms: stats.p99Ms, rssMb: rss[id] ?? null, errors: 0,
    });
    report.rows.push(
      turnRow('', 1, result.sequential, `getItems(${READ_ITEMS}) + addItems(3), one turn at a time`),
      turnRow(`.c${TURN_CONCURRENCY}`, TURN_CONCURRENCY, result.concurrent, `the same, ${TURN_CONCURRENCY} turns at a time`),
    );
  }

  const bareRun = results['bare-http'];
  const graphqlRun = results['bare-graphql'];
  report.ratios.push(
    ratio('agent-turn.bare-graphql.p50', 'agent turn: bare graphql-yoga from memory / bare node:http from memory, p50 latency (info: what GraphQL alone adds)', graphqlRun?.sequential.p50Ms, bareRun?.sequential.p50Ms, 'info', null, 'one turn at a time, taking turns with the other subjects; nothing behind either server'),
    ratio('agent-turn.bare-graphql.p99', 'agent turn: bare graphql-yoga from memory / bare node:http from memory, p99 latency (info)', graphqlRun?.sequential.p99Ms, bareRun?.sequential.p99Ms, 'info', null, 'one turn at a time, taking turns with the other subjects; nothing behind either server'),
  );
  const durableRun = results['bare-http-durable'];
  const memoryRun = results['memory-session'];
  const basis = (what: string) => `${what}; ${conversations} conversations of ${HISTORY_ITEMS} items at the start`;
  for (const backend of backends.filter((b) => results[`service.${b}`])) {
    const run = results[`service.${backend}`];
    report.ratios.push(
      ratio(`agent-turn.${backend}.p50`, `agent turn: service (${backend}) / bare node:http from memory, p50 latency`, run?.sequential.p50Ms, bareRun?.sequential.p50Ms, '<=', 2, basis('one turn at a time, the service and the floor taking turns')),
      ratio(`agent-turn.${backend}.p99`, `agent turn: service (${backend}) / bare node:http from memory, p99 latency`, run?.sequential.p99Ms, bareRun?.sequential.p99Ms, '<=', 2, basis('one turn at a time, the service and the floor taking turns')),
      ratio(`agent-turn.${backend}.read`, `agent turn: service (${backend}) / bare node:http, p50 of getItems(${READ_ITEMS}) alone (info)`, run?.sequential.read.p50Ms, bareRun?.sequential.read.p50Ms, 'info', null, basis('the reading half of a turn')),
      ratio(`agent-turn.${backend}.write`, `agent turn: service (${backend}) / bare node:http, p50 of addItems(3) alone (info)`, run?.sequential.write.p50Ms, bareRun?.sequential.write.p50Ms, 'info', null, basis('the writing half of a turn: durable on the service, memory on the floor')),
      ratio(`agent-turn.${backend}.throughput`, `agent turn: service (${backend}) / bare node:http, turns/s at ${TURN_CONCURRENCY} at a time (info)`, run?.concurrent.turnsPerSec, bareRun?.concurrent.turnsPerSec, 'info', null, basis(`${TURN_CONCURRENCY} turns at a time`)),
      ratio(`agent-turn.${backend}.p50.vs.durable`, `agent turn: service (${backend}) / bare node:http saving to SQLite durably, p50 latency (info)`, run?.sequential.p50Ms, durableRun?.sequential.p50Ms, 'info', null, basis('one turn at a time; the floor made durable, as the service is')),
      ratio(`agent-turn.${backend}.p99.vs.durable`, `agent turn: service (${backend}) / bare node:http saving to SQLite durably, p99 latency (info)`, run?.sequential.p99Ms, durableRun?.sequential.p99Ms, 'info', null, basis('one turn at a time; the floor made durable, as the service is')),
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
    conversations,
    concurrency: TURN_CONCURRENCY,
    itemsAtStart: HISTORY_ITEMS,
    meanItemsAtEnd: Object.fromEntries(Object.entries(results).map(([id, r]) => [id, Math.round(r.meanItemsAtEnd)])),
    /** Each subject's turns split into getItems and addItems (one turn at a time), ms. */
    halves: Object.fromEntries(Object.entries(results).map(([id, r]) => [id, { read: r.sequential.read, write: r.sequential.write }])),
  };
}
