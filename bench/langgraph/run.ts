import { join } from 'node:path';
import pg from 'pg';
import type { Checkpoint, CheckpointMetadata } from '@langchain/langgraph-checkpoint';
import { AgentStorageSaver } from '../../src/adapters/langgraph/index.js';
import { BACKENDS, type PreparedDatabase } from '../lib/backends.js';
import { type BenchOptions, selected } from '../lib/options.js';
import { runJsonChild, sampleRss, type ServerChild } from '../lib/processes.js';
import { type BenchReport, ratio } from '../lib/report.js';
import type { ChildInput, SaverSpec } from './child.js';
import { threadSpace, type ThreadSpace } from './space.js';
import { checkpointStep } from './workload.js';

/*
 * The LangGraph section of `npm run bench` (ids `langgraph/…`, `--only=langgraph`): steps of
 * put + getTuple + list(limit 10) with a realistic checkpoint (workload.ts), one saver at a time,
 * each in its own process — LangGraph's SqliteSaver (file on disk) and PostgresSaver (throwaway
 * schema) in process, and AgentStorageSaver over HTTP against the service started as the rest of
 * the bench starts it, on SQLite and on PostgreSQL. Then, on each service, the space of a thread of
 * 1,000 checkpoints after prune(keep latest) against a thread of its one latest checkpoint.
 */

export interface LangGraphBench {
  options: BenchOptions;
  work: string;
  report: BenchReport;
  log(message: string): void;
  startService(databaseUrl: string, name: string): Promise<ServerChild>;
}

