import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { StateSnapshot } from '@langchain/langgraph';
import { type BaseCheckpointSaver, MemorySaver } from '@langchain/langgraph-checkpoint';
import { AgentStorageSaver } from '../../../src/adapters/langgraph/index.js';
import { describe, expect, it } from '../../support/server-fixture.js';
import { buildGraph } from './graph.js';

/*
 * A real LangGraph StateGraph (offline, plain function nodes) on the saver and a real server: run
 * until the interrupt before `approve`, resume in ANOTHER PROCESS from the stored checkpoint, read
 * the history, update an older checkpoint and run the fork to its end. The same scenario on
 * LangGraph's MemorySaver (resumed in process) must give the same states, history and fork.
 */

const RESUME = fileURLToPath(new URL('./resume.ts', import.meta.url));
const run = promisify(execFile);

type Graph = ReturnType<typeof buildGraph>;
type Values = { log: string[]; count: number };

/** What a snapshot says, without the ids and times that differ between savers. */
const summary = (s: StateSnapshot) => ({ values: s.values, next: s.next, source: s.metadata?.source, step: s.metadata?.step, parent: s.parentConfig !== undefined });

async function history(graph: Graph, config: { configurable: { thread_id: string } }) {
  const snapshots: StateSnapshot[] = [];
  for await (const snapshot of graph.getStateHistory(config)) snapshots.push(snapshot);
  return snapshots;
}

/** The scenario; `resume` continues the interrupted thread (in another process, or in this one). */
async function scenario(saver: BaseCheckpointSaver, threadId: string, resume: (graph: Graph) => Promise<Values>) {
  const graph = buildGraph(saver);
  const config = { configurable: { thread_id: threadId } };
  const first = await graph.invoke({ log: ['start'], count: 1 }, config);
  const interrupted = await graph.getState(config);
  const final = await resume(graph);
  const afterResume = await graph.getState(config);
  const runHistory = await history(graph, config);
  // Fork: the checkpoint after `plan` ran (next: act), edited as `plan` would have written it.
  const afterPlan = runHistory.find((s) => s.next.length === 1 && s.next[0] === 'act');
  const forkConfig = await graph.updateState(afterPlan!.config, { log: ['edited'], count: 100 });
  const forkInterrupted = await graph.invoke(null, forkConfig);
  const forkFinal = await graph.invoke(null, config);
  const fullHistory = await history(graph, config);
  return {
    first,
    interruptedNext: interrupted.next,
    final,
    afterResume: summary(afterResume),
    runHistory: runHistory.map(summary),
    forkInterrupted,
    forkFinal,
    fullHistory: fullHistory.map(summary),
    // Both branches, newest first: each snapshot's parent is listed after it (it is older).
    parentsOlder: fullHistory.every((s, i) => {
      const parent = s.parentConfig?.configurable?.checkpoint_id;
      return parent === undefined || fullHistory.slice(i + 1).some((older) => older.config.configurable?.checkpoint_id === parent);
    }),
  };
}

describe('a LangGraph StateGraph on AgentStorageSaver', () => {
  it('resumes in another process and forks, as it does on MemorySaver', async ({ server }) => {
    const threadId = 'graph-thread';
    let childSaw: unknown;
    const ours = await scenario(new AgentStorageSaver({ url: server.url }), threadId, async () => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', RESUME, server.url, threadId], { encoding: 'utf8' });
      const printed = JSON.parse(stdout) as { nextBefore: string[]; result: Values };
      childSaw = printed.nextBefore;
      return printed.result;
    });
    const memory = await scenario(new MemorySaver(), threadId, (graph) => graph.invoke(null, { configurable: { thread_id: threadId } }));

    expect(childSaw).toEqual(['approve']);
    // (A run stopped by an interrupt answers its state with the interrupts, none here: it stopped before a node.)
    expect(ours.first).toEqual({ log: ['start', 'plan 1', 'act 2'], count: 20, __interrupt__: [] });
    expect(ours.interruptedNext).toEqual(['approve']);
    expect(ours.final).toEqual({ log: ['start', 'plan 1', 'act 2', 'approve 20'], count: 27 });
    expect(ours.afterResume).toMatchObject({ values: ours.final, next: [] });
    expect(ours.runHistory.map((s) => s.step)).toEqual([3, 2, 1, 0, -1]);
    expect(ours.forkInterrupted).toEqual({ log: ['start', 'plan 1', 'edited', 'act 100'], count: 1000, __interrupt__: [] });
    expect(ours.forkFinal).toEqual({ log: ['start', 'plan 1', 'edited', 'act 100', 'approve 1000'], count: 1007 });
    expect(ours.parentsOlder).toBe(true);
    expect(ours).toEqual(memory);
  });

  it('prunes a finished thread to its latest checkpoint, copies it, and gives it a TTL', async ({ server }) => {
    const saver = new AgentStorageSaver({ url: server.url });
    const graph = buildGraph(saver);
    const config = { configurable: { thread_id: 'to-prune' } };
    await graph.invoke({ log: [], count: 1 }, config);
    const final = await graph.invoke(null, config);
    const before = (await history(graph, config)).map(summary);
    expect(before.length).toBe(5);

    const copy = await saver.copyThread('to-prune', 'the-copy');
    expect(copy.id).toBe('the-copy');
    const pruned = await saver.prune(['to-prune'], { keep: 'latest' });
    expect(pruned.checkpoints).toBe(4);
    const left = await history(graph, config);
    expect(left.map((s) => s.values)).toEqual([final]);
    expect((await graph.getState(config)).values).toEqual(final);
    // The copy kept everything the original had before the prune.
    const copied = await history(graph, { configurable: { thread_id: 'the-copy' } });
    expect(copied.map(summary)).toEqual(before);

    const withTtl = await saver.setThreadTtl('to-prune', 60);
    expect(withTtl.ttlSeconds).toBe(60);
    server.clock.advance(61_000);
    expect(await saver.getTuple(config)).toBeUndefined();
    expect(await saver.thread('to-prune')).toBeNull();
    expect(await saver.getTuple({ configurable: { thread_id: 'the-copy' } })).toBeDefined();
  });
});
