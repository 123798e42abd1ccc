import { AIMessage, HumanMessage } from '@langchain/core/messages';
import type { BaseCheckpointSaver, Checkpoint, CheckpointMetadata, ChannelVersions } from '@langchain/langgraph-checkpoint';
import { uuid6 } from '@langchain/langgraph-checkpoint';

/**
 * The saver workload of `npm run bench` (issue 15's figure): one graph step at a time, each a `put`
 * of a realistic checkpoint (20 channels, one of them a 200-message conversation), then `getTuple`
 * of the latest and `list` of the newest 10 — what LangGraph asks of a saver on every step of a run
 * that is resumed and inspected. The same code drives the in-process savers and ours over HTTP.
 */

export const CHANNELS = 20;
export const MESSAGES = 200;

function conversation(step: number) {
  return Array.from({ length: MESSAGES }, (_, i) =>
    i % 2 === 0
      ? new HumanMessage({ content: `Question ${i} of step ${step}: what did the tool return for order #${1000 + i}?`, id: `h-${i}` })
      : new AIMessage({ content: `The tool returned a refund of ${i}.50 EUR for order #${1000 + i}, issued on the 3rd.`, id: `a-${i}` }),
  );
}

/** Step `step` of thread `threadId`: the checkpoint, its metadata and the channels it changed. */
export function checkpointStep(step: number, previous: Checkpoint | null): { checkpoint: Checkpoint; metadata: CheckpointMetadata; newVersions: ChannelVersions } {
  const versions: Record<string, number> = { messages: step + 1 };
  for (let c = 1; c < CHANNELS; c++) versions[`channel_${c}`] = previous ? Number(previous.channel_versions[`channel_${c}`] ?? 1) : 1;
  // Two channels change per step: the conversation and one other, as a typical node writes.
  const changed = `channel_${(step % (CHANNELS - 1)) + 1}`;
  if (previous) versions[changed] = Number(previous.channel_versions[changed] ?? 1) + 1;
  // A channel's value is a function of its version, as in a real run: an unchanged channel carries
  // the very value stored when its version was written.
  const channelValues: Record<string, unknown> = { messages: conversation(step) };
  for (let c = 1; c < CHANNELS; c++) {
    channelValues[`channel_${c}`] = { counter: c, label: `value of channel ${c}`, tags: ['a', 'b', 'c'], version: versions[`channel_${c}`] };
  }
  const checkpoint: Checkpoint = {
    v: 4,
    id: uuid6(-3),
    ts: new Date().toISOString(),
    channel_values: channelValues,
    channel_versions: versions,
    versions_seen: { agent: { messages: step }, tools: { [changed]: step } },
  };
  const newVersions: ChannelVersions = previous ? { messages: versions.messages!, [changed]: versions[changed]! } : versions;
  return { checkpoint, metadata: { source: 'loop', step, parents: {} }, newVersions };
}

/** Runs steps on `threadId` for `durationMs` (after `warmupSteps`); answers steps per second and p50/p99 of a step, ms. */
export async function runSteps(saver: BaseCheckpointSaver, threadId: string, durationMs: number, warmupSteps = 5) {
  let previous: Checkpoint | null = null;
  let config = { configurable: { thread_id: threadId, checkpoint_ns: '' } } as { configurable: Record<string, unknown> };
  const times: number[] = [];
  let step = 0;
  const oneStep = async () => {
    const { checkpoint, metadata, newVersions } = checkpointStep(step++, previous);
    config = (await saver.put(config, checkpoint, metadata, newVersions)) as typeof config;
    const tuple = await saver.getTuple({ configurable: { thread_id: threadId, checkpoint_ns: '' } });
    if (tuple?.checkpoint.id !== checkpoint.id) throw new Error(`step ${step}: getTuple returned ${tuple?.checkpoint.id}, not ${checkpoint.id}`);
    let listed = 0;
    for await (const _ of saver.list({ configurable: { thread_id: threadId } }, { limit: 10 })) listed++;
    if (listed !== Math.min(step, 10)) throw new Error(`step ${step}: list returned ${listed}`);
    previous = checkpoint;
  };
  for (let i = 0; i < warmupSteps; i++) await oneStep();
  const start = performance.now();
  while (performance.now() - start < durationMs) {
    const t0 = performance.now();
    await oneStep();
    times.push(performance.now() - t0);
  }
  const elapsed = (performance.now() - start) / 1000;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return { steps: times.length, stepsPerSec: times.length / elapsed, p50Ms: at(0.5), p99Ms: at(0.99) };
}