interface Steps {
  steps: number;
  stepsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

interface PruneSpace {
  backend: string;
  checkpoints: number;
  before: ThreadSpace;
  afterPrune: ThreadSpace;
  oneCheckpoint: ThreadSpace;
}

const CHILD = ['--import', 'tsx', 'bench/langgraph/child.ts'];

export async function langgraphSection(bench: LangGraphBench): Promise<void> {
  const { options, report, log } = bench;
  const ids = ['sqlite-saver', 'postgres-saver', 'service.sqlite', 'service.postgres', 'prune.sqlite', 'prune.postgres'];
  const wanted = (id: string) => selected(options, `langgraph/${id}`);
  if (!ids.some(wanted)) {
    report.skipped.push('langgraph: not selected (--only)');
    return;
  }
  const prune: PruneSpace[] = [];

  /** One saver's run in its own process; `rssPid`: the process whose memory to sample (the one holding the database). */
  async function steps(id: string, description: string, saver: SaverSpec, rssPid?: number): Promise<void> {
    if (!wanted(id)) return;
    log(`langgraph/${id}: ${options.durationSec} s of put + getTuple + list(10)`);
    let sampler: ReturnType<typeof sampleRss> | undefined;
    const input: ChildInput = { saver, threadId: `bench-${id}`, durationMs: options.durationSec * 1000 };
    const result = await runJsonChild<Steps>(CHILD, input, (pid) => (sampler = sampleRss(rssPid ?? pid)));
    report.rows.push({
      id: `langgraph/${id}`, group: 'langgraph', scenario: id, description: `${description}: steps/s of put + getTuple + list(10)`,
      connections: 1, reqPerSec: result.stepsPerSec, mbPerSec: null, p50Ms: result.p50Ms, p99Ms: result.p99Ms, rssMb: sampler?.stop().peakMb ?? null, errors: 0,
    });
  }

  /** The service on a database, its saver's steps, then the prune measurement on the same service. */
  async function service(backend: string, database: PreparedDatabase): Promise<void> {
    if (!wanted(`service.${backend}`) && !wanted(`prune.${backend}`)) return;
    const server = await bench.startService(database.databaseUrl, `service on ${backend} (langgraph)`);
    try {
      await steps(`service.${backend}`, `AgentStorageSaver over HTTP, service on ${backend}`, { kind: 'service', url: server.url }, server.pid);
      if (wanted(`prune.${backend}`)) prune.push(await pruneSpace(backend, server.url, database.databaseUrl, options.quick ? 100 : 1000, log));
    } finally {
      await server.stop();
    }
  }

  const sqliteSaver = 'LangGraph SqliteSaver in process, file on disk';
  await steps('sqlite-saver', sqliteSaver, { kind: 'sqlite-saver', file: join(bench.work, 'langgraph-sqlite-saver.db') });
  await service('sqlite', { databaseUrl: `sqlite:${join(bench.work, 'langgraph-service.db')}`, cleanup: async () => {} });

  const postgres = wanted('postgres-saver') || wanted('service.postgres') || wanted('prune.postgres') ? await postgresFor(options) : { skip: 'not selected (--only)' };
  if ('skip' in postgres) {
    report.skipped.push(`langgraph on PostgreSQL: ${postgres.skip}`);
  } else {
    try {
      await steps('postgres-saver', 'LangGraph PostgresSaver in process, throwaway schema', { kind: 'postgres-saver', url: options.postgresAdminUrl, schema: postgres.schema });
      await service('postgres', postgres.database);
    } finally {
      await postgres.cleanup().catch((error: unknown) => log(`langgraph: PostgreSQL cleanup failed: ${(error as Error).message}`));
    }
  }

  const rate = (id: string) => report.rows.find((r) => r.id === `langgraph/${id}`)?.reqPerSec;
  const basis = 'steps/s, one step at a time, each saver in its own process';
  report.ratios.push(
    ratio('langgraph.service.sqlite', 'LangGraph: service (SQLite, HTTP) / SqliteSaver in process, steps/s', rate('service.sqlite'), rate('sqlite-saver'), '>=', 0.5, basis),
    ratio('langgraph.service.postgres', 'LangGraph: service (PostgreSQL, HTTP) / PostgresSaver in process, steps/s', rate('service.postgres'), rate('postgres-saver'), '>=', 1.0, basis),
    ratio('langgraph.service.sqlite.vs.pg', 'LangGraph: service (SQLite, HTTP) / PostgresSaver in process, steps/s (info)', rate('service.sqlite'), rate('postgres-saver'), 'info', null, basis),
  );
  for (const p of prune) {
    report.ratios.push(
      ratio(
        `langgraph.prune.${p.backend}`,
        `LangGraph: a thread of ${p.checkpoints} checkpoints after prune(keep latest) / a thread of 1, bytes (${p.backend})`,
        p.afterPrune.bytes, p.oneCheckpoint.bytes, '<=', 1.0,
        `bytes of the thread's rows: ${p.afterPrune.bytes} (${p.afterPrune.rows} rows) vs ${p.oneCheckpoint.bytes} (${p.oneCheckpoint.rows} rows); ${p.before.bytes} before the prune`,
      ),
    );
  }
  report.meta.langgraphPrune = prune;
}

/**
 * Thread A gets `count` checkpoints of the workload, thread B one: A's latest, the same bytes (its
 * parent pointer included). A is measured, pruned to its latest and measured again, B once.
 */
async function pruneSpace(backend: string, url: string, databaseUrl: string, count: number, log: (m: string) => void): Promise<PruneSpace> {
  log(`langgraph/prune.${backend}: ${count} checkpoints, prune(keep latest), bytes of the thread against a thread of one`);
  const saver = new AgentStorageSaver({ url });
  const [a, b] = ['prune-a', 'prune-b'];
  let previous: Checkpoint | null = null;
  let parentId: string | undefined;
  let last: { checkpoint: Checkpoint; metadata: CheckpointMetadata } | undefined;
  for (let step = 0; step < count; step++) {
    const next = checkpointStep(step, previous);
    parentId = previous?.id;
    await saver.put({ configurable: { thread_id: a, checkpoint_ns: '', checkpoint_id: parentId } }, next.checkpoint, next.metadata, next.newVersions);
    previous = next.checkpoint;
    last = next;
  }
  await saver.put({ configurable: { thread_id: b, checkpoint_ns: '', checkpoint_id: parentId } }, last!.checkpoint, last!.metadata, last!.checkpoint.channel_versions);
  const before = await threadSpace(databaseUrl, a);
  await saver.prune([a]);
  return { backend, checkpoints: count, before, afterPrune: await threadSpace(databaseUrl, a), oneCheckpoint: await threadSpace(databaseUrl, b) };
}

/** A throwaway database for the service and a throwaway schema for PostgresSaver, or why not. */
async function postgresFor(options: BenchOptions): Promise<{ database: PreparedDatabase; schema: string; cleanup(): Promise<void> } | { skip: string }> {
  const prepared = await BACKENDS.find((b) => b.name === 'postgres')!.prepare('', options);
  if ('skip' in prepared) return prepared;
  const schema = `langgraph_bench_${process.pid}_${Date.now()}`;
  return {
    database: prepared,
    schema,
    async cleanup() {
      const admin = new pg.Client({ connectionString: options.postgresAdminUrl });
      await admin.connect();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
      await prepared.cleanup();
    },
  };
}
